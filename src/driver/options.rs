//! Simulation options shared by `chpsim run`, `chpsim check` and the options a design carries
//! in its first comment lines (`// chpsim: --until 500 --seed 3`), which `check` and the tests
//! use so that every design runs the same way everywhere. `run` applies them too; an option
//! given on its command line overrides the design's.
use clap::{Args, Parser, ValueEnum};

use super::{DriverError, RunSettings, SourceFile};
use std::path::PathBuf;

use crate::diag::ActFatal;
use crate::elab::delays::DelayConfig;
use crate::elab::levels::LevelConfig;
use crate::elab::{ir::Design, ElabOptions};
use crate::front::config::{parse_settings_into, Settings};
use crate::kernel::Limits;
use crate::sim::external::ExternalConfig;
use crate::sim::DelayRange;

/// The options of a run, as `chpsim run` and a design's `// chpsim:` line give them.
#[derive(Args, Clone, Debug, Default)]
pub struct SimArgs {
    /// The process to simulate as the top, named as actsim names it (`actsim file.act NAME`:
    /// `test`, `test<>`, `fifo<8>`, `ns::fifo<8,t>`); default: the file's top-level instance,
    /// else a process named `test`.
    #[arg(long)]
    pub top: Option<String>,
    /// Seed of the run's random stream (actsim's `rand_r`, modulo 2^32) for random choices
    /// and delays.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Draw the choice among true guards of `[| |]` from the random stream (default: the first
    /// true guard in source order, as actsim does).
    #[arg(long)]
    pub random_choice: bool,
    /// Delay of every action that has none of its own, in ticks, at least 1 (default: the
    /// configuration's `sim.chp.default_delay`, else ACT's 10).
    #[arg(long, value_parser = parse_delay)]
    pub delay: Option<u64>,
    /// actsim's configuration file (`actsim -cnf=FILE`): statement delays
    /// `sim.chp.<process>.<name>.D` and `sim.chp.default_delay`. In a design's `// chpsim:` line,
    /// relative to the design's folder.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Draw each action's delay from the random stream, MIN to MAX ticks (both included); an
    /// action that takes no time still takes none (as actsim's `random min max`).
    #[arg(long, value_name = "MIN..MAX")]
    pub random_delay: Option<DelayRange>,
    /// Stop before the first event later than this time.
    #[arg(long)]
    pub until: Option<u64>,
    /// Stop after this many events.
    #[arg(long)]
    pub max_events: Option<u64>,
    /// Whether a deadlock at the end fails the run.
    #[arg(long, value_enum, default_value_t = DeadlockPolicy::Warn)]
    pub deadlock: DeadlockPolicy,
    /// Check the `exclhi`/`excllo` directives of `spec` bodies and report their violations (as
    /// `actsim -m`; without it they are not checked, as in actsim).
    #[arg(long)]
    pub excl_monitors: bool,
    /// ACT's refinement steps (`actsim -ref=N`): a process's `refine<k> { }` bodies with `k` up
    /// to N replace its own `chp`/`hse`/`prs` (default 0: refinements are left out).
    #[arg(long, value_name = "N")]
    pub refine: Option<u64>,
}

/// What a deadlock at the end of a run does (`--deadlock`): it is reported, and with `Error`
/// it fails the run.
// Clap would show the variants' doc comments in `--help`: they are documented here instead.
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum DeadlockPolicy {
    #[default]
    Warn,
    Error,
}

impl SimArgs {
    /// What elaboration needs from these options: the top, and the delays of `--config`
    /// (read here; a file that cannot be read or has errors is a [`DriverError`]).
    pub fn elab_options(&self) -> Result<ElabOptions, DriverError> {
        let (delays, externals, levels) = match &self.config {
            Some(path) => read_config(path)?,
            None => Default::default(),
        };
        Ok(ElabOptions {
            top: self.top.clone(),
            delays,
            externals,
            levels,
            library_ok: false,
            unsimulated_ok: false,
            strict_act: false,
            quiet_open_ends: false,
            refine_steps: self.refine.unwrap_or(0),
        })
    }

