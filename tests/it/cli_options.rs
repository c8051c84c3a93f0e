//! The command line's end-of-run summary, limits, options (`--random-choice`, the design's
//! options line), `check --bless` and `help`.

use crate::cli::{design, path_str};
use crate::cli_signals::{run_and_close_stdout, FOREVER};
use crate::common::cli::{chpsim, stderr, stdout};

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
