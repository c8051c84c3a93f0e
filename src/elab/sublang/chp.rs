//! The names and types of CHP and of connections, checked in every definition as ACT checks
//! them when it reads the file, whether or not the design expands the definition: every name
//! a statement, a connection or a port list uses is declared ("The identifier ... does not
//! exist in the current scope"), an assignment, a send and a receive move a `bool` into a
//! `bool` and an integer into an integer ("Typechecking failed on CHP assignment", "CHP send:
//! type-checking failed"), and `x+`/`x-` set a `bool`.
//!
//! Only what the declarations alone decide is checked: a parameter, a record, an enumeration,
//! a call has a type here only once expanded, and elaboration checks those.

use super::scope::RefTy;
use super::Checker;
use crate::diag::Diagnostic;
use crate::front::ast::*;

/// The type of a value, where the declarations decide it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Int,
}

impl Kind {
    fn of(ty: &Type) -> Option<Kind> {
        match ty.kind {
            TypeKind::Bool => Some(Kind::Bool),
            TypeKind::Int { .. } => Some(Kind::Int),
            _ => None,
        }
    }

    fn words(self) -> &'static str {
        match self {
            Kind::Bool => "a bool",
            Kind::Int => "an integer",
        }
    }
}

impl<'a> Checker<'_, 'a> {
    /// A CHP statement (of `chp`, or of `Initialize`'s actions).
    pub(super) fn chp(&mut self, stmt: &'a Stmt) {
        if let Some(delay) = &stmt.delay {
            self.reads(delay);
        }
        match &stmt.kind {
            StmtKind::Skip => {}
            StmtKind::Assign { target, value } => {
                self.reads(target);
                self.reads(value);
                self.same_kind(self.target_kind(target), value, &value.span, "assigned");
            }
            StmtKind::SetBool { target, .. } => {
                if self.declared(target) {
                    self.node(target);
                }
            }
            StmtKind::Send {
                chan, value, reply, ..
            } => self.communication(chan, value.as_ref(), reply.as_ref(), &stmt.span, true),
            StmtKind::Recv {
                chan,
                target,
                reply,
                ..
            } => self.communication(chan, target.as_ref(), reply.as_ref(), &stmt.span, false),
            StmtKind::Seq(stmts) | StmtKind::Par(stmts) => stmts.iter().for_each(|s| self.chp(s)),
            StmtKind::Select { arms, .. } | StmtKind::GuardedLoop(arms) => {
                for arm in arms {
                    let check = |c: &mut Checker<'_, 'a>| {
                        if let Guard::Expr(g) = &arm.guard {
                            c.reads(g);
                        }
                        c.chp(&arm.body);
                    };
                    match &arm.replicator {
                        Some(r) => {
                            self.bounds(&r.range);
                            self.in_chp_loop(&r.var, check);
                        }
                        None => check(self),
                    }
                }
            }
            StmtKind::Wait(g) => self.reads(g),
            StmtKind::Forever(body) => self.chp(body),
            StmtKind::DoLoop { body, cond } => {
                self.chp(body);
                self.reads(cond);
            }
            StmtKind::Replicated {
                var, range, body, ..
            } => {
                self.bounds(range);
                self.in_chp_loop(var, |c| c.chp(body));
            }
            StmtKind::Log { args, .. } => self.log_args(args),
            StmtKind::Assert { cond, message } => {
                self.reads(cond);
                self.log_args(message);
            }
            StmtKind::MacroCall { receiver, args, .. } => {
                self.reads(receiver);
                args.iter().for_each(|a| self.reads(a));
            }
        }
    }

    /// Runs `f` with the loop variable `var` declared. A variable hiding another is for
    /// elaboration to judge: ACT looks for the name in the definition only, not among the
    /// file's.
    fn in_chp_loop(&mut self, var: &Ident, f: impl FnOnce(&mut Checker<'_, 'a>)) {
        let mut hiding = Vec::new();
        let (diags, in_conditional, pass) = (&mut *self.diags, self.in_conditional, self.pass);
        self.scope.with_loop_var(var, &mut hiding, |scope, _| {
            f(&mut Checker {
                scope,
                diags,
                in_conditional,
                pass,
            })
        });
    }

    /// The bounds of a loop: a parameter of an instance (`s.N`) is a name too.
    fn bounds(&mut self, range: &IterRange) {
        match range {
            IterRange::Count(n) => self.reads(n),
            IterRange::Inclusive(lo, hi) => {
                self.reads(lo);
                self.reads(hi);
            }
        }
    }

    /// `a = b;` (or a parameter set, `N = 4;`): both sides name what is declared.
    pub(super) fn connection(&mut self, c: &Connection) {
        self.reads(&c.lhs);
        self.reads(&c.rhs);
    }

    /// The values of a port list (`b(x, .R = y)`, `b(x, y);`).
    pub(super) fn port_args(&mut self, args: &[PortArg]) {
        for arg in args {
            match arg {
                PortArg::Positional(value) | PortArg::Named { value, .. } => self.reads(value),
                PortArg::Empty(_) => {}
            }
        }
    }

    fn log_args(&mut self, args: &[LogArg]) {
        for arg in args {
            if let LogArg::Expr(e) = arg {
                self.reads(e);
            }
        }
    }

    /// `X!e`, `X?v` (and an exchange's reply): the channel and the values are declared, and
    /// the value is of the channel's data type.
    fn communication(
        &mut self,
        chan: &Expr,
        value: Option<&Expr>,
        reply: Option<&Expr>,
        stmt: &Span,
        send: bool,
    ) {
        let known = self.declared(chan);
        for e in value.iter().chain(reply.iter()) {
            self.reads(e);
        }
        let Some(value) = value.filter(|_| known) else {
            return;
        };
        let data = match self.scope.resolve(chan) {
            Ok(RefTy::Value { ty, dims: 0, .. }) => match &ty.kind {
                TypeKind::Chan { data: Some(d), .. } => Kind::of(d),
                _ => None,
            },
            _ => None,
        };
        if send {
            self.same_kind(data, value, &value.span, "sent");
        } else {
            let target = self.target_kind(value);
            if let (Some(data), Some(target)) = (data, target) {
                if data != target {
                    self.diags.push(
                        Diagnostic::error(
                            stmt.clone(),
                            format!(
                                "type mismatch: the channel carries {}, but the variable is {}",
                                data.words(),
                                target.words()
                            ),
                        )
                        .with_label("received here"),
                    );
                }
            }
        }
    }

    /// An error when `value` is of another type than `expected` (both known).
    fn same_kind(&mut self, expected: Option<Kind>, value: &Expr, span: &Span, what: &str) {
        let (Some(expected), Some(found)) = (expected, self.kind(value)) else {
            return;
        };
        if expected != found {
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "type mismatch: expected {}, found {}",
                        expected.words(),
                        found.words()
                    ),
                )
                .with_label(format!("{} {what} here", found.words()))
                .with_hint(match expected {
                    Kind::Bool => "make a bool of it: `e != 0`, or `bool(e)`",
                    Kind::Int => "make an integer of it: `int(e)`",
                }),
            );
        }
    }

    /// Every reference `e` reads (in indices and arguments too) starts from a declared name.
    pub(super) fn reads(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Name(_)
            | ExprKind::Index { .. }
            | ExprKind::Slice { .. }
            | ExprKind::Field { .. }
            | ExprKind::BitSlice { .. } => {
                self.declared(e);
                self.indices(e);
            }
            ExprKind::Probe(inner) => self.reads(inner),
            ExprKind::Unary { operand, .. } => self.reads(operand),
            ExprKind::Binary { lhs, rhs, .. } => {
                self.reads(lhs);
                self.reads(rhs);
            }
            ExprKind::Concat(parts) | ExprKind::ArrayConcat(parts) => {
                parts.iter().for_each(|p| self.reads(p))
            }
            ExprKind::Conditional {
                cond,
                then,
                otherwise,
            } => {
                self.reads(cond);
                self.reads(then);
                self.reads(otherwise);
            }
            ExprKind::Cast { value, width, .. } => {
                self.reads(value);
                width.iter().for_each(|w| self.reads(w));
            }
            ExprKind::RecordOf { value, .. } => self.reads(value),
            ExprKind::Call {
                template_args,
                args,
                ..
            } => template_args.iter().chain(args).for_each(|a| self.reads(a)),
            ExprKind::PstructOf { args, .. } | ExprKind::ProcessType { args, .. } => {
                args.iter().for_each(|a| self.reads(a))
            }
            ExprKind::MethodCall { receiver, args, .. } => {
                self.reads(receiver);
                args.iter().for_each(|a| self.reads(a));
            }
            ExprKind::Replicated {
                var, range, body, ..
            } => {
                self.bounds(range);
                self.in_chp_loop(var, |c| c.reads(body));
            }
            ExprKind::Int(_) | ExprKind::Real(_) | ExprKind::Bool(_) => {}
        }
    }

    /// The indices and bit positions of the reference `r` (`i` of `a[i].b{j}`).
    fn indices(&mut self, r: &Expr) {
        match &r.kind {
            ExprKind::Index { base, index } => {
                self.indices(base);
                self.reads(index);
            }
            ExprKind::Slice { base, lo, hi } => {
                self.indices(base);
                self.reads(lo);
                self.reads(hi);
            }
            ExprKind::BitSlice { base, hi, lo } => {
                self.indices(base);
                self.reads(hi);
                lo.iter().for_each(|lo| self.reads(lo));
            }
            ExprKind::Field { base, .. } => self.indices(base),
            _ => {}
        }
    }

    /// Whether the name the reference `r` starts from is declared; an error if not.
    fn declared(&mut self, r: &Expr) -> bool {
        let Some(root) = root_ident(r) else {
            return true;
        };
        // A qualified name (`ns::x`) is found where its namespace is expanded.
        if root.name.contains("::") || self.scope.knows(&root.name) {
            return true;
        }
        self.diags.push(self.scope.unknown(root));
        false
    }

    /// The type of what the reference `r` names, as the target of an assignment.
    fn target_kind(&self, r: &Expr) -> Option<Kind> {
        match &r.kind {
            ExprKind::BitSlice { .. } => Some(Kind::Int),
            ExprKind::Name(_) | ExprKind::Index { .. } | ExprKind::Field { .. } => {
                match self.scope.resolve(r) {
                    Ok(RefTy::Value { ty, dims: 0, .. }) => Kind::of(ty),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The type of the value of `e`, where its declarations decide it.
    fn kind(&self, e: &Expr) -> Option<Kind> {
        match &e.kind {
            ExprKind::Int(_) | ExprKind::Concat(_) => Some(Kind::Int),
            ExprKind::Bool(_) | ExprKind::Probe(_) => Some(Kind::Bool),
            ExprKind::Name(_)
            | ExprKind::Index { .. }
            | ExprKind::Field { .. }
            | ExprKind::BitSlice { .. } => self.target_kind(e),
            ExprKind::Unary { operand, .. } => self.kind(operand),
            ExprKind::Binary { op, lhs, rhs } => {
                if op.is_comparison() {
                    return Some(Kind::Bool);
                }
                let (l, r) = (self.kind(lhs)?, self.kind(rhs)?);
                match op {
                    BinaryOp::And | BinaryOp::Or | BinaryOp::Xor => (l == r).then_some(l),
                    _ => (l == Kind::Int && r == Kind::Int).then_some(Kind::Int),
                }
            }
            ExprKind::Conditional {
                then, otherwise, ..
            } => {
                let then = self.kind(then)?;
                (self.kind(otherwise)? == then).then_some(then)
            }
            ExprKind::Cast { to, .. } => Some(match to {
                CastTo::Int => Kind::Int,
                CastTo::Bool => Kind::Bool,
            }),
            _ => None,
        }
    }
}

/// The declared name a reference starts from (`x` of `x[i].f{3..0}`).
fn root_ident(e: &Expr) -> Option<&Ident> {
    match &e.kind {
        ExprKind::Name(id) => Some(id),
        ExprKind::Index { base, .. }
        | ExprKind::Slice { base, .. }
        | ExprKind::Field { base, .. }
        | ExprKind::BitSlice { base, .. } => root_ident(base),
        _ => None,
    }
}
