//! What actsim prints while it runs, and what its commands ask of the run as it goes: log lines
//! (through `filter` and into `logfile`), `watch` lines for channels (`C: recv-blocked`,
//! `C : send-blocked value: 18 (0x12)`, `C: recv-wakeup value: 18 (0x12)   [by s]`), variables
//! (`c.x := 5 (0x5)`, and `c.x := 5 (0x5)   [by s]` when a receive that waited stores it) and
//! nodes (`r.x[5] := 1`), channels between CHP and circuits (`C : send-blocked`, `C : send`,
//! `C: recv value: 18 (0x12)`), breakpoints (`*** breakpoint x`, which pause the run),
//! `break-on-warn`, and the per-channel state and counts that `get` and `chcount` read.
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::rc::Rc;

use num_bigint::BigUint;

use super::trace::Sample;
use crate::kernel::{
    ChanId, Ctx, EndReport, Event, Level, LogKind, MethodStep, NodeChange, NodeId, Observer,
    ProcId, Registry, Time, TraceValue, VarId, Waiter,
};

/// Something a name can watch, as the run reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Channel(ChanId),
    /// A channel between a CHP end and a circuit, by its number (see
    /// [`Registry::wired_channels`]).
    Wired(u32),
    Variable(VarId),
    Node(NodeId),
}

/// What a warning (`warn(...)`, a circuit's warning) does: actsim's `resume-on-warn`,
/// `break-on-warn`, `exit-on-warn`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum OnWarning {
    #[default]
    Resume,
    Break,
    Exit,
}

/// A variable's or node's last value, to print only changes (as actsim).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Last {
    X,
    Bit(bool),
    Int(BigUint),
}

/// What the session and the observer share.
#[derive(Default)]
pub(crate) struct MonitorState {
    /// Every name of every channel, variable and node (filled when the run starts).
    names: HashMap<String, Key>,
    /// Watched things, under the name last given to them.
    watched: HashMap<Key, String>,
    breakpoints: HashMap<Key, String>,
    /// `filter`: only log lines of instances whose name matches are shown.
    pub filter: Option<regex_lite::Regex>,
    /// `logfile`: where log lines go instead of stdout.
    pub log_file: Option<Box<dyn Write>>,
    pub on_warning: OnWarning,
    /// Set when a warning asks to exit (`exit-on-warn`): the exit code, 2 for a process's
    /// `warn`, 1 for the circuit's warnings (actsim's codes). Nothing more is printed then:
    /// actsim exits as it prints the warning.
    pub exit_requested: Option<u8>,
    /// While a command writes (`set`): its own line replaces the watch line.
    pub quiet: bool,
    /// While the reset phase runs, before the first command as actsim runs it: no watch
    /// line and no breakpoint yet.
    pub in_reset_phase: bool,
    /// Per channel: handshakes completed (`chcount`).
    counts: Vec<u64>,
    /// Per channel between CHP and a circuit: sends completed (`chcount`; actsim counts the
    /// sending end's finished methods, `X!+` and `X!-` each).
    wired_counts: Vec<u64>,
    /// Per channel: who waits on it now (`get`).
    waiting: Vec<Option<Waiter>>,
    /// Channels whose receiver waits for its sender: their handshake wakes it up.
    receiver_blocked: HashSet<ChanId>,
    /// Channels whose sender waits for its receiver.
    sender_blocked: HashSet<ChanId>,
    /// Per variable: its last value (variables start as the registry says).
    last: Vec<Last>,
    /// Per variable: its process's name, for its watch line, and the process.
    var_process: Vec<String>,
    var_owner: Vec<ProcId>,
    /// Per channel: the line of the party its last handshake woke, printed when that party
    /// goes on in its own event (actsim's `recv-wakeup` and `send complete`).
    woken_lines: HashMap<ChanId, WokenLine>,
    /// Per exchange channel: the sender's line, printed once it has stored the reply (actsim
    /// prints the reply's watch line first), with its time and the sender's name.
    after_reply: HashMap<ChanId, (Time, String, String)>,
    /// Per channel: actsim's channel data, which a receiver that `skip-comm` moves on shows:
    /// the value its last handshake handed to a receiver that waited, or the reply of an
    /// exchange's receiver that found the sender waiting (actsim keeps both in one place),
    /// whichever came last; 0 at first.
    handed: HashMap<ChanId, String>,
    /// The exchange channels whose receiver found the sender waiting in the last handshake:
    /// the reply, once stored, is the channel's data (see [`MonitorState::handed`]).
    reply_handed: HashSet<ChanId>,
    /// The process that just went on after a handshake, the other party's name, and the
    /// kernel's event it goes on in: the writes it makes in that event are that party's doing
    /// (actsim's `[by p]`, the cause of the woken event); its later events have no cause.
    woken_by: Option<(ProcId, String, u64)>,
    /// Per variable: whether it is a bool (shown 0, 1 or X).
    var_is_bool: Vec<bool>,
    /// Per variable: the one that stands for it, the first of its copies when processes
    /// share it (see [`MonitorState::join_copies`]), else itself.
    var_canonical: Vec<VarId>,
    /// Per channel: the width of its data.
    channel_widths: Vec<u32>,
    /// `vcd_start`: the VCD file of watched things being written.
    pub vcd: Option<super::trace::VcdTrace>,
}

