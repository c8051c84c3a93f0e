//! What a write to a process's variable sets off: X tracking, waiting guards, the other copies
//! of a shared variable and the circuit's node, the waveform.

use std::rc::Rc;

use super::{Process, SharedCopy};
use crate::elab::ir::{FieldBits, SharedPiece, Span, Ty};
use crate::kernel::{Level, LogKind, TaskId};
use crate::sim::error::{Fault, RuntimeErrorKind};
use crate::sim::eval::{extract_bits, Env};
use crate::sim::place::{self, BitSpan};
use crate::sim::value::{mask64, Value};

impl Process {
    /// After a write to `bits` of variable `slot`: they are defined now, the guards waiting
    /// for it are evaluated again, and, for a shared variable, every other copy gets the
    /// value at once. A variable holding several shared variables passes on each (its value
    /// before the write, `old`, tells which of two copies of one in it was written).
    fn written(&self, slot: usize, bits: Option<BitSpan>, old: Option<Value>) {
        self.defined(slot, bits);
        let Some(shared) = self.shared_var(slot) else {
            return self.trace(slot);
        };
        let value = self.vars.borrow()[slot].clone();
        let Some(old) = old else {
            self.trace(slot);
            let width = self.program.vars[slot].ty.width();
            let x = width == 1 && self.keeps_x(slot, 0);
            return self.share(shared, (Some(slot), width), bits, (&value, x));
        };
        // Each piece passes on after the first of its fields (in declaration order, the
        // field at its top bits) shows, as actsim writes a record field by field: a field
        // that is a node prints its line among the others (and the writer's own line of a
        // field it shares with other processes comes before their copies').
        let fields = &self.program.vars[slot].fields;
        let tops = |piece: &SharedPiece| {
            let top = piece.lo + piece.width;
            fields.iter().filter(move |f| f.lo + f.ty.width() == top)
        };
        let pass_on = |piece: usize| self.pass_on(slot, piece, bits, (&value, &old));
        self.trace_with(slot, |field| {
            let count = self.pieces(slot).len();
            for i in 0..count {
                let piece = self.pieces(slot)[i];
                if tops(&piece).next().is_some_and(|f| f.lo == field.lo) {
                    pass_on(i);
                }
            }
        });
        let count = self.pieces(slot).len();
        for i in 0..count {
            let piece = self.pieces(slot)[i];
            if self.traced.is_none() || tops(&piece).next().is_none() {
                pass_on(i);
            }
        }
    }

    /// Passes on piece `piece` of variable `slot` (see [`Process::written`]), if the write
    /// of its bits `bits` (all for `None`) changed it: `value` is the variable's new value,
    /// `old` the one before.
    fn pass_on(
        &self,
        slot: usize,
        piece: usize,
        bits: Option<BitSpan>,
        (value, old): (&Value, &Value),
    ) {
        let piece = self.pieces(slot)[piece];
        let (top, lo) = (piece.lo + piece.width - 1, piece.lo);
        let piece_bits = BitSpan::new(lo, top).below(bits);
        if piece_bits.is_some_and(BitSpan::is_empty) {
            return; // a write of other bits (another field)
        }
        let held = extract_bits(value.clone(), top, lo);
        // Of the bits of one shared variable held twice (two fields of the record
        // connected), those written pass on, not the others.
        let twice = (self.pieces(slot).iter()).any(|p| p.shared == piece.shared && p.lo != lo);
        if !twice || held != extract_bits(old.clone(), top, lo) {
            // Held twice, its own copies too: another piece may have overwritten them.
            let written = (!twice).then_some(slot);
            let x = piece.width == 1 && self.keeps_x(slot, lo);
            self.share(piece.shared, (written, piece.width), piece_bits, (&held, x));
        }
    }

