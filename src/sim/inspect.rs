//! Reading and writing a paused run's state by name, for actsim's commands (`get`, `set`,
//! `status`): a variable of a process (`c.x`, `b[2].mem[3]`, a record's field `p.k.a`) or a
//! node of the circuit (`r.x[5]`, `Vdd`). Only a run started with
//! [`super::RunOptions::inspectable`] keeps what this needs; `chpsim run` never pays for it.
use std::rc::Rc;

use num_bigint::BigUint;

use super::eval::{extract_bits, insert_bits};
use super::place::Vars;
use super::process::Process;
use super::value::Value;
use super::Running;
use crate::elab::ir::Ty;
use crate::kernel::{Level, NodeId};

/// A variable found by name: a process's variable slot, or a field (bits) of one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct VarRef {
    process: usize,
    slot: usize,
    /// For a field of a record: its lowest bit and type.
    field: Option<(u32, Ty)>,
}

/// What a name stands for in a running design.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Variable(VarRef),
    Node(NodeId),
}

/// The value of a variable or node, as actsim shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Shown {
    /// A bool or a node: 0, 1 or X.
    Bit(Level),
    /// An integer.
    Int(BigUint),
}

/// Why a `set` was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SetError {
    /// The value does not fit the variable's width.
    TooWide,
}

/// What a paused run keeps for its commands: each process with its instance path.
#[derive(Default)]
pub(crate) struct Processes {
    pub(super) list: Vec<(String, Rc<Process>)>,
    /// The file scope's shared variables by name (see [`crate::elab::ir::Design::global_vars`]).
    pub(super) globals: Vec<(String, usize)>,
}

impl Running {
    /// The variable or node `name` names, as actsim writes it: the instance path, a dot, then
    /// the name inside the process (the top process's names have no path).
    pub(crate) fn find(&self, name: &str) -> Option<Target> {
        if let Some(node) = self.find_node(name) {
            return Some(Target::Node(node));
        }
        (self.find_variable(name).or_else(|| self.find_global(name))).map(Target::Variable)
    }

    /// A file-scope variable that processes share (`Vdd` connected to ports), as the copy of
    /// the first process holding one: a write to it reaches every copy.
    fn find_global(&self, name: &str) -> Option<VarRef> {
        let globals = &self.processes.globals;
        let at = globals
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()?;
        let shared = globals[at].1;
        (self.processes.list.iter().enumerate()).find_map(|(process, (_, state))| {
            let slot = state.shared.iter().position(|&s| s == shared)?;
            Some(VarRef {
                process,
                slot,
                field: None,
            })
        })
    }

    fn find_node(&self, name: &str) -> Option<NodeId> {
        let circuit = self.run.circuit.as_ref()?;
        circuit.find_node(name)
    }

    fn find_variable(&self, name: &str) -> Option<VarRef> {
        for (process, (path, state)) in self.processes.list.iter().enumerate() {
            let local = if path.is_empty() {
                name
            } else {
                match name.strip_prefix(path.as_str()) {
                    Some(rest) => match rest.strip_prefix('.') {
                        Some(local) => local,
                        None => continue,
                    },
                    None => continue,
                }
            };
            for (slot, var) in state.program.vars.iter().enumerate() {
                if var.name == local {
                    return Some(VarRef {
                        process,
                        slot,
                        field: None,
                    });
                }
                let field = (local.strip_prefix(var.name.as_str()))
                    .and_then(|rest| rest.strip_prefix('.'))
                    .and_then(|rest| var.fields.iter().find(|f| f.name == rest));
                if let Some(field) = field {
                    return Some(VarRef {
                        process,
                        slot,
                        field: Some((field.lo, field.ty)),
                    });
                }
            }
        }
        None
    }

    /// The full (canonical) name of what `target` names, which the run's observers know it by
    /// (a node found by another of its names).
    pub(crate) fn canonical_name(&self, target: &Target) -> Option<String> {
        match target {
            Target::Node(node) => Some(self.run.circuit.as_ref()?.node_name(*node)),
            Target::Variable(_) => None,
        }
    }

