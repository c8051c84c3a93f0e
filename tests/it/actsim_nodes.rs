//! `watch` of circuit nodes under `chpsim actsim`: who a node's line is printed by (the
//! instance whose rules drive it, or the process that wrote it) and actsim's `   [by ...]`
//! cause (a node going X after a warning; a write made in an event a sender woke).
use std::process::Output;

use crate::common::cli::{actsim_script, stderr, stderr_lines_without_substitutions, stdout};

fn run(design: &str, script: &str) -> Output {
    actsim_script(design, &["d.act", "test"], script)
}

fn lines(o: &Output) -> Vec<String> {
    stdout(o).lines().map(str::to_owned).collect()
}

/// A process drives `a` (its port `o`), an inverter `i` makes `b`, a slow inverter `s`
/// (50 ticks) makes `c`. `d` lowers `a` at 10, raises it at 120, lowers it at 130 and raises
/// it at 140: `b` falls at 130 and rises at 140, before the rise of `c` it scheduled at 130
/// (for 180) is due, so that rise is unstable.
const CHAIN: &str = "
defproc inv(bool? a; bool! y) { prs { a -> y-  ~a -> y+ } }
defproc slow(bool? a; bool! y) { prs { [after=50] a -> y-  [after=50] ~a -> y+ } }
defproc drv(bool! o) {
  int<4> n;
  chp { o-; n := 1; n := 2; n := 3; n := 4; n := 5; n := 6; n := 7; n := 8; n := 9; n := 10;
        o+; o-; o+ }
}
defproc test() { bool a, b, c; drv d(a); inv i(a, b); slow s(b, c); }
";

