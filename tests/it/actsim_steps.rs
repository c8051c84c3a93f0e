//! `chpsim actsim`'s `step N` counts events as actsim's CHP engine does: every statement that
//! runs (a loop's iteration, an assignment, a communication, a selection, a log line, the
//! start of a parallel composition) is one event, a party woken by a handshake one more, and a
//! watched channel's send queues one more a tick later (actsim's delayed trace).
use std::process::Output;

use crate::common::cli::{actsim_script, stderr, stdout};

/// The lines of a run that steps one event at a time, each step followed by `echo mark N`: the
/// number of the event at which each log line appeared.
fn single_steps(design: &str, watch: &str, steps: usize) -> Vec<String> {
    let mut script = String::from(watch);
    for n in 1..=steps {
        script.push_str(&format!("step\necho mark {n}\n"));
    }
    let o: Output = actsim_script(design, &["d.act", "test"], &script);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut event = 1;
    let mut seen = Vec::new();
    for line in stdout(&o).lines() {
        match line.strip_prefix("mark ") {
            Some(n) => event = n.parse::<usize>().unwrap() + 1,
            None => seen.push(format!("{event}: {}", after_stamp(line))),
        }
    }
    seen
}

fn after_stamp(line: &str) -> &str {
    line.split_once("] ").map_or(line, |(_, rest)| rest)
}

#[test]
fn a_loop_iteration_an_assignment_and_a_log_line_are_an_event_each() {
    let design = "defproc test() { int<8> x; chp { x := 0; *[ x := x + 1; log(\"x=\", x) ] } }";
    // x := 0 (1); then per iteration the loop (2), the assignment (3), the log line (4).
    assert_eq!(
        single_steps(design, "", 8),
        ["4: <>  x=1", "7: <>  x=2"].map(String::from)
    );
}

#[test]
fn the_start_of_a_parallel_composition_is_an_event_and_the_join_is_none() {
    let design = "defproc test() {
        int<8> a, b;
        chp { *[ (a := a + 1, b := b + 2); log(\"a=\", a) ] }
    }";
    // The loop (1), the fork (2), the two assignments (3, 4), the log line (5): the branches'
    // start and their join take no event of their own.
    assert_eq!(
        single_steps(design, "", 10),
        ["5: <>  a=1", "10: <>  a=2"].map(String::from)
    );
}

/// A sender whose send waits for the receiver, which copies the value before logging it.
const PAIR: &str = "
defproc src(chan!(int<8>) O) { chp { O!7 } }
defproc snk(chan?(int<8>) I) { int<8> x, y; chp { x := 0; x := 1; I?x; y := x; log(\"got \", y) } }
defproc test() { src s; snk k; s.O = k.I; }
";

#[test]
fn a_handshake_wakes_the_waiting_party_in_an_event_of_its_own() {
    // s's send (1), k's two assignments (2, 3), k's receive (4), s woken (5), y := x (6), the
    // log line (7).
    assert_eq!(single_steps(PAIR, "", 8), ["7: <k>  got 7".to_string()]);
}

#[test]
fn a_watched_send_adds_actsims_delayed_trace_event() {
    // As above, plus an event a tick after each of the two send lines (`send-blocked`,
    // `send complete`), before `y := x`.
    let seen = single_steps(PAIR, "watch k.I\n", 10);
    assert_eq!(
        seen.last().map(String::as_str),
        Some("9: <k>  got 7"),
        "{seen:?}"
    );
}

#[test]
fn a_selection_whose_guard_is_the_constant_false_is_no_event() {
    // ACT drops `false -> ...` arms when it expands a process, and a selection left with only
    // `else` (or only `true`) is its body: the first selection below takes no event.
    let design = "template<pbool LOG> defproc p() {
        int<8> x;
        chp { [LOG -> log(\"on\") [] else -> skip]; [~LOG -> x := 1 [] else -> skip]; log(\"x=\", x) }
    }
    defproc test() { p<false> q; }";
    // The second selection (1), the assignment (2), the log line (3).
    assert_eq!(single_steps(design, "", 3), ["3: <q>  x=1".to_string()]);
}

/// actsim's warning when `cycle`, `step` or `advance` find no event queued.
const EMPTY: &str = "WARNING: Empty simulation!";

/// The lines on stderr that are actsim's empty-queue warning, and the log lines on stdout.
fn empty_warnings_and_log(design: &str, script: &str) -> (usize, Vec<String>) {
    let o = actsim_script(design, &["d.act", "test"], script);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let warnings = stderr(&o).lines().filter(|l| *l == EMPTY).count();
    let log = stdout(&o)
        .lines()
        .map(|l| after_stamp(l).to_string())
        .collect();
    (warnings, log)
}

#[test]
fn cycle_step_and_advance_warn_once_nothing_is_queued_and_run_nothing() {
    // k receives once and ends; s then waits forever to send 8, which is no event.
    let design = "defproc src(chan!(int<8>) O) { chp { O!7; O!8 } }
    defproc snk(chan?(int<8>) I) { int<8> x; chp { I?x; log(\"got \", x) } }
    defproc test() { src s; snk k; s.O = k.I; }";
    let (warnings, log) = empty_warnings_and_log(design, "cycle\necho ran\n");
    assert_eq!(
        (warnings, log),
        (0, ["<k>  got 7", "ran"].map(String::from).to_vec())
    );
    let script = "cycle\ncycle\nstep 5\nstep\nadvance 10\necho mark done\n";
    let (warnings, log) = empty_warnings_and_log(design, script);
    assert_eq!(warnings, 4);
    assert_eq!(log, ["<k>  got 7", "mark done"]);
}

#[test]
fn a_design_with_nothing_to_run_warns_at_its_first_step() {
    let (warnings, log) = empty_warnings_and_log("defproc test() { }", "step\nadvance 5\ncycle\n");
    assert_eq!((warnings, log.len()), (3, 0));
}

#[test]
fn a_transition_a_set_makes_pending_is_an_event_the_queue_ran_dry_is_not() {
    // The circuit settles with nothing pending (every node X); setting `a` queues `b+`.
    let design = "defproc test() { bool a, b; prs { a => b- } }";
    let script = "cycle\nset a 0\ncycle\nget b\ncycle\n";
    let o = actsim_script(design, &["d.act", "test"], script);
    assert_eq!(
        stderr(&o).lines().filter(|l| *l == EMPTY).count(),
        2,
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o), "b: 1\n");
}

#[test]
fn a_command_lines_send_is_an_event_on_a_queue_that_ran_dry() {
    let design = "defproc cons(chan?(int<8>) L) { int<8> x; chp { *[ L?x; log(\"got \", x) ] } }
    defproc test(chan?(int<8>) IN) { cons c(IN); }";
    let (warnings, log) = empty_warnings_and_log(design, "cycle\nsend IN 3\ncycle\ncycle\n");
    assert_eq!((warnings, log), (1, vec!["<c>  got 3".to_string()]));
}

#[test]
fn cycle_in_reset_mode_with_no_transition_pending_runs_nothing_and_says_nothing() {
    // actsim's reset-mode `cycle` steps only while a transition is pending: it never reaches
    // the empty-queue warning.
    let (warnings, log) = empty_warnings_and_log("defproc test() { }", "mode reset\ncycle\n");
    assert_eq!((warnings, log.len()), (0, 0));
}
