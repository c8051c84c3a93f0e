//! `check`'s verdict on one design keeps what went wrong typed: the design's diagnostics, the
//! golden file's I/O error, the run's runtime error; only the report renders them.
use std::path::Path;

use chpsim::driver::check::{check_design, run_for_check, CheckFailure, RunFailure, Verdict};
use chpsim::driver::{DriverError, RuntimeErrorKind, SourceFile};

/// Writes `text` as `name` in `dir` and returns its path.
fn design(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_design_that_does_not_compile_is_invalid_with_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let bad = design(dir.path(), "bad.act", "defproc test() { chp { x := 1 } }\n");
    let check = check_design(&bad, &dir.path().join("golden"), false);
    let Verdict::Invalid(DriverError::Invalid { diagnostics, .. }) = &check.verdict else {
        panic!("not invalid with diagnostics: {:?}", check.verdict);
    };
    assert_eq!(diagnostics.len(), 1);
    assert!(diagnostics[0].message.contains("`x`"), "{diagnostics:?}");
    assert_eq!(check.exit_code(), 2);
    assert!(
        check.report.starts_with("INVALID  ") && check.report.contains("bad.act: "),
        "{}",
        check.report
    );
    let errors = check.errors();
    assert!(errors.starts_with("Error: "), "{errors}");
    assert!(errors.contains("bad.act:1:24"), "{errors}");
}

#[test]
fn an_unreadable_golden_file_is_invalid_with_its_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let fine = design(dir.path(), "fine.act", "defproc test() { chp { skip } }\n");
    // A directory where the golden file should be cannot be read as one.
    let golden = dir.path().join("golden");
    std::fs::create_dir_all(golden.join("fine.transcript")).unwrap();
    let check = check_design(&fine, &golden, false);
    let Verdict::Invalid(DriverError::Golden { path, .. }) = &check.verdict else {
        panic!("not a golden file error: {:?}", check.verdict);
    };
    assert_eq!(path, &golden.join("fine.transcript"));
    let errors = check.errors();
    let expected = format!("error: cannot use {}: ", path.display());
    assert!(errors.starts_with(&expected), "{errors}");
}

#[test]
fn a_run_that_fails_keeps_its_runtime_error() {
    let source = SourceFile::new(
        "fails.act",
        "defproc test() { int<8> x; chp { x := 1; assert(x = 0, \"x is \", x) } }\n",
    );
    let run = run_for_check(&source).expect("the design runs");
    let Some(RunFailure::Runtime(error)) = &run.failure else {
        panic!("no runtime error: {:?}", run.failure);
    };
    assert_eq!(
        error.kind,
        RuntimeErrorKind::AssertionFailed {
            message: Some("x is 1".into())
        }
    );
    let problem = run.unexpected_end().expect("an unexpected failure");
    assert!(matches!(
        problem,
        CheckFailure::RunFailed(RunFailure::Runtime(_))
    ));
    let problem = problem.to_string();
    assert!(
        problem.starts_with(
            "the run failed: runtime error at time 10 in `test`: assertion failed: x is 1 ("
        ),
        "{problem}"
    );
}

#[test]
fn a_missing_or_different_golden_file_fails_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let fine = design(
        dir.path(),
        "fine.act",
        "defproc test() { chp { log(\"hi\") } }\n",
    );
    let golden = dir.path().join("golden");
    let check = check_design(&fine, &golden, false);
    let Verdict::Failed(CheckFailure::Missing { golden: path }) = &check.verdict else {
        panic!("not missing: {:?}", check.verdict);
    };
    assert_eq!(path, &golden.join("fine.transcript"));
    assert_eq!(check.exit_code(), 1);

    std::fs::create_dir_all(&golden).unwrap();
    std::fs::write(golden.join("fine.transcript"), "something else\n").unwrap();
    let check = check_design(&fine, &golden, false);
    let Verdict::Failed(failure @ CheckFailure::Differs { diff, .. }) = &check.verdict else {
        panic!("no difference: {:?}", check.verdict);
    };
    assert!(diff.contains("-something else"), "{diff}");
    assert!(check.report.ends_with(diff.as_str()));
    assert_eq!(
        failure.to_string(),
        format!(
            "the transcript differs from {}",
            golden.join("fine.transcript").display()
        )
    );
}
