//! Comparing a run's transcript with its golden file. A run that fails (a runtime error, or a
//! deadlock under `--deadlock=error`) fails its check, and is never blessed, unless its
//! design's `// chpsim:` line says `--expect-failure`.
//!
//! The transcript is compared with its golden file as the run writes it (see `compare.rs`): a
//! check holds a few lines of each, never a whole transcript, however long the run.
mod compare;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::options::{design_options, DeadlockPolicy, SimArgs};
use super::outputs::{MemoryOutput, OutputFile};
use super::{compile, run, DriverError, Outputs, RuntimeError, SourceFile, TranscriptTarget};
use compare::{Comparison, GoldenComparer};

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
    check_design_with(design, golden_dir, bless, &CheckLimits::default())
}

/// Options of `check`'s command line that every design runs with, over those of its
/// `// chpsim:` line.
#[derive(Clone, Debug, Default)]
pub struct CheckLimits {
    /// `--top`: the process to simulate as the top.
    pub top: Option<String>,
    /// `--until`: stop before the first event later than this time.
    pub until: Option<u64>,
    /// `--max-events`: stop after this many events.
    pub max_events: Option<u64>,
}

impl CheckLimits {
    /// `sim` with these limits over its own.
    fn over(&self, sim: &SimArgs) -> SimArgs {
        SimArgs {
            top: self.top.clone().or_else(|| sim.top.clone()),
            until: self.until.or(sim.until),
            max_events: self.max_events.or(sim.max_events),
            ..sim.clone()
        }
    }
}

/// As [`check_design`], with the command line's `limits` over the design's own options.
pub fn check_design_with(
    design: &Path,
    golden_dir: &Path,
    bless: bool,
    limits: &CheckLimits,
) -> DesignCheck {
    let started = Instant::now();
    let (verdict, report) = verdict_of(design, golden_dir, bless, limits);
    DesignCheck {
        design: design.to_path_buf(),
        verdict,
        report,
        time: started.elapsed(),
    }
}

/// The verdict on one design, and the stdout lines that say it.
fn verdict_of(
    design: &Path,
    golden_dir: &Path,
    bless: bool,
    limits: &CheckLimits,
) -> (Verdict, String) {
    let path = design.display();
    let invalid = |error: DriverError| {
        let text = error.render();
        let first = text.lines().next().unwrap_or_default();
        let first = (first
            .strip_prefix("Error: ")
            .or_else(|| first.strip_prefix("error: ")))
        .unwrap_or(first);
        // The line names the design already (bad `// chpsim:` options start with it).
        let first = first.strip_prefix(&format!("{path}: ")).unwrap_or(first);
        let report = format!("INVALID  {path}: {first} (the errors are on stderr)\n");
        (Verdict::Invalid(error), report)
    };
    let failed = |failure: CheckFailure, report: String| (Verdict::Failed(failure), report);
    let golden = golden_path(golden_dir, design);
    let golden_name = golden.display();
    let run = SourceFile::read(design)
        .and_then(|source| run_and_compare(&source, &golden, bless, limits));
    let (run, comparison, blessed) = match run {
        Ok(run) => run,
        Err(e) => return invalid(e),
    };
    if let Some(problem) = run.unexpected_end() {
        let verdict = if bless { "REFUSED " } else { "FAILED  " };
        let report = format!("{verdict} {path}: {problem}\n");
        return failed(problem, report);
    }
    match (comparison, blessed) {
        (Comparison::Matches, _) => (Verdict::Passed, format!("ok       {path}\n")),
        (comparison, Some(file)) => {
            if let Err(e) = file.commit() {
                return invalid(e);
            }
            let report = match comparison.diff() {
                None => format!("blessed  {path} -> {golden_name} (new)\n"),
                Some(diff) => format!("blessed  {path} -> {golden_name}, accepting:\n{diff}"),
            };
            (Verdict::Passed, report)
        }
        (Comparison::Missing, None) => {
            let failure = CheckFailure::Missing { golden };
            let report = format!("MISSING  {path}: {failure}\n");
            failed(failure, report)
        }
        (Comparison::Differs { diff, hint }, None) => {
            let hint = hint.map(|h| format!("  {h}\n")).unwrap_or_default();
            let report = format!("DIFFERS  {path}\n{hint}{diff}");
            failed(CheckFailure::Differs { golden, diff }, report)
        }
    }
}

/// Runs a design as `check` does, comparing its transcript with `golden` as it is written (and
/// writing it into a new golden file with `bless`, to be moved into place if it differs).
fn run_and_compare(
    source: &SourceFile,
    golden: &Path,
    bless: bool,
    limits: &CheckLimits,
) -> Result<(CheckRun, Comparison, Option<OutputFile>), DriverError> {
    let options = design_options(source)?;
    let sim = limits.over(&options.sim);
    let design = compile(source, &sim.elab_options()?)?;
    let golden_error = |source| DriverError::Golden {
        path: golden.to_path_buf(),
        source,
    };
    let blessed = if bless {
        if let Some(dir) = golden.parent() {
            std::fs::create_dir_all(dir).map_err(golden_error)?;
        }
        Some(OutputFile::create(golden)?)
    } else {
        None
    };
    let comparer = GoldenComparer::open(golden, blessed.as_ref())?;
    let outputs = Outputs {
        transcript: Some(TranscriptTarget::Writer(Box::new(comparer.writer()))),
        ..Outputs::default()
    };
    let settings = sim.settings(&design);
    let result = run(design, source, &settings, outputs)?;
    let comparison = comparer.finish()?;
    let run = CheckRun {
        transcript: String::new(),
        failure: run_failure(&result, sim.deadlock),
        expect_failure: options.expect_failure,
    };
    Ok((run, comparison, blessed))
}

/// Why a run that `check` runs fails, if it does.
fn run_failure(result: &super::RunResult, deadlock: DeadlockPolicy) -> Option<RunFailure> {
    match &result.error {
        Some(error) => Some(RunFailure::Runtime(error.clone())),
        None if result.ended_in_deadlock() && deadlock == DeadlockPolicy::Error => {
            Some(RunFailure::Deadlock)
        }
        None => None,
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
    /// The run's transcript, as its golden file holds it ([`run_for_check`] only: `check`
    /// compares it with its golden file as it is written, and keeps none of it).
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

/// Runs a design as `check` does and returns its transcript (held in memory: for tests and
/// small designs) and how it ended.
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
    Ok(CheckRun {
        transcript: memory.text(),
        failure: run_failure(&result, sim.deadlock),
        expect_failure: options.expect_failure,
    })
}

/// `golden_dir/<design stem>.transcript`.
pub fn golden_path(golden_dir: &Path, design: &Path) -> PathBuf {
    let stem = design
        .file_stem()
        .map_or_else(|| "design".into(), |s| s.to_string_lossy().into_owned());
    golden_dir.join(format!("{stem}.transcript"))
}
