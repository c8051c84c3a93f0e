//! What the kernel tells the outside world: events, in time order, to observers.
//!
//! Observers (the transcript, the VCD writer, a test's recorder) see every handshake, log line,
//! process end and runtime error as it happens, and the end-of-run report last. With no observer
//! attached the kernel skips building events altogether.
use std::fmt;
use std::io;

use num_bigint::BigUint;

use super::{ChanId, ProcId, Time};

/// A value as observers see it, borrowed from the channel's payload.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TraceValue<'a> {
    /// A dataless channel (`X!`, `X?`).
    None,
    Bool(bool),
    Uint(u64),
    Wide(&'a BigUint),
}

impl fmt::Display for TraceValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraceValue::None => Ok(()),
            TraceValue::Bool(b) => write!(f, "{}", u8::from(*b)),
            TraceValue::Uint(v) => write!(f, "{v}"),
            TraceValue::Wide(v) => write!(f, "{v}"),
        }
    }
}

/// A type that can travel over a channel and be shown in a transcript or waveform.
pub trait Token: 'static {
    /// Bit width of the channel's data in the waveform (0 for dataless).
    const WIDTH: u32;
    fn trace(&self) -> TraceValue<'_>;
}

impl Token for () {
    const WIDTH: u32 = 0;
    fn trace(&self) -> TraceValue<'_> {
        TraceValue::None
    }
}

impl Token for bool {
    const WIDTH: u32 = 1;
    fn trace(&self) -> TraceValue<'_> {
        TraceValue::Bool(*self)
    }
}

macro_rules! uint_token {
    ($($t:ty),*) => {$(
        impl Token for $t {
            const WIDTH: u32 = <$t>::BITS;
            fn trace(&self) -> TraceValue<'_> {
                TraceValue::Uint(u64::from(*self))
            }
        }
    )*};
}
uint_token!(u8, u16, u32, u64);

/// The names behind the ids in events.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    pub channels: Vec<ChannelInfo>,
    pub processes: Vec<String>,
}

impl Registry {
    pub fn channel(&self, id: ChanId) -> &ChannelInfo {
        &self.channels[id as usize]
    }
    pub fn process(&self, id: ProcId) -> &str {
        &self.processes[id as usize]
    }
}

/// How a channel is named in outputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelInfo {
    /// The sending end, e.g. `top.src.R`.
    pub sender_end: String,
    /// The receiving end, e.g. `top.b[0].L`.
    pub receiver_end: String,
    /// Where the channel appears in the waveform hierarchy (dot-separated), e.g. `top.src.R`.
    pub path: String,
    /// Data width in bits; 0 for a dataless channel.
    pub width: u32,
}

impl ChannelInfo {
    /// A channel shown under its sending end, the usual place a designer looks for it.
    pub fn between(
        sender_end: impl Into<String>,
        receiver_end: impl Into<String>,
        width: u32,
    ) -> Self {
        let sender_end = sender_end.into();
        Self {
            path: sender_end.clone(),
            sender_end,
            receiver_end: receiver_end.into(),
            width,
        }
    }
}

/// One thing that happened during a run.
#[derive(Clone, Copy, Debug)]
pub enum Event<'a> {
    Handshake {
        time: Time,
        channel: ChanId,
        sender: ProcId,
        receiver: ProcId,
        value: TraceValue<'a>,
    },
    Log {
        time: Time,
        process: ProcId,
        kind: LogKind,
        text: &'a str,
    },
    ProcessEnd {
        time: Time,
        process: ProcId,
    },
    Error {
        time: Time,
        process: ProcId,
        message: &'a str,
    },
    /// A party starts (`waiting: true`) or stops waiting on a channel: a send or receive whose
    /// other party is not there yet, or a guard waiting for a party to arrive at the other end.
    /// Only sent when an observer asks for them ([`Observer::wants_waits`]); each start is
    /// followed by one stop for the same channel and party, unless the run ends first (then the
    /// party waits until the end). `time` is when the wait starts or stops: the current time
    /// for interpreted designs; a library party registers ahead of its event, so its start (and
    /// the stop of a wait that its arrival ends) may be stamped up to its latency ahead of the
    /// clock.
    Wait {
        time: Time,
        channel: ChanId,
        party: Waiter,
        /// The process the waiting task belongs to.
        process: ProcId,
        waiting: bool,
    },
}

