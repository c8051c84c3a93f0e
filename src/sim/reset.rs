//! actsim's reset phase (its `runInit`): when the design has `Initialize { actions { ... } }`,
//! the run starts in *reset mode*. Each action but the last of each block runs in turn (round
//! by round, the next of each block, block by block): it starts, then the simulation goes on
//! 100 ticks at a time until no production rule has a transition pending (at most 100
//! rounds, after which actsim warns; the events of a node with several drivers do not count,
//! see [`Circuit::is_pending`]). Then the last action of every block starts, reset mode ends, and the CHP
//! processes, held until then, start. Processes that run their HSE are not held (actsim's HSE mode), and
//! a round ends the phase only when none of them has an event queued either.
//!
//! A channel between CHP and a circuit ([`crate::elab::ir::WIRED`]) is put in its initial
//! state first, at time 0: the CHP end runs its type's `send_init` or `recv_init` on the
//! wires. Without `Initialize`, actsim then lets the design settle 10 ticks at a time while a
//! transition is pending, and ends reset mode.
//!
//! actsim runs the rounds from outside its event queue (each runs every event up to 100 ticks
//! after the last one that ran), and so does the phase here
//! ([`Ctx::resume_after_events_until`]): the order of the queue's events of one time depends
//! on every event in it. For the same reason a CHP process is held as actsim holds it: its
//! first action's event is queued at the start, and in reset mode each time it comes up it is
//! put off 10 ticks, as a new event; the first time it comes up after the phase, it fires.
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::process::Process;
use super::thread::Thread;
use crate::kernel::{Ctx, LogKind, TaskId, Time};
use crate::prs::run::Circuit;

/// How long actsim lets the design settle after each action but the last.
const ROUND: Time = 100;
/// How long it lets the wires of channels between CHP and circuits settle, without actions.
const WIRES_ROUND: Time = 10;
/// How many rounds it waits at most, unless the configuration's `sim.reset_rounds` says.
pub(crate) const MAX_ROUNDS: u32 = 100;
/// actsim's warning (on standard error) after the last round allowed.
const RESET_PENDING: &str = "WARNING: Pending production rule events during reset phase?";
/// How far actsim puts off a CHP event in reset mode.
pub(super) const DEFERRAL: Time = 10;

/// The reset phase, run as a daemon task of the kernel.
pub(crate) struct ResetPhase {
    ctx: Ctx,
    circuit: Option<Rc<Circuit>>,
    /// The `Initialize` actions' tasks, in the order they start, held until then.
    actions: Vec<TaskId>,
    /// How many of `actions`, the last ones, start together at the end of the phase.
    last: usize,
    /// Set while the processes are held (see [`HeldThread`]).
    holding: Rc<Cell<bool>>,
    /// The action started last (whose settling rounds are counted).
    current: Cell<usize>,
    rounds: Cell<u32>,
    done: Cell<bool>,
    /// What puts the wired channels in their initial state, at the start.
    wires_init: Cell<Option<Box<dyn FnOnce()>>>,
    /// The length of a round: [`ROUND`], or [`WIRES_ROUND`] without actions.
    round: Time,
    /// The processes running their HSE: they act in reset mode, and an event one of them has
    /// queued keeps the phase going, as a pending transition does (actsim's `_match_hseprs`).
    hse: Vec<Rc<Process>>,
    /// Pause the run when the phase ends (under actsim's commands, which it runs before).
    pause_at_end: bool,
    /// How many rounds it waits at most after an action ([`MAX_ROUNDS`] by default).
    max_rounds: u32,
}

impl ResetPhase {
    pub(crate) fn new(
        ctx: Ctx,
        circuit: Option<Rc<Circuit>>,
        (actions, last): (Vec<TaskId>, usize),
        holding: Rc<Cell<bool>>,
        wires_init: Option<Box<dyn FnOnce()>>,
    ) -> Self {
        let round = if actions.is_empty() {
            WIRES_ROUND
        } else {
            ROUND
        };
        Self {
            ctx,
            circuit,
            actions,
            last,
            holding,
            current: Cell::new(0),
            rounds: Cell::new(0),
            done: Cell::new(false),
            wires_init: Cell::new(wires_init),
            round,
            hse: Vec::new(),
            pause_at_end: false,
            max_rounds: MAX_ROUNDS,
        }
    }

