//! `chpsim actsim FILE PROC`: actsim's command language, read from a script (stdin) or typed at
//! a prompt, driving the same engine as `chpsim run`. Each command prints what actsim prints;
//! a command that is unknown or wrongly used gets actsim's message on the error stream and the
//! next one is read.
//!
//! `commands` runs each command; `state` holds the ones that read and write the design's
//! variables, nodes and channels; `drive` the ones that change the course of the run; `monitor` prints what happens while the run goes on
//! (log, watch and breakpoint lines); [`prompt`] is the terminal's line editor.
mod act_options;
mod args;
mod commands;
mod drive;
mod energy;
mod monitor;
mod pretty;
mod procs;
pub mod prompt;
mod reader;
mod restart;
mod state;
mod trace;

pub use args::{parse_args, sdf_warning, usage, ActsimArgs, ArgsError};
pub use restart::Restart;

use std::cell::RefCell;
use std::io::{self, BufRead, Read, Write};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::{prepare, Design, DriverError, Outputs, RunEnd, RunResult, RunSettings, SourceFile};
use crate::kernel::{EndReason, Limits};
use crate::sim::Running;
use monitor::{Monitor, MonitorState};

/// A writer shared by the log lines, the watch lines and the commands' own output, so that
/// they come out in the order they happen.
#[derive(Clone)]
struct SharedOut(Rc<RefCell<Box<dyn Write>>>);

impl Write for SharedOut {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.borrow_mut().flush()
    }
}

/// The run before its first command that needs it (the timing commands change its settings;
/// after, its random stream) and after.
enum State {
    Waiting {
        design: Box<Design>,
        settings: RunSettings,
        outputs: Outputs,
    },
    Started {
        running: Box<Running>,
        end: RunEnd,
        events: u64,
    },
    /// Between the two (only while starting).
    Gone,
}

/// A session: the run and what the commands set.
pub struct Session<'a> {
    state: State,
    source: &'a SourceFile,
    /// The top process's name, as given on the command line.
    top: String,
    /// The design's process types as actsim names them once expanded (`test<>`, `fifo<8>`):
    /// `initialize` refuses a type's bare name.
    process_types: Vec<String>,
    monitor: monitor::Shared,
    out: SharedOut,
    errors: Box<dyn Write + 'a>,
    /// Set by Ctrl-C: the running command stops where it is.
    interrupt: Arc<AtomicBool>,
    /// The exit code a command asked for (`exit-on-warn`, `assert`), if any.
    exit_code: Option<u8>,
    /// How long a tick is, in picoseconds, for trace files (`timescale`; actsim's default).
    tick_picoseconds: f64,
    /// The tick a simulation starts with (actsim's `sim.device.timescale`, `-t`), also after
    /// `initialize`.
    start_tick_picoseconds: f64,
    /// The design's files, for the statements `procinfo` and `coverage` name.
    sources: crate::source_map::SourceMap,
    /// Every process instance, as actsim's table of them (`procinfo`, `coverage`, `energy`).
    instances: Vec<crate::elab::ir::InstanceEntry>,
    /// `mode reset|run` given before the run started: set when it starts.
    reset_mode: Option<bool>,
    /// actsim's stack of the files `source` is reading, the innermost last (with those it
    /// could not open, which stay).
    sourcing: Vec<String>,
    /// How `initialize` makes the design anew.
    restart: Option<Restart<'a>>,
    /// Whether a VCD file was started in the session: actsim loads its trace format's
    /// library then, for good (`initialize` too keeps it), and until it has, stopping one
    /// says it has no such format rather than no such file.
    vcd_format_loaded: bool,
}

/// actsim's length of a tick in trace files, in picoseconds, until `timescale` changes it.
const DEFAULT_TICK_PICOSECONDS: f64 = 10.0;

impl std::fmt::Debug for Session<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("top", &self.top)
            .field("exit_code", &self.exit_code)
            .finish_non_exhaustive()
    }
}

