//! The production-rule engine against actsim's `prssim.cc` on details of its semantics, each
//! with a small design of our own under `chpsim actsim`: a write of a node's own value
//! re-evaluates the gates reading it, the reset phase's rounds and their warning, `*` in
//! `rand_init`/`hazard`.
use std::process::Output;

use chpsim::kernel::Limits;

use crate::common::cli::{actsim_script, stderr, stdout};
use crate::common::run_design::{run_with, Options};

fn run(design: &str, script: &str) -> Output {
    actsim_script(design, &["d.act", "test"], script)
}

fn lines(o: &Output) -> Vec<String> {
    stdout(o).lines().map(str::to_owned).collect()
}

/// A gate whose pulls fight while `a` and `b` are both 1.
const FIGHT: &str = "
defproc g(bool? a, b; bool! y) { prs { a -> y+  b -> y- } }
";

#[test]
fn a_chp_write_of_the_same_value_evaluates_the_gates_again() {
    // e raises a at 20, b at 30 (after y's rise, due at 30: interference, y goes X at 31),
    // raises a again at 40: the same value, but actsim evaluates u's gate all the same and
    // warns again (y is X already: nothing else). b falls at 50: y rises at 60.
    let design = format!(
        "{FIGHT}defproc env(bool! a, b) {{ chp {{ a-, b-; a+; b+; a+; b- }} }}
defproc test() {{ bool a, b, y; g u(a, b, y); env e(a, b); }}"
    );
    let o = run(&design, "watch y\ncycle\n");
    assert_eq!(
        lines(&o),
        [
            "[                  30] <u>  y := 1",
            "[                  30] <u>  WARNING: interference on `y'   [by e]",
            "[                  31] <u>  y := X   [by e]",
            "[                  40] <u>  WARNING: interference on `y'   [by e]",
            "[                  60] <u>  y := 1",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn set_of_the_same_value_evaluates_the_gates_again() {
    // `set` is a write too. `a` set to 1 with `b` X: weak-interference (the watch line comes
    // first, as actsim prints it before it writes); `b` set to 1: interference; each `set`
    // of one of them to its own value again warns again (only changes are watch lines).
    let design = format!("{FIGHT}defproc test() {{ bool a, b, y; g u(a, b, y); }}");
    let o = run(&design, "watch a\nset a 1\nset b 1\nset a 1\nset b 1\n");
    let interference = "[                   0] <u>  WARNING: interference on `y'   [by -cmd-]";
    assert_eq!(
        lines(&o),
        [
            "[                   0] <[env]> a := 1",
            "[                   0] <u>  WARNING: weak-interference on `y'   [by -cmd-]",
            interference,
            interference,
            interference,
        ],
        "{}",
        stderr(&o)
    );
}

/// `s` drives itself through an inverter: once `Initialize`'s first action lowers it, it
/// oscillates (10 ticks a half period) and never settles. (`t` feeds an inverter, to be a
/// node whose change the transcript shows.)
const RING: &str = "
bool s, t, u;
defproc inv(bool? a; bool! y) { prs { a => y- } }
";

/// The transcript's lines about node `t` and the reset phase's warning.
fn reset_lines(design: &str) -> Vec<String> {
    let run = run_with(
        design,
        Options {
            limits: Limits {
                until: Some(10_500),
                max_events: None,
            },
            ..Options::default()
        },
    );
    (run.transcript.lines())
        .filter(|l| l.contains(" t := ") || l.contains("Pending production rule"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn a_reset_phase_that_never_settles_warns_after_its_hundred_rounds() {
    // `s-` at 10; the ring keeps a transition pending through 100 rounds of 100 ticks: at
    // 10000 actsim warns (on stderr) and starts the last action, `t+` (at 10010).
    let design = format!(
        "{RING}defproc test() {{ inv i(s, s); inv j(t, u); }}
Initialize {{ actions {{ s- }}; actions {{ t+ }} }}
"
    );
    assert_eq!(
        reset_lines(&design),
        [
            "10000 reset library WARNING: Pending production rule events during reset phase?",
            "10010 t := 1",
        ]
    );
    let o = run(&design, "advance 20000\n");
    assert_eq!(
        stderr(&o),
        "WARNING: Pending production rule events during reset phase?\n"
    );
}

#[test]
fn the_reset_phase_does_not_wait_for_a_node_driven_from_two_instances() {
    // The same ring with a second driver of `s` in another instance: actsim's reset phase
    // does not count the events of a node with several drivers, so one round (to 100) ends
    // it, with no warning: `t+` at 110.
    let design = format!(
        "{RING}defproc low(bool? a; bool! y) {{ prs {{ a -> y- }} }}
defproc test() {{ inv i(s, s); low l(s, s); inv j(t, u); }}
Initialize {{ actions {{ s- }}; actions {{ t+ }} }}
"
    );
    assert_eq!(reset_lines(&design), ["110 t := 1"]);
}

#[test]
fn rand_init_of_every_bool_leaves_the_input_ports_x() {
    // `*` stands for the bools the process drives: its `bool!` port and its own bool get a
    // random start, its `bool?` port stays X (actsim skips input ports).
    let design = "
defproc p(bool? a; bool! y) { bool z; spec { rand_init(*) } }
defproc test() { bool a, y, q; p u(a, y); prs { a => q- } }
";
    // C's first two draws (glibc's unseeded `random() % 2`): 1, 0.
    let o = run(design, "get a\nget y\nget u.z\n");
    assert_eq!(lines(&o), ["a: X", "y: 1", "u.z: 0"], "{}", stderr(&o));
}

#[test]
fn hazard_of_every_bool_does_not_name_the_input_ports() {
    // `a` is k's input port, driven by d: a pending rise of `a` whose guard goes X is
    // weak-unstable, and `hazard(*)` in k does not silence it (nor the weak-interference
    // that follows, which `hazard` never silences).
    let design = "
defproc drv(bool? x; bool! a) { prs { x => a- } }
defproc h(bool? a; bool! y) { spec { hazard(*) } }
defproc test() { bool x, a, y; drv d(x, a); h k(a, y); }
";
    let o = run(design, "set x 1\ncycle\nset x 0\nset x X\ncycle\n");
    assert_eq!(
        lines(&o),
        [
            "[                  10] <d>  WARNING: weak-unstable transition on `a'   [by -cmd-]",
            "[                  10] <d>  WARNING: weak-interference on `a'   [by -cmd-]",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_negative_after_leaves_the_default_delay() {
    // actsim sets a rule's delay from `after` only when it is 0 or more: `[after=-5]` is
    // no delay of its own, so y rises the default 10 ticks after a falls.
    let design = "
defproc slow(bool? a; bool! y) { prs { [after=-5] a => y- } }
defproc test() { bool a, y; slow s(a, y); }
";
    let o = run(design, "watch y\nset a 0\nadvance 20\n");
    assert_eq!(
        lines(&o),
        ["[                  10] <s>  y := 1"],
        "{}",
        stderr(&o)
    );
}

#[test]
fn exit_on_warn_exits_at_the_circuits_first_warning_with_code_1() {
    // actsim's prssim exits (code 1, where `warn` gives 2) as it prints the warning, also
    // one a command's write makes: nothing is printed after it.
    let design = format!("{FIGHT}defproc test() {{ bool a, b, y; g u(a, b, y); }}");
    let o = run(&design, "exit-on-warn\nset a 1\nset b 1\nget y\n");
    assert_eq!(
        lines(&o),
        ["[                   0] <u>  WARNING: weak-interference on `y'   [by -cmd-]"],
        "{}",
        stderr(&o)
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn break_on_warn_stops_the_run_after_a_transition_that_warns() {
    // a falls at 10; x rises at 15 by i's rule, with b still X: u's pull-up fights an X
    // pull-down (weak-interference) in that transition's event, and the run stops there.
    // The next `cycle` goes on: b falls at 20, y rises at 30.
    let design = format!(
        "{FIGHT}defproc inv(bool? a; bool! y) {{ prs {{ [after=5] a => y- }} }}
defproc env(bool! a, b) {{ chp {{ a-; b- }} }}
defproc test() {{ bool a, b, x, y; inv i(a, x); g u(x, b, y); env e(a, b); }}"
    );
    let o = run(&design, "break-on-warn\nwatch y\ncycle\nget y\ncycle\n");
    assert_eq!(
        lines(&o),
        [
            "[                  15] <u>  WARNING: weak-interference on `y'   [by i.y <- 1]",
            "y: X",
            "[                  30] <u>  y := 1",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_reset_phase_runs_before_the_first_command() {
    // actsim runs `Initialize` before it reads a command: a `watch` given first sees none of
    // the phase (s- at 10, the ring's 100 rounds to 10000), and `advance` counts from its
    // end; the ring goes on: s is 0 at 10010 (an odd ten), 1 at 10020, 0 at 10030.
    let design = format!(
        "{RING}defproc test() {{ inv i(s, s); inv j(t, u); }}
Initialize {{ actions {{ s- }}; actions {{ t+ }} }}
"
    );
    let o = run(&design, "watch s\nadvance 30\n");
    assert_eq!(
        lines(&o),
        [
            "[               10010] <i>  s := 0",
            "[               10020] <i>  s := 1",
            "[               10030] <i>  s := 0",
        ],
        "{}",
        stderr(&o)
    );
}

/// `y` driven from two instances whose rules hold from the start: `u` pulls it up, `d` (or
/// a second `up`) pulls it down (up); `a` is read by `u`'s guard, which holds whatever `a` is.
const TWO_DRIVERS: &str = "
defproc up(bool? a; bool! y) { prs { true | a -> y+ } }
defproc dn(bool? a; bool! y) { prs { true -> y- } }
";

#[test]
fn the_start_evaluates_each_driver_of_a_node_alone() {
    // actsim's start evaluates each instance's rules of `y` apart: u schedules y+ and d
    // schedules y- (no interference), both due at 10, fired in that order: y is 1, then 0,
    // each line by its own instance. Then `a` is written: the node's drivers are evaluated
    // together (actsim's multi-driver object, named by its first driver, u): both pulls
    // hold, interference at 10, y X at 11; nothing pulls it out of X.
    let design = format!("{TWO_DRIVERS}defproc test() {{ bool a, y; up u(a, y); dn d(a, y); }}");
    let o = run(&design, "watch y\ncycle\nset a 0\ncycle\nget y\n");
    assert_eq!(
        lines(&o),
        [
            "[                  10] <u>  y := 1",
            "[                  10] <d>  y := 0",
            "[                  10] <u>  WARNING: interference on `y'   [by -cmd-]",
            "[                  11] <u>  y := X   [by -cmd-]",
            "y: X",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn drivers_that_agree_at_the_start_each_queue_their_transition() {
    // Two `up`s: each schedules y+ at the start, two events of actsim's objects of one
    // instance's rules (prs events, named by their own instance); the first sets y, the
    // second writes the same value (no line).
    let design = format!("{TWO_DRIVERS}defproc test() {{ bool a, y; up u(a, y); up v(a, y); }}");
    let o = run(&design, "pending -v\nwatch y\ncycle\n");
    assert_eq!(
        stdout(&o),
        "Current time: 0\nPending events: 2; prs events: 2\n\
         \x20       10 [prs] up<> / u.y := 1\n\
         \x20       10 [prs] up<> / v.y := 1\n\
         [                  10] <u>  y := 1\n",
        "{}",
        stderr(&o)
    );
}
