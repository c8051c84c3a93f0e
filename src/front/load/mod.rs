//! Loading a design: its entry file and every file it imports, each read, lexed and parsed
//! once.
//!
//! An import is looked for as ACT looks for it ([`search`]): from the working directory, then
//! in each directory of `$ACT_PATH`, then in `$ACT_HOME/act` (ACT's standard library), and,
//! where ACT finds nothing, next to the importing file. `import "lib/fifo.act";` names a
//! file; `import lib::fifo;` is the file `lib/fifo/_all_.act` or `lib/fifo.act`, which must
//! define the namespace `lib::fifo`. `import globals;` with no `globals.act` anywhere is
//! chpsim's own (`Vdd`, `GND`, `Reset`, as ACT's); `import sim;` (or any part of it) is
//! chpsim's own `sim` library unless the design's directories (not `$ACT_HOME`) hold one. An import found nowhere says what is
//! missing and every place looked. A file imported twice (a diamond) is loaded once; a file
//! that imports itself, directly or through others, is an error that names the chain of files.
//!
//! Files are read depth first, each given its place in the design's [`SourceMap`] as it is
//! read; they are parsed dependencies first (the types a file defines must be known where it is
//! imported), into one [`Program`]. Top-level instances of an imported file are dropped with
//! a warning: the design's top is named by the file that is run.
mod search;

use std::collections::HashMap;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

pub(crate) use search::SearchPath;
use search::{candidates, Candidates, NO_SEARCH_PATH};

use crate::diag::Diagnostic;
use crate::front::ast::{BodyItem, Import, ImportTarget, Item, Program};
use crate::front::lexer::{lex_at, Token};
use crate::front::parser::{imports, Parser};
use crate::source_map::SourceMap;

/// Where the files of a design come from.
pub(crate) trait SourceReader {
    /// The text of the file at `path` (an error of kind `InvalidData` if it is not UTF-8, of
    /// kind `NotFound` if there is no file there, a directory included).
    fn read(&mut self, path: &Path) -> io::Result<String>;

    /// A key naming the file at `path` whatever the path it is reached by (`a/../b.act` and
    /// `b.act` give one key), so that it is loaded once.
    fn key(&self, path: &Path) -> PathBuf {
        normalize(path)
    }

    /// Where imports are looked for besides the working directory and the importing file's.
    fn search_path(&self) -> &SearchPath {
        &NO_SEARCH_PATH
    }
}

/// Reads files from disk, imports searched as this process's environment says (`$ACT_PATH`,
/// `$ACT_HOME`); a file's key is its canonical path (symbolic links resolved).
pub(crate) struct DiskReader {
    search: SearchPath,
}

/// The largest file chpsim reads (a design, an import, a configuration file): `run /dev/zero`
/// would otherwise read until memory runs out.
pub(crate) const MAX_FILE_BYTES: u64 = 64 << 20;

/// The most text a design's files may hold together.
const MAX_DESIGN_BYTES: usize = 128 << 20;

/// The bytes of the file at `path`, if it holds at most [`MAX_FILE_BYTES`] (else an error of
/// kind `FileTooLarge`); only that much is read, so a device or a pipe cannot exhaust memory.
pub(crate) fn read_bounded(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    (std::fs::File::open(path)?.take(MAX_FILE_BYTES + 1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!(
                "it is larger than {} MiB, the most chpsim reads",
                MAX_FILE_BYTES >> 20
            ),
        ));
    }
    Ok(bytes)
}

impl DiskReader {
    /// A reader searching imports as the environment says.
    pub(crate) fn from_env() -> Self {
        DiskReader {
            search: SearchPath::from_env(),
        }
    }
}

impl SourceReader for DiskReader {
    fn read(&mut self, path: &Path) -> io::Result<String> {
        let metadata = std::fs::metadata(path)?;
        // A directory is not the file looked for: the search goes on (`import std;` from a
        // directory holding `std/`).
        if metadata.is_dir() {
            return Err(io::Error::new(io::ErrorKind::NotFound, "it is a directory"));
        }
        // Only a regular file: `import "/dev/zero";` or a pipe would never end.
        if !metadata.is_file() {
            return Err(io::Error::other("it is not a regular file"));
        }
        String::from_utf8(read_bounded(path)?)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    fn key(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| normalize(path))
    }

