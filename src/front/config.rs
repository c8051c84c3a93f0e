//! ACT's configuration files, as actsim reads them (`actsim -cnf=FILE`; here `--config FILE`).
//!
//! A file is a list of typed settings, grouped by `begin NAME` ... `end` blocks that prefix
//! the names inside them with `NAME.`:
//!
//! ```text
//! # comments run to the end of the line
//! begin sim
//!   begin chp
//!     int default_delay 10
//!     int buffer<>.x.D 5      # sim.chp.buffer<>.x.D
//!   end
//! end
//! ```
//!
//! Types are `int`, `real`, `string` (quoted) and the tables `int_table`, `real_table`,
//! `string_table` (one or more values); `string_tablex` (and kin) adds to the table of that
//! name. `include "FILE"` lines at the start read FILE's settings first. chpsim reads every setting so that a malformed file is
//! an error at its line, and uses the ones it understands (the statement delays under `sim.chp.`,
//! see [`crate::elab::delays`]); a real actsim configuration holds many others
//! (production-rule timing, energy), which are ignored.
use std::collections::BTreeMap;
use std::ops::Range;

use crate::diag::{ActFatal, Diagnostic};

/// A setting's value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Int(i64),
    Real(f64),
    Text(String),
    Table(Vec<Value>),
}

/// One setting, with where it was given (for messages).
#[derive(Debug, Clone)]
pub(crate) struct Setting {
    pub value: Value,
    pub span: Range<usize>,
}

/// The settings of a configuration file, by their full dotted name (`sim.chp.default_delay`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Settings {
    by_name: BTreeMap<String, Setting>,
}

impl Settings {
    /// The setting of this full name.
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        self.by_name.get(name).map(|s| &s.value)
    }

    /// The setting of this full name, with where it was given.
    pub(crate) fn setting(&self, name: &str) -> Option<&Setting> {
        self.by_name.get(name)
    }

    /// Every setting whose name starts with `prefix`, with the rest of its name.
    pub(crate) fn with_prefix<'s>(
        &'s self,
        prefix: &'s str,
    ) -> impl Iterator<Item = (&'s str, &'s Setting)> + 's {
        self.by_name
            .range(prefix.to_string()..)
            .map_while(move |(name, setting)| Some((name.strip_prefix(prefix)?, setting)))
    }
}

/// A word of the file, with its byte range (from its first byte to its last: a word that a
/// `\` continues on the next line spans the line break).
struct Word {
    text: String,
    span: Range<usize>,
}

/// A line as ACT's `config_read` reads it: a physical line, joined with the next one where it
/// ends with `\` (the backslash and the line break are dropped), with the offset in the source
/// of each of its bytes.
struct Line {
    text: String,
    offsets: Vec<usize>,
    /// The number (from 1) of the physical line it ends on, where ACT's messages place it.
    number: usize,
}

impl Line {
    /// The source's byte range of the line's bytes `range` (not empty).
    fn span(&self, range: Range<usize>) -> Range<usize> {
        self.offsets[range.start]..self.offsets[range.end - 1] + 1
    }
}

/// The file's lines (see [`Line`]), the text starting at offset `base`; a `\` that continues
/// the last line is an error, as in ACT.
fn lines(text: &str, base: usize, name: &str) -> Result<Vec<Line>, Diagnostic> {
    let mut lines = Vec::new();
    let mut current = Line {
        text: String::new(),
        offsets: Vec::new(),
        number: 0,
    };
    let mut at = base;
    for physical in text.split_inclusive('\n') {
        current.number += 1;
        let body = physical.trim_end_matches(['\n', '\r']);
        let continued = body.strip_suffix('\\').filter(|_| physical.ends_with('\n'));
        let kept = continued.unwrap_or(body);
        current.text.push_str(kept);
        current.offsets.extend(at..at + kept.len());
        if continued.is_some() && at + physical.len() == base + text.len() {
            let backslash = at + kept.len();
            return Err(Diagnostic::error(
                backslash..backslash + 1,
                "continuation character on the last line of the file",
            )
            .with_act_fatal(ActFatal::Message(format!(
                "Continuation character one the last line of file `{name}'"
            ))));
        }
        at += physical.len();
        if continued.is_none() {
            let number = current.number;
            lines.push(std::mem::replace(
                &mut current,
                Line {
                    text: String::new(),
                    offsets: Vec::new(),
                    number,
                },
            ));
        }
    }
    Ok(lines)
}

