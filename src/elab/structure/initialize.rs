//! `Initialize { actions { ... }; ... }` at file scope: each action is a small program over the
//! file's variables (`Reset+`), which the simulation's reset phase runs (actsim's `Initialize`,
//! see [`crate::sim::reset`]) instead of starting it as a process.
use std::collections::HashMap;

use super::{bare_process, Elaborator, Local, PortTable};
use crate::elab::lower::ProgramParts;
use crate::front::ast::{BodyItem, LangBlock};

/// How messages name an `Initialize` action (no process can have this name).
pub(crate) const INITIALIZE: &str = "<Initialize>";

impl<'a> Elaborator<'a> {
    /// Lowers the actions of the file's `Initialize` blocks, in order, each as a program over
    /// the file scope's variables (all of them shared), and notes them as the reset phase's.
    pub(super) fn initialize_actions(
        &mut self,
        items: &'a [BodyItem],
        ports: &PortTable,
        locals: &HashMap<String, Local>,
        file_parts: &ProgramParts<'a>,
    ) {
        let actions = items
            .iter()
            .filter_map(|item| match item {
                BodyItem::Lang(block) => match &**block {
                    LangBlock::Initialize(init) => Some(&init.actions),
                    _ => None,
                },
                _ => None,
            })
            .flatten();
        for (k, (name, block)) in actions.enumerate() {
            let parts = ProgramParts {
                vars: file_parts.vars.clone(),
                chp: Some((block, self.globals.clone())),
                connected_vars: file_parts.connected_vars.clone(),
                runs_chp: true,
                ..ProgramParts::default()
            };
            let def = bare_process(INITIALIZE, name.span.clone(), &block.span);
            let key = (format!("{INITIALIZE}#{k}"), Vec::new());
            if let Some(lowered) = self.lowered(&def, key, &ports.layout, &parts) {
                self.init_actions.push(self.processes.len());
                self.add_process("", &lowered, ports, locals);
            }
        }
    }
}
