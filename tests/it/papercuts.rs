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
