//! Channel types with wires and `methods { }` (as ACT's standard library `std::channel`
//! defines `a1of2`, `e1of2`, bundled data): their definitions inherit wires, connections and
//! methods from a parent type, with the parent's template arguments given in part; a CHP end
//! of such a channel whose other end is a circuit runs the methods on the wires.
use crate::common::run_design::{compile_errors, run_text};

/// Our own dual-rail family, shaped as the standard library's: a generic 1-of-N data type, a
/// generic channel over it with a parameter left for the child, and a 1-of-2 channel naming
/// its rails.
pub(crate) const DUAL_RAIL: &str = "\
template<pint N>
deftype onehot <: enum<N> (bool?! r[N]) { }

template<pbool up; pint N>
defchan gen_ack1of <: chan(enum<N>) (onehot?!<N> d; bool!? a)
{
  methods {
    send_init { (,i:N: d.r[i]-) }
    set { [([]i:N: self = i -> d.r[i]+)] }
    send_up { [a] }
    send_rest { (,i:N: d.r[i]-); [~a] }
    recv_init { a- }
    get { [([]i:N: d.r[i] -> self := i)] }
    recv_up { a+ }
    recv_rest { [(&i:N: ~d.r[i])]; a- }
    recv_probe = (|i:N: d.r[i]);
  }
}

defchan ack1of <: gen_ack1of<true> () { }

defchan ack2 <: ack1of<2> (bool?! hi, lo)
{
  d.r[0] = lo;
  d.r[1] = hi;
}
";

#[test]
fn chp_does_not_touch_the_wires_of_a_channel() {
    // ACT: "Cannot access channel/integer fragments in CHP"; its methods and HSE do.
    let errors = compile_errors(&format!(
        "{DUAL_RAIL}
defproc test () {{ ack2 x; chp {{ x.d.r[0]+ }} }}
"
    ));
    assert!(errors.contains("wires of channel `x`"), "{errors}");
}

#[test]
fn direction_marks_may_come_before_template_arguments() {
    let design = format!(
        "{DUAL_RAIL}
defproc p (ack1of!<3> x; onehot?!<3> y) {{ chp {{ y.r[2]+; log(y.r[2]) }} }}
defproc q (ack1of?<3> x) {{ prs {{ x.d.r[0] => x.a+ }} }}
defproc test () {{ p a; q b(a.x); }}
"
    );
    assert_eq!(run_text(&design).log_texts(), vec!["1".to_string()]);
}

/// A CHP source into a circuit sink on `ack2`: the sink acknowledges whichever rail is up
/// (`x.hi | x.lo => x.a+`).
fn source_into_circuit(chp: &str) -> String {
    format!(
        "{DUAL_RAIL}
defproc src (ack2! x) {{ chp {{ {chp} }} }}
defproc snk (ack2? x) {{ prs {{ x.hi | x.lo => x.a+ }} }}
defproc test () {{ src s; snk t(s.x); }}
"
    )
}

#[test]
fn a_chp_send_runs_the_channel_methods_on_the_wires_of_a_circuit() {
    // By hand: send_init lowers both rails at 0, a- at 10; nothing pending then: the CHP
    // starts, its first action at 20. x!0 at 20: lo+ (set), waits for a (send_up): a+ at 30,
    // lo- and waits for ~a (send_rest): a- at 40, the send ends: "sent 0" at 40. x!1 at 50:
    // hi+, a+ at 60, hi-, a- at 70: "sent 1" at 70.
    let run = run_text(&source_into_circuit(
        "x!0; log(\"sent 0\"); x!1; log(\"sent 1\")",
    ));
    assert_eq!(
        run.logs(),
        vec![(40, "sent 0".to_string()), (70, "sent 1".to_string())]
    );
    assert!(
        run.transcript.contains("  s.x.lo := 1"),
        "{}",
        run.transcript
    );
}

#[test]
fn a_split_send_stops_after_send_up_and_its_minus_half_runs_send_rest() {
    // x!+1 at 20: hi+, a+ at 30: done at 30. log, then x!- at 40: hi-, a- at 50.
    let run = run_text(&source_into_circuit(
        "x!+1; log(\"up\"); x!-; log(\"down\")",
    ));
    assert_eq!(
        run.logs(),
        vec![(30, "up".to_string()), (50, "down".to_string())]
    );
}

