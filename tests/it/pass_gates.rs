//! Pass gates in `prs` (`passn`, `passp`, `transgate`) run as actsim runs them: directional
//! from source to drain, evaluated when any terminal changes, with the default delay; and
//! `tree { }`, sizes and `sizing { }` change nothing in the simulation; a `tree` label (`@x`)
//! stands for the value its rule gives its node.
use std::process::Output;

use crate::common::cli::{actsim_script, stderr, stdout};
use crate::common::run_design::{compile_errors, compile_warnings, run_text};

fn run(design: &str, script: &str) -> Output {
    actsim_script(design, &["d.act", "test"], script)
}

fn lines(o: &Output) -> Vec<String> {
    stdout(o).lines().map(str::to_owned).collect()
}

/// A two-way multiplexer of transmission gates: `y` follows `a` when `s` is 1 (`_s` 0), `b`
/// when `s` is 0; and an n-type pass gate pulling `z` down from `a` when `en` is 1, a p-type
/// one pulling `w` up from `b` when `_en` is 0.
const MUX: &str = "
defproc mux(bool? s, _s, a, b; bool! y) {
  prs { transgate(s, _s, a, y)  transgate(_s, s, b, y) }
}
defproc pulls(bool? en, _en, a, b; bool! z, w) {
  prs { passn<4>(en, a, z)  passp<8,2>(_en, b, w) }
}
defproc test() { bool s, _s, a, b, y, en, _en, z, w; mux m(s, _s, a, b, y); pulls p(en, _en, a, b, z, w); }
";

#[test]
fn a_transmission_gate_mux_passes_the_selected_input_one_default_delay_later() {
    // By hand (default delay 10; `advance` stops at the last event when nothing is pending):
    // at 0 s=1, _s=0, a=1, b=0: y's gate from `a` conducts both ways, y := 1 at 10. At 10
    // a := 0: y := 0 at 20. At 20 the select flips to `b` (0): y is 0 already, nothing; then
    // b := 1: y := 1 at 30. At 30 s := X: the gate from `b` is half on (its p side, _g = s, is
    // X) with b = 1: y := X one tick later, at 31, caused by the command.
    let script = "watch y\nset s 1\nset _s 0\nset a 1\nset b 0\nadvance 20\nset a 0\nadvance 20\n\
                  set s 0\nset _s 1\nadvance 10\nset b 1\nadvance 20\nset s X\nadvance 20\n";
    let o = run(MUX, script);
    assert_eq!(
        lines(&o),
        [
            "[                  10] <m>  y := 1",
            "[                  20] <m>  y := 0",
            "[                  30] <m>  y := 1",
            "[                  31] <m>  y := X   [by -cmd-]",
        ],
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("not simulated"), "{}", stderr(&o));
}

