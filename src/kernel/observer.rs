//! What the kernel tells the outside world: events, in time order, to observers.
//!
//! Observers (the transcript, the VCD writer, a test's recorder) see every handshake, log line,
//! process end and runtime error as it happens, and the end-of-run report last. With no observer
//! attached the kernel skips building events altogether.
use std::fmt;
use std::io;

use num_bigint::BigUint;

pub use super::registry::{ChannelInfo, Registry, VariableInfo};
use super::{ChanId, NodeId, ProcId, Time, VarId};

/// A value as observers see it, borrowed from the channel's payload.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum TraceValue<'a> {
    /// A dataless channel (`X!`, `X?`).
    None,
    /// A `bool` (shown `0`/`1`).
    Bool(bool),
    /// An unsigned integer up to 64 bits.
    Uint(u64),
    /// A signed integer (the waveform shows its two's complement in the channel's width).
    Int(i64),
    /// Up to 128 bits: a `u128`, or fields packed by [`Packer`] (arrays, small structs).
    Bits(u128),
    /// An unsigned integer of any width (the interpreter's wide values).
    Wide(&'a BigUint),
}

impl fmt::Display for TraceValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraceValue::None => Ok(()),
            TraceValue::Bool(b) => write!(f, "{}", u8::from(*b)),
            TraceValue::Uint(v) => write!(f, "{v}"),
            TraceValue::Int(v) => write!(f, "{v}"),
            TraceValue::Bits(v) => write!(f, "{v}"),
            TraceValue::Wide(v) => write!(f, "{v}"),
        }
    }
}

/// A type that can travel over a channel and be shown in a transcript or waveform.
///
/// Implemented for `()` (a dataless channel), `bool`, the integers up to 64 bits, `u128`, and
/// arrays of tokens up to 128 bits in all. A small struct becomes a token with
/// [`token_struct!`](crate::token_struct), or by hand with a [`Packer`]:
///
/// ```
/// use chpsim::{Packer, Token, TraceValue};
///
/// struct Flit {
///     last: bool,
///     data: u8,
/// }
///
/// impl Token for Flit {
///     const WIDTH: u32 = bool::WIDTH + u8::WIDTH;
///     fn trace(&self) -> TraceValue<'_> {
///         Packer::new().field(&self.last).field(&self.data).finish()
///     }
/// }
///
/// let flit = Flit { last: true, data: 5 };
/// assert_eq!(flit.trace(), TraceValue::Bits(0x105));
/// ```
pub trait Token: 'static {
    /// Bit width of the channel's data in the waveform (0 for dataless).
    const WIDTH: u32;
    /// The value as observers see it.
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

macro_rules! int_token {
    ($variant:ident: $($t:ty),*) => {$(
        impl Token for $t {
            const WIDTH: u32 = <$t>::BITS;
            fn trace(&self) -> TraceValue<'_> {
                TraceValue::$variant((*self).into())
            }
        }
    )*};
}
int_token!(Uint: u8, u16, u32, u64);
int_token!(Int: i8, i16, i32, i64);
int_token!(Bits: u128);

/// Element 0 in the most significant bits, as the fields of a struct (see [`Packer`]).
impl<T: Token, const N: usize> Token for [T; N] {
    const WIDTH: u32 = {
        let width = T::WIDTH as u64 * N as u64;
        assert!(width <= 128, "a token array is at most 128 bits wide");
        width as u32
    };
    fn trace(&self) -> TraceValue<'_> {
        let _ = Self::WIDTH; // checks the width where the array is sent
        self.iter()
            .fold(Packer::new(), |packer, element| packer.field(element))
            .finish()
    }
}

/// Packs the values of a struct's fields (or an array's elements) into one [`TraceValue`] of up
/// to 128 bits, the first field in the most significant bits (as ACT's records, so the
/// waveform reads left to right in declaration order). Each field takes its type's
/// [`Token::WIDTH`]; a signed field is packed as its two's complement.
#[derive(Clone, Copy, Debug, Default)]
pub struct Packer {
    bits: u128,
    width: u32,
}

impl Packer {
    /// No field yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `value` below the fields already packed.
    ///
    /// # Panics
    /// When the fields come to more than 128 bits, or a field's value is wider than 128 bits.
    pub fn field<T: Token>(self, value: &T) -> Self {
        let width = self.width + T::WIDTH;
        assert!(width <= 128, "packed tokens are at most 128 bits wide");
        let mask = u128::MAX >> (128 - T::WIDTH.max(1));
        let bits = match value.trace() {
            TraceValue::None => 0,
            TraceValue::Bool(b) => u128::from(b),
            TraceValue::Uint(v) => u128::from(v),
            TraceValue::Int(v) => v as u128,
            TraceValue::Bits(v) => v,
            TraceValue::Wide(v) => u128::try_from(v).expect("a packed field fits in 128 bits"),
        };
        let shifted = if T::WIDTH == 0 {
            self.bits
        } else {
            self.bits << T::WIDTH
        };
        Self {
            bits: shifted | (bits & mask),
            width,
        }
    }

