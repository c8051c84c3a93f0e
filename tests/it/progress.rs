//! The progress display: on a terminal for long runs, never in piped output or with --quiet.
use std::process::Command;

use crate::common::skip;

/// The benchmark's pipeline with `tokens` tokens through 50 buffers.
fn long_design(dir: &std::path::Path, tokens: u32) -> std::path::PathBuf {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/pipeline.act"))
            .unwrap();
    let path = dir.join("long.act");
    std::fs::write(&path, format!("{text}pipeline<50, {tokens}> top;\n")).unwrap();
    path
}

fn has_terminal_control(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| b == b'\r' || b == 0x1b)
}

#[test]
fn piped_output_has_no_progress_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let design = long_design(dir.path(), 10_000);
    let out = Command::new(env!("CARGO_BIN_EXE_chpsim"))
        .arg("run")
        .arg(&design)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        !has_terminal_control(&out.stderr),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!has_terminal_control(&out.stdout));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains(" t="), "{stderr}");
    // The final summary is there, once.
    assert_eq!(stderr.matches("end at time ").count(), 1, "{stderr}");
    assert!(stderr.contains("510000 handshakes"), "{stderr}");
}

/// Runs `chpsim ARGS` under `script`, which gives it a pseudo-terminal, and sends it Ctrl-C
/// after `seconds`: the runs below would go on for minutes, so that the display shows however
/// fast the build is. What the terminal received; `None` without `script`.
fn on_a_terminal(args: &str, seconds: u32) -> Option<Vec<u8>> {
    // A known size: the bar is drawn to fit the terminal.
    let command = format!(
        "stty cols 120 rows 50; {} {args} & sleep {seconds}; kill -INT $!; wait $!",
        env!("CARGO_BIN_EXE_chpsim")
    );
    // The exit code is the interrupted run's (130).
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .ok()?;
    Some(out.stdout)
}

/// A run that goes on for hours unless interrupted: 2 000 000 000 tokens through 50 buffers.
const ENDLESS: u32 = 2_000_000_000;

#[test]
fn a_terminal_shows_the_spinner_and_quiet_hides_it() {
    let dir = tempfile::tempdir().unwrap();
    let design = long_design(dir.path(), ENDLESS);
    let Some(shown) = on_a_terminal(&format!("run {}", design.display()), 2) else {
        skip::skipped("`script` (util-linux) is not installed, no pseudo-terminal to test with");
        return;
    };
    let text = String::from_utf8_lossy(&shown);
    assert!(
        text.contains(" handshakes, ") && text.contains(" M/s"),
        "{text}"
    );
    assert!(has_terminal_control(&shown));
    let quiet = on_a_terminal(&format!("run --quiet {}", design.display()), 2).unwrap();
    assert!(
        !String::from_utf8_lossy(&quiet).contains(" M/s"),
        "{}",
        String::from_utf8_lossy(&quiet)
    );
}

/// The screen a terminal shows after `bytes` (tall enough that nothing scrolls away).
fn screen(bytes: &[u8]) -> String {
    let size = |n| std::num::NonZeroU16::new(n).unwrap();
    let mut parser = vt100::Parser::new(size(20_000), size(120), 0);
    // A pseudo-terminal turns each "\n" into "\r\n" already.
    parser.process(bytes);
    parser.screen().contents()
}

#[test]
fn log_lines_go_above_the_bar_and_the_bar_is_cleared_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("ticks.act");
    // A log line every 20000 iterations, for hours.
    std::fs::write(
        &design,
        "defproc test() { int<48> x; chp { *[ x := x + 1; [ x % 20000 = 0 -> log(\"tick \", x) [] else -> skip ] ] } }\n",
    )
    .unwrap();
    let until = "--until 1000000000000";
    let Some(shown) = on_a_terminal(&format!("run {} {until}", design.display()), 3) else {
        skip::skipped("`script` (util-linux) is not installed, no pseudo-terminal to test with");
        return;
    };
    assert!(
        String::from_utf8_lossy(&shown).contains(" t="),
        "the bar was never drawn: {}",
        String::from_utf8_lossy(&shown)
    );
    let text = screen(&shown);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    // Every log line, in order, then the end of the run: no copy of the bar between them, and
    // none left at the end.
    let ticks: Vec<&&str> = lines.iter().filter(|l| l.contains("<>  tick ")).collect();
    assert!(!ticks.is_empty(), "{text}");
    for (i, tick) in ticks.iter().enumerate() {
        assert!(
            tick.ends_with(&format!("<>  tick {}", 20_000 * (i + 1))),
            "{text}"
        );
    }
    assert!(
        lines
            .iter()
            .all(|l| !l.contains(" t=") && !l.contains("M/s")),
        "{text}"
    );
    assert!(
        lines.last().unwrap().starts_with("interrupted at time "),
        "{text}"
    );
}

#[test]
fn many_log_lines_redraw_the_bar_at_a_fixed_rate() {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("chatty.act");
    // A log line every event, for hours.
    std::fs::write(
        &design,
        "defproc test() { int<48> x; chp { *[ x := x + 1; log(\"tick \", x) ] } }\n",
    )
    .unwrap();
    let until = "--until 1000000000000";
    let Some(shown) = on_a_terminal(&format!("run {} {until}", design.display()), 3) else {
        skip::skipped("`script` (util-linux) is not installed, no pseudo-terminal to test with");
        return;
    };
    let raw = String::from_utf8_lossy(&shown);
    let draws = raw.matches(" M/s").count();
    let lines = raw.matches("<>  tick ").count();
    // Three seconds of them, even in a debug build on a loaded machine.
    assert!(lines > 10_000, "{lines} log lines");
    assert!(draws >= 1, "the bar was never drawn");
    assert!(
        draws * 100 < lines,
        "{draws} redraws of the bar for {lines} log lines"
    );
}

#[test]
fn ctrl_c_on_a_terminal_leaves_no_bar() {
    let dir = tempfile::tempdir().unwrap();
    let design = long_design(dir.path(), ENDLESS);
    let Some(shown) = on_a_terminal(&format!("run {}", design.display()), 3) else {
        skip::skipped("`script` (util-linux) is not installed, no pseudo-terminal to test with");
        return;
    };
    assert!(
        String::from_utf8_lossy(&shown).contains(" M/s"),
        "the bar was never drawn"
    );
    let text = screen(&shown);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        lines
            .iter()
            .all(|l| !l.contains(" t=") && !l.contains("M/s")),
        "{text}"
    );
    assert!(
        lines.last().unwrap().starts_with("interrupted at time "),
        "{text}"
    );
}
