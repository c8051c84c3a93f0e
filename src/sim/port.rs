//! A running process's channel ends: how the CHP reaches a channel, whichever kind its other
//! end is.
use std::cell::Cell;

use super::value::Value;
use crate::kernel::{Receiver, Sender};

/// A port of a running process.
pub(crate) enum Port {
    Send {
        end: Sender<Value>,
    },
    Receive {
        end: Receiver<Value>,
    },
    /// An end of a local channel array element the CHP never uses: never probed or used.
    Unbound,
    /// A channel whose other end is a circuit: the CHP uses it by the methods of its type, on
    /// the wires (shared variables); see [`crate::elab::ir::WIRED`]. `pair`: the channel's
    /// number in [`super::process::RunShared::wired_pairs`] when its other end is CHP too;
    /// `channel`: its number among the wired channels (for the observers); `blocked`: whether
    /// the communication under way stopped at a wait of the methods.
    Wired {
        pair: Option<u32>,
        channel: u32,
        blocked: Cell<bool>,
    },
}

impl Port {
    pub(crate) fn probe(&self) -> bool {
        match self {
            Port::Send { end, .. } => end.probe(),
            Port::Receive { end } => end.probe(),
            Port::Unbound | Port::Wired { .. } => false,
        }
    }

    /// Wakes the running task when the probe may have changed; returns whether another task
    /// watches the channel already (actsim's "probed by multiple processes").
    pub(super) fn watch(&self) -> bool {
        match self {
            Port::Send { end, .. } => end.watch(),
            Port::Receive { end } => end.watch(),
            Port::Unbound | Port::Wired { .. } => false,
        }
    }

    pub(super) fn unwatch(&self) {
        match self {
            Port::Send { end, .. } => end.unwatch(),
            Port::Receive { end } => end.unwatch(),
            Port::Unbound | Port::Wired { .. } => {}
        }
    }

    /// Whether the communication the running task waits in on this port has completed (its
    /// other party came), not yet taken up.
    pub(super) fn has_completed(&self) -> bool {
        match self {
            Port::Send { end, .. } => end.has_completed(),
            Port::Receive { end } => end.has_completed(),
            Port::Unbound | Port::Wired { .. } => false,
        }
    }

    /// Gives up the communication the running task waits in on this port (see
    /// [`Sender::abandon`]).
    pub(super) fn abandon(&self) {
        match self {
            Port::Send { end, .. } => end.abandon(),
            Port::Receive { end } => end.abandon(),
            Port::Unbound | Port::Wired { .. } => {}
        }
    }

    /// Goes on as if the communication the running task waits in on this port had completed
    /// (actsim's `skip-comm`; see [`Sender::skip`]).
    pub(super) fn skip(&self) {
        match self {
            Port::Send { end, .. } => end.skip(),
            Port::Receive { end } => end.skip(),
            Port::Unbound | Port::Wired { .. } => {}
        }
    }
}
