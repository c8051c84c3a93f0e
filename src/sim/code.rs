//! Compiles a program's statement tree to flat code: control flow becomes jumps, so the
//! interpreter runs a simple loop over instructions with no recursion and no allocation.
use crate::elab::ir::{
    Arm, Expr, ExprKind, Flavor, LogArg, LogKind, Place, PortRef, Span, Stmt, StmtKind,
};

use crate::kernel::Time;

pub(crate) type Pc = usize;

#[derive(Debug)]
pub(crate) enum Instr {
    Assign {
        target: Place,
        value: Expr,
        delay: Option<u64>,
        /// What it adds to the process's energy when it runs (see [`crate::elab::delays`]);
        /// a communication's when it completes, a pause's or a guard's each time it fires.
        energy: u64,
        /// The ticks it adds to the delay of the thread's next event (`D_bw`), an
        /// assignment's when it runs, a communication's when it completes.
        bandwidth: u32,
        span: Span,
    },
    Send {
        port: PortRef,
        value: Option<Expr>,
        /// Where an exchange's reply goes (`X!e?v`).
        reply: Option<Place>,
        flavor: Option<Flavor>,
        delay: Option<u64>,
        energy: u64,
        bandwidth: u32,
        span: Span,
    },
    Receive {
        port: PortRef,
        target: Option<Place>,
        /// What an exchange sends back (`X?v!e`).
        reply: Option<Expr>,
        flavor: Option<Flavor>,
        delay: Option<u64>,
        energy: u64,
        bandwidth: u32,
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
        energy: u64,
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
        energy: u64,
        span: Span,
    },
    /// Wait the guard delay, then jump to `target` if `condition` holds (the do-loop's test).
    JumpIf {
        condition: Expr,
        target: Pc,
        delay: Option<u64>,
        energy: u64,
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
    /// Goes on when `port` is wired (to the channel methods that follow), else to `native`,
    /// the communication itself.
    Wired {
        port: PortRef,
        native: Pc,
    },
    /// The channel methods of wired `port` start (`starts`) or finish: see
    /// [`super::wired::protocol_step`]. `amid`: a finish that leaves the protocol amid (`X!+`,
    /// for `X!-` to finish). Free, but an event plan may fire it with the timed instruction
    /// after it.
    WiredProtocol {
        port: PortRef,
        starts: bool,
        amid: bool,
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
            | Instr::Pause { delay, span, .. }
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
                // Fires with the timed instruction after it, if one follows at once (see
                // `Thread::fire`): a wired communication stays one event.
                Instr::WiredProtocol { .. } => {
                    let next = code[pc + 1].timing().map_or(0, |(d, _)| delay_of(d));
                    return Some((total.checked_add(next)?, pc));
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

/// How statements become events.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CompileOptions {
    /// Every statement actsim's CHP engine runs as an event of its own is one here too: a
    /// log line, an assertion and the start of a parallel composition each get an event of no
    /// delay before them (actsim runs them as events of delay 0), so that counting events
    /// (`step N`) stops where actsim stops. Timing is unchanged.
    pub actsim_events: bool,
}

/// Compiles `body` and finds where each of `labels` (a label and its statement's span, see
/// [`crate::elab::ir::Program::labels`]) enters the code: actsim's `goto` targets. A label
/// given twice keeps its first statement, as in actsim.
pub(crate) fn compile(
    body: &Stmt,
    labels: &[(String, Span)],
    options: CompileOptions,
) -> (Vec<Instr>, Vec<(String, Pc)>) {
    let mut emitter = Emitter {
        code: Vec::new(),
        labels,
        entries: Vec::new(),
        options,
    };
    emitter.emit(body);
    emitter.code.push(Instr::End);
    (emitter.code, emitter.entries)
}

/// The code being emitted, and the labelled statements' entries found so far.
struct Emitter<'a> {
    code: Vec<Instr>,
    labels: &'a [(String, Span)],
    entries: Vec<(String, Pc)>,
    options: CompileOptions,
}

impl Emitter<'_> {
    /// Notes where `stmt` starts, if it is labelled (its first emission: a statement wrapped
    /// in another of the same span starts at the same place).
    fn enter(&mut self, stmt: &Stmt) {
        for (label, span) in self.labels {
            let same = span.start == stmt.span.start && span.end == stmt.span.end;
            if same && !self.entries.iter().any(|(l, _)| l == label) {
                self.entries.push((label.clone(), self.code.len()));
            }
        }
    }

    /// An event of no delay for a statement actsim runs as an event of its own (see
    /// [`CompileOptions::actsim_events`]).
    fn actsim_event(&mut self, span: &Span) {
        if self.options.actsim_events {
            self.code.push(Instr::Pause {
                delay: Some(0),
                energy: 0,
                span: span.clone(),
            });
        }
    }

    fn emit(&mut self, stmt: &Stmt) {
        // A label names the statement itself, after its event (`goto` then runs it at once).
        if matches!(stmt.kind, StmtKind::Log { .. } | StmtKind::Assert { .. }) {
            self.actsim_event(&stmt.span);
        }
        self.enter(stmt);
        let (delay, energy, bandwidth) = (stmt.delay, stmt.energy, stmt.bandwidth);
        match &stmt.kind {
            StmtKind::Skip => {
                if delay.is_some() {
                    self.code.push(Instr::Pause {
                        delay,
                        energy: 0,
                        span: stmt.span.clone(),
                    });
                }
            }
            StmtKind::Assign { target, value } => self.code.push(Instr::Assign {
                target: target.clone(),
                value: value.clone(),
                delay,
                energy,
                bandwidth,
                span: stmt.span.clone(),
            }),
            StmtKind::Send {
                wired: Some(wired),
                port,
                ..
            }
            | StmtKind::Receive {
                wired: Some(wired),
                port,
                ..
            } => self.emit_wired(stmt, port, wired),
            StmtKind::Send {
                port,
                value,
                reply,
                flavor,
                ..
            } => self.code.push(Instr::Send {
                port: port.clone(),
                value: value.clone(),
                reply: reply.clone(),
                flavor: *flavor,
                delay,
                energy,
                bandwidth,
                span: stmt.span.clone(),
            }),
            StmtKind::Receive {
                port,
                target,
                reply,
                flavor,
                ..
            } => self.code.push(Instr::Receive {
                port: port.clone(),
                target: target.clone(),
                reply: reply.clone(),
                flavor: *flavor,
                delay,
                energy,
                bandwidth,
                span: stmt.span.clone(),
            }),
            StmtKind::Log { kind, args } => self.code.push(Instr::Log {
                kind: *kind,
                args: args.clone(),
            }),
            StmtKind::Assert { condition, message } => self.code.push(Instr::Assert {
                condition: condition.clone(),
                message: message.clone(),
                span: stmt.span.clone(),
            }),
            StmtKind::Seq(items) => items.iter().for_each(|s| self.emit(s)),
            StmtKind::Par(branches) => self.emit_par(stmt, branches),
            StmtKind::Select { .. } | StmtKind::Loop { .. } => match expanded(stmt) {
                Some(Expanded::Body(body)) => self.emit(body),
                Some(Expanded::Select {
                    arms,
                    otherwise,
                    nondeterministic,
                }) => self.emit_select(stmt, nondeterministic, &arms, otherwise),
                Some(Expanded::Loop {
                    arms,
                    forever: true,
                    ..
                }) => {
                    let top = self.code.len();
                    self.code.push(Instr::Pause {
                        delay,
                        energy,
                        span: stmt.span.clone(),
                    });
                    self.emit(&arms[0].body);
                    self.code.push(Instr::Jump(top));
                }
                Some(Expanded::Loop {
                    arms,
                    nondeterministic,
                    otherwise,
                    ..
                }) => self.emit_loop(stmt, nondeterministic, &arms, otherwise),
                Some(Expanded::Nothing) | None => {}
            },
            StmtKind::DoLoop { body, condition } => {
                let top = self.code.len();
                self.emit(body);
                let empty = self.code.len() == top;
                self.code.push(Instr::JumpIf {
                    condition: condition.clone(),
                    target: top,
                    // actsim: an iteration of an empty do-loop takes one tick.
                    delay: if empty { delay.or(Some(1)) } else { delay },
                    energy,
                    span: stmt.span.clone(),
                    spins: empty && !condition.watches_channels(),
                });
            }
        }
    }

    /// A communication on `port` that may be wired: when it is, the statement's delay, then
    /// the channel methods (`wired`, which take no time); else the communication itself.
    fn emit_wired(&mut self, stmt: &Stmt, port: &PortRef, wired: &Stmt) {
        let switch = self.code.len();
        self.code.push(Instr::End); // patched below
                                    // Its energy is spent as it starts: the protocol that follows runs in the same event.
        self.code.push(Instr::Pause {
            delay: stmt.delay,
            energy: stmt.energy,
            span: stmt.span.clone(),
        });
        let slot_protocol = |starts, amid| Instr::WiredProtocol {
            port: port.clone(),
            starts,
            amid,
        };
        self.code.push(slot_protocol(true, false));
        self.emit(wired);
        // `X!+` leaves the protocol amid, for `X!-` to finish.
        let flavor = match &stmt.kind {
            StmtKind::Send { flavor, .. } | StmtKind::Receive { flavor, .. } => *flavor,
            _ => None,
        };
        self.code
            .push(slot_protocol(false, flavor == Some(Flavor::Plus)));
        let jump = self.code.len();
        self.code.push(Instr::End); // patched below
        let native = self.code.len();
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
            energy: stmt.energy,
            bandwidth: stmt.bandwidth,
        };
        self.emit(&plain);
        self.code[switch] = Instr::Wired {
            port: port.clone(),
            native,
        };
        self.code[jump] = Instr::Jump(self.code.len());
    }

