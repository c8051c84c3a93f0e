//! actsim's `pending -v`: every event in its queue, one a line, in the order its heap's array
//! holds them: the ticks until it, `[chp]` or `[prs]`, the process type ` / ` the instance,
//! and for a transition the node and what its rule has pending. The commands see the run as
//! actsim's do before the first step: every process's first event queued, the rules
//! evaluated, neither counted as a step.
use std::process::Output;

use crate::common::cli::{actsim_script, stderr, stdout};

fn run(design: &str, script: &str) -> Output {
    actsim_script(design, &["d.act", "test"], script)
}

/// A producer and a consumer, each with a first statement 10 ticks away (the default delay).
const PAIR: &str = "
defproc prod(chan!(int<8>) R) { int<8> y; chp { y := 4; R!1; R!2 } }
defproc cons(chan?(int<8>) L) { int<8> x; chp { *[ L?x ] } }
defproc test() { chan(int<8>) C; prod p(C); cons c(C); }
";

#[test]
fn each_chp_event_is_listed_with_the_ticks_until_it_its_type_and_instance() {
    let o = run(PAIR, "pending -v\nstep 1\npending -v\npending\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "Current time: 0\nPending events: 2\n\
         \x20       10 [chp] prod<> / p\n\
         \x20       10 [chp] cons<> / c\n\
         Current time: 10\nPending events: 2\n\
         \x20        0 [chp] cons<> / c\n\
         \x20       10 [chp] prod<> / p\n\
         Current time: 10\nPending events: 2\n"
    );
    let o = run(PAIR, "pending -x\n");
    assert!(stderr(&o).contains("Usage: pending [-v]"), "{}", stderr(&o));
}

#[test]
fn the_top_process_has_no_instance_name_and_a_watched_sends_trace_is_no_process() {
    let o = run(
        "defproc test() { int x; chp { x := 1; x := 2 } }",
        "pending -v\ncycle\npending -v\n",
    );
    // Nothing pending: nothing printed.
    assert_eq!(
        stdout(&o),
        "Current time: 0\nPending events: 1\n        10 [chp] test<> / \n"
    );
    // actsim queues the delayed trace of a watched send, an event of no process's.
    let o = run(PAIR, "watch C\nstep 3\npending -v\n");
    let out = stdout(&o);
    assert!(
        out.ends_with("Pending events: 2\n         0 [chp] cons<> / c\n         1 ????? \n"),
        "{out}"
    );
}

#[test]
fn transitions_show_their_driver_s_instance_node_and_pending_value_in_heap_order() {
    // Three rules fire on `a` falling, queued 30, 20 and 10 ticks away in that order: the
    // heap's array holds them as 10, 30, 20 (the last moved up past the first), and that is
    // the list's order. The top process's rules have no instance to name.
    let design = "
defproc late(bool? a; bool! y) { prs { [after=30] ~a -> y+ } }
defproc test() { bool a, b, c, d; late l(a, b); prs { [after=20] ~a -> c+  [after=10] ~a -> d+ } }
";
    let o = run(design, "set a 0\npending -v\nstep 1\nget d\n");
    assert_eq!(
        stdout(&o),
        "Current time: 0\nPending events: 3; prs events: 3\n\
         \x20       10 [prs] test<> / \n\
         \x20       30 [prs] late<> / l.y := 1\n\
         \x20       20 [prs] test<> / \n\
         d: 1\n",
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_node_driven_from_two_instances_is_a_multi_driver_and_a_retracted_event_stays() {
    let design = "
defproc up(bool? a; bool! y) { prs { a -> y+ } }
defproc dn(bool? a; bool! y) { prs { ~a -> y- } }
defproc test() { bool a, y; up u(a, y); dn d(a, y); }
";
    // Its event is the multi-driver object's, which actsim does not count as a prs event.
    let o = run(design, "set a 1\npending -v\n");
    assert_eq!(
        stdout(&o),
        "Current time: 0\nPending events: 1\n\
         \x20       10 [prs] multi-drv(2) up<> / u.y := 1\n"
    );
    // Taken back before it fires (its guard went false while the node is X), the transition
    // stays in the queue until its time, as actsim's cancelled event does, and shows what the
    // rule has pending now: nothing.
    let slow = "
defproc slow(bool? a; bool! y) { prs { [after=50] a -> y- } }
defproc test() { bool a, c; slow s(a, c); }
";
    let o = run(slow, "set a 1\nadvance 5\nset a 0\npending -v\n");
    assert_eq!(
        stdout(&o),
        "[                   5] <s>  WARNING: unstable transition on `y'   [by -cmd-]\n\
         Current time: 5\nPending events: 1; prs events: 1\n        45 [prs] slow<> / s.y := ???\n"
    );
}

#[test]
fn types_are_named_with_their_namespace_and_pbool_arguments_as_t_or_f() {
    // ACT's full name of an expanded type: `lib::cons<3,t>`; `procinfo` names it without the
    // namespace, as actsim's does.
    let design = "
namespace lib {
export template<pint N; pbool B> defproc cons(chan?(int) L) { int x; chp { *[ L?x ] } }
export defproc prod(chan!(int) R) { chp { *[ R!1 ] } }
export template<pbool B> defproc slow(bool? a; bool! y) { prs { [after=50] a -> y- } }
}
defproc test() { chan(int) c; lib::prod p(c); lib::cons<3, false> k(c); bool a, y; lib::slow<true> s(a, y); }
";
    let o = run(design, "set a 1\npending -v\nprocinfo -\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("        10 [chp] lib::prod<> / p\n"), "{out}");
    assert!(
        out.contains("        10 [chp] lib::cons<3,f> / k\n"),
        "{out}"
    );
    assert!(
        out.contains("        50 [prs] lib::slow<t> / s.y := 0\n"),
        "{out}"
    );
    assert!(out.contains("--- Process: k [ cons<3,f> ] ---\n"), "{out}");
}
