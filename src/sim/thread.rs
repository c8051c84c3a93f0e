//! The interpreter proper: one thread of a process (the process itself, or a parallel branch
//! of it) running its compiled code as a hand-written future.
use std::cell::Cell;
use std::future::Future;
use std::ops::ControlFlow;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::code::{Instr, NoGuard, Pc};
use super::error::{Fault, RuntimeErrorKind};
use super::port::Port;
use super::process::{Position, Process};
use super::value::Value;
use crate::elab::ir::LogArg;
use crate::kernel::{LogKind, TaskId, Time, Wait};

mod inspection;
mod reset_mode;

/// actsim's log line for a selection that can never proceed.
const ALL_GUARDS_FALSE: &str = "Warning: all guards false; no probes/shared vars";
/// actsim's log line for a do-loop that can never end or change anything.
const INFINITE_LOOP: &str = "** infinite loop **";

/// Where parallel branches meet.
pub(crate) struct Join {
    remaining: Cell<usize>,
    parked: Cell<Option<TaskId>>,
    /// The `D_bw` of the branch that ended last, for the statement after the join.
    bandwidth: Cell<u32>,
}

/// What a thread is suspended on, to finish when it is resumed. Port slots and pcs are kept
/// as `u32` so that it takes 16 bytes (a million-process design has a million threads). With
/// `repr(u32)` its tag is a plain word: left to itself, the compiler keeps the tag in the niche
/// of `Send`'s `Option`, and every resumption pays for decoding it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
enum Blocked {
    /// Not run yet: its first resumption only reaches its first event.
    Start,
    Running,
    /// The instruction at `pc` waits out its delay: its event fires at this time.
    Fire(Time),
    /// A receive on this port slot; then, if given, the instruction at that pc fires at once
    /// (the channel resumes the thread when its delay is over).
    Receive(u32, Option<u32>),
    /// A send on this port slot; then as for `Receive`.
    Send(u32, Option<u32>),
    /// No guard holds; watching the probed ports in `probes` (`stuck`: watching nothing).
    Guard {
        stuck: bool,
    },
    /// Waiting for the parallel branches of the innermost fork.
    Join,
}

/// One thread of a process: the process itself, or a parallel branch of it. A hand-written
/// future: it runs instructions until one has to wait, notes what it waits on, and returns
/// `Pending`; the kernel resumes it when the wait is over.
pub(crate) struct Thread {
    process: Rc<Process>,
    pc: Pc,
    blocked: Blocked,
    /// The fork this thread is a spawned branch of.
    origin: Option<Rc<Join>>,
    /// Forks and probes, made when the thread first forks or waits on a guard: most threads
    /// never do, and a task of 56 bytes rather than 104 is a smaller allocation per process.
    branching: Option<Box<Branching>>,
    /// Its slot in the process's positions ([`NO_SLOT`] when the run keeps none).
    slot: u32,
    /// The `D_bw` of the statement it completed last (see [`crate::elab::delays`]): added to
    /// the delay of its next event, as actsim adds it.
    bandwidth: u32,
}

/// See [`Thread::branching`]; kept once made, so a thread that forks in a loop allocates once.
#[derive(Default)]
struct Branching {
    /// Forks this thread runs the first branch of, innermost last, with their join points.
    joins: Vec<(Rc<Join>, Pc)>,
    /// The ports watched while `Blocked::Guard`.
    probes: Vec<usize>,
}

/// The slot of a thread whose position nothing keeps.
const NO_SLOT: u32 = u32::MAX;

impl Thread {
    pub(crate) fn new(process: Rc<Process>, pc: Pc, origin: Option<Rc<Join>>) -> Self {
        let slot = match &process.inspection {
            None => NO_SLOT,
            Some(inspection) => {
                let positions = &mut inspection.borrow_mut().positions;
                let free = positions.iter().position(|p| *p == Position::Free);
                let slot = free.unwrap_or_else(|| {
                    positions.push(Position::Free);
                    positions.len() - 1
                });
                positions[slot] = Position::At(pc);
                slot as u32
            }
        };
        Thread {
            process,
            pc,
            blocked: Blocked::Start,
            origin,
            branching: None,
            slot,
            bandwidth: 0,
        }
    }