    /// Waits at most `max_rounds` rounds after each action (actsim's `sim.reset_rounds`).
    pub(crate) fn with_max_rounds(self, max_rounds: u32) -> Self {
        Self { max_rounds, ..self }
    }

    pub(crate) fn with_hse(self, hse: Vec<Rc<Process>>) -> Self {
        Self { hse, ..self }
    }

    /// Pauses the run when the phase ends, if `on` (actsim runs the phase before it reads
    /// its first command).
    pub(crate) fn pausing_at_end(self, on: bool) -> Self {
        Self {
            pause_at_end: on,
            ..self
        }
    }

    /// Whether a transition or an HSE process's event is pending.
    fn is_pending(&self) -> bool {
        self.circuit.as_ref().is_some_and(|c| c.is_pending())
            || self.hse.iter().any(|p| p.has_pending_event())
    }

    /// Starts the phase at time 0 (the task's first run).
    fn begin(&self) {
        if let Some(circuit) = &self.circuit {
            circuit.set_reset_mode(true);
        }
        if let Some(init) = self.wires_init.take() {
            init();
        }
        let pending = self.is_pending();
        if self.actions.len() > self.last {
            self.start_action(0);
        } else if self.actions.is_empty() && pending {
            // The wires settle first, in rounds as after an action.
            self.rounds.set(1);
            self.ctx
                .resume_after_events_until(self.ctx.now() + self.round);
        } else {
            self.finish();
        }
    }

    /// Starts action `index` as a part of the current event (actsim queues its first event
    /// as it makes it), and runs a round.
    fn start_action(&self, index: usize) {
        self.ctx.wake_within_event(self.actions[index]);
        self.current.set(index);
        self.rounds.set(1);
        self.ctx
            .resume_after_events_until(self.ctx.now() + self.round);
    }

    /// After a round: another while a transition or an HSE process's event is pending, else
    /// the next action.
    fn after_round(&self) {
        let pending = self.is_pending();
        if pending && self.rounds.get() < self.max_rounds {
            self.rounds.set(self.rounds.get() + 1);
            self.ctx
                .resume_after_events_until(self.ctx.now() + self.round);
            return;
        }
        if self.rounds.get() == self.max_rounds {
            // As actsim: after the last round allowed, whether or not it settled the design.
            self.ctx.log_output(LogKind::Library, RESET_PENDING);
        }
        let next = self.current.get() + 1;
        if next + self.last < self.actions.len() {
            self.start_action(next);
        } else {
            self.finish();
        }
    }

    /// Reset mode ends: the last actions start, and the held processes go on.
    fn finish(&self) {
        self.done.set(true);
        if let Some(circuit) = &self.circuit {
            circuit.set_reset_mode(false);
        }
        for &action in &self.actions[self.actions.len() - self.last..] {
            self.ctx.wake_within_event(action);
        }
        self.holding.set(false);
        if self.pause_at_end {
            self.ctx.pause();
        }
    }
}

/// A CHP process's thread held through the reset phase (see the module's comment).
pub(crate) struct HeldThread {
    thread: Thread,
    /// The delay of its first action's event; `None` once it is queued.
    first_delay: Option<Time>,
    holding: Rc<Cell<bool>>,
    released: bool,
}

impl HeldThread {
    pub(crate) fn new(thread: Thread, first_delay: Time, holding: Rc<Cell<bool>>) -> Self {
        Self {
            thread,
            first_delay: Some(first_delay),
            holding,
            released: false,
        }
    }
}

impl Future for HeldThread {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.released {
            return Pin::new(&mut self.thread).poll(cx);
        }
        if let Some(delay) = self.first_delay.take() {
            self.thread.hold(delay);
            return Poll::Pending;
        }
        if self.holding.get() {
            self.thread.hold(DEFERRAL);
            return Poll::Pending;
        }
        self.released = true;
        self.thread.poll_due()
    }
}

/// The phase as a kernel task: it never ends (a daemon is not waited for).
pub(crate) struct ResetTask {
    pub(crate) phase: ResetPhase,
    pub(crate) started: bool,
}

impl Future for ResetTask {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        if !self.started {
            self.started = true;
            self.phase.begin();
        } else if !self.phase.done.get() {
            self.phase.after_round();
        }
        Poll::Pending
    }
}
