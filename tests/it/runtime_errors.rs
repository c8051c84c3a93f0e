//! A runtime error is typed for library users: its kind (with the values involved), where in
//! the source, in which process and functions; the command line renders it from those.
use chpsim::driver::{ChannelAction, Flavor, RuntimeError, RuntimeErrorKind};

use crate::common::run_design::{run_text, Run};

/// The run's error, which it must have.
fn error_of(run: &Run) -> &RuntimeError {
    run.result.error.as_ref().expect("a runtime error")
}

/// The source text an error points at.
fn pointed_at<'r>(run: &'r Run, error: &RuntimeError) -> &'r str {
    &run.source.text[error.span.clone()]
}

#[test]
fn a_division_by_zero_is_its_kind_at_the_division() {
    let run = run_text("defproc test() { int<8> x, y; chp { x := 3; x := x / y } }");
    let error = error_of(&run);
    assert_eq!(error.kind, RuntimeErrorKind::DivisionByZero);
    assert_eq!(pointed_at(&run, error), "x / y");
    assert!(error.functions.is_empty());
    assert_eq!(error.time, 20);
    assert_eq!(
        error.to_string(),
        "runtime error at time 20 in `test`: division by zero"
    );
}

#[test]
fn an_index_out_of_range_carries_the_index_and_the_array_bounds() {
    let run = run_text("defproc test() { int<8> a[2..5]; int<8> i; chp { i := 9; a[i] := 1 } }");
    let error = error_of(&run);
    assert_eq!(
        error.kind,
        RuntimeErrorKind::IndexOutOfRange {
            index: 9u32.into(),
            lo: 2,
            len: 4
        }
    );
    assert_eq!(pointed_at(&run, error), "i");
    assert_eq!(
        error.kind.to_string(),
        "array index 9 out of range (the array's indices are 2..5)"
    );
}

#[test]
fn a_failed_assertion_in_nested_calls_names_its_functions_innermost_first() {
    let run = run_text(
        r#"
function inner (int<8> a) : int<8> { chp { assert(a < 5, "too big: ", a); self := a } }
function outer (int<8> a) : int<8> { chp { self := inner(a + 1) } }
defproc test() { int<8> x; chp { x := outer(7) } }
"#,
    );
    let error = error_of(&run);
    assert_eq!(
        error.kind,
        RuntimeErrorKind::AssertionFailed {
            message: Some("too big: 8".into())
        }
    );
    assert_eq!(error.functions, ["inner", "outer"]);
    assert!(pointed_at(&run, error).starts_with("assert(a < 5"));
    assert_eq!(
        error.message().to_string(),
        "assertion failed: too big: 8 (in function `inner`) (in function `outer`)"
    );
}

#[test]
fn an_assertion_without_message_has_none() {
    let run = run_text("defproc test() { int<8> x; chp { x := 1; assert(x = 0) } }");
    let error = error_of(&run);
    assert_eq!(
        error.kind,
        RuntimeErrorKind::AssertionFailed { message: None }
    );
    assert_eq!(error.kind.to_string(), "assertion failed");
}

#[test]
fn the_rendered_error_shows_its_place_and_snippet() {
    let run = run_text("defproc test() { int<8> x, y; chp { x := 3; x := x / y } }");
    let rendered = run.result.render_error().expect("a runtime error");
    assert!(
        rendered.starts_with("Error: runtime error at time 20 in `test`: division by zero\n"),
        "{rendered}"
    );
    assert!(rendered.contains("test.act:1:50"), "{rendered}");
}

#[test]
fn a_flavored_action_out_of_turn_names_the_action_and_the_expected_flavor() {
    let run = run_text(
        "defproc src(chan!(int<8>) X) { chp { X!+1; X!+2 } }
defproc dst(chan?(int<8>) X) { int<8> v; chp { *[ X?+v; X?- ] } }
defproc test() { src s; dst d; s.X = d.X; }",
    );
    let error = error_of(&run);
    assert_eq!(
        error.kind,
        RuntimeErrorKind::FlavorOutOfTurn {
            action: ChannelAction::Send,
            expected: Flavor::Minus
        }
    );
    assert_eq!(error.process, "s");
}
