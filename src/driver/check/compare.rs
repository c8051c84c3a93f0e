//! A transcript compared with its golden file line by line as the run writes it: while they
//! agree, only the last few lines are kept (the diff's context); from the first difference on,
//! at most [`DIFF_LINES`] lines of each (and [`DIFF_BYTES`] bytes), for the diff. Lines are
//! compared as bytes, so a golden file that is not UTF-8 is merely different.
use std::cell::RefCell;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use similar::TextDiff;

use super::super::outputs::{NamedWriter, OutputFile};
use super::super::DriverError;

/// Lines of context shown before a difference.
const CONTEXT: usize = 3;
/// Lines of each side kept from the first difference on, for the diff.
const DIFF_LINES: usize = 2000;
/// Bytes of each side kept from the first difference on (a line can be long).
const DIFF_BYTES: usize = 1 << 20;

/// How a transcript compares with its golden file.
#[derive(Debug)]
pub(crate) enum Comparison {
    /// Byte for byte the same.
    Matches,
    /// There is no golden file.
    Missing,
    /// They differ: a unified diff (golden first), and a hint when the difference is one of
    /// line endings.
    Differs { diff: String, hint: Option<String> },
}

impl Comparison {
    /// The diff, if there is one.
    pub(crate) fn diff(&self) -> Option<&str> {
        match self {
            Comparison::Differs { diff, .. } => Some(diff),
            _ => None,
        }
    }
}

/// Compares what its [`GoldenComparer::writer`] is given with a golden file.
#[derive(Debug)]
pub(crate) struct GoldenComparer {
    state: Rc<RefCell<State>>,
}

#[derive(Debug)]
struct State {
    golden_path: PathBuf,
    /// The golden file, read as far as the transcript has come; `None` when there is none.
    golden: Option<BufReader<File>>,
    /// The new golden file of `--bless`, written as the transcript comes.
    blessed: Option<BufWriter<NamedWriter>>,
    /// The transcript's line being written.
    partial: Vec<u8>,
    /// Lines alike so far.
    alike: usize,
    /// The last few lines alike.
    recent: VecDeque<Vec<u8>>,
    /// From the first difference on.
    difference: Option<Difference>,
    /// The first error reading the golden file or writing the new one.
    error: Option<DriverError>,
}

/// What is kept from the first difference on.
#[derive(Debug, Default)]
struct Difference {
    /// The line (from 0) where they start to differ.
    at: usize,
    context: Vec<Vec<u8>>,
    expected: Side,
    actual: Side,
}

/// One side's lines from the first difference on, as many as the diff shows.
#[derive(Debug, Default)]
struct Side {
    lines: Vec<Vec<u8>>,
    bytes: usize,
    /// Lines left out.
    cut: bool,
}

impl Side {
    fn push(&mut self, line: Vec<u8>) {
        if self.lines.len() >= DIFF_LINES || self.bytes + line.len() > DIFF_BYTES {
            self.cut = true;
            return;
        }
        self.bytes += line.len();
        self.lines.push(line);
    }
}

impl GoldenComparer {
    /// Compares with the golden file at `path` (which may not exist); `blessed`, when given,
    /// receives the transcript too.
    pub(crate) fn open(path: &Path, blessed: Option<&OutputFile>) -> Result<Self, DriverError> {
        let unusable = |source| DriverError::Golden {
            path: path.to_path_buf(),
            source,
        };
        let golden = match File::open(path) {
            Ok(file) => {
                if file.metadata().map_err(unusable)?.is_dir() {
                    return Err(unusable(io::Error::new(
                        io::ErrorKind::IsADirectory,
                        "it is a directory",
                    )));
                }
                Some(BufReader::new(file))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(unusable(e)),
        };
        let blessed = match blessed {
            Some(file) => Some(BufWriter::new(file.writer()?)),
            None => None,
        };
        Ok(Self {
            state: Rc::new(RefCell::new(State {
                golden_path: path.to_path_buf(),
                golden,
                blessed,
                partial: Vec::new(),
                alike: 0,
                recent: VecDeque::new(),
                difference: None,
                error: None,
            })),
        })
    }

    /// Where the transcript is to be written.
    pub(crate) fn writer(&self) -> impl Write + 'static {
        ComparerWriter(self.state.clone())
    }

