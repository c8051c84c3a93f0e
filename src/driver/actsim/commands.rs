//! actsim's commands: the list `help` prints (actsim's own sections, names and argument
//! words) and what each does. The ones that read or write the design's state are in
//! [`super::state`].
use std::io::Write;

use super::monitor::OnWarning;
use super::{Flow, Line, Session, MAX_LINE};
use crate::driver::DriverError;
use crate::kernel::{Limits, Time};
use crate::sim::DelayRange;

/// A line of `help`: a section title (`name` empty) or a command with its arguments and what
/// it does.
struct Help {
    name: &'static str,
    text: &'static str,
}

const fn section(text: &'static str) -> Help {
    Help { name: "", text }
}

const fn command(name: &'static str, text: &'static str) -> Help {
    Help { name, text }
}

/// actsim's command list, in its order, after its command reader's own (ACT's `lispCli`).
const HELP: &[Help] = &[
    section("Builtin"),
    command("help", "[cmd] - print help information/list commands"),
    command(
        "source",
        "<filename> [<repeat-count>] - read in a script file",
    ),
    command("exit", "- terminate"),
    command("quit", "- terminate"),
    section("Initialization and setup"),
    command("echo", "[-n] args - display to screen"),
    command("error", "<str> - report error and abort execution"),
    command("initialize", "<proc> - initialize simulation for <proc>"),
    command("mode", "reset|run - set running mode"),
    command(
        "random",
        "[-u] [min max] - randomize timings; -u only randomizes unspecified times",
    ),
    command("random_seed", "<val> - set random number seed"),
    command("norandom", "- deterministic timing"),
    command(
        "random_choice",
        "on|off - randomize non-deterministic choices",
    ),
    section("Running simulation"),
    command("step", "[n] - run the next [n] events"),
    command("advance", "<delay> - run for <delay> time"),
    command("cycle", "- run until simulation stops"),
    command("pending", "- dump pending events"),
    command("set", "<name> <val> - set a variable to a value"),
    command(
        "gc-retry",
        "<name> - re-try guards in a deadlocked process",
    ),
    command("skip-comm", "<name> - skip the communication action"),
    command(
        "get",
        "<name> [#f] - get value of a variable; optional arg turns off display",
    ),
    command(
        "mget",
        "<name1> <name2> ... - multi-get value of a variable",
    ),
    command(
        "chcount",
        "<name> [#f] - return the number of completed actions on named channel",
    ),
    command("watch", "<n1> <n2> ... - add watchpoint for <n1> etc."),
    command("unwatch", "<n1> <n2> ... - delete watchpoint for <n1> etc."),
    command("breakpt", "<n> - toggle breakpoint for <n>"),
    command("break", "<n> - toggle breakpoint for <n>"),
    command(
        "assert",
        "<name> <value> - compares the value of a variable or the channel status to a wanted value - exists sim if exit-on-warn is set",
    ),
    command("break-on-warn", "- stop simulation on warning"),
    command("exit-on-warn", "- like break-on-warn, but exit"),
    command("resume-on-warn", "- continue simulation on warning"),
    command("status", "0|1|X - list all nodes with specified value"),
    command(
        "timescale",
        "<t> - set time scale to <t> picoseconds for tracing",
    ),
    command(
        "get_sim_time",
        "- returns current simulation time in picoseconds",
    ),
    command(
        "get_sim_itime",
        "- returns current simulation time (integer)",
    ),
    command(
        "vcd_start",
        "<file> - Create Verilog change dump for all watched values",
    ),
    command("vcd_stop", "- Stop VCD generation"),
    command(
        "trace_start",
        "[-fmt] <file> - Create trace file in specified format for all watched values",
    ),
    command(
        "trace_stop",
        "[-fmt] - Stop trace file generation for specified format",
    ),
    command(
        "lxt2_start",
        "<file> - Create LXT2 format trace file for all watched values",
    ),
    command("lxt2_stop", "- Stop LXT2 trace file generation"),
    section("Process and CHP commands"),
    command(
        "filter",
        "<regexp> - only show log messages that match regexp",
    ),
    command(
        "logfile",
        "<file> - dump actsim log output to a log file <file>",
    ),
    command(
        "procinfo",
        "<filename> [<inst-name>] - save the program counter for a process to file (- for stdout)",
    ),
    command(
        "energy",
        "[-v] <filename> [<inst-name>] - save energy usage to file (- for stdout)",
    ),
    command(
        "coverage",
        "<filename> [<inst-name>] - report coverage for guards",
    ),
    command(
        "goto",
        "[<inst-name>] <label> - for a single-threaded state, jump to label",
    ),
];

