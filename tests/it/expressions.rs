//! ACT's expression-level constructs, run through the whole pipeline: the conditional
//! `c ? a : b`, the conversions `int(e)`, `int(e, w)`, `bool(e)`, `bitwidth(x)`, receive casts,
//! a channel's name read as a value, and zero-width integers.
use crate::common::run_design;
use run_design::{compile_errors, run_text};

fn test_proc(body: &str) -> String {
    format!("defproc test() {{\n{body}\n}}\n")
}

fn log_texts(body: &str) -> Vec<String> {
    run_text(&test_proc(body)).log_texts()
}

#[test]
fn conditional_binds_looser_than_every_operator() {
    assert_eq!(
        log_texts(
            r#"int<8> a, b; chp { a := 3; b := 3; log(a = b ? a + 1 : b - 1, " ", a != b ? 1 : 2) }"#
        ),
        ["4 2"]
    );
}

#[test]
fn conditionals_nest_to_the_right() {
    assert_eq!(
        log_texts(r#"int<4> x; chp { x := 2; log(x = 1 ? 10 : x = 2 ? 20 : 30) }"#),
        ["20"]
    );
}

#[test]
fn conditional_is_as_wide_as_its_wider_branch() {
    // A 6-bit and a 2-bit branch give a 6-bit result: its complement is 63 - value.
    assert_eq!(
        log_texts(r#"int<6> a; int<2> b; chp { a := 5; b := 1; log(~(a > b ? b : a)) }"#),
        ["62"]
    );
}

#[test]
fn conditional_of_bools_is_a_bool() {
    assert_eq!(
        log_texts(r#"bool t, u; chp { t+; u := t ? false : true; log(u) }"#),
        ["0"]
    );
}

#[test]
fn conditional_errors_name_the_problem() {
    let text = compile_errors(&test_proc(r#"int x; bool b; chp { x := b ? 1 : true }"#));
    assert!(
        text.contains("the branches of `? :` mix int<1> and bool"),
        "{text}"
    );
    let text = compile_errors(&test_proc(r#"int x; chp { x := x ? 1 : 2 }"#));
    assert!(
        text.contains("the condition of `? :` must be a bool"),
        "{text}"
    );
}

#[test]
fn receive_still_parses_next_to_conditionals() {
    let run = run_text(
        r#"
defproc src(chan!(int<4>) X) { chp { X!(1 = 1 ? 9 : 3) } }
defproc snk(chan?(int<4>) X) { int<4> v; chp { X?v; log(v) } }
defproc test() { src a; snk b; a.X = b.X; }
"#,
    );
    assert_eq!(run.log_texts(), ["9"]);
}

#[test]
fn int_of_a_bool_is_0_or_1_and_bool_of_an_int_is_not_zero() {
    assert_eq!(
        log_texts(
            r#"bool t; int<8> x; chp { t+; x := int(t) + int(~t); log(x, bool(x), bool(x - 1), int(t) + 1) }"#
        ),
        ["1102"]
    );
}

#[test]
fn int_with_a_width_cuts_or_extends() {
    assert_eq!(
        log_texts(
            r#"int<8> x; int<16> y; chp { x := 0xab; y := {int(x, 4), int(x, 12)}; log(y, " ", int(x, 2) + 0) }"#
        ),
        // int(x,4) = 0xb, int(x,12) = 0x0ab: {0xb, 0x0ab} = 0xb0ab (16 bits).
        ["45227 3"]
    );
}

#[test]
fn int_with_width_zero_is_a_zero_bit_zero() {
    assert_eq!(
        log_texts(
            r#"int<0> z; int<4> x; chp { z := int(7, 0); x := {1, int(5, 0), z}; log(z, " ", x) }"#
        ),
        ["0 1"]
    );
}

#[test]
fn an_int_of_width_zero_is_always_zero() {
    assert_eq!(
        log_texts(r#"int<0> z; chp { z := 5; log(z, " ", bool(z), " ", z + 1) }"#),
        ["0 0 1"]
    );
}

#[test]
fn bitwidth_is_the_declared_width() {
    assert_eq!(
        log_texts(
            r#"pint N = 3; int<5*N+2> w; bool b; int m[4]; chp { log(bitwidth(w), " ", bitwidth(b), " ", bitwidth(m[1]), " ", bitwidth(w) + 1) }"#
        ),
        ["17 1 32 18"]
    );
}

#[test]
fn bitwidth_of_a_port_is_its_data_width() {
    let run = run_text(
        r#"
defproc src(chan!(int<12>) X) { chp { log(bitwidth(X)); X!1 } }
defproc snk(chan?(int<12>) X) { chp { X? } }
defproc test() { src a; snk b; a.X = b.X; }
"#,
    );
    assert_eq!(run.log_texts(), ["12"]);
}

#[test]
fn unknown_functions_are_named() {
    let text = compile_errors(&test_proc(r#"int x; chp { x := twice(x) }"#));
    assert!(text.contains("unknown function `twice`"), "{text}");
}

#[test]
fn receive_casts_convert_between_bool_and_int() {
    let run = run_text(
        r#"
defproc bsrc(chan!(bool) X) { chp { X!true; X!false } }
defproc isrc(chan!(int<4>) X) { chp { X!6; X!0 } }
defproc snk(chan?(bool) B; chan?(int<4>) I) {
  int<4> n; bool b;
  chp { B?bool(n); log("n=", n); B?bool(n); log("n=", n); I?int(b); log("b=", b); I?int(b); log("b=", b) }
}
defproc test() { bsrc p; isrc q; snk s(p.X, q.X); }
"#,
    );
    assert_eq!(run.log_texts(), ["n=1", "n=0", "b=1", "b=0"]);
}

#[test]
fn a_receive_cast_names_the_channel_type() {
    let text = compile_errors(
        r#"
defproc src(chan!(bool) X) { chp { X!true } }
defproc snk(chan?(bool) X) { int n; chp { X?int(n) } }
defproc test() { src p; snk s(p.X); }
"#,
    );
    assert!(
        text.contains("the cast names the channel's type, which is bool: write `X?bool(v)`"),
        "{text}"
    );
}

#[test]
fn a_channel_name_reads_the_waiting_senders_value_or_zero() {
    let run = run_text(
        r#"
defproc src(chan!(int<8>) X) { int<8> v; chp { v := 42; X!v } }
defproc snk(chan?(int<8>) X) {
  chp { log("before: ", X, " ", X = 0); [#X]; log("waiting: ", X, " ", int(X, 4)); X?; log("after: ", X) }
}
defproc test() { src p; snk s(p.X); }
"#,
    );
    assert_eq!(
        run.log_texts(),
        ["before: 0 1", "waiting: 42 10", "after: 0"]
    );
}

#[test]
fn a_bool_channel_read_as_a_value_converts_with_int() {
    let run = run_text(
        r#"
defproc src(chan!(bool) X) { chp { X!true } }
defproc fwd(chan?(bool) X; chan!(int<1>) Y) { chp { [#X]; Y!int(X); X? } }
defproc snk(chan?(int<1>) Y) { int<1> v; chp { Y?v; log(v) } }
defproc test() { src p; fwd f(p.X); snk s(f.Y); }
"#,
    );
    assert_eq!(run.log_texts(), ["1"]);
}

#[test]
fn only_an_input_channel_has_a_value() {
    let text = compile_errors(
        r#"
defproc src(chan!(int) X) { int v; chp { v := X; X!v } }
defproc snk(chan?(int) X) { chp { X? } }
defproc test() { src p; snk s(p.X); }
"#,
    );
    assert!(text.contains("which is an output (chan!)"), "{text}");
}

// Arrays with a lower bound (issue 10.2): the index reported is the one written, and an index
// of any width is compared exactly.

#[test]
fn an_index_below_the_lower_bound_is_reported_as_written() {
    let run = run_text(&test_proc(
        r#"int m[1..4]; int i; chp { i := 0; m[i] := 1 }"#,
    ));
    let error = run.error().expect("a runtime error");
    assert!(
        error.contains("array index 0 out of range (the array's indices are 1..4)"),
        "{error}"
    );
}

#[test]
fn an_index_above_the_upper_bound_is_reported_as_written() {
    let run = run_text(&test_proc(
        r#"int m[1..4]; int i; chp { i := 5; i := m[i] }"#,
    ));
    let error = run.error().expect("a runtime error");
    assert!(
        error.contains("array index 5 out of range (the array's indices are 1..4)"),
        "{error}"
    );
}

#[test]
fn a_wide_index_never_wraps_into_range() {
    // 2^64 + 1 - 1 would be 0 in 64 bits: in range. It is not.
    let run = run_text(&test_proc(
        r#"int<70> i; int m[1..4]; chp { i := (1 << 64) + 1; m[i] := 3 }"#,
    ));
    let error = run.error().expect("a runtime error");
    assert!(
        error.contains("array index 18446744073709551617 out of range"),
        "{error}"
    );
}

#[test]
fn indices_within_bounds_reach_every_element() {
    assert_eq!(
        log_texts(
            r#"int<8> m[-2..1]; int<8> i; chp { m[-2] := 7; m[1] := 9; i := 1; log(m[i], " ", m[-2]) }"#
        ),
        ["9 7"]
    );
}

// Constant folding (issue 10.5): overflow is an error, and one error per cause.

#[test]
fn a_shift_that_overflows_a_parameter_is_an_error() {
    let text = compile_errors(&test_proc(
        r#"pint N = (4 << 62) + 3; int x; chp { x := N }"#,
    ));
    assert!(
        text.contains("constant expression overflows 64 bits"),
        "{text}"
    );
    assert!(!text.contains("unknown name"), "{text}");
    assert_eq!(text.matches("Error").count(), 1, "{text}");
}

#[test]
fn a_failed_parameter_is_reported_once_wherever_it_is_used() {
    let text = compile_errors(&test_proc(
        r#"pint N = 9223372036854775807 + 1; int<N> x; int y[N]; chp { y[0] := N }"#,
    ));
    assert_eq!(text.matches("Error").count(), 1, "{text}");
}

#[test]
fn shifts_within_64_bits_fold() {
    assert_eq!(
        log_texts(
            r#"pint A = 1 << 62; pint B = A >> 61; pint C = 5 >> 70; int<64> x; chp { x := A; log(x, " ", B, " ", C) }"#
        ),
        ["4611686018427387904 2 0"]
    );
}

// Loop variables named like outer parameters (issue 10.6): they hide them, then give them back.

#[test]
fn a_replication_variable_hides_a_parameter_and_restores_it() {
    assert_eq!(
        log_texts(r#"pint i = 7; chp { (; i : 2 : log(i)); log(i) }"#),
        ["0", "1", "7"]
    );
}

#[test]
fn a_replication_of_no_iteration_does_nothing() {
    // `(, i : 0 : S)` used to panic in the interpreter: a fork with no branch.
    assert_eq!(
        log_texts(
            r#"pint N = 0; int x[2]; chp { (, i : N : x[i] := 1); (; i : N : log(i)); (, i : 2 .. 1 : x[i] := 2); log("end ", x[0]) }"#
        ),
        ["end 0"]
    );
}

#[test]
fn a_replicated_guard_variable_hides_a_parameter_and_restores_it() {
    assert_eq!(
        log_texts(
            r#"pint k = 7; int x; chp { x := 1; [ ([] k : 3 : x = k -> log("arm ", k)) ]; log(k) }"#
        ),
        ["arm 1", "7"]
    );
}

#[test]
fn a_body_loop_variable_hides_a_parameter_and_restores_it() {
    let run = run_text(
        r#"
defproc src(chan!(int<8>) X) { chp { X!1 } }
defproc snk(chan?(int<8>) X) { int<8> v; chp { X?v; log(v) } }
defproc test() {
  pint i = 2;
  src s[3]; snk k[3];
  (i : 2 : s[i].X = k[i].X; )
  s[i].X = k[i].X;
}
"#,
    );
    assert_eq!(run.error(), None);
    assert_eq!(run.log_texts(), ["1", "1", "1"]);
}

#[test]
fn a_replication_variable_cannot_take_a_variables_name() {
    let text = compile_errors(&test_proc(r#"int i; chp { (; i : 2 : i := 1) }"#));
    assert!(
        text.contains("the replication variable `i` has the name of a variable or channel"),
        "{text}"
    );
}

// enum<N> variables: ceil(log2 N) bits, and a value of N or more is a runtime error.

#[test]
fn an_enum_is_an_integer_of_ceil_log2_n_bits() {
    assert_eq!(
        log_texts(
            r#"enum<3> a; enum<4> b; enum<5> c; enum<1> d; chp { a := 2; b := 3; c := 4; log(a, b, c, d, " ", bitwidth(a), bitwidth(b), bitwidth(c), bitwidth(d)) }"#
        ),
        ["2340 2230"]
    );
}

#[test]
fn assigning_an_enum_a_value_out_of_range_is_a_runtime_error() {
    let run = run_text(&test_proc(
        r#"enum<3> e; int<2> v; chp { e := 2; log(e); v := 3; e := v }"#,
    ));
    assert_eq!(run.log_texts(), ["2"]);
    let error = run.error().expect("a runtime error");
    assert!(
        error.contains("enumeration assigned illegal value 3 (an enum<3> holds 0..2)"),
        "{error}"
    );
    // A constant that is no member is refused before the run, as ACT's type check does.
    let text = compile_errors(&test_proc(r#"enum<3> e; chp { e := 3 }"#));
    assert!(
        text.contains("3 is not a member of this enumeration"),
        "{text}"
    );
}

#[test]
fn an_enum_element_or_bit_field_is_checked_too() {
    let run = run_text(&test_proc(
        r#"enum<3> e[2]; int i; chp { i := 1; e[i] := 2; e[i]{0} := 1 }"#,
    ));
    let error = run.error().expect("a runtime error");
    assert!(
        error.contains("enumeration assigned illegal value 3"),
        "{error}"
    );
}

#[test]
fn receiving_into_an_enum_checks_the_value() {
    let run = run_text(
        r#"
defproc src(chan!(int<2>) X) { chp { X!1; X!3 } }
defproc snk(chan?(int<2>) X) { enum<3> e; chp { *[ X?e; log(e) ] } }
defproc test() { src a; snk b; a.X = b.X; }
"#,
    );
    assert_eq!(run.log_texts(), ["1"]);
    assert!(run
        .error()
        .expect("a runtime error")
        .contains("enumeration assigned illegal value 3"));
}

// Parameter arrays and parameters set after their declaration, as ACT writes them.

#[test]
fn a_parameter_array_set_element_by_element_is_a_constant() {
    assert_eq!(
        log_texts(
            r#"pint x[3]; x[0] = 4; x[1] = x[0] * 2; x[2] = 1; int<x[1]> w; int m[3];
chp { (; i : 3 : m[i] := x[i]); log(m[0], m[1], m[2], " ", bitwidth(w), " ", x[x[2]]) }"#
        ),
        ["481 8 8"]
    );
}

#[test]
fn a_parameter_array_takes_an_array_expression() {
    assert_eq!(
        log_texts(
            r#"pint x[4]; x = {3, 1, 4, 1}; pint y[1..2] = {5, 9}; chp { log(x[2], y[1], y[2], x[0] + y[2]) }"#
        ),
        ["45912"]
    );
}

#[test]
fn a_parameter_array_sizes_loops_and_instances() {
    let run = run_text(
        r#"
template<pint N> defproc src(chan!(int<8>) X) { chp { X!N } }
defproc snk(chan?(int<8>) X) { int<8> v; chp { X?v; log(v) } }
defproc test() {
  pint n[2]; n = {7, 9};
  src<n[0]> a; src<n[1]> b; snk s[n[0] - 5];
  a.X = s[0].X; b.X = s[1].X;
}
"#,
    );
    let mut logs = run.log_texts();
    logs.sort();
    assert_eq!(logs, ["7", "9"]);
}

#[test]
fn a_parameter_declared_without_a_value_is_set_once_later() {
    assert_eq!(
        log_texts(r#"pint N; N = 6; int<N> x; chp { x := 63; log(x, " ", N) }"#),
        ["63 6"]
    );
    // At file scope, ACT's parameters are immutable; in a body they may be set again.
    let text = compile_errors("pint N; N = 6; N = 7;\ndefproc test() { chp { skip } }\n");
    assert!(
        text.contains(
            "this parameter already has a value; a parameter of the file scope is set once"
        ),
        "{text}"
    );
    assert_eq!(
        log_texts(r#"pint N = 6; N = N + 1; int<N> x; chp { x := 127; log(x, " ", N) }"#),
        ["127 7"]
    );
}

#[test]
fn parameter_array_mistakes_are_reported() {
    let text = compile_errors(&test_proc(
        r#"pint x[2]; x[0] = 1; x[0] = 2; x[5] = 1; chp { log(x[1]) }"#,
    ));
    assert!(
        text.contains("index 5 is out of range for `x` (valid: 0..1)"),
        "{text}"
    );
    assert!(text.contains("`x[1]` has no value here"), "{text}");
    let text = compile_errors(&test_proc(r#"pint x[2]; x = {1, 2, 3}; chp { skip }"#));
    assert!(
        text.contains("`x` has 2 elements, but 3 values are given"),
        "{text}"
    );
    let text = compile_errors(&test_proc(
        r#"pint x[2]; x = {1, 2}; int y; chp { y := x }"#,
    ));
    assert!(
        text.contains("`x` is a parameter array; index it"),
        "{text}"
    );
}

#[test]
fn top_level_parameters_are_seen_by_every_process() {
    let run = run_text(
        r#"
pint W = 12, COUNT = 2;
pint TABLE[3] = {5, 6, 7};
template<pint N> defproc src(chan!(int<W>) X) { chp { (; i : COUNT : X!(N + TABLE[i])) } }
defproc snk(chan?(int<W>) X) { int<W> v; chp { *[ X?v; log(v, " ", bitwidth(v)) ] } }
defproc test() { src<W * 10> a; snk b; a.X = b.X; }
"#,
    );
    assert_eq!(run.log_texts(), ["125 12", "126 12"]);
}

#[test]
fn a_template_parameter_hides_a_top_level_one() {
    let run = run_text(
        r#"
pint N = 1;
template<pint N> defproc p() { chp { log(N) } }
defproc test() { p<5> a; }
"#,
    );
    assert_eq!(run.log_texts(), ["5"]);
}

#[test]
fn arithmetic_shift_right_copies_the_top_bit_of_the_width() {
    assert_eq!(
        log_texts(
            r#"int<8> x, y, i; chp { x := 0x90; y := 0x50; i := 10; log(x >>> 2, " ", x >> 2, " ", y >>> 2, " ", x >>> i, " ", y >>> i) }"#
        ),
        ["228 36 20 255 0"]
    );
}

#[test]
fn arithmetic_shift_right_of_a_wide_value() {
    assert_eq!(
        log_texts(r#"int<100> x; chp { x := 1 << 99; log(x >>> 98, " ", (x >>> 99) + 1) }"#),
        // 2^99 >>> 98: 0b10 under 98 copied sign bits, 2^100 - 2; >>> 99: all 100 bits set.
        ["1267650600228229401496703205374 1267650600228229401496703205376"]
    );
}

#[test]
fn expression_replication_in_parameters_and_chp() {
    assert_eq!(
        log_texts(
            r#"pint S = (+i:4: i*i), P = (*i:1..4: i); pbool A = (&i:3: i < 3);
int<8> x[4]; bool b[3];
chp { (;i:4: x[i] := i + 1); b[0]+; b[1]+; b[2]-;
  log(S, " ", P, " ", A, " ", (+i:4: x[i]), " ", (&i:3: b[i]), " ", (|i:3: b[i]), " ", (^i:2: x[i]), " ", (*i:2: x[i+1]))
}"#
        ),
        ["14 24 1 10 0 1 3 6"]
    );
}

#[test]
fn expression_replication_of_no_iteration_is_the_identity() {
    assert_eq!(
        log_texts(
            r#"pint N = 0; pint S = (+i:N: 5), P = (*i:N: 5); int x[1];
chp { x[0] := 3; log(S, " ", P, " ", (+i:N: x[i]), " ", (*i:N: x[i]), " ", (&i:N: x[i] > 0), " ", (|i:N: x[i] > 0)) }"#
        ),
        ["0 1 0 1 1 0"]
    );
}

#[test]
fn expression_replication_sums_widen_as_their_additions() {
    // Each `+` widens by one bit, as ACT's: four int<2> of 3 sum to 12, which needs 4.
    assert_eq!(
        log_texts(r#"int<2> x[4]; int<8> s; chp { (;i:4: x[i] := 3); s := (+i:4: x[i]); log(s) }"#),
        ["12"]
    );
}

#[test]
fn a_bit_range_of_a_constant_may_reach_past_the_bits_its_value_needs() {
    assert_eq!(
        log_texts(r#"pint K = 0b10; int<8> x; chp { x := {K{4..0}, 0b1}; log(x, " ", K{7..1}) }"#),
        ["5 1"]
    );
    // A variable's range must fit in it.
    let text = compile_errors(&test_proc(r#"int<4> x; int<8> y; chp { y := x{5..0} }"#));
    assert!(
        text.contains("bit range {5..0} does not fit in int<4>"),
        "{text}"
    );
}

/// `(e){hi..lo}` and `(e){i}`: bits of the value of a parenthesised expression, its width
/// that of the expression (`x + 40` of an `int<4>` is 7 bits wide).
#[test]
fn bits_of_a_parenthesised_expression() {
    let run = run_text(
        "defproc test() { int<4> x; int<8> y; int<1> b;
  chp { x := 3; y := (x + 40){5..3} + 1; b := (x * 2){2}; log(\"y \", y, \" b \", b) } }",
    );
    assert_eq!(run.log_texts(), ["y 6 b 1"]);
    let errors =
        compile_errors("defproc test() { int<4> x; int<8> y; chp { y := (x + 1){9..3} } }");
    assert!(errors.contains("9"), "{errors}");
}
