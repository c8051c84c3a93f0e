//! The gate-level engine: production rules (`prs { }`) simulated as actsim simulates them,
//! a module of its own beside the CHP interpreter (`sim`), on the same logical clock.
//!
//! A [`netlist::Netlist`] is built once through its [`netlist::NetlistBuilder`] (nodes, the
//! instances rules belong to, rules as ACT writes them) and flattened into arrays: nodes, gates
//! (a driven node and the rules that drive it), guards as operations in one array, and each
//! node's fanout. An [`engine::Engine`] runs it: node values 0/1/X, pending transitions in a
//! time-ordered queue, interference and instability as actsim reports them, told to a
//! [`listener::Listener`].
mod c_random;
pub(crate) mod engine;
pub(crate) mod listener;
pub(crate) mod netlist;
mod queue;
pub(crate) mod run;
pub(crate) mod spec;
#[cfg(test)]
mod tests;
