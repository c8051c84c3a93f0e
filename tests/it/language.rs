//! One test per CHP construct and timing rule: each runs a small design through the whole
//! pipeline and checks what it logs, and when.
use crate::common::run_design;
use chpsim::kernel::{EndReason, Limits};
use run_design::{compile_errors, compile_warnings, run_text, run_with, Options};

fn test_proc(body: &str) -> String {
    format!("defproc test() {{\n{body}\n}}\n")
}

fn logs(body: &str) -> Vec<(u64, String)> {
    run_text(&test_proc(body)).logs()
}

fn owned(items: &[(u64, &str)]) -> Vec<(u64, String)> {
    items.iter().map(|(t, s)| (*t, s.to_string())).collect()
}

#[test]
fn worked_example_from_the_design_logs_got_0_at_40_and_got_2_at_70() {
    let run = run_text(
        r#"
defproc src(chan!(int) x) { int a; chp { a := 0; *[ a < 1000 -> x!a; a := a + 1 ] } }
defproc add(chan?(int) a, b; chan!(int) r) { int x, y; chp { *[ a?x, b?y; r!(x+y) ] } }
defproc sink(chan?(int) x) { int t; chp { *[ x?t; log("got ", t) ] } }
defproc test() { src s1, s2; add ad; sink sk; s1.x = ad.a; s2.x = ad.b; ad.r = sk.x; }
"#,
    );
    let logs = run.logs();
    assert_eq!(
        &logs[..3],
        &owned(&[(40, "got 0"), (70, "got 2"), (100, "got 4")])
    );
    assert_eq!(logs.len(), 1000);
    assert_eq!(logs[999], (40 + 999 * 30, "got 1998".to_string()));
}

