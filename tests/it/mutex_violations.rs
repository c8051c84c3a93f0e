//! Guards that hold several at once in a selection or loop that is not `[| |]`: as actsim, the
//! run prints `** ERROR ** multiple (N) guards true, mutex violation.` as a log line of the
//! process, at the time of the evaluation, and goes on with the first true guard (exit 0);
//! `chpsim sweep` counts such a seed as failed.
use crate::common::cli::{actsim_script, chpsim, stderr, stderr_without_substitutions, stdout};
use crate::common::run_design::{run_text, run_with, Options};
use crate::language::test_proc;
use chpsim::kernel::{EndReason, Limits};

const VIOLATION_2: &str = "** ERROR ** multiple (2) guards true, mutex violation.";

/// The transcript's lines without their times' padding: `20  test  log  big`.
fn transcript_lines(transcript: &str) -> Vec<String> {
    (transcript.lines())
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.trim_start().to_string())
        .collect()
}

#[test]
fn a_selection_with_two_true_guards_logs_the_violation_and_takes_the_first() {
    let run = run_text(&test_proc(
        "int<8> x; chp { x := 5; [ x > 1 -> log(\"big\") [] x > 3 -> log(\"bigger\") ]; \
         log(\"after\") }",
    ));
    assert_eq!(run.error(), None);
    assert_eq!(run.result.report.reason, EndReason::Idle);
    assert_eq!(
        transcript_lines(&run.transcript),
        [
            format!("20  test  violation  {VIOLATION_2}"),
            "20  test  log  big".into(),
            "20  test  log  after".into(),
            "20  test  end".into(),
        ]
    );
    let violations = &run.result.mutex_violations;
    assert_eq!(violations.count, 1);
    let first = violations.first.as_ref().expect("the first violation");
    assert_eq!(
        (first.time, first.process.as_str(), first.guards),
        (20, "test", 2)
    );
    assert_eq!(
        run.result.summary(),
        "end at time 20: 0 handshakes, 3 events; 1 mutex violation (the first at time 20 in \
         `test` at test.act:2:25)"
    );
}

#[test]
fn the_count_is_that_of_the_guards_that_hold_and_an_else_is_none_of_them() {
    let run = run_text(&test_proc(
        "int<8> x; chp { x := 5; \
         [ x > 1 -> log(\"a\") [] x > 9 -> log(\"b\") [] x > 2 -> log(\"c\") [] x > 3 -> skip \
           [] else -> log(\"else\") ] }",
    ));
    assert_eq!(
        transcript_lines(&run.transcript)[..2],
        [
            "20  test  violation  ** ERROR ** multiple (3) guards true, mutex violation.",
            "20  test  log  a"
        ]
    );
    // One guard and the else: no violation.
    let run = run_text(&test_proc(
        "int<8> x; chp { x := 5; [ x > 1 -> log(\"a\") [] else -> log(\"else\") ] }",
    ));
    assert!(!run.transcript.contains("violation"), "{}", run.transcript);
    assert_eq!(run.result.mutex_violations.count, 0);
}

#[test]
fn a_loop_with_two_true_guards_logs_each_evaluation_and_takes_the_first() {
    // Both guards hold while x < 2: the first arm runs; at x = 2 only the second holds.
    let run = run_text(&test_proc(
        "int<4> x; chp { x := 0; \
         *[ x < 2 -> log(\"first \", x); x := x + 1 [] x < 3 -> log(\"second \", x); x := x + 1 ]; \
         log(\"done\") }",
    ));
    assert_eq!(run.error(), None);
    assert_eq!(
        transcript_lines(&run.transcript),
        [
            format!("20  test  violation  {VIOLATION_2}"),
            "20  test  log  first 0".into(),
            format!("40  test  violation  {VIOLATION_2}"),
            "40  test  log  first 1".into(),
            "60  test  log  second 2".into(),
            "80  test  log  done".into(),
            "80  test  end".into(),
        ]
    );
    assert_eq!(run.result.mutex_violations.count, 2);
}

#[test]
fn a_nondeterministic_selection_with_two_true_guards_is_no_violation() {
    let run = run_text(&test_proc(
        "int<8> x; chp { x := 5; [| x > 1 -> log(\"big\") [] x > 3 -> log(\"bigger\") |] }",
    ));
    assert_eq!(run.log_texts(), ["big"]);
    assert!(!run.transcript.contains("violation"), "{}", run.transcript);
    assert_eq!(run.result.mutex_violations.count, 0);
    assert_eq!(
        run.result.summary(),
        "end at time 20: 0 handshakes, 3 events"
    );
}

#[test]
fn a_function_takes_its_first_true_guard_without_a_violation() {
    // actsim's function evaluation tries the guards in order and says nothing.
    let design = "\
function pick(int<8> x) : int<8> { chp { [ x > 1 -> self := 1 [] x > 3 -> self := 2 ] } }
defproc test() { int<8> y; chp { y := pick(5); log(y) } }
";
    let run = run_text(design);
    assert_eq!(run.log_texts(), ["1"]);
    assert_eq!(run.result.mutex_violations.count, 0);
}

