//! `watch` of the wires of a channel between a CHP end and a circuit under `chpsim actsim`:
//! actsim's channel methods write the wires through an object of their own, which prints its
//! lines under the channel's name (its local name where actsim first met it), with a space
//! more and no cause: `[t] <x>   x.d := 1`.
use std::process::Output;

use crate::chan_methods::DUAL_RAIL;
use crate::common::cli::{actsim_script, stderr, stdout};

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
