//! Diagnostics shared by every layer (front end, elaboration, simulation).
//!
//! A [`Diagnostic`] points at a byte range of the design's source text and says what is wrong
//! there (a design of several files is one address space: see [`SourceMap`]); [`render`] and
//! [`render_in`] turn a batch of them into deterministic, colourless text with
//! `file:line:column`, a source snippet, the label and a `help:` line, so that the same input
//! always gives the same bytes (snapshot tests and CI logs rely on it). `line_col` gives the
//! 1-based position for one-line messages such as `pipeline.act:14:5`.
//!
//! Rendering never panics, whatever the spans: a span past the end of the source, reversed, or
//! cutting a multi-byte character is clamped to the nearest valid range first.
//!
//! Snippets stay readable whatever the file: lines longer than 120 bytes are cut to windows
//! around the labels (`…` marks the cuts), so a 10 MB one-line file does not print 10 MB per
//! error; the `file:line:column` in the header is always the primary span's place in the whole
//! file. Labels are drawn in file order, in one snippet per file. A diagnostic about the file as a whole
//! (`Diagnostic::whole_file`: no top, an unknown `--top`, an empty design) has no snippet.
//! `did_you_mean` suggests a close name for an unknown one.

use std::fmt::Write as _;
use std::ops::Range;

use ariadne::{CharSet, Config, IndexType, Label, Report, ReportKind};

pub use crate::source_map::{MappedFile, SourceMap};

/// One error found in the user's input, located by byte offsets into the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The primary location: byte offsets into the source text.
    pub span: Range<usize>,
    /// The headline, e.g. "expected `;`, found `}`".
    pub message: String,
    /// Text attached to the primary span in the snippet, e.g. "expected `;` here".
    /// (A boxed `str`: a diagnostic travels in many `Result`s, and stays small.)
    pub label: Option<Box<str>>,
    /// A suggestion, rendered as `help: ...`.
    pub hint: Option<String>,
    /// Secondary locations with their own labels, e.g. "first declared here".
    pub notes: Vec<(Range<usize>, String)>,
    /// A consequence of an error reported elsewhere (a use of a parameter whose definition
    /// failed): it makes its construct fail, but is not shown (one error per cause).
    pub(crate) echo: bool,
    /// A warning does not stop the design from running (rendered `Warning:`, not `Error:`).
    pub warning: bool,
    /// Where ACT stops at this error with its fatal error, what it says: `chpsim actsim`
    /// prints that (`FATAL: ...`) and exits as ACT does (boxed, as it is rare).
    pub act_fatal: Option<Box<ActFatal>>,
}

/// An error ACT (or actsim) stops at with its `fatal_error`, as it words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActFatal {
    /// The file has no process of the name the top is given by (or the name is none ACT's
    /// lookup reads): actsim's ``Could not find process `P' in file `F'``, which names the
    /// file as given on its command line.
    UnknownTop,
    /// ACT's message, whole (`Invalid format [sim.conf:3]`).
    Message(String),
}

/// The span of a diagnostic about the file as a whole (no top, an unknown `--top`): it is
/// rendered without a source snippet.
pub(crate) const WHOLE_FILE: Range<usize> = usize::MAX..usize::MAX;

impl Diagnostic {
    /// A diagnostic about the whole file rather than a place in it; see [`WHOLE_FILE`].
    pub(crate) fn whole_file(message: impl Into<String>) -> Self {
        Self::error(WHOLE_FILE, message)
    }

    /// Whether this diagnostic is about the whole file (rendered without a snippet).
    pub fn is_whole_file(&self) -> bool {
        self.span == WHOLE_FILE
    }

