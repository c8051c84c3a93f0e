//! A process's bools that hold X (actsim's undefined value): which they are, and the warning
//! actsim logs when one is read.
use super::Process;
use crate::elab::ir::{Expr, LogKind, Ty};

impl Process {
    /// Whether the bool at bit `bit` of variable `slot` (a `bool` variable's: 0) was never
    /// written (holds X).
    pub(crate) fn is_undefined(&self, slot: usize, bit: u32) -> bool {
        self.has_undefined.get() && self.rare().undefined.binary_search(&(slot, bit)).is_ok()
    }

    /// Makes the bool at bit `bit` of variable `slot` undefined (X) again.
    pub(crate) fn undefine(&self, slot: usize, bit: u32) {
        let undefined = &mut self.rare().undefined;
        if let Err(at) = undefined.binary_search(&(slot, bit)) {
            undefined.insert(at, (slot, bit));
        }
        self.has_undefined.set(true);
    }

    /// Logs actsim's warning for each bool `e` reads before it was ever written: a `bool`
    /// variable, or a `bool` field of a record read alone (`r.b`) or with the record (each
    /// such field of `r`, in order, as actsim reads a record field by field).
    pub(super) fn warn_undefined_reads(&self, e: &Expr) {
        let mut names = Vec::new();
        e.visit_fixed_reads(&mut |slot, lo, hi| {
            let var = &self.program.vars[slot];
            if var.fields.is_empty() {
                if self.is_undefined(slot, 0) {
                    names.push(var.name.clone());
                }
                return;
            }
            for field in var.fields.iter().filter(|f| f.ty == Ty::Bool) {
                if (lo..=hi).contains(&field.lo) && self.is_undefined(slot, field.lo) {
                    names.push(format!("{}.{}", var.name, field.name));
                }
            }
        });
        for name in names {
            let line = format!("WARNING: Boolean variable `{name}' is X");
            self.run.ctx.log_unfiltered(LogKind::Line, &line);
        }
    }
}
