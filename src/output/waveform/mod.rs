//! The waveform of a run, whatever the file format: which signals there are, where they sit in
//! the hierarchy, and how the kernel's events become value changes. [`super::vcd`] and
//! [`super::fst`] only write them down (the [`Backend`]s).
//!
//! # Hierarchy
//! Scopes mirror the instance hierarchy. With a top given by `--top` (whose instance path is
//! empty) every path is put under a root scope named after that process
//! ([`WaveOptions::root`]), so the top's own channels and variables have a home too. A path
//! with no scope part at all (a library channel named `R`) goes in [`ROOT_SCOPE`].
//! Paths are split on dots outside brackets: `top.b[3].R` gives scopes `top` and `b[3]`.
//! Scopes are merged; the items of a scope come in the order they are first named.
//!
//! A channel is declared at each of its names ([`ChannelInfo::names`]): its own name, both
//! ends, and each port it passes through. Every declaration is an alias of the same signals
//! (one VCD id code, one FST handle): `b[2].R` and `b[3].L` are the same wire.
//!
//! # Signals
//! Per channel, named after the last part of each name, say `R`:
//! - `R`: the data, as wide as the channel (none for a dataless channel); X until the first
//!   handshake;
//! - `R_hs`: flips on every handshake, so a value sent twice still shows twice; starts at 0;
//! - `R_wait`: two bits saying who waits on the channel ([`WAIT_CODES`]): `00` nobody, `01` the
//!   sender (the receiver is late), `10` the receiver (the sender is late), `11` a guard
//!   probing the channel. A stall is a stretch where it is not `00`.
//!
//! With variables registered (`--vcd-vars`), each is declared in its process's scope, as wide
//! as its type, starting at its initial value (X for a `bool` never written); each part of a
//! dotted name before its last dot is a scope of its own: a record's field `p.at.row` is
//! `row` in scope `at` in scope `p`. Every circuit node (production rules) is a 1-bit signal
//! at its path (`top.r.x[5]` is `x[5]` in scope `r`), X until it is first driven, declared
//! again at each of its other names (`top.r.g[5].a`: the port of an instance joined to it).
//!
//! # Time
//! Changes come in time order; a timestamp is written before the first change at a later time,
//! and the end of the run gets a final timestamp. Who waits is settled per instant: a party
//! that starts waiting and is served at the same time shows no wait at all.
//!
//! [`ChannelInfo::names`]: crate::kernel::ChannelInfo::names
mod bits;
mod scope;
mod timescale;

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io;

use vcd::TimescaleUnit;

use crate::kernel::{
    ChanId, EndReason, EndReport, Event, Level, Observer, Registry, Time, TraceValue, Waiter,
};
use bits::push_bits;
use scope::ScopeTree;
pub use timescale::{parse_timescale, TimescaleError};

/// The scope holding names that have no scope part (e.g. `R` rather than `top.src.R`) when no
/// root is given. Not a valid CHP identifier, so it never collides with an instance name; it
/// echoes ACT's `<>` for the top process.
pub const ROOT_SCOPE: &str = "<top>";

/// The one signal of a waveform that would have none (a design without channels, run without
/// `--vcd-vars`), always 0: a waveform with no signal cannot be opened in GTKWave.
pub const NO_SIGNALS: &str = "no_channels_or_variables";

/// The suffix of a channel's handshake toggle: `R` has `R_hs`.
pub const TOGGLE_SUFFIX: &str = "_hs";

/// The suffix of a channel's wait state: `R` has `R_wait`.
pub const WAIT_SUFFIX: &str = "_wait";

/// The values of a wait-state signal: nobody, the sender, the receiver, a probe waits.
pub const WAIT_CODES: [&[u8; 2]; 4] = [b"00", b"01", b"10", b"11"];

/// How the waveform is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaveOptions {
    /// The duration of one tick. Default `(1, NS)`: 1 tick = 1 ns.
    pub timescale: (u32, TimescaleUnit),
    /// The scope every path is put under (the name of a top given by `--top`).
    pub root: Option<String>,
}

impl Default for WaveOptions {
    fn default() -> Self {
        Self {
            timescale: (1, TimescaleUnit::NS),
            root: None,
        }
    }
}

