//! Saying that a test skipped its checks where a reader of `cargo test` sees it.

/// Prints `SKIPPED: why` in `cargo test`'s normal output. The harness captures what
/// `eprintln!` prints (shown only for a failing test or with `--nocapture`), but not a write to
/// stderr itself.
pub fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {why}");
}

/// The Python that imports pyvcd and vcdvcd (`$CHPSIM_PYTHON`, else `python3`), or `None`
/// after saying the check is skipped. With `CHPSIM_REQUIRE_PYTHON_VCD=1` (set by `.ci/run`,
/// which installs them) a missing reader fails the test instead.
pub fn python_vcd_readers() -> Option<String> {
    let python = std::env::var("CHPSIM_PYTHON").unwrap_or_else(|_| "python3".into());
    let probe = std::process::Command::new(&python)
        .args(["-c", "import vcd.reader, vcdvcd"])
        .output();
    if probe.is_ok_and(|o| o.status.success()) {
        return Some(python);
    }
    assert!(
        !std::env::var("CHPSIM_REQUIRE_PYTHON_VCD").is_ok_and(|v| v == "1"),
        "pyvcd/vcdvcd are required but not importable with {python}"
    );
    skipped(&format!(
        "pyvcd and vcdvcd are not installed for {python} (bash .ci/run installs them)"
    ));
    None
}

/// Runs `script` with `python` on the file `arg`; returns what it printed (it must succeed).
pub fn run_python(python: &str, script: &str, arg: &std::path::Path) -> String {
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .arg(arg)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "python check failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}
