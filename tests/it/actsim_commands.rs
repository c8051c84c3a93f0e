//! actsim's commands on a design's state (`get`, `mget`, `set`, `assert`, `chcount`, `watch`
//! of variables and nodes, `break`, `status`, `pending`), its log controls (`filter`,
//! `logfile`, `break-on-warn`, `exit-on-warn`) and its small ones (`echo`, `energy`, `error`).
use std::process::Output;

use crate::common::cli::{actsim_script, stderr, stderr_lines_without_substitutions, stdout};

/// A producer sending 1, 2, 3 to a consumer that keeps the last in `x` and raises `seen`.
const PAIR: &str = "
defproc prod(chan!(int<8>) R) { int<8> y; chp { y := 4; R!1; R!2; R!3 } }
defproc cons(chan?(int<8>) L) { int<8> x; bool seen; chp { *[ L?x; seen+; log(\"got \", x) ] } }
defproc test() { chan(int<8>) C; prod p(C); cons c(C); }
";

/// An inverter between two top-level nodes.
const INVERTER: &str = "
defproc inv(bool? a; bool! y) { prs { a -> y-  ~a -> y+ } }
defproc test() { bool x, y; inv i(x, y); }
";

fn run(design: &str, script: &str) -> Output {
    actsim_script(design, &["d.act", "test"], script)
}

fn lines(o: &Output) -> Vec<String> {
    stdout(o).lines().map(str::to_owned).collect()
}

#[test]
fn get_prints_integers_bools_and_channels_as_actsim() {
    let o = run(
        PAIR,
        "get c.x\nget c.seen\nget C\nadvance 15\nget p.y\ncycle\nget C\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        lines(&o),
        [
            "c.x: 0  (0x0)",
            "c.seen: X",
            "C: idle",
            "p.y: 4  (0x4)",
            "[                  30] <c>  got 1",
            "[                  60] <c>  got 2",
            "[                  90] <c>  got 3",
            "C: waiting receiver",
        ]
    );
}

#[test]
fn get_with_a_second_argument_prints_nothing_and_mget_prints_several() {
    let o = run(PAIR, "get c.x #f\nmget c.x p.y c.seen\nmget c.x C p.y\n");
    assert_eq!(
        lines(&o),
        [
            "c.x: 0  (0x0)",
            "p.y: 0  (0x0)",
            "c.seen: X",
            "c.x: 0  (0x0)",
            "'C' is a channel; not currently supported!",
        ]
    );
}

#[test]
fn set_changes_a_variable_and_a_watched_one_prints_an_env_line() {
    let o = run(
        PAIR,
        "set p.y 9\nget p.y\nwatch p.y\nset p.y 12\nset p.y 12\n",
    );
    assert_eq!(
        lines(&o),
        [
            "p.y: 9  (0x9)",
            "[                   0] <[env]> p.y := 12 (0xc)",
        ]
    );
}

#[test]
fn set_refuses_what_actsim_refuses() {
    let script = "set p.y 256\nset c.seen 7\nset C 1\nset nope 1\nset p.y\n";
    let o = run(PAIR, script);
    assert_eq!(lines(&o), ["'C' is a channel; not currently supported!"]);
    let err = stderr(&o);
    for message in [
        "Value does not fit into variable's bitwidth.",
        "Boolean must be set to either 0, 1, or X",
        "Could not find identifier `nope' within process `test<>'",
        "Usage: set <name> <val>",
    ] {
        assert!(err.contains(message), "{message}: {err}");
    }
}

#[test]
fn a_bool_set_from_the_script_wakes_the_guard_waiting_on_it() {
    let design = "
defproc wait(bool go) { chp { [go]; log(\"went\") } }
defproc test() { bool g; wait w(g); }
";
    let o = run(design, "cycle\nset w.go 1\ncycle\n");
    assert_eq!(
        lines(&o),
        [
            "[                  10] <w>  WARNING: Boolean variable `go' is X",
            "[                  10] <w>  went",
        ]
    );
}

#[test]
fn a_file_scope_bool_shared_by_processes_is_set_by_its_name() {
    // As `Vdd` of `import globals;` connected to enables: no circuit, only CHP copies.
    let design = "
bool en;
defproc wait(bool go) { chp { [go]; log(\"went\") } }
defproc test() { wait w; w.go = en; }
";
    let o = run(design, "set en 1\nget en\ncycle\n");
    assert_eq!(
        lines(&o),
        ["en: 1", "[                  10] <w>  went"],
        "{}",
        stderr(&o)
    );
}

#[test]
fn watched_variables_print_each_change_and_unwatch_stops_them() {
    let o = run(PAIR, "watch c.x c.seen\nadvance 35\nunwatch c.x\ncycle\n");
    let all = lines(&o);
    assert!(
        // Written by the receive, woken at 20 by the send.
        all.contains(&"[                  20] <c>  c.x := 1 (0x1)".to_string()),
        "{all:?}"
    );
    assert!(
        all.contains(&"[                  30] <c>  c.seen := 1".to_string()),
        "{all:?}"
    );
    // `seen+` again does not change it; x is no longer watched.
    assert_eq!(
        all.iter().filter(|l| l.contains(":=")).count(),
        2,
        "{all:?}"
    );
}

#[test]
fn a_value_stored_by_a_receive_that_waited_names_its_sender() {
    // The consumer waits at 20; the sender arrives at 30 and wakes it: actsim's cause of that
    // event is the sender, for the wake-up line and the write alike. The second receive finds
    // the sender waiting, so nothing woke it.
    let design = "
defproc prod(chan!(int<8>) R) { int<8> y; chp { y := 1; y := 2; R!5; R!7 } }
defproc cons(chan?(int<8>) L) { int<8> x; chp { *[ L?x ] } }
defproc test() { chan(int<8>) C; prod p(C); cons c(C); }
";
    let o = run(design, "watch c.x p.y\nadvance 45\n");
    assert_eq!(
        lines(&o),
        [
            "[                  10] <p>  p.y := 1 (0x1)",
            "[                  20] <p>  p.y := 2 (0x2)",
            "[                  30] <c>  c.x := 5 (0x5)   [by p]",
        ],
        "{}",
        stderr(&o)
    );
    let o = run(design, "watch c.x\ncycle\n");
    assert_eq!(
        lines(&o).last().map(String::as_str),
        Some("[                  50] <c>  c.x := 7 (0x7)")
    );
}

#[test]
fn the_party_a_handshake_wakes_prints_its_line_in_its_own_event() {
    // As actsim: the party that arrives prints (and stores) in its event; the one it wakes
    // prints `recv-wakeup` or `send complete` when it goes on, in an event of its own after.
    let design = "
defproc prod(chan!(int<8>) R) { int<8> y; chp { y := 1; y := 2; R!5; R!7 } }
defproc cons(chan?(int<8>) L) { int<8> x; chp { *[ L?x ] } }
defproc test() { chan(int<8>) C; prod p(C); cons c(C); }
";
    let o = run(design, "watch C c.x\nadvance 55\n");
    assert_eq!(
        lines(&o),
        [
            "[                  20] <c>  C: recv-blocked",
            "[                  30] <p>  C : send value: 5 (0x5)",
            "[                  30] <c>  C: recv-wakeup value: 5 (0x5)   [by p]",
            "[                  30] <c>  c.x := 5 (0x5)   [by p]",
            "[                  40] <p>  C : send-blocked value: 7 (0x7)",
            "[                  50] <c>  C: recv value: 7 (0x7)",
            "[                  50] <c>  c.x := 7 (0x7)",
            "[                  50] <p>  C : send complete   [by c]",
        ],
        "{}",
        stderr(&o)
    );
    // An exchange's sender, woken, stores the reply as the receiver's doing.
    let design = "
defproc client(chan!(int<8>, int<8>) R) { int<8> r; chp { R!3?r } }
defproc server(chan?(int<8>, int<8>) L) { int<8> x, y; chp { y := 1; L?x!(x + 10) } }
defproc test() { chan(int<8>, int<8>) C; client k(C); server s(C); }
";
    let o = run(design, "watch k.r\ncycle\n");
    assert_eq!(
        lines(&o),
        ["[                  20] <k>  k.r := 10 (0xa)   [by s]"]
    );
}

#[test]
fn an_exchange_s_sender_stores_the_reply_before_its_own_line() {
    // actsim's sender stores the reply, then prints its `send` line: whether it waited
    // (`send complete`, in its own event) or came second (`send value`). The reply is what
    // the receiver computed before it received (x is still 0).
    let server = |first: &str| {
        format!(
            "
defproc client(chan!(int<8>, int<8>) R) {{ int<8> r, y; chp {{ {client} }} }}
defproc server(chan?(int<8>, int<8>) L) {{ int<8> x, y; chp {{ {first} }} }}
defproc test() {{ chan(int<8>, int<8>) C; client k(C); server s(C); }}
",
            client = if first.starts_with('y') {
                "R!3?r"
            } else {
                "y := 1; R!3?r"
            },
        )
    };
    let o = run(&server("y := 1; L?x!(x + 10)"), "watch C k.r\ncycle\n");
    assert_eq!(
        lines(&o),
        [
            "[                  10] <k>  C : send-blocked value: 3 (0x3)",
            "[                  20] <s>  C: recv value: 3 (0x3)",
            "[                  20] <k>  k.r := 10 (0xa)   [by s]",
            "[                  20] <k>  C : send complete   [by s]",
        ],
        "{}",
        stderr(&o)
    );
    let o = run(&server("L?x!(x + 10)"), "watch C k.r\ncycle\n");
    assert_eq!(
        lines(&o),
        [
            "[                  10] <s>  C: recv-blocked",
            "[                  20] <k>  k.r := 10 (0xa)",
            "[                  20] <k>  C : send value: 3 (0x3)",
            "[                  20] <s>  C: recv-wakeup value: 3 (0x3)   [by k]",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn only_the_woken_event_s_writes_name_the_sender() {
    // `c` waits from 10; `p` sends at 20 and wakes it: `x` names `p`. `y`'s writes come in
    // `c`'s later events, which nothing woke: no cause, as in actsim.
    let design = "
defproc prod(chan!(int<8>) R) { int<8> a; chp { a := 1; R!5 } }
defproc cons(chan?(int<8>) L) { int<8> x, y; chp { L?x; y := 1; y := 2 } }
defproc test() { chan(int<8>) C; prod p(C); cons c(C); }
";
    let o = run(design, "watch c.x c.y\ncycle\n");
    assert_eq!(
        lines(&o),
        [
            "[                  20] <c>  c.x := 5 (0x5)   [by p]",
            "[                  30] <c>  c.y := 1 (0x1)",
            "[                  40] <c>  c.y := 2 (0x2)",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_set_between_commands_wakes_a_process_at_the_time_the_run_stopped() {
    // `advance 15` stops the clock at 15, short of `b`'s event at 20: the guard `set` makes
    // true goes on at 15, not at that next event.
    let design = "
defproc w(bool x) { int<4> n; chp { [x]; n := 1 } }
defproc t2() { int<4> m; chp { m := 1; m := 2; m := 3 } }
defproc test() { bool x; w a(x); t2 b; }
";
    let o = run(
        design,
        "set a.x 0\nwatch a.n\nadvance 15\nset a.x 1\ncycle\n",
    );
    assert_eq!(
        lines(&o),
        ["[                  25] <a>  a.n := 1 (0x1)"],
        "{}",
        stderr(&o)
    );
}

#[test]
fn chcount_counts_completed_handshakes() {
    let o = run(
        PAIR,
        "chcount C\ncycle\nchcount C\nchcount C #f\nchcount c.x\n",
    );
    let all = lines(&o);
    assert_eq!(all[0], "Channel C: completed actions 0");
    assert_eq!(all.last().unwrap(), "Channel C: completed actions 3");
    assert!(stderr(&o).contains("c.x: is not of channel type"));
}

#[test]
fn a_breakpoint_pauses_the_run_and_the_next_command_goes_on() {
    let o = run(
        PAIR,
        "break c.x\ncycle\nget c.x\nbreak c.x\ncycle\nget c.x\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let all = lines(&o);
    // The receive writes x at 20, in the event that woke it: that event runs to its end,
    // then the run pauses.
    assert_eq!(all[0], "[                  20] <c>  *** breakpoint c.x");
    assert_eq!(all[1], "c.x: 1  (0x1)");
    assert_eq!(all[2], "[                  30] <c>  got 1");
    // The breakpoint is toggled off: the run goes to its end.
    assert_eq!(all.last().unwrap(), "c.x: 3  (0x3)");
}

#[test]
fn nodes_are_set_read_watched_and_listed_by_status() {
    let script = "watch y\nstatus X\nset x 1\ncycle\nget y\nstatus 0\nbreak y\nset x 0\ncycle\n";
    let o = run(INVERTER, script);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        lines(&o),
        [
            "i { y }",
            "[                  10] <i>  y := 0",
            "y: 0",
            "i { y }",
            "[                  20] <i>  y := 1",
            "[                  20] <i>  *** breakpoint y",
        ]
    );
}

#[test]
fn assert_compares_and_warns_and_exit_on_warn_makes_it_fatal() {
    let o = run(PAIR, "assert p.y 0\nassert p.y 3\nassert C 0\nassert C 3\n");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        lines(&o),
        [
            "Warning: WRONG ASSERT:\t\"p.y\" has value 0and not3",
            "Warning: WRONG ASSERT:\t\"C\" has state 0 (idle) and not 3.",
        ]
    );
    let o = run(PAIR, "exit-on-warn\nassert p.y 3\necho after\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(!stdout(&o).contains("after"));
}

#[test]
fn filter_keeps_the_log_lines_of_matching_instances_and_logfile_moves_them() {
    let design = "
defproc talk() { chp { log(\"hello\") } }
defproc test() { talk a, bb; }
";
    let o = run(design, "filter b+\ncycle\n");
    assert_eq!(lines(&o), ["[                   0] <bb>  hello"]);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("run.log");
    let o = run(design, &format!("logfile {}\ncycle\n", log.display()));
    assert_eq!(lines(&o), Vec::<String>::new());
    let written = std::fs::read_to_string(&log).unwrap();
    assert_eq!(written.lines().count(), 2, "{written}");
}

#[test]
fn break_on_warn_pauses_at_a_warning_and_exit_on_warn_exits_with_2() {
    let design = "defproc test() { int x; chp { warn(\"careful\"); x := 1; log(\"after\") } }";
    let o = run(design, "break-on-warn\ncycle\necho paused\ncycle\n");
    assert_eq!(lines(&o), ["paused", "[                  10] <>  after"]);
    let o = run(design, "exit-on-warn\ncycle\necho more\n");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(lines(&o), Vec::<String>::new());
    assert!(stderr(&o).contains("WARNING: careful"));
}

#[test]
fn filter_hides_the_warnings_of_other_instances_and_they_do_not_stop_the_run() {
    let design = "defproc w() { int x; chp { warn(\"careful\"); x := 1; log(\"after\") } }
        defproc test() { w aa, bb; }";
    let o = run(
        design,
        "filter b+\nbreak-on-warn\ncycle\necho paused\ncycle\n",
    );
    assert_eq!(lines(&o), ["paused", "[                  10] <bb>  after"]);
    assert_eq!(stderr(&o).matches("WARNING: careful").count(), 1);
}

#[test]
fn echo_energy_pending_and_error() {
    let o = run(
        PAIR,
        "echo a  b\necho -n x\necho y\nenergy -\npending\ncycle\nexit\n",
    );
    assert_eq!(
        lines(&o),
        [
            "a b",
            "xy",
            "Total: 0  (0 W); area: 0",
            "Current time: 0",
            "Pending events: 2",
            "[                  30] <c>  got 1",
            "[                  60] <c>  got 2",
            "[                  90] <c>  got 3",
        ]
    );
    // actsim's `error` prints its message and goes on, as a failed command does: the next
    // command runs and the exit code stays 0.
    let o = run(PAIR, "error \"stop here\"\necho reached\n");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr_lines_without_substitutions(&o), ["ERROR: stop here"]);
    assert_eq!(stdout(&o), "reached\n");
}

#[test]
fn help_lists_every_command_in_actsims_sections() {
    let o = run(PAIR, "help\n");
    let out = stdout(&o);
    for word in [
        "== Builtin ==\n   help [cmd] - print help information/list commands\n",
        "\n\n== Running simulation ==",
        "   get <name> [#f] - get value",
        "   break-on-warn - stop simulation on warning",
        "   status 0|1|X",
        "   coverage <filename>",
        "   logfile <file>",
    ] {
        assert!(out.contains(word), "{word}: {out}");
    }
}

#[test]
fn outputs_of_chpsim_run_are_written_in_actsim_mode_too() {
    let dir = tempfile::tempdir().unwrap();
    let (vcd, transcript) = (dir.path().join("w.vcd"), dir.path().join("t.txt"));
    let o = actsim_script(
        PAIR,
        &[
            "--vcd",
            vcd.to_str().unwrap(),
            "--transcript",
            transcript.to_str().unwrap(),
            "d.act",
            "test",
        ],
        "cycle\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&vcd)
        .unwrap()
        .contains("$enddefinitions"));
    assert!(std::fs::read_to_string(&transcript)
        .unwrap()
        .contains("got 3"));
}

/// Two inverters inside a buffer, its ports joined to the top's nodes; and the globals.
const BUFFER: &str = "
import globals;
defproc inv(bool? a; bool! y) { prs { a -> y-  ~a -> y+ } }
defproc buf2(bool? i; bool! o) { bool m; inv a(i, m); inv b(m, o); }
defproc test() { bool x, y; buf2 b(x, y); }
";

#[test]
fn a_node_is_found_by_any_of_its_names_and_globals_by_theirs() {
    let o = run(
        BUFFER,
        "set Vdd 1\nset GND 0\nget Vdd\nget GND\nwatch b.o\nset b.i 0\ncycle\nget x\nget b.a.y\nget b.b.a\nget y\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o)
            .lines()
            .filter(|l| l.contains("Could not"))
            .count(),
        0,
        "{}",
        stderr(&o)
    );
    assert_eq!(
        lines(&o),
        [
            "Vdd: 1",
            "GND: 0",
            "[                  20] <b.b>  b.o := 0",
            "x: 0",
            "b.a.y: 1",
            "b.b.a: 1",
            "y: 0",
        ]
    );
}

#[test]
fn a_bool_two_processes_share_is_watched_as_one_under_the_last_name_by_its_writer() {
    // No rule reads `s`, so it is no node: each process holds a copy. actsim keeps one place
    // for it, so a watch under either name is the same watch (the last name given wins) and a
    // write prints one line, in the writer's name.
    let design = "
defproc a(bool! x) { chp { x+; x- } }
defproc b(bool? x) { chp { [x]; log(\"saw\") } }
defproc test() { bool s; a p(s); b q(s); }
";
    let o = run(design, "watch p.x\nwatch q.x\ncycle\n");
    assert_eq!(
        lines(&o),
        [
            "[                  10] <p>  q.x := 1",
            "[                  10] <q>  saw",
            "[                  20] <p>  q.x := 0",
        ]
    );
    let o = run(design, "watch q.x\nunwatch p.x\nbreak q.x\ncycle\n");
    assert_eq!(
        lines(&o),
        ["[                  10] <p>  *** breakpoint q.x"]
    );
}

#[test]
fn source_runs_a_script_file_and_help_names_one_command() {
    // actsim's command reader's builtins: `source FILE [N]` (a file being read already is
    // refused), `help CMD`, and `exit` with words after it.
    let dir = tempfile::tempdir().unwrap();
    let (outer, inner) = (dir.path().join("outer.scr"), dir.path().join("inner.scr"));
    let (outer, inner) = (outer.to_str().unwrap(), inner.to_str().unwrap());
    std::fs::write(outer, format!("echo outer\nsource {inner}\n")).unwrap();
    std::fs::write(inner, format!("get c.x\nsource {outer}\n")).unwrap();
    let o = run(
        PAIR,
        &format!(
            "source {outer} 2\nsource missing.scr\nhelp step\nhelp source\nhelp nothing\nexit now\necho not reached\n"
        ),
    );
    assert_eq!(
        stdout(&o),
        "outer\nc.x: 0  (0x0)\nouter\nc.x: 0  (0x0)\n\
         \x20  step [n] - run the next [n] events\n\
         \x20  source <filename> [<repeat-count>] - read in a script file\n\n"
    );
    let errors = stderr_lines_without_substitutions(&o);
    let recursive = format!("Error: recursive source command for file `{outer}'");
    assert_eq!(
        errors,
        [
            recursive.as_str(),
            &recursive,
            "Error: could not open file `missing.scr' for reading",
            "Error: command `nothing' not found",
            "Trailing garbage ignored, terminating anyway",
        ]
    );
    // `exit` inside a sourced file ends the session.
    std::fs::write(inner, "echo last\nexit\n").unwrap();
    let o = run(PAIR, &format!("source {inner}\necho not reached\n"));
    assert_eq!(stdout(&o), "last\n");
}

#[test]
fn a_name_is_looked_for_inside_the_deepest_instance_it_names_as_actsim_does() {
    // actsim walks a name down the instances, then looks for the rest in that instance's
    // process (its type as ACT expands it); an array's name needs an index within it; an
    // instance's whole name is no value and gets no message; an index is read as `atoi`.
    let design = "
defproc cons(chan?(int<8>) L) { int<8> x; int<72> w; int<8> mem[4]; chp { *[ L?x ]; w := 0; mem[x] := 0 } }
defproc prod(chan!(int<8>) R) { chp { R!3 } }
defproc test() { chan(int<8>) C; prod p(C); cons c(C); }
";
    let o = run(
        design,
        "get zz\nget c.zz\nget q.x\nget c.mem\nget c.mem[9]\nget c\nset c.mem[01] 7\n\
         get c.mem[1]\nset c.w \"0x10000000000000005\"\nget c.w\nmget c.w\ntrace_stop a b\n",
    );
    assert_eq!(
        lines(&o),
        [
            "c.mem[1]: 7  (0x7)",
            "c.w: 18446744073709551621  (0x10000000000000005)",
            // actsim's `mget` prints an integer's first 64-bit word.
            "c.w: 5  (0x5)",
        ]
    );
    let err = stderr_lines_without_substitutions(&o);
    assert_eq!(
        err,
        [
            "Could not find identifier `zz' within process `test<>'",
            "Could not find identifier `zz' within process `cons<>'",
            "Could not find identifier `q.x' within process `test<>'",
            "Array index is missing/out of bounds in `mem'!",
            "Array index is missing/out of bounds in `mem[9]'!",
            "Usage: [-fmt] trace_stop",
        ]
    );
}