    /// How the whole transcript compared.
    pub(crate) fn finish(self) -> Result<Comparison, DriverError> {
        let mut state = self.state.borrow_mut();
        let state = &mut *state;
        if !state.partial.is_empty() {
            let line = std::mem::take(&mut state.partial);
            state.line(line);
        }
        if let Some(blessed) = &mut state.blessed {
            if let Err(source) = blessed.flush() {
                return Err(output_error(source, &state.golden_path));
            }
        }
        if let Some(error) = state.error.take() {
            return Err(error);
        }
        let path = state.golden_path.clone();
        let Some(golden) = state.golden.as_mut() else {
            return Ok(Comparison::Missing);
        };
        let mut rest = Vec::new();
        loop {
            let line = next_line(golden).map_err(|source| DriverError::Golden {
                path: path.clone(),
                source,
            })?;
            let Some(line) = line else { break };
            rest.push(line);
            if rest.len() > DIFF_LINES {
                break;
            }
        }
        let difference = match &mut state.difference {
            Some(difference) => difference,
            None if rest.is_empty() => return Ok(Comparison::Matches),
            None => state.difference.insert(Difference {
                at: state.alike,
                context: state.recent.drain(..).collect(),
                ..Difference::default()
            }),
        };
        for line in rest {
            difference.expected.push(line);
        }
        Ok(difference.render(&path))
    }
}

/// Reads the next line (with its `\n`), or `None` at the end.
fn next_line(reader: &mut BufReader<File>) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    Ok((reader.read_until(b'\n', &mut line)? > 0).then_some(line))
}

fn output_error(source: io::Error, path: &Path) -> DriverError {
    DriverError::Output {
        path: path.to_path_buf(),
        source,
    }
}

impl State {
    /// The transcript's next line (with its `\n`, but the last).
    fn line(&mut self, line: Vec<u8>) {
        if let Some(difference) = &mut self.difference {
            difference.actual.push(line);
            return;
        }
        let Some(golden) = self.golden.as_mut() else {
            return;
        };
        let expected = match next_line(golden) {
            Ok(expected) => expected,
            Err(source) => {
                self.error.get_or_insert(DriverError::Golden {
                    path: self.golden_path.clone(),
                    source,
                });
                self.golden = None;
                return;
            }
        };
        if expected.as_deref() == Some(line.as_slice()) {
            self.alike += 1;
            self.recent.push_back(line);
            if self.recent.len() > CONTEXT {
                self.recent.pop_front();
            }
            return;
        }
        let mut difference = Difference {
            at: self.alike,
            context: self.recent.drain(..).collect(),
            ..Difference::default()
        };
        difference.expected.lines.extend(expected);
        difference.actual.push(line);
        self.difference = Some(difference);
    }
}

impl Difference {
    /// The unified diff of what was kept (line numbers those of the whole files), and the hint.
    fn render(&self, golden: &Path) -> Comparison {
        let text = |lines: &[Vec<u8>]| -> String {
            (self.context.iter().chain(lines))
                .map(|l| String::from_utf8_lossy(l))
                .collect()
        };
        let (expected, actual) = (text(&self.expected.lines), text(&self.actual.lines));
        let name = golden.display().to_string();
        let diff = TextDiff::from_lines(&expected, &actual)
            .unified_diff()
            .context_radius(CONTEXT)
            .header(&name, "actual run")
            .to_string();
        let first = self.at - self.context.len();
        let mut diff: String = diff.lines().map(|l| shifted(l, first) + "\n").collect();
        if self.expected.cut || self.actual.cut {
            diff.push_str(&format!(
                "... (the diff shows the first {DIFF_LINES} lines from line {} on)\n",
                self.at + 1
            ));
        }
        let crlf = |lines: &[Vec<u8>]| lines.iter().any(|l| l.ends_with(b"\r\n"));
        let hint = (crlf(&self.expected.lines) && !crlf(&self.actual.lines)).then(|| {
            format!(
                "line endings differ: {name} has CRLF (\\r\\n) line endings, transcripts have LF \
                 (a `.gitattributes` line `*.transcript -text` in its folder keeps git from \
                 converting them)"
            )
        });
        Comparison::Differs { diff, hint }
    }
}

