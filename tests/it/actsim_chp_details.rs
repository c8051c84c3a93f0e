//! Details of CHP under `chpsim actsim` that actsim prints its own way: a record's `bool`
//! field watched as a bit, an assertion failing in a function, what `filter` does not hide.
use std::process::Output;

use crate::common::cli::{actsim_script, stdout};

fn run(design: &str, script: &str) -> Output {
    actsim_script(design, &["d.act", "test"], script)
}

#[test]
fn a_record_s_bool_field_is_watched_as_a_bit_and_its_int_field_as_a_number() {
    let design = "
deftype rec (int<4> a; bool b);
defproc test() { rec r; chp { r.a := 5; r.b := true; r.b := false; r.b := false } }
";
    let o = run(design, "watch r.a r.b\ncycle\nget r.b\n");
    assert_eq!(
        stdout(&o),
        "[                  10] <>  r.a := 5 (0x5)\n\
         [                  20] <>  r.b := 1\n\
         [                  30] <>  r.b := 0\n\
         r.b: 0\n"
    );
}

#[test]
fn an_assertion_failing_in_a_function_prints_without_a_newline_and_goes_on() {
    let design = "
function f (int<8> a) : int<8> { chp { assert(a < 3, \"big \", a); self := a + 1 } }
defproc test() { int<8> x, y; chp { x := 5; y := f(x); log(\"y=\", y) } }
";
    let o = run(design, "cycle\necho done\n");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "[                  20] <>  ASSERTION failed: big 5[                  20] <>  y=6\ndone\n"
    );
}

#[test]
fn filter_hides_neither_what_a_function_logs_nor_the_x_warning() {
    // actsim's function evaluation logs without asking the filter, and so does its warning
    // about a bool read while X; a function's warning does not stop the run.
    let design = "
function f (int<8> a) : int<8> { chp { log(\"in f \", a); warn(\"wf\"); self := a + 1 } }
defproc test() { int<8> x, y; bool b; chp { x := 5; y := f(x); [b -> skip [] else -> skip]; log(\"y=\", y) } }
";
    let o = run(design, "filter nothing\nbreak-on-warn\ncycle\necho done\n");
    assert_eq!(
        stdout(&o),
        "[                  20] <>  in f 5\n\
         [                  30] <>  WARNING: Boolean variable `b' is X\n\
         done\n"
    );
    assert!(crate::common::cli::stderr(&o).contains("WARNING: wf"));
}

#[test]
fn an_illegal_enum_value_prints_actsim_s_fatal_lines_pauses_and_goes_on() {
    // actsim's `_enum_error`: two lines on stderr naming the process's type, a breakpoint,
    // and the value stored all the same (`chpsim run` stops with a runtime error instead).
    let design = "
defproc inner() { enum<3> e; int<2> x; chp { x := 3; e := x; log(\"e=\", e) } }
defproc test() { inner i; }
";
    let o = run(design, "cycle\necho paused\ncycle\necho done\n");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "paused\n[                  20] <i>  e=3\ndone\n"
    );
    assert_eq!(
        crate::common::cli::stderr_without_substitutions(&o),
        "** FATAL ** Process inner<>: enumeration assigned illegal value\n\
         **   Max=3;  Value: 3 (0x3)\n"
    );
}
