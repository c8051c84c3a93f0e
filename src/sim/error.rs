//! What a design can do wrong while it runs, from the interpreter up to the user.
//!
//! One path, three types:
//! - [`RuntimeErrorKind`]: what went wrong (an assertion failed, a division by zero, an index
//!   out of range, ...), typed, with the values involved. Its `Display` is the message users
//!   read.
//! - [`Fault`]: the interpreter's internal error, what every evaluation and action returns:
//!   the kind, where in the source, and the functions it happened in. Boxed, so that the
//!   `Result`s of the hot path stay two words and return in registers.
//! - [`RuntimeError`]: the public error that stopped a run, built from the first fault by the
//!   process that met it (`RuntimeError::new` adds when and in which process). The command
//!   line shows it with its source snippet ([`RuntimeError::diagnostic`]).
//!
//! A misbehaviour after which the run goes on, as in actsim, is no error: the run counts its
//! [`MutexViolations`] (guards of a selection or loop that hold at once).
//!
//! None of them is an error of the driver ([`crate::driver::DriverError`]: the input is wrong)
//! or of an output ([`crate::OutputError`]): the run itself completed, and its error is part
//! of its result.
use std::fmt;

use num_bigint::BigUint;

use crate::diag::Diagnostic;
use crate::elab::ir::Span;
pub use crate::front::chp_ast::Flavor;
use crate::kernel::{Time, TimeOverflow};

/// What went wrong while a design ran. `Display` gives the message users read (without the
/// place, the time or the process: see [`RuntimeError`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuntimeErrorKind {
    /// `assert(cond, message...)` did not hold; `message` is its text, if it has any.
    #[error("assertion failed{}", .message.as_ref().map(|m| format!(": {m}")).unwrap_or_default())]
    AssertionFailed {
        /// The assertion's message.
        message: Option<String>,
    },
    /// `x / 0` or `x % 0`.
    #[error("division by zero")]
    DivisionByZero,
    /// An array index outside the array's indices `lo .. lo + len - 1`.
    #[error(
        "array index {index} out of range ({})",
        index_range(*.lo, *.len)
    )]
    IndexOutOfRange {
        /// The index.
        index: BigUint,
        /// The array's first index.
        lo: i64,
        /// How many elements it has.
        len: usize,
    },
    /// A value stored into an `enum<size>` variable or field that is not below `size`.
    #[error(
        "enumeration assigned illegal value {value} (an enum<{size}> holds 0..{})",
        .size - 1
    )]
    IllegalEnumValue {
        /// The value.
        value: BigUint,
        /// The enum's size.
        size: u64,
    },
    /// A selection in a function where no guard holds (a function cannot wait).
    #[error("no guard holds, and a function cannot wait")]
    NoGuardInFunction,
    /// A send or receive in a function.
    #[error("a function cannot send or receive")]
    ChannelActionInFunction,
    /// The loops of the function calls of one event ran `iterations` times in all: taken to
    /// loop forever.
    #[error(
        "function loops ran {iterations} times in one event (in zero simulated time): a \
         function must return"
    )]
    EndlessFunctionLoop {
        /// How many times it ran.
        iterations: u64,
    },
    /// A plain send or receive on a channel end whose actions use `+`/`-` flavors.
    #[error(
        "a plain {} on a channel end that uses `{sign}+`/`{sign}-`: all its {} must use them",
        .action.noun(),
        .action.plural(),
        sign = .action.sign()
    )]
    PlainActionOnFlavoredEnd {
        /// The plain action.
        action: ChannelAction,
    },
    /// A flavored action out of turn: the end's actions alternate `+` and `-`, starting with
    /// `+`, and this one should have been `expected`.
    #[error(
        "{} on a channel must alternate between `{sign}+` and `{sign}-`, starting with \
         `{sign}+`: this `{sign}{}` should be `{sign}{}`",
        .action.plural(),
        flavor_sign(opposite(*.expected)),
        flavor_sign(*.expected),
        sign = .action.sign()
    )]
    FlavorOutOfTurn {
        /// The action.
        action: ChannelAction,
        /// The flavor its turn called for.
        expected: Flavor,
    },
    /// A guard waits on a probe of a channel while another thread (of another process, or
    /// of this one) waits on a probe of the same channel, at either end: actsim keeps one
    /// probe wait per channel and stops there.
    #[error(
        "channel `{channel}` is being probed by multiple processes: another thread already \
         waits on a probe of it (actsim allows one, and stops here)"
    )]
    ProbedByMultipleProcesses {
        /// The channel, as the process names it.
        channel: String,
        /// The process's type as actsim names it (`dst<>`; `-global-` for the file's CHP).
        process: String,
        /// The instance as actsim names it (`d`, `<>` for the top).
        instance: String,
    },
    /// A delay that ends past the last time the clock can hold.
    #[error(transparent)]
    TimeOverflow(#[from] TimeOverflow),
}

