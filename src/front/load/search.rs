//! Where the file an `import` names is looked for: ACT's search, then next to the importing
//! file.
//!
//! ACT resolves `import "a/b.act";` by trying the name as written (from the working directory,
//! or absolute), then, in each directory of its search path, `DIR/a/b.act` and `DIR/a/b.act`
//! with `.act` appended (so `import "a/b";` finds `a/b.act` too). The search path is the
//! working directory, then each directory of `$ACT_PATH` (separated by `:`), then
//! `$ACT_HOME/act`, where ACT's standard library is installed. `import a::b;` is the file
//! `a/b/_all_.act` if that is found anywhere on the search path (a namespace that is a
//! directory: `import std::gates;`), else `a/b.act`. A name starting with `~/` starts in
//! `$HOME`.
//!
//! Where ACT finds nothing, chpsim also looks in the directory of the importing file (designs
//! written for chpsim, whose imports are relative to the file that imports them).
use std::path::{Path, PathBuf};

use crate::front::ast::{Import, ImportTarget};

/// The directories imports are searched in, besides the working directory and the importing
/// file's (see the [module](self)).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SearchPath {
    /// `$ACT_PATH`'s directories, in order.
    pub act_path: Vec<PathBuf>,
    /// `$ACT_HOME`, the ACT installation whose `act/` holds the standard library.
    pub act_home: Option<PathBuf>,
    /// `$HOME`, for names starting with `~/`.
    pub home: Option<PathBuf>,
}

/// No `$ACT_PATH`, no `$ACT_HOME`: only the working directory and the importing file's.
pub(crate) static NO_SEARCH_PATH: SearchPath = SearchPath {
    act_path: Vec::new(),
    act_home: None,
    home: None,
};

impl SearchPath {
    /// The search path of this process's environment (`$ACT_PATH`, `$ACT_HOME`, `$HOME`).
    pub(crate) fn from_env() -> Self {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let home = var("HOME").map(PathBuf::from);
        let act_path = var("ACT_PATH")
            .map(|list| {
                let list = list.to_string_lossy().into_owned();
                split_path_list(&list)
                    .map(|dir| expand_home(dir, home.as_deref()))
                    .collect()
            })
            .unwrap_or_default();
        SearchPath {
            act_path,
            act_home: var("ACT_HOME").map(PathBuf::from),
            home,
        }
    }

    /// The directories of ACT's search, in order, each with what it is.
    fn places(&self) -> Vec<Place> {
        let mut places = vec![Place {
            dir: PathBuf::from("."),
            what: "the working directory".to_string(),
        }];
        places.extend(self.act_path.iter().map(|dir| Place {
            dir: dir.clone(),
            what: "from $ACT_PATH".to_string(),
        }));
        places.extend(self.act_home.iter().map(|home| Place {
            dir: home.join("act"),
            what: "$ACT_HOME/act".to_string(),
        }));
        places
    }
}

/// `$ACT_PATH`'s directories: separated by `:` (ACT also stops a name at white space).
fn split_path_list(list: &str) -> impl Iterator<Item = &str> {
    list.split(|c: char| c == ':' || c.is_whitespace())
        .filter(|dir| !dir.is_empty())
}

/// `name` with a leading `~/` replaced by `$HOME/`.
fn expand_home(name: &str, home: Option<&Path>) -> PathBuf {
    match (name.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(name),
    }
}

/// A directory searched, and what it is ("the working directory", "$ACT_HOME/act", ...).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    dir: PathBuf,
    what: String,
}

/// The files an import may name, in the order they are tried (the first that exists is the
/// one), and how to say where they were looked for if none does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidates {
    pub paths: Vec<PathBuf>,
    /// The names looked for (`std/channel/_all_.act`, `std/channel.act`).
    names: Vec<String>,
    /// The directories looked in.
    places: Vec<Place>,
}

/// Where the file of `import` (in a file whose directory is `importer_dir`) may be.
pub(crate) fn candidates(import: &Import, importer_dir: &Path, search: &SearchPath) -> Candidates {
    let mut places = search.places();
    let next_to_importer = Place {
        dir: importer_dir.to_path_buf(),
        what: "next to the importing file".to_string(),
    };
    let names: Vec<String> = match &import.target {
        ImportTarget::File(name) => vec![name.clone()],
        ImportTarget::Namespace(name) => {
            let dir = name.split("::").collect::<Vec<_>>().join("/");
            vec![format!("{dir}/_all_.act"), format!("{dir}.act")]
        }
    };
    let mut paths = Vec::new();
    // ACT's search for each name in turn (a namespace's `_all_.act` anywhere wins over its
    // `.act`), then the same names next to the importing file.
    for name in &names {
        let name = expand_home(name, search.home.as_deref());
        push_new(&mut paths, &name);
        if name.is_absolute() {
            push_new(&mut paths, &with_act(&name));
            continue;
        }
        for place in &places {
            push_new(&mut paths, &place.dir.join(&name));
            push_new(&mut paths, &with_act(&place.dir.join(&name)));
        }
    }
    // Next to an importing file of the working directory is the working directory.
    let relative = names.iter().any(|name| !Path::new(name).is_absolute());
    if relative && !super::normalize(importer_dir).as_os_str().is_empty() {
        for name in &names {
            let path = importer_dir.join(expand_home(name, search.home.as_deref()));
            push_new(&mut paths, &path);
            push_new(&mut paths, &with_act(&path));
        }
        places.push(next_to_importer);
    }
    Candidates {
        paths,
        names,
        places,
    }
}

