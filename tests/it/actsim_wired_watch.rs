//! `watch` of a channel between a CHP end and a circuit under `chpsim actsim`, and of its
//! wires. The channel prints actsim's lines for a communication run by the type's methods:
//! `x : send-blocked` at each try that stops at a wait (no value: actsim's data is in the
//! wires), then `x : send complete` (`x : send` when the first try finished); `x:
//! recv-blocked`, then `x: recv-wakeup value: V (0xV)` (`x: recv value: ...`). actsim's
//! channel methods write the wires through an object of their own, which prints its lines
//! under the channel's name (its local name where actsim first met it), with a space more and
//! no cause: `[t] <x>   x.d := 1`.
use std::process::Output;

use crate::chan_methods::DUAL_RAIL;
use crate::common::cli::{actsim_in, actsim_script, stderr, stdout};

fn lines(o: &Output) -> Vec<String> {
    stdout(o).lines().map(str::to_owned).collect()
}

/// A CHP source `s` sending 0 then 1 on `ack2` into a circuit `t` that acknowledges either
/// rail; both name the channel `x`.
fn source_into_circuit() -> String {
    format!(
        "{DUAL_RAIL}
defproc src (ack2! x) {{ chp {{ x!0; x!1 }} }}
defproc snk (ack2? x) {{ prs {{ x.hi | x.lo => x.a+ }} }}
defproc test () {{ src s; snk t(s.x); }}
"
    )
}