    /// A diagnostic with only a headline and a primary span.
    pub(crate) fn error(span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            span,
            message: message.into(),
            label: None,
            hint: None,
            notes: Vec::new(),
            echo: false,
            warning: false,
            act_fatal: None,
        }
    }

    /// The failure of a construct that uses something whose own error is already reported.
    pub(crate) fn echo(span: Range<usize>) -> Self {
        Diagnostic {
            echo: true,
            ..Self::error(span, "(a consequence of an error reported elsewhere)")
        }
    }

    /// The file defines no process that `--top` names (see [`ActFatal::UnknownTop`]).
    pub(crate) fn unknown_top(message: impl Into<String>) -> Self {
        Self::whole_file(message).with_act_fatal(ActFatal::UnknownTop)
    }

    /// Says how ACT words this error, where it stops at it.
    pub(crate) fn with_act_fatal(mut self, fatal: ActFatal) -> Self {
        self.act_fatal = Some(Box::new(fatal));
        self
    }

    /// A warning: the input is accepted, but probably not what its author meant.
    pub(crate) fn warning(span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            warning: true,
            ..Self::error(span, message)
        }
    }

    /// Attaches a label to the primary span.
    pub(crate) fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into().into_boxed_str());
        self
    }

    /// Adds a `help: ...` line.
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a secondary labelled location.
    pub(crate) fn with_note(mut self, span: Range<usize>, note: impl Into<String>) -> Self {
        self.notes.push((span, note.into()));
        self
    }
}

/// The 1-based (line, column) of a byte offset; the column counts characters, not bytes.
///
/// Offsets past the end are clamped to the end; an offset inside a multi-byte character is
/// moved back to the start of that character.
pub(crate) fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset);
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

/// The candidate closest to `name` by edit distance ignoring case (`B` is one step from `b`,
/// and a wrong case is the likeliest typo), if it is close enough to be a likely typo (at most
/// a third of the name's length, at least 1). Ties go to the closer one with case, then to the
/// first in sorted order, so the suggestion is deterministic.
pub(crate) fn closest_name<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .filter(|&candidate| candidate != name)
        .map(|candidate| {
            let ignoring_case = edit_distance(&lower, &candidate.to_lowercase());
            (
                (ignoring_case, edit_distance(name, candidate), candidate),
                candidate,
            )
        })
        .filter(|((ignoring_case, _, _), _)| *ignoring_case <= limit)
        .min_by(|(a, _), (b, _)| a.cmp(b))
        .map(|(_, candidate)| candidate)
}

/// `did you mean `x`?` for [`closest_name`], as a hint.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest_name(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// Renders diagnostics one after another, without colour, in a stable format.
///
/// Each report starts with `Error: <message>` (`Warning: <message>` for a warning), then a
/// `╭─[ file:line:col ]` header, the source
/// lines involved with the labels, and `Help: ...` when there is a hint.
pub fn render(diags: &[Diagnostic], file_name: &str, source: &str) -> String {
    render_in(diags, &SourceMap::single(file_name, source))
}

/// [`render`] for a design of several files: each span is shown in the file it falls in
/// (see [`SourceMap`]), a label in another file than the primary one under that file's own
/// `├─[ file:line:col ]` header.
pub fn render_in(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for diag in diags {
        out.push_str(&render_one(diag, sources));
    }
    out
}

/// The labels of one diagnostic that fall in one file, as ariadne is given them.
struct FileLabels<'a> {
    file: &'a MappedFile,
    excerpt: Excerpt,
    /// Where its header points: the primary span in the primary's file, else the first label.
    header_at: usize,
}

