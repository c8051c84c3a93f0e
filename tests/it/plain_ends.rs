//! A CHP end declared with a plain channel type (`chan!(enum<2>) x`) on a channel whose most
//! refined declaration has methods (`ack2 c`) and a circuit at its other end: as in actsim,
//! which takes the channel's type from the most refined declaration connected, the CHP end
//! moves the wires through that type's methods, as if it were declared of that type.
use crate::chan_methods::{DUAL_RAIL, MULTI_RAIL};
use crate::common::cli::{actsim_script, stderr, stdout};
use crate::common::run_design::run_text;

/// Our own two-bit bundle: two data wires and a request, acknowledged by `a` (four phases).
const PAIR: &str = "
defchan pair2 <: chan(int<2>) (bool?! b0, b1, r; bool!? a)
{
  methods {
    send_init { b0-, b1-, r- }
    set { [self = 1 | self = 3 -> b0+ [] else -> skip]; [self >= 2 -> b1+ [] else -> skip] }
    send_up { r+; [a] }
    send_rest { r-, b0-, b1-; [~a] }
    recv_init { a- }
    get { [r]; [b1 & b0 -> self := 3 [] b1 & ~b0 -> self := 2 [] ~b1 & b0 -> self := 1 [] ~b1 & ~b0 -> self := 0] }
    recv_up { a+ }
    recv_rest { [~r]; a- }
  }
}
";

/// The log lines (time, text) of `design` run with its `PLAIN` port type written `plain`,
/// then written `typed`: both must be the same, and some.
fn same_logs(design: &str, plain: &str, typed: &str) -> Vec<(u64, String)> {
    let as_plain = run_text(&design.replace("PLAIN", plain));
    let as_typed = run_text(&design.replace("PLAIN", typed));
    assert!(!as_typed.logs().is_empty(), "{}", as_typed.transcript);
    assert_eq!(as_plain.logs(), as_typed.logs(), "{}", as_plain.transcript);
    as_plain.logs()
}

