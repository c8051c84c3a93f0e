//! Fields of records used from outside the record: elements of array fields of several
//! dimensions, at constant and run-time indices; fields connected as nets (`f = t.x;`,
//! `m(t.a[2]);`), and the wires of fields of refined types.
use crate::common::run_design::{compile_errors, run_text};

#[test]
fn an_element_of_a_two_dimensional_array_field_is_read_and_written_from_outside() {
    // `a[1][2]` is the last element of `a`: its lowest bits, above `f`.
    let run = run_text(
        "deftype grid (int<4> a[2][3]; bool f) { }
defproc test() {
  grid g;
  chp {
    g := grid(0);
    g.a[1][2] := 5; g.a[0][0] := 9; g.f := true;
    log(g.a[1][2], \" \", g.a[0][0], \" \", int(g))
  }
}
",
    );
    // int(g) = 9 << 21 | 5 << 1 | 1.
    let whole = (9 << 21) | (5 << 1) | 1;
    assert_eq!(
        run.log_texts(),
        [format!("5 9 {whole}")],
        "{:?}",
        run.error()
    );
}

#[test]
fn run_time_indices_pick_an_element_of_an_array_field() {
    let run = run_text(
        "deftype table (bool seen; int<3> cell[0..1][1..4]; int<2> tag[3]) { }
defproc test() {
  table t;
  int<3> i, j, sum;
  chp {
    t := table(0);
    i := 0;
    *[ i <= 1 -> j := 1; *[ j <= 4 -> t.cell[i][j] := i + j; j := j + 1 ]; i := i + 1 ];
    i := 1; t.tag[i + 1] := 3;
    sum := t.cell[0][4] + t.cell[1][1];
    log(sum, \" \", t.cell[i][i + 2], \" \", t.tag[2], \" \", t.tag[i], \" \", t.seen)
  }
}
",
    );
    assert_eq!(run.log_texts(), ["6 4 3 0 0"], "{:?}", run.error());
}

#[test]
fn an_element_of_an_array_field_of_an_array_of_records_at_run_time() {
    let run = run_text(
        "deftype pair (int<4> v[2][2]) { }
defproc test() {
  pair p[3];
  int<2> k;
  chp {
    k := 0;
    *[ k < 3 -> p[k] := pair(0); p[k].v[k & 1][1] := k + 1; k := k + 1 ];
    log(p[0].v[0][1], \" \", p[1].v[1][1], \" \", p[2].v[0][1], \" \", p[1].v[0][1])
  }
}
",
    );
    assert_eq!(run.log_texts(), ["1 2 3 0"], "{:?}", run.error());
}

#[test]
fn a_variable_connected_to_a_field_is_that_field() {
    let run = run_text(
        "deftype rec (int<4> x; bool y) { }
defproc test() {
  rec t;
  int<4> f;
  f = t.x;
  chp { t.x := 5; log(f); f := 2; t.y := true; log(t.x, \" \", int(t), \" \", f) }
}
",
    );
    assert_eq!(run.log_texts(), ["5", "2 5 2"], "{:?}", run.error());
}

#[test]
fn fields_given_to_sub_instances_are_written_by_them() {
    // `t` is `x` (bits 11-14), `q` (`u` 8-10, `v` 7), `a[1..3]` (2 bits each from bit 5
    // down), `y` (bit 0).
    let run = run_text(
        "deftype inner (int<3> u; bool v) { }
deftype rec (int<4> x; inner q; int<2> a[1..3]; bool y) { }
defproc counter(int<4> n) { chp { n := n + 1; n := n + 1 } }
defproc flag(bool b) { chp { b := true } }
defproc pair(int<2> p) { chp { p := 3 } }
defproc setu(int<3> u) { chp { u := 6 } }
defproc test() {
  rec t, r[2];
  counter c(t.x);
  flag f(t.q.v);
  pair g(t.a[2]);
  setu s(r[1].q.u);
  int<4> mirror;
  mirror = r[1].x;
  chp {
    mirror := 9;
    [ t.x = 2 & t.q.v & t.a[2] = 3 -> skip ];
    log(\"t \", t.x, \" \", t.q.v, \" \", t.a[1], t.a[2], t.a[3], \" whole \", int(t));
    [ r[1].q.u = 6 -> skip ];
    log(\"r \", r[1].x, \" \", r[1].q.u, \" \", r[0].x)
  }
}
",
    );
    let whole = (2 << 11) | (1 << 7) | (3 << 3);
    // `t.y` is never written: read with the whole record, it is X (as in actsim).
    let x = "WARNING: Boolean variable `t.y' is X".to_string();
    assert_eq!(
        run.log_texts(),
        [x, "r 9 6 0".to_string()],
        "{:?}",
        run.error()
    );
    // The log reading it is written in pieces around the warning, as actsim writes it.
    let parts = ["t 2 1 030 whole ".to_string(), whole.to_string()];
    assert_eq!(run.log_parts(), parts);
}

#[test]
fn a_record_port_field_is_connected_inside_and_outside_its_process() {
    let run = run_text(
        "deftype rec (int<4> x; bool y) { }
defproc counter(int<4> n) { chp { n := n + 1 } }
defproc holder(rec r) { counter c(r.x); chp { [ r.x = 1 -> log(\"inside \", r.x) ] } }
defproc setter(bool b) { chp { b := true } }
defproc test() {
  holder h;
  setter s(h.r.y);
  rec t;
  t = h.r;
  chp { [ t.y & t.x = 1 -> log(\"t \", int(t)) ] }
}
",
    );
    let mut logs = run.log_texts();
    logs.sort();
    assert_eq!(logs, ["inside 1", "t 3"], "{:?}", run.error());
}

#[test]
fn the_wires_of_a_field_of_a_refined_type_are_connected_and_read() {
    let run = run_text(
        "deftype dual <: int<2> (bool t[2]; bool f[2]) { }
deftype pkt (bool valid; dual d) { }
deftype frame (pkt p; int<3> n) { }
defproc drive(bool z) { chp { z := true } }
defproc test() {
  frame s;
  bool w;
  w = s.p.d.f[0];
  drive dv(s.p.d.t[1]);
  chp { [ s.p.d.t[1] -> skip ]; w := true; log(\"f \", s.p.d.f[0], \" d \", s.p.d) }
}
",
    );
    // The wires are the type's implementation, apart from the value CHP sees (`s.p.d`).
    assert_eq!(run.log_texts(), ["f 1 d 0"], "{:?}", run.error());
}

#[test]
fn a_field_of_an_overriding_refinement_has_the_wires_of_its_new_type() {
    let errors = compile_errors(
        "deftype base (int<4> x) { }
deftype quad <: int<4> (bool b[4]) { }
deftype wired <: base() +{ quad x; } { }
defproc test() {
  wired n;
  base o;
  n = o;
  bool w, v;
  w = n.x.b[3];
  v = o.x.b[3];
}
",
    );
    // `n.x` is a `quad`: it has wires; `o.x` is an `int<4>`, which has none.
    assert!(!errors.contains("n.x"), "{errors}");
    assert!(errors.contains("o.x"), "{errors}");
}

#[test]
fn records_connected_whole_share_the_wires_of_their_fields() {
    // `n = t`, `holder h(t)` and `g.r = u` join `n.x.b[1]` to `t.x.b[1]`, and so on.
    let run = run_text(
        "deftype quad <: int<4> (bool b[4]) { }
deftype rec (quad x; bool y) { }
defproc drive(bool z) { chp { z := true } }
defproc holder(rec r) { drive d(r.x.b[2]); }
defproc test() {
  rec n, t, u, s;
  n = t;
  drive d(n.x.b[1]);
  holder h(s);
  holder g;
  g.r = u;
  bool w[3];
  w[0] = t.x.b[1];
  w[1] = s.x.b[2];
  w[2] = u.x.b[2];
  chp { [ w[0] & w[1] & w[2] -> log(\"wires \", w[0], w[1], w[2]) ] }
}
",
    );
    assert_eq!(run.log_texts(), ["wires 111"], "{:?}", run.error());
}

#[test]
fn a_field_of_an_element_added_by_extending_a_record_array_can_be_connected() {
    // `p[1]` comes from the second range of `p`: its field `hi` is a port's variable, as a
    // field of an element of the first range would be.
    let run = run_text(
        r#"
deftype pair (int<4> lo; int<4> hi) { }
defproc setter(int<4> x) { chp { x := 7 } }
defproc test() {
  pair p[0..0];
  pair p[1..1];
  setter s(p[1].hi);
  chp { [ p[1].hi = 7 ]; log("hi ", p[1].hi, " whole ", int(p[1])) }
}
"#,
    );
    assert_eq!(run.log_texts(), ["hi 7 whole 7"], "{:?}", run.error());
}
