//! Commands that change the course of a paused run, for actsim's `goto` (a thread jumps to a
//! labelled statement), `skip-comm` (a waiting communication completes without its other
//! party), `gc-retry` (stuck guards are evaluated again), and `send`/`recv` (the command line
//! is the party at a channel end that nothing in the design holds). Only a run started with
//! [`super::RunOptions::inspectable`] keeps what they need.
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use num_bigint::BigUint;

use super::process::{Parked, ParkedOn, Position, Request};
use super::value::Value;
use super::{ChannelEnds, Running};
use crate::kernel::{ChanId, Receiver, Sender, Time};

/// The name under which the command line's sends and receives run (actsim's `set` prints
/// `<[env]>` for what the command line does).
const ENV: &str = "[env]";

/// A channel end that no process holds while a process holds the other: the command line's
/// `send` or `recv` can be its party. `busy` while a command's communication waits.
pub(crate) struct EnvEnd {
    end: End,
    busy: Rc<Cell<bool>>,
}

enum End {
    Send(Rc<Sender<Value>>),
    Receive(Rc<Receiver<Value>>),
}

/// The ends of `ends` (by channel) left to the command line: those whose other end a process
/// took (`ends_of`: each channel's sending and receiving process).
pub(super) fn env_ends(
    ends: Vec<ChannelEnds>,
    ends_of: &[(Option<u32>, Option<u32>)],
) -> HashMap<usize, EnvEnd> {
    let mut free = HashMap::new();
    for (channel, (ends, taken)) in ends.into_iter().zip(ends_of).enumerate() {
        let end = match (ends, taken) {
            ((Some(sender), _), (None, Some(_))) => End::Send(Rc::new(sender)),
            ((_, Some(receiver)), (Some(_), None)) => End::Receive(Rc::new(receiver)),
            _ => continue,
        };
        let busy = Rc::new(Cell::new(false));
        free.insert(channel, EnvEnd { end, busy });
    }
    free
}

/// Why `goto` did not move a thread (actsim's reasons).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum GotoError {
    NoLabels,
    NoSuchLabel,
    /// This many threads of the process are active.
    Threads(usize),
    NoThread,
}

/// Why the command line could not drive a channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum EnvError {
    /// A process holds this end already.
    Held,
    /// The command line's last communication on it still waits.
    Busy,
    /// The value does not fit the channel's width.
    TooWide,
}

impl Running {
    /// The CHP process whose instance path is `path` (`""`: the top process), by index.
    pub(crate) fn process_at(&self, path: &str) -> Option<usize> {
        (self.processes.list.iter()).position(|(p, _)| p == path)
    }

    /// The port that `name` names (`c.L`, `c.L[2]`, or `L` of the top process): its process,
    /// its slot and whether the process sends on it.
    pub(crate) fn find_port(&self, name: &str) -> Option<(usize, usize, bool)> {
        for (index, (path, process)) in self.processes.list.iter().enumerate() {
            let local = match path.as_str() {
                "" => name,
                path => match name.strip_prefix(path).and_then(|r| r.strip_prefix('.')) {
                    Some(local) => local,
                    None => continue,
                },
            };
            let ports = &process.program.ports;
            if let Some(slot) = ports.iter().position(|p| p.name == local) {
                let sends = ports[slot].dir == crate::elab::ir::Dir::Send;
                return Some((index, slot, sends));
            }
        }
        None
    }

    /// The threads of process `index` that are suspended, with their slots.
    fn parked(&self, index: usize) -> Vec<(usize, Parked)> {
        let process = &self.processes.list[index].1;
        let Some(inspection) = &process.inspection else {
            return Vec::new();
        };
        let inspection = inspection.borrow();
        (inspection.parked.iter().enumerate())
            .filter_map(|(slot, parked)| Some((slot, (*parked)?)))
            .collect()
    }

    /// Asks thread `slot` of process `index` to do `request` and resumes it now.
    fn ask(&self, index: usize, slot: usize, parked: Parked, request: Request) {
        self.request(index, slot, request);
        self.run.ctx.wake(parked.task);
    }

    /// Asks thread `slot` of process `index` to do `request` when it is next resumed.
    fn request(&self, index: usize, slot: usize, request: Request) {
        let process = &self.processes.list[index].1;
        if let Some(inspection) = &process.inspection {
            let requests = &mut inspection.borrow_mut().requests;
            requests.retain(|(s, _)| *s != slot);
            requests.push((slot, request));
        }
    }

