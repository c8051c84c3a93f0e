//! One CHP process running on the kernel: a loop over its compiled code.
//!
//! A process is a task; each parallel branch (`S1, S2`) beyond the first is a further task of
//! the same process, and all of them share the process's variables. Every action waits its delay
//! on the kernel clock (ACT's timing: 10 ticks by default for an assignment, a communication
//! after both ends are there, a guard evaluation or a loop iteration; `log` is free).
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::code::{Instr, NoGuard, Pc};
use super::eval::{element_index, eval, extract_bits, insert_bits, port_slot, Env, Fault};
use super::value::Value;
use crate::elab::ir::{Expr, ExprKind, LogArg, Place, Radix, Span, Ty};
use crate::kernel::{Ctx, Receiver, Sender, TaskId, Time, Wait};

/// A port of a running process.
pub enum Port {
    Send { end: Sender<Value>, ty: Option<Ty> },
    Receive { end: Receiver<Value> },
}

impl Port {
    pub fn probe(&self) -> bool {
        match self {
            Port::Send { end, .. } => end.probe(),
            Port::Receive { end } => end.probe(),
        }
    }

    fn watch(&self) {
        match self {
            Port::Send { end, .. } => end.watch(),
            Port::Receive { end } => end.watch(),
        }
    }

    fn unwatch(&self) {
        match self {
            Port::Send { end, .. } => end.unwatch(),
            Port::Receive { end } => end.unwatch(),
        }
    }
}

/// A runtime error: where and when the run stopped.
#[derive(Debug, Clone)]
pub struct RuntimeError {
    pub time: Time,
    pub process: String,
    pub span: Span,
    pub message: String,
}

/// What all processes of a run share.
pub struct RunShared {
    pub ctx: Ctx,
    pub rng: RefCell<ChaCha8Rng>,
    pub fault: RefCell<Option<RuntimeError>>,
}

pub struct Process {
    pub path: String,
    pub code: Rc<[Instr]>,
    pub vars: RefCell<Vec<Value>>,
    pub ports: Vec<Port>,
    pub delay: Time,
    pub run: Rc<RunShared>,
}

/// Where parallel branches meet.
pub struct Join {
    remaining: Cell<usize>,
    parked: Cell<Option<TaskId>>,
}

impl Process {
    fn fail(&self, fault: Fault) {
        let ctx = &self.run.ctx;
        let message = fault.message.clone();
        self.run.fault.borrow_mut().get_or_insert(RuntimeError {
            time: ctx.now(),
            process: self.path.clone(),
            span: fault.span,
            message: fault.message,
        });
        ctx.fail(&message);
    }

    fn eval(&self, e: &Expr) -> Result<Value, Fault> {
        let vars = self.vars.borrow();
        eval(
            e,
            &Env {
                vars: &vars,
                ports: &self.ports,
            },
        )
    }

    fn delay_of(&self, delay: Option<u64>) -> Time {
        delay.unwrap_or(self.delay)
    }

    fn store(&self, place: &Place, value: Value) -> Result<(), Fault> {
        match place {
            Place::Var { slot, ty } => self.vars.borrow_mut()[*slot] = value.truncated(ty.width()),
            Place::Element {
                base,
                len,
                index,
                ty,
                ..
            } => {
                let i = {
                    let vars = self.vars.borrow();
                    element_index(
                        index,
                        *len,
                        &Env {
                            vars: &vars,
                            ports: &self.ports,
                        },
                    )?
                };
                self.vars.borrow_mut()[base + i] = value.truncated(ty.width());
            }
            Place::Bits { inner, hi, lo } => {
                let old = self.read(inner)?;
                let field = value.truncated(hi - lo + 1);
                let updated = insert_bits(old, field, *hi, *lo, inner.ty().width());
                self.store(inner, updated)?;
            }
        }
        Ok(())
    }

    fn read(&self, place: &Place) -> Result<Value, Fault> {
        let vars = self.vars.borrow();
        let env = Env {
            vars: &vars,
            ports: &self.ports,
        };
        Ok(match place {
            Place::Var { slot, .. } => vars[*slot].clone(),
            Place::Element {
                base, len, index, ..
            } => vars[base + element_index(index, *len, &env)?].clone(),
            Place::Bits { inner, hi, lo } => {
                drop(vars);
                extract_bits(self.read(inner)?, *hi, *lo)
            }
        })
    }

