//! One CHP process's state: its variables, its channel ends, and the operations its threads
//! ([`super::thread`]) perform on them.
//!
//! A process is a task; each parallel branch (`S1, S2`) beyond the first is a further task of
//! the same process, and all of them share the process's variables. Every action is an event
//! that fires its delay after the previous one completed, and acts then (actsim's timing: 10
//! ticks by default for an assignment, a send, a receive, a guard evaluation or a loop
//! iteration; `log` is free).
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use smallvec::SmallVec;

use super::code::{Instr, Pc};
use super::error::{ChannelAction, Fault, MutexViolations, RuntimeError, RuntimeErrorKind};
use super::eval::{eval, port_slot, Env};
use super::place;
use super::port::Port;
use super::random_stream::RandomStream;
use super::trace::TracedVars;
use super::value::{mask64, Value};
use crate::elab::ir::{Expr, ExprKind, Flavor, LogArg, Place, Program, SharedPiece, Span};
use crate::kernel::{Ctx, TaskId, Time};

mod guards;
mod inspection;
mod method_x;
pub(crate) mod unknown;
mod writes;

pub(crate) use inspection::{Inspection, Parked, ParkedOn, Position, Request};

/// What all processes of a run share.
pub(crate) struct RunShared {
    pub ctx: Ctx,
    /// The run's random stream, shared with the circuit (see
    /// [`super::RunOptions::random_delay`], [`super::RunOptions::random_choice`]).
    pub random: Rc<RandomStream>,
    /// See [`super::RunOptions::assertions_pause`].
    pub assertions_pause: bool,
    /// See [`super::RunOptions::actsim_events`].
    pub actsim_events: bool,
    pub fault: RefCell<Option<RuntimeError>>,
    /// The selections and loops whose guards held several at once (the run went on).
    pub mutex_violations: RefCell<MutexViolations>,
    /// Turns a source offset into `file:line:column` for the error line of the transcript.
    pub locate: RefCell<Option<Locator>>,
    /// Each shared variable's copies.
    pub shared_vars: RefCell<Vec<SharedCopies>>,
    /// The design's production rules, running beside the processes: a write to a shared
    /// variable that is one of its nodes is a change of that node.
    pub circuit: Option<Rc<crate::prs::run::Circuit>>,
    /// The state of the external functions chpsim implements (files, random generators).
    pub externals: super::external::SharedState,
    /// For each wired channel with CHP at both ends, which ends are amid a communication.
    pub wired_pairs: RefCell<Vec<super::wired::PairState>>,
    /// actsim's reset mode, set by its `mode reset` command: each event of a process running
    /// CHP is put off (see [`super::thread::Thread::put_off_in_reset`]).
    pub reset_mode: Cell<bool>,
    /// The records with X fields in flight on channels (see [`unknown::RecordX`]), and
    /// whether there is any (a receive tests only that).
    pub records_x: RefCell<Vec<unknown::RecordX>>,
    pub carries_x: Cell<bool>,
}

/// The copies of a shared variable.
pub(crate) type SharedCopies = Vec<SharedCopy>;

/// A copy of a shared variable: the process holding one, its variable slot there, and where
/// the shared variable's `width` bits lie in that variable's, from bit `at` (a record whose
/// fields are connected as nets holds several shared variables; most copies are the whole
/// variable, at 0).
#[derive(Clone)]
pub(crate) struct SharedCopy {
    pub process: Weak<Process>,
    pub slot: usize,
    pub at: u32,
    pub width: u32,
}

impl SharedCopy {
    /// Writes `bits`, the shared variable's value, into the copy's variable in `process`.
    fn store(&self, process: &Process, bits: &Value) {
        let mut vars = process.vars.borrow_mut();
        let width = process.program.vars[self.slot].ty.width();
        if self.at == 0 && self.width == width {
            vars[self.slot] = bits.clone();
        } else {
            let old = std::mem::take(&mut vars[self.slot]);
            let top = self.at + self.width - 1;
            vars[self.slot] = super::eval::insert_bits(old, bits.clone(), top, self.at, width);
        }
    }
}

/// See [`RunShared::locate`].
pub(crate) type Locator = Box<dyn Fn(usize) -> String>;

