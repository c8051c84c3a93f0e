//! `chpsim actsim FILE PROC`: actsim's command language, read from a script (stdin), driving
//! the same engine as `chpsim run`. Each command prints what actsim prints; a command that is
//! unknown or wrongly used gets a message on the error stream and the next one is read.
mod args;
mod watch;

pub use args::{parse_args, usage, ActsimArgs, ArgsError};

use std::cell::RefCell;
use std::io::{self, BufRead, Write};
use std::rc::Rc;

use super::{prepare, Design, DriverError, Outputs, RunEnd, RunResult, RunSettings, SourceFile};
use crate::kernel::Limits;
use crate::sim::{DelayRange, Running};
use watch::{WatchPrinter, Watched};

/// The commands chpsim knows, with actsim's words for their arguments (`help` lists them).
const COMMANDS: &[(&str, &str)] = &[
    ("initialize", "<proc> - initialize simulation for <proc>"),
    ("mode", "reset|run - set running mode"),
    ("random", "[min max] - randomize timings"),
    ("random_seed", "<val> - set random number seed"),
    ("norandom", "- deterministic timing"),
    (
        "random_choice",
        "on|off - randomize non-deterministic choices",
    ),
    ("step", "[n] - run the next [n] events"),
    ("advance", "<delay> - run for <delay> time"),
    ("cycle", "- run until simulation stops"),
    ("watch", "<n1> <n2> ... - add watchpoint for <n1> etc."),
    ("unwatch", "<n1> <n2> ... - delete watchpoint for <n1> etc."),
    ("help", "- this list"),
    ("exit", "- leave the simulator"),
    ("quit", "- leave the simulator"),
];

/// actsim's commands that chpsim does not run yet: they get a message saying so.
const NOT_YET: &[&str] = &[
    "set",
    "get",
    "mget",
    "chcount",
    "break",
    "breakpt",
    "status",
    "pending",
    "procinfo",
    "coverage",
    "energy",
    "filter",
    "logfile",
    "vcd_start",
    "vcd_stop",
    "trace_start",
    "trace_stop",
    "lxt2_start",
    "lxt2_stop",
    "send",
    "recv",
    "skip-comm",
    "gc-retry",
    "goto",
    "assert",
    "break-on-warn",
    "exit-on-warn",
    "resume-on-warn",
    "timescale",
    "get_sim_time",
    "get_sim_itime",
    "echo",
    "error",
    "mget",
];

/// A writer shared by the log lines, the watch lines and the commands' own output, so that
/// they come out in the order they happen.
#[derive(Clone)]
struct Shared(Rc<RefCell<Box<dyn Write>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.borrow_mut().flush()
    }
}

/// The run before its first running command (the timing commands still change it) and after.
enum State {
    Waiting {
        design: Box<Design>,
        settings: RunSettings,
        outputs: Outputs,
    },
    Started {
        running: Running,
        end: RunEnd,
        events: u64,
    },
    /// Between the two (only while starting).
    Gone,
}

/// A script's session: the run and what the commands set.
struct Session<'a> {
    state: State,
    source: &'a SourceFile,
    watched: Watched,
    out: Shared,
}

/// Runs `design` as actsim's commands in `script` say; log and watch lines go to `out`,
/// messages about bad commands to `errors`. Returns how the run ended, or `None` when no
/// command ran it.
pub fn run_script(
    design: Design,
    source: &SourceFile,
    settings: RunSettings,
    mut outputs: Outputs,
    out: Box<dyn Write>,
    script: &mut dyn BufRead,
    errors: &mut dyn Write,
) -> Result<Option<RunResult>, DriverError> {
    let out = Shared(Rc::new(RefCell::new(out)));
    outputs.log = Some(Box::new(out.clone()));
    let mut session = Session {
        state: State::Waiting {
            design: Box::new(design),
            settings,
            outputs,
        },
        source,
        watched: Rc::default(),
        out,
    };
    let mut line = String::new();
    loop {
        line.clear();
        match script.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some((&command, args)) = words.split_first() else {
            continue;
        };
        if command.starts_with('#') {
            continue;
        }
        match session.command(command, args)? {
            Next::Continue => {}
            Next::Message(text) => {
                let _ = writeln!(errors, "{text}");
            }
            Next::Stop => break,
        }
    }
    session.finish()
}

/// What the script does after a command.
enum Next {
    Continue,
    /// The command was wrong: say why, then go on.
    Message(String),
    /// `exit`, or the run failed.
    Stop,
}

fn command_usage(command: &str) -> Next {
    let args = COMMANDS
        .iter()
        .find(|(name, _)| *name == command)
        .map_or("", |(_, help)| help.split(" - ").next().unwrap_or(""));
    Next::Message(format!("Usage: {command} {args}"))
}