    fn port(&self, port: &crate::elab::ir::PortRef) -> Result<&Port, Fault> {
        let vars = self.vars.borrow();
        let slot = port_slot(
            port,
            &Env {
                vars: &vars,
                ports: &self.ports,
            },
        )?;
        Ok(&self.ports[slot])
    }

    fn format_log(&self, args: &[LogArg]) -> Result<String, Fault> {
        let mut text = String::new();
        for arg in args {
            match arg {
                LogArg::Text(s) => text.push_str(s),
                LogArg::Value { expr, radix } => {
                    let radix = match radix {
                        Radix::Decimal => 10,
                        Radix::Hex => 16,
                        Radix::Binary => 2,
                    };
                    text.push_str(&self.eval(expr)?.format(radix));
                }
            }
        }
        Ok(text)
    }

    /// Evaluates the guards; `Ok(None)` when none holds.
    fn choose(
        &self,
        arms: &[(Expr, Pc)],
        nondeterministic: bool,
        span: &Span,
    ) -> Result<Option<Pc>, Fault> {
        let mut chosen: Option<Pc> = None;
        let mut true_count = 0usize;
        for (guard, target) in arms {
            if self.eval(guard)?.is_true() {
                true_count += 1;
                if chosen.is_none() {
                    chosen = Some(*target);
                } else if !nondeterministic {
                    return Err(Fault::new(
                        span,
                        "more than one guard is true in a deterministic selection (use [| ... |] for a nondeterministic choice)",
                    ));
                }
            }
        }
        if nondeterministic && true_count > 1 {
            let pick = self.run.rng.borrow_mut().random_range(0..true_count);
            let mut seen = 0;
            for (guard, target) in arms {
                if self.eval(guard)?.is_true() {
                    if seen == pick {
                        return Ok(Some(*target));
                    }
                    seen += 1;
                }
            }
        }
        Ok(chosen)
    }

    /// The ports probed by `arms`' guards, into `out`.
    fn probed_ports(&self, arms: &[(Expr, Pc)], out: &mut Vec<usize>) -> Result<(), Fault> {
        out.clear();
        let vars = self.vars.borrow();
        let env = Env {
            vars: &vars,
            ports: &self.ports,
        };
        for (guard, _) in arms {
            collect_probes(guard, &env, out)?;
        }
        Ok(())
    }
}

fn collect_probes(e: &Expr, env: &Env<'_>, out: &mut Vec<usize>) -> Result<(), Fault> {
    match &e.kind {
        ExprKind::Probe(port) => out.push(port_slot(port, env)?),
        ExprKind::Const(_) | ExprKind::Var(_) => {}
        ExprKind::Element { index, .. } => collect_probes(index, env, out)?,
        ExprKind::Unary(_, a) | ExprKind::Bits { inner: a, .. } => collect_probes(a, env, out)?,
        ExprKind::Binary(_, a, b) => {
            collect_probes(a, env, out)?;
            collect_probes(b, env, out)?;
        }
        ExprKind::Concat(parts) => {
            for p in parts {
                collect_probes(p, env, out)?;
            }
        }
    }
    Ok(())
}

/// Runs `process` from `pc` until its code ends; `origin` is the fork this task is a branch of.
pub async fn run_thread(process: Rc<Process>, pc: Pc, origin: Option<Rc<Join>>) {
    if let Err(fault) = execute(&process, pc, origin).await {
        process.fail(fault);
    }
}

