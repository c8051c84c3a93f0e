//! What a process's threads note for actsim's commands (`procinfo`, `coverage`, `goto`,
//! `skip-comm`): where each thread is and what it waits on.

use std::rc::Rc;

use crate::kernel::TaskId;
use crate::sim::code::Pc;

/// What a thread notes for actsim's `procinfo` and `coverage`, and what actsim's `goto` and
/// `skip-comm` ask of it.
#[derive(Debug, Default)]
pub(crate) struct Inspection {
    /// Where each thread is, by the thread's slot.
    pub positions: Vec<Position>,
    /// What each thread waits on, by slot, once it has run (`None`: not yet, or ended).
    pub parked: Vec<Option<Parked>>,
    /// What a command asked of a thread (by slot), done when the thread is next resumed.
    pub requests: Vec<(usize, Request)>,
    /// Per selection (its pc): how often each arm was taken, the `else` or exit last.
    pub choices: std::collections::HashMap<Pc, Vec<u64>>,
    /// Where each labelled statement starts (`goto`'s targets), in source order.
    pub labels: Rc<[(String, Pc)]>,
    /// Whether actsim's reset mode puts off its events (see [`super::RunShared::reset_mode`]): a
    /// process running CHP; not one running its HSE, nor an `Initialize` action.
    pub held_in_reset: bool,
}

/// A thread suspended: its task, and on what.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Parked {
    pub task: TaskId,
    pub on: ParkedOn,
}

/// What a suspended thread waits on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParkedOn {
    /// Its next action's delay, or the branches of a fork.
    Time,
    /// A send on this port slot.
    Send(usize),
    /// A receive on this port slot.
    Receive(usize),
    /// A selection with no true guard; `stuck` when nothing it watches can change that
    /// (actsim's "all guards false; no probes/shared vars", which its `gc-retry` retries).
    Guard { stuck: bool },
}

/// What a command asks of a suspended thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Request {
    /// actsim's `skip-comm`: the communication it waits in completes without the other
    /// party (a send's value is dropped, a receive leaves its variable as it was).
    SkipCommunication,
    /// actsim's `goto`: drop what it waits on and go on at this instruction.
    Goto(Pc),
}

/// Where a thread of a process is, as actsim's `procinfo` shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Position {
    /// No thread has this slot (a branch ended; a new one may take it).
    Free,
    /// The first branch of a fork, waiting for the others: actsim shows nothing for it.
    Joining,
    /// At this instruction: about to fire it, or waiting in it.
    At(Pc),
}
