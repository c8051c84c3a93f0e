//! `chpsim sweep`: one design run once per seed, to find the seeds under which it deadlocks,
//! fails an assertion, stops on another runtime error or has guards that are not exclusive (a
//! mutex violation, after which a run goes on), each with the `chpsim run` command that
//! reproduces it. `--shard K/N` splits the seeds among the machines of a CI matrix.
use std::fmt;
use std::str::FromStr;

use super::options::{design_options, SimArgs};
use super::{
    elaborate_program, parse_source, run, DriverError, ElabOptions, MutexViolation, Outputs,
    ParsedDesign, RuntimeError, SourceFile,
};
use crate::sim::DelayRange;

/// The seeds of a sweep, `A..B` (B excluded, as in Rust: `0..100` is 100 seeds) or `A..=B`
/// (B included). Never empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeedRange {
    /// The first seed.
    pub first: u64,
    /// The last seed (included).
    pub last: u64,
}

/// Why a text is no [`SeedRange`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SeedRangeError {
    /// Not `A..B` or `A..=B`.
    #[error("expected A..B (B excluded) or A..=B (B included), e.g. 0..1000")]
    Form,
    /// An end that is not a `u64`.
    #[error("`{0}` is not a seed (a number from 0 to {max})", max = u64::MAX)]
    NotASeed(String),
    /// The range is empty (`5..5`, `9..3`).
    #[error("{0} holds no seeds")]
    Empty(String),
}

impl FromStr for SeedRange {
    type Err = SeedRangeError;

    fn from_str(s: &str) -> Result<Self, SeedRangeError> {
        let number = |text: &str| {
            (text.trim().parse::<u64>()).map_err(|_| SeedRangeError::NotASeed(text.to_string()))
        };
        let (first, last) = if let Some((a, b)) = s.split_once("..=") {
            (number(a)?, Some(number(b)?))
        } else if let Some((a, b)) = s.split_once("..") {
            (number(a)?, number(b)?.checked_sub(1))
        } else {
            return Err(SeedRangeError::Form);
        };
        match last {
            Some(last) if last >= first => Ok(SeedRange { first, last }),
            _ => Err(SeedRangeError::Empty(s.to_string())),
        }
    }
}

impl fmt::Display for SeedRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.last.checked_add(1) {
            Some(end) => write!(f, "{}..{end}", self.first),
            None => write!(f, "{}..={}", self.first, self.last),
        }
    }
}

/// Shard `index` of `count` (`--shard K/N`, 1 ≤ K ≤ N): it takes every N-th seed of the range,
/// starting with its K-th. The N shards together take each seed exactly once, and each gets a
/// share of every part of the range (so that slow or failing seeds that cluster are spread).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// K: which shard, from 1.
    pub index: u64,
    /// N: how many shards.
    pub count: u64,
}

impl Shard {
    /// The whole range: `--shard 1/1`.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// How many seeds of `range` this shard takes (`0..=u64::MAX` is 2^64 seeds: a `u128`).
    pub fn len(&self, range: SeedRange) -> u128 {
        let offset = self.index - 1;
        match (range.last - range.first).checked_sub(offset) {
            Some(rest) => u128::from(rest / self.count) + 1,
            None => 0,
        }
    }

    /// The `i`-th seed this shard takes (`i < self.len(range)`).
    pub fn seed(&self, range: SeedRange, i: u64) -> u64 {
        range.first + (self.index - 1) + i * self.count
    }
}

