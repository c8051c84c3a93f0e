//! From a design file to a finished run: read, parse, elaborate, simulate with the requested
//! outputs, and explain the end. The command line (`main.rs`) only parses arguments, prints what
//! this returns and picks the exit code.
//!
//! [`compile`] turns a [`SourceFile`] into a [`Design`] (or a [`DriverError`] with every error
//! found); [`run`] runs it with [`RunSettings`] (from the design's `// chpsim:` line and the
//! command line: [`options`]) and [`Outputs`], and returns a [`RunResult`] that explains the end.
//! [`check`] compares a run's transcript with its golden file, [`sweep`] runs a design once per
//! seed; [`junit`], [`outputs`], [`parallel`] and [`progress`] are the command line's helpers.
//!
//! ```
//! use chpsim::driver::{compile, options::design_options, run, Outputs, SourceFile};
//!
//! let text = "// chpsim: --delay 5\ndefproc test() { int x; chp { x := 3; log(x) } }\n";
//! let source = SourceFile::new("hello.act", text);
//! let options = design_options(&source)?;
//! let design = compile(&source, &options.sim.elab_options()?)?;
//! let settings = options.sim.settings(&design);
//! let result = run(design, &source, &settings, Outputs::default())?;
//! assert_eq!((result.report.time, result.error.is_none()), (5, true));
//! assert_eq!(result.summary(), "end at time 5: 0 handshakes, 2 events");
//! # Ok::<(), chpsim::driver::DriverError>(())
//! ```
pub mod actsim;
pub mod check;
pub mod junit;
pub mod options;
pub mod outputs;
pub mod parallel;
pub mod progress;
pub mod sweep;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::diag::{line_col, render_in, Diagnostic, SourceMap};
use crate::elab::elaborate;
pub use crate::elab::{delays::DelayConfig, ir::Design, named_vars::BuildFailure, ElabOptions};
use crate::front::ast::Program;
use crate::front::load::DiskReader;
use crate::kernel::{EndReason, EndReport, Limits, Registry, Time, Wait};
use crate::kernel::{LogPrinter, WarningPrinter};
use crate::output::fst::FstWriter;
use crate::output::stats::StatsHandle;
use crate::output::stats::{Stats, StatsCollector};
use crate::output::transcript::{describe_wait, EndNotes, TranscriptWriter};
use crate::output::vcd::VcdWriter;
use crate::output::waveform::WaveOptions;
use crate::sim::deadlock::diagnose;
pub use crate::sim::deadlock::{Diagnosis, Stuck};
pub use crate::sim::external::ExternalConfig;
pub use crate::sim::{
    ChannelAction, DelayRange, DelayRangeError, Flavor, MutexViolation, MutexViolations,
    RuntimeError, RuntimeErrorKind,
};
use crate::sim::{RunOptions, Simulation};
use outputs::{failed_output, OutputFile};

/// A design's (entry) file: its text and the name it is shown under. The files it imports are
/// read by [`compile`], relative to its name.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The name messages show (`file:line:col`), and where its imports are found from.
    pub name: String,
    /// The file's text.
    pub text: Rc<str>,
    /// Declarations read before the file and the files it imports, as if at the top of the
    /// first (ACT's command-line definitions, `-Dvar=value`): empty for none.
    pub defines: Rc<str>,
}

impl SourceFile {
    /// A design given as text, shown as `name`.
    pub fn new(name: impl Into<String>, text: &str) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
            defines: "".into(),
        }
    }

    /// The same design with `defines` read before it (see [`SourceFile::defines`]).
    pub fn with_defines(self, defines: &str) -> Self {
        Self {
            defines: defines.into(),
            ..self
        }
    }

    /// Reads a design file; it must be UTF-8 text ([`DriverError::NotText`] says where it is
    /// not).
    pub fn read(path: &Path) -> Result<Self, DriverError> {
        let bytes = crate::front::load::read_bounded(path).map_err(|e| DriverError::Read {
            path: path.to_path_buf(),
            source: e,
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let valid = std::str::from_utf8(&e.as_bytes()[..offset]).unwrap_or_default();
            let (line, column) = line_col(valid, offset);
            DriverError::NotText {
                path: path.to_path_buf(),
                offset,
                line,
                column,
            }
        })?;
        Ok(Self::new(path.display().to_string(), &text))
    }
}

