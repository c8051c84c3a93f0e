//! Ctrl-C (README, "The command line"): acted on at once, in the middle of an event that
//! computes for long, between slow events, while the design is read and elaborated, and in
//! `check`; a computation that takes no simulated time is bounded per event.
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::cli::{files_in, BIN, HANG_GUARD};

/// A function whose loop calls another looping four million times: 1.6e13 iterations in one
/// event, unless the iterations of an event are bounded together.
const NESTED_LOOPS: &str = "function inner (int<32> n) : int<32>
{
  int<32> i;
  chp { i := 0; *[ i < 4000000 -> i := i + 1 ]; self := i }
}
function outer (int<32> n) : int<32>
{
  int<32> i, s;
  chp { i := 0; s := 0; *[ i < 4000000 -> s := s + inner(i); i := i + 1 ]; self := s }
}
defproc test()
{
  int<32> x;
  chp { x := outer(1); log(x) }
}
";

/// A function whose iterations each divide 20 000-bit numbers (some microseconds, even in a
/// release build): its loop, within the budget of iterations, computes for a minute or more in
/// one event at time 10, whatever the build's speed.
const SLOW_FUNCTION: &str = "function spin (int<32> n) : int<32>
{
  int<32> i; int<20000> x, y;
  chp { x := ~x; y := (x >> 10000) | 1; i := 0; *[ i < 4000000 -> x := (x / y) * y + x % y; i := i + 1 ]; self := i }
}
defproc test()
{
  int<32> x;
  chp { x := spin(1); log(x) }
}
";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn start(dir: &Path, args: &[&str]) -> Child {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn interrupt(child: &Child) {
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// Waits for `child` to exit and returns its exit code and stderr; kills it and fails if it
/// runs past [`HANG_GUARD`].
fn finish(mut child: Child) -> (Option<i32>, String) {
    let deadline = Instant::now() + HANG_GUARD;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            return (status.code(), err);
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("chpsim still runs {HANG_GUARD:?} later");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn nested_function_loops_share_one_budget_per_event() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "nested.act", NESTED_LOOPS);
    let (code, err) = finish(start(dir.path(), &["run", "nested.act"]));
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("function loops ran 4194304 times in one event"),
        "{err}"
    );
    assert!(
        err.contains("(in function `inner`) (in function `outer`)"),
        "{err}"
    );
}

#[test]
fn ctrl_c_stops_a_computation_that_takes_no_time() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "slow.act", SLOW_FUNCTION);
    let child = start(dir.path(), &["run", "slow.act", "--transcript", "t.out"]);
    std::thread::sleep(Duration::from_millis(500));
    interrupt(&child);
    let (code, err) = finish(child);
    assert_eq!(code, Some(130), "{err}");
    assert!(err.contains("interrupted at time 10"), "{err}");
    let transcript = std::fs::read_to_string(dir.path().join("t.out")).unwrap();
    assert!(
        transcript.ends_with("# interrupted at 10\n"),
        "{transcript}"
    );
    assert!(!transcript.contains("error"), "{transcript}");
    assert_eq!(files_in(dir.path()), ["slow.act", "t.out"]);
}

#[test]
fn ctrl_c_is_acted_on_between_slow_events() {
    // Each event divides 200 000-bit numbers (about a millisecond): the old check, every
    // 65 536 events, came a minute after the signal, at time 655 360 or later.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "slow.act",
        "defproc test()
{
  int<200000> x, y, q;
  chp { x := ~x; y := (x >> 1000) | 1; *[ q := x / y; x := x - 1 ] }
}
",
    );
    let child = start(dir.path(), &["run", "slow.act"]);
    std::thread::sleep(Duration::from_millis(1000));
    interrupt(&child);
    let (code, err) = finish(child);
    assert_eq!(code, Some(130), "{err}");
    let time: u64 = err
        .trim()
        .strip_prefix("interrupted at time ")
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("{err}"));
    assert!(time < 655_360, "{err}");
}

#[test]
fn ctrl_c_while_the_design_is_elaborated_exits_at_once() {
    let dir = tempfile::tempdir().unwrap();
    // Seconds of elaboration in a debug build; its end would print the warnings about the
    // chain's open ends.
    write(
        dir.path(),
        "big.act",
        "defproc buf(chan?(int<8>) L; chan!(int<8>) R) { int<8> x; chp { *[ L?x; R!x ] } }
defproc chain() { buf b[300000]; (i:299999: b[i].R = b[i+1].L;) }
chain top;
",
    );
    let child = start(
        dir.path(),
        &["run", "big.act", "--until", "10", "--vcd", "w.vcd"],
    );
    std::thread::sleep(Duration::from_millis(300));
    interrupt(&child);
    let (code, err) = finish(child);
    assert_eq!(code, Some(130), "{err}");
    assert_eq!(err, "interrupted\n", "the elaboration went on");
    assert_eq!(files_in(dir.path()), ["big.act"]);
}

#[test]
fn ctrl_c_in_check_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "forever.act",
        "// chpsim: --until 100000000000
defproc src(chan!(int<8>) R) { int<8> x; chp { *[ R!x; x := x + 1 ] } }
defproc snk(chan?(int<8>) L) { int<8> y; chp { *[ L?y ] } }
defproc test() { src s; snk k; s.R = k.L; }
",
    );
    let child = start(
        dir.path(),
        &["check", "forever.act", "--junit", "check.xml", "--bless"],
    );
    let started = Instant::now();
    while !files_in(dir.path()).iter().any(|n| n.ends_with(".tmp")) {
        assert!(started.elapsed() < HANG_GUARD);
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    interrupt(&child);
    let (code, err) = finish(child);
    assert_eq!(code, Some(130), "{err}");
    assert_eq!(files_in(dir.path()), ["forever.act", "golden"]);
    assert!(files_in(&dir.path().join("golden")).is_empty());
}

#[test]
fn a_second_ctrl_c_exits_a_run_that_cannot_stop_cleanly() {
    // The transcript goes to a FIFO whose reader never reads: once the pipe is full the run
    // blocks in a write, where the first Ctrl-C (stop at the current time) cannot reach it.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "chatty.act",
        "defproc src(chan!(int<8>) R) { int<8> x; chp { *[ R!x; x := x + 1 ] } }
defproc snk(chan?(int<8>) L) { int<8> y; chp { *[ L?y; log(\"got \", y) ] } }
defproc test() { src s; snk k; s.R = k.L; }
",
    );
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        // Opening a FIFO for reading waits for its writer: open it beside the run.
        std::thread::spawn(move || std::fs::File::open(fifo).unwrap())
    };
    let mut child = start(dir.path(), &["run", "chatty.act", "--transcript", "pipe"]);
    let _unread = reader.join().unwrap();
    std::thread::sleep(Duration::from_millis(500));
    interrupt(&child);
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the first Ctrl-C ended a run blocked in a write"
    );
    interrupt(&child);
    let (code, err) = finish(child);
    assert_eq!(code, Some(130), "{err}");
    assert!(err.ends_with("interrupted\n"), "{err}");
}