/// The watch line of a party that a handshake woke (see [`MonitorState::woken_lines`]).
struct WokenLine {
    party: Waiter,
    /// The line, with `\u{0}` for the channel's name.
    text: String,
    /// The party that woke it; none for `skip-comm`'s.
    by: Option<String>,
    /// An exchange's sender: its line waits for the reply to be stored.
    after_reply: bool,
    /// A send that `skip-comm` moved on: it counts as a handshake when it goes on.
    counts: bool,
}

/// The shared state (see [`MonitorState`]).
pub(crate) type Shared = Rc<RefCell<MonitorState>>;

impl MonitorState {
    /// What `name` stands for, once the run has started.
    pub(crate) fn key(&self, name: &str) -> Option<Key> {
        self.names.get(name).copied()
    }

    /// Makes the copies of each shared variable one thing, as they are one place in actsim:
    /// watched (or a breakpoint) under the name last given, and a write prints one line, by
    /// the writer (its copy changes first; the others then hold the value already).
    pub(crate) fn join_copies(&mut self, groups: &[Vec<VarId>]) {
        for group in groups {
            for &copy in group {
                self.var_canonical[copy.index()] = group[0];
            }
        }
        for key in self.names.values_mut() {
            if let Key::Variable(id) = key {
                *id = self.var_canonical[id.index()];
            }
        }
    }

    pub(crate) fn watch(&mut self, key: Key, name: &str) {
        self.watched.insert(key, name.to_string());
    }

    pub(crate) fn unwatch(&mut self, key: Key) {
        self.watched.remove(&key);
    }

    /// Everything watched, with the name it is watched under, in the order of the names.
    pub(crate) fn watched_list(&self) -> Vec<(Key, String)> {
        let mut list: Vec<(Key, String)> = (self.watched.iter())
            .map(|(k, n)| (*k, n.clone()))
            .collect();
        list.sort_by(|a, b| a.1.cmp(&b.1));
        list
    }

    /// The width of the data `channel` carries.
    pub(crate) fn channel_width(&self, channel: ChanId) -> u32 {
        self.channel_widths
            .get(channel.index())
            .copied()
            .unwrap_or(1)
    }

    /// Records a change in the VCD file, if one is being written.
    fn trace(&mut self, key: Key, time: Time, sample: &Sample) -> io::Result<()> {
        match &mut self.vcd {
            Some(vcd) => vcd.change(key, time, sample),
            None => Ok(()),
        }
    }