/// A hunk header `@@ -a,b +c,d @@` of a diff of lines from line `first` on, renumbered as
/// lines of the whole files; any other line as it is.
fn shifted(line: &str, first: usize) -> String {
    let Some(ranges) = line
        .strip_prefix("@@ ")
        .and_then(|rest| rest.strip_suffix(" @@"))
    else {
        return line.to_string();
    };
    let shift = |range: &str| -> Option<String> {
        let (sign, range) = range.split_at(1);
        let (start, len) = match range.split_once(',') {
            Some((start, len)) => (start, Some(len)),
            None => (range, None),
        };
        let start: usize = start.parse().ok()?;
        let start = if start == 0 { 0 } else { start + first };
        Some(match len {
            Some(len) => format!("{sign}{start},{len}"),
            None => format!("{sign}{start}"),
        })
    };
    let shifted: Option<Vec<String>> = ranges.split(' ').map(shift).collect();
    match shifted {
        Some(ranges) => format!("@@ {} @@", ranges.join(" ")),
        None => line.to_string(),
    }
}

/// The writer a run's transcript goes to: each complete line is compared at once.
struct ComparerWriter(Rc<RefCell<State>>);

impl Write for ComparerWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut state = self.0.borrow_mut();
        if let Some(blessed) = &mut state.blessed {
            blessed.write_all(buf)?;
        }
        let mut rest = buf;
        while let Some(end) = rest.iter().position(|&b| b == b'\n') {
            let mut line = std::mem::take(&mut state.partial);
            line.extend_from_slice(&rest[..=end]);
            state.line(line);
            rest = &rest[end + 1..];
        }
        state.partial.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compare(golden: Option<&str>, actual: &str) -> Comparison {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.transcript");
        if let Some(golden) = golden {
            std::fs::write(&path, golden).unwrap();
        }
        let comparer = GoldenComparer::open(&path, None).unwrap();
        let mut writer = comparer.writer();
        // In uneven pieces, as a buffered writer hands them over.
        for piece in actual.as_bytes().chunks(7) {
            writer.write_all(piece).unwrap();
        }
        drop(writer);
        comparer.finish().unwrap()
    }

    fn lines(range: std::ops::Range<usize>) -> String {
        range.map(|i| format!("line {i}\n")).collect()
    }

    #[test]
    fn alike_transcripts_match_and_a_missing_golden_is_missing() {
        assert!(matches!(
            compare(Some(&lines(0..50)), &lines(0..50)),
            Comparison::Matches
        ));
        assert!(matches!(compare(None, &lines(0..5)), Comparison::Missing));
        assert!(matches!(compare(Some(""), ""), Comparison::Matches));
    }

    #[test]
    fn a_difference_is_shown_with_the_files_line_numbers() {
        let mut actual = lines(0..100);
        actual = actual.replace("line 60\n", "line sixty\n");
        let Comparison::Differs { diff, hint } = compare(Some(&lines(0..100)), &actual) else {
            panic!("no difference");
        };
        assert_eq!(hint, None);
        assert!(diff.contains("@@ -58,7 +58,7 @@\n"), "{diff}");
        assert!(diff.contains("-line 60\n+line sixty\n"), "{diff}");
    }

    #[test]
    fn a_shorter_or_longer_transcript_differs() {
        let Comparison::Differs { diff, .. } = compare(Some(&lines(0..10)), &lines(0..8)) else {
            panic!("no difference");
        };
        assert!(diff.contains("-line 8\n-line 9\n"), "{diff}");
        let Comparison::Differs { diff, .. } = compare(Some(&lines(0..8)), &lines(0..10)) else {
            panic!("no difference");
        };
        assert!(diff.contains("+line 8\n+line 9\n"), "{diff}");
    }

    #[test]
    fn a_long_difference_is_cut_and_says_so() {
        let Comparison::Differs { diff, .. } = compare(Some(""), &lines(0..50_000)) else {
            panic!("no difference");
        };
        assert!(diff.lines().count() < DIFF_LINES + 10);
        assert!(diff.ends_with("lines from line 1 on)\n"), "{diff}");
    }

    #[test]
    fn crlf_line_endings_get_a_hint() {
        let golden = lines(0..5).replace('\n', "\r\n");
        let Comparison::Differs { hint, .. } = compare(Some(&golden), &lines(0..5)) else {
            panic!("no difference");
        };
        assert!(hint.unwrap().starts_with("line endings differ: "));
    }
}
