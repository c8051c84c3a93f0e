//! Throughput and memory of chpsim on the seed's pipeline (source → N buffers → sink), of
//! the production-rule engine on a ring of inverters and on a QDI pipeline of weak-condition
//! half buffers (`benches/qdi_pipeline.act`) (`prs-*`: transitions, not handshakes), of the VCD
//! writer alone (`vcd-writer`, and the `vcd` crate's writer on the same stream, `vcd-crate`),
//! and of the front end on 16 MiB of junk bytes (`lex-junk`: bytes, not handshakes; a run of
//! junk is one message, and costs no message per byte).
//!
//! ```text
//! cargo bench --bench throughput                 # every case, each in a fresh process
//! cargo bench --bench throughput -- lib-off act-off   # some cases
//! cargo bench --bench throughput -- --list       # the cases
//! ```
//! Prints handshakes per second (wall time), the CPU time of the run, the peak resident memory of each case (read from
//! `/proc/self/status` in the process that ran it) and the size of the file it wrote. The `simpy` case runs the same pipeline in
//! SimPy (`benches/simpy_pipeline.py`) with the Python given by `CHPSIM_PYTHON` (default
//! `python3`) when SimPy is importable, and the ratio against chpsim on the same size.
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use chpsim::driver::outputs::MemoryOutput;
use chpsim::driver::{
    compile, run, ElabOptions, Outputs, RunSettings, SourceFile, TranscriptTarget,
};
use chpsim::kernel::Limits;
use chpsim::output::fst::FstWriter;
use chpsim::output::transcript::TranscriptWriter;
use chpsim::output::vcd::{VcdOptions, VcdWriter};
use chpsim::{ChannelInfo, EndReason, EndReport, Event, Observer, Registry, SimInit, TraceValue};

#[path = "../examples/common/pipeline_model.rs"]
mod pipeline_model;

#[derive(Clone, Copy)]
enum Engine {
    Library,
    Interpreted,
    /// A ring of `buffers` inverters (production rules) run for `tokens` transitions.
    Circuit,
    /// A QDI pipeline of `buffers` WCHB stages (production rules) run until time `tokens`.
    Qdi,
    /// `tokens` handshakes on `buffers` 32-bit channels through the VCD writer alone, to a sink.
    VcdWriter,
    /// The same stream through the `vcd` crate's own writer (`change_vector`, `change_scalar`).
    VcdCrate,
    /// A file of `tokens` NUL bytes compiled (one error).
    LexJunk,
}

#[derive(Clone, Copy, PartialEq)]
enum Output {
    Off,
    Transcript,
    Vcd,
    Fst,
}

struct Case {
    name: &'static str,
    engine: Engine,
    output: Output,
    buffers: usize,
    tokens: u32,
}

const CASES: &[Case] = &[
    Case {
        name: "lib-off",
        engine: Engine::Library,
        output: Output::Off,
        buffers: 1000,
        tokens: 10_000,
    },
    Case {
        name: "lib-transcript",
        engine: Engine::Library,
        output: Output::Transcript,
        buffers: 1000,
        tokens: 10_000,
    },
    Case {
        name: "lib-vcd",
        engine: Engine::Library,
        output: Output::Vcd,
        buffers: 1000,
        tokens: 10_000,
    },
    Case {
        name: "lib-fst",
        engine: Engine::Library,
        output: Output::Fst,
        buffers: 1000,
        tokens: 10_000,
    },
    Case {
        name: "lib-1M",
        engine: Engine::Library,
        output: Output::Off,
        buffers: 1_000_000,
        tokens: 10,
    },
    Case {
        name: "act-off",
        engine: Engine::Interpreted,
        output: Output::Off,
        buffers: 1000,
        tokens: 10_000,
    },
    Case {
        name: "act-transcript",
        engine: Engine::Interpreted,
        output: Output::Transcript,
        buffers: 1000,
        tokens: 10_000,
    },
    Case {
        name: "act-vcd",
        engine: Engine::Interpreted,
        output: Output::Vcd,
        buffers: 1000,
        tokens: 10_000,
    },
    Case {
        name: "act-fst",
        engine: Engine::Interpreted,
        output: Output::Fst,
        buffers: 1000,
        tokens: 10_000,
    },
    Case {
        name: "act-10",
        engine: Engine::Interpreted,
        output: Output::Off,
        buffers: 10,
        tokens: 1_000_000,
    },
    Case {
        name: "act-1k",
        engine: Engine::Interpreted,
        output: Output::Off,
        buffers: 1000,
        tokens: 10_000,
    },
    Case {
        name: "act-100k",
        engine: Engine::Interpreted,
        output: Output::Off,
        buffers: 100_000,
        tokens: 100,
    },
    Case {
        name: "act-1M",
        engine: Engine::Interpreted,
        output: Output::Off,
        buffers: 1_000_000,
        tokens: 10,
    },
    Case {
        name: "act-simpy-size",
        engine: Engine::Interpreted,
        output: Output::Off,
        buffers: 100,
        tokens: 2_000,
    },
    Case {
        name: "prs-ring",
        engine: Engine::Circuit,
        output: Output::Off,
        buffers: 1001,
        tokens: 1_000_000,
    },
    Case {
        name: "prs-ring-vcd",
        engine: Engine::Circuit,
        output: Output::Vcd,
        buffers: 1001,
        tokens: 1_000_000,
    },
    Case {
        name: "prs-qdi",
        engine: Engine::Qdi,
        output: Output::Off,
        buffers: 1000,
        tokens: 20_000,
    },
    Case {
        name: "prs-ring-1M",
        engine: Engine::Circuit,
        output: Output::Off,
        buffers: 1_000_001,
        tokens: 2_000_000,
    },
    Case {
        name: "vcd-writer",
        engine: Engine::VcdWriter,
        output: Output::Off,
        buffers: 1000,
        tokens: 20_000_000,
    },
    Case {
        name: "vcd-crate",
        engine: Engine::VcdCrate,
        output: Output::Off,
        buffers: 1000,
        tokens: 20_000_000,
    },
    Case {
        name: "lex-junk",
        engine: Engine::LexJunk,
        output: Output::Off,
        buffers: 0,
        tokens: 16 << 20,
    },
];

