//! Statement delays and the energy model's figures from actsim's configuration file (see
//! [`crate::front::config`]).
//!
//! actsim keys a statement's delay on its process and on what the statement acts on:
//! `sim.chp.<process>.<target>.D` is the delay of every assignment to `<target>` (also
//! `b+`/`b-`) and of every send or receive on channel `<target>` in processes of type
//! `<process>`. `<process>` is the process as ACT expands it and names it (`getName`, after
//! its namespace): `buffer<>`, `ns::buffer<>`, `source<5>`, `pipe<8,t>`; a key with the bare
//! definition's name (`buffer`) names no expanded process, so it matches nothing, as in
//! actsim. `<target>` is the statement's variable or channel as ACT prints it (`x`, `x[1]`,
//! `p.a`, `k.L`; see [`crate::elab::lower`]). `sim.chp.default_delay` is the delay of every
//! other action. A negative delay counts as 0, as in actsim. A statement's own `@[after=N]`
//! wins over both.
//!
//! The same keys with `.E` give the energy such a statement adds to its process's total each
//! time it completes (a negative one counts as 0), and with `.D_bw` the ticks added to the
//! delay of the statement after it; `sim.chp.default_energy` is the energy of every other
//! assignment, send and receive and of every evaluation of guards (a selection, a loop's
//! iteration, a do-loop's test). Each process instance running CHP also has its type's
//! `sim.chp.<process>.leakage` (watts, a `real`) and `sim.chp.<process>.area`, or
//! `sim.chp.default_leakage` and `sim.chp.default_area`: actsim's `energy` and `procinfo`
//! report them.
use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::front::config::{Settings, Value};

/// The delays and energy figures a configuration gives (empty without one): read from a file
/// by [`crate::driver::options::SimArgs::elab_options`] (`--config FILE`).
#[derive(Debug, Clone, Default)]
pub struct DelayConfig {
    default: Option<u64>,
    /// `sim.reset_rounds`: how many rounds actsim's reset phase waits at most after an action.
    reset_rounds: Option<u32>,
    /// `sim.device.timescale`: the seconds of a tick in actsim's trace files.
    timescale: Option<f64>,
    /// By expanded process name (`buffer<>`), then by the target as ACT prints it.
    statements: HashMap<String, HashMap<String, TargetCosts>>,
    /// `sim.chp.default_energy`, `default_leakage` and `default_area`.
    default_energy: u64,
    default_leakage: f64,
    default_area: u64,
    /// By expanded process name: its own `leakage` and `area`.
    processes: HashMap<String, ProcessCosts>,
}

/// What the configuration gives the statements of a process that act on one target.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct TargetCosts {
    /// `.D`: the statement's delay.
    pub delay: Option<u64>,
    /// `.E`: the energy it adds each time it completes.
    pub energy: Option<u64>,
    /// `.D_bw`: the ticks it adds to the delay of the statement after it (see
    /// [`crate::sim::code::Instr::Assign`]).
    pub bandwidth: Option<u64>,
}

/// What the configuration gives the statements of one process type.
#[derive(Debug, Clone, Default)]
pub(crate) struct StatementCosts {
    /// By the target as ACT prints it.
    pub targets: HashMap<String, TargetCosts>,
    /// `sim.chp.default_energy`: of the other assignments and communications, and of each
    /// evaluation of guards.
    pub default_energy: u64,
}

impl StatementCosts {
    /// The energy of an assignment or communication on `target` (as ACT prints it).
    pub(crate) fn energy_on(&self, target: &str) -> u64 {
        let own = self.targets.get(target).and_then(|costs| costs.energy);
        own.unwrap_or(self.default_energy)
    }
}

/// A process type's own leakage and area.
#[derive(Debug, Clone, Copy, Default)]
struct ProcessCosts {
    leakage: Option<f64>,
    area: Option<u64>,
}

/// The settings under `sim.chp.` that are delays or energy figures.
const PREFIX: &str = "sim.chp.";
/// The setting of a tick's length in seconds, for trace files.
const TIMESCALE: &str = "sim.device.timescale";
/// The setting of how long actsim's reset phase may take (see [`crate::sim::reset`]).
const RESET_ROUNDS: &str = "sim.reset_rounds";