/// Why the driver could not give a run's result: the input is wrong (the file, the design, its
/// options) or an output could not be written. A design that misbehaves while it runs is no
/// error here: it is [`RunResult::error`] (a [`RuntimeError`]).
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    /// A design file (or a `--config` file) could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A design file is not UTF-8 text.
    #[error(
        "{}:{line}:{column}: not a text file: invalid UTF-8 at byte {offset} (chpsim reads UTF-8 text)",
        path.display()
    )]
    NotText {
        /// The file.
        path: PathBuf,
        /// The first byte that is not UTF-8.
        offset: usize,
        /// Its line (from 1).
        line: usize,
        /// Its column (from 1, in characters).
        column: usize,
    },
    /// The design, or the configuration file of `--config`, is wrong: every error, shown with
    /// its snippet in the file it is in.
    #[error("{}", render_in(.diagnostics, .sources))]
    Invalid {
        /// The errors, in the order of their places in the design (or the configuration file).
        diagnostics: Vec<Diagnostic>,
        /// The files the diagnostics' spans point into: the design's, or the configuration file.
        sources: SourceMap,
    },
    /// An output file (transcript, waveform, statistics, report) could not be written: its
    /// previous content, if any, is kept.
    #[error("output error: cannot write {}: {source}", path.display())]
    Output {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Outputs that would overwrite each other, or the design.
    #[error("output error: {why}")]
    OutputClash {
        /// The path named twice.
        path: PathBuf,
        /// Which outputs (or input) name it.
        why: String,
    },
    /// A design's `// chpsim:` line does not parse as options.
    #[error("{file}: bad `// chpsim:` options: {source}")]
    Options {
        /// The design's file.
        file: String,
        /// What is wrong with its options.
        source: options::OptionsError,
    },
    /// `chpsim check` cannot read or write a design's golden transcript.
    #[error("cannot use {}: {source}", path.display())]
    Golden {
        /// The golden file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An observer that writes no file of its own (the log lines) could not write.
    #[error(transparent)]
    RunOutput(#[from] crate::kernel::OutputError),
}

impl DriverError {
    /// Where ACT would stop at this error with its fatal error (the design's or the
    /// configuration's first error, which it meets first), what it says.
    pub fn act_fatal(&self) -> Option<&crate::diag::ActFatal> {
        match self {
            DriverError::Invalid { diagnostics, .. } => {
                (diagnostics.iter().find(|d| !d.warning)?.act_fatal).as_deref()
            }
            _ => None,
        }
    }

    /// What the command line prints for it: the design's errors with their snippets, or one
    /// `error: ...` line.
    pub fn render(&self) -> String {
        match self {
            invalid @ DriverError::Invalid { .. } => invalid.to_string(),
            // Their text starts `output error: `.
            output @ (DriverError::Output { .. }
            | DriverError::OutputClash { .. }
            | DriverError::RunOutput(_)) => format!("{output}\n"),
            other => format!("error: {other}\n"),
        }
    }
}

/// A design's syntax tree, and the files it came from (its file and those it imports).
#[derive(Debug)]
pub(crate) struct ParsedDesign {
    pub program: Program,
    pub sources: SourceMap,
}

/// Loads (with the files it imports), parses and elaborates a design.
pub fn compile(source: &SourceFile, options: &ElabOptions) -> Result<Design, DriverError> {
    elaborate_program(&parse_source(source)?, options)
}

/// The first half of [`compile`]: the design's syntax tree, from its file and the files it
/// imports. A sweep parses once and elaborates once per run (the tree is plain data, shared
/// by its threads).
pub(crate) fn parse_source(source: &SourceFile) -> Result<ParsedDesign, DriverError> {
    let (sources, program) = crate::front::load_design(
        &source.name,
        &source.text,
        &source.defines,
        &mut DiskReader::from_env(),
    );
    match program {
        Ok(program) => Ok(ParsedDesign { program, sources }),
        Err(diagnostics) => Err(invalid_design(diagnostics, &sources)),
    }
}

/// The second half of [`compile`]: the design's processes and channels, from its tree.
pub(crate) fn elaborate_program(
    parsed: &ParsedDesign,
    options: &ElabOptions,
) -> Result<Design, DriverError> {
    elaborate(&parsed.program, &parsed.sources, options)
        .map_err(|d| invalid_design(d, &parsed.sources))
}

fn invalid_design(diagnostics: Vec<Diagnostic>, sources: &SourceMap) -> DriverError {
    DriverError::Invalid {
        diagnostics,
        sources: sources.clone(),
    }
}

/// Where the transcript goes.
pub enum TranscriptTarget {
    /// This file, written whole when the run ends (an older one stays until then).
    File(PathBuf),
    /// This writer, as the run goes.
    Writer(Box<dyn Write>),
}

impl std::fmt::Debug for TranscriptTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TranscriptTarget::File(path) => f.debug_tuple("File").field(path).finish(),
            TranscriptTarget::Writer(_) => f.write_str("Writer(..)"),
        }
    }
}