    fn search_path(&self) -> &SearchPath {
        &self.search
    }
}

/// Loads the design whose entry file is `name` with the text `text`, with `defines` (ACT's
/// command-line definitions, as declarations) read first if not empty: every file's place in
/// the design, and the program, or every error found (sorted by file, then position).
pub(crate) fn load(
    name: &str,
    text: &str,
    defines: &str,
    reader: &mut dyn SourceReader,
) -> (SourceMap, Result<Program, Vec<Diagnostic>>) {
    let mut loader = Loader {
        reader,
        sources: SourceMap::default(),
        files: Vec::new(),
        keys: HashMap::new(),
        parse_order: Vec::new(),
        resolved: HashMap::new(),
        diags: Vec::new(),
    };
    let entry = loader.add_file(PathBuf::from(name), text);
    if !defines.is_empty() {
        // ACT adds them to the global namespace before it reads any file (the entry stays
        // the first file of the map: reports about the design name it).
        let index = loader.add_file(PathBuf::from(COMMAND_LINE), defines);
        loader.files[index].done = true;
        loader.parse_order.push(index);
    }
    let key = loader.reader.key(Path::new(name));
    loader.keys.insert(key, entry);
    loader.visit(entry, &mut Vec::new());
    let program = loader.parse();
    (loader.sources, program)
}

/// The name the command-line definitions are shown under.
const COMMAND_LINE: &str = "<command line -D>";

struct Loader<'r> {
    reader: &'r mut dyn SourceReader,
    sources: SourceMap,
    /// In the order they were read (the order of [`SourceMap`]).
    files: Vec<LoadedFile>,
    /// File index by key (see [`SourceReader::read`]).
    keys: HashMap<PathBuf, usize>,
    /// Every file after the files it imports.
    parse_order: Vec<usize>,
    /// The file each import names (by the offset of its target), where it was found.
    resolved: HashMap<usize, usize>,
    diags: Vec<Diagnostic>,
}