    /// The packed value.
    pub fn finish(self) -> TraceValue<'static> {
        TraceValue::Bits(self.bits)
    }
}

/// Makes a struct of [`Token`] fields a token (a channel payload), its fields packed in
/// declaration order by a [`Packer`]: name the struct and its fields with their types.
///
/// ```
/// use chpsim::{token_struct, Token, TraceValue};
///
/// struct Packet {
///     dest: bool,
///     seq: u8,
///     delta: i8,
/// }
/// token_struct!(Packet { dest: bool, seq: u8, delta: i8 });
///
/// assert_eq!(Packet::WIDTH, 17);
/// let p = Packet { dest: true, seq: 2, delta: -1 };
/// assert_eq!(p.trace(), TraceValue::Bits(0x1_02_ff));
/// ```
#[macro_export]
macro_rules! token_struct {
    ($name:ty { $($field:ident : $ty:ty),* $(,)? }) => {
        impl $crate::Token for $name {
            const WIDTH: u32 = 0 $(+ <$ty as $crate::Token>::WIDTH)*;
            fn trace(&self) -> $crate::TraceValue<'_> {
                $crate::Packer::new()$(.field::<$ty>(&self.$field))*.finish()
            }
        }
    };
}

/// The value of a circuit node: 0, 1, or X (unknown: never driven yet, or fought over).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Level {
    /// Low.
    Zero = 0,
    /// High.
    One = 1,
    /// Unknown.
    X = 2,
}

impl Level {
    /// `0`, `1` or `X`, as actsim prints a node.
    pub fn symbol(self) -> char {
        match self {
            Level::Zero => '0',
            Level::One => '1',
            Level::X => 'X',
        }
    }
}

/// One thing that happened during a run.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A handshake completed on `channel`: `sender` handed `value` to `receiver`.
    Handshake {
        /// When it completed.
        time: Time,
        /// The channel.
        channel: ChanId,
        /// The process that sent.
        sender: ProcId,
        /// The process that received.
        receiver: ProcId,
        /// The value (`TraceValue::None` on a dataless channel).
        value: TraceValue<'a>,
        /// Whether the receiver sends a reply back (an exchange channel, `X!e?v`): the sender
        /// stores it next, then [`Event::Replied`] follows (reported with it only when an
        /// observer asks for waits).
        exchange: bool,
    },
    /// An exchange's sender stored the receiver's reply after its [`Event::Handshake`] (and,
    /// when the sender waited, after its [`Event::Resumed`]): actsim prints the sender's
    /// `send` line after the reply's watch line. Sent with [`Event::Wait`]s, only when an
    /// observer asks for them.
    Replied {
        /// When.
        time: Time,
        /// The channel.
        channel: ChanId,
        /// The sender's process.
        process: ProcId,
        /// The reply it stored.
        value: TraceValue<'a>,
    },
    /// A process wrote log output ([`super::Ctx::log`]).
    Log {
        /// When.
        time: Time,
        /// Who.
        process: ProcId,
        /// A line, or a part of one (see [`LogKind`]).
        kind: LogKind,
        /// The text (without a newline).
        text: &'a str,
        /// Whether actsim prints it whatever its `filter` says: what a function logs, and
        /// the simulator's own `WARNING: Boolean variable ... is X` line.
        unfiltered: bool,
    },
    /// A process's future returned: the process has ended.
    ProcessEnd {
        /// When.
        time: Time,
        /// Who.
        process: ProcId,
    },
    /// A process failed ([`super::Ctx::fail`]); the run stops.
    Error {
        /// When.
        time: Time,
        /// Who.
        process: ProcId,
        /// What went wrong.
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
        /// When the wait starts or stops.
        time: Time,
        /// The channel waited on.
        channel: ChanId,
        /// Which party waits.
        party: Waiter,
        /// The process the waiting task belongs to.
        process: ProcId,
        /// Whether the wait starts (`true`) or stops.
        waiting: bool,
        /// The value a sender that starts waiting offers (actsim's `send-blocked value: V`);
        /// `TraceValue::None` for every other wait.
        offered: TraceValue<'a>,
    },
    /// A party that waited on a channel goes on after its handshake, in its own event: the
    /// receiver takes the value handed to it, or the sender learns its value was taken. Sent
    /// with [`Event::Wait`]s, only when an observer asks for them (actsim prints the woken
    /// party's `recv-wakeup` and `send complete` lines here, not at the handshake).
    Resumed {
        /// When.
        time: Time,
        /// The channel.
        channel: ChanId,
        /// Which party goes on ([`Waiter::Sender`] or [`Waiter::Receiver`]).
        party: Waiter,
        /// The process it belongs to.
        process: ProcId,
    },
    /// A CHP end of a channel between CHP and a circuit (see [`Registry::wired_channels`]) ran
    /// its type's methods on the wires, in a send or a receive: they stopped at a wait that
    /// does not hold, or finished. Sent with [`Event::Wait`]s, only when an observer asks for
    /// them.
    Method {
        /// When.
        time: Time,
        /// The channel's number.
        channel: u32,
        /// The process of the CHP end.
        process: ProcId,
        /// Which end: [`Waiter::Sender`] or [`Waiter::Receiver`].
        party: Waiter,
        /// What the methods did.
        step: MethodStep<'a>,
    },
    /// A circuit node changed (see [`Registry::nodes`]).
    Node {
        /// When.
        time: Time,
        /// Which node.
        node: NodeId,
        /// Its new value.
        value: Level,
        /// Who changed it.
        by: NodeChange<'a>,
    },
    /// The circuit printed a warning (`WARNING: interference on `y'`), in the [`Event::Log`]
    /// just before: what actsim's `break-on-warn` and `exit-on-warn` act on.
    CircuitWarning {
        /// When.
        time: Time,
        /// Whether a transition's firing gave it (actsim's `break-on-warn` stops the run
        /// after that event), rather than a process's write, a command or the start.
        in_transition: bool,
    },
    /// A variable registered with [`super::SimInit::variable`] was written.
    Variable {
        /// When.
        time: Time,
        /// Which variable (see [`Registry::variables`]).
        variable: VarId,
        /// Its new value.
        value: TraceValue<'a>,
    },
}

