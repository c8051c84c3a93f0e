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
