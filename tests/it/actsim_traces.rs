//! actsim's trace commands: `vcd_start FILE` / `vcd_stop`, `trace_start [-fmt] FILE` /
//! `trace_stop [-fmt]`, `lxt2_start` / `lxt2_stop` (refused: chpsim writes VCD), and
//! `timescale`, which sets a tick's length in them.
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::cli::{stderr, BIN};
use crate::common::vcd_check::check_vcd;

/// A producer sending 1, 2, 3 to a consumer that keeps the last in `x` and raises `seen`.
const PAIR: &str = "
defproc prod(chan!(int<8>) R) { int<8> y; chp { y := 4; R!1; R!2; R!3 } }
defproc cons(chan?(int<8>) L) { int<8> x; bool seen; chp { *[ L?x; seen+; log(\"got \", x) ] } }
defproc test() { chan(int<8>) C; prod p(C); cons c(C); }
";

/// Runs `script` on `PAIR` in `dir`.
fn run_in(dir: &Path, script: &str) -> Output {
    run_with(dir, &[], script)
}

/// Runs `script` on `PAIR` in `dir`, with actsim's options `options`.
fn run_with(dir: &Path, options: &[&str], script: &str) -> Output {
    std::fs::write(dir.join("d.act"), PAIR).unwrap();
    let mut child = Command::new(BIN)
        .arg("actsim")
        .args(options)
        .args(["d.act", "test"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    (child.stdin.take().unwrap())
        .write_all(script.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn errors(o: &Output) -> Vec<String> {
    (stderr(o).lines())
        .filter(|l| !l.starts_with("WARNING: "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn vcd_start_traces_what_is_watched_from_then_until_vcd_stop() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        "watch c.x c.seen C\nadvance 25\nvcd_start w.vcd\nwatch p.y\nadvance 40\nvcd_stop\ncycle\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(errors(&o).is_empty(), "{:?}", errors(&o));
    let text = std::fs::read_to_string(dir.path().join("w.vcd")).unwrap();
    let vcd = check_vcd(&text).unwrap();
    assert_eq!(vcd.timescale.as_deref(), Some("10 ps"));
    // Only what was watched when it started; each from its value then.
    let mut names: Vec<String> = vcd.signal_paths().into_iter().map(|(p, _)| p).collect();
    names.sort();
    assert_eq!(names, ["top.C", "top.c.seen", "top.c.x"]);
    // The receive wrote x at 20, in the event that woke it (as actsim does).
    assert_eq!(
        vcd.changes("top.c.x"),
        [(25, "00000001".into()), (50, "00000010".into())]
    );
    assert_eq!(
        vcd.changes("top.c.seen"),
        [(25, "x".into()), (30, "1".into())]
    );
    assert_eq!(vcd.value_at("top.C", 50).as_deref(), Some("00000010"));
    // Stopped at 65: the third value (at 80) is not in it.
    assert_eq!(vcd.last_time(), Some(65));
}

#[test]
fn trace_start_writes_vcd_and_refuses_the_formats_chpsim_does_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        "trace_stop -vcd\nwatch c.x\ntrace_start t.atr\nlxt2_start t.lxt\ntrace_start -lxt2 t.lxt\ntrace_start -foo t\ntrace_start -vcd t.vcd\ntimescale 1000\nvcd_start t2.vcd\ntrace_start\nvcd_stop x\ncycle\nlxt2_stop\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let hint = "for a VCD file (GTKWave reads it), or chpsim's --vcd/--fst";
    assert_eq!(
        errors(&o),
        [
            // No VCD file was started yet: actsim has not loaded the format.
            "trace_stop: no format `vcd' exists.".to_string(),
            format!("trace_start: the ATRACE format is not supported by chpsim; use `trace_start -vcd <file>' {hint}"),
            format!("lxt2_start: the LXT2 format is not supported by chpsim; use `vcd_start <file>' {hint}"),
            format!("trace_start: the LXT2 format is not supported by chpsim; use `trace_start -vcd <file>' {hint}"),
            "trace_start: could not load FOO trace file library".to_string(),
            "vcd_start: closing current VCD file".to_string(),
            "Usage: trace_start [-fmt] <file>".to_string(),
            "Usage: vcd_stop".to_string(),
            "lxt2_stop: could not find LXT2 trace file library".to_string(),
        ]
    );
    assert!(!dir.path().join("t.atr").exists() && !dir.path().join("t.lxt").exists());
    // The second file, with a tick of 1000 ps, is complete at the end of the run.
    let text = std::fs::read_to_string(dir.path().join("t2.vcd")).unwrap();
    let vcd = check_vcd(&text).unwrap();
    assert_eq!(vcd.timescale.as_deref(), Some("1 ns"));
    assert_eq!(vcd.value_at("top.c.x", 80).as_deref(), Some("00000011"));
}

#[test]
fn the_configurations_device_timescale_and_t_set_the_tick_of_trace_files() {
    // actsim's sim.device.timescale (seconds), which -t sets over the file's; `timescale`
    // changes it for the files started after it, and `initialize` goes back to it.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ts.conf"),
        "begin sim\n begin device\n  real timescale 1e-12\n end\nend\n",
    )
    .unwrap();
    let script = "vcd_start a.vcd\nwatch c.x\nadvance 30\nvcd_stop\ntimescale 100\nvcd_start b.vcd\nvcd_stop\ninitialize test<>\nvcd_start c.vcd\nvcd_stop\n";
    let scales = |options: &[&str]| {
        let o = run_with(dir.path(), options, script);
        assert!(errors(&o).is_empty(), "{:?}", errors(&o));
        ["a.vcd", "b.vcd", "c.vcd"].map(|f| {
            let text = std::fs::read_to_string(dir.path().join(f)).unwrap();
            check_vcd(&text).unwrap().timescale.unwrap()
        })
    };
    assert_eq!(scales(&["-cnf=ts.conf"]), ["1 ps", "100 ps", "1 ps"]);
    assert_eq!(
        scales(&["-cnf=ts.conf", "-t", "1e-9"]),
        ["1 ns", "100 ps", "1 ns"]
    );
    assert_eq!(scales(&[]), ["10 ps", "100 ps", "10 ps"]);
}