    /// A thread waiting on guards stops watching what they read (probed ports, variables).
    fn stop_watching_guards(&self) {
        let p = &*self.process;
        let probes = self.branching.as_ref().map(|b| &b.probes[..]);
        for &slot in probes.unwrap_or_default() {
            p.ports[slot].unwatch();
        }
        p.unwatch_vars(p.run.ctx.current_task());
    }

    /// Finishes what the thread was blocked on; `Ok(false)` while it must keep waiting.
    fn unblock(&mut self) -> Result<bool, Fault> {
        let p = &*self.process;
        match self.blocked {
            Blocked::Running => {}
            // actsim schedules a thread's first statement as its first event: the start
            // itself is none.
            Blocked::Start => {
                if p.run.actsim_events {
                    p.run.ctx.uncount_event();
                }
            }
            Blocked::Fire(at) => {
                if p.run.ctx.now() < at {
                    return Ok(false);
                }
                self.blocked = Blocked::Running;
                return self.fire();
            }
            Blocked::Receive(slot, then) => {
                let Port::Receive { end } = &p.ports[slot as usize] else {
                    unreachable!("blocked on a receive port")
                };
                let Some(v) = end.try_finish_recv() else {
                    return Ok(false);
                };
                self.received(v)?;
                return self.go_on(then.map(|pc| pc as Pc));
            }
            Blocked::Send(slot, then) => {
                let Port::Send { end, .. } = &p.ports[slot as usize] else {
                    unreachable!("blocked on a send port")
                };
                if !end.send_completed() {
                    return Ok(false);
                }
                self.sent(slot as usize)?;
                return self.go_on(then.map(|pc| pc as Pc));
            }
            Blocked::Guard { .. } => {
                self.stop_watching_guards();
                // Something a guard reads changed: evaluate again at once, with no delay.
                self.blocked = Blocked::Running;
                return self.evaluate();
            }
            Blocked::Join => {
                let joins = &mut self.branching.as_mut().expect("joining a fork").joins;
                let (meeting, join) = joins.last().expect("joining a fork");
                if meeting.remaining.get() > 0 {
                    return Ok(false);
                }
                self.bandwidth = meeting.bandwidth.get();
                // actsim goes on after the join in the event of the branch that ended last.
                if p.run.actsim_events {
                    p.run.ctx.uncount_event();
                }
                self.pc = *join;
                joins.pop();
            }
        }
        self.blocked = Blocked::Running;
        Ok(true)
    }

