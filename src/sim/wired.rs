//! Putting channels between CHP and circuits in their initial state: the CHP end's
//! `send_init` or `recv_init` runs at the start of the run, all at once (see
//! [`super::reset`]).
use super::error::Fault;
use super::process::Process;
use crate::elab::ir::{Dir, Stmt, StmtKind};
use crate::kernel::LogKind;

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
pub(crate) fn protocol(p: &Process, slot: usize, pair: u32, starts: bool) {
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