/// What the session does after a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Read the next command.
    Continue,
    /// `exit`, a failed run, or a command that ends the session.
    Stop,
}

impl<'a> Session<'a> {
    /// A session on `design`: log and watch lines and the commands' output go to `out`,
    /// messages about bad commands to `errors`; `interrupt` (Ctrl-C) stops a running command.
    pub fn new(
        design: Design,
        source: &'a SourceFile,
        settings: RunSettings,
        mut outputs: Outputs,
        out: Box<dyn Write>,
        errors: Box<dyn Write + 'a>,
        interrupt: Arc<AtomicBool>,
    ) -> Self {
        outputs.log = None;
        outputs.inspectable = true;
        outputs.interrupt = Some(interrupt.clone());
        Session {
            top: settings.top_name.clone(),
            process_types: (design.processes.iter())
                .map(|p| p.program.type_name.clone())
                .filter(|name| !name.is_empty())
                .collect(),
            sources: design.sources.clone(),
            instances: design.instances.clone(),
            state: State::Waiting {
                design: Box::new(design),
                settings,
                outputs,
            },
            source,
            monitor: Rc::new(RefCell::new(MonitorState::default())),
            out: SharedOut(Rc::new(RefCell::new(out))),
            errors,
            interrupt,
            exit_code: None,
            tick_picoseconds: DEFAULT_TICK_PICOSECONDS,
            start_tick_picoseconds: DEFAULT_TICK_PICOSECONDS,
            reset_mode: None,
            sourcing: Vec::new(),
            restart: None,
            vcd_format_loaded: false,
        }
    }

    /// Runs one line of commands, read as actsim reads it (the module `reader`).
    pub fn execute(&mut self, line: &str) -> Result<Flow, DriverError> {
        let words = match reader::read(line) {
            reader::Reading::Nothing => return Ok(Flow::Continue),
            reader::Reading::Exit { trailing } => {
                if trailing {
                    self.message("Trailing garbage ignored, terminating anyway");
                }
                return Ok(Flow::Stop);
            }
            reader::Reading::Refused(said) => {
                for part in said {
                    match part {
                        reader::Said::Out(text) => self.print_part(&text),
                        reader::Said::Err(text) => self.message_part(&text),
                    }
                }
                return Ok(Flow::Continue);
            }
            reader::Reading::Command(words) => words,
        };
        let (command, args) = words.split_first().expect("a command has its name");
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut flow = self.command(command, &args)?;
        // A warning printed outside a run (the rules reading a node `set` writes) may ask to
        // exit too.
        if let Some(code) = self.monitor.borrow().exit_requested {
            self.exit_code = Some(code);
            flow = Flow::Stop;
        }
        let _ = self.out.flush();
        if self.interrupt.swap(false, Ordering::SeqCst) {
            let _ = writeln!(self.errors, " *** interrupted");
        }
        Ok(flow)
    }

    /// Names for the prompt's completion: the commands, then every instance, variable, node
    /// and channel of the design (once the run has started).
    pub fn completions(&self) -> Vec<String> {
        let mut names: Vec<String> = commands::names().map(str::to_string).collect();
        names.extend(self.monitor.borrow().all_names().map(str::to_string));
        match &self.state {
            State::Started { running, .. } => names.extend(running.names()),
            State::Waiting { design, .. } => names.extend(design_names(design)),
            State::Gone => {}
        }
        names.sort();
        names.dedup();
        names
    }

