//! Wires below an element of an array field of a record (`s.p[1].d.f[0]`: an array field `p`
//! whose elements have a field `d` of a type with wires `f[2]`), as ACT names them: read and
//! written in CHP, connected, named in production rules and by actsim's commands. chpsim
//! declares them as the wire array `s.p.d.f[2][2]` (every array's dimensions, in order).
use crate::common::cli::{actsim_script, stderr, stdout};
use crate::common::run_design::run_text;

/// A record `frame` with an array field `p` of `pkt`s, whose field `d` has wires.
const TYPES: &str = "deftype dual <: int<2> (bool t[2]; bool f[2]) { }
deftype pkt (bool valid; dual d) { }
deftype frame (pkt p[2]; int<3> n) { }
";

#[test]
fn the_wires_below_an_element_of_an_array_field_are_read_written_and_connected() {
    let design = format!(
        "{TYPES}defproc drive(bool z) {{ chp {{ z := true }} }}
defproc test() {{
  frame s;
  bool w;
  w = s.p[1].d.f[0];
  drive dv(s.p[0].d.t[1]);
  chp {{
    [ s.p[0].d.t[1] -> skip ]; w := true; s.p[1].d.t[0] := false; s.p[0].d.t[0] := true;
    log(s.p[1].d.f[0], \" \", s.p[0].d.t[1], \" \", s.p[1].d.t[0], s.p[0].d.t[0])
  }}
}}
"
    );
    let run = run_text(&design);
    assert_eq!(run.log_texts(), ["1 1 01"], "{:?}", run.error());
}

#[test]
fn a_port_records_wires_are_reached_inside_its_process_and_through_its_instance() {
    let design = format!(
        "{TYPES}defproc holder(frame s) {{
  bool q;
  q = s.p[1].d.t[1];
  chp {{ q := true; log(\"held \", s.p[1].d.t[1]) }}
}}
defproc test() {{
  holder h;
  bool z;
  z = h.s.p[1].d.t[1];
  chp {{ [ z -> log(\"seen \", z) ] }}
}}
"
    );
    let run = run_text(&design);
    let mut logs = run.log_texts();
    logs.sort();
    assert_eq!(logs, ["held 1", "seen 1"], "{:?}", run.error());
}

#[test]
fn production_rules_name_the_wires_below_an_element_of_an_array_field() {
    // `inv` keeps its record's wires and a channel's (the channel type has the array field):
    // its rules read and drive them by ACT's names.
    let design = format!(
        "{TYPES}defchan bus <: chan(bool) (pkt p[2]; bool a) {{ }}
defproc inv(bool a, b, y) {{
  frame s;
  bus c;
  s.p[0].d.t[1] = a;
  s.p[1].d.f[0] = b;
  c.p[1].d.t[0] = b;
  c.a = y;
  prs {{
    s.p[0].d.t[1] => s.p[1].d.f[0]-
    c.p[1].d.t[0] => c.a-
  }}
}}
defproc test() {{
  bool a, b, y;
  inv i(a, b, y);
  chp {{ a := false; [ b ]; [ ~y ]; log(\"high\"); a := true; [ ~b ]; [ y ]; log(\"low\") }}
}}
"
    );
    let run = run_text(&design);
    assert_eq!(run.log_texts(), ["high", "low"], "{:?}", run.error());
}

#[test]
fn actsim_commands_name_the_wires_below_an_element_of_an_array_field() {
    // `s.p[0].d.t[1]` is a circuit node (the inverter's input); `s.p[1].d.f[1]` a variable
    // of the CHP alone.
    let design = format!(
        "{TYPES}defproc inv(bool a, b) {{ prs {{ a => b- }} }}
defproc test() {{
  frame s;
  inv i(s.p[0].d.t[1], s.p[1].d.f[0]);
  chp {{ s.p[1].d.f[1] := true; [ ~s.p[1].d.f[0] -> s.p[1].d.f[1] := false ] }}
}}
"
    );
    let script = "watch s.p[1].d.f[0]
watch s.p[1].d.f[1]
get s.p[0].d.t[1]
set s.p[0].d.t[1] 1
cycle
get s.p[1].d.f[0]
get i.b
get s.p.d.f[1][1]
";
    let o = actsim_script(&design, &["d.act", "test"], script);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "s.p[0].d.t[1]: X",
            "[                  10] <>  s.p[1].d.f[1] := 1",
            "[                  10] <i>  s.p[1].d.f[0] := 0",
            "[                  30] <>  s.p[1].d.f[1] := 0",
            "s.p[1].d.f[0]: 0",
            "i.b: 0",
            "s.p.d.f[1][1]: 0",
        ],
        "{}",
        stderr(&o)
    );
}