/// What a run writes.
#[derive(Default)]
pub struct Outputs {
    /// The transcript: every handshake and log line with its time (see
    /// [`crate::TranscriptWriter`]).
    pub transcript: Option<TranscriptTarget>,
    /// A VCD waveform, written to this file.
    pub vcd: Option<(PathBuf, WaveOptions)>,
    /// The same waveform in GTKWave's compressed FST format.
    pub fst: Option<(PathBuf, WaveOptions)>,
    /// Show every process's variables in the waveforms (`--vcd-vars`).
    pub wave_variables: bool,
    /// Where `log` lines go as they happen (ACT's format).
    pub log: Option<Box<dyn Write>>,
    /// Where `warn(...)` messages go (`WARNING: ...`, stderr for the command line).
    pub warnings: Option<Box<dyn Write>>,
    /// Called now and then during the run (see [`progress::terminal_progress`]).
    pub progress: Option<crate::kernel::ProgressCallback>,
    /// Stops the run where it is when set (Ctrl-C; see [`crate::SimInit::interrupt_when`]).
    pub interrupt: Option<Arc<AtomicBool>>,
    /// Gather channel and process statistics ([`RunResult::stats`]).
    pub stats: bool,
    /// Write the statistics here, as JSON.
    pub stats_file: Option<PathBuf>,
    /// Keep every variable and node reachable by name while the run is paused, and report
    /// every variable write to the observers (`chpsim actsim`'s `get`, `set`, `watch`).
    pub inspectable: bool,
}

impl std::fmt::Debug for Outputs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let given = |o: bool| if o { "Some(..)" } else { "None" };
        f.debug_struct("Outputs")
            .field("transcript", &self.transcript)
            .field("vcd", &self.vcd)
            .field("fst", &self.fst)
            .field("wave_variables", &self.wave_variables)
            .field("log", &given(self.log.is_some()))
            .field("warnings", &given(self.warnings.is_some()))
            .field("progress", &given(self.progress.is_some()))
            .field("interrupt", &self.interrupt)
            .field("stats", &self.stats)
            .field("stats_file", &self.stats_file)
            .field("inspectable", &self.inspectable)
            .finish()
    }
}

/// How a run goes: what the command line's and the design's options say.
#[derive(Clone, Debug)]
pub struct RunSettings {
    /// The seed of the run's random choices and delays (`--seed`).
    pub seed: u64,
    /// Choose among true guards of a `[| ... |]` and `[ ... ]` at random (`--random-choice`).
    pub random_choice: bool,
    /// The delay of a statement without `@[after=..]`, in ticks (`--delay`).
    pub delay: Time,
    /// `--random-delay MIN..MAX` (see [`DelayRange`]).
    pub random_delay: Option<DelayRange>,
    /// Where the run stops (`--until`, `--max-events`).
    pub limits: Limits,
    /// Shown in the transcript header.
    pub top_name: String,
    /// Check `exclhi`/`excllo` (`--excl-monitors`, actsim's `-m`).
    pub excl_monitors: bool,
}

