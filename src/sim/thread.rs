//! The interpreter proper: one thread of a process (the process itself, or a parallel branch
//! of it) running its compiled code as a hand-written future.
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::code::{Instr, NoGuard, Pc};
use super::eval::Fault;
use super::process::{Port, Process};
use super::value::Value;
use crate::kernel::{TaskId, Time, Wait};

/// Where parallel branches meet.
pub struct Join {
    remaining: Cell<usize>,
    parked: Cell<Option<TaskId>>,
}

/// What a thread is suspended on, to finish when it is resumed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Blocked {
    Running,
    /// A delay; then go on with the next instruction.
    Delay(Time),
    /// A guard delay; then evaluate the selection (or do-loop test) at `pc`.
    Evaluate(Time),
    /// A receive on this port slot.
    Receive(usize),
    /// A send on this port slot.
    Send(usize),
    /// No guard held; watching the probed ports in `probes`.
    Guard,
    /// Waiting for the parallel branches of the innermost fork.
    Join,
}

/// One thread of a process: the process itself, or a parallel branch of it. A hand-written
/// future: it runs instructions until one has to wait, notes what it waits on, and returns
/// `Pending`; the kernel resumes it when the wait is over.
pub struct Thread {
    process: Rc<Process>,
    pc: Pc,
    blocked: Blocked,
    /// The fork this thread is a spawned branch of.
    origin: Option<Rc<Join>>,
    /// Forks this thread runs the first branch of, innermost last, with their join points.
    joins: Vec<(Rc<Join>, Pc)>,
    /// The ports watched while `Blocked::Guard`.
    probes: Vec<usize>,
}

impl Thread {
    pub fn new(process: Rc<Process>, pc: Pc, origin: Option<Rc<Join>>) -> Self {
        Thread {
            process,
            pc,
            blocked: Blocked::Running,
            origin,
            joins: Vec::new(),
            probes: Vec::new(),
        }
    }

    /// Finishes what the thread was blocked on; `Ok(false)` while it must keep waiting.
    fn unblock(&mut self) -> Result<bool, Fault> {
        let p = &*self.process;
        let now = p.run.ctx.now();
        match self.blocked {
            Blocked::Running => {}
            Blocked::Delay(until) => {
                if now < until {
                    return Ok(false);
                }
                self.pc += 1;
            }
            Blocked::Evaluate(until) => {
                if now < until {
                    return Ok(false);
                }
                self.blocked = Blocked::Running;
                return self.evaluate();
            }
            Blocked::Receive(slot) => {
                let Port::Receive { end } = &p.ports[slot] else {
                    unreachable!("blocked on a receive port")
                };
                let Some(v) = end.try_finish_recv() else {
                    return Ok(false);
                };
                if let Instr::Receive {
                    target: Some(target),
                    ..
                } = &p.code[self.pc]
                {
                    p.store(target, v)?;
                }
                self.pc += 1;
            }
            Blocked::Send(slot) => {
                let Port::Send { end, .. } = &p.ports[slot] else {
                    unreachable!("blocked on a send port")
                };
                if !end.send_completed() {
                    return Ok(false);
                }
                self.pc += 1;
            }
            Blocked::Guard => {
                for &slot in &self.probes {
                    p.ports[slot].unwatch();
                }
                // A probed channel changed: evaluate the guards again, after the guard delay.
                let Instr::Select { delay, span, .. } = &p.code[self.pc] else {
                    unreachable!("guard wait at a selection")
                };
                let until = p.after(*delay, span)?;
                self.blocked = Blocked::Evaluate(until);
                p.run.ctx.resume_at(until);
                return Ok(false);
            }
            Blocked::Join => {
                let (meeting, join) = self.joins.last().expect("joining a fork");
                if meeting.remaining.get() > 0 {
                    return Ok(false);
                }
                self.pc = *join;
                self.joins.pop();
            }
        }
        self.blocked = Blocked::Running;
        Ok(true)
    }

    /// Evaluates the selection or do-loop test at `pc` (its guard delay has passed).
    fn evaluate(&mut self) -> Result<bool, Fault> {
        let p = &*self.process;
        match &p.code[self.pc] {
            Instr::Select {
                arms,
                nondeterministic,
                otherwise,
                span,
                ..
            } => {
                if let Some(target) = p.choose(arms, *nondeterministic, span)? {
                    self.pc = target;
                    return Ok(true);
                }
                if let NoGuard::Goto(target) = otherwise {
                    self.pc = *target;
                    return Ok(true);
                }
                // No guard holds: only a probed channel can change that.
                p.probed_ports(arms, &mut self.probes)?;
                for &slot in &self.probes {
                    p.ports[slot].watch();
                }
                // Waiting for input to arrive is how a server idles; waiting only for receivers
                // (or for nothing a channel can change) is stuck, like a send.
                let waits_for_input = self
                    .probes
                    .iter()
                    .any(|&slot| matches!(p.ports[slot], Port::Receive { .. }));
                let wait = if waits_for_input {
                    Wait::Probe
                } else {
                    Wait::Guard
                };
                p.run.ctx.note_wait(wait, Some(span.start as u32));
                self.blocked = Blocked::Guard;
                Ok(false)
            }
            Instr::JumpIf {
                condition, target, ..
            } => {
                self.pc = if p.eval(condition)?.is_true() {
                    *target
                } else {
                    self.pc + 1
                };
                Ok(true)
            }
            _ => unreachable!("only selections and do-loops are evaluated"),
        }
    }

