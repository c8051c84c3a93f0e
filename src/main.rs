//! The `chpsim` command line: parses arguments, calls the driver, prints, picks the exit code
//! (0 success; 1 the design misbehaved; 2 the input or the command line is wrong; 130
//! interrupted by Ctrl-C or SIGTERM).
use std::io::{self, IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chpsim::driver::check::{check_design_with, golden_path, CheckLimits};
use chpsim::driver::junit::{junit_report, JunitFile};
use chpsim::driver::options::{design_options, DeadlockPolicy, SimArgs};
use chpsim::driver::outputs::{check_distinct_outputs, BestEffort, PipeOutput};
use chpsim::driver::parallel::{default_jobs, on_deep_stack, run_ordered};
use chpsim::driver::progress::{terminal_progress, ProgressDisplay};
use chpsim::driver::sweep::{failure_report, RunOverrides, SeedRange, Shard, SweepDesign, Tally};
use chpsim::driver::DelayRange;
use chpsim::driver::{
    compile, run, DriverError, ElabOptions, Outputs, RunResult, SourceFile, TranscriptTarget,
};
use chpsim::kernel::EndReason;
use chpsim::output::waveform::{parse_timescale, TimescaleError, WaveOptions};
use clap::parser::ValueSource;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

/// `eprint!` that never panics: a full or closed stderr (`2>/dev/full`) must not change how
/// the command ends (its exit code says it all).
macro_rules! err {
    ($($arg:tt)*) => {{
        let _ = write!(io::stderr(), $($arg)*);
    }};
}

/// `eprintln!` that never panics (see `err!`).
macro_rules! errln {
    ($($arg:tt)*) => {{
        let _ = writeln!(io::stderr(), $($arg)*);
    }};
}

mod actsim_command;
use actsim_command::actsim_command;

#[derive(Parser)]
#[command(
    name = "chpsim",
    version,
    about = "Simulate asynchronous hardware written in CHP (ACT's language)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a design: log lines on stdout, optional transcript and VCD.
    Run(RunArgs),
    /// Run designs and compare their transcripts with golden files.
    Check(CheckArgs),
    /// Run a design once per seed; report each seed that deadlocks or fails, and how to
    /// reproduce it.
    Sweep(SweepArgs),
    /// Read, check and expand a design without running it (as ACT's `act-test -e`): exit 0
    /// if it is correct, 2 with its errors if not.
    Elaborate(ElaborateArgs),
    /// actsim's command line (`chpsim actsim [-cnf=FILE] FILE PROC < script`): runs the design
    /// as actsim's commands on stdin say (`cycle`, `step`, `advance`, `watch`, ...).
    #[command(disable_help_flag = true)]
    Actsim(ActsimCommand),
}

#[derive(Args)]
struct ActsimCommand {
    /// actsim's options and arguments (`chpsim actsim -help` lists them).
    #[arg(allow_hyphen_values = true, trailing_var_arg = true)]
    args: Vec<String>,
}

