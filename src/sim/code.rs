//! Compiles a program's statement tree to flat code: control flow becomes jumps, so the
//! interpreter runs a simple loop over instructions with no recursion and no allocation.
use crate::elab::ir::{
    Arm, Constant, Expr, ExprKind, Flavor, LogArg, LogKind, Place, PortRef, Span, Stmt, StmtKind,
};

use crate::kernel::Time;

pub(crate) type Pc = usize;

#[derive(Debug)]
pub(crate) enum Instr {
    Assign {
        target: Place,
        value: Expr,
        delay: Option<u64>,
        span: Span,
    },
    Send {
        port: PortRef,
        value: Option<Expr>,
        /// Where an exchange's reply goes (`X!e?v`).
        reply: Option<Place>,
        flavor: Option<Flavor>,
        delay: Option<u64>,
        span: Span,
    },
    Receive {
        port: PortRef,
        target: Option<Place>,
        /// What an exchange sends back (`X?v!e`).
        reply: Option<Expr>,
        flavor: Option<Flavor>,
        delay: Option<u64>,
        span: Span,
    },
    Log {
        kind: LogKind,
        args: Vec<LogArg>,
    },
    Assert {
        condition: Expr,
        message: Vec<LogArg>,
        span: Span,
    },
    /// Spends one action's delay: a `skip` with an explicit delay (a plain `skip` compiles to
    /// nothing), or the iteration of `*[ S ]`, whose guard is always true.
    Pause {
        delay: Option<u64>,
        span: Span,
    },
    Jump(Pc),
    /// Wait the guard delay, evaluate the guards, go to the chosen arm; with no true guard,
    /// do what `otherwise` says.
    Select {
        arms: Vec<(Expr, Pc)>,
        nondeterministic: bool,
        /// Some guard reads a channel's value (see [`super::process::Process::choose`]).
        reads_values: bool,
        otherwise: NoGuard,
        delay: Option<u64>,
        span: Span,
    },
    /// Wait the guard delay, then jump to `target` if `condition` holds (the do-loop's test).
    JumpIf {
        condition: Expr,
        target: Pc,
        delay: Option<u64>,
        span: Span,
        /// The loop's body is empty and nothing can change the condition: once it holds, the
        /// loop spins forever.
        spins: bool,
    },
    /// Start branches 1.. as new tasks, run branch 0 here; all meet at `join`.
    Fork {
        branches: Vec<Pc>,
        join: Pc,
    },
    /// Goes on when port `slot` is wired (to the channel methods that follow), else to
    /// `native`, the communication itself.
    Wired {
        slot: usize,
        native: Pc,
    },
    /// The end of a parallel branch.
    EndBranch,
    End,
}

impl Instr {
    /// For an action that is an event (it fires its delay after the previous one): its own
    /// delay, if it has one, and its statement. `None` for free instructions.
    pub(crate) fn timing(&self) -> Option<(Option<u64>, &Span)> {
        match self {
            Instr::Assign { delay, span, .. }
            | Instr::Pause { delay, span }
            | Instr::Send { delay, span, .. }
            | Instr::Receive { delay, span, .. }
            | Instr::Select { delay, span, .. }
            | Instr::JumpIf { delay, span, .. } => Some((*delay, span)),
            _ => None,
        }
    }
}

/// For each instruction, the delay to the next event and the timed instruction that fires
/// then, when only jumps and pauses lie between: a pause does nothing when it fires, so its
/// delay folds into the next event's (one queue entry instead of two). `None` when something
/// else comes first (a log, a fork, the end), which must happen at its own time. Computed once
/// per program, with `default_delay` for actions that have no delay of their own.
pub(crate) fn event_plan(code: &[Instr], default_delay: Time) -> Vec<Option<(Time, Pc)>> {
    let delay_of = |delay: Option<u64>| delay.unwrap_or(default_delay);
    let plan = |mut pc: Pc| {
        let mut total: Time = 0;
        // Bounded: `*[ skip ]` is a cycle of a pause and a jump.
        for _ in 0..8 {
            match &code[pc] {
                Instr::Jump(target) => pc = *target,
                Instr::Pause { delay, .. } => {
                    total = total.checked_add(delay_of(*delay))?;
                    pc += 1;
                }
                instr => {
                    let (delay, _) = instr.timing()?;
                    return Some((total.checked_add(delay_of(delay))?, pc));
                }
            }
        }
        None
    };
    (0..code.len()).map(plan).collect()
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum NoGuard {
    /// Wait until a probed channel changes, then evaluate again.
    Wait,
    /// Leave: the loop's exit, or the `else` arm.
    Goto(Pc),
}

/// Compiles `body` and finds where each of `labels` (a label and its statement's span, see
/// [`crate::elab::ir::Program::labels`]) enters the code: actsim's `goto` targets. A label
/// given twice keeps its first statement, as in actsim.
pub(crate) fn compile(body: &Stmt, labels: &[(String, Span)]) -> (Vec<Instr>, Vec<(String, Pc)>) {
    let mut code = Code {
        instrs: Vec::new(),
        labels,
        entries: Vec::new(),
    };
    emit(body, &mut code);
    code.push(Instr::End);
    (code.instrs, code.entries)
}

/// The code being emitted, and the labelled statements' entries found so far.
struct Code<'a> {
    instrs: Vec<Instr>,
    labels: &'a [(String, Span)],
    entries: Vec<(String, Pc)>,
}

