//! X in a channel's methods (`set`, `send_up`, `get`, `recv_rest`, ... of a channel used
//! over its wires), as actsim runs them: through an object of their own, whose reading of a
//! wire is not a CHP variable's. A wire that holds X reads as actsim's 2 *uncut* (a one-bit
//! value holding 2), after ``CHP model: Boolean variable `w' is X`` under the channel's name;
//! so `[x]` holds, and `[~x]` too (the complement, cut to the bool's bit, is 1); `x & ~x` is 0
//! and `x | y` is not. A selection in a method takes its first guard that holds, in order, as
//! actsim's method runner does. Outside the methods an X reads as 0 (see [`super::unknown`]).
use super::Process;
use crate::elab::ir::{BinaryOp, Expr, ExprKind, Place, Ty, UnaryOp};
use crate::kernel::LogKind;
use crate::sim::code::{Instr, Pc};
use crate::sim::error::Fault;
use crate::sim::eval::{binary, element_index, eval, small_binary, unary};
use crate::sim::port::Port;
use crate::sim::value::{mask64, Value};

/// What actsim's method runner reads an X wire as: its 2, in a value one bit wide.
const X_READ: u64 = 2;

impl Process {
    /// Whether the instruction at `pc` belongs to a channel's methods: the code between a
    /// wired communication's switch and its plain form (see `Emitter::emit_wired`).
    pub(crate) fn in_method(&self, pc: Pc) -> bool {
        self.method_switch(pc).is_some()
    }

    /// The wired communication whose channel methods hold the instruction at `pc`: the pc of
    /// its [`Instr::Wired`] switch.
    pub(crate) fn method_switch(&self, pc: Pc) -> Option<Pc> {
        // Most programs have no such code (and no need of `rare`).
        if !self.program.ports.iter().any(|slot| slot.wired) {
            return None;
        }
        let mut rare = self.rare();
        let ranges = rare.method_code.get_or_insert_with(|| {
            (self.code.iter().enumerate())
                .filter_map(|(at, instr)| match instr {
                    Instr::Wired { native, .. } => Some((at + 1, *native)),
                    _ => None,
                })
                .collect()
        });
        (ranges.iter())
            .find(|&&(from, to)| (from..to).contains(&pc))
            .map(|&(from, _)| from - 1)
    }

    /// An assignment in a channel's methods while some bool of the process holds X (`self :=
    /// e`): `e` as actsim's method runner computes it.
    #[inline(never)]
    pub(crate) fn assign_in_method(&self, target: &Place, value: &Expr) -> Result<(), Fault> {
        let v = self.method_eval(value)?;
        self.store(target, v)
    }

    /// A selection in a channel's methods while some bool of the process holds X: the target
    /// of its first guard that holds, as actsim's method runner tries them in order; `None`
    /// when none does.
    #[inline(never)]
    pub(crate) fn choose_in_method(&self, arms: &[(Expr, Pc)]) -> Result<Option<Pc>, Fault> {
        for (guard, target) in arms {
            if self.method_eval(guard)?.is_true() {
                return Ok(Some(*target));
            }
        }
        Ok(None)
    }

    /// `e` as actsim's method runner computes it: a plain evaluation when it reads no X.
    fn method_eval(&self, e: &Expr) -> Result<Value, Fault> {
        let mut reads_x = false;
        e.visit_vars(&mut |v| reads_x |= self.reads_x_wire(v));
        if !reads_x {
            return self.eval(e);
        }
        Ok(Value::Small(self.method_value(e)?))
    }

    /// Whether `v`, a variable read, is a bool that holds X.
    fn reads_x_wire(&self, v: &Expr) -> bool {
        v.ty == Ty::Bool
            && self
                .bool_read(v)
                .is_some_and(|slot| self.is_undefined(slot, 0))
    }

    /// The slot of the plain bool `v` reads (a variable, or an array's element whose index
    /// is in range).
    fn bool_read(&self, v: &Expr) -> Option<usize> {
        let slot = match &v.kind {
            ExprKind::Var(slot) => *slot,
            ExprKind::Element {
                base,
                lo,
                len,
                index,
            } => {
                base + self
                    .with_env(|env| element_index(index, *lo, *len, env))
                    .ok()?
            }
            _ => return None,
        };
        self.program.vars[slot].fields.is_empty().then_some(slot)
    }