#[derive(Args)]
struct ElaborateArgs {
    /// The design file (.act).
    design: PathBuf,
    /// The process to expand as the top, as actsim names it (`test`, `test<>`, `fifo<8>`);
    /// default: the file's top-level instances, else a process named `test`, else only the
    /// definitions are checked (a library).
    #[arg(long)]
    top: Option<String>,
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("waveform").args(["vcd", "fst"]).multiple(true)))]
struct RunArgs {
    /// The design file (.act).
    design: PathBuf,
    #[command(flatten)]
    sim: SimArgs,
    /// Write a VCD waveform here.
    #[arg(long)]
    vcd: Option<PathBuf>,
    /// Write the waveform in GTKWave's compressed FST format here (for long runs).
    #[arg(long)]
    fst: Option<PathBuf>,
    /// Add every process's variables to the waveforms (ints as vectors, bools as 1-bit wires,
    /// records field by field); needs `--vcd` or `--fst`.
    #[arg(long, requires = "waveform")]
    vcd_vars: bool,
    /// Duration of one tick in the waveforms (e.g. 1ns, 10ps).
    #[arg(long, default_value = "1ns", value_parser = parse_timescale_arg)]
    timescale: (u32, vcd::TimescaleUnit),
    /// Write the transcript here (`-` for stdout, in place of the log lines).
    #[arg(long)]
    transcript: Option<PathBuf>,
    /// At the end, print per channel and per process statistics on stderr (handshakes, cycle
    /// times, who waited how long, the slowest channel).
    #[arg(long)]
    stats: bool,
    /// Write the same statistics to this file, as JSON.
    #[arg(long, value_name = "FILE")]
    stats_file: Option<PathBuf>,
    /// Print only errors, deadlocks, warnings about the design's text and what `--stats` asks
    /// for: not the design's log lines, runtime warnings, the progress bar or the summary line.
    #[arg(long, conflicts_with = "verbose")]
    quiet: bool,
    /// At the end, list the processes still waiting, and the speed of the run.
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Args)]
struct CheckArgs {
    /// Design files to check.
    #[arg(required = true)]
    designs: Vec<PathBuf>,
    /// Directory of golden transcripts (`<design>.transcript`); it must exist, but with
    /// `--bless`, which creates it.
    #[arg(long, default_value = "golden")]
    golden: PathBuf,
    /// Write each transcript that differs from its golden file (or has none) as its new
    /// golden file (creating the `--golden` directory), and print the diff it accepted; a
    /// run that fails (a runtime error, or a deadlock under `--deadlock=error`) is never
    /// blessed (REFUSED) unless its design's `// chpsim:` line says `--expect-failure`, nor is
    /// a design that cannot be read (INVALID).
    #[arg(long)]
    bless: bool,
    #[command(flatten)]
    jobs: Jobs,
    /// The process to simulate as the top of every design (over its `// chpsim:` line).
    #[arg(long)]
    top: Option<String>,
    /// Stop every run before the first event later than this time (over its `// chpsim:`
    /// line).
    #[arg(long)]
    until: Option<u64>,
    /// Stop every run after this many events (over its `// chpsim:` line).
    #[arg(long)]
    max_events: Option<u64>,
    /// Also write a JUnit XML report here (one test case per design, the diff as its failure).
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
}

#[derive(Args)]
struct SweepArgs {
    /// The design file (.act); the options of its `// chpsim:` lines apply.
    design: PathBuf,
    /// The seeds to run: A..B (B excluded, `0..100` is 100 seeds) or A..=B (B included).
    #[arg(long, value_name = "A..B")]
    seeds: SeedRange,
    /// Draw the choice among true guards of `[| |]` from each seed's random stream.
    #[arg(long)]
    random_choice: bool,
    /// Draw each action's delay from each seed's random stream, MIN to MAX ticks (both included).
    #[arg(long, value_name = "MIN..MAX")]
    random_delay: Option<DelayRange>,
    /// actsim's configuration file, for every run's delays (as `run --config`).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The process to simulate as the top, as actsim names it (`test`, `test<>`, `fifo<8>`),
    /// over the design's own `// chpsim: --top`.
    #[arg(long)]
    top: Option<String>,
    /// Stop every run before the first event later than this time (over the design's
    /// `// chpsim:` line).
    #[arg(long)]
    until: Option<u64>,
    /// Stop every run after this many events (over the design's `// chpsim:` line).
    #[arg(long)]
    max_events: Option<u64>,
    #[command(flatten)]
    jobs: Jobs,
    /// Run shard K of N only (1 <= K <= N): the K-th seed of the range and every N-th after it.
    #[arg(long, value_name = "K/N", default_value = "1/1")]
    shard: Shard,
}

#[derive(Args)]
struct Jobs {
    /// Threads to run on (default: the number of cores); the output is the same for any number.
    #[arg(long, value_name = "N")]
    #[arg(value_parser = parse_jobs)]
    jobs: Option<NonZeroUsize>,
}

impl Jobs {
    fn threads(&self) -> NonZeroUsize {
        self.jobs.unwrap_or_else(default_jobs)
    }
}

fn parse_jobs(s: &str) -> Result<NonZeroUsize, String> {
    match s.parse::<usize>() {
        Ok(n) => NonZeroUsize::new(n).ok_or_else(|| "at least one thread is needed".to_string()),
        Err(_) => Err(format!("`{s}` is not a number of threads")),
    }
}

