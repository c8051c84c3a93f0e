//! Output paths (README, "The command line"): regular files are replaced whole, special files
//! and symbolic links are written through, a failed write keeps the previous file and is an
//! output error, and every path is checked before the run.
use std::io::Read;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::cli::{files_in, stderr, stdout, BIN};

/// A design that runs for ever, logging each value it receives.
const FOREVER: &str = "defproc src(chan!(int<8>) R) { int<8> x; chp { *[ R!x; x := x + 1 ] } }
defproc snk(chan?(int<8>) L) { int<8> y; chp { *[ L?y; log(\"got \", y) ] } }
defproc test() { src s; snk k; s.R = k.L; }
";

fn design(dir: &Path) -> PathBuf {
    let path = dir.join("d.act");
    std::fs::write(&path, FOREVER).unwrap();
    path
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn a_symlinked_output_writes_its_target_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path());
    std::fs::create_dir(dir.path().join("real")).unwrap();
    std::fs::write(dir.path().join("real/t.vcd"), "old").unwrap();
    std::os::unix::fs::symlink("real/t.vcd", dir.path().join("link.vcd")).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "run", "d.act", "--until", "100", "--quiet", "--vcd", "link.vcd",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let link = std::fs::symlink_metadata(dir.path().join("link.vcd")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    let text = std::fs::read_to_string(dir.path().join("real/t.vcd")).unwrap();
    assert!(text.starts_with("$version"), "{text}");
    assert_eq!(files_in(&dir.path().join("real")), ["t.vcd"]);
}

/// Makes a FIFO at `path` with `mkfifo`.
fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success());
}

#[test]
fn a_fifo_is_written_through_for_every_output() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path());
    for option in ["--vcd", "--transcript", "--fst", "--stats-file"] {
        let fifo = dir.path().join("pipe");
        mkfifo(&fifo);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                std::fs::File::open(fifo)
                    .unwrap()
                    .read_to_end(&mut bytes)
                    .unwrap();
                bytes
            })
        };
        let out = run_in(
            dir.path(),
            &["run", "d.act", "--until", "100", "--quiet", option, "pipe"],
        );
        assert_eq!(out.status.code(), Some(0), "{option}: {}", stderr(&out));
        let bytes = reader.join().unwrap();
        assert!(bytes.len() > 20, "{option}: {bytes:?}");
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "{option}: the FIFO was replaced");
        assert_eq!(files_in(dir.path()), ["d.act", "pipe"], "{option}");
        std::fs::remove_file(&fifo).unwrap();
    }
}

