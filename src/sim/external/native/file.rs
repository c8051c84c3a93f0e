//! `sim::file`: files named by a number, read a value per line or written a line per value,
//! as actsim's library does. File `N` is `_infile_.N` for reading and `_outfile_.N` for
//! writing (the configuration's `sim.file.prefix` and `sim.file.outprefix`), or the `N`th
//! name of `sim.file.name_table` / `sim.file.outname_table`. Several readers may read one
//! file, each from its start; a file written is opened by one writer and not read meanwhile.
//! Readers and writers are numbered from 1 (0 means the opening failed).
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Write};

/// The file names the configuration gives (`sim.file`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileNames {
    pub prefix: String,
    pub out_prefix: String,
    pub names: Option<Vec<String>>,
    pub out_names: Option<Vec<String>>,
}

impl Default for FileNames {
    fn default() -> Self {
        FileNames {
            prefix: "_infile_".to_string(),
            out_prefix: "_outfile_".to_string(),
            names: None,
            out_names: None,
        }
    }
}

impl FileNames {
    fn input(&self, id: u64, caller: &str, warn: &mut dyn FnMut(&str)) -> Option<String> {
        name_of(
            &self.prefix,
            self.names.as_deref(),
            "name",
            id,
            caller,
            warn,
        )
    }

    fn output(&self, id: u64, caller: &str, warn: &mut dyn FnMut(&str)) -> Option<String> {
        name_of(
            &self.out_prefix,
            self.out_names.as_deref(),
            "outname",
            id,
            caller,
            warn,
        )
    }
}

fn name_of(
    prefix: &str,
    table: Option<&[String]>,
    table_name: &str,
    id: u64,
    caller: &str,
    warn: &mut dyn FnMut(&str),
) -> Option<String> {
    match table {
        None => Some(format!("{prefix}.{id}")),
        Some(table) => {
            let name = usize::try_from(id).ok().and_then(|i| table.get(i));
            if name.is_none() {
                warn(&format!(
                    "{caller}: File name index {id} is out of bounds given the {table_name} table length of {}",
                    table.len()
                ));
            }
            name.cloned()
        }
    }
}

#[derive(Debug)]
struct Reader {
    lines: BufReader<File>,
    name: String,
}

#[derive(Debug)]
struct Writer {
    file: File,
    file_id: u64,
}

/// The open files of a run.
#[derive(Debug, Default)]
pub(super) struct Files {
    readers: HashMap<u64, Reader>,
    writers: HashMap<u64, Writer>,
    /// The file names open for reading, with actsim's count of their readers (see
    /// [`Files::close_read`]).
    reading: HashMap<String, usize>,
    writing: HashSet<String>,
    last_reader: u64,
    last_writer: u64,
}

impl Files {
    pub(super) fn open_read(
        &mut self,
        id: u64,
        names: &FileNames,
        warn: &mut dyn FnMut(&str),
    ) -> u64 {
        let Some(name) = names.input(id, "actsim_file_openr", warn) else {
            warn("actsim_file_openr: Failed to get filename!");
            return 0;
        };
        if self.writing.contains(&name) {
            warn(&format!(
                "actsim_file_openr: File '{name}' is already opened for writing!"
            ));
            return 0;
        }
        // actsim registers the name once (a second reader does not count), before it knows
        // whether the file opens.
        self.reading.entry(name.clone()).or_insert(1);
        self.last_reader += 1;
        while self.readers.contains_key(&self.last_reader) {
            self.last_reader += 1;
        }
        match File::open(&name) {
            Ok(file) => {
                let reader = Reader {
                    lines: BufReader::new(file),
                    name,
                };
                self.readers.insert(self.last_reader, reader);
                self.last_reader
            }
            Err(_) => {
                warn(&format!(
                    "actim_file_openr: Could not open file '{name}' for reading."
                ));
                0
            }
        }
    }

    /// The next value: the next line with one, skipping empty lines and `#` comments; in
    /// base 10, or 16, 2, 8 after `0x`, `0b`, `0o`.
    pub(super) fn read(&mut self, reader: u64, warn: &mut dyn FnMut(&str)) -> u64 {
        let Some(reader) = self.readers.get_mut(&reader) else {
            warn("actim_file_read: Unknown reader ID, open a file first!");
            return 0;
        };
        let mut raw = Vec::new();
        loop {
            raw.clear();
            match reader.lines.read_until(b'\n', &mut raw) {
                Ok(0) | Err(_) => return 0,
                Ok(_) => {}
            }
            if raw.last() == Some(&b'\n') {
                raw.pop();
            }
            let line = String::from_utf8_lossy(&raw);
            let line = line.split('#').next().unwrap_or("");
            let line = line.trim_start_matches(['\t', '\n', ' ']);
            if line.is_empty() {
                continue;
            }
            return parse_value(line, warn);
        }
    }