    /// These options over a design's own (its `// chpsim:` line): an option given on the
    /// command line (`given(id)`, with clap's argument ids) wins, else the design's applies.
    pub fn over(&self, design: &SimArgs, given: impl Fn(&str) -> bool) -> SimArgs {
        fn pick<T: Clone>(given: bool, command_line: &T, design: &T) -> T {
            if given { command_line } else { design }.clone()
        }
        SimArgs {
            top: pick(given("top"), &self.top, &design.top),
            seed: pick(given("seed"), &self.seed, &design.seed),
            random_choice: self.random_choice || design.random_choice,
            delay: pick(given("delay"), &self.delay, &design.delay),
            config: pick(given("config"), &self.config, &design.config),
            random_delay: pick(
                given("random_delay"),
                &self.random_delay,
                &design.random_delay,
            ),
            until: pick(given("until"), &self.until, &design.until),
            max_events: pick(given("max_events"), &self.max_events, &design.max_events),
            deadlock: pick(given("deadlock"), &self.deadlock, &design.deadlock),
            excl_monitors: self.excl_monitors || design.excl_monitors,
            refine: pick(given("refine"), &self.refine, &design.refine),
        }
    }

    /// The run settings for `design` (elaborated with [`SimArgs::elab_options`]).
    pub fn settings(&self, design: &Design) -> RunSettings {
        let top_name = design.top.clone();
        RunSettings {
            seed: self.seed,
            random_choice: self.random_choice,
            delay: (self.delay)
                .or(design.default_delay)
                .unwrap_or(crate::sim::DEFAULT_DELAY),
            random_delay: self.random_delay,
            limits: Limits {
                until: self.until,
                max_events: self.max_events,
            },
            top_name,
            excl_monitors: self.excl_monitors,
        }
    }
}

/// The `// chpsim:` options of a design.
#[derive(Parser, Clone, Debug, Default)]
#[command(no_binary_name = true)]
pub struct DesignOptions {
    /// The run's options.
    #[command(flatten)]
    pub sim: SimArgs,
    /// The run is meant to fail (a runtime error, or a deadlock under `--deadlock=error`):
    /// `check` accepts, and `check --bless` records, only such a design's failure.
    #[arg(long)]
    pub expect_failure: bool,
    /// Lines of the header that look like an options line but are not one (`//chpsim:`,
    /// `// CHPSIM:`): each with a warning, as they are not read.
    #[arg(skip)]
    pub unread_lines: Vec<String>,
}

/// A design's `// chpsim:` options that do not parse: what is wrong, and what was probably
/// meant when clap can tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionsError {
    /// What is wrong (clap's first line).
    pub what: String,
    /// What was probably meant.
    pub tip: Option<String>,
}

impl std::fmt::Display for OptionsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.tip {
            Some(tip) => write!(f, "{} ({tip})", self.what),
            None => f.write_str(&self.what),
        }
    }
}

impl std::error::Error for OptionsError {}

/// `--delay`: a run whose every action takes no time never leaves time 0 (`--until` cannot
/// stop it, and `--random-delay` draws only the delays that are not zero).
fn parse_delay(s: &str) -> Result<u64, String> {
    match s.parse::<u64>() {
        Ok(0) => Err(
            "at least 1 tick: with 0 every action happens at time 0, so --until never \
                      stops the run and --random-delay has no delay to draw"
                .to_string(),
        ),
        Ok(ticks) => Ok(ticks),
        Err(_) => Err(format!("`{s}` is not a number of ticks")),
    }
}

