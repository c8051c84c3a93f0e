//! `chpsim actsim` at a terminal (a pseudo-terminal here): actsim's prompt, line editing and
//! history, Tab completion of commands and names, Ctrl-C stopping a running command.
use std::process::Command;

use rexpect::session::{spawn_command, PtySession};

use crate::common::cli::{BIN, HANG_GUARD};

/// A design that never ends, so that `cycle` runs until Ctrl-C.
const FOREVER: &str = "
defproc count() { int<16> n; bool seen; chp { *[ n := n + 1 ]; seen- } }
defproc test() { count counter; }
";

/// Starts `chpsim actsim d.act test` on a terminal, in a folder holding `design`; returns
/// the session and the folder (kept alive as long as the session).
fn prompt(design: &str) -> (PtySession, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.act"), design).unwrap();
    let mut command = Command::new(BIN);
    command
        .args(["actsim", "d.act", "test"])
        .current_dir(dir.path());
    let timeout = HANG_GUARD.as_millis() as u64;
    let mut session = spawn_command(command, Some(timeout)).unwrap();
    session.exp_string("actsim> ").unwrap();
    (session, dir)
}

#[test]
fn the_prompt_runs_commands_and_keeps_a_history() {
    let (mut p, dir) = prompt(FOREVER);
    p.send_line("get counter.n").unwrap();
    p.exp_string("counter.n: 0  (0x0)").unwrap();
    p.exp_string("actsim> ").unwrap();
    p.send_line("help").unwrap();
    p.exp_string("== Running simulation ==").unwrap();
    p.exp_string("actsim> ").unwrap();
    p.send_line("advance 35").unwrap();
    p.exp_string("actsim> ").unwrap();
    p.send_line("get counter.n").unwrap();
    let (_, first) = p.exp_regex(r"counter.n: \d+  \(0x").unwrap();
    p.exp_string("actsim> ").unwrap();
    // Ctrl-P (history back) twice recalls `advance 35`, which runs again: the counter moves on.
    p.send_control('p').unwrap();
    p.send_control('p').unwrap();
    p.exp_string("advance 35").unwrap();
    p.send_line("").unwrap();
    p.exp_string("actsim> ").unwrap();
    p.send_line("get counter.n").unwrap();
    let (_, second) = p.exp_regex(r"counter.n: \d+  \(0x").unwrap();
    assert_ne!(first, second);
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
    let history = std::fs::read_to_string(dir.path().join(".actsim_history")).unwrap();
    assert!(history.contains("advance 35"), "{history}");
}

#[test]
fn tab_completes_commands_and_names() {
    let (mut p, _dir) = prompt(FOREVER);
    p.send("chco\t").unwrap();
    p.flush().unwrap();
    p.exp_string("chcount").unwrap();
    // Clear the line (Ctrl-U), then complete an instance's variable.
    p.send_control('u').unwrap();
    p.send("get counter.se\t").unwrap();
    p.flush().unwrap();
    p.exp_string("counter.seen").unwrap();
    p.send_line("").unwrap();
    p.exp_string("counter.seen: X").unwrap();
    p.send_line("quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn ctrl_c_stops_a_running_command_and_the_prompt_comes_back() {
    let (mut p, _dir) = prompt(FOREVER);
    p.send_line("cycle").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    p.send_control('c').unwrap();
    p.exp_string("*** interrupted").unwrap();
    p.exp_string("actsim> ").unwrap();
    // The run is still there, paused where Ctrl-C stopped it.
    p.send_line("step 2").unwrap();
    p.exp_string("actsim> ").unwrap();
    // Ctrl-C at the prompt only clears the line.
    p.send("get nothing").unwrap();
    p.flush().unwrap();
    p.send_control('c').unwrap();
    p.exp_string("actsim> ").unwrap();
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn at_the_prompt_a_trace_procinfo_and_another_name_of_a_node_work() {
    let design = "
defproc inv(bool? a; bool! out) { prs { a -> out-  ~a -> out+ } }
defproc buf2(bool? i; bool! o) { bool m; inv a(i, m); inv b(m, o); }
defproc count() { int<16> n; chp { *[ n := n + 1 ] } }
defproc test() { bool x, y; buf2 b(x, y); count counter; }
";
    let (mut p, dir) = prompt(design);
    // `b.a.out` is another name of the node `b.m`: completed and found.
    p.send("watch b.a.o\t").unwrap();
    p.flush().unwrap();
    p.exp_string("b.a.out").unwrap();
    p.send_line("").unwrap();
    p.exp_string("actsim> ").unwrap();
    p.send_line("vcd_start w.vcd").unwrap();
    p.exp_string("actsim> ").unwrap();
    p.send_line("set x 0").unwrap();
    p.exp_string("actsim> ").unwrap();
    p.send_line("advance 25").unwrap();
    p.exp_string("b.a.out := 1").unwrap();
    p.exp_string("actsim> ").unwrap();
    p.send_line("procinfo -").unwrap();
    p.exp_string("--- Process: counter [ count<> ] ---")
        .unwrap();
    p.exp_string("t#00: ").unwrap();
    p.exp_string("actsim> ").unwrap();
    p.send_line("vcd_stop").unwrap();
    p.exp_string("actsim> ").unwrap();
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
    let vcd = std::fs::read_to_string(dir.path().join("w.vcd")).unwrap();
    assert!(vcd.contains(" b.a.out $end"), "{vcd}");
}

#[test]
fn tab_completes_an_instance_name_and_the_commands_on_processes_answer_at_the_prompt() {
    let design = "
defproc count() { int<16> n; chp { *[ n := n + 1 ] } }
defproc spin() { chp { *[ skip ] } }
defproc test() { count counter; spin wobbly; }
";
    let (mut p, _dir) = prompt(design);
    // `wobbly` holds no names of its own: the instance's name is the only completion.
    p.send("goto wob\t").unwrap();
    p.flush().unwrap();
    p.exp_string("wobbly").unwrap();
    p.send_line(" top").unwrap();
    p.exp_string(">> goto operation failed; no labels in process!")
        .unwrap();
    p.exp_string("actsim> ").unwrap();
    p.send_line("gc-retry wobbly.n").unwrap();
    p.exp_string("gc-retry: please specify process name")
        .unwrap();
    p.exp_string("actsim> ").unwrap();
    p.send_line("exit").unwrap();
    p.exp_eof().unwrap();
}
