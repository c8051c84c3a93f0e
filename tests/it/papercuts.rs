//! Small things that make the tool feel right: singular counts, one line per transcript event,
//! plain messages for `--jobs 0`, a configuration file that is not text or not one at all, and
//! a byte-order mark.
use std::path::Path;
use std::process::Command;

use crate::common::cli::{stderr, stdout, BIN};

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn design(dir: &Path, name: &str, text: &[u8]) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn one_event_is_not_one_events() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path(), "d.act", b"defproc test() { chp { skip } }\n");
    let out = run_in(dir.path(), &["run", "d.act"]);
    assert_eq!(stderr(&out), "end at time 0: 0 handshakes, 1 event\n");
}

#[test]
fn a_line_break_in_a_log_string_keeps_one_line_per_event() {
    let dir = tempfile::tempdir().unwrap();
    design(
        dir.path(),
        "d.act",
        b"defproc test() { chp { log(\"a\\nb\") } }\n",
    );
    let out = run_in(dir.path(), &["run", "d.act", "--transcript", "-"]);
    let text = stdout(&out);
    assert!(text.contains("  log  a\\nb\n"), "{text}");
    assert_eq!(text.lines().count(), 4, "{text}");
}

#[test]
fn jobs_zero_and_configuration_files_get_plain_messages() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path(), "d.act", b"defproc test() { chp { skip } }\n");
    let out = run_in(dir.path(), &["check", "--jobs", "0", "d.act"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(
            "error: invalid value '0' for '--jobs <N>': at least one thread is needed\n"
        ),
        "{}",
        stderr(&out)
    );
    design(dir.path(), "binary.conf", b"begin sim\n\xff\xfe\n");
    let out = run_in(dir.path(), &["run", "d.act", "--config", "binary.conf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .ends_with("not a text file: invalid UTF-8 at byte 10 (chpsim reads UTF-8 text)\n"),
        "{}",
        stderr(&out)
    );
    let lines: String = (0..40)
        .map(|i| format!("user{i}:x:{i}:{i}::/home:/bin/sh\n"))
        .collect();
    design(dir.path(), "passwd", lines.as_bytes());
    let out = run_in(dir.path(), &["run", "d.act", "--config", "passwd"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.matches("Error: ").count() <= 6, "{err}");
    assert!(
        err.contains("more errors in passwd: is it an actsim configuration file?"),
        "{err}"
    );
}

#[test]
fn a_byte_order_mark_starts_a_design_like_any_other() {
    let dir = tempfile::tempdir().unwrap();
    design(
        dir.path(),
        "d.act",
        b"\xef\xbb\xbfdefproc test() { chp { log(\"bom\") } }\n",
    );
    let out = run_in(dir.path(), &["run", "d.act"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("bom"));
}

#[test]
fn option_lines_are_read_after_a_licence_block_and_near_misses_are_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    design(
        dir.path(),
        "d.act",
        b"/* licence\n   text */\n// chpsim: --until 30\n//chpsim: --seed 3\n// CHPSIM: --seed 4\ndefproc test() { int x; chp { *[ x := x + 1 ] } }\n",
    );
    let out = run_in(dir.path(), &["run", "d.act"]);
    let err = stderr(&out);
    assert!(err.contains("stopped by --until 30 at time 30"), "{err}");
    assert!(
        err.contains("warning: d.act: `//chpsim: --seed 3` is not read as options"),
        "{err}"
    );
    assert!(err.contains("`// CHPSIM: --seed 4` is not read"), "{err}");
    design(
        dir.path(),
        "h.act",
        b"// chpsim: --help\ndefproc test() { chp { skip } }\n",
    );
    let out = run_in(dir.path(), &["run", "h.act"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`--help` and `--version` are no options of a design"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_hierarchy_or_call_chain_70_deep_is_not_called_recursive() {
    let dir = tempfile::tempdir().unwrap();
    design(
        dir.path(),
        "chain.act",
        b"defproc buf(chan?(int) L; chan!(int) R) { int x; chp { *[ L?x; R!x ] } }
template<pint N> defproc chain(chan?(int) L; chan!(int) R) {
  [ N = 0 -> buf b(L, R); [] else -> chain<N-1> c(L, R); ]
}
defproc src(chan!(int) R) { chp { R!1 } }
defproc snk(chan?(int) L) { int x; chp { L?x; log(\"got \", x) } }
defproc test() { src s; chain<70> c; snk k; s.R = c.L; c.R = k.L; }
",
    );
    let out = run_in(dir.path(), &["run", "chain.act"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("got 1"));
    // Functions calling functions, 70 deep.
    let mut text = String::from("function f0 (int<8> a) : int<8> { chp { self := a + 1 } }\n");
    for i in 1..70 {
        text += &format!(
            "function f{i} (int<8> a) : int<8> {{ chp {{ self := f{}(a) + 1 }} }}\n",
            i - 1
        );
    }
    text += "defproc test() { int<8> x; chp { x := f69(1); log(\"x \", x) } }\n";
    design(dir.path(), "calls.act", text.as_bytes());
    let out = run_in(dir.path(), &["run", "calls.act"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("x 71"), "{}", stdout(&out));
    // A hierarchy that never ends is stopped with a message that says how deep it went.
    design(
        dir.path(),
        "endless.act",
        b"template<pint N> defproc t() { t<N+1> sub; }\nt<0> top;\n",
    );
    let out = run_in(dir.path(), &["run", "endless.act"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("instances nested more than 1000 deep"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_process_whose_chp_a_conditional_leaves_out_is_an_empty_process() {
    let dir = tempfile::tempdir().unwrap();
    design(
        dir.path(),
        "d.act",
        b"template<pint N> defproc t() { [ N = 1 -> chp { log(\"one\") } ] }\nt<0> a;\nt<1> b;\n",
    );
    let out = run_in(dir.path(), &["run", "d.act"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("<b>  one"), "{}", stdout(&out));
}

#[test]
fn chpsim_names_the_top_process_where_actsim_logs_say_empty_brackets() {
    let dir = tempfile::tempdir().unwrap();
    design(
        dir.path(),
        "d.act",
        b"defproc a(chan!(int) R; chan?(int) L) { int x; chp { L?x; R!x } }
defproc test() { chan(int) c, d; int x; a p(c, d); chp { log(\"hi\"); c?x; d!x } }
",
    );
    let out = run_in(
        dir.path(),
        &["run", "d.act", "--stats", "--transcript", "t.out"],
    );
    // actsim's log format keeps `<>`.
    assert_eq!(stdout(&out), "[                   0] <>  hi\n");
    let err = stderr(&out);
    assert!(err.contains("deadlock: cycle p → test → p\n"), "{err}");
    assert!(err.contains("  test waits on receive p.R -> c at"), "{err}");
    assert!(err.contains("     0.0%  test\n"), "{err}");
    assert!(!err.contains("<>"), "{err}");
    let transcript = std::fs::read_to_string(dir.path().join("t.out")).unwrap();
    assert!(transcript.contains("  test  log  hi\n"), "{transcript}");
    assert!(
        transcript.contains("#   test  receive p.R -> c"),
        "{transcript}"
    );
    design(
        dir.path(),
        "e.act",
        b"defproc test() { int x; chp { x := 0; x := 5 / x } }\n",
    );
    let out = run_in(dir.path(), &["run", "e.act"]);
    assert!(
        stderr(&out).contains("runtime error at time 20 in `test`: division by zero"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_delay_of_zero_is_refused_and_an_empty_import_is_named() {
    let dir = tempfile::tempdir().unwrap();
    design(
        dir.path(),
        "d.act",
        b"defproc test() { int x; chp { *[ x := x + 1 ] } }\n",
    );
    // It would never leave time 0, whatever --until says.
    let out = run_in(
        dir.path(),
        &["run", "d.act", "--delay", "0", "--until", "50"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid value '0' for '--delay <DELAY>': at least 1 tick"),
        "{}",
        stderr(&out)
    );
    design(
        dir.path(),
        "i.act",
        b"import \"\";\ndefproc test() { chp { skip } }\n",
    );
    let out = run_in(dir.path(), &["run", "i.act"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("Error: an import with no file name"),
        "{}",
        stderr(&out)
    );
}
