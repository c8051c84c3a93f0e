//! Running the `chpsim` binary from the repository's root.
#![allow(dead_code)]
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_chpsim");

/// How long a test waits for chpsim to react (to a signal, to a closed pipe) or for its
/// outputs to appear before it fails: a guard against a hang, not a bound on speed (the
/// reactions take well under a second; the machines running the tests may be loaded 10 times
/// over).
pub const HANG_GUARD: std::time::Duration = std::time::Duration::from_secs(300);

/// Runs chpsim with `args` from the repository's root, with no ACT installation in its
/// environment (`ACT_HOME`, `ACT_PATH` unset: what a design imports does not depend on the
/// machine running the tests).
pub fn chpsim(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("ACT_HOME")
        .env_remove("ACT_PATH")
        .output()
        .expect("the chpsim binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// stderr's lines but the level warnings `chpsim actsim` prints at the start, one per
/// instance (`WARNING: src<>: substituting chp model (requested prs, not found)`), which most
/// tests do not look at.
pub fn stderr_lines_without_substitutions(o: &Output) -> Vec<String> {
    (stderr(o).lines())
        .filter(|line| !line.contains("substituting"))
        .map(str::to_owned)
        .collect()
}

/// [`stderr_lines_without_substitutions`] as one text, each line ending in a newline.
pub fn stderr_without_substitutions(o: &Output) -> String {
    (stderr_lines_without_substitutions(o).iter())
        .map(|line| format!("{line}\n"))
        .collect()
}

/// [`stderr_lines_without_substitutions`] without the report of a run that ends deadlocked
/// (`deadlock: ...`): the messages of the commands alone.
pub fn command_messages(o: &Output) -> Vec<String> {
    let mut lines = stderr_lines_without_substitutions(o);
    lines.retain(|line| !line.starts_with("deadlock:"));
    lines
}

/// The names of the files in `dir`, sorted.
pub fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Runs `chpsim actsim ARGS` with `script` on stdin, in a fresh folder holding `design` as
/// `d.act` and a `sim.conf` that sets the CHP delay to 5.
pub fn actsim_script(design: &str, args: &[&str], script: impl AsRef<[u8]>) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.act"), design).unwrap();
    actsim_in(dir.path(), args, script)
}

/// Runs `chpsim actsim ARGS` with `script` on stdin in `dir` (where the files a script writes
/// stay), after writing there a `sim.conf` that sets the CHP delay to 5.
pub fn actsim_in(dir: &std::path::Path, args: &[&str], script: impl AsRef<[u8]>) -> Output {
    std::fs::write(
        dir.join("sim.conf"),
        "begin sim\nbegin chp\nint default_delay 5\nend\nend\n",
    )
    .unwrap();
    let mut child = std::process::Command::new(BIN)
        .arg("actsim")
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    // chpsim may stop reading before the end (`exit`, a line too long): not the test's error.
    let _ = child.stdin.take().unwrap().write_all(script.as_ref());
    child.wait_with_output().unwrap()
}
