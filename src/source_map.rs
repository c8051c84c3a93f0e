//! Every file of a design in one address space, so that a span stays a plain byte range
//! wherever its code came from.
//!
//! A design is its entry file and the files it imports. Each file gets a *base*: its byte `k`
//! is the offset `base + k` of the design. The lexer adds the base to every token's span, so
//! the parser, the elaborator and the interpreter carry offsets as before and never ask which
//! file they are in; only reports (diagnostics, `file:line:col` in the transcript and on
//! stderr) map an offset back to its file ([`SourceMap::locate`]). Files are one byte apart,
//! so the end of one file (a span `len..len`, "end of file") is not the start of the next.
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::diag::line_col;

/// One file of a design: its name as shown in reports, its text, and its first offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappedFile {
    /// The file's name, as reports show it.
    pub name: String,
    /// The file's text.
    pub text: Arc<str>,
    /// The design offset of the file's first byte.
    pub base: usize,
    /// Where each line starts, made on the first [`SourceMap::locate`] or rendered diagnostic
    /// in the file: locating thousands of places (the processes waiting at the end of a run,
    /// a warning per unconnected channel) in a large file must not count lines from the
    /// file's start each time.
    line_starts: OnceLock<Arc<[usize]>>,
}

impl MappedFile {
    /// The design offsets this file covers, its end (the end-of-file position) included.
    pub fn range(&self) -> Range<usize> {
        self.base..self.base + self.text.len() + 1
    }

    /// The file's own offset of a design offset in it.
    pub fn local(&self, offset: usize) -> usize {
        offset.saturating_sub(self.base)
    }

    /// The 0-based line of the file's own `offset` and the offset that line starts at.
    pub(crate) fn line_of(&self, offset: usize) -> (usize, usize) {
        let starts = self.line_starts.get_or_init(|| {
            let ends = self.text.match_indices('\n').map(|(i, _)| i + 1);
            std::iter::once(0).chain(ends).collect()
        });
        let line = starts.partition_point(|&start| start <= offset).max(1) - 1;
        (line, starts[line])
    }

    /// The 1-based (line, column) of the file's own `offset` (as [`line_col`] counts them).
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let (line, start) = self.line_of(offset);
        let (_, column) = line_col(&self.text[start..], offset - start);
        (line + 1, column)
    }
}

/// The files of a design in load order (the entry file first), each at its base.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMap {
    files: Vec<MappedFile>,
}

impl SourceMap {
    /// A design of one file, at base 0.
    pub fn single(name: impl Into<String>, text: &str) -> Self {
        let mut map = SourceMap::default();
        map.add(name, text);
        map
    }

    /// Adds a file after the others and returns its base.
    pub(crate) fn add(&mut self, name: impl Into<String>, text: &str) -> usize {
        let base = self.files.last().map_or(0, |last| last.range().end);
        self.files.push(MappedFile {
            name: name.into(),
            text: text.into(),
            base,
            line_starts: OnceLock::new(),
        });
        base
    }

    /// The files, the entry file first.
    pub fn files(&self) -> &[MappedFile] {
        &self.files
    }

    /// The file a design offset is in. An offset past every file (a span about the whole
    /// design, or a bad one) is placed in the last file, whose rendering clamps it.
    pub fn file_of(&self, offset: usize) -> Option<&MappedFile> {
        let i = self.files.partition_point(|f| f.base <= offset);
        self.files.get(i.checked_sub(1)?)
    }

    /// `file:line:column` of a design offset (`?` for an empty map).
    pub fn locate(&self, offset: usize) -> String {
        match self.file_of(offset) {
            Some(file) => {
                let (line, col) = file.line_col(file.local(offset).min(file.text.len()));
                format!("{}:{line}:{col}", file.name)
            }
            None => "?".to_string(),
        }
    }

    /// The same files under other names: `rename` gives each file's new name from its name.
    pub(crate) fn renamed(&self, rename: impl Fn(&str) -> String) -> SourceMap {
        let files = (self.files.iter())
            .map(|f| MappedFile {
                name: rename(&f.name),
                ..f.clone()
            })
            .collect();
        SourceMap { files }
    }

    /// The entry file's name (`""` for an empty map): what a report about the whole design
    /// names.
    pub fn entry_name(&self) -> &str {
        self.files.first().map_or("", |f| f.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back_to_their_file_line_and_column() {
        let mut map = SourceMap::single("main.act", "ab\ncd");
        let base = map.add("lib/x.act", "xy\nz");
        assert_eq!(base, 6, "one byte after the entry file's end");
        assert_eq!(map.locate(0), "main.act:1:1");
        assert_eq!(map.locate(4), "main.act:2:2");
        assert_eq!(map.locate(5), "main.act:2:3", "the end of the entry file");
        assert_eq!(map.locate(6), "lib/x.act:1:1");
        assert_eq!(map.locate(9), "lib/x.act:2:1");
        assert_eq!(map.file_of(100).map(|f| f.name.as_str()), Some("lib/x.act"));
        assert_eq!(SourceMap::default().locate(3), "?");
    }

    #[test]
    fn the_line_index_agrees_with_counting_lines() {
        let text = "a\n\nbé c\r\nd\n";
        let map = SourceMap::single("f.act", text);
        for offset in 0..=text.len() + 2 {
            let clamped = offset.min(text.len());
            let (line, col) = line_col(text, clamped);
            assert_eq!(
                map.locate(offset),
                format!("f.act:{line}:{col}"),
                "{offset}"
            );
        }
    }
}