/// Who waits on a channel (see [`Event::Wait`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Waiter {
    /// A send whose receiver has not arrived.
    Sender,
    /// A receive whose sender has not arrived.
    Receiver,
    /// A guard at the sending end, waiting for a receiver to arrive (it probes `#R`).
    SenderProbe,
    /// A guard at the receiving end, waiting for a sender to arrive (it probes `#L`).
    ReceiverProbe,
}

impl Waiter {
    /// Whether the party is at the channel's sending end.
    pub fn at_sender(self) -> bool {
        matches!(self, Waiter::Sender | Waiter::SenderProbe)
    }
}

/// Which of ACT's log statements printed a piece of log output. Log output is a stream, as in
/// actsim: `log` writes a whole line, the others write parts of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogKind {
    /// `log(...)`: the prefix (time, process), the text and a newline.
    Line,
    /// `log_st()`: the prefix only.
    Start,
    /// `log_p(...)`: the text only.
    Part,
    /// `log_nl()`: a newline only.
    End,
    /// `warn(...)`: a warning, for stderr rather than the log stream.
    Warn,
}

/// Why a run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndReason {
    /// No event was left.
    Idle,
    /// The `until` time was reached with events still pending.
    Until,
    /// The event budget ran out.
    MaxEvents,
    /// A process reported a runtime error.
    Failed,
    /// Stopped from outside (Ctrl-C): see [`super::Sim::interrupt_when`].
    Interrupted,
}

/// What a process still alive at the end is waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    Send(ChanId),
    Receive(ChanId),
    /// A guard that can only change when a probed channel changes.
    Guard,
    /// A guard waiting for a sender to arrive on a probed input (idle, like a receive).
    Probe,
    /// Parallel branches it started have not all finished.
    Join,
    Delay,
    /// Nothing the kernel knows of (the process awaits a foreign future).
    Other,
}

/// A task still alive at the end of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub process: ProcId,
    pub wait: Wait,
    /// Where the task is blocked, as set by its process (the interpreter uses a statement id).
    pub site: Option<u32>,
}

impl EndReport {
    /// One waiting task per process, in process order: the first that is not just waiting for
    /// its own parallel branches to finish.
    pub fn waiting_processes(&self) -> Vec<&Waiting> {
        let mut chosen: Vec<&Waiting> = Vec::new();
        let mut sorted: Vec<&Waiting> = self.waiting.iter().collect();
        sorted.sort_by_key(|w| w.process);
        for w in sorted {
            match chosen.last_mut() {
                Some(last) if last.process == w.process => {
                    if last.wait == Wait::Join && w.wait != Wait::Join {
                        *last = w;
                    }
                }
                _ => chosen.push(w),
            }
        }
        chosen
    }
}

/// The end-of-run report.
#[derive(Clone, Debug)]
pub struct EndReport {
    pub time: Time,
    pub reason: EndReason,
    pub handshakes: u64,
    pub events: u64,
    pub waiting: Vec<Waiting>,
}

/// Receives the events of a run.
pub trait Observer {
    /// Called once before the first event, with every channel and process known at that point.
    fn start(&mut self, _registry: &Registry) -> io::Result<()> {
        Ok(())
    }
    fn event(&mut self, registry: &Registry, event: &Event<'_>) -> io::Result<()>;
    /// Whether this observer wants [`Event::Wait`]: the kernel builds them only when some
    /// observer does, so they cost a run nothing otherwise.
    fn wants_waits(&self) -> bool {
        false
    }
    /// Called once at the end; flushes whatever the observer buffers.
    fn finish(&mut self, registry: &Registry, report: &EndReport) -> io::Result<()>;
}
