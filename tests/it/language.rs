//! One test per CHP construct and timing rule: each runs a small design through the whole
//! pipeline and checks what it logs, and when.
use crate::common::run_design;
use chpsim::kernel::{EndReason, Limits};
use run_design::{compile_errors, run_text, run_with, Options};

pub(crate) fn test_proc(body: &str) -> String {
    format!("defproc test() {{\n{body}\n}}\n")
}

pub(crate) fn logs(body: &str) -> Vec<(u64, String)> {
    run_text(&test_proc(body)).logs()
}

pub(crate) fn owned(items: &[(u64, &str)]) -> Vec<(u64, String)> {
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
        logs(r#"int<8> x, y; chp { x := 0xfe; y := 7; log(x, "%d ", x, "%3d|", y) }"#)[0].1,
        "254 -2|  7"
    );
}

#[test]
fn signed_decimal_with_digits_is_printf_of_the_low_64_bits() {
    // actsim's `%Nd` is C's `%*ld` of the value's first word: the width's top bit does not
    // make it negative, the 64th bit does; a wider value shows its low word.
    let l = logs(
        r#"int<8> x; int<64> m; int<72> w;
        chp { x := 0xfe; m := 0; m := m - 1; w := 1 << 70; w := w + 5;
              log("%5d|", x, "%05d|", x, "%0d|", x, "%4d|", m, "%04d|", m, "%3d|", w, "%d", m) }"#,
    );
    assert_eq!(l[0].1, "|  254|00254|254|  -1|-001|  5-1");
}

#[test]
fn a_bool_is_one_bit_wide_in_every_format() {
    let l = logs(
        r#"bool t, f; chp { t := true; f := false; log(t, f, "%x", t, "%b", t, "%d", t, f, "%3d", t) }"#,
    );
    assert_eq!(l[0].1, "1011-10  1");
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
            "                  10  test  warn  x is  [cannot print expressions] ",
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
