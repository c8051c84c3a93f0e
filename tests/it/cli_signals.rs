//! The command line when a run is stopped by a signal (Ctrl-C, SIGTERM) or its stdout is
//! closed: complete outputs, exit 130, no noise.
use std::process::Command;

use crate::cli::{design, path_str};
use crate::common::cli::{files_in, BIN, HANG_GUARD};
use crate::common::vcd_check;

// ----------------------------------------------------------------------
// A run that is stopped (Ctrl-C, SIGTERM) or piped
// ----------------------------------------------------------------------

/// A design that runs for ever, logging each value it receives.
pub(crate) const FOREVER: &str =
    "defproc src(chan!(int<8>) R) { int<8> x; chp { *[ R!x; x := x + 1 ] } }
defproc snk(chan?(int<8>) L) { int<8> y; chp { *[ L?y; log(\"got \", y) ] } }
defproc test() { src s; snk k; s.R = k.L; }
";

/// Waits for `child` to exit, killing it (and failing) if it runs past [`HANG_GUARD`].
fn wait_for_exit(child: &mut std::process::Child) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + HANG_GUARD;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("chpsim still runs after {HANG_GUARD:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn read_all(pipe: Option<impl std::io::Read>) -> String {
    let mut text = String::new();
    pipe.unwrap().read_to_string(&mut text).unwrap();
    text
}

#[test]
fn a_signal_stops_the_run_with_complete_outputs_and_exit_130() {
    for signal in ["-INT", "-TERM"] {
        let (dir, path) = design(FOREVER);
        let transcript = dir.path().join("t.transcript");
        let vcd = dir.path().join("t.vcd");
        // An older output must not silently stay.
        std::fs::write(&vcd, "old").unwrap();
        let mut child = Command::new(BIN)
            .args([
                "run",
                path_str(&path),
                "--transcript",
                path_str(&transcript),
            ])
            .args(["--vcd", path_str(&vcd)])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Let it run until its outputs have grown.
        let started = std::time::Instant::now();
        while !files_in(dir.path()).iter().any(|f| {
            f.ends_with(".tmp") && std::fs::metadata(dir.path().join(f)).unwrap().len() > 100_000
        }) {
            assert!(started.elapsed() < HANG_GUARD, "{:?}", files_in(dir.path()));
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let killed = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = wait_for_exit(&mut child);
        let err = read_all(child.stderr.take());
        assert_eq!(status.code(), Some(130), "{signal}: {err}");
        let text = std::fs::read_to_string(&transcript).unwrap();
        let last = text.lines().last().unwrap();
        let time = last
            .strip_prefix("# interrupted at ")
            .unwrap_or_else(|| panic!("{signal}: last line {last}"));
        assert!(text.contains(&format!("# end at {time} (interrupted)")));
        assert!(
            err.contains(&format!("interrupted at time {time}")),
            "{err}"
        );
        let waveform = std::fs::read_to_string(&vcd).unwrap();
        let summary = vcd_check::check_vcd(&waveform).unwrap_or_else(|e| panic!("bad VCD: {e}"));
        assert_eq!(summary.last_time(), Some(time.parse().unwrap()));
        assert!(waveform.ends_with(&format!("$comment\n    interrupted at {time}\n$end\n")));
        assert_eq!(
            files_in(dir.path()),
            ["design.act", "t.transcript", "t.vcd"],
            "{signal}: a temporary file is left"
        );
    }
}

/// Reads the first lines of `chpsim run ARGS` on stdout, then closes it as `head` does.
pub(crate) fn run_and_close_stdout(
    args: &[&str],
    lines: usize,
) -> (std::process::ExitStatus, String) {
    use std::io::BufRead;
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    for _ in 0..lines {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert!(!line.is_empty());
    }
    drop(out);
    let status = wait_for_exit(&mut child);
    (status, read_all(child.stderr.take()))
}

#[test]
fn a_closed_stdout_stops_a_run_that_writes_nothing_else_silently() {
    let (_dir, path) = design(FOREVER);
    for extra in [
        &[][..],
        &["--transcript", "-"][..],
        &["--quiet", "--transcript", "-"],
    ] {
        let mut args = vec!["run", path_str(&path)];
        args.extend(extra);
        let (status, err) = run_and_close_stdout(&args, 3);
        assert_eq!(status.code(), Some(0), "{extra:?}: {err}");
        assert_eq!(err, "", "{extra:?}");
    }
}

#[test]
fn a_closed_stdout_lets_a_run_complete_its_files() {
    let (dir, path) = design(FOREVER);
    let vcd = dir.path().join("t.vcd");
    let transcript = dir.path().join("t.transcript");
    for file in [
        ["--vcd", path_str(&vcd)],
        ["--transcript", path_str(&transcript)],
    ] {
        let args = [
            "run",
            path_str(&path),
            "--until",
            "300000",
            file[0],
            file[1],
        ];
        let (status, err) = run_and_close_stdout(&args, 3);
        assert_eq!(status.code(), Some(0), "{err}");
        assert!(!err.contains("error"), "{err}");
    }
    let summary = vcd_check::check_vcd(&std::fs::read_to_string(&vcd).unwrap()).unwrap();
    assert_eq!(summary.last_time(), Some(300_000));
    let text = std::fs::read_to_string(&transcript).unwrap();
    assert!(text.contains("# end at 300000 (until)"), "{text}");
    assert_eq!(
        files_in(dir.path()),
        ["design.act", "t.transcript", "t.vcd"]
    );
}