/// SimPy runs this size (0.2 M handshakes); chpsim's `act-simpy-size` runs the same.
const SIMPY_SIZE: (usize, u32) = (100, 2_000);

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--bench"))
        .collect();
    if args.iter().any(|a| a == "--list") {
        CASES.iter().for_each(|c| println!("{}", c.name));
        println!("simpy");
        return;
    }
    if let [flag, name] = args.as_slice() {
        if flag == "--child" {
            run_child(name);
            return;
        }
    }
    let selected: Vec<&str> = if args.is_empty() {
        CASES.iter().map(|c| c.name).chain(["simpy"]).collect()
    } else {
        args.iter().map(String::as_str).collect()
    };
    println!(
        "{:<16} {:>12} {:>10} {:>14} {:>12} {:>10} {:>8}",
        "case", "handshakes*", "seconds", "M per second", "peak RSS MiB", "file MiB", "cpu s"
    );
    println!("(* node transitions for the prs-* cases, bytes for lex-junk)");
    let mut chpsim_simpy_rate = None;
    for name in selected {
        if name == "simpy" {
            simpy(chpsim_simpy_rate);
            continue;
        }
        let output = Command::new(std::env::current_exe().unwrap())
            .args(["--child", name])
            .output()
            .unwrap();
        let line = String::from_utf8_lossy(&output.stdout);
        let fields: Vec<f64> = line
            .split_whitespace()
            .filter_map(|f| f.parse().ok())
            .collect();
        let [handshakes, seconds, rss_kib, file_bytes, cpu] = fields[..] else {
            println!(
                "{name}: failed: {}{}",
                line,
                String::from_utf8_lossy(&output.stderr)
            );
            continue;
        };
        let rate = handshakes / seconds;
        if name == "act-simpy-size" {
            chpsim_simpy_rate = Some(rate);
        }
        println!(
            "{name:<16} {handshakes:>12} {seconds:>10.3} {:>14.2} {:>12.1} {:>10.1} {cpu:>8.3}",
            rate / 1e6,
            rss_kib / 1024.0,
            file_bytes / (1 << 20) as f64
        );
    }
}

fn simpy(chpsim_rate: Option<f64>) {
    let python = std::env::var("CHPSIM_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/simpy_pipeline.py");
    let (buffers, tokens) = SIMPY_SIZE;
    let out = Command::new(&python)
        .arg(script)
        .args([buffers.to_string(), tokens.to_string()])
        .output();
    let line = match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        _ => {
            println!(
                "simpy: skipped (no SimPy for {python}; `pip install simpy` and set CHPSIM_PYTHON)"
            );
            return;
        }
    };
    let fields: Vec<f64> = line
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let [handshakes, seconds] = fields[..] else {
        return;
    };
    let rate = handshakes / seconds;
    println!(
        "{:<16} {handshakes:>12} {seconds:>10.3} {:>14.2} {:>12}",
        "simpy",
        rate / 1e6,
        "-"
    );
    if let Some(chpsim_rate) = chpsim_rate {
        println!(
            "chpsim (interpreted, act-simpy-size) / SimPy: {:.0}x",
            chpsim_rate / rate
        );
    }
}