#[test]
fn an_n_pass_gate_passes_only_a_zero_and_a_p_pass_gate_only_a_one() {
    // By hand: `z` is pulled to 0 from `a` when `en` is 1; a 1 on `a` does not pass (z stays
    // as it is). `w` is pulled to 1 from `b` when `_en` is 0; a 0 does not pass. An X source
    // through a gate that conducts makes the drain X one tick later (at 10: z := X at 11);
    // an X gate whose source would not change the drain changes nothing (at 11).
    let script = "watch z w\nset en 1\nset a 0\nset _en 0\nset b 1\nadvance 20\n\
                  set a 1\nset b 0\nadvance 20\nset a X\nadvance 20\n\
                  set b 1\nset _en X\nadvance 20\n";
    let o = run(MUX, script);
    assert_eq!(
        lines(&o),
        [
            "[                  10] <p>  z := 0",
            "[                  10] <p>  w := 1",
            "[                  11] <p>  z := X   [by -cmd-]",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_pass_gate_driven_by_chp_runs_in_a_chpsim_run() {
    // `e` writes a := 1, b := 0, s := 1, _s := 0 at 10, 20, 30, 40 (one CHP delay each); the
    // gate from `a` conducts from 40: y := 1 one default delay later, at 50.
    let design = "
defproc mux(bool? s, _s, a, b; bool! y) {
  prs { tree { transgate(s, _s, a, y)  transgate(_s, s, b, y) } }
  sizing { p_n_mode <- 1; y { -1 } }
}
defproc env(bool! s, _s, a, b) { chp { a+; b-; s+; _s- } }
defproc test() { bool s, _s, a, b, y; mux m(s, _s, a, b, y); env e(s, _s, a, b); }
";
    let run = run_text(design);
    let y: Vec<(&str, &str)> = (run.transcript.lines())
        .filter_map(|l| l.split_once("  y := "))
        .map(|(time, value)| (time.trim(), value))
        .collect();
    assert_eq!(y, [("50", "1")], "{}", run.transcript);
    assert_eq!(run.result.report.transitions, 1);
    assert_eq!(compile_warnings(design), "");
}

#[test]
fn rules_inside_a_tree_and_with_sizes_run_as_plain_rules() {
    // `tree { }` groups rules for the netlist; `<w,l>` sizes them: the simulation is that of
    // the plain rules, an inverter one default delay behind its input (the clock stays at 10,
    // the last event, until `a` rises).
    let design = "
defproc inv(bool? a; bool! y) { prs { tree<2> { a<8> -> y- } ~a<4,2> -> y+ } }
defproc test() { bool a, y; inv i(a, y); }
";
    let o = run(
        design,
        "watch y\nset a 0\nadvance 15\nset a 1\nadvance 15\n",
    );
    assert_eq!(
        lines(&o),
        [
            "[                  10] <i>  y := 1",
            "[                  20] <i>  y := 0"
        ],
        "{}",
        stderr(&o)
    );
}

/// Labels, as actsim reads them: after `a & b -> @n-`, `~@n` is `a & b` (the label's node is
/// low when its pull-down conducts); after `~a | ~b -> @p+`, `@p` is `~a | ~b`.
const LABELS: &str = "
defproc lbl(bool? a, b, c; bool! y, z) {
  prs {
    tree {
      a & b -> @n-
      ~@n & c -> y-
    }
    ~c -> y+
    ~a | ~b -> @p+
    @p -> z+
    ~@p -> z-
  }
}
defproc test() { bool a, b, c, y, z; lbl l(a, b, c, y, z); }
";

#[test]
fn a_tree_label_stands_for_the_value_its_rule_gives_its_node() {
    // By hand (default delay 10; `advance` stops at the last event): c := 0 at 0: y+ (~c)
    // fires, y := 1 at 10; z's guards are X (a, b are), z stays X. a := 0 at 10: @p = ~a | ~b
    // holds, z := 1 at 20. b := 1, then a := 1 at 20: ~@p = a & b holds, z := 0 at 30; y's
    // pull-down waits for c. c := 1 at 30: ~@n & c = a & b & c, y := 0 at 40. b := 0 at 40:
    // @p holds again, z := 1 at 50.
    let script = "watch y z\nset c 0\nadvance 15\nset a 0\nadvance 15\nset b 1\nset a 1\n\
                  advance 15\nset c 1\nadvance 15\nset b 0\nadvance 15\n";
    let o = run(LABELS, script);
    assert_eq!(
        lines(&o),
        [
            "[                  10] <l>  y := 1",
            "[                  20] <l>  z := 1",
            "[                  30] <l>  z := 0",
            "[                  40] <l>  y := 0",
            "[                  50] <l>  z := 1",
        ],
        "{}",
        stderr(&o)
    );
    assert_eq!(compile_warnings(LABELS), "");
}

#[test]
fn a_pull_down_label_in_a_state_holding_rule_reads_as_actsim_reads_it() {
    // `a & b -> @x-`: @x is ~(a & b). In the second half of a `#>` rule actsim reads the
    // label as its guard, a & b, not as its value with the literals negated (a | b):
    // y- on @x & c, y+ on a & b & ~c; z- on ~@x & c = a & b & c, z+ on ~(a & b) & ~c.
    // By hand: c := 0 at 0 (y's and z's pull-downs off, their pull-ups X: no change); b := 0:
    // z's pull-up holds, z+ due at 10; a := 1: y's pull-up still fails (b is 0): y stays X.
    // b := 1 at 10: y's pull-up holds, y := 1 at 20; z's pull-up fails (held at 1).
    let design = "
defproc lbl(bool? a, b, c; bool! y, z) { prs { a & b -> @x-  @x & c #> y-  ~@x & c #> z- } }
defproc test() { bool a, b, c, y, z; lbl l(a, b, c, y, z); }
";
    let script = "watch y z\nset c 0\nset b 0\nset a 1\ncycle\nget y\nset b 1\ncycle\nget z\n";
    let o = run(design, script);
    assert_eq!(
        lines(&o),
        [
            "[                  10] <l>  z := 1",
            "y: X",
            "[                  20] <l>  y := 1",
            "z: 1",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_label_used_before_its_rule_is_an_error() {
    let design = "
defproc lbl(bool? a; bool! y) { prs { ~@n -> y- a -> @n- } }
defproc test() { bool a, y; lbl l(a, y); }
";
    let errors = compile_errors(design);
    assert!(errors.contains("unknown label `@n`"), "{errors}");
}

#[test]
fn a_pass_gate_and_a_rule_driving_one_node_act_apart_as_actsim_s() {
    // actsim's rule and pass gate on one node are two objects, each with its own pending
    // transition, neither seeing the other's (prssim.cc): no interference is reported, a
    // transition to the value the node has already is not printed, and the gate, evaluated
    // when its drain changes, drives it back. By hand: a := 1 at 0: y- after 30, at 30. a := 0
    // at 30: y+ due at 60. _g := 0 at 35: the p side passes s = 1, y := 1 at 45; the rule's
    // y+ at 60 finds y at 1 (no line). a := 1 at 60: y := 0 at 90; the gate, woken by its
    // drain, drives it to 1 again at 100.
    let design = "
defproc mix(bool? a, _g, s; bool! y) { prs { [after=30] a => y-  passp(_g, s, y) } }
defproc test() { bool a, _g, s, y; mix m(a, _g, s, y); }
";
    let script = "watch y\nset _g 1\nset s 1\nset a 1\nadvance 35\nset a 0\nadvance 5\n\
                  set _g 0\nadvance 40\nset a 1\nadvance 40\n";
    let o = run(design, script);
    assert_eq!(
        lines(&o),
        [
            "[                  30] <m>  y := 0",
            "[                  45] <m>  y := 1",
            "[                  90] <m>  y := 0",
            "[                 100] <m>  y := 1",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_pass_gate_whose_gate_is_x_makes_a_node_its_rule_drove_x_and_its_value_follows() {
    // By hand: a := 0 at 0: y := 1 at 10 (the rule). At 10 s := 0 with g still X: the n side
    // may pass the 0, y := X one tick later, at 11; g := 1 at once: the side conducts, y := 0
    // at 20 (actsim queues it beside the X, not in its place). a := 1 at 20: the rule's y-
    // finds y at 0. a := 0: y := 1 at 30, and the gate drives it back to 0 at 40.
    let design = "
defproc mix(bool? a, g, s; bool! y) { prs { a => y-  passn(g, s, y) } }
defproc test() { bool a, g, s, y; mix m(a, g, s, y); }
";
    let script = "watch y\nset a 0\nadvance 15\nset s 0\nset g 1\nadvance 15\nset a 1\n\
                  advance 15\nset a 0\nadvance 30\n";
    let o = run(design, script);
    assert_eq!(
        lines(&o),
        [
            "[                  10] <m>  y := 1",
            "[                  11] <m>  y := X   [by -cmd-]",
            "[                  20] <m>  y := 0",
            "[                  30] <m>  y := 1",
            "[                  40] <m>  y := 0",
        ],
        "{}",
        stderr(&o)
    );
}
