//! Which of a program's variables its statements name, as ACT's booleanize pass finds them
//! (actsim gives state to those alone, so its commands find no other): every variable an
//! assignment, a send or receive, a guard or an expression in one of them reads or writes,
//! and the wires a wired channel's methods move for a send or receive. The arguments of
//! `log`, `assert` and their kin are not looked at: ACT's pass skips built-in functions.
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::ir::{Design, Expr, ExprKind, LogArg, Place, Program, Stmt, StmtKind};

/// How actsim fails as it builds a design's simulation (see [`Design::build_failure`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildFailure<'d> {
    /// The substitution warnings actsim prints before it fails (of the instances it made
    /// before, and of the failing one).
    pub warnings: Vec<&'d str>,
    /// The variable it finds no state for, as ACT names it (`k`, `mem[0]`).
    pub identifier: &'d str,
}

impl Design {
    /// Where actsim stops as it builds the simulation, making the instances one by one (in
    /// the order of [`Design::start_warnings`]): at the first whose CHP has a `log` or
    /// `assert` reading a variable that nothing else names (see
    /// `Program::first_unnamed_log_read`); `None` when it builds them all.
    pub fn build_failure(&self) -> Option<BuildFailure<'_>> {
        let programs: HashMap<&str, &Rc<Program>> = (self.processes.iter())
            .map(|p| (p.path.as_str(), &p.program))
            .collect();
        // Instances of one program share its statements: each program is looked at once.
        let mut looked_at = HashSet::new();
        let mut substituted = 0;
        for instance in &self.instances {
            substituted += usize::from(instance.substituted);
            let Some(program) = programs.get(instance.path.as_str()) else {
                continue;
            };
            if !looked_at.insert(Rc::as_ptr(program)) {
                continue;
            }
            if let Some(identifier) = program.first_unnamed_log_read() {
                return Some(BuildFailure {
                    warnings: self.level_warnings.iter().take(substituted).collect(),
                    identifier,
                });
            }
        }
        None
    }
}

/// actsim's two lines, as ACT's `fatal_error` ends them.
impl std::fmt::Display for BuildFailure<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Identifier `{}' used, but not used in the design hierarchy selected.\nFATAL: Error in initializer block?",
            self.identifier
        )
    }
}

impl Program {
    /// By variable slot, whether a statement of the program names it (see the module).
    pub(crate) fn named_slots(&self) -> Vec<bool> {
        let mut named = vec![false; self.vars.len()];
        each_statement(&self.body, &mut |stmt| own_names(stmt, &mut named));
        named
    }

    /// The first variable, in the order of the statements, that a `log`'s or an `assert`'s
    /// arguments read and no statement names: actsim has no state for it, and stops as it
    /// builds the process (an array read at a run-time index is named by its first element,
    /// the first actsim looks up). A variable shared with other processes (a port, or one
    /// joined to an instance's port) is left out: actsim gives it state when the instance
    /// joined to it uses it, which this program does not know.
    pub(crate) fn first_unnamed_log_read(&self) -> Option<&str> {
        let named = self.named_slots();
        let mut found = None;
        each_statement(&self.body, &mut |stmt| {
            let args = match &stmt.kind {
                StmtKind::Log { args, .. } => args,
                StmtKind::Assert { condition, message } => {
                    first_unnamed(condition, &named, self.shared_slots, &mut found);
                    message
                }
                _ => return,
            };
            for arg in args {
                if let LogArg::Value { expr, .. } = arg {
                    first_unnamed(expr, &named, self.shared_slots, &mut found);
                }
            }
        });
        found.map(|slot| self.vars[slot].name.as_str())
    }
}

/// Sets `found`, if unset, to the first variable of `expr` that is not `named` and not one of
/// the `shared` first slots.
fn first_unnamed(expr: &Expr, named: &[bool], shared: usize, found: &mut Option<usize>) {
    expr.visit_vars(&mut |e| {
        let slot = match &e.kind {
            ExprKind::Var(slot) => *slot,
            ExprKind::Element { base, .. } => *base,
            _ => return,
        };
        if found.is_none() && slot >= shared && !named[slot] {
            *found = Some(slot);
        }
    });
}

/// Calls `f` on `stmt` and every statement inside it, each before those inside it, in the
/// order they are written.
fn each_statement(stmt: &Stmt, f: &mut dyn FnMut(&Stmt)) {
    f(stmt);
    match &stmt.kind {
        StmtKind::Skip
        | StmtKind::Log { .. }
        | StmtKind::Assert { .. }
        | StmtKind::Assign { .. } => {}
        StmtKind::Send { wired, .. } | StmtKind::Receive { wired, .. } => {
            wired.iter().for_each(|s| each_statement(s, f));
        }
        StmtKind::Seq(stmts) | StmtKind::Par(stmts) => {
            stmts.iter().for_each(|s| each_statement(s, f));
        }
        StmtKind::Select {
            arms, otherwise, ..
        }
        | StmtKind::Loop {
            arms, otherwise, ..
        } => {
            arms.iter().for_each(|arm| each_statement(&arm.body, f));
            otherwise.iter().for_each(|s| each_statement(s, f));
        }
        StmtKind::DoLoop { body, .. } => each_statement(body, f),
    }
}

/// Marks what `stmt` itself names (not the statements inside it).
fn own_names(stmt: &Stmt, named: &mut [bool]) {
    match &stmt.kind {
        StmtKind::Skip
        | StmtKind::Log { .. }
        | StmtKind::Assert { .. }
        | StmtKind::Seq(_)
        | StmtKind::Par(_) => {}
        StmtKind::Assign { target, value } => {
            place(target, named);
            expression(value, named);
        }
        StmtKind::Send { value, reply, .. } => {
            value.iter().for_each(|v| expression(v, named));
            reply.iter().for_each(|p| place(p, named));
        }
        StmtKind::Receive { target, reply, .. } => {
            target.iter().for_each(|p| place(p, named));
            reply.iter().for_each(|v| expression(v, named));
        }
        StmtKind::Select { arms, .. } | StmtKind::Loop { arms, .. } => {
            arms.iter().for_each(|arm| expression(&arm.guard, named));
        }
        StmtKind::DoLoop { condition, .. } => expression(condition, named),
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
