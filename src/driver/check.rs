//! Comparing a run's transcript with its golden file. A run that fails (a runtime error, or a
//! deadlock under `--deadlock=error`) fails its check, and is never blessed, unless its
//! design's `// chpsim:` line says `--expect-failure`.
use std::path::{Path, PathBuf};

use similar::TextDiff;

use super::options::{design_options, DeadlockPolicy};
use super::outputs::MemoryOutput;
use super::{compile, run, DriverError, Outputs, SourceFile, TranscriptTarget};
use crate::kernel::EndReason;
use crate::output::transcript::shown;

/// A design run as `check` runs it (with the options of its `// chpsim:` lines).
pub struct CheckRun {
    pub transcript: String,
    /// Why the run failed (a runtime error, or a deadlock under `--deadlock=error`), if it did.
    pub failure: Option<String>,
    /// The design's `// chpsim:` line says that it fails (`--expect-failure`).
    pub expect_failure: bool,
}

impl CheckRun {
    /// What is wrong with how the run ended: a failure its design does not expect, or no
    /// failure where it expects one. Such a run fails the check and is never blessed.
    pub fn unexpected_end(&self) -> Option<String> {
        match (&self.failure, self.expect_failure) {
            (Some(why), false) => Some(format!(
                "the run failed: {why} (a design meant to fail says so with `// chpsim: --expect-failure`)"
            )),
            (None, true) => {
                Some("the run did not fail, though its `// chpsim:` line expects it to".into())
            }
            _ => None,
        }
    }
}

/// Runs a design as `check` does and returns its transcript and how it ended.
pub fn run_for_check(source: &SourceFile) -> Result<CheckRun, DriverError> {
    let options = design_options(source).map_err(|message| DriverError::Options {
        file: source.name.clone(),
        message,
    })?;
    let sim = &options.sim;
    let design = compile(source, &sim.top_choice())?;
    let memory = MemoryOutput::default();
    let outputs = Outputs {
        transcript: Some(TranscriptTarget::Writer(Box::new(memory.clone()))),
        ..Outputs::default()
    };
    let settings = sim.settings(&design);
    let result = run(design, source, &settings, outputs)?;
    let deadlock = result.report.reason == EndReason::Idle && result.diagnosis.is_deadlock();
    let failure = match &result.error {
        Some(e) => Some(format!(
            "runtime error at time {} in `{}`: {}",
            e.time,
            shown(&e.process),
            e.message
        )),
        None if deadlock && sim.deadlock == DeadlockPolicy::Error => {
            Some("it ended in deadlock (--deadlock=error)".into())
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
pub enum CheckOutcome {
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
pub fn check_transcript(golden: &Path, actual: &str, bless: bool) -> std::io::Result<CheckOutcome> {
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