    /// The name `key` is watched under, if it is.
    pub(crate) fn watched_as(&self, key: Key) -> Option<&str> {
        self.watched.get(&key).map(String::as_str)
    }

    /// actsim's `break`: sets a breakpoint, or removes the one there is.
    pub(crate) fn toggle_breakpoint(&mut self, key: Key, name: &str) {
        if self.breakpoints.remove(&key).is_none() {
            self.breakpoints.insert(key, name.to_string());
        }
    }

    /// actsim's `skip-comm`: the `party` waiting on `channel` goes on without its
    /// communication. When it does, it prints its watch line as if a handshake had woken it,
    /// with no cause: a sender `send complete`, and it counts as a handshake (`chcount`); a
    /// receiver `recv-wakeup` with the value last handed to a waiting receiver.
    pub(crate) fn skip(&mut self, channel: ChanId, party: Waiter) {
        self.receiver_blocked.remove(&channel);
        self.sender_blocked.remove(&channel);
        let text = match party {
            Waiter::Sender => "\u{0} : send complete".to_string(),
            _ => {
                let value = self.handed.get(&channel).map_or("0 (0x0)", String::as_str);
                format!("\u{0}: recv-wakeup value: {value}")
            }
        };
        let line = WokenLine {
            party,
            text,
            by: None,
            after_reply: false,
            counts: party == Waiter::Sender,
        };
        self.woken_lines.insert(channel, line);
    }

    /// Handshakes completed on `channel`.
    pub(crate) fn count(&self, channel: ChanId) -> u64 {
        self.counts.get(channel.index()).copied().unwrap_or(0)
    }

    /// Sends completed on channel `channel` between CHP and a circuit.
    pub(crate) fn wired_count(&self, channel: u32) -> u64 {
        self.wired_counts
            .get(channel as usize)
            .copied()
            .unwrap_or(0)
    }

    /// Who waits on `channel` now.
    pub(crate) fn waiting(&self, channel: ChanId) -> Option<Waiter> {
        self.waiting.get(channel.index()).copied().flatten()
    }

    /// Every name known, for the prompt's completion.
    pub(crate) fn all_names(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }

    fn shows_log_of(&self, process: &str) -> bool {
        self.filter.as_ref().is_none_or(|re| re.is_match(process))
    }
}

/// The observer: prints to `out` (stdout) and pauses the run at breakpoints; prints
/// `warn(...)` and the library's messages to `warnings` (stderr), if given.
pub(crate) struct Monitor {
    state: Shared,
    out: Box<dyn Write>,
    warnings: Option<Box<dyn Write>>,
    ctx: Ctx,
}

impl Monitor {
    pub(crate) fn new(
        state: Shared,
        out: Box<dyn Write>,
        warnings: Option<Box<dyn Write>>,
        ctx: Ctx,
    ) -> Self {
        Self {
            state,
            out,
            warnings,
            ctx,
        }
    }

    fn line(&mut self, time: Time, process: &str, text: &str) -> io::Result<()> {
        writeln!(self.out, "[{time:>20}] <{process}>  {text}")
    }

    /// Prints the watch line of `key` (if watched) and stops at its breakpoint (if any).
    fn report(&mut self, key: Key, time: Time, process: &str, text: &str) -> io::Result<()> {
        self.report_send(key, time, process, text, false)
    }

    /// [`Self::report`]; a watched `send` line (`send_side`) also queues actsim's delayed
    /// trace event, one tick later, which actsim's `step` counts.
    fn report_send(
        &mut self,
        key: Key,
        time: Time,
        process: &str,
        text: &str,
        send_side: bool,
    ) -> io::Result<()> {
        let state = self.state.borrow();
        if state.in_reset_phase {
            return Ok(());
        }
        let (watched, breakpoint) = (
            state.watched.get(&key).cloned(),
            state.breakpoints.get(&key).cloned(),
        );
        let quiet = state.quiet;
        drop(state);
        if let Some(name) = watched {
            if send_side {
                self.ctx.trace_tick();
            }
            if !quiet {
                self.line(time, process, &text.replace('\u{0}', &name))?;
            }
        }
        if let Some(name) = breakpoint {
            self.line(time, process, &format!("*** breakpoint {name}"))?;
            self.ctx.pause();
        }
        Ok(())
    }

