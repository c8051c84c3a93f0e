//! Loading a design: its entry file and every file it imports, each read, lexed and parsed
//! once.
//!
//! `import "lib/fifo.act";` names a file relative to the importing file's directory;
//! `import lib::fifo;` is, as in ACT, the file `lib/fifo.act`, which must define the namespace
//! `lib::fifo`. A file imported twice (a diamond) is loaded once; a file that imports itself,
//! directly or through others, is an error that names the chain of files. ACT's standard
//! library (`std`) and actsim's (`sim`) are not part of a design: importing them is a "not
//! supported" error naming them (unless the design has such a file of its own).
//!
//! Files are read depth first, each given its place in the design's [`SourceMap`] as it is
//! read; they are parsed dependencies first (the types a file defines must be known where it is
//! imported), into one [`Program`]. Top-level instances of an imported file are dropped with
//! a warning: the design's top is named by the file that is run.
use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diag::Diagnostic;
use crate::front::ast::{BodyItem, Import, ImportTarget, Item, Program};
use crate::front::lexer::{lex_at, Token};
use crate::front::parser::{imports, Parser};
use crate::source_map::SourceMap;

/// Where the files of a design come from.
pub(crate) trait SourceReader {
    /// The text of the file at `path` (an error of kind `InvalidData` if it is not UTF-8).
    fn read(&mut self, path: &Path) -> io::Result<String>;

    /// A key naming the file at `path` whatever the path it is reached by (`a/../b.act` and
    /// `b.act` give one key), so that it is loaded once.
    fn key(&self, path: &Path) -> PathBuf {
        normalize(path)
    }
}

/// Reads files from disk; a file's key is its canonical path (symbolic links resolved).
pub(crate) struct DiskReader;

impl SourceReader for DiskReader {
    fn read(&mut self, path: &Path) -> io::Result<String> {
        // Only a regular file: `import "/dev/zero";` or a pipe would never end.
        if !std::fs::metadata(path)?.is_file() {
            return Err(io::Error::other("it is not a regular file"));
        }
        std::fs::read_to_string(path)
    }

    fn key(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| normalize(path))
    }
}

/// The libraries of ACT's installation, which a design cannot import here.
const LIBRARIES: [(&str, &str); 2] = [
    ("std", "ACT's standard library (`std`)"),
    ("sim", "actsim's `sim` library"),
];

/// Loads the design whose entry file is `name` with the text `text`: every file's place in
/// the design, and the program, or every error found (sorted by file, then position).
pub(crate) fn load(
    name: &str,
    text: &str,
    reader: &mut dyn SourceReader,
) -> (SourceMap, Result<Program, Vec<Diagnostic>>) {
    let mut loader = Loader {
        reader,
        sources: SourceMap::default(),
        files: Vec::new(),
        keys: HashMap::new(),
        parse_order: Vec::new(),
        unread: HashSet::new(),
        diags: Vec::new(),
    };
    let entry = loader.add_file(PathBuf::from(name), text);
    let key = loader.reader.key(Path::new(name));
    loader.keys.insert(key, entry);
    loader.visit(entry, &mut Vec::new());
    let program = loader.parse();
    (loader.sources, program)
}

struct Loader<'r> {
    reader: &'r mut dyn SourceReader,
    sources: SourceMap,
    /// In the order they were read (the order of [`SourceMap`]).
    files: Vec<LoadedFile>,
    /// File index by key (see [`SourceReader::read`]).
    keys: HashMap<PathBuf, usize>,
    /// Every file after the files it imports.
    parse_order: Vec<usize>,
    /// The imports (by the offset of their target) whose file could not be read.
    unread: HashSet<usize>,
    diags: Vec<Diagnostic>,
}

struct LoadedFile {
    /// As shown in reports, and as its imports are resolved from.
    path: PathBuf,
    tokens: Vec<Token>,
    /// The offset of its first lexical error (the tokens after it are damaged), or `usize::MAX`.
    silent_from: usize,
    imports: Vec<Import>,
    /// All its imports are loaded (it is no longer on the chain being followed).
    done: bool,
}