fn parse_timescale_arg(s: &str) -> Result<(u32, vcd::TimescaleUnit), TimescaleError> {
    parse_timescale(s)
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // Deep hierarchies and call chains recurse deeper than the main thread's stack allows.
    let code = on_deep_stack(|| match cli.command {
        Command::Run(args) => {
            let run = matches.subcommand_matches("run").expect("the run command");
            let given = |id: &str| run.value_source(id) == Some(ValueSource::CommandLine);
            run_command(&args, &given)
        }
        Command::Check(args) => check_command(&args),
        Command::Sweep(args) => sweep_command(&args),
        Command::Elaborate(args) => elaborate_command(&args),
        Command::Actsim(args) => actsim_command(&args.args),
    });
    ExitCode::from(code)
}

/// Reads and compiles a design with its `// chpsim:` options under those of the command line
/// (`given` says which were given there). `as_actsim`: for `chpsim actsim`, which warns only
/// where actsim does (not about ports left open).
fn load(
    path: &Path,
    defines: &str,
    command_line: &SimArgs,
    given: &dyn Fn(&str) -> bool,
    as_actsim: bool,
) -> Result<(SourceFile, chpsim::driver::Design, SimArgs), DriverError> {
    let source = SourceFile::read(path)?.with_defines(defines);
    let own = design_options(&source)?;
    for line in &own.unread_lines {
        errln!("warning: {line}");
    }
    let sim = command_line.over(&own.sim, given);
    let options = ElabOptions {
        quiet_open_ends: as_actsim,
        ..sim.elab_options()?
    };
    let design = compile(&source, &options)?;
    // Warnings are about the input, like errors: `--quiet` does not hide them.
    err!("{}", design.render_warnings());
    Ok((source, design, sim))
}

fn run_command(args: &RunArgs, given: &dyn Fn(&str) -> bool) -> u8 {
    let interrupt = Interrupt::install();
    let (source, design, sim) = match load(&args.design, "", &args.sim, given, false) {
        Ok(x) => x,
        Err(e) => return report_driver_error(&e),
    };
    let to_stdout = args.transcript.as_deref() == Some(Path::new("-"));
    // The statistics file, too, is an output that completes the run.
    let writes_files = args.vcd.is_some()
        || args.fst.is_some()
        || args.stats_file.is_some()
        || (args.transcript.is_some() && !to_stdout);
    // A closed stdout stops a run that writes nothing else; one that writes files completes them.
    let stdout_gone = Arc::new(AtomicBool::new(false));
    let stdout = PipeOutput::new(
        io::stdout(),
        stdout_gone.clone(),
        (!writes_files).then(|| interrupt.stop.clone()),
    );
    let progress = if args.quiet {
        None
    } else {
        terminal_progress(sim.until, io::stderr().is_terminal())
    };
    let mut stdout = Some(stdout_writer(stdout, progress.as_ref()));
    let wave_options = WaveOptions {
        timescale: args.timescale,
        ..WaveOptions::default()
    };
    let outputs = Outputs {
        transcript: args.transcript.as_ref().map(|p| {
            if to_stdout {
                TranscriptTarget::Writer(stdout.take().expect("stdout is used once"))
            } else {
                TranscriptTarget::File(p.clone())
            }
        }),
        vcd: args.vcd.clone().map(|p| (p, wave_options.clone())),
        fst: args.fst.clone().map(|p| (p, wave_options.clone())),
        wave_variables: args.vcd_vars,
        log: stdout.filter(|_| !args.quiet),
        warnings: (!args.quiet).then(|| warnings_writer(progress.as_ref())),
        progress: progress.as_ref().map(ProgressDisplay::callback),
        interrupt: Some(interrupt.stop.clone()),
        stats: args.stats,
        stats_file: args.stats_file.clone(),
        inspectable: false,
    };
    let started = Instant::now();
    let settings = sim.settings(&design);
    interrupt.stops_run(true);
    let result = run(design, &source, &settings, outputs);
    interrupt.stops_run(false);
    if let Some(progress) = &progress {
        progress.clear();
    }
    let result = match result {
        Ok(r) => r,
        Err(e) => return report_driver_error(&e),
    };
    // A runtime error that came first is reported as such.
    if interrupt.signalled.load(Ordering::Relaxed) && result.error.is_none() {
        errln!("interrupted at time {}", result.report.time);
        return 130;
    }
    if result.report.reason == EndReason::Interrupted && stdout_gone.load(Ordering::Relaxed) {
        return 0; // the reader of stdout has all it wanted
    }
    // Asked for by name, so printed even with `--quiet`; above the summary line, which stays last.
    if let Some(stats) = result.stats.as_ref().filter(|_| args.stats) {
        err!("{}", stats.to_text());
    }
    explain_end(&result, args, &sim, started.elapsed())
}

