//! actsim's reset phase (its `runInit`): when the design has `Initialize { actions { ... } }`,
//! the run starts in *reset mode*. Each action but the last runs in turn: it starts, then the
//! simulation goes on 100 ticks at a time until no production rule has a transition pending
//! (at most 100 rounds). Then the last action starts, reset mode ends, and the CHP processes,
//! held until then, start. Processes that run their HSE are not held (actsim's HSE mode), and
//! a round ends the phase only when none of them has an event queued either.
//!
//! A channel between CHP and a circuit ([`crate::elab::ir::WIRED`]) is put in its initial
//! state first, at time 0: the CHP end runs its type's `send_init` or `recv_init` on the
//! wires. Without `Initialize`, actsim then lets the design settle 10 ticks at a time while a
//! transition is pending, and ends reset mode.
//!
//! actsim keeps a CHP process from acting in reset mode by putting its next event 10 ticks
//! later, again and again; a process held here fires its first event at the time that gives:
//! the first of `d, d + 10, d + 20, ...` after the end of the phase, `d` being the delay of its
//! first action.
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::process::Process;
use crate::kernel::{Ctx, TaskId, Time};
use crate::prs::run::Circuit;

/// How long actsim lets the design settle after each action but the last.
const ROUND: Time = 100;
/// How long it lets the wires of channels between CHP and circuits settle, without actions.
const WIRES_ROUND: Time = 10;
/// How many rounds it waits at most (its `sim.reset_rounds`).
const MAX_ROUNDS: u32 = 100;
/// How far actsim puts off a CHP event in reset mode.
const DEFERRAL: Time = 10;

/// A CHP process held until the end of the phase, and the delay of its first event.
pub(crate) struct Held {
    pub(crate) task: TaskId,
    pub(crate) first_delay: Time,
}

/// The reset phase, run as a daemon task of the kernel.
pub(crate) struct ResetPhase {
    ctx: Ctx,
    circuit: Option<Rc<Circuit>>,
    /// The `Initialize` actions' tasks, in order, held until each starts.
    actions: Vec<TaskId>,
    held: Vec<Held>,
    /// The action started last (whose settling rounds are counted).
    current: Cell<usize>,
    rounds: Cell<u32>,
    /// Whether the task has let the other events of this time go first.
    yielded: Cell<bool>,
    done: Cell<bool>,
    /// What puts the wired channels in their initial state, at the start.
    wires_init: Cell<Option<Box<dyn FnOnce()>>>,
    /// The length of a round: [`ROUND`], or [`WIRES_ROUND`] without actions.
    round: Time,
    /// The processes running their HSE: they act in reset mode, and an event one of them has
    /// queued keeps the phase going, as a pending transition does (actsim's `_match_hseprs`).
    hse: Vec<Rc<Process>>,
}

impl ResetPhase {
    pub(crate) fn new(
        ctx: Ctx,
        circuit: Option<Rc<Circuit>>,
        actions: Vec<TaskId>,
        held: Vec<Held>,
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
            held,
            current: Cell::new(0),
            rounds: Cell::new(0),
            yielded: Cell::new(false),
            done: Cell::new(false),
            wires_init: Cell::new(wires_init),
            round,
            hse: Vec::new(),
        }
    }

    pub(crate) fn with_hse(self, hse: Vec<Rc<Process>>) -> Self {
        Self { hse, ..self }
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
        if self.actions.len() > 1 {
            self.start_action(0);
        } else if self.actions.is_empty() && pending {
            // The wires settle first, in rounds as after an action.
            self.rounds.set(1);
            self.yielded.set(false);
            self.ctx.resume_at(self.ctx.now() + self.round);
        } else {
            self.finish();
        }
    }

    fn start_action(&self, index: usize) {
        let now = self.ctx.now();
        self.ctx.wake_at(self.actions[index], now);
        self.current.set(index);
        self.rounds.set(1);
        self.yielded.set(false);
        self.ctx.resume_at(now + self.round);
    }

    /// After a round: the events of this time go first (actsim's rounds include their last
    /// tick); then another round while a transition is pending, else the next action.
    fn after_round(&self) {
        if !self.yielded.get() {
            self.yielded.set(true);
            self.ctx.resume_at(self.ctx.now());
            return;
        }
        let pending = self.is_pending();
        if pending && self.rounds.get() < MAX_ROUNDS {
            self.rounds.set(self.rounds.get() + 1);
            self.yielded.set(false);
            self.ctx.resume_at(self.ctx.now() + self.round);
            return;
        }
        let next = self.current.get() + 1;
        if next + 1 < self.actions.len() {
            self.start_action(next);
        } else {
            self.finish();
        }
    }

    /// Reset mode ends: the CHP processes start, then the last action.
    fn finish(&self) {
        self.done.set(true);
        if let Some(circuit) = &self.circuit {
            circuit.set_reset_mode(false);
        }
        let now = self.ctx.now();
        for held in &self.held {
            self.ctx
                .wake_at(held.task, start_time(now, held.first_delay));
        }
        if let Some(&last) = self.actions.last() {
            self.ctx.wake_at(last, now);
        }
    }
}

/// When a process whose first event is `delay` after the start begins, reset mode having
/// ended at `end`: its first event is the first of `delay + 10k` after `end` (it cannot start
/// before `end`, which matters only for a delay that is no multiple of 10).
fn start_time(end: Time, delay: Time) -> Time {
    if delay > end {
        return end;
    }
    let first_event = delay + ((end - delay) / DEFERRAL + 1) * DEFERRAL;
    first_event.saturating_sub(delay).max(end)
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

#[cfg(test)]
mod tests {
    use super::start_time;

    #[test]
    fn a_held_process_starts_so_that_its_first_event_follows_the_end_of_reset() {
        // First event at 10, put off to 20, ..., 100 (in reset mode), then 110.
        assert_eq!(start_time(100, 10), 100);
        assert_eq!(start_time(10, 10), 10);
        assert_eq!(start_time(20, 10), 20);
        // A delay that is no multiple of 10 starts at the end at the earliest.
        assert_eq!(start_time(100, 25), 100);
        assert_eq!(start_time(100, 200), 100);
    }
}
