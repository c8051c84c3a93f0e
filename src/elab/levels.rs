//! Which description of each instance runs, as actsim chooses it (ACT's `getLevel` and
//! actsim's `_add_language`): a level is *requested* for every instance (production rules,
//! unless the configuration says otherwise), and the instance runs the description of that
//! level if it has one; else a less detailed one, with actsim's warning
//! (`WARNING: src<>: substituting chp model (requested prs, not found)`).
//!
//! The configuration (actsim's `-cnf`, chpsim's `--config`) requests levels as ACT reads them:
//! `level.default` (`"chp"`, `"hse"`, `"prs"`, `"device"`), and string tables
//! `level.types.<level>` (prefixes of expanded type names, `sink<>`) and `level.inst.<level>`
//! (prefixes of instance names, `t.x`). An instance's own entry wins over its type's, which wins
//! over the default; within each, the least detailed level listed first (ACT's order).
use crate::diag::Diagnostic;
use crate::front::config::{Settings, Value};

/// ACT's modelling levels, least detailed first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Model {
    Chp,
    Hse,
    Prs,
    /// Transistor level (actsim hands it to a circuit simulator): chpsim runs the production
    /// rules.
    Device,
}

impl Model {
    const ALL: [Model; 4] = [Model::Chp, Model::Hse, Model::Prs, Model::Device];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Model::Chp => "chp",
            Model::Hse => "hse",
            Model::Prs => "prs",
            Model::Device => "device",
        }
    }

    fn parse(name: &str) -> Option<Model> {
        Model::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// actsim's warnings about instances run at a less detailed level than requested, in order. A
/// warning that consecutive instances repeat (the elements of an array) is kept once, with
/// how many times it is given: a million buffers would otherwise keep a million copies.
#[derive(Debug, Default)]
pub(crate) struct LevelWarnings {
    warnings: Vec<(String, usize)>,
}

impl LevelWarnings {
    pub(crate) fn push(&mut self, warning: String) {
        match self.warnings.last_mut() {
            Some((last, count)) if *last == warning => *count += 1,
            _ => self.warnings.push((warning, 1)),
        }
    }

    /// Every warning, as often as it was given.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        (self.warnings.iter())
            .flat_map(|(warning, count)| std::iter::repeat_n(warning.as_str(), *count))
    }
}

/// The levels a configuration requests (none: production rules everywhere).
#[derive(Debug, Clone, Default)]
pub struct LevelConfig {
    default: Option<Model>,
    /// Prefixes of expanded type names, with their level, least detailed level first.
    types: Vec<(Model, String)>,
    /// Prefixes of instance names, likewise.
    instances: Vec<(Model, String)>,
}

impl LevelConfig {
    /// The level settings among `settings`; a setting of the wrong type or an unknown level
    /// is an error at it.
    pub(crate) fn from_settings(settings: &Settings) -> Result<Self, Vec<Diagnostic>> {
        let mut config = LevelConfig::default();
        let mut errors = Vec::new();
        for (name, setting) in settings.with_prefix("level.") {
            let text = |v: &Value| match v {
                Value::Text(s) => Some(s.clone()),
                _ => None,
            };
            if name == "default" {
                match text(&setting.value).as_deref().and_then(Model::parse) {
                    Some(model) => config.default = Some(model),
                    None => errors.push(Diagnostic::error(
                        setting.span.clone(),
                        "`level.default` must be one of \"chp\", \"hse\", \"prs\", \"device\"",
                    )),
                }
                continue;
            }
            let (list, level) = if let Some(level) = name.strip_prefix("types.") {
                (&mut config.types, level)
            } else if let Some(level) = name.strip_prefix("inst.") {
                (&mut config.instances, level)
            } else {
                continue;
            };
            let Some(model) = Model::parse(level) else {
                continue; // ACT reads only the levels it knows
            };
            let values = match &setting.value {
                Value::Table(values) => values.iter().map(text).collect::<Option<Vec<_>>>(),
                value => text(value).map(|s| vec![s]),
            };
            match values {
                Some(prefixes) => list.extend(prefixes.into_iter().map(|p| (model, p))),
                None => errors.push(Diagnostic::error(
                    setting.span.clone(),
                    format!("`level.{name}` is a `string_table` of names"),
                )),
            }
        }
        config.types.sort_by_key(|(model, _)| *model);
        config.instances.sort_by_key(|(model, _)| *model);
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// The level requested for instance `path` of expanded type `type_name` (`sink<>`).
    pub(crate) fn requested(&self, path: &str, type_name: &str) -> Model {
        let listed = |list: &[(Model, String)], name: &str| {
            (list.iter())
                .find(|(_, prefix)| name.starts_with(prefix.as_str()))
                .map(|(model, _)| *model)
        };
        listed(&self.instances, path)
            .or_else(|| listed(&self.types, type_name))
            .or(self.default)
            .unwrap_or(Model::Prs)
    }
}

/// The descriptions a process has.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Descriptions {
    pub(crate) chp: bool,
    pub(crate) hse: bool,
    pub(crate) prs: bool,
}

/// What runs for a requested level: the model chosen (`None`: nothing runs, a structural
/// process), and actsim's warning when it is a substitute; an error when the process has
/// descriptions, none of which actsim would use.
pub(crate) fn choose(
    requested: Model,
    has: Descriptions,
    type_name: &str,
) -> Result<(Option<Model>, Option<String>), String> {
    let wanted = match requested {
        Model::Device => Model::Prs,
        other => other,
    };
    let exact = match wanted {
        Model::Chp => has.chp,
        Model::Hse => has.hse,
        _ => has.prs,
    };
    if exact {
        return Ok((Some(wanted), None));
    }
    let substitute = |model: Model| {
        let warning = format!(
            "WARNING: {type_name}: substituting {} model (requested {}, not found)",
            model.name(),
            requested.name()
        );
        Ok((Some(model), Some(warning)))
    };
    match requested {
        Model::Prs | Model::Device if has.hse => substitute(Model::Hse),
        Model::Prs | Model::Device | Model::Hse if has.chp => substitute(Model::Chp),
        _ if has.chp || has.hse || has.prs => {
            let found: Vec<&str> = [(has.chp, "chp"), (has.hse, "hse"), (has.prs, "prs")]
                .into_iter()
                .filter_map(|(h, n)| h.then_some(n))
                .collect();
            Err(format!(
                "{type_name}: circuit found, but not at the modeling level requested [level={}] (found: {})",
                requested.name(),
                found.join(" ")
            ))
        }
        _ => Ok((None, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::LevelWarnings;

    /// A warning repeated by an array's elements is kept once (a million buffers kept a
    /// million copies: defect 12 of issue 20), and still given once per instance, in order.
    #[test]
    fn repeated_warnings_are_kept_once_and_given_each_time() {
        let mut warnings = LevelWarnings::default();
        for w in ["a", "b", "b", "b", "a"] {
            warnings.push(w.to_string());
        }
        assert_eq!(warnings.warnings.len(), 3);
        assert_eq!(
            warnings.iter().collect::<Vec<_>>(),
            ["a", "b", "b", "b", "a"]
        );
    }
}
