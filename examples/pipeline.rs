//! The seed's pipeline on the library API: Source → N Buffers → Sink.
//!
//! ```text
//! cargo run --release --example pipeline -- --vcd pipeline.vcd --transcript pipeline.transcript
//! cargo run --release --example pipeline -- --buffers 1000 --tokens 10000
//! ```
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;

use chpsim::{SimInit, TranscriptWriter, VcdOptions, VcdWriter};
use clap::Parser;

#[path = "common/pipeline_model.rs"]
mod pipeline_model;

#[derive(Parser)]
#[command(about = "Source → N buffers → Sink on chpsim's kernel")]
struct Args {
    /// Number of buffers between source and sink.
    #[arg(long, default_value_t = 10)]
    buffers: usize,
    /// Number of tokens the source sends.
    #[arg(long, default_value_t = 100)]
    tokens: u32,
    /// Write the text transcript here.
    #[arg(long)]
    transcript: Option<PathBuf>,
    /// Write a VCD waveform here.
    #[arg(long)]
    vcd: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let mut sim = SimInit::new();
    pipeline_model::build(&mut sim, args.buffers, args.tokens);
    if let Some(path) = &args.transcript {
        let file = create(path)?;
        let header = format!(
            "design=examples/pipeline.rs buffers={} tokens={}",
            args.buffers, args.tokens
        );
        sim.add_observer(TranscriptWriter::new(BufWriter::new(file), header));
    }
    if let Some(path) = &args.vcd {
        let file = create(path)?;
        sim.add_observer(VcdWriter::new(file, VcdOptions::default()));
    }
    let start = std::time::Instant::now();
    let report = sim.run().map_err(|e| e.to_string())?.report;
    let wall = start.elapsed().as_secs_f64();
    eprintln!(
        "{} handshakes, simulated time {}, {:.3} s wall, {:.1} M handshakes/s",
        report.handshakes,
        report.time,
        wall,
        report.handshakes as f64 / wall / 1e6
    );
    Ok(())
}

fn create(path: &PathBuf) -> Result<File, String> {
    File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))
}