/// Splits a line into words as ACT's `config_read` does: runs of characters other than blanks
/// and tabs, or a double-quoted string (which keeps its quotes, and holds blanks); a word
/// that starts with `#` starts a comment, which runs to the end of the line (a `#` inside a
/// word is part of it).
fn words(line: &Line) -> Result<Vec<Word>, Diagnostic> {
    let text = line.text.as_str();
    let mut words = Vec::new();
    let mut rest = text.char_indices().peekable();
    while let Some(&(start, c)) = rest.peek() {
        if c.is_whitespace() {
            rest.next();
            continue;
        }
        if c == '#' {
            break;
        }
        let end = if c == '"' {
            rest.next();
            match rest.find(|&(_, c)| c == '"') {
                Some((close, _)) => close + 1,
                None => {
                    let span = line.span(start..text.len());
                    return Err(Diagnostic::error(span, "this string has no closing `\"`"));
                }
            }
        } else {
            let mut end = text.len();
            while let Some(&(i, c)) = rest.peek() {
                if c.is_whitespace() {
                    end = i;
                    break;
                }
                rest.next();
            }
            end
        };
        words.push(Word {
            text: text[start..end].to_string(),
            span: line.span(start..end),
        });
    }
    Ok(words)
}

/// Reads a configuration file that includes no other; every malformed line is reported.
#[cfg(test)]
pub(crate) fn parse_settings(text: &str) -> Result<Settings, Vec<Diagnostic>> {
    let mut settings = Settings::default();
    let mut no_include = |_: &str, span: Range<usize>, _: &mut Settings| {
        Err(vec![Diagnostic::error(span, "no file to include here")])
    };
    parse_settings_into(text, 0, "test.conf", &mut settings, &mut no_include)?;
    Ok(settings)
}

/// What reads an included file (its name, the `include` line's span) into the settings.
pub(crate) type Include<'i> =
    dyn FnMut(&str, Range<usize>, &mut Settings) -> Result<(), Vec<Diagnostic>> + 'i;

/// Reads a configuration file whose first byte is the offset `base` (of a
/// [`crate::source_map::SourceMap`]) into `settings`, over what they hold: every malformed
/// line is reported, those ACT stops at with its words too (see [`ActFatal`]; `name` is the
/// file's name as ACT gives it, from the command line or the `include` line). An `include "FILE"` line, allowed only before the file's first block or
/// setting (as ACT's `config_read`), hands FILE's name, the line's span and the settings to
/// `include`, which reads that file into them first.
pub(crate) fn parse_settings_into(
    text: &str,
    base: usize,
    name: &str,
    settings: &mut Settings,
    include: &mut Include<'_>,
) -> Result<(), Vec<Diagnostic>> {
    let mut blocks: Vec<Word> = Vec::new();
    let mut errors = Vec::new();
    let mut defined = false;
    let lines = match lines(text, base, name) {
        Ok(lines) => lines,
        Err(e) => return Err(vec![e]),
    };
    for line in &lines {
        let at = Place {
            file: name,
            line: line.number,
        };
        let line_words = match words(line) {
            Ok(w) => w,
            Err(e) => {
                // ACT reads a quoted value of `string` (and `include`) settings only.
                let quoted = line.text.split_whitespace().next().is_some_and(|first| {
                    ["string", "string_table", "string_tablex", "include"].contains(&first)
                });
                errors.push(match quoted {
                    true => e.with_act_fatal(at.not_quoted()),
                    false => e,
                });
                continue;
            }
        };
        if let [first, rest @ ..] = &line_words[..] {
            if first.text == "include" {
                match included_name(first, rest, defined, &at) {
                    Ok((name, span)) => {
                        if let Err(e) = include(name, span, settings) {
                            errors.extend(e);
                        }
                    }
                    Err(e) => errors.push(e),
                }
                continue;
            }
            defined = true;
        }
        if let Err(e) = statement(&line_words, &mut blocks, settings, &at) {
            errors.push(e);
        }
    }
    // As in ACT, a `begin` left open at the end of the file is no error.
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Where a line is, as ACT's messages say it: `[sim.conf:3]`.
struct Place<'n> {
    file: &'n str,
    line: usize,
}

