//! `chpsim check` and its golden files (README, "The command line"): the same verdict however
//! the design's path is spelled and wherever it is run from, one golden file per design,
//! transcripts compared as they stream, limits of its own, and a summary line.
use std::path::Path;
use std::process::Command;

use crate::common::cli::{chpsim, stderr, stdout, BIN};

fn check_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("check")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn the_verdict_does_not_depend_on_how_the_path_is_spelled() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let absolute = root.join("designs/imports.act");
    let absolute = absolute.to_str().unwrap();
    let golden = root.join("golden");
    for (dir, args) in [
        (root.to_path_buf(), vec!["designs/imports.act"]),
        (root.to_path_buf(), vec!["./designs/imports.act"]),
        (root.to_path_buf(), vec![absolute]),
        (
            root.join("designs"),
            vec!["imports.act", "--golden", "../golden"],
        ),
        (
            root.join("designs/imports"),
            vec!["../imports.act", "--golden", golden.to_str().unwrap()],
        ),
    ] {
        let out = check_in(&dir, &args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stdout(&out));
        assert!(
            stdout(&out).starts_with("ok "),
            "{args:?}: {}",
            stdout(&out)
        );
    }
}

#[test]
fn two_designs_with_one_file_name_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["a", "b"] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        std::fs::write(
            dir.path().join(folder).join("top.act"),
            format!("defproc test() {{ chp {{ log(\"{folder}\") }} }}\n"),
        )
        .unwrap();
    }
    let out = check_in(dir.path(), &["a/top.act", "b/top.act", "--bless"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: a/top.act and b/top.act would share one golden file, golden/top.transcript: \
         rename one, or check them in separate runs with their own --golden\n"
    );
    assert!(!dir.path().join("golden").exists(), "a golden was written");
    // One design given twice is no clash.
    let out = check_in(dir.path(), &["a/top.act", "./a/top.act", "--bless"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_golden_directory_that_does_not_exist_is_one_error() {
    let out = chpsim(&[
        "check",
        "designs/pipeline.act",
        "designs/gcd.act",
        "--golden",
        "goldne",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --golden goldne: there is no such directory (`--bless` creates it)\n"
    );
    assert_eq!(stdout(&out), "");
}

#[test]
fn check_ends_with_a_summary_line_and_names_a_design_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("golden")).unwrap();
    std::fs::write(
        dir.path().join("fine.act"),
        "defproc test() { chp { log(\"hi\") } }\n",
    )
    .unwrap();
    check_in(dir.path(), &["fine.act", "--bless"]);
    let out = check_in(dir.path(), &["fine.act", "missing.act", "fine.act"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stdout(&out),
        "ok       fine.act\n\
         INVALID  missing.act: cannot read missing.act: No such file or directory (os \
         error 2) (the errors are on stderr)\n\
         ok       fine.act\n\
         check: 2 ok, 1 invalid (3 designs)\n"
    );
}

#[test]
fn crlf_goldens_get_a_hint_and_bless_replaces_any_golden() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("fine.act"),
        "defproc test() { chp { log(\"hi\") } }\n",
    )
    .unwrap();
    check_in(dir.path(), &["fine.act", "--bless"]);
    let golden = dir.path().join("golden/fine.transcript");
    let good = std::fs::read(&golden).unwrap();
    let crlf = String::from_utf8(good.clone())
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(&golden, crlf).unwrap();
    let out = check_in(dir.path(), &["fine.act"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("\n  line endings differ: golden/fine.transcript has CRLF"),
        "{}",
        stdout(&out)
    );
    // A golden that is not even text is replaced all the same.
    std::fs::write(&golden, b"\xff\xfe\x00 not UTF-8\n").unwrap();
    let out = check_in(dir.path(), &["fine.act", "--bless"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read(&golden).unwrap(), good);
}

#[test]
fn check_has_run_limits_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("forever.act"),
        "defproc src(chan!(int<8>) R) { int<8> x; chp { *[ R!x; x := x + 1 ] } }
defproc snk(chan?(int<8>) L) { int<8> y; chp { *[ L?y ] } }
defproc test() { src s; snk k; s.R = k.L; }
defproc other() { src s; snk k; s.R = k.L; }
",
    )
    .unwrap();
    let out = check_in(dir.path(), &["forever.act", "--until", "200", "--bless"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let golden = std::fs::read_to_string(dir.path().join("golden/forever.transcript")).unwrap();
    assert!(golden.contains("# end at 200 (until)"), "{golden}");
    let out = check_in(dir.path(), &["forever.act", "--until", "200"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = check_in(dir.path(), &["forever.act", "--max-events", "7", "--bless"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let golden = std::fs::read_to_string(dir.path().join("golden/forever.transcript")).unwrap();
    assert!(golden.contains("(max-events)"), "{golden}");
    let out = check_in(
        dir.path(),
        &["forever.act", "--top", "other", "--until", "50", "--bless"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let golden = std::fs::read_to_string(dir.path().join("golden/forever.transcript")).unwrap();
    assert!(golden.contains("top=other"), "{golden}");
}

#[test]
fn check_compares_a_long_transcript_in_bounded_memory() {
    if !Path::new("/usr/bin/time").exists() {
        crate::common::skip::skipped("no /usr/bin/time to measure the peak memory with");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // About 20 MB of transcript.
    // The same design run briefly gives the memory chpsim takes whatever the transcript's
    // length (the binary, the design): the long run may add little to it.
    let design = "defproc src(chan!(int<8>) R) { int<8> x; chp { *[ R!x; x := x + 1 ] } }
defproc snk(chan?(int<8>) L) { int<8> y; chp { *[ L?y; log(\"got \", y) ] } }
defproc test() { src s; snk k; s.R = k.L; }
";
    for (name, until) in [("long.act", 8_000_000), ("short.act", 1_000)] {
        std::fs::write(
            dir.path().join(name),
            format!("// chpsim: --until {until}\n{design}"),
        )
        .unwrap();
    }
    let peak_kib = |args: &[&str]| -> u64 {
        let out = Command::new("/usr/bin/time")
            .args(["-f", "peak %M"])
            .arg(BIN)
            .arg("check")
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let err = stderr(&out);
        let peak = err.lines().last().unwrap().strip_prefix("peak ").unwrap();
        peak.trim().parse().unwrap()
    };
    peak_kib(&["long.act", "--bless"]);
    let size = std::fs::metadata(dir.path().join("golden/long.transcript"))
        .unwrap()
        .len();
    assert!(size > 15_000_000, "{size}");
    peak_kib(&["short.act", "--bless"]);
    let base = peak_kib(&["short.act"]) * 1024;
    let peak = peak_kib(&["long.act"]) * 1024;
    assert!(
        peak.saturating_sub(base) < size / 4,
        "peak memory {peak} (a short run: {base}) for a transcript of {size} bytes"
    );
}

#[test]
fn a_junit_report_may_not_replace_a_design_or_its_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let design = "defproc test() { chp { log(\"hi\") } }\n";
    std::fs::write(dir.path().join("d.act"), design).unwrap();
    check_in(dir.path(), &["d.act", "--bless"]);
    let golden = std::fs::read(dir.path().join("golden/d.transcript")).unwrap();
    for (junit, says) in [
        ("d.act", "the design's file d.act"),
        ("./d.act", "the design's file d.act"),
        ("golden/d.transcript", "the golden file golden/d.transcript"),
    ] {
        let out = check_in(dir.path(), &["d.act", "--junit", junit]);
        assert_eq!(out.status.code(), Some(2), "{junit}");
        assert_eq!(
            stderr(&out),
            format!("output error: --junit {junit} would overwrite {says}\n")
        );
        assert_eq!(stdout(&out), "", "{junit}: the check ran");
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("d.act")).unwrap(),
        design
    );
    assert_eq!(
        std::fs::read(dir.path().join("golden/d.transcript")).unwrap(),
        golden
    );
}
