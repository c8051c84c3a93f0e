//! A command line read as actsim reads it. actsim's command reader (ACT's `lispCli`) splits
//! the line at blanks and tabs, handles a comment and `exit`/`quit` itself, and hands the rest
//! to ACT's small Lisp as the list `(CMD ARG ... )`, which reads every word as an atom and
//! gives the command each atom written back as text. So a word that reads as a number reaches
//! the command rewritten (`007` is `7`, `0x10` is `16`, `1.5` is `1.500000`), a word the Lisp
//! cannot read stops the line (`3x`: `Unparsable input character: 3`), and some words are two
//! (`10ns` is `10` and `ns`). The rules, as ACT's reader has them:
//!
//! - A word that starts with a digit, `.`, `-` or `+` followed by a digit, one of those, or the
//!   word's end is a number: an optional sign, digits, and an optional `.` and digits (a real
//!   number); whatever follows starts the next atom. An integer is C's `long` (out of range: its
//!   nearest end) written back with C's `%d`, so its low 32 bits as a signed number; a real one
//!   is written with `%lf`, six decimals. `+`, `-` or `.` alone is a word of its own.
//! - `0x` and hexadecimal digits, `0b` and binary ones (lower case `x` and `b` only) are an
//!   integer the same way; a digit that does not belong starts the next atom.
//! - `"..."` is a string (a backslash keeps the next character, so `\"` does not end it); it is
//!   given without its quotes, each backslash dropped (the character after it kept).
//! - `#t` and `#f` stay as they are.
//! - A word that starts with a letter or one of ``+-.*/<=>!?:$%_&~^#@,`` (or a backslash) is a
//!   name, which goes on over those characters, digits, `[` and `]` (and parentheses that pair
//!   up inside it: `a(b)`).
//! - Anything else is refused, and so is the whole line: `Unparsable input character: C`.
//! - Before reading, each character below a blank (a carriage return, say) gets a backslash
//!   written before it, and a backslash inside a name puts the character after it in place of
//!   the one before it (ACT's reader does so): `cycle` followed by a carriage return is
//!   the command `cycl` and a carriage return.
//!
//! What chpsim does not do: evaluate a parenthesised word (`(get x)`, which actsim runs as a
//! command first) or the Lisp's own functions (`+`, `list`, `define`, ...), see
//! docs/actsim.md. A character beyond ASCII is taken as one a name may hold (actsim's C reads
//! each byte of it as a character below a blank).

/// What a command line asks for.
#[derive(Debug, PartialEq)]
pub(super) enum Reading {
    /// A blank line or a comment.
    Nothing,
    /// `exit` or `quit`, with `trailing` when a word that is no comment follows it.
    Exit { trailing: bool },
    /// A command and its words.
    Command(Vec<String>),
    /// Nothing is run: what actsim's reader prints instead, in order.
    Refused(Vec<Said>),
}

/// A piece of text the reader prints, on one of the two streams, newlines included.
#[derive(Debug, PartialEq)]
pub(super) enum Said {
    Out(String),
    Err(String),
}

/// Reads `line` (its end of line, if any, not part of it).
pub(super) fn read(line: &str) -> Reading {
    let line = line.strip_suffix('\n').unwrap_or(line);
    let words: Vec<&str> = line.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
    let Some(first) = words.first() else {
        return Reading::Nothing;
    };
    if first.starts_with('#') {
        return Reading::Nothing;
    }
    if matches!(*first, "exit" | "quit") {
        let trailing = words.get(1).is_some_and(|w| !w.starts_with('#'));
        return Reading::Exit { trailing };
    }
    let mut text = vec!['('];
    for word in &words {
        for c in word.chars() {
            if (c as u32) < 32 {
                text.push('\\');
            }
            text.push(c);
        }
        text.push(' ');
    }
    text.push(')');
    let mut parser = Parser { text, at: 1 };
    match parser.list() {
        Ok(items) => evaluate(items),
        Err(message) => Reading::Refused(vec![Said::Err(message)]),
    }
}

/// An atom or list as the reader reads it.
#[derive(Debug, Clone, PartialEq)]
enum Atom {
    Integer(i64),
    Real(f64),
    /// The text between the quotes, backslashes kept.
    Text(String),
    Boolean(bool),
    Name(String),
    /// A quoted list: a value.
    List(Vec<Atom>),
    /// A parenthesised list: a call, which actsim evaluates.
    Call(Vec<Atom>),
}