impl Place<'_> {
    /// ACT's error for a line that ends before a word it needs.
    fn invalid_format(&self) -> ActFatal {
        ActFatal::Message(format!("Invalid format {self}"))
    }

    /// ACT's error for a string or a file name without its quotes.
    fn not_quoted(&self) -> ActFatal {
        ActFatal::Message(format!("String on {self} needs to be of the form \"...\""))
    }
}

impl std::fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}:{}]", self.file, self.line)
    }
}

/// The file an `include` line names, and the line's span (ACT reads the word after
/// `include` and nothing after it).
fn included_name<'w>(
    first: &Word,
    rest: &'w [Word],
    defined: bool,
    at: &Place<'_>,
) -> Result<(&'w str, Range<usize>), Diagnostic> {
    let span = first.span.start..rest.first().map_or(first.span.end, |w| w.span.end);
    if defined {
        return Err(Diagnostic::error(
            span,
            "`include` is only permitted at the start of the file, before any definitions",
        )
        .with_act_fatal(ActFatal::Message(
            "`include' directive is only permitted at the start of the file, before any definitions".into(),
        )));
    }
    let Some(name) = rest.first() else {
        return Err(
            Diagnostic::error(span, "`include` takes one quoted file name")
                .with_act_fatal(at.invalid_format()),
        );
    };
    match name
        .text
        .strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
    {
        Some(file) => Ok((file, span)),
        None => Err(Diagnostic::error(
            name.span.clone(),
            format!("`{}` is not a quoted file name", name.text),
        )
        .with_act_fatal(at.not_quoted())),
    }
}

/// One line's words: a `begin`, an `end`, a setting, or nothing. As in ACT, the words after
/// those a line needs are not read (`int x 5 ticks` is 5).
fn statement(
    words: &[Word],
    blocks: &mut Vec<Word>,
    settings: &mut Settings,
    at: &Place<'_>,
) -> Result<(), Diagnostic> {
    let Some((first, rest)) = words.split_first() else {
        return Ok(());
    };
    match first.text.as_str() {
        "begin" => {
            let Some(name) = rest.first() else {
                return Err(
                    Diagnostic::error(first.span.clone(), "`begin` needs a name")
                        .with_act_fatal(at.invalid_format()),
                );
            };
            blocks.push(Word {
                text: name.text.clone(),
                span: first.span.start..name.span.end,
            });
            Ok(())
        }
        // ACT's message ends with a line break of its own.
        "end" => blocks.pop().map(drop).ok_or_else(|| {
            Diagnostic::error(first.span.clone(), "`end` without a `begin`").with_act_fatal(
                ActFatal::Message(format!("end found without matching begin {at}\n")),
            )
        }),
        _ => {
            let element = setting_type(first, at)?;
            let [name, values @ ..] = rest else {
                return Err(Diagnostic::error(
                    first.span.clone(),
                    format!("this `{}` setting has no name", first.text),
                )
                .with_act_fatal(at.invalid_format()));
            };
            let value = setting_value(first, element, values, at)?;
            let prefix: String = blocks.iter().map(|b| format!("{}.", b.text)).collect();
            let span = first.span.start..words.last().map_or(name.span.end, |w| w.span.end);
            let full_name = prefix + &name.text;
            // `string_tablex` extends the table of that name (ACT's way of adding to a
            // table set by an earlier file).
            let value = match (first.text.ends_with("_tablex"), value) {
                (true, Value::Table(more)) => match settings.by_name.remove(&full_name) {
                    Some(Setting {
                        value: Value::Table(mut table),
                        ..
                    }) => {
                        table.extend(more);
                        Value::Table(table)
                    }
                    _ => Value::Table(more),
                },
                (_, value) => value,
            };
            settings.by_name.insert(full_name, Setting { value, span });
            Ok(())
        }
    }
}

