//! Which of a program's variables its statements name, as ACT's booleanize pass finds them
//! (actsim gives state to those alone, so its commands find no other): every variable an
//! assignment, a send or receive, a guard or an expression in one of them reads or writes,
//! and the wires a wired channel's methods move for a send or receive. The arguments of
//! `log`, `assert` and their kin are not looked at: ACT's pass skips built-in functions.
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::ir::{Design, Expr, ExprKind, LogArg, Place, Program, Stmt, StmtKind, Ty};

/// How actsim fails as it builds a design's simulation (see [`Design::build_failure`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildFailure<'d> {
    /// The warnings actsim prints before it fails: those it prints as it makes the
    /// instances before the failing one (their substitution warnings, their `spec` lists
    /// naming a node twice), and the failing one's substitution warning.
    pub warnings: Vec<&'d str>,
    /// The variable it finds no state for, as ACT names it (`k`, `mem[0]`, `r.a`).
    pub identifier: String,
}

impl Design {
    /// Where actsim stops as it builds the simulation, making the instances one by one (in
    /// the order of [`Design::start_warnings`], `-m` checking the monitors or not:
    /// `monitors`): at the first whose CHP has a `log` or `assert` reading a variable that
    /// nothing else names (see `Program::first_unnamed_log_read`); `None` when it builds
    /// them all.
    pub fn build_failure(&self, monitors: bool) -> Option<BuildFailure<'_>> {
        let programs: HashMap<&str, &Rc<Program>> = (self.processes.iter())
            .map(|p| (p.path.as_str(), &p.program))
            .collect();
        // Instances of one program share its statements: each program is looked at once.
        let mut looked_at = HashSet::new();
        for (index, instance) in self.instances.iter().enumerate() {
            let Some(program) = programs.get(instance.path.as_str()) else {
                continue;
            };
            if !looked_at.insert(Rc::as_ptr(program)) {
                continue;
            }
            if let Some(identifier) = program.first_unnamed_log_read() {
                return Some(BuildFailure {
                    warnings: self.start_warnings_until(monitors, Some(index)),
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
    /// By variable slot, whether a statement of the program names it, or any of its bits
    /// (see the module).
    pub(crate) fn named_slots(&self) -> Vec<bool> {
        let names = Names::of(self);
        names.0.iter().map(|ranges| !ranges.is_empty()).collect()
    }

    /// The first variable, in the order of the statements, that a `log`'s or an `assert`'s
    /// arguments read and no statement names, as ACT names it: actsim has no state for it,
    /// and stops as it builds the process. An array read at a run-time index is named by
    /// its first element, the first actsim looks up; a record's field by its path (`r.a`,
    /// of a record read whole the first of its fields that no statement names: ACT keeps
    /// a record's state field by field). A variable shared with other processes (a port,
    /// or one joined to an instance's port) is left out: actsim gives it state when the
    /// instance joined to it uses it, which this program does not know.
    pub(crate) fn first_unnamed_log_read(&self) -> Option<String> {
        let names = Names::of(self);
        let mut found = None;
        each_statement(&self.body, &mut |stmt| {
            let args = match &stmt.kind {
                StmtKind::Log { args, .. } => args,
                StmtKind::Assert { condition, message } => {
                    self.first_unnamed(condition, &names, &mut found);
                    message
                }
                _ => return,
            };
            for arg in args {
                if let LogArg::Value { expr, .. } = arg {
                    self.first_unnamed(expr, &names, &mut found);
                }
            }
        });
        found
    }

    /// Sets `found`, if unset, to the first variable (or field) `expr` reads that has no
    /// [`Names`] and is not one of the shared slots.
    fn first_unnamed(&self, expr: &Expr, names: &Names, found: &mut Option<String>) {
        if found.is_some() {
            return;
        }
        if let Some((slot, lo, hi)) = expr.fixed_bits() {
            *found = self.unnamed_bits(names, slot, lo, hi);
            return;
        }
        match &expr.kind {
            ExprKind::Element { base, .. } => {
                *found = self.unnamed_bits(names, *base, 0, expr.ty.width().max(1) - 1);
            }
            ExprKind::FieldElement { inner, at } => {
                if let Some((slot, base, _)) = inner.fixed_bits() {
                    let (lo, hi) = at.bits_from(base);
                    *found = self.unnamed_bits(names, slot, lo, hi);
                    self.first_unnamed(&at.index, names, found);
                    return;
                }
            }
            _ => {}
        }
        expr.for_each_child(&mut |child| self.first_unnamed(child, names, found));
    }

    /// The name of the first of bits `lo..=hi` of variable `slot` (a whole field of a
    /// record) that no statement names; `None` when they all are, or the slot is shared.
    /// A variable without fields is named when any of its bits is.
    fn unnamed_bits(&self, names: &Names, slot: usize, lo: u32, hi: u32) -> Option<String> {
        if slot < self.shared_slots {
            return None;
        }
        let var = &self.vars[slot];
        if var.fields.is_empty() {
            // A bit-slice names the whole variable in ACT: any named bit will do.
            return names.0[slot].is_empty().then(|| var.name.clone());
        }
        (var.fields.iter())
            .map(|field| (field, field.lo + field.ty.width().max(1) - 1))
            .filter(|&(field, top)| field.lo <= hi && lo <= top)
            .find(|&(field, top)| !names.named(slot, field.lo, top))
            .map(|(field, _)| format!("{}.{}", var.name, field.name))
    }
}

/// What a program's statements name: by variable slot, the ranges of its bits `(lo, hi)`
/// they write or read (a whole variable, or a record's field).
struct Names(Vec<Vec<(u32, u32)>>);

impl Names {
    fn of(program: &Program) -> Self {
        let mut names = Names(vec![Vec::new(); program.vars.len()]);
        each_statement(&program.body, &mut |stmt| names.own_names(stmt));
        names
    }

    fn name(&mut self, slot: usize, lo: u32, hi: u32) {
        self.0[slot].push((lo, hi));
    }

    fn name_whole(&mut self, slot: usize, ty: Ty) {
        self.name(slot, 0, ty.width().max(1) - 1);
    }

    /// Whether a statement names any of bits `lo..=hi` of variable `slot`.
    fn named(&self, slot: usize, lo: u32, hi: u32) -> bool {
        self.0[slot].iter().any(|&(a, b)| a <= hi && lo <= b)
    }

    /// Notes what `stmt` itself names (not the statements inside it).
    fn own_names(&mut self, stmt: &Stmt) {
        match &stmt.kind {
            StmtKind::Skip
            | StmtKind::Log { .. }
            | StmtKind::Assert { .. }
            | StmtKind::Seq(_)
            | StmtKind::Par(_) => {}
            StmtKind::Assign { target, value } => {
                self.place(target);
                self.expression(value);
            }
            StmtKind::Send { value, reply, .. } => {
                value.iter().for_each(|v| self.expression(v));
                reply.iter().for_each(|p| self.place(p));
            }
            StmtKind::Receive { target, reply, .. } => {
                target.iter().for_each(|p| self.place(p));
                reply.iter().for_each(|v| self.expression(v));
            }
            StmtKind::Select { arms, .. } | StmtKind::Loop { arms, .. } => {
                arms.iter().for_each(|arm| self.expression(&arm.guard));
            }
            StmtKind::DoLoop { condition, .. } => self.expression(condition),
        }
    }

    fn place(&mut self, place: &Place) {
        match place {
            Place::Var { slot, ty } => self.name_whole(*slot, *ty),
            Place::Element {
                base,
                len,
                index,
                ty,
                ..
            } => {
                (*base..*base + *len).for_each(|slot| self.name_whole(slot, *ty));
                self.expression(index);
            }
            Place::Bits { inner, hi, lo } => match fixed_place(inner) {
                Some((slot, base)) => self.name(slot, base + lo, base + hi),
                None => self.place(inner),
            },
            Place::FieldElement { inner, at } => {
                match fixed_place(inner) {
                    Some((slot, base)) => {
                        let (lo, hi) = at.bits_from(base);
                        self.name(slot, lo, hi);
                    }
                    None => self.place(inner),
                }
                self.expression(&at.index);
            }
            Place::NonZero(inner) | Place::Bool(inner) | Place::Enum { inner, .. } => {
                self.place(inner)
            }
        }
    }

    fn expression(&mut self, expr: &Expr) {
        if let Some((slot, lo, hi)) = expr.fixed_bits() {
            self.name(slot, lo, hi);
            return;
        }
        match &expr.kind {
            ExprKind::Element { base, len, .. } => {
                (*base..*base + *len).for_each(|slot| self.name_whole(slot, expr.ty));
            }
            ExprKind::FieldElement { inner, at } => {
                if let Some((slot, base, _)) = inner.fixed_bits() {
                    let (lo, hi) = at.bits_from(base);
                    self.name(slot, lo, hi);
                    self.expression(&at.index);
                    return;
                }
            }
            _ => {}
        }
        expr.for_each_child(&mut |child| self.expression(child));
    }
}

/// The variable slot a place is, or is bits of, with the lowest bit of its bits there.
fn fixed_place(place: &Place) -> Option<(usize, u32)> {
    match place {
        Place::Var { slot, .. } => Some((*slot, 0)),
        Place::Bits { inner, lo, .. } => fixed_place(inner).map(|(slot, base)| (slot, base + lo)),
        Place::NonZero(inner) | Place::Bool(inner) | Place::Enum { inner, .. } => {
            fixed_place(inner)
        }
        Place::Element { .. } | Place::FieldElement { .. } => None,
    }
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