/// How a run ended, with what is needed to explain it.
#[derive(Debug)]
pub struct RunResult {
    /// When and why the run ended, and how much happened.
    pub report: EndReport,
    /// The error that stopped the run, if one did (a failed `assert`, an index out of range).
    pub error: Option<RuntimeError>,
    /// The selections and loops whose guards held several at once: the run printed actsim's
    /// line for each and went on with the first true guard.
    pub mutex_violations: MutexViolations,
    /// Who waits on whom at the end: deadlocks, and the processes merely idle.
    pub diagnosis: Diagnosis,
    /// The names of the run's processes and channels, by id.
    pub registry: Registry,
    /// The limits the run had (to say which one stopped it).
    pub limits: Limits,
    /// Channel and process statistics, when [`Outputs::stats`] or a stats file asked for them.
    pub stats: Option<Stats>,
    /// The design's files, to say where in them things happened.
    pub sources: SourceMap,
}

/// Runs `design`, writing `outputs`. Output files are created before the run starts (so an
/// unwritable path fails early) and moved into place when the run ends, error or not.
pub fn run(
    design: Design,
    source: &SourceFile,
    settings: &RunSettings,
    outputs: Outputs,
) -> Result<RunResult, DriverError> {
    let prepared = prepare(design, source, settings, outputs)?;
    let outcome = (prepared.simulation.run()).map_err(output_error)?;
    prepared.rest.conclude(outcome)
}

/// A failed output stops the run: every file stays as it was (the temporary files are
/// dropped), and the error names the output that failed.
fn output_error(e: crate::kernel::OutputError) -> DriverError {
    match failed_output(&e.0) {
        Some((path, source)) => DriverError::Output { path, source },
        None => DriverError::RunOutput(e),
    }
}

/// A simulation with its outputs attached, not started yet, and what its end needs.
struct Prepared {
    simulation: Simulation,
    rest: RunEnd,
}

/// What a run's end needs besides its outcome: the files to move into place, the statistics.
struct RunEnd {
    files: Vec<OutputFile>,
    stats: Option<StatsHandle>,
    stats_file: Option<OutputFile>,
    limits: Limits,
    sources: SourceMap,
}

fn prepare(
    design: Design,
    source: &SourceFile,
    settings: &RunSettings,
    outputs: Outputs,
) -> Result<Prepared, DriverError> {
    let waveforms = outputs.vcd.is_some() || outputs.fst.is_some();
    let options = RunOptions {
        seed: settings.seed,
        random_choice: settings.random_choice,
        delay: settings.delay,
        random_delay: settings.random_delay,
        limits: settings.limits,
        excl_monitors: settings.excl_monitors,
        trace_variables: (outputs.wave_variables && waveforms) || outputs.inspectable,
        trace_wired_values: waveforms || outputs.inspectable,
        inspectable: outputs.inspectable,
        // Under actsim's commands, as in actsim: the command stops there, the process goes on.
        assertions_pause: outputs.inspectable,
        // actsim's `step N` counts events as actsim's engine does.
        actsim_events: outputs.inspectable,
    };
    let sources = design.sources.clone();
    check_distinct_outputs(&outputs, &sources)?;
    // A top given as a process has the empty path: the waveform names its root scope after it.
    let with_root = |options: WaveOptions| WaveOptions {
        root: options.root.or_else(|| design.root_scope.clone()),
        ..options
    };
    let (vcd, fst) = (
        outputs.vcd.map(|(p, o)| (p, with_root(o))),
        outputs.fst.map(|(p, o)| (p, with_root(o))),
    );
    let mut simulation = Simulation::new(design, options);
    let locate_sources = sources.clone();
    simulation.set_locator(Box::new(move |offset| locate_sources.locate(offset)));
    let mut files = Vec::new();
    if let Some(target) = outputs.transcript {
        let header = transcript_header(source, settings);
        let named = relative_to_design(&sources);
        if let Some(file) = add_transcript(&mut simulation, target, header, &named)? {
            files.push(file);
        }
    }
    if let Some((path, options)) = vcd {
        let file = OutputFile::create(&path)?;
        simulation.add_observer(VcdWriter::new(file.writer()?, options));
        files.push(file);
    }
    if let Some((path, options)) = fst {
        let file = OutputFile::create_seekable(&path)?;
        simulation.add_observer(Box::new(FstWriter::new(file.writer()?, options)));
        files.push(file);
    }
    if let Some(log) = outputs.log {
        simulation.add_observer(LogPrinter::new(log));
    }
    if let Some(warnings) = outputs.warnings {
        simulation.add_observer(WarningPrinter::new(warnings));
    }
    if let Some(progress) = outputs.progress {
        simulation.on_progress(progress);
    }
    if let Some(flag) = outputs.interrupt {
        simulation.interrupt_when(flag);
    }
    let stats = (outputs.stats || outputs.stats_file.is_some()).then(|| {
        let collector = StatsCollector::new();
        let handle = collector.handle();
        simulation.add_observer(collector);
        handle
    });
    let stats_file = match &outputs.stats_file {
        Some(path) => Some(OutputFile::create(path)?),
        None => None,
    };
    Ok(Prepared {
        simulation,
        rest: RunEnd {
            files,
            stats,
            stats_file,
            limits: settings.limits,
            sources,
        },
    })
}

