//! A strict VCD checker, written independently of the writer, for tests.
//!
//! Use from a test file with `#[path = "common/vcd_check.rs"] mod vcd_check;`.
//!
//! Stricter than IEEE 1364 where our writer has no reason to use the freedom: every `$var` lives
//! in a scope and has a width > 0; an id code declared again (an alias: the same signal under
//! another name) has the same width and type, and no path is declared twice; vector changes
//! carry exactly the declared
//! number of bits; scalar changes are only for 1-bit variables; value changes come after a
//! timestamp, and timestamps strictly increase; the file ends with a newline.
#![allow(dead_code)]

use std::collections::HashMap;

/// A declared variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signal {
    /// Scope names and the variable's name joined by dots, e.g. `top.src.R_hs`.
    pub path: String,
    pub width: u32,
    pub var_type: String,
    pub id: String,
}

/// What a valid VCD file holds.
#[derive(Clone, Debug, Default)]
pub struct VcdSummary {
    pub date: Option<String>,
    pub version: Option<String>,
    /// As written, whitespace-normalized, e.g. `1 ns`.
    pub timescale: Option<String>,
    /// In declaration order.
    pub signals: Vec<Signal>,
    /// Every timestamp, in order.
    pub times: Vec<u64>,
    /// Per id code: (time, value) changes in file order; vector values without the `b`.
    changes: HashMap<String, Vec<(u64, String)>>,
}

impl VcdSummary {
    /// (path, width) of every signal, in declaration order.
    pub fn signal_paths(&self) -> Vec<(String, u32)> {
        self.signals
            .iter()
            .map(|s| (s.path.clone(), s.width))
            .collect()
    }

    pub fn signal(&self, path: &str) -> Option<&Signal> {
        self.signals.iter().find(|s| s.path == path)
    }

    /// The paths declared with the same id code as `path` (itself included), in order.
    pub fn aliases(&self, path: &str) -> Vec<String> {
        let id = &self
            .signal(path)
            .unwrap_or_else(|| panic!("no signal {path}"))
            .id;
        (self.signals.iter())
            .filter(|s| &s.id == id)
            .map(|s| s.path.clone())
            .collect()
    }

    /// The changes of a signal, `(time, value)`, in file order (`$dumpvars` values included).
    pub fn changes(&self, path: &str) -> Vec<(u64, String)> {
        let signal = self
            .signal(path)
            .unwrap_or_else(|| panic!("no signal {path}"));
        self.changes.get(&signal.id).cloned().unwrap_or_default()
    }

    /// The value a signal holds at `time` (the last change at or before it).
    pub fn value_at(&self, path: &str, time: u64) -> Option<String> {
        self.changes(path)
            .into_iter()
            .take_while(|(t, _)| *t <= time)
            .last()
            .map(|(_, v)| v)
    }

    pub fn last_time(&self) -> Option<u64> {
        self.times.last().copied()
    }
}

const VAR_TYPES: &[&str] = &[
    "event",
    "integer",
    "parameter",
    "real",
    "realtime",
    "reg",
    "supply0",
    "supply1",
    "time",
    "tri",
    "triand",
    "trior",
    "trireg",
    "tri0",
    "tri1",
    "wand",
    "wire",
    "wor",
];
const SCOPE_TYPES: &[&str] = &["module", "task", "function", "begin", "fork"];
const TIME_UNITS: &[&str] = &["s", "ms", "us", "ns", "ps", "fs"];

struct Tokens<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Tokens<'a> {
    /// The next whitespace-separated token and its line number.
    fn next(&mut self) -> Option<(&'a str, usize)> {
        let bytes = self.text.as_bytes();
        while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
            if bytes[self.pos] == b'\n' {
                self.line += 1;
            }
            self.pos += 1;
        }
        if self.pos == bytes.len() {
            return None;
        }
        let start = self.pos;
        while self.pos < bytes.len() && !bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
        Some((&self.text[start..self.pos], self.line))
    }

    /// Tokens up to (not including) the next `$end`.
    fn until_end(&mut self, command: &str, line: usize) -> Result<Vec<&'a str>, String> {
        let mut out = Vec::new();
        loop {
            match self.next() {
                Some(("$end", _)) => return Ok(out),
                Some((t, l)) if t.starts_with('$') => {
                    return Err(format!("line {l}: `{t}` inside {command} (missing $end?)"))
                }
                Some((t, _)) => out.push(t),
                None => return Err(format!("line {line}: {command} not terminated by $end")),
            }
        }
    }
}