impl Session<'_> {
    fn command(&mut self, command: &str, args: &[&str]) -> Result<Next, DriverError> {
        let number = |i: usize| args.get(i).and_then(|a| a.parse::<u64>().ok());
        Ok(match (command, args.len()) {
            ("cycle", 0) => self.run(Limits::default())?,
            ("step", 0 | 1) => match if args.is_empty() { Some(1) } else { number(0) } {
                Some(n) => {
                    let events = self.events();
                    self.run(Limits {
                        until: None,
                        max_events: Some(events.saturating_add(n)),
                    })?
                }
                None => command_usage(command),
            },
            ("advance", 1) => match number(0) {
                Some(t) => {
                    let now = self.now();
                    self.run(Limits {
                        until: Some(now.saturating_add(t)),
                        max_events: None,
                    })?
                }
                None => command_usage(command),
            },
            ("watch", 1..) => {
                let mut watched = self.watched.borrow_mut();
                for name in args {
                    if !watched.iter().any(|w| w == name) {
                        watched.push(name.to_string());
                    }
                }
                Next::Continue
            }
            ("unwatch", 1..) => {
                self.watched
                    .borrow_mut()
                    .retain(|w| !args.contains(&w.as_str()));
                Next::Continue
            }
            ("initialize", 1) | ("mode", 1)
                if matches!(args[0], "reset" | "run") || command == "initialize" =>
            {
                Next::Continue
            }
            ("random_seed", 1) => match (number(0), self.settings()) {
                (Some(seed), Some(settings)) => {
                    settings.seed = seed;
                    Next::Continue
                }
                (None, _) => command_usage(command),
                (_, None) => started(command),
            },
            ("random_choice", 1) if matches!(args[0], "on" | "off") => match self.settings() {
                Some(settings) => {
                    settings.random_choice = args[0] == "on";
                    Next::Continue
                }
                None => started(command),
            },
            ("random", 2) => {
                let range = format!("{}..{}", args[0], args[1]).parse::<DelayRange>();
                match (range, self.settings()) {
                    (Ok(range), Some(settings)) => {
                        settings.random_delay = Some(range);
                        Next::Continue
                    }
                    (Err(_), _) => command_usage(command),
                    (_, None) => started(command),
                }
            }
            ("norandom", 0) => match self.settings() {
                Some(settings) => {
                    settings.random_delay = None;
                    Next::Continue
                }
                None => started(command),
            },
            ("help", _) => {
                let mut text = String::new();
                for (name, help) in COMMANDS {
                    text.push_str(&format!("   {name} {help}\n"));
                }
                let _ = self.out.write_all(text.as_bytes());
                Next::Continue
            }
            ("exit" | "quit", _) => Next::Stop,
            (known, _) if COMMANDS.iter().any(|(name, _)| *name == known) => command_usage(known),
            (other, _) if NOT_YET.contains(&other) => Next::Message(format!(
                "{other}: not supported by chpsim's actsim yet (see docs/actsim.md)"
            )),
            (other, _) => Next::Message(format!("Unknown command `{other}'; try `help'")),
        })
    }

    /// The run's settings while they can still change (before it starts).
    fn settings(&mut self) -> Option<&mut RunSettings> {
        match &mut self.state {
            State::Waiting { settings, .. } => Some(settings),
            _ => None,
        }
    }

    fn events(&self) -> u64 {
        match &self.state {
            State::Started { events, .. } => *events,
            _ => 0,
        }
    }

    fn now(&self) -> u64 {
        match &self.state {
            State::Started { running, .. } => running.now(),
            _ => 0,
        }
    }

    /// Starts the run if it has not started.
    fn start(&mut self) -> Result<(), DriverError> {
        let state = std::mem::replace(&mut self.state, State::Gone);
        let State::Waiting {
            design,
            settings,
            outputs,
        } = state
        else {
            self.state = state;
            return Ok(());
        };
        let mut prepared = prepare(*design, self.source, &settings, outputs)?;
        (prepared.simulation).add_observer(WatchPrinter::new(
            self.watched.clone(),
            Box::new(self.out.clone()),
        ));
        let running = prepared.simulation.start().map_err(super::output_error)?;
        self.state = State::Started {
            running,
            end: prepared.rest,
            events: 0,
        };
        Ok(())
    }

    fn run(&mut self, limits: Limits) -> Result<Next, DriverError> {
        self.start()?;
        let State::Started {
            running, events, ..
        } = &mut self.state
        else {
            return Ok(Next::Continue);
        };
        let stopped = running.run_with(limits).map_err(super::output_error)?;
        *events = stopped.events;
        Ok(if running.failed() {
            Next::Stop
        } else {
            Next::Continue
        })
    }

    fn finish(mut self) -> Result<Option<RunResult>, DriverError> {
        let _ = self.out.flush();
        match std::mem::replace(&mut self.state, State::Gone) {
            State::Started { running, end, .. } => {
                let outcome = running.finish().map_err(super::output_error)?;
                end.conclude(outcome).map(Some)
            }
            _ => Ok(None),
        }
    }
}

fn started(command: &str) -> Next {
    Next::Message(format!(
        "{command}: the run has started; chpsim sets timing and choices before the first step"
    ))
}
