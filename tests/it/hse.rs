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

/// Each change of node `path` in a transcript: (time, value).
fn node_changes(transcript: &str, path: &str) -> Vec<(u64, String)> {
    let marker = format!("  {path} := ");
    (transcript.lines())
        .filter_map(|l| {
            let (time, value) = l.split_once(&marker)?;
            Some((time.trim().parse().ok()?, value.to_string()))
        })
        .collect()
}

fn changes(list: &[(u64, &str)]) -> Vec<(u64, String)> {
    list.iter().map(|&(t, v)| (t, v.to_string())).collect()
}

const RESET_INVERTER: &str = "\
bool Reset;
defproc inv(bool a, b) { prs { ~Reset & ~a -> b+  Reset | a -> b- } }
";

#[test]
fn hse_acts_during_the_reset_phase() {
    // actsim runs HSE in HSE mode, which is not held in reset mode as a CHP process is. By
    // hand: Reset+ and a+ at 10 pull b down at 20; a- at 20; [b] waits from 30. A round runs
    // the events of the next 100 ticks and the clock stays at the last of them (actsim's
    // AdvanceTime): the round ends at 30 with nothing pending, Reset- fires at 40, b rises at
    // 50, the wait ends there, a+ at 60 pulls b down at 70. (Held as CHP, a would first rise
    // at 110: its deferred event, put off every 10 ticks, keeps the round going to 100.)
    let design = format!(
        "{RESET_INVERTER}\
defproc drv(bool! a; bool? b) {{ hse {{ a+; a-; [b]; a+ }} }}
defproc test() {{ bool a, b; inv g(a, b); drv d(a, b); }}
Initialize {{ actions {{ Reset+ }}; actions {{ Reset- }} }}
"
    );
    let run = run_text(&design);
    let t = &run.transcript;
    assert_eq!(
        node_changes(t, "Reset"),
        changes(&[(10, "1"), (40, "0")]),
        "{t}"
    );
    assert_eq!(
        node_changes(t, "a"),
        changes(&[(10, "1"), (20, "0"), (60, "1")]),
        "{t}"
    );
    assert_eq!(
        node_changes(t, "b"),
        changes(&[(20, "0"), (50, "1"), (70, "0")]),
        "{t}"
    );
}

#[test]
fn an_hse_event_pending_keeps_the_reset_phase_going() {
    // actsim's reset rounds go on while a transition or an HSE event is pending. busy writes
    // a every 10 ticks until 290, b settles at 20: the rounds end at 100 and 200 with an
    // HSE event queued, at 290 (the last event) with none; Reset- starts then and fires at
    // 300.
    let design = format!(
        "{RESET_INVERTER}\
defproc busy(bool! a) {{ hse {{ a+; (; i : 14 : a-; a+) }} }}
defproc test() {{ bool a, b; inv g(a, b); busy d(a); }}
Initialize {{ actions {{ Reset+ }}; actions {{ Reset- }} }}
"
    );
    let run = run_text(&design);
    let t = &run.transcript;
    assert_eq!(
        node_changes(t, "Reset"),
        changes(&[(10, "1"), (300, "0")]),
        "{t}"
    );
    assert_eq!(
        node_changes(t, "a").last(),
        Some(&(290, "1".to_string())),
        "{t}"
    );
}

#[test]
fn hse_on_the_directed_wires_of_a_channel_leaves_it_a_plain_channel() {
    // actsim's fragmentation check counts what an HSE body does to a channel's wires as reads
    // (its assignments too), and a read of a wire its type gives a direction fragments
    // nothing: the CHP sender makes a plain send, which the HSE on the wires never answers.
    let design = "\
defchan req1 <: chan(bool) (bool?! r; bool!? a) {
  methods { set { r+ } send_up { [a] } send_rest { r-; [~a] } }
}
defproc src(chan!(bool) O) { chp { O!true; log(\"sent\") } }
defproc sink(req1? L) { hse { L.a-; *[ [L.r]; L.a+; [~L.r]; L.a- ] } }
defproc test() { src s; sink k; s.O = k.L; }
";
    let run = run_text(design);
    assert!(
        run.log_texts().iter().all(|l| l != "sent"),
        "{}",
        run.transcript
    );
    assert!(
        run.transcript.contains("0 handshakes"),
        "{}",
        run.transcript
    );
}
