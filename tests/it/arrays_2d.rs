//! Arrays of several dimensions (`bool x[4][3]`, `chan(int) c[2][N]`, `cell c[2][3]`, ports
//! `chan?(int) L[2][3]`): declared, indexed `x[i][j]` (at elaboration and at run time),
//! connected whole, by ranges (`x[0..1][2]`) and by nested array expressions `{{a, b}, {c, d}}`,
//! with elements named `x[i][j]` in the transcript.
use crate::common::run_design::{compile_errors, run_text};

/// A 2x3 grid of one-place buffers between a source and a sink, all through 2-D arrays.
const GRID: &str = "defproc cell(chan?(int) L; chan!(int) R) { int x; chp { *[ L?x; R!(x + 1) ] } }
defproc src(chan!(int) R[2][3]) {
  chp { (;i:2: (;j:3: R[i][j]!(10*i + j) )) }
}
defproc sink(chan?(int) L[2][3]) {
  int x; int m[2][3]; int i, j;
  chp {
    i := 0;
    *[ i < 2 -> j := 0; *[ j < 3 -> L[i][j]?x; m[i][j] := x; j := j + 1 ]; i := i + 1 ];
    log(\"m12 \", m[1][2], \" m01 \", m[0][1]);
    i := 1; j := 2; log(\"dyn \", m[i][j])
  }
}
defproc test() {
  chan(int) a[2][3], b[2][3];
  src s(a);
  cell c[2][3];
  (i:2: (j:3: c[i][j].L = a[i][j]; c[i][j].R = b[i][j];))
  sink k(b);
}
";

#[test]
fn a_grid_of_instances_runs_through_2d_channels_and_ports() {
    let run = run_text(GRID);
    assert_eq!(
        run.log_texts(),
        ["m12 13 m01 2", "dyn 13"],
        "{:?}",
        run.error()
    );
    // Elements are named with all their indices.
    for name in ["s.R[1][2] -> c[1][2].L  12", "c[0][1].R -> k.L[0][1]  2"] {
        assert!(run.transcript.contains(name), "{}", run.transcript);
    }
}

#[test]
fn nested_array_expressions_connect_2d_variable_ports() {
    let run = run_text(
        "defproc writer(int v[2][2]; chan!(bool) done) {
  chp { v[0][0] := 1; v[0][1] := 2; v[1][0] := 3; v[1][1] := 4; done!true }
}
defproc reader(int a[2]; int b[2]; chan?(bool) go) {
  bool t;
  chp { go?t; log(\"a \", a[0], \" \", a[1], \" b \", b[0], \" \", b[1]) }
}
defproc test() {
  int p, q, r, s;
  chan(bool) go;
  writer w;
  w.v = {{p, q}, {r, s}};
  w.done = go;
  reader k;
  k.a = {s, r};
  k.b = {q, p};
  k.go = go;
}
",
    );
    assert_eq!(run.log_texts(), ["a 4 3 b 2 1"], "{:?}", run.error());
}

#[test]
fn a_range_with_an_index_selects_a_column() {
    // `L[0..1][2]` is the elements `L[0][2]`, `L[1][2]`: an array of two, as in ACT.
    let run = run_text(
        "defproc src(chan!(int) R[3]) { chp { R[0]!1; R[1]!2; R[2]!3 } }
defproc sink(chan?(int) L[2][3]) {
  int x;
  chp { L[1][0]?x; log(\"got \", x); L[0][2]?x; log(\"got \", x); L[1][2]?x; log(\"got \", x) }
}
defproc test() {
  src s;
  sink k;
  k.L[0..1][2] = s.R[1..2];
  k.L[1][0] = s.R[0];
}
",
    );
    assert_eq!(
        run.log_texts(),
        ["got 1", "got 2", "got 3"],
        "{:?}",
        run.error()
    );
}

#[test]
fn a_2d_index_out_of_range_at_run_time_stops_the_run() {
    let run = run_text(
        "defproc test() {
  int m[2][3]; int i;
  chp { i := 3; m[1][i] := 1 }
}
",
    );
    let error = run.error().expect("the index is out of range");
    assert!(error.contains("out of range"), "{error}");
}

#[test]
fn arrays_connect_only_when_their_dimensions_agree() {
    let errors = compile_errors(
        "defproc test() {
  chan(int) a[2][3], b[3][2], c[6];
  a = b;
  a = c;
  a[1] = c[0];
}
",
    );
    assert!(
        errors.contains("cannot connect an array [2][3] to an array [3][2]"),
        "{errors}"
    );
    assert!(
        errors.contains("cannot connect an array [2][3] to an array [6]"),
        "{errors}"
    );
    assert!(
        errors.contains("`a` has 2 dimension(s), but this gives 1 index(es)"),
        "{errors}"
    );
}

#[test]
fn an_array_wire_of_an_element_is_named_through_the_element() {
    // `p[1].d[0]` and `p[1].d` of an array `p` of a type with a wire array `d[2]`: the
    // wire array `p.d` has both dimensions.
    let run = run_text(
        "deftype pair <: int<2> (bool d[2]) { }
defproc setter(bool b) { chp { b+ } }
defproc reader(bool b[2]) { chp { [b[0]]; log(\"seen\") } }
defproc test() {
  pair p[2];
  setter s;
  s.b = p[1].d[0];
  reader r;
  r.b = p[1].d;
}
",
    );
    assert_eq!(run.log_texts(), ["seen"], "{:?}", run.error());
}
