//! One test per rule of ACT's types and definitions in CHP: records, functions, enumerations,
//! namespaces and interface bundles, each run through the whole pipeline.
use crate::common::run_design;
use crate::language::{logs, owned};
use run_design::{compile_errors, compile_warnings, run_text};

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
fn an_enum_variable_of_a_function_takes_any_value_of_its_width() {
    // actsim's function evaluation cuts the value to the variable's width and checks no enum;
    // the caller's enum variable still does.
    let design = |target: &str| {
        format!(
            r#"
function f(int<2> x) : int<2> {{ enum<3> e; chp {{ e := x; self := e }} }}
defproc test() {{ {target} y; chp {{ y := f(3); log("y=", y) }} }}
"#
        )
    };
    let run = run_text(&design("int<2>"));
    assert_eq!(run.error(), None);
    assert_eq!(run.logs(), owned(&[(10, "y=3")]));
    let error = run_text(&design("enum<3>"))
        .error()
        .expect("3 is not an enum<3>");
    assert!(
        error.contains("enumeration assigned illegal value 3 (an enum<3> holds 0..2)"),
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
fn a_long_chain_of_less_than_parses_to_an_end() {
    // Each `a<` used to be tried again as a templated call from every enclosing try: 2^120
    // tries for this chain, a parse that never ends. It runs beside the test, so that the test
    // fails instead of hanging; the wait is a hang guard, not a bound on speed (the parse takes
    // milliseconds).
    let chain = vec!["a"; 120].join("<");
    let text = format!("defproc test() {{ int a; bool x; chp {{ x := {chain} }} }}");
    let (sender, receiver) = std::sync::mpsc::channel();
    let parse = std::thread::spawn(move || sender.send(compile_errors(&text)));
    match receiver.recv_timeout(crate::common::cli::HANG_GUARD) {
        Ok(errors) => assert!(errors.contains("mixes bool and int"), "{errors}"),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("the parse of a chain of 120 `<` never ends")
        }
        // The parse panicked: its panic is the test's.
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(parse.join().unwrap_err())
        }
    }
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
