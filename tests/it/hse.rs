//! Handshaking expansions run as actsim runs them, with its CHP engine: `x+`/`x-`, waits,
//! selections, loops, `;` and `,` over bools shared with CHP processes and production rules.
use crate::common::run_design::run_text;

#[test]
fn a_handshake_in_hse_answers_a_chp_environment() {
    // The CHP side raises r, waits for a, lowers r, waits for ~a: one cycle is 50.
    let design = "\
defproc env(bool! r; bool? a) { chp { r-; (; i : 3 : r+; [a]; r-; [~a]; log(\"cycle \", i)) } }
defproc hs(bool? r; bool! a) { hse { a-; *[ [r]; a+; [~r]; a- ] } }
defproc test() { bool r, a; env e(r, a); hs h(r, a); }
";
    let run = run_text(design);
    assert_eq!(
        run.logs(),
        vec![
            (60, "cycle 0".to_string()),
            (110, "cycle 1".to_string()),
            (160, "cycle 2".to_string())
        ]
    );
}

#[test]
fn a_selection_in_hse_follows_the_input_that_is_up() {
    // A dual-rail input acknowledged by the rail that went up: d.t answers with y, d.f with n.
    let design = "\
defproc env(bool! t, f; bool? y, n) {
  chp { t-, f-; t+; [y]; t-; [~y]; log(\"true\"); f+; [n]; f-; [~n]; log(\"false\") }
}
defproc judge(bool? t, f; bool! y, n) {
  hse { y-, n-; *[ [ t -> y+; [~t]; y- [] f -> n+; [~f]; n- ] ] }
}
defproc test() { bool t, f, y, n; env e(t, f, y, n); judge j(t, f, y, n); }
";
    let run = run_text(design);
    assert_eq!(run.log_texts(), vec!["true", "false"]);
}

#[test]
fn a_process_with_chp_and_hse_runs_its_hse() {
    // actsim simulates the most detailed description: the HSE, not the CHP beside it.
    let design = "\
defproc p(bool! x) {
  chp { x+; log(\"chp\") }
  hse { x-; x+; x- }
}
defproc watch(bool? x) { chp { [x]; log(\"up\"); [~x]; log(\"down\") } }
defproc test() { bool x; p a(x); watch w(x); }
";
    let run = run_text(design);
    assert_eq!(
        run.logs(),
        vec![(20, "up".to_string()), (30, "down".to_string())]
    );
}

#[test]
fn hse_drives_production_rules_and_waits_on_them() {
    // An inverter in production rules between two HSE steps: y follows a 10 later.
    let design = "\
defproc inv(bool? a; bool! y) { prs { a => y- } }
defproc drive(bool! a; bool? y) { hse { a+; [~y]; a-; [y]; a+ } }
defproc test() { bool a, y; inv g(a, y); drive d(a, y); }
";
    let run = run_text(design);
    let y: Vec<&str> = run
        .transcript
        .lines()
        .filter(|l| l.contains("  y := "))
        .map(|l| l.trim())
        .collect();
    assert_eq!(y, vec!["20  y := 0", "40  y := 1", "60  y := 0"]);
}