    /// The shared variables variable `slot` holds, when it holds several.
    pub(super) fn pieces(&self, slot: usize) -> std::cell::RefMut<'_, [SharedPiece]> {
        std::cell::RefMut::map(self.rare(), |rare| match &mut rare.pieces {
            Some(pieces) => &mut pieces[slot][..],
            None => &mut [],
        })
    }

    /// Whether variable `slot` holds several shared variables (or part of one).
    pub(super) fn has_pieces(&self, slot: usize) -> bool {
        slot < self.shared_count as usize && !self.pieces(slot).is_empty()
    }

    /// Whether the write in progress leaves bool `bit` of variable `slot` X (a record's X
    /// field copied whole; see [`Process::keep_x`]).
    fn keeps_x(&self, slot: usize, bit: u32) -> bool {
        self.has_undefined.get() && self.rare().keep_x.contains(&(slot, bit))
    }

    /// Shared variable `shared` (of `width` bits) got value `bits` by a write of its bits
    /// `span` (all of them for `None`): the circuit's node and every copy take it, but
    /// variable `written` of this process, which holds it already. `x`: the bool written is
    /// X (the node goes X, as actsim stores a record's X field as it is).
    fn share(
        &self,
        shared: usize,
        (written, width): (Option<usize>, u32),
        span: Option<BitSpan>,
        (bits, x): (&Value, bool),
    ) {
        if let Some(circuit) = &self.run.circuit {
            if circuit.has_var(shared) {
                let level = match (x, bits.is_true()) {
                    (true, _) => Level::X,
                    (false, true) => Level::One,
                    (false, false) => Level::Zero,
                };
                circuit.chp_wrote(shared, level);
            }
        }
        let copies = self.run.shared_vars.borrow();
        for copy in &copies[shared] {
            let Some(other) = copy.process.upgrade() else {
                continue;
            };
            // Another process's copy, or another slot of this one (two wires of a channel
            // type connected in its body, `d.d[0] = f`).
            if std::ptr::eq(Rc::as_ptr(&other), self) && Some(copy.slot) == written {
                continue;
            }
            debug_assert_eq!(copy.width, width);
            copy.store(&other, bits);
            let whole = BitSpan::new(0, width - 1);
            other.defined(copy.slot, Some(span.unwrap_or(whole).shifted(copy.at)));
            other.trace(copy.slot);
        }
    }

    /// With `--vcd-vars`, tells the observers the value variable `slot` holds now.
    pub(super) fn trace(&self, slot: usize) {
        if let Some(traced) = &self.traced {
            let vars = self.vars.borrow();
            let undefined = |bit| self.is_undefined(slot, bit);
            traced.record(
                &self.run.ctx,
                &self.program,
                (slot, &vars[slot]),
                undefined,
                |_| {},
            );
        }
    }

    /// [`Process::trace`] of a record, running `after_field` after each of its fields
    /// shows (in declaration order); without a waveform, it does not run.
    fn trace_with(&self, slot: usize, after_field: impl FnMut(&FieldBits)) {
        if let Some(traced) = &self.traced {
            // `after_field` may write variables of this process.
            let value = self.vars.borrow()[slot].clone();
            let undefined = |bit| self.is_undefined(slot, bit);
            traced.record(
                &self.run.ctx,
                &self.program,
                (slot, &value),
                undefined,
                after_field,
            );
        }
    }

    /// A circuit node that is shared variable `copy` here changed: the variable takes its
    /// value (an X too: it reads as 0, and warns), and the guards waiting for it wake up.
    pub(crate) fn node_changed(&self, copy: &SharedCopy, value: Level) {
        match value {
            Level::X => return self.make_x(copy.slot, copy.at),
            level => copy.store(self, &Value::from_bool(level == Level::One)),
        }
        let at = BitSpan::new(copy.at, copy.at + copy.width - 1);
        self.defined(copy.slot, Some(at));
        self.trace(copy.slot);
    }

    /// Bits `bits` of variable `slot` (all of them for `None`) hold a value now: no more X
    /// there (but where the write keeps X, `Rare::keep_x`), and the guards waiting for the
    /// variable wake up.
    fn defined(&self, slot: usize, bits: Option<BitSpan>) {
        let tracks_x = self.has_undefined.get();
        if tracks_x {
            let undefined = &mut self.rare().undefined;
            let (lo, hi) = bits.map_or((0, u32::MAX), |b| (b.lo, b.hi));
            let from = undefined.partition_point(|&u| u < (slot, lo));
            let to = undefined.partition_point(|&u| u <= (slot, hi));
            if from < to {
                undefined.drain(from..to);
                self.has_undefined.set(!undefined.is_empty());
            }
        }
        if tracks_x {
            self.keep_x(slot);
        }
        self.wake_watchers(slot);
    }

    /// The guards waiting for a write to variable `slot` are evaluated again.
    pub(super) fn wake_watchers(&self, slot: usize) {
        if !self.has_watchers.get() {
            return;
        }
        let mut rare = self.rare();
        let watchers = &mut rare.var_watchers;
        let woken: Vec<TaskId> = watchers
            .iter()
            .filter(|&&(watched, _)| watched == slot)
            .map(|&(_, task)| task)
            .collect();
        // A woken thread is woken once, however many of its variables are written before it runs.
        watchers.retain(|(_, task)| !woken.contains(task));
        self.has_watchers.set(!watchers.is_empty());
        drop(rare);
        for task in woken {
            self.run.ctx.wake(task);
        }
    }
}

/// A process's variables: a write to one is noted (its shared copies, X tracking, waiting
/// guards), on top of the value stored.
impl place::Vars for &Process {
    fn with_env<T>(&self, f: impl FnOnce(&Env<'_>) -> T) -> T {
        let vars = self.vars.borrow();
        f(&Env {
            vars: &vars,
            ports: &self.ports,
        })
    }

    #[inline]
    fn set(&mut self, slot: usize, ty: Ty, value: Value, bits: Option<BitSpan>) {
        let old = self
            .has_pieces(slot)
            .then(|| self.vars.borrow()[slot].clone());
        let mut vars = self.vars.borrow_mut();
        match (&mut vars[slot], value) {
            // The hot path: a narrow value into a narrow variable, no enum shuffling.
            (Value::Small(old), Value::Small(new)) if ty.width() <= 64 => {
                *old = new & mask64(ty.width())
            }
            (old, new) => *old = new.truncated(ty.width()),
        }
        drop(vars);
        if self.tracks_writes(slot) {
            self.written(slot, bits, old);
        }
    }

    /// actsim's "illegal value" error; under actsim's commands
    /// ([`super::RunShared::assertions_pause`]) what actsim does: its two lines on stderr, a
    /// pause (a breakpoint: the running command stops after this event), and the value stored
    /// all the same.
    #[cold]
    fn illegal_enum(&self, value: &Value, size: u64, span: &Span) -> Result<(), Fault> {
        if !self.run.assertions_pause {
            return Err(Fault::new(
                span,
                RuntimeErrorKind::IllegalEnumValue {
                    value: value.to_big(),
                    size,
                },
            ));
        }
        // actsim names the process by its type (`-top-`: the file's).
        let name = self.actsim_type_name().unwrap_or("-top-");
        let big = value.to_big();
        let ctx = &self.run.ctx;
        let line = format!("** FATAL ** Process {name}: enumeration assigned illegal value");
        ctx.log_unfiltered(LogKind::Library, &line);
        let line = format!("**   Max={size};  Value: {big} (0x{big:x})");
        ctx.log_unfiltered(LogKind::Library, &line);
        ctx.pause();
        Ok(())
    }
}
