//! Body items evaluated as a design is expanded: conditional bodies `[ g -> items [] ... ]`,
//! generative loops `*[ g -> items ]`, assertions `{ cond : "message" };` and `${ ... };`.
use crate::common::run_design::{compile_errors, run_text};

const SINK: &str = "defproc snk(chan?(int) L) { int x; chp { L?x; log(\"got \", x) } }\n";

#[test]
fn a_conditional_body_keeps_the_items_of_the_first_guard_that_holds() {
    let run = run_text(&format!(
        "{SINK}template<pint N> defproc gen(chan!(int) R) {{
  [ N > 8 -> pint K = 2;
  [] N = 1 -> pint K = 7;
  [] else -> pint K = 3;
  ]
  chp {{ R!K }}
}}
defproc test() {{ gen<9> a; gen<1> b; gen<2> c; snk x(a.R), y(b.R), z(c.R); }}
"
    ));
    let mut logs = run.logs();
    logs.sort();
    assert_eq!(
        logs,
        [
            (10, "got 2".into()),
            (10, "got 3".into()),
            (10, "got 7".into())
        ]
    );
}

#[test]
fn a_conditional_body_may_declare_channels_and_instances_and_nest() {
    // With W > 4, the source sends through a buffer; else directly. No guard holds: nothing.
    let run = run_text(&format!(
        "{SINK}defproc src(chan!(int) R) {{ chp {{ R!5 }} }}
defproc buf(chan?(int) L; chan!(int) R) {{ int v; chp {{ L?v; R!(v + 1) }} }}
template<pint W; pbool B> defproc top() {{
  src s; snk k;
  [ W > 4 -> chan(int) c; buf b(c, k.L); s.R = c;
            [ B -> {{ W > 5 : \"wide enough\" }}; ]
  [] W <= 4 -> s.R = k.L;
  ]
  [ W > 100 -> bool never; ]
}}
defproc test() {{ top<8, true> t; top<2, false> u; }}
"
    ));
    let mut logs = run.log_texts();
    logs.sort();
    assert_eq!(logs, ["got 5", "got 6"]);
}

#[test]
fn a_replicated_alternative_binds_its_variable_for_its_items() {
    let run = run_text(&format!(
        "{SINK}template<pint N> defproc gen(chan!(int) R) {{
  [ ([] i : 10 : i * i >= N -> pint K = i;) ]
  chp {{ R!K }}
}}
defproc test() {{ gen<10> a; snk k(a.R); }}
"
    ));
    assert_eq!(run.log_texts(), ["got 4"]);
}

#[test]
fn a_generative_loop_repeats_while_a_guard_holds() {
    // Parameters of a body may be set again, as in ACT: the loop counts with one.
    let run = run_text(&format!(
        "{SINK}defproc test() {{
  pint i = 0, sum = 0;
  *[ i < 5 -> sum = sum + i; i = i + 1; ]
  chan(int) c;
  snk k(c);
  chp {{ c!sum }}
}}
"
    ));
    assert_eq!(run.log_texts(), ["got 10"]);
}

#[test]
fn a_generative_loop_that_never_ends_is_an_error() {
    let text =
        compile_errors("defproc test() { pint i = 0; *[ i >= 0 -> i = i + 1; ] chp { skip } }\n");
    assert!(
        text.contains("this loop runs more than 1000 times"),
        "{text}"
    );
}

#[test]
fn a_false_assertion_is_an_error_with_its_message() {
    let text = compile_errors(
        "template<pint N> defproc p() { { N > 0 : \"N must be positive\" }; chp { skip } }
defproc test() { p<1> a; p<0> b; }
",
    );
    assert!(
        text.contains("assertion failed: N must be positive"),
        "{text}"
    );
    // Only `b` fails; one error.
    assert_eq!(text.matches("assertion failed").count(), 1, "{text}");
}

#[test]
fn an_assertion_on_connections_checks_them() {
    let ok = run_text(
        "defproc test() { bool a, b, c; a = b; { a === b : \"joined\" }; { a !== c }; chp { skip } }\n",
    );
    assert!(ok.error().is_none());
    let text =
        compile_errors("defproc test() { bool a, b; { a === b : \"joined\" }; chp { skip } }\n");
    assert!(text.contains("are not connected: joined"), "{text}");
}

#[test]
fn conditions_must_be_boolean_and_known() {
    let text = compile_errors("defproc test() { pint N = 3; [ N -> bool x; ] chp { skip } }\n");
    assert!(
        text.contains("a conditional needs a Boolean condition"),
        "{text}"
    );
    let text = compile_errors("defproc test() { bool b; { b : \"no\" }; chp { skip } }\n");
    assert!(
        text.contains("`b` is not a parameter or constant"),
        "{text}"
    );
    let text = compile_errors("defproc test() { pbool B = true; { B & 3 }; chp { skip } }\n");
    assert!(
        text.contains("an assertion needs a Boolean condition"),
        "{text}"
    );
}

#[test]
fn else_is_last_and_never_in_a_loop() {
    let text = compile_errors(
        "defproc test() { pint N = 1; [ else -> bool a; [] N > 0 -> bool b; ] chp { skip } }\n",
    );
    assert!(
        text.contains("`else` must be the last alternative"),
        "{text}"
    );
    let text = compile_errors("defproc test() { *[ else -> bool a; ] chp { skip } }\n");
    assert!(text.contains("`else` is not allowed in a loop"), "{text}");
}

#[test]
fn a_debug_output_is_shown_as_the_design_is_expanded() {
    let text = crate::common::run_design::compile_warnings(
        "template<pint N> defproc p() { ${ \"N is \", N }; chp { skip } }\ndefproc test() { p<3> a; }\n",
    );
    assert!(text.contains("msg: N is 3"), "{text}");
}

#[test]
fn chp_with_a_supply_specification_runs_as_without() {
    // ACT's `chp<vdd, gnd> { }` (as `prs<...>` and `hse<...>`): the nodes are checked, the CHP
    // runs as ever (actsim gives a supply no part in a CHP simulation).
    let text = "defproc test() { bool vdd, gnd, p, n; int<4> x;
  chp<vdd, gnd | p, n> { x := 5; log(\"x=\", x) }
}
";
    assert_eq!(
        crate::common::run_design::run_text(text).log_texts(),
        ["x=5"]
    );
}