/// Who changed a circuit node (see [`Event::Node`]).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeChange<'a> {
    /// A production rule of the instance named `instance` fired. `cause` names the change
    /// that made the node go X, as actsim does after an interference or an unstable
    /// transition (`r.a <- 0`: that node and its value now; a process's name for a write it
    /// made); `None` for every other transition.
    Rule {
        /// The path of the instance whose rule drives the node (`""`: the top process).
        instance: &'a str,
        /// What made the node go X, if that is what happened.
        cause: Option<&'a str>,
    },
    /// A process wrote it: a `bool` the process shares with the circuit.
    Process(ProcId),
    /// A channel's method, run by a CHP end of the channel, wrote it, a wire of the channel
    /// named `channel` (its local name where actsim first met it).
    Method {
        /// The channel's name.
        channel: &'a str,
    },
    /// It was set from outside the design (a command), or at the start of the run.
    Outside,
}

/// What a CHP end's run of its channel's methods did (see [`Event::Method`]).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MethodStep<'a> {
    /// A wait in the methods does not hold: the communication stops there, and tries again
    /// when a wire changes (a try that stops again is another `Blocked`).
    Blocked,
    /// The methods finished; `after_blocking` when they had stopped on the way. `value` is what
    /// a receive takes (`TraceValue::None` for a send, or a channel without data).
    Done {
        /// Whether the communication stopped at a wait before it finished.
        after_blocking: bool,
        /// The value received.
        value: TraceValue<'a>,
    },
}

/// Who waits on a channel (see [`Event::Wait`]).
#[non_exhaustive]
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
#[non_exhaustive]
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
    /// The line of an `assert` statement that does not hold (`ASSERTION failed: ...`): a
    /// whole line, as [`LogKind::Line`]; actsim's `exit-on-warn` exits there.
    Assertion,
    /// A message of actsim's library (`actsim_file_read: ...`), for stderr as it is.
    Library,
    /// The simulator's line about a misbehaviour after which the run goes on (actsim's
    /// `** ERROR ** multiple (2) guards true, mutex violation.`): a whole line of the log
    /// stream, as [`LogKind::Line`], whatever `filter` says.
    Violation,
    /// A line of the simulator's CHP model of a channel's methods (actsim's ``CHP model:
    /// Boolean variable `w' is X``): a whole line, as [`LogKind::Line`], whatever `filter`
    /// says, that actsim prints on stdout itself, so that its `logfile` does not take it.
    Model,
}

/// Why a run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndReason {
    /// No event was left.
    Idle,
    /// The `until` time was reached with events still pending.
    Until,
    /// The event budget ran out.
    MaxEvents,
    /// A process reported a runtime error.
    Failed,
    /// Stopped from outside (Ctrl-C): see [`super::SimInit::interrupt_when`].
    Interrupted,
}

