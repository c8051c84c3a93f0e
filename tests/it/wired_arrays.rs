//! Port arrays of several dimensions of a channel type with methods, each element's other end
//! a circuit: every element runs the methods on its own wires (`c.hi[1][2]` of `c[1][2]`), by
//! constant indices, indices known at run time, or a mix of both.
use crate::chan_methods::DUAL_RAIL;
use crate::common::run_design::run_text;

/// A CHP test bench with a 2x3 array of `ack2` ports, each element's other end a circuit
/// acknowledging whichever rail is up.
fn grid_into_circuits(chp: &str) -> String {
    format!(
        "{DUAL_RAIL}
defproc tb (ack2! c[2][3]) {{ int i, j; chp {{ {chp} }} }}
defproc snk (ack2? x) {{ prs {{ x.hi | x.lo => x.a+ }} }}
defproc test () {{ tb t; snk k[2][3]; (i:2: (j:3: k[i][j].x = t.c[i][j];)) }}
"
    )
}

/// The wires set to 1 in the run's transcript, in order.
fn rails_up(transcript: &str) -> Vec<String> {
    (transcript.lines())
        .filter_map(|l| l.trim().split_once("  "))
        .filter(|(_, change)| change.ends_with(":= 1"))
        .map(|(at, change)| format!("{at} {}", change.trim_end_matches(" := 1")))
        .collect()
}

/// The rails raised, without the acknowledges (`.a[`).
fn data_rails_up(transcript: &str) -> Vec<String> {
    (rails_up(transcript).into_iter())
        .filter(|r| !r.contains(".a["))
        .collect()
}

#[test]
fn each_element_of_a_two_dimensional_port_array_runs_the_methods_on_its_own_wires() {
    // As a one-dimensional array: the send at 20 raises its rail, the circuit acknowledges
    // 10 later; the rail falls at once and the acknowledge 10 after, which ends the send (40).
    let run = run_text(&grid_into_circuits(
        "c[1][2]!1; log(\"sent 12\"); c[0][1]!0; log(\"sent 01\")",
    ));
    assert_eq!(
        run.logs(),
        vec![(40, "sent 12".to_string()), (70, "sent 01".to_string())]
    );
    assert_eq!(
        rails_up(&run.transcript),
        [
            "20 t.c.hi[1][2]",
            "30 t.c.a[1][2]",
            "50 t.c.lo[0][1]",
            "60 t.c.a[0][1]"
        ]
    );
}

#[test]
fn elements_chosen_at_run_time_by_both_indices_run_their_own_methods() {
    // `i := 0` at 20, the outer guard (30), `j := 0` (40); per inner iteration: the guard
    // (10), the send (its rail 10 later, then a+ and a- 10 apart), the log, `j := j + 1`
    // (10): sends 50 apart. Between rows: the inner guard's exit, `i := i + 1`, the outer
    // guard and `j := 0`.
    let run = run_text(&grid_into_circuits(
        "i := 0; *[ i < 2 -> j := 0; *[ j < 3 -> c[i][j]!((i + j) % 2); log(i, j); j := j + 1 ]; i := i + 1 ]",
    ));
    let logs: Vec<u64> = run.logs().iter().map(|(at, _)| *at).collect();
    assert_eq!(logs, [80, 130, 180, 270, 320, 370]);
    let rails = data_rails_up(&run.transcript);
    assert_eq!(
        rails,
        [
            "60 t.c.lo[0][0]",
            "110 t.c.hi[0][1]",
            "160 t.c.lo[0][2]",
            "250 t.c.hi[1][0]",
            "300 t.c.lo[1][1]",
            "350 t.c.hi[1][2]"
        ]
    );
}

#[test]
fn a_constant_index_beside_a_run_time_one_picks_its_row() {
    // `j := 2` at 20; sends at 40 and 90 (each 50: guard, send, a+, a-, `j := j - 1`); the
    // guard's exit at 130, the last send's rail at 140, its end at 160.
    let run = run_text(&grid_into_circuits(
        "j := 2; *[ j > 0 -> c[1][j]!1; j := j - 1 ]; c[0][j]!0; log(\"done\")",
    ));
    assert_eq!(run.logs(), vec![(160, "done".to_string())]);
    let rails = data_rails_up(&run.transcript);
    assert_eq!(
        rails,
        ["40 t.c.hi[1][2]", "90 t.c.hi[1][1]", "140 t.c.lo[0][0]"]
    );
}

#[test]
fn a_chp_end_receives_from_a_grid_of_circuits_by_run_time_indices() {
    // Each source raises hi while its acknowledge is low (at 10); the receive acknowledges,
    // the source lowers hi, and the receive ends when its acknowledge falls.
    let design = format!(
        "{DUAL_RAIL}
defproc src (ack2! x) {{ prs {{ ~x.a => x.hi+  ~x.a -> x.lo- }} }}
defproc tb (ack2? d[2][2]) {{ int i, v; chp {{ i := 0; *[ i < 4 -> d[i / 2][i % 2]?v; log(i, \" \", v); i := i + 1 ] }} }}
defproc test () {{ src s[2][2]; tb t; (i:2: (j:2: t.d[i][j] = s[i][j].x;)) }}
"
    );
    let run = run_text(&design);
    assert_eq!(
        run.log_texts(),
        vec!["0 1".to_string(), "1 1".into(), "2 1".into(), "3 1".into()]
    );
    assert!(
        run.transcript.contains("160  s[1][1].x.a := 1"),
        "{}",
        run.transcript
    );
}

/// A channel type whose one rail is a wire of its own (`r`, joined to `d.r[0]`), its data
/// wires a type whose parameter is named `N` too.
const TICK: &str = "\
template<pint N> deftype rails <: enum<N> (bool?! r[N]) { }
template<pint N> defchan hs <: chan(enum<N>) (rails?!<N> d; bool!? a) { }
defchan tick <: hs<1> (bool?! r) { r = d.r[0]; }
defproc drv(bool! x) { chp { x+ } }
defproc waiter(bool? x) { chp { [x]; log(\"up\") } }
";

#[test]
fn the_wires_of_a_port_array_sized_by_a_parameter_named_as_the_types_are_the_arrays() {
    // `s[N]` of `fan<3>` is three `tick`s: its wires `s.d.r` are `[3][1]`, not `[1][1]` (the
    // type's `N` of `rails<N>` is not the process's).
    let run = run_text(&format!(
        "{TICK}
template<pint N> defproc fan(tick! s[N]; bool? go) {{ (i:N: s[i].r = go;) }}
defproc test() {{ tick t[3]; bool go; fan<3> f(t, go); drv d(go); waiter w(t[2].d.r[0]); }}
"
    ));
    assert_eq!(run.log_texts(), ["up"]);
}

#[test]
fn a_port_of_a_type_with_wires_connects_them_by_a_port_list() {
    // `s[i](.r = go)` names the wires of the port `s[i]`, as it does for a variable.
    let run = run_text(&format!(
        "{TICK}
defproc fan(tick! s[3]; bool? go) {{ (i:3: s[i](.r = go);) }}
defproc test() {{ tick t[3]; bool go; fan f(t, go); drv d(go); waiter w(t[2].d.r[0]); }}
"
    ));
    assert_eq!(run.log_texts(), ["up"]);
}
