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

#[test]
fn the_variables_of_the_whole_design_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    // Each array of 4096 variables is small; 8192 instances of it hold 2^25, the most a design
    // may: one instance more is too many. Only elaborated: the definition is lowered once.
    let design = |extra: &str| {
        format!(
            "defproc e() {{ int x[4096]; chp {{ x[0] := 1 }} }}\ndefproc test() {{ e a[8192];{extra} }}\n"
        )
    };
    std::fs::write(dir.path().join("full.act"), design("")).unwrap();
    std::fs::write(dir.path().join("over.act"), design(" e b;")).unwrap();
    let out = run_in(dir.path(), &["elaborate", "full.act"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run_in(dir.path(), &["elaborate", "over.act"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "the design is too large: its processes hold more than 33554432 variables in all"
        ),
        "{err}"
    );
    assert!(err.contains("this instance has 4096 more"), "{err}");
    assert_eq!(err.matches("Error:").count(), 1, "{err}");
}

/// A file of `len` bytes that is one block comment, its middle a hole (NUL bytes that take no
/// disk space).
fn sparse_comment(path: &std::path::Path, len: u64) {
    use std::io::{Seek, SeekFrom, Write};
    let mut file = std::fs::File::create(path).unwrap();
    file.write_all(b"/*").unwrap();
    file.set_len(len).unwrap();
    file.seek(SeekFrom::Start(len - 3)).unwrap();
    file.write_all(b"*/\n").unwrap();
}

#[test]
fn the_files_of_a_design_are_bounded_together() {
    let dir = tempfile::tempdir().unwrap();
    // Two files of 64 MiB (the most one file may hold) make more than 128 MiB with the
    // design's own: the second import is refused, unread.
    sparse_comment(&dir.path().join("a.act"), 64 << 20);
    std::fs::hard_link(dir.path().join("a.act"), dir.path().join("b.act")).unwrap();
    let top = "defproc test() { chp { skip } }\n";
    std::fs::write(
        dir.path().join("one.act"),
        format!("import \"a.act\";\n{top}"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("two.act"),
        format!("import \"a.act\";\nimport \"b.act\";\n{top}"),
    )
    .unwrap();
    let out = run_in(dir.path(), &["elaborate", "one.act"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run_in(dir.path(), &["elaborate", "two.act"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "cannot import b.act: the design's files would hold more than 128 MiB together"
        ),
        "{err}"
    );
    assert!(err.contains("two.act:2:8"), "{err}");
    assert_eq!(err.matches("Error:").count(), 1, "{err}");
}

#[test]
fn a_run_of_junk_bytes_is_one_error_found_fast() {
    let dir = tempfile::tempdir().unwrap();
    // 16 MiB of NUL bytes (a hole): each used to build its own message before merging, a
    // minute for a file of this size in a debug build.
    let file = std::fs::File::create(dir.path().join("junk.act")).unwrap();
    file.set_len(16 << 20).unwrap();
    let start = Instant::now();
    let out = run_in(dir.path(), &["elaborate", "junk.act"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.matches("Error: unexpected characters").count(),
        1,
        "{err}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn an_unused_array_of_16_m_bundles_is_refused_at_once_beside_an_unrelated_error() {
    // Two channels per element: 32 M channels, that used to be built (14 s, 5.7 GB) before the
    // unrelated error was reported.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bundles.act"),
        "deftype rw (chan?!(int<2>) addr; chan!?(int<8>) data) { }
defproc test() { rw big[16000000]; int<8> x; chp { x := y } }
",
    )
    .unwrap();
    let started = Instant::now();
    let out = run_in(dir.path(), &["run", "bundles.act"]);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "the design is too large: more than 8388608 processes, channels and signals in all"
        ),
        "{err}"
    );
    assert!(err.contains("unknown name `y`"), "{err}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

/// Runs chpsim in `dir` with at most `mib` MiB of address space: a design refused before it
/// is built needs little memory; one built first runs out of it (and aborts).
fn run_in_with_memory(dir: &std::path::Path, args: &[&str], mib: u64) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", mib << 10))
        .arg(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn an_unused_array_of_16_m_records_is_not_built_beside_an_error() {
    // 16 M records of two ints (32 M variables, within the bound): their slots used to be
    // made (1.2-1.5 GB, 9-21 s) before the CHP's unknown name was found.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("records.act"),
        "deftype pair (int<8> a; int<8> b) { }
defproc test() { pair big[16000000]; int<8> x; chp { x := y } }
",
    )
    .unwrap();
    let out = run_in_with_memory(dir.path(), &["run", "records.act"], 512);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("unknown name `y`"), "{err}");
    assert_eq!(err.matches("Error:").count(), 1, "{err}");
}

#[test]
fn a_process_over_the_variable_bound_is_refused_before_its_variables_are_made() {
    // Three arrays within the bound of one declaration (2^24 elements), 48 M variables in
    // all: they used to be made (3.7 GB, 34 s) before the bound refused them.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("three.act"),
        "defproc test() {
  int<8> a[16000000]; int<8> b[16000000]; int<8> c[16000000];
  chp { a[0] := 1 }
}
",
    )
    .unwrap();
    let out = run_in_with_memory(dir.path(), &["run", "three.act"], 512);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "the design is too large: its processes hold more than 33554432 variables in all"
        ),
        "{err}"
    );
    assert!(err.contains("this instance has 48000000 more"), "{err}");
    assert_eq!(err.matches("Error:").count(), 1, "{err}");
}

#[test]
fn a_warning_per_instance_in_a_large_file_is_rendered_at_once() {
    // 5 MB of comment before 5 000 channels that no one sends on, a warning each: each
    // warning's snippet used to count (and copy) the lines from the file's start.
    let dir = tempfile::tempdir().unwrap();
    let padding = format!("/*\n{}*/\n", format!("{}\n", "x".repeat(79)).repeat(65_000));
    std::fs::write(
        dir.path().join("open.act"),
        padding
            + "defproc w(chan?(int<8>) L) { int<8> x; chp { L?x } }
defproc test() { chan(int<8>) c[5000]; w p[5000]; (i:5000: p[i].L = c[i];) }
",
    )
    .unwrap();
    let started = Instant::now();
    let out = run_in(dir.path(), &["run", "open.act", "--quiet"]);
    let took = started.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("Warning: channel `c[").count(), 5000);
    let last = "Warning: channel `c[4999]` is not connected to any sender
       ╭─[ open.act:65004:18 ]
       │
 65004 │ defproc test() { chan(int<8>) c[5000]; w p[5000]; (i:5000: p[i].L = c[i];) }
";
    assert!(
        err.contains(last),
        "{}",
        &err[err.len().saturating_sub(1000)..]
    );
    assert!(took < Duration::from_secs(90), "took {took:?}");
}
