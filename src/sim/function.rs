//! Calls of a user's function: its CHP runs to the end at once, in a fresh frame of its own
//! variables, taking no simulated time (delays inside it are ignored). The loops of every call
//! an event makes, nested calls included, share one budget of iterations
//! ([`MAX_LOOP_ITERATIONS`]), so that no event computes for ever; and they look at the run's
//! interrupt flag now and then, so that Ctrl-C stops a long computation at once. Its statements run in
//! order: a `,` is sequential here, as in actsim, and a selection takes the first true guard.
//! Elaboration guarantees that the body uses no channel and that calls are not recursive, so
//! the depth of nested calls is bounded by the nesting of definitions. A `log` in a function
//! prints at the time of the statement that called it, as the calling process (as actsim).
use std::cell::{Cell, RefCell};

use super::error::{Fault, RuntimeErrorKind};
use super::eval::{eval, Env};
use super::external::{External, SharedState, Word};
use super::place;
use super::value::Value;
use crate::elab::ir::{Arm, Expr, Function, FunctionBody, LogArg, LogKind, Span, Stmt, StmtKind};
use crate::kernel::Ctx;

thread_local! {
    /// The run on this thread, where a function's `log` goes (see [`with_log_sink`]). Expressions
    /// see no kernel context, and only a function's `log` needs one: the hot path stays as it is.
    static LOG_SINK: RefCell<Option<Ctx>> = const { RefCell::new(None) };
    /// The event whose calls spend [`BUDGET`] (its number, [`Ctx::event_count`]).
    static BUDGET_EVENT: Cell<u64> = const { Cell::new(u64::MAX) };
    /// The loop iterations the current event's calls may still make.
    static BUDGET: Cell<u64> = const { Cell::new(MAX_LOOP_ITERATIONS) };
    /// The run's state of the external functions chpsim implements (open files, ...).
    static EXTERNAL_STATE: RefCell<Option<SharedState>> = const { RefCell::new(None) };
    /// Whether a failed assertion goes on, as actsim's does in a function (`chpsim actsim`).
    static ASSERTIONS_GO_ON: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` (a simulation) with functions' log lines going to `ctx`, and external functions
/// using the run's `state`; a failed assertion in a function goes on when `assertions_go_on`
/// (see [`assertion_failed`]).
pub(crate) fn with_log_sink<T>(
    ctx: Ctx,
    state: SharedState,
    assertions_go_on: bool,
    f: impl FnOnce() -> T,
) -> T {
    LOG_SINK.with(|sink| *sink.borrow_mut() = Some(ctx));
    EXTERNAL_STATE.with(|s| *s.borrow_mut() = Some(state));
    ASSERTIONS_GO_ON.set(assertions_go_on);
    let result = f();
    LOG_SINK.with(|sink| *sink.borrow_mut() = None);
    EXTERNAL_STATE.with(|s| *s.borrow_mut() = None);
    result
}

/// A message of the simulator that actsim writes to its log as it evaluates an expression,
/// text alone (no prefix, no newline: what follows goes on the same line), as the running
/// process; actsim's `filter` does not hide it.
pub(crate) fn log_simulator_part(text: &str) {
    LOG_SINK.with(|sink| {
        if let Some(ctx) = &*sink.borrow() {
            ctx.log_unfiltered(LogKind::Part, text);
        }
    });
}

/// A function's `log(...)`, printed as the calling process at the time of its statement;
/// actsim's `filter` does not hide it.
fn log(kind: LogKind, args: &[LogArg], frame: &[Value]) -> Result<(), Fault> {
    let text = log_text(args, frame)?;
    LOG_SINK.with(|sink| {
        if let Some(ctx) = &*sink.borrow() {
            ctx.log_unfiltered(kind, &text);
        }
    });
    Ok(())
}

/// The text of a `log` (or assertion message) with these arguments.
fn log_text(args: &[LogArg], frame: &[Value]) -> Result<String, Fault> {
    let mut text = String::new();
    for arg in args {
        match arg {
            LogArg::Text(s) => text.push_str(s),
            LogArg::Value { expr, format } => {
                let value = eval(expr, &env(frame))?;
                text.push_str(&value.log_text(*format, expr.ty));
            }
        }
    }
    Ok(text)
}

/// A failed `assert(cond, message...)`: actsim's log line, then the error (as in a process).
/// Under `chpsim actsim` ([`ASSERTIONS_GO_ON`]), as actsim's function does: the line without
/// its newline (the next log output goes on it), and the function goes on.
fn assertion_failed(message: &[LogArg], frame: &[Value], span: &Span) -> Result<(), Fault> {
    let text = log_text(message, frame)?;
    let go_on = ASSERTIONS_GO_ON.get();
    LOG_SINK.with(|sink| {
        if let Some(ctx) = &*sink.borrow() {
            let line = format!("ASSERTION failed: {text}");
            match go_on {
                true => {
                    ctx.log_unfiltered(LogKind::Start, "");
                    ctx.log_unfiltered(LogKind::Part, &line);
                }
                false => ctx.log_unfiltered(LogKind::Line, &line),
            }
        }
    });
    match go_on {
        true => Ok(()),
        false => Err(Fault::new(span, RuntimeErrorKind::assertion_failed(text))),
    }
}

/// The value of `f(args)`, the arguments evaluated in the caller's `env`.
pub(crate) fn call(f: &Function, args: &[Expr], env: &Env<'_>) -> Result<Value, Fault> {
    let mut frame: Vec<Value> = f
        .vars
        .iter()
        .map(|v| Value::Small(0).truncated(v.ty.width()))
        .collect();
    for (slot, arg) in args.iter().enumerate() {
        frame[slot] = eval(arg, env)?.truncated(f.vars[slot].ty.width());
    }
    let body = match &f.body {
        FunctionBody::Chp(body) => body,
        FunctionBody::External(external) => {
            return Ok(call_external(external, f, &frame[..f.args]));
        }
    };
    let mut budget = Budget::of_this_event();
    run(body, &mut frame, &mut budget).map_err(|fault| fault.in_function(&f.name))?;
    Ok(std::mem::take(&mut frame[f.result_slot()]))
}

/// An external function's result for these argument values: each passed as its low 64
/// bits and its width (as actsim passes them); its messages are warnings of the caller.
fn call_external(external: &External, f: &Function, args: &[Value]) -> Value {
    let words: Vec<Word> = (args.iter().zip(&f.vars))
        .map(|(value, var)| Word {
            value: match value {
                Value::Small(v) => *v,
                Value::Wide(big) => big.iter_u64_digits().next().unwrap_or(0),
            },
            width: var.ty.width(),
        })
        .collect();
    let state = EXTERNAL_STATE
        .with(|s| s.borrow().clone())
        .unwrap_or_default();
    let mut warn = |text: &str| {
        LOG_SINK.with(|sink| {
            if let Some(ctx) = &*sink.borrow() {
                ctx.log_output(LogKind::Library, text);
            }
        });
    };
    let result = external.call(&words, &state, &mut warn);
    Value::Small(result.value).truncated(f.vars[f.result_slot()].ty.width())
}

/// The loop iterations of the current event's calls, spent in [`BUDGET`] (nested calls spend
/// the same budget).
struct Budget {
    /// The run's context, to look at its interrupt flag (none outside a run: a unit test).
    ctx: Option<Ctx>,
}

impl Budget {
    /// The current event's budget: a new one when this is its first call.
    fn of_this_event() -> Self {
        let ctx = LOG_SINK.with(|sink| sink.borrow().clone());
        // Outside a run (no events), each call is an event of its own.
        let event = ctx.as_ref().map_or(u64::MAX, Ctx::event_count);
        if BUDGET_EVENT.replace(event) != event || ctx.is_none() {
            BUDGET.set(MAX_LOOP_ITERATIONS);
        }
        Budget { ctx }
    }

    /// Counts one iteration of the loop at `span`; gives up when the budget is spent, or when
    /// the run has been interrupted.
    fn iterate(&mut self, span: &Span) -> Result<(), Fault> {
        let left = BUDGET.get().checked_sub(1).ok_or_else(|| {
            Fault::new(
                span,
                RuntimeErrorKind::EndlessFunctionLoop {
                    iterations: MAX_LOOP_ITERATIONS,
                },
            )
        })?;
        BUDGET.set(left);
        if left % INTERRUPT_EVERY == 0 && self.ctx.as_ref().is_some_and(Ctx::interrupt_requested) {
            return Err(Fault::interrupted(span));
        }
        Ok(())
    }
}

/// Loop iterations between two looks at the run's interrupt flag.
const INTERRUPT_EVERY: u64 = 1 << 12;

/// Runs `stmt`; `budget` is the number of loop iterations the call may still make.
fn run(stmt: &Stmt, frame: &mut [Value], budget: &mut Budget) -> Result<(), Fault> {
    match &stmt.kind {
        StmtKind::Skip => Ok(()),
        StmtKind::Assign { target, value } => {
            let v = eval(value, &env(frame))?;
            place::store(target, v, frame)
        }
        StmtKind::Seq(items) | StmtKind::Par(items) => {
            items.iter().try_for_each(|item| run(item, frame, budget))
        }
        StmtKind::Select {
            arms, otherwise, ..
        } => match (first_true(arms, frame)?, otherwise) {
            (Some(arm), _) => run(&arm.body, frame, budget),
            (None, Some(body)) => run(body, frame, budget),
            (None, None) => Err(Fault::new(&stmt.span, RuntimeErrorKind::NoGuardInFunction)),
        },
        StmtKind::Loop {
            arms, otherwise, ..
        } => loop {
            let body = match (first_true(arms, frame)?, otherwise) {
                (Some(arm), _) => &arm.body,
                (None, Some(body)) => &**body,
                (None, None) => return Ok(()),
            };
            budget.iterate(&stmt.span)?;
            run(body, frame, budget)?;
        },
        StmtKind::DoLoop { body, condition } => loop {
            budget.iterate(&stmt.span)?;
            run(body, frame, budget)?;
            if !eval(condition, &env(frame))?.is_true() {
                return Ok(());
            }
        },
        StmtKind::Assert { condition, message } => {
            if eval(condition, &env(frame))?.is_true() {
                Ok(())
            } else {
                assertion_failed(message, frame, &stmt.span)
            }
        }
        StmtKind::Log { kind, args } => log(*kind, args, frame),
        StmtKind::Send { .. } | StmtKind::Receive { .. } => Err(Fault::new(
            &stmt.span,
            RuntimeErrorKind::ChannelActionInFunction,
        )),
    }
}

/// The calls of one event that loop this many times in all are taken to loop forever: a
/// runtime error, rather than a simulator that computes for ever in zero simulated time.
const MAX_LOOP_ITERATIONS: u64 = 1 << 22;

/// A function's frame as an environment: its variables, and no ports.
fn env(frame: &[Value]) -> Env<'_> {
    Env {
        vars: frame,
        ports: &[],
    }
}

fn first_true<'s>(arms: &'s [Arm], frame: &[Value]) -> Result<Option<&'s Arm>, Fault> {
    for arm in arms {
        if eval(&arm.guard, &env(frame))?.is_true() {
            return Ok(Some(arm));
        }
    }
    Ok(None)
}
