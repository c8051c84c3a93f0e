//! Comparing a run's transcript with its golden file.
use std::path::{Path, PathBuf};

use similar::TextDiff;

use super::options::design_options;
use super::outputs::MemoryOutput;
use super::{compile, run, DriverError, Outputs, RunResult, SourceFile, TranscriptTarget};

/// Runs a design as `check` does (with the options in its `// chpsim:` lines) and returns its
/// transcript.
pub fn transcript_for_check(source: &SourceFile) -> Result<(String, RunResult), DriverError> {
    let sim = design_options(source).map_err(|message| DriverError::Options {
        file: source.name.clone(),
        message,
    })?;
    let design = compile(source, &sim.top_choice())?;
    let memory = MemoryOutput::default();
    let outputs = Outputs {
        transcript: Some(TranscriptTarget::Writer(Box::new(memory.clone()))),
        ..Outputs::default()
    };
    let settings = sim.settings(&design);
    let result = run(design, source, &settings, outputs)?;
    Ok((memory.text(), result))
}

/// The result of checking one transcript.
#[derive(Debug, PartialEq, Eq)]
pub enum CheckOutcome {
    Matches,
    /// The unified diff, golden first.
    Differs(String),
    /// No golden file yet (run with `--bless` to create it).
    Missing,
    Blessed,
}

/// `golden_dir/<design stem>.transcript`.
pub fn golden_path(golden_dir: &Path, design: &Path) -> PathBuf {
    let stem = design
        .file_stem()
        .map_or_else(|| "design".into(), |s| s.to_string_lossy().into_owned());
    golden_dir.join(format!("{stem}.transcript"))
}

/// Compares `actual` with the golden file, or writes it there when `bless` is set.
pub fn check_transcript(golden: &Path, actual: &str, bless: bool) -> std::io::Result<CheckOutcome> {
    if bless {
        if let Some(dir) = golden.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(golden, actual)?;
        return Ok(CheckOutcome::Blessed);
    }
    let expected = match std::fs::read_to_string(golden) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(CheckOutcome::Missing),
        Err(e) => return Err(e),
    };
    if expected == actual {
        return Ok(CheckOutcome::Matches);
    }
    let name = golden.display().to_string();
    let diff = TextDiff::from_lines(&expected, actual)
        .unified_diff()
        .context_radius(3)
        .header(&name, "actual run")
        .to_string();
    Ok(CheckOutcome::Differs(diff))
}