impl Loader<'_> {
    /// Places a file in the design and finds its imports.
    fn add_file(&mut self, path: PathBuf, text: &str) -> usize {
        let base = self.sources.add(path.display().to_string(), text);
        let (tokens, lex_diags) = lex_at(text, base);
        let silent_from = lex_diags
            .iter()
            .map(|d| d.span.start)
            .min()
            .unwrap_or(usize::MAX);
        let (imports, import_diags) = imports(&tokens, silent_from);
        self.diags.extend(lex_diags);
        self.diags.extend(import_diags);
        self.files.push(LoadedFile {
            path,
            tokens,
            silent_from,
            imports,
            done: false,
        });
        self.files.len() - 1
    }

    /// Loads the imports of file `index` (on the chain of importing files `chain`), then puts
    /// it in the parse order.
    fn visit(&mut self, index: usize, chain: &mut Vec<usize>) {
        chain.push(index);
        for import in self.files[index].imports.clone() {
            if let Some(imported) = self.import(index, &import, chain) {
                self.visit(imported, chain);
            }
        }
        chain.pop();
        self.files[index].done = true;
        self.parse_order.push(index);
    }

    /// The file an import of file `from` names, if it is to be visited (new, and readable).
    fn import(&mut self, from: usize, import: &Import, chain: &[usize]) -> Option<usize> {
        let dir = self.files[from].path.parent().unwrap_or(Path::new(""));
        let path = normalize(&dir.join(import.path()));
        let key = self.reader.key(&path);
        match self.keys.get(&key) {
            Some(&seen) if !self.files[seen].done => {
                let diag = self.cycle(import, chain, seen);
                self.diags.push(diag);
                return None;
            }
            Some(_) => return None,
            None => {}
        }
        match self.reader.read(&path) {
            Ok(text) => {
                let index = self.add_file(path, &text);
                self.keys.insert(key, index);
                Some(index)
            }
            Err(error) => {
                self.diags.push(unreadable(import, &path, &error));
                self.unread.insert(import.span.start);
                None
            }
        }
    }

    /// The error for an import that closes a cycle: the chain from `seen` back to itself.
    fn cycle(&self, import: &Import, chain: &[usize], seen: usize) -> Diagnostic {
        let from = chain.iter().position(|&i| i == seen).unwrap_or(0);
        let names: Vec<String> = chain[from..]
            .iter()
            .chain(std::iter::once(&seen))
            .map(|&i| self.files[i].path.display().to_string())
            .collect();
        Diagnostic::error(
            import.span.clone(),
            format!("import cycle: {}", names.join(" → ")),
        )
        .with_label("imports a file that is still being loaded")
        .with_hint("a file cannot import itself, even through others: move what both need into a file that imports neither")
    }

    /// Parses the files, dependencies first, into one program; namespace imports are checked
    /// against the namespaces defined.
    fn parse(&mut self) -> Result<Program, Vec<Diagnostic>> {
        let order = std::mem::take(&mut self.parse_order);
        let (&entry, imported) = order.split_last().expect("the entry is loaded");
        let mut parser = Parser::new(&[]);
        let mut items = Vec::new();
        for &index in imported.iter().chain(std::iter::once(&entry)) {
            let file = &self.files[index];
            parser.next_file(&file.tokens, file.silent_from);
            let file_items = parser.parse_items();
            // The design's top is named by the file run: an imported file's own top-level
            // instances (a test bench of a library) are not part of it, as in actsim.
            let is_entry = index == entry;
            items.extend(file_items.into_iter().filter_map(|item| {
                match item {
                    _ if is_entry => Some(item),
                    Item::Instance(_) => None,
                    // Its declarations (`bool Vdd, GND;` of `globals`) are the design's globals.
                    Item::Body(body) => Some(Item::Body(
                        body.into_iter()
                            .filter(|b| !matches!(b, BodyItem::Instance(_)))
                            .collect(),
                    )),
                    _ => Some(item),
                }
            }));
        }
        let (program, parse_diags) = parser.finish(items);
        self.diags.extend(parse_diags);
        let missing = self.missing_namespaces(&program);
        self.diags.extend(missing);
        if self.diags.is_empty() {
            return Ok(program);
        }
        let mut diags = std::mem::take(&mut self.diags);
        diags.sort_by_key(|d| d.span.start);
        Err(diags)
    }

    /// An error for each `import a::b;` whose file does not define the namespace `a::b`.
    fn missing_namespaces(&self, program: &Program) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        for file in &self.files {
            for import in &file.imports {
                let ImportTarget::Namespace(name) = &import.target else {
                    continue;
                };
                let path = import.path();
                let unread = self.unread.contains(&import.span.start);
                if !program.namespaces.contains(name) && !unread {
                    diags.push(
                        Diagnostic::error(
                            import.span.clone(),
                            format!("no namespace `{name}` after importing {}", path.display()),
                        )
                        .with_label("this namespace is not defined")
                        .with_hint(format!(
                            "`import {name};` reads {} and uses its namespace `{name}` (as in ACT); to import the file alone, write `import \"{}\";`",
                            path.display(),
                            path.display()
                        )),
                    );
                }
            }
        }
        diags
    }
}