struct LoadedFile {
    /// As shown in reports, and as its imports are resolved from.
    path: PathBuf,
    tokens: Vec<Token>,
    /// The offset of its first lexical error (the tokens after it are damaged), or `usize::MAX`.
    silent_from: usize,
    imports: Vec<Import>,
    /// The namespaces open where ACT reads it (as written): those the files on the chain that
    /// first imported it opened before importing it (ACT's `open` holds for the rest of the
    /// reading, imported files included).
    inherited_opens: Vec<String>,
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
            inherited_opens: Vec::new(),
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
                let mut opens = self.files[index].inherited_opens.clone();
                opens.extend(import.opened_before.iter().cloned());
                self.files[imported].inherited_opens = opens;
                self.visit(imported, chain);
            }
        }
        chain.pop();
        self.files[index].done = true;
        self.parse_order.push(index);
    }

    /// The file an import of file `from` names, if it is to be visited (new, and readable):
    /// the first of the [`candidates`] that can be read; a missing `globals` is chpsim's own,
    /// and `sim` is chpsim's own unless the design brings one of its own (outside
    /// `$ACT_HOME`, whose actsim copy needs actsim's C++ library).
    fn import(&mut self, from: usize, import: &Import, chain: &[usize]) -> Option<usize> {
        if matches!(&import.target, ImportTarget::File(name) if name.trim().is_empty()) {
            self.diags.push(
                Diagnostic::error(import.span.clone(), "an import with no file name")
                    .with_label("names no file")
                    .with_hint("write the file between the quotes: `import \"lib.act\";`"),
            );
            return None;
        }
        let dir = self.files[from].path.parent().unwrap_or(Path::new(""));
        let search = self.reader.search_path().clone();
        let candidates = candidates(import, dir, &search);
        let builtin = builtin_library(import);
        let installed = search.act_home.as_ref().map(|home| home.join("act"));
        for path in &candidates.paths {
            let replaced = builtin.is_some_and(|(name, _)| name == BUILTIN_SIM_NAME);
            if replaced && installed.as_ref().is_some_and(|dir| path.starts_with(dir)) {
                continue;
            }
            let key = self.reader.key(path);
            if let Some(&seen) = self.keys.get(&key) {
                self.resolved.insert(import.span.start, seen);
                if !self.files[seen].done {
                    let diag = self.cycle(import, chain, seen);
                    self.diags.push(diag);
                }
                return None;
            }
            match self.reader.read(path) {
                Ok(text) if self.too_large(import, path, &text) => return None,
                Ok(text) => {
                    let index = self.add(path.clone(), key, &text);
                    self.resolved.insert(import.span.start, index);
                    return Some(index);
                }
                Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                Err(error) => {
                    self.diags.push(unreadable(import, path, &error));
                    return None;
                }
            }
        }
        if let Some((name, text)) = builtin {
            let key = PathBuf::from(name);
            if let Some(&seen) = self.keys.get(&key) {
                self.resolved.insert(import.span.start, seen);
                return None;
            }
            let index = self.add(key.clone(), key, text);
            self.resolved.insert(import.span.start, index);
            return Some(index);
        }
        self.diags.push(not_found(import, &candidates, &search));
        None
    }

    /// Whether `text`, read from `path` for `import`, would make the design's files larger
    /// than [`MAX_DESIGN_BYTES`] together (then reported).
    fn too_large(&mut self, import: &Import, path: &Path, text: &str) -> bool {
        let before = self.sources.files().last().map_or(0, |f| f.range().end);
        if before + text.len() <= MAX_DESIGN_BYTES {
            return false;
        }
        self.diags.push(
            Diagnostic::error(
                import.span.clone(),
                format!(
                    "cannot import {}: the design's files would hold more than {} MiB together",
                    path.display(),
                    MAX_DESIGN_BYTES >> 20
                ),
            )
            .with_label("imported here"),
        );
        true
    }

    /// Adds the file read at `path` (known by `key`) to the design.
    fn add(&mut self, path: PathBuf, key: PathBuf, text: &str) -> usize {
        let index = self.add_file(path, text);
        self.keys.insert(key, index);
        index
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
            parser.inherit_opens(&file.inherited_opens);
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
                let Some(&file) = self.resolved.get(&import.span.start) else {
                    continue;
                };
                let path = &self.files[file].path;
                // Another name of a namespace counts (ACT moved the namespace to it).
                let named = program.opened.unalias(name);
                if !program.namespaces.contains(name) && !program.namespaces.contains(&named) {
                    diags.push(
                        Diagnostic::error(
                            import.span.clone(),
                            format!("no namespace `{name}` after importing {}", path.display()),
                        )
                        .with_label("this namespace is not defined")
                        .with_hint(format!(
                            "`import {name};` reads {} and uses its namespace `{name}` (as in ACT); to import the file alone, write `import \"{}\";`",
                            path.display(),
                            import.path().display()
                        )),
                    );
                }
            }
        }
        diags
    }
}

/// The name chpsim's own `globals` is shown under (see [`BUILTIN_GLOBALS`]).
const BUILTIN_GLOBALS_NAME: &str = "<chpsim>/globals.act";

/// ACT's `globals` (`import globals;`) where no ACT installation provides it: the global
/// signals `Vdd`, `GND` and `Reset`, and the namespace `globals` the import names.
const BUILTIN_GLOBALS: &str = include_str!("globals.act");

/// The name chpsim's own `sim` library is shown under (see [`BUILTIN_SIM`]).
const BUILTIN_SIM_NAME: &str = "<chpsim>/sim.act";

/// actsim's simulation library (`import sim;`), written for chpsim: one file with all its
/// namespaces (`sim`, `sim::file`, `sim::rand`, `sim::scoreboard`), whichever part is
/// imported.
const BUILTIN_SIM: &str = include_str!("sim.act");

