//! Data fields of a record among the wires of a channel type (`b.p[1].valid` of `defchan bus
//! <: chan(int<1>) (pkt p[2]; bool a)`), named as ACT names them: in production rules, in
//! connections, through a sub-instance's port (`k.b.p[0].valid`) and in actsim's commands; and
//! the refusals around them (CHP does not touch a channel's wires; a range only ends a name).
use crate::common::cli::{actsim_script, stderr, stdout};
use crate::common::run_design::{compile_errors, compile_warnings, run_text};

/// A one-bit channel whose wires are two records (`valid` and two data bits each) and an
/// acknowledge: the value `i` raises `p[i].valid`.
const BUS: &str = "deftype pkt (bool valid; bool d[2]) { }
defchan bus <: chan(int<1>) (pkt p[2]; bool a)
{
  methods {
    send_init { p[0].valid-, p[1].valid- }
    set { [self = 0 -> p[0].valid+ [] self = 1 -> p[1].valid+] }
    send_up { [a] }
    send_rest { p[0].valid-, p[1].valid-; [~a] }
    recv_init { a- }
    get { [p[0].valid -> self := 0 [] p[1].valid -> self := 1] }
    recv_up { a+ }
    recv_rest { [~p[0].valid & ~p[1].valid]; a- }
  }
}
defproc src(bus! b) { chp { b!1; b!0; log(\"sent\") } }
defproc ackr(bus? b) { prs { b.p[0].valid | b.p[1].valid => b.a+ } }
defproc seen(bool v) { chp { [v]; log(\"seen\") } }
";

/// The channel of `BUS` between a CHP sender and a circuit acknowledging it, a record field
/// of its wires connected in the body (`x`) and through the circuit's port (`y`).
fn design() -> String {
    format!(
        "{BUS}defproc inner()
{{
  bus b;
  src s(b);
  ackr k(b);
  bool x, y;
  x = b.p[1].valid;
  y = k.b.p[0].valid;
  seen one(x);
  seen zero(y);
}}
defproc test() {{ inner t; }}
"
    )
}

#[test]
fn record_fields_of_a_channels_wires_are_read_by_rules_and_connections() {
    let run = run_text(&design());
    let mut logs = run.log_texts();
    logs.sort();
    assert_eq!(logs, ["seen", "seen", "sent"], "{:?}", run.error());
}

#[test]
fn actsim_commands_name_record_fields_of_a_channels_wires() {
    let script = "watch t.b.p[1].valid
watch t.k.b.p[0].valid
cycle
get t.x
get t.s.b.p[1].valid
";
    let o = actsim_script(&design(), &["d.act", "test"], script);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().filter(|l| l.contains(":=")).collect();
    assert_eq!(
        lines,
        [
            "[                  20] <t.s>  t.b.p[1].valid := 1",
            "[                  30] <t.s>  t.b.p[1].valid := 0",
            "[                  50] <t.s>  t.k.b.p[0].valid := 1",
            "[                  60] <t.s>  t.k.b.p[0].valid := 0",
        ],
        "{}",
        stderr(&o)
    );
    assert!(out.contains("t.x: 0\n"), "{out}");
    assert!(out.contains("t.s.b.p[1].valid: 0\n"), "{out}");
    assert!(!stderr(&o).contains("Could not find"), "{}", stderr(&o));
}

#[test]
fn hse_of_the_channels_owner_names_its_record_fields() {
    let design =
        format!("{BUS}defproc test() {{ bus b; hse {{ b.p[1].valid+; [b.a]; b.p[1].valid- }} }}\n");
    let run = run_text(&design);
    assert!(run.error().is_none(), "{:?}", run.error());
}

#[test]
fn chp_does_not_touch_the_record_fields_of_a_channels_wires() {
    // ACT: "Cannot access channel/integer fragments in CHP!".
    let errors = compile_errors(&format!(
        "{BUS}defproc test() {{ bus b; chp {{ b.p[1].valid+ }} }}\n"
    ));
    assert!(errors.contains("wires of channel `b`"), "{errors}");
}

#[test]
fn a_field_of_an_element_of_a_record_array_port_of_an_instance_is_connected() {
    let design = "deftype pkt (bool valid; bool d[2]) { }
defproc set1(pkt! r[2]) { chp { r[1].valid := true } }
defproc seen(bool v) { chp { [v]; log(\"seen\") } }
defproc test() { pkt r[2]; set1 m(r); seen s(m.r[1].valid); }
";
    let run = run_text(design);
    assert_eq!(run.log_texts(), ["seen"], "{:?}", run.error());
}

#[test]
fn a_record_wire_named_without_indices_and_refined_by_an_override_has_its_fields() {
    // `x.f.b.w`: `f` a record wire of the channel type, made an `outer2` (whose `b` is an
    // `inner2`, with `w`) by the derived channel type's override.
    let design = "deftype inner (bool v) { }
deftype inner2 <: inner (bool w) { }
deftype outer (inner b; bool z) { }
deftype outer2 <: outer () +{ inner2 b; } { }
defchan c1 <: chan(bool) (outer f; bool a) { }
defchan c2 <: c1 () +{ outer2 f; } { }
defproc p(c2 x) { prs { x.f.b.w => x.a- } }
defproc test() { c2 x; p k(x); bool q; q = x.f.b.w; q = k.x.f.b.w; }
";
    let warnings = compile_warnings(design);
    assert!(!warnings.contains("error"), "{warnings}");
}
