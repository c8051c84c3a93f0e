//! Large inputs stay fast and bounded: the end of a run with many waiting processes in a large
//! file.
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::cli::BIN;

#[test]
fn many_waiting_processes_in_a_large_file_are_located_at_once() {
    let dir = tempfile::tempdir().unwrap();
    // 5 MB of comment before the processes: each location used to count lines from the
    // file's start.
    let padding = format!("/*\n{}*/\n", format!("{}\n", "x".repeat(79)).repeat(65_000));
    std::fs::write(
        dir.path().join("many.act"),
        padding
            + "defproc s(chan!(int<8>) R) { chp { R!1 } }
defproc w(chan?(int<8>) L) { int<8> x; chp { *[ L?x ] } }
defproc pair() { s a; w b; a.R = b.L; }
defproc test() { pair p[20000]; }
",
    )
    .unwrap();
    let mut child = Command::new(BIN)
        .args(["run", "many.act", "--transcript", "t.out", "--verbose"])
        .current_dir(dir.path())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the end of the run takes minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success());
    let transcript = std::fs::read_to_string(dir.path().join("t.out")).unwrap();
    assert!(
        transcript.ends_with(
            "#   p[19999].b  receive p[19999].a.R -> p[19999].b.L  at many.act:65004:49\n"
        ),
        "{}",
        &transcript[transcript.len() - 300..]
    );
}

fn run_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn a_design_too_large_for_memory_is_an_error_at_once() {
    let dir = tempfile::tempdir().unwrap();
    // One array of 16 M instances (each size is within bounds on its own).
    std::fs::write(
        dir.path().join("wide.act"),
        "defproc e() { int x; chp { x := 1 } }\ndefproc test() { e x[16000000]; }\n",
    )
    .unwrap();
    // 3000 instances with 3000 channels each: every array is small, the whole is not.
    std::fs::write(
        dir.path().join("deep.act"),
        "defproc e() { chan(int) c[3000]; }\ndefproc test() { e x[3000]; chp { skip } }\n",
    )
    .unwrap();
    for design in ["wide.act", "deep.act"] {
        let out = run_in(dir.path(), &["run", design]);
        assert_eq!(out.status.code(), Some(2), "{design}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(
                "the design is too large: more than 8388608 processes, channels and signals in all"
            ),
            "{design}: {err}"
        );
        assert_eq!(err.matches("Error:").count(), 1, "{err}");
    }
}

#[test]
fn a_file_that_never_ends_is_read_only_up_to_a_bound() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["run", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: cannot read /dev/zero: it is larger than 64 MiB, the most chpsim reads\n"
    );
    std::fs::write(
        dir.path().join("d.act"),
        "defproc test() { chp { skip } }\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["run", "d.act", "--config", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("larger than 64 MiB"));
}