    /// Runs instructions until one has to wait (`Ok(false)`) or the thread ends (`Ok(true)`).
    fn run(&mut self) -> Result<bool, Fault> {
        if !self.unblock()? {
            return Ok(false);
        }
        let process = self.process.clone();
        let p = &*process;
        let ctx = &p.run.ctx;
        loop {
            match &p.code[self.pc] {
                Instr::Assign {
                    target,
                    value,
                    delay,
                    span,
                } => {
                    let v = p.eval(value)?;
                    p.store(target, v)?;
                    return Ok(self.sleep(Blocked::Delay(p.after(*delay, span)?)));
                }
                Instr::Pause { delay, span } => {
                    return Ok(self.sleep(Blocked::Delay(p.after(*delay, span)?)))
                }
                Instr::Send {
                    port,
                    value,
                    delay,
                    span,
                } => {
                    let slot = p.port_slot(port)?;
                    let Port::Send { end, ty } = &p.ports[slot] else {
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
                    end.start_send(v, p.delay_of(*delay), span.start as u32);
                    self.blocked = Blocked::Send(slot);
                    return Ok(false);
                }
                Instr::Receive {
                    port, delay, span, ..
                } => {
                    let slot = p.port_slot(port)?;
                    let Port::Receive { end } = &p.ports[slot] else {
                        unreachable!("elaboration checks port directions")
                    };
                    end.start_recv(p.delay_of(*delay), span.start as u32);
                    self.blocked = Blocked::Receive(slot);
                    return Ok(false);
                }
                Instr::Log(args) => {
                    if ctx.is_observed() {
                        ctx.log(&p.format_log(args)?);
                    }
                    self.pc += 1;
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
                    self.pc += 1;
                }
                Instr::Jump(target) => self.pc = *target,
                Instr::Select { delay, span, .. } | Instr::JumpIf { delay, span, .. } => {
                    return Ok(self.sleep(Blocked::Evaluate(p.after(*delay, span)?)));
                }
                Instr::Fork { branches, join } => {
                    let meeting = Rc::new(Join {
                        remaining: Cell::new(branches.len()),
                        parked: Cell::new(None),
                    });
                    for &entry in &branches[1..] {
                        ctx.spawn_branch(Thread::new(
                            process.clone(),
                            entry,
                            Some(meeting.clone()),
                        ));
                    }
                    self.joins.push((meeting, *join));
                    self.pc = branches[0];
                }
                Instr::EndBranch => match self.joins.last() {
                    Some((meeting, join)) => {
                        meeting.remaining.set(meeting.remaining.get() - 1);
                        if meeting.remaining.get() > 0 {
                            meeting.parked.set(Some(ctx.current_task()));
                            ctx.note_wait(Wait::Join, None);
                            self.blocked = Blocked::Join;
                            return Ok(false);
                        }
                        self.pc = *join;
                        self.joins.pop();
                    }
                    None => {
                        let meeting = self
                            .origin
                            .as_ref()
                            .expect("a spawned branch knows its fork");
                        meeting.remaining.set(meeting.remaining.get() - 1);
                        if meeting.remaining.get() == 0 {
                            if let Some(parent) = meeting.parked.take() {
                                ctx.wake(parent);
                            }
                        }
                        return Ok(true);
                    }
                },
                Instr::End => return Ok(true),
            }
        }
    }

    /// Blocks on a timed wait: the kernel resumes the thread when it is over.
    fn sleep(&mut self, blocked: Blocked) -> bool {
        let (Blocked::Delay(until) | Blocked::Evaluate(until)) = blocked else {
            unreachable!("a timed wait")
        };
        self.process.run.ctx.resume_at(until);
        self.blocked = blocked;
        false
    }
}

impl Future for Thread {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        match this.run() {
            Ok(false) => Poll::Pending,
            Ok(true) => Poll::Ready(()),
            Err(fault) => {
                this.process.fail(fault);
                Poll::Ready(())
            }
        }
    }
}
