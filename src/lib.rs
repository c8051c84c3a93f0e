//! chpsim: a deterministic discrete-event simulator for Communicating Hardware Processes.
//!
//! Layers, in the order data flows through them:
//! - `front` (internal): lexer, parser and AST for the ACT-like CHP language (`designs/*.act`);
//! - `elab` (internal): elaboration of the AST into a flat netlist of process instances and channels;
//! - [`kernel`]: the deterministic single-threaded executor, channels and observers;
//! - `sim` (internal): the CHP interpreter that runs an elaborated design on the kernel;
//! - [`output`]: the transcript and VCD observers;
//! - [`driver`]: from a design file to a finished run with its outputs (what `chpsim` calls);
//! - [`diag`]: diagnostics with source snippets, shared by every layer;
//! - [`source_map`]: the files of a design (the entry file and its imports) in one address space.
//!
//! # The library
//!
//! Processes are `async` blocks that talk over rendezvous channels on a logical clock. A
//! [`SimInit`] is where channels, processes and observers are added; [`SimInit::start`] turns
//! it into a running [`Sim`], and [`Sim::finish`] ends the run with its [`EndReport`]. Log
//! lines print on standard output as ACT's simulator prints them.
//!
//! ```
//! use chpsim::{SimInit, TranscriptWriter};
//!
//! let mut init = SimInit::new();
//! let (tx, rx) = init.channel_between::<u8>("src.R", "snk.L", 10);
//! init.spawn("src", async move {
//!     for v in [5, 7] {
//!         tx.send(v).await;
//!     }
//! });
//! let ctx = init.ctx();
//! init.spawn("snk", async move {
//!     for _ in 0..2 {
//!         let v = rx.recv().await;
//!         ctx.log(&format!("got {v}")); // prints `[                  10] <snk>  got 5`
//!     }
//! });
//! init.add_observer(TranscriptWriter::new(std::io::sink(), "two values"));
//! let finished = init.run().unwrap();
//! assert_eq!((finished.report.time, finished.report.handshakes), (20, 2));
//! ```
pub mod diag;
pub mod driver;
#[warn(unreachable_pub)]
pub(crate) mod elab;
#[warn(unreachable_pub)]
pub(crate) mod front;
#[warn(missing_docs, missing_debug_implementations, unreachable_pub)]
pub mod kernel;
#[warn(missing_docs, missing_debug_implementations, unreachable_pub)]
pub mod output;
pub(crate) mod sim;
pub mod source_map;

pub use kernel::{
    ChanId, ChannelInfo, Ctx, EndReason, EndReport, Event, Finished, Limits, LogKind, Observer,
    OutputError, Packer, Probe, ProcId, Receiver, Registry, Sender, Sim, SimInit, Stopped, TaskId,
    Time, Token, TraceValue, Wait, Waiter, Waiting,
};
pub use output::transcript::TranscriptWriter;
pub use output::vcd::{VcdOptions, VcdWriter};
