//! The lexer: source text to a vector of [`Token`]s with byte spans.
//!
//! Tokens of the ACT subset:
//! - identifiers `[A-Za-z_][A-Za-z0-9_]*`, keywords (see [`Tok`]);
//! - integers: decimal `42`, hex `0x2A`, binary `0b101010`, each allowing `_` separators
//!   (`1_000`, `0xFF_FF`); values of any width (they become [`BigUint`]s); real numbers
//!   `2.5`, `1.0e-3` (kept as written: only production rules' sizes use them);
//! - strings `"..."` with escapes `\n \t \r \\ \" \0`;
//! - operators and punctuation, longest match first: `:= -> <- [] [| |] *[ .. << >> <= >= !=`
//!   then `; , : . ! ? # @ + - * / % & | ^ ~ = < > ( ) [ ] { }` (`@` starts chpsim's
//!   `@[after=E]` statement delay);
//! - comments `// ...` and `/* ... */` (not nested); whitespace is skipped.
//!
//! `<` and `>` are both comparisons and template brackets; the parser decides from context.
//! `<-` is always one token (the do-loop arrow), so write `x < -1` with a space.
//!
//! Lexical errors (a character that starts no token, an unterminated string or block comment,
//! an integer literal without digits, a bad escape) become [`Diagnostic`]s and lexing goes on
//! after them, so that one run reports them all.

use logos::Logos;
use num_bigint::BigUint;

use crate::diag::Diagnostic;
use crate::front::ast::Span;

/// A token with its byte range in the source.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub kind: Tok,
    pub span: Span,
    /// A line break separates this token from the previous one (used to place "expected `;`"
    /// errors at the end of the line where the `;` is missing).
    pub newline_before: bool,
}

/// What went wrong inside a token; turned into a [`Diagnostic`] by [`lex_at`].
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum LexError {
    /// A character that starts no token.
    #[default]
    BadChar,
    UnterminatedString,
    UnterminatedComment,
    BadEscape(char),
    NoDigits,
}

/// Token kinds. Keywords are listed first, then literals, then punctuation.
#[derive(Logos, Debug, Clone, PartialEq)]
#[logos(error = LexError)]
// A UTF-8 byte-order mark (an editor's, at the start of a file) is whitespace.
#[logos(skip r"[ \t\r\n\f\u{FEFF}]+")]
pub(crate) enum Tok {
    // --- keywords of the subset ---
    #[token("defproc")]
    Defproc,
    #[token("template")]
    Template,
    #[token("pint")]
    Pint,
    #[token("pbool")]
    Pbool,
    #[token("preal")]
    Preal,
    #[token("bool")]
    Bool,
    #[token("int")]
    Int,
    /// ACT's `ints`, a signed integer: actsim stores and computes it as an `int` of its width,
    /// so chpsim does; only connections tell the two apart (ACT's `Int::isEqual`).
    #[token("ints")]
    Ints,
    #[token("chan")]
    Chan,
    #[token("chp")]
    Chp,
    #[token("skip")]
    Skip,
    #[token("else")]
    Else,
    #[token("true")]
    True,
    #[token("false")]
    False,

    /// A keyword of full ACT that this subset does not implement yet (`prs`, `deftype`, ...).
    /// The parser reports it by name and skips the construct.
    #[token("prs", |l| l.slice().to_string())]
    #[token("hse", |l| l.slice().to_string())]
    #[token("spec", |l| l.slice().to_string())]
    #[token("dataflow", |l| l.slice().to_string())]
    #[token("sizing", |l| l.slice().to_string())]
    #[token("refine", |l| l.slice().to_string())]
    #[token("Initialize", |l| l.slice().to_string())]
    #[token("namespace", |l| l.slice().to_string())]
    #[token("import", |l| l.slice().to_string())]
    #[token("export", |l| l.slice().to_string())]
    #[token("open", |l| l.slice().to_string())]
    #[token("deftype", |l| l.slice().to_string())]
    #[token("defchan", |l| l.slice().to_string())]
    #[token("defdata", |l| l.slice().to_string())]
    #[token("defenum", |l| l.slice().to_string())]
    #[token("defcell", |l| l.slice().to_string())]
    #[token("defproc_ext", |l| l.slice().to_string())]
    #[token("function", |l| l.slice().to_string())]
    #[token("interface", |l| l.slice().to_string())]
    #[token("methods", |l| l.slice().to_string())]
    #[token("macro", |l| l.slice().to_string())]
    #[token("ptype", |l| l.slice().to_string())]
    #[token("pstruct", |l| l.slice().to_string())]
    #[token("extern", |l| l.slice().to_string())]
    Unsupported(String),