    /// `S1, S2, ...`: a fork to each branch's code, each ending at an `EndBranch`; they join
    /// after.
    fn emit_par(&mut self, stmt: &Stmt, branches: &[Stmt]) {
        // `(, i : 0 : S)` has no branch: nothing to fork (a fork needs a first branch to run).
        // One branch is that branch alone, no fork (and so no event), as actsim builds it.
        let [first, rest @ ..] = branches else {
            return;
        };
        if rest.is_empty() {
            self.emit(first);
            return;
        }
        self.actsim_event(&stmt.span);
        let fork = self.code.len();
        self.code.push(Instr::End); // patched below
        let mut entries = Vec::with_capacity(branches.len());
        for branch in branches {
            entries.push(self.code.len());
            self.emit(branch);
            self.code.push(Instr::EndBranch);
        }
        self.code[fork] = Instr::Fork {
            branches: entries,
            join: self.code.len(),
        };
    }

    /// `[g1 -> S1 [] ... [] else -> S]`: a select over the arms' code, each arm jumping past
    /// the end; without `else`, waiting until a guard holds.
    fn emit_select(
        &mut self,
        stmt: &Stmt,
        nondeterministic: bool,
        arms: &[Arm],
        otherwise: Option<&Stmt>,
    ) {
        let select = self.code.len();
        self.code.push(Instr::End); // patched below
        let mut ends = Vec::new();
        let targets = self.emit_arms(arms, &mut ends);
        let no_guard = match otherwise {
            Some(else_body) => {
                let at = self.code.len();
                self.emit(else_body);
                NoGuard::Goto(at)
            }
            None => NoGuard::Wait,
        };
        let after = self.code.len();
        for end in ends {
            self.code[end] = Instr::Jump(after);
        }
        self.code[select] = Instr::Select {
            reads_values: reads_channel_values(&targets),
            arms: targets,
            nondeterministic,
            otherwise: no_guard,
            delay: stmt.delay,
            energy: stmt.energy,
            span: stmt.span.clone(),
        };
    }

