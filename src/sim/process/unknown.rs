//! A process's bools that hold X (actsim's undefined value): which they are, the warning
//! actsim logs when one is read, and how an X spreads.
//!
//! As in actsim, an X bool reads as 0 wherever an expression reads it (a guard, an assignment,
//! a send, a `log`), after the warning: actsim cuts the X it reads (its 2) to the bool's one
//! bit. A bool that holds X therefore holds 0 here too. Only a whole record copies its X
//! fields (`s := r`, `C!r` into `C?s`): actsim reads a record field by field, uncut.
use super::Process;
use crate::elab::ir::{Expr, ExprKind, LogArg, LogKind, Place, Ty};
use crate::kernel::ChanId;
use crate::sim::code::Instr;
use crate::sim::error::Fault;
use crate::sim::eval::{element_index, eval, insert_bits, Env};
use crate::sim::port::Port;
use crate::sim::value::Value;

/// The X fields of a record in flight on a channel: the channel and the way (`false` from
/// its sender to its receiver, `true` an exchange's reply back), and each X field's lowest
/// bit counted from the record's.
pub(crate) type RecordX = ((ChanId, bool), Box<[u32]>);

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
        for name in self.undefined_reads(e) {
            let line = format!("WARNING: Boolean variable `{name}' is X");
            self.run.ctx.log_unfiltered(LogKind::Line, &line);
        }
    }

    /// The names of the X bools `e` reads (see [`Process::warn_undefined_reads`]), in the
    /// order actsim's evaluation reads them.
    fn undefined_reads(&self, e: &Expr) -> Vec<String> {
        let mut names = Vec::new();
        self.collect_undefined_reads(e, &mut names);
        names
    }

    /// The array ACT makes one dynamic variable (the code indexes it at run time) that
    /// variable `slot` is an element of, as its first slot and length; `None` for a slot of
    /// no such array.
    pub(super) fn dynamic_array_of(&self, slot: usize) -> Option<(usize, usize)> {
        let mut rare = self.rare();
        let arrays = rare
            .dynamic_arrays
            .get_or_insert_with(|| dynamic_arrays(&self.code).into_boxed_slice());
        (arrays.iter().copied()).find(|(base, len)| (*base..base + len).contains(&slot))
    }

    /// [`Process::undefined_reads`] of `e` into `names`: left to right, an array's index
    /// before its element, and of a conditional its condition and the branch it takes (actsim
    /// evaluates no other). An element of a bool array (chosen at run time, or at a constant
    /// index of an array some statement indexes at run time: ACT makes the whole array one
    /// dynamic variable) is named as its array (`a`), as actsim names that variable. A
    /// record of such an array read whole warns of nothing (see
    /// [`Process::record_read_whole`]).
    fn collect_undefined_reads(&self, e: &Expr, names: &mut Vec<String>) {
        if let Some((slot, lo, hi)) = e.fixed_bits() {
            let var = &self.program.vars[slot];
            if var.fields.is_empty() {
                if self.is_undefined(slot, 0) {
                    match self.dynamic_array_of(slot) {
                        Some((base, _)) => names.push(array_name(&self.program.vars[base].name)),
                        None => names.push(self.shown_name((slot, 0), || var.name.clone())),
                    }
                }
                return;
            }
            if e.ty != Ty::Bool && self.dynamic_array_of(slot).is_some() {
                return;
            }
            for field in var.fields.iter().filter(|f| f.ty == Ty::Bool) {
                if (lo..=hi).contains(&field.lo) && self.is_undefined(slot, field.lo) {
                    let own = || format!("{}.{}", var.name, field.name);
                    names.push(self.shown_name((slot, field.lo), own));
                }
            }
            return;
        }
        match &e.kind {
            ExprKind::Element {
                base,
                lo,
                len,
                index,
            } => {
                self.collect_undefined_reads(index, names);
                let at = self
                    .with_env(|env| element_index(index, *lo, *len, env))
                    .ok();
                let slot = at.map(|at| base + at);
                let plain_bool = |slot: usize| self.program.vars[slot].fields.is_empty();
                if let Some(slot) = slot.filter(|&s| e.ty == Ty::Bool && plain_bool(s)) {
                    if self.is_undefined(slot, 0) {
                        names.push(array_name(&self.program.vars[*base].name));
                    }
                }
            }
            // A record actsim does not read (see `StructureAsValue`).
            ExprKind::StructureAsValue(_) => {}
            // The type's probe on the wires reads them as a method does (see `method_x`).
            ExprKind::WiredProbe { slot, .. }
                if matches!(self.ports[*slot], crate::sim::port::Port::Wired { .. }) => {}
            ExprKind::Conditional(condition, then, otherwise) => {
                self.collect_undefined_reads(condition, names);
                let holds = self
                    .with_env(|env| eval(condition, env))
                    .is_ok_and(|v| v.is_true());
                let taken = if holds { then } else { otherwise };
                self.collect_undefined_reads(taken, names);
            }
            _ => e.for_each_child(&mut |child| self.collect_undefined_reads(child, names)),
        }
    }

    /// The name actsim's warnings give the bool at `bit` of variable `slot`: its net's name
    /// in the process, else `own()`.
    fn shown_name(&self, (slot, bit): (usize, u32), own: impl FnOnce() -> String) -> String {
        let shown = &self.rare().shown_names;
        match shown.binary_search_by_key(&(slot, bit), |(at, _)| *at) {
            Ok(at) => shown[at].1.clone(),
            Err(_) => own(),
        }
    }

    /// Runs `f` on the process's variables and ports.
    pub(super) fn with_env<T>(&self, f: impl FnOnce(&Env<'_>) -> T) -> T {
        let vars = self.vars.borrow();
        f(&Env {
            vars: &vars,
            ports: &self.ports,
        })
    }

    /// A `log` (or `log_p`) while some bool of the process holds X. actsim writes a log's
    /// pieces as it evaluates its arguments, so the warning of an argument that reads an X
    /// comes in the middle of the log's line: after the prefix and the text before that
    /// argument, and the rest of the log's line follows on a line of its own.
    #[inline(never)]
    pub(crate) fn log_with_x(&self, kind: LogKind, args: &[LogArg]) -> Result<(), Fault> {
        let ctx = &self.run.ctx;
        let splits = matches!(kind, LogKind::Line | LogKind::Part);
        let mut text = String::new();
        let mut split = false;
        for arg in args {
            match arg {
                LogArg::Text(s) => text.push_str(s),
                LogArg::Value { expr, format } => {
                    if splits && !self.undefined_reads(expr).is_empty() {
                        if !split && kind == LogKind::Line {
                            ctx.log_output(LogKind::Start, "");
                        }
                        split = true;
                        ctx.log_output(LogKind::Part, &std::mem::take(&mut text));
                    }
                    let value = self.eval(expr)?;
                    text.push_str(&value.log_text(*format, expr.ty));
                }
            }
        }
        if !split {
            ctx.log_output(kind, &text);
            return Ok(());
        }
        ctx.log_output(LogKind::Part, &text);
        if kind == LogKind::Line {
            ctx.log_output(LogKind::End, "");
        }
        Ok(())
    }

    /// Bool `bit` of variable `slot` holds X from now: it reads as 0 (and warns), and the
    /// guards waiting for the variable are evaluated again (actsim passes every change of a
    /// bool on to what reads it, a change to X too).
    pub(crate) fn make_x(&self, slot: usize, bit: u32) {
        {
            let width = self.program.vars[slot].ty.width();
            let mut vars = self.vars.borrow_mut();
            let old = std::mem::take(&mut vars[slot]);
            vars[slot] = insert_bits(old, Value::Small(0), bit, bit, width);
        }
        self.undefine(slot, bit);
        self.wake_watchers(slot);
        self.trace(slot);
    }

    /// [`Process::make_x`], and for a variable shared with other processes (a `bool` port),
    /// every copy of it: they are one bool, as in actsim.
    pub(crate) fn spread_x(&self, slot: usize, bit: u32) {
        self.make_x(slot, bit);
        self.spread_x_to_copies(slot, bit);
    }

    /// The other copies of the shared variable holding bool `bit` of variable `slot` (if it
    /// is one) hold X.
    fn spread_x_to_copies(&self, slot: usize, bit: u32) {
        let Some(whole) = self.shared_var(slot) else {
            return;
        };
        // The shared variable holding the bit, and the bit's place in it.
        let (shared, bit_there) = if self.has_pieces(slot) {
            let pieces = self.pieces(slot);
            match pieces
                .iter()
                .find(|p| (p.lo..p.lo + p.width).contains(&bit))
            {
                Some(piece) => (piece.shared, bit - piece.lo),
                None => return,
            }
        } else {
            (whole, bit)
        };
        let copies = self.run.shared_vars.borrow();
        for copy in &copies[shared] {
            let Some(other) = copy.process.upgrade() else {
                continue;
            };
            if !(std::ptr::eq(std::rc::Rc::as_ptr(&other), self) && copy.slot == slot) {
                other.make_x(copy.slot, copy.at + bit_there);
            }
        }
    }

    /// The X `bool` fields of the record `e` reads whole (a record variable, or a field that
    /// is a record), each as its lowest bit counted from the record's; none for any other
    /// expression (a bool reads as 0, and so does a record's bool field read alone), and none
    /// for an element of a record array ACT makes dynamic (see
    /// [`Process::record_read_whole`]).
    pub(crate) fn record_x_fields(&self, e: &Expr) -> Box<[u32]> {
        let Some((slot, lo, hi)) = e.fixed_bits().filter(|_| e.ty != Ty::Bool) else {
            return Box::default();
        };
        if self.dynamic_array_of(slot).is_some() {
            return Box::default();
        }
        (self.program.vars[slot].fields.iter())
            .filter(|f| f.ty == Ty::Bool && (lo..=hi).contains(&f.lo))
            .filter(|f| self.is_undefined(slot, f.lo))
            .map(|f| f.lo - lo)
            .collect()
    }

    /// Evaluates `e`, a value assigned or sent, while some bool of the process holds X, with
    /// the X `bool` fields of the record it reads whole (see [`Process::record_x_fields`]).
    /// A record that is an element of an array the code indexes at run time (`a[i]`, and
    /// `a[2]` of such an array: ACT makes the array one dynamic variable) is read as actsim
    /// reads one: each `bool` field that is not 0 reads as 1, so an X field reads as 1, with
    /// no warning.
    pub(crate) fn record_read_whole(&self, e: &Expr) -> Result<(Value, Box<[u32]>), Fault> {
        let value = self.eval(e)?;
        let slot = match &e.kind {
            ExprKind::Var(slot) if e.ty != Ty::Bool => Some(*slot),
            ExprKind::Element {
                base,
                lo,
                len,
                index,
            } if e.ty != Ty::Bool => self
                .with_env(|env| element_index(index, *lo, *len, env))
                .ok()
                .map(|at| base + at),
            _ => None,
        };
        let Some(slot) = slot.filter(|&s| self.dynamic_array_of(s).is_some()) else {
            return Ok((value, self.record_x_fields(e)));
        };
        let width = self.program.vars[slot].ty.width();
        let x_fields = (self.program.vars[slot].fields.iter())
            .filter(|f| f.ty == Ty::Bool && self.is_undefined(slot, f.lo));
        let value = x_fields.fold(value, |v, f| {
            insert_bits(v, Value::Small(1), f.lo, f.lo, width)
        });
        Ok((value, Box::default()))
    }

    /// Stores `value`, a record whose fields `x_fields` (see [`Process::record_x_fields`])
    /// hold X, into `place`: those of the place's `bool` fields hold X after it (a place
    /// chosen at run time too, `a[i] := r`, `C?a[i]`: actsim stores a record field by field,
    /// the X as it is). The write keeps them X as it happens, so what watches the variable
    /// sees one change, with the X in it.
    fn store_keeping_x(&self, place: &Place, value: Value, x_fields: &[u32]) -> Result<(), Fault> {
        if x_fields.is_empty() {
            return self.store(place, value);
        }
        let Some((slot, lo)) = self.place_bits(place) else {
            return self.store(place, value);
        };
        let fields = &self.program.vars[slot].fields;
        let is_bool_field = |bit: &u32| fields.iter().any(|f| f.ty == Ty::Bool && f.lo == *bit);
        let bits: Vec<u32> = x_fields
            .iter()
            .map(|at| lo + at)
            .filter(is_bool_field)
            .collect();
        self.rare().keep_x = bits.iter().map(|&bit| (slot, bit)).collect();
        // So that the write goes by `defined`, which keeps them.
        self.has_undefined.set(true);
        let stored = self.store(place, value);
        self.rare().keep_x.clear();
        stored?;
        for bit in bits {
            // Written without a check of its X (a plain variable's fast store): X all the same.
            self.undefine(slot, bit);
            self.spread_x_to_copies(slot, bit);
        }
        Ok(())
    }

    /// The variable slot and lowest bit of `place`: a variable, an element of an array (its
    /// index read now), or bits of one (a record's field); `None` for an element of a
    /// record's array field chosen at run time, or an index out of range (the store reports it).
    fn place_bits(&self, place: &Place) -> Option<(usize, u32)> {
        match place {
            Place::Var { slot, .. } => Some((*slot, 0)),
            Place::Element {
                base,
                lo,
                len,
                index,
                ..
            } => {
                let at = self
                    .with_env(|env| element_index(index, *lo, *len, env))
                    .ok()?;
                Some((base + at, 0))
            }
            Place::Bits { inner, lo, .. } => {
                let (slot, base) = self.place_bits(inner)?;
                Some((slot, base + lo))
            }
            _ => None,
        }
    }

    /// The bools of variable `slot` that the write in progress keeps X (`Rare::keep_x`) hold
    /// X again, after the write cleared them.
    pub(super) fn keep_x(&self, slot: usize) {
        let kept: Vec<(usize, u32)> = (self.rare().keep_x.iter())
            .filter(|&&(s, _)| s == slot)
            .copied()
            .collect();
        for (slot, bit) in kept {
            self.undefine(slot, bit);
        }
    }

    /// An assignment while some bool of the process holds X: a record copied whole takes its
    /// X fields along.
    #[inline(never)]
    pub(crate) fn assign_with_x(&self, target: &Place, value: &Expr) -> Result<(), Fault> {
        let (v, x_fields) = self.record_read_whole(value)?;
        self.store_keeping_x(target, v, &x_fields)
    }

    /// The value of `value`, sent on channel `chan` (`back`: as an exchange's reply) while
    /// some bool of the process holds X: a record sent whole takes its X fields to the
    /// party that takes it (see [`Process::record_read_whole`]).
    #[inline(never)]
    pub(crate) fn send_with_x(
        &self,
        (chan, back): (ChanId, bool),
        value: &Expr,
    ) -> Result<Value, Fault> {
        let (v, x_fields) = self.record_read_whole(value)?;
        let mut in_flight = self.run.records_x.borrow_mut();
        in_flight.retain(|(key, _)| *key != (chan, back));
        if !x_fields.is_empty() {
            in_flight.push(((chan, back), x_fields));
        }
        self.run.carries_x.set(!in_flight.is_empty());
        Ok(v)
    }

    /// The communication waiting on port `slot` was left (`skip-comm`, `goto`): the X fields
    /// of the record it offered (a send's value, or the reply of an exchange's receive) reach
    /// no one.
    pub(crate) fn drop_x_in_flight(&self, slot: usize) {
        if !self.run.carries_x.get() {
            return;
        }
        let way = match &self.ports[slot] {
            Port::Send { end } => (end.id(), false),
            Port::Receive { end } => (end.id(), true),
            Port::Unbound | Port::Wired { .. } => return,
        };
        let mut in_flight = self.run.records_x.borrow_mut();
        in_flight.retain(|(key, _)| *key != way);
        self.run.carries_x.set(!in_flight.is_empty());
    }

    /// Stores `value`, taken from channel `chan` (`back`: an exchange's reply) into `target`
    /// while some record with X fields is in flight: the X fields of the one sent this way
    /// on this channel go along.
    #[inline(never)]
    pub(crate) fn take_with_x(
        &self,
        (chan, back): (ChanId, bool),
        target: Option<&Place>,
        value: Value,
    ) -> Result<(), Fault> {
        let mut in_flight = self.run.records_x.borrow_mut();
        let x_fields = match in_flight.iter().position(|(key, _)| *key == (chan, back)) {
            Some(at) => in_flight.swap_remove(at).1,
            None => Box::default(),
        };
        self.run.carries_x.set(!in_flight.is_empty());
        drop(in_flight);
        match target {
            Some(target) => self.store_keeping_x(target, value, &x_fields),
            None => Ok(()),
        }
    }
}