    /// actsim's `   [by p]` for a write `process` makes now: `p` woke it in this event.
    fn woken_cause(&self, state: &MonitorState, process: ProcId) -> String {
        match &state.woken_by {
            Some((woken, by, event)) if *woken == process && *event == self.ctx.event_count() => {
                format!("   [by {by}]")
            }
            _ => String::new(),
        }
    }

    fn log(&mut self, registry: &Registry, event: &Event<'_>) -> io::Result<()> {
        let Event::Log {
            time,
            process,
            kind,
            text,
            unfiltered,
        } = *event
        else {
            return Ok(());
        };
        let name = registry.process(process);
        let mut state = self.state.borrow_mut();
        if kind == LogKind::Library {
            if let Some(warnings) = &mut self.warnings {
                writeln!(warnings, "{text}")?;
            }
            return Ok(());
        }
        if kind == LogKind::Warn {
            // As actsim: a warning of a process `filter` hides neither prints nor stops.
            if !unfiltered && !state.shows_log_of(name) {
                return Ok(());
            }
            if let Some(warnings) = &mut self.warnings {
                writeln!(warnings, "WARNING: {text}")?;
            }
            // A function's warning (actsim's function evaluation) never stops the run.
            if unfiltered {
                return Ok(());
            }
            match state.on_warning {
                OnWarning::Resume => {}
                OnWarning::Break => self.ctx.pause(),
                OnWarning::Exit => {
                    state.exit_requested = Some(2);
                    self.ctx.pause();
                }
            }
            return Ok(());
        }
        if !unfiltered && !state.shows_log_of(name) {
            return Ok(());
        }
        // A failed assertion: actsim exits under `exit-on-warn` as it prints the line;
        // otherwise the run pauses (the process asks for that).
        if kind == LogKind::Assertion && state.on_warning == OnWarning::Exit {
            state.exit_requested = Some(2);
            self.ctx.pause();
        }
        // actsim's log file takes the lines its log stream writes, not those its CHP model
        // of a channel's methods prints on stdout.
        let out: &mut dyn Write = match &mut state.log_file {
            Some(file) if kind != LogKind::Model => file,
            _ => &mut self.out,
        };
        let prefix = |out: &mut dyn Write| write!(out, "[{time:>20}] <{name}>  ");
        match kind {
            LogKind::Line | LogKind::Assertion | LogKind::Violation | LogKind::Model => {
                prefix(out).and_then(|()| writeln!(out, "{text}"))
            }
            LogKind::Start => prefix(out),
            LogKind::Part => out.write_all(text.as_bytes()),
            LogKind::End => out.write_all(b"\n"),
            _ => Ok(()),
        }
    }
}

/// actsim's `18 (0x12)`.
pub(crate) fn shown_value(value: &TraceValue<'_>) -> String {
    let hex = match value {
        TraceValue::None => return "0 (0x0)".into(),
        TraceValue::Bool(b) => format!("{:x}", u8::from(*b)),
        TraceValue::Uint(v) => format!("{v:x}"),
        TraceValue::Int(v) => format!("{v:x}"),
        TraceValue::Bits(v) => format!("{v:x}"),
        TraceValue::Wide(v) => format!("{v:x}"),
    };
    format!("{value} (0x{hex})")
}

