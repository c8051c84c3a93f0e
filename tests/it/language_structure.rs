//! One test per rule of a design's structure: instances, port lists, connections, open ports,
//! local channels and shared variables, each run through the whole pipeline.
use crate::common::run_design;
use crate::language::{logs, owned, test_proc};
use run_design::{compile_errors, compile_warnings, run_text, run_with, Options};

#[test]
fn templates_loops_and_port_lists_build_a_pipeline() {
    let run = run_text(
        r#"
defproc source(chan!(int<8>) R) { int<8> x; chp { x := 0; *[ x < 3 -> R!x; x := x + 1 ] } }
defproc buffer(chan?(int<8>) L; chan!(int<8>) R) { int<8> x; chp { *[ L?x; R!x ] } }
defproc sink(chan?(int<8>) L) { int<8> x; chp { *[ L?x; log("got ", x) ] } }
template<pint N> defproc pipeline() {
  chan(int<8>) c[N+1];
  source src(c[0]);
  buffer b[N];
  (i:N: b[i].L = c[i]; b[i].R = c[i+1];)
  sink snk(.L = c[N]);
}
pipeline<4> top;
"#,
    );
    assert_eq!(run.log_texts(), ["got 0", "got 1", "got 2"]);
    assert!(
        run.transcript.contains("  top.b[3].R -> top.snk.L  0\n"),
        "{}",
        run.transcript
    );
    let first = run.transcript.lines().nth(1).unwrap();
    // x := 0 (10), the loop guard (10), then the handshake (10): 30.
    assert_eq!(first.trim_start(), "30  top.src.R -> top.b[0].L  0");
}

#[test]
fn top_given_by_name_is_named_in_the_transcript() {
    let run = run_with(
        "defproc other() { chp { log(\"hi\") } }\ndefproc test() { chp { log(\"no\") } }\n",
        Options {
            top: Some("other".into()),
            ..Options::default()
        },
    );
    assert!(
        run.transcript.contains("  other  log  hi\n"),
        "{}",
        run.transcript
    );
}

#[test]
fn end_report_names_idle_receivers_and_deadlocked_senders() {
    let run = run_text(
        r#"
defproc a(chan!(int) X; chan?(int) Y) { int v; chp { X!1; Y?v } }
defproc b(chan!(int) X; chan?(int) Y) { int v; chp { X!2; Y?v } }
defproc test() { a p; b q; p.X = q.Y; q.X = p.Y; }
"#,
    );
    let d = &run.result.diagnosis;
    assert_eq!(d.cycles.len(), 1, "{:?}", d);
    let text = run.result.render_waiting();
    assert!(text.contains("deadlock: cycle p → q → p"), "{text}");
    assert!(
        text.contains("p waits on send p.X -> q.Y at test.act:2:"),
        "{text}"
    );
}