/// The design's files named from the design's own folder, as the transcript shows them: a
/// transcript (a golden file) must not depend on the working directory or on how the design's
/// path was spelled (`d.act`, `./d.act`, `/abs/d.act`, `../designs/d.act`). A name that is
/// no file on disk (a design given as text) stays as it is.
fn relative_to_design(sources: &SourceMap) -> SourceMap {
    let Ok(design) = std::fs::canonicalize(sources.entry_name()) else {
        return sources.clone();
    };
    let folder = design.parent().unwrap_or(Path::new("/"));
    sources.renamed(|name| match std::fs::canonicalize(name) {
        Ok(file) => relative_path(folder, &file).display().to_string(),
        Err(_) => name.to_string(),
    })
}

/// `to` as seen from the folder `from` (both absolute): `lib/x.act`, `../common/y.act`.
fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let (from, to): (Vec<_>, Vec<_>) = (from.components().collect(), to.components().collect());
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path: PathBuf = from[shared..].iter().map(|_| "..").collect();
    path.extend(&to[shared..]);
    path
}

impl RunEnd {
    /// Moves the outputs into place and explains the end.
    fn conclude(self, outcome: crate::sim::Outcome) -> Result<RunResult, DriverError> {
        // Whatever else happened, the files hold complete lines up to the end: move them into
        // place.
        for file in self.files {
            file.commit()?;
        }
        let stats = self.stats.and_then(|handle| handle.borrow_mut().take());
        if let (Some(file), Some(stats)) = (self.stats_file, &stats) {
            write_stats(file, stats)?;
        }
        let diagnosis = diagnose(&outcome.report, &outcome.peers);
        Ok(RunResult {
            report: outcome.report,
            error: outcome.error,
            mutex_violations: outcome.mutex_violations,
            diagnosis,
            registry: outcome.registry,
            limits: self.limits,
            stats,
            sources: self.sources,
        })
    }
}

/// Refuses outputs that would overwrite each other or one of the design's files.
fn check_distinct_outputs(outputs: &Outputs, sources: &SourceMap) -> Result<(), DriverError> {
    let mut named: Vec<(&str, &Path)> = Vec::new();
    if let Some(TranscriptTarget::File(path)) = &outputs.transcript {
        named.push(("--transcript", path));
    }
    for (option, output) in [("--vcd", &outputs.vcd), ("--fst", &outputs.fst)] {
        if let Some((path, _)) = output {
            named.push((option, path));
        }
    }
    if let Some(path) = &outputs.stats_file {
        named.push(("--stats-file", path));
    }
    let files: Vec<&Path> = (sources.files().iter())
        .map(|f| Path::new(&f.name))
        .collect();
    let inputs: Vec<(&str, &Path)> = files.iter().map(|&f| ("the design's file", f)).collect();
    outputs::check_distinct_outputs(&named, &inputs)
}

/// The transcript's first line: the design's file name, the top, the seed and, when delays
/// are random, their range (the seed alone does not say how such a run went).
fn transcript_header(source: &SourceFile, settings: &RunSettings) -> String {
    let mut header = format!(
        "design={} top={} seed={}",
        Path::new(&source.name)
            .file_name()
            .map_or(source.name.clone(), |n| n.to_string_lossy().into_owned()),
        settings.top_name,
        settings.seed
    );
    if let Some(range) = settings.random_delay {
        header.push_str(&format!(" random-delay={range}"));
    }
    header
}

