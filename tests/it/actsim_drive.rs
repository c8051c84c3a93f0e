//! actsim's commands that change the course of a run: `send`/`recv` (the command line drives a
//! channel end nothing in the design holds), `skip-comm`, `gc-retry` and `goto`; each with
//! actsim's messages for bad arguments, after which the next command is read.
use std::process::Output;

use crate::common::cli::{actsim_script, command_messages, stderr, stdout};

/// A consumer on the top's open input `IN` and a producer on its open output `OUT`.
const OPEN_PORTS: &str = "
defproc prod(chan!(int<8>) R) { int<8> y; chp { y := 4; R!1; R!2; R!3 } }
defproc cons(chan?(int<8>) L) { int<8> x; chp { *[ L?x; log(\"got \", x) ] } }
defproc test(chan?(int<8>) IN; chan!(int<8>) OUT) { cons c(IN); prod p(OUT); }
";

/// A producer that sends twice to a consumer that receives once, then waits on the top's
/// open input.
const ONE_SHORT: &str = "
defproc prod(chan!(int<8>) R) { chp { R!1; R!2; log(\"sent all\") } }
defproc cons(chan?(int<8>) L; chan?(int<8>) M) {
  int<8> x;
  chp { L?x; log(\"got \", x); M?x; log(\"then \", x) }
}
defproc test(chan?(int<8>) IN) { chan(int<8>) C; prod p(C); cons c(C, IN); }
";

/// A guard on a variable nothing shares (stuck: actsim's `gc-retry` case), then a labelled
/// statement `top` and another stuck guard; a process with a label and two threads, and one
/// without labels.
const LABELS: &str = "
defproc flag() {
  int<8> n;
  chp { n := 1; [ n = 2 -> log(\"n is two\") ]; top: log(\"at top \", n); n := n + 1; [ n > 100 -> skip ] }
}
defproc pair() { int<8> a, b; chp { a := 1, l: b := 2 } }
defproc plain() { int<8> z; chp { z := 1 } }
defproc test() { flag f; pair q; plain r; }
";

fn run(design: &str, script: &str) -> Output {
    actsim_script(design, &["d.act", "test"], script)
}

fn lines(o: &Output) -> Vec<String> {
    stdout(o).lines().map(str::to_owned).collect()
}

#[test]
fn send_offers_a_value_on_an_input_nothing_drives() {
    let o = run(
        OPEN_PORTS,
        "send IN 5\nsend IN 6\ncycle\nsend IN 0x7\ncycle\nget c.x\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        lines(&o),
        [
            "[                  20] <c>  got 5",
            "[                  40] <c>  got 7",
            "c.x: 7  (0x7)",
        ]
    );
    // The second send came while the first still waited for the receiver.
    assert_eq!(
        command_messages(&o),
        ["send: the previous send on `IN' still waits for its receiver"]
    );
}

#[test]
fn a_watched_channel_shows_the_command_lines_send_as_envs() {
    let o = run(OPEN_PORTS, "watch IN\nsend IN 5\ncycle\n");
    assert_eq!(
        lines(&o),
        [
            "[                   0] <[env]>  IN : send-blocked value: 5 (0x5)",
            "[                  20] <c>  IN: recv value: 5 (0x5)",
            // The command line's send goes on in an event of its own, after c's log.
            "[                  20] <c>  got 5",
            "[                  20] <[env]>  IN : send complete   [by c]",
            "[                  40] <c>  IN: recv-blocked",
        ]
    );
}

#[test]
fn send_refuses_what_it_cannot_send_and_the_next_command_is_read() {
    let o = run(
        OPEN_PORTS,
        "send IN\nsend IN 300\nsend IN -1\nsend IN five\nsend c.x 3\nsend zz 1\nsend OUT 1\necho next\n",
    );
    assert_eq!(
        command_messages(&o),
        [
            "Usage: send <chan> <val>",
            "Value does not fit into channel's bitwidth.",
            "Integers are unsigned.",
            "Usage: send <chan> <val>",
            "'c.x' is not a channel",
            "Could not find identifier `zz' within process `test<>'",
            "send: the sending end of `OUT' is held by the design (or nothing holds its other end)",
        ]
    );
    assert_eq!(lines(&o), ["next"]);
}

#[test]
fn recv_takes_values_from_an_output_nothing_receives_and_prints_them() {
    let o = run(
        OPEN_PORTS,
        "recv OUT\nrecv OUT\ncycle\nrecv OUT #f\ncycle\nrecv OUT\ncycle\nrecv\nrecv IN\necho next\n",
    );
    assert_eq!(
        lines(&o),
        [
            "[                  20] <[env]> recv OUT: 1 (0x1)",
            "[                  40] <[env]> recv OUT: 3 (0x3)",
            "next",
        ]
    );
    assert_eq!(
        command_messages(&o),
        [
            "recv: the previous recv on `OUT' still waits for its sender",
            "Usage: recv <chan> [#f]",
            "recv: the receiving end of `IN' is held by the design (or nothing holds its other end)",
        ]
    );
}

#[test]
fn skip_comm_lets_a_waiting_sender_or_receiver_go_on_without_its_party() {
    let o = run(
        ONE_SHORT,
        "cycle\nget C\nskip-comm p.R\ncycle\nget IN\nskip-comm c.M\ncycle\nget c.x\n",
    );
    assert_eq!(
        lines(&o),
        [
            "[                  10] <c>  got 1",
            "C: waiting sender",
            "[                  20] <p>  sent all",
            "IN: waiting receiver",
            // The skipped receive leaves `x` as it was.
            "[                  20] <c>  then 1",
            "c.x: 1  (0x1)",
        ]
    );
}

#[test]
fn a_skipped_party_prints_its_watch_line_and_a_skipped_send_counts() {
    // As actsim: the party moved on prints the line a handshake would have made it print, with
    // no cause; a sender's counts as a completed action, a receiver's does not, and shows the
    // value last handed to a receiver that waited (0 when none was).
    let o = run(
        ONE_SHORT,
        "watch C IN\ncycle\nskip-comm p.R\ncycle\nchcount C\nskip-comm c.M\ncycle\nchcount IN\n",
    );
    let out = lines(&o);
    let after_first_cycle = out
        .iter()
        .position(|l| l.contains("C : send-blocked value: 2"));
    let rest = &out[after_first_cycle.expect("p waits to send 2") + 1..];
    assert_eq!(
        rest,
        [
            "[                  20] <c>  IN: recv-blocked",
            // The watched send's trace event (a tick after its line) ended the cycle at 21.
            "[                  21] <p>  C : send complete",
            "[                  21] <p>  sent all",
            "Channel C: completed actions 2",
            "[                  22] <c>  IN: recv-wakeup value: 0 (0x0)",
            "[                  22] <c>  then 1",
            "Channel IN: completed actions 0",
        ],
        "{out:?}\n{}",
        stderr(&o)
    );
    // A receiver that waited was handed 7; skipped when it waits again, it shows 7.
    let design = "
defproc prod(chan!(int<8>) R) { int<8> y; chp { y := 1; y := 2; R!7 } }
defproc cons(chan?(int<8>) L) { int<8> x; chp { *[ L?x; log(\"got \", x) ] } }
defproc test() { chan(int<8>) C; prod p(C); cons c(C); }
";
    let o = run(design, "watch C\ncycle\nskip-comm c.L\nstep 2\n");
    assert_eq!(
        lines(&o),
        [
            "[                  20] <c>  C: recv-blocked",
            "[                  30] <p>  C : send value: 7 (0x7)",
            "[                  30] <c>  C: recv-wakeup value: 7 (0x7)   [by p]",
            "[                  30] <c>  got 7",
            "[                  50] <c>  C: recv-blocked",
            "[                  50] <c>  C: recv-wakeup value: 7 (0x7)",
            "[                  50] <c>  got 7",
        ],
        "{}",
        stderr(&o)
    );
    // actsim keeps an exchange's reply in the same place when the receiver found the sender
    // waiting: a receiver skipped later shows that reply (10, computed while x was 0).
    let design = "
defproc client(chan!(int<8>, int<8>) R) { int<8> r; chp { R!3?r } }
defproc server(chan?(int<8>, int<8>) L) { int<8> x, y; chp { y := 1; L?x!(x + 10); L?x!x } }
defproc test() { chan(int<8>, int<8>) C; client k(C); server s(C); }
";
    let o = run(design, "watch C\ncycle\nskip-comm s.L\ncycle\n");
    assert_eq!(
        lines(&o),
        [
            "[                  10] <k>  C : send-blocked value: 3 (0x3)",
            "[                  20] <s>  C: recv value: 3 (0x3)",
            "[                  20] <k>  C : send complete   [by s]",
            "[                  30] <s>  C: recv-blocked",
            "[                  30] <s>  C: recv-wakeup value: 10 (0xa)",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn skip_comm_says_what_actsim_says_when_it_cannot_skip() {
    let o = run(
        ONE_SHORT,
        "skip-comm\nskip-comm zz\nskip-comm c.x\nskip-comm C\nskip-comm p.R\ncycle\nskip-comm c.L\necho next\n",
    );
    assert_eq!(
        command_messages(&o),
        [
            "Usage: skip-comm <name>",
            "Could not find identifier `zz' within process `test<>'",
            "skip-comm: only supported for CHP/HSE components",
        ]
    );
    assert_eq!(
        lines(&o),
        [
            "skip-comm: 'c.x' is a not a channel!",
            "skip-comm: channel `p.R' is not in a state where it can be skipped.",
            "[                  10] <c>  got 1",
            "c.L: state is waiting-send; use this command for the sending process.",
            "next",
        ]
    );
}

#[test]
fn gc_retry_evaluates_guards_that_had_nothing_to_wait_on() {
    // `set` alone does not wake the guard (nothing shares `n`); `gc-retry` does.
    let o = run(LABELS, "cycle\nset f.n 2\ncycle\ngc-retry f\ncycle\n");
    assert_eq!(
        lines(&o),
        [
            "[                  20] <f>  Warning: all guards false; no probes/shared vars",
            "[                  20] <f>  n is two",
            "[                  20] <f>  at top 2",
            "[                  40] <f>  Warning: all guards false; no probes/shared vars",
        ]
    );
}

#[test]
fn gc_retry_says_what_actsim_says_for_a_name_that_is_no_process() {
    let o = run(
        LABELS,
        "gc-retry\ngc-retry zz\ngc-retry f.n\ngc-retry f g\necho next\n",
    );
    assert_eq!(
        command_messages(&o),
        [
            "Usage: gc-retry <name>",
            // actsim looks for `zz` inside the top process, whose object always exists.
            "gc-retry: please specify process name",
            "gc-retry: please specify process name",
            "Usage: gc-retry <name>",
        ]
    );
    assert_eq!(lines(&o), ["next"]);
    // An instance running production rules has no guards to retry; one that runs nothing of
    // its own (its instances do) is a process with no thread, and nothing is said.
    let design = "
defproc inv(bool? a; bool! b) { prs { a => b- } }
defproc plain() { int<8> z; chp { z := 1 } }
defproc two() { plain p; inv i; }
defproc test() { two t; }
";
    let o = run(
        design,
        "gc-retry t.i\ngc-retry t\ngc-retry t.p\necho next\n",
    );
    assert_eq!(
        command_messages(&o),
        ["gc-retry: only supported for CHP/HSE components"]
    );
    assert_eq!(lines(&o), ["next"]);
}

#[test]
fn goto_moves_a_single_thread_to_a_label() {
    let o = run(LABELS, "cycle\ngoto f top\ncycle\ngoto f top\nstep\n");
    assert_eq!(
        lines(&o),
        [
            "[                  20] <f>  Warning: all guards false; no probes/shared vars",
            "[                  20] <f>  at top 1",
            "[                  40] <f>  Warning: all guards false; no probes/shared vars",
            "[                  40] <f>  at top 2",
        ]
    );
}

#[test]
fn goto_before_the_run_or_during_a_delay_keeps_the_event_the_thread_has_scheduled() {
    // Before anything ran, f's first event (n := 1, at 10) runs the labelled log instead.
    let o = run(LABELS, "goto f top\ncycle\ngoto q l\n");
    assert_eq!(
        lines(&o),
        [
            "[                  10] <f>  at top 0",
            "[                  30] <f>  Warning: all guards false; no probes/shared vars",
        ]
    );
    // q has ended: no thread is left to move.
    assert_eq!(
        command_messages(&o),
        [">> goto operation failed; no active program counter?"]
    );
    // Waiting out its delay (n := n + 1, due at 40), f jumps back to the log, which runs at 40.
    let design = "
defproc count() {
  int<8> n;
  chp { top: log(\"at \", n); n := n + 1; n := n + 1; log(\"end \", n) }
}
defproc test() { count c; }
";
    let o = run(design, "advance 15\ngoto c top\ncycle\n");
    assert_eq!(
        lines(&o),
        [
            "[                   0] <c>  at 0",
            "[                  20] <c>  at 1",
            "[                  40] <c>  end 3",
        ]
    );
}

#[test]
fn goto_says_what_actsim_says_when_it_cannot_jump() {
    let o = run(
        LABELS,
        "goto\ngoto a b c\ngoto zz top\ngoto top\ngoto f nowhere\ngoto r top\nadvance 5\ngoto q l\necho next\n",
    );
    assert_eq!(
        command_messages(&o),
        [
            "Usage: goto [<inst-name>] <label>",
            "Usage: goto [<inst-name>] <label>",
            "Could not find instance `zz'",
            // Without an instance, the top process, which has no CHP here.
            "Instance `top' is not a CHP process.",
            ">> goto operation failed; label `nowhere' does not exist!",
            ">> goto operation failed; no labels in process!",
            ">> goto operation failed; multiple (2) active threads of execution.",
        ]
    );
    assert_eq!(lines(&o), ["next"]);
}

#[test]
fn a_name_act_cannot_read_gets_actsims_parse_message() {
    // ACT reads an index as `[` digits `]`; anything else in brackets is no identifier.
    let o = run(
        ONE_SHORT,
        "gc-retry c[x]\ngc-retry zz\nskip-comm p.R[\nget c.x[1]y\nskip-comm p[0].R\necho next\n",
    );
    assert_eq!(
        command_messages(&o),
        [
            // actsim's gc-retry message has no newline: the next message follows on its line.
            "gc-retry: could not parse `c[x]' into an identifiergc-retry: please specify process name",
            "Could not parse `p.R[' into an identifier",
            "Could not parse `c.x[1]y' into an identifier",
            "Could not find identifier `p[0].R' within process `test<>'",
        ]
    );
    assert_eq!(lines(&o), ["next"]);
}