#[test]
fn elaboration_reports_every_error_with_its_place() {
    let text = compile_errors(
        r#"
defproc a(chan!(int<8>) X) { chp { X!1 } }
defproc b(chan?(int<16>) X) { int<16> v; chp { X?v } }
defproc c(chan!(int<8>) X) { chp { X!1 } }
defproc test() {
  a p; b q; a r; c s; nosuch t;
  p.X = q.X;
  r.X = s.X;
}
"#,
    );
    for expected in [
        "unknown process `nosuch`",
        "type mismatch: `p.X` carries int<8> but `q.X` carries int<16>",
        "both ends of this connection send",
        "test.act:6:",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn doubly_connected_ports_are_errors() {
    let text = compile_errors(
        r#"
defproc a(chan!(int) X) { chp { X!1 } }
defproc b(chan?(int) X) { int v; chp { X?v } }
defproc test() { a p; b q; b r; chan(int) c; p.X = c; q.X = c; r.X = c; }
"#,
    );
    assert!(
        text.contains("channel connected twice: `q.X` and `r.X` are both receivers on it"),
        "{text}"
    );
}

/// A process with CHP of its own may pass a port its CHP never names on to a sub-instance
/// (directed or not): the port is a wire through it, as in ACT. One its CHP does use and passes
/// on as well has two ends on this side: an error.
#[test]
fn a_port_passed_on_that_the_own_chp_never_names_is_a_wire_through() {
    let run = run_text(
        r#"
defproc src(chan!(int) R) { chp { R!1; R!2 } }
defproc buf(chan?(int) L) { int x; chp { *[ L?x; log("got ", x) ] } }
defproc wrap(chan?(int) L) { buf b(L); chp { log("wrapper runs") } }
defproc loose(chan(int) L) { wrap w(L); chp { skip } }
defproc test() { src s; loose w; s.R = w.L; }
"#,
    );
    assert_eq!(
        run.logs(),
        [
            (0, "wrapper runs".to_string()),
            (20, "got 1".to_string()),
            (40, "got 2".to_string())
        ]
    );
    let text = compile_errors(
        r#"
defproc src(chan!(int) R) { chp { R!1 } }
defproc buf(chan?(int) L) { int x; chp { L?x } }
defproc both(chan?(int) L) { int y; buf b(L); chp { L?y } }
defproc test() { src s; both w; s.R = w.L; }
"#,
    );
    assert!(
        text.contains("channel connected twice: `w.L` and `w.b.L` are both receivers on it"),
        "{text}"
    );
}

/// A generator inside a structural wrapper `u`, feeding a sink `k`: `g.R = d.L;` and `d.O = O;`
/// inside `u`, `u.O = k.L;` at the top; `leave_out` is removed from the text.
fn wrapped_pipeline(leave_out: &str) -> String {
    r#"
defproc buf(chan?(int) L; chan!(int) O) { int x; chp { *[ L?x; O!x ] } }
defproc gen(chan!(int) R) { chp { R!1; R!2 } }
defproc unit(chan!(int) O) { buf d; gen g; g.R = d.L; d.O = O; }
defproc sink(chan?(int) L) { int v; chp { *[ L?v; log(v) ] } }
defproc test() { unit u; sink k; u.O = k.L; }
"#
    .replace(leave_out, "")
}

#[test]
fn an_unconnected_port_is_a_warning_at_the_instance_that_leaves_it_open() {
    let text = compile_warnings(&wrapped_pipeline("u.O = k.L;"));
    // Not the correct `d.O = O;` inside `unit`: `u.O` is what is left open, by `unit u;`.
    for expected in [
        "Warning: port `u.O` is not connected to any receiver",
        "test.act:6:18",
        "`u` leaves its port `O` unconnected",
        "connect it where `u` is declared, e.g. `u.O = x.L;`",
        "Warning: port `k.L` is not connected to any sender",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains("`u.d.O`"), "{text}");
}

#[test]
fn a_port_not_connected_inside_its_structural_process_is_named_so() {
    let text = compile_warnings(&wrapped_pipeline("d.O = O;"));
    // `k.L` is connected (to `u.O`): what is open is `u.O` inside `u`, and `u.d.O`.
    for expected in [
        "Warning: port `u.O` is not connected to any sender inside `u`",
        "nothing inside `u` is connected to `O`",
        "`u.O` is connected here",
        "Warning: port `u.d.O` is not connected to any receiver",
        "`d` leaves its port `O` unconnected",
        "e.g. `d.O = x.L;`",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains("`k.L`"), "{text}");
}

#[test]
fn waits_on_an_unconnected_port_are_a_normal_end_and_the_rest_runs() {
    let run = run_text(&wrapped_pipeline("u.O = k.L;").replace("log(v)", "log(v); L?v"));
    let diagnosis = &run.result.diagnosis;
    assert!(!diagnosis.is_deadlock(), "{diagnosis:?}");
    assert!(
        run.transcript.contains("u.g.R -> u.d.L  1"),
        "{}",
        run.transcript
    );
    // u.d's send on its open port, u.g's send behind it, k's receive on its open port.
    assert_eq!(diagnosis.unconnected.len(), 3, "{diagnosis:?}");
    let listed = run.result.render_idle();
    for expected in [
        "idle: u.d waits on send u.d.O -> (unconnected) at test.act:2:",
        "(nothing is connected to receive: its port is open)",
        "idle: u.g waits on send u.g.R -> u.d.L at test.act:3:",
        "(it waits behind a process whose port is open)",
        "(nothing is connected to send: its port is open)",
    ] {
        assert!(
            listed.contains(expected),
            "missing {expected:?} in:\n{listed}"
        );
    }
}

#[test]
fn a_send_stuck_behind_a_finished_process_is_still_a_deadlock() {
    // `b` takes one token and ends: the source's second send can never complete, and no open
    // port explains it.
    let run = run_text(
        r#"
defproc once(chan?(int) L) { int x; chp { L?x } }
defproc two(chan!(int) R) { chp { R!1; R!2 } }
defproc test() { two t; once b; t.R = b.L; }
"#,
    );
    assert!(run.result.diagnosis.is_deadlock());
    assert!(run.result.diagnosis.unconnected.is_empty());
}

#[test]
fn ports_of_the_top_process_are_open_and_never_communicate() {
    let text =
        r#"defproc test(chan?(int) L; chan!(int) R) { int x; chp { log("start"); R!1; L?x } }"#;
    let warnings = compile_warnings(text);
    assert!(
        warnings.contains("port `R` of the top process is not connected to any receiver"),
        "{warnings}"
    );
    let run = run_text(text);
    assert_eq!(run.log_texts(), ["start"]);
    // Waiting on a port nothing connects is how such a run ends, not a deadlock.
    assert!(!run.result.diagnosis.is_deadlock());
    assert_eq!(run.result.diagnosis.unconnected.len(), 1);
}

#[test]
fn wrong_template_arguments_and_unknown_names_are_errors() {
    let text = compile_errors(
        r#"
template<pint N> defproc a() { int x; chp { x := N } }
defproc b() { int x; chp { x := y } }
defproc test() { a<1, 2> p; b q; }
"#,
    );
    assert!(
        text.contains("`a` takes 1 template argument(s), but 2 were given"),
        "{text}"
    );
    assert!(text.contains("unknown name `y`"), "{text}");
}

#[test]
fn a_process_talks_to_itself_over_a_channel_it_declares() {
    // Both ends in parallel branches: one handshake, seen by the other branch.
    let run = run_text(&test_proc(
        r#"chan(int<8>) c; int<8> x; chp { c!5, c?x; log("x ", x) }"#,
    ));
    assert_eq!(run.logs(), owned(&[(10, "x 5")]));
    assert!(
        run.transcript.contains("  c -> c  5\n"),
        "{}",
        run.transcript
    );
}

#[test]
fn a_test_bench_drives_a_sub_instance_through_channels_it_declares() {
    let run = run_text(
        r#"
defproc twice(chan?(int<8>) L; chan!(int<8>) R) { int<8> v; chp { *[ L?v; R!(v * 2) ] } }
defproc test() {
  chan(int<8>) a, b;
  twice t(a, b);
  int<8> y;
  chp { a!3; b?y; log("got ", y); a!21; b?y; log("got ", y) }
}
"#,
    );
    assert_eq!(run.log_texts(), ["got 6", "got 42"]);
    assert!(
        run.transcript.contains("  a -> t.L  3\n"),
        "{}",
        run.transcript
    );
    assert!(
        run.transcript.contains("  t.R -> b  6\n"),
        "{}",
        run.transcript
    );
}

#[test]
fn elements_of_a_local_channel_array_go_to_sub_instances_or_to_the_own_chp() {
    // c[0] is sent by a sub-instance, c[1] and c[2] by the process itself; the process receives
    // on all three through a run-time index.
    let run = run_text(
        r#"
defproc one(chan!(int<8>) R) { chp { R!100 } }
defproc test() {
  chan(int<8>) c[3];
  one o(c[0]);
  int<8> i, x;
  chp {
    c[1]!101, c[2]!102,
    (i := 0; *[ i < 3 -> c[i]?x; log(x); i := i + 1 ])
  }
}
"#,
    );
    assert_eq!(run.log_texts(), ["100", "101", "102"]);
}

#[test]
fn a_send_to_the_own_receive_in_sequence_is_a_deadlock() {
    let run = run_text(&test_proc(r#"chan(int) c; int x; chp { c!1; c?x }"#));
    assert!(run.result.diagnosis.is_deadlock());
}

#[test]
fn a_local_channel_with_two_senders_is_an_error() {
    let text = compile_errors(
        r#"
defproc src(chan!(int) R) { chp { R!1 } }
defproc test() { chan(int) c; int x; src s(c); chp { c!2, c?x } }
"#,
    );
    assert!(
        text.contains("channel connected twice: `s.R` and `c` are both senders on it"),
        "{text}"
    );
}

#[test]
fn a_send_is_visible_to_a_probe_once_its_event_fires_and_a_waiting_guard_reacts_at_once() {
    // s: `x := 1` fires at 10, the send fires at 20. r: the wait's guard is evaluated at 10
    // (false), re-evaluated with no delay when the send appears at 20; the receive fires at 30.
    let run = run_text(
        r#"
defproc s(chan!(int) R) { int x; chp { x := 1; R!5 } }
defproc r(chan?(int) L) { int x; chp { [#L]; log("seen"); L?x; log("got ", x) } }
defproc test() { s a; r b; a.R = b.L; }
"#,
    );
    assert_eq!(run.logs(), owned(&[(20, "seen"), (30, "got 5")]));
}

#[test]
fn each_statement_acts_when_its_event_fires() {
    // The assignment fires at 10: a probe of the receiver sees the sender only at 20, when the
    // send fires; the receive (started at 0) fired at 10 and waited, so the handshake is at 20.
    let run = run_text(
        r#"
defproc s(chan!(int) R) { int x; chp { x := 7; R!x; log("sent") } }
defproc r(chan?(int) L) { int y; chp { L?y; log("got ", y) } }
defproc test() { s a; r b; a.R = b.L; }
"#,
    );
    let mut logs = run.logs();
    logs.sort();
    assert_eq!(logs, owned(&[(20, "got 7"), (20, "sent")]));
}

#[test]
fn a_selection_nothing_can_change_warns_as_actsim_and_stops_its_thread() {
    let l = logs(r#"int x; chp { x := 0; [ x = 1 -> skip ]; log("never") }"#);
    assert_eq!(
        l,
        owned(&[(20, "Warning: all guards false; no probes/shared vars")])
    );
}

#[test]
fn an_empty_do_loop_costs_one_tick_and_a_spinning_one_is_reported() {
    let l = logs(r#"chp { *[ skip <- false ]; log("out"); *[ skip <- true ]; log("never") }"#);
    assert_eq!(l, owned(&[(1, "out"), (2, "** infinite loop **")]));
}

#[test]
fn an_exchange_channel_carries_a_value_each_way_in_one_handshake() {
    // p: the exchange fires at 10 and waits; q: `y := 5` fires at 10, the exchange at 20. The
    // reply is evaluated when the receive fires, before the value arrives (x is still 0).
    let run = run_text(
        r#"
defproc p(chan!(int<8>, bool) R) { bool ok; chp { R!7?ok; log("p got ", ok) } }
defproc q(chan?(int<8>, bool) L) { int<8> y, x; chp { y := 5; L?x!(x = 7); log("q got ", x) } }
defproc test() { p a; q b; a.R = b.L; }
"#,
    );
    let mut logs = run.logs();
    logs.sort();
    assert_eq!(logs, owned(&[(20, "p got 0"), (20, "q got 7")]));
}

#[test]
fn a_send_value_followed_by_a_conditional_still_parses() {
    let l = logs(r#"chan(int<8>) c; int<8> x; bool b; chp { b+; c!b ? 1 : 2, c?x; log(x) }"#);
    assert_eq!(l, owned(&[(20, "1")]));
}

/// "Did you mean": by distance ignoring case, among names of the kind the place wants (a port
/// for a port, a variable for a value).
#[test]
fn suggestions_ignore_case_and_keep_to_the_right_kind_of_name() {
    let text = compile_errors(
        r#"
defproc g(chan?(int) A; chan?(int) b) { int v; chp { A?v; b?v } }
defproc u(chan!(int) b) { chp { b!1 } }
defproc w(chan?(int) I; chan!(int) O) { int x; chp { I?x; O!(y*2) } }
defproc k(chan?(int) L) { int v; chp { L?v } }
defproc test() { g gg; u uu; w ww; k kk; gg.B = uu.b; ww.O = kk.L; }
"#,
    );
    let hint_after = |error: &str| {
        let at = text
            .find(error)
            .unwrap_or_else(|| panic!("no `{error}`:\n{text}"));
        let help = text[at..].find("Help: ").unwrap() + at;
        text[help..].lines().next().unwrap().to_string()
    };
    assert_eq!(
        hint_after("`gg` has no port `B`"),
        "Help: did you mean `b`?",
        "{text}"
    );
    assert_eq!(
        hint_after("unknown name `y`"),
        "Help: did you mean `x`?",
        "{text}"
    );
}

#[test]
fn a_guard_on_a_shared_bool_wakes_when_another_process_writes_it() {
    // `w` evaluates `[go]` at 20 (false) and waits; `s` raises `go` at 40, and `w` goes on at
    // once, with no further delay.
    let run = run_text(
        r#"
defproc setter(bool go) { int<8> x; chp { go-; x := 0; x := 1; go+ } }
defproc waiter(bool go) { int<8> y; chp { y := 0; [go]; log("saw it") } }
defproc test() { setter s; waiter w; s.go = w.go; }
"#,
    );
    assert_eq!(run.logs(), owned(&[(40, "saw it")]));
}

#[test]
fn an_int_port_is_shared_and_a_selection_waits_for_it() {
    let run = run_text(
        r#"
defproc counter(int<8> n) { chp { n := 1; n := 2; n := 3 } }
defproc watcher(int<8> n) { chp { [ n = 3 -> log("three: ", n) [] n = 9 -> log("nine") ] } }
defproc test() { counter c; watcher w; w.n = c.n; }
"#,
    );
    assert_eq!(run.logs(), owned(&[(30, "three: 3")]));
}

#[test]
fn branches_of_a_process_whose_body_is_parallel_share_its_variables() {
    let run = run_text(&test_proc(
        r#"int<8> x; chp { (x := 1; x := 2; x := 3), ([x = 3]; log("x=", x)) }"#,
    ));
    assert_eq!(run.logs(), owned(&[(30, "x=3")]));
}

#[test]
fn reading_a_bool_never_written_logs_that_it_is_x() {
    // A port of the top process: nothing writes it. The warning is a log line of the process,
    // as actsim prints it, and the value reads as false.
    let run = run_text(
        r#"defproc test(bool? flag) { int<8> x; chp { [flag -> x := 1 [] else -> x := 2]; log(x) } }"#,
    );
    assert_eq!(
        run.logs(),
        owned(&[(10, "WARNING: Boolean variable `flag' is X"), (20, "2")])
    );
    // Once written, it is defined.
    assert_eq!(
        logs(r#"bool b; chp { b+; [b -> log("set")] }"#),
        owned(&[(20, "set")])
    );
}

#[test]
fn a_guard_on_a_shared_variable_nobody_writes_waits_like_a_server_for_input() {
    // No "all guards false" line: a write could still come. At the end it is idle, as a
    // process waiting to receive is (a flag-driven server's normal end), not a deadlock.
    let run = run_text(r#"defproc test(bool go) { chp { go-; [go]; log("never") } }"#);
    assert!(run.logs().is_empty());
    assert!(!run.result.diagnosis.is_deadlock());
    assert_eq!(run.result.diagnosis.idle.len(), 1);
}

#[test]
fn a_variable_port_connected_to_a_channel_is_an_error() {
    let text = compile_errors(
        r#"
defproc a(bool f) { chp { f+ } }
defproc b(chan?(bool) L) { bool v; chp { L?v } }
defproc test() { a p; b q; p.f = q.L; }
"#,
    );
    assert!(
        text.contains("`p.f` is a variable but `q.L` is a channel: they cannot be connected"),
        "{text}"
    );
}

#[test]
fn a_probe_of_a_channel_whose_both_ends_the_process_uses_sees_a_waiting_sender() {
    // The send comes first in the text; the probe still looks at the receive end.
    let run = run_text(&test_proc(
        r#"chan(int<8>) c; int<8> x; chp { c!7, ([#c]; c?x; log("got ", x)) }"#,
    ));
    assert_eq!(run.log_texts(), ["got 7"]);
}

#[test]
fn a_port_without_direction_may_carry_both_ends_of_its_own_chp() {
    let run = run_text(
        r#"
defproc echo(chan(int<8>) C) { int<8> x; chp { C!5, ([#C -> C?x] ; log("got ", x)) } }
defproc test() { echo e; }
"#,
    );
    assert_eq!(run.log_texts(), ["got 5"]);
    assert!(!run.result.diagnosis.is_deadlock());
}

#[test]
fn a_variable_of_the_parent_connected_to_a_port_is_shared_with_the_child() {
    // `go` in a port list, `k` in a connection: the parent's CHP waits on both.
    let run = run_text(
        r#"
defproc raiser(bool r) { int<8> x; chp { x := 0; x := 1; r+ } }
defproc counter(int<8> n) { chp { n := 7 } }
defproc test() {
  bool go; int<8> k;
  raiser a(go);
  counter c; c.n = k;
  chp { go-; [go]; log("go raised"); [k = 7]; log("k=", k) }
}
"#,
    );
    assert_eq!(run.logs(), owned(&[(30, "go raised"), (40, "k=7")]));
}

#[test]
fn a_shared_variable_with_a_bad_size_or_type_is_reported_once_and_plainly() {
    let text = compile_errors(
        r#"defproc f(bool a) { chp { a+ } } defproc test() { bool x[0]; f g(x); chp { skip } }"#,
    );
    assert_eq!(text.matches("Error:").count(), 1, "{text}");
    let text = compile_errors(
        r#"defproc f(bool a) { chp { a+ } } defproc test() { int<4> x; f g(x); chp { skip } }"#,
    );
    assert!(
        text.contains("type mismatch: `g.a` is bool but `x` is int<4>"),
        "{text}"
    );
}

#[test]
fn a_guard_probing_only_an_unconnected_input_is_a_deadlock() {
    let run = run_text(
        r#"
defproc server(chan?(int) L) { int v; chp { *[ [#L -> L?v] ] } }
defproc test() { server s; }
"#,
    );
    assert!(run.result.diagnosis.is_deadlock());
}

#[test]
fn a_guard_reading_the_value_of_a_channel_no_sender_waits_on_does_not_hold() {
    // m's selection fires at 10: no sender on L yet, so `L = 0` reads an undefined value and
    // does not hold (actsim's X); it waits on #K, sees K's send at 20 and takes K.
    let run = run_text(
        r#"
defproc s(chan!(int) R) { int x; chp { x := 1; x := 2; R!0 } }
defproc t(chan!(int) R) { int x; chp { x := 1; R!5 } }
defproc m(chan?(int) L, K) { int x; chp { [| L = 0 -> L?x; log("L") [] #K -> K?x; log("K") |] } }
defproc test() { s a; t b; m c; a.R = c.L; b.R = c.K; }
"#,
    );
    assert_eq!(run.logs(), owned(&[(30, "K")]));
}
