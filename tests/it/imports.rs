//! Designs of several files (README, "The language, in one screen"; docs/actsim.md, "Imports"):
//! `import "file.act";` and `import a::b;` through the command line, each file loaded once,
//! `--top` naming an imported process, and every location naming the right file.
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_chpsim");

/// Runs chpsim in `dir` with no ACT installation in its environment.
fn chpsim(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("ACT_HOME")
        .env_remove("ACT_PATH")
        .output()
        .expect("the chpsim binary runs")
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

const TYPES: &str = "export deftype pair (int<4> a; int<4> b) { }\n";

/// `lib.act`: a process in namespace `lib`, using the record type of `lib/types.act`.
const RELAY: &str = "import \"lib/types.act\";\n\
    namespace lib {\n\
    export defproc relay(chan?(pair) L; chan!(pair) R) { pair p; chp { *[ L?p; R!p ] } }\n\
    }\n";

/// `lib/probe.act`: reaches the same `types.act` by another path (a diamond).
const PROBE: &str = "import \"../lib/./types.act\";\n\
    defproc probe(chan?(pair) L) { pair p; chp { L?p; log(\"a=\", p.a, \" b=\", p.b) } }\n\
    defproc probe_test() { chan(pair) c; probe q(c); chp { c!pair(0x12) } }\n\
    probe_test t;\n";

const MAIN: &str = "import lib;\n\
    import \"lib/probe.act\";\n\
    defproc test() {\n\
      chan(pair) a, b; lib::relay r(a, b); probe q(b);\n\
      pair p;\n\
      chp { p.a := 3; p.b := 4; a!p }\n\
    }\n";

#[test]
fn a_design_of_several_files_runs_each_file_loaded_once() {
    let dir = files(&[
        ("main.act", MAIN),
        ("lib.act", RELAY),
        ("lib/probe.act", PROBE),
        ("lib/types.act", TYPES),
    ]);
    // types.act is imported twice: loaded twice, its `deftype` would be defined twice.
    let out = chpsim(dir.path(), &["run", "main.act", "--transcript", "-"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(stdout.contains("q  log  a=3 b=4"), "{stdout}");
    // The probe_test instance of lib/probe.act is no top of this design.
    assert!(!stdout.contains("t."), "{stdout}");
    // A place in an imported file is named by that file.
    assert!(
        stdout.contains("receive a -> r.L  at lib.act:3:"),
        "{stdout}"
    );
    let check = chpsim(dir.path(), &["check", "--bless", "main.act"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let check = chpsim(dir.path(), &["check", "main.act"]);
    assert_eq!(
        text(&check.stdout),
        "ok       main.act\ncheck: 1 ok (1 design)\n"
    );
}

#[test]
fn top_names_a_process_of_an_imported_file() {
    let dir = files(&[
        ("main.act", MAIN),
        ("lib.act", RELAY),
        ("lib/probe.act", PROBE),
        ("lib/types.act", TYPES),
    ]);
    let out = chpsim(dir.path(), &["run", "main.act", "--top", "probe_test"]);
    assert_eq!(text(&out.stdout), "[                  10] <q>  a=1 b=2\n");
    let out = chpsim(
        dir.path(),
        &["run", "main.act", "--top", "lib::relay", "--quiet"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn imports_found_nowhere_else_are_found_next_to_the_importing_file() {
    // Nothing in the working directory, no ACT_PATH, no ACT_HOME: designs/ is looked in last.
    let dir = files(&[
        ("designs/main.act", MAIN),
        ("designs/lib.act", RELAY),
        ("designs/lib/probe.act", PROBE),
        ("designs/lib/types.act", TYPES),
    ]);
    let out = chpsim(dir.path(), &["run", "designs/main.act"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "[                  40] <q>  a=3 b=4\n");
}

#[test]
fn a_lexical_error_in_an_imported_file_is_reported_there() {
    let dir = files(&[
        (
            "main.act",
            "import \"lib.act\";\ndefproc test() { chp { skip } }\n",
        ),
        (
            "lib.act",
            "// lib\ndefproc p() { chp { log(\"never closed) } }\n",
        ),
    ]);
    let out = chpsim(dir.path(), &["run", "main.act"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unterminated string literal"), "{stderr}");
    assert!(stderr.contains("─[ lib.act:2:25 ]"), "{stderr}");
}

#[test]
fn a_file_that_is_not_text_is_an_error_at_its_import() {
    let dir = files(&[(
        "main.act",
        "import \"lib.act\";\ndefproc test() { chp { skip } }\n",
    )]);
    std::fs::write(dir.path().join("lib.act"), b"\xff\xfe").unwrap();
    let out = chpsim(dir.path(), &["run", "main.act"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot import lib.act: it is not UTF-8 text"),
        "{stderr}"
    );
    assert!(stderr.contains("─[ main.act:1:8 ]"), "{stderr}");
}

#[test]
fn only_regular_files_are_imported() {
    // A directory is not the file looked for: the search goes on, and finds nothing here.
    let dir = files(&[(
        "main.act",
        "import \"/dev/zero\";\nimport \"lib\";\ndefproc test() { chp { skip } }\n",
    )]);
    std::fs::create_dir(dir.path().join("lib")).unwrap();
    let out = chpsim(dir.path(), &["run", "main.act"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot import /dev/zero: it is not a regular file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cannot import `lib`: there is no such file"),
        "{stderr}"
    );
}

#[test]
fn namespaces_take_other_names_on_import_and_open() {
    // ACT moves or copies a namespace given another name; chpsim gives it the name besides
    // its own. Every form names the same processes.
    let who = |ns: &str, said: &str| {
        format!(
            "export namespace {ns} {{ export defproc who() {{ chp {{ log(\"{said}\") }} }} }}\n"
        )
    };
    let dir = files(&[
        ("lib.act", &who("lib", "lib")),
        (
            "pkg.act",
            &format!(
                "namespace pkg {{ {} }}\nnamespace dest {{ }}\n",
                who("inner", "inner")
            ),
        ),
        (
            "main.act",
            "import lib -> l;\n\
             import pkg;\n\
             import pkg => wrap;\n\
             open pkg::inner -> pi;\n\
             open lib => copy;\n\
             open lib => cl into dest;\n\
             open pi;\n\
             defproc test() { l::who a; wrap::pkg::inner::who b; pi::who c; copy::who d;\n\
             dest::cl::who e; who f; lib::who g; }\n",
        ),
    ]);
    let out = chpsim(dir.path(), &["run", "main.act"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for (instance, said) in [
        ("a", "lib"),
        ("b", "inner"),
        ("c", "inner"),
        ("d", "lib"),
        ("e", "lib"),
        ("f", "inner"),
        ("g", "lib"),
    ] {
        assert!(
            stdout.contains(&format!("<{instance}>  {said}\n")),
            "{stdout}"
        );
    }
}

#[test]
fn exported_types_of_namespaces_are_used_through_exported_namespaces() {
    // ACT's export rule, in the cases it allows: a namespace's own types need no `export`
    // inside it (and only there: not even in a namespace inside it); an exported type reached
    // through exported namespaces; an exported global type used inside a namespace.
    let dir = files(&[(
        "main.act",
        "export deftype pair (int<4> a; int<4> b) { }\n\
         namespace outer {\n\
           defproc helper(chan?(pair) L) { pair p; chp { L?p; log(p.a) } }\n\
           export defproc wrapper(chan?(pair) L) { helper h(L); }\n\
           export namespace inner {\n\
             export defproc user(chan?(pair) L) { outer::wrapper w(L); }\n\
           }\n\
         }\n\
         defproc test() { chan(pair) c; outer::inner::user u(c); pair p; chp { p.a := 5; c!p } }\n",
    )]);
    let out = chpsim(dir.path(), &["run", "main.act"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("5\n"), "{}", text(&out.stdout));
}

#[test]
fn a_namespace_reopened_under_its_new_name_adds_to_the_renamed_namespace() {
    // ACT moves `lib::cells` to `::more` (`import lib::cells -> more;`, in a file read
    // first); `namespace more { }` then adds to it (in the file `import more;` reads, and
    // here), and the new definitions find its own types and each other bare.
    let dir = files(&[
        (
            "lib/cells.act",
            "namespace lib { export namespace cells {\n\
             export template<pint N> deftype word (int<N> v) { }\n\
             export defproc hello() { chp { log(\"cell\") } }\n\
             } }\n",
        ),
        ("rename.act", "import lib::cells -> more;\n"),
        (
            "more.act",
            "namespace more { export defproc extra() { chp { log(\"extra\") } } }\n",
        ),
        (
            "main.act",
            "import \"rename.act\";\n\
             import more;\n\
             namespace more {\n\
               export deftype byte <: word () { }\n\
               export deftype flagged <: bool (byte<8> b) { }\n\
               export defproc user() { flagged f; byte<8> x; hello h; extra e; chp { x.v := 200; log(x.v) } }\n\
             }\n\
             defproc test() { more::user u; }\n",
        ),
    ]);
    let out = chpsim(dir.path(), &["run", "main.act"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for said in ["cell\n", "extra\n", "200\n"] {
        assert!(stdout.contains(said), "{stdout}");
    }
}

#[test]
fn a_namespace_opened_before_an_import_is_open_in_the_imported_file() {
    // ACT reads an imported file where the import stands, with the namespaces opened so far:
    // `cells.act` writes `word` bare because `main.act` opened `lib` before importing it.
    let dir = files(&[
        (
            "lib.act",
            "namespace lib { export template<pint N> deftype word (int<N> v) { } }\n",
        ),
        (
            "cells.act",
            "import \"inner.act\";\n\
             export defproc cell() { word<8> w; chp { w.v := 7; log(w.v) } }\n",
        ),
        (
            "inner.act",
            "export defproc inner() { word<4> w; chp { w.v := 3; log(w.v) } }\n",
        ),
        (
            "main.act",
            "import lib;\nopen lib;\nimport \"cells.act\";\n\
             defproc test() { cell c; inner i; }\n",
        ),
    ]);
    let out = chpsim(dir.path(), &["run", "main.act"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(stdout.contains("7\n") && stdout.contains("3\n"), "{stdout}");
}