/// The element type of a setting's type word (`int` for `int` and `int_table`).
fn setting_type(kind: &Word, at: &Place<'_>) -> Result<&'static str, Diagnostic> {
    let element = (kind.text.strip_suffix("_table"))
        .or_else(|| kind.text.strip_suffix("_tablex"))
        .unwrap_or(&kind.text);
    match element {
        "int" => Ok("int"),
        "real" => Ok("real"),
        "string" => Ok("string"),
        _ => Err(Diagnostic::error(
            kind.span.clone(),
            format!("unknown setting type `{}`", kind.text),
        )
        .with_hint("a line is `include \"FILE\"` (at the start), `begin NAME`, `end`, or a setting: int, real, string, int_table, real_table or string_table (`_tablex` adds to a table), then its name and value")
        .with_act_fatal(ActFatal::Message(format!(
            "Expecting int|string|real|int_table|real_table|begin|end|include {at}\n"
        )))),
    }
}

/// The value of a setting of type `kind` (elements of type `element`) from its words: a
/// table takes them all (an `int` or `real` table none too, as in ACT), any other the first.
fn setting_value(
    kind: &Word,
    element: &str,
    values: &[Word],
    at: &Place<'_>,
) -> Result<Value, Diagnostic> {
    let table = kind.text.ends_with("_table") || kind.text.ends_with("_tablex");
    if values.is_empty() && !(table && element != "string") {
        return Err(Diagnostic::error(
            kind.span.clone(),
            format!("this `{}` setting has no value", kind.text),
        )
        .with_act_fatal(at.invalid_format()));
    }
    let taken = if table { values } else { &values[..1] };
    let mut parsed = (taken.iter())
        .map(|w| element_value(element, w))
        .collect::<Result<Vec<_>, _>>()
        // A string without its quotes is ACT's error too; a number it cannot read is not
        // (it keeps what `sscanf` leaves).
        .map_err(|e| match element {
            "string" => e.with_act_fatal(at.not_quoted()),
            _ => e,
        })?;
    Ok(if table {
        Value::Table(parsed)
    } else {
        parsed.remove(0)
    })
}

/// A value as ACT's `sscanf` reads it: an integer (`%d`) or a real (`%lg`) is the number the
/// word starts with (`12ab` is 12), a string must be quoted.
fn element_value(element: &str, word: &Word) -> Result<Value, Diagnostic> {
    let bad =
        |what: &str| Diagnostic::error(word.span.clone(), format!("`{}` is not {what}", word.text));
    let text = word.text.as_str();
    match element {
        "int" => {
            let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
            let digits = unsigned.len()
                - unsigned
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .len();
            if digits == 0 {
                return Err(bad("an integer"));
            }
            let number = &text[..text.len() - unsigned.len() + digits];
            number
                .parse()
                .map(Value::Int)
                .map_err(|_| bad("an integer of 64 bits (it is too large)"))
        }
        "real" => (1..=text.len())
            .rev()
            .filter(|&end| text.is_char_boundary(end))
            .find_map(|end| text[..end].parse().ok())
            .map(Value::Real)
            .ok_or_else(|| bad("a number")),
        _ => text
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .map(|s| Value::Text(s.to_string()))
            .ok_or_else(|| bad("a quoted string")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(settings: &Settings, prefix: &str) -> Vec<(String, Value)> {
        settings
            .with_prefix(prefix)
            .map(|(n, s)| (n.to_string(), s.value.clone()))
            .collect()
    }

    #[test]
    fn blocks_prefix_the_names_inside_them() {
        let text = "# actsim settings\nbegin sim\n  begin chp\n    int default_delay 7 # ticks\n    int buffer.x.D 3\n  end\n  real leak 0.5\nend\nstring name \"a b\"\nint_table t 1 2 3\n";
        let settings = parse_settings(text).unwrap();
        assert_eq!(
            names(&settings, "sim.chp."),
            [
                ("buffer.x.D".to_string(), Value::Int(3)),
                ("default_delay".to_string(), Value::Int(7)),
            ]
        );
        assert_eq!(
            names(&settings, "sim.leak"),
            [(String::new(), Value::Real(0.5))]
        );
        assert_eq!(
            names(&settings, "name"),
            [(String::new(), Value::Text("a b".into()))]
        );
        assert_eq!(
            names(&settings, "t"),
            [(
                String::new(),
                Value::Table(vec![Value::Int(1), Value::Int(2), Value::Int(3)])
            )]
        );
    }

    #[test]
    fn every_malformed_line_is_reported_at_its_place() {
        let text = "begin sim\nint x ten\nint big 99999999999999999999\nfloat y 1\nint\nend\nend\nstring s \"open\nbegin a\n";
        let errors = parse_settings(text).unwrap_err();
        let found: Vec<(&str, String)> = errors
            .iter()
            .map(|d| (&text[d.span.clone()], d.message.clone()))
            .collect();
        assert_eq!(
            found,
            [
                ("ten", "`ten` is not an integer".to_string()),
                (
                    "99999999999999999999",
                    "`99999999999999999999` is not an integer of 64 bits (it is too large)"
                        .to_string(),
                ),
                ("float", "unknown setting type `float`".to_string()),
                ("int", "this `int` setting has no name".to_string()),
                ("end", "`end` without a `begin`".to_string()),
                ("\"open", "this string has no closing `\"`".to_string()),
            ]
        );
    }

    #[test]
    fn lines_words_and_numbers_are_read_as_acts_config_read_reads_them() {
        // A `\` at a line's end joins the next line to it; a `#` inside a word is part of
        // it; a number is what the word starts with; words after a value are not read; an
        // `int` table may be empty; a `begin` may stay open.
        let text = "begin sim\nint default_\\\ndelay 1\\\n2ab more\nint a#b 5 #c\nreal r 1.5e3x\nint_table t 1 -2 #3\nint_table e\nbegin open\n";
        let settings = parse_settings(text).unwrap();
        assert_eq!(
            names(&settings, "sim."),
            [
                ("a#b".to_string(), Value::Int(5)),
                ("default_delay".to_string(), Value::Int(12)),
                ("e".to_string(), Value::Table(vec![])),
                ("r".to_string(), Value::Real(1500.0)),
                (
                    "t".to_string(),
                    Value::Table(vec![Value::Int(1), Value::Int(-2)])
                ),
            ]
        );
        // The joined word's span runs from its first byte to its last, across the break.
        let joined = settings.setting("sim.default_delay").unwrap();
        assert_eq!(
            &text[joined.span.clone()],
            "int default_\\\ndelay 1\\\n2ab more"
        );
    }

    #[test]
    fn a_backslash_continuing_the_last_line_is_an_error() {
        let text = "int a 1\nint b 2 \\\n";
        let errors = parse_settings(text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(&text[errors[0].span.clone()], "\\");
        assert_eq!(
            errors[0].message,
            "continuation character on the last line of the file"
        );
        // Without a line break after it, it continues nothing: the number is read before it
        // (ACT drops it, taking it for the line break).
        let settings = parse_settings("int a 1\nint b 2\\").unwrap();
        assert_eq!(settings.get("b"), Some(&Value::Int(2)));
    }
}
