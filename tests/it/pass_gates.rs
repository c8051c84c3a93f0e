//! Pass gates in `prs` (`passn`, `passp`, `transgate`) run as actsim runs them: directional
//! from source to drain, evaluated when any terminal changes, with the default delay; and
//! `tree { }`, sizes and `sizing { }` change nothing in the simulation.
use std::process::Output;

use crate::common::cli::{actsim_script, stderr, stdout};
use crate::common::run_design::{compile_warnings, run_text};

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