/// Printable ASCII; strict: not starting with `$`, which naive tokenizers take for a command.
fn valid_id(id: &str) -> bool {
    !id.is_empty() && !id.starts_with('$') && id.bytes().all(|b| (33..=126).contains(&b))
}

fn is_value_char(c: u8) -> bool {
    matches!(c, b'0' | b'1' | b'x' | b'X' | b'z' | b'Z')
}

/// Checks `text` strictly; the first problem found is returned with its line number.
pub fn check_vcd(text: &str) -> Result<VcdSummary, String> {
    if text.is_empty() {
        return Err("empty file".into());
    }
    if !text.ends_with('\n') {
        return Err("file does not end with a newline (truncated last line?)".into());
    }
    let mut summary = VcdSummary::default();
    let mut tokens = Tokens {
        text,
        pos: 0,
        line: 1,
    };
    let mut scopes: Vec<String> = Vec::new();
    let mut ids: HashMap<String, (u32, String)> = HashMap::new(); // id -> (width, type)
    let mut enddefinitions = false;

    // Header.
    while !enddefinitions {
        let Some((token, line)) = tokens.next() else {
            return Err("no $enddefinitions".into());
        };
        let args = match token {
            "$date" | "$version" | "$comment" | "$timescale" | "$scope" | "$upscope" | "$var"
            | "$enddefinitions" => tokens.until_end(token, line)?,
            _ if token.starts_with('$') => {
                return Err(format!(
                    "line {line}: unknown or misplaced command `{token}`"
                ))
            }
            _ => {
                return Err(format!(
                    "line {line}: `{token}` before $enddefinitions (value change or stray text)"
                ))
            }
        };
        match token {
            "$date" => summary.date = Some(args.join(" ")),
            "$version" => summary.version = Some(args.join(" ")),
            "$comment" => {}
            "$timescale" => {
                if summary.timescale.is_some() {
                    return Err(format!("line {line}: second $timescale"));
                }
                let joined = args.concat();
                let split = joined
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(joined.len());
                let (number, unit) = joined.split_at(split);
                if !matches!(number, "1" | "10" | "100") || !TIME_UNITS.contains(&unit) {
                    return Err(format!(
                        "line {line}: invalid timescale `{}`",
                        args.join(" ")
                    ));
                }
                summary.timescale = Some(format!("{number} {unit}"));
            }
            "$scope" => {
                let [kind, name] = args[..] else {
                    return Err(format!("line {line}: $scope needs a type and a name"));
                };
                if !SCOPE_TYPES.contains(&kind) {
                    return Err(format!("line {line}: invalid scope type `{kind}`"));
                }
                scopes.push(name.to_string());
            }
            "$upscope" => {
                if !args.is_empty() {
                    return Err(format!("line {line}: $upscope takes no arguments"));
                }
                if scopes.pop().is_none() {
                    return Err(format!("line {line}: $upscope without an open $scope"));
                }
            }
            "$var" => {
                let (kind, size, id, name) = match args[..] {
                    [k, s, i, n] => (k, s, i, n.to_string()),
                    [k, s, i, n, index] if index.starts_with('[') && index.ends_with(']') => {
                        (k, s, i, format!("{n}{index}"))
                    }
                    _ => return Err(format!("line {line}: malformed $var `{}`", args.join(" "))),
                };
                if !VAR_TYPES.contains(&kind) {
                    return Err(format!("line {line}: invalid var type `{kind}`"));
                }
                let width: u32 = size
                    .parse()
                    .map_err(|_| format!("line {line}: invalid var width `{size}`"))?;
                if width == 0 {
                    return Err(format!("line {line}: var `{name}` has width 0"));
                }
                if !valid_id(id) {
                    return Err(format!("line {line}: invalid id code `{id}`"));
                }
                if let Some((w, k)) = ids.get(id) {
                    if (*w, k.as_str()) != (width, kind) {
                        return Err(format!(
                            "line {line}: id code `{id}` declared again as {kind} {width}, \
                             first as {k} {w}"
                        ));
                    }
                }
                if scopes.is_empty() {
                    return Err(format!("line {line}: $var `{name}` outside any scope"));
                }
                ids.insert(id.to_string(), (width, kind.to_string()));
                let mut path = scopes.join(".");
                path.push('.');
                path.push_str(&name);
                if summary.signals.iter().any(|s| s.path == path) {
                    return Err(format!("line {line}: `{path}` declared twice"));
                }
                summary.signals.push(Signal {
                    path,
                    width,
                    var_type: kind.to_string(),
                    id: id.to_string(),
                });
            }
            "$enddefinitions" => {
                if !args.is_empty() {
                    return Err(format!("line {line}: $enddefinitions takes no arguments"));
                }
                if !scopes.is_empty() {
                    return Err(format!(
                        "line {line}: $enddefinitions with {} unclosed scope(s): {}",
                        scopes.len(),
                        scopes.join(".")
                    ));
                }
                enddefinitions = true;
            }
            _ => unreachable!(),
        }
    }

    // Value changes.
    let mut time: Option<u64> = None;
    let mut in_dump: Option<(&str, usize)> = None;
    while let Some((token, line)) = tokens.next() {
        let bytes = token.as_bytes();
        match bytes[0] {
            b'#' => {
                let t: u64 = token[1..]
                    .parse()
                    .map_err(|_| format!("line {line}: invalid timestamp `{token}`"))?;
                if let Some(prev) = time {
                    if t <= prev {
                        return Err(format!(
                            "line {line}: time #{t} does not advance past #{prev}"
                        ));
                    }
                }
                if in_dump.is_some() {
                    return Err(format!("line {line}: timestamp inside a $dump command"));
                }
                time = Some(t);
                summary.times.push(t);
            }
            b'$' => match token {
                "$dumpvars" | "$dumpall" | "$dumpon" | "$dumpoff" => {
                    if let Some((open, l)) = in_dump {
                        return Err(format!("line {line}: {token} inside {open} (line {l})"));
                    }
                    if time.is_none() {
                        return Err(format!("line {line}: {token} before any timestamp"));
                    }
                    in_dump = Some((token, line));
                }
                "$end" => {
                    if in_dump.take().is_none() {
                        return Err(format!("line {line}: $end without an open command"));
                    }
                }
                "$comment" => {
                    tokens.until_end(token, line)?;
                }
                _ => return Err(format!("line {line}: unexpected command `{token}`")),
            },
            c => {
                let Some(t) = time else {
                    return Err(format!(
                        "line {line}: value change `{token}` before any timestamp"
                    ));
                };
                let (value, id) = if c == b'b' || c == b'B' {
                    let Some((id, _)) = tokens.next() else {
                        return Err(format!("line {line}: vector change without an id code"));
                    };
                    (&token[1..], id)
                } else if is_value_char(c) {
                    (&token[..1], &token[1..])
                } else {
                    return Err(format!("line {line}: unexpected `{token}`"));
                };
                let Some((width, _)) = ids.get(id) else {
                    return Err(format!("line {line}: change of undeclared id code `{id}`"));
                };
                if value.is_empty() || !value.bytes().all(is_value_char) {
                    return Err(format!("line {line}: invalid value `{token}`"));
                }
                if c == b'b' || c == b'B' {
                    if value.len() != *width as usize {
                        return Err(format!(
                            "line {line}: `{id}` is {width} bits wide, change has {} bits",
                            value.len()
                        ));
                    }
                } else if *width != 1 {
                    return Err(format!(
                        "line {line}: scalar change of `{id}`, which is {width} bits wide"
                    ));
                }
                summary
                    .changes
                    .entry(id.to_string())
                    .or_default()
                    .push((t, value.to_string()));
            }
        }
    }
    if let Some((open, l)) = in_dump {
        return Err(format!("{open} at line {l} not terminated by $end"));
    }
    Ok(summary)
}
