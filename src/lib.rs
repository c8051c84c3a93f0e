//! chpsim: a deterministic discrete-event simulator for Communicating Hardware Processes.
//!
//! Layers, in the order data flows through them:
//! - [`front`]: lexer, parser and AST for the ACT-like CHP language (`designs/*.act`);
//! - [`elab`]: elaboration of the AST into a flat netlist of process instances and channels;
//! - [`kernel`]: the deterministic single-threaded executor, channels and observers;
//! - [`sim`]: the CHP interpreter that runs an elaborated design on the kernel;
//! - [`output`]: the transcript and VCD observers;
//! - [`driver`]: from a design file to a finished run with its outputs (what `chpsim` calls);
//! - [`diag`]: diagnostics with source snippets, shared by every layer;
//! - [`source_map`]: the files of a design (the entry file and its imports) in one address space.
pub mod diag;
pub mod driver;
pub mod elab;
pub mod front;
pub mod kernel;
pub mod output;
pub mod sim;
pub mod source_map;
