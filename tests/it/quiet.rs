//! `--quiet` only hides output: it never changes what a design computes (README, "The command line").
//! Log arguments are evaluated whether or not anything prints them, so an error inside a `log`
//! stops the run either way.
use std::path::Path;

use crate::common::cli::chpsim;

/// The options a design asks for in its `// chpsim:` line.
fn design_options(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("// chpsim:"))
        .flat_map(|rest| rest.split_whitespace().map(str::to_string))
        .collect()
}

/// Runs `design` with `extra` arguments; returns the exit code, the transcript and the VCD
/// (empty when not asked for).
fn run(design: &Path, options: &[String], extra: &[&str], files: Option<&Path>) -> Outcome {
    let mut args = vec!["run", design.to_str().unwrap()];
    args.extend(options.iter().map(String::as_str));
    args.extend(extra);
    let (transcript, vcd) = match files {
        Some(dir) => (dir.join("run.transcript"), dir.join("run.vcd")),
        None => Default::default(),
    };
    if files.is_some() {
        args.extend(["--transcript", transcript.to_str().unwrap()]);
        args.extend(["--vcd", vcd.to_str().unwrap()]);
    }
    let output = chpsim(&args);
    let read = |p: &Path| {
        if files.is_some() {
            std::fs::read_to_string(p).unwrap_or_default()
        } else {
            String::new()
        }
    };
    Outcome {
        code: output.status.code(),
        transcript: read(&transcript),
        vcd: read(&vcd),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[derive(Debug)]
struct Outcome {
    code: Option<i32>,
    transcript: String,
    vcd: String,
    stderr: String,
}

/// Runs `design` four ways (with and without `--quiet`, with and without output files) and
/// checks that all agree; returns the exit code.
fn assert_quiet_changes_nothing(design: &Path) -> Option<i32> {
    let text = std::fs::read_to_string(design).unwrap();
    let options = design_options(&text);
    let name = design.display();
    let dir = tempfile::tempdir().unwrap();
    let (loud_dir, quiet_dir) = (dir.path().join("loud"), dir.path().join("quiet"));
    std::fs::create_dir_all(&loud_dir).unwrap();
    std::fs::create_dir_all(&quiet_dir).unwrap();
    let loud = run(design, &options, &[], Some(&loud_dir));
    let quiet = run(design, &options, &["--quiet"], Some(&quiet_dir));
    assert_eq!(
        loud.code, quiet.code,
        "{name}: exit codes differ\n{quiet:?}"
    );
    assert_eq!(
        loud.transcript, quiet.transcript,
        "{name}: transcripts differ"
    );
    assert_eq!(loud.vcd, quiet.vcd, "{name}: waveforms differ");
    // Nothing attached at all: only the exit code can tell.
    let bare_loud = run(design, &options, &[], None);
    let bare_quiet = run(design, &options, &["--quiet"], None);
    assert_eq!(
        bare_loud.code, loud.code,
        "{name}: exit code without output files\n{}",
        bare_loud.stderr
    );
    assert_eq!(
        bare_quiet.code, loud.code,
        "{name}: exit code with --quiet and nothing attached\n{}",
        bare_quiet.stderr
    );
    loud.code
}

#[test]
fn every_design_computes_the_same_with_and_without_quiet() {
    let mut designs: Vec<_> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("designs"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "act"))
            .collect();
    designs.sort();
    assert!(designs.len() >= 10, "only {} designs", designs.len());
    for design in &designs {
        assert_quiet_changes_nothing(design);
    }
}

#[test]
fn an_error_inside_a_log_stops_the_run_even_when_nothing_prints_it() {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("log_error.act");
    std::fs::write(
        &design,
        "defproc test() { int<8> x, y; chp { x := 0; log(\"q=\", 5 / x); y := 1 } }\n",
    )
    .unwrap();
    assert_eq!(assert_quiet_changes_nothing(&design), Some(1));
    let index = dir.path().join("log_index.act");
    std::fs::write(
        &index,
        "defproc test() { int<8> m[4]; int<4> i; chp { i := 9; log(m[i]) } }\n",
    )
    .unwrap();
    assert_eq!(assert_quiet_changes_nothing(&index), Some(1));
}