/// Reads, checks and expands a design; prints its warnings and a one-line summary on stderr.
fn elaborate_command(args: &ElaborateArgs) -> u8 {
    let source = match SourceFile::read(&args.design) {
        Ok(source) => source,
        Err(e) => return report_driver_error(&e),
    };
    let options = ElabOptions {
        top: args.top.clone(),
        library_ok: true,
        unsimulated_ok: true,
        strict_act: true,
        ..ElabOptions::default()
    };
    match compile(&source, &options) {
        Ok(design) => {
            err!("{}", design.render_warnings());
            errln!("{}: {}", source.name, design.summary());
            0
        }
        Err(e) => report_driver_error(&e),
    }
}

/// Ctrl-C and SIGTERM. While a run writes its outputs, the first signal stops it at the current
/// time, and its outputs end cleanly there. Anywhere else (reading and elaborating the design,
/// `check`, `sweep`), and at a second signal, chpsim exits at once with 130, after removing
/// the temporary files of the outputs it has not finished (the previous files stay).
struct Interrupt {
    /// What the kernel looks at: set by a signal, or by a closed stdout.
    stop: Arc<AtomicBool>,
    /// Set by a signal only (exit code 130).
    signalled: Arc<AtomicBool>,
    /// A run is going on, which a first signal stops cleanly.
    stops_run: Arc<AtomicBool>,
}

impl Interrupt {
    fn install() -> Self {
        let interrupt = Interrupt {
            stop: Arc::new(AtomicBool::new(false)),
            signalled: Arc::new(AtomicBool::new(false)),
            stops_run: Arc::new(AtomicBool::new(false)),
        };
        let (stop, signalled, stops_run) = (
            interrupt.stop.clone(),
            interrupt.signalled.clone(),
            interrupt.stops_run.clone(),
        );
        // Without a handler a signal ends the process as usual: nothing is lost but the outputs.
        let _ = ctrlc::set_handler(move || {
            let again = signalled.swap(true, Ordering::SeqCst);
            if again || !stops_run.load(Ordering::SeqCst) {
                exit_interrupted();
            }
            stop.store(true, Ordering::SeqCst);
        });
        interrupt
    }

    /// From now on (`true`) until the run returns (`false`), a first signal stops the run
    /// rather than the process.
    fn stops_run(&self, running: bool) {
        self.stops_run.store(running, Ordering::SeqCst);
    }
}

/// Exits at once on a signal: no temporary file left, no progress bar left on the terminal.
fn exit_interrupted() -> ! {
    chpsim::driver::outputs::remove_temporary_files();
    let mut stderr = BestEffort(io::stderr());
    if io::stderr().is_terminal() {
        // Erases the line of the progress bar, if it is there.
        let _ = write!(stderr, "\r\x1b[2K");
    }
    let _ = writeln!(stderr, "interrupted");
    std::process::exit(130)
}

/// Where log lines (or the transcript) go: line by line to a terminal (a designer watches them
/// come, above the progress bar), in blocks to a file or a pipe (a million log lines must not
/// cost a million writes).
fn stdout_writer(
    stdout: PipeOutput<io::Stdout>,
    progress: Option<&ProgressDisplay>,
) -> Box<dyn Write> {
    if !io::stdout().is_terminal() {
        return Box::new(io::BufWriter::with_capacity(1 << 16, stdout));
    }
    match progress {
        Some(progress) => Box::new(io::LineWriter::new(progress.above(stdout))),
        None => Box::new(io::LineWriter::new(stdout)),
    }
}

