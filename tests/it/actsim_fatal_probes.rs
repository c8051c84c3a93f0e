//! actsim keeps one probe wait per channel: a guard that waits on a probe of a channel while
//! another thread (of another process, at either end, or of the same process) waits on a
//! probe of it stops actsim with "Channel is being probed by multiple processes!".
use crate::common::cli::{actsim_script, stderr_lines_without_substitutions, stdout};
use crate::common::run_design::run_text;

/// The sender and the receiver of `C` both wait for the other to show up: `w` waits from
/// its first guard on, `r` after an assignment.
const BOTH_ENDS: &str = "
defproc waiter(chan!(int<4>) C) { chp { [#C]; C!3 } }
defproc reader(chan?(int<4>) C) { int<4> x; chp { x := 1; log(\"x=\", x); [#C]; C?x } }
defproc test() { chan(int<4>) C; waiter w(C); reader r(C); }
";

#[test]
fn both_ends_probing_at_once_stop_the_run_at_the_second_probe() {
    let run = run_text(BOTH_ENDS);
    let error = run.result.error.as_ref().expect("the run stops");
    assert_eq!(error.time, 20);
    assert_eq!(error.process, "r");
    let message = error.to_string();
    assert!(
        message.contains("channel `C` is being probed by multiple processes"),
        "{message}"
    );
    assert_eq!(run.log_texts(), ["x=1"]);
}

#[test]
fn actsim_prints_its_fatal_error_naming_the_process_type_channel_and_instance() {
    let o = actsim_script(BOTH_ENDS, &["d.act", "test"], "cycle\necho not reached\n");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "[                  10] <r>  x=1\n");
    assert_eq!(
        stderr_lines_without_substitutions(&o),
        [
            "Process reader<>: channel `C'; Instance: r",
            "FATAL: Channel is being probed by multiple processes!",
        ]
    );
}

#[test]
fn two_threads_of_one_process_probing_one_port_stop_it_too() {
    let design = "
defproc twice(chan?(int) C) { chp { ([#C]; log(\"one\")), ([#C]; log(\"two\")) } }
defproc late(chan!(int) C) { int y; chp { y := 1; y := 2; C!1 } }
defproc test() { chan(int) C; twice t(C); late l(C); }
";
    let o = actsim_script(design, &["d.act", "test"], "cycle\n");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr_lines_without_substitutions(&o),
        [
            "Process twice<>: channel `C'; Instance: t",
            "FATAL: Channel is being probed by multiple processes!",
        ]
    );
}

#[test]
fn the_top_process_is_named_by_its_type_and_the_empty_instance() {
    // The top probes its end of its own channel; the waiter already probes the other end.
    let design = "
defproc waiter(chan!(int) C) { chp { [#C]; C!3 } }
defproc test() { chan(int) C; int x; waiter w(C); chp { x := 1; [#C]; C?x } }
";
    let o = actsim_script(design, &["d.act", "test"], "cycle\n");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr_lines_without_substitutions(&o),
        [
            "Process test<>: channel `C'; Instance: <>",
            "FATAL: Channel is being probed by multiple processes!",
        ]
    );
}

#[test]
fn a_probe_while_the_other_end_communicates_or_one_probe_after_another_is_fine() {
    // `r` probes while `s` is on its way to send; then `s` probes after `r` stopped probing.
    let design = "
defproc sender(chan!(int) C) { int y; chp { y := 1; y := 2; C!5; [#C]; C!6 } }
defproc receiver(chan?(int) C) { int x; chp { [#C]; C?x; log(\"got \", x); x := 0; x := 0; C?x; log(\"got \", x) } }
defproc test() { chan(int) C; sender s(C); receiver r(C); }
";
    let run = run_text(design);
    assert!(run.result.error.is_none(), "{:?}", run.error());
    assert_eq!(run.log_texts(), ["got 5", "got 6"]);
    let o = actsim_script(design, &["d.act", "test"], "cycle\n");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "[                  40] <r>  got 5\n[                  80] <r>  got 6\n"
    );
}
