//! actsim's commands on the design's state, by name: `get`, `mget`, `set`, `assert`,
//! `chcount`, `watch`, `unwatch`, `break`, `status`, `pending`, with actsim's output and
//! messages.
use std::io::Write;

use num_bigint::BigUint;

use super::monitor::Key;
use super::{Flow, Session};
use crate::driver::DriverError;
use crate::kernel::Time;
use crate::kernel::{ChanId, Level, Waiter};
use crate::sim::inspect::{PendingEvent, SetError, Shown, Target};

/// What a name stands for.
pub(super) enum Named {
    Channel(ChanId),
    /// A channel between a CHP end and a circuit (see [`Key::Wired`]): actsim keeps it idle
    /// (its state is in the wires).
    Wired(u32),
    /// A variable or node: where to read it, and how the monitor knows it (for `watch`).
    Value(Target, Option<Key>),
}

/// A channel's state as `get` and `assert` show it: actsim's number and words.
fn channel_state(waiting: Option<Waiter>) -> (u8, &'static str) {
    match waiting {
        Some(Waiter::Sender) => (1, "waiting sender"),
        Some(Waiter::SenderProbe) => (2, "waiting sender probe"),
        Some(Waiter::Receiver) => (3, "waiting receiver"),
        Some(Waiter::ReceiverProbe) => (4, "waiting receiver probe"),
        _ => (0, "idle"),
    }
}

/// An integer as actsim's `set` and `assert` read one (ACT's `BigInt::sscan`): `0x` then hex
/// digits, `0b` then binary ones, or decimal digits, as many as the word starts with; the
/// rest is ignored and a word with none is 0 (`12ab` is 12, `-5` and `five` are 0).
pub(super) fn scan_unsigned(word: &str) -> BigUint {
    scan(word).0
}

/// An integer written as [`scan_unsigned`] reads one and nothing else (`send`, chpsim's own
/// command, refuses the rest).
pub(super) fn parse_unsigned(word: &str) -> Option<BigUint> {
    match scan(word) {
        (value, Some("")) => Some(value),
        _ => None,
    }
}

/// The integer `word` starts with and what follows its digits (`None` when it has none).
fn scan(word: &str) -> (BigUint, Option<&str>) {
    let (digits, radix) = match word.as_bytes() {
        [b'0', b'x', ..] => (&word[2..], 16),
        [b'0', b'b', ..] => (&word[2..], 2),
        _ => (word, 10),
    };
    let end = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    match BigUint::parse_bytes(&digits.as_bytes()[..end], radix) {
        Some(value) => (value, Some(&digits[end..])),
        None => (BigUint::default(), None),
    }
}

fn bit_symbol(level: Level) -> char {
    level.symbol()
}

/// A line of `pending -v`, as actsim prints it: the ticks until the event, what kind of
/// object it is, the process type ` / ` the instance; for a transition, the node's name in
/// its driver's instance and what that driver has pending (`???` for nothing), with
/// `multi-drv(N)` first when N instances drive the node. The top process's instance has no
/// name, so its line ends after the `/ `. actsim stops at an assertion on an event that is
/// no process's (the delayed trace of a watched send); chpsim prints it as actsim's code
/// would without the assertion, `?????` and nothing after.
fn pending_line(ticks: Time, event: &PendingEvent) -> String {
    let mut line = format!("{ticks:>10} ");
    match event {
        PendingEvent::Chp { type_name, path } => {
            line.push_str(&format!("[chp] {type_name} / {path}"));
        }
        PendingEvent::Prs(t) => {
            line.push_str("[prs] ");
            match t.drivers {
                1 => line.push_str(&format!("{} / ", t.type_name)),
                n => line.push_str(&format!("multi-drv({n}) {} / ", t.type_name)),
            }
            if !t.instance.is_empty() {
                let pending = t
                    .pending
                    .map_or("???".to_string(), |l| l.symbol().to_string());
                line.push_str(&format!("{}.{} := {pending}", t.instance, t.node));
            }
        }
        PendingEvent::Other => line.push_str("????? "),
    }
    line
}