/// The reader's position in the line written as a list.
struct Parser {
    text: Vec<char>,
    at: usize,
}

/// What a failed read prints.
type Failure = String;

/// Whether `c` ends an atom (C's `isspace`, a parenthesis, the end).
fn ends_atom(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r' | '(' | ')'),
    }
}

/// Whether a name may start with `c`.
fn starts_name(c: char) -> bool {
    c.is_ascii_alphabetic() || !c.is_ascii() || "+-.*/<=>!?:$%_&~^#@,".contains(c)
}

/// Whether a name may hold `c`.
fn in_name(c: char) -> bool {
    starts_name(c) || c.is_ascii_digit() || c == '[' || c == ']'
}

/// Whether `c` may follow a number's first character.
fn continues_number(c: Option<char>) -> bool {
    ends_atom(c) || c.is_some_and(|c| c.is_ascii_digit() || ".-+".contains(c))
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.text.get(self.at).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.text.get(self.at + ahead).copied()
    }

    fn skip_blanks(&mut self) {
        while self.peek() == Some(' ') {
            self.at += 1;
        }
    }

    /// The atoms up to the `)` that closes the list (left unread).
    fn list(&mut self) -> Result<Vec<Atom>, Failure> {
        let mut items = Vec::new();
        self.skip_blanks();
        if self.peek().is_none() {
            return Err("Input malformed\n".into());
        }
        while self.peek() != Some(')') {
            let item = match self.peek() {
                None => return Err("Input malformed: missing )\n".into()),
                Some('(') => {
                    self.at += 1;
                    Atom::Call(self.closed_list()?)
                }
                Some('\'') => {
                    self.at += 1;
                    self.skip_blanks();
                    if self.peek() == Some('(') {
                        self.at += 1;
                        Atom::List(self.closed_list()?)
                    } else {
                        self.atom(true)?
                    }
                }
                Some(_) => self.atom(false)?,
            };
            items.push(item);
            self.skip_blanks();
        }
        Ok(items)
    }

    /// A list and its closing `)`.
    fn closed_list(&mut self) -> Result<Vec<Atom>, Failure> {
        let items = self.list()?;
        self.at += 1;
        Ok(items)
    }

    fn atom(&mut self, quoted: bool) -> Result<Atom, Failure> {
        let Some(c) = self.peek() else {
            return Err("Input malformed\n".into());
        };
        let next = self.peek_at(1);
        if "+-.".contains(c) && ends_atom(next) {
            // ACT's reader ends the word over the character after it, which it then skips.
            self.at += 2;
            return Ok(Atom::Name(c.to_string()));
        }
        if (c.is_ascii_digit() || ".-+".contains(c)) && continues_number(next) {
            return Ok(self.number());
        }
        if c == '0' && matches!(next, Some('x' | 'b')) {
            self.at += 2;
            return Ok(self.based_integer(next == Some('x')));
        }
        if c == '"' {
            return self.text_atom();
        }
        if !quoted && c == '#' && matches!(next, Some('t' | 'f')) && ends_atom(self.peek_at(2)) {
            self.at += 2;
            return Ok(Atom::Boolean(next == Some('t')));
        }
        if starts_name(c) || c == '\\' {
            return Ok(self.name());
        }
        Err(format!("Unparsable input character: {c}\n"))
    }

    /// An optional sign, digits, an optional `.` and digits, as C's `sscanf` reads them.
    fn number(&mut self) -> Atom {
        let start = self.at;
        if matches!(self.peek(), Some('-' | '+')) {
            self.at += 1;
        }
        self.skip_digits();
        let real = self.peek() == Some('.');
        if real {
            self.at += 1;
            self.skip_digits();
        }
        let word: String = self.text[start..self.at].iter().collect();
        if real {
            // `.` or `-.` alone: C leaves the value unset; 0 here.
            return Atom::Real(word.parse().unwrap_or(0.0));
        }
        let digits = word.trim_start_matches(['-', '+']);
        Atom::Integer(match word.parse::<i64>() {
            Ok(value) => value,
            Err(_) if digits.is_empty() => 0,
            Err(_) if word.starts_with('-') => i64::MIN,
            Err(_) => i64::MAX,
        })
    }

    fn skip_digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
    }

    /// The digits after `0x` (C's `%lx`: beyond the range, all ones) or `0b` (C's `strtol`:
    /// beyond the range, the largest `long`).
    fn based_integer(&mut self, hex: bool) -> Atom {
        let start = self.at;
        while (self.peek()).is_some_and(|c| {
            if hex {
                c.is_ascii_hexdigit()
            } else {
                c == '0' || c == '1'
            }
        }) {
            self.at += 1;
        }
        let digits: String = self.text[start..self.at].iter().collect();
        Atom::Integer(match (digits.is_empty(), hex) {
            (true, _) => 0,
            (false, true) => u64::from_str_radix(&digits, 16).unwrap_or(u64::MAX) as i64,
            (false, false) => i64::from_str_radix(&digits, 2).unwrap_or(i64::MAX),
        })
    }

    fn text_atom(&mut self) -> Result<Atom, Failure> {
        self.at += 1;
        let start = self.at;
        loop {
            match self.peek() {
                None => return Err("Unterminated string\n".into()),
                Some('"') => break,
                Some('\\') if self.peek_at(1).is_none() => {
                    return Err("Trailing character constant\n".into())
                }
                Some('\\') => self.at += 2,
                Some(_) => self.at += 1,
            }
        }
        let text = self.text[start..self.at].iter().collect();
        self.at += 1;
        Ok(Atom::Text(text))
    }

    /// A name: its characters, parentheses that pair up inside it, and a backslash's
    /// character in place of the one before the backslash (as ACT's reader writes it).
    fn name(&mut self) -> Atom {
        let mut name = String::new();
        if self.peek() == Some('\\') {
            name.extend(self.peek_at(1));
            self.at += 2;
        }
        let mut depth = 0;
        while let Some(c) = self.peek() {
            if !(in_name(c) || c == '(' || (c == ')' && depth > 0)) {
                break;
            }
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            self.at += 1;
            if self.peek() == Some('\\') {
                name.extend(self.peek_at(1));
                self.at += 2;
            } else {
                name.push(c);
            }
        }
        Atom::Name(name)
    }
}

