//! Production rules run on the gate-level engine: node transitions in the transcript and the
//! waveform (1-bit signals with X), actsim's warnings at actsim's times, CHP and circuits
//! joined by shared bools, and a process with both running its rules only.
use std::process::Command;

use crate::common::run_design::run_text;
use crate::common::vcd_check::check_vcd;

/// The lines of a transcript about node `path`: `(time, value)`.
fn node_changes(transcript: &str, path: &str) -> Vec<(u64, String)> {
    let marker = format!("  {path} := ");
    transcript
        .lines()
        .filter_map(|l| {
            let (time, value) = l.split_once(&marker)?;
            Some((time.trim().parse().ok()?, value.to_string()))
        })
        .collect()
}

fn changes(list: &[(u64, &str)]) -> Vec<(u64, String)> {
    list.iter().map(|&(t, v)| (t, v.to_string())).collect()
}

const INVERTER: &str = "\
defproc inv(bool? a; bool! y) { prs { a => y- } }
defproc env(bool! a) { chp { a-; a+ } }
defproc test() { bool a, y; inv g(a, y); env e(a); }
";

#[test]
fn an_inverter_follows_its_input_one_default_delay_later() {
    let run = run_text(INVERTER);
    assert_eq!(
        node_changes(&run.transcript, "y"),
        changes(&[(20, "1"), (30, "0")])
    );
    // The CHP writes are node changes too.
    assert_eq!(
        node_changes(&run.transcript, "a"),
        changes(&[(10, "0"), (20, "1")])
    );
    assert_eq!(run.result.report.transitions, 2);
    assert!(
        run.result.summary().contains(", 2 transitions"),
        "{}",
        run.result.summary()
    );
}

#[test]
fn after_sets_the_delay_of_a_rule() {
    let design = "\
defproc slow(bool? a; bool! y) { prs { [after=25] a -> y-  [after=3] ~a -> y+ } }
defproc env(bool! a) { chp { a-; a+ } }
defproc test() { bool a, y; slow g(a, y); env e(a); }
";
    let run = run_text(design);
    assert_eq!(
        node_changes(&run.transcript, "y"),
        changes(&[(13, "1"), (45, "0")])
    );
}

#[test]
fn interference_is_reported_as_actsim_does_and_the_node_goes_x() {
    let design = "\
defproc fight(bool? a, b; bool! y) { prs { a -> y+  b -> y- } }
defproc env(bool! a, b) { chp { a-, b-; a+; b+ } }
defproc test() { bool a, b, y; fight f(a, b, y); env e(a, b); }
";
    let run = run_text(design);
    // a+ at 20 pulls y up (due at 30); b+ at 30 pulls it down too: interference at 30, X at 31.
    assert_eq!(
        node_changes(&run.transcript, "y"),
        changes(&[(30, "1"), (31, "X")])
    );
    assert!(
        run.transcript
            .contains("30  f  log  WARNING: interference on `y'   [by e]"),
        "{}",
        run.transcript
    );
}

#[test]
fn a_process_with_rules_runs_them_not_its_chp() {
    let design = "\
defproc both(bool? a; bool! y) { prs { a => y- } chp { log(\"chp ran\") } }
defproc env(bool! a) { chp { a+ } }
defproc test() { bool a, y; both g(a, y); env e(a); }
";
    let run = run_text(design);
    assert!(run.log_texts().is_empty(), "{}", run.transcript);
    assert_eq!(node_changes(&run.transcript, "y"), changes(&[(20, "0")]));
}

#[test]
fn nodes_are_one_bit_signals_with_x_in_the_waveform() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.act");
    std::fs::write(&file, INVERTER).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_chpsim"))
        .arg("run")
        .arg(&file)
        .args(["--quiet", "--vcd"])
        .arg(dir.path().join("run.vcd"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(dir.path().join("run.vcd")).unwrap();
    let vcd = check_vcd(&text).unwrap_or_else(|e| panic!("invalid VCD: {e}\n{text}"));
    assert_eq!(vcd.signal("test.y").map(|s| s.width), Some(1));
    assert_eq!(
        vcd.changes("test.y"),
        changes(&[(0, "x"), (20, "1"), (30, "0")])
    );
    assert_eq!(
        vcd.changes("test.a"),
        changes(&[(0, "x"), (10, "0"), (20, "1")])
    );
}

#[test]
fn a_guard_on_a_node_wakes_when_the_circuit_changes_it() {
    let design = "\
defproc inv(bool? a; bool! y) { prs { a => y- } }
defproc env(bool! a; bool? y) { chp { a+; [~y]; log(\"y fell\"); a-; [y]; log(\"y rose\") } }
defproc test() { bool a, y; inv g(a, y); env e(a, y); }
";
    let run = run_text(design);
    // a+ at 10, y- at 20 (the guard, evaluated at 20 too, sees it); a- at 30, y+ at 40.
    assert_eq!(
        run.logs(),
        vec![(20, "y fell".to_string()), (40, "y rose".to_string())]
    );
}

#[test]
fn a_circuit_alone_runs_its_rules_from_their_initial_evaluation() {
    // No CHP process at all: constant guards fire at the start (x- and y+ at 10), and x- then
    // pulls y down against its pull-up: interference at 10, caused by x.
    let design = "\
defproc test() {
  bool x, y;
  prs { true -> x-  ~x -> y-  true -> y+ }
}
";
    let run = run_text(design);
    assert_eq!(node_changes(&run.transcript, "x"), changes(&[(10, "0")]));
    assert!(
        run.transcript
            .contains("WARNING: interference on `y'   [by x <- 0]"),
        "{}",
        run.transcript
    );
}

#[test]
fn initialize_runs_its_actions_in_reset_mode_before_chp_starts() {
    // By hand (actsim's reset phase): Reset+ fires at 10 and pulls b down at 20; the design
    // settles for a round of 100 ticks; then reset mode ends: env, held so far, fires its first
    // action at 110 (its first of 10, 20, ... after 100), as does the last action, Reset-.
    let design = "\
bool Reset;
defproc inv(bool a, b) { prs { ~Reset & ~a -> b+  Reset | a -> b- } }
defproc env(bool! a; bool? b) { chp { a+; [~b]; log(\"b low\"); a-; [b]; log(\"b high\") } }
defproc test() { bool a, b; inv g(a, b); env e(a, b); }
Initialize { actions { Reset+ }; actions { Reset- } }
";
    let run = run_text(design);
    assert_eq!(
        node_changes(&run.transcript, "Reset"),
        changes(&[(10, "1"), (110, "0")])
    );
    assert_eq!(
        node_changes(&run.transcript, "a"),
        changes(&[(110, "1"), (130, "0")])
    );
    assert_eq!(
        node_changes(&run.transcript, "b"),
        changes(&[(20, "0"), (140, "1")])
    );
    assert!(
        run.transcript.contains("120  e  log  b low"),
        "{}",
        run.transcript
    );
    assert!(
        run.transcript.contains("140  e  log  b high"),
        "{}",
        run.transcript
    );
}