    // --- literals ---
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*", |l| l.slice().to_string())]
    Ident(String),
    #[regex(r"[0-9][0-9_]*", |l| parse_int(l.slice(), 10))]
    #[regex(r"0[xX][0-9A-Za-z_]*", |l| parse_int(&l.slice()[2..], 16))]
    #[regex(r"0[bB][0-9A-Za-z_]*", |l| parse_int(&l.slice()[2..], 2))]
    IntLit(BigUint),
    /// A real number `2.5`, `1.0e-3` (transistor sizes in production rules), as written.
    #[regex(r"[0-9][0-9_]*\.[0-9][0-9_]*([eE][-+]?[0-9]+)?", |l| l.slice().to_string())]
    Real(String),
    #[token("\"", lex_string)]
    Str(String),
    /// `/* ... */`, kept as a token only so that an unterminated one is reported; the lexer
    /// drops it from the output.
    #[token("/*", lex_block_comment)]
    BlockComment,
    /// `// ...` up to the line's end, dropped from the output like a block comment. Not a
    /// `skip` pattern: logos's generated code calls itself once per skipped match, so 65 000
    /// comment lines in a row overflowed the stack of an unoptimised build.
    #[regex(r"//[^\n]*", allow_greedy = true)]
    LineComment,

    // --- multi-character punctuation (longest match wins) ---
    #[token(":=")]
    Assign,
    #[token("->")]
    Arrow,
    #[token("<-")]
    LArrow,
    #[token("[]")]
    Box,
    #[token("[|")]
    LBracketBar,
    #[token("|]")]
    BarRBracket,
    /// `||`: parallel composition that binds looser than `;`.
    #[token("||")]
    BarBar,
    #[token("*[")]
    StarLBracket,
    /// `${`: ACT's debug output at elaboration, `${ "text", e };`.
    #[token("${")]
    DollarLBrace,
    #[token("..")]
    DotDot,
    #[token("<<")]
    Shl,
    #[token(">>")]
    Shr,
    #[token(">>>")]
    Asr,
    #[token("<=")]
    Le,
    #[token(">=")]
    Ge,
    #[token("!=")]
    Ne,

    // --- single-character punctuation ---
    #[token(";")]
    Semi,
    #[token(",")]
    Comma,
    #[token(":")]
    Colon,
    #[token(".")]
    Dot,
    #[token("!")]
    Bang,
    #[token("?")]
    Question,
    #[token("#")]
    Hash,
    #[token("@")]
    At,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("&")]
    Amp,
    #[token("|")]
    Bar,
    #[token("^")]
    Caret,
    #[token("~")]
    Tilde,
    #[token("=")]
    Eq,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,

    /// End of input; always the last token of [`lex_at`]'s output.
    Eof,
}