/// One process instance's state. The fields every event touches come first and `repr(C)`
/// keeps them in that order, so that an event reads two cache lines of it rather than five
/// (the interpreted pipeline is bound by memory traffic, not instructions).
#[repr(C)]
pub(crate) struct Process {
    /// The variables. The first ones are the `bool`/`int` ports: each is a copy of a shared
    /// variable, and a write to it is written to every copy at once.
    pub vars: RefCell<Vec<Value>>,
    pub code: Rc<[Instr]>,
    /// Whether `undefined` / `var_watchers` / `flavors` are in use: kept apart so that reads,
    /// writes and actions of a process with none of them cost one test each.
    pub has_undefined: Cell<bool>,
    pub has_watchers: Cell<bool>,
    pub uses_flavors: Cell<bool>,
    /// `traced.is_some()`, here with the other flags a write tests.
    pub traces_vars: bool,
    /// `shared.len()`, kept here so a write tests it without reading `shared`.
    pub shared_count: u32,
    /// Inline for the common process with at most two channel ports (a buffer): an event
    /// then finds its channel without reading another allocation.
    pub ports: SmallVec<[Port; 2]>,
    /// See [`super::code::event_plan`].
    pub plan: Rc<[Option<(Time, Pc)>]>,
    pub delay: Time,
    /// The energy its statements have used (see [`crate::elab::delays`]), a sum that wraps
    /// as actsim's unsigned one does.
    pub energy: Cell<u64>,
    pub run: Rc<RunShared>,
    /// For its variables' names and which of them are shared.
    pub program: Rc<Program>,
    /// What only some processes use, made on first use (see [`Rare`]).
    pub rare: RefCell<Option<Box<Rare>>>,
    /// With `--vcd-vars`: its variables in the kernel's registry; every write is reported.
    pub traced: Option<Box<TracedVars>>,
    /// In a run kept for actsim's commands: where its threads are and which guards they
    /// took (`procinfo`, `coverage`); `None` otherwise (threads then note nothing). Boxed: a
    /// process without it pays 8 bytes, not 88.
    pub inspection: Option<Box<RefCell<Inspection>>>,
}

/// A process's state that most processes never use, apart so that a process without it pays
/// 16 bytes rather than 128 (a million-buffer design has a million processes).
#[derive(Default)]
pub(crate) struct Rare {
    /// The shared variable of each `bool`/`int` port (an index into [`RunShared::shared_vars`]).
    pub shared: Box<[usize]>,
    /// The shared variables each of those holds, when one holds several (empty for one
    /// that is one whole shared variable; see [`crate::elab::ir::SharedPiece`]).
    pub pieces: Option<Box<[Box<[SharedPiece]>]>>,
    /// The receive ports left unconnected (no sender), in order: nothing arrives on them.
    pub open_inputs: Box<[usize]>,
    /// Threads whose guards wait for a write to a variable: (slot, task).
    pub var_watchers: Vec<(usize, TaskId)>,
    /// The bools never written (undefined, X), in order: each as its variable's slot and its
    /// bit there (0 for a `bool` variable, a field's lowest bit for a record's `bool` field).
    /// Reading one logs actsim's warning.
    pub undefined: Vec<(usize, u32)>,
    /// The bools a write in progress leaves X (a record copied with its X fields), each as
    /// its variable's slot and bit: see [`Process::defined`].
    pub keep_x: Vec<(usize, u32)>,
    /// Per channel end, the flavor its next action must have once it has used `+`/`-`;
    /// empty until a flavored action runs (see [`Process::check_flavor`]).
    pub flavors: Vec<Option<Flavor>>,
    /// The arrays the code indexes at run time, each as its first slot and its length, once
    /// an X rule needs them (see [`Process::dynamic_array_of`]).
    pub dynamic_arrays: Option<Box<[(usize, usize)]>>,
    /// The code of channels' methods, as ranges of instructions, once an X rule needs them
    /// (see [`Process::in_method`]).
    pub method_code: Option<Box<[(crate::sim::code::Pc, crate::sim::code::Pc)]>>,
    /// The names the methods' X lines go under, per port slot (see `method_x`).
    pub method_log_names: Vec<(usize, crate::kernel::ProcId)>,
    /// The bools (by slot and bit, in order) whose net the process names otherwise, with
    /// that name (see [`crate::elab::ir::ProcessInstance::shown_names`]).
    pub shown_names: Box<[((usize, u32), String)]>,
}