/// chpsim's own commands: actsim has `send` and `recv` in its command table but switched off,
/// so its `help` lists neither (and neither does chpsim's); `help send` shows the line.
const OWN: &[Help] = &[
    command("send", "<chan> <val> - send a value on a channel"),
    command(
        "recv",
        "<chan> [#f] - receive a value from a channel; optional arg turns off display",
    ),
];

/// Every command's name, for the prompt's completion.
pub(super) fn names() -> impl Iterator<Item = &'static str> {
    (HELP.iter().chain(OWN))
        .map(|h| h.name)
        .filter(|n| !n.is_empty())
}

/// The text of `help`: the sections, a blank line between two.
fn help_text() -> String {
    let mut text = String::new();
    for line in HELP {
        if line.name.is_empty() {
            let gap = if text.is_empty() { "" } else { "\n" };
            text.push_str(&format!("{gap}== {} ==\n", line.text));
        } else {
            text.push_str(&command_line(line));
        }
    }
    text
}

/// A command's line in `help`.
fn command_line(line: &Help) -> String {
    format!("   {} {}\n", line.name, line.text)
}

/// The text of `help CMD`, if CMD is a command (`source`'s ends with a blank line, as in
/// actsim). actsim's command reader knows `help` and `source` by name here, and looks for
/// the rest in the simulator's table, which `exit` and `quit` are not in: those two are
/// not found.
fn help_of(name: &str) -> Option<String> {
    if matches!(name, "exit" | "quit") {
        return None;
    }
    let line = (HELP.iter().chain(OWN)).find(|h| !h.name.is_empty() && h.name == name)?;
    let blank = if name == "source" { "\n" } else { "" };
    Some(command_line(line) + blank)
}

/// A whole number as actsim's commands read one (C's `sscanf("%ld")`, `atoi`): the digits,
/// perhaps signed, that the word starts with (after blanks), the rest ignored; `None` when
/// it starts with none.
pub(super) fn number(word: &str) -> Option<i64> {
    let word = word.trim_start();
    let digits = word.strip_prefix(['-', '+']).unwrap_or(word);
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    let sign = word.len() - digits.len();
    let prefix = &word[..sign + end];
    match end {
        0 => None,
        // Beyond the range: as C's `strtol`, the nearest of its ends.
        _ => Some(prefix.parse().unwrap_or(if prefix.starts_with('-') {
            i64::MIN
        } else {
            i64::MAX
        })),
    }
}

/// A real number as actsim's `timescale` reads one (C's `atof`): the longest number the word
/// starts with, 0 when it starts with none.
pub(super) fn real_number(word: &str) -> f64 {
    let word = word.trim_start();
    (0..=word.len())
        .rev()
        .filter(|&end| word.is_char_boundary(end))
        .find_map(|end| word[..end].parse::<f64>().ok())
        .unwrap_or(0.0)
}

/// The file of `logfile`: a failed write names it.
struct LogFile {
    path: String,
    out: std::io::LineWriter<std::fs::File>,
}

impl LogFile {
    fn named(&self, error: std::io::Error) -> std::io::Error {
        std::io::Error::new(
            error.kind(),
            format!("the log file `{}`: {error}", self.path),
        )
    }
}

impl Write for LogFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write(buf).map_err(|e| self.named(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush().map_err(|e| self.named(e))
    }
}

