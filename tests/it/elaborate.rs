//! `chpsim elaborate`: reads, checks and expands a design without running it (exit 0 or 2), as
//! ACT's `act-test -e` does.
use crate::common::cli::{chpsim, stderr, stdout};

fn elaborate(text: &str, extra: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    std::fs::write(&path, text).unwrap();
    let mut args = vec!["elaborate", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    chpsim(&args)
}

const SOURCE_SINK: &str = "defproc src(chan!(int) R) { chp { *[ R!1 ] } }
defproc snk(chan?(int) L) { int x; chp { *[ L?x ] } }
defproc test() { chan(int) c; src s(c); snk k(c); }
";

#[test]
fn a_correct_design_is_expanded_and_not_run() {
    let out = elaborate(SOURCE_SINK, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Nothing runs: no log lines, no end-of-run summary; one line says what was built.
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(err.contains("top `test`: 2 processes, 1 channel"), "{err}");
    assert!(!err.contains("end at time"), "{err}");
}

#[test]
fn a_named_top_is_expanded() {
    let out = elaborate(SOURCE_SINK, &["--top", "src"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("top `src`: 1 process"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_file_of_definitions_only_is_checked_as_a_library() {
    let out = elaborate("defproc a(chan!(int) R) { chp { R!1 } }\n", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no top (definitions only)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_error_exits_2_with_its_location() {
    let out = elaborate("defproc test() { int x; chp { x := y } }\n", &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("d.act:1:"), "{err}");
}

#[test]
fn an_unknown_top_is_an_error() {
    let out = elaborate(SOURCE_SINK, &["--top", "nothere"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no process named `nothere`"),
        "{}",
        stderr(&out)
    );
}
