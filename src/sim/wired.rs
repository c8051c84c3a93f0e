//! Putting channels between CHP and circuits in their initial state: the CHP end's
//! `send_init` or `recv_init` runs at the start of the run, all at once (see
//! [`super::reset`]).
use super::error::Fault;
use super::process::Process;
use crate::elab::ir::{Stmt, StmtKind};

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