#[test]
fn a_plain_chp_source_drives_a_circuit_sink_through_the_variable_s_type() {
    // As `chan_methods`' source into a circuit: lo+ at 20, a+ at 30, lo- and a- at 40; hi+
    // at 50, a+ at 60, a- at 70.
    let design = format!(
        "{DUAL_RAIL}
defproc src (PLAIN x) {{ chp {{ x!0; log(\"sent 0\"); x!1; log(\"sent 1\") }} }}
defproc snk (ack2? x) {{ prs {{ x.hi | x.lo => x.a+ }} }}
defproc test () {{ ack2 c; src s(c); snk t(c); }}
"
    );
    let logs = same_logs(&design, "chan!(enum<2>)", "ack2!");
    assert_eq!(
        logs,
        vec![(40, "sent 0".to_string()), (70, "sent 1".to_string())]
    );
    let run = run_text(&design.replace("PLAIN", "chan!(enum<2>)"));
    assert!(run.transcript.contains("c.lo := 1"), "{}", run.transcript);
}

#[test]
fn a_plain_chp_receiver_takes_a_circuit_sender_s_type_from_its_port() {
    // No variable between them: the circuit's own port is the refined declaration. recv_init
    // lowers a at 0, hi+ at 10; the CHP probes (recv_probe) and receives 1 at 20..40.
    let design = format!(
        "{DUAL_RAIL}
defproc src (ack2! x) {{ prs {{ ~x.a => x.hi+  ~x.a -> x.lo- }} }}
defproc snk (PLAIN x) {{ int v; chp {{ [#x]; x?v; log(\"got \", v) }} }}
defproc test () {{ src s; snk t(s.x); }}
"
    );
    let logs = same_logs(&design, "chan?(enum<2>)", "ack2?");
    assert_eq!(logs, vec![(40, "got 1".to_string())]);
}

#[test]
fn a_plain_int_channel_runs_the_methods_of_a_bundle_of_its_width() {
    let sender = format!(
        "{PAIR}
defproc src (PLAIN x) {{ chp {{ x!2; log(\"sent 2\"); x!3; log(\"sent 3\") }} }}
defproc snk (pair2? x) {{ prs {{ x.r => x.a+ }} }}
defproc test () {{ pair2 c; src s(c); snk t(c); }}
"
    );
    let logs = same_logs(&sender, "chan!(int<2>)", "pair2!");
    assert_eq!(logs.len(), 2, "{logs:?}");
    let run = run_text(&sender.replace("PLAIN", "chan!(int<2>)"));
    assert!(run.transcript.contains("c.b1 := 1"), "{}", run.transcript);
    let receiver = format!(
        "{PAIR}
defproc src (pair2! x) {{ prs {{ ~x.a => x.b1+  x.b1 => x.r+  ~x.a -> x.b0- }} }}
defproc snk (PLAIN x) {{ int<2> v; chp {{ x?v; log(\"got \", v) }} }}
defproc test () {{ src s; snk t(s.x); }}
"
    );
    let logs = same_logs(&receiver, "chan?(int<2>)", "pair2?");
    assert_eq!(logs.len(), 1, "{logs:?}");
    assert_eq!(logs[0].1, "got 2");
}

#[test]
fn a_refinement_s_override_gives_a_plain_test_bench_port_the_refined_type() {
    // The cell's channel is `chan(enum<2>)` until its refinement makes it an `ack2` answered
    // by production rules; the source's port stays plain, and runs `ack2`'s methods then.
    let cell = |port: &str| {
        format!(
            "{DUAL_RAIL}
defproc src({port} L) {{ chp {{ L!1; L!0; log(\"sent\") }} }}
defproc watch(bool? hi, lo) {{
  chp {{ *[ [hi -> log(\"rail 1\") [] lo -> log(\"rail 0\")]; [~hi & ~lo] ] }}
}}
defproc cell() {{
  chan(enum<2>) c;
  src s(c);
  int<1> x; chp {{ *[ c?x; log(\"got \", x) ] }}
  refine +{{ ack2 c; }} {{
    bool h, l; prs {{ c.hi => h+\n c.lo => l+\n h | l => c.a+ }} watch w(h, l);
  }}
}}
defproc test() {{ cell k; }}
"
        )
    };
    let plain = actsim_script(
        &cell("chan!(enum<2>)"),
        &["-ref=1", "d.act", "test"],
        "cycle\n",
    );
    let typed = actsim_script(&cell("ack2!"), &["-ref=1", "d.act", "test"], "cycle\n");
    assert!(
        stdout(&typed).contains("<k.w>  rail 1"),
        "{}",
        stdout(&typed)
    );
    assert_eq!(stdout(&plain), stdout(&typed));
    assert_eq!(stderr(&plain), stderr(&typed));
}

#[test]
fn each_element_of_a_plain_port_array_takes_the_type_of_its_channel() {
    let sender = format!(
        "{DUAL_RAIL}
defproc src (PLAIN x[2]) {{ chp {{ x[0]!1; log(\"sent 1\"); x[1]!0; log(\"sent 0\") }} }}
defproc snk (ack2? x) {{ prs {{ x.hi | x.lo => x.a+ }} }}
defproc test () {{ ack2 c[2]; src s(c); snk t0(c[0]); snk t1(c[1]); }}
"
    );
    let logs = same_logs(&sender, "chan!(enum<2>)", "ack2!");
    assert_eq!(
        logs,
        vec![(40, "sent 1".to_string()), (70, "sent 0".to_string())]
    );
    // Each circuit sender raises `hi` once its acknowledge is low; the CHP takes element 1
    // first, then element 0 (whose `hi` has been up since 10), each at a run-time index.
    let receiver = format!(
        "{DUAL_RAIL}
defproc src (ack2! x) {{ prs {{ ~x.a => x.hi+  ~x.a -> x.lo- }} }}
defproc snk (PLAIN x[2]) {{
  int v; int<1> i;
  chp {{ i := 1; x[i]?v; log(\"got \", v); i := 0; x[i]?v; log(\"got \", v) }}
}}
defproc test () {{ src s[2]; snk t; t.x[0] = s[0].x; t.x[1] = s[1].x; }}
"
    );
    let logs = same_logs(&receiver, "chan?(enum<2>)", "ack2?");
    assert_eq!(logs.len(), 2, "{logs:?}");
}

#[test]
fn a_plain_end_runs_methods_that_name_a_parameter_of_the_process_declaring_the_channel() {
    // `ebits<W>`'s methods loop over `W`, the bench's template parameter: the source's plain
    // port runs them with `W` = 2 as a port `ebits!<2>` does. By hand (as in prs_names.rs):
    // the circuit settles at 20 (rails low at 0, v and w low at 10, e high at 20); `x!2` sets
    // the rails at 30, v and w rise at 40, e falls at 50, the rails fall at once, v and w at
    // 60, e rises at 70: `sent 2`; `x!1` sets them at 80: `sent 1` at 120. Before, the
    // methods could not be lowered in the source (no `W` there): the end stayed plain, and
    // its sends waited for a CHP receiver forever.
    let design = format!(
        "{MULTI_RAIL}
defproc src (PLAIN x) {{ chp {{ x!2; log(\"sent 2\"); x!1; log(\"sent 1\") }} }}
template<pint W>
defproc snk (ebits?<W> x)
{{
  bool v, w;
  prs {{
    x.d.b[0].t | x.d.b[0].f => v+
    x.d.b[1].t | x.d.b[1].f => w+
    v & w -> x.e-
    ~v & ~w -> x.e+
  }}
}}
template<pint W>
defproc bench () {{ ebits<W> c; src s(c); snk<W> k(c); }}
defproc test () {{ bench<2> b; }}
"
    );
    let logs = same_logs(&design, "chan!(int<2>)", "ebits!<2>");
    assert_eq!(
        logs,
        vec![(70, "sent 2".to_string()), (120, "sent 1".to_string())]
    );
}