/// What a process still alive at the end is waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Wait {
    /// A send on the channel, for its receiver.
    Send(ChanId),
    /// A receive on the channel, for its sender.
    Receive(ChanId),
    /// A guard that can only change when a probed channel changes.
    Guard,
    /// A guard waiting for a sender to arrive on a probed input (idle, like a receive).
    Probe,
    /// Parallel branches it started have not all finished.
    Join,
    /// A delay, or a handshake that completes later.
    Delay,
    /// Nothing the kernel knows of (the process awaits a foreign future).
    Other,
}

/// A task still alive at the end of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    /// The process (a parallel branch reports as its process).
    pub process: ProcId,
    /// What it waits for.
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
    /// When the run ended (an idle run: when its last event fired).
    pub time: Time,
    /// Why it ended.
    pub reason: EndReason,
    /// Handshakes completed.
    pub handshakes: u64,
    /// Events (task resumptions).
    pub events: u64,
    /// Circuit node transitions made by production rules.
    pub transitions: u64,
    /// Every task still alive, and what it waits for.
    pub waiting: Vec<Waiting>,
}

/// Receives the events of a run: the transcript and VCD writers, the log printer, a test's
/// recorder. An observer's write error stops the run (see [`super::OutputError`]).
///
/// ```
/// use std::io;
/// use chpsim::{EndReport, Event, Observer, Registry, SimInit};
///
/// /// Counts handshakes per channel.
/// #[derive(Default)]
/// struct Counter(Vec<u64>);
///
/// impl Observer for Counter {
///     fn start(&mut self, registry: &Registry) -> io::Result<()> {
///         self.0 = vec![0; registry.channel_count()];
///         Ok(())
///     }
///     fn event(&mut self, _: &Registry, event: &Event<'_>) -> io::Result<()> {
///         if let Event::Handshake { channel, .. } = event {
///             self.0[channel.index()] += 1;
///         }
///         Ok(())
///     }
///     fn finish(&mut self, registry: &Registry, _: &EndReport) -> io::Result<()> {
///         for (id, info) in registry.channels() {
///             println!("{}: {}", info.path(), self.0[id.index()]);
///         }
///         Ok(())
///     }
/// }
///
/// let mut init = SimInit::new().without_log();
/// let (tx, rx) = init.channel_between::<bool>("a.R", "b.L", 10);
/// init.spawn("a", async move { tx.send(true).await });
/// init.spawn("b", async move { assert!(rx.recv().await) });
/// init.add_observer(Counter::default());
/// init.run().unwrap();
/// ```
pub trait Observer {
    /// Called once before the first event, with every channel and process known at that point.
    fn start(&mut self, _registry: &Registry) -> io::Result<()> {
        Ok(())
    }

    /// Whether it looks at [`Event::Handshake`]s. One that does not (the log printer) lets
    /// the kernel skip building them when no other observer does.
    fn observes_handshakes(&self) -> bool {
        true
    }

    /// Called for every event, in time order.
    fn event(&mut self, registry: &Registry, event: &Event<'_>) -> io::Result<()>;
    /// Whether this observer hides the log output (`log`, `warn`, ...) of `process` (actsim's
    /// `filter`): a process whose log an observer hides does not evaluate it, as actsim's.
    fn hides_log_of(&self, _registry: &Registry, _process: ProcId) -> bool {
        false
    }
    /// Whether this observer wants [`Event::Wait`]: the kernel builds them only when some
    /// observer does, so they cost a run nothing otherwise.
    fn wants_waits(&self) -> bool {
        false
    }
    /// Called once at the end; flushes whatever the observer buffers.
    fn finish(&mut self, registry: &Registry, report: &EndReport) -> io::Result<()>;
}

/// A boxed observer is an observer (so `Box<dyn Observer>` can be added like any other).
impl<O: Observer + ?Sized> Observer for Box<O> {
    fn start(&mut self, registry: &Registry) -> io::Result<()> {
        (**self).start(registry)
    }

    fn observes_handshakes(&self) -> bool {
        (**self).observes_handshakes()
    }

    fn wants_waits(&self) -> bool {
        (**self).wants_waits()
    }

    fn event(&mut self, registry: &Registry, event: &Event<'_>) -> io::Result<()> {
        (**self).event(registry, event)
    }

    fn hides_log_of(&self, registry: &Registry, process: ProcId) -> bool {
        (**self).hides_log_of(registry, process)
    }

    fn finish(&mut self, registry: &Registry, report: &EndReport) -> io::Result<()> {
        (**self).finish(registry, report)
    }
}