#[test]
fn a_chp_receive_and_probe_run_the_methods_on_the_wires_of_a_circuit() {
    // The circuit drives hi when the acknowledge is low (`~x.a => x.hi+`), and holds lo low.
    // recv_init lowers a at 0; hi+ (and lo-) at 10; the CHP starts at 20: [#x] holds (recv_probe = hi | lo), x?v at 30: v
    // := 1 (get), a+ (recv_up), waits for the rails to fall (recv_rest): hi- at 40, a- then:
    // "got 1" at 40.
    let design = format!(
        "{DUAL_RAIL}
defproc src (ack2! x) {{ prs {{ ~x.a => x.hi+  ~x.a -> x.lo- }} }}
defproc snk (ack2? x) {{ int v; chp {{ [#x]; x?v; log(\"got \", v) }} }}
defproc test () {{ src s; snk t(s.x); }}
"
    );
    let run = run_text(&design);
    assert_eq!(run.logs(), vec![(40, "got 1".to_string())]);
}

#[test]
fn a_channel_with_methods_between_two_chp_ends_is_a_plain_channel() {
    let design = format!(
        "{DUAL_RAIL}
defproc src (ack2! x) {{ chp {{ x!1 }} }}
defproc snk (ack2? x) {{ int v; chp {{ x?v; log(\"got \", v) }} }}
defproc test () {{ src s; snk t(s.x); }}
"
    );
    let run = run_text(&design);
    assert_eq!(run.logs(), vec![(10, "got 1".to_string())]);
    assert!(!run.transcript.contains("s.x.hi :="), "{}", run.transcript);
}

/// A CHP source on `ack2` whose wires reach a circuit only through plain `bool`s (`body`
/// connects them), as a netlist generated from a synthesised design does.
fn source_into_wires(body: &str) -> String {
    format!(
        "{DUAL_RAIL}
defproc src (ack2! x) {{ chp {{ x!1; log(\"sent 1\"); x!0; log(\"sent 0\") }} }}
defproc ackor (bool? h, l; bool! a) {{ prs {{ h | l => a+ }} }}
defproc test () {{ src s; {body} }}
"
    )
}

#[test]
fn a_circuit_on_the_wires_of_a_channel_makes_its_chp_end_run_the_methods() {
    // actsim's "fragmented" channel: no process has the channel as a port, but a circuit
    // uses its wires, so the CHP send drives them. As for a circuit sink: "sent 1" at 40,
    // "sent 0" at 70.
    for body in [
        "bool h, l, a; h = s.x.hi; l = s.x.lo; a = s.x.a; ackor g(h, l, a);",
        "ackor g(s.x.hi, s.x.lo, s.x.a);",
    ] {
        let run = run_text(&source_into_wires(body));
        assert_eq!(
            run.logs(),
            vec![(40, "sent 1".to_string()), (70, "sent 0".to_string())],
            "{body}"
        );
    }
}

#[test]
fn wires_that_no_circuit_uses_leave_the_channel_plain() {
    // The bools only name the wires: the channel has no receiver, its send waits forever.
    let run = run_text(&source_into_wires(
        "bool h, l, a; h = s.x.hi; l = s.x.lo; a = s.x.a;",
    ));
    assert!(run.logs().is_empty(), "{:?}", run.logs());
}

#[test]
fn a_circuit_driving_the_wires_of_a_channel_between_two_chp_ends_makes_both_run_the_methods() {
    // actsim's fragmented channel with CHP at both ends: each end runs its methods on the
    // wires, and the end that starts while the other is amid its protocol warns, once.
    let design = format!(
        "{DUAL_RAIL}
defproc src (ack2! x) {{ chp {{ x!1; log(\"sent 1\"); x!0; log(\"sent 0\") }} }}
defproc snk (ack2? x) {{ int v; chp {{ *[ x?v; log(\"got \", v) ] }} }}
defproc ackor (bool? h, l; bool! a) {{ prs {{ h | l => a+ }} }}
defproc test () {{ src s; snk t(s.x); ackor g(s.x.hi, s.x.lo, s.x.a); }}
"
    );
    // By hand: the inits and the circuit settle by 20, the CHP acts from 30. At 30 `s` sets
    // hi and waits for a; `t`, starting while `s` is amid, warns, takes 1, raises a, waits
    // for the rails to fall; `s` lowers hi, `t` lowers a, both done at 30. `s` sends 0 at
    // 40, `t`'s loop receives again at 50 (its guard evaluation): both done at 50.
    let run = run_text(&design);
    let warning = [
        "Channel has fragmented send and recv? (`x')",
        "CHP+hse/circuits are driving the same end of the channel?",
    ];
    let mut expected: Vec<(u64, String)> = warning.iter().map(|w| (30, w.to_string())).collect();
    for (t, text) in [(30, "sent 1"), (30, "got 1"), (50, "sent 0"), (50, "got 0")] {
        expected.push((t, text.to_string()));
    }
    assert_eq!(run.logs(), expected);
}

#[test]
fn a_circuit_that_only_reads_the_wires_of_a_channel_between_two_chp_ends_leaves_it_plain() {
    // The circuit watches (it drives its own node only): the channel stays a CHP channel,
    // whose wires never move.
    let design = format!(
        "{DUAL_RAIL}
defproc src (ack2! x) {{ chp {{ x!1; log(\"sent 1\") }} }}
defproc snk (ack2? x) {{ int v; chp {{ x?v; log(\"got \", v) }} }}
defproc watch (bool? h, l; bool! seen) {{ prs {{ h | l => seen+ }} }}
defproc test () {{ src s; snk t(s.x); bool seen; watch g(s.x.hi, s.x.lo, seen); }}
"
    );
    let run = run_text(&design);
    assert_eq!(
        run.logs(),
        vec![(10, "got 1".to_string()), (10, "sent 1".to_string())]
    );
}

#[test]
fn a_circuit_reading_unmarked_wires_between_two_chp_ends_makes_both_run_the_methods() {
    // As actsim counts a read of a wire its type gives no direction (`bool t`): the channel
    // is fragmented, both ends run their methods on the wires (the acknowledge moves) and
    // the receiver, starting amid the sender's protocol, warns. Beside two CHP ends an
    // unmarked wire tells no init, so the wires start X (the methods warn of it).
    let design = "
defchan rails <: chan(bool) (bool t, f, a)
{
  methods {
    send_init { t-, f- }
    set { [self -> t+ [] ~self -> f+] }
    send_up { [a] }
    send_rest { t-, f-; [~a] }
    recv_init { a- }
    get { [t -> self := true [] f -> self := false] }
    recv_up { a+ }
    recv_rest { [~t & ~f]; a- }
    recv_probe = t | f;
  }
}
defproc src (rails! x) { chp { x!true; log(\"sent\") } }
defproc snk (rails? x) { bool v; chp { x?v; log(\"got \", v) } }
defproc watch (bool? h, l; bool! seen) { prs { h | l => seen+ } }
defproc test () { src s; snk t(s.x); bool seen; watch g(s.x.t, s.x.f, seen); }
";
    let run = run_text(design);
    let texts = run.log_texts();
    assert!(
        texts.contains(&"Channel has fragmented send and recv? (`x')".to_string()),
        "{texts:?}"
    );
    assert!(texts.contains(&"got 1".to_string()), "{texts:?}");
    assert!(run.transcript.contains("s.x.a := 1"), "{}", run.transcript);
}

/// A CHP source and sink of one `ack2` channel, and a circuit `g` on its wires (`body`).
fn pair_with_circuit(circuit: &str, body: &str) -> String {
    format!(
        "{DUAL_RAIL}
defproc src (ack2! x) {{ chp {{ x!1; log(\"sent 1\") }} }}
defproc snk (ack2? x) {{ int v; chp {{ x?v; log(\"got \", v) }} }}
{circuit}
defproc test () {{ src s; snk t(s.x); {body} }}
"
    )
}

/// The node changes of a transcript at time `at`, as `name := v`.
fn changes_at(transcript: &str, at: u64) -> Vec<String> {
    (transcript.lines())
        .filter_map(|l| {
            let (time, rest) = l.trim_start().split_once("  ")?;
            (time.parse() == Ok(at) && rest.contains(" := ")).then(|| rest.trim().to_string())
        })
        .collect()
}

#[test]
fn between_two_chp_ends_the_init_is_the_one_the_circuit_leaves_to_chp() {
    // actsim runs one init per channel (runInit, by its `fragmented` flags): a circuit driving
    // the acknowledge (`bool!? a`, the receiver's wire) receives, so the sender's `send_init`
    // runs (the rails low at 0) and not the receiver's `recv_init`: `a` falls only at 10, by
    // the rule (both rails low).
    let run = run_text(&pair_with_circuit(
        "defproc ackor (bool? h, l; bool! a) { prs { h | l => a+ } }",
        "ackor g(s.x.hi, s.x.lo, s.x.a);",
    ));
    assert_eq!(changes_at(&run.transcript, 0), ["g.l := 0", "g.h := 0"]);
    assert_eq!(changes_at(&run.transcript, 10), ["g.a := 0"]);
    // A circuit driving a rail (`bool?! lo`, the sender's) sends: `recv_init` runs (`a` low at
    // 0), not `send_init` (`hi` stays X); the rule pulls `lo` down at 10.
    let run = run_text(&pair_with_circuit(
        "defproc lodown (bool? a; bool! l) { prs { ~a -> l- } }",
        "lodown g(s.x.a, s.x.lo);",
    ));
    assert_eq!(changes_at(&run.transcript, 0), ["g.a := 0"]);
    assert_eq!(changes_at(&run.transcript, 10), ["g.l := 0"]);
}

#[test]
fn between_two_chp_ends_a_circuit_driving_both_sides_wires_leaves_both_inits_out() {
    // The circuit drives the acknowledge and a rail: actsim's flags say it both sends and
    // receives, and neither init runs; nothing moves at 0.
    let run = run_text(&pair_with_circuit(
        "defproc both (bool? h; bool! a, l) { prs { h => a+  h -> l- } }",
        "both g(s.x.hi, s.x.a, s.x.lo);",
    ));
    assert_eq!(
        changes_at(&run.transcript, 0),
        Vec::<String>::new(),
        "{}",
        run.transcript
    );
}

/// A CHP test bench with an array of `ack2` ports, each element's other end a circuit
/// acknowledging whichever rail is up.
fn array_into_circuits(chp: &str) -> String {
    format!(
        "{DUAL_RAIL}
defproc tb (ack2! c[3]) {{ int i; chp {{ {chp} }} }}
defproc snk (ack2? x) {{ prs {{ x.hi | x.lo => x.a+ }} }}
defproc test () {{ tb t; snk k[3]; (i:3: k[i].x = t.c[i];) }}
"
    )
}

#[test]
fn each_element_of_a_port_array_runs_the_methods_on_its_own_wires() {
    // As one port (see above), element by element: sends at 20, 50 and 80, each done when
    // its acknowledge falls, 20 later.
    let run = run_text(&array_into_circuits(
        "c[0]!0; log(\"sent 0\"); c[2]!1; log(\"sent 2\"); c[1]!1; log(\"sent 1\")",
    ));
    assert_eq!(
        run.logs(),
        vec![
            (40, "sent 0".to_string()),
            (70, "sent 2".to_string()),
            (100, "sent 1".to_string())
        ]
    );
    for wire in ["t.c.lo[0] := 1", "t.c.hi[2] := 1", "t.c.hi[1] := 1"] {
        assert!(run.transcript.contains(wire), "{wire}:\n{}", run.transcript);
    }
    assert!(
        !run.transcript.contains("t.c.hi[0] := 1"),
        "{}",
        run.transcript
    );
}

#[test]
fn an_element_chosen_at_run_time_runs_that_elements_methods() {
    // `i := 0` at 20; each iteration: the loop's guard (10), the send (its event 10 later,
    // then a+ and a- 10 apart), the log, `i := i + 1` (10). Sends at 40, 90, 140: done at
    // 60, 110, 160.
    let run = run_text(&array_into_circuits(
        "i := 0; *[ i < 3 -> c[i]!(i % 2); log(\"sent \", i); i := i + 1 ]",
    ));
    assert_eq!(
        run.logs(),
        vec![
            (60, "sent 0".to_string()),
            (110, "sent 1".to_string()),
            (160, "sent 2".to_string())
        ]
    );
    for wire in ["t.c.lo[0] := 1", "t.c.hi[1] := 1", "t.c.lo[2] := 1"] {
        assert!(run.transcript.contains(wire), "{wire}:\n{}", run.transcript);
    }
}

#[test]
fn a_chp_end_receives_from_an_array_of_circuits_by_a_run_time_index() {
    // Each source drives hi while its acknowledge is low (as in the receive test above):
    // hi+ at 10; the CHP starts at 20: `i := 0` at 20, then per iteration the guard (10),
    // the receive (10: get, a+, hi- 10 later, a-), the log, `i := i + 1` (10).
    let design = format!(
        "{DUAL_RAIL}
defproc src (ack2! x) {{ prs {{ ~x.a => x.hi+  ~x.a -> x.lo- }} }}
defproc tb (ack2? d[2]) {{ int i, v; chp {{ i := 0; *[ i < 2 -> d[i]?v; log(\"got \", i, \" \", v); i := i + 1 ] }} }}
defproc test () {{ src s[2]; tb t; (i:2: t.d[i] = s[i].x;) }}
"
    );
    let run = run_text(&design);
    assert_eq!(
        run.logs(),
        vec![(50, "got 0 1".to_string()), (90, "got 1 1".to_string())]
    );
}

/// A CHP sender and a circuit on `ack1of<2>`, whose rails are wires of a wire (`x.d.r[i]`: the
/// type's `onehot` field has no short names), joined by `connection`.
fn nested_rails(connection: &str) -> String {
    format!(
        "{DUAL_RAIL}
defproc p (ack1of!<2> x) {{ chp {{ x!1; log(\"sent 1\"); x!0; log(\"sent 0\") }} }}
defproc q (ack1of?<2> x) {{ prs {{ x.d.r[0] | x.d.r[1] => x.a+ }} }}
defproc test () {{ {connection} }}
"
    )
}

#[test]
fn connecting_two_instance_ports_joins_the_wires_of_their_wires() {
    // By hand, as for ack2 above: the rails go low at 0 (send_init), the circuit lowers a at
    // 10; x!1 raises r[1], a+ at 30, r[1]- and a- at 40: "sent 1"; x!0 likewise, ends at 70.
    // Before, `a.x = b.x` joined x.d and x.a but not x.d.r[i]: the circuit read rails that
    // stayed X and never lowered a.
    let expected = vec![(40, "sent 1".to_string()), (70, "sent 0".to_string())];
    for connection in [
        "p a; q b(a.x);",
        "p a; q b; a.x = b.x;",
        "p a; q b; b.x = a.x;",
        "ack1of<2> c; p a(c); q b(c);",
    ] {
        assert_eq!(
            run_text(&nested_rails(connection)).logs(),
            expected,
            "{connection}"
        );
    }
}

#[test]
fn elements_of_instance_arrays_join_the_wires_of_their_wires() {
    let run = run_text(&nested_rails(
        "p a[2]; q b[2]; a[0].x = b[0].x; b[1].x = a[1].x;",
    ));
    assert_eq!(run.logs().len(), 4, "{:?}", run.logs());
    assert!(run.log_texts().iter().all(|l| l.starts_with("sent")));
}

#[test]
fn a_pass_gate_counts_its_gates_and_source_as_drives_and_its_drain_as_a_read() {
    // As actsim's fragmentation check counts a pass gate: a gate on the acknowledge
    // (`bool!? a`, the receiver's) is a drive, so the circuit receives and `send_init` runs
    // (both rails low at 0) ...
    let device = "defproc pg (bool? g, s; bool! d) { prs { passn(g, s, d) } }";
    let run = run_text(&pair_with_circuit(device, "bool z, w; pg g(s.x.a, z, w);"));
    assert_eq!(
        changes_at(&run.transcript, 0),
        ["s.x.lo := 0", "s.x.hi := 0"]
    );
    // ... a source on a rail (`bool?! lo`, the sender's) is a drive, so the circuit sends and
    // `recv_init` runs (`a` low at 0) ...
    let run = run_text(&pair_with_circuit(device, "bool z, w; pg g(z, s.x.lo, w);"));
    assert_eq!(changes_at(&run.transcript, 0), ["s.x.a := 0"]);
    // ... and a drain on the acknowledge is only a read of a marked wire: the channel stays a
    // plain one between the two CHP ends, whose wires nothing moves.
    let run = run_text(&pair_with_circuit(device, "bool z, w; pg g(z, w, s.x.a);"));
    assert_eq!(changes_at(&run.transcript, 0), Vec::<String>::new());
    assert!(!run.transcript.contains("s.x."), "{}", run.transcript);
    let mut logs = run.log_texts();
    logs.sort();
    assert_eq!(logs, ["got 1", "sent 1"]);
}

/// A multi-bit dual-rail channel of our own, shaped as the standard library's `eMx1of2`: its
/// data wire `d` is an array of dual-rail wires `d.b[i]` (each with rails `t`, `f`, which its
/// type joins to `r[1]`, `r[0]`), and the receiver acknowledges on `e` (active low).
pub(crate) const MULTI_RAIL: &str = "\
template<pint N>
deftype onehot <: enum<N> (bool?! r[N]) { }
deftype rail2 <: onehot<2> (bool?! t, f) { r[0] = f; r[1] = t; }
template<pint M>
deftype bits <: int<M> (rail2 b[M]) { }

template<pint M>
defchan ebits <: chan(int<M>) (bits?!<M> d; bool!? e)
{
  methods {
    send_init { (,i:M: d.b[i].t-, d.b[i].f-) }
    set { (,i:M: [((self >> i) & 1) = 0 -> d.b[i].f+ [] else -> d.b[i].t+]) }
    send_up { [~e] }
    send_rest { (,i:M: d.b[i].t-, d.b[i].f-); [e] }
  }
}
";

#[test]
fn a_circuit_names_the_rails_of_an_array_of_wires_inside_a_channels_data_wire() {
    // `x.d.b[1].t` is element 1 of the wire array `x.d.b.t` (joined to `x.d.b.r[1][1]`,
    // where the methods write). By hand: send_init lowers the rails at 0, the gates see
    // both bits empty (v0, v1 low at 10) and raise e at 20; each send raises one rail per
    // bit, v0 and v1 rise 10 later, e falls 10 after, the rails fall at once, and so on.
    // Before, the rules naming `x.d.b[i].t` were dropped without a word: e stayed X.
    let design = format!(
        "{MULTI_RAIL}
defproc src (ebits!<2> x) {{ chp {{ x!2; log(\"sent 2\"); x!1; log(\"sent 1\") }} }}
defproc snk (ebits?<2> x)
{{
  bool v0, v1;
  prs {{
    x.d.b[0].t | x.d.b[0].f => v0+
    x.d.b[1].t | x.d.b[1].r[0] => v1+
    v0 & v1 -> x.e-
    ~v0 & ~v1 -> x.e+
  }}
}}
defproc test () {{ src s; snk k(s.x); }}
"
    );
    let run = run_text(&design);
    assert_eq!(run.log_texts(), ["sent 2", "sent 1"], "{}", run.transcript);
    for change in ["k.v0 := 1", "k.v1 := 1", "s.x.e := 0"] {
        assert!(
            run.transcript.contains(change),
            "{change}:\n{}",
            run.transcript
        );
    }
}

#[test]
fn a_port_overridden_by_a_channel_type_with_methods_has_its_wires_and_runs_them() {
    // `railpass` inherits `L` as a `chan?(enum<3>)` and overrides it by `ack1of<3>`: its CHP
    // receives through the methods, on the wires the new type gives the port, as a process
    // declaring the port `ack1of?<3>` does.
    let design = |receiver: &str| {
        format!(
            "{DUAL_RAIL}
template<pint N> defproc pass(chan?(enum<N>) L) {{ enum<N> v; chp {{ *[ L?v; log(\"v \", v) ] }} }}
{receiver}
defproc test() {{ ack1of<3> c; railpass r(c); chp {{ c!2; c!1 }} }}
"
        )
    };
    let overridden = run_text(&design(
        "defproc railpass <: pass<3> () +{ ack1of<3> L; } { }",
    ));
    let declared = run_text(&design(
        "defproc railpass(ack1of?<3> L) { enum<3> v; chp { *[ L?v; log(\"v \", v) ] } }",
    ));
    assert_eq!(overridden.log_texts(), ["v 2", "v 1"]);
    assert_eq!(overridden.logs(), declared.logs());
}

#[test]
fn a_body_channel_overridden_by_a_channel_type_with_methods_has_its_wires() {
    // `child` inherits the body channel `v` as a `chan(enum<3>)` and overrides it by
    // `ack1of<3>`: `v` has the new type's wires (`v.a` is connected in the child's body) and
    // the design runs as one declaring `ack1of<3> v` in the body.
    let design = |declared: &str, child: &str| {
        format!(
            "{DUAL_RAIL}
defproc src (chan!(enum<3>) o) {{ chp {{ o!2; o!1 }} }}
defproc base () {{ {declared} v; enum<3> x; src s(v); chp {{ *[ v?x; log(\"v \", x) ] }} }}
{child}
defproc test() {{ child c; }}
"
        )
    };
    let overridden = run_text(&design(
        "chan(enum<3>)",
        "defproc child <: base () +{ ack1of<3> v; } { bool w; w = v.a; }",
    ));
    let declared = run_text(&design(
        "ack1of<3>",
        "defproc child <: base () { bool w; w = v.a; }",
    ));
    assert_eq!(overridden.log_texts(), ["v 2", "v 1"]);
    assert_eq!(overridden.logs(), declared.logs());
}
