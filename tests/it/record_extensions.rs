//! A record connected to a record refining it with fields of its own (`deftype ext <: base
//! (int<8> c)`), as ACT connects them: one object of the more specific type, whose parent's
//! fields are the fields of the same names. Writes through either name are seen through the
//! other; actsim's commands find each name as its declared type has it; and the connections
//! ACT refuses are refused.
use crate::common::cli::{actsim_script, stderr_lines_without_substitutions, stdout};
use crate::common::run_design::{compile_errors, run_text};

const TYPES: &str = "
deftype base (int<4> a; bool b) { }
deftype ext <: base (int<8> c) { }
deftype ext2 <: ext (int<2> z) { }
";

fn design(body: &str) -> String {
    format!("{TYPES}{body}")
}

#[test]
fn a_refining_record_given_to_a_port_of_its_parent_shares_the_parents_fields() {
    let run = run_text(&design(
        "defproc sink(base? x) { chp { x.a := 3; x.b+; log(\"sink \", x.a, \" \", x.b) } }
defproc test() {
  ext e;
  sink s(e);
  chp { e.c := 7; [e.a = 3 & e.b]; log(\"e \", e.a, \" \", e.b, \" \", e.c) }
}
",
    ));
    let mut logs = run.log_texts();
    logs.sort();
    assert_eq!(logs, ["e 3 1 7", "sink 3 1"], "{:?}", run.error());
}

#[test]
fn a_parent_record_given_to_a_port_of_a_refining_record_the_other_way_round() {
    // The port is the more specific: the local `b` becomes part of an `ext`, whose own field
    // (`c`) only the port names.
    let run = run_text(&design(
        "defproc esink(ext? x) { chp { [x.a = 5]; x.c := x.c + 2; log(\"x \", x.a, \" \", x.c) } }
defproc test() { base b; esink k(b); chp { b.a := 5 } }
",
    ));
    assert_eq!(run.log_texts(), ["x 5 2"], "{:?}", run.error());
}

#[test]
fn records_joined_through_several_connections_are_one_object() {
    // `p` and `q` are one `base`; `q = w` makes both part of `w`, two refinements down; the
    // whole record written at one end reaches its parent's fields at the other.
    let run = run_text(&design(
        "defproc wr(base! y) { base v; chp { v.a := 9; v.b+; y := v } }
defproc test() {
  base p, q; ext2 w;
  p = q; q = w;
  wr s(p);
  chp { [w.b]; w.c := 2; w.z := 1; log(w.a, \" \", w.c, \" \", w.z, \" \", q.a, \" \", int(w)) }
}
",
    ));
    let whole = (9 << 11) | (1 << 10) | (2 << 2) | 1;
    // `w.b` is read before the writer's first write: X, as in actsim.
    assert_eq!(
        run.log_texts(),
        [
            "WARNING: Boolean variable `w.b' is X".to_string(),
            format!("9 2 1 9 {whole}")
        ],
        "{:?}",
        run.error()
    );
}

#[test]
fn arrays_and_fields_of_refined_records_connect_element_by_element() {
    // A field overridden by a refining record (`ext f` for `base f`) is connected as such.
    let run = run_text(&design(
        "deftype outer (base f; int<3> n) { }
deftype outer2 <: outer (bool m) +{ ext f; } { }
defproc wr(base! y) { chp { y.a := 9; y.b+ } }
defproc rd(ext2? x) { chp { [x.b]; log(\"rd \", x.a, \" \", x.c) } }
defproc test() {
  ext2 e[2]; base b[2];
  b = e;
  wr w0(b[0]), w1(b[1]);
  rd r0(e[0]);
  outer o; outer2 o2; o = o2;
  chp {
    e[1].c := 3; [e[1].b]; log(\"e1 \", e[1].a, \" \", e[1].c);
    o.f.a := 7; o.n := 2; [o2.f.a = 7]; o2.f.c := 1; log(\"o2 \", o2.f.a, \" \", o2.n, \" \", o2.f.c)
  }
}
",
    ));
    let logs: Vec<String> = (run.log_texts().into_iter())
        .filter(|l| !l.starts_with("WARNING"))
        .collect();
    assert_eq!(logs, ["e1 9 3", "rd 9 0", "o2 7 2 1"], "{:?}", run.error());
}

const NAMED: &str = "defproc esink(ext? x) { chp { [x.a = 5]; x.c := 4 } }
defproc test() { base b; esink k(b); chp { b.a := 5 } }
";

#[test]
fn actsim_finds_each_field_under_the_type_its_name_is_declared_with() {
    // `k.x` is an `ext`, `b` a `base`: `b.c` is no name, as in actsim, though the bits exist.
    let o = actsim_script(
        &design(NAMED),
        &["d.act", "test"],
        "cycle\nget k.x.a\nget b.a\nget k.x.c\nget b.c\n",
    );
    assert_eq!(
        stdout(&o).lines().collect::<Vec<_>>(),
        ["k.x.a: 5  (0x5)", "b.a: 5  (0x5)", "k.x.c: 4  (0x4)"]
    );
    assert_eq!(
        stderr_lines_without_substitutions(&o),
        ["Could not find identifier `b.c' within process `test<>'"]
    );
}

#[test]
fn a_field_watched_under_both_names_is_one_place_watched_under_the_last() {
    // actsim's two names are one offset: one watch, one line per change, by the writer.
    let o = actsim_script(
        &design(NAMED),
        &["d.act", "test"],
        "watch k.x.a\nwatch b.a\ncycle\n",
    );
    assert_eq!(
        stdout(&o).lines().collect::<Vec<_>>(),
        ["[                  10] <>  b.a := 5 (0x5)"]
    );
}

#[test]
fn every_field_of_records_connected_whole_is_one_place_for_watch() {
    // Not only the first field: `k.x.b` and `b.b` are one place too.
    let o = actsim_script(
        "deftype pair (int<4> a; int<4> b) { }
defproc sink(pair? x) { chp { [x.b = 5]; log(\"x \", x.b) } }
defproc test() { pair b; sink k(b); chp { b.a := 3; b.b := 5 } }
",
        &["d.act", "test"],
        "watch k.x.b\nwatch b.b\ncycle\n",
    );
    assert_eq!(
        stdout(&o).lines().collect::<Vec<_>>(),
        [
            "[                  20] <>  b.b := 5 (0x5)",
            "[                  20] <k>  x 5"
        ]
    );
}

#[test]
fn an_object_made_part_of_one_refinement_does_not_join_another() {
    let errors = compile_errors(&design(
        "deftype other <: base (bool q) { }
defproc test() { base p; ext e; other o; p = e; p = o; }
",
    ));
    assert!(
        errors.contains("`p` is record `ext` but `o` is record `other`"),
        "{errors}"
    );
}