/// The list read, as actsim's Lisp evaluates it: a command name first, then each word written
/// back as text.
fn evaluate(items: Vec<Atom>) -> Reading {
    let mut items = items.into_iter();
    let Some(first) = items.next() else {
        return Reading::Nothing;
    };
    let command = match first {
        Atom::Name(name) => name,
        Atom::Call(_) => return unsupported(),
        other => {
            // actsim's Lisp prints the value on stdout, between its message's parts.
            return Reading::Refused(vec![
                Said::Err("eval: First argument of list is not a procedure.\n\t".into()),
                Said::Out(printed(&other)),
                Said::Err("\n".into()),
            ]);
        }
    };
    let mut words = vec![command];
    for item in items {
        let word = match item {
            Atom::Integer(value) => (value as i32).to_string(),
            Atom::Real(value) => format!("{value:.6}"),
            Atom::Text(text) => without_backslashes(&text),
            Atom::Boolean(value) => boolean(value).to_string(),
            Atom::Name(name) => name,
            Atom::Call(items) if !items.is_empty() => return unsupported(),
            Atom::Call(_) | Atom::List(_) => {
                return Reading::Refused(vec![Said::Err(format!(
                    "{}: Type #list in builtin command argument.\n",
                    words[0]
                ))])
            }
        };
        words.push(word);
    }
    Reading::Command(words)
}

fn boolean(value: bool) -> &'static str {
    if value {
        "#t"
    } else {
        "#f"
    }
}