impl std::ops::Deref for Code<'_> {
    type Target = Vec<Instr>;
    fn deref(&self) -> &Vec<Instr> {
        &self.instrs
    }
}

impl std::ops::DerefMut for Code<'_> {
    fn deref_mut(&mut self) -> &mut Vec<Instr> {
        &mut self.instrs
    }
}

impl Code<'_> {
    /// Notes where `stmt` starts, if it is labelled (its first emission: a statement wrapped
    /// in another of the same span starts at the same place).
    fn enter(&mut self, stmt: &Stmt) {
        for (label, span) in self.labels {
            let same = span.start == stmt.span.start && span.end == stmt.span.end;
            if same && !self.entries.iter().any(|(l, _)| l == label) {
                self.entries.push((label.clone(), self.instrs.len()));
            }
        }
    }
}

fn emit(stmt: &Stmt, code: &mut Code) {
    code.enter(stmt);
    let delay = stmt.delay;
    match &stmt.kind {
        StmtKind::Skip => {
            if delay.is_some() {
                code.push(Instr::Pause {
                    delay,
                    span: stmt.span.clone(),
                });
            }
        }
        StmtKind::Assign { target, value } => code.push(Instr::Assign {
            target: target.clone(),
            value: value.clone(),
            delay,
            span: stmt.span.clone(),
        }),
        StmtKind::Send {
            wired: Some(wired),
            port: PortRef::Fixed(slot),
            ..
        }
        | StmtKind::Receive {
            wired: Some(wired),
            port: PortRef::Fixed(slot),
            ..
        } => emit_wired(stmt, *slot, wired, code),
        StmtKind::Send {
            port,
            value,
            reply,
            flavor,
            ..
        } => code.push(Instr::Send {
            port: port.clone(),
            value: value.clone(),
            reply: reply.clone(),
            flavor: *flavor,
            delay,
            span: stmt.span.clone(),
        }),
        StmtKind::Receive {
            port,
            target,
            reply,
            flavor,
            ..
        } => code.push(Instr::Receive {
            port: port.clone(),
            target: target.clone(),
            reply: reply.clone(),
            flavor: *flavor,
            delay,
            span: stmt.span.clone(),
        }),
        StmtKind::Log { kind, args } => code.push(Instr::Log {
            kind: *kind,
            args: args.clone(),
        }),
        StmtKind::Assert { condition, message } => code.push(Instr::Assert {
            condition: condition.clone(),
            message: message.clone(),
            span: stmt.span.clone(),
        }),
        StmtKind::Seq(items) => items.iter().for_each(|s| emit(s, code)),
        StmtKind::Par(branches) => emit_par(branches, code),
        StmtKind::Select {
            nondeterministic,
            arms,
            otherwise,
        } => emit_select(stmt, *nondeterministic, arms, otherwise.as_deref(), code),
        StmtKind::Loop { arms, .. } if arms.len() == 1 && is_always_true(&arms[0].guard) => {
            let top = code.len();
            code.push(Instr::Pause {
                delay,
                span: stmt.span.clone(),
            });
            emit(&arms[0].body, code);
            code.push(Instr::Jump(top));
        }
        StmtKind::Loop {
            nondeterministic,
            arms,
        } => emit_loop(stmt, *nondeterministic, arms, code),
        StmtKind::DoLoop { body, condition } => {
            let top = code.len();
            emit(body, code);
            let empty = code.len() == top;
            code.push(Instr::JumpIf {
                condition: condition.clone(),
                target: top,
                // actsim: an iteration of an empty do-loop takes one tick.
                delay: if empty { delay.or(Some(1)) } else { delay },
                span: stmt.span.clone(),
                spins: empty && !condition.watches_channels(),
            });
        }
    }
}