/// The name of the array whose element is named `element` (`a` of `a[3]`, `m` of `m[1][2]`).
fn array_name(element: &str) -> String {
    element.split('[').next().unwrap_or(element).to_string()
}

/// The arrays `code` indexes at run time, each as its first slot and its length: ACT makes
/// each such array one variable of the process (a dynamic one), whatever index reads it.
fn dynamic_arrays(code: &[Instr]) -> Vec<(usize, usize)> {
    let mut arrays = Vec::new();
    let mut exprs: Vec<&Expr> = Vec::new();
    let mut places: Vec<&Place> = Vec::new();
    for instr in code {
        match instr {
            Instr::Assign { target, value, .. } => {
                places.push(target);
                exprs.push(value);
            }
            Instr::Send { value, reply, .. } => {
                exprs.extend(value);
                places.extend(reply);
            }
            Instr::Receive { target, reply, .. } => {
                places.extend(target);
                exprs.extend(reply);
            }
            Instr::Log { args, .. } | Instr::Assert { message: args, .. } => {
                exprs.extend(args.iter().filter_map(|a| match a {
                    LogArg::Value { expr, .. } => Some(expr),
                    LogArg::Text(_) => None,
                }));
                if let Instr::Assert { condition, .. } = instr {
                    exprs.push(condition);
                }
            }
            Instr::Select { arms, .. } => exprs.extend(arms.iter().map(|(guard, _)| guard)),
            Instr::JumpIf { condition, .. } => exprs.push(condition),
            _ => {}
        }
    }
    while let Some(place) = places.pop() {
        match place {
            Place::Var { .. } => {}
            Place::Element {
                base, len, index, ..
            } => {
                arrays.push((*base, *len));
                exprs.push(index);
            }
            Place::Bits { inner, .. }
            | Place::NonZero(inner)
            | Place::Bool(inner)
            | Place::Enum { inner, .. } => places.push(inner),
            Place::FieldElement { inner, at } => {
                places.push(inner);
                exprs.push(&at.index);
            }
        }
    }
    for e in exprs {
        e.visit(&mut |e| {
            if let ExprKind::Element { base, len, .. } = e.kind {
                arrays.push((base, len));
            }
        });
    }
    arrays.sort_unstable();
    arrays.dedup();
    arrays
}