#[test]
fn a_wire_a_method_writes_is_printed_under_the_channels_name() {
    let o = actsim_script(
        &source_into_circuit(),
        &["d.act", "test"],
        "watch s.x.lo\nwatch t.x.a\ncycle\n",
    );
    // `s`'s methods raise `lo` at 20 (set) and lower it at 30 (send_rest), after the rule of
    // `t` raised `a`; actsim's `<s>  s.x.lo := 1` would be a write by the process.
    assert_eq!(
        lines(&o),
        [
            "[                  20] <x>   s.x.lo := 1",
            "[                  30] <t>  t.x.a := 1",
            "[                  30] <x>   s.x.lo := 0",
            "[                  40] <t>  t.x.a := 0",
            "[                  60] <t>  t.x.a := 1",
            "[                  70] <t>  t.x.a := 0",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_send_into_a_circuit_prints_each_try_that_stops_and_its_completion() {
    // `s`'s set raises `lo` at 20 and send_up waits for `a` (blocked); the circuit raises
    // `a` at 30, send_rest lowers `lo` and waits for `~a` (blocked again); `a` falls at 40.
    // The channel is one under both its names; `chcount` counts the finished sends.
    for name in ["s.x", "t.x"] {
        let o = actsim_script(
            &source_into_circuit(),
            &["d.act", "test"],
            format!("watch {name}\ncycle\nchcount {name}\nget {name}\n"),
        );
        let line = |t: u32, what: &str| format!("[{t:>20}] <s>  {name} : {what}");
        assert_eq!(
            lines(&o),
            [
                line(20, "send-blocked"),
                line(30, "send-blocked"),
                line(40, "send complete"),
                line(50, "send-blocked"),
                line(60, "send-blocked"),
                line(70, "send complete"),
                format!("Channel {name}: completed actions 2"),
                // actsim's channel state stays idle: the protocol is in the wires.
                format!("{name}: idle"),
            ],
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn a_receive_from_a_circuit_prints_blocked_then_the_value_on_wakeup() {
    // The circuit offers 1 (`hi`) from the start: `get` takes it and `recv_up` raises `a` at
    // 20, where `recv_rest` waits for the rails to fall (at 30).
    let design = format!(
        "{DUAL_RAIL}
defproc ones (ack2! x) {{ prs {{ ~x.a -> x.hi+
  x.a -> x.hi-
  ~x.a -> x.lo- }} }}
defproc snk (ack2? x) {{ enum<2> v; chp {{ x?v; log(\"v \", v) }} }}
defproc test () {{ ones o; snk k(o.x); }}
"
    );
    let o = actsim_script(&design, &["d.act", "test"], "watch k.x\ncycle\n");
    assert_eq!(
        lines(&o),
        [
            "[                  20] <k>  k.x: recv-blocked",
            "[                  30] <k>  k.x: recv-wakeup value: 1 (0x1)",
            "[                  30] <k>  v 1",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn methods_that_never_wait_print_send_and_recv_value() {
    // A channel of one wire and no handshake: each communication finishes at its first try.
    let design = "
defchan wire1 <: chan(int<1>) (bool?! d)
{
  methods {
    set { [self = 1 -> d+ [] self = 0 -> d-] }
    get { [d -> self := 1 [] ~d -> self := 0] }
  }
}
defproc src (wire1! x) { int<1> w; chp { x!0; w := 0; w := 0; w := 0; w := 0; x!1 } }
defproc inv (wire1? a; wire1! b) { prs { a.d => b.d- } }
defproc snk (wire1? x) {
  int<1> v;
  chp { v := 0; v := 0; v := 0; x?v; v := 0; v := 0; v := 0; v := 0; x?v }
}
defproc test () { src s; inv i(s.x); snk k(i.b); }
";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.act"), design).unwrap();
    let script = "watch s.x\nwatch k.x\ncycle\nchcount k.x\n";
    let o = actsim_in(dir.path(), &["-cnf=sim.conf", "d.act", "test"], script);
    assert_eq!(
        lines(&o),
        [
            "[                   5] <s>  s.x : send",
            "[                  20] <k>  k.x: recv value: 1 (0x1)",
            "[                  30] <s>  s.x : send",
            "[                  45] <k>  k.x: recv value: 0 (0x0)",
            // actsim counts the sending end's finished methods only.
            "Channel k.x: completed actions 0",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_stopped_communication_tries_again_when_any_wire_of_its_process_changes() {
    // `m` waits in `R`'s send_up for an acknowledgement that never comes; a circuit moves a
    // wire of its other channel `L` at 30, 50 and 70. actsim wakes a process at every change
    // in its fanout (every wire of its channels), and each try that stops prints again.
    let design = format!(
        "{DUAL_RAIL}
defproc mid (ack2? L; ack2! R) {{ enum<2> v; chp {{ R!0; L?v }} }}
defproc stuck (ack2? R) {{ prs {{ R.hi & R.lo -> R.a+
  ~R.hi -> R.a- }} }}
defproc buf (bool? go; ack2! L) {{ prs {{ go -> L.hi+
  ~go -> L.hi- }} }}
defproc pulse (bool! go) {{ bool w; chp {{ go-; w+; go+; w-; go- }} }}
defproc test () {{ mid m; stuck t(m.R); pulse p; buf b(p.go, m.L); }}
"
    );
    let o = actsim_script(
        &design,
        &["d.act", "test"],
        "watch m.R\nwatch m.L.hi\ncycle\n",
    );
    assert_eq!(
        lines(&o),
        [
            "[                  20] <m>  m.R : send-blocked",
            "[                  30] <b>  m.L.hi := 0",
            "[                  30] <m>  m.R : send-blocked",
            "[                  50] <b>  m.L.hi := 1",
            "[                  50] <m>  m.R : send-blocked",
            "[                  70] <b>  m.L.hi := 0",
            "[                  70] <m>  m.R : send-blocked",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_breakpoint_on_a_channel_run_over_wires_stops_at_its_lines() {
    let o = actsim_script(
        &source_into_circuit(),
        &["d.act", "test"],
        "break s.x\ncycle\nchcount s.x\ncycle\nmget s.x\n",
    );
    assert_eq!(
        lines(&o),
        [
            "[                  20] <s>  *** breakpoint s.x",
            "Channel s.x: completed actions 0",
            "[                  30] <s>  *** breakpoint s.x",
            "'s.x' is a channel; not currently supported!",
        ],
        "{}",
        stderr(&o)
    );
}