#[test]
fn a_node_changed_by_a_rule_is_printed_by_its_instance() {
    // actsim prints a transition from the rules' own simulation object: `<i>`, not the
    // instance the node's name belongs to (`b` is the top process's).
    let o = run(CHAIN, "watch b\nadvance 25\n");
    assert_eq!(
        lines(&o),
        ["[                  20] <i>  b := 1"],
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_node_going_x_after_an_unstable_transition_names_its_cause() {
    // `c` goes X one tick after the warning, by the change that made it unstable: `b` (of
    // instance `i`, its port `y`), named with its value when `c` changes, as actsim names it.
    // Its other transitions have no cause.
    let o = run(CHAIN, "watch c\ncycle\n");
    let all = lines(&o);
    assert_eq!(
        all[..3],
        [
            "[                  70] <s>  c := 0",
            "[                 140] <s>  WARNING: unstable transition on `y'   [by i.y <- 1]",
            "[                 141] <s>  c := X   [by i.y <- 1]",
        ],
        "{}",
        stderr(&o)
    );
    assert!(
        all[3..]
            .iter()
            .all(|l| !l.contains(":= ") || !l.contains("[by")),
        "{all:?}"
    );
}

#[test]
fn a_node_written_by_a_process_is_printed_by_the_process_under_any_of_its_names() {
    // `a` and `d.o` are one node: watched under both, it prints once, under the last name
    // given, by the process that writes it.
    let o = run(CHAIN, "watch a\nwatch d.o\nadvance 125\n");
    assert_eq!(
        lines(&o),
        [
            "[                  10] <d>  d.o := 0",
            "[                 120] <d>  d.o := 1",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_node_going_x_because_of_a_process_or_a_command_names_it() {
    // A process's write makes the fall of `q` unstable: `[by d]`. A `set` does: `[by -cmd-]`,
    // one tick after the `set`, the clock having stopped at `advance`'s end.
    let slow = "
defproc slow(bool? a; bool! y) { prs { [after=50] a -> y-  [after=50] ~a -> y+ } }
defproc drv(bool! o) { int<4> n; chp { o-; n := 1; n := 2; n := 3; n := 4; n := 5; n := 6; o+; o- } }
defproc test() { bool p, q; drv d(p); slow t(p, q); }
";
    let o = run(slow, "watch q\nadvance 95\n");
    assert_eq!(
        lines(&o),
        [
            "[                  60] <t>  q := 1",
            "[                  90] <t>  WARNING: unstable transition on `y'   [by d]",
            "[                  91] <t>  q := X   [by d]",
        ],
        "{}",
        stderr(&o)
    );
    let alone = "
defproc slow(bool? a; bool! y) { prs { [after=50] a -> y-  [after=50] ~a -> y+ } }
defproc test() { bool a, c; slow s(a, c); }
";
    let o = run(
        alone,
        "watch c\nset a 1\ncycle\nset a 0\nadvance 10\nset a 1\nadvance 5\n",
    );
    assert_eq!(
        lines(&o),
        [
            "[                  50] <s>  c := 0",
            "[                  60] <s>  WARNING: unstable transition on `y'   [by -cmd-]",
            "[                  61] <s>  c := X   [by -cmd-]",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_node_stored_by_a_receive_that_waited_names_the_sender() {
    // `r` waits in `L?x` from 10; `s` sends at 20 and wakes it: the store into the node is the
    // sender's doing, as for a variable. `r`'s next write, in an event of its own, has none.
    let design = "
defproc inv(bool? a; bool! y) { prs { a -> y-  ~a -> y+ } }
defproc snd(chan!(bool) R) { int<4> n; chp { n := 1; R!true } }
defproc rcv(chan?(bool) L; bool! x) { chp { L?x; x- } }
defproc test() { chan(bool) C; bool a, b; snd s(C); rcv r(C, a); inv i(a, b); }
";
    let o = run(design, "watch a\ncycle\n");
    assert_eq!(
        lines(&o),
        [
            "[                  20] <r>  a := 1   [by s]",
            "[                  30] <r>  a := 0",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_top_process_and_initialize_are_named_by_their_empty_paths() {
    // actsim names a cause by its instance path, which the top process and `Initialize`'s
    // actions do not have: `[by ]` (as its channel lines name the top process). The top's
    // `a+` at 20 makes y rise at 30; its `b+` at 30 fights it.
    let fight = "
defproc g(bool? a, b; bool! y) { prs { a -> y+  b -> y- } }
defproc test() { bool a, b, y; g u(a, b, y); chp { a-, b-; a+; b+ } }
";
    let o = run(fight, "cycle\n");
    assert_eq!(
        lines(&o),
        ["[                  30] <u>  WARNING: interference on `y'   [by ]"],
        "{}",
        stderr(&o)
    );
    // `Reset-` (at 30: the round after `Reset+` ends at its last transition, `a-` at 20)
    // pulls `a` up against a pull-down at X (b never moves): weak-interference, out of reset
    // mode.
    let reset = "
bool Reset;
defproc g(bool? b; bool! a) { prs { ~Reset -> a+  Reset | b -> a- } }
defproc test() { bool a, b; g u(b, a); }
Initialize { actions { Reset+ }; actions { Reset- } }
";
    let o = run(reset, "cycle\n");
    assert_eq!(
        lines(&o),
        ["[                  30] <u>  WARNING: weak-interference on `a'   [by ]"],
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_channel_methods_write_of_a_wire_is_named_chan_method() {
    // actsim's methods move the wires through an object of their own, which names itself
    // `chan-method`: the send's rise of `hi` at 20 fights over `y`.
    let design = format!(
        "{}
defproc src (ack2! x) {{ chp {{ x!1 }} }}
defproc snk (ack2? x) {{ bool y; prs {{ x.hi -> y+  x.hi -> y-  x.hi | x.lo => x.a+ }} }}
defproc test () {{ src s; snk k(s.x); }}
",
        crate::chan_methods::DUAL_RAIL
    );
    let o = run(&design, "cycle\n");
    assert!(
        lines(&o).contains(
            &"[                  20] <k>  WARNING: interference on `y'   [by chan-method]".into()
        ),
        "{}\n{}",
        stdout(&o),
        stderr(&o)
    );
}

#[test]
fn several_initialize_blocks_take_turns_and_their_last_actions_start_together() {
    // actsim runs, round by round, the next action of each block that has one after it, block
    // by block (each followed by its settling rounds), then the last action of every block at
    // once: `a+`, `c+`, then `b+` and `d+` together. With nothing else to run, a round ends at
    // its last event, so each action fires 10 after the one before. The phase runs before
    // the first command (a+ at 10, c+ at 20: no watch lines); the last actions fire after it.
    let design = "
bool a, b, c, d;
defproc test() { bool x; prs { a & b & c & d -> x- } }
Initialize { actions { a+ }; actions { b+ } }
Initialize { actions { c+ }; actions { d+ } }
";
    let o = run(design, "watch a\nwatch b\nwatch c\nwatch d\ncycle\n");
    let mut changes = lines(&o);
    changes.sort();
    assert_eq!(
        changes,
        [
            "[                  30] <>  b := 1",
            "[                  30] <>  d := 1",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_node_the_top_process_holds_a_copy_of_is_watched_as_the_node() {
    // The top's CHP has `y` among its variables, and u's rules drive it: `watch y` is the
    // node's (actsim has one bool), printed by u, its X and its way out of X included. The top
    // raises a at 20, b at 30 (interference: X at 31), a again at 40 (the same value: the
    // gate warns again), lowers b at 50: y rises at 60.
    let design = "
defproc g(bool? a, b; bool! y) { prs { a -> y+  b -> y- } }
defproc test() { bool a, b, y; g u(a, b, y); chp { a-, b-; a+; b+; a+; b- } }
";
    let o = run(design, "watch y\ncycle\n");
    assert_eq!(
        lines(&o),
        [
            "[                  30] <u>  y := 1",
            "[                  30] <u>  WARNING: interference on `y'   [by ]",
            "[                  31] <u>  y := X   [by ]",
            "[                  40] <u>  WARNING: interference on `y'   [by ]",
            "[                  60] <u>  y := 1",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_wire_of_an_array_element_is_named_either_way_and_bad_indices_get_actsims_message() {
    // `x[1].t` (ACT's name) and `x.t[1]` (chpsim's wire array) are one node; ACT looks a
    // name up without its indices, then checks them: `x[3].t` and `x[1].t[0]` are there
    // with bad indices, `x[1].q` is not there at all.
    let design = "deftype dual <: int<1> (bool t; bool f) { }
defproc inv(bool a, b) { prs { a => b- } }
defproc test() {
  dual x[2];
  inv i(x[1].t, x[0].f);
}
";
    let script = "watch x[0].f
set x[1].t 1
cycle
get x.t[1]
get x[0].f
set x.t[1] 0
cycle
get x[3].t
get x[1].t[0]
watch x.f[5]
get x[1].q
";
    let o = run(design, script);
    assert_eq!(
        lines(&o),
        [
            "[                  10] <i>  x[0].f := 0",
            "x.t[1]: 1",
            "x[0].f: 0",
            "[                  20] <i>  x[0].f := 1",
        ]
    );
    let err = stderr_lines_without_substitutions(&o);
    assert_eq!(
        err,
        [
            "Array index is missing/out of bounds in `x[3].t'!",
            "Array index is missing/out of bounds in `x[1].t[0]'!",
            "Array index is missing/out of bounds in `x.f[5]'!",
            "Could not find identifier `x[1].q' within process `test<>'",
        ]
    );
}

#[test]
fn status_lists_each_instances_driven_nodes_by_their_names_inside_it() {
    // As actsim's `status`: per instance with rules, from the top down (an instance before
    // those inside it), the nodes its rules drive that are at the value, named inside the
    // instance; a node only read (`x`, `p.a`) is no rule's and is not listed.
    let design = "
defproc inv(bool? a; bool! y) { prs { a => y- } }
defproc pair(bool? a; bool! y) { bool m; inv k(m, y); prs { a => m- } }
defproc test() { bool x, y, z, w; pair p(x, y); inv j(y, z); prs { y => w- } }
";
    let o = run(design, "status X\nset x 0\ncycle\nstatus 1\nstatus 0\n");
    assert_eq!(
        lines(&o),
        [
            "-top- { w }",
            "p { m }",
            "p.k { y }",
            "j { y }",
            "-top- { w }",
            "p { m }",
            "j { y }",
            "p.k { y }",
        ]
    );
}

#[test]
fn status_lists_the_tops_bool_ports_at_the_value_when_the_top_has_rules() {
    // As actsim's `status`, after the instances: the top process's `bool` ports at the
    // value, in the order of its ports (its primary inputs and outputs), when it has rules.
    let design = "
defproc inv(bool? a; bool! y) { prs { a => y- } }
defproc top(bool? i; bool! o, q; bool n) { bool m; inv k(m, q); prs { i => o- o => m- } }
";
    let o = actsim_script(
        design,
        &["d.act", "top"],
        "status X\nset i 0\ncycle\nstatus 1\nstatus 0\n",
    );
    assert_eq!(
        lines(&o),
        [
            "-top- { o m }",
            "k { y }",
            "-top- port:{ i o q }",
            "-top- { o }",
            "k { y }",
            "-top- port:{ o q }",
            "-top- { m }",
            "-top- port:{ i }",
        ]
    );
    // A top without ports, or one whose CHP runs, lists none.
    let o = run(
        "defproc test() { bool x, y; prs { x => y- } }",
        "status X\n",
    );
    assert_eq!(lines(&o), ["-top- { y }"]);
    let o = actsim_script(
        "defproc top(bool! o) { chp { o+ } }",
        &["d.act", "top"],
        "cycle\nstatus 1\n",
    );
    assert_eq!(lines(&o), Vec::<String>::new());
}

#[test]
fn a_field_of_a_record_port_that_is_a_node_is_the_node() {
    // `p` writes `r.a` and `r.b` of its record port `r`; the circuit reads `y.a` (and not
    // `y.b`). actsim has one bool for `p.r.a` and `y.a`: watched under the name given last,
    // one line per change, and `set` under one name is `get` under the other.
    let design = "
deftype pair(bool a, b) { }
defproc w(pair r) { chp { r.a+; r.b+; r.a- } }
defproc inv(bool? i; bool! o) { prs { i => o- } }
defproc test() { pair y; bool q; w p(y); inv z(y.a, q); }
";
    let o = run(design, "watch y.a\nwatch p.r.a\nwatch p.r.b\ncycle\n");
    assert_eq!(
        lines(&o),
        [
            "[                  10] <p>  p.r.a := 1",
            "[                  20] <p>  p.r.b := 1",
            "[                  30] <p>  p.r.a := 0",
        ],
        "{}",
        stderr(&o)
    );
    let o = run(
        design,
        "cycle\nset p.r.a 1\nget y.a\nadvance 20\nset y.a 0\nget p.r.a\n",
    );
    assert_eq!(lines(&o), ["y.a: 1", "p.r.a: 0"], "{}", stderr(&o));
}

#[test]
fn a_whole_record_write_prints_its_fields_in_declaration_order() {
    // actsim writes `r := t` field by field in declaration order, each with its watch line:
    // `a`, a node (the circuit reads `y.a`), before `b`, a CHP variable; and the other way
    // round when the node is `b`.
    let design = |read: &str| {
        format!(
            "
deftype pair(bool a, b) {{ }}
defproc w(pair r) {{ pair t; chp {{ t.a+; t.b+; r := t }} }}
defproc inv(bool? i; bool! o) {{ prs {{ i => o- }} }}
defproc test() {{ pair y; bool q; w p(y); inv z({read}, q); }}
"
        )
    };
    for read in ["y.a", "y.b"] {
        let o = run(&design(read), "watch p.r.b\nwatch p.r.a\ncycle\n");
        assert_eq!(
            lines(&o),
            [
                "[                  30] <p>  p.r.a := 1",
                "[                  30] <p>  p.r.b := 1",
            ],
            "{read}: {}",
            stderr(&o)
        );
    }
}
