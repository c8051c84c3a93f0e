//! What the processes still waiting at the end of a run mean.
//!
//! In CHP a process waiting forever to receive after its input stopped is the normal way for a
//! run to end, and so is a server whose probed inputs have all stopped. So is a wait on a port
//! that nothing connects (the inputs and outputs of a component's test bench, the edges of a
//! mesh), and a send held up behind such a wait (a full pipeline whose last output goes
//! nowhere): the design has no party there, not a bug. A deadlock is a process stuck on a send,
//! on a guard nothing can change, or a cycle of processes each waiting for the next
//! (`a → b → c → a`).
use std::collections::HashMap;

use crate::kernel::{EndReason, EndReport, ProcId, Wait};

/// One process still waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stuck {
    /// The process.
    pub process: ProcId,
    /// What it waits for.
    pub wait: Wait,
    /// Byte offset of the statement it waits at (the interpreter's site).
    pub site: Option<u32>,
}

/// The processes still waiting at the end of a run, by what their waiting means.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    /// Receives whose input has ended: normal.
    pub idle: Vec<Stuck>,
    /// Waits on a channel whose other end nothing connects, or sends held up behind such a
    /// wait: normal, the design has no party there.
    pub unconnected: Vec<Stuck>,
    /// Sends that nobody will take, guards nobody will make true.
    pub stuck: Vec<Stuck>,
    /// Cycles of processes waiting on each other, each as the list of its members in order.
    pub cycles: Vec<Vec<Stuck>>,
}

impl Diagnosis {
    /// Some process is stuck, alone or in a cycle: the run ended in deadlock.
    pub fn is_deadlock(&self) -> bool {
        !self.stuck.is_empty() || !self.cycles.is_empty()
    }

    /// The processes whose waiting is a normal end: `idle`, then `unconnected`.
    pub fn normal_ends(&self) -> impl Iterator<Item = &Stuck> {
        self.idle.iter().chain(&self.unconnected)
    }
}

/// For each channel, its (sending, receiving) process; `None` for an end left unconnected.
pub(crate) type Peers = [(Option<ProcId>, Option<ProcId>)];

/// Classifies the processes still waiting at the end of `report`. `peers` gives, for each
/// channel, its (sending, receiving) process, `None` for an end left unconnected: a wait on
/// such a channel can never complete, and is a normal end (`unconnected`), as is a send whose
/// receiver waits, directly or through others, on one. Only a run that ended because nothing
/// was left to do is classified: a run stopped by `--until` or `--max-events` has no deadlock
/// to report, its waiting processes are all listed as `idle`.
pub(crate) fn diagnose(report: &EndReport, peers: &Peers) -> Diagnosis {
    let mut diagnosis = Diagnosis::default();
    let waiting: Vec<Stuck> = report
        .waiting_processes()
        .into_iter()
        .map(|w| Stuck {
            process: w.process,
            wait: w.wait,
            site: w.site,
        })
        .collect();
    if report.reason != EndReason::Idle {
        diagnosis.idle = waiting;
        return diagnosis;
    }
    let index: HashMap<ProcId, usize> = waiting
        .iter()
        .enumerate()
        .map(|(i, s)| (s.process, i))
        .collect();
    // Each waiting process waits for at most one other (the far end of its channel), so the
    // wait-for graph is a functional graph: walk each path once, colouring nodes as we go.
    let next = |i: usize| -> Option<usize> {
        let peer = match waiting[i].wait {
            Wait::Send(c) => peers.get(c.index()).and_then(|p| p.1),
            Wait::Receive(c) => peers.get(c.index()).and_then(|p| p.0),
            _ => None,
        };
        peer.and_then(|p| index.get(&p).copied())
    };
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut colour = vec![NEW; waiting.len()];
    let mut in_cycle = vec![false; waiting.len()];
    for start in 0..waiting.len() {
        let mut path = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at {
            match colour[i] {
                NEW => {
                    colour[i] = ON_PATH;
                    path.push(i);
                    at = next(i);
                }
                ON_PATH => {
                    let from = path
                        .iter()
                        .position(|&p| p == i)
                        .expect("on the current path");
                    let cycle = &path[from..];
                    cycle.iter().for_each(|&p| in_cycle[p] = true);
                    diagnosis
                        .cycles
                        .push(cycle.iter().map(|&p| waiting[p].clone()).collect());
                    break;
                }
                _ => break,
            }
        }
        path.iter().for_each(|&p| colour[p] = DONE);
    }
    let peer_of = |wait: Wait| match wait {
        Wait::Send(c) => Some(peers.get(c.index()).and_then(|p| p.1)),
        Wait::Receive(c) => Some(peers.get(c.index()).and_then(|p| p.0)),
        _ => None,
    };
    // Whether each waiting process waits on an unconnected end, or on a process that does
    // (through a chain of waits: cycles were found above and end a chain, so each chain ends).
    let mut behind_open: Vec<Option<bool>> = vec![None; waiting.len()];
    for start in 0..waiting.len() {
        let mut path = Vec::new();
        let mut at = start;
        let open = loop {
            if let Some(known) = behind_open[at] {
                break known;
            }
            path.push(at);
            match (waiting[at].wait, peer_of(waiting[at].wait)) {
                (_, Some(None)) => break true,
                (_, Some(Some(_))) if !in_cycle[at] && path.len() <= waiting.len() => {
                    match next(at) {
                        Some(peer) => at = peer,
                        None => break false,
                    }
                }
                _ => break false,
            }
        };
        path.into_iter().for_each(|p| behind_open[p] = Some(open));
    }
    for (i, s) in waiting.into_iter().enumerate() {
        if in_cycle[i] {
            continue;
        }
        let has_sender = |c: crate::kernel::ChanId| {
            peers
                .get(c.index())
                .is_some_and(|(sender, _)| sender.is_some())
        };
        match s.wait {
            // Waiting for input that has ended, or for a probed channel to become ready.
            Wait::Receive(c) if has_sender(c) => diagnosis.idle.push(s),
            Wait::Probe => diagnosis.idle.push(s),
            _ if behind_open[i] == Some(true) => diagnosis.unconnected.push(s),
            _ => diagnosis.stuck.push(s),
        }
    }
    diagnosis
}