    /// Whether nothing is left to read (also for an unknown reader).
    pub(super) fn eof(&mut self, reader: u64, warn: &mut dyn FnMut(&str)) -> bool {
        match self.readers.get_mut(&reader) {
            Some(reader) => reader.lines.fill_buf().map_or(true, |rest| rest.is_empty()),
            None => {
                warn("actsim_file_eof: Unknown reader ID, open a file first!");
                true
            }
        }
    }

    pub(super) fn close_read(&mut self, reader: u64, warn: &mut dyn FnMut(&str)) -> bool {
        let Some(Reader { name, .. }) = self.readers.remove(&reader) else {
            warn("actsim_file_closer: Unknown reader ID, open a file first!");
            return false;
        };
        // As actsim: the count goes down by one, from 0 if the name was gone already (a
        // second reader closing), where it wraps and the name stays registered for good.
        let count = self.reading.entry(name.clone()).or_insert(0);
        *count = count.wrapping_sub(1);
        if *count == 0 {
            self.reading.remove(&name);
        }
        true
    }

    pub(super) fn open_write(
        &mut self,
        id: u64,
        names: &FileNames,
        warn: &mut dyn FnMut(&str),
    ) -> u64 {
        let Some(name) = names.output(id, "actsim_file_openw", warn) else {
            return 0;
        };
        if self.reading.contains_key(&name) {
            warn(&format!(
                "actsim_file_openw: File '{name}' is already opened for reading!"
            ));
            return 0;
        }
        if self.writing.contains(&name) {
            warn(&format!(
                "actsim_file_openw: File '{name}' is already opened for writing!"
            ));
            return 0;
        }
        self.writing.insert(name.clone());
        self.last_writer += 1;
        match File::create(&name) {
            Ok(file) => {
                let writer = Writer { file, file_id: id };
                self.writers.insert(self.last_writer, writer);
                self.last_writer
            }
            Err(_) => {
                warn(&format!(
                    "actsim_file_openw: Could not open file '{name}' for writing."
                ));
                0
            }
        }
    }

    pub(super) fn write(&mut self, writer: u64, text: &str, warn: &mut dyn FnMut(&str)) -> bool {
        let Some(writer) = self.writers.get_mut(&writer) else {
            warn("actsim_file_write_core: Unknown writer ID, open a file first!");
            return false;
        };
        if writer.file.write_all(text.as_bytes()).is_err() {
            warn(&format!(
                "actsim_file_write_core: File index {} could not be written.",
                writer.file_id
            ));
            return false;
        }
        true
    }

    /// Closes `writer`. As actsim's library does, the name then taken off the files open for
    /// writing is the file's *input* name (`sim.file.prefix`, `name_table`), so with the
    /// usual prefixes the written file stays registered and cannot be opened again.
    pub(super) fn close_write(
        &mut self,
        writer: u64,
        names: &FileNames,
        warn: &mut dyn FnMut(&str),
    ) -> bool {
        let Some(Writer { file_id, .. }) = self.writers.remove(&writer) else {
            warn("actsim_file_closew: Unknown writer ID, open a file first!");
            return false;
        };
        match names.input(file_id, "actsim_file_closew", warn) {
            Some(name) => {
                self.writing.remove(&name);
            }
            None => warn("actsim_file_closew: Failed to get filename!"),
        }
        true
    }
}

