//! Large inputs stay bounded: the work of a run grows linearly with its input (see
//! [`crate::common::work`]), a design too large is refused before its parts are made (under a
//! memory limit a design built first would exceed), files are read up to a bound.
use std::process::Command;

use crate::common::cli::BIN;
use crate::common::work::{assert_linear, run_counting_cpu};

/// `lines` lines of comment (80 bytes each), then `body`: its first line is line `lines + 3`.
fn after_comment(lines: usize, body: &str) -> String {
    format!(
        "/*\n{}*/\n{body}",
        format!("{}\n", "x".repeat(79)).repeat(lines)
    )
}

/// `pairs` senders and receivers after `lines` lines of comment: every receiver waits at the
/// end of the run, each located (file:line:col) in the transcript.
fn waiting_pairs(lines: usize, pairs: usize) -> String {
    let body = format!(
        "defproc s(chan!(int<8>) R) {{ chp {{ R!1 }} }}
defproc w(chan?(int<8>) L) {{ int<8> x; chp {{ *[ L?x ] }} }}
defproc pair() {{ s a; w b; a.R = b.L; }}
defproc test() {{ pair p[{pairs}]; }}
"
    );
    after_comment(lines, &body)
}

#[test]
fn many_waiting_processes_in_a_large_file_are_located_in_linear_work() {
    // Each location used to count lines from the file's start: work in processes × lines
    // (60 s of CPU in a debug build for 20 000 pairs after 5 MB, 65 000 lines; 1.7 s now). A
    // quarter of each dimension against the whole: 4 times the work now, 16 times then.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("small.act"), waiting_pairs(16_250, 5_000)).unwrap();
    std::fs::write(dir.path().join("many.act"), waiting_pairs(65_000, 20_000)).unwrap();
    let run = |design: &str| {
        let args = ["run", design, "--transcript", "t.out", "--verbose"];
        let (out, cpu) = run_counting_cpu(dir.path(), &args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        cpu
    };
    let small = run("small.act");
    let large = run("many.act");
    let transcript = std::fs::read_to_string(dir.path().join("t.out")).unwrap();
    assert!(
        transcript.ends_with(
            "#   p[19999].b  receive p[19999].a.R -> p[19999].b.L  at many.act:65004:49\n"
        ),
        "{}",
        &transcript[transcript.len() - 300..]
    );
    assert_linear("locating the waiting processes", small, large, 4.0);
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
fn a_run_of_junk_bytes_is_one_error() {
    // 16 MiB of NUL bytes (a hole): one message for the run, not one per byte. What a byte of
    // junk costs is measured by `cargo bench --bench throughput -- lex-junk`.
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(dir.path().join("junk.act")).unwrap();
    file.set_len(16 << 20).unwrap();
    let out = run_in(dir.path(), &["elaborate", "junk.act"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.matches("Error: unexpected characters").count(),
        1,
        "{err}"
    );
    assert_eq!(err.matches("Error:").count(), 1, "{err}");
}

#[test]
fn an_unused_array_of_16_m_bundles_is_refused_unbuilt_beside_an_unrelated_error() {
    // Two channels per element: 32 M channels, that used to be built (14 s, 5.7 GB) before the
    // unrelated error was reported; 512 MiB of address space are far too few for them.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bundles.act"),
        "deftype rw (chan?!(int<2>) addr; chan!?(int<8>) data) { }
defproc test() { rw big[16000000]; int<8> x; chp { x := y } }
",
    )
    .unwrap();
    let out = run_in_with_memory(dir.path(), &["run", "bundles.act"], 512);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "the design is too large: more than 8388608 processes, channels and signals in all"
        ),
        "{err}"
    );
    assert!(err.contains("unknown name `y`"), "{err}");
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
fn a_warning_per_instance_in_a_large_file_is_rendered_in_linear_work() {
    // Channels that no one sends on after 65 000 lines (5 MB) of comment, a warning each: each
    // warning's snippet used to count (and copy) the lines from the file's start, work in
    // warnings × lines (over 100 s of CPU for 5 000 warnings in a debug build, 8 s now). A
    // quarter of each dimension against the whole: 4 times the work now, 16 times then.
    let dir = tempfile::tempdir().unwrap();
    let design = |n: usize, lines: usize| {
        let body = format!(
            "defproc w(chan?(int<8>) L) {{ int<8> x; chp {{ L?x }} }}
defproc test() {{ chan(int<8>) c[{n}]; w p[{n}]; (i:{n}: p[i].L = c[i];) }}
"
        );
        after_comment(lines, &body)
    };
    std::fs::write(dir.path().join("small.act"), design(1_250, 16_250)).unwrap();
    std::fs::write(dir.path().join("open.act"), design(5_000, 65_000)).unwrap();
    let (out, small) = run_counting_cpu(dir.path(), &["run", "small.act", "--quiet"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("Warning: channel `c[").count(), 1_250);
    let (out, large) = run_counting_cpu(dir.path(), &["run", "open.act", "--quiet"]);
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
    assert_linear("rendering the warnings", small, large, 4.0);
}