    /// The event of the timed instruction at `pc` fires: it acts now. `Ok(false)` when it
    /// has to wait (a communication whose other party is not there, a guard that is false).
    fn fire(&mut self) -> Result<bool, Fault> {
        // Borrowed, not cloned: the Rc's count would be touched twice per event.
        let p = &*self.process;
        match &p.code[self.pc] {
            Instr::Assign {
                target,
                value,
                energy,
                bandwidth,
                ..
            } => {
                p.spend(*energy);
                self.bandwidth = *bandwidth;
                if p.has_undefined.get() && p.in_method(self.pc) {
                    p.assign_in_method(target, value)?;
                } else if p.has_undefined.get() {
                    p.assign_with_x(target, value)?;
                } else {
                    let v = p.eval(value)?;
                    p.store(target, v)?;
                }
                self.pc += 1;
            }
            Instr::Pause { energy, .. } => {
                p.spend(*energy);
                if self.slot != NO_SLOT {
                    self.note_pass();
                }
                self.pc += 1;
            }
            Instr::WiredProtocol { .. } => {
                // Reached by an event plan: the protocol step, then the instruction whose
                // delay the plan folded in (if it is timed), in this one event.
                wired_protocol(p, &p.code[self.pc]);
                self.pc += 1;
                if p.code[self.pc].timing().is_some() {
                    return self.fire();
                }
            }
            Instr::Send {
                port,
                value,
                span,
                flavor,
                ..
            } => {
                let slot = p.port_slot(port)?;
                p.check_flavor(slot, *flavor, '!', span)?;
                let Port::Send { end, .. } = &p.ports[slot] else {
                    unreachable!("elaboration checks port directions")
                };
                let v = match value {
                    Some(e) if p.has_undefined.get() => p.send_with_x((end.id(), false), e)?,
                    Some(e) => p.eval(e)?,
                    None => Value::Small(0),
                };
                let (resume_after, then) = self.after_communication();
                if !end.start_send(v, resume_after, span.start as u32) {
                    self.blocked = Blocked::Send(slot as u32, then.map(|pc| pc as u32));
                    return Ok(false);
                }
                self.sent(slot)?;
            }
            Instr::Receive {
                port,
                target,
                reply,
                span,
                flavor,
                energy,
                bandwidth,
                ..
            } => {
                let slot = p.port_slot(port)?;
                p.check_flavor(slot, *flavor, '?', span)?;
                let Port::Receive { end } = &p.ports[slot] else {
                    unreachable!("elaboration checks port directions")
                };
                let (resume_after, then) = self.after_communication();
                let site = span.start as u32;
                let completed = match reply {
                    None => end.start_recv(resume_after, site),
                    Some(e) if p.has_undefined.get() => {
                        let reply = p.send_with_x((end.id(), true), e)?;
                        end.start_exchange(reply, resume_after, site)
                    }
                    Some(e) => end.start_exchange(p.eval(e)?, resume_after, site),
                };
                match completed {
                    Some(v) => {
                        if p.run.carries_x.get() {
                            p.take_with_x((end.id(), false), target.as_ref(), v)?;
                        } else if let Some(target) = target {
                            p.store(target, v)?;
                        }
                        p.spend(*energy);
                        self.bandwidth = *bandwidth;
                        self.pc += 1;
                    }
                    None => {
                        self.blocked = Blocked::Receive(slot as u32, then.map(|pc| pc as u32));
                        return Ok(false);
                    }
                }
            }
            Instr::Select { .. } | Instr::JumpIf { .. } => return self.evaluate(),
            // A log, an assertion or a fork that a `D_bw` delayed: the thread goes on with it.
            Instr::Log { .. } | Instr::Assert { .. } | Instr::Fork { .. } => {}
            _ => unreachable!("only timed instructions, and those a `D_bw` delays, fire"),
        }
        Ok(true)
    }

    /// After a communication that waits: how long after its completion the thread is to be
    /// resumed, and the instruction that fires then. The next event's delay (with the
    /// communication's `D_bw`) is folded in when the next instruction is timed, so the
    /// waiting party needs no wake-up of its own.
    fn after_communication(&self) -> (Time, Option<Pc>) {
        match self.next_event(self.pc + 1) {
            Some((delay, at)) => {
                let bandwidth = match &self.process.code[self.pc] {
                    Instr::Send { bandwidth, .. } | Instr::Receive { bandwidth, .. } => *bandwidth,
                    _ => 0,
                };
                (delay.saturating_add(bandwidth.into()), Some(at))
            }
            None => (0, None),
        }
    }

    /// Goes on after a completed communication: fires the instruction whose delay was folded
    /// into the wake-up, or runs on from the next one.
    fn go_on(&mut self, then: Option<Pc>) -> Result<bool, Fault> {
        self.blocked = Blocked::Running;
        match then {
            Some(at) => {
                // The communication's `D_bw` is in the delay waited already.
                self.bandwidth = 0;
                self.pc = at;
                self.fire()
            }
            None => Ok(true),
        }
    }