fn render_one(diag: &Diagnostic, sources: &SourceMap) -> String {
    let primary_file = match sources.file_of(diag.span.start) {
        Some(file) if !diag.is_whole_file() => file,
        _ => return render_whole_file(diag, sources.entry_name()),
    };
    let label_text = diag.label.as_deref().unwrap_or("here");
    // Every label in its file, in the file's own offsets; the primary one first.
    let labels: Vec<(&MappedFile, Range<usize>, &str)> = std::iter::once((&diag.span, label_text))
        .chain(diag.notes.iter().map(|(span, note)| (span, note.as_str())))
        .map(|(span, text)| {
            let file = sources.file_of(span.start).unwrap_or(primary_file);
            let local = file.local(span.start)..file.local(span.end);
            (file, clamp_span(&file.text, &local), text)
        })
        .collect();
    // ariadne is given only the lines the labels are on, with over-long lines cut down around
    // the labels: a 10 MB one-line file must not print 10 MB per error.
    let mut groups: Vec<FileLabels> = Vec::new();
    for (file, _, _) in &labels {
        if groups.iter().any(|g| std::ptr::eq(g.file, *file)) {
            continue;
        }
        let spans: Vec<Range<usize>> = labels
            .iter()
            .filter(|(f, _, _)| std::ptr::eq(*f, *file))
            .map(|(_, s, _)| s.clone())
            .collect();
        let header_at = if std::ptr::eq(*file, primary_file) {
            labels[0].1.start
        } else {
            spans.iter().map(|s| s.start).min().unwrap_or_default()
        };
        groups.push(FileLabels {
            file,
            excerpt: Excerpt::new(file, &spans),
            header_at,
        });
    }
    let group_of = |file: &MappedFile| {
        groups
            .iter()
            .find(|g| std::ptr::eq(g.file, file))
            .expect("every label's file has a group")
    };
    let config = Config::default()
        .with_color(false)
        .with_char_set(CharSet::Unicode)
        .with_index_type(IndexType::Byte);
    let kind = if diag.warning {
        ReportKind::Warning
    } else {
        ReportKind::Error
    };
    let primary = group_of(primary_file).excerpt.map_span(&labels[0].1);
    let mut report = Report::build(kind, (primary_file.name.clone(), primary))
        .with_config(config)
        .with_message(&diag.message);
    // Labels are ordered by file, then position: ariadne starts a new snippet (headed by the primary
    // location, which would then name the wrong line) whenever a label comes before the
    // previous one in the file. (ariadne draws no underline for a label without text, so
    // every span has some.)
    let mut ordered: Vec<(&MappedFile, Range<usize>, &str)> = labels
        .iter()
        .map(|(file, span, text)| (*file, group_of(file).excerpt.map_span(span), *text))
        .collect();
    // The primary's file comes first, under the report's first header.
    ordered.sort_by_key(|(file, span, _)| {
        let other_file = !std::ptr::eq(*file, primary_file);
        (other_file, file.base, span.start)
    });
    for (i, (file, span, text)) in ordered.into_iter().enumerate() {
        let order = i32::try_from(i).unwrap_or(i32::MAX);
        report = report.with_label(
            Label::new((file.name.clone(), span))
                .with_message(text)
                .with_order(order),
        );
    }
    if let Some(hint) = &diag.hint {
        report = report.with_help(hint);
    }
    let mut buf = Vec::new();
    let cache = ariadne::sources(
        groups
            .iter()
            .map(|g| (g.file.name.clone(), g.excerpt.text.clone())),
    );
    let written = report.finish().write(cache, &mut buf);
    match (written, String::from_utf8(buf)) {
        // The excerpts' columns are not the files': name each location from its file.
        (Ok(()), Ok(text)) => {
            let text = renumber_margin(&text, &groups);
            groups
                .iter()
                .fold(text, |text, g| fix_locations(&text, g.file, g.header_at))
        }
        // ariadne writes to memory, so this is unreachable in practice; still, never lose the
        // message: fall back to the one-line form.
        _ => fallback(diag, sources),
    }
}

/// Replaces the `file:line:col` in every `─[ file:... ]` header of a rendered report by the
/// location of `offset` in the whole file.
fn fix_locations(text: &str, file: &MappedFile, offset: usize) -> String {
    let file_name = &file.name;
    let (line, col) = file.line_col(offset);
    let marker = format!("─[ {file_name}:");
    let mut out = String::with_capacity(text.len());
    for l in text.split_inclusive('\n') {
        match l.find(&marker) {
            Some(at) if l.trim_end().ends_with(" ]") => {
                out.push_str(&l[..at]);
                let _ = writeln!(out, "─[ {file_name}:{line}:{col} ]");
            }
            _ => out.push_str(l),
        }
    }
    out
}

/// Lines longer than this (in bytes) are cut around the labels on them.
const MAX_SHOWN_LINE: usize = 120;
/// Bytes kept on each side of a label boundary on a cut line.
const CONTEXT: usize = 40;
/// Marks what was cut out of a line.
const CUT: &str = "…";