    /// actsim's `skip-comm`: the thread of process `index` waiting in a communication on port
    /// `port` goes on as if it had completed (when the run goes on). False when no thread
    /// waits there.
    pub(crate) fn skip_communication(&self, index: usize, port: usize) -> bool {
        let waiting = self.parked(index).into_iter().find(|(_, parked)| {
            matches!(parked.on, ParkedOn::Send(p) | ParkedOn::Receive(p) if p == port)
        });
        match waiting {
            Some((slot, parked)) => {
                self.ask(index, slot, parked, Request::SkipCommunication);
                true
            }
            None => false,
        }
    }

    /// actsim's `gc-retry`: the threads of process `index` whose guards are all false with
    /// nothing to wait on evaluate them again (when the run goes on). Returns how many.
    pub(crate) fn retry_guards(&self, index: usize) -> usize {
        let stuck: Vec<Parked> = (self.parked(index).into_iter())
            .filter(|(_, p)| p.on == ParkedOn::Guard { stuck: true })
            .map(|(_, p)| p)
            .collect();
        for parked in &stuck {
            self.run.ctx.wake(parked.task);
        }
        stuck.len()
    }

    /// actsim's `goto`: the one active thread of process `index` leaves what it is doing and
    /// goes on at the statement labelled `label` (when the run goes on).
    pub(crate) fn goto(&self, index: usize, label: &str) -> Result<(), GotoError> {
        let process = &self.processes.list[index].1;
        let Some(inspection) = &process.inspection else {
            return Err(GotoError::NoLabels);
        };
        let (target, active) = {
            let inspection = inspection.borrow();
            if inspection.labels.is_empty() {
                return Err(GotoError::NoLabels);
            }
            let target = (inspection.labels.iter()).find(|(l, _)| l == label);
            let Some(&(_, target)) = target else {
                return Err(GotoError::NoSuchLabel);
            };
            // A thread waiting for its fork's branches is not one of actsim's program counters.
            let active: Vec<usize> = (inspection.positions.iter().enumerate())
                .filter(|(_, p)| matches!(p, Position::At(_)))
                .map(|(slot, _)| slot)
                .collect();
            (target, active)
        };
        match active[..] {
            [] => Err(GotoError::NoThread),
            [slot] => {
                let parked = self.parked(index).into_iter().find(|(s, _)| *s == slot);
                match parked {
                    // Not started yet, or waiting out a delay: as in actsim, the event it
                    // has scheduled stays, and runs the label's statement.
                    None
                    | Some((
                        _,
                        Parked {
                            on: ParkedOn::Time, ..
                        },
                    )) => self.request(index, slot, Request::Goto(target)),
                    Some((_, parked)) => self.ask(index, slot, parked, Request::Goto(target)),
                }
                Ok(())
            }
            _ => Err(GotoError::Threads(active.len())),
        }
    }

    /// The command line sends `value` on `channel`, whose sending end no process holds: the
    /// send is offered now, and completes when the design's receiver takes it (as the run
    /// goes on).
    pub(crate) fn env_send(
        &self,
        channel: ChanId,
        value: &BigUint,
        width: u32,
    ) -> Result<(), EnvError> {
        let Some(EnvEnd {
            end: End::Send(end),
            busy,
        }) = self.processes.env_ends.get(&channel.index())
        else {
            return Err(EnvError::Held);
        };
        if value.bits() > u64::from(width.max(1)) {
            return Err(EnvError::TooWide);
        }
        if busy.replace(true) {
            return Err(EnvError::Busy);
        }
        let (end, busy) = (end.clone(), busy.clone());
        let value = Value::from_big(value.clone(), width);
        self.run.ctx.spawn_daemon(ENV, async move {
            end.send_with_latency(value, 0).await;
            busy.set(false);
        });
        Ok(())
    }

    /// The command line receives on `channel`, whose receiving end no process holds: when a
    /// value arrives (as the run goes on), `received` gets the time and the value.
    pub(crate) fn env_recv(
        &self,
        channel: ChanId,
        received: Box<dyn FnOnce(Time, BigUint)>,
    ) -> Result<(), EnvError> {
        let Some(EnvEnd {
            end: End::Receive(end),
            busy,
        }) = self.processes.env_ends.get(&channel.index())
        else {
            return Err(EnvError::Held);
        };
        if busy.replace(true) {
            return Err(EnvError::Busy);
        }
        let (end, busy, ctx) = (end.clone(), busy.clone(), self.run.ctx.clone());
        self.run.ctx.spawn_daemon(ENV, async move {
            let value = end.recv_with_latency(0).await;
            busy.set(false);
            received(ctx.now(), value.to_big());
        });
        Ok(())
    }
}