/// A waveform file format. Signals are numbered from 0 by the caller; each is declared at least
/// once (later declarations are aliases) before its first change.
pub trait Backend {
    /// Starts the file (header and timescale).
    fn begin(&mut self, timescale: (u32, TimescaleUnit)) -> io::Result<()>;
    /// Opens a scope inside the current one.
    fn scope(&mut self, name: &str) -> io::Result<()>;
    /// Closes the current scope.
    fn upscope(&mut self) -> io::Result<()>;
    /// Declares `name` in the current scope as signal `signal`, `width` bits wide.
    fn var(&mut self, name: &str, signal: u32, width: u32) -> io::Result<()>;
    /// Ends the declarations; the initial values (at time 0) follow, then [`Backend::end_initial`].
    fn end_definitions(&mut self) -> io::Result<()>;
    /// Ends the initial values.
    fn end_initial(&mut self) -> io::Result<()>;
    /// The changes that follow happen at `time` (later than any before).
    fn time(&mut self, time: Time) -> io::Result<()>;
    /// Signal `signal` takes the value `bits` (`0`/`1`/`x`, exactly its width, most
    /// significant first).
    fn change(&mut self, signal: u32, bits: &[u8]) -> io::Result<()>;
    /// Ends the file; `interrupted` at the last time given.
    fn finish(&mut self, interrupted: Option<Time>) -> io::Result<()>;
}

/// No signal (a dataless channel's data, a 0-bit variable).
const NONE: u32 = u32::MAX;

/// The signals of one channel.
#[derive(Clone, Copy)]
struct ChanSignals {
    data: u32,
    width: u32,
    toggle: u32,
    wait: u32,
}

/// What the waveform knows of a channel during the run.
#[derive(Clone, Copy, Default)]
struct ChanState {
    toggle: bool,
    sender: bool,
    receiver: bool,
    probes: u32,
    /// The wait code last written.
    shown: u8,
    dirty: bool,
}

impl ChanState {
    fn wait_code(&self) -> u8 {
        if self.sender {
            1
        } else if self.receiver {
            2
        } else if self.probes > 0 {
            3
        } else {
            0
        }
    }
}

/// A wait that starts or ends later than the last event seen (a library party registered
/// ahead of its event): applied when the waveform gets there.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct PendingWait {
    time: Time,
    /// Arrival order, so that waits at the same time apply in the order they were told.
    seq: u64,
    channel: ChanId,
    party: u8,
    waiting: bool,
}

/// An [`Observer`] writing the waveform with a [`Backend`]. See the module docs.
pub struct WaveformWriter<B: Backend> {
    backend: B,
    options: WaveOptions,
    chan_signals: Vec<ChanSignals>,
    /// The signal and width of each registered variable.
    var_signals: Vec<(u32, u32)>,
    /// The signal of each circuit node (1 bit, X at first).
    node_signals: Vec<u32>,
    chans: Vec<ChanState>,
    dirty: Vec<ChanId>,
    pending: BinaryHeap<Reverse<PendingWait>>,
    seq: u64,
    /// The time of the last event seen, and the last timestamp written.
    now: Time,
    written: Time,
    scratch: Vec<u8>,
    started: bool,
}