    /// The delay from `pc` to the next event and the instruction that fires then (see
    /// [`super::code::event_plan`]; never planned under `--random-delay`).
    fn next_event(&self, pc: Pc) -> Option<(Time, Pc)> {
        self.process.plan[pc]
    }

    /// After a completed send: spends its energy, stores an exchange's reply and goes on.
    fn sent(&mut self, slot: usize) -> Result<(), Fault> {
        let p = &*self.process;
        let Instr::Send {
            reply,
            energy,
            bandwidth,
            ..
        } = &p.code[self.pc]
        else {
            unreachable!("a send completes")
        };
        p.spend(*energy);
        self.bandwidth = *bandwidth;
        if let Some(target) = reply {
            let Port::Send { end, .. } = &p.ports[slot] else {
                unreachable!("a send port")
            };
            let reply = end.take_reply().expect("an exchange channel sends a reply");
            // Shown to the observers after the store, whose watch line comes first.
            let shown = end.reports_replies().then(|| reply.clone());
            if p.run.carries_x.get() {
                p.take_with_x((end.id(), true), Some(target), reply)?;
            } else {
                p.store(target, reply)?;
            }
            if let Some(reply) = shown {
                end.replied(&reply);
            }
        }
        self.pc += 1;
        Ok(())
    }

    /// Stores a received value into the receive's target, spends its energy and goes on.
    fn received(&mut self, v: Value) -> Result<(), Fault> {
        let p = &*self.process;
        if let Instr::Receive {
            target,
            port,
            energy,
            bandwidth,
            ..
        } = &p.code[self.pc]
        {
            p.spend(*energy);
            self.bandwidth = *bandwidth;
            if p.run.carries_x.get() {
                let chan = match p.port_slot(port).map(|slot| &p.ports[slot]) {
                    Ok(Port::Receive { end }) => end.id(),
                    _ => unreachable!("a receive port"),
                };
                p.take_with_x((chan, false), target.as_ref(), v)?;
            } else if let Some(target) = target {
                p.store(target, v)?;
            }
        }
        self.pc += 1;
        Ok(())
    }

    /// Evaluates the selection or do-loop test at `pc` (its guard delay has passed).
    fn evaluate(&mut self) -> Result<bool, Fault> {
        let p = &*self.process;
        match &p.code[self.pc] {
            Instr::Select {
                arms,
                nondeterministic,
                reads_values,
                otherwise,
                energy,
                span,
                ..
            } => {
                // Every evaluation of the guards, a woken one's too, as in actsim.
                p.spend(*energy);
                let chosen = if p.has_undefined.get() && p.in_method(self.pc) {
                    p.choose_in_method(arms)?
                } else {
                    p.choose(arms, *nondeterministic, *reads_values, span)?
                };
                if let Some(target) = chosen {
                    if self.slot != NO_SLOT {
                        self.note_choice(arms, target);
                    }
                    self.pc = target;
                    return Ok(true);
                }
                if let NoGuard::Goto(target) = otherwise {
                    if self.slot != NO_SLOT {
                        self.note_choice(arms, *target);
                    }
                    self.pc = *target;
                    return Ok(true);
                }
                // No guard holds: only a probed channel or a shared variable can change that.
                let probes = &mut self.branching.get_or_insert_with(Box::default).probes;
                p.probed_ports(arms, probes)?;
                let task = p.run.ctx.current_task();
                let watches_vars = match p.method_switch(self.pc) {
                    // A wait in a channel's methods: see `wired::blocked`.
                    Some(switch) => super::wired::blocked(p, switch, task),
                    None => p.watch_guard_vars(arms, task),
                };
                if probes.is_empty() && !watches_vars && !reads_values {
                    // Nothing can ever make a guard true: the thread stops here, as in actsim.
                    // (A guard that reads a channel's value waits silently, as in actsim.)
                    // Whatever `filter` says, as actsim prints it.
                    p.run.ctx.log_unfiltered(LogKind::Line, ALL_GUARDS_FALSE);
                }
                for &slot in probes.iter() {
                    if p.ports[slot].watch() {
                        return Err(p.probed_by_many(slot, span));
                    }
                }
                // Waiting for input to arrive, or for a shared flag to be raised, is how a
                // server idles; waiting only for receivers (or on ports connected to nothing)
                // is stuck, like a send.
                let waits_for_input =
                    watches_vars || (probes.iter()).any(|&slot| p.is_connected_input(slot));
                let wait = if waits_for_input {
                    Wait::Probe
                } else {
                    Wait::Guard
                };
                p.run.ctx.note_wait(wait, Some(span.start as u32));
                self.blocked = Blocked::Guard {
                    stuck: probes.is_empty() && !watches_vars,
                };
                Ok(false)
            }
            Instr::JumpIf {
                condition,
                target,
                spins,
                energy,
                ..
            } => {
                p.spend(*energy);
                let again = p.eval(condition)?.is_true();
                if again && self.slot != NO_SLOT {
                    self.note_pass();
                }
                self.pc = if !again {
                    self.pc + 1
                } else if *spins {
                    // An empty body under a condition nothing can change spins forever.
                    p.run.ctx.log(INFINITE_LOOP);
                    p.code.len() - 1
                } else {
                    *target
                };
                Ok(true)
            }
            _ => unreachable!("only selections and do-loops are evaluated"),
        }
    }

