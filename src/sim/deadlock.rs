//! What the processes still waiting at the end of a run mean.
//!
//! In CHP a process waiting forever to receive after its input stopped is the normal way for a
//! run to end. A deadlock is a process stuck on a send, on a guard, or a cycle of processes each
//! waiting for the next (`a → b → c → a`).
use std::collections::HashMap;

use crate::kernel::{ChanId, EndReport, ProcId, Wait};

/// One process still waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stuck {
    pub process: ProcId,
    pub wait: Wait,
    /// Byte offset of the statement it waits at (the interpreter's site).
    pub site: u32,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    /// Receives whose input has ended: normal.
    pub idle: Vec<Stuck>,
    /// Sends that nobody will take, guards nobody will make true.
    pub stuck: Vec<Stuck>,
    /// Cycles of processes waiting on each other, each as the list of its members in order.
    pub cycles: Vec<Vec<Stuck>>,
}

impl Diagnosis {
    pub fn is_deadlock(&self) -> bool {
        !self.stuck.is_empty() || !self.cycles.is_empty()
    }
}

/// Classifies the waiting tasks of `report`. `peer` gives, for a channel, the process at its
/// other end from the point of view of a waiting send or receive.
pub fn diagnose(report: &EndReport, peers: &HashMap<ChanId, (ProcId, ProcId)>) -> Diagnosis {
    let mut diagnosis = Diagnosis::default();
    // One task stands for each process: the first that is not just waiting for its own
    // parallel branches to finish.
    let mut waiting: HashMap<ProcId, Stuck> = HashMap::new();
    let mut order = Vec::new();
    for w in &report.waiting {
        let stuck = Stuck {
            process: w.process,
            wait: w.wait,
            site: w.site,
        };
        match waiting.get_mut(&w.process) {
            None => {
                waiting.insert(w.process, stuck);
                order.push(w.process);
            }
            Some(existing) if existing.wait == Wait::Join => *existing = stuck,
            Some(_) => {}
        }
    }
    // Who each waiting process waits for.
    let waits_for = |s: &Stuck| -> Option<ProcId> {
        match s.wait {
            Wait::Send(c) => peers.get(&c).map(|p| p.1),
            Wait::Receive(c) => peers.get(&c).map(|p| p.0),
            _ => None,
        }
    };
    let mut in_cycle = vec![];
    for &start in &order {
        if in_cycle.contains(&start) {
            continue;
        }
        // Follow the chain from `start`; a return to `start` is a cycle.
        let mut chain = vec![start];
        let mut current = start;
        while let Some(next) = waiting.get(&current).and_then(waits_for) {
            if next == start {
                let cycle: Vec<Stuck> = chain.iter().map(|p| waiting[p].clone()).collect();
                in_cycle.extend(chain.iter().copied());
                diagnosis.cycles.push(cycle);
                break;
            }
            if chain.contains(&next) || !waiting.contains_key(&next) {
                break;
            }
            chain.push(next);
            current = next;
        }
    }
    for p in order {
        if in_cycle.contains(&p) {
            continue;
        }
        let s = waiting[&p].clone();
        match s.wait {
            Wait::Receive(_) => diagnosis.idle.push(s),
            _ => diagnosis.stuck.push(s),
        }
    }
    diagnosis
}
