//! What a thread notes for actsim's commands (`coverage`, `procinfo`), and what those
//! commands (`goto`, `skip-comm`) ask of it.
use super::{Blocked, Thread};
use crate::elab::ir::Expr;
use crate::sim::code::Pc;
use crate::sim::process::{Parked, ParkedOn, Position, Request};

impl Thread {
    /// Notes that the selection at `pc`, of `arms`, went on at `target` (actsim's `coverage`).
    #[cold]
    #[inline(never)]
    pub(super) fn note_choice(&self, arms: &[(Expr, Pc)], target: Pc) {
        let Some(inspection) = &self.process.inspection else {
            return;
        };
        let arm = (arms.iter().position(|(_, t)| *t == target)).unwrap_or(arms.len());
        let mut inspection = inspection.borrow_mut();
        let counts = (inspection.choices.entry(self.pc)).or_insert_with(|| vec![0; arms.len() + 1]);
        counts[arm] += 1;
    }

    /// Notes that the instruction at `pc` went on: a `*[S]` loop's head started an iteration,
    /// or a do-loop's test held (actsim's `coverage` counts both as guards taken).
    #[cold]
    #[inline(never)]
    pub(super) fn note_pass(&self) {
        if let Some(inspection) = &self.process.inspection {
            let mut inspection = inspection.borrow_mut();
            inspection.choices.entry(self.pc).or_insert_with(|| vec![0])[0] += 1;
        }
    }

    /// Notes where the thread stopped and what it waits on (a run kept for actsim's
    /// `procinfo`, `goto`, `skip-comm` and `gc-retry`).
    #[cold]
    #[inline(never)]
    pub(super) fn note_position(&self, finished: bool) {
        let Some(inspection) = &self.process.inspection else {
            return;
        };
        let mut inspection = inspection.borrow_mut();
        let slot = self.slot as usize;
        inspection.positions[slot] = match (finished, self.blocked) {
            (true, _) => Position::Free,
            (false, Blocked::Join) => Position::Joining,
            (false, _) => Position::At(self.pc),
        };
        let on = match self.blocked {
            Blocked::Send(port, _) => ParkedOn::Send(port as usize),
            Blocked::Receive(port, _) => ParkedOn::Receive(port as usize),
            Blocked::Guard { stuck } => ParkedOn::Guard { stuck },
            _ => ParkedOn::Time,
        };
        let task = self.process.run.ctx.current_task();
        let parked = &mut inspection.parked;
        if parked.len() <= slot {
            parked.resize(slot + 1, None);
        }
        parked[slot] = (!finished).then_some(Parked { task, on });
    }

    /// Does what a command asked of this thread while it was suspended (see [`Request`]).
    #[cold]
    #[inline(never)]
    pub(super) fn follow_request(&mut self) {
        let Some(inspection) = &self.process.inspection else {
            return;
        };
        let p = &*self.process;
        let request = {
            let requests = &mut inspection.borrow_mut().requests;
            let Some(at) = requests.iter().position(|(s, _)| *s == self.slot as usize) else {
                return;
            };
            // A `goto` waits for the event the thread has scheduled, as in actsim: its start
            // reaches its first event, and that event runs the label's statement.
            let waits = match (requests[at].1, self.blocked) {
                (Request::Goto(_), Blocked::Start) => true,
                (Request::Goto(_), Blocked::Fire(at)) => p.run.ctx.now() < at,
                _ => false,
            };
            if waits {
                return;
            }
            requests.swap_remove(at).1
        };
        match (request, self.blocked) {
            (Request::Goto(target), Blocked::Fire(_)) => {
                // The label's statement acts in this event: a timed one fires now.
                self.pc = target;
                if p.code[target].timing().is_none() {
                    self.blocked = Blocked::Running;
                }
                return;
            }
            (Request::SkipCommunication, Blocked::Send(slot, _) | Blocked::Receive(slot, _)) => {
                p.ports[slot as usize].skip();
                p.drop_x_in_flight(slot as usize);
                // The statement after it runs with its own delay from now: the delay folded
                // into the handshake's wake-up is not waited.
                self.pc += 1;
            }
            (Request::SkipCommunication, _) => return,
            (Request::Goto(target), blocked) => {
                match blocked {
                    Blocked::Send(slot, _) | Blocked::Receive(slot, _) => {
                        p.ports[slot as usize].abandon();
                        p.drop_x_in_flight(slot as usize);
                    }
                    Blocked::Guard { .. } => self.stop_watching_guards(),
                    _ => {}
                }
                self.pc = target;
            }
        }
        self.blocked = Blocked::Running;
    }
}
