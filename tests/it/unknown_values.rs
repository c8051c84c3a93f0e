//! X (actsim's undefined bool) in CHP, as actsim's CHP engine treats it: a bool holding X
//! reads as 0 wherever an expression reads it (a guard, an assignment, a send, a `log`), after
//! actsim's warning, since actsim cuts the X it reads to the bool's one bit; a record read whole
//! keeps its X fields (actsim reads it field by field, uncut), so a record assigned or sent whole
//! takes them along. A bool becomes X by `set b X`, or as a node of the circuit that goes X; the
//! processes waiting on it see the change.
use crate::common::cli::{actsim_script, stdout};
use crate::common::run_design::run_text;

const WARN_A: &str = "WARNING: Boolean variable `a' is X";

#[test]
fn a_guard_reads_an_x_bool_as_false_and_its_negation_as_true() {
    let run = run_text(
        "defproc test() { bool a;
           chp { [ a -> log(\"a\") [] else -> log(\"else\") ];
                 [ ~a -> log(\"not a\") [] else -> log(\"else\") ];
                 [ a | ~a -> log(\"either\") [] else -> log(\"neither\") ] } }",
    );
    assert_eq!(
        run.log_texts(),
        [WARN_A, "else", WARN_A, "not a", WARN_A, WARN_A, "either"],
        "{:?}",
        run.error()
    );
}

#[test]
fn an_x_bool_assigned_to_another_gives_it_0_not_x() {
    // actsim stores the value it read, 0: `b` is defined from then on and reads without a warning.
    let run = run_text(
        "defproc test() { bool a, b; int<4> n;
           chp { b := a; n := int(a) + 2;
                 [ b -> log(\"b\") [] else -> log(\"not b\") ]; log(\"n=\", n) } }",
    );
    assert_eq!(
        run.log_texts(),
        [WARN_A, WARN_A, "not b", "n=2"],
        "{:?}",
        run.error()
    );
}

#[test]
fn an_x_bool_sent_arrives_as_0() {
    let run = run_text(
        "defproc src(chan!(bool) C) { bool a; chp { C!a } }
         defproc dst(chan?(bool) C) { bool b; chp { C?b; [ b -> log(\"b\") [] else -> log(\"not b\") ] } }
         defproc test() { chan(bool) c; src s(c); dst d(c); }",
    );
    assert_eq!(run.log_texts(), [WARN_A, "not b"], "{:?}", run.error());
}

/// `r.ok` is never written; `r.v` is.
const RECORD: &str = "deftype pkt (bool v; int<4> n; bool ok);";

#[test]
fn a_record_assigned_whole_takes_its_x_fields_along() {
    let design = format!(
        "{RECORD}
         defproc test() {{ pkt r, s;
           chp {{ r.v+; r.n := 5; s.ok+; s := r;
                  [ s.ok -> log(\"ok\") [] else -> log(\"not ok\") ];
                  [ s.v -> log(\"v \", s.n) [] else -> skip ] }} }}"
    );
    let run = run_text(&design);
    assert_eq!(
        run.log_texts(),
        [
            // Reading `r` whole warns of its X field, and `s.ok` is X after the copy.
            "WARNING: Boolean variable `r.ok' is X",
            "WARNING: Boolean variable `s.ok' is X",
            "not ok",
            "v 5"
        ],
        "{:?}",
        run.error()
    );
}

#[test]
fn a_record_sent_whole_takes_its_x_fields_to_the_receiver() {
    let design = format!(
        "{RECORD}
         defproc src(chan!(pkt) C) {{ pkt r; chp {{ r.v+; C!r; r.ok+; C!r }} }}
         defproc dst(chan?(pkt) C) {{ pkt s;
           chp {{ s.ok+; C?s; [ s.ok -> log(\"ok\") [] else -> log(\"not ok\") ];
                  C?s; [ s.ok -> log(\"ok\") [] else -> log(\"not ok\") ] }} }}
         defproc test() {{ chan(pkt) c; src p(c); dst q(c); }}"
    );
    let run = run_text(&design);
    assert_eq!(
        run.log_texts(),
        [
            "WARNING: Boolean variable `r.ok' is X",
            "WARNING: Boolean variable `s.ok' is X",
            "not ok",
            "ok"
        ],
        "{:?}",
        run.error()
    );
}

#[test]
fn a_bool_field_read_alone_copies_0_not_x() {
    let design = format!(
        "{RECORD}
         defproc test() {{ pkt r, s;
           chp {{ s.ok := r.ok; [ s.ok -> log(\"ok\") [] else -> log(\"not ok\") ] }} }}"
    );
    let run = run_text(&design);
    assert_eq!(
        run.log_texts(),
        ["WARNING: Boolean variable `r.ok' is X", "not ok"],
        "{:?}",
        run.error()
    );
}

/// `q` raises its port `b`, then waits for it to be low.
const WAITS_LOW: &str = "
defproc p(bool b) { chp { b+; [ ~b ]; log(\"low\") } }
defproc test() { bool b; p q(b); }
";

#[test]
fn set_x_on_a_bool_that_was_1_makes_it_read_0_and_wakes_its_waiters() {
    let script = "cycle\nget q.b\nset q.b X\nget q.b\ncycle\n";
    let o = actsim_script(WAITS_LOW, &["d.act", "test"], script);
    let out = stdout(&o);
    assert!(out.contains("q.b: 1\n"), "{out}");
    let x = out.find("q.b: X\n").expect("X after set");
    let warn = out
        .find("<q>  WARNING: Boolean variable `b' is X\n")
        .expect("a warning");
    let low = out.find("<q>  low\n").expect("the wait ends");
    assert!(x < warn && warn < low, "{out}");
}

#[test]
fn a_node_set_to_x_reads_as_0_in_the_process_sharing_it() {
    // `y` is a node (the inverter drives it): `set y X` makes it X, and the process waiting
    // for it to fall reads the X as 0.
    let design = "
defproc inv(bool? a; bool! y) { prs { a => y- } }
defproc drv(bool! a; bool? y) { chp { a-; [ y ]; log(\"high\"); [ ~y ]; log(\"low\") } }
defproc test() { bool a, y; inv i(a, y); drv d(a, y); }
";
    let o = actsim_script(design, &["d.act", "test"], "cycle\nset y X\ncycle\n");
    let out = stdout(&o);
    let high = out.find("<d>  high\n").expect("y rises");
    let warn = out
        .find("<d>  WARNING: Boolean variable `y' is X\n")
        .expect("a warning");
    let low = out.find("<d>  low\n").expect("the wait ends");
    assert!(high < warn && warn < low, "{out}");
}

#[test]
fn an_element_of_a_bool_array_indexed_at_run_time_warns_under_the_array_name() {
    // `a` is indexed at run time, so ACT makes it one dynamic variable: its elements warn as
    // `a`, at a constant index too. `b` is not: its element warns as itself.
    let run = run_text(
        "defproc test() { bool a[3], b[2]; int<2> i;
           chp { i := 1; [ a[i] -> log(\"t\") [] else -> log(\"f\") ];
                 [ a[2] -> skip [] else -> log(\"f2\") ];
                 [ b[1] -> skip [] else -> log(\"f3\") ] } }",
    );
    assert_eq!(
        run.log_texts(),
        [
            WARN_A,
            "f",
            WARN_A,
            "f2",
            "WARNING: Boolean variable `b[1]' is X",
            "f3"
        ],
        "{:?}",
        run.error()
    );
}

#[test]
fn a_conditional_warns_only_of_the_branch_it_takes() {
    let run = run_text(
        "defproc test() { bool a, c; int<2> n;
           chp { c+; n := c ? 1 : int(a); log(\"n=\", n); n := ~c ? int(a) : 2; log(\"n=\", n) } }",
    );
    assert_eq!(run.log_texts(), ["n=1", "n=2"], "{:?}", run.error());
}

#[test]
fn a_log_reading_an_x_prints_the_warning_where_actsim_does_in_its_line() {
    // actsim writes a log piece by piece: the prefix and `a=`, then the warning (a line of its
    // own, with its prefix) as it reads `a`, then the value and the rest. (`a+` after it
    // names `a`, which actsim needs to give it state.)
    let design = "defproc test() { bool a; chp { log(\"a=\", a, \" \", ~a, \"!\"); a+ } }";
    let o = actsim_script(design, &["d.act", "test"], "cycle\n");
    let out = stdout(&o);
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| !l.starts_with("WARNING: "))
        .collect();
    let at = lines
        .iter()
        .position(|l| l.contains("a=["))
        .expect("the log's first line");
    let warn = "] <>  WARNING: Boolean variable `a' is X";
    assert!(
        lines[at].contains("] <>  a=[") && lines[at].ends_with(warn),
        "{out}"
    );
    assert!(
        lines[at + 1].starts_with("0 [") && lines[at + 1].ends_with(warn),
        "{out}"
    );
    assert_eq!(lines[at + 2], "1!", "{out}");
}
