//! ACT's sparse arrays (an array declared again with other indices) with gaps between their
//! ranges, whose elements are named like any others; ACT's array concatenation `a # b`; and
//! the rules ACT checks on both.

use crate::common::run_design::{compile_errors, run_text};

#[test]
fn elements_of_a_range_apart_from_the_others_are_variables() {
    // `k[6..7]` leaves a gap at 4 and 5; a later `k[4..4]` joins the first range.
    let run = run_text(
        "defproc test() {
  int<8> k[0..3];
  int<8> k[6..7];
  int<8> k[4..4];
  int<8> s;
  chp {
    k[6] := 60; k[7] := 70; k[4] := 40; k[0] := 1;
    s := 0;
    (;i:0..4: s := s + k[i]);
    log(\"sum \", s, \" six \", k[6], \" seven \", k[7]);
    s := 7; k[s] := k[s] + 1; log(\"seven \", k[7])
  }
}
",
    );
    assert_eq!(
        run.log_texts(),
        ["sum 41 six 60 seven 70", "seven 71"],
        "{:?}",
        run.error()
    );
}

#[test]
fn a_run_time_index_into_a_gap_is_out_of_range() {
    let run = run_text(
        "defproc test() {
  bool b[0..1];
  bool b[3..3];
  int i;
  chp { i := 2; b[i]+ }
}
",
    );
    assert!(run.error().is_some(), "{:?}", run.log_texts());
}

#[test]
fn instances_of_a_range_apart_from_the_others_connect() {
    let run = run_text(
        "defproc src(chan!(int) R) { chp { R!5 } }
defproc buf(chan?(int) L; chan!(int) R) { int x; chp { L?x; R!(x * 2) } }
defproc sink(chan?(int) L) { int x; chp { L?x; log(\"got \", x) } }
defproc test() {
  buf b[2];
  buf b[5..6];
  src s(b[0].L);
  b[0].R = b[6].L;
  b[6].R = b[5].L;
  sink k(b[5].R);
}
",
    );
    assert_eq!(run.log_texts(), ["got 40"], "{:?}", run.error());
}

#[test]
fn sparse_arrays_connect_whole_when_their_ranges_agree_in_size() {
    let run = run_text(
        "defproc test() {
  bool x[0..1]; bool x[5..5];
  bool y[2..3]; bool y[9..9];
  x = y;
  chp { y[9]+; x[0]-; log(\"x5 \", x[5], \" y2 \", y[2]) }
}
",
    );
    assert_eq!(run.log_texts(), ["x5 1 y2 0"], "{:?}", run.error());
    let errors =
        compile_errors("defproc test() { bool x[0..1]; bool x[5..5]; bool y[3]; x = y; }\n");
    assert!(errors.contains("the types are not compatible"), "{errors}");
}

#[test]
fn overlapping_ranges_are_refused_among_many() {
    // A thousand ranges with gaps, then one overlapping a range in the middle.
    let errors = compile_errors(
        "defproc test() { (;i:1000: bool x[3*i..3*i+1];) bool x[1500..1501]; chp { x[0]+ } }\n",
    );
    assert!(errors.contains("overlaps the elements"), "{errors}");
}

#[test]
fn array_concatenation_joins_arrays_along_their_first_dimension() {
    let run = run_text(
        "defproc show(bool v[5]) { chp { [v[4]]; log(\"v \", v[0], v[1], v[2], v[3], v[4]) } }
defproc pair(bool m[3][2]) { chp { [m[0][1]]; log(\"m \", m[0][1], m[2][0]) } }
defproc test() {
  bool a[2], b[3];
  show s(a # b);
  bool c[1][2], d[2][2];
  pair p;
  p.m = c # d;
  bool e[2], f[2];
  e # f = s.v[1..4];
  chp { a[0]+; a[1]-; b[0]+; b[1]-; b[2]+; d[1][0]-; c[0][1]+; log(\"f1 \", f[1]) }
}
",
    );
    // The waits of `show` and `pair` see their wires X at first (actsim's warnings).
    let mut logs = run.log_texts();
    logs.retain(|l| !l.starts_with("WARNING"));
    logs.sort();
    assert_eq!(logs, ["f1 1", "m 10", "v 10101"], "{:?}", run.error());
}

#[test]
fn ranges_next_to_each_other_in_a_later_dimension_are_one_array() {
    // `x[0..1][0..1]` and `x[0..1][2..3]` join into `x[0..1][0..3]` (ACT's merge): it
    // connects whole to a dense array of that shape, and a range across the join is one range.
    let run = run_text(
        "defproc test() {
  bool x[0..1][0..1]; bool x[0..1][2..3];
  bool y[2][4];
  bool z[2];
  y = x;
  z = x[1][1..2];
  int<8> k[0..1][0..1]; int<8> k[0..1][2..3];
  chp {
    y[1][2]+; x[1][1]-; k[1][2] := 5; k[0][3] := k[1][2] + 1;
    log(\"z \", z[0], z[1], \" k \", k[0][3])
  }
}
",
    );
    assert_eq!(run.log_texts(), ["z 01 k 6"], "{:?}", run.error());
}

#[test]
fn a_range_sharing_first_indices_with_another_splits_it() {
    // `x[0..5][0..1]`, then `x[0..3][2..3]`: ACT splits the first into `[0..3][0..1]` and
    // `[4..5][0..1]`, the new range between them: a range down a column of all six rows
    // crosses ranges; one of the first four does not.
    let errors = compile_errors(
        "defproc test() { bool x[0..5][0..1]; bool x[0..3][2..3]; bool z[6]; z = x[0..5][0]; }\n",
    );
    assert!(errors.contains("out of range"), "{errors}");
    // Whole, it connects to an array of ranges of the same sizes in that order.
    let run = run_text(
        "defproc test() {
  bool x[0..5][0..1]; bool x[0..3][2..3];
  bool w[4];
  w = x[0..3][0];
  bool v[0..3][0..1]; bool v[5..8][0..1]; bool v[10..11][0..1];
  x = v;
  chp { v[10][1]+; v[7][1]+; v[10][0]-; w[1]+; log(\"x \", x[4][1], x[2][3], x[4][0], x[1][0]) }
}
",
    );
    assert_eq!(run.log_texts(), ["x 1101"], "{:?}", run.error());
}
