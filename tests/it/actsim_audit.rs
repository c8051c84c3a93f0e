//! `chpsim actsim` against actsim's command code, command by command: the words each reads,
//! its messages and where they go (stdout or stderr), its output's exact form.
use std::process::Output;

use crate::common::cli::{actsim_script, stderr, stderr_without_substitutions, stdout};

/// A producer sending 1, 2 to a consumer that keeps the last in `x`.
const PAIR: &str = "
defproc prod(chan!(int<8>) R) { chp { R!1; R!2 } }
defproc cons(chan?(int<8>) L) { int<8> x; bool b; chp { *[ L?x ] } }
defproc test() { chan(int<8>) C; prod p(C); cons c(C); }
";

fn run(script: &str) -> Output {
    actsim_script(PAIR, &["d.act", "test"], script)
}

#[test]
fn help_lists_only_the_commands_actsim_lists() {
    // actsim's table has `send` and `recv` switched off: its `help` lists neither.
    let o = run("help\n");
    let out = stdout(&o);
    assert!(
        out.contains("== Process and CHP commands ==\n   filter <regexp>"),
        "{out}"
    );
    assert!(!out.contains("   send "), "{out}");
    assert!(!out.contains("   recv "), "{out}");
    // chpsim's own two still have their line.
    let o = run("help send\n");
    assert_eq!(
        stdout(&o),
        "   send <chan> <val> - send a value on a channel\n"
    );
}

#[test]
fn set_and_assert_read_an_integer_as_actsims_bigint_scan_does() {
    // The digits the word starts with (`0x` hex, `0b` binary); none is 0, and a sign is no
    // digit: actsim's "Integers are unsigned." never comes. Quoted, the words reach `set` as
    // typed (unquoted, actsim's command reader splits or refuses most of them).
    let o = run(
        "set c.x \"12ab\"\nget c.x\nset c.x \"0x1fz\"\nget c.x\nset c.x 0b101\nget c.x\n\
         set c.x -5\nget c.x\nset c.x \"0X7\"\nget c.x\nset c.x 7\nassert c.x \"7abc\"\n\
         assert c.x zz\n",
    );
    assert_eq!(
        stdout(&o),
        "c.x: 12  (0xc)\nc.x: 31  (0x1f)\nc.x: 5  (0x5)\nc.x: 0  (0x0)\nc.x: 0  (0x0)\n\
         Warning: WRONG ASSERT:\t\"c.x\" has value 7and not0\n"
    );
    assert_eq!(stderr_without_substitutions(&o), "");
}

#[test]
fn stopping_a_trace_before_any_started_finds_no_format_as_in_actsim() {
    let o = run(
        "vcd_stop\ntrace_stop\ntrace_stop -vcd\nvcd_start a.vcd\nvcd_stop\nvcd_stop\n\
         trace_stop -vcd\ninitialize test<>\nvcd_stop\n",
    );
    assert_eq!(
        stderr_without_substitutions(&o),
        "vcd_stop: could not find VCD trace file library\n\
         trace_stop: no format `atr' exists.\n\
         trace_stop: no format `vcd' exists.\n\
         vcd_stop: no current VCD file.\n\
         trace_stop: no current VCD file.\n\
         vcd_stop: no current VCD file.\n"
    );
}

#[test]
fn filter_hides_log_lines_but_not_actsims_warnings_and_failed_assertions() {
    // actsim checks `filter` for `log`, `log_p`, `log_st`, `log_nl` and `warn` only.
    let design = "
defproc stuck() { bool b; chp { b-; log(\"hidden\"); [b -> skip] } }
defproc checker() { chp { log(\"hidden too\"); assert(false, \"boom\") } }
defproc test() { stuck s; checker k; }
";
    let o = actsim_script(design, &["d.act", "test"], "filter nothing\ncycle\ncycle\n");
    assert_eq!(
        stdout(&o),
        "[                   0] <k>  ASSERTION failed: boom\n\
         [                  20] <s>  Warning: all guards false; no probes/shared vars\n"
    );
}

#[test]
fn a_quoted_word_keeps_one_space_for_each_run_of_blanks_as_actsim_joins_it() {
    let o = run("echo \"a  \t b\" c\n");
    assert_eq!(stdout(&o), "a b c\n");
}

#[test]
fn help_of_exit_or_quit_finds_no_command_as_in_actsim() {
    // actsim's reader lists them under `Builtin` but looks `help CMD` up in the simulator's
    // table, where only `help` and `source` are known by name besides.
    let o = run("help exit\nhelp quit\nhelp help\n");
    assert_eq!(
        stdout(&o),
        "   help [cmd] - print help information/list commands\n"
    );
    assert_eq!(
        stderr_without_substitutions(&o),
        "Error: command `exit' not found\nError: command `quit' not found\n"
    );
}

#[test]
fn a_failed_assertion_under_exit_on_warn_ends_the_session_with_code_2() {
    // actsim's `exit(2)` as the line is printed (a function's assertion does not: not here).
    let design = "
defproc checker() { int<8> x; chp { x := 3; assert(x = 4, \"boom\"); log(\"after\") } }
defproc test() { checker k; }
";
    let o = actsim_script(
        design,
        &["d.act", "test"],
        "exit-on-warn\ncycle\necho not reached\n",
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "[                  10] <k>  ASSERTION failed: boom\n"
    );
    // Without it the run pauses there and the next command goes on.
    let o = actsim_script(design, &["d.act", "test"], "cycle\necho next\ncycle\n");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "[                  10] <k>  ASSERTION failed: boom\nnext\n[                  10] <k>  after\n"
    );
}