impl<B: Backend + std::fmt::Debug> std::fmt::Debug for WaveformWriter<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WaveformWriter")
            .field("backend", &self.backend)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<B: Backend> WaveformWriter<B> {
    /// A writer with `backend`; the header is written when the run starts.
    pub fn with_backend(backend: B, options: WaveOptions) -> Self {
        Self {
            backend,
            options,
            chan_signals: Vec::new(),
            var_signals: Vec::new(),
            node_signals: Vec::new(),
            chans: Vec::new(),
            dirty: Vec::new(),
            pending: BinaryHeap::new(),
            seq: 0,
            now: 0,
            written: 0,
            scratch: Vec::with_capacity(256),
            started: false,
        }
    }

    /// Numbers the signals (per channel: data, toggle, wait; then the variables) and builds
    /// the scope tree that declares them.
    fn layout(&mut self, registry: &Registry) -> (ScopeTree, Vec<Initial>) {
        let mut initial = Vec::new();
        let mut next = |init: Initial| {
            initial.push(init);
            (initial.len() - 1) as u32
        };
        let mut tree = ScopeTree::new(self.options.root.clone());
        self.chan_signals = registry
            .channels()
            .map(|(_, info)| {
                let data = if info.width > 0 {
                    next(Initial::Unknown(info.width))
                } else {
                    NONE
                };
                let signals = ChanSignals {
                    data,
                    width: info.width,
                    toggle: next(Initial::Bits(b"0")),
                    wait: next(Initial::Bits(WAIT_CODES[0])),
                };
                for name in info.names() {
                    tree.add_channel(name, &signals);
                }
                signals
            })
            .collect();
        self.var_signals = registry
            .variables()
            .map(|(_, var)| {
                if var.width == 0 {
                    return (NONE, 0);
                }
                let signal = next(match var.initial {
                    Some(v) => Initial::Value(v, var.width),
                    None => Initial::Unknown(var.width),
                });
                tree.add_variable(registry.process(var.process), &var.name, signal, var.width);
                (signal, var.width)
            })
            .collect();
        self.node_signals = registry
            .nodes()
            .map(|(_, path)| {
                let signal = next(Initial::Unknown(1));
                tree.add_variable("", path, signal, 1);
                signal
            })
            .collect();
        for (node, path) in registry.node_aliases() {
            tree.add_variable("", path, self.node_signals[node.index()], 1);
        }
        let declared = !self.chan_signals.is_empty()
            || !self.node_signals.is_empty()
            || self.var_signals.iter().any(|&(signal, _)| signal != NONE);
        if !declared {
            // GTKWave refuses a waveform without signals (a design without channels, run
            // without --vcd-vars): this one says why there is nothing to see.
            let signal = next(Initial::Bits(b"0"));
            tree.add_variable("", NO_SIGNALS, signal, 1);
        }
        self.chans = vec![ChanState::default(); registry.channel_count()];
        (tree, initial)
    }

    fn write_initial(&mut self, initial: &[Initial]) -> io::Result<()> {
        for (signal, init) in initial.iter().enumerate() {
            let buf = &mut self.scratch;
            buf.clear();
            match *init {
                Initial::Unknown(width) => buf.resize(width as usize, b'x'),
                Initial::Bits(bits) => buf.extend_from_slice(bits),
                Initial::Value(v, width) => push_bits(buf, TraceValue::Uint(v), width),
            }
            self.backend.change(signal as u32, &self.scratch)?;
        }
        Ok(())
    }

    /// Writes the timestamp of `now` if nothing was written at it yet.
    fn stamp(&mut self) -> io::Result<()> {
        if self.now > self.written {
            self.written = self.now;
            self.backend.time(self.now)?;
        }
        Ok(())
    }

    /// Writes `scratch` as the new value of `signal`, at `now`.
    fn change(&mut self, signal: u32) -> io::Result<()> {
        self.stamp()?;
        self.backend.change(signal, &self.scratch)
    }

    /// Moves to `time`, applying the waits that start or end before or at it.
    fn advance(&mut self, time: Time) -> io::Result<()> {
        while let Some(&Reverse(p)) = self.pending.peek() {
            if p.time > time {
                break;
            }
            self.pending.pop();
            self.move_to(p.time)?;
            self.apply_wait(p.channel, p.party, p.waiting);
        }
        self.move_to(time)
    }

    fn move_to(&mut self, time: Time) -> io::Result<()> {
        if time > self.now {
            self.flush_waits()?;
            self.now = time;
        }
        Ok(())
    }

    /// Writes the wait states that changed at `now` (a wait that began and ended within the
    /// instant writes nothing).
    fn flush_waits(&mut self) -> io::Result<()> {
        for i in 0..self.dirty.len() {
            let channel = self.dirty[i].index();
            let state = &mut self.chans[channel];
            state.dirty = false;
            let code = state.wait_code();
            if code != state.shown {
                state.shown = code;
                self.scratch.clear();
                self.scratch.extend_from_slice(WAIT_CODES[code as usize]);
                self.change(self.chan_signals[channel].wait)?;
            }
        }
        self.dirty.clear();
        Ok(())
    }

    fn apply_wait(&mut self, channel: ChanId, party: u8, waiting: bool) {
        let Some(state) = self.chans.get_mut(channel.index()) else {
            return;
        };
        match party {
            PARTY_SENDER => state.sender = waiting,
            PARTY_RECEIVER => state.receiver = waiting,
            _ if waiting => state.probes += 1,
            _ => state.probes = state.probes.saturating_sub(1),
        }
        if !state.dirty {
            state.dirty = true;
            self.dirty.push(channel);
        }
    }

    fn handshake(&mut self, time: Time, channel: ChanId, value: TraceValue<'_>) -> io::Result<()> {
        self.advance(time)?;
        let Some(state) = self.chans.get_mut(channel.index()) else {
            return Ok(()); // registered after the header was written: not in the waveform
        };
        state.toggle = !state.toggle;
        let toggle = state.toggle;
        let signals = self.chan_signals[channel.index()];
        if signals.data != NONE {
            self.scratch.clear();
            push_bits(&mut self.scratch, value, signals.width);
            self.change(signals.data)?;
        }
        self.scratch.clear();
        self.scratch.push(if toggle { b'1' } else { b'0' });
        self.change(signals.toggle)
    }
}

