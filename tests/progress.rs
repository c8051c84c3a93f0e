//! The progress display: on a terminal for long runs, never in piped output or with --quiet.
use std::process::Command;

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

/// Runs the command under `script`, which gives it a pseudo-terminal; `None` without `script`.
fn on_a_terminal(args: &str) -> Option<Vec<u8>> {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_chpsim"));
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

#[test]
fn a_terminal_shows_the_spinner_and_quiet_hides_it() {
    let dir = tempfile::tempdir().unwrap();
    // Two seconds or more in a debug build here: well past the moment the display waits for,
    // even on a machine several times faster.
    let design = long_design(dir.path(), 60_000);
    let Some(shown) = on_a_terminal(&format!("run {}", design.display())) else {
        eprintln!(
            "SKIPPED: `script` (util-linux) is not installed, no pseudo-terminal to test with"
        );
        return;
    };
    let text = String::from_utf8_lossy(&shown);
    assert!(
        text.contains(" handshakes, ") && text.contains(" M/s"),
        "{text}"
    );
    assert!(has_terminal_control(&shown));
    let quiet = on_a_terminal(&format!("run --quiet {}", design.display())).unwrap();
    assert!(
        !String::from_utf8_lossy(&quiet).contains(" M/s"),
        "{}",
        String::from_utf8_lossy(&quiet)
    );
}