    /// `*[g1 -> S1 [] ...]`: a select whose arms jump back to it, leaving when no guard holds
    /// (or, with `else`, running its body and jumping back too).
    fn emit_loop(
        &mut self,
        stmt: &Stmt,
        nondeterministic: bool,
        arms: &[Arm],
        otherwise: Option<&Stmt>,
    ) {
        let top = self.code.len();
        self.code.push(Instr::End); // patched below
        let mut ends = Vec::new();
        let targets = self.emit_arms(arms, &mut ends);
        let else_entry = otherwise.map(|body| {
            let at = self.code.len();
            self.emit(body);
            ends.push(self.code.len());
            self.code.push(Instr::End); // patched below
            at
        });
        for end in ends {
            self.code[end] = Instr::Jump(top);
        }
        self.code[top] = Instr::Select {
            reads_values: reads_channel_values(&targets),
            arms: targets,
            nondeterministic,
            otherwise: NoGuard::Goto(else_entry.unwrap_or(self.code.len())),
            delay: stmt.delay,
            energy: stmt.energy,
            span: stmt.span.clone(),
        };
    }

    /// Emits each arm's body followed by a jump placeholder (recorded in `ends`); returns the
    /// guards with their entry points.
    fn emit_arms(&mut self, arms: &[Arm], ends: &mut Vec<Pc>) -> Vec<(Expr, Pc)> {
        arms.iter()
            .map(|arm| {
                let entry = self.code.len();
                self.emit(&arm.body);
                ends.push(self.code.len());
                self.code.push(Instr::End); // patched by the caller
                (arm.guard.clone(), entry)
            })
            .collect()
    }
}