/// Where `warn(...)` goes: stderr, above the progress bar when there is one.
fn warnings_writer(progress: Option<&ProgressDisplay>) -> Box<dyn Write> {
    match progress {
        Some(progress) => Box::new(progress.above(BestEffort(io::stderr()))),
        None => Box::new(BestEffort(io::stderr())),
    }
}

/// Prints how the run ended on stderr and returns the exit code: the error, the deadlocks, and
/// one summary line; the processes waiting at the end and the speed only with `--verbose`.
fn explain_end(result: &RunResult, args: &RunArgs, sim: &SimArgs, wall: Duration) -> u8 {
    if let Some(text) = result.render_error() {
        err!("{text}");
        return 1;
    }
    let deadlock = result.ended_in_deadlock();
    if deadlock {
        err!("{}", result.render_deadlocks());
    }
    if args.verbose {
        err!("{}", result.render_idle());
    }
    if !args.quiet {
        let mut summary = result.summary();
        if args.verbose {
            let seconds = wall.as_secs_f64();
            let rate = result.report.handshakes as f64 / seconds.max(1e-9) / 1e6;
            summary.push_str(&format!("; {seconds:.3} s wall, {rate:.2} M handshakes/s"));
        } else if result.diagnosis.normal_ends().next().is_some() {
            summary.push_str(" (--verbose lists them)");
        }
        errln!("{summary}");
    }
    if deadlock && sim.deadlock == DeadlockPolicy::Error {
        errln!("error: the run ended in deadlock (--deadlock=error)");
        return 1;
    }
    0
}

fn report_driver_error(e: &DriverError) -> u8 {
    err!("{}", e.render());
    2
}

/// Checks the designs on `--jobs` threads, printing each design's verdict in the order given,
/// then one summary line.
fn check_command(args: &CheckArgs) -> u8 {
    let _interrupt = Interrupt::install();
    if let Some(problem) = check_arguments_problem(args) {
        errln!("error: {problem}");
        return 2;
    }
    if let Some(junit) = &args.junit {
        // The report must not replace a design or a golden file the check reads.
        let goldens: Vec<PathBuf> = (args.designs.iter())
            .map(|d| golden_path(&args.golden, d))
            .collect();
        let designs = args
            .designs
            .iter()
            .map(|d| ("the design's file", d.as_path()));
        let goldens = goldens.iter().map(|g| ("the golden file", g.as_path()));
        let inputs: Vec<(&str, &Path)> = designs.chain(goldens).collect();
        if let Err(e) = check_distinct_outputs(&[("--junit", junit)], &inputs) {
            return report_driver_error(&e);
        }
    }
    let junit = match args.junit.as_deref().map(JunitFile::create).transpose() {
        Ok(junit) => junit,
        Err(e) => return report_driver_error(&e),
    };
    let started = Instant::now();
    // A reader that closes stdout (`| head`) is not an error: the checks go on, unprinted.
    let mut out = PipeOutput::new(io::stdout(), Arc::new(AtomicBool::new(false)), None);
    let mut worst = 0u8;
    let mut checks = Vec::new();
    let mut tally = [0usize; 3];
    let limits = CheckLimits {
        top: args.top.clone(),
        until: args.until,
        max_events: args.max_events,
    };
    let check = |i: usize| check_design_with(&args.designs[i], &args.golden, args.bless, &limits);
    run_ordered(args.designs.len(), args.jobs.threads(), check, |check| {
        // Nothing more to do when stdout fails otherwise: the exit code still says it all.
        let _ = out
            .write_all(check.report.as_bytes())
            .and_then(|_| out.flush());
        err!("{}", check.errors());
        worst = worst.max(check.exit_code());
        tally[usize::from(check.exit_code())] += 1;
        if junit.is_some() {
            checks.push(check);
        }
    });
    let _ = writeln!(out, "{}", check_summary(tally, args.bless));
    if let Some(junit) = junit {
        if let Err(e) = junit.write(&junit_report(&checks, started.elapsed())) {
            return report_driver_error(&e);
        }
    }
    worst
}

