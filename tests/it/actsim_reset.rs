//! actsim's `mode reset` as its simulator objects see it: each event of a process running
//! CHP is put off 10 ticks, as a new event, while reset mode lasts (actsim's `ChpSim::Step`);
//! processes running their HSE and the circuit go on; `cycle` runs one event at a time while
//! a transition or an HSE process's event is pending. Transcripts worked out by hand from
//! actsim's rules (docs/actsim.md, "Commands").
use std::process::Output;

use crate::common::cli::{actsim_script, stderr, stdout};

/// A producer sending 1, 2, 3 to a consumer that logs each value.
const PAIR: &str = "
defproc prod(chan!(int<8>) R) { int<8> y; chp { y := 4; R!1; R!2; R!3 } }
defproc cons(chan?(int<8>) L) { int<8> x; chp { *[ L?x; log(\"got \", x) ] } }
defproc test() { chan(int<8>) C; prod p(C); cons c(C); }
";

fn run(design: &str, script: &str) -> Output {
    let o = actsim_script(design, &["d.act", "test"], script);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    o
}

fn lines(o: &Output) -> Vec<String> {
    stdout(o).lines().map(str::to_owned).collect()
}

#[test]
fn reset_mode_puts_off_every_chp_event_by_ten_until_mode_run() {
    // The first events (10) come up at 10, 20, 30 and 40 and are put off each time; after
    // `mode run` the one at 40 acts, and the run is the plain one 30 ticks later.
    let o = run(
        PAIR,
        "mode reset\nwatch C p.y\nadvance 35\npending -v\nmode run\nstep 5\n",
    );
    assert_eq!(
        lines(&o),
        [
            "Current time: 35",
            "Pending events: 2",
            "         5 [chp] prod<> / p",
            "         5 [chp] cons<> / c",
            "[                  40] <p>  p.y := 4 (0x4)",
            "[                  50] <p>  C : send-blocked value: 1 (0x1)",
            "[                  50] <c>  C: recv value: 1 (0x1)",
            "[                  50] <p>  C : send complete   [by c]",
        ]
    );
    let plain = run(PAIR, "watch C p.y\nstep 5\n");
    assert_eq!(
        lines(&plain),
        [
            "[                  10] <p>  p.y := 4 (0x4)",
            "[                  20] <p>  C : send-blocked value: 1 (0x1)",
            "[                  20] <c>  C: recv value: 1 (0x1)",
            "[                  20] <p>  C : send complete   [by c]",
        ]
    );
}

#[test]
fn a_wake_up_put_off_in_reset_mode_loses_its_handshake_as_in_actsim() {
    // After 4 events the receiver has taken 1 from the waiting sender, whose wake-up is
    // queued. Put off in reset mode, it comes back as the send's own event: the sender sends
    // 1 again (actsim's new event has no wake-up flag), and the receiver gets it twice.
    let o = run(
        PAIR,
        "watch C\nstep 4\nmode reset\nadvance 25\npending -v\nmode run\ncycle\n",
    );
    assert_eq!(
        lines(&o),
        [
            "[                  20] <p>  C : send-blocked value: 1 (0x1)",
            "[                  20] <c>  C: recv value: 1 (0x1)",
            "Current time: 45",
            "Pending events: 2",
            "         5 [chp] cons<> / c",
            "         5 [chp] prod<> / p",
            // The receiver's log, put off from 20, and the sender's send of 1 again.
            "[                  50] <c>  got 1",
            "[                  50] <p>  C : send-blocked value: 1 (0x1)",
            "[                  70] <c>  C: recv value: 1 (0x1)",
            "[                  70] <p>  C : send complete   [by c]",
            "[                  70] <c>  got 1",
            "[                  80] <p>  C : send-blocked value: 2 (0x2)",
            "[                  90] <c>  C: recv value: 2 (0x2)",
            "[                  90] <p>  C : send complete   [by c]",
            "[                  90] <c>  got 2",
            "[                 100] <p>  C : send-blocked value: 3 (0x3)",
            "[                 110] <c>  C: recv value: 3 (0x3)",
            "[                 110] <p>  C : send complete   [by c]",
            "[                 110] <c>  got 3",
            "[                 130] <c>  C: recv-blocked",
        ]
    );
}

#[test]
fn cycle_in_reset_mode_runs_while_a_transition_is_pending_and_the_held_process_waits() {
    let design = "
defproc inv(bool? a; bool! y) { prs { a => y- } }
defproc ticker() { int<4> n; chp { n := 0; *[ n := n + 1; log(\"tick \", n) ] } }
defproc test() { bool a, y; inv g(a, y); ticker t; }
";
    // The ticker's first event (10) is put off at 10 and 20, among the transitions; `cycle`
    // stops when no transition is pending, and with none pending at all it does nothing.
    let o = run(
        design,
        "mode reset\ncycle\nwatch y t.n\nset a 0\ncycle\npending -v\nset a 1\ncycle\n\
         mode run\nadvance 30\n",
    );
    assert_eq!(
        lines(&o),
        [
            "[                  10] <g>  y := 1",
            "Current time: 10",
            "Pending events: 1",
            "        10 [chp] ticker<> / t",
            "[                  20] <g>  y := 0",
            "[                  50] <t>  t.n := 1 (0x1)",
            "[                  50] <t>  tick 1",
        ]
    );
}

#[test]
fn a_process_running_its_hse_is_not_held_in_reset_mode() {
    let design = "
defproc blink(bool! y) { hse { y-; *[ y+; y- ] } }
defproc ticker() { int<4> n; chp { n := 0; *[ n := n + 1; log(\"tick \", n) ] } }
defproc test() { blink b; ticker t; }
";
    let o = run(
        design,
        "mode reset\nwatch b.y t.n\nadvance 45\nmode run\nadvance 30\n",
    );
    assert_eq!(
        lines(&o),
        [
            "[                  10] <b>  b.y := 0",
            "[                  30] <b>  b.y := 1",
            "[                  40] <b>  b.y := 0",
            "[                  60] <b>  b.y := 1",
            "[                  70] <b>  b.y := 0",
            "[                  70] <t>  t.n := 1 (0x1)",
            "[                  70] <t>  tick 1",
        ]
    );
}

#[test]
fn initialize_starts_the_simulation_over_at_time_zero_without_what_the_commands_set() {
    // actsim deletes its simulator and makes a new one: time 0, the values as at the start,
    // no watch point, breakpoint or filter, run mode; its warnings about the instances are
    // printed again. The log file stays.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.act"), PAIR).unwrap();
    let script = "watch C\nbreak c.x\nfilter zz\nlogfile log.txt\nmode reset\nstep 3\n\
                  initialize test<>\necho again\nget p.y\nstep 4\npending -v\n";
    let o = crate::common::cli::actsim_in(dir.path(), &["d.act", "test"], script);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        lines(&o),
        [
            "again",
            "p.y: 0  (0x0)",
            "Current time: 20",
            "Pending events: 2",
            "         0 [chp] prod<> / p",
            "         0 [chp] cons<> / c",
        ]
    );
    let log = std::fs::read_to_string(dir.path().join("log.txt")).unwrap();
    assert_eq!(log, "");
    let substituted = "WARNING: prod<>: substituting chp model (requested prs, not found)";
    assert_eq!(stderr(&o).matches(substituted).count(), 2, "{}", stderr(&o));
    // Without `filter`, the new run's lines go to the log file.
    let script = "logfile log.txt\nfilter zz\ninitialize test<>\ncycle\n";
    let o = crate::common::cli::actsim_in(dir.path(), &["d.act", "test"], script);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let log = std::fs::read_to_string(dir.path().join("log.txt")).unwrap();
    assert_eq!(log.lines().count(), 3, "{log}");
}

#[test]
fn initialize_with_another_expanded_process_simulates_that_one_as_the_top() {
    let script = "initialize cons<>\npending -v\nwatch L x\nstep 2\ninitialize test\n\
                  initialize test<>\nget C\n";
    let o = actsim_script(PAIR, &["d.act", "test"], script);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        lines(&o),
        [
            "Current time: 0",
            "Pending events: 1",
            "        10 [chp] cons<> / ",
            "[                  20] <>  L: recv-blocked",
            "C: idle",
        ]
    );
    // The type of the first top is still one `initialize` knows.
    assert!(
        stderr(&o).contains("initialize: `test' is not an expanded process\n"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_reset_phase_with_only_last_actions_ends_before_the_first_command() {
    // One `actions { .. }` block is one action, the last: actsim's runInit only starts it and
    // reads its commands at time 0. The run before the first command stopped nowhere: the
    // ticker ran its 200 rounds before `get y` (one that never ends hung until interrupted).
    let design = "
bool Reset;
defproc inv(bool? a; bool! y) { prs { a => y- } }
defproc ticker() { int<8> n; chp { n := 0; *[ n < 200 -> n := n + 1; log(\"tick \", n) ] } }
defproc test() { bool y; inv g(Reset, y); ticker t; }
Initialize { actions { Reset+; Reset- } }
";
    let o = run(design, "get y\nadvance 45\nget y\n");
    // Reset+ at 10 queues y- for 20; Reset- at 20 makes it unstable; y rises at 30.
    assert_eq!(
        lines(&o),
        [
            "y: X",
            "[                  20] <g>  WARNING: unstable transition on `y'   [by ]",
            "[                  30] <t>  tick 1",
            "y: 1",
        ]
    );
}
