//! The simulation kernel: a deterministic, single-threaded discrete-event executor over
//! `std::task`, with a logical clock and rendezvous channels.
//!
//! - [`SimInit`] builds a simulation (channels, processes, observers); [`SimInit::start`]
//!   makes it a running [`Sim`], and [`Sim::finish`] ends it. [`Ctx`] is a process's handle on
//!   the kernel (time, delays, log lines, spawning, failing).
//! - [`channel`] holds the handshake: a send or receive fires its party's latency after it
//!   starts, and the handshake completes when the later of the two has fired (actsim's timing).
//! - `queue` orders events by (time, insertion order); nothing else decides what runs next, so
//!   a run is a pure function of the design and the seed.
//! - [`observer`] is how outputs (transcript, VCD, log lines) see what happened.
//!
//! The futures of [`Sender::send`], [`Receiver::recv`], [`Ctx::delay`] and [`Ctx::park`] do
//! nothing until awaited, so forgetting `.await` is a warning (an error under
//! `deny(unused_must_use)`, as each of these shows):
//!
//! ```compile_fail
//! # #![deny(unused_must_use)]
//! # let mut init = chpsim::SimInit::new();
//! # let (tx, _rx) = init.channel_between::<u32>("a.R", "b.L", 10);
//! tx.send(1);
//! ```
//! ```compile_fail
//! # #![deny(unused_must_use)]
//! # let mut init = chpsim::SimInit::new();
//! # let (_tx, rx) = init.channel_between::<u32>("a.R", "b.L", 10);
//! rx.recv();
//! ```
//! ```compile_fail
//! # #![deny(unused_must_use)]
//! # let init = chpsim::SimInit::new();
//! init.ctx().delay(5);
//! ```
//! ```compile_fail
//! # #![deny(unused_must_use)]
//! # let init = chpsim::SimInit::new();
//! init.ctx().park(chpsim::Wait::Other);
//! ```
//! The same lines with `.await` (here outside an async block, only `let _ =`) compile:
//! ```
//! # #![deny(unused_must_use)]
//! # let mut init = chpsim::SimInit::new();
//! # let (tx, rx) = init.channel_between::<u32>("a.R", "b.L", 10);
//! let ctx = init.ctx();
//! let (_, _, _, _) = (tx.send(1), rx.recv(), ctx.delay(5), ctx.park(chpsim::Wait::Other));
//! ```
pub mod channel;
mod executor;
mod log;
pub mod observer;
mod queue;
mod registry;
mod waker;

pub use channel::{Probe, Receiver, Recv, Send, Sender};
pub(crate) use executor::Queued;
pub use executor::{
    Ctx, Delay, Finished, Limits, OutputError, Park, Progress, ProgressCallback, Sim, SimInit,
    Stopped, TimeOverflow,
};
pub(crate) use log::{LogPrinter, WarningPrinter};
pub use observer::{
    ChannelInfo, EndReason, EndReport, Event, Level, LogKind, MethodStep, NodeChange, Observer,
    Packer, Registry, Token, TraceValue, VariableInfo, Wait, Waiter, Waiting,
};

/// Logical time in ticks.
pub type Time = u64;

macro_rules! index_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u32);

        impl $name {
            /// Its position in the table it indexes (the [`Registry`]'s order, or the kernel's
            /// task table), for observers that keep per-item state in a `Vec`.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The id at `index` of its table; only the kernel hands out ids.
            #[inline]
            pub(crate) const fn from_index(index: usize) -> Self {
                Self(index as u32)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

index_id!(
    /// A task in the kernel: a process, or a parallel branch of one ([`Ctx::spawn_branch`]).
    TaskId
);
index_id!(
    /// A process: what [`SimInit::spawn`] and [`Ctx::spawn`] return; its name is in the
    /// [`Registry`].
    ProcId
);
index_id!(
    /// A channel, named in the [`Registry`] by its [`ChannelInfo`].
    ChanId
);
index_id!(
    /// A circuit node (of production rules), named in the [`Registry`] by its path.
    NodeId
);
index_id!(
    /// A variable whose writes are reported, named in the [`Registry`] by its
    /// [`VariableInfo`].
    VarId
);