#[test]
fn log_is_free_and_an_assignment_takes_ten() {
    assert_eq!(
        logs(r#"int x; chp { log("t"); x := 100; log("x was ", x) }"#),
        owned(&[(0, "t"), (10, "x was 100")])
    );
}

#[test]
fn assignment_truncates_to_the_target_width() {
    assert_eq!(
        logs(r#"int<4> x; chp { x := 15; x := x + 1; log(x) }"#)[0].1,
        "0"
    );
}

#[test]
fn product_of_two_32_bit_values_is_exact_in_a_64_bit_variable() {
    let l = logs(
        r#"int a, b; int<64> p; chp { a := 4000000000; b := 3000000000; p := a * b; log(p) }"#,
    );
    assert_eq!(l[0].1, "12000000000000000000");
}

#[test]
fn wide_integers_keep_every_bit() {
    let l = logs(
        r#"int<256> x; int<10> i;
        chp { x := 0; i := 0; *[ i < 256 -> x := (x << 1) | 1; i := i + 1 ]; log("%x", x); x := x + 1; log(x) }"#,
    );
    assert_eq!(l[0].1, "f".repeat(64));
    assert_eq!(l[1].1, "0"); // 2^256 truncated to 256 bits
}

#[test]
fn booleans_set_with_plus_and_minus_and_log_as_0_or_1() {
    assert_eq!(
        logs(r#"bool b; chp { b+; log(b); b-; log(b, " ", ~b) }"#),
        owned(&[(10, "1"), (20, "0 1")])
    );
}

#[test]
fn log_formats_hex_and_binary() {
    assert_eq!(
        logs(r#"int<8> x; chp { x := 0xa5; log("%x", x, " ", "%b", x, " ", x) }"#)[0].1,
        "a5 10100101 165"
    );
}

#[test]
fn a_percent_string_sets_the_format_of_every_value_after_it_and_prints_its_rest() {
    assert_eq!(
        logs(r#"int<8> x, y; chp { x := 0xa5; y := 0x0f; log("%xhex: ", x, " ", y) }"#)[0].1,
        "hex: a5 15",
        "the string ` ` resets the format to decimal"
    );
    assert_eq!(
        logs(r#"int<8> x, y; chp { x := 0xa5; y := 0x0f; log("%x", x, y, "%u=", x) }"#)[0].1,
        "a5f=165"
    );
}

#[test]
fn a_string_that_is_not_a_format_prints_whole_and_sets_decimal() {
    assert_eq!(
        logs(r#"int<8> x; chp { x := 12; log("%b", x, "%q ", x, " 100%", x, "%5", x) }"#)[0].1,
        "00001100%q 12 100%12%512"
    );
}

#[test]
fn signed_decimal_uses_the_top_bit_and_pads_only_when_asked() {
    assert_eq!(
        logs(r#"int<8> x, y; chp { x := 0xfe; y := 7; log(x, "%d ", x, "%5d|", x, "%05d|", x, "%3d|", y) }"#)
            [0]
        .1,
        "254 -2|   -2|-0002|  7"
    );
}

#[test]
fn hex_of_a_wide_value_is_in_64_bit_words_and_binary_is_full_width() {
    let l = logs(
        r#"int<72> x; int<6> b; bool t;
        chp { x := 1; b := 5; t := true; log("%x", x, " ", x{63..0}, "%b ", b, " ", t, "%x ", t) }"#,
    );
    assert_eq!(l[0].1, "00000000000000001 1 000101 1 1");
}

#[test]
fn log_parts_and_warnings_are_transcript_lines_of_their_own() {
    let run = run_text(&test_proc(
        r#"int<4> x; chp { log_st(); log_p("a=", "%b", 3); x := 2; log_p(" x=", x); log_nl(); warn("x is ", x) }"#,
    ));
    let lines: Vec<&str> = run.transcript.lines().skip(1).take(5).collect();
    assert_eq!(
        lines,
        [
            "                   0  test  log_st",
            "                   0  test  log_p  a=11",
            "                  10  test  log_p   x=2",
            "                  10  test  log_nl",
            "                  10  test  warn  x is 2",
        ]
    );
}

#[test]
fn bit_fields_and_concatenation_read_and_write() {
    let l = logs(
        r#"int<8> x; int<4> h; int<12> c;
        chp { x := 0xa5; h := x{7..4}; log(h, " ", x{0}, " ", x{1}); x{3..0} := 0; log(x); c := {h, x}; log(c) }"#,
    );
    assert_eq!(
        l.iter().map(|(_, s)| s.as_str()).collect::<Vec<_>>(),
        ["10 1 0", "160", "2720"]
    );
}

#[test]
fn arrays_with_computed_indices() {
    let l = logs(
        r#"int<8> m[4]; int<3> i;
        chp { i := 0; *[ i < 4 -> m[i] := i * 3; i := i + 1 ]; log(m[0], m[1], m[2], m[3]) }"#,
    );
    assert_eq!(l[0].1, "0369");
}

#[test]
fn parallel_branches_run_side_by_side() {
    assert_eq!(
        logs(r#"int a, b; chp { a := 1, b := 2; log(a + b) }"#),
        owned(&[(10, "3")])
    );
}

#[test]
fn double_bar_runs_whole_sequences_side_by_side() {
    // `||` binds looser than `;`: each side is a sequence of two assignments (20 ticks).
    assert_eq!(
        logs(r#"int a, b; chp { a := 1; a := a + 1 || b := 5; b := b + 1; log(a, " ", b) }"#),
        owned(&[(20, "2 6")])
    );
}

#[test]
fn double_bar_replication_runs_every_copy_side_by_side() {
    assert_eq!(
        logs(
            r#"int<8> x[3]; chp { (|| i : 3 : x[i] := i + 1; x[i] := x[i] * 2); log(x[0], x[1], x[2]) }"#
        ),
        owned(&[(20, "246")])
    );
}

#[test]
fn flavored_sends_and_receives_are_each_a_full_handshake_with_data_on_plus() {
    let run = run_text(
        r#"
defproc src(chan!(int<8>) X) { chp { X!+5; X!-; X!+6; X!- } }
defproc dst(chan?(int<8>) X) { int<8> v; chp { X?+v; log("got ", v); X?-; log("ack"); X?+v; log("got ", v); X?- } }
defproc test() { src s; dst d; s.X = d.X; }
"#,
    );
    assert_eq!(
        run.logs(),
        owned(&[(10, "got 5"), (20, "ack"), (30, "got 6")])
    );
    assert!(run.error().is_none());
}

#[test]
fn flavored_sends_must_alternate_starting_with_plus() {
    for (sends, wrong) in [
        ("X!+1; X!+2", "`!+` should be `!-`"),
        ("X!-", "`!-` should be `!+`"),
    ] {
        let run = run_text(&format!(
            "defproc src(chan!(int<8>) X) {{ chp {{ {sends} }} }}
defproc dst(chan?(int<8>) X) {{ int<8> v; chp {{ *[ X?v ] }} }}
defproc test() {{ src s; dst d; s.X = d.X; }}"
        ));
        let error = run.error().expect("a runtime error");
        assert!(error.contains(wrong), "{sends}: {error}");
    }
}

#[test]
fn a_channel_end_that_uses_flavors_uses_them_for_every_action() {
    let run = run_text(
        r#"
defproc src(chan!(int<8>) X) { chp { X!1; X!2 } }
defproc dst(chan?(int<8>) X) { int<8> v; chp { X?v; X?+v; X?v } }
defproc test() { src s; dst d; s.X = d.X; }
"#,
    );
    let error = run.error().expect("a runtime error");
    assert!(
        error.contains("a plain receive on a channel end that uses `?+`/`?-`"),
        "{error}"
    );
}

#[test]
fn sequence_adds_up_delays() {
    assert_eq!(
        logs(r#"int a, b; chp { a := 1; b := 2; log(a + b) }"#),
        owned(&[(20, "3")])
    );
}

#[test]
fn deterministic_selection_evaluates_guards_in_ten_and_takes_the_true_arm() {
    let l = logs(r#"int x; chp { x := 5; [ x > 3 -> log("big") [] x <= 3 -> log("small") ] }"#);
    assert_eq!(l, owned(&[(20, "big")]));
}

#[test]
fn else_arm_runs_when_no_guard_holds() {
    assert_eq!(
        logs(r#"int x; chp { x := 1; [ x > 3 -> log("big") [] else -> log("else") ] }"#)[0].1,
        "else"
    );
}

#[test]
fn guarded_loop_exits_when_no_guard_holds() {
    // gcd(48, 18) = 6
    let l = logs(
        r#"int a, b; chp { a := 48; b := 18; *[ a > b -> a := a - b [] b > a -> b := b - a ]; log("gcd ", a) }"#,
    );
    assert_eq!(l[0].1, "gcd 6");
}

#[test]
fn do_loop_runs_the_body_before_testing() {
    let l = logs(r#"int x; chp { x := 10; *[ x := x + 1 <- x < 3 ]; log(x) }"#);
    assert_eq!(l[0].1, "11");
}

#[test]
fn infinite_loop_costs_ten_per_iteration() {
    let run = run_with(
        &test_proc(r#"int x; chp { x := 0; *[ log(x); x := x + 1 ] }"#),
        Options {
            limits: Limits {
                until: Some(55),
                max_events: None,
            },
            ..Options::default()
        },
    );
    // x := 0 ends at 10; each iteration: 10 for the loop, 10 for the assignment.
    assert_eq!(run.logs(), owned(&[(20, "0"), (40, "1")]));
    assert_eq!(run.result.report.reason, EndReason::Until);
}

#[test]
fn dataless_channels_synchronise_without_a_value() {
    let run = run_text(
        r#"
defproc a(chan!() X) { chp { X!; log("sent") } }
defproc b(chan?() X) { chp { X?; log("received") } }
defproc test() { a p; b q; p.X = q.X; }
"#,
    );
    assert_eq!(run.logs(), owned(&[(10, "received"), (10, "sent")]));
    assert!(
        run.transcript
            .contains("                  10  p.X -> q.X\n"),
        "{}",
        run.transcript
    );
}

#[test]
fn a_bare_send_on_a_typed_channel_carries_zero() {
    // ACT's channels have a type; `X!` on one is a synchronisation that carries 0.
    let run = run_text(
        r#"
defproc a(chan!(bool) X) { chp { X! } }
defproc b(chan?(bool) X) { chp { X? } }
defproc test() { a p; b q; p.X = q.X; }
"#,
    );
    assert!(
        run.transcript.contains("  p.X -> q.X  0\n"),
        "{}",
        run.transcript
    );
}

#[test]
fn a_value_on_a_dataless_channel_is_an_error() {
    let text = compile_errors(
        r#"
defproc a(chan!() X) { chp { X!1 } }
defproc b(chan?() X) { int v; chp { X?v } }
defproc test() { a p; b q; p.X = q.X; }
"#,
    );
    assert!(
        text.contains("this channel is dataless (chan()): it carries no value"),
        "{text}"
    );
    assert!(
        text.contains("this channel is dataless (chan()): there is no value to receive"),
        "{text}"
    );
}

#[test]
fn probes_in_guards_wait_for_the_other_side() {
    let run = run_text(
        r#"
defproc producer(chan!(int<8>) R) { chp { @[after=35] skip; R!7 } }
defproc consumer(chan?(int<8>) L) { int<8> x; chp { [ #L ]; log("probe"); L?x; log("got ", x) } }
defproc test() { producer p; consumer c; p.R = c.L; }
"#,
    );
    // The sender arrives at 35; the wait re-evaluates its guard (10) and sees it: 45;
    // the receive completes 10 later.
    assert_eq!(run.logs(), owned(&[(45, "probe"), (55, "got 7")]));
}

#[test]
fn probe_selects_whichever_input_is_ready() {
    let run = run_text(
        r#"
template<pint V, D> defproc s(chan!(int<8>) R) { chp { @[after=D] skip; R!V } }
defproc m(chan?(int<8>) A, B) { int<8> x;
  chp { *[ [ #A -> A?x; log("A ", x) [] #B -> B?x; log("B ", x) ] ] } }
defproc test() { s<1, 50> a; s<2, 5> b; m mm; a.R = mm.A; b.R = mm.B; }
"#,
    );
    assert_eq!(run.log_texts(), ["B 2", "A 1"]);
}

#[test]
fn nondeterministic_choice_takes_the_first_true_guard_by_default() {
    let l = logs(r#"chp { [| false -> log("a") [] true -> log("b") [] true -> log("c") |] }"#);
    assert_eq!(l[0].1, "b");
}

#[test]
fn nondeterministic_choice_follows_the_seed() {
    let design = test_proc(
        r#"int<8> i; chp { i := 0; *[ i < 24 -> [| true -> log("a") [] true -> log("b") |]; i := i + 1 ] }"#,
    );
    let pick = |seed| {
        run_with(
            &design,
            Options {
                seed,
                random_choice: true,
                ..Options::default()
            },
        )
        .log_texts()
        .concat()
    };
    let (a, b) = (pick(1), pick(2));
    assert_eq!(a, pick(1), "the same seed gives the same choices");
    assert_ne!(a, b, "different seeds give different choices");
    assert!(a.contains('a') && a.contains('b'), "{a}");
}

#[test]
fn two_true_guards_in_a_deterministic_selection_are_a_runtime_error() {
    let run = run_text(&test_proc(
        r#"int x; chp { x := 1; [ x > 0 -> skip [] x < 5 -> skip ] }"#,
    ));
    let error = run.error().expect("a runtime error");
    assert!(
        error.contains("runtime error at time 20 in `test`: more than one guard is true"),
        "{error}"
    );
    assert!(error.contains("test.act:2:22"), "{error}");
    assert_eq!(run.result.report.reason, EndReason::Failed);
}

#[test]
fn failed_assertion_stops_the_run_with_its_message() {
    let run = run_text(&test_proc(
        r#"int x; chp { x := 3; assert(x = 4, "x is ", x); log("not reached") }"#,
    ));
    let error = run.error().unwrap();
    assert!(error.contains("assertion failed: x is 3"), "{error}");
    // actsim's log line, and nothing after it.
    assert_eq!(run.logs(), owned(&[(10, "ASSERTION failed: x is 3")]));
    // The transcript's error line says where, as the message on stderr does.
    assert!(
        run.transcript
            .contains("  test  error  assertion failed: x is 3 at test.act:2:22\n"),
        "{}",
        run.transcript
    );
}

#[test]
fn division_by_zero_is_a_runtime_error() {
    let run = run_text(&test_proc(r#"int x, y; chp { x := 0; y := 5 / x }"#));
    assert!(run.error().unwrap().contains("division by zero"));
}

/// Three delays of 2^63 - 1 pass the largest time: a runtime error at the statement that
/// would pass it (never a panic, never a clock that wraps back to an early time).
#[test]
fn time_overflow_is_a_runtime_error_at_the_statement() {
    let big = "@[after=9223372036854775807] skip";
    // The statement after two big delays, and the ticks it adds to time 2^64 - 2.
    for (statement, ticks) in [
        (big, "9223372036854775807"),
        ("x := 1", "10"),
        ("[ x = 0 -> skip [] else -> skip ]", "10"),
        // (A do-loop with an empty body costs 1 tick, which still fits.)
        ("*[ @[after=0] skip <- x = 1 ]", "10"),
    ] {
        let run = run_text(&test_proc(&format!(
            r#"int x; chp {{ {big}; {big}; log("late"); {statement}; log("never") }}"#
        )));
        let error = run.error().expect("a runtime error");
        let expected = format!(
            "runtime error at time 18446744073709551614 in `test`: time overflow: {ticks} ticks after time 18446744073709551614"
        );
        assert!(error.contains(&expected), "{statement}: {error}");
        assert!(error.contains("test.act:2:"), "{statement}: {error}");
        assert_eq!(run.logs(), owned(&[(u64::MAX - 1, "late")]), "{statement}");
        assert_eq!(run.result.report.reason, EndReason::Failed);
    }
}

#[test]
fn array_index_out_of_range_at_run_time() {
    let run = run_text(&test_proc(
        r#"int<8> m[4]; int<8> i; chp { i := 4; m[i] := 1 }"#,
    ));
    assert!(run
        .error()
        .unwrap()
        .contains("array index 4 out of range (the array has 4 elements)"));
}

#[test]
fn a_value_wider_than_its_channel_is_cut_to_the_channel_width() {
    // actsim reports no error here; the value travels cut to the channel's 4 bits (200 = 0xc8).
    let run = run_text(
        r#"
defproc a(chan!(int<4>) X) { int<8> v; chp { v := 200; X!v } }
defproc b(chan?(int<4>) X) { int<8> v; chp { X?v; log(v) } }
defproc test() { a p; b q; p.X = q.X; }
"#,
    );
    assert_eq!(run.error(), None);
    assert_eq!(run.log_texts(), ["8"]);
}

#[test]
fn a_receive_cuts_the_value_to_the_variable_width() {
    let run = run_text(
        r#"
defproc a(chan!(int<8>) X) { chp { X!200 } }
defproc b(chan?(int<8>) X) { int<4> v; chp { X?v; log(v) } }
defproc test() { a p; b q; p.X = q.X; }
"#,
    );
    assert_eq!(run.log_texts(), ["8"]);
}

#[test]
fn per_statement_delay_and_global_delay() {
    let design = test_proc(r#"int x; chp { @[after=3] x := 1; log("a"); x := 2; log("b") }"#);
    let l = run_with(
        &design,
        Options {
            delay: 7,
            ..Options::default()
        },
    )
    .logs();
    assert_eq!(l, owned(&[(3, "a"), (10, "b")]));
}

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

#[test]
fn record_fields_are_bit_ranges_with_the_first_field_most_significant() {
    let run = run_text(
        r#"
deftype pair (int<4> hi, lo) { }
defproc test() {
  pair p; int<8> bits;
  chp { p.hi := 3; p.lo := 1; bits := int(p); log("hi=", p.hi, " lo=", p.lo, " bits=", bits) }
}
"#,
    );
    assert_eq!(run.logs(), owned(&[(30, "hi=3 lo=1 bits=49")]));
}

#[test]
fn a_record_made_of_an_integer_splits_it_into_its_fields() {
    assert_eq!(
        run_text(
            r#"
deftype pair (int<4> hi, lo) { }
defproc test() { pair p; chp { p := pair(0x42); log(p.hi, " ", p.lo, " ", pair(0x1f).hi) } }
"#
        )
        .log_texts(),
        ["4 2 1"]
    );
}

#[test]
fn a_record_is_sent_and_received_whole_on_a_channel_of_its_type() {
    let run = run_text(
        r#"
deftype msg (bool last; int<8> data) { }
defproc src(chan(msg)! out) { msg m; chp { m.data := 7; m.last+; out!m } }
defproc dst(chan(msg)? in) { msg m; chp { in?m; log("data=", m.data, " last=", m.last) } }
defproc test() { src s; dst d(s.out); }
"#,
    );
    assert_eq!(run.logs(), owned(&[(30, "data=7 last=1")]));
}

#[test]
fn arrays_of_records_nested_records_and_array_fields_have_their_own_fields() {
    let run = run_text(
        r#"
deftype point (int<4> x, y) { }
deftype segment (point ends[2]; bool visible) { }
defproc test() {
  segment s[3]; int i;
  chp {
    i := 2;
    s[i].ends[1].y := 9; s[i].visible+; s[0] := s[i];
    log(s[0].ends[1].y, " ", s[0].ends[0].y, " ", s[0].visible, " ", int(s[0].ends[1]))
  }
}
"#,
    );
    assert_eq!(run.log_texts(), ["9 0 1 9"]);
}

#[test]
fn records_compare_whole_and_a_waiting_senders_record_has_fields() {
    let run = run_text(
        r#"
deftype pair (int<4> hi, lo) { }
defproc src(chan!(pair) X) { pair p; chp { p.lo := 5; X!p } }
defproc dst(chan?(pair) X) {
  pair a, b;
  chp { [#X]; log("offered lo=", X.lo); X?a; b.lo := 5; log(a = b, " ", a != b) }
}
defproc test() { src s; dst d(s.X); }
"#,
    );
    assert_eq!(run.log_texts(), ["offered lo=5", "1 0"]);
}

#[test]
fn defchan_and_refined_int_types_stand_for_their_base_type() {
    let run = run_text(
        r#"
defchan bytes <: chan(int<8>) (bool d0, d1) { }
deftype byte <: int<8> (bool b[8]) { }
defproc src(bytes! out) { byte v; chp { v := 300; out!v } }
defproc test() { src s; bytes c; byte v; s.out = c; chp { c?v; log(v) } }
"#,
    );
    assert_eq!(run.log_texts(), ["44"]);
}

#[test]
fn record_errors_name_the_field_and_the_types() {
    let errors = compile_errors(
        r#"
deftype pair (int<4> hi, lo) { }
defproc test() { pair p; int<8> x; chp { p.mid := 1; x := p; log(p) } }
"#,
    );
    assert!(
        errors.contains("record type `pair` has no field `mid`"),
        "{errors}"
    );
    assert!(
        errors.contains("expected int<8>, found record `pair`"),
        "{errors}"
    );
    assert!(errors.contains("cannot print a whole record"), "{errors}");
}

#[test]
fn a_field_of_a_conversion_costs_an_assignment_before_its_statement_as_in_actsim() {
    // ACT reads `pair(w).hi` through a temporary assigned just before the statement: the log
    // (free) comes after two such assignments, the selection after one more.
    let run = run_text(
        r#"
deftype pair (int<4> hi, lo) { }
defproc test() {
  int<8> w;
  chp { w := 0x21; log(pair(w).hi, " ", pair(w).lo); [ pair(w).hi = 2 -> log("two") ] }
}
"#,
    );
    assert_eq!(run.logs(), owned(&[(30, "2 1"), (50, "two")]));
}

#[test]
fn a_field_of_a_conversion_in_a_loop_guard_is_read_on_every_iteration() {
    let run = run_text(
        r#"
deftype pair (int<4> hi, lo) { }
defproc test() {
  int<8> w;
  chp { w := 0; *[ pair(w).lo < 3 -> w := w + 1 ]; log(w) }
}
"#,
    );
    assert_eq!(run.log_texts(), ["3"]);
}

#[test]
fn a_conditional_chooses_between_records_of_one_type_and_negation_of_a_record_is_an_error() {
    let run = run_text(
        r#"
deftype pair (int<4> hi, lo) { }
defproc test() { pair a, b, c; chp { a.hi := 1; b.hi := 2; c := a.hi = 1 ? b : a; log(c.hi) } }
"#,
    );
    assert_eq!(run.log_texts(), ["2"]);
    let errors = compile_errors(
        r#"
deftype pair (int<4> hi, lo) { }
defproc test() { pair a; int<8> x; chp { a := ~a; a := true ? a : x } }
"#,
    );
    assert!(errors.contains("this is a record"), "{errors}");
    assert!(
        errors.contains("mix record `pair` and an integer"),
        "{errors}"
    );
}

#[test]
fn a_function_call_is_an_expression_that_takes_no_time() {
    let run = run_text(
        r#"
function inc (int<8> a) : int<8> { chp { self := a + 1 } }
defproc test() { int<8> x; chp { x := inc(4) + inc(inc(0)); log("x ", x) } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(10, "x 7")]));
}

#[test]
fn a_templated_function_sees_its_template_parameters_and_the_globals() {
    let run = run_text(
        r#"
pint BASE = 100;
template<pint K> function addk (int<8> a) : int<16> { chp { self := a + K + BASE } }
defproc test() { int<16> x; chp { x := addk<3>(1); log(x); x := addk<5>(1); log(x) } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(10, "104"), (20, "106")]));
}

#[test]
fn a_comma_in_a_function_runs_its_parts_in_order() {
    let run = run_text(
        r#"
function f (int<8> a) : int<8> { int<8> t; chp { t := a, t := t * 2, self := t + 1 } }
defproc test() { int<8> x; chp { x := f(5); log(x) } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(10, "11")]));
}

#[test]
fn a_function_body_may_loop_select_and_use_local_arrays() {
    let run = run_text(
        r#"
function popcount (int<8> a) : int<4>
{
  int<8> v; int<4> n; bool seen[2];
  chp {
    v := a; n := 0;
    *[ v != 0 -> [ v{0} = 1 -> n := n + 1 [] else -> skip ]; v := v >> 1 ];
    seen[1] := n > 2;
    [ seen[1] -> self := n [] else -> self := 0 ]
  }
}
defproc test() { int<4> x; chp { x := popcount(0xB3); log(x); x := popcount(3); log(x) } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(10, "5"), (20, "0")]));
}

#[test]
fn a_function_argument_takes_the_width_of_its_parameter_and_the_result_its_type() {
    let run = run_text(
        r#"
function low (int<4> a) : int<4> { chp { self := a } }
function big (int<4> a) : int<40> { chp { self := a << 36 } }
function isodd (int<8> a) : bool { chp { self := a{0} = 1 } }
defproc test() { int<40> x; bool b; chp { x := low(0x1F) + big(1); log(x); b := isodd(7); log(b) } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(10, "68719476751"), (20, "1")]));
}

#[test]
fn functions_in_guards_and_logs_are_evaluated_when_the_process_reads_them() {
    let run = run_text(
        r#"
function sq (int<8> a) : int<16> { chp { self := a * a } }
defproc test() { int<8> i; chp { i := 0; *[ sq(i) < 10 -> log("i ", i, " sq ", sq(i)); i := i + 1 ] } }
"#,
    );
    assert_eq!(
        run.logs(),
        owned(&[
            (20, "i 0 sq 0"),
            (40, "i 1 sq 1"),
            (60, "i 2 sq 4"),
            (80, "i 3 sq 9")
        ])
    );
}

#[test]
fn a_function_that_calls_itself_is_an_error_not_a_stack_overflow() {
    let errors = compile_errors(
        r#"
function f (int<8> a) : int<8> { chp { self := f(a) } }
defproc test() { int<8> x; chp { x := f(1) } }
"#,
    );
    assert!(
        errors.contains("recursive call of function `f`"),
        "{errors}"
    );
}

#[test]
fn a_name_followed_by_less_than_is_still_a_comparison() {
    let run = run_text(
        r#"
defproc test() { int<8> a, b; bool c; chp { a := 1; b := 2; c := a<b; log(c); c := (a < b) = (b > a); log(c) } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(30, "1"), (40, "1")]));
}

#[test]
fn a_function_takes_and_returns_records_and_sets_fields_of_self() {
    let run = run_text(
        r#"
deftype pair (int<4> hi, lo) { }
function swap (pair p) : pair { chp { self.hi := p.lo; self.lo := p.hi } }
function total (pair p) : int<5> { chp { self := p.hi + p.lo } }
defproc test() { pair a; chp { a.hi := 1; a.lo := 9; a := swap(a); log(a.hi, " ", a.lo, " ", total(swap(a))) } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(30, "9 1 10")]));
}

#[test]
fn a_log_in_a_function_prints_as_the_caller_at_the_time_of_the_calling_statement() {
    let run = run_text(
        r#"
function noisy (int<8> a) : int<8> { chp { log("in noisy ", a); self := a * 2 } }
defproc user() { int<8> x; chp { x := 1; x := noisy(x); log("x ", x, " again ", noisy(x)) } }
defproc test() { user u; }
"#,
    );
    assert_eq!(
        run.logs(),
        owned(&[(20, "in noisy 1"), (20, "in noisy 2"), (20, "x 2 again 4")])
    );
    assert!(
        run.transcript.contains("20  u  log  in noisy 1"),
        "{}",
        run.transcript
    );
}

#[test]
fn export_before_a_definition_outside_a_namespace_changes_nothing() {
    let run = run_text(
        r#"
export template<pint W> function ones () : int<W> { chp { self := ~int(0, W) } }
export defproc test() { int<8> x; chp { x := ones<4>(); log(x) } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(10, "15")]));
}

#[test]
fn a_process_with_chp_and_a_dataflow_description_runs_its_chp_as_actsim_does() {
    let run = run_text(
        r#"
defproc test() { chan(int) c; int x; chp { c!4, c?x; log(x) } dataflow { c -> * } }
"#,
    );
    assert_eq!(run.log_texts(), ["4"]);
}

#[test]
fn an_array_argument_passes_every_element_of_an_array_of_its_size() {
    let run = run_text(
        r#"
function sum3 (int a[3]; bool neg) : int<8>
{
  int i, s;
  chp { s := 0; i := 0; *[ i < 3 -> s := s + a[i]; i := i + 1 ]; [ neg -> self := -s [] else -> self := s ] }
}
defproc test() { int y[3]; int<4> z[3]; chp { (;i:3: y[i] := i + 1); z[1] := 7; log(sum3(y, false), " ", sum3(z, true)) } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(40, "6 249")]));
}

#[test]
fn a_method_function_of_a_record_reads_its_fields_by_name_and_takes_no_time() {
    let run = run_text(
        r#"
deftype acc (int<4> x, z)
{
  methods {
    function plus (int<2> y) : int<5> { chp { self := x + z + y } }
  }
}
defproc test() { acc s; chp { s.x := 3; s.z := 4; log(s.plus(2)) } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(20, "9")]));
}

#[test]
fn defenum_names_the_values_of_an_enum() {
    let run = run_text(
        r#"
defenum colour { RED, GREEN, BLUE };
defproc test() {
  colour c; bool b;
  chp { c := colour.BLUE; b := (c = colour.BLUE); log(c, " ", b, " ", colour.RED) }
}
"#,
    );
    assert_eq!(run.logs(), owned(&[(20, "2 1 0")]));
}

#[test]
fn a_defenum_variable_holds_only_its_members() {
    let run = run_text(
        r#"
defenum tri { A, B, C };
defproc test() { tri t; int<2> x; chp { x := 3; t := x } }
"#,
    );
    let error = run.error().expect("an illegal enum value");
    assert!(
        error.contains("enumeration assigned illegal value"),
        "{error}"
    );
}

#[test]
fn a_function_may_call_other_functions_templated_or_not() {
    let run = run_text(
        r#"
pint W = 6;
template<pint K> function times (int<W> a) : int<W> { chp { self := a * K } }
function poly (int<W> a) : int<W> { int<W> t; chp { t := times<3>(a), self := times<2>(t) + times<3>(1) } }
defproc test() { int<W> x; chp { x := poly(2); log(x); x := poly(poly(1)); log(x) } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(10, "15"), (20, "57")]));
}

#[test]
fn items_of_a_namespace_are_named_with_it() {
    let run = run_text(
        r#"
namespace util {
  export function twice (int<8> a) : int<8> { chp { self := a * 2 } }
  export defproc hello() { chp { log("hello ", util::twice(4)) } }
}
defproc test() { util::hello h; }
"#,
    );
    assert_eq!(run.logs(), owned(&[(0, "hello 8")]));
}

#[test]
fn a_record_macro_runs_its_statements_on_the_fields_of_the_record_it_is_called_on() {
    // The macro's `,` of two assignments costs 10, as written in the macro.
    let run = run_text(
        r#"
deftype split (int<4> hi, lo)
{
  methods {
    macro set (int<8> v) { hi := v{7..4}, lo := v }
  }
}
deftype holder (split s) { }
defproc test() { holder h; int<8> hi; chp { hi := 0x5a; h.s.set(hi); log(h.s.hi, " ", h.s.lo) } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(20, "5 10")]));
}

#[test]
fn a_long_chain_of_less_than_parses_in_linear_time_not_exponential() {
    let chain = vec!["a"; 120].join("<");
    let text = format!("defproc test() {{ int a; bool x; chp {{ x := {chain} }} }}");
    let started = std::time::Instant::now();
    let errors = compile_errors(&text);
    assert!(errors.contains("mixes bool and int"), "{errors}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn a_templated_record_takes_its_widths_from_its_template_arguments() {
    // cell<4>: valid is bit 4, v bits 3..0, so int(a) is 0x19; cell<8>(0x1ff) is 9 bits wide.
    // ok() calls its sibling method big() by its bare name, with the same fields and W.
    let run = run_text(
        r#"
template<pint W> deftype cell (bool valid; int<W> v)
{
  methods {
    function big () : bool { chp { self := v >= (1 << (W - 1)) } }
    function ok () : bool { chp { self := valid & big() } }
  }
}
defproc test() {
  cell<4> a; cell<8> b;
  chp { a.v := 9; a.valid+; b := cell<8>(0x1ff); log(int(a), " ", a.ok(), " ", b.v, " ", b.ok(), " ", bitwidth(b)) }
}
"#,
    );
    assert_eq!(run.logs(), owned(&[(30, "25 1 255 1 9")]));
}

#[test]
fn inside_a_namespace_its_own_types_functions_and_processes_are_found_by_their_bare_names() {
    let run = run_text(
        r#"
namespace geo {
  export deftype point (int<4> x, y) { }
  export function sum (point p) : int<5> { chp { self := p.x + p.y } }
  export defproc show (chan?(point) P) { point p; chp { *[ P?p; log("sum ", sum(p)) ] } }
  export defproc twice () { chan(point) c; show s(c); point q; chp { q := point(0x35); c!q } }
}
defproc test() {
  geo::twice t; chan(geo::point) c; geo::show s(c); geo::point p;
  chp { p := geo::point(0x12); c!p; log("x ", p.x, " sum ", geo::sum(p)) }
}
"#,
    );
    let mut logs = run.logs();
    logs.sort();
    assert_eq!(
        logs,
        owned(&[(20, "sum 3"), (20, "sum 8"), (20, "x 1 sum 3")])
    );
}

#[test]
fn an_enum_field_of_a_record_holds_only_the_enums_values_when_assigned_or_received() {
    let design = |value: u32| {
        format!(
            r#"
deftype motor (enum<3> s; int<4> power) {{ }}
defproc src (chan!(int<2>) O) {{ chp {{ O!{value} }} }}
defproc test() {{ chan(int<2>) c; src p(c); motor m; chp {{ m.power := 5; c?m.s; log(m.s, " ", m.power) }} }}
"#
        )
    };
    assert_eq!(run_text(&design(2)).logs(), owned(&[(20, "2 5")]));
    let error = run_text(&design(3)).error().expect("3 is not an enum<3>");
    assert!(
        error.contains("enumeration assigned illegal value 3 (an enum<3> holds 0..2)"),
        "{error}"
    );
}

#[test]
fn a_field_of_a_functions_record_result_is_read_in_place() {
    let run = run_text(
        r#"
deftype pair (int<4> hi, lo) { }
function split (int<8> v) : pair { chp { self.hi := v >> 4; self.lo := v } }
defproc test() { int<4> x; chp { x := split(0x5a).lo; log(x, " ", split(0x5a).hi + 1) } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(10, "10 6")]));
}

#[test]
fn an_interface_bundle_port_is_its_member_channels_and_a_parent_may_use_a_childs_ports() {
    // `rw` bundles a request and a reply channel: the doubler receives on `port.req` and sends
    // on `port.resp` (the first of `?!` / `!?` is its side). The client's ports connect to the
    // members of `d.port`; the test's own CHP talks to `e.port` directly.
    let run = run_text(
        r#"
deftype rw (chan?!(int<8>) req; chan!?(int<8>) resp) { }
defproc doubler (rw port) { int<8> x; chp { *[ port.req?x; port.resp!(x * 2) ] } }
defproc client (chan!(int<8>) req; chan?(int<8>) resp) { int<8> y; chp { req!3; resp?y; log("client got ", y) } }
defproc test() {
  doubler d, e; client c; int<8> z;
  c.req = d.port.req; d.port.resp = c.resp;
  chp { e.port.req!20; e.port.resp?z; log("test got ", z) }
}
"#,
    );
    let mut logs = run.logs();
    logs.sort();
    // The doubler's loop costs 10 before each receive.
    assert_eq!(logs, owned(&[(30, "client got 6"), (30, "test got 40")]));
}

#[test]
fn a_bundle_channel_in_a_body_connects_two_instances_and_a_guard_may_read_a_members_value() {
    // `[ b.on -> ... [] ~b.on -> ... ]` reads the value a sender offers on the member `on`;
    // when no sender waits it holds no value and the selection waits, silently (as actsim).
    let run = run_text(
        r#"
deftype ctl (chan?!(bool) on; chan?!(int<4>) v) { }
defproc lamp (ctl b) { int<4> x; chp { *[ [ b.on -> b.on?, b.v?x; log("on ", x) [] ~b.on -> b.on?, b.v?x; log("off") ] ] } }
defproc switch (chan!(bool) on; chan!(int<4>) v) { chp { on!true, v!5; on!false, v!0 } }
defproc test() { ctl b; lamp l; switch s; l.b.on = b.on; l.b.v = b.v; s.on = b.on; s.v = b.v; }
"#,
    );
    assert_eq!(run.logs(), owned(&[(30, "on 5"), (60, "off")]));
}

#[test]
fn a_process_sends_a_record_on_its_sub_instances_record_port() {
    let run = run_text(
        r#"
deftype pt (int<4> x, y) { }
defproc sink (chan?(pt) L) { pt p; chp { L?p; log(p.x, " ", p.y) } }
defproc test() { sink s; pt q; chp { q.x := 3; s.L!q } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(20, "3 0")]));
}

#[test]
fn open_makes_a_namespaces_processes_functions_and_types_usable_by_their_bare_names() {
    let run = run_text(
        r#"
namespace lib {
  export deftype pair (int<8> a; int<8> b) { }
  export function twice (int<8> x) : int<8> { chp { self := x + x } }
  export defproc emit (chan!(int<8>) R) { chp { R!twice(21) } }
}
open lib;
defproc test() {
  emit e;
  chan(int<8>) c;
  pair p;
  e.R = c;
  chp { c?p.a; p.b := twice(p.a); log("got ", p.a, " then ", p.b) }
}
"#,
    );
    assert_eq!(run.logs(), owned(&[(20, "got 42 then 84")]));
}

#[test]
fn a_name_of_the_scope_itself_comes_before_an_opened_namespaces() {
    let run = run_text(
        r#"
namespace lib { export function f (int<8> x) : int<8> { chp { self := 1 } } }
function f (int<8> x) : int<8> { chp { self := 2 } }
open lib;
defproc test() { int<8> y; chp { y := f(0); log("f is ", y) } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(10, "f is 2")]));
}

#[test]
fn a_pbool_parameter_is_a_bool_in_chp() {
    let run = run_text(
        r#"
template<pbool UP; pint N> defproc g() {
  int<8> x;
  chp { [ UP -> x := N [] ~UP -> x := 0 ]; log("x=", x) }
}
defproc test() { g<true, 4> a; g<false, 4> b; }
"#,
    );
    assert_eq!(run.log_texts(), ["x=4", "x=0"]);
    // As in ACT, a pbool is no number.
    let text = compile_errors(
        "template<pbool B> defproc g() { int x; chp { x := B + 1 } }\ndefproc test() { g<true> a; }\n",
    );
    assert!(text.contains("`+` mixes bool and int<1>"), "{text}");
}

#[test]
fn the_same_port_left_open_by_elements_of_an_array_is_one_warning() {
    // A row of cells whose north ports are the edge of a mesh: one warning for all six.
    let text = compile_warnings(
        r#"
defproc cell(chan?(int) W; chan!(int) E; chan!(int) N) { int x; chp { *[ W?x; E!x ] } }
defproc src(chan!(int) R) { chp { R!1 } }
defproc snk(chan?(int) L) { int x; chp { L?x } }
defproc test() { src s; cell c[6]; snk k; s.R = c[0].W; (i:5: c[i].E = c[i+1].W;) c[5].E = k.L; }
"#,
    );
    assert_eq!(text.matches("Warning:").count(), 1, "{text}");
    for expected in [
        "Warning: ports `c[0].N`, `c[1].N`, `c[2].N`, `c[3].N` and 2 more are not connected to any receiver",
        "6 elements of `c` leave their port `N` unconnected",
        "e.g. `c[0].N = x.L;`",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let two =
        compile_warnings("defproc a(chan!(int) R) { chp { R!1 } }\ndefproc test() { a x[2]; }\n");
    assert!(
        two.contains("ports `x[0].R` and `x[1].R` are not connected to any receiver"),
        "{two}"
    );
}

#[test]
fn a_channel_of_the_body_that_the_chp_only_probes_is_never_ready() {
    // ACT accepts a probe of a channel nothing sends on: the probe is false.
    let l = logs(r#"chan(int<8>) c; chp { [ #c -> log("sent") [] else -> log("nothing sent") ] }"#);
    assert_eq!(l, owned(&[(10, "nothing sent")]));
}