    /// Ends the session: the run is finished and its outputs written. Returns how it ended
    /// (`None` when no command ran it) and the exit code a command asked for.
    pub fn finish(mut self) -> Result<(Option<RunResult>, Option<u8>), DriverError> {
        let _ = self.out.flush();
        let _ = self.errors.flush();
        let exit_code = self.exit_code;
        let result = match std::mem::replace(&mut self.state, State::Gone) {
            State::Started { running, end, .. } => {
                if let Some(vcd) = self.monitor.borrow_mut().vcd.take() {
                    let _ = vcd.close(running.now());
                }
                let outcome = running.finish().map_err(super::output_error)?;
                Some(end.conclude(outcome)?)
            }
            _ => None,
        };
        Ok((result, exit_code))
    }

    /// Says what is wrong with a command, on the error stream.
    fn message(&mut self, text: &str) {
        let _ = self.out.flush();
        let _ = writeln!(self.errors, "{text}");
    }

    /// Prints an error message as actsim does for a few, without a newline.
    fn message_part(&mut self, text: &str) {
        let _ = self.out.flush();
        let _ = write!(self.errors, "{text}");
    }

    /// Prints a command's own output, in order with the watch lines.
    fn print(&mut self, text: &str) {
        let _ = writeln!(self.out, "{text}");
    }

    /// Prints a command's own output that ends with its own newline (or none).
    fn print_part(&mut self, text: &str) {
        let _ = self.out.write_all(text.as_bytes());
    }

    /// Starts the run if it has not started, and returns it.
    fn running(&mut self) -> Result<&mut Running, DriverError> {
        if let State::Waiting { .. } = self.state {
            let State::Waiting {
                design,
                settings,
                mut outputs,
            } = std::mem::replace(&mut self.state, State::Gone)
            else {
                unreachable!("matched just above")
            };
            // The monitor prints `warn(...)`: `filter` applies to it, as in actsim.
            let warnings = outputs.warnings.take();
            let mut prepared = prepare(*design, self.source, &settings, outputs)?;
            // actsim builds its processes, queueing their first events, and runs its reset
            // phase before it reads a command: nothing is random then. The timing commands
            // given before take effect after it.
            let random = prepared.simulation.random();
            random.set_delays(None);
            random.set_choices(false);
            let ctx = prepared.simulation.ctx();
            let out = Box::new(self.out.clone());
            let monitor = Monitor::new(self.monitor.clone(), out, warnings, ctx);
            (prepared.simulation).add_observer(monitor);
            let mut running = prepared.simulation.start().map_err(super::output_error)?;
            // The state actsim's commands see first: every process's first event queued.
            running.settle();
            (self.monitor.borrow_mut()).join_copies(&running.shared_copies());
            // actsim runs its reset phase before it reads its first command: the phase's
            // transitions are no command's (no watch line, no breakpoint), and the commands
            // go on from where it ends (it pauses the run there); a `mode` given before
            // applies after it.
            let mut events = 0;
            if running.reset_phase_running() {
                self.monitor.borrow_mut().in_reset_phase = true;
                let ran = running.run_with(Limits::default());
                self.monitor.borrow_mut().in_reset_phase = false;
                events = ran.map_err(super::output_error)?.events;
            }
            if let Some(reset) = self.reset_mode.take() {
                running.set_reset_mode(reset);
            }
            running.random().set_delays(settings.random_delay);
            running.random().set_choices(settings.random_choice);
            self.state = State::Started {
                running: Box::new(running),
                end: prepared.rest,
                events,
            };
        }
        match &mut self.state {
            State::Started { running, .. } => Ok(running),
            _ => unreachable!("the run has started"),
        }
    }

    fn events(&self) -> u64 {
        match &self.state {
            State::Started { events, .. } => *events,
            _ => 0,
        }
    }