#[test]
fn a_character_device_is_written_through_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path());
    // A null device of our own when we may make one (as root), else the system's, whose
    // replacement could only be tried as root anyway.
    let own = dir.path().join("null");
    let made = Command::new("mknod")
        .args([own.to_str().unwrap(), "c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let device = if made {
        own
    } else {
        PathBuf::from("/dev/null")
    };
    let device_str = device.to_str().unwrap();
    for option in ["--vcd", "--transcript", "--fst", "--stats-file"] {
        let out = run_in(
            dir.path(),
            &[
                "run", "d.act", "--until", "100", "--quiet", option, device_str,
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{option}: {}", stderr(&out));
        let kind = std::fs::symlink_metadata(&device).unwrap().file_type();
        assert!(kind.is_char_device(), "{option}: {device_str} was replaced");
    }
    // Several outputs may share a special file.
    let out = run_in(
        dir.path(),
        &[
            "run",
            "d.act",
            "--until",
            "100",
            "--vcd",
            device_str,
            "--transcript",
            device_str,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn the_transcript_can_go_to_dev_stdout() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path());
    let out = run_in(
        dir.path(),
        &[
            "run",
            "d.act",
            "--until",
            "100",
            "--quiet",
            "--transcript",
            "/dev/stdout",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("# chpsim transcript: design=d.act"),
        "{text}"
    );
    assert!(text.contains("# end at 100 (until)"), "{text}");
}

#[test]
fn a_failed_write_is_an_output_error_that_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path());
    let out = run_in(
        dir.path(),
        &["run", "d.act", "--until", "100000", "--vcd", "/dev/full"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("output error: cannot write /dev/full: No space left on device"),
        "{err}"
    );
}

#[test]
fn a_full_disk_keeps_the_previous_files() {
    // A small file system of our own: a tmpfs in a mount namespace of the test's own.
    let dir = tempfile::tempdir().unwrap();
    design(dir.path());
    std::fs::create_dir(dir.path().join("small")).unwrap();
    let script = format!(
        "mount -t tmpfs -o size=16k tmpfs small || exit 77
         {BIN} run d.act --until 500 --quiet --vcd small/p.vcd --transcript small/p.t || exit 3
         cp small/p.vcd small/p.t .
         {BIN} run d.act --until 200000 --quiet --vcd small/p.vcd --transcript small/p.t 2>err
         echo $? > code
         cmp small/p.vcd p.vcd && cmp small/p.t p.t && ls -A small > left"
    );
    let status = Command::new("unshare")
        .args(["-m", "sh", "-c", &script])
        .current_dir(dir.path())
        .stderr(Stdio::null())
        .status();
    if !status.as_ref().is_ok_and(|s| s.code() != Some(77)) {
        crate::common::skip::skipped("no tmpfs of our own (needs unshare and mount)");
        return;
    }
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap_or_default();
    assert_eq!(status.unwrap().code(), Some(0), "{}", read("err"));
    assert_eq!(read("code").trim(), "2");
    let err = read("err");
    assert!(
        err.starts_with("output error: cannot write small/p."),
        "{err}"
    );
    assert!(err.contains("No space left on device"), "{err}");
    assert_eq!(read("left"), "p.t\np.vcd\n", "a temporary file is left");
}

#[test]
fn a_full_or_closed_stderr_keeps_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path());
    for (args, code) in [
        (&["run", "missing.act"][..], 2),
        (&["run", "d.act", "--until", "100"][..], 0),
        (&["check", "missing.act"][..], 2),
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = Command::new(BIN)
            .args(args)
            .current_dir(dir.path())
            .stderr(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?} with a full stderr");
        let out = Command::new(BIN)
            .args(args)
            .current_dir(dir.path())
            .stderr(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
    }
}

#[test]
fn an_output_path_that_names_a_directory_fails_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path());
    std::fs::create_dir(dir.path().join("out")).unwrap();
    for path in ["out/", "new/", "out", "."] {
        let out = run_in(
            dir.path(),
            &["run", "d.act", "--until", "100", "--vcd", path],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{path}: {err}");
        assert!(
            err.starts_with(&format!("output error: cannot write {path}: ")),
            "{path}: {err}"
        );
        assert!(out.stdout.is_empty(), "{path}: the run started");
    }
    assert_eq!(files_in(dir.path()), ["d.act", "out"]);
}

#[test]
fn outputs_that_name_one_file_or_the_design_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path());
    std::fs::write(dir.path().join("old.vcd"), "old").unwrap();
    std::os::unix::fs::symlink("old.vcd", dir.path().join("alias.vcd")).unwrap();
    for (args, message) in [
        (
            &["--transcript", "d.act"][..],
            "output error: --transcript d.act would overwrite the design's file d.act",
        ),
        (
            &["--vcd", "./d.act"][..],
            "output error: --vcd ./d.act would overwrite the design's file d.act",
        ),
        (
            &["--transcript", "x.out", "--vcd", "x.out"][..],
            "output error: --transcript and --vcd both name x.out",
        ),
        (
            &["--vcd", "old.vcd", "--fst", "alias.vcd"][..],
            "output error: --vcd and --fst both name alias.vcd",
        ),
        (
            &["--transcript", "s.json", "--stats-file", "./s.json"][..],
            "output error: --transcript and --stats-file both name ./s.json",
        ),
    ] {
        let mut all = vec!["run", "d.act", "--until", "100"];
        all.extend(args);
        let out = run_in(dir.path(), &all);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with(message), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}: the run started");
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("d.act")).unwrap(),
        FOREVER
    );
    assert_eq!(files_in(dir.path()), ["alias.vcd", "d.act", "old.vcd"]);
}

#[test]
fn a_statistics_file_completes_the_run_when_stdout_closes() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    design(dir.path());
    let mut child = Command::new(BIN)
        .args([
            "run",
            "d.act",
            "--until",
            "400000",
            "--stats-file",
            "s.json",
        ])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap());
    for _ in 0..3 {
        let mut line = String::new();
        lines.read_line(&mut line).unwrap();
    }
    drop(lines);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let stats: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("s.json")).unwrap()).unwrap();
    assert_eq!(stats["end_time"], 400000, "the statistics of a cut run");
}