/// Adds the transcript observer writing to `target`; returns its file when it writes one (to
/// move into place at the end).
fn add_transcript(
    simulation: &mut Simulation,
    target: TranscriptTarget,
    header: String,
    sources: &SourceMap,
) -> Result<Option<OutputFile>, DriverError> {
    let describe_sources = sources.clone();
    let describe = Box::new(move |site: u32| Some(describe_sources.locate(site as usize)));
    // The transcript ends with the deadlocks too, so that golden files catch a change in them.
    let (notes_sources, peers) = (sources.clone(), simulation.peers().to_vec());
    let notes: EndNotes = Box::new(move |registry, report| {
        deadlock_lines(&diagnose(report, &peers), registry, &notes_sources)
    });
    match target {
        TranscriptTarget::File(path) => {
            let file = OutputFile::create(&path)?;
            simulation.add_observer(
                TranscriptWriter::new(file.writer()?, header)
                    .with_site_describer(describe)
                    .with_end_notes(notes),
            );
            Ok(Some(file))
        }
        TranscriptTarget::Writer(w) => {
            simulation.add_observer(
                TranscriptWriter::new(w, header)
                    .with_site_describer(describe)
                    .with_end_notes(notes),
            );
            Ok(None)
        }
    }
}

/// Writes `stats` as JSON into `file` and moves it into place.
fn write_stats(file: OutputFile, stats: &Stats) -> Result<(), DriverError> {
    let mut out = std::io::BufWriter::new(file.writer()?);
    let written = serde_json::to_writer_pretty(&mut out, stats)
        .map_err(std::io::Error::from)
        .and_then(|_| out.write_all(b"\n"))
        .and_then(|_| out.flush());
    if let Err(source) = written {
        let (path, source) = failed_output(&source).unwrap_or((file.path().into(), source));
        return Err(DriverError::Output { path, source });
    }
    drop(out);
    file.commit()
}

/// `top.b waits on send top.b.R -> top.c.L at design.act:3:5`
fn waiting_line(s: &Stuck, registry: &Registry, sources: &SourceMap) -> String {
    let name = registry.shown_process(s.process);
    let at = s
        .site
        .map(|site| format!(" at {}", sources.locate(site as usize)))
        .unwrap_or_default();
    format!("{name} waits on {}{at}", describe_wait(registry, s.wait))
}

/// The deadlocks of a diagnosis, one line each: cycles (named `a → b → a`, then one line per
/// member), then processes stuck on their own. Shared by stderr and the transcript's end.
pub(crate) fn deadlock_lines(
    diagnosis: &Diagnosis,
    registry: &Registry,
    sources: &SourceMap,
) -> Vec<String> {
    let mut lines = Vec::new();
    for cycle in &diagnosis.cycles {
        let mut names: Vec<&str> = cycle
            .iter()
            .map(|s| registry.shown_process(s.process))
            .collect();
        names.push(names[0]);
        lines.push(format!("deadlock: cycle {}", names.join(" → ")));
        lines.extend(
            cycle
                .iter()
                .map(|s| format!("  {}", waiting_line(s, registry, sources))),
        );
    }
    lines.extend(
        diagnosis
            .stuck
            .iter()
            .map(|s| format!("deadlock: {}", waiting_line(s, registry, sources))),
    );
    lines
}

impl RunResult {
    /// The run ended because nothing was left to do, with a process stuck or in a cycle.
    pub fn ended_in_deadlock(&self) -> bool {
        self.report.reason == EndReason::Idle && self.diagnosis.is_deadlock()
    }

    /// The runtime error, rendered with its source snippet.
    pub fn render_error(&self) -> Option<String> {
        let error = self.error.as_ref()?;
        Some(render_in(&[error.diagnostic()], &self.sources))
    }

    /// The end-of-run explanation: one line per waiting process, deadlocks first.
    pub fn render_waiting(&self) -> String {
        self.render_deadlocks() + &self.render_idle()
    }

    /// The deadlocks, one line each (as the transcript ends with them).
    pub fn render_deadlocks(&self) -> String {
        deadlock_lines(&self.diagnosis, &self.registry, &self.sources)
            .into_iter()
            .map(|line| line + "\n")
            .collect()
    }

