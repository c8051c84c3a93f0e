//! chpsim: a deterministic discrete-event simulator for Communicating Hardware Processes.
//!
//! # Public surface
//!
//! - the crate root: the library, to write processes in Rust as `async` blocks ([`SimInit`],
//!   [`Sim`], [`Ctx`], [`Sender`], [`Receiver`], [`Token`], [`Observer`]) and the observers
//!   that write a transcript ([`TranscriptWriter`]) or a VCD waveform ([`VcdWriter`]);
//! - [`kernel`]: the deterministic single-threaded executor, channels and observers (the
//!   crate root re-exports what a library user needs of it);
//! - [`output`]: the observers that write transcripts, VCD and FST waveforms and channel
//!   statistics;
//! - [`driver`]: from a design file (`.act`) to a finished run with its outputs, checks against
//!   golden transcripts and seed sweeps: what the `chpsim` command line calls, and the way to
//!   run a design from Rust;
//! - [`diag`]: the errors found in a design ([`diag::Diagnostic`]), rendered with source
//!   snippets.
//!
//! Internal (crate-private), in the order data flows through them: `front` (lexer, parser and
//! syntax tree of the ACT subset), `elab` (elaboration into process instances and channels),
//! `sim` (the CHP interpreter that runs an elaborated design on the kernel) and `source_map`
//! (the files of a design in one address space; [`diag::SourceMap`] is its public face).
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
#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]

pub mod diag;
pub mod driver;
pub(crate) mod elab;
pub(crate) mod front;
pub mod kernel;
pub mod output;
pub(crate) mod prs;
pub(crate) mod sim;
pub(crate) mod source_map;

pub use kernel::{
    ChanId, ChannelInfo, Ctx, EndReason, EndReport, Event, Finished, Level, Limits, LogKind,
    NodeId, Observer, OutputError, Packer, Probe, ProcId, Receiver, Registry, Sender, Sim, SimInit,
    Stopped, TaskId, Time, Token, TraceValue, Wait, Waiter, Waiting,
};
pub use output::transcript::TranscriptWriter;
pub use output::vcd::{VcdOptions, VcdWriter};

/// The internal layers stay internal: a user reaching into one gets E0603 (private module).
#[cfg(doctest)]
mod internal_layers {
    /// ```compile_fail,E0603
    /// use chpsim::front::ast::Program;
    /// ```
    struct FrontEnd;

    /// ```compile_fail,E0603
    /// use chpsim::elab::ir::Design;
    /// ```
    struct Elaborator;

    /// ```compile_fail,E0603
    /// use chpsim::sim::Simulation;
    /// ```
    struct Interpreter;

    /// ```compile_fail,E0603
    /// use chpsim::source_map::SourceMap;
    /// ```
    struct SourceMap;
}