/// The error for an import whose file cannot be read: a library of ACT's installation, or a
/// file of the design that is missing (or unreadable).
fn unreadable(import: &Import, path: &Path, error: &io::Error) -> Diagnostic {
    let written = import.path();
    let root = written.iter().next().map(|first| {
        let first = Path::new(first);
        first
            .file_stem()
            .unwrap_or(first.as_os_str())
            .to_string_lossy()
    });
    if let Some((_, library)) = LIBRARIES
        .iter()
        .find(|(name, _)| root.as_deref() == Some(*name))
    {
        return Diagnostic::error(import.span.clone(), format!("{library} is not supported"))
            .with_label("not supported by chpsim")
            .with_hint("chpsim runs a design's own files; write what the design uses from the library in a file of the design");
    }
    let what = match &import.target {
        ImportTarget::File(_) => "",
        ImportTarget::Namespace(_) => " (the file of this namespace)",
    };
    let why = match error.kind() {
        io::ErrorKind::NotFound => "there is no such file".to_string(),
        io::ErrorKind::InvalidData => "it is not UTF-8 text".to_string(),
        _ => error.to_string(),
    };
    Diagnostic::error(
        import.span.clone(),
        format!("cannot import {}{what}: {why}", path.display()),
    )
    .with_label("imported here")
    .with_hint("an import names a file relative to the directory of the file that imports it")
}

/// `path` with `.` and `dir/..` taken out, as written (no file system look-up), so that a
/// file is named the same however it was reached.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files in memory, and the paths read.
    struct Memory(Vec<(&'static str, &'static str)>, Vec<PathBuf>);

    impl SourceReader for Memory {
        fn read(&mut self, path: &Path) -> io::Result<String> {
            self.1.push(path.to_path_buf());
            let (_, text) = self
                .0
                .iter()
                .find(|(name, _)| Path::new(name) == path)
                .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
            Ok(text.to_string())
        }
    }

    fn load_main(
        main: &str,
        files: Vec<(&'static str, &'static str)>,
    ) -> (SourceMap, Result<Program, Vec<Diagnostic>>, Vec<PathBuf>) {
        let mut reader = Memory(files, Vec::new());
        let (sources, program) = load("d/main.act", main, &mut reader);
        (sources, program, reader.1)
    }

    #[test]
    fn imported_files_come_first_and_each_is_loaded_once() {
        let (sources, program, read) = load_main(
            "import \"a.act\";\nimport b;\ndefproc m() { }",
            vec![
                ("d/a.act", "import \"lib/../b.act\";\ndefproc a() { }"),
                ("d/b.act", "namespace b { defproc x() { } }"),
            ],
        );
        let names: Vec<&str> = sources.files().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["d/main.act", "d/a.act", "d/b.act"]);
        assert_eq!(read.len(), 2, "b.act, imported twice, is read once");
        let program = program.unwrap();
        let defined: Vec<&str> = program.processes().map(|p| p.name.name.as_str()).collect();
        assert_eq!(defined, ["b::x", "a", "m"]);
    }

    #[test]
    fn a_cycle_names_the_chain_at_the_import_that_closes_it() {
        let (sources, program, _) = load_main(
            "import \"a.act\";",
            vec![
                ("d/a.act", "import \"b.act\";"),
                ("d/b.act", "\nimport \"a.act\";"),
            ],
        );
        let diags = program.unwrap_err();
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].message,
            "import cycle: d/a.act → d/b.act → d/a.act"
        );
        assert_eq!(sources.locate(diags[0].span.start), "d/b.act:2:8");
    }

    #[test]
    fn top_level_instances_of_imported_files_are_dropped() {
        let (_, program, _) = load_main(
            "import \"t.act\";\nt top;",
            vec![("d/t.act", "defproc t() { }\nt lib_top;")],
        );
        let tops: Vec<String> = program
            .unwrap()
            .instances()
            .map(|i| i.name.name.clone())
            .collect();
        assert_eq!(tops, ["top"]);
    }

    #[test]
    fn paths_are_normalized_as_written() {
        assert_eq!(normalize(Path::new("a/./b/../c.act")), Path::new("a/c.act"));
        assert_eq!(normalize(Path::new("../x/../y.act")), Path::new("../y.act"));
    }
}
