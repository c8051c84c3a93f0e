//! Events of the same time under `chpsim actsim` come in the order of actsim's one binary heap
//! over every event (CHP statements, circuit transitions, retracted transitions, processes held
//! in reset mode), not first in, first out. Each expectation here was worked out by hand from
//! actsim's rules: an event is inserted at the heap's end and moves up past strictly later
//! parents; the root is taken, the last leaf moves to the root and down past strictly earlier
//! children (the right one when both are equally early).
use crate::common::cli::{actsim_script, chpsim, stderr, stdout};

/// Two rails that rise together when `g` falls; `mk_exclhi` lets only the first one rise.
const PAIR: &str = "
defproc pair(bool? g; bool! a, b)
{
  spec { mk_exclhi(a, b) }
  prs {
    g => a-
    g => b-
  }
}
";

/// [`PAIR`] driven by a process that raises and lowers `g`, then logs both rails.
fn driven_pair() -> String {
    format!(
        "{PAIR}
defproc drive(bool! g; bool? a, b)
{{
  bool t;
  chp {{ g+; g-; t := true; log(\"a=\", a, \" b=\", b) }}
}}
defproc test() {{ bool g, a, b; pair p(g, a, b); drive d(g, a, b); }}
"
    )
}

fn actsim_lines(design: &str, script: &str) -> Vec<String> {
    let o = actsim_script(design, &["d.act", "test"], script);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o).lines().map(str::to_string).collect()
}

#[test]
fn a_chp_event_queued_with_two_transitions_changes_which_of_them_fires_first() {
    let design = driven_pair();
    // Heap by hand (d's statements d1..; a-, b- at 20 are A1, B1; a+, b+ at 30 are A2, B2):
    // 10: d1 (g+) queues A1, B1, then d2 at 20: [A1 B1 d2], no moves (equal keys).
    // 20: A1 is taken, d2 moves to the root (B1 is no earlier): a- fires. d2 (g-) is next,
    //     before B1: b's pending fall loses its guard (an unstable transition, silent as b is
    //     a `hazard` by its `mk_exclhi`; b is X, so the fall is retracted), then A2, B2 and
    //     d3 at 30 are queued: [B1 A2 B2 d3].
    //     B1, retracted, does nothing; d3 moves to the root.
    // 30: d3 (t := true) queues the log line at 30 behind B2, which had moved to the root:
    //     b+ fires first, and mk_exclhi retracts a+; then the log line: a=0 b=1.
    // First in, first out would fire b- at 20 before g-, and a+ first at 30: a=1 b=0.
    assert_eq!(
        actsim_lines(&design, "cycle\n"),
        ["[                  30] <d>  a=0 b=1"]
    );
}

#[test]
fn a_process_held_in_reset_mode_is_an_event_that_comes_up_every_ten_ticks() {
    let design = "bool Reset;
defproc pair2(bool! a, b) { spec { mk_exclhi(a, b) } prs { Reset => a-  Reset => b- } }
defproc look(bool? a, b) { bool t; chp { t := true; t := false; log(\"a=\", a, \" b=\", b) } }
defproc test() { bool a, b; pair2 p(a, b); look l(a, b); }
Initialize { actions { Reset+ }; actions { Reset- } }
";
    // By hand: l's first event L is queued at 10 when it is made, then the first action's
    // R1 (Reset+) at 10: [L R1]. In reset mode L comes up at 10, 20, ..., 100 and is put
    // off 10 ticks each time, as a new event; R1 queues a- and b- at 20 behind it. After the
    // round (events up to 100), the last action's R2 (Reset-) is queued at 110 behind L.
    // 110: L runs t := true and queues L2 at 120: [R2 L2]; R2 queues a+ and b+ at 120:
    //      [L2 A2 B2].
    // 120: L2 is taken and B2 moves to the root; L2 queues the log line at 120 behind A2:
    //      [B2 A2 log]. b+ fires first (mk_exclhi retracts a+), then the log line.
    assert_eq!(
        actsim_lines(design, "cycle\n"),
        ["[                 120] <l>  a=0 b=1"]
    );
}

#[test]
fn a_send_that_meets_a_waiting_receiver_queues_its_wake_up_before_the_watch_trace_event() {
    let design = "
defproc src(chan!(int) O[2])
{
  int t, v[2];
  chp { t := 0; (, i : 2 : O[i]!i + 1; v[i] := i; log(\"sent on \", i)) }
}
defproc dst(chan?(int) I) { int x, y; chp { I?x; y := x; log(\"got \", y) } }
defproc test() { chan(int) C[2]; dst r0(C[0]); dst r1(C[1]); src s(C); }
";
    // By hand, as actsim queues (w0, w1: the receivers' wake-ups; tr: a watched send's
    // trace event a tick later; a0, a1: the branches' assignments; k0, k1: the receivers'):
    // at 10 the fork queues both sends at 20: [s0 s1]. s0 is taken, then queues w0, tr, a0
    // in that order: [s1 w0 tr a0]; s1 is taken, a0 moves up: [w0 a0 tr]; s1 queues w1
    // (up past a0), tr, a1: [w0 w1 tr a0 tr a1]. w0, w1 queue k0, k1 at 30; the trace
    // events go; at 30 the shape gives a1, a0 (each queuing its log line), their lines, then
    // k0, k1. With the trace event queued before the wake-up, `got 1` comes between.
    let lines = actsim_lines(design, "watch C[0]\nwatch C[1]\ncycle\n");
    assert_eq!(
        lines[6..],
        [
            "[                  30] <s>  sent on 1",
            "[                  30] <s>  sent on 0",
            "[                  30] <r0>  got 1",
            "[                  30] <r1>  got 2",
        ]
    );
}

#[test]
fn a_parallel_composition_of_one_branch_is_that_branch_with_no_event() {
    // actsim builds `(, i : 1 : S)` as S alone: a's first event is its assignment at 10,
    // queued before b's, so a logs first. A fork would be an event at 0 of its own, queuing
    // a's assignment behind b's.
    let design = "
defproc one() { int x; chp { (, i : 1 : x := i; log(\"one\")) } }
defproc two() { int y; chp { y := 2; log(\"two\") } }
defproc test() { one a; two b; }
";
    assert_eq!(
        actsim_lines(design, "cycle\n"),
        [
            "[                  10] <a>  one",
            "[                  10] <b>  two",
        ]
    );
}

#[test]
fn chpsim_run_keeps_first_in_first_out_for_the_same_design() {
    // `chpsim run` orders ties first in, first out (its own, faster queue): the race of
    // the two rails goes the other way, and the log line at 30 comes after both.
    let design = driven_pair();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    std::fs::write(&path, design).unwrap();
    let o = chpsim(&["run", path.to_str().unwrap(), "--top", "test"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "[                  30] <d>  a=1 b=0\n");
}