    /// Runs within `limits`; a failed run or an exit asked for by a warning ends the session.
    /// With no event queued nothing runs (the clock stays) and actsim's warning is printed,
    /// as its `cycle`, `step` and `advance` do.
    fn run(&mut self, limits: Limits) -> Result<Flow, DriverError> {
        if self.running()?.nothing_queued() {
            self.message("WARNING: Empty simulation!");
            return Ok(Flow::Continue);
        }
        let running = self.running()?;
        let stopped = running.run_with(limits).map_err(super::output_error)?;
        let failed = running.failed();
        if let State::Started { events, .. } = &mut self.state {
            *events = stopped.events;
        }
        if let Some(code) = self.monitor.borrow().exit_requested {
            self.exit_code = Some(code);
            return Ok(Flow::Stop);
        }
        if stopped.reason == EndReason::Interrupted && !self.interrupt.load(Ordering::SeqCst) {
            // A breakpoint: the run pauses; the next command goes on.
            return Ok(Flow::Continue);
        }
        Ok(if failed { Flow::Stop } else { Flow::Continue })
    }
}

impl Session<'_> {
    /// `cycle` in reset mode, as actsim runs it: one event at a time while a transition or
    /// an event of a process running its HSE is pending (the held CHP processes' events run
    /// too, each put off again), not stopping at breakpoints; Ctrl-C stops it.
    fn cycle_in_reset_mode(&mut self) -> Result<Flow, DriverError> {
        while !self.interrupt.load(Ordering::SeqCst) && self.running()?.circuit_or_hse_pending() {
            let limits = Limits {
                until: None,
                max_events: Some(self.events().saturating_add(1)),
            };
            if self.run(limits)? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }
}

/// The names a design's commands can use, before it runs: instances, their variables, its
/// channels and nodes.
fn design_names(design: &Design) -> Vec<String> {
    let mut names = Vec::new();
    for instance in &design.processes {
        if !instance.path.is_empty() {
            names.push(instance.path.clone());
        }
        for var in &instance.program.vars {
            names.push(crate::sim::inspect::full_name(&instance.path, &var.name));
        }
    }
    for channel in &design.channels {
        names.extend(channel.info.names().map(str::to_string));
    }
    if let Some(circuit) = &design.circuit {
        let net = &circuit.netlist;
        names.extend((0..net.node_count()).map(|n| {
            net.node_name(crate::kernel::NodeId::from_index(n))
                .to_string()
        }));
        names.extend(net.alias_names().map(str::to_string));
    }
    names
}

/// Runs `design` as actsim's commands in `script` say (see [`Session`]). Returns how the run
/// ended (`None` when no command ran it) and the exit code a command asked for.
pub fn run_script(session: &mut Session<'_>, script: &mut dyn BufRead) -> Result<(), DriverError> {
    loop {
        match next_line(script) {
            Line::End => return Ok(()),
            Line::TooLong => {
                session.message(&format!(
                    "Error: a command line longer than {MAX_LINE} bytes; the commands stop here"
                ));
                session.exit_code = Some(2);
                return Ok(());
            }
            Line::Read(line) => {
                if session.execute(&line)? == Flow::Stop {
                    return Ok(());
                }
            }
        }
    }
}

/// The longest command line read: a longer one is no command (`< /dev/zero`, `source
/// /dev/zero` would fill the memory).
pub(super) const MAX_LINE: usize = 1 << 20;

/// A line of commands, as [`next_line`] reads it.
pub(super) enum Line {
    Read(String),
    /// The end of the script, or a read error.
    End,
    /// A line longer than [`MAX_LINE`]: the rest of the script is not read.
    TooLong,
}

/// The next line of `script`, reading at most [`MAX_LINE`] bytes of it. Bytes that are not
/// UTF-8 are replaced, so that they do not end the script: actsim passes them on.
pub(super) fn next_line(script: &mut dyn BufRead) -> Line {
    let mut bytes = Vec::new();
    match Read::take(script, MAX_LINE as u64 + 1).read_until(b'\n', &mut bytes) {
        Ok(0) | Err(_) => Line::End,
        Ok(_) if bytes.len() > MAX_LINE && !bytes.ends_with(b"\n") => Line::TooLong,
        Ok(_) => Line::Read(String::from_utf8_lossy(&bytes).into_owned()),
    }
}