/// A line's value as C's `strtoul` reads it in the line's base (after its `0x`, `0b` or `0o`),
/// with actsim's messages for a line that is no number, too large, or has more after it.
fn parse_value(line: &str, warn: &mut dyn FnMut(&str)) -> u64 {
    let (digits, base) = [("0x", 16), ("0b", 2), ("0o", 8)]
        .iter()
        .find_map(|&(prefix, base)| line.strip_prefix(prefix).map(|rest| (rest, base)))
        .unwrap_or((line, 10));
    let body = digits.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let (negative, body) = match body.as_bytes().first() {
        Some(b'-') => (true, &body[1..]),
        Some(b'+') => (false, &body[1..]),
        _ => (false, body),
    };
    let body = match base {
        16 => body
            .strip_prefix("0x")
            .or_else(|| body.strip_prefix("0X"))
            .filter(|rest| rest.starts_with(|c: char| c.is_ascii_hexdigit()))
            .unwrap_or(body),
        _ => body,
    };
    let end = body.find(|c: char| !c.is_digit(base)).unwrap_or(body.len());
    if end == 0 {
        warn(&format!(
            "actim_file_read: Could not convert line '{digits}' into unsigned long value of base {base}"
        ));
        return 0;
    }
    let Ok(value) = u64::from_str_radix(&body[..end], base) else {
        warn(&format!(
            "actim_file_read: Conversion of line '{digits}' into unsigned long value of base {base} is out of range!"
        ));
        return 0;
    };
    let rest = &body[end..];
    if !rest.is_empty() {
        warn(&format!(
            "actsim_file_read: There was more content left in the line that was ignored. Remaining content: '{rest}'"
        ));
    }
    if negative {
        value.wrapping_neg()
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> (u64, Vec<String>) {
        let mut warnings = Vec::new();
        let value = parse_value(line, &mut |w: &str| warnings.push(w.to_string()));
        (value, warnings)
    }

    #[test]
    fn values_are_read_in_the_base_their_prefix_says() {
        assert_eq!(parse("42").0, 42);
        assert_eq!(parse("0x1f").0, 31);
        assert_eq!(parse("0b101").0, 5);
        assert_eq!(parse("0o17").0, 15);
    }

    #[test]
    fn a_bad_line_reads_as_zero_with_actsims_message() {
        let (value, warnings) = parse("zz");
        assert_eq!(value, 0);
        assert!(
            warnings[0].contains("Could not convert line 'zz'"),
            "{warnings:?}"
        );
        let (value, warnings) = parse("12 apples");
        assert_eq!(value, 12);
        assert!(
            warnings[0].ends_with("Remaining content: ' apples'"),
            "{warnings:?}"
        );
    }

    /// Files named in a fresh folder, input and output names the same when `same` is set.
    fn names_in(dir: &std::path::Path, same: bool) -> FileNames {
        let prefix = dir.join("_infile_").to_string_lossy().into_owned();
        let out_prefix = match same {
            true => prefix.clone(),
            false => dir.join("_outfile_").to_string_lossy().into_owned(),
        };
        FileNames {
            prefix,
            out_prefix,
            names: None,
            out_names: None,
        }
    }

    #[test]
    fn a_file_written_and_closed_stays_registered_as_actsims_library_leaves_it() {
        // actsim's closew takes the *input* name off the files open for writing.
        let dir = tempfile::tempdir().unwrap();
        let names = names_in(dir.path(), false);
        let mut files = Files::default();
        let mut warnings = Vec::new();
        let mut warn = |w: &str| warnings.push(w.to_string());
        let writer = files.open_write(3, &names, &mut warn);
        assert_eq!(writer, 1);
        assert!(files.close_write(writer, &names, &mut warn));
        assert_eq!(files.open_write(3, &names, &mut warn), 0);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].ends_with("_outfile_.3' is already opened for writing!"),
            "{warnings:?}"
        );
    }

    #[test]
    fn readers_of_one_file_count_once_as_in_actsims_library() {
        // Two readers register the name once; the first to close takes it off, and the
        // second's close wraps the count, which leaves the name registered for good.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("_infile_.0"), "1\n").unwrap();
        let names = names_in(dir.path(), true);
        let mut files = Files::default();
        let mut warnings = Vec::new();
        let mut warn = |w: &str| warnings.push(w.to_string());
        let (a, b) = (
            files.open_read(0, &names, &mut warn),
            files.open_read(0, &names, &mut warn),
        );
        assert_eq!((a, b), (1, 2));
        assert!(files.close_read(a, &mut warn));
        let writer = files.open_write(0, &names, &mut warn);
        assert_ne!(
            writer, 0,
            "the name was taken off with one reader still open"
        );
        assert!(files.close_write(writer, &names, &mut warn));
        assert!(files.close_read(b, &mut warn));
        assert_eq!(files.open_write(0, &names, &mut warn), 0);
        assert!(
            warnings
                .last()
                .unwrap()
                .ends_with("_infile_.0' is already opened for reading!"),
            "{warnings:?}"
        );
    }
}
