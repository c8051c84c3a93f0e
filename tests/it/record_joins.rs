//! Fields of records joined by connections in any way ACT allows: fields of two records
//! connected to each other, two fields of one record, a circuit node on a field's bit. Each
//! write through one name is seen through every other, and nothing else moves.
use crate::common::run_design::{compile_errors, run_text};

#[test]
fn fields_of_two_records_connected_are_one_and_the_rest_stay_apart() {
    let run = run_text(
        "deftype rec (int<4> x; int<4> z) { }
deftype other (bool f; int<4> x; int<2> g) { }
defproc test() {
  rec t;
  other r;
  r.x = t.x;
  chp {
    t := rec(0); r := other(0);
    t.z := 15; r.g := 3; r.f := true;
    t.x := 6;
    log(r.x, \" \", t.z, \" \", r.g, \" \", r.f, \" \", int(t), \" \", int(r));
    r.x := 9;
    log(t.x, \" \", int(t), \" \", int(r))
  }
}
",
    );
    let (t, r) = (6 << 4 | 15, 1 << 6 | 6 << 2 | 3);
    let (t2, r2) = (9 << 4 | 15, 1 << 6 | 9 << 2 | 3);
    assert_eq!(
        run.log_texts(),
        [format!("6 15 3 1 {t} {r}"), format!("9 {t2} {r2}")],
        "{:?}",
        run.error()
    );
}

#[test]
fn fields_of_two_records_given_one_variable_in_other_processes() {
    let run = run_text(
        "deftype rec (int<4> x; bool y) { }
defproc counter(int<4> n) { chp { n := n + 1; n := n + 1 } }
defproc holder(rec r) { chp { [ r.x = 2 -> log(\"holder \", int(r)) ] } }
defproc test() {
  rec a, b;
  int<4> v;
  v = a.x;
  v = b.x;
  counter c(v);
  holder h(b);
  chp { b.y := true; [ a.x = 2 -> log(\"a \", a.x, \" \", a.y, \" b \", int(b)) ] }
}
",
    );
    let mut logs = run.log_texts();
    logs.sort();
    // `a.y` is never written: a bool field starts X, as in actsim.
    let x = "WARNING: Boolean variable `a.y' is X";
    assert_eq!(logs, [x, "holder 5"], "{:?}", run.error());
    // The log reading it is written in pieces around the warning, as actsim writes it.
    assert_eq!(run.log_parts(), ["a 2 ", "0 b 5"]);
}

#[test]
fn two_fields_of_one_record_connected_are_one_variable() {
    // `s` is `a` (bits 6-8), `q.u` (3-5), `b` (0-2): `s.a = s.b` and `s.q.u = s.b`. Given
    // three values at once, the first field's wins.
    let run = run_text(
        "deftype inner (int<3> u) { }
deftype rec (int<3> a; inner q; int<3> b) { }
defproc test() {
  rec s;
  s.a = s.b;
  s.q.u = s.b;
  chp {
    s.b := 5;
    log(s.a, \" \", s.q.u, \" \", int(s));
    s.a := 2;
    log(s.b, \" \", s.q.u, \" \", int(s));
    s := rec(0);
    log(s.a, s.b, s.q.u);
    s := rec(1 << 6 | 3 << 3 | 4);
    log(s.a, s.b, s.q.u)
  }
}
",
    );
    let (five, two) = (5 << 6 | 5 << 3 | 5, 2 << 6 | 2 << 3 | 2);
    assert_eq!(
        run.log_texts(),
        [
            format!("5 5 {five}"),
            format!("2 2 {two}"),
            "000".to_string(),
            "111".to_string()
        ],
        "{:?}",
        run.error()
    );
}

#[test]
fn a_circuit_node_on_a_field_follows_the_chp_and_drives_it() {
    // `t.y` is an inverter's input, `t.go` its output: both are bits of the record the CHP
    // reads and writes whole or by field.
    let run = run_text(
        "deftype rec (int<3> x; bool y; bool go) { }
defproc inv(bool? a; bool! z) { prs { a => z- } }
defproc test() {
  rec t;
  inv g(t.y, t.go);
  chp {
    t.y := false;
    [ t.go -> log(\"up \", int(t)) ];
    t := rec(14);
    [ ~t.go -> log(\"down \", int(t), \" \", t.x) ];
    t.x := 5;
    log(\"x \", int(t))
  }
}
",
    );
    assert_eq!(
        run.log_texts(),
        ["up 1", "down 14 3", "x 22"],
        "{:?}",
        run.error()
    );
}

#[test]
fn rules_name_a_field_of_their_process_record() {
    let run = run_text(
        "deftype rec (bool a; bool b) { }
defproc both(rec r) { prs { r.a => r.b- } }
defproc test() {
  rec t;
  both p(t);
  chp { t.a := true; [ ~t.b -> skip ]; t.a := false; [ t.b -> log(\"b \", int(t)) ] }
}
",
    );
    assert_eq!(run.log_texts(), ["b 1"], "{:?}", run.error());
}

#[test]
fn fields_of_other_widths_are_not_connected() {
    let errors = compile_errors(
        "deftype rec (int<4> x; int<2> z) { }
defproc test() {
  rec t, r;
  t.x = r.z;
}
",
    );
    assert!(errors.contains("t.x") || errors.contains("r.z"), "{errors}");
}
