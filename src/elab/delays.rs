//! Statement delays from actsim's configuration file (see [`crate::front::config`]).
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
use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::front::config::{Settings, Value};

/// The delays a configuration gives (empty without one): read from a file by
/// [`crate::driver::options::SimArgs::elab_options`] (`--config FILE`).
#[derive(Debug, Clone, Default)]
pub struct DelayConfig {
    default: Option<u64>,
    /// `sim.reset_rounds`: how many rounds actsim's reset phase waits at most after an action.
    reset_rounds: Option<u32>,
    /// `sim.device.timescale`: the seconds of a tick in actsim's trace files.
    timescale: Option<f64>,
    /// By expanded process name (`buffer<>`), then by the target as ACT prints it.
    statements: HashMap<String, HashMap<String, u64>>,
}

/// The settings under `sim.chp.` that are delays.
const PREFIX: &str = "sim.chp.";
/// The setting of a tick's length in seconds, for trace files.
const TIMESCALE: &str = "sim.device.timescale";
/// The setting of how long actsim's reset phase may take (see [`crate::sim::reset`]).
const RESET_ROUNDS: &str = "sim.reset_rounds";

impl DelayConfig {
    /// The delays among `settings`; a delay that is not an integer is an error at it.
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
            let key = if name == "default_delay" {
                None
            } else if let Some((process, target)) = name
                .strip_suffix(".D")
                .and_then(|rest| rest.split_once(">."))
            {
                // The process's name ends at its template arguments' `>`: an argument may
                // hold a `.` (a `preal`), a target holds no `>.`.
                Some((&name[..process.len() + 1], target))
            } else {
                continue;
            };
            let Value::Int(ticks) = setting.value else {
                errors.push(Diagnostic::error(
                    setting.span.clone(),
                    format!("`{PREFIX}{name}` is a delay: an `int` setting"),
                ));
                continue;
            };
            let ticks = ticks.max(0) as u64;
            match key {
                None => config.default = Some(ticks),
                Some((process, target)) => {
                    (config.statements.entry(process.to_string()).or_default())
                        .insert(target.to_string(), ticks);
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

    /// The delays of the statements of the process ACT names `expanded` (`ns::src<5>`), by
    /// target as ACT prints it.
    pub(crate) fn for_process(&self, expanded: &str) -> HashMap<String, u64> {
        self.statements.get(expanded).cloned().unwrap_or_default()
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
        let buf = config.for_process("buf<>");
        assert_eq!(
            (buf.get("x"), buf.get("y"), buf.get("p.req"), buf.len()),
            (Some(&3), Some(&0), Some(&5), 3)
        );
        assert_eq!(config.for_process("src<5>")["R"], 2);
        assert!(config.for_process("src<6>").is_empty());
        assert_eq!(config.for_process("w<1.5>")["x[1]"], 1);
        // The bare definition's name is no process of ACT's.
        assert!(config.for_process("buf").is_empty());
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
}