/// The delays, the external functions' settings and the levels of the configuration file at
/// `path` (and of the files it includes).
fn read_config(
    path: &std::path::Path,
) -> Result<(DelayConfig, ExternalConfig, LevelConfig), DriverError> {
    let mut sources = crate::diag::SourceMap::default();
    let mut settings = Settings::default();
    let mut reading = Vec::new();
    let name = path.display().to_string();
    let read = read_config_file(path, &name, &mut sources, &mut settings, &mut reading);
    let invalid = |mut diagnostics: Vec<crate::diag::Diagnostic>, sources| {
        // A file that is no configuration at all (`--config /etc/passwd`) has an error on
        // every line: the first few say enough.
        const SHOWN: usize = 5;
        if diagnostics.len() > SHOWN {
            let more = diagnostics.len() - SHOWN;
            diagnostics.truncate(SHOWN);
            diagnostics.push(crate::diag::Diagnostic::whole_file(format!(
                "{more} more errors in {}: is it an actsim configuration file?",
                path.display()
            )));
        }
        DriverError::Invalid {
            diagnostics,
            sources,
        }
    };
    match read {
        Ok(()) => {}
        Err(ConfigError::Driver(e)) => return Err(e),
        Err(ConfigError::Invalid(d)) => return Err(invalid(d, sources)),
    }
    let delays = DelayConfig::from_settings(&settings);
    let levels = LevelConfig::from_settings(&settings);
    match (delays, levels) {
        (Ok(delays), Ok(levels)) => Ok((delays, ExternalConfig::from_settings(&settings), levels)),
        (delays, levels) => {
            let mut errors = delays.err().unwrap_or_default();
            errors.extend(levels.err().unwrap_or_default());
            Err(invalid(errors, sources))
        }
    }
}

/// Why a configuration file (or one it includes) gives no settings.
enum ConfigError {
    /// The file named on the command line cannot be read.
    Driver(DriverError),
    /// Malformed lines, or an `include` that cannot be read, at their places.
    Invalid(Vec<crate::diag::Diagnostic>),
}

/// Reads the configuration file at `path` into `settings`, each file it includes first, as
/// ACT's `config_read`: a file already read (`reading`) is not read again, and an included
/// name is looked for in the working directory, then next to the file that includes it,
/// then in `$ACT_HOME/conf/$ACT_TECH/` (`generic` without `ACT_TECH`). `act_name` is the
/// file's name as ACT's messages give it (as the command line or the `include` line has it).
fn read_config_file(
    path: &std::path::Path,
    act_name: &str,
    sources: &mut crate::diag::SourceMap,
    settings: &mut Settings,
    reading: &mut Vec<PathBuf>,
) -> Result<(), ConfigError> {
    // The same file under another name (`./a.conf`, `a.conf`) is the same file.
    let canonical = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.into());
    reading.push(canonical(path));
    let file = SourceFile::read(path).map_err(ConfigError::Driver)?;
    let base = sources.add(file.name.clone(), &file.text);
    let folder = path.parent().map(std::path::Path::to_path_buf);
    let mut include = |name: &str, span: std::ops::Range<usize>, settings: &mut Settings| {
        let cannot_open = ActFatal::Message(format!(
            "Could not open configuration file `{name}' for reading."
        ));
        let Some(found) = included_file(name, folder.as_deref()) else {
            return Err(vec![crate::diag::Diagnostic::error(
                span,
                format!("could not open configuration file `{name}' for reading"),
            )
            .with_act_fatal(cannot_open)]);
        };
        if reading.contains(&canonical(&found)) {
            return Ok(());
        }
        match read_config_file(&found, name, sources, settings, reading) {
            Ok(()) => Ok(()),
            Err(ConfigError::Invalid(d)) => Err(d),
            Err(ConfigError::Driver(e)) => {
                let d = crate::diag::Diagnostic::error(span, e.to_string());
                Err(vec![match e {
                    DriverError::Read { .. } => d.with_act_fatal(cannot_open),
                    _ => d,
                }])
            }
        }
    };
    parse_settings_into(&file.text, base, act_name, settings, &mut include)
        .map_err(ConfigError::Invalid)
}

