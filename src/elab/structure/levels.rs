//! The level each instance runs at (see [`crate::elab::levels`]): the one the configuration
//! requests if the process has it, else a less detailed one, with actsim's warning.
use super::hse::Level;
use super::Elaborator;
use crate::diag::Diagnostic;
use crate::elab::consts::ArgValue;
use crate::elab::ir::ParamName;
use crate::elab::levels::{choose, Descriptions, Model};
use crate::front::ast::{BodyItem, ParamDecl, ParamKind, ProcessDef, Span};

impl Elaborator<'_> {
    /// The level instance `path` of `def` (with template arguments `args`) runs at; a
    /// substitute level is noted with actsim's warning, a level the process cannot give is an
    /// error at `use_span`.
    pub(super) fn level(
        &mut self,
        def: &ProcessDef,
        args: &[ArgValue],
        path: &str,
        use_span: &Span,
    ) -> Level {
        let has = Descriptions {
            chp: super::instances::has_chp(&def.body),
            hse: super::hse::runnable_hse(&def.body).is_some(),
            prs: super::prs_rules::has_prs(&def.body),
        };
        let type_name = expanded_name(def, args);
        let requested = self.levels.requested(path, &type_name);
        let chosen = choose(requested, has, &type_name);
        let mut parameters = parameter_names(def);
        parameters.extend(self.global_param_names.iter().cloned());
        let rules = matches!(chosen, Ok((Some(Model::Prs | Model::Device), _)));
        let (leakage, area) = match rules {
            true => (0.0, 0),
            false => (self.delays).leakage_and_area(&full_expanded_name(def, args)),
        };
        let namespace = def.name.name.rsplit_once("::").map(|(ns, _)| ns);
        self.instances.push(crate::elab::ir::InstanceEntry {
            path: path.to_string(),
            rules,
            namespace: namespace.unwrap_or_default().to_string(),
            leakage,
            area,
            substituted: matches!(chosen, Ok((_, Some(_)))),
            type_name,
            parameters,
        });
        match chosen {
            Ok((model, warning)) => {
                if let Some(warning) = warning {
                    self.level_warnings.push(warning);
                }
                match model {
                    Some(Model::Chp) => Level::Chp,
                    Some(Model::Hse) => Level::Hse,
                    Some(Model::Prs | Model::Device) => Level::Prs,
                    None => Level::None,
                }
            }
            Err(message) => {
                self.diags.push(
                    Diagnostic::error(use_span.clone(), message)
                        .with_label("instantiated here")
                        .with_note(def.name.span.clone(), "defined here")
                        .with_hint("the configuration's `level` settings request a level this process has no description at"),
                );
                Level::None
            }
        }
    }
}

/// The names of the parameters in `def`'s scope: its template parameters, its parent's, and
/// those its body declares (inside loops and selections too).
fn parameter_names(def: &ProcessDef) -> Vec<ParamName> {
    fn in_body(items: &[BodyItem], names: &mut Vec<ParamName>) {
        for item in items {
            match item {
                BodyItem::Param(p) => names.push(param_name(p)),
                BodyItem::Loop(l) => in_body(&l.items, names),
                BodyItem::Conditional(c) | BodyItem::GenLoop(c) => {
                    c.arms.iter().for_each(|arm| in_body(&arm.items, names))
                }
                _ => {}
            }
        }
    }
    let mut names: Vec<ParamName> = (def.template_params.iter())
        .chain(&def.bound_params)
        .map(param_name)
        .collect();
    in_body(&def.body, &mut names);
    names
}

/// A parameter declaration's name.
pub(super) fn param_name(p: &ParamDecl) -> ParamName {
    ParamName {
        name: p.name.name.clone(),
        array: !p.dims.is_empty(),
    }
}

/// A process type as ACT expands it and actsim names it (ACT's `getName`): its name without
/// its namespace, then every template argument, a `pbool` as `t` or `f` and an array in braces
/// (`src<>`, `sink_en<8,0,t>`, `source_sequence_en<8,2,{3,9},0,0,1>`).
pub(super) fn expanded_name(def: &ProcessDef, args: &[ArgValue]) -> String {
    let name = def.name.name.rsplit("::").next().unwrap_or(&def.name.name);
    with_arguments(name, def, args)
}

/// [`expanded_name`] after the process's namespace (ACT's `getFullName`: `lib::cons<3,t>`),
/// as actsim's `pending -v` and `initialize` name a process type.
pub(super) fn full_expanded_name(def: &ProcessDef, args: &[ArgValue]) -> String {
    with_arguments(&def.name.name, def, args)
}

fn with_arguments(name: &str, def: &ProcessDef, args: &[ArgValue]) -> String {
    fn shown(arg: &ArgValue, is_bool: bool) -> String {
        match arg {
            ArgValue::Int(v) if is_bool => (if *v != 0 { "t" } else { "f" }).to_string(),
            ArgValue::Array(elements) => {
                let parts: Vec<String> = elements.iter().map(|e| shown(e, is_bool)).collect();
                format!("{{{}}}", parts.join(","))
            }
            other => other.to_string(),
        }
    }
    let args: Vec<String> = (args.iter().enumerate())
        .map(|(i, arg)| {
            let kind = def.template_params.get(i).map(|p| p.kind);
            shown(arg, kind == Some(ParamKind::Pbool))
        })
        .collect();
    format!("{name}<{}>", args.join(","))
}