fn last_of(value: &TraceValue<'_>, is_bool: bool) -> Last {
    match value {
        TraceValue::None => Last::X,
        TraceValue::Bool(b) if is_bool => Last::Bit(*b),
        TraceValue::Uint(v) if is_bool => Last::Bit(*v != 0),
        TraceValue::Bool(b) => Last::Int(BigUint::from(u8::from(*b))),
        TraceValue::Uint(v) => Last::Int(BigUint::from(*v)),
        TraceValue::Int(v) => Last::Int(BigUint::from(*v as u64)),
        TraceValue::Bits(v) => Last::Int(BigUint::from(*v)),
        TraceValue::Wide(v) => Last::Int((*v).clone()),
    }
}

/// The instance a node belongs to: its name up to the last dot.
fn node_instance(name: &str) -> &str {
    name.rsplit_once('.').map_or("", |(inst, _)| inst)
}

impl Observer for Monitor {
    fn wants_waits(&self) -> bool {
        true
    }

    fn hides_log_of(&self, registry: &Registry, process: ProcId) -> bool {
        !self.state.borrow().shows_log_of(registry.process(process))
    }

    fn start(&mut self, registry: &Registry) -> io::Result<()> {
        let mut state = self.state.borrow_mut();
        let state = &mut *state;
        for (id, info) in registry.channels() {
            for name in info.names() {
                state
                    .names
                    .entry(name.to_string())
                    .or_insert(Key::Channel(id));
            }
        }
        state.counts = vec![0; registry.channel_count()];
        for (id, names) in registry.wired_channels() {
            for name in names {
                state.names.entry(name.clone()).or_insert(Key::Wired(id));
            }
        }
        state.wired_counts = vec![0; registry.wired_channels().len()];
        state.channel_widths = registry.channels().map(|(_, info)| info.width).collect();
        state.waiting = vec![None; registry.channel_count()];
        for (id, info) in registry.variables() {
            let process = registry.process(info.process);
            let name = crate::sim::inspect::full_name(process, &info.name);
            state.names.entry(name).or_insert(Key::Variable(id));
            state.last.push(match info.initial {
                None => Last::X,
                Some(v) if info.is_bool => Last::Bit(v != 0),
                Some(v) => Last::Int(BigUint::from(v)),
            });
            state.var_process.push(process.to_string());
            state.var_owner.push(info.process);
            state.var_is_bool.push(info.is_bool);
            state.var_canonical.push(id);
        }
        // A bool that is a node is the node, also where a process's CHP holds a copy of it
        // (actsim has one bool): its rules' transitions, X included, are its watch lines.
        for (id, name) in registry.nodes() {
            state.names.insert(name.to_string(), Key::Node(id));
        }
        Ok(())
    }