/// What a setting under [`PREFIX`] is, by its name.
enum Key<'n> {
    DefaultDelay,
    DefaultEnergy,
    DefaultLeakage,
    DefaultArea,
    /// A process's statements on a target: `.D`, `.E` or `.D_bw`.
    Target(&'n str, &'n str, TargetField),
    Leakage(&'n str),
    Area(&'n str),
}

#[derive(Clone, Copy)]
enum TargetField {
    Delay,
    Energy,
    Bandwidth,
}

impl Key<'_> {
    fn of(name: &str) -> Option<Key<'_>> {
        Some(match name {
            "default_delay" => Key::DefaultDelay,
            "default_energy" => Key::DefaultEnergy,
            "default_leakage" => Key::DefaultLeakage,
            "default_area" => Key::DefaultArea,
            _ => {
                // The process's name ends at its template arguments' `>`: an argument may
                // hold a `.` (a `preal`), a target holds no `>.`.
                let (process, rest) = name.split_once(">.")?;
                let process = &name[..process.len() + 1];
                let suffixes = [
                    (".D", TargetField::Delay),
                    (".E", TargetField::Energy),
                    (".D_bw", TargetField::Bandwidth),
                ];
                let target = (suffixes.iter())
                    .find_map(|(suffix, field)| Some((rest.strip_suffix(suffix)?, *field)));
                match (target, rest) {
                    (Some((target, field)), _) => Key::Target(process, target, field),
                    (None, "leakage") => Key::Leakage(process),
                    (None, "area") => Key::Area(process),
                    _ => return None,
                }
            }
        })
    }

    /// What the setting must be, for the message when it is not.
    fn needs(&self) -> &'static str {
        match self {
            Key::DefaultDelay | Key::Target(_, _, TargetField::Delay | TargetField::Bandwidth) => {
                "a delay: an `int` setting"
            }
            Key::DefaultEnergy | Key::Target(_, _, TargetField::Energy) => {
                "an energy: an `int` setting"
            }
            Key::DefaultArea | Key::Area(_) => "an area: an `int` setting",
            Key::DefaultLeakage | Key::Leakage(_) => "a leakage in watts: a `real` setting",
        }
    }
}