    /// The processes waiting at the end that are no deadlock, one line each (the first few).
    pub fn render_idle(&self) -> String {
        const IDLE_LISTED: usize = 10;
        let mut out = String::new();
        let unconnected = &self.diagnosis.unconnected;
        // A million idle buffers must not print a million lines: the first few say where.
        for s in self.diagnosis.normal_ends().take(IDLE_LISTED) {
            let line = waiting_line(s, &self.registry, &self.sources);
            let why = if unconnected.contains(s) {
                self.why_unconnected(s.wait)
            } else {
                self.why_waiting(Some(s.wait))
            };
            out.push_str(&format!("idle: {line} {why}\n"));
        }
        let count = self.diagnosis.normal_ends().count();
        if let Some(more) = count.checked_sub(IDLE_LISTED).filter(|&n| n > 0) {
            let noun = if more == 1 { "process" } else { "processes" };
            let why = self.why_waiting(None);
            out.push_str(&format!("idle: ... and {more} more {noun} {why}\n"));
        }
        out
    }

    /// Why a process waiting on (or behind) a channel end that nothing connects waits.
    fn why_unconnected(&self, wait: Wait) -> String {
        let open = |end: &str| end == crate::kernel::ChannelInfo::OPEN_END;
        match wait {
            Wait::Send(c) if open(&self.registry.channel(c).receiver_end) => {
                "(nothing is connected to receive: its port is open)".into()
            }
            Wait::Receive(c) if open(&self.registry.channel(c).sender_end) => {
                "(nothing is connected to send: its port is open)".into()
            }
            _ => "(it waits behind a process whose port is open)".into(),
        }
    }

    /// Why a process (waiting on `wait`, if known) is still waiting at the end.
    fn why_waiting(&self, wait: Option<Wait>) -> String {
        match self.report.reason {
            EndReason::Idle => match wait {
                Some(Wait::Receive(_)) => "(its input has ended)".into(),
                Some(Wait::Probe) => "(no guard holds, and no input it probes will change)".into(),
                _ => "(no input will come)".into(),
            },
            EndReason::Until | EndReason::MaxEvents => {
                format!("(when {} stopped the run)", self.limit_reached())
            }
            EndReason::Interrupted => "(when the run was interrupted)".into(),
            EndReason::Failed => "(when the run failed)".into(),
        }
    }

    /// `--until 95` or `--max-events 17`: the limit that stopped the run.
    fn limit_reached(&self) -> String {
        match self.report.reason {
            EndReason::Until => format!("--until {}", self.limits.until.unwrap_or_default()),
            _ => format!(
                "--max-events {}",
                self.limits.max_events.unwrap_or_default()
            ),
        }
    }

    /// The one line a run that ended without error ends with: when, why, how much happened,
    /// how many mutex violations it went on after (and where the first was), and how many
    /// processes still wait (listed by [`RunResult::render_idle`]).
    pub fn summary(&self) -> String {
        let r = &self.report;
        let how = match r.reason {
            EndReason::Until | EndReason::MaxEvents => {
                format!("stopped by {} at time {}", self.limit_reached(), r.time)
            }
            EndReason::Interrupted => format!("interrupted at time {}", r.time),
            EndReason::Idle | EndReason::Failed => format!("end at time {}", r.time),
        };
        let waiting = match self.diagnosis.normal_ends().count() {
            0 => String::new(),
            1 => "; 1 process waits at the end".into(),
            n => format!("; {n} processes wait at the end"),
        };
        let count =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let transitions = match r.transitions {
            0 => String::new(),
            n => format!(", {}", count(n, "transition", "transitions")),
        };
        let violations = match &self.mutex_violations.first {
            Some(first) => format!(
                "; {} (the first at time {} in `{}` at {})",
                count(
                    self.mutex_violations.count,
                    "mutex violation",
                    "mutex violations"
                ),
                first.time,
                first.process,
                self.sources.locate(first.span.start)
            ),
            None => String::new(),
        };
        format!(
            "{how}: {}, {}{transitions}{violations}{waiting}",
            count(r.handshakes, "handshake", "handshakes"),
            count(r.events, "event", "events")
        )
    }
}