    /// Runs instructions until one has to wait (`Ok(false)`) or the thread ends (`Ok(true)`).
    fn run(&mut self) -> Result<bool, Fault> {
        self.run_from(false)
    }

    /// [`Thread::run`]; when `due`, the first timed instruction's event fires at once rather
    /// than after its delay (see [`Thread::poll_due`]). Inlined in both (a constant `due`
    /// leaves the common one as it was), with one call of [`Thread::unblock`] each.
    #[inline(always)]
    fn run_from(&mut self, mut due: bool) -> Result<bool, Fault> {
        'unblock: loop {
            if !self.unblock()? {
                return Ok(false);
            }
            loop {
                // Borrowed, not cloned, and anew each turn, as `fork` and `end_branch` change the
                // thread.
                let p = &*self.process;
                let ctx = &p.run.ctx;
                if let Some((delay, _)) = p.code[self.pc].timing() {
                    if due {
                        due = false;
                        self.pc = self.next_event(self.pc).map_or(self.pc, |(_, at)| at);
                        self.blocked = Blocked::Fire(ctx.now());
                        continue 'unblock;
                    }
                    self.wait_for_event(delay)?;
                    return Ok(false);
                }
                match &p.code[self.pc] {
                    Instr::Log { .. } | Instr::Assert { .. } | Instr::Fork { .. }
                        if self.bandwidth != 0 =>
                    {
                        // actsim runs these as events of their own, which a `D_bw` delays
                        // (under its events the event of no delay before them took it).
                        self.wait_for_event(Some(0))?;
                        return Ok(false);
                    }
                    Instr::Log { kind, args } => {
                        if ctx.log_hidden() {
                            // Hidden by actsim's `filter`: not evaluated, as in actsim.
                        } else if p.has_undefined.get() && ctx.is_observed() {
                            p.log_with_x(*kind, args)?;
                        } else if let Some(text) = p.log_text(args, ctx.is_observed())? {
                            ctx.log_output(*kind, &text);
                        }
                        self.pc += 1;
                    }
                    Instr::Assert {
                        condition,
                        message,
                        span,
                    } => {
                        if !p.eval(condition)?.is_true() {
                            let text = failed_assertion(p, message)?;
                            if !p.run.assertions_pause {
                                return Err(Fault::new(
                                    span,
                                    RuntimeErrorKind::assertion_failed(text),
                                ));
                            }
                            p.run.ctx.pause();
                        }
                        self.pc += 1;
                    }
                    Instr::Jump(target) => self.pc = *target,
                    Instr::Wired { port, native } => {
                        // An index out of range goes the native way, which reports it.
                        self.pc = match p.port_slot(port).map(|slot| &p.ports[slot]) {
                            Ok(Port::Wired { .. }) => self.pc + 1,
                            _ => *native,
                        }
                    }
                    instr @ Instr::WiredProtocol { .. } => {
                        wired_protocol(p, instr);
                        self.pc += 1;
                    }
                    Instr::Fork { .. } => self.fork(),
                    Instr::EndBranch => {
                        if let ControlFlow::Break(ended) = self.end_branch() {
                            return Ok(ended);
                        }
                    }
                    Instr::End => return Ok(true),
                    Instr::Assign { .. }
                    | Instr::Pause { .. }
                    | Instr::Send { .. }
                    | Instr::Receive { .. }
                    | Instr::Select { .. }
                    | Instr::JumpIf { .. } => {
                        unreachable!("timed instructions wait for their event")
                    }
                }
            }
        }
    }

    /// Suspends the thread until the event of the timed instruction at `pc` (or of the one its
    /// event plan reaches at once) fires: `delay` from now, as every action is an event.
    fn wait_for_event(&mut self, delay: Option<u64>) -> Result<(), Fault> {
        let p = &*self.process;
        let (delay, at) = self
            .next_event(self.pc)
            .unwrap_or_else(|| (p.action_delay(delay), self.pc));
        let delay = delay.saturating_add(std::mem::take(&mut self.bandwidth).into());
        self.pc = at;
        let at = p.run.ctx.after(delay).map_err(|overflow| {
            // A planned protocol step fires with the timed instruction after it.
            let (_, span) = (p.code[at..].iter().find_map(Instr::timing))
                .or_else(|| p.code[..at].iter().rev().find_map(Instr::timing))
                .expect("a timed instruction");
            Fault::new(span, RuntimeErrorKind::TimeOverflow(overflow))
        })?;
        p.run.ctx.resume_at(at);
        self.blocked = Blocked::Fire(at);
        Ok(())
    }

    /// Starts the parallel branches of the fork at `pc`: this thread runs the first, the others
    /// are new threads; they meet at its join point.
    fn fork(&mut self) {
        let process = self.process.clone();
        let Instr::Fork { branches, join } = &process.code[self.pc] else {
            unreachable!("forking at a fork")
        };
        let meeting = Rc::new(Join {
            remaining: Cell::new(branches.len()),
            parked: Cell::new(None),
            bandwidth: Cell::new(0),
        });
        for &entry in &branches[1..] {
            let branch = Thread::new(process.clone(), entry, Some(meeting.clone()));
            process.run.ctx.spawn_branch(branch);
        }
        let branching = self.branching.get_or_insert_with(Box::default);
        branching.joins.push((meeting, *join));
        self.pc = branches[0];
    }

    /// The end of a parallel branch: the thread that forked goes on after the join once every
    /// branch has ended (`Continue`), or waits for the others (`Break(false)`); a spawned
    /// branch ends (`Break(true)`), waking the forking thread if it was the last.
    fn end_branch(&mut self) -> ControlFlow<bool> {
        let ctx = &self.process.run.ctx;
        let joins = self.branching.as_mut().map(|b| &mut b.joins);
        match joins.filter(|joins| !joins.is_empty()) {
            Some(joins) => {
                let (meeting, join) = joins.last().expect("not empty");
                meeting.remaining.set(meeting.remaining.get() - 1);
                if meeting.remaining.get() > 0 {
                    meeting.parked.set(Some(ctx.current_task()));
                    ctx.note_wait(Wait::Join, None);
                    self.blocked = Blocked::Join;
                    return ControlFlow::Break(false);
                }
                self.pc = *join;
                joins.pop();
                ControlFlow::Continue(())
            }
            None => {
                let meeting = self
                    .origin
                    .as_ref()
                    .expect("a spawned branch knows its fork");
                meeting.remaining.set(meeting.remaining.get() - 1);
                if meeting.remaining.get() == 0 {
                    meeting.bandwidth.set(self.bandwidth);
                    if let Some(parent) = meeting.parked.take() {
                        ctx.wake_within_event(parent);
                    }
                }
                ControlFlow::Break(true)
            }
        }
    }
}

