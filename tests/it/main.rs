//! chpsim's integration tests, linked into one binary so that the suite builds and links once.
//! Each module is one area; `common` holds the helpers they share.

mod common;

#[path = "../../examples/common/pipeline_model.rs"]
mod pipeline_model;

mod actsim_arguments;
mod actsim_cli;
mod actsim_commands;
mod actsim_drive;
mod actsim_nodes;
mod actsim_processes;
mod actsim_prompt;
mod actsim_steps;
mod actsim_traces;
mod arrays_2d;
mod attributes;
mod bad_inputs;
mod body_items;
mod bundles;
mod chan_methods;
mod check_golden;
mod check_jobs;
mod check_verdicts;
mod chp_txt;
mod circuit;
mod cli;
mod config;
mod connections;
mod definitions;
mod designs;
mod determinism;
mod elaborate;
mod expressions;
mod external_functions;
mod external_vcd;
mod file_scope;
mod fuzz;
mod hse;
mod import_search;
mod imports;
mod interrupts;
mod kernel;
mod language;
mod levels;
mod log_lines;
mod outputs;
mod papercuts;
mod parameters;
mod pipeline_example;
mod progress;
mod quiet;
mod random_delay;
mod readme;
mod refine;
mod runtime_errors;
mod scale;
mod simlib;
mod spec;
mod stats;
mod sweep;
mod tokens;
mod tops;
mod user_types;
mod vcd;
mod waveform;