/// `path` with `.act` appended (unless it ends in `.act` already).
fn with_act(path: &Path) -> PathBuf {
    if path.extension().is_some_and(|ext| ext == "act") {
        return path.to_path_buf();
    }
    let mut name = path.as_os_str().to_owned();
    name.push(".act");
    PathBuf::from(name)
}

/// Adds `path` (without `.` and `dir/..`) unless it is there already.
fn push_new(paths: &mut Vec<PathBuf>, path: &Path) {
    let path = super::normalize(path);
    if !paths.contains(&path) {
        paths.push(path);
    }
}

impl Candidates {
    /// Where the file was looked for: "std/channel/_all_.act or std/channel.act in the working
    /// directory (.), ...".
    pub(crate) fn looked(&self, search: &SearchPath) -> String {
        let names = self.names.join(" or ");
        let places: Vec<String> = self
            .places
            .iter()
            .map(|place| format!("{} ({})", place.dir.display(), place.what))
            .collect();
        let mut text = format!("looked for {names} in {}", places.join(", "));
        let mut unset = Vec::new();
        if search.act_path.is_empty() {
            unset.push("$ACT_PATH");
        }
        if search.act_home.is_none() {
            unset.push("$ACT_HOME");
        }
        match unset.as_slice() {
            [] => {}
            [one] => text.push_str(&format!("; {one} is not set")),
            _ => text.push_str(&format!("; {} are not set", unset.join(" and "))),
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(target: ImportTarget) -> Import {
        Import {
            target,
            span: 0..0,
            opened_before: Vec::new(),
        }
    }

    fn search() -> SearchPath {
        SearchPath {
            act_path: vec![PathBuf::from("/p1"), PathBuf::from("/p2")],
            act_home: Some(PathBuf::from("/home/act")),
            home: Some(PathBuf::from("/u")),
        }
    }

    fn paths(c: &Candidates) -> Vec<String> {
        c.paths.iter().map(|p| p.display().to_string()).collect()
    }

    #[test]
    fn a_file_is_looked_for_as_written_then_on_the_search_path_then_next_to_the_importer() {
        let c = candidates(
            &import(ImportTarget::File("lib/q.act".into())),
            Path::new("d"),
            &search(),
        );
        assert_eq!(
            paths(&c),
            [
                "lib/q.act",
                "/p1/lib/q.act",
                "/p2/lib/q.act",
                "/home/act/act/lib/q.act",
                "d/lib/q.act",
            ]
        );
    }

    #[test]
    fn a_name_without_extension_also_tries_it_with_act() {
        let c = candidates(
            &import(ImportTarget::File("q".into())),
            Path::new(""),
            &NO_SEARCH_PATH,
        );
        assert_eq!(paths(&c), ["q", "q.act"]);
    }

    #[test]
    fn a_namespace_is_its_directory_s_all_file_anywhere_before_its_file() {
        let c = candidates(
            &import(ImportTarget::Namespace("std::gates".into())),
            Path::new("d"),
            &search(),
        );
        assert_eq!(
            paths(&c),
            [
                "std/gates/_all_.act",
                "/p1/std/gates/_all_.act",
                "/p2/std/gates/_all_.act",
                "/home/act/act/std/gates/_all_.act",
                "std/gates.act",
                "/p1/std/gates.act",
                "/p2/std/gates.act",
                "/home/act/act/std/gates.act",
                "d/std/gates/_all_.act",
                "d/std/gates.act",
            ]
        );
    }

    #[test]
    fn absolute_and_home_names() {
        let c = candidates(
            &import(ImportTarget::File("~/x.act".into())),
            Path::new("d"),
            &search(),
        );
        assert_eq!(paths(&c), ["/u/x.act"]);
    }

    #[test]
    fn the_places_looked_are_named_and_unset_variables_said() {
        let c = candidates(
            &import(ImportTarget::Namespace("std".into())),
            Path::new("d"),
            &NO_SEARCH_PATH,
        );
        assert_eq!(
            c.looked(&NO_SEARCH_PATH),
            "looked for std/_all_.act or std.act in . (the working directory), \
             d (next to the importing file); $ACT_PATH and $ACT_HOME are not set"
        );
        let search = search();
        let c = candidates(
            &import(ImportTarget::Namespace("std".into())),
            Path::new("d"),
            &search,
        );
        assert_eq!(
            c.looked(&search),
            "looked for std/_all_.act or std.act in . (the working directory), /p1 (from \
             $ACT_PATH), /p2 (from $ACT_PATH), /home/act/act ($ACT_HOME/act), d (next to the \
             importing file)"
        );
    }

    #[test]
    fn act_path_is_split_at_colons() {
        let dirs: Vec<&str> = split_path_list("a::b:/c d").collect();
        assert_eq!(dirs, ["a", "b", "/c", "d"]);
    }
}