impl Process {
    /// Adds a statement's energy to the process's (see [`Process::energy`]).
    #[inline(always)]
    pub(crate) fn spend(&self, energy: u64) {
        self.energy.set(self.energy.get().wrapping_add(energy));
    }

    /// The process's [`Rare`] state, made on first use.
    pub(crate) fn rare(&self) -> std::cell::RefMut<'_, Rare> {
        std::cell::RefMut::map(self.rare.borrow_mut(), |rare| {
            &mut **rare.get_or_insert_with(Default::default)
        })
    }

    /// Whether a thread of the process has an event queued: one that waits out a delay or
    /// has not run yet, not one that waits on a guard, a communication or its branches.
    /// Known only for a process whose threads note their positions (`inspection`).
    pub(crate) fn has_pending_event(&self) -> bool {
        let Some(inspection) = &self.inspection else {
            return false;
        };
        let inspection = inspection.borrow();
        (inspection.positions.iter().enumerate()).any(|(slot, position)| {
            let parked = inspection.parked.get(slot).copied().flatten();
            matches!(position, Position::At(_))
                && matches!(parked.map(|p| p.on), None | Some(ParkedOn::Time))
        })
    }

    /// The shared variable that port variable `slot` is a copy of, if it is one.
    pub(super) fn shared_var(&self, slot: usize) -> Option<usize> {
        if slot >= self.shared_count as usize {
            return None;
        }
        self.rare().shared.get(slot).copied()
    }

    /// Stops the run with `fault`, the run's error unless an earlier one is.
    pub(super) fn fail(&self, fault: Fault) {
        let ctx = &self.run.ctx;
        let error = RuntimeError::new(fault, ctx.now(), ctx.process_name());
        let line = match &*self.run.locate.borrow() {
            Some(locate) => format!("{} at {}", error.message(), locate(error.span.start)),
            None => error.message().to_string(),
        };
        self.run.fault.borrow_mut().get_or_insert(error);
        ctx.fail(&line);
    }

    /// Evaluates `e`. Reading a plain variable that holds a narrow value, with no X to warn
    /// of, is the hot path (a send's value): inlined into the caller, the rest is not.
    #[inline(always)]
    pub(super) fn eval(&self, e: &Expr) -> Result<Value, Fault> {
        if let ExprKind::Var(slot) = e.kind {
            if !self.has_undefined.get() {
                if let Value::Small(v) = self.vars.borrow()[slot] {
                    return Ok(Value::Small(v));
                }
            }
        }
        self.eval_general(e)
    }

    #[inline(never)]
    fn eval_general(&self, e: &Expr) -> Result<Value, Fault> {
        if self.has_undefined.get() {
            if self.probes_wires(e) {
                return self.eval_probing_wires(e);
            }
            self.warn_undefined_reads(e);
        }
        let vars = self.vars.borrow();
        if let ExprKind::Var(slot) = e.kind {
            return Ok(vars[slot].clone());
        }
        eval(
            e,
            &Env {
                vars: &vars,
                ports: &self.ports,
            },
        )
    }

    /// The delay of an action with its own `delay`, if any (drawn while delays are random).
    pub(super) fn action_delay(&self, delay: Option<u64>) -> Time {
        self.run.random.delay(delay.unwrap_or(self.delay), true)
    }

    /// Stores `value` into `place`. A narrow value into a plain narrow variable whose writes
    /// nothing else tracks is the hot path (a receive's target): inlined into the caller, the
    /// rest is not.
    #[inline(always)]
    pub(super) fn store(&self, place: &Place, value: Value) -> Result<(), Fault> {
        if let (Place::Var { slot, ty }, Value::Small(new)) = (place, &value) {
            if ty.width() <= 64 && !self.tracks_writes(*slot) {
                if let Value::Small(old) = &mut self.vars.borrow_mut()[*slot] {
                    *old = new & mask64(ty.width());
                    return Ok(());
                }
            }
        }
        self.store_general(place, value)
    }

    #[inline(never)]
    fn store_general(&self, place: &Place, value: Value) -> Result<(), Fault> {
        let mut this = self;
        // The hot path, a plain variable, without the general walk over places.
        if let Place::Var { slot, ty } = place {
            place::Vars::set(&mut this, *slot, *ty, value, None);
            return Ok(());
        }
        place::store(place, value, &mut this)
    }

    /// Whether a write to `slot` matters beyond the variable itself.
    #[inline]
    fn tracks_writes(&self, slot: usize) -> bool {
        slot < self.shared_count as usize
            || self.has_undefined.get()
            || self.has_watchers.get()
            || self.traces_vars
    }

    /// Whether port `slot` is an input something can arrive on (a connected receive port).
    pub(super) fn is_connected_input(&self, slot: usize) -> bool {
        matches!(self.ports[slot], Port::Receive { .. })
            && (self.rare.borrow().as_ref())
                .is_none_or(|r| r.open_inputs.binary_search(&slot).is_err())
    }

    pub(super) fn port_slot(&self, port: &crate::elab::ir::PortRef) -> Result<usize, Fault> {
        match port {
            crate::elab::ir::PortRef::Fixed(slot) => Ok(*slot),
            dynamic => {
                let vars = self.vars.borrow();
                port_slot(
                    dynamic,
                    &Env {
                        vars: &vars,
                        ports: &self.ports,
                    },
                )
            }
        }
    }

    /// Evaluates a log statement's values and, when `printed`, the text they make. The values
    /// are evaluated either way: whether anything watches a run (`--quiet`) must never change
    /// what it computes, errors included.
    pub(super) fn log_text(&self, args: &[LogArg], printed: bool) -> Result<Option<String>, Fault> {
        let mut text = printed.then(String::new);
        for arg in args {
            match arg {
                LogArg::Text(s) => {
                    if let Some(text) = &mut text {
                        text.push_str(s);
                    }
                }
                LogArg::Value { expr, format } => {
                    let value = self.eval(expr)?;
                    if let Some(text) = &mut text {
                        text.push_str(&value.log_text(*format, expr.ty));
                    }
                }
            }
        }
        Ok(text)
    }

    /// Checks the flavor of a send (`sign` `!`) or receive (`?`) on port `slot` against the
    /// end's history, actsim's rule: once an end has used `+`/`-`, every action on it must,
    /// alternating and starting with `+`.
    #[inline]
    pub(super) fn check_flavor(
        &self,
        slot: usize,
        flavor: Option<Flavor>,
        sign: char,
        span: &Span,
    ) -> Result<(), Fault> {
        // The hot path: a plain action in a process that never used a flavor.
        if flavor.is_none() && !self.uses_flavors.get() {
            return Ok(());
        }
        self.check_flavor_history(slot, flavor, sign, span)
    }

    /// Out of line: inlined, it kept [`Process::check_flavor`] from being inlined into the
    /// interpreter's `fire`, a call on every send and receive.
    #[cold]
    #[inline(never)]
    fn check_flavor_history(
        &self,
        slot: usize,
        flavor: Option<Flavor>,
        sign: char,
        span: &Span,
    ) -> Result<(), Fault> {
        let mut rare = self.rare();
        let flavors = &mut rare.flavors;
        let next = flavors.get(slot).copied().flatten();
        let action = if sign == '!' {
            ChannelAction::Send
        } else {
            ChannelAction::Receive
        };
        let Some(flavor) = flavor else {
            return match next {
                None => Ok(()),
                Some(_) => Err(Fault::new(
                    span,
                    RuntimeErrorKind::PlainActionOnFlavoredEnd { action },
                )),
            };
        };
        let expected = next.unwrap_or(Flavor::Plus);
        if flavor != expected {
            return Err(Fault::new(
                span,
                RuntimeErrorKind::FlavorOutOfTurn { action, expected },
            ));
        }
        if flavors.len() <= slot {
            flavors.resize(self.ports.len(), None);
        }
        self.uses_flavors.set(true);
        flavors[slot] = Some(match flavor {
            Flavor::Plus => Flavor::Minus,
            Flavor::Minus => Flavor::Plus,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    /// A million-buffer design has a million processes: what only some of them use stays out
    /// of the struct (defect 12 of issue 20; the struct was 288 bytes with it inline).
    #[test]
    fn a_process_keeps_its_rare_state_apart() {
        let size = std::mem::size_of::<super::Process>();
        assert!(size <= 200, "a process is {size} bytes");
    }
}