/// A text that is no [`Shard`] (`K/N` with 1 <= K <= N).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("expected K/N with 1 <= K <= N (shard K of N), e.g. 2/4, not `{0}`")]
pub struct ShardError(pub String);

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(s: &str) -> Result<Self, ShardError> {
        let usage = || ShardError(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(usage)?;
        let (index, count) = match (k.trim().parse::<u64>(), n.trim().parse::<u64>()) {
            (Ok(index), Ok(count)) => (index, count),
            _ => return Err(usage()),
        };
        if index == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// How one seed's run failed.
#[derive(Debug)]
pub enum Failure {
    /// An assertion or another runtime error.
    RuntimeError(RuntimeError),
    /// Several guards of a deterministic selection or loop held at once: the first time.
    /// The run went on (as `chpsim run` does), but a sweep looks for misbehaviour.
    MutexViolation(MutexViolation),
    /// The run ended in deadlock: its first `deadlock:` line.
    Deadlock(String),
    /// The design did not compile or run at all.
    Invalid(DriverError),
}

/// The options a sweep's command line gives every run, over those of the design's
/// `// chpsim:` lines; the reproducing commands give them too.
#[derive(Clone, Debug, Default)]
pub struct RunOverrides {
    /// `--random-choice`: every run draws its choices among true guards.
    pub random_choice: bool,
    /// `--random-delay MIN..MAX`: every run draws its delays from this range.
    pub random_delay: Option<DelayRange>,
    /// `--config FILE`: every run takes its delays from this actsim configuration file.
    pub config: Option<std::path::PathBuf>,
    /// `--top NAME`: the process every run simulates as the top (as `run --top`).
    pub top: Option<String>,
    /// `--until T`: every run stops before the first event later than this time.
    pub until: Option<u64>,
    /// `--max-events N`: every run stops after this many events.
    pub max_events: Option<u64>,
}

/// What the sweep runs: the design's text, with the options of its `// chpsim:` lines under
/// those of the sweep's command line (as `chpsim run` applies them).
#[derive(Debug)]
pub struct SweepDesign {
    /// The design's path as the user gave it (for the reproducing command line).
    pub path: String,
    text: String,
    program: ParsedDesign,
    /// The top and the configuration's delays, read once.
    elab: ElabOptions,
    options: SimArgs,
    overrides: RunOverrides,
}

impl SweepDesign {
    /// Reads, parses and elaborates the design once, so that a bad design is reported once, up
    /// front; each seed's run elaborates the parsed design again, on its own thread.
    pub fn load(path: &std::path::Path, overrides: RunOverrides) -> Result<Self, DriverError> {
        let source = SourceFile::read(path)?;
        let mut own = design_options(&source)?;
        if let Some(config) = &overrides.config {
            own.sim.config = Some(config.clone());
        }
        own.sim.top = overrides.top.clone().or(own.sim.top);
        own.sim.until = overrides.until.or(own.sim.until);
        own.sim.max_events = overrides.max_events.or(own.sim.max_events);
        let program = parse_source(&source)?;
        let elab = own.sim.elab_options()?;
        elaborate_program(&program, &elab)?;
        Ok(Self {
            path: source.name,
            text: source.text.to_string(),
            program,
            elab,
            options: own.sim,
            overrides,
        })
    }

    /// Whether runs under different seeds can differ: the seed draws only the choices of
    /// `--random-choice` and the delays of `--random-delay`.
    pub fn draws_at_random(&self) -> bool {
        self.options.random_choice
            || self.options.random_delay.is_some()
            || self.overrides.random_choice
            || self.overrides.random_delay.is_some()
    }

    /// Runs the design with `seed`, entirely on the calling thread; `None` if it went well.
    pub fn run_seed(&self, seed: u64) -> Option<Failure> {
        let source = SourceFile::new(self.path.clone(), &self.text);
        let mut sim = self.options.clone();
        sim.seed = seed;
        sim.random_choice |= self.overrides.random_choice;
        sim.random_delay = self.overrides.random_delay.or(sim.random_delay);
        let result = elaborate_program(&self.program, &self.elab).and_then(|design| {
            let settings = sim.settings(&design);
            run(design, &source, &settings, Outputs::default())
        });
        let result = match result {
            Ok(result) => result,
            Err(e) => return Some(Failure::Invalid(e)),
        };
        if let Some(error) = result.error {
            return Some(Failure::RuntimeError(error));
        }
        if let Some(first) = result.mutex_violations.first {
            return Some(Failure::MutexViolation(first));
        }
        if !result.ended_in_deadlock() {
            return None;
        }
        let first = result.render_deadlocks();
        let first = first.lines().next().unwrap_or("deadlock");
        Some(Failure::Deadlock(first.to_string()))
    }

    /// The command line that reproduces `failure` under `seed` (a deadlock made an error, so
    /// that its exit code says it too).
    pub(crate) fn reproduce(&self, seed: u64, failure: &Failure) -> String {
        let mut words = vec![
            "chpsim".to_string(),
            "run".into(),
            shell_quoted(&self.path),
            "--seed".into(),
            seed.to_string(),
        ];
        if self.overrides.random_choice {
            words.push("--random-choice".into());
        }
        if let Some(range) = self.overrides.random_delay {
            words.extend(["--random-delay".into(), range.to_string()]);
        }
        if let Some(config) = &self.overrides.config {
            words.extend(["--config".into(), shell_quoted(&config.to_string_lossy())]);
        }
        if let Some(top) = &self.overrides.top {
            words.extend(["--top".into(), shell_quoted(top)]);
        }
        if let Some(until) = self.overrides.until {
            words.extend(["--until".into(), until.to_string()]);
        }
        if let Some(max_events) = self.overrides.max_events {
            words.extend(["--max-events".into(), max_events.to_string()]);
        }
        if matches!(failure, Failure::Deadlock(_)) {
            words.push("--deadlock=error".into());
        }
        words.join(" ")
    }
}

/// `word` as a POSIX shell reads it back: as is when it is made of safe characters only,
/// else in single quotes.
fn shell_quoted(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./+=:,@%".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

impl Failure {
    /// What went wrong, in one line (the first line of a design's errors).
    pub fn line(&self) -> String {
        match self {
            Failure::RuntimeError(error) => error.to_string(),
            Failure::MutexViolation(violation) => violation.to_string(),
            Failure::Deadlock(line) => line.clone(),
            Failure::Invalid(error) => {
                let text = error.render();
                text.lines().next().unwrap_or_default().to_string()
            }
        }
    }
}

/// What a sweep prints on stdout for a seed that failed: why, and how to reproduce it.
pub fn failure_report(design: &SweepDesign, seed: u64, failure: &Failure) -> String {
    format!(
        "seed {seed}: {}\n  {}\n",
        failure.line(),
        design.reproduce(seed, failure)
    )
}

/// The seeds a sweep ran, and how many failed in which way.
#[derive(Debug, Default)]
pub struct Tally {
    /// The seeds run.
    pub runs: u64,
    /// The runs a runtime error stopped.
    pub runtime_errors: u64,
    /// The runs with a mutex violation (and no runtime error).
    pub mutex_violations: u64,
    /// The runs that ended in deadlock.
    pub deadlocks: u64,
    /// The runs whose design did not compile with their options.
    pub invalid: u64,
}

impl Tally {
    /// Counts one run, which failed this way if it did.
    pub fn add(&mut self, failure: Option<&Failure>) {
        self.runs += 1;
        match failure {
            None => {}
            Some(Failure::RuntimeError(_)) => self.runtime_errors += 1,
            Some(Failure::MutexViolation(_)) => self.mutex_violations += 1,
            Some(Failure::Deadlock(_)) => self.deadlocks += 1,
            Some(Failure::Invalid(_)) => self.invalid += 1,
        }
    }

    /// How many runs failed, whichever way.
    pub fn failed(&self) -> u64 {
        self.runtime_errors + self.mutex_violations + self.deadlocks + self.invalid
    }

    /// `12 of 100 seeds failed (9 runtime errors, 3 deadlocks)`, or `100 seeds, none failed`.
    pub fn summary(&self) -> String {
        let mut kinds = Vec::new();
        for (n, one, many) in [
            (self.runtime_errors, "runtime error", "runtime errors"),
            (self.mutex_violations, "mutex violation", "mutex violations"),
            (self.deadlocks, "deadlock", "deadlocks"),
            (self.invalid, "did not run", "did not run"),
        ] {
            if n > 0 {
                kinds.push(format!("{n} {}", if n == 1 { one } else { many }));
            }
        }
        let seeds = if self.runs == 1 { "seed" } else { "seeds" };
        if kinds.is_empty() {
            return format!("{} {seeds}, none failed", self.runs);
        }
        format!(
            "{} of {} {seeds} failed ({})",
            self.failed(),
            self.runs,
            kinds.join(", ")
        )
    }
}
