//! The simulation kernel: a deterministic, single-threaded discrete-event executor over
//! `std::task`, with a logical clock and rendezvous channels.
//!
//! - [`Sim`] owns the processes (futures) and runs them; [`Ctx`] is a process's handle on the
//!   kernel (time, delays, log lines, spawning, failing).
//! - [`channel`] holds the handshake: a send or receive fires its party's latency after it
//!   starts, and the handshake completes when the later of the two has fired (actsim's timing).
//! - `queue` orders events by (time, insertion order); nothing else decides what runs next, so
//!   a run is a pure function of the design and the seed.
//! - [`observer`] is how outputs (transcript, VCD) see what happened.
//!
//! The futures of [`Sender::send`], [`Receiver::recv`], [`Ctx::delay`] and [`Ctx::park`] do
//! nothing until awaited, so forgetting `.await` is a warning (an error under
//! `deny(unused_must_use)`, as each of these shows):
//!
//! ```compile_fail
//! # #![deny(unused_must_use)]
//! # let mut sim = chpsim::kernel::Sim::new();
//! # let (tx, _rx) = sim.channel_between::<u32>("a.R", "b.L", 10);
//! tx.send(1);
//! ```
//! ```compile_fail
//! # #![deny(unused_must_use)]
//! # let mut sim = chpsim::kernel::Sim::new();
//! # let (_tx, rx) = sim.channel_between::<u32>("a.R", "b.L", 10);
//! rx.recv();
//! ```
//! ```compile_fail
//! # #![deny(unused_must_use)]
//! # let sim = chpsim::kernel::Sim::new();
//! sim.ctx().delay(5);
//! ```
//! ```compile_fail
//! # #![deny(unused_must_use)]
//! # let sim = chpsim::kernel::Sim::new();
//! sim.ctx().park(chpsim::kernel::Wait::Other);
//! ```
//! The same lines with `.await` (here outside an async block, only `let _ =`) compile:
//! ```
//! # #![deny(unused_must_use)]
//! # let mut sim = chpsim::kernel::Sim::new();
//! # let (tx, rx) = sim.channel_between::<u32>("a.R", "b.L", 10);
//! let (_, _, _, _) = (tx.send(1), rx.recv(), sim.ctx().delay(5), sim.ctx().park(chpsim::kernel::Wait::Other));
//! ```
pub mod channel;
mod executor;
pub mod observer;
mod queue;
mod waker;

pub use channel::{Receiver, Sender};
pub use executor::{
    time_after, Ctx, Limits, Progress, ProgressCallback, RunError, Sim, TimeOverflow,
};
pub use observer::{
    ChannelInfo, EndReason, EndReport, Event, LogKind, Observer, Registry, Token, TraceValue, Wait,
    Waiter, Waiting,
};

/// Logical time in ticks.
pub type Time = u64;
/// Index of a task (a process, or a parallel branch of one) in the kernel.
pub type TaskId = u32;
/// Index of a process name in the [`Registry`].
pub type ProcId = u32;
/// Index of a channel in the [`Registry`].
pub type ChanId = u32;