/// chpsim's own file for a library that `import` names, if it has one: ACT's `globals`
/// (`import globals;`, `import "globals.act";`) or actsim's `sim` (`import sim;`,
/// `import sim::rand;`, `import "sim.act";`, `import "sim/file.act";`).
fn builtin_library(import: &Import) -> Option<(&'static str, &'static str)> {
    let (is_globals, is_sim) = match &import.target {
        ImportTarget::Namespace(name) => (
            name == "globals",
            name == "sim" || name.starts_with("sim::"),
        ),
        ImportTarget::File(name) => (
            name == "globals.act" || name == "globals",
            name == "sim.act" || (name.starts_with("sim/") && name.ends_with(".act")),
        ),
    };
    if is_globals {
        Some((BUILTIN_GLOBALS_NAME, BUILTIN_GLOBALS))
    } else if is_sim {
        Some((BUILTIN_SIM_NAME, BUILTIN_SIM))
    } else {
        None
    }
}

/// The libraries of an ACT installation, and what a design that imports them lacks.
const LIBRARIES: [(&str, &str); 2] = [
    ("std", "ACT's standard library `std`"),
    ("math", "ACT's standard library `math`"),
];

/// The error for an import whose file is nowhere: what is missing and every place looked.
fn not_found(import: &Import, candidates: &Candidates, search: &SearchPath) -> Diagnostic {
    let written = import.path();
    let root = written.iter().next().map(|first| {
        let first = Path::new(first);
        first
            .file_stem()
            .unwrap_or(first.as_os_str())
            .to_string_lossy()
            .into_owned()
    });
    let library = LIBRARIES
        .iter()
        .find(|(name, _)| root.as_deref() == Some(*name));
    let looked = candidates.looked(search);
    let (what, hint) = match (library, &import.target) {
        (Some((_, library)), _) => (
            format!("{library} is not installed"),
            format!(
                "{looked}. It comes with ACT: set ACT_HOME to your ACT installation (the \
                 directory whose act/ holds std/, math/ and globals.act)"
            ),
        ),
        (None, ImportTarget::File(name)) => (
            format!("cannot import `{name}`: there is no such file"),
            format!("{looked}. ACT_PATH can list more directories to look in, separated by `:`"),
        ),
        (None, ImportTarget::Namespace(name)) => (
            format!("cannot import namespace `{name}`: there is no file for it"),
            format!("{looked}. ACT_PATH can list more directories to look in, separated by `:`"),
        ),
    };
    Diagnostic::error(import.span.clone(), what)
        .with_label("imported here")
        .with_hint(hint)
}

/// The error for an import whose file exists but cannot be read.
fn unreadable(import: &Import, path: &Path, error: &io::Error) -> Diagnostic {
    let why = match error.kind() {
        io::ErrorKind::InvalidData => "it is not UTF-8 text".to_string(),
        _ => error.to_string(),
    };
    Diagnostic::error(
        import.span.clone(),
        format!("cannot import {}: {why}", path.display()),
    )
    .with_label("imported here")
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

    /// Files in memory, and the paths of the files read.
    struct Memory(Vec<(&'static str, &'static str)>, Vec<PathBuf>);

    impl SourceReader for Memory {
        fn read(&mut self, path: &Path) -> io::Result<String> {
            let (_, text) = self
                .0
                .iter()
                .find(|(name, _)| Path::new(name) == path)
                .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
            self.1.push(path.to_path_buf());
            Ok(text.to_string())
        }
    }

    fn load_main(
        main: &str,
        files: Vec<(&'static str, &'static str)>,
    ) -> (SourceMap, Result<Program, Vec<Diagnostic>>, Vec<PathBuf>) {
        let mut reader = Memory(files, Vec::new());
        let (sources, program) = load("d/main.act", main, "", &mut reader);
        (sources, program, reader.1)
    }

    #[test]
    fn an_empty_file_name_is_its_own_error() {
        let (_, program, read) = load_main("import \"\";\n", vec![]);
        let errors = program.unwrap_err();
        assert_eq!(errors[0].message, "an import with no file name");
        assert!(read.is_empty());
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