/// Where an included configuration file `name` is (see [`read_config_file`]); `${VAR}` in
/// it is the environment's value, as ACT's own files write it
/// (`include "${ACT_HOME}/conf/generic/global_generic.conf"`).
fn included_file(name: &str, folder: Option<&std::path::Path>) -> Option<PathBuf> {
    let name = crate::sim::external::library::expand_variables(name);
    let name = std::path::Path::new(&name);
    if name.is_absolute() {
        return name.is_file().then(|| name.to_path_buf());
    }
    let tech = std::env::var("ACT_TECH").unwrap_or_else(|_| "generic".to_string());
    let act_home =
        std::env::var_os("ACT_HOME").map(|home| PathBuf::from(home).join("conf").join(tech));
    [
        Some(PathBuf::new()),
        folder.map(std::path::Path::to_path_buf),
        act_home,
    ]
    .into_iter()
    .flatten()
    .map(|dir| dir.join(name))
    .find(|candidate| candidate.is_file())
}

/// The words of a `// chpsim:` line, with a top's template arguments written with spaces
/// (`--top fifo<8, 4>`) joined back into one word: the line has no shell quoting.
fn with_template_arguments_joined(words: Vec<String>) -> Vec<String> {
    let open = |w: &str| w.matches('<').count() > w.matches('>').count();
    let mut joined: Vec<String> = Vec::with_capacity(words.len());
    for word in words {
        match joined.last_mut() {
            Some(last) if open(last) => last.push_str(&word),
            _ => joined.push(word),
        }
    }
    joined
}

/// Reads the `// chpsim: ...` lines at the top of a design: its first comment lines, after a
/// leading `/* ... */` block (a licence header) if there is one.
pub fn design_options(source: &SourceFile) -> Result<DesignOptions, DriverError> {
    let mut words = Vec::new();
    let mut unread = Vec::new();
    let mut lines = source.text.lines().peekable();
    while lines.peek().is_some_and(|l| l.trim().is_empty()) {
        lines.next();
    }
    if lines
        .peek()
        .is_some_and(|l| l.trim_start().starts_with("/*"))
    {
        for line in lines.by_ref() {
            if line.contains("*/") {
                break;
            }
        }
    }
    let header = lines.take_while(|l| l.trim_start().starts_with("//") || l.trim().is_empty());
    for line in header {
        let line = line.trim_start();
        if let Some(rest) = line.strip_prefix("// chpsim:") {
            words.extend(rest.split_whitespace().map(str::to_string));
        } else if line
            .trim_start_matches('/')
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("chpsim:")
        {
            unread.push(format!(
                "{}: `{line}` is not read as options: write `// chpsim: ...` (two slashes, a \
                 space, lower case)",
                source.name
            ));
        }
    }
    let words = with_template_arguments_joined(words);
    let mut options = DesignOptions::try_parse_from(words).map_err(|e| {
        // clap's first line says what is wrong, and its tip what was probably meant; its
        // usage lines are about the command line, not about the design's header.
        let text = match e.kind() {
            clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                "error: `--help` and `--version` are no options of a design (see `chpsim run \
                 --help`)"
                    .to_string()
            }
            _ => e.to_string(),
        };
        let first = text.lines().next().unwrap_or_default();
        let tip = (text.lines()).find_map(|l| l.trim_start().strip_prefix("tip: "));
        DriverError::Options {
            file: source.name.clone(),
            source: OptionsError {
                what: first.strip_prefix("error: ").unwrap_or(first).to_string(),
                tip: tip.map(str::to_string),
            },
        }
    })?;
    options.unread_lines = unread;
    // A design names its configuration file from where it is, wherever it is run from.
    if let Some(config) = &mut options.sim.config {
        if let Some(folder) = std::path::Path::new(&source.name).parent() {
            *config = folder.join(&*config);
        }
    }
    Ok(options)
}