/// Which action on a channel end a [`RuntimeErrorKind`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelAction {
    /// A send: `X!e`, `X!`.
    Send,
    /// A receive: `X?x`, `X?`.
    Receive,
}

impl RuntimeErrorKind {
    /// What actsim prints on stderr as it exits on this error, for the errors where actsim
    /// exits (`chpsim actsim` prints it instead of the diagnostic); `None` for the others.
    pub fn actsim_report(&self) -> Option<String> {
        match self {
            RuntimeErrorKind::ProbedByMultipleProcesses {
                channel,
                process,
                instance,
            } => Some(format!(
                "Process {process}: channel `{channel}'; Instance: {instance}\n\
                 FATAL: Channel is being probed by multiple processes!"
            )),
            _ => None,
        }
    }

    /// The kind of a failed assertion whose message reads `text` (none when it is empty).
    pub fn assertion_failed(text: String) -> Self {
        RuntimeErrorKind::AssertionFailed {
            message: (!text.is_empty()).then_some(text),
        }
    }
}

impl ChannelAction {
    /// The action's operator in CHP: `!` or `?`.
    pub fn sign(self) -> char {
        match self {
            ChannelAction::Send => '!',
            ChannelAction::Receive => '?',
        }
    }

    fn noun(self) -> &'static str {
        match self {
            ChannelAction::Send => "send",
            ChannelAction::Receive => "receive",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            ChannelAction::Send => "sends",
            ChannelAction::Receive => "receives",
        }
    }
}

/// `the array has 4 elements` or `the array's indices are 2..5`.
fn index_range(lo: i64, len: usize) -> String {
    if lo == 0 {
        format!("the array has {len} elements")
    } else {
        let hi = i128::from(lo) + len as i128 - 1;
        format!("the array's indices are {lo}..{hi}")
    }
}

fn flavor_sign(flavor: Flavor) -> char {
    match flavor {
        Flavor::Plus => '+',
        Flavor::Minus => '-',
    }
}

fn opposite(flavor: Flavor) -> Flavor {
    match flavor {
        Flavor::Plus => Flavor::Minus,
        Flavor::Minus => Flavor::Plus,
    }
}

/// The interpreter's error: what went wrong, where in the source, and in which functions.
/// Everything the interpreter evaluates or does returns it; the process that meets one turns
/// it into the run's [`RuntimeError`] and stops the run.
#[derive(Debug, Clone)]
pub(crate) struct Fault(Box<FaultDetail>);

#[derive(Debug, Clone)]
struct FaultDetail {
    /// What went wrong; `None` when the run was interrupted in the middle of a computation
    /// (no error: the computation is given up, and the run ends as interrupted).
    kind: Option<RuntimeErrorKind>,
    span: Span,
    /// See [`RuntimeError::functions`].
    functions: Vec<String>,
}