fn run_child(name: &str) {
    let case = CASES
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("unknown case {name}"));
    let dir = tempfile::tempdir().unwrap();
    // The front end reads a design on several threads: count them all.
    let cpu_seconds = match case.engine {
        Engine::LexJunk => process_cpu_seconds,
        _ => thread_cpu_seconds,
    };
    let cpu_before = cpu_seconds();
    let (handshakes, seconds) = match case.engine {
        Engine::Library => library(case, dir.path()),
        Engine::Interpreted => interpreted(case, dir.path()),
        Engine::Circuit => circuit(case, dir.path()),
        Engine::Qdi => qdi(case),
        Engine::VcdWriter => vcd_writer(case),
        Engine::VcdCrate => vcd_crate(case),
        Engine::LexJunk => lex_junk(case),
    };
    let file_bytes: u64 = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    let cpu = cpu_seconds() - cpu_before;
    println!(
        "{handshakes} {seconds} {} {file_bytes} {cpu}",
        peak_rss_kib()
    );
}

/// CPU time of the calling thread so far (`/proc/thread-self/schedstat`), in seconds: on a
/// loaded machine, wall time also counts the time other processes had the core.
fn thread_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let nanos: u64 = (stat.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    nanos as f64 / 1e9
}

/// CPU time of the whole process so far, its finished threads included (`/proc/self/stat`,
/// in clock ticks of 1/100 s).
fn process_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's name (which may hold spaces), from the state (field 3):
    // user time is field 14, system time field 15.
    let fields: Vec<&str> =
        (stat.rsplit_once(')')).map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| fields.get(i - 3).and_then(|v| v.parse::<u64>().ok());
    (ticks(14).unwrap_or(0) + ticks(15).unwrap_or(0)) as f64 / 100.0
}

fn library(case: &Case, dir: &Path) -> (u64, f64) {
    // Without log lines: the parent reads this process's standard output.
    let mut sim = SimInit::new().without_log();
    pipeline_model::build(&mut sim, case.buffers, case.tokens);
    match case.output {
        Output::Off => {}
        Output::Transcript => {
            let file = std::fs::File::create(dir.join("t.transcript")).unwrap();
            sim.add_observer(TranscriptWriter::new(file, "bench"));
        }
        Output::Vcd => {
            let file = std::fs::File::create(dir.join("t.vcd")).unwrap();
            sim.add_observer(VcdWriter::new(file, VcdOptions::default()));
        }
        Output::Fst => {
            let file = std::fs::File::create(dir.join("t.fst")).unwrap();
            sim.add_observer(Box::new(FstWriter::new(file, VcdOptions::default())));
        }
    }
    let start = Instant::now();
    let report = sim.run().unwrap().report;
    (report.handshakes, start.elapsed().as_secs_f64())
}

fn interpreted(case: &Case, dir: &Path) -> (u64, f64) {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/pipeline.act"))
            .unwrap();
    let text = format!("{text}pipeline<{}, {}> top;\n", case.buffers, case.tokens);
    let source = SourceFile::new("pipeline.act", &text);
    let design = compile(&source, &ElabOptions::default()).unwrap();
    let settings = RunSettings {
        seed: 0,
        random_choice: false,
        delay: 10,
        random_delay: None,
        limits: Limits::default(),
        top_name: "top".into(),
        excl_monitors: false,
    };
    let mut outputs = Outputs {
        log: Some(Box::new(MemoryOutput::default())),
        ..Outputs::default()
    };
    match case.output {
        Output::Off => outputs.log = None,
        Output::Transcript => {
            outputs.transcript = Some(TranscriptTarget::File(dir.join("t.transcript")))
        }
        Output::Vcd => outputs.vcd = Some((dir.join("t.vcd"), VcdOptions::default())),
        Output::Fst => outputs.fst = Some((dir.join("t.fst"), VcdOptions::default())),
    }
    let start = Instant::now();
    let result = run(design, &source, &settings, outputs).unwrap();
    (result.report.handshakes, start.elapsed().as_secs_f64())
}

