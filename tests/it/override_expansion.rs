//! Overrides in definitions whose parent is templated (`template<pint M> deftype r <: rec<M>
//! () +{ wide<3> x; }`) are checked as ACT checks them: without template arguments where the
//! definition is read, with them in each expansion. A definition never expanded, or expanded
//! with arguments that make the override right, is accepted; an expansion that makes it
//! wrong is refused there.
use crate::common::run_design::{compile_errors, compile_warnings, run_text};

/// A record, a channel type and a process, each with an override of an inherited port or
/// field by a type of width 3 whose original's width is the template parameter `M`; `TOP`
/// is replaced by the top's body.
const FAMILY: &str = r#"
template<pint N> deftype wide <: int<N> (bool b[N]) { }
template<pint K> deftype wider <: wide<K> () { }
template<pint N> deftype rec (int<N> x; bool y) { }
template<pint M> deftype r <: rec<M> () +{ wide<3> x; } { }
template<pint N> defchan bus <: chan(int<N>) (wide<N> d; bool a) { }
template<pint M> defchan bus3 <: bus<M> () +{ wider<3> d; } { }
template<pint W> defproc hold(chan?(int<W>) L) { int<W> v; chp { L?v; log("v ", v) } }
template<pint M> defproc q <: hold<M> () +{ bus3<3> L; } { }
defproc test() { TOP }
"#;

fn design(top: &str) -> String {
    FAMILY.replace("TOP", top)
}

#[test]
fn definitions_never_expanded_are_not_compared_with_their_arguments() {
    // `r`, `bus3` and `q` are right for `M = 3` only, and never used here; nor is `narrow`,
    // wrong whatever its use (ACT reports it only where it is expanded).
    let text = design(r#"rec<2> t; chp { t.x := 1; log("x ", t.x) }"#)
        + "deftype narrow <: rec<3> () +{ wide<4> x; } { }\n";
    assert_eq!(run_text(&text).log_texts(), ["x 1"]);
}

#[test]
fn expansions_with_the_right_arguments_run() {
    let run = run_text(&design(
        r#"r<3> t; bus3<3> c; q<3> h(c); chp { t.x := 5; c!t.x; log("x ", t.x) }"#,
    ));
    assert_eq!(run.log_texts(), ["x 5", "v 5"]);
}

#[test]
fn an_expansion_that_makes_an_override_wrong_is_refused_there() {
    for (top, expanded, new, original) in [
        ("r<4> t;", "r<4>", "wide<3>", "int<4>"),
        ("bus3<2> c;", "bus3<2>", "wider<3>", "wide<2>"),
        (
            "chan(int<4>) c; q<4> h(c);",
            "q<4>",
            "bus3<3>",
            "chan(int<4>)",
        ),
    ] {
        let errors = compile_errors(&design(top));
        let expected = [
            "the new type doesn't implement the original".to_string(),
            format!("`{expanded}` expanded here"),
            format!("`{new}` does not refine `{original}`"),
        ];
        for line in expected {
            assert!(errors.contains(&line), "{top}: `{line}` not in\n{errors}");
        }
    }
}

/// An array port or field overridden by its own type: ACT's definition lets it through (the
/// original, an array, is not the same type) and its expansion warns when the types, with
/// their arguments, are the same.
const SAME_TYPES: &str = r#"
template<pint N> deftype cell (int<N> v) { }
template<pint N> deftype pair (cell<N> x[2]; bool b) { }
template<pint M> deftype pair3 <: pair<M> () +{ cell<3> x; } { }
template<pint W> defproc hold(cell<W> c[2]) { chp { c[1].v := 2; log("v ", c[1].v) } }
defproc hold3 <: hold<3> () +{ cell<3> c; } { }
defproc test() { TOP }
"#;

#[test]
fn an_array_overridden_by_its_own_type_is_accepted_with_act_s_warning() {
    let text = SAME_TYPES.replace("TOP", "pair3<3> p; cell<3> k[2]; hold3 h(k);");
    let warnings = compile_warnings(&text);
    for (x, expanded) in [("x", "pair3<3>"), ("c", "hold3<>")] {
        let expected =
            format!("override of `{x}` in `{expanded}` not required when the types are the same");
        assert!(warnings.contains(&expected), "{expected}: {warnings}");
    }
    assert_eq!(run_text(&text).log_texts(), ["v 2"]);
}

#[test]
fn an_array_overridden_by_its_own_type_with_other_arguments_is_refused_where_expanded() {
    let errors = compile_errors(&SAME_TYPES.replace("TOP", "pair3<4> p;"));
    assert!(
        errors.contains("`cell<3>` does not refine `cell<4>`"),
        "{errors}"
    );
}

#[test]
fn a_single_object_overridden_by_its_own_type_is_refused_where_defined() {
    // ACT: "Override is not necessary if type is not being refined!", used or not.
    let text = SAME_TYPES.replace("TOP", "")
        + "deftype one (cell<3> y) { }\n"
        + "deftype same <: one () +{ cell<3> y; } { }\n";
    let errors = compile_errors(&text);
    assert!(
        errors.contains("this override does not refine the type of `y`"),
        "{errors}"
    );
}