/// The lines of a source that some spans are on, long lines shortened, with the map from the
/// source's byte offsets to the excerpt's, and how many of the file's lines before it it
/// leaves out (`line_offset`, added back by [`renumber_margin`]). ariadne sizes the margin by
/// the excerpt's own line numbers, so the excerpt starts with just enough empty lines that its
/// numbers have as many digits as the file's: a warning per instance in a 5 MB file must not
/// copy (or count) the file's lines each time.
struct Excerpt {
    text: String,
    line_offset: usize,
    /// Kept pieces: (start in the source, end in the source, start in the excerpt), in order.
    pieces: Vec<(usize, usize, usize)>,
}

impl Excerpt {
    fn new(file: &MappedFile, spans: &[Range<usize>]) -> Self {
        let source = &*file.text;
        let lo = spans.iter().map(|s| s.start).min().unwrap_or(0);
        let hi = spans.iter().map(|s| s.end).max().unwrap_or(0);
        let (first_line, first_start) = file.line_of(lo);
        let (last_line, _) = file.line_of(hi);
        let last_end = source[hi..].find('\n').map_or(source.len(), |i| hi + i);
        let padding = margin_padding(first_line, last_line);
        let mut excerpt = Excerpt {
            text: "\n".repeat(padding),
            line_offset: first_line - padding,
            pieces: Vec::new(),
        };
        let mut line_start = first_start;
        loop {
            let line_end = source[line_start..]
                .find('\n')
                .map_or(source.len(), |i| line_start + i);
            excerpt.push_line(
                source,
                line_start..line_end.min(last_end.max(line_start)),
                spans,
            );
            if line_end >= last_end {
                break;
            }
            excerpt.text.push('\n');
            line_start = line_end + 1;
        }
        excerpt
    }

    fn push_line(&mut self, source: &str, line: Range<usize>, spans: &[Range<usize>]) {
        if line.len() <= MAX_SHOWN_LINE {
            self.keep(source, line);
            return;
        }
        // Windows around every label boundary on this line.
        let mut windows: Vec<Range<usize>> = Vec::new();
        for span in spans {
            if span.end < line.start || span.start > line.end {
                continue;
            }
            let (s, e) = (span.start.max(line.start), span.end.min(line.end));
            if e - s <= 2 * CONTEXT {
                windows.push(s.saturating_sub(CONTEXT)..e + CONTEXT);
            } else {
                windows.push(s.saturating_sub(CONTEXT)..s + CONTEXT);
                windows.push(e.saturating_sub(CONTEXT)..e + CONTEXT);
            }
        }
        if windows.is_empty() {
            windows.push(line.start..line.start + MAX_SHOWN_LINE);
        }
        let mut windows: Vec<Range<usize>> = windows
            .into_iter()
            .map(|w| {
                floor_char_boundary(source, w.start.max(line.start))
                    ..ceil_char_boundary(source, w.end.min(line.end))
            })
            .collect();
        windows.sort_by_key(|w| w.start);
        let mut merged: Vec<Range<usize>> = Vec::new();
        for w in windows {
            match merged.last_mut() {
                Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
                _ => merged.push(w),
            }
        }
        let mut at = line.start;
        for w in merged {
            if w.start > at {
                self.text.push_str(CUT);
            }
            self.keep(source, w.clone());
            at = w.end;
        }
        if at < line.end {
            self.text.push_str(CUT);
        }
    }

    fn keep(&mut self, source: &str, range: Range<usize>) {
        self.pieces.push((range.start, range.end, self.text.len()));
        self.text.push_str(&source[range]);
    }

    /// The excerpt offset of a source offset (a cut-out offset maps to where the cut is).
    fn map(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.0 <= offset);
        match i.checked_sub(1).map(|i| self.pieces[i]) {
            Some((start, end, at)) => at + offset.min(end) - start,
            None => 0,
        }
    }

    fn map_span(&self, span: &Range<usize>) -> Range<usize> {
        let start = self.map(span.start);
        start..self.map(span.end).max(start)
    }
}

