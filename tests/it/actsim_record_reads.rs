//! actsim's messages when a process reads a record in a way its CHP engine does not support:
//! the value of a channel of records no sender waits on (`ERROR: reading channel state
//! without waiting sender!`), and a record variable compared as a value (`ERROR: Evaluating
//! a structure as an expression; skipping and using value 0.`). Both are written without a
//! newline, and the run goes on.
use crate::common::cli::{actsim_script, stdout};
use crate::common::run_design::run_text;

const NO_SENDER: &str = "ERROR: reading channel state without waiting sender!";
const STRUCTURE: &str =
    "ERROR: Evaluating a structure as an expression; skipping and using value 0.";

/// `d` reads `C`'s record (and a field of it) before `s` sends, then while it waits.
const CHANNEL: &str = "
deftype pair (int<4> a; bool b) { }
defproc src(chan!(pair) C) { pair p; int<4> n; chp { p.a := 5; p.b+; n := 1; C!p } }
defproc dst(chan?(pair) C) {
  pair r; int<4> y;
  chp { r := C; y := C.a; [#C]; r := C; y := C.a; log(\"r.a=\", r.a, \" y=\", y); C?r }
}
defproc test() { chan(pair) C; src s(C); dst d(C); }
";

#[test]
fn a_record_channel_read_without_a_sender_prints_actsims_error_and_reads_0() {
    let expected = format!("{NO_SENDER}{NO_SENDER}[                  60] <d>  r.a=5 y=5\n");
    let o = actsim_script(CHANNEL, &["d.act", "test"], "cycle\n");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), expected);
    let run = run_text(CHANNEL);
    assert!(run.result.error.is_none(), "{:?}", run.error());
    assert_eq!(run.log_parts(), [NO_SENDER, NO_SENDER]);
}

#[test]
fn an_integer_channel_read_without_a_sender_reads_0_silently() {
    let design = "
defproc src(chan!(int<4>) C) { int<4> n; chp { n := 1; C!5 } }
defproc dst(chan?(int<4>) C) { int<4> x; chp { x := C; log(\"x=\", x); C?x } }
defproc test() { chan(int<4>) C; src s(C); dst d(C); }
";
    let o = actsim_script(design, &["d.act", "test"], "cycle\n");
    assert_eq!(stdout(&o), "[                  10] <d>  x=0\n");
}

#[test]
fn a_guard_reading_a_record_channel_without_a_sender_prints_it_each_time() {
    // The guard reads `C.a` with no sender (it does not hold, and waits on the probe), then
    // with one.
    let design = "
deftype pair (int<4> a; bool b) { }
defproc src(chan!(pair) C) { pair p; chp { p.a := 2; p.b+; C!p } }
defproc dst(chan?(pair) C) { pair r; chp { [ #C & C.a = 2 -> log(\"two\") ]; C?r } }
defproc test() { chan(pair) C; src s(C); dst d(C); }
";
    let o = actsim_script(design, &["d.act", "test"], "cycle\n");
    assert_eq!(
        stdout(&o),
        format!("{NO_SENDER}[                  30] <d>  two\n")
    );
}

#[test]
fn records_compared_print_actsims_error_per_record_and_compare_equal() {
    let design = "
deftype rec (int<4> a; bool b) { }
defproc test() {
  rec r, s; bool t;
  chp { r.a := 3; r.b+; s.a := 1; s.b-; t := (r = s); log(\"eq \", t);
        [ r != s -> log(\"differ\") [] else -> log(\"same\") ]; log(\"field \", r.a = 3) }
}
";
    let expected = format!(
        "{STRUCTURE}{STRUCTURE}[                  50] <>  eq 1\n\
         {STRUCTURE}{STRUCTURE}[                  60] <>  same\n\
         [                  60] <>  field 1\n"
    );
    let o = actsim_script(design, &["d.act", "test"], "cycle\n");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), expected);
    let run = run_text(design);
    assert_eq!(run.log_parts(), [STRUCTURE; 4]);
    assert_eq!(run.log_texts(), ["eq 1", "same", "field 1"]);
}
