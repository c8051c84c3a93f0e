//! Calls of a user's function: its CHP runs to the end at once, in a fresh frame of its own
//! variables, taking no simulated time (delays inside it are ignored). Its statements run in
//! order: a `,` is sequential here, as in actsim, and a selection takes the first true guard.
//! Elaboration guarantees that the body uses no channel and that calls are not recursive, so
//! the depth of nested calls is bounded by the nesting of definitions. A `log` in a function
//! prints at the time of the statement that called it, as the calling process (as actsim).
use std::cell::RefCell;

use super::error::{Fault, RuntimeErrorKind};
use super::eval::{eval, Env};
use super::place;
use super::value::Value;
use crate::elab::ir::{Arm, Expr, Function, LogArg, LogKind, Span, Stmt, StmtKind};
use crate::kernel::Ctx;

thread_local! {
    /// The run on this thread, where a function's `log` goes (see [`with_log_sink`]). Expressions
    /// see no kernel context, and only a function's `log` needs one: the hot path stays as it is.
    static LOG_SINK: RefCell<Option<Ctx>> = const { RefCell::new(None) };
}

/// Runs `f` (a simulation) with functions' log lines going to `ctx`.
pub(crate) fn with_log_sink<T>(ctx: Ctx, f: impl FnOnce() -> T) -> T {
    LOG_SINK.with(|sink| *sink.borrow_mut() = Some(ctx));
    let result = f();
    LOG_SINK.with(|sink| *sink.borrow_mut() = None);
    result
}

/// A function's `log(...)`, printed as the calling process at the time of its statement.
fn log(kind: LogKind, args: &[LogArg], frame: &[Value]) -> Result<(), Fault> {
    let text = log_text(args, frame)?;
    LOG_SINK.with(|sink| {
        if let Some(ctx) = &*sink.borrow() {
            ctx.log_output(kind, &text);
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
fn assertion_failed(message: &[LogArg], frame: &[Value], span: &Span) -> Fault {
    let text = match log_text(message, frame) {
        Ok(text) => text,
        Err(fault) => return fault,
    };
    LOG_SINK.with(|sink| {
        if let Some(ctx) = &*sink.borrow() {
            ctx.log(&format!("ASSERTION failed: {text}"));
        }
    });
    Fault::new(span, RuntimeErrorKind::assertion_failed(text))
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
    let mut budget = MAX_LOOP_ITERATIONS;
    run(&f.body, &mut frame, &mut budget).map_err(|fault| fault.in_function(&f.name))?;
    Ok(std::mem::take(&mut frame[f.result_slot()]))
}

/// Runs `stmt`; `budget` is the number of loop iterations the call may still make.
fn run(stmt: &Stmt, frame: &mut [Value], budget: &mut u64) -> Result<(), Fault> {
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
        StmtKind::Loop { arms, .. } => {
            while let Some(arm) = first_true(arms, frame)? {
                iterate(budget, &stmt.span)?;
                run(&arm.body, frame, budget)?;
            }
            Ok(())
        }
        StmtKind::DoLoop { body, condition } => loop {
            iterate(budget, &stmt.span)?;
            run(body, frame, budget)?;
            if !eval(condition, &env(frame))?.is_true() {
                return Ok(());
            }
        },
        StmtKind::Assert { condition, message } => {
            if eval(condition, &env(frame))?.is_true() {
                Ok(())
            } else {
                Err(assertion_failed(message, frame, &stmt.span))
            }
        }
        StmtKind::Log { kind, args } => log(*kind, args, frame),
        StmtKind::Send { .. } | StmtKind::Receive { .. } => Err(Fault::new(
            &stmt.span,
            RuntimeErrorKind::ChannelActionInFunction,
        )),
    }
}

/// A call that loops this many times is taken to loop forever: a runtime error, rather than a
/// simulator that hangs in zero simulated time (where not even Ctrl-C is looked at).
const MAX_LOOP_ITERATIONS: u64 = 1 << 22;

/// Counts one iteration of the loop at `span` against the call's budget.
fn iterate(budget: &mut u64, span: &Span) -> Result<(), Fault> {
    *budget = budget.checked_sub(1).ok_or_else(|| {
        Fault::new(
            span,
            RuntimeErrorKind::EndlessFunctionLoop {
                iterations: MAX_LOOP_ITERATIONS,
            },
        )
    })?;
    Ok(())
}

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
