//! Production rules naming wires from outside the object that has them: a parent's rules on
//! the wires of its instances' ports (`s[i][0].x.d.b[1].t`), as ACT lets a name go through
//! an instance's port and the ports of its type, each array indexed before its `.`.
use crate::chan_methods::MULTI_RAIL;
use crate::common::run_design::run_text;

#[test]
fn a_parent_acknowledges_the_channels_of_a_2d_array_of_chp_instances_by_their_rails() {
    // The rules are those of a sink process, written in the parent on each instance's port.
    // By hand, for each instance: send_init lowers the rails at 0; v and w fall at 10 (no
    // rail up), e rises at 20, and the circuit is settled: reset ends, the CHP starts, its
    // first action 10 later. `x!2` raises b[1].t and b[0].f at 30, v and w rise at 40, e
    // falls at 50, and send_rest lowers the rails at once; v and w fall at 60, e rises at
    // 70: `sent 2` at 70. `x!1` sets the rails at 80 and repeats it: `sent 1` at 120.
    // Before, the checks refused `s[i][0]`: "`s[i]` is not an array".
    let design = format!(
        "{MULTI_RAIL}
defproc src (ebits!<2> x) {{ chp {{ x!2; log(\"sent 2\"); x!1; log(\"sent 1\") }} }}
defproc test ()
{{
  src s[2][1];
  bool v[2], w[2];
  prs {{
    (i:2:
      s[i][0].x.d.b[0].t | s[i][0].x.d.b[0].f => v[i]+
      s[i][0].x.d.b[1].t | s[i][0].x.d.b[1].r[0] => w[i]+
      v[i] & w[i] -> s[i][0].x.e-
      ~v[i] & ~w[i] -> s[i][0].x.e+
    )
  }}
}}
"
    );
    let run = run_text(&design);
    let expected = [
        (70, "sent 2"),
        (70, "sent 2"),
        (120, "sent 1"),
        (120, "sent 1"),
    ];
    assert_eq!(
        run.logs(),
        expected.map(|(t, text)| (t, text.to_string())),
        "{}",
        run.transcript
    );
    for change in ["90  v[1] := 1", "100  s[1][0].x.e := 0"] {
        assert!(
            run.transcript.contains(change),
            "{change}:\n{}",
            run.transcript
        );
    }
}