impl Tok {
    /// How the token is shown in "expected X, found Y" messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Ident(name) => format!("identifier `{name}`"),
            Tok::IntLit(value) => format!("integer `{value}`"),
            Tok::Real(text) => format!("real number `{text}`"),
            Tok::Str(_) => "string literal".to_string(),
            Tok::Unsupported(word) => format!("`{word}`"),
            Tok::Eof => "end of file".to_string(),
            other => format!("`{}`", other.text()),
        }
    }

    /// The fixed spelling of keywords and punctuation ("" for tokens with a payload).
    pub(crate) fn text(&self) -> &'static str {
        match self {
            Tok::Defproc => "defproc",
            Tok::Template => "template",
            Tok::Pint => "pint",
            Tok::Pbool => "pbool",
            Tok::Preal => "preal",
            Tok::Bool => "bool",
            Tok::Int => "int",
            Tok::Ints => "ints",
            Tok::Chan => "chan",
            Tok::Chp => "chp",
            Tok::Skip => "skip",
            Tok::Else => "else",
            Tok::True => "true",
            Tok::False => "false",
            Tok::Assign => ":=",
            Tok::Arrow => "->",
            Tok::LArrow => "<-",
            Tok::Box => "[]",
            Tok::DollarLBrace => "${",
            Tok::LBracketBar => "[|",
            Tok::BarRBracket => "|]",
            Tok::BarBar => "||",
            Tok::StarLBracket => "*[",
            Tok::DotDot => "..",
            Tok::Shl => "<<",
            Tok::Shr => ">>",
            Tok::Asr => ">>>",
            Tok::Le => "<=",
            Tok::Ge => ">=",
            Tok::Ne => "!=",
            Tok::Semi => ";",
            Tok::Comma => ",",
            Tok::Colon => ":",
            Tok::Dot => ".",
            Tok::Bang => "!",
            Tok::Question => "?",
            Tok::Hash => "#",
            Tok::At => "@",
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::Slash => "/",
            Tok::Percent => "%",
            Tok::Amp => "&",
            Tok::Bar => "|",
            Tok::Caret => "^",
            Tok::Tilde => "~",
            Tok::Eq => "=",
            Tok::Lt => "<",
            Tok::Gt => ">",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            Tok::LBrace => "{",
            Tok::RBrace => "}",
            Tok::Ident(_)
            | Tok::IntLit(_)
            | Tok::Real(_)
            | Tok::Str(_)
            | Tok::Unsupported(_)
            | Tok::BlockComment
            | Tok::LineComment
            | Tok::Eof => "",
        }
    }
}

/// Splits `source`, a file whose first byte is the design offset `base` (see
/// [`crate::source_map`]), into tokens (ending with [`Tok::Eof`]) and the lexical errors found:
/// every span, of the tokens and of the errors, is a design offset.
pub(crate) fn lex_at(source: &str, base: usize) -> (Vec<Token>, Vec<Diagnostic>) {
    let (mut tokens, mut diags) = lex_local(source);
    if base != 0 {
        let shift = |span: &mut Span| *span = span.start + base..span.end + base;
        tokens.iter_mut().for_each(|t| shift(&mut t.span));
        diags.iter_mut().for_each(|d| shift(&mut d.span));
    }
    (tokens, diags)
}

/// [`lex_at`] with the file's own offsets (the first byte at 0).
fn lex_local(source: &str) -> (Vec<Token>, Vec<Diagnostic>) {
    let mut tokens = Vec::new();
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut lexer = Tok::lexer(source);
    let mut prev_end = 0;
    while let Some(result) = lexer.next() {
        let span = lexer.span();
        match result {
            Ok(Tok::BlockComment | Tok::LineComment) => {}
            Ok(kind) => {
                let newline_before = source
                    .get(prev_end..span.start)
                    .is_some_and(|gap| gap.contains('\n'));
                prev_end = span.end;
                tokens.push(Token {
                    kind,
                    span,
                    newline_before,
                })
            }
            Err(error) => {
                // A run of junk bytes gives one error, not one per byte (and costs no message
                // per byte: a file of 60 MB of NUL bytes took minutes).
                let merged = diags.last_mut().is_some_and(|last| {
                    let mergeable = matches!(error, LexError::BadChar)
                        && last.message.starts_with("unexpected character")
                        && last.span.end == span.start;
                    if mergeable {
                        last.span.end = span.end;
                        if last.message != "unexpected characters" {
                            last.message = "unexpected characters".to_string();
                            last.label = Some("these characters start no token".into());
                        }
                    }
                    mergeable
                });
                if !merged {
                    diags.push(lex_diagnostic(source, span, error));
                }
            }
        }
    }
    let newline_before = source.get(prev_end..).is_some_and(|gap| gap.contains('\n'));
    tokens.push(Token {
        kind: Tok::Eof,
        span: source.len()..source.len(),
        newline_before,
    });
    (join_qualified_names(tokens), diags)
}

