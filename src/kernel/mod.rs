//! The simulation kernel: a deterministic, single-threaded discrete-event executor over
//! `std::task`, with a logical clock and rendezvous channels.
//!
//! - [`Sim`] owns the processes (futures) and runs them; [`Ctx`] is a process's handle on the
//!   kernel (time, delays, log lines, spawning, failing).
//! - [`channel`] holds the handshake: a send and a receive complete together, stamped with the
//!   time the later party arrived plus the channel's latency.
//! - `queue` orders events by (time, insertion order); nothing else decides what runs next, so
//!   a run is a pure function of the design and the seed.
//! - [`observer`] is how outputs (transcript, VCD) see what happened.
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
    ChannelInfo, EndReason, EndReport, Event, Observer, Registry, Token, TraceValue, Wait, Waiting,
};

/// Logical time in ticks.
pub type Time = u64;
/// Index of a task (a process, or a parallel branch of one) in the kernel.
pub type TaskId = u32;
/// Index of a process name in the [`Registry`].
pub type ProcId = u32;
/// Index of a channel in the [`Registry`].
pub type ChanId = u32;
