//! `--vcd-vars`: which waveform variables a process's writes go to. A variable is one waveform
//! variable; a variable of a record type is one per scalar field ([`FieldBits`]), so that the
//! waveform shows `p.seq` and `p.data` rather than one packed integer. A `bool` that is a
//! circuit node is not one (the waveform shows the node). With any waveform, the value a
//! port bound to wires sends or receives is one too, `port.self` (`c.self[2]` for an element
//! of a port array, whose wires are `c.t[2]`, ...).
//!
//! A write of a plain variable always shows, even of the same value. A write of a record
//! shows on the fields whose value it changes (a `bool` field that was X and holds a value
//! now changes); one that changes no field (the same record received again) shows on every
//! field but those still X, so that no write goes unseen.
use std::cell::RefCell;

use super::eval::extract_bits;
use super::value::Value;
use crate::elab::ir::{FieldBits, Program, Ty};
use crate::kernel::{Ctx, ProcId, SimInit, Token, VarId, VariableInfo};

/// The waveform variables of one process.
pub(crate) struct TracedVars {
    /// Per variable slot, the id of its first waveform variable (a record's fields follow),
    /// or [`UNTRACED`].
    first: Box<[VarId]>,
    /// Per variable slot, the value it showed last: the fields of a record that a write
    /// changes are those that differ from it. Plain variables keep their initial value here.
    shown: RefCell<Vec<Value>>,
    /// The `bool` fields of traced records shown X (never written): (slot, lowest bit), in
    /// order.
    shown_x: RefCell<Vec<(usize, u32)>>,
}

/// A variable slot whose writes the waveform does not show.
const UNTRACED: VarId = VarId::from_index(u32::MAX as usize);

/// Which variables of a process the waveform shows.
pub(crate) struct Traced<'a> {
    /// Every variable (`--vcd-vars`), but those for which `node_copy` holds: the CHP copy of
    /// a circuit node, which the waveform shows as the node.
    pub all: bool,
    pub node_copy: &'a dyn Fn(usize) -> bool,
    /// The value variables of the ports bound to wires (see [`Program::wired_values`]):
    /// shown as `port.self` whether or not `all` is set.
    pub wired_values: &'a [(usize, usize)],
}

impl TracedVars {
    /// Registers the variables of `program` that `which` says, run by `process` with the
    /// `initial` values, for the waveform (`None` if that is none). Ints start at 0, bools
    /// and the values of wired ports undefined (X), as in actsim; a record's fields too: its
    /// `bool`s X, its integers 0.
    pub(crate) fn register(
        sim: &mut SimInit,
        process: ProcId,
        program: &Program,
        initial: &[Value],
        which: &Traced<'_>,
    ) -> Option<Box<Self>> {
        let mut register = |name: String, ty: Ty, initial: Option<u64>| {
            sim.variable(VariableInfo {
                process,
                name,
                width: ty.width(),
                initial,
                is_bool: ty == Ty::Bool,
            })
        };
        let mut shown_x = Vec::new();
        let first: Box<[VarId]> = (program.vars.iter().enumerate())
            .map(|(slot, var)| {
                let wired = which.wired_values.iter().find(|&&(_, v)| v == slot);
                if let Some(&(port, _)) = wired {
                    // Beside the wires: `x.self`; of element `c[2]`, `c.self[2]` (as `c.t[2]`).
                    let port = &program.ports[port].name;
                    let (array, element) = port.split_at(port.find('[').unwrap_or(port.len()));
                    return register(format!("{array}.self{element}"), var.ty, None);
                }
                if !which.all || (which.node_copy)(slot) {
                    return UNTRACED;
                }
                if var.fields.is_empty() {
                    let initial = (var.ty != Ty::Bool).then_some(0);
                    return register(var.name.clone(), var.ty, initial);
                }
                let ids: Vec<VarId> = (var.fields.iter())
                    .map(|f| {
                        let initial = (f.ty != Ty::Bool).then_some(0);
                        if initial.is_none() {
                            shown_x.push((slot, f.lo));
                        }
                        register(format!("{}.{}", var.name, f.name), f.ty, initial)
                    })
                    .collect();
                // `record` finds field k at `first + k`: the registry numbers in order.
                debug_assert!(ids.windows(2).all(|w| w[1].index() == w[0].index() + 1));
                ids[0]
            })
            .collect();
        shown_x.sort_unstable();
        (first.iter().any(|&id| id != UNTRACED)).then(|| {
            Box::new(Self {
                first,
                shown: RefCell::new(initial.to_vec()),
                shown_x: RefCell::new(shown_x),
            })
        })
    }

    /// The waveform variable of slot `slot`, if it is traced (a record's: its first field's).
    pub(crate) fn id(&self, slot: usize) -> Option<VarId> {
        Some(self.first[slot]).filter(|&id| id != UNTRACED)
    }

    /// Tells the observers that variable `slot` of `program` holds `value` now, where the
    /// `bool` fields at the bits for which `undefined` holds are still X. For a record,
    /// `after_field` runs after each of its fields, in declaration order, traced or not
    /// (it passes on the fields that are circuit nodes, whose lines come in that order, as
    /// actsim writes a record field by field).
    pub(crate) fn record(
        &self,
        ctx: &Ctx,
        program: &Program,
        (slot, value): (usize, &Value),
        undefined: impl Fn(u32) -> bool,
        mut after_field: impl FnMut(&FieldBits),
    ) {
        let fields = &program.vars[slot].fields;
        if self.first[slot] == UNTRACED {
            fields.iter().for_each(after_field);
            return;
        }
        let first = self.first[slot].index();
        if fields.is_empty() {
            ctx.record_variable(self.first[slot], value.trace());
            return;
        }
        let old = std::mem::replace(&mut self.shown.borrow_mut()[slot], value.clone());
        let bits =
            |v: &Value, f: &FieldBits| extract_bits(v.clone(), f.lo + f.ty.width() - 1, f.lo);
        let still_x = |f: &FieldBits| f.ty == Ty::Bool && undefined(f.lo);
        // Whether field `f` shows something new: a value after X, or another value.
        let changes = |shown_x: &[(usize, u32)], f: &FieldBits| {
            (f.ty == Ty::Bool && shown_x.binary_search(&(slot, f.lo)).is_ok())
                || bits(&old, f) != bits(value, f)
        };
        let rewritten = {
            let shown_x = self.shown_x.borrow();
            !fields.iter().any(|f| !still_x(f) && changes(&shown_x, f))
        };
        for (k, field) in fields.iter().enumerate() {
            let mut shown_x = self.shown_x.borrow_mut();
            if !still_x(field) && (rewritten || changes(&shown_x, field)) {
                if let Ok(at) = shown_x.binary_search(&(slot, field.lo)) {
                    shown_x.remove(at);
                }
                drop(shown_x);
                ctx.record_variable(VarId::from_index(first + k), bits(value, field).trace());
            } else {
                drop(shown_x);
            }
            // It may write another variable of this process (which traces it).
            after_field(field);
        }
    }
}