impl Session<'_> {
    /// The commands on names, and the message for a command actsim does not know.
    pub(super) fn state_command(
        &mut self,
        command: &str,
        args: &[&str],
    ) -> Result<Flow, DriverError> {
        match (command, args) {
            ("get", [name] | [name, _]) => {
                let display = args.len() == 1;
                match self.resolve(name)? {
                    Some(Named::Channel(channel)) => {
                        let waiting = self.monitor.borrow().waiting(channel);
                        let (_, words) = channel_state(waiting);
                        self.print(&format!("{name}: {words}"));
                    }
                    Some(Named::Wired(_)) => {
                        let (_, words) = channel_state(None);
                        self.print(&format!("{name}: {words}"));
                    }
                    Some(Named::Value(target, _)) if display => {
                        let text = self.shown(&target);
                        self.print(&format!("{name}: {text}"));
                    }
                    _ => {}
                }
            }
            ("get", _) => self.message("Usage: get <name> [#f]"),
            ("mget", [_, ..]) => {
                for name in args {
                    match self.resolve(name)? {
                        Some(Named::Channel(_) | Named::Wired(_)) => {
                            self.print(&format!("'{name}' is a channel; not currently supported!"));
                            break;
                        }
                        Some(Named::Value(target, _)) => {
                            // actsim's `mget` prints an integer's first 64-bit word only.
                            let text = match self.running()?.value(&target) {
                                Shown::Int(v) => {
                                    let low = v.iter_u64_digits().next().unwrap_or(0);
                                    format!("{low}  (0x{low:x})")
                                }
                                Shown::Bit(_) => self.shown(&target),
                            };
                            self.print(&format!("{name}: {text}"));
                        }
                        None => break,
                    }
                }
            }
            ("mget", _) => self.message("Usage: mget <name1> <name2> ..."),
            ("set", [name, value]) => self.set(name, value)?,
            ("set", _) => self.message("Usage: set <name> <val>"),
            ("assert", [name, value]) => return self.assert(name, value),
            ("assert", _) => self.message("Usage: assert <name> <value>"),
            ("chcount", [name] | [name, _]) => {
                let count = match self.resolve(name)? {
                    Some(Named::Channel(channel)) => Some(self.monitor.borrow().count(channel)),
                    Some(Named::Wired(channel)) => Some(self.monitor.borrow().wired_count(channel)),
                    Some(Named::Value(..)) => {
                        self.message(&format!("{name}: is not of channel type"));
                        None
                    }
                    None => None,
                };
                if let (Some(count), 1) = (count, args.len()) {
                    self.print(&format!("Channel {name}: completed actions {count}"));
                }
            }
            ("chcount", _) => self.message("Usage: chcount <ch> [#f]"),
            ("watch" | "unwatch", [_, ..]) => {
                for name in args {
                    let key = match self.resolve(name)? {
                        Some(Named::Channel(channel)) => Key::Channel(channel),
                        Some(Named::Wired(channel)) => Key::Wired(channel),
                        Some(Named::Value(_, Some(key))) => key,
                        Some(Named::Value(_, None)) => {
                            self.message(&format!("{command}: `{name}' cannot be watched"));
                            break;
                        }
                        None => break,
                    };
                    let mut monitor = self.monitor.borrow_mut();
                    if command == "watch" {
                        monitor.watch(key, name);
                    } else {
                        monitor.unwatch(key);
                    }
                }
            }
            ("watch" | "unwatch", _) => self.message(&format!("Usage: {command} <n1> <n2> ...")),
            ("break" | "breakpt", [name]) => {
                let key = match self.resolve(name)? {
                    Some(Named::Channel(channel)) => Some(Key::Channel(channel)),
                    Some(Named::Wired(channel)) => Some(Key::Wired(channel)),
                    Some(Named::Value(_, key)) => key,
                    None => None,
                };
                if let Some(key) = key {
                    self.monitor.borrow_mut().toggle_breakpoint(key, name);
                }
            }
            ("break" | "breakpt", _) => self.message(&format!("Usage: {command} <name>")),
            ("status", [value]) => {
                let level = match *value {
                    "0" => Level::Zero,
                    "1" => Level::One,
                    "X" | "U" => Level::X,
                    _ => {
                        self.message("Usage: status 0|1|X");
                        return Ok(Flow::Continue);
                    }
                };
                self.status(level)?;
            }
            ("status", _) => self.message("Usage: status 0|1|X"),
            ("pending", [] | ["-v"]) => {
                let running = self.running()?;
                let (now, events) = (running.now(), running.pending_events());
                if !events.is_empty() {
                    // actsim counts its objects of one node's rules (a multi-driver
                    // node's object is not one of them).
                    let circuit = (events.iter())
                        .filter(|(_, e)| matches!(e, PendingEvent::Prs(t) if t.drivers == 1))
                        .count();
                    let circuit = match circuit {
                        0 => String::new(),
                        n => format!("; prs events: {n}"),
                    };
                    let mut text = format!(
                        "Current time: {now}\nPending events: {}{circuit}",
                        events.len()
                    );
                    if args == ["-v"] {
                        for (ticks, event) in &events {
                            text.push('\n');
                            text.push_str(&pending_line(*ticks, event));
                        }
                    }
                    self.print(&text);
                }
            }
            ("pending", _) => self.message("Usage: pending [-v]"),
            ("procinfo" | "coverage", _) => self.process_report(command, args)?,
            ("goto" | "gc-retry" | "skip-comm" | "send" | "recv", _) => {
                self.drive_command(command, args)?
            }
            (other, _) => self.message(&format!("Unknown command name `{other}'")),
        }
        Ok(Flow::Continue)
    }

    /// What `name` names in the design, or `None` after saying it names nothing.
    pub(super) fn resolve(&mut self, name: &str) -> Result<Option<Named>, DriverError> {
        if !reads_as_identifier(name) {
            self.message(&format!("Could not parse `{name}' into an identifier"));
            return Ok(None);
        }
        // As ACT reads it: `x[01]` is `x[1]`.
        let read = super::procs::instance_key(name).unwrap_or_else(|| name.to_string());
        let found = self.running()?.find_as(&read);
        let (target, found_as) = found.map_or((None, None), |(t, n)| (Some(t), Some(n)));
        let canonical = (target.as_ref()).and_then(|t| self.running().ok()?.canonical_name(t));
        // A node by any of its names, a process's name for it too (`d.x` of a `bool` port
        // of process `d` joined to a node): one thing, watched under the name last given, as
        // in actsim, where the two names are one place.
        let key = {
            let monitor = self.monitor.borrow();
            let read = found_as.as_deref().unwrap_or(&read);
            match canonical.as_deref() {
                Some(canonical) => monitor.key(canonical).or_else(|| monitor.key(read)),
                None => monitor.key(read),
            }
        };
        Ok(match (target, key) {
            (Some(target), key) => Some(Named::Value(target, key)),
            (None, Some(Key::Channel(channel))) => Some(Named::Channel(channel)),
            (None, Some(Key::Wired(channel))) => Some(Named::Wired(channel)),
            (None, _) => {
                if let Some(message) = self.not_found(&read) {
                    self.message(&message);
                }
                None
            }
        })
    }

    /// Whether `name`, an instance's name given to `procinfo`, `coverage`, `energy` or `goto`,
    /// reads as one; if not, says so as actsim does.
    pub(super) fn instance_name_parses(&mut self, name: &str) -> bool {
        let parses = reads_as_identifier(name);
        if !parses {
            self.message(&format!("Could not parse `{name}' into an instance name"));
        }
        parses
    }

    /// A value as `get` prints it: `0`, `1`, `X`, or `5  (0x5)`.
    fn shown(&mut self, target: &Target) -> String {
        let Ok(running) = self.running() else {
            return String::new();
        };
        match running.value(target) {
            Shown::Bit(level) => bit_symbol(level).to_string(),
            Shown::Int(v) => format!("{v}  (0x{v:x})"),
        }
    }

    fn set(&mut self, name: &str, value: &str) -> Result<(), DriverError> {
        let (target, key) = match self.resolve(name)? {
            None => return Ok(()),
            Some(Named::Channel(_) | Named::Wired(_)) => {
                self.print(&format!("'{name}' is a channel; not currently supported!"));
                return Ok(());
            }
            Some(Named::Value(target, key)) => (target, key),
        };
        let new = if self.running()?.is_bit(&target) {
            Shown::Bit(match value {
                "0" | "#f" => Level::Zero,
                "1" | "#t" => Level::One,
                "X" => Level::X,
                _ => {
                    self.message("Boolean must be set to either 0, 1, or X");
                    return Ok(());
                }
            })
        } else {
            // actsim's check for a negative value never holds: its reading of the word
            // (`scan_unsigned`) gives no sign.
            Shown::Int(scan_unsigned(value))
        };
        let running = self.running()?;
        let old = running.value(&target);
        let now = running.now();
        let watched = key.and_then(|key| self.monitor.borrow().watched_as(key).map(str::to_owned));
        let mut line = watched.filter(|_| old != new).map(|watched| {
            let text = match &new {
                Shown::Bit(level) => bit_symbol(*level).to_string(),
                Shown::Int(v) => format!("{v} (0x{v:x})"),
            };
            format!("[{now:>20}] <[env]> {watched} := {text}")
        });
        // As actsim: the line comes before the write, and so before what the rules reading
        // a bool say of it; an integer's only once it is known to fit.
        if matches!(new, Shown::Bit(_)) {
            if let Some(line) = line.take() {
                self.print(&line);
            }
        }
        self.monitor.borrow_mut().quiet = true;
        let result = self.running()?.set(&target, &new);
        self.monitor.borrow_mut().quiet = false;
        match result {
            Err(SetError::TooWide) => {
                self.message("Value does not fit into variable's bitwidth.");
            }
            Ok(()) => {
                if let Some(line) = line {
                    self.print(&line);
                }
            }
        }
        Ok(())
    }

    /// actsim's `assert NAME VALUE`: a mismatch prints a warning, and exits (code 2) under
    /// `exit-on-warn`.
    fn assert(&mut self, name: &str, value: &str) -> Result<Flow, DriverError> {
        let Some(named) = self.resolve(name)? else {
            return Ok(Flow::Continue);
        };
        let expected = scan_unsigned(value);
        let wrong = match named {
            Named::Channel(_) | Named::Wired(_) => {
                let waiting = match named {
                    Named::Channel(channel) => self.monitor.borrow().waiting(channel),
                    _ => None,
                };
                let (state, words) = channel_state(waiting);
                (BigUint::from(state) != expected).then(|| {
                    format!(
                        "Warning: WRONG ASSERT:\t\"{name}\" has state {state} ({words}) and not {expected}."
                    )
                })
            }
            Named::Value(target, _) => match self.running()?.value(&target) {
                Shown::Bit(level) => {
                    let symbol = |v: u8| match v {
                        0 => '0',
                        1 => '1',
                        _ => 'X',
                    };
                    let Some(want) = u8::try_from(&expected).ok().filter(|&v| v <= 2) else {
                        self.print("ERROR: A Boolean value should only be asserted to be 0 (F), 1 (T), or 2 (X)");
                        return Ok(Flow::Continue);
                    };
                    (level as u8 != want).then(|| {
                        format!(
                            "Warning: WRONG ASSERT:\t\"{name}\" has value {} and not {}.",
                            bit_symbol(level),
                            symbol(want)
                        )
                    })
                }
                // actsim prints these words without spaces around the numbers.
                Shown::Int(v) => (v != expected).then(|| {
                    format!("Warning: WRONG ASSERT:\t\"{name}\" has value {v}and not{expected}")
                }),
            },
        };
        let Some(text) = wrong else {
            return Ok(Flow::Continue);
        };
        self.print(&text);
        if self.monitor.borrow().on_warning == super::monitor::OnWarning::Exit {
            self.exit_code = Some(2);
            return Ok(Flow::Stop);
        }
        Ok(Flow::Continue)
    }

    /// actsim's `status`: per instance with production rules, the nodes its rules drive at
    /// `level`, as `inst { a b c }` (`-top-` for the top process), named inside it; then,
    /// when the top process has rules, its `bool` ports at `level` (`-top- port:{ a b }`),
    /// as actsim prints its primary inputs and outputs.
    fn status(&mut self, level: Level) -> Result<(), DriverError> {
        let running = self.running()?;
        let (driven, top_ports) = (running.driven_at(level), running.top_ports_at(level));
        for (instance, names) in driven {
            let instance = if instance.is_empty() {
                "-top-"
            } else {
                &instance
            };
            let _ = writeln!(self.out, "{instance} {{ {} }}", names.join(" "));
        }
        if let Some(ports) = top_ports.filter(|p| !p.is_empty()) {
            let _ = writeln!(self.out, "-top- port:{{ {} }}", ports.join(" "));
        }
        Ok(())
    }
}

/// Whether ACT's reader of a command's names (`ActId::parseId`) takes `name`: the parts
/// between dots (after a namespace's `::`) are read as they are, except that an index must be
/// `[` digits `]`, one after another up to the part's end (`x[1][2]`, not `x[i]`, `x[1` or
/// `x[1]y`).
pub(super) fn reads_as_identifier(name: &str) -> bool {
    let path = name.rsplit_once("::").map_or(name, |(_, rest)| rest);
    path.split('.').all(|part| {
        let Some(at) = part.find('[') else {
            return true;
        };
        let mut indices = &part[at..];
        while let Some(rest) = indices.strip_prefix('[') {
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            match rest[digits..].strip_prefix(']') {
                Some(after) => indices = after,
                None => return false,
            }
        }
        indices.is_empty()
    })
}
