//! Channels between CHP and circuits at run time: their initial state (the CHP end's
//! `send_init` or `recv_init` runs at the start of the run, all at once, see
//! [`super::reset`]), the protocol state actsim keeps per channel, and what the observers hear
//! of a communication run by the methods (each try that stops at a wait, and the finish).
use super::code::{Instr, Pc};
use super::error::Fault;
use super::port::Port;
use super::process::Process;
use crate::elab::ir::{Dir, Stmt, StmtKind};
use crate::kernel::{LogKind, MethodStep, TaskId, Token, TraceValue, Waiter};

/// Runs `s`, the init method of a wired port, at once: its assignments in order, a selection
/// by its first true guard (none: it stops there, as actsim leaves an init that would have to
/// wait).
pub(crate) fn run_at_once(p: &Process, s: &Stmt) -> Result<bool, Fault> {
    match &s.kind {
        StmtKind::Skip => {}
        StmtKind::Assign { target, value } => {
            let v = p.eval(value)?;
            p.store(target, v)?;
        }
        StmtKind::Seq(items) | StmtKind::Par(items) => {
            for item in items {
                if !run_at_once(p, item)? {
                    return Ok(false);
                }
            }
        }
        StmtKind::Select {
            arms, otherwise, ..
        } => {
            for arm in arms {
                if p.eval(&arm.guard)?.is_true() {
                    return run_at_once(p, &arm.body);
                }
            }
            return match otherwise {
                Some(body) => run_at_once(p, body),
                None => Ok(false),
            };
        }
        // Not in an init method of ACT's: a loop, a communication, a log.
        _ => {}
    }
    Ok(true)
}

/// Which ends of a wired channel with CHP at both ends are amid a communication, and whether
/// the channel was warned about.
#[derive(Clone, Copy, Default)]
pub(crate) struct PairState {
    sending: bool,
    receiving: bool,
    warned: bool,
}

/// The channel methods of port `slot` of `p` (pair `pair`) start (`starts`) or finish their
/// protocol. actsim keeps one protocol state per channel: when the methods of one end start
/// while the other end's are amid theirs, it warns once per channel that CHP drives both ends
/// of a channel a circuit drives too (both ends go on, on the wires).
fn protocol(p: &Process, slot: usize, pair: u32, starts: bool) {
    let sends = p.program.ports[slot].dir == Dir::Send;
    let mut pairs = p.run.wired_pairs.borrow_mut();
    let state = &mut pairs[pair as usize];
    let (own, other) = if sends {
        (&mut state.sending, state.receiving)
    } else {
        (&mut state.receiving, state.sending)
    };
    *own = starts;
    if starts && other && !state.warned {
        state.warned = true;
        drop(pairs);
        let name = &p.program.ports[slot].name;
        let ctx = &p.run.ctx;
        // actsim prints these whatever `filter` says.
        let line = format!("Channel has fragmented send and recv? (`{name}')");
        ctx.log_unfiltered(LogKind::Line, &line);
        let line = "CHP+hse/circuits are driving the same end of the channel?";
        ctx.log_unfiltered(LogKind::Line, line);
    }
}

/// The wired communication whose switch is at `switch` stopped at a wait of its channel's
/// methods, in `task`: the observers hear it (actsim's `x : send-blocked`, `x: recv-blocked`,
/// printed at each try that stops), and the task waits for any variable the process shares
/// to change, as actsim tries a stalled communication again whenever anything in the
/// process's fanout changes (the wires of all its channels, its `bool` ports), not only what
/// the wait reads. Returns whether there is such a variable.
pub(crate) fn blocked(p: &Process, switch: Pc, task: TaskId) -> bool {
    if let Instr::Wired { port, .. } = &p.code[switch] {
        if let Ok(slot) = p.port_slot(port) {
            if let Port::Wired {
                channel, blocked, ..
            } = &p.ports[slot]
            {
                blocked.set(true);
                let party = party_of(p, slot);
                p.run.ctx.method_step(*channel, party, MethodStep::Blocked);
            }
        }
    }
    p.watch_shared_vars(task)
}

/// Runs a [`Instr::WiredProtocol`] of port `slot` of `p`: the methods start (`starts`) or
/// finish (leaving the protocol `amid`, `X!+`). At the finish the observers hear it, with the
/// value a receive took (actsim's `x : send`, or `x : send complete` when the send stopped on
/// the way; `x: recv value: V`, or `x: recv-wakeup value: V`).
pub(crate) fn protocol_step(p: &Process, slot: usize, starts: bool, amid: bool) {
    let Port::Wired {
        pair,
        channel,
        blocked,
    } = &p.ports[slot]
    else {
        return;
    };
    if starts {
        blocked.set(false);
    } else if p.run.ctx.observes_waits() {
        let party = party_of(p, slot);
        let value = (party == Waiter::Receiver)
            .then(|| {
                let values = p.program.wired_values.iter();
                let (_, var) = values.clone().find(|(at, _)| *at == slot)?;
                Some(p.vars.borrow()[*var].clone())
            })
            .flatten();
        let step = MethodStep::Done {
            after_blocking: blocked.get(),
            value: value.as_ref().map_or(TraceValue::None, Token::trace),
        };
        p.run.ctx.method_step(*channel, party, step);
    }
    if let Some(pair) = pair {
        if starts || !amid {
            protocol(p, slot, *pair, starts);
        }
    }
}

/// The end of its channel that port `slot` of `p` is.
fn party_of(p: &Process, slot: usize) -> Waiter {
    match p.program.ports[slot].dir {
        Dir::Send => Waiter::Sender,
        Dir::Receive => Waiter::Receiver,
    }
}