impl DelayConfig {
    /// The delays and energy figures among `settings`; one of the wrong type is an error at
    /// it.
    pub(crate) fn from_settings(settings: &Settings) -> Result<Self, Vec<Diagnostic>> {
        let mut config = DelayConfig::default();
        let mut errors = Vec::new();
        if let Some(setting) = settings.setting(TIMESCALE) {
            match setting.value {
                Value::Real(seconds) => config.timescale = Some(seconds),
                _ => errors.push(Diagnostic::error(
                    setting.span.clone(),
                    format!("`{TIMESCALE}` is seconds: a `real` setting"),
                )),
            }
        }
        if let Some(setting) = settings.setting(RESET_ROUNDS) {
            match setting.value {
                // actsim counts rounds in a C `int`: a count below 1 stops after one round.
                Value::Int(rounds) => {
                    config.reset_rounds = Some(rounds.clamp(0, u32::MAX.into()) as u32)
                }
                _ => errors.push(Diagnostic::error(
                    setting.span.clone(),
                    format!("`{RESET_ROUNDS}` is a number of rounds: an `int` setting"),
                )),
            }
        }
        for (name, setting) in settings.with_prefix(PREFIX) {
            let Some(key) = Key::of(name) else {
                continue;
            };
            // A leakage is a `real` (an `int` is taken as that many watts); the others `int`s.
            let (int, watts) = match (&key, &setting.value) {
                (Key::DefaultLeakage | Key::Leakage(_), Value::Real(watts)) => (0, *watts),
                (_, Value::Int(n)) => (*n, *n as f64),
                _ => {
                    errors.push(Diagnostic::error(
                        setting.span.clone(),
                        format!("`{PREFIX}{name}` is {}", key.needs()),
                    ));
                    continue;
                }
            };
            // Negative delays, statement energies and `D_bw`s count as 0 (actsim's statement
            // energies and delays; a delay made negative by a `D_bw` would be 10 there); the
            // defaults of energy and area are taken as actsim's unsigned sums take them.
            let at_least_zero = int.max(0) as u64;
            let wrapped = int as u64;
            match key {
                Key::DefaultDelay => config.default = Some(at_least_zero),
                Key::DefaultEnergy => config.default_energy = wrapped,
                Key::DefaultLeakage => config.default_leakage = watts,
                Key::DefaultArea => config.default_area = wrapped,
                Key::Leakage(process) => {
                    (config.processes.entry(process.to_string()).or_default()).leakage = Some(watts)
                }
                Key::Area(process) => {
                    (config.processes.entry(process.to_string()).or_default()).area = Some(wrapped)
                }
                Key::Target(process, target, field) => {
                    let costs = (config.statements.entry(process.to_string()).or_default())
                        .entry(target.to_string())
                        .or_default();
                    match field {
                        TargetField::Delay => costs.delay = Some(at_least_zero),
                        TargetField::Energy => costs.energy = Some(at_least_zero),
                        TargetField::Bandwidth => costs.bandwidth = Some(at_least_zero),
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// `sim.device.timescale`, if given.
    pub(crate) fn timescale(&self) -> Option<f64> {
        self.timescale
    }

    /// `sim.reset_rounds`, if given.
    pub(crate) fn reset_rounds(&self) -> Option<u32> {
        self.reset_rounds
    }

    /// `sim.chp.default_delay`, if given.
    pub(crate) fn default_delay(&self) -> Option<u64> {
        self.default
    }

    /// What the configuration gives the statements of the process ACT names `expanded`
    /// (`ns::src<5>`).
    pub(crate) fn for_process(&self, expanded: &str) -> StatementCosts {
        StatementCosts {
            targets: self.statements.get(expanded).cloned().unwrap_or_default(),
            default_energy: self.default_energy,
        }
    }

    /// The leakage (watts) and area of an instance of the process ACT names `expanded`.
    pub(crate) fn leakage_and_area(&self, expanded: &str) -> (f64, u64) {
        let own = self.processes.get(expanded).copied().unwrap_or_default();
        (
            own.leakage.unwrap_or(self.default_leakage),
            own.area.unwrap_or(self.default_area),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front::config::parse_settings;

    #[test]
    fn delays_by_expanded_process_and_printed_target() {
        let text = "begin sim\nbegin chp\nint default_delay 4\nint buf<>.x.D 3\nint buf.z.D 8\nint src<5>.R.D 2\nint buf<>.y.D -6\nint buf<>.x.E 9\nint buf<>.p.req.D 5\nint w<1.5>.x[1].D 1\nint inf_loop_opt 1\nend\nend\n";
        let config = DelayConfig::from_settings(&parse_settings(text).unwrap()).unwrap();
        assert_eq!(config.default_delay(), Some(4));
        let buf = config.for_process("buf<>").targets;
        let delay = |target: &str| buf.get(target).and_then(|costs| costs.delay);
        assert_eq!(
            (delay("x"), delay("y"), delay("p.req"), buf.len()),
            (Some(3), Some(0), Some(5), 3)
        );
        assert_eq!(buf["x"].energy, Some(9));
        assert_eq!(config.for_process("src<5>").targets["R"].delay, Some(2));
        assert!(config.for_process("src<6>").targets.is_empty());
        assert_eq!(config.for_process("w<1.5>").targets["x[1]"].delay, Some(1));
        // The bare definition's name is no process of ACT's.
        assert!(config.for_process("buf").targets.is_empty());
    }

    #[test]
    fn a_delay_that_is_not_an_integer_is_an_error_at_it() {
        let text = "real sim.chp.buf<>.x.D 2.5\n";
        let errors = DelayConfig::from_settings(&parse_settings(text).unwrap()).unwrap_err();
        assert_eq!(
            errors[0].message,
            "`sim.chp.buf<>.x.D` is a delay: an `int` setting"
        );
        assert_eq!(&text[errors[0].span.clone()], "real sim.chp.buf<>.x.D 2.5");
    }

    #[test]
    fn energies_leakage_and_area_by_process() {
        let text = "begin sim\nbegin chp\nint default_energy 2\nreal default_leakage 1e-9\nint default_area 7\nint buf<>.x.E 9\nint buf<>.y.E -3\nint buf<>.L.D_bw 4\nreal buf<>.leakage 2.5e-6\nint ns::src<5>.area 40\nint src<>.leakage 1\nend\nend\n";
        let config = DelayConfig::from_settings(&parse_settings(text).unwrap()).unwrap();
        let buf = config.for_process("buf<>");
        assert_eq!(buf.default_energy, 2);
        assert_eq!(
            (buf.targets["x"].energy, buf.targets["x"].delay),
            (Some(9), None)
        );
        assert_eq!(
            (buf.energy_on("x"), buf.energy_on("y"), buf.energy_on("z")),
            (9, 0, 2)
        );
        assert_eq!(buf.targets["L"].bandwidth, Some(4));
        assert_eq!(config.leakage_and_area("buf<>"), (2.5e-6, 7));
        assert_eq!(config.leakage_and_area("ns::src<5>"), (1e-9, 40));
        assert_eq!(config.leakage_and_area("src<>"), (1.0, 7));
        assert_eq!(config.leakage_and_area("other<>"), (1e-9, 7));
    }

    #[test]
    fn an_energy_figure_of_the_wrong_type_is_an_error_at_it() {
        let text = "real sim.chp.buf<>.x.E 2.5\nstring sim.chp.default_leakage \"1\"\n";
        let errors = DelayConfig::from_settings(&parse_settings(text).unwrap()).unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`sim.chp.buf<>.x.E` is an energy: an `int` setting",
                "`sim.chp.default_leakage` is a leakage in watts: a `real` setting",
            ]
        );
    }
}
