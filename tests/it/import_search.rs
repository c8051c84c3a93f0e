//! Where an import is found (README, "Where imports come from"): as ACT looks, from the
//! working directory, then each directory of `$ACT_PATH`, then `$ACT_HOME/act`; then next to
//! the importing file. Each test builds its own small libraries in temporary directories and
//! sets `ACT_HOME` and `ACT_PATH` for the chpsim it runs only.
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_chpsim");

/// Runs chpsim in `dir` with exactly the ACT variables `env` (the others unset).
fn chpsim(dir: &Path, env: &[(&str, &Path)], args: &[&str]) -> Output {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(dir)
        .env_remove("ACT_HOME")
        .env_remove("ACT_PATH");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("the chpsim binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A directory holding `files` (path relative to it, text).
fn files(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// A library file whose process `who` logs `name`, so that a run says which file was found.
fn says(name: &str) -> String {
    format!("defproc who() {{ chp {{ log(\"{name}\") }} }}\n")
}

/// The same in namespace `ns`.
fn says_in(ns: &str, name: &str) -> String {
    format!("namespace {ns} {{ export defproc who() {{ chp {{ log(\"{name}\") }} }} }}\n")
}

/// The one log line of a run of `main.act`'s `test`, or the run's errors.
fn run_main(dir: &Path, env: &[(&str, &Path)]) -> String {
    let out = chpsim(dir, env, &["run", "main.act", "--top", "test"]);
    match out.status.code() {
        Some(0) => text(&out.stdout)
            .split("  ")
            .last()
            .unwrap_or("")
            .trim()
            .to_string(),
        _ => text(&out.stderr),
    }
}

const MAIN_FILE: &str = "import \"lib.act\";\ndefproc test() { who w; }\n";

#[test]
fn the_working_directory_comes_before_act_path_and_act_home() {
    let work = files(&[("main.act", MAIN_FILE), ("lib.act", &says("work"))]);
    let path = files(&[("lib.act", &says("path"))]);
    let home = files(&[("act/lib.act", &says("home"))]);
    let env = [("ACT_PATH", path.path()), ("ACT_HOME", home.path())];
    assert_eq!(run_main(work.path(), &env), "work");
}

#[test]
fn act_path_directories_are_searched_in_order_before_act_home() {
    let work = files(&[("main.act", MAIN_FILE)]);
    let empty = files(&[]);
    let first = files(&[("lib.act", &says("first"))]);
    let second = files(&[("lib.act", &says("second"))]);
    let home = files(&[("act/lib.act", &says("home"))]);
    let list = std::env::join_paths([empty.path(), first.path(), second.path()]).unwrap();
    let out = Command::new(BIN)
        .args(["run", "main.act", "--top", "test"])
        .current_dir(work.path())
        .env("ACT_PATH", &list)
        .env("ACT_HOME", home.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).ends_with("first\n"),
        "{}",
        text(&out.stdout)
    );
    let env = [("ACT_PATH", second.path()), ("ACT_HOME", home.path())];
    assert_eq!(run_main(work.path(), &env), "second");
}

#[test]
fn act_home_act_comes_before_the_importing_file_s_directory() {
    // main.act is in designs/: its neighbour lib.act is looked at only where ACT finds nothing.
    let work = files(&[
        ("designs/main.act", MAIN_FILE),
        ("designs/lib.act", &says("neighbour")),
    ]);
    let home = files(&[("act/lib.act", &says("home"))]);
    let out = chpsim(
        work.path(),
        &[("ACT_HOME", home.path())],
        &["run", "designs/main.act", "--top", "test"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("home\n"));
    let out = chpsim(
        work.path(),
        &[],
        &["run", "designs/main.act", "--top", "test"],
    );
    assert!(text(&out.stdout).ends_with("neighbour\n"));
}

#[test]
fn an_import_in_a_library_file_is_searched_from_the_working_directory_too() {
    // As ACT: `import "lib/b.act";` inside $ACT_HOME/act/lib/a.act is found on the search
    // path ($ACT_HOME/act/lib/b.act), not relative to a.act (which would be lib/lib/b.act).
    let work = files(&[(
        "main.act",
        "import \"lib/a.act\";\ndefproc test() { who w; }\n",
    )]);
    let home = files(&[
        ("act/lib/a.act", "import \"lib/b.act\";\n"),
        ("act/lib/b.act", &says("b")),
    ]);
    assert_eq!(run_main(work.path(), &[("ACT_HOME", home.path())]), "b");
}

#[test]
fn a_file_name_without_act_is_found_with_it() {
    let work = files(&[
        ("main.act", "import \"lib\";\ndefproc test() { who w; }\n"),
        ("lib.act", &says("lib.act")),
    ]);
    assert_eq!(run_main(work.path(), &[]), "lib.act");
}

#[test]
fn a_namespace_that_is_a_directory_is_its_all_file() {
    // `import std::gates;` is std/gates/_all_.act where there is one (anywhere on the search
    // path), else std/gates.act; its own imports are found on the search path.
    let work = files(&[(
        "main.act",
        "import mylib::parts;\ndefproc test() { mylib::parts::who w; }\n",
    )]);
    let parts = |name: &str| format!("namespace mylib {{ export {} }}\n", says_in("parts", name));
    let home = files(&[
        (
            "act/mylib/parts/_all_.act",
            "import \"mylib/parts/one.act\";\n",
        ),
        ("act/mylib/parts/one.act", &parts("all")),
    ]);
    let shadow = files(&[("mylib/parts.act", &parts("file"))]);
    let env = [("ACT_PATH", shadow.path()), ("ACT_HOME", home.path())];
    assert_eq!(run_main(work.path(), &env), "all");
    assert_eq!(
        run_main(work.path(), &[("ACT_PATH", shadow.path())]),
        "file"
    );
}

#[test]
fn a_library_imported_by_two_files_is_read_once() {
    // Defined twice, its process would be an error.
    let work = files(&[(
        "main.act",
        "import \"a.act\";\nimport shared;\ndefproc test() { shared::who w; }\n",
    )]);
    let home = files(&[
        ("act/a.act", "import shared;\n"),
        ("act/shared.act", &says_in("shared", "once")),
    ]);
    assert_eq!(run_main(work.path(), &[("ACT_HOME", home.path())]), "once");
}

#[test]
fn a_missing_library_names_every_place_looked() {
    let work = files(&[(
        "designs/main.act",
        "import std::channel;\ndefproc test() { chp { skip } }\n",
    )]);
    let path = files(&[]);
    let home = files(&[]);
    let out = chpsim(
        work.path(),
        &[("ACT_PATH", path.path()), ("ACT_HOME", home.path())],
        &["elaborate", "designs/main.act"],
    );
    let stderr = text(&out.stderr).replace('\n', " ");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("ACT's standard library `std` is not installed"),
        "{stderr}"
    );
    for place in [
        "std/channel/_all_.act or std/channel.act".to_string(),
        ". (the working directory)".to_string(),
        format!("{} (from $ACT_PATH)", path.path().display()),
        format!("{} ($ACT_HOME/act)", home.path().join("act").display()),
        "designs (next to the importing file)".to_string(),
        "set ACT_HOME to your ACT installation".to_string(),
    ] {
        assert!(stderr.contains(&place), "{place} not in {stderr}");
    }
}

/// A design connecting ACT's global `Reset` to a process's port.
const USES_RESET: &str = "import globals;\n\
    defproc watch(bool r) { chp { log(\"watching\") } }\n\
    defproc test() { watch w(Reset); }\n";

#[test]
fn without_an_installation_globals_is_chpsim_s_own() {
    let work = files(&[("main.act", USES_RESET)]);
    let out = chpsim(work.path(), &[], &["run", "main.act"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("watching\n"));
    // Vdd and GND are there too, and `globals` is a namespace.
    let work = files(&[(
        "main.act",
        "import globals;\nopen globals;\n\
         defproc pair(bool a, b) { }\ndefproc test() { pair p(Vdd, GND); }\n",
    )]);
    let out = chpsim(work.path(), &[], &["elaborate", "main.act"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn an_installed_globals_is_used_before_chpsim_s_own() {
    // This installation's globals has no Reset: the design cannot connect it.
    let work = files(&[("main.act", USES_RESET)]);
    let home = files(&[("act/globals.act", "bool Vdd, GND;\nnamespace globals { }\n")]);
    let out = chpsim(
        work.path(),
        &[("ACT_HOME", home.path())],
        &["elaborate", "main.act"],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("Reset"), "{stderr}");
}
