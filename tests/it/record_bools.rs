//! A record's `bool` fields start X, as every `bool` does in actsim (only its integers start
//! at 0): reading one before anything wrote it warns, `get` shows X, the waveform shows x.
use crate::common::cli::{actsim_script, stdout};
use crate::common::run_design::run_text;
use crate::common::vcd_check::check_vcd;

/// `r.v` is written, `r.ok` and the nested and array fields are not. The loop that never
/// runs names the fields only the `log` reads otherwise: actsim gives state to a record's
/// fields that statements name, and stops on a field only a `log` reads.
const DESIGN: &str = "
deftype flags (bool hot; bool bits[2]);
deftype pkt (bool v; int<4> n; flags f; bool ok);
defproc test() {
  pkt r, arr[2];
  chp {
    r.n := 3;
    [ r.v -> log(\"v\") [] else -> log(\"not v\") ];
    r.v+;
    [ r.v & r.n = 3 -> log(\"v\") [] else -> skip ];
    [ r.f.bits[1] | arr[1].f.hot -> skip [] else -> log(\"neither\") ];
    log(\"whole \", int(r));
    *[ false -> r.f.hot+; r.f.bits[0]+; r.ok+ ]
  }
}
";

#[test]
fn reading_a_bool_field_never_written_warns_under_its_full_name() {
    let run = run_text(DESIGN);
    assert_eq!(
        run.log_texts(),
        [
            "WARNING: Boolean variable `r.v' is X",
            "not v",
            "v",
            "WARNING: Boolean variable `r.f.bits[1]' is X",
            "WARNING: Boolean variable `arr[1].f.hot' is X",
            "neither",
            // The whole record: each bool field still X, in the record's order.
            "WARNING: Boolean variable `r.f.hot' is X",
            "WARNING: Boolean variable `r.f.bits[0]' is X",
            "WARNING: Boolean variable `r.f.bits[1]' is X",
            "WARNING: Boolean variable `r.ok' is X",
        ],
        "{:?}",
        run.error()
    );
    // The log is written in pieces around its warnings, as actsim writes it.
    assert_eq!(run.log_parts(), ["whole ", "304"]);
}

#[test]
fn get_shows_a_bool_field_x_until_written_and_set_x_makes_it_x_again() {
    let script = "get r.v\nget r.n\nget arr[1].f.bits[1]\nwatch r.v\ncycle\nget r.v\nget r.ok\n\
                  set r.ok 1\nget r.ok\nset r.ok X\nget r.ok\n";
    let o = actsim_script(DESIGN, &["d.act", "test"], script);
    let out = stdout(&o);
    assert!(
        out.starts_with("r.v: X\nr.n: 0  (0x0)\narr[1].f.bits[1]: X\n"),
        "{out}"
    );
    assert!(out.contains("<>  r.v := 1\n"), "{out}");
    assert!(
        out.ends_with("r.v: 1\nr.ok: X\nr.ok: 1\nr.ok: X\n"),
        "{out}"
    );
}

#[test]
fn the_waveform_shows_bool_fields_x_until_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.act");
    std::fs::write(&file, DESIGN).unwrap();
    let vcd = dir.path().join("d.vcd");
    let o = crate::common::cli::chpsim(&[
        "run",
        file.to_str().unwrap(),
        "--top",
        "test",
        "--vcd-vars",
        "--vcd",
        vcd.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", crate::common::cli::stderr(&o));
    let vcd = check_vcd(&std::fs::read_to_string(vcd).unwrap()).unwrap();
    assert_eq!(
        vcd.changes("test.r.v"),
        [(0, "x".to_string()), (30, "1".to_string())]
    );
    assert_eq!(vcd.changes("test.r.ok"), [(0, "x".to_string())]);
    assert_eq!(vcd.changes("test.arr[1].f.hot"), [(0, "x".to_string())]);
    assert_eq!(
        vcd.changes("test.r.n"),
        [(0, "0000".to_string()), (10, "0011".to_string())]
    );
}

#[test]
fn a_field_write_leaves_the_nodes_of_the_other_fields_to_their_rules() {
    // `t.a := true` writes `t.a` alone: `t.b`, a node of `p`'s rule, is not written (it stays
    // X) and goes low by the rule.
    let design = "
deftype rec (bool a; bool b) { }
defproc both(rec r) { prs { r.a => r.b- } }
defproc test() {
  rec t;
  both p(t);
  chp { t.a := true; [ ~t.b -> log(\"low\") ] }
}
";
    let o = actsim_script(design, &["d.act", "test"], "get t.b\nwatch t.b\ncycle\n");
    let out = stdout(&o);
    assert!(out.starts_with("t.b: X\n"), "{out}");
    let low = out.find("<>  low\n").expect("the wait ends");
    assert!(out[..low].contains("t.b := 0\n"), "{out}");
}
