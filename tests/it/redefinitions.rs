//! ACT's rules for a name defined again (a definition after its declarations, a declaration
//! after its definition, an enumeration written twice): what ACT accepts runs. What it
//! refuses is in `tests/bad/` (`redefined_*`, `defs_*`).
use crate::common::run_design::run_text;

fn logs(text: &str) -> Vec<String> {
    run_text(text).logs().into_iter().map(|(_, s)| s).collect()
}

#[test]
fn an_enumeration_written_twice_the_same_is_one_enumeration() {
    let got = logs(
        r#"
defenum colour { RED, GREEN, BLUE };
namespace paint { export defenum tone : int { DARK, LIGHT }; }
defenum colour { RED, GREEN, BLUE };
namespace paint { export defenum tone : int { DARK, LIGHT }; }
defproc test() { colour c; paint::tone t; chp { c := colour.BLUE; t := 1; log(c, " ", t) } }
"#,
    );
    assert_eq!(got, ["2 1"]);
}

#[test]
fn an_enumeration_written_again_with_as_many_members_keeps_the_first_members() {
    // ACT compares the number of members only; the first definition stays.
    let got = logs(
        r#"
defenum op { ADD, SUB };
defenum op { LOAD, STORE };
defproc test() { op o; chp { o := op.SUB; log(o) } }
"#,
    );
    assert_eq!(got, ["1"]);
}

#[test]
fn types_and_processes_are_declared_any_number_of_times_then_defined() {
    let got = logs(
        r#"
deftype pair (int<4> a; bool b);
defchan wide <: chan(int<8>) (bool d[8]);
defproc echo(chan?(int<8>) I);
deftype pair (int<4> a; bool b);
defproc echo(chan?(int<8>) I);
deftype pair (int<4> a; bool b) { }
defchan wide <: chan(int<8>) (bool d[8]) { }
defproc echo(chan?(int<8>) I) { int<8> v; chp { I?v; log("got ", v) } }
defproc echo(chan?(int<8>) I);
defchan wide <: chan(int<8>) (bool d[8]);
defproc test() { wide w; pair p; echo e(w); chp { p.a := 5; w!p.a } }
"#,
    );
    assert_eq!(got, ["got 5"]);
}

#[test]
fn a_function_declared_before_its_definition_is_the_definition() {
    // The declaration's result type is not compared: the definition's counts.
    let got = logs(
        r#"
function twice (int<4> x) : bool;
function twice (int<4> x) : int<5>;
defproc test() { int<5> y; chp { y := twice(7); log(y) } }
function twice (int<4> x) : int<5> { chp { self := x + x } }
function twice (int<4> x) : int<5>;
"#,
    );
    assert_eq!(got, ["14"]);
}

#[test]
fn a_definition_may_take_the_name_of_an_instance_of_another_scope() {
    // ACT refuses a definition named as an instance of its own scope (file or namespace):
    // `x` of `test`'s body and `n::y` are not the file scope's.
    let got = logs(
        r#"
namespace n { bool y; }
defproc p(bool a) { chp { log("p") } }
defproc test() { bool x; p q(x); }
defproc x() { }
defproc y() { }
defproc q() { }
"#,
    );
    assert_eq!(got, ["p"]);
}
