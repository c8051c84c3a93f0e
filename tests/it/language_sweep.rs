//! Constructs of ACT's language found missing or wrong by a sweep of ACT's grammar and
//! documentation: one test each, written from ACT's rules (its grammar's checks and actsim's
//! behaviour), not from any corpus file.
use crate::common::run_design::{compile_errors, run_text, run_with, Options};
use crate::language::test_proc;
use chpsim::kernel::Limits;

/// Runs `body` (a `test` process's) up to time `until`; its log lines with their times.
fn logs_until(body: &str, until: u64) -> Vec<(u64, String)> {
    let options = Options {
        limits: Limits {
            until: Some(until),
            max_events: None,
        },
        ..Options::default()
    };
    run_with(&test_proc(body), options).logs()
}

#[test]
fn a_loop_ending_in_else_runs_it_while_no_guard_holds_and_never_exits() {
    // ACT accepts `else` as a loop's last arm (not its first); actsim takes it when every
    // other guard is false, and goes round again.
    let logs = logs_until(
        "int<4> x, n; chp { x := 0; n := 0; \
         *[ x < 2 -> log(\"arm \", x); x := x + 1 [] else -> log(\"else \", n); n := n + 1 ]; \
         log(\"never\") }",
        95,
    );
    let texts: Vec<(u64, &str)> = logs.iter().map(|(t, s)| (*t, s.as_str())).collect();
    assert_eq!(
        texts,
        [(30, "arm 0"), (50, "arm 1"), (70, "else 0"), (90, "else 1")]
    );
}

#[test]
fn a_loop_cannot_begin_with_else() {
    let text = compile_errors(&test_proc(
        "int x; chp { *[ else -> skip [] x > 1 -> x := 0 ] }",
    ));
    assert!(
        text.contains("`else` cannot be the first arm of a loop"),
        "{text}"
    );
}

#[test]
fn a_selection_cannot_begin_with_else_even_in_a_definition_never_expanded() {
    // ACT's grammar refuses it as it reads the file (`[]` and `[| |]` alike, CHP and HSE).
    for body in [
        "chp { [ else -> skip ] }",
        "chp { [| else -> skip [] x > 1 -> skip |] }",
        "chp { *[ else -> skip ] }",
        "hse { [ else -> b+ ] }",
    ] {
        let text = compile_errors(&format!(
            "defproc unused() {{ int x; bool b; {body} }}\n\
             defproc test() {{ chp {{ skip }} }}\n"
        ));
        assert!(
            text.contains("`else` cannot be the first arm of a "),
            "{body}: {text}"
        );
    }
    // chp-txt's `select` has no such rule.
    let run = run_text("defproc test() { int x; chp-txt { select { else: log(\"ok\") } } }\n");
    assert_eq!(run.log_texts(), ["ok"]);
}

#[test]
fn instances_of_ptype_parameters_and_of_namespaced_processes_are_known_unexpanded() {
    // Never instantiated, yet every type is known: ACT accepts the file.
    let run = run_text(
        "interface unit_if (chan?(int) L);\n\
         namespace parts { export defproc cell (chan?(int) L) { int x; chp { L?x } } }\n\
         template<ptype(unit_if) T> defproc holder () { T a; ptype(unit_if) U; U b; }\n\
         defproc user () { parts::cell c; }\n\
         defproc test () { chp { log(\"ok\") } }\n",
    );
    assert_eq!(run.log_texts(), ["ok"]);
}

#[test]
fn direction_marks_go_between_a_data_type_and_its_width_as_in_acts_grammar() {
    // ACT's grammar: `int [dir] [<W>]`, `enum [dir] <N>`, a user type `name [dir] [<args>]`.
    let run = run_text(
        "template<pint N> deftype word (int<N> v) { }\n\
         defproc drive (int!<4> o; word!<4> w) { chp { o := 5; w.v := 9 } }\n\
         defproc watch (int?<4> i; word?<4> w) { chp { [ i = 5 & w.v = 9 ]; log(\"saw \", i, \" \", w.v) } }\n\
         deftype pins (int?<2> a; bool! b) { }\n\
         defproc test () { int<4> x; word<4> y; enum!<3> e; pins p; drive d(x, y); watch r(x, y); }\n",
    );
    assert_eq!(run.log_texts(), ["saw 5 9"]);
}

#[test]
fn a_signed_ints_is_computed_as_an_int_of_its_width() {
    // ACT's `ints<W>` (types.m4 T_INT); actsim stores and computes it as an unsigned W bits.
    let run = run_text(&test_proc(
        "ints<8> x; int<8> y; chp { x := 250; x := x + 10; y := x; log(\"y \", y) }",
    ));
    assert_eq!(run.log_texts(), ["y 4"]);
}