/// A communication on port `slot` that may be wired: when it is, the statement's delay, then
/// the channel methods (`wired`, which take no time); else the communication itself.
fn emit_wired(stmt: &Stmt, slot: usize, wired: &Stmt, code: &mut Code) {
    let switch = code.len();
    code.push(Instr::End); // patched below
    code.push(Instr::Pause {
        delay: stmt.delay,
        span: stmt.span.clone(),
    });
    emit(wired, code);
    let jump = code.len();
    code.push(Instr::End); // patched below
    let native = code.len();
    let plain = Stmt {
        kind: match &stmt.kind {
            StmtKind::Send {
                port,
                value,
                reply,
                flavor,
                ..
            } => StmtKind::Send {
                port: port.clone(),
                value: value.clone(),
                reply: reply.clone(),
                flavor: *flavor,
                wired: None,
            },
            StmtKind::Receive {
                port,
                target,
                reply,
                flavor,
                ..
            } => StmtKind::Receive {
                port: port.clone(),
                target: target.clone(),
                reply: reply.clone(),
                flavor: *flavor,
                wired: None,
            },
            _ => unreachable!("a communication"),
        },
        span: stmt.span.clone(),
        delay: stmt.delay,
    };
    emit(&plain, code);
    code[switch] = Instr::Wired { slot, native };
    code[jump] = Instr::Jump(code.len());
}

/// `S1, S2, ...`: a fork to each branch's code, each ending at an `EndBranch`; they join after.
fn emit_par(branches: &[Stmt], code: &mut Code) {
    // `(, i : 0 : S)` has no branch: nothing to fork (a fork needs a first branch to run).
    if branches.is_empty() {
        return;
    }
    let fork = code.len();
    code.push(Instr::End); // patched below
    let mut entries = Vec::with_capacity(branches.len());
    for branch in branches {
        entries.push(code.len());
        emit(branch, code);
        code.push(Instr::EndBranch);
    }
    code[fork] = Instr::Fork {
        branches: entries,
        join: code.len(),
    };
}

/// `[g1 -> S1 [] ... [] else -> S]`: a select over the arms' code, each arm jumping past the
/// end; without `else`, waiting until a guard holds.
fn emit_select(
    stmt: &Stmt,
    nondeterministic: bool,
    arms: &[Arm],
    otherwise: Option<&Stmt>,
    code: &mut Code,
) {
    let select = code.len();
    code.push(Instr::End); // patched below
    let mut ends = Vec::new();
    let targets = emit_arms(arms, code, &mut ends);
    let no_guard = match otherwise {
        Some(else_body) => {
            let at = code.len();
            emit(else_body, code);
            NoGuard::Goto(at)
        }
        None => NoGuard::Wait,
    };
    let after = code.len();
    for end in ends {
        code[end] = Instr::Jump(after);
    }
    code[select] = Instr::Select {
        reads_values: reads_channel_values(&targets),
        arms: targets,
        nondeterministic,
        otherwise: no_guard,
        delay: stmt.delay,
        span: stmt.span.clone(),
    };
}

/// `*[g1 -> S1 [] ...]`: a select whose arms jump back to it, leaving when no guard holds.
fn emit_loop(stmt: &Stmt, nondeterministic: bool, arms: &[Arm], code: &mut Code) {
    let top = code.len();
    code.push(Instr::End); // patched below
    let mut ends = Vec::new();
    let targets = emit_arms(arms, code, &mut ends);
    for end in ends {
        code[end] = Instr::Jump(top);
    }
    code[top] = Instr::Select {
        reads_values: reads_channel_values(&targets),
        arms: targets,
        nondeterministic,
        otherwise: NoGuard::Goto(code.len()),
        delay: stmt.delay,
        span: stmt.span.clone(),
    };
}

fn reads_channel_values(arms: &[(Expr, Pc)]) -> bool {
    arms.iter().any(|(guard, _)| guard.reads_channel_value())
}

fn is_always_true(guard: &Expr) -> bool {
    matches!(guard.kind, ExprKind::Const(Constant::Small(1)))
}

/// Emits each arm's body followed by a jump placeholder (recorded in `ends`); returns the
/// guards with their entry points.
fn emit_arms(arms: &[Arm], code: &mut Code, ends: &mut Vec<Pc>) -> Vec<(Expr, Pc)> {
    arms.iter()
        .map(|arm| {
            let entry = code.len();
            emit(&arm.body, code);
            ends.push(code.len());
            code.push(Instr::End); // patched by the caller
            (arm.guard.clone(), entry)
        })
        .collect()
}