impl Session<'_> {
    /// Runs `command` with its `args`.
    pub(super) fn command(&mut self, command: &str, args: &[&str]) -> Result<Flow, DriverError> {
        match command {
            "cycle" => {
                if !args.is_empty() {
                    self.message("Usage: cycle");
                    return Ok(Flow::Continue);
                }
                if self.running()?.in_reset_mode() {
                    return self.cycle_in_reset_mode();
                }
                self.run(Limits::default())
            }
            "step" => {
                let steps = match args {
                    [] => 1,
                    [n] => match number(n) {
                        Some(n) if n > 0 => n as u64,
                        _ => {
                            self.message("step: zero/negative steps?");
                            return Ok(Flow::Continue);
                        }
                    },
                    _ => {
                        self.message("Usage: step [num]");
                        return Ok(Flow::Continue);
                    }
                };
                let events = self.events();
                self.run(Limits {
                    until: None,
                    max_events: Some(events.saturating_add(steps)),
                })
            }
            "advance" => {
                let [delay] = args else {
                    self.message("Usage: advance <delay>");
                    return Ok(Flow::Continue);
                };
                let Some(delay) = number(delay).filter(|&d| d > 0) else {
                    self.message("advance: zero/negative delay?");
                    return Ok(Flow::Continue);
                };
                let now = self.running()?.now();
                self.run(Limits {
                    until: Some(now.saturating_add(delay as u64)),
                    max_events: None,
                })
            }
            "help" => {
                match args {
                    [] => self.print_part(&help_text()),
                    [name] => match help_of(name) {
                        Some(text) => self.print_part(&text),
                        None => self.message(&format!("Error: command `{name}' not found")),
                    },
                    _ => self.print("Usage: help [cmd]"),
                }
                Ok(Flow::Continue)
            }
            "source" => self.source(args),
            "echo" => {
                let (newline, words) = match args {
                    ["-n", rest @ ..] => (false, rest),
                    rest => (true, rest),
                };
                let text = words.join(" ");
                let _ = write!(self.out, "{text}{}", if newline { "\n" } else { "" });
                Ok(Flow::Continue)
            }
            "error" => {
                let [text] = args else {
                    self.message("Usage: error <str>");
                    return Ok(Flow::Continue);
                };
                // actsim's `error` prints, and returns as a failed command does: the script
                // goes on, and the exit code stays.
                self.message(&format!("ERROR: {text}"));
                Ok(Flow::Continue)
            }
            "break-on-warn" | "exit-on-warn" | "resume-on-warn" => {
                if !args.is_empty() {
                    self.message(&format!("Usage: {command}"));
                    return Ok(Flow::Continue);
                }
                self.monitor.borrow_mut().on_warning = match command {
                    "break-on-warn" => OnWarning::Break,
                    "exit-on-warn" => OnWarning::Exit,
                    _ => OnWarning::Resume,
                };
                Ok(Flow::Continue)
            }
            "filter" => {
                let [pattern] = args else {
                    self.message("Usage: filter <regexp>");
                    return Ok(Flow::Continue);
                };
                let filter = if pattern.is_empty() {
                    None
                } else {
                    match regex_lite::Regex::new(pattern) {
                        Ok(re) => Some(re),
                        Err(_) => {
                            self.message(&format!(
                                "WARNING: Regular expression `{pattern}' didn't compile; skipped."
                            ));
                            None
                        }
                    }
                };
                self.monitor.borrow_mut().filter = filter;
                Ok(Flow::Continue)
            }
            "logfile" => {
                let [path] = args else {
                    self.message("Usage: logfile <file>");
                    return Ok(Flow::Continue);
                };
                let mut monitor = self.monitor.borrow_mut();
                if let Some(mut old) = monitor.log_file.take() {
                    let _ = old.flush();
                }
                match std::fs::File::create(path) {
                    Ok(file) => {
                        monitor.log_file = Some(Box::new(LogFile {
                            path: path.to_string(),
                            out: std::io::LineWriter::new(file),
                        }));
                    }
                    Err(_) => {
                        drop(monitor);
                        self.message(&format!("logfile: could not open file `{path}'"));
                    }
                }
                Ok(Flow::Continue)
            }
            "timescale" => {
                match args {
                    [t] if real_number(t) > 0.0 && real_number(t).is_finite() => {
                        self.tick_picoseconds = real_number(t);
                    }
                    // actsim's message has no newline.
                    [_] => self.message_part("Timescale value has to be positive!"),
                    _ => self.message("Usage: timescale <t>"),
                }
                Ok(Flow::Continue)
            }
            "get_sim_time" | "get_sim_itime" => {
                if !args.is_empty() {
                    self.message(&format!("Usage: {command}"));
                }
                Ok(Flow::Continue)
            }
            "initialize" => match args {
                [process] => self.initialize(process),
                _ => {
                    self.message("Usage: initialize <process>");
                    Ok(Flow::Continue)
                }
            },
            "mode" => {
                match args {
                    [mode @ ("reset" | "run")] => {
                        let reset = *mode == "reset";
                        match &self.state {
                            // Not started: taken when it starts, so that the timing commands
                            // can still follow.
                            super::State::Waiting { .. } => self.reset_mode = Some(reset),
                            _ => self.running()?.set_reset_mode(reset),
                        }
                    }
                    [_] => self.message("mode: unknown mode"),
                    _ => self.message("Usage: mode reset|run"),
                }
                Ok(Flow::Continue)
            }
            "random" | "norandom" | "random_seed" | "random_choice" => {
                self.timing_command(command, args);
                Ok(Flow::Continue)
            }
            "vcd_start" | "vcd_stop" | "trace_start" | "trace_stop" | "lxt2_start"
            | "lxt2_stop" => {
                self.trace_command(command, args);
                Ok(Flow::Continue)
            }
            "energy" => {
                self.energy(args);
                Ok(Flow::Continue)
            }
            _ => self.state_command(command, args),
        }
    }

    /// `source FILE [COUNT]`: the commands of FILE, COUNT times (C's `atoi`; once without
    /// it), as actsim's command reader runs them; `exit` in it ends the session. A file
    /// being read already is refused, as in actsim, and so is one that could not be opened
    /// before.
    fn source(&mut self, args: &[&str]) -> Result<Flow, DriverError> {
        let (file, count) = match args {
            [file] => (*file, 1),
            [file, count] => (*file, number(count).unwrap_or(0)),
            _ => {
                self.message("Usage: source <filename> [<repeat-count>]");
                return Ok(Flow::Continue);
            }
        };
        for _ in 0..count.max(0) {
            if self.sourcing.iter().any(|f| f == file) {
                self.message(&format!(
                    "Error: recursive source command for file `{file}'"
                ));
                return Ok(Flow::Continue);
            }
            // actsim puts the file on its stack before it opens it and leaves it there when
            // it cannot: a later `source` of it is refused as recursive, and the file that
            // `source`d it stays on the stack in its place when it ends (the innermost goes).
            self.sourcing.push(file.to_string());
            let opened = std::fs::File::open(file)
                .ok()
                .filter(|f| f.metadata().is_ok_and(|m| !m.is_dir()));
            let Some(opened) = opened else {
                self.message(&format!("Error: could not open file `{file}' for reading"));
                return Ok(Flow::Continue);
            };
            let mut script = std::io::BufReader::new(opened);
            let mut flow = Ok(Flow::Continue);
            loop {
                match super::next_line(&mut script) {
                    Line::End => break,
                    Line::TooLong => {
                        self.message(&format!(
                            "Error: a line of `{file}' is longer than {MAX_LINE} bytes; the file stops there"
                        ));
                        break;
                    }
                    Line::Read(line) => {
                        flow = self.execute(&line);
                        if !matches!(flow, Ok(Flow::Continue)) {
                            break;
                        }
                    }
                }
            }
            self.sourcing.pop();
            if !matches!(flow, Ok(Flow::Continue)) {
                return flow;
            }
        }
        Ok(Flow::Continue)
    }

    /// `random`, `norandom`, `random_seed`, `random_choice`: before the run starts, they set
    /// how it goes; after, they change it from then on, as actsim's. `random` without a range
    /// draws from actsim's spread ([`DelayRange::actsim_spread`]).
    fn timing_command(&mut self, command: &str, args: &[&str]) {
        let usage = match command {
            "random" => "Usage: random [-u] [min max]",
            "norandom" => "Usage: norandom",
            "random_seed" => "Usage: random_seed <val>",
            _ => "Usage: random_choice on|off",
        };
        /// What a command changes: the run's settings before it starts, its stream after.
        enum Change {
            Delays(Option<DelayRange>),
            Seed(u32),
            Choices(bool),
        }
        let change: Change = match (command, args) {
            ("random", [] | ["-u"]) => {
                let spread = DelayRange::actsim_spread();
                let spread = match args {
                    [] => spread,
                    _ => spread.unspecified_only(),
                };
                Change::Delays(Some(spread))
            }
            // actsim reads the two as C's `atoi` and checks neither; a delay it draws as 0 is
            // 1. So a word that reads as less than 0 is 0, and the range goes from the smaller
            // to the larger (actsim's unsigned arithmetic would draw up to 2^32 ticks). With
            // `-u` first, actsim reads its words one place too early: `-u` is the smallest
            // delay (`atoi` reads it as 0), the first number the largest, and the second is
            // not read; `random -u N` is the range from `-u` to N for every delay.
            ("random", [min, max] | [min @ "-u", max, _]) => {
                let ticks = |word: &str| number(word).unwrap_or(0).max(0) as Time;
                let (a, b) = (ticks(min), ticks(max));
                let range = DelayRange::actsim_range(a.min(b), a.max(b)).expect("min <= max");
                let range = match args {
                    [_, _, _] => range.unspecified_only(),
                    _ => range,
                };
                Change::Delays(Some(range))
            }
            ("norandom", []) => Change::Delays(None),
            // As actsim's `atoi`: what the word starts with, or 0; a negative seed is taken
            // as C takes it for an unsigned one.
            ("random_seed", [seed]) => Change::Seed(number(seed).unwrap_or(0) as i32 as u32),
            ("random_choice", [on @ ("on" | "off")]) => Change::Choices(*on == "on"),
            _ => return self.message(usage),
        };
        match &mut self.state {
            super::State::Waiting { settings, .. } => match change {
                Change::Delays(delays) => settings.random_delay = delays,
                Change::Seed(seed) => settings.seed = u64::from(seed),
                Change::Choices(on) => settings.random_choice = on,
            },
            super::State::Started { running, .. } => {
                let random = running.random();
                match change {
                    Change::Delays(delays) => random.set_delays(delays),
                    Change::Seed(seed) => random.reseed(seed),
                    Change::Choices(on) => random.set_choices(on),
                }
            }
            super::State::Gone => unreachable!("the run is only gone while it starts"),
        }
    }

    /// Writes `text` to `file`, or to stdout for `-` (actsim's report commands); false after
    /// saying the file cannot be written.
    pub(super) fn write_report(&mut self, command: &str, file: &str, text: &str) -> bool {
        if file == "-" {
            let _ = self.out.write_all(text.as_bytes());
            return true;
        }
        let written = std::fs::write(file, text).is_ok();
        if !written {
            self.message(&format!(
                "{command}: could not open file `{file}' for writing"
            ));
        }
        written
    }

    /// Whether a report command's `instance` (if given) reads as an instance's name. actsim
    /// opens the report's file before it reads the name, so a name that does not read leaves
    /// the file created and empty, and a file that cannot be opened is the only message.
    pub(super) fn report_instance_parses(
        &mut self,
        command: &str,
        file: &str,
        instance: Option<&str>,
    ) -> bool {
        match instance {
            Some(name) if !super::state::reads_as_identifier(name) => {
                if self.write_report(command, file, "") {
                    self.instance_name_parses(name);
                }
                false
            }
            _ => true,
        }
    }
}