    /// The value of `e` as actsim's big integers compute it in a method: an X wire is 2 in a
    /// one-bit value, which `&`, `|`, `^`, `+`, the comparisons and a condition take as it
    /// is, and a complement, `int(..)` or a bit field cuts to its width.
    fn method_value(&self, e: &Expr) -> Result<u64, Fault> {
        if e.ty == Ty::Bool {
            if let Some(slot) = self.bool_read(e) {
                if self.is_undefined(slot, 0) {
                    self.warn_method_x(slot);
                    return Ok(X_READ);
                }
            }
        }
        let width = e.ty.width();
        Ok(match &e.kind {
            ExprKind::Unary(UnaryOp::Not, inner) => {
                !self.method_value(inner)? & mask64(inner.ty.width())
            }
            ExprKind::Binary(op, a, b) => {
                let (x, y) = (self.method_value(a)?, self.method_value(b)?);
                match op {
                    // A difference is taken within the result's width.
                    BinaryOp::Sub => (x & mask64(width)).wrapping_sub(y) & mask64(width),
                    BinaryOp::Asr => self.plain_u64(e)?,
                    // The others keep every bit, the X's 2 too: computed 64 bits wide.
                    op => small_binary(*op, x, y, 64, &e.span)?,
                }
            }
            ExprKind::Conditional(condition, then, otherwise) => {
                let taken = if self.method_value(condition)? != 0 {
                    then
                } else {
                    otherwise
                };
                self.method_value(taken)?
            }
            ExprKind::Resize(inner) => self.method_value(inner)? & mask64(width),
            ExprKind::Bits { inner, hi, lo } => {
                let v = self.method_value(inner)?;
                v.checked_shr(*lo).unwrap_or(0) & mask64(hi - lo + 1)
            }
            _ => self.plain_u64(e)?,
        })
    }

    /// Whether `e` probes a port bound to wires (`#L`, the type's probe run on the wires).
    pub(super) fn probes_wires(&self, e: &Expr) -> bool {
        let mut found = false;
        e.visit(&mut |e| {
            if let ExprKind::WiredProbe { slot, .. } = e.kind {
                found |= matches!(self.ports[slot], Port::Wired { .. });
            }
        });
        found
    }

    /// `e`, which probes a port bound to wires, while some bool of the process holds X: the
    /// probe is the channel type's, which actsim runs as a method (an X wire reads as its 2,
    /// with the method's line); the rest as everywhere, in actsim's order of evaluation.
    #[inline(never)]
    pub(super) fn eval_probing_wires(&self, e: &Expr) -> Result<Value, Fault> {
        if !self.probes_wires(e) {
            return self.eval(e);
        }
        match &e.kind {
            ExprKind::WiredProbe { wires, .. } => {
                Ok(Value::from_bool(self.method_eval(wires)?.is_true()))
            }
            ExprKind::Unary(op, inner) => {
                let v = self.eval_probing_wires(inner)?;
                Ok(unary(*op, v, e.ty.width()))
            }
            ExprKind::Binary(op, a, b) => {
                let (x, y) = (self.eval_probing_wires(a)?, self.eval_probing_wires(b)?);
                binary(*op, x, y, e.ty, &e.span)
            }
            ExprKind::Conditional(condition, then, otherwise) => {
                let holds = self.eval_probing_wires(condition)?.is_true();
                let taken = if holds { then } else { otherwise };
                Ok(self.eval_probing_wires(taken)?.truncated(e.ty.width()))
            }
            ExprKind::Resize(inner) => Ok(self.eval_probing_wires(inner)?.truncated(e.ty.width())),
            // A probe inside anything else (a function's argument): as outside a method.
            _ => {
                self.warn_undefined_reads(e);
                self.with_env(|env| eval(e, env))
            }
        }
    }

    /// `e` evaluated as outside a method (its low 64 bits).
    fn plain_u64(&self, e: &Expr) -> Result<u64, Fault> {
        let v = self.eval(e)?.truncated(64);
        Ok(v.to_u64().unwrap_or(0))
    }

    /// actsim's line for a method's read of wire `slot` while it holds X: on stdout under the
    /// channel's name, the wire named within the channel's type, whatever `filter` says.
    fn warn_method_x(&self, slot: usize) {
        let var = &self.program.vars[slot].name;
        let port = (self.program.ports.iter().enumerate()).find(|(_, p)| p.owns_wire(var));
        let Some((port_slot, port)) = port else {
            let line = format!("CHP model: Boolean variable `{var}' is X");
            return self.run.ctx.log_unfiltered(LogKind::Model, &line);
        };
        let wire = wire_in_type(var, &port.name);
        let line = format!("CHP model: Boolean variable `{wire}' is X");
        let known = (self.rare().method_log_names.iter())
            .find(|(s, _)| *s == port_slot)
            .map(|&(_, name)| name);
        let name = match known {
            Some(name) => name,
            None => {
                let name = self.run.ctx.add_log_name(port.name.clone());
                self.rare().method_log_names.push((port_slot, name));
                name
            }
        };
        self.run.ctx.log_for_unfiltered(name, LogKind::Model, &line);
    }
}

/// The name within its channel's type of wire variable `var` of port (element) `port`: `t`
/// of `x.t`; of element `c[2]`, `t` of `c.t[2]` and `d.d[0]` of `c.d.d[2][0]` (a port
/// array's wires are arrays, the element's index first).
fn wire_in_type(var: &str, port: &str) -> String {
    let Some(at) = port.find('[') else {
        return var[port.len() + 1..].to_string();
    };
    let (array, element) = port.split_at(at);
    let wire = &var[array.len() + 1..];
    match wire.find(element) {
        Some(i) => format!("{}{}", &wire[..i], &wire[i + element.len()..]),
        None => wire.to_string(),
    }
}
