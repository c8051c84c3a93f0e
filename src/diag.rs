//! Diagnostics shared by every layer (front end, elaboration, simulation).
//!
//! A [`Diagnostic`] points at a byte range of the design's source text and says what is wrong
//! there; [`render`] turns a batch of them into deterministic, colourless text with
//! `file:line:column`, a source snippet, the label and a `help:` line, so that the same input
//! always gives the same bytes (snapshot tests and CI logs rely on it). [`line_col`] gives the
//! 1-based position for one-line messages such as `pipeline.act:14:5`.
//!
//! Rendering never panics, whatever the spans: a span past the end of the source, reversed, or
//! cutting a multi-byte character is clamped to the nearest valid range first.

use std::fmt::Write as _;
use std::ops::Range;

use ariadne::{CharSet, Config, IndexType, Label, Report, ReportKind, Source};

/// One error found in the user's input, located by byte offsets into the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The primary location: byte offsets into the source text.
    pub span: Range<usize>,
    /// The headline, e.g. "expected `;`, found `}`".
    pub message: String,
    /// Text attached to the primary span in the snippet, e.g. "expected `;` here".
    pub label: Option<String>,
    /// A suggestion, rendered as `help: ...`.
    pub hint: Option<String>,
    /// Secondary locations with their own labels, e.g. "first declared here".
    pub notes: Vec<(Range<usize>, String)>,
}

impl Diagnostic {
    /// A diagnostic with only a headline and a primary span.
    pub fn error(span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            span,
            message: message.into(),
            label: None,
            hint: None,
            notes: Vec::new(),
        }
    }

    /// Attaches a label to the primary span.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a `help: ...` line.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a secondary labelled location.
    pub fn with_note(mut self, span: Range<usize>, note: impl Into<String>) -> Self {
        self.notes.push((span, note.into()));
        self
    }

    /// `file:line:column: message`, for one-line reports (logs, `--quiet` modes).
    pub fn one_line(&self, file_name: &str, source: &str) -> String {
        let (line, col) = line_col(source, self.span.start);
        format!("{file_name}:{line}:{col}: {}", self.message)
    }
}

/// The 1-based (line, column) of a byte offset; the column counts characters, not bytes.
///
/// Offsets past the end are clamped to the end; an offset inside a multi-byte character is
/// moved back to the start of that character.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset);
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

/// Renders diagnostics one after another, without colour, in a stable format.
///
/// Each report starts with `Error: <message>`, then a `╭─[ file:line:col ]` header, the source
/// lines involved with the labels, and `Help: ...` when there is a hint.
pub fn render(diags: &[Diagnostic], file_name: &str, source: &str) -> String {
    let mut out = String::new();
    for diag in diags {
        out.push_str(&render_one(diag, file_name, source));
    }
    out
}

fn render_one(diag: &Diagnostic, file_name: &str, source: &str) -> String {
    let primary = clamp_span(source, &diag.span);
    let config = Config::default()
        .with_color(false)
        .with_char_set(CharSet::Unicode)
        .with_index_type(IndexType::Byte);
    let file = file_name.to_string();
    let mut report = Report::build(ReportKind::Error, (file.clone(), primary.clone()))
        .with_config(config)
        .with_message(&diag.message);
    // ariadne draws no underline for a label without text, so every span gets some.
    let label_text = diag.label.as_deref().unwrap_or("here");
    report = report.with_label(
        Label::new((file.clone(), primary))
            .with_message(label_text)
            .with_order(0),
    );
    for (i, (span, note)) in diag.notes.iter().enumerate() {
        let span = clamp_span(source, span);
        let order = i32::try_from(i + 1).unwrap_or(i32::MAX);
        report = report.with_label(
            Label::new((file.clone(), span))
                .with_message(note)
                .with_order(order),
        );
    }
    if let Some(hint) = &diag.hint {
        report = report.with_help(hint);
    }
    let mut buf = Vec::new();
    let written = report
        .finish()
        .write((file.clone(), Source::from(source)), &mut buf);
    match (written, String::from_utf8(buf)) {
        (Ok(()), Ok(text)) => text,
        // ariadne writes to memory, so this is unreachable in practice; still, never lose the
        // message: fall back to the one-line form.
        _ => fallback(diag, file_name, source),
    }
}

fn fallback(diag: &Diagnostic, file_name: &str, source: &str) -> String {
    let mut text = diag.one_line(file_name, source);
    text.push('\n');
    if let Some(hint) = &diag.hint {
        let _ = writeln!(text, "help: {hint}");
    }
    text
}

/// Makes a span safe to hand to ariadne: within the source, ordered, on char boundaries.
fn clamp_span(source: &str, span: &Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(source, span.start);
    let end = ceil_char_boundary(source, span.end.max(span.start));
    start..end.max(start)
}

fn floor_char_boundary(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn ceil_char_boundary(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let src = "ab\ncd\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 1), (1, 2));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, 100), (3, 1));
    }

    #[test]
    fn line_col_inside_multibyte_char() {
        let src = "é x";
        assert_eq!(line_col(src, 1), (1, 1));
        assert_eq!(line_col(src, 3), (1, 3));
    }

    #[test]
    #[allow(clippy::reversed_empty_ranges)] // a reversed span is one of the cases tested
    fn render_survives_bad_spans() {
        let src = "aé\nb";
        for span in [0..100, 2..2, 5..1, 100..200, 1..2] {
            let d = Diagnostic::error(span, "oops").with_hint("fix it");
            let text = render(&[d], "f.act", src);
            assert!(text.contains("oops"), "{text}");
        }
        let text = render(&[Diagnostic::error(0..0, "empty")], "f.act", "");
        assert!(text.contains("empty"));
    }
}
