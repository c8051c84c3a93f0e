//! Which of a program's variables its statements name, as ACT's booleanize pass finds them
//! (actsim gives state to those alone, so its commands find no other): every variable an
//! assignment, a send or receive, a guard or an expression in one of them reads or writes,
//! and the wires a wired channel's methods move for a send or receive. The arguments of
//! `log`, `assert` and their kin are not looked at: ACT's pass skips built-in functions.
use super::ir::{Expr, ExprKind, Place, Program, Stmt, StmtKind};

impl Program {
    /// By variable slot, whether a statement of the program names it (see the module).
    pub(crate) fn named_slots(&self) -> Vec<bool> {
        let mut named = vec![false; self.vars.len()];
        statement(&self.body, &mut named);
        named
    }
}

fn statement(stmt: &Stmt, named: &mut [bool]) {
    match &stmt.kind {
        StmtKind::Skip | StmtKind::Log { .. } | StmtKind::Assert { .. } => {}
        StmtKind::Assign { target, value } => {
            place(target, named);
            expression(value, named);
        }
        StmtKind::Send {
            value,
            reply,
            wired,
            ..
        } => {
            value.iter().for_each(|v| expression(v, named));
            reply.iter().for_each(|p| place(p, named));
            wired.iter().for_each(|s| statement(s, named));
        }
        StmtKind::Receive {
            target,
            reply,
            wired,
            ..
        } => {
            target.iter().for_each(|p| place(p, named));
            reply.iter().for_each(|v| expression(v, named));
            wired.iter().for_each(|s| statement(s, named));
        }
        StmtKind::Seq(stmts) | StmtKind::Par(stmts) => {
            stmts.iter().for_each(|s| statement(s, named));
        }
        StmtKind::Select {
            arms, otherwise, ..
        }
        | StmtKind::Loop {
            arms, otherwise, ..
        } => {
            for arm in arms {
                expression(&arm.guard, named);
                statement(&arm.body, named);
            }
            otherwise.iter().for_each(|s| statement(s, named));
        }
        StmtKind::DoLoop { body, condition } => {
            statement(body, named);
            expression(condition, named);
        }
    }
}

fn place(place: &Place, named: &mut [bool]) {
    match place {
        Place::Var { slot, .. } => named[*slot] = true,
        Place::Element {
            base, len, index, ..
        } => {
            named[*base..*base + *len].fill(true);
            expression(index, named);
        }
        Place::Bits { inner, .. }
        | Place::NonZero(inner)
        | Place::Bool(inner)
        | Place::Enum { inner, .. } => self::place(inner, named),
        Place::FieldElement { inner, at } => {
            self::place(inner, named);
            expression(&at.index, named);
        }
    }
}

fn expression(expr: &Expr, named: &mut [bool]) {
    expr.visit_vars(&mut |e| match &e.kind {
        ExprKind::Var(slot) => named[*slot] = true,
        ExprKind::Element { base, len, .. } => named[*base..*base + *len].fill(true),
        _ => {}
    });
}
