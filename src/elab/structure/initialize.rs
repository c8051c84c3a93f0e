//! `Initialize { actions { ... }; ... }` at file scope: each action is a small program over the
//! file's variables (`Reset+`), which the simulation's reset phase runs (actsim's `Initialize`,
//! see [`crate::sim::reset`]) instead of starting it as a process.
use std::collections::HashMap;

use super::{bare_process, Elaborator, Local, PortTable};
use crate::elab::lower::ProgramParts;
use crate::front::ast::{BodyItem, ChpBlock, Ident, LangBlock};

/// How messages name an `Initialize` action (no process can have this name).
pub(crate) const INITIALIZE: &str = "<Initialize>";

impl<'a> Elaborator<'a> {
    /// Lowers the actions of the file's `Initialize` blocks, each as a program over the file
    /// scope's variables (all of them shared), and notes them as the reset phase's, in the
    /// order actsim starts them: round by round, the next action of each block that has one
    /// after it (each round block by block), then the last action of every block, together.
    pub(super) fn initialize_actions(
        &mut self,
        items: &'a [BodyItem],
        ports: &PortTable,
        locals: &HashMap<String, Local>,
        file_parts: &ProgramParts<'a>,
    ) {
        let blocks = items.iter().filter_map(|item| match item {
            BodyItem::Lang(block) => match &**block {
                LangBlock::Initialize(init) => Some(&init.actions),
                _ => None,
            },
            _ => None,
        });
        let mut processes: Vec<Vec<usize>> = Vec::new();
        let mut k = 0;
        for actions in blocks {
            let mut block = Vec::new();
            for (name, body) in actions {
                if let Some(process) =
                    self.initialize_action(k, name, body, (ports, locals), file_parts)
                {
                    block.push(process);
                }
                k += 1;
            }
            processes.push(block);
        }
        let rounds = processes.iter().map(Vec::len).max().unwrap_or(0);
        for round in 0..rounds.saturating_sub(1) {
            for block in &processes {
                if round + 1 < block.len() {
                    self.init_actions.push(block[round]);
                }
            }
        }
        for block in &processes {
            if let Some(&last) = block.last() {
                self.init_actions.push(last);
                self.init_last += 1;
            }
        }
    }

    /// Lowers action `k` of the file's `Initialize` blocks (`name { body }`) and adds it as a
    /// process: its index in `processes`.
    fn initialize_action(
        &mut self,
        k: usize,
        name: &'a Ident,
        block: &'a ChpBlock,
        (ports, locals): (&PortTable, &HashMap<String, Local>),
        file_parts: &ProgramParts<'a>,
    ) -> Option<usize> {
        let parts = ProgramParts {
            vars: file_parts.vars.clone(),
            chp: Some((block, self.globals.clone())),
            connected_vars: file_parts.connected_vars.clone(),
            runs_chp: true,
            ..ProgramParts::default()
        };
        let def = bare_process(INITIALIZE, name.span.clone(), &block.span);
        let key = (format!("{INITIALIZE}#{k}"), Vec::new());
        let lowered = self.lowered(&def, key, &ports.layout, &parts)?;
        let process = self.processes.len();
        self.add_process(("", "", &block.span), &lowered, ports, locals);
        Some(process)
    }
}