fn reads_channel_values(arms: &[(Expr, Pc)]) -> bool {
    arms.iter().any(|(guard, _)| guard.reads_channel_value())
}

/// The arms whose guard is not the constant false.
/// What ACT's expansion leaves of a selection or a loop (`None` for another statement): arms
/// whose guard is the constant false are dropped; a selection left with one arm whose guard is
/// true, or with only its `else`, is that body alone (no selection, and so no event); a loop
/// left with no arm is nothing, and one left with one arm that is always true is `*[S]`.
pub(super) enum Expanded<'s> {
    Nothing,
    Body(&'s Stmt),
    Select {
        arms: Vec<Arm>,
        otherwise: Option<&'s Stmt>,
        nondeterministic: bool,
    },
    Loop {
        arms: Vec<Arm>,
        forever: bool,
        nondeterministic: bool,
        otherwise: Option<&'s Stmt>,
    },
}

pub(super) fn expanded(stmt: &Stmt) -> Option<Expanded<'_>> {
    Some(match &stmt.kind {
        StmtKind::Select {
            nondeterministic,
            arms,
            otherwise,
        } => {
            let kept = live_arms(arms);
            match (kept.as_slice(), otherwise.as_deref()) {
                ([], Some(body)) => Expanded::Body(body),
                // No arm can ever be taken: the selection keeps them all (and waits forever).
                ([], None) => Expanded::Select {
                    arms: arms.clone(),
                    otherwise: None,
                    nondeterministic: *nondeterministic,
                },
                ([_], None) if constant_truth(&kept[0].guard) == Some(true) => {
                    let arm = arms.iter().find(|a| constant_truth(&a.guard) == Some(true));
                    Expanded::Body(&arm.expect("the live arm").body)
                }
                _ => Expanded::Select {
                    arms: kept,
                    otherwise: otherwise.as_deref(),
                    nondeterministic: *nondeterministic,
                },
            }
        }
        StmtKind::Loop {
            nondeterministic,
            arms,
            otherwise,
        } => {
            let kept = live_arms(arms);
            let otherwise = otherwise.as_deref();
            match (kept.as_slice(), otherwise) {
                ([], None) => Expanded::Nothing,
                // Only the `else` is left: each pass evaluates no guard and runs it.
                ([], Some(_)) | ([_, ..], Some(_)) => Expanded::Loop {
                    arms: kept,
                    forever: false,
                    nondeterministic: *nondeterministic,
                    otherwise,
                },
                ([arm], None) => Expanded::Loop {
                    forever: constant_truth(&arm.guard) == Some(true),
                    arms: kept,
                    nondeterministic: *nondeterministic,
                    otherwise,
                },
                _ => Expanded::Loop {
                    arms: kept,
                    forever: false,
                    nondeterministic: *nondeterministic,
                    otherwise: None,
                },
            }
        }
        _ => return None,
    })
}

fn live_arms(arms: &[Arm]) -> Vec<Arm> {
    (arms.iter())
        .filter(|arm| constant_truth(&arm.guard) != Some(false))
        .cloned()
        .collect()
}

/// The value of a guard made of constants only (ACT folds such guards when it expands a
/// process); `None` when it reads anything else, or cannot be computed.
fn constant_truth(guard: &Expr) -> Option<bool> {
    constant_value(guard).map(|v| v.is_true())
}

/// The value of an expression made of constants only (as [`constant_truth`]).
pub(super) fn constant_value(e: &Expr) -> Option<super::value::Value> {
    if !is_constant(e) {
        return None;
    }
    let env = super::eval::Env {
        vars: &[],
        ports: &[],
    };
    super::eval::eval(e, &env).ok()
}

fn is_constant(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Const(_) => true,
        ExprKind::Unary(_, inner) | ExprKind::Resize(inner) => is_constant(inner),
        ExprKind::Bits { inner, .. } => is_constant(inner),
        ExprKind::Binary(_, a, b) => is_constant(a) && is_constant(b),
        ExprKind::Conditional(c, a, b) => is_constant(c) && is_constant(a) && is_constant(b),
        ExprKind::Concat(parts) => parts.iter().all(is_constant),
        _ => false,
    }
}
