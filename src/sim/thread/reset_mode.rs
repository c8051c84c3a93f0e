//! actsim's reset mode (its `mode reset` command) as a thread meets it.
use super::{Blocked, Thread, NO_SLOT};
use crate::sim::port::Port;
use crate::sim::reset::DEFERRAL;

impl Thread {
    /// actsim's reset mode (its `mode reset`): the event of a process running CHP does not
    /// act; it is put off [`DEFERRAL`] ticks, as a new event, each time it comes up (actsim's
    /// `ChpSim::Step`). The new event is the statement's, without the wake-up: a send or
    /// receive whose other party came while the thread waited runs again (the receive waits
    /// for a new sender, its value lost; the send offers its value again), and a guard that
    /// was waiting is evaluated again. True when the event was put off.
    #[cold]
    #[inline(never)]
    pub(super) fn put_off_in_reset(&mut self) -> bool {
        let p = &*self.process;
        let held = (p.inspection.as_ref()).is_some_and(|i| i.borrow().held_in_reset);
        if !held {
            return false;
        }
        let ctx = &p.run.ctx;
        match self.blocked {
            Blocked::Fire(at) if ctx.now() >= at => {}
            Blocked::Receive(slot, _) | Blocked::Send(slot, _) => {
                let port = &p.ports[slot as usize];
                if !port.has_completed() {
                    return false;
                }
                port.abandon();
                if let Port::Send { end, .. } = port {
                    end.take_reply();
                }
            }
            Blocked::Guard { .. } => self.stop_watching_guards(),
            _ => return false,
        }
        match ctx.after(DEFERRAL) {
            Ok(at) => {
                ctx.resume_at(at);
                self.blocked = Blocked::Fire(at);
            }
            Err(overflow) => ctx.fail(&overflow.to_string()),
        }
        if self.slot != NO_SLOT {
            self.note_position(false);
        }
        true
    }
}