async fn execute(p: &Rc<Process>, mut pc: Pc, origin: Option<Rc<Join>>) -> Result<(), Fault> {
    let ctx = &p.run.ctx;
    // Forks this task is running the first branch of, innermost last, with their join points.
    let mut joins: Vec<(Rc<Join>, Pc)> = Vec::new();
    let mut probes: Vec<usize> = Vec::new();
    loop {
        match &p.code[pc] {
            Instr::Assign {
                target,
                value,
                delay,
            } => {
                let v = p.eval(value)?;
                p.store(target, v)?;
                ctx.delay(p.delay_of(*delay)).await;
                pc += 1;
            }
            Instr::Send {
                port,
                value,
                delay,
                span,
            } => {
                let Port::Send { end, ty } = p.port(port)? else {
                    unreachable!("elaboration checks port directions")
                };
                let v = match value {
                    Some(e) => p.eval(e)?,
                    None => Value::Small(0),
                };
                if let (Some(ty), Some(e)) = (ty, value) {
                    if !v.fits(ty.width()) {
                        return Err(Fault::new(
                            &e.span,
                            format!(
                                "value {} does not fit the channel's type {ty}",
                                v.format(10)
                            ),
                        ));
                    }
                }
                end.send_at(v, p.delay_of(*delay), span.start as u32).await;
                pc += 1;
            }
            Instr::Receive {
                port,
                target,
                delay,
                span,
            } => {
                let Port::Receive { end } = p.port(port)? else {
                    unreachable!("elaboration checks port directions")
                };
                let v = end.recv_at(p.delay_of(*delay), span.start as u32).await;
                if let Some(target) = target {
                    p.store(target, v)?;
                }
                pc += 1;
            }
            Instr::Log(args) => {
                if ctx.is_observed() {
                    ctx.log(&p.format_log(args)?);
                }
                pc += 1;
            }
            Instr::Assert {
                condition,
                message,
                span,
            } => {
                if !p.eval(condition)?.is_true() {
                    let text = p.format_log(message)?;
                    let message = if text.is_empty() {
                        "assertion failed".to_string()
                    } else {
                        format!("assertion failed: {text}")
                    };
                    return Err(Fault::new(span, message));
                }
                pc += 1;
            }
            Instr::Pause { delay } => {
                ctx.delay(p.delay_of(*delay)).await;
                pc += 1;
            }
            Instr::Jump(target) => pc = *target,
            Instr::Select {
                arms,
                nondeterministic,
                otherwise,
                delay,
                span,
            } => {
                loop {
                    ctx.delay(p.delay_of(*delay)).await;
                    if let Some(target) = p.choose(arms, *nondeterministic, span)? {
                        pc = target;
                        break;
                    }
                    if let NoGuard::Goto(target) = otherwise {
                        pc = *target;
                        break;
                    }
                    // No guard holds: only a probed channel can change that.
                    p.probed_ports(arms, &mut probes)?;
                    ctx.set_site(span.start as u32);
                    for &slot in &probes {
                        p.ports[slot].watch();
                    }
                    ctx.park(Wait::Guard).await;
                    for &slot in &probes {
                        p.ports[slot].unwatch();
                    }
                }
            }
            Instr::JumpIf {
                condition,
                target,
                delay,
            } => {
                ctx.delay(p.delay_of(*delay)).await;
                pc = if p.eval(condition)?.is_true() {
                    *target
                } else {
                    pc + 1
                };
            }
            Instr::Fork { branches, join } => {
                let meeting = Rc::new(Join {
                    remaining: Cell::new(branches.len()),
                    parked: Cell::new(None),
                });
                for &entry in &branches[1..] {
                    let branch: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> =
                        Box::pin(run_thread(p.clone(), entry, Some(meeting.clone())));
                    ctx.spawn_branch(branch);
                }
                joins.push((meeting, *join));
                pc = branches[0];
            }
            Instr::EndBranch => match joins.pop() {
                Some((meeting, join)) => {
                    meeting.remaining.set(meeting.remaining.get() - 1);
                    if meeting.remaining.get() > 0 {
                        meeting.parked.set(Some(ctx.current_task()));
                        ctx.park(Wait::Join).await;
                    }
                    pc = join;
                }
                None => {
                    let meeting = origin.expect("a spawned branch knows its fork");
                    meeting.remaining.set(meeting.remaining.get() - 1);
                    if meeting.remaining.get() == 0 {
                        if let Some(parent) = meeting.parked.take() {
                            ctx.wake(parent);
                        }
                    }
                    return Ok(());
                }
            },
            Instr::End => return Ok(()),
        }
    }
}