#[test]
fn a_selection_in_hse_with_two_true_guards_logs_the_violation() {
    let design = "\
defproc env(bool! t, f; bool? y, n) { chp { t+, f+; [y | n]; log(y, n) } }
defproc judge(bool? t, f; bool! y, n) { hse { y-, n-; [ t -> y+ [] f -> n+ ] } }
defproc test() { bool t, f, y, n; env e(t, f, y, n); judge j(t, f, y, n); }
";
    let run = run_text(design);
    assert_eq!(run.error(), None);
    assert!(
        run.transcript
            .contains(&format!("  j  violation  {VIOLATION_2}")),
        "{}",
        run.transcript
    );
    assert_eq!(run.log_texts(), ["10"]);
}

/// Two sources always ready and a prober that takes either: both probes hold at each look.
const PROBER: &str = "\
defproc prober(chan?(int<8>) a, b; chan!(int<8>) r) {
  int<8> x;
  chp { *[ [ #a -> a?x [] #b -> b?x ]; r!x ] }
}
defproc source(chan!(int<8>) r) { chp { *[ r!5 ] } }
defproc sink(chan?(int<8>) l) { int<8> x; chp { *[ l?x; log(x) ] } }
defproc test() { chan(int<8>) a, b, c; prober p(a, b, c); source s(a), t(b); sink o(c); }
";

#[test]
fn run_prints_the_violation_on_stdout_as_a_log_line_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prober.act");
    std::fs::write(&path, PROBER).unwrap();
    let o = chpsim(&["run", path.to_str().unwrap(), "--until", "100"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let prefix = |t: u64, who: &str| format!("[{t:>20}] <{who}>  ");
    let expected: String = [
        (20, "p", VIOLATION_2),
        (40, "o", "5"),
        (60, "p", VIOLATION_2),
        (80, "o", "5"),
        (100, "p", VIOLATION_2),
    ]
    .iter()
    .map(|(t, who, text)| format!("{}{text}\n", prefix(*t, who)))
    .collect();
    assert_eq!(stdout(&o), expected);
    assert!(
        stderr(&o).contains("; 3 mutex violations (the first at time 20 in `p` at "),
        "{}",
        stderr(&o)
    );
}

#[test]
fn actsim_prints_the_violation_whatever_filter_says_and_goes_on() {
    let o = actsim_script(PROBER, &["d.act", "test"], "filter o\nadvance 100\n");
    assert_eq!(o.status.code(), Some(0));
    let lines: Vec<String> = stdout(&o).lines().map(str::to_owned).collect();
    let violation = |t: u64| format!("[{t:>20}] <p>  {VIOLATION_2}");
    let five = |t: u64| format!("[{t:>20}] <o>  5");
    assert_eq!(
        lines,
        [
            violation(20),
            five(40),
            violation(60),
            five(80),
            violation(100)
        ]
    );
    assert_eq!(stderr_without_substitutions(&o), "");
}

#[test]
fn a_violation_ends_with_the_run_within_its_limit() {
    let options = Options {
        limits: Limits {
            until: Some(60),
            max_events: None,
        },
        top: None,
        ..Options::default()
    };
    let run = run_with(PROBER, options);
    assert_eq!(run.error(), None);
    assert_eq!(run.result.report.reason, EndReason::Until);
    assert_eq!(run.result.mutex_violations.count, 2);
}

#[test]
fn sweep_counts_a_seed_with_a_violation_as_failed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prober.act");
    std::fs::write(&path, PROBER).unwrap();
    let path = path.to_str().unwrap();
    let o = chpsim(&["sweep", path, "--seeds", "0..2", "--until", "100"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report = stdout(&o);
    assert!(
        report.starts_with(
            "seed 0: mutex violation at time 20 in `p`: 2 guards of a selection or loop true \
             at once (only [| ... |] chooses among true guards)\n"
        ),
        "{report}"
    );
    assert!(
        report.contains(&format!("  chpsim run {path} --seed 1 --until 100\n")),
        "{report}"
    );
    assert!(
        stderr(&o).contains(": 2 of 2 seeds failed (2 mutex violations)"),
        "{}",
        stderr(&o)
    );
    // `[| |]` instead: every seed passes.
    let fair = PROBER.replace("[ #a -> a?x [] #b -> b?x ]", "[| #a -> a?x [] #b -> b?x |]");
    std::fs::write(dir.path().join("fair.act"), fair).unwrap();
    let fair = dir.path().join("fair.act");
    let o = chpsim(&[
        "sweep",
        fair.to_str().unwrap(),
        "--seeds",
        "0..2",
        "--until",
        "100",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