/// The message of an assertion that does not hold, after actsim's log line for it
/// (docs/actsim.md, "The command line"); or the fault met evaluating it.
#[cold]
fn failed_assertion(p: &Process, message: &[LogArg]) -> Result<String, Fault> {
    let text = p.log_text(message, true)?.unwrap_or_default();
    // Whatever `filter` says, as actsim prints it.
    let line = format!("ASSERTION failed: {text}");
    p.run.ctx.log_unfiltered(LogKind::Assertion, &line);
    Ok(text)
}

impl Thread {
    /// Queues the event of a thread that does not start yet (actsim's reset phase holds it):
    /// the event of its first action, `delay` from now, which [`Thread::poll_due`] fires.
    /// Its start is no event of its own, as for [`Blocked::Start`].
    pub(crate) fn hold(&self, delay: Time) {
        let ctx = &self.process.run.ctx;
        if self.process.run.actsim_events {
            ctx.uncount_event();
        }
        match ctx.after(delay) {
            Ok(at) => ctx.resume_at(at),
            Err(overflow) => ctx.fail(&overflow.to_string()),
        }
    }

    /// Starts a thread held by [`Thread::hold`]: its first action's event is the one firing
    /// now.
    pub(crate) fn poll_due(&mut self) -> Poll<()> {
        self.blocked = Blocked::Running;
        self.poll_with(|thread| thread.run_from(true))
    }