/// The ring: `x[0]` is set to 0 by a CHP process at time 10, then one inverter switches every
/// 10 ticks (the default delay), so `tokens` transitions take until 10 + 10 × tokens.
fn circuit(case: &Case, dir: &Path) -> (u64, f64) {
    let text = format!(
        "defproc inv(bool? a; bool! y) {{ prs {{ a => y- }} }}
defproc start(bool! x) {{ chp {{ x- }} }}
template<pint N> defproc ring() {{
  bool x[N]; inv g[N]; start s(x[0]);
  (i:N: g[i].a = x[i]; g[i].y = x[(i+1)%N];)
}}
ring<{}> r;
",
        case.buffers
    );
    let source = SourceFile::new("ring.act", &text);
    let design = compile(&source, &ElabOptions::default()).unwrap();
    let settings = RunSettings {
        seed: 0,
        random_choice: false,
        delay: 10,
        random_delay: None,
        limits: Limits {
            until: Some(10 + 10 * u64::from(case.tokens)),
            max_events: None,
        },
        top_name: "r".into(),
        excl_monitors: false,
    };
    let mut outputs = Outputs::default();
    if case.output == Output::Vcd {
        outputs.vcd = Some((dir.join("t.vcd"), VcdOptions::default()));
    }
    let start = Instant::now();
    let result = run(design, &source, &settings, outputs).unwrap();
    (result.report.transitions, start.elapsed().as_secs_f64())
}

/// The QDI pipeline: a reset pulse (10 to 20), then tokens flow until time `tokens`; the run
/// is deterministic, so the number of transitions is fixed (1 003 002 for 1000 stages until
/// 20 000).
fn qdi(case: &Case) -> (u64, f64) {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/qdi_pipeline.act"),
    )
    .unwrap();
    let text = format!("{text}qdi<{}> q;\n", case.buffers);
    let source = SourceFile::new("qdi_pipeline.act", &text);
    let design = compile(&source, &ElabOptions::default()).unwrap();
    let settings = RunSettings {
        seed: 0,
        random_choice: false,
        delay: 10,
        random_delay: None,
        limits: Limits {
            until: Some(u64::from(case.tokens)),
            max_events: None,
        },
        top_name: "q".into(),
        excl_monitors: false,
    };
    let start = Instant::now();
    let result = run(design, &source, &settings, Outputs::default()).unwrap();
    (result.report.transitions, start.elapsed().as_secs_f64())
}

/// The time of the `i`-th handshake of the VCD cases: 100 handshakes per time step of 10.
fn vcd_time(i: u64) -> u64 {
    10 + i / 100 * 10
}

fn vcd_writer(case: &Case) -> (u64, f64) {
    let mut registry = Registry::new();
    let channels: Vec<_> = (0..case.buffers)
        .map(|i| {
            registry.add_channel(ChannelInfo::between(
                format!("top.b[{i}].R"),
                format!("top.b[{}].L", i + 1),
                32,
            ))
        })
        .collect();
    let p = registry.add_process("p");
    let mut writer = VcdWriter::new(std::io::sink(), VcdOptions::default());
    writer.start(&registry).unwrap();
    let n = u64::from(case.tokens);
    let start = Instant::now();
    for i in 0..n {
        let event = Event::Handshake {
            time: vcd_time(i),
            channel: channels[i as usize % channels.len()],
            sender: p,
            receiver: p,
            value: TraceValue::Uint(i & 0xffff_ffff),
            exchange: false,
        };
        writer.event(&registry, &event).unwrap();
    }
    let report = EndReport {
        time: vcd_time(n),
        reason: EndReason::Idle,
        handshakes: n,
        events: n,
        transitions: 0,
        waiting: vec![],
    };
    writer.finish(&registry, &report).unwrap();
    (n, start.elapsed().as_secs_f64())
}

fn vcd_crate(case: &Case) -> (u64, f64) {
    let mut w = vcd::Writer::new(std::io::BufWriter::new(std::io::sink()));
    let (data, handshake) = (vcd::IdCode::from(10u32), vcd::IdCode::from(11u32));
    let n = u64::from(case.tokens);
    let start = Instant::now();
    let mut last = 0;
    for i in 0..n {
        if vcd_time(i) > last {
            last = vcd_time(i);
            w.timestamp(last).unwrap();
        }
        let v = i & 0xffff_ffff;
        w.change_vector(
            data,
            (0..32).rev().map(|b| vcd::Value::from((v >> b) & 1 == 1)),
        )
        .unwrap();
        w.change_scalar(handshake, i & 1 == 1).unwrap();
    }
    w.flush().unwrap();
    (n, start.elapsed().as_secs_f64())
}

fn lex_junk(case: &Case) -> (u64, f64) {
    let text = "\0".repeat(case.tokens as usize);
    let source = SourceFile::new("junk.act", &text);
    let start = Instant::now();
    let Err(errors) = compile(&source, &ElabOptions::default()) else {
        panic!("junk compiled");
    };
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(
        errors.to_string().matches("unexpected characters").count(),
        1
    );
    (u64::from(case.tokens), seconds)
}

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
