//! The level each instance runs at (see [`crate::elab::levels`]): the one the configuration
//! requests if the process has it, else a less detailed one, with actsim's warning.
use super::hse::Level;
use super::Elaborator;
use crate::diag::Diagnostic;
use crate::elab::levels::{choose, Descriptions, Model};
use crate::front::ast::{ProcessDef, Span};

impl Elaborator<'_> {
    /// The level instance `path` of `def` (with template arguments `args`) runs at; a
    /// substitute level is noted with actsim's warning, a level the process cannot give is an
    /// error at `use_span`.
    pub(super) fn level(
        &mut self,
        def: &ProcessDef,
        args: &[impl ToString],
        path: &str,
        use_span: &Span,
    ) -> Level {
        let has = Descriptions {
            chp: super::instances::has_chp(&def.body),
            hse: super::hse::runnable_hse(&def.body).is_some(),
            prs: super::prs_rules::has_prs(&def.body),
        };
        let args: Vec<String> = args.iter().map(ToString::to_string).collect();
        // actsim names a process type as ACT expands it: `src<>`, `fifo<8,3>`.
        let type_name = format!("{}<{}>", def.name.name, args.join(","));
        let requested = self.levels.requested(path, &type_name);
        match choose(requested, has, &type_name) {
            Ok((model, warning)) => {
                self.level_warnings.extend(warning);
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