    #[inline(always)]
    fn poll_with(&mut self, run: impl FnOnce(&mut Self) -> Result<bool, Fault>) -> Poll<()> {
        if self.slot != NO_SLOT {
            self.follow_request();
        }
        let result = run(self);
        if self.slot != NO_SLOT {
            self.note_position(matches!(result, Ok(true)));
        }
        match result {
            Ok(false) => Poll::Pending,
            Ok(true) => Poll::Ready(()),
            Err(fault) => self.faulted(fault),
        }
    }
}

impl Future for Thread {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        let thread = self.get_mut();
        if thread.process.run.reset_mode.get() && thread.put_off_in_reset() {
            return Poll::Pending;
        }
        thread.poll_with(Self::run)
    }
}

impl Thread {
    /// The thread met `fault`: it fails the run, or, when the run was interrupted in the middle
    /// of a computation, stays where it was (the run ends there). Out of line, so that the
    /// event's path stays as short as it was.
    #[cold]
    #[inline(never)]
    fn faulted(&self, fault: Fault) -> Poll<()> {
        if fault.is_interruption() {
            self.process.run.ctx.stop_interrupted();
            return Poll::Pending;
        }
        self.process.fail(fault);
        Poll::Ready(())
    }
}

/// Runs `instr`, an [`Instr::WiredProtocol`] of process `p`.
fn wired_protocol(p: &Process, instr: &Instr) {
    if let Instr::WiredProtocol { port, starts, amid } = instr {
        if let Ok(slot) = p.port_slot(port) {
            super::wired::protocol_step(p, slot, *starts, *amid);
        }
    }
}

#[cfg(test)]
mod tests {
    /// A million-buffer design has a million threads, each its own allocation: what only some
    /// threads use stays out of it (defect 12 of issue 20; the thread was 104 bytes).
    #[test]
    fn a_thread_keeps_its_forks_and_probes_apart() {
        let size = std::mem::size_of::<super::Thread>();
        assert!(size <= 56, "a thread is {size} bytes");
    }
}