/// A string's text as a command gets it: each backslash dropped, the character after it kept.
fn without_backslashes(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// A value as actsim's Lisp prints it (a control character in a string or name as `^C`).
fn printed(atom: &Atom) -> String {
    let visible = |text: &str| -> String {
        text.chars()
            .flat_map(|c| match c as u32 {
                n if n < 32 => vec!['^', char::from(n as u8 + 64)],
                _ => vec![c],
            })
            .collect()
    };
    match atom {
        Atom::Integer(value) => value.to_string(),
        Atom::Real(value) => format!("{value:.6}"),
        Atom::Text(text) => format!("\"{}\"", visible(text)),
        Atom::Boolean(value) => boolean(*value).to_string(),
        Atom::Name(name) if name.contains(' ') => format!("\"{}\"", visible(name)),
        Atom::Name(name) => visible(name),
        Atom::List(items) | Atom::Call(items) => {
            let items: Vec<String> = items.iter().map(printed).collect();
            format!("({})", items.join(" "))
        }
    }
}

/// A parenthesised word, which actsim's Lisp evaluates (a command run for its value), and
/// chpsim does not.
fn unsupported() -> Reading {
    Reading::Refused(vec![Said::Err(
        "a parenthesised word is a Lisp expression, which chpsim does not evaluate; nothing run\n"
            .into(),
    )])
}

#[cfg(test)]
mod tests {
    use super::{read, Reading, Said};

    fn words(line: &str) -> Vec<String> {
        match read(line) {
            Reading::Command(words) => words,
            other => panic!("{line:?}: {other:?}"),
        }
    }

    fn refused(line: &str) -> String {
        match read(line) {
            Reading::Refused(said) => said
                .iter()
                .map(|s| match s {
                    Said::Err(t) | Said::Out(t) => t.as_str(),
                })
                .collect(),
            other => panic!("{line:?}: {other:?}"),
        }
    }

    #[test]
    fn numbers_are_written_back_as_c_prints_them() {
        assert_eq!(
            words("echo 007 -5 +5 1.5 .5 0x10 0b101 0x"),
            ["echo", "7", "-5", "5", "1.500000", "0.500000", "16", "5", "0"]
        );
        // C's `%d` of a `long`: its low 32 bits.
        assert_eq!(
            words("set x 4294967297 2147483648 0xffffffff"),
            ["set", "x", "1", "-2147483648", "-1"]
        );
        assert_eq!(words("set x 99999999999999999999999"), ["set", "x", "-1"]);
    }

    #[test]
    fn a_word_can_be_two_atoms() {
        assert_eq!(words("advance 10ns"), ["advance", "10", "ns"]);
        assert_eq!(words("set x 0b102"), ["set", "x", "2", "2"]);
        assert_eq!(words("set x 10_0"), ["set", "x", "10", "_0"]);
        assert_eq!(words("echo \"a\"b"), ["echo", "a", "b"]);
        assert_eq!(words("echo 1.2.3"), ["echo", "1.200000", "0.300000"]);
    }

    #[test]
    fn words_the_reader_cannot_take_stop_the_line() {
        assert_eq!(refused("step 3x"), "Unparsable input character: 3\n");
        assert_eq!(refused("set x 0X7"), "Unparsable input character: 0\n");
        assert_eq!(refused("set x 1_000"), "Unparsable input character: 1\n");
        assert_eq!(refused("filter [ab]"), "Unparsable input character: [\n");
        assert_eq!(refused("echo \"abc"), "Unterminated string\n");
        assert_eq!(refused("echo (a"), "Input malformed: missing )\n");
    }

    #[test]
    fn names_strings_and_booleans() {
        assert_eq!(words("get b[2].mem[3] #f"), ["get", "b[2].mem[3]", "#f"]);
        assert_eq!(words("echo -n a(b) - x"), ["echo", "-n", "a(b)", "-", "x"]);
        assert_eq!(words("echo \"a   b\" \"q\\\"x\""), ["echo", "a b", "q\"x"]);
        assert_eq!(words("echo a\\b"), ["echo", "b"]);
        assert_eq!(words("echo a ) b"), ["echo", "a"]);
        assert_eq!(words("echo 'x"), ["echo", "x"]);
        // A carriage return takes the place of the character before it.
        assert_eq!(words("cycle\r\n"), ["cycl\r"]);
    }

    #[test]
    fn comments_exit_and_lists() {
        assert_eq!(read("  # note"), Reading::Nothing);
        assert_eq!(read(" \t "), Reading::Nothing);
        assert_eq!(read("exit # bye"), Reading::Exit { trailing: false });
        assert_eq!(read("quit now"), Reading::Exit { trailing: true });
        assert_eq!(
            refused("echo ()"),
            "echo: Type #list in builtin command argument.\n"
        );
        assert_eq!(
            refused("5 x"),
            "eval: First argument of list is not a procedure.\n\t5\n"
        );
    }
}
