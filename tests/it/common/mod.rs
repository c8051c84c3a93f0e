//! Helpers shared by the test modules.
pub mod cli;
pub mod run_design;
pub mod skip;
pub mod vcd_check;
pub mod work;
