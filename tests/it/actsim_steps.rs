//! `chpsim actsim`'s `step N` counts events as actsim's CHP engine does: every statement that
//! runs (a loop's iteration, an assignment, a communication, a selection, a log line, the
//! start of a parallel composition) is one event, a party woken by a handshake one more, and a
//! watched channel's send queues one more a tick later (actsim's delayed trace).
use std::process::Output;

use crate::common::cli::{actsim_script, stderr, stdout};

/// The lines of a run that steps one event at a time, each step followed by `echo -- N`: the
/// number of the event at which each log line appeared.
fn single_steps(design: &str, watch: &str, steps: usize) -> Vec<String> {
    let mut script = String::from(watch);
    for n in 1..=steps {
        script.push_str(&format!("step\necho -- {n}\n"));
    }
    let o: Output = actsim_script(design, &["d.act", "test"], &script);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut event = 1;
    let mut seen = Vec::new();
    for line in stdout(&o).lines() {
        match line.strip_prefix("-- ") {
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