const PARTY_SENDER: u8 = 0;
const PARTY_RECEIVER: u8 = 1;
const PARTY_PROBE: u8 = 2;

/// A signal's value at time 0.
enum Initial {
    Unknown(u32),
    Bits(&'static [u8]),
    Value(u64, u32),
}

impl<B: Backend> Observer for WaveformWriter<B> {
    fn start(&mut self, registry: &Registry) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let (mut tree, initial) = self.layout(registry);
        tree.make_names_unique();
        self.backend.begin(self.options.timescale)?;
        tree.declare(&mut self.backend)?;
        self.backend.end_definitions()?;
        self.write_initial(&initial)?;
        self.backend.end_initial()
    }

    fn event(&mut self, _registry: &Registry, event: &Event<'_>) -> io::Result<()> {
        match *event {
            Event::Handshake {
                time,
                channel,
                value,
                ..
            } => self.handshake(time, channel, value),
            Event::Wait {
                time,
                channel,
                party,
                waiting,
                ..
            } => {
                let party = match party {
                    Waiter::Sender => PARTY_SENDER,
                    Waiter::Receiver => PARTY_RECEIVER,
                    Waiter::SenderProbe | Waiter::ReceiverProbe => PARTY_PROBE,
                };
                if time > self.now {
                    self.seq += 1;
                    self.pending.push(Reverse(PendingWait {
                        time,
                        seq: self.seq,
                        channel,
                        party,
                        waiting,
                    }));
                } else {
                    self.apply_wait(channel, party, waiting);
                }
                Ok(())
            }
            Event::Variable {
                time,
                variable,
                value,
            } => {
                let Some(&(signal, width)) = self.var_signals.get(variable.index()) else {
                    return Ok(());
                };
                if signal == NONE {
                    return Ok(());
                }
                self.advance(time)?;
                self.scratch.clear();
                push_bits(&mut self.scratch, value, width);
                self.change(signal)
            }
            // The waits already say when a party stops waiting; a warning's line is a log's.
            Event::Resumed { .. }
            | Event::Replied { .. }
            | Event::Method { .. }
            | Event::CircuitWarning { .. } => Ok(()),
            Event::Node {
                time, node, value, ..
            } => {
                let Some(&signal) = self.node_signals.get(node.index()) else {
                    return Ok(());
                };
                self.advance(time)?;
                self.scratch.clear();
                self.scratch.push(match value {
                    Level::Zero => b'0',
                    Level::One => b'1',
                    Level::X => b'x',
                });
                self.change(signal)
            }
            Event::Log { .. } | Event::ProcessEnd { .. } | Event::Error { .. } => Ok(()),
        }
    }

    /// The wait states are made of [`Event::Wait`]s.
    fn wants_waits(&self) -> bool {
        true
    }

    fn finish(&mut self, _registry: &Registry, report: &EndReport) -> io::Result<()> {
        self.advance(report.time)?;
        self.flush_waits()?;
        self.stamp()?;
        let interrupted = (report.reason == EndReason::Interrupted).then_some(report.time);
        self.backend.finish(interrupted)
    }
}
