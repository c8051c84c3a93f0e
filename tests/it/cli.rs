//! The command line's end-of-run behaviour (README, "The command line"): deadlock diagnosis and
//! `--deadlock=error`, runtime errors with complete outputs, and output files that are never
//! half-written.
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::vcd_check;

use crate::common::cli::{chpsim, files_in, stderr, stdout, BIN};

/// Writes a design into a fresh directory and returns (directory, design path).
fn design(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.act");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn path_str(p: &Path) -> &str {
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

// ----------------------------------------------------------------------
// A run that is stopped (Ctrl-C, SIGTERM) or piped
// ----------------------------------------------------------------------

/// A design that runs for ever, logging each value it receives.
const FOREVER: &str = "defproc src(chan!(int<8>) R) { int<8> x; chp { *[ R!x; x := x + 1 ] } }
defproc snk(chan?(int<8>) L) { int<8> y; chp { *[ L?y; log(\"got \", y) ] } }
defproc test() { src s; snk k; s.R = k.L; }
";

/// Waits for `child` to exit, killing it (and failing) if it runs past `seconds`.
fn wait_at_most(child: &mut std::process::Child, seconds: u64) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("chpsim still runs after {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn read_all(pipe: Option<impl std::io::Read>) -> String {
    let mut text = String::new();
    pipe.unwrap().read_to_string(&mut text).unwrap();
    text
}

#[test]
fn a_signal_stops_the_run_with_complete_outputs_and_exit_130() {
    for signal in ["-INT", "-TERM"] {
        let (dir, path) = design(FOREVER);
        let transcript = dir.path().join("t.transcript");
        let vcd = dir.path().join("t.vcd");
        // An older output must not silently stay.
        std::fs::write(&vcd, "old").unwrap();
        let mut child = Command::new(BIN)
            .args([
                "run",
                path_str(&path),
                "--transcript",
                path_str(&transcript),
            ])
            .args(["--vcd", path_str(&vcd)])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Let it run until its outputs have grown.
        let started = std::time::Instant::now();
        while !files_in(dir.path()).iter().any(|f| {
            f.ends_with(".tmp") && std::fs::metadata(dir.path().join(f)).unwrap().len() > 100_000
        }) {
            assert!(
                started.elapsed().as_secs() < 30,
                "{:?}",
                files_in(dir.path())
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let killed = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = wait_at_most(&mut child, 30);
        let err = read_all(child.stderr.take());
        assert_eq!(status.code(), Some(130), "{signal}: {err}");
        let text = std::fs::read_to_string(&transcript).unwrap();
        let last = text.lines().last().unwrap();
        let time = last
            .strip_prefix("# interrupted at ")
            .unwrap_or_else(|| panic!("{signal}: last line {last}"));
        assert!(text.contains(&format!("# end at {time} (interrupted)")));
        assert!(
            err.contains(&format!("interrupted at time {time}")),
            "{err}"
        );
        let waveform = std::fs::read_to_string(&vcd).unwrap();
        let summary = vcd_check::check_vcd(&waveform).unwrap_or_else(|e| panic!("bad VCD: {e}"));
        assert_eq!(summary.last_time(), Some(time.parse().unwrap()));
        assert!(waveform.ends_with(&format!("$comment\n    interrupted at {time}\n$end\n")));
        assert_eq!(
            files_in(dir.path()),
            ["design.act", "t.transcript", "t.vcd"],
            "{signal}: a temporary file is left"
        );
    }
}

/// Reads the first lines of `chpsim run ARGS` on stdout, then closes it as `head` does.
fn run_and_close_stdout(args: &[&str], lines: usize) -> (std::process::ExitStatus, String) {
    use std::io::BufRead;
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    for _ in 0..lines {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert!(!line.is_empty());
    }
    drop(out);
    let status = wait_at_most(&mut child, 60);
    (status, read_all(child.stderr.take()))
}

#[test]
fn a_closed_stdout_stops_a_run_that_writes_nothing_else_silently() {
    let (_dir, path) = design(FOREVER);
    for extra in [
        &[][..],
        &["--transcript", "-"][..],
        &["--quiet", "--transcript", "-"],
    ] {
        let mut args = vec!["run", path_str(&path)];
        args.extend(extra);
        let (status, err) = run_and_close_stdout(&args, 3);
        assert_eq!(status.code(), Some(0), "{extra:?}: {err}");
        assert_eq!(err, "", "{extra:?}");
    }
}

#[test]
fn a_closed_stdout_lets_a_run_complete_its_files() {
    let (dir, path) = design(FOREVER);
    let vcd = dir.path().join("t.vcd");
    let transcript = dir.path().join("t.transcript");
    for file in [
        ["--vcd", path_str(&vcd)],
        ["--transcript", path_str(&transcript)],
    ] {
        let args = [
            "run",
            path_str(&path),
            "--until",
            "300000",
            file[0],
            file[1],
        ];
        let (status, err) = run_and_close_stdout(&args, 3);
        assert_eq!(status.code(), Some(0), "{err}");
        assert!(!err.contains("error"), "{err}");
    }
    let summary = vcd_check::check_vcd(&std::fs::read_to_string(&vcd).unwrap()).unwrap();
    assert_eq!(summary.last_time(), Some(300_000));
    let text = std::fs::read_to_string(&transcript).unwrap();
    assert!(text.contains("# end at 300000 (until)"), "{text}");
    assert_eq!(
        files_in(dir.path()),
        ["design.act", "t.transcript", "t.vcd"]
    );
}

// ----------------------------------------------------------------------
// How a run ends on stderr
// ----------------------------------------------------------------------

#[test]
fn a_normal_end_prints_one_summary_line_and_verbose_lists_who_waits() {
    let out = chpsim(&["run", "designs/pipeline.act"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        "end at time 270: 55 handshakes, 150 events; 11 processes wait at the end (--verbose lists them)\n"
    );

    let out = chpsim(&["run", "designs/pipeline.act", "--verbose"]);
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 12, "{err}");
    assert!(
        lines[0].starts_with(
            "idle: top.b[0] waits on receive top.src.R -> top.b[0].L at designs/pipeline.act:"
        ),
        "{err}"
    );
    assert!(lines[0].ends_with(" (its input has ended)"), "{err}");
    assert_eq!(
        lines[10],
        "idle: ... and 1 more process (no input will come)"
    );
    assert!(
        lines[11].starts_with(
            "end at time 270: 55 handshakes, 150 events; 11 processes wait at the end; "
        ),
        "{err}"
    );
    assert!(lines[11].ends_with(" M handshakes/s"), "{err}");

    let out = chpsim(&["run", "designs/pipeline.act", "--quiet"]);
    assert_eq!(stderr(&out), "");
}

/// A process waiting on a guard over probes is not one whose input has ended.
#[test]
fn a_process_waiting_on_a_guard_is_not_said_to_wait_for_ended_input() {
    let (_dir, path) = design(
        "defproc src(chan!(int<8>) R) { chp { R!1 } }
defproc server(chan?(int<8>) L) { int<8> x; chp { *[ [ #L & x = 0 -> L?x; x := 0 ] ] } }
defproc test() { src s; server v; s.R = v.L; }
",
    );
    let out = chpsim(&["run", path_str(&path), "--verbose"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("idle: v waits on probe at "), "{err}");
    let line = err.lines().find(|l| l.starts_with("idle: v ")).unwrap();
    assert!(!line.contains("its input has ended"), "{err}");
    assert!(
        line.ends_with("(no guard holds, and no input it probes will change)"),
        "{err}"
    );
}

#[test]
fn a_limit_that_stops_the_run_is_named() {
    for (limit, value, said) in [
        (
            "--max-events",
            "17",
            "stopped by --max-events 17 at time 20: 0 handshakes, 17 events",
        ),
        (
            "--until",
            "95",
            "stopped by --until 95 at time 95: 12 handshakes, 46 events",
        ),
    ] {
        let out = chpsim(&["run", "designs/pipeline.act", limit, value]);
        let err = stderr(&out);
        assert!(err.starts_with(said), "{err}");
        let out = chpsim(&["run", "designs/pipeline.act", limit, value, "--verbose"]);
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "waits on delay (when {limit} {value} stopped the run)"
            )),
            "{err}"
        );
        assert!(!err.contains("when the run was stopped"), "{err}");
    }
}

/// `--random-choice` reaches the run settings, from the command line and from a design's
/// `// chpsim:` line.
#[test]
fn random_choice_is_an_option_of_run_and_of_the_design_line() {
    use chpsim::driver::{compile, options::design_options, SourceFile};
    let out = chpsim(&["run", "designs/pipeline.act", "--random-choice", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for (line, expected) in [("", false), ("// chpsim: --random-choice --seed 3\n", true)] {
        let source = SourceFile::new(
            "d.act",
            &format!("{line}defproc test() {{ chp {{ skip }} }}\n"),
        );
        let sim = design_options(&source).unwrap().sim;
        let design = compile(&source, &sim.elab_options().unwrap()).unwrap();
        assert_eq!(sim.settings(&design).random_choice, expected, "{line}");
    }
}

/// `run` applies the design's `// chpsim:` line as `check` does; the command line overrides it.
#[test]
fn run_applies_the_design_options_line_under_the_command_line() {
    let (_dir, path) = design(&format!("// chpsim: --until 100 --seed 3\n{FOREVER}"));
    let out = chpsim(&["run", path_str(&path), "--transcript", "-"]);
    let text = stdout(&out);
    assert!(
        text.starts_with("# chpsim transcript: design=design.act top=test seed=3\n"),
        "{text}"
    );
    assert!(text.contains("# end at 100 (until)"), "{text}");
    assert!(
        stderr(&out).starts_with("stopped by --until 100 at time 100"),
        "{}",
        stderr(&out)
    );

    let out = chpsim(&[
        "run",
        path_str(&path),
        "--transcript",
        "-",
        "--until",
        "50",
        "--seed",
        "4",
    ]);
    let text = stdout(&out);
    assert!(
        text.starts_with("# chpsim transcript: design=design.act top=test seed=4\n"),
        "{text}"
    );
    assert!(text.contains("# end at 50 (until)"), "{text}");
}

/// A typo in the `// chpsim:` line gets clap's "did you mean", from `run` and from `check`.
#[test]
fn a_typo_in_the_design_options_line_gets_a_suggestion() {
    let (dir, path) = design(&format!("// chpsim: --untill 100\n{FOREVER}"));
    let golden = dir.path().join("golden");
    std::fs::create_dir(&golden).unwrap();
    for args in [
        vec!["run", path_str(&path)],
        vec!["check", path_str(&path), "--golden", path_str(&golden)],
    ] {
        let out = chpsim(&args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.ends_with(
                "design.act: bad `// chpsim:` options: unexpected argument '--untill' found (a similar argument exists: '--until')\n"
            ),
            "{err}"
        );
    }
}

// ----------------------------------------------------------------------
// check and --bless
// ----------------------------------------------------------------------

const LOGS_TWO: &str =
    "defproc test() { int x; chp { x := 1; log(\"x=\", x); x := 2; log(\"x=\", x) } }\n";

#[test]
fn bless_shows_the_diff_it_accepts() {
    let (dir, path) = design(LOGS_TWO);
    let golden = dir.path().join("golden");
    let check = |bless: bool| {
        let mut args = vec!["check", path_str(&path), "--golden", path_str(&golden)];
        if bless {
            args.push("--bless");
        }
        let out = chpsim(&args);
        // The verdict, without the summary line.
        let text = stdout(&out);
        let (verdict, summary) = text.trim_end().rsplit_once('\n').unwrap();
        assert!(summary.starts_with("check: 1 "), "{summary}");
        (out.status.code(), format!("{verdict}\n"))
    };
    let (code, text) = check(true);
    assert_eq!(code, Some(0));
    assert!(
        text.starts_with("blessed  ") && text.ends_with(" (new)\n"),
        "{text}"
    );
    // Nothing changed: nothing blessed, nothing written.
    assert!(check(true).1.starts_with("ok       "), "{}", check(true).1);
    std::fs::write(&path, LOGS_TWO.replace("x := 2", "x := 3")).unwrap();
    let (code, text) = check(true);
    assert_eq!(code, Some(0));
    assert!(text.contains(", accepting:\n"), "{text}");
    assert!(
        text.contains("\n-                  20  test  log  x=2\n"),
        "{text}"
    );
    assert!(
        text.contains("\n+                  20  test  log  x=3\n"),
        "{text}"
    );
    assert_eq!(
        check(false),
        (Some(0), format!("ok       {}\n", path_str(&path)))
    );
}

#[test]
fn a_failed_run_is_not_blessed_unless_its_design_expects_the_failure() {
    let failing = "defproc test() { int x; chp { x := 0; x := 5 / x } }\n";
    let (dir, path) = design(failing);
    let golden = dir.path().join("golden");
    for bless in [true, false] {
        let mut args = vec!["check", path_str(&path), "--golden", path_str(&golden)];
        if bless {
            args.push("--bless");
        }
        let out = chpsim(&args);
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(1), "{text}");
        let verdict = if bless { "REFUSED  " } else { "FAILED   " };
        assert!(text.starts_with(verdict), "{text}");
        assert!(
            text.contains(": the run failed: runtime error at time 20 in `test`: division by zero"),
            "{text}"
        );
        assert!(text.contains("`// chpsim: --expect-failure`"), "{text}");
        assert!(
            !golden.join("design.transcript").exists(),
            "a failed run was blessed"
        );
    }
    // Said to fail: it is blessed and checked like any other.
    std::fs::write(&path, format!("// chpsim: --expect-failure\n{failing}")).unwrap();
    let out = chpsim(&[
        "check",
        path_str(&path),
        "--golden",
        path_str(&golden),
        "--bless",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = chpsim(&["check", path_str(&path), "--golden", path_str(&golden)]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // Said to fail, but it does not: that is a failed check too.
    std::fs::write(&path, format!("// chpsim: --expect-failure\n{LOGS_TWO}")).unwrap();
    let out = chpsim(&[
        "check",
        path_str(&path),
        "--golden",
        path_str(&golden),
        "--bless",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("the run did not fail, though its `// chpsim:` line expects it to")
    );
}

/// `chpsim check ... | head` neither panics nor fails: the checks go on, and the exit code is
/// theirs.
#[test]
fn check_with_a_closed_stdout_goes_on_silently() {
    let mut args = vec!["check"];
    // Enough designs that some are checked after the reader has gone.
    args.extend(std::iter::repeat_n("designs/pipeline.act", 200));
    let (status, err) = run_and_close_stdout(&args, 1);
    assert_eq!(status.code(), Some(0), "{err}");
    assert_eq!(err, "");
}

/// The driver's errors are typed: a bad `// chpsim:` line is `DriverError::Options` with what
/// is wrong and clap's tip apart, a design error keeps its diagnostics (rendered only when
/// shown), and a bad timescale is a `TimescaleError`.
#[test]
fn driver_errors_carry_their_parts() {
    use chpsim::driver::{compile, options::design_options, DriverError, SourceFile};
    use chpsim::output::vcd::{parse_timescale, TimescaleError};
    let source = SourceFile::new("d.act", "// chpsim: --sed 3\ndefproc test() { }\n");
    match design_options(&source) {
        Err(DriverError::Options { file, source }) => {
            assert_eq!(file, "d.act");
            assert!(source.what.contains("--sed"), "{source:?}");
            assert!(source.tip.is_some_and(|t| t.contains("--seed")));
        }
        other => panic!("{other:?}"),
    }
    let source = SourceFile::new("d.act", "defproc test() { chp { x := 1 } }\n");
    let top = design_options(&source).unwrap().sim.elab_options().unwrap();
    match compile(&source, &top) {
        Err(e @ DriverError::Invalid { .. }) => {
            let DriverError::Invalid { diagnostics, .. } = &e else {
                unreachable!()
            };
            assert_eq!(diagnostics.len(), 1);
            assert!(e.render().contains("d.act:1:"), "{}", e.render());
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
    assert_eq!(
        parse_timescale("3ns"),
        Err(TimescaleError::BadFactor("3ns".into()))
    );
}

#[test]
fn help_says_all_that_bless_and_quiet_do() {
    let help = stdout(&chpsim(&["check", "--help"]));
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for says in [
        "as its new golden file (creating the `--golden` directory)",
        "print the diff it accepted",
        "is never blessed (REFUSED) unless its design's `// chpsim:` line says `--expect-failure`",
        "a design that cannot be read (INVALID)",
    ] {
        assert!(help.contains(says), "check --help lacks {says:?}: {help}");
    }
    let help = stdout(&chpsim(&["run", "--help"]));
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    let says = "Print only errors, deadlocks, warnings about the design's text and what `--stats` \
                asks for: not the design's log lines, runtime warnings, the progress bar or the \
                summary line";
    assert!(
        help.contains(says),
        "run --help lacks the --quiet text: {help}"
    );
}
