//! Records with wires joined whole below arrays, as ACT joins them: an element of an array of
//! records (`n[1] = t[0]`), an element of an array field (`n[1].q[1] = t[0].q[0]`), a whole
//! array (`n = t`) and a record-array port given a record array (`holder h(n)`) join every
//! wire of their fields, element by element, at every depth.
use crate::chan_methods::DUAL_RAIL;
use crate::common::cli::{actsim_script, stderr, stdout};
use crate::common::run_design::run_text;

/// `outer` has an array field `q` of `inner`s, whose field `d` has wires `t[2]`, `f[2]`.
const TYPES: &str = "deftype dual <: int<2> (bool t[2]; bool f[2]) { }
deftype inner (dual d; bool v) { }
deftype outer (inner q[2]; bool z) { }
defproc inv(bool a, b) { prs { a => b- } }
";

#[test]
fn elements_of_array_fields_of_array_elements_join_their_wires_for_chp_and_rules() {
    // The inverter (inside `holder`, given the array `n` whole) reads `n[1].q[1].d.t[1]`,
    // which only the join makes the wire the CHP writes as `t[0].q[0].d.t[1]`.
    let design = format!(
        "{TYPES}defproc holder(outer r[2]) {{ inv i(r[1].q[1].d.t[1], r[0].q[0].d.f[0]); }}
defproc test() {{
  outer n[2], t[2];
  n[1].q[1] = t[0].q[0];
  holder h(n);
  chp {{
    t[0].q[0].d.t[1] := false; [ n[0].q[0].d.f[0] ]; log(\"high\");
    t[0].q[0].d.t[1] := true; [ ~n[0].q[0].d.f[0] ]; log(\"low\")
  }}
}}
"
    );
    let run = run_text(&design);
    assert_eq!(run.log_texts(), ["high", "low"], "{:?}", run.error());
}

#[test]
fn an_element_of_an_array_field_joins_the_whole_wire_arrays_below_it() {
    // `n.q[1] = t.q[0]`: the wires `d.t[0..1]` and `d.f[0..1]` of those elements, whole.
    let design = format!(
        "{TYPES}defproc drive(bool z) {{ chp {{ z := true }} }}
defproc test() {{
  outer n, t;
  n.q[1] = t.q[0];
  drive e(t.q[0].d.t[0]);
  drive g(n.q[1].d.f[1]);
  bool w, x;
  w = n.q[1].d.t[0];
  x = t.q[0].d.f[1];
  chp {{ [ w & x -> log(\"wires \", w, x) ] }}
}}
"
    );
    let run = run_text(&design);
    assert_eq!(run.log_texts(), ["wires 11"], "{:?}", run.error());
}

#[test]
fn actsim_commands_reach_wires_joined_through_arrays_of_records() {
    let design = format!(
        "{TYPES}defproc test() {{
  outer n[2], t[2];
  n = t;
  n[1].q[1] = t[0].q[0];
  bool y;
  inv i(n[1].q[1].d.t[1], y);
}}
"
    );
    let script = "watch y
set t[0].q[0].d.t[1] 1
cycle
get y
get n[0].q[0].d.t[1]
get t[1].q[1].d.t[1]
";
    let o = actsim_script(&design, &["d.act", "test"], script);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "[                  10] <i>  y := 0",
            "y: 0",
            "n[0].q[0].d.t[1]: 1",
            "t[1].q[1].d.t[1]: 1",
        ],
        "{}",
        stderr(&o)
    );
}

/// A record with a field of a channel type with wires and methods (`ack2`, rails `hi`, `lo`
/// and acknowledge `a`), a sender whose methods drive the rails, and a circuit acknowledging.
fn channel_types() -> String {
    format!(
        "{DUAL_RAIL}deftype link (ack2 c; bool y) {{ }}
defproc src(ack2! o) {{ chp {{ o!1; o!0; log(\"sent\") }} }}
defproc ack(bool hi, lo, a) {{ prs {{ hi | lo => a+ ~hi & ~lo => a- }} }}
"
    )
}

#[test]
fn records_with_a_channel_field_joined_whole_join_its_wires() {
    // `n = t` (arrays), `u[0] = v[1]` (elements) and a record-array port given `w`: the
    // sender on one side's channel is acknowledged by the circuit on the other side's rails.
    let design = format!(
        "{}defproc pair(link r[2]) {{ src s(r[0].c); }}
defproc test() {{
  link n[2], t[2], u[2], v[2], w[2];
  n = t;
  src s(n[1].c);
  ack a(t[1].c.hi, t[1].c.lo, t[1].c.a);
  u[0] = v[1];
  src p(u[0].c);
  ack b(v[1].c.hi, v[1].c.lo, v[1].c.a);
  pair q(w);
  ack g(w[0].c.hi, w[0].c.lo, w[0].c.a);
  bool x;
  x = n[1].c.hi;
  chp {{ [ x ]; log(\"hi high\") }}
}}
",
        channel_types()
    );
    let run = run_text(&design);
    let mut logs = run.log_texts();
    logs.sort();
    assert_eq!(
        logs,
        ["hi high", "sent", "sent", "sent"],
        "{:?}",
        run.error()
    );
}

#[test]
fn actsim_commands_reach_the_wires_of_a_records_channel_field() {
    let design = format!(
        "{}defproc test() {{
  link n, t;
  n = t;
  bool y;
  ack a(t.c.hi, t.c.lo, y);
}}
",
        channel_types()
    );
    let script = "set n.c.lo 1
set n.c.hi 0
cycle
get y
get t.c.lo
set t.c.lo 0
cycle
get y
";
    let o = actsim_script(&design, &["d.act", "test"], script);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines, ["y: 1", "t.c.lo: 1", "y: 0"], "{}", stderr(&o));
}
