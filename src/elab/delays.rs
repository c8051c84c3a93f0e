//! Statement delays from actsim's configuration file (see [`crate::front::config`]).
//!
//! actsim keys a statement's delay on its process and on what the statement acts on:
//! `sim.chp.<process>.<name>.D` is the delay of every assignment to `<name>` (also `b+`/`b-`)
//! and of every send or receive on channel `<name>` in processes of type `<process>`.
//! `<process>` is the definition's name (`buffer`, `ns::buffer`), or with its template
//! arguments (`source<5>`, `pipeline<10,300>`) for that expansion only, which then wins.
//! `<name>` is the variable's or channel's name as declared (`x` also for `x[i] := e`).
//! `sim.chp.default_delay` is the delay of every other action. A negative delay counts as 0,
//! as in actsim. A statement's own `@[after=N]` wins over both.
use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::front::config::{Settings, Value};

/// The delays a configuration gives (empty without one): read from a file by
/// [`crate::driver::options::SimArgs::elab_options`] (`--config FILE`).
#[derive(Debug, Clone, Default)]
pub struct DelayConfig {
    default: Option<u64>,
    /// By process name (bare or expanded), then by variable or channel name.
    statements: HashMap<String, HashMap<String, u64>>,
}

/// The settings under `sim.chp.` that are delays.
const PREFIX: &str = "sim.chp.";

impl DelayConfig {
    /// The delays among `settings`; a delay that is not an integer is an error at it.
    pub(crate) fn from_settings(settings: &Settings) -> Result<Self, Vec<Diagnostic>> {
        let mut config = DelayConfig::default();
        let mut errors = Vec::new();
        for (name, setting) in settings.with_prefix(PREFIX) {
            let key = if name == "default_delay" {
                None
            } else if let Some((process, target)) = name
                .strip_suffix(".D")
                .and_then(|rest| rest.split_once('.'))
            {
                Some((process, target))
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

    /// `sim.chp.default_delay`, if given.
    pub(crate) fn default_delay(&self) -> Option<u64> {
        self.default
    }

    /// The delays of the statements of definition `name` expanded with template arguments
    /// `args`, by variable or channel name.
    pub(crate) fn for_process(&self, name: &str, args: &[impl ToString]) -> HashMap<String, u64> {
        let mut delays = self.statements.get(name).cloned().unwrap_or_default();
        if !args.is_empty() {
            let args: Vec<String> = args.iter().map(ToString::to_string).collect();
            let expanded = format!("{name}<{}>", args.join(","));
            if let Some(own) = self.statements.get(&expanded) {
                delays.extend(own.iter().map(|(k, v)| (k.clone(), *v)));
            }
        }
        delays
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front::config::parse_settings;

    #[test]
    fn delays_by_process_and_name_with_the_expansion_winning() {
        let text = "begin sim\nbegin chp\nint default_delay 4\nint buf.x.D 3\nint src.R.D 7\nint src<5>.R.D 2\nint buf.y.D -6\nint buf.x.E 9\nint inf_loop_opt 1\nend\nend\n";
        let config = DelayConfig::from_settings(&parse_settings(text).unwrap()).unwrap();
        assert_eq!(config.default_delay(), Some(4));
        let buf = config.for_process("buf", &[] as &[i64]);
        assert_eq!(
            (buf.get("x"), buf.get("y"), buf.len()),
            (Some(&3), Some(&0), 2)
        );
        assert_eq!(config.for_process("src", &[5])["R"], 2);
        assert_eq!(config.for_process("src", &[6])["R"], 7);
        assert!(config.for_process("other", &[] as &[i64]).is_empty());
    }

    #[test]
    fn a_delay_that_is_not_an_integer_is_an_error_at_it() {
        let text = "real sim.chp.buf.x.D 2.5\n";
        let errors = DelayConfig::from_settings(&parse_settings(text).unwrap()).unwrap_err();
        assert_eq!(
            errors[0].message,
            "`sim.chp.buf.x.D` is a delay: an `int` setting"
        );
        assert_eq!(&text[errors[0].span.clone()], "real sim.chp.buf.x.D 2.5");
    }
}
