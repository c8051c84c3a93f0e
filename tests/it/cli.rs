//! The command line's end-of-run behaviour (README, "The command line"): deadlock diagnosis and
//! `--deadlock=error`, runtime errors with complete outputs, and output files that are never
//! half-written.
use std::path::{Path, PathBuf};

use crate::common::vcd_check;

use crate::common::cli::{chpsim, files_in, stderr, stdout};

/// Writes a design into a fresh directory and returns (directory, design path).
pub(crate) fn design(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.act");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

pub(crate) fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

// ----------------------------------------------------------------------
// Deadlock diagnosis
// ----------------------------------------------------------------------

#[test]
fn dining_philosophers_deadlock_names_the_cycle_channels_and_lines() {
    let out = chpsim(&[
        "run",
        "tests/bad/deadlock_philosophers.act",
        "--deadlock=error",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("deadlock: cycle p[0] → f[1] → p[1] → f[2] → p[2] → f[0] → p[0]"),
        "{err}"
    );
    for i in 0..3 {
        let right = (i + 1) % 3;
        assert!(
            err.contains(&format!(
                "p[{i}] waits on send p[{i}].R -> f[{right}].B at tests/bad/deadlock_philosophers.act:7:16"
            )),
            "{err}"
        );
        assert!(
            err.contains(&format!(
                "f[{i}] waits on receive p[{i}].L -> f[{i}].A at tests/bad/deadlock_philosophers.act:4:25"
            )),
            "{err}"
        );
    }
    assert!(err.contains("error: the run ended in deadlock (--deadlock=error)"));
    // Nobody ate.
    assert!(!stdout(&out).contains("eating"));
}

#[test]
fn crossed_pair_is_a_cycle_of_two() {
    let (_dir, path) = design(
        "defproc cell(chan!(int<8>) O; chan?(int<8>) I) {
  int<8> x;
  chp { O!1; I?x }
}
defproc test() {
  cell a, b;
  a.O = b.I;
  b.O = a.I;
}
",
    );
    let out = chpsim(&["run", path_str(&path), "--deadlock=error"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("deadlock: cycle a → b → a"), "{err}");
    assert!(err.contains("a waits on send a.O -> b.I at "), "{err}");
    assert!(err.contains("b waits on send b.O -> a.I at "), "{err}");
    assert!(err.contains("design.act:3:9"), "{err}");

    // With the default policy the same report is a warning: exit 0.
    let out = chpsim(&["run", path_str(&path)]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("deadlock: cycle a → b → a"));

    // --quiet still reports the deadlock (it is what went wrong), but not the summary.
    let out = chpsim(&["run", path_str(&path), "--quiet", "--deadlock=error"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("deadlock: cycle a → b → a"));
    assert!(!stderr(&out).contains("end at time"));
}

#[test]
fn a_ring_that_all_receives_first_is_a_cycle() {
    let out = chpsim(&[
        "run",
        "tests/bad/deadlock_ring_of_three.act",
        "--deadlock=error",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("deadlock: cycle a → c → b → a"), "{err}");
    assert!(
        err.contains("a waits on receive c.R -> a.L at tests/bad/deadlock_ring_of_three.act:5:12")
    );
}

#[test]
fn receivers_whose_input_ended_are_a_normal_end() {
    let out = chpsim(&[
        "run",
        "tests/bad/idle_receive_is_normal.act",
        "--deadlock=error",
        "--verbose",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("idle: b waits on receive a.R -> b.L at tests/bad/idle_receive_is_normal.act:4:51 (its input has ended)"),
        "{err}"
    );
    assert!(!err.contains("deadlock"), "{err}");
}

#[test]
fn a_sender_left_alone_is_stuck() {
    let out = chpsim(&[
        "run",
        "tests/bad/deadlock_stuck_send.act",
        "--deadlock=error",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "deadlock: a waits on send a.R -> b.L at tests/bad/deadlock_stuck_send.act:3:59"
        ),
        "{err}"
    );
}

#[test]
fn a_run_cut_by_until_is_not_a_deadlock() {
    let out = chpsim(&[
        "run",
        "tests/bad/deadlock_philosophers.act",
        "--deadlock=error",
        "--until",
        "10",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// ----------------------------------------------------------------------
// Runtime errors: complete outputs up to the error
// ----------------------------------------------------------------------

const FAILS_AT_120: &str = "tests/bad/runtime_error_in_nested_instance.act";

#[test]
fn a_runtime_error_leaves_a_complete_transcript_and_vcd() {
    let dir = tempfile::tempdir().unwrap();
    let transcript = dir.path().join("run.transcript");
    let vcd = dir.path().join("run.vcd");
    let out = chpsim(&[
        "run",
        FAILS_AT_120,
        "--transcript",
        path_str(&transcript),
        "--vcd",
        path_str(&vcd),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("runtime error at time 120 in `top.p[0].k`: assertion failed: got the forbidden value 3"),
        "{err}"
    );
    assert!(
        err.contains("runtime_error_in_nested_instance.act:4:17"),
        "{err}"
    );

    let text = std::fs::read_to_string(&transcript).unwrap();
    assert!(text.ends_with('\n'), "cut mid-line:\n{text}");
    let lines: Vec<&str> = text.lines().collect();
    let error_at = lines
        .iter()
        .position(|l| l.contains("top.p[0].k  error  assertion failed: got the forbidden value 3"))
        .unwrap_or_else(|| panic!("no error line:\n{text}"));
    assert!(lines[error_at].trim_start().starts_with("120 "), "{text}");
    // After the error: at most the failing process's end, then the end summary.
    let summary = lines
        .iter()
        .position(|l| l.starts_with("# end at 120 (error)"))
        .unwrap_or_else(|| panic!("no end summary:\n{text}"));
    assert!(summary > error_at);
    assert!(lines[error_at + 1..summary]
        .iter()
        .all(|l| l.contains("top.p[0].k  end")));
    assert!(lines[summary + 1..].iter().all(|l| l.starts_with("#   ")));
    // Nothing after the error's time.
    for l in &lines[1..summary] {
        let time: u64 = l.split_whitespace().next().unwrap().parse().unwrap();
        assert!(time <= 120, "{l}");
    }

    let waveform = std::fs::read_to_string(&vcd).unwrap();
    let summary = vcd_check::check_vcd(&waveform).unwrap_or_else(|e| panic!("bad VCD: {e}"));
    assert_eq!(summary.last_time(), Some(120));
    assert_eq!(files_in(dir.path()), ["run.transcript", "run.vcd"]);
}

#[test]
fn an_interrupted_run_leaves_complete_files() {
    // --until and --max-events cut the run short: the files are still whole.
    for limit in [["--until", "95"], ["--max-events", "17"]] {
        let dir = tempfile::tempdir().unwrap();
        let transcript = dir.path().join("t.transcript");
        let vcd = dir.path().join("t.vcd");
        let out = chpsim(&[
            "run",
            "designs/pipeline.act",
            "--quiet",
            "--transcript",
            path_str(&transcript),
            "--vcd",
            path_str(&vcd),
            limit[0],
            limit[1],
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = std::fs::read_to_string(&transcript).unwrap();
        assert!(text.ends_with('\n'));
        assert!(text.lines().last().unwrap().starts_with('#'), "{text}");
        assert!(text.contains("# end at "), "{text}");
        let waveform = std::fs::read_to_string(&vcd).unwrap();
        vcd_check::check_vcd(&waveform).unwrap_or_else(|e| panic!("bad VCD: {e}"));
        assert_eq!(files_in(dir.path()), ["t.transcript", "t.vcd"]);
    }
}

// ----------------------------------------------------------------------
// Output paths
// ----------------------------------------------------------------------

#[test]
fn an_unwritable_output_is_an_error_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.transcript");
    std::fs::write(&good, "previous contents\n").unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--vcd", "/nonexistent/dir/x.vcd"],
            "error: cannot write /nonexistent/dir/x.vcd: the directory /nonexistent/dir does not exist",
        ),
        (
            vec!["--transcript", "/nonexistent/dir/x.transcript"],
            "error: cannot write /nonexistent/dir/x.transcript: the directory /nonexistent/dir does not exist",
        ),
        (
            vec!["--vcd", path_str(dir.path())],
            "it is a directory",
        ),
        (
            vec!["--transcript", path_str(&good), "--vcd", "/nonexistent/dir/x.vcd"],
            "the directory /nonexistent/dir does not exist",
        ),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["run", "designs/pipeline.act"];
        args.extend(extra.iter().copied());
        let out = chpsim(&args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(expected), "{extra:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{extra:?}: {err}");
        assert!(
            !err.contains(".chpsim-"),
            "the temporary name leaked: {err}"
        );
        // The run never started: no log line was printed.
        assert!(out.stdout.is_empty(), "{extra:?}: {}", stdout(&out));
    }
    // The file that could have been written is untouched, and no temporary file is left.
    assert_eq!(
        std::fs::read_to_string(&good).unwrap(),
        "previous contents\n"
    );
    assert_eq!(files_in(dir.path()), ["good.transcript"]);
}

#[test]
fn a_bad_design_is_reported_before_any_output_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let transcript = dir.path().join("t.transcript");
    let out = chpsim(&[
        "run",
        "tests/bad/unknown_process.act",
        "--transcript",
        path_str(&transcript),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown process `bufer`"));
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn a_failed_run_replaces_an_older_output_completely() {
    let dir = tempfile::tempdir().unwrap();
    let transcript = dir.path().join("t.transcript");
    std::fs::write(&transcript, "x".repeat(100_000)).unwrap();
    let out = chpsim(&[
        "run",
        FAILS_AT_120,
        "--quiet",
        "--transcript",
        path_str(&transcript),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(&transcript).unwrap();
    assert!(text.starts_with("# chpsim transcript:"), "{text}");
    assert!(!text.contains("xxx"));
    assert!(text.contains("# end at 120 (error)"));
}

#[test]
fn command_line_mistakes_exit_with_2() {
    for args in [
        vec!["run"],
        vec!["run", "designs/pipeline.act", "--deadlock=maybe"],
        vec!["run", "designs/pipeline.act", "--seed", "-1"],
        vec!["run", "designs/pipeline.act", "--until", "soon"],
        vec!["run", "designs/pipeline.act", "--timescale", "3 parsecs"],
        // Variables go into a waveform: without one there is nowhere to show them.
        vec!["run", "designs/pipeline.act", "--vcd-vars"],
        vec!["frobnicate"],
    ] {
        let out = chpsim(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{args:?}");
    }
}

/// A process waiting on a probe of its *output* after the receiver has ended can never go on:
/// it is stuck like a send, not idle like a receive whose input ended.
#[test]
fn a_probe_on_an_output_whose_receiver_ended_is_a_deadlock() {
    let (_dir, path) = design(
        "defproc waiter(chan!(int<8>) R) { chp { [ #R ]; R!1 } }
defproc idle(chan?(int<8>) L) { chp { skip } }
defproc test() { waiter w; idle i; w.R = i.L; }
",
    );
    let out = chpsim(&["run", path_str(&path), "--deadlock=error"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("deadlock: w waits on guard at "), "{err}");
}

#[test]
fn check_reports_bad_header_options_and_bad_designs_with_exit_2() {
    let (dir, path) = design("// chpsim: --frobnicate 3\ndefproc test() { chp { skip } }\n");
    let golden = dir.path().join("golden");
    std::fs::create_dir(&golden).unwrap();
    let out = chpsim(&["check", path_str(&path), "--golden", path_str(&golden)]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.ends_with(
            "design.act: bad `// chpsim:` options: unexpected argument '--frobnicate' found\n"
        ),
        "{err}"
    );
    // The verdict names the design once.
    assert_eq!(
        stdout(&out),
        format!(
            "INVALID  {}: bad `// chpsim:` options: unexpected argument '--frobnicate' found \
             (the errors are on stderr)\ncheck: 0 ok, 1 invalid (1 design)\n",
            path_str(&path)
        )
    );

    let out = chpsim(&[
        "check",
        "tests/bad/unknown_process.act",
        "--golden",
        path_str(&golden),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown process `bufer`"));
}