/// After the first `:` `colon` of a `::`: the second `:` right after it, then the name right
/// after that (each `None` where not written so, and not taken from `rest`).
fn scoped_name_after(
    colon: &Token,
    rest: &mut std::iter::Peekable<std::vec::IntoIter<Token>>,
) -> (Option<Token>, Option<Token>) {
    let second = rest.next_if(|t| t.kind == Tok::Colon && t.span.start == colon.span.end);
    let name = second.as_ref().and_then(|second| {
        rest.next_if(|t| matches!(t.kind, Tok::Ident(_)) && t.span.start == second.span.end)
    });
    (second, name)
}

/// `ns::name`, written without spaces, is one name: the item `name` of namespace `ns`.
fn join_qualified_names(tokens: Vec<Token>) -> Vec<Token> {
    let mut joined: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut rest = tokens.into_iter().peekable();
    while let Some(token) = rest.next() {
        let qualifies = |last: &Token, colon: &Token| {
            matches!(last.kind, Tok::Ident(_))
                && colon.kind == Tok::Colon
                && colon.span.start == last.span.end
        };
        match joined.last_mut() {
            Some(last) if qualifies(last, &token) => match scoped_name_after(&token, &mut rest) {
                (Some(_), Some(name)) => {
                    let (Tok::Ident(ns), Tok::Ident(item)) = (&mut last.kind, name.kind) else {
                        unreachable!("checked above")
                    };
                    *ns = format!("{ns}::{item}");
                    last.span.end = name.span.end;
                }
                (second, _) => {
                    joined.push(token);
                    joined.extend(second);
                }
            },
            _ if token.kind == Tok::Colon => {
                // `::ns::name`: a name looked up from the global namespace.
                match scoped_name_after(&token, &mut rest) {
                    (Some(_), Some(mut name)) => {
                        if let Tok::Ident(item) = &mut name.kind {
                            *item = format!("::{item}");
                        }
                        name.span.start = token.span.start;
                        joined.push(name);
                    }
                    (second, _) => {
                        joined.push(token);
                        joined.extend(second);
                    }
                }
            }
            _ => joined.push(token),
        }
    }
    joined
}

fn lex_diagnostic(source: &str, span: Span, error: LexError) -> Diagnostic {
    match error {
        LexError::BadChar => {
            let shown = source
                .get(span.clone())
                .and_then(|s| s.chars().next())
                .map_or_else(|| "?".to_string(), |c| format!("{c:?}"));
            Diagnostic::error(span, format!("unexpected character {shown}"))
                .with_label("this character starts no token")
        }
        LexError::UnterminatedString => {
            Diagnostic::error(span.start..span.start + 1, "unterminated string literal")
                .with_label("this string is never closed")
                .with_hint("add the closing `\"` (strings cannot span lines)")
        }
        LexError::UnterminatedComment => {
            Diagnostic::error(span.start..span.start + 2, "unterminated block comment")
                .with_label("this comment is never closed")
                .with_hint("add the closing `*/`")
        }
        LexError::BadEscape(c) => {
            Diagnostic::error(span, format!("unknown escape `\\{c}` in string"))
                .with_hint("the escapes are \\n \\t \\r \\\\ \\\" and \\0")
        }
        LexError::NoDigits => Diagnostic::error(span, "malformed integer literal")
            .with_label("no valid digits")
            .with_hint("write decimal `42`, hex `0x2a` or binary `0b101010`"),
    }
}

/// Parses the digits of an integer literal (prefix already removed), allowing `_`.
fn parse_int(digits: &str, radix: u32) -> Result<BigUint, LexError> {
    let cleaned: Vec<u8> = digits.bytes().filter(|&b| b != b'_').collect();
    if cleaned.is_empty() {
        return Err(LexError::NoDigits);
    }
    BigUint::parse_bytes(&cleaned, radix).ok_or(LexError::NoDigits)
}

