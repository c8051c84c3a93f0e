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
use std::num::{IntErrorKind, ParseIntError};
use std::ops::Range;

use crate::diag::Diagnostic;

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

/// A word of the file, with its byte range.
struct Word<'t> {
    text: &'t str,
    span: Range<usize>,
}

/// Splits a line into words: runs of non-blank characters, or a double-quoted string (which
/// keeps its quotes); a `#` outside a string starts a comment.
fn words(line: &str, line_start: usize) -> Result<Vec<Word<'_>>, Diagnostic> {
    let mut words = Vec::new();
    let mut rest = line.char_indices().peekable();
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
                    let span = line_start + start..line_start + line.len();
                    return Err(Diagnostic::error(span, "this string has no closing `\"`"));
                }
            }
        } else {
            let mut end = line.len();
            while let Some(&(i, c)) = rest.peek() {
                if c.is_whitespace() || c == '#' {
                    end = i;
                    break;
                }
                rest.next();
            }
            end
        };
        words.push(Word {
            text: &line[start..end],
            span: line_start + start..line_start + end,
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
    parse_settings_into(text, 0, &mut settings, &mut no_include)?;
    Ok(settings)
}

/// What reads an included file (its name, the `include` line's span) into the settings.
pub(crate) type Include<'i> =
    dyn FnMut(&str, Range<usize>, &mut Settings) -> Result<(), Vec<Diagnostic>> + 'i;

/// Reads a configuration file whose first byte is the offset `base` (of a
/// [`crate::source_map::SourceMap`]) into `settings`, over what they hold: every malformed
/// line is reported. An `include "FILE"` line, allowed only before the file's first block or
/// setting (as ACT's `config_read`), hands FILE's name, the line's span and the settings to
/// `include`, which reads that file into them first.
pub(crate) fn parse_settings_into(
    text: &str,
    base: usize,
    settings: &mut Settings,
    include: &mut Include<'_>,
) -> Result<(), Vec<Diagnostic>> {
    let mut blocks: Vec<Word<'_>> = Vec::new();
    let mut errors = Vec::new();
    let mut line_start = base;
    let mut defined = false;
    for line in text.split_inclusive('\n') {
        let line_words = words(line.trim_end_matches(['\n', '\r']), line_start);
        line_start += line.len();
        let line_words = match line_words {
            Ok(w) => w,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if let [first, rest @ ..] = &line_words[..] {
            if first.text == "include" {
                match included_name(first, rest, defined) {
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
        if let Err(e) = statement(&line_words, &mut blocks, settings) {
            errors.push(e);
        }
    }
    for open in blocks {
        errors.push(Diagnostic::error(
            open.span,
            format!("`begin {}` has no `end`", open.text),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The file an `include` line names, and the line's span.
fn included_name<'t>(
    first: &Word<'t>,
    rest: &[Word<'t>],
    defined: bool,
) -> Result<(&'t str, Range<usize>), Diagnostic> {
    let span = first.span.start..rest.last().map_or(first.span.end, |w| w.span.end);
    if defined {
        return Err(Diagnostic::error(
            span,
            "`include` is only permitted at the start of the file, before any definitions",
        ));
    }
    match rest {
        [name] => match name
            .text
            .strip_prefix('"')
            .and_then(|n| n.strip_suffix('"'))
        {
            Some(file) => Ok((file, span)),
            None => Err(Diagnostic::error(
                name.span.clone(),
                format!("`{}` is not a quoted file name", name.text),
            )),
        },
        _ => Err(Diagnostic::error(
            span,
            "`include` takes one quoted file name",
        )),
    }
}

/// One line's words: a `begin`, an `end`, a setting, or nothing.
fn statement<'t>(
    words: &[Word<'t>],
    blocks: &mut Vec<Word<'t>>,
    settings: &mut Settings,
) -> Result<(), Diagnostic> {
    let Some((first, rest)) = words.split_first() else {
        return Ok(());
    };
    let extra = |rest: &[Word<'_>], expected: &str| {
        rest.first().map(|w| {
            Diagnostic::error(
                w.span.clone(),
                format!("unexpected `{}` {expected}", w.text),
            )
        })
    };
    match first.text {
        "begin" => {
            let [name, rest @ ..] = rest else {
                return Err(Diagnostic::error(
                    first.span.clone(),
                    "`begin` needs a name",
                ));
            };
            if let Some(e) = extra(rest, "after the block's name") {
                return Err(e);
            }
            blocks.push(Word {
                text: name.text,
                span: first.span.start..name.span.end,
            });
            Ok(())
        }
        "end" => {
            if let Some(e) = extra(rest, "after `end`") {
                return Err(e);
            }
            blocks
                .pop()
                .map(drop)
                .ok_or_else(|| Diagnostic::error(first.span.clone(), "`end` without a `begin`"))
        }
        _ => {
            let element = setting_type(first)?;
            let [name, values @ ..] = rest else {
                return Err(Diagnostic::error(
                    first.span.clone(),
                    format!("this `{}` setting has no name", first.text),
                ));
            };
            let value = setting_value(first, element, values)?;
            let prefix: String = blocks.iter().map(|b| format!("{}.", b.text)).collect();
            let span = first.span.start..words.last().map_or(name.span.end, |w| w.span.end);
            let full_name = prefix + name.text;
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
fn setting_type<'t>(kind: &Word<'t>) -> Result<&'t str, Diagnostic> {
    let element = (kind.text.strip_suffix("_table"))
        .or_else(|| kind.text.strip_suffix("_tablex"))
        .unwrap_or(kind.text);
    if matches!(element, "int" | "real" | "string") {
        Ok(element)
    } else {
        Err(Diagnostic::error(
            kind.span.clone(),
            format!("unknown setting type `{}`", kind.text),
        )
        .with_hint("a line is `include \"FILE\"` (at the start), `begin NAME`, `end`, or a setting: int, real, string, int_table, real_table or string_table (`_tablex` adds to a table), then its name and value"))
    }
}

/// The value of a setting of type `kind` (elements of type `element`) from its words.
fn setting_value(kind: &Word<'_>, element: &str, values: &[Word<'_>]) -> Result<Value, Diagnostic> {
    let table = kind.text.ends_with("_table") || kind.text.ends_with("_tablex");
    if values.is_empty() {
        return Err(Diagnostic::error(
            kind.span.clone(),
            format!("this `{}` setting has no value", kind.text),
        ));
    }
    if !table && values.len() > 1 {
        return Err(Diagnostic::error(
            values[1].span.clone(),
            format!("an `{}` setting has one value", kind.text),
        ));
    }
    let mut parsed = (values.iter())
        .map(|w| element_value(element, w))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(if table {
        Value::Table(parsed)
    } else {
        parsed.remove(0)
    })
}

fn element_value(element: &str, word: &Word<'_>) -> Result<Value, Diagnostic> {
    let bad =
        |what: &str| Diagnostic::error(word.span.clone(), format!("`{}` is not {what}", word.text));
    match element {
        "int" => word
            .text
            .parse()
            .map(Value::Int)
            .map_err(|e: ParseIntError| match e.kind() {
                IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => {
                    bad("an integer of 64 bits (it is too large)")
                }
                _ => bad("an integer"),
            }),
        "real" => word
            .text
            .parse()
            .map(Value::Real)
            .map_err(|_| bad("a number")),
        _ => word
            .text
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
                ("begin a", "`begin a` has no `end`".to_string()),
            ]
        );
    }
}