    fn event(&mut self, registry: &Registry, event: &Event<'_>) -> io::Result<()> {
        if self.state.borrow().exit_requested.is_some() {
            return Ok(()); // actsim has exited
        }
        match *event {
            Event::Log { .. } => self.log(registry, event)?,
            Event::CircuitWarning { in_transition, .. } => {
                // As actsim's prssim: `exit-on-warn` exits (code 1); `break-on-warn` stops the
                // run after the event of a transition whose firing warned (a write by a
                // process or a command that makes a gate warn stops nothing).
                let mut state = self.state.borrow_mut();
                match state.on_warning {
                    OnWarning::Resume => {}
                    OnWarning::Break => {
                        if in_transition {
                            self.ctx.pause();
                        }
                    }
                    OnWarning::Exit => {
                        state.exit_requested = Some(1);
                        self.ctx.pause();
                    }
                }
            }
            Event::Wait {
                time,
                channel,
                party,
                process,
                waiting,
                offered,
            } => {
                let mut state = self.state.borrow_mut();
                if let Some(slot) = state.waiting.get_mut(channel.index()) {
                    *slot = waiting.then_some(party);
                }
                if !waiting {
                    return Ok(());
                }
                let text = match party {
                    Waiter::Receiver => {
                        state.receiver_blocked.insert(channel);
                        "\u{0}: recv-blocked".to_string()
                    }
                    Waiter::Sender => {
                        state.sender_blocked.insert(channel);
                        format!("\u{0} : send-blocked value: {}", shown_value(&offered))
                    }
                    _ => return Ok(()),
                };
                drop(state);
                let name = registry.process(process).to_owned();
                let send_side = party == Waiter::Sender;
                self.report_send(Key::Channel(channel), time, &name, &text, send_side)?;
            }
            Event::Handshake {
                time,
                channel,
                sender,
                receiver,
                value,
                exchange,
            } => {
                let mut state = self.state.borrow_mut();
                if let Some(count) = state.counts.get_mut(channel.index()) {
                    *count += 1;
                }
                let carried = match last_of(&value, false) {
                    Last::Int(v) => Sample::Int(v),
                    _ => Sample::Unknown,
                };
                state.trace(Key::Channel(channel), time, &carried)?;
                let woken = state.receiver_blocked.remove(&channel);
                state.sender_blocked.remove(&channel);
                let value = shown_value(&value);
                if woken {
                    state.handed.insert(channel, value.clone());
                } else if exchange {
                    state.reply_handed.insert(channel);
                }
                drop(state);
                let (sender, receiver) = (
                    registry.process(sender).to_owned(),
                    registry.process(receiver).to_owned(),
                );
                let key = Key::Channel(channel);
                // The party that arrived prints now; the one it woke when it goes on.
                let woken_line = if woken {
                    let send = format!("\u{0} : send value: {value}");
                    let text = format!("\u{0}: recv-wakeup value: {value}   [by {sender}]");
                    if exchange {
                        let line = (time, sender.clone(), send);
                        self.state.borrow_mut().after_reply.insert(channel, line);
                    } else {
                        self.report_send(key, time, &sender, &send, true)?;
                    }
                    WokenLine {
                        party: Waiter::Receiver,
                        text,
                        by: Some(sender),
                        after_reply: false,
                        counts: false,
                    }
                } else {
                    let recv = format!("\u{0}: recv value: {value}");
                    self.report(key, time, &receiver, &recv)?;
                    WokenLine {
                        party: Waiter::Sender,
                        text: format!("\u{0} : send complete   [by {receiver}]"),
                        by: Some(receiver),
                        after_reply: exchange,
                        counts: false,
                    }
                };
                let mut state = self.state.borrow_mut();
                state.woken_lines.insert(channel, woken_line);
            }
            Event::Resumed {
                time,
                channel,
                party,
                process,
            } => {
                let mut state = self.state.borrow_mut();
                if state.woken_lines.get(&channel).map(|line| line.party) != Some(party) {
                    return Ok(());
                }
                let Some(line) = state.woken_lines.remove(&channel) else {
                    return Ok(());
                };
                let event = self.ctx.event_count();
                state.woken_by = line.by.map(|by| (process, by, event));
                if line.counts {
                    if let Some(count) = state.counts.get_mut(channel.index()) {
                        *count += 1;
                    }
                }
                let name = registry.process(process).to_owned();
                if line.after_reply {
                    state.after_reply.insert(channel, (time, name, line.text));
                    return Ok(());
                }
                drop(state);
                let send_side = party == Waiter::Sender;
                self.report_send(Key::Channel(channel), time, &name, &line.text, send_side)?;
            }
            Event::Method {
                time,
                channel,
                process,
                party,
                step,
            } => {
                let sends = party == Waiter::Sender;
                // As actsim's: no value on the sending side (its data is in fragments).
                let text = match (sends, step) {
                    (true, MethodStep::Blocked) => "\u{0} : send-blocked".to_string(),
                    (true, MethodStep::Done { after_blocking, .. }) => {
                        if let Some(count) = self
                            .state
                            .borrow_mut()
                            .wired_counts
                            .get_mut(channel as usize)
                        {
                            *count += 1;
                        }
                        match after_blocking {
                            false => "\u{0} : send".to_string(),
                            true => "\u{0} : send complete".to_string(),
                        }
                    }
                    (false, MethodStep::Blocked) => "\u{0}: recv-blocked".to_string(),
                    (
                        false,
                        MethodStep::Done {
                            after_blocking,
                            value,
                        },
                    ) => {
                        let wakeup = if after_blocking { "-wakeup" } else { "" };
                        format!("\u{0}: recv{wakeup} value: {}", shown_value(&value))
                    }
                };
                let name = registry.process(process).to_owned();
                self.report_send(Key::Wired(channel), time, &name, &text, sends)?;
            }
            Event::Replied { channel, value, .. } => {
                let mut state = self.state.borrow_mut();
                if state.reply_handed.remove(&channel) {
                    state.handed.insert(channel, shown_value(&value));
                }
                let line = state.after_reply.remove(&channel);
                drop(state);
                if let Some((time, name, text)) = line {
                    self.report_send(Key::Channel(channel), time, &name, &text, true)?;
                }
            }
            Event::Variable {
                time,
                variable,
                value,
            } => {
                let mut state = self.state.borrow_mut();
                let is_bool = state.var_is_bool.get(variable.index()) == Some(&true);
                let new = last_of(&value, is_bool);
                let cause = match state.var_owner.get(variable.index()) {
                    Some(&owner) => self.woken_cause(&state, owner),
                    None => String::new(),
                };
                let Some(&canonical) = state.var_canonical.get(variable.index()) else {
                    return Ok(());
                };
                let old = &mut state.last[canonical.index()];
                if *old == new {
                    return Ok(());
                }
                *old = new.clone();
                let sample = match &new {
                    Last::X => Sample::Bit(None),
                    Last::Bit(b) => Sample::Bit(Some(*b)),
                    Last::Int(v) => Sample::Int(v.clone()),
                };
                state.trace(Key::Variable(canonical), time, &sample)?;
                let process = state.var_process[variable.index()].clone();
                drop(state);
                let text = match new {
                    Last::X => format!("\u{0} := X{cause}"),
                    Last::Bit(b) => format!("\u{0} := {}{cause}", u8::from(b)),
                    Last::Int(v) => format!("\u{0} := {v} (0x{v:x}){cause}"),
                };
                self.report(Key::Variable(canonical), time, &process, &text)?;
            }
            Event::Node {
                time,
                node,
                value,
                by,
            } => {
                let bit = match value {
                    Level::Zero => Some(false),
                    Level::One => Some(true),
                    Level::X => None,
                };
                let mut state = self.state.borrow_mut();
                state.trace(Key::Node(node), time, &Sample::Bit(bit))?;
                // Printed as actsim prints it: by the rules' instance, with the cause of a
                // node going X after a warning; by the process that wrote it, with the cause
                // of its event, as its variables' lines; by a channel's method under the
                // channel's name, with no cause and a space more (`<x>   x.d := 1`).
                let (instance, cause) = match by {
                    NodeChange::Method { channel } => (channel.to_owned(), String::new()),
                    NodeChange::Rule { instance, cause } => (
                        instance.to_owned(),
                        cause.map_or_else(String::new, |c| format!("   [by {c}]")),
                    ),
                    NodeChange::Process(process) => (
                        registry.process(process).to_owned(),
                        self.woken_cause(&state, process),
                    ),
                    _ => (node_instance(registry.node(node)).to_owned(), String::new()),
                };
                drop(state);
                let lead = if matches!(by, NodeChange::Method { .. }) {
                    " "
                } else {
                    ""
                };
                let text = format!("{lead}\u{0} := {}{cause}", value.symbol());
                self.report(Key::Node(node), time, &instance, &text)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn finish(&mut self, _: &Registry, _: &EndReport) -> io::Result<()> {
        if let Some(file) = &mut self.state.borrow_mut().log_file {
            file.flush()?;
        }
        if let Some(warnings) = &mut self.warnings {
            warnings.flush()?;
        }
        self.out.flush()
    }
}