/// Called after the opening `"`: consumes the rest of the string on the same line.
fn lex_string(lex: &mut logos::Lexer<Tok>) -> Result<String, LexError> {
    let rest = lex.remainder();
    let mut value = String::new();
    let mut chars = rest.char_indices();
    let mut bad_escape = None;
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                lex.bump(i + 1);
                return match bad_escape {
                    Some(e) => Err(LexError::BadEscape(e)),
                    None => Ok(value),
                };
            }
            '\n' => break,
            '\\' => match chars.next() {
                Some((_, 'n')) => value.push('\n'),
                Some((_, 't')) => value.push('\t'),
                Some((_, 'r')) => value.push('\r'),
                Some((_, '0')) => value.push('\0'),
                Some((_, '\\')) => value.push('\\'),
                Some((_, '"')) => value.push('"'),
                Some((_, '\n')) | None => break,
                Some((_, other)) => {
                    bad_escape.get_or_insert(other);
                }
            },
            other => value.push(other),
        }
    }
    // Unterminated: swallow the rest of the line so the junk is not lexed again.
    let line_len = rest.find('\n').unwrap_or(rest.len());
    lex.bump(line_len);
    Err(LexError::UnterminatedString)
}

/// Called after `/*`: skips to the matching `*/` (comments do not nest, as in C and ACT).
fn lex_block_comment(lex: &mut logos::Lexer<Tok>) -> Result<(), LexError> {
    let rest = lex.remainder();
    match rest.find("*/") {
        Some(end) => {
            lex.bump(end + 2);
            Ok(())
        }
        None => {
            lex.bump(rest.len());
            Err(LexError::UnterminatedComment)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file's tokens and lexical errors, at offset 0.
    fn lex(source: &str) -> (Vec<Token>, Vec<Diagnostic>) {
        lex_at(source, 0)
    }

    fn kinds(src: &str) -> Vec<Tok> {
        let (tokens, diags) = lex(src);
        assert!(diags.is_empty(), "{diags:?}");
        tokens.into_iter().map(|t| t.kind).collect()
    }

    /// The tokens of `src` as one line: a name as itself, an integer as `#value`, a keyword
    /// or punctuation as it is spelled, the end as `EOF`.
    fn spelled(src: &str) -> String {
        let words: Vec<String> = (kinds(src).into_iter())
            .map(|t| match t {
                Tok::Ident(name) => name,
                Tok::IntLit(value) => format!("#{value}"),
                Tok::Eof => "EOF".to_string(),
                other => other.text().to_string(),
            })
            .collect();
        words.join(" ")
    }

    #[test]
    fn many_comment_lines_in_a_row_take_no_stack() {
        let source = "// a comment\n".repeat(65_000) + "x";
        // A small stack: lexing must not grow with the number of comments.
        let kinds = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || kinds(&source))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(kinds, [Tok::Ident("x".into()), Tok::Eof]);
    }

    #[test]
    fn punctuation_longest_match() {
        assert_eq!(
            spelled("x:=a<-b [] [| |] *[ 0..3 ||"),
            "x := a <- b [] [| |] *[ #0 .. #3 || EOF"
        );
    }

    #[test]
    fn integers() {
        assert_eq!(
            kinds("1_000 0xff_ff 0b1010"),
            vec![
                Tok::IntLit(1000u32.into()),
                Tok::IntLit(0xffffu32.into()),
                Tok::IntLit(10u32.into()),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn keywords_and_comments() {
        assert_eq!(
            kinds("defproc /* c */ foo // x\n prs"),
            vec![
                Tok::Defproc,
                Tok::Ident("foo".into()),
                Tok::Unsupported("prs".into()),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn a_name_from_the_global_namespace_keeps_its_leading_colons() {
        assert_eq!(
            spelled("x = ::a::b.C ? 1 : 2"),
            "x = ::a::b . C ? #1 : #2 EOF"
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        assert_eq!(
            kinds("\u{FEFF}defproc foo"),
            vec![Tok::Defproc, Tok::Ident("foo".into()), Tok::Eof]
        );
    }

    #[test]
    fn string_escapes() {
        assert_eq!(
            kinds(r#""a\"b\n""#),
            vec![Tok::Str("a\"b\n".into()), Tok::Eof]
        );
    }

    #[test]
    fn errors_are_reported() {
        let (_, diags) = lex("x $$ \"abc\n 0x /* never");
        let messages: Vec<_> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "unexpected characters",
                "unterminated string literal",
                "malformed integer literal",
                "unterminated block comment"
            ]
        );
    }
}
