//! Comparing a run's transcript with its golden file. A run that fails (a runtime error, or a
//! deadlock under `--deadlock=error`) fails its check, and is never blessed, unless its
//! design's `// chpsim:` line says `--expect-failure`.
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use similar::TextDiff;

use super::options::{design_options, DeadlockPolicy};
use super::outputs::MemoryOutput;
use super::{compile, run, DriverError, Outputs, RuntimeError, SourceFile, TranscriptTarget};

/// What checking one design found, and what `check` prints about it.
#[derive(Debug)]
pub struct DesignCheck {
    /// The design file.
    pub design: PathBuf,
    /// How its check counts.
    pub verdict: Verdict,
    /// The lines for stdout: the verdict, and the diff if there is one.
    pub report: String,
    /// Wall time of the check.
    pub time: Duration,
}

/// How a design's check counts.
#[derive(Debug)]
pub enum Verdict {
    /// The transcript matches its golden file (or was blessed).
    Passed,
    /// The design misbehaved or its transcript is not its golden file's.
    Failed(CheckFailure),
    /// The input is wrong (the design, its options, the golden file): the error, with the
    /// design's diagnostics when it does not compile (rendered by [`DesignCheck::errors`]).
    Invalid(DriverError),
}

impl DesignCheck {
    /// `check`'s exit code for this design alone: 0 passed, 1 failed, 2 bad input.
    pub fn exit_code(&self) -> u8 {
        match self.verdict {
            Verdict::Passed => 0,
            Verdict::Failed(_) => 1,
            Verdict::Invalid(_) => 2,
        }
    }

    /// The lines for stderr: what is wrong with the input (the design's errors with their
    /// snippets, or one `error: ...` line), if anything.
    pub fn errors(&self) -> String {
        match &self.verdict {
            Verdict::Invalid(error) => error.render(),
            _ => String::new(),
        }
    }
}

/// Checks one design against `golden_dir/<name>.transcript` (writes it there with `bless`).
/// Everything from reading the design to the end of its run happens on the calling thread.
pub fn check_design(design: &Path, golden_dir: &Path, bless: bool) -> DesignCheck {
    let started = Instant::now();
    let (verdict, report) = verdict_of(design, golden_dir, bless);
    DesignCheck {
        design: design.to_path_buf(),
        verdict,
        report,
        time: started.elapsed(),
    }
}

/// The verdict on one design, and the stdout lines that say it.
fn verdict_of(design: &Path, golden_dir: &Path, bless: bool) -> (Verdict, String) {
    let invalid = |error: DriverError| (Verdict::Invalid(error), String::new());
    let failed = |failure: CheckFailure, report: String| (Verdict::Failed(failure), report);
    let run = match SourceFile::read(design).and_then(|source| run_for_check(&source)) {
        Ok(run) => run,
        Err(e) => return invalid(e),
    };
    let golden = golden_path(golden_dir, design);
    let (path, golden_name) = (design.display(), golden.display());
    if let Some(problem) = run.unexpected_end() {
        let verdict = if bless { "REFUSED " } else { "FAILED  " };
        let report = format!("{verdict} {path}: {problem}\n");
        return failed(problem, report);
    }
    match check_transcript(&golden, &run.transcript, bless) {
        Ok(CheckOutcome::Matches) => (Verdict::Passed, format!("ok       {path}\n")),
        Ok(CheckOutcome::Blessed(None)) => (
            Verdict::Passed,
            format!("blessed  {path} -> {golden_name} (new)\n"),
        ),
        Ok(CheckOutcome::Blessed(Some(diff))) => (
            Verdict::Passed,
            format!("blessed  {path} -> {golden_name}, accepting:\n{diff}"),
        ),
        Ok(CheckOutcome::Missing) => {
            let failure = CheckFailure::Missing { golden };
            let report = format!("MISSING  {path}: {failure}\n");
            failed(failure, report)
        }
        Ok(CheckOutcome::Differs(diff)) => {
            let report = format!("DIFFERS  {path}\n{diff}");
            failed(CheckFailure::Differs { golden, diff }, report)
        }
        Err(source) => invalid(DriverError::Golden {
            path: golden,
            source,
        }),
    }
}