    /// The value `target` holds now.
    pub(crate) fn value(&self, target: &Target) -> Shown {
        match target {
            Target::Node(node) => Shown::Bit(match &self.run.circuit {
                Some(circuit) => circuit.node_value(*node),
                None => Level::X,
            }),
            Target::Variable(var) => {
                let process = &self.processes.list[var.process].1;
                let ty = var_type(process, var);
                let whole = process.vars.borrow()[var.slot].clone();
                let value = match var.field {
                    Some((lo, ty)) => extract_bits(whole, lo + ty.width() - 1, lo),
                    None => whole,
                };
                if ty != Ty::Bool {
                    return Shown::Int(value.to_big());
                }
                let undefined = var.field.is_none()
                    && process.undefined.borrow().binary_search(&var.slot).is_ok();
                Shown::Bit(match (undefined, value.is_true()) {
                    (true, _) => Level::X,
                    (false, true) => Level::One,
                    (false, false) => Level::Zero,
                })
            }
        }
    }

    /// The width of `target` in bits (a bool or node is 1).
    pub(crate) fn width(&self, target: &Target) -> u32 {
        match target {
            Target::Node(_) => 1,
            Target::Variable(var) => var_type(&self.processes.list[var.process].1, var).width(),
        }
    }

    /// Whether `target` is a bool (or a node) rather than an integer.
    pub(crate) fn is_bit(&self, target: &Target) -> bool {
        match target {
            Target::Node(_) => true,
            Target::Variable(var) => var_type(&self.processes.list[var.process].1, var) == Ty::Bool,
        }
    }

    /// Sets `target` from outside the design (actsim's `set`): the guards waiting on it, its
    /// shared copies and the rules reading it see the change now. A bool set to X becomes
    /// undefined again.
    pub(crate) fn set(&self, target: &Target, value: &Shown) -> Result<(), SetError> {
        match target {
            Target::Node(node) => {
                if let (Some(circuit), Shown::Bit(level)) = (&self.run.circuit, value) {
                    circuit.set_node(*node, *level);
                }
                Ok(())
            }
            Target::Variable(var) => {
                let process = &self.processes.list[var.process].1;
                let ty = var_type(process, var);
                let new = match value {
                    Shown::Bit(Level::X) => {
                        let mut undefined = process.undefined.borrow_mut();
                        if let Err(at) = undefined.binary_search(&var.slot) {
                            undefined.insert(at, var.slot);
                        }
                        process.has_undefined.set(true);
                        return Ok(());
                    }
                    Shown::Bit(level) => Value::from_bool(*level == Level::One),
                    Shown::Int(v) => {
                        if v.bits() > u64::from(ty.width()) {
                            return Err(SetError::TooWide);
                        }
                        Value::from_big(v.clone(), ty.width())
                    }
                };
                let whole_ty = process.program.vars[var.slot].ty;
                let whole = match var.field {
                    Some((lo, ty)) => {
                        let old = process.vars.borrow()[var.slot].clone();
                        insert_bits(old, new, lo + ty.width() - 1, lo, whole_ty.width())
                    }
                    None => new,
                };
                let mut writer: &Process = process;
                writer.set(var.slot, whole_ty, whole);
                Ok(())
            }
        }
    }

    /// The full names of the nodes and bool variables that hold `level` now, in the design's
    /// order (actsim's `status`).
    pub(crate) fn names_at(&self, level: Level) -> Vec<String> {
        let mut names = Vec::new();
        if let Some(circuit) = &self.run.circuit {
            names.extend(circuit.nodes_at(level));
        }
        names
    }

    /// Every name `find` knows, for the prompt's completion: instance paths, variables and
    /// nodes.
    pub(crate) fn names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for (path, process) in &self.processes.list {
            if !path.is_empty() {
                names.push(path.clone());
            }
            for var in &process.program.vars {
                names.push(full_name(path, &var.name));
            }
        }
        if let Some(circuit) = &self.run.circuit {
            names.extend(circuit.node_names());
        }
        names
    }
}

fn var_type(process: &Process, var: &VarRef) -> Ty {
    match var.field {
        Some((_, ty)) => ty,
        None => process.program.vars[var.slot].ty,
    }
}

/// `path.name`, or `name` in the top process.
pub(crate) fn full_name(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}