/// How many empty lines an excerpt of the 0-based lines `first..=last` starts with so that
/// each of its line numbers (1-based, in the excerpt) has as many digits as the file's: the
/// smallest number of that many digits, less one; every line before when the excerpt's lines
/// do not all have one width (a span across lines 9 999 and 10 000).
fn margin_padding(first: usize, last: usize) -> usize {
    let digits = |line: usize| line.checked_ilog10().unwrap_or(0);
    if digits(first + 1) != digits(last + 1) {
        return first;
    }
    (10usize.pow(digits(first + 1)) - 1).min(first)
}

/// Adds each excerpt's `line_offset` to the line numbers in the margin of a rendered report
/// (`  12 │ code`), which ariadne counts in the excerpt (its own display offset applies to the
/// headers only). A file's lines follow its `─[ file:` header.
fn renumber_margin(text: &str, groups: &[FileLabels]) -> String {
    let mut offset = groups.first().map_or(0, |g| g.excerpt.line_offset);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let header = |g: &&FileLabels| line.contains(&format!("─[ {}:", g.file.name));
        if let Some(group) = groups.iter().find(header) {
            offset = group.excerpt.line_offset;
        }
        let number = line.trim_start_matches(' ');
        let digits = number.bytes().take_while(u8::is_ascii_digit).count();
        let in_margin = digits > 0 && number[digits..].starts_with(" │");
        match number[..digits].parse::<usize>() {
            Ok(shown) if in_margin && offset > 0 => {
                let width = line.len() - number.len() + digits;
                let _ = write!(out, "{:>width$}{}", shown + offset, &number[digits..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// `Error: message`, the file, and the hint, without a snippet.
fn render_whole_file(diag: &Diagnostic, file_name: &str) -> String {
    let kind = if diag.warning { "Warning" } else { "Error" };
    let mut text = format!("{kind}: {}\n   ╭─[ {file_name} ]\n", diag.message);
    if let Some(hint) = &diag.hint {
        let _ = writeln!(text, "   │ \n   │ Help: {hint}");
    }
    text.push_str("───╯\n");
    text
}

fn fallback(diag: &Diagnostic, sources: &SourceMap) -> String {
    let mut text = format!("{}: {}\n", sources.locate(diag.span.start), diag.message);
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
    fn suggestions_are_close_names_only() {
        let names = ["buffer", "source", "sink"];
        assert_eq!(closest_name("bufer", names), Some("buffer"));
        assert_eq!(closest_name("snk", names), Some("sink"));
        assert_eq!(closest_name("zzz", names), None);
        assert_eq!(closest_name("buffer", names), None);
        assert_eq!(closest_name("", names), None);
    }

    #[test]
    fn a_wrong_case_is_the_closest_typo() {
        assert_eq!(closest_name("B", ["A", "b"]), Some("b"));
        assert_eq!(closest_name("Sink", ["sink", "Sinc"]), Some("sink"));
        // Equally close ignoring case: the one closer with case wins, then the first sorted.
        assert_eq!(closest_name("sinK", ["Sink", "sink"]), Some("sink"));
        assert_eq!(closest_name("X", ["y", "x"]), Some("x"));
    }

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

    #[test]
    fn each_label_is_shown_in_its_own_file() {
        let mut sources = SourceMap::single("main.act", "import \"lib.act\";\ndefproc p() { }\n");
        let base = sources.add("lib/lib.act", "// lib\ndefproc p() { }\n");
        let main_p = 26..27;
        let lib_p = base + 15..base + 16;
        let d = Diagnostic::error(main_p, "process `p` is defined twice")
            .with_label("defined again here")
            .with_note(lib_p, "first defined here");
        let text = render_in(&[d], &sources);
        assert!(text.contains("╭─[ main.act:2:9 ]"), "{text}");
        assert!(text.contains("─[ lib/lib.act:2:9 ]"), "{text}");
        assert!(text.contains("first defined here"), "{text}");
        let whole = render_in(&[Diagnostic::whole_file("no top")], &sources);
        assert!(whole.contains("╭─[ main.act ]"), "{whole}");
    }
}
