//! Fields of records used from outside the record: elements of array fields of several
//! dimensions, at constant and run-time indices.
use crate::common::run_design::run_text;

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
