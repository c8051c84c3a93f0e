//! `chpsim actsim FILE PROC < script`: actsim's command line and its command language.
use std::process::Output;

use crate::common::cli::{actsim_script, stderr, stdout};

/// A producer sending 1, 2, 3 to a consumer that logs them; the consumer waits first.
const PAIR: &str = "
defproc prod(chan!(int<8>) R) { int<8> y; chp { y := 0; R!1; R!2; R!3 } }
defproc cons(chan?(int<8>) L) { int<8> x; chp { *[ L?x; log(\"got \", x) ] } }
defproc test() { chan(int<8>) C; prod p(C); cons c(C); }
";

fn actsim(design: &str, args: &[&str], script: &str) -> Output {
    actsim_script(design, args, script)
}

fn lines(o: &Output) -> Vec<String> {
    stdout(o).lines().map(str::to_owned).collect()
}

#[test]
fn cycle_runs_until_nothing_is_left() {
    let o = actsim(PAIR, &["d.act", "test"], "cycle\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        lines(&o),
        [
            "[                  20] <c>  got 1",
            "[                  40] <c>  got 2",
            "[                  60] <c>  got 3",
        ]
    );
}

#[test]
fn the_configuration_file_sets_the_delays() {
    let o = actsim(
        PAIR,
        &["-cnf=sim.conf", "-Wall:on", "-ref=1", "d.act", "test<>"],
        "cycle\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(lines(&o)[0], "[                  10] <c>  got 1");
}

#[test]
fn w_lang_subst_off_silences_the_substitution_warnings_as_acts_warning_flag() {
    let warned = actsim(PAIR, &["d.act", "test"], "cycle\n");
    assert!(stderr(&warned).contains("WARNING: prod<>: substituting chp model"));
    for flag in [
        "-Wlang_subst:off",
        "-Wshadow:on,lang_subst:off",
        "-Wall:off",
    ] {
        let o = actsim(
            PAIR,
            &[flag, "d.act", "test"],
            "cycle\ninitialize test<>\ncycle\n",
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stderr(&o), "", "{flag}");
        assert_eq!(lines(&o).len(), 6, "{flag}");
    }
    // ACT's flags only, each ending in `:on` or `:off`: else ACT's fatal error, exit 1.
    let o = actsim(PAIR, &["-Wall", "d.act", "test"], "cycle\n");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("FATAL: -W option `all' is unknown  legal options are:"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn watch_prints_actsims_channel_lines_and_unwatch_stops_them() {
    let o = actsim(
        PAIR,
        &["d.act", "test"],
        "watch C\nadvance 35\nunwatch C\ncycle\n",
    );
    // p and c act at 20, p first (in the order chpsim creates them: see docs/actsim.md).
    assert_eq!(
        lines(&o),
        [
            "[                  20] <p>  C : send-blocked value: 1 (0x1)",
            "[                  20] <c>  C: recv value: 1 (0x1)",
            "[                  20] <p>  C : send complete   [by c]",
            "[                  20] <c>  got 1",
            "[                  30] <p>  C : send-blocked value: 2 (0x2)",
            "[                  40] <c>  got 2",
            "[                  60] <c>  got 3",
        ]
    );
}

#[test]
fn step_runs_some_events_then_cycle_runs_the_rest() {
    let o = actsim(PAIR, &["d.act", "test"], "step 2\nstep\ncycle\n");
    let all = lines(&o);
    assert_eq!(all.len(), 3, "{all:?}");
    // The first log line is some events in: one step does not reach it.
    let o = actsim(PAIR, &["d.act", "test"], "step 1\n");
    assert_eq!(lines(&o), Vec::<String>::new());
}

#[test]
fn advance_stops_at_the_time_given() {
    let o = actsim(PAIR, &["d.act", "test"], "advance 35\n");
    assert_eq!(lines(&o).len(), 1, "{}", stdout(&o));
    let o = actsim(PAIR, &["d.act", "test"], "advance 35\nadvance 35\n");
    assert_eq!(lines(&o).len(), 3, "{}", stdout(&o));
}

#[test]
fn an_unknown_command_or_a_bad_argument_gets_a_message_and_the_script_goes_on() {
    let script = "frobnicate\nstep x\nadvance\nmode sideways\nget zz\ncycle\n";
    let o = actsim(PAIR, &["d.act", "test"], script);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(err.contains("Unknown command name `frobnicate'"), "{err}");
    assert!(err.contains("step: zero/negative steps?"), "{err}");
    assert!(err.contains("Usage: advance <delay>"), "{err}");
    assert!(err.contains("mode: unknown mode"), "{err}");
    assert!(
        err.contains("Could not find identifier `zz' within process `test<>'"),
        "{err}"
    );
    assert_eq!(lines(&o).len(), 3);
}

#[test]
fn setup_commands_are_taken_and_exit_ends_the_script() {
    let script = "initialize test<>\nmode reset\nmode run\nrandom_seed 4\nrandom_choice on\nrandom 1 3\nnorandom\nstep\nexit\ncycle\n";
    let o = actsim(PAIR, &["d.act", "test"], script);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Only actsim's warnings about the instances run as CHP (see tests/it/levels.rs).
    let substituted = |l: &str| l.ends_with("substituting chp model (requested prs, not found)");
    assert!(stderr(&o).lines().all(substituted), "{}", stderr(&o));
    assert!(lines(&o).is_empty());
    // As in actsim, they are taken in the middle of the run too.
    let o = actsim(
        PAIR,
        &["d.act", "test"],
        "step\nrandom_seed 3\nrandom 1 3\nrandom_choice on\nnorandom\nquit\n",
    );
    assert!(stderr(&o).lines().all(substituted), "{}", stderr(&o));
}

#[test]
fn initialize_wants_an_expanded_process() {
    let script = "initialize test\ninitialize cons\ninitialize zz\ninitialize\ninitialize a b\n";
    let o = actsim(PAIR, &["d.act", "test"], script);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    // actsim finds the type by its name; only `NAME<...>` is an expanded one.
    assert!(
        err.contains("initialize: `test' is not an expanded process\n"),
        "{err}"
    );
    assert!(
        err.contains("initialize: `cons' is not an expanded process\n"),
        "{err}"
    );
    assert!(
        err.contains("initialize: could not find process zz\n"),
        "{err}"
    );
    assert_eq!(
        err.matches("Usage: initialize <process>\n").count(),
        2,
        "{err}"
    );
}

#[test]
fn help_lists_the_commands() {
    let o = actsim(PAIR, &["d.act", "test"], "help\n");
    let out = stdout(&o);
    for command in [
        "cycle",
        "step",
        "advance",
        "watch",
        "unwatch",
        "random_seed",
        "exit",
    ] {
        assert!(out.contains(&format!("   {command} ")), "{out}");
    }
}

#[test]
fn acts_own_options_fail_with_its_fatal_error_and_exit_1() {
    for (option, message) in [
        (
            "-ref=-2",
            "FATAL: -ref option needs a non-negative integer\n",
        ),
        ("-Vloud", "FATAL: -V option `loud' is unknown\n"),
        (
            "-Wshadow",
            "FATAL: -W option `shadow' must end in :off or :on\n",
        ),
    ] {
        let o = actsim(PAIR, &[option, "d.act", "test"], "cycle\n");
        assert_eq!(o.status.code(), Some(1), "{option}");
        assert_eq!(stderr(&o), message);
    }
    // `-ref=` reads its number as `atoi`: `x` is 0 steps, no error.
    let o = actsim(PAIR, &["-ref=x", "d.act", "test"], "cycle\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn no_arguments_or_help_print_the_usage() {
    // Each of actsim's usage paths (no arguments, an option it does not know, the process
    // missing or given twice) prints the usage and exits with 1, as actsim's `usage` does.
    for args in [
        &[][..],
        &["-help"][..],
        &["-bogus", "d.act", "test"][..],
        &["d.act"][..],
        &["-p", "test", "d.act", "test"][..],
    ] {
        let o = actsim(PAIR, args, "");
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&o).contains("Usage: chpsim actsim"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn a_failed_assertion_pauses_the_command_and_the_process_goes_on() {
    // As in actsim: the assertion is a breakpoint; the next command resumes the run.
    let design = "defproc test() { int x; chp { x := 1; assert(x = 2, \"x is \", x); x := 3; log(\"after \", x) } }";
    let o = actsim(design, &["d.act", "test"], "cycle\necho paused\ncycle\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        lines(&o),
        [
            "[                  10] <>  ASSERTION failed: x is 1",
            "paused",
            "[                  20] <>  after 3",
        ]
    );
    assert!(!stderr(&o).contains("runtime error"), "{}", stderr(&o));
}

#[test]
fn dash_m_turns_on_the_exclusion_monitors_as_in_actsim() {
    // Both nodes rise together: a violation of `exclhi`, reported only under `-m`.
    let design = "
defproc pair(bool? a; bool! x, y) { spec { exclhi(x, y) } prs { a -> x+  a -> y+ } }
defproc test() { bool a, x, y; pair p(a, x, y); }
";
    let script = "set a 1\ncycle\n";
    let watched = actsim(design, &["-m", "d.act", "test"], script);
    assert_eq!(watched.status.code(), Some(0), "{}", stderr(&watched));
    assert!(
        stdout(&watched).contains("WARNING: excl-hi constraint in [ p:pair<> ] x,y violated!"),
        "{}",
        stdout(&watched)
    );
    // Written together with another flag, as getopt reads it.
    let together = actsim(design, &["-mn", "d.act", "test"], script);
    assert_eq!(stdout(&together), stdout(&watched));
    let unwatched = actsim(design, &["d.act", "test"], script);
    assert!(
        !stdout(&unwatched).contains("excl-hi"),
        "{}",
        stdout(&unwatched)
    );
}

#[test]
fn ports_left_open_get_no_warning_as_in_actsim() {
    // `chpsim run` warns about the unconnected `R`; actsim does not.
    let design = "defproc src(chan!(int) R) { chp { skip } }\ndefproc test() { src s; }";
    let o = actsim(design, &["d.act", "test"], "cycle\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("not connected"), "{}", stderr(&o));
}

#[test]
fn the_end_of_a_script_says_nothing_about_a_process_blocked_for_ever() {
    // As actsim: the sender waits for ever on a receiver that never comes, and nothing is
    // reported when the script ends.
    let design = "defproc test() { chan(int<8>) C; chp { C!1 } }";
    let o = actsim(design, &["d.act", "test"], "cycle\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("deadlock"), "{}", stderr(&o));
}