/// What is wrong with `check`'s arguments as a whole, if anything: a golden directory that
/// does not exist (a typo would otherwise make every design MISSING), or two designs that
/// would share one golden file.
fn check_arguments_problem(args: &CheckArgs) -> Option<String> {
    if !args.bless && !args.golden.is_dir() {
        return Some(format!(
            "--golden {}: there is no such directory (`--bless` creates it)",
            args.golden.display()
        ));
    }
    let mut seen: Vec<(PathBuf, &Path)> = Vec::new();
    for design in &args.designs {
        let golden = golden_path(&args.golden, design);
        let same = |other: &Path| {
            let canonical = |p: &Path| std::fs::canonicalize(p).ok();
            other == design || canonical(other).is_some_and(|c| Some(c) == canonical(design))
        };
        match seen.iter().find(|(g, _)| *g == golden) {
            // The same design twice is checked twice, harmlessly.
            Some((_, other)) if same(other) => {}
            Some((_, other)) => {
                return Some(format!(
                    "{} and {} would share one golden file, {}: rename one, or check them in \
                     separate runs with their own --golden",
                    other.display(),
                    design.display(),
                    golden.display()
                ));
            }
            None => seen.push((golden, design)),
        }
    }
    None
}

/// `check`'s last line: `24 ok, 1 failed, 1 invalid` (`blessed` when blessing).
fn check_summary([passed, failed, invalid]: [usize; 3], bless: bool) -> String {
    let mut parts = vec![format!(
        "{passed} {}",
        if bless { "ok or blessed" } else { "ok" }
    )];
    if failed > 0 {
        parts.push(format!("{failed} failed"));
    }
    if invalid > 0 {
        parts.push(format!("{invalid} invalid"));
    }
    let total = passed + failed + invalid;
    let designs = if total == 1 { "design" } else { "designs" };
    format!("check: {} ({total} {designs})", parts.join(", "))
}

/// Runs the design once per seed of the shard on `--jobs` threads; prints the seeds that
/// failed in seed order (stdout), then a summary with the speed (stderr). Exit code 1 if any
/// seed failed.
fn sweep_command(args: &SweepArgs) -> u8 {
    let _interrupt = Interrupt::install();
    let overrides = RunOverrides {
        random_choice: args.random_choice,
        random_delay: args.random_delay,
        config: args.config.clone(),
        top: args.top.clone(),
        until: args.until,
        max_events: args.max_events,
    };
    let design = match SweepDesign::load(&args.design, overrides) {
        Ok(design) => design,
        Err(e) => return report_driver_error(&e),
    };
    let Ok(count) = usize::try_from(args.shard.len(args.seeds)) else {
        errln!(
            "error: --seeds {}: too many seeds for one run (at most {} a shard)",
            args.seeds,
            usize::MAX
        );
        return 2;
    };
    if !design.draws_at_random() {
        errln!(
            "warning: {} draws nothing at random (no --random-choice, no --random-delay): \
             every seed runs the same",
            design.path
        );
    }
    let started = Instant::now();
    let mut out = PipeOutput::new(io::stdout(), Arc::new(AtomicBool::new(false)), None);
    let mut tally = Tally::default();
    let threads = args.jobs.threads();
    let run_one = |i: usize| {
        let seed = args.shard.seed(args.seeds, i as u64);
        (seed, design.run_seed(seed))
    };
    run_ordered(count, threads, run_one, |(seed, failure)| {
        tally.add(failure.as_ref());
        if let Some(failure) = failure {
            let report = failure_report(&design, seed, &failure);
            let _ = out.write_all(report.as_bytes()).and_then(|_| out.flush());
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    let rate = tally.runs as f64 / seconds.max(1e-9);
    let shard = match args.shard {
        Shard::ALL => String::new(),
        shard => format!(" shard {shard}"),
    };
    let threads = match threads.get() {
        1 => "1 thread".to_string(),
        n => format!("{n} threads"),
    };
    errln!(
        "sweep {} --seeds {}{shard}: {}; {seconds:.2} s, {rate:.0} runs/s on {threads}",
        design.path,
        args.seeds,
        tally.summary()
    );
    u8::from(tally.failed() > 0)
}