/// Why a design fails its check. `Display` gives the one line `check` prints.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CheckFailure {
    /// The run failed, and its design does not say that it fails.
    #[error(
        "the run failed: {0} (a design meant to fail says so with `// chpsim: --expect-failure`)"
    )]
    RunFailed(RunFailure),
    /// The design's `// chpsim:` line says `--expect-failure`, but its run did not fail.
    #[error("the run did not fail, though its `// chpsim:` line expects it to")]
    DidNotFail,
    /// The golden file does not exist yet.
    #[error("no {} (run with --bless to create it)", golden.display())]
    Missing {
        /// Where it should be.
        golden: PathBuf,
    },
    /// The transcript is not the golden file's.
    #[error("the transcript differs from {}", golden.display())]
    Differs {
        /// The golden file.
        golden: PathBuf,
        /// The golden file against the transcript, as a unified diff.
        diff: String,
    },
}

/// A design run as `check` runs it (with the options of its `// chpsim:` lines).
#[derive(Debug)]
pub struct CheckRun {
    /// The run's transcript, as its golden file holds it.
    pub transcript: String,
    /// Why the run failed, if it did.
    pub failure: Option<RunFailure>,
    /// The design's `// chpsim:` line says that it fails (`--expect-failure`).
    pub expect_failure: bool,
}

impl CheckRun {
    /// What is wrong with how the run ended: a failure its design does not expect, or no
    /// failure where it expects one. Such a run fails the check and is never blessed.
    pub fn unexpected_end(&self) -> Option<CheckFailure> {
        match (&self.failure, self.expect_failure) {
            (Some(why), false) => Some(CheckFailure::RunFailed(why.clone())),
            (None, true) => Some(CheckFailure::DidNotFail),
            _ => None,
        }
    }
}

/// Why a run that `check` runs fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RunFailure {
    /// The design misbehaved.
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    /// The run ended in deadlock, and its options say `--deadlock=error`.
    #[error("it ended in deadlock (--deadlock=error)")]
    Deadlock,
}

/// Runs a design as `check` does and returns its transcript and how it ended.
pub fn run_for_check(source: &SourceFile) -> Result<CheckRun, DriverError> {
    let options = design_options(source)?;
    let sim = &options.sim;
    let design = compile(source, &sim.elab_options()?)?;
    let memory = MemoryOutput::default();
    let outputs = Outputs {
        transcript: Some(TranscriptTarget::Writer(Box::new(memory.clone()))),
        ..Outputs::default()
    };
    let settings = sim.settings(&design);
    let result = run(design, source, &settings, outputs)?;
    let failure = match result.error {
        Some(error) => Some(RunFailure::Runtime(error)),
        None if result.ended_in_deadlock() && sim.deadlock == DeadlockPolicy::Error => {
            Some(RunFailure::Deadlock)
        }
        None => None,
    };
    Ok(CheckRun {
        transcript: memory.text(),
        failure,
        expect_failure: options.expect_failure,
    })
}

/// The result of checking one transcript.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CheckOutcome {
    Matches,
    /// The unified diff, golden first.
    Differs(String),
    /// No golden file yet (run with `--bless` to create it).
    Missing,
    /// Written by `--bless`: the diff it accepted (golden first), or `None` for a new file.
    Blessed(Option<String>),
}

/// `golden_dir/<design stem>.transcript`.
pub fn golden_path(golden_dir: &Path, design: &Path) -> PathBuf {
    let stem = design
        .file_stem()
        .map_or_else(|| "design".into(), |s| s.to_string_lossy().into_owned());
    golden_dir.join(format!("{stem}.transcript"))
}

/// Compares `actual` with the golden file; with `bless`, writes it there if it differs.
pub(crate) fn check_transcript(
    golden: &Path,
    actual: &str,
    bless: bool,
) -> std::io::Result<CheckOutcome> {
    let expected = match std::fs::read_to_string(golden) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if expected.as_deref() == Some(actual) {
        return Ok(CheckOutcome::Matches);
    }
    let diff = expected.map(|expected| {
        let name = golden.display().to_string();
        TextDiff::from_lines(&expected, actual)
            .unified_diff()
            .context_radius(3)
            .header(&name, "actual run")
            .to_string()
    });
    if bless {
        if let Some(dir) = golden.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(golden, actual)?;
        return Ok(CheckOutcome::Blessed(diff));
    }
    Ok(diff.map_or(CheckOutcome::Missing, CheckOutcome::Differs))
}