impl Fault {
    #[cold]
    pub(crate) fn new(span: &Span, kind: RuntimeErrorKind) -> Self {
        Fault(Box::new(FaultDetail {
            kind: Some(kind),
            span: span.clone(),
            functions: Vec::new(),
        }))
    }

    /// The run was interrupted while computing at `span`: the computation is given up.
    #[cold]
    pub(crate) fn interrupted(span: &Span) -> Self {
        Fault(Box::new(FaultDetail {
            kind: None,
            span: span.clone(),
            functions: Vec::new(),
        }))
    }

    /// See [`Fault::interrupted`].
    pub(crate) fn is_interruption(&self) -> bool {
        self.0.kind.is_none()
    }

    /// The same fault, met inside a call of `function` (the fault's place is where in the
    /// function it happened).
    #[cold]
    pub(crate) fn in_function(mut self, function: &str) -> Self {
        self.0.functions.push(function.to_string());
        self
    }
}

/// The error that stopped a run: the design misbehaved (an assertion failed, a division by
/// zero, ...). It is the interpreter's first fault of the run, with when and in which process it
/// happened. `Display` gives the one line the command line prints (`runtime error at time T
/// in `p`: message`); [`RuntimeError::diagnostic`] the same with its source snippet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("runtime error at time {time} in `{process}`: {}", self.message())]
#[non_exhaustive]
pub struct RuntimeError {
    /// When.
    pub time: Time,
    /// The process's name: its instance path, or the top's name for the top (`test`).
    pub process: String,
    /// Where in the design's source (a byte range; see [`crate::diag::SourceMap`]).
    pub span: Span,
    /// What went wrong.
    pub kind: RuntimeErrorKind,
    /// The functions it happened in, innermost first: empty when it happened in the
    /// process's own code.
    pub functions: Vec<String>,
}

impl RuntimeError {
    /// The run's error made of `fault` (no interruption: see [`Fault::is_interruption`]),
    /// met at `time` by the process named `process`.
    pub(crate) fn new(fault: Fault, time: Time, process: String) -> Self {
        let FaultDetail {
            kind,
            span,
            functions,
        } = *fault.0;
        RuntimeError {
            time,
            process,
            span,
            kind: kind.expect("an interruption is no runtime error"),
            functions,
        }
    }

    /// What went wrong, with the functions it happened in: `division by zero (in function
    /// `f`)`.
    pub fn message(&self) -> impl fmt::Display + '_ {
        Message(self)
    }

    /// The error as a diagnostic, to render with its source snippet (see
    /// [`crate::diag::render_in`]).
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error(self.span.clone(), self.to_string())
    }
}

/// See [`RuntimeError::message`].
struct Message<'a>(&'a RuntimeError);

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.kind)?;
        for function in &self.0.functions {
            write!(f, " (in function `{function}`)")?;
        }
        Ok(())
    }
}

/// A deterministic selection or loop of which several guards held at once. As actsim does, the
/// run printed `** ERROR ** multiple (N) guards true, mutex violation.` as a log line of the
/// process and went on with the first true guard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MutexViolation {
    /// When the guards were evaluated.
    pub time: Time,
    /// The process's name (see [`RuntimeError::process`]).
    pub process: String,
    /// The selection or loop, in the design's source.
    pub span: Span,
    /// How many guards held.
    pub guards: usize,
}

impl fmt::Display for MutexViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mutex violation at time {} in `{}`: {} guards of a selection or loop true at \
             once (only [| ... |] chooses among true guards)",
            self.time, self.process, self.guards
        )
    }
}

/// The mutex violations of a run: how many, and the first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MutexViolations {
    /// How many evaluations of guards found several true.
    pub count: u64,
    /// The first of them.
    pub first: Option<MutexViolation>,
}

impl MutexViolations {
    /// Counts a violation; `describe` says what it is when it is the first.
    pub(crate) fn note(&mut self, describe: impl FnOnce() -> MutexViolation) {
        self.count += 1;
        self.first.get_or_insert_with(describe);
    }
}
