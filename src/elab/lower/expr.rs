//! Expressions: their widths and types, parameters, conditionals, casts and calls.

use std::sync::Arc;

use num_bigint::BigUint;
use num_traits::ToPrimitive;

use super::{is_literal, Lowerer, MAX_EXPR_WIDTH};
use crate::diag::{did_you_mean, Diagnostic};
use crate::elab::const_ops::replication_identity;
use crate::elab::consts::{eval_const, eval_size, Params};
use crate::elab::ir::{BinaryOp, Constant, Dir, Expr, ExprKind, PortRef, Ty, UnaryOp};
use crate::elab::records::Layout;
use crate::front::ast::{self, Span};

impl Lowerer<'_> {
    pub(super) fn expr(&mut self, e: &ast::Expr) -> Option<Expr> {
        use ast::ExprKind as A;
        if let Some(wire) = self.wire_var(e) {
            self.check_fragment(&wire)?;
            return self.expr(&wire);
        }
        if self.outside_macro(e) {
            return None;
        }
        let span = e.span.clone();
        let (kind, ty) = match &e.kind {
            A::Int(v) => literal(v),
            A::ArrayConcat(_) => {
                self.err(&span, "`#` joins arrays in connections, not in CHP");
                return None;
            }
            A::Real(_) => {
                self.err(&span, "real numbers are not supported in CHP");
                return None;
            }
            A::Bool(b) => (ExprKind::Const(Constant::Small(u64::from(*b))), Ty::Bool),
            A::Name(id) => self.name_value(e, id)?,
            A::Index { .. } if super::place::field_chain(e).is_some() => {
                let (base, field, indices) = super::place::field_chain(e).expect("matched");
                self.field_expr(base, field, &indices)?
            }
            A::Index { .. } => self.element(e)?,
            A::Slice { .. } => {
                self.err(
                    &span,
                    "an array range `x[lo..hi]` names several elements; CHP uses one at a time",
                );
                return None;
            }
            A::Field { .. } if self.bundle_element(e).is_some() => {
                let element = self.bundle_element(e).expect("matched");
                return self.expr(&element);
            }
            A::Field { .. }
                if self
                    .member_name(e)
                    .is_some_and(|m| self.is_channel(&m.name)) =>
            {
                self.channel_value(e)?
            }
            // `s.w`: a field of a parameter structure, or a parameter of an instance.
            A::Field { .. }
                if crate::elab::consts::dotted_name(e)
                    .is_some_and(|n| !self.vars.contains_key(&n) && self.is_parameter(&n)) =>
            {
                self.parameter_value(e)?
            }
            A::Field { base, field } => self.field_expr(base, field, &[])?,
            A::RecordOf { record, value } => self.record_from(record, value)?,
            A::ProcessType { .. } => {
                self.err(&span, "a process type is a template argument, not a value");
                return None;
            }
            A::PstructOf { .. } => {
                self.err(
                    &span,
                    "a parameter structure is a parameter, not a value of CHP",
                );
                return None;
            }
            A::MethodCall {
                receiver,
                method,
                args,
            } => self.method_call(receiver, method, args, &span)?,
            A::BitSlice { base, hi, lo } => self.bit_slice(base, hi, lo.as_deref())?,
            A::Probe(chan) => {
                let (port, _, _) = self.port_ref(chan, None)?;
                if let (true, PortRef::Element { index, .. }) = (self.strict_act, &port) {
                    // ACT: which element is probed must be known when the design is built.
                    self.diags.push(
                        Diagnostic::error(
                            index.span.clone(),
                            "probes of a channel array element chosen at run time are not supported",
                        )
                        .with_label("not a constant index")
                        .with_hint("probe each element with a constant index, e.g. in a replicated guard `([] i : N : #x[i] -> ...)`"),
                    );
                    return None;
                }
                let wired = match &port {
                    PortRef::Fixed(slot) => self.wired_probe(chan, *slot),
                    PortRef::Element { .. } => None,
                };
                (wired.unwrap_or(ExprKind::Probe(port)), Ty::Bool)
            }
            A::Unary { .. } | A::Binary { .. } if self.overloaded_operator(e).is_some() => {
                match self.overloaded_operator(e).expect("matched") {
                    Ok(call) => return self.expr(&call),
                    Err(d) => {
                        self.diags.push(d);
                        return None;
                    }
                }
            }
            A::Unary { op, operand } => self.unary(*op, operand, &span)?,
            A::Binary { op, lhs, rhs } => {
                let a = self.expr(lhs);
                let b = self.expr(rhs);
                let (a, b) = (a?, b?);
                self.check_record_operands(*op, lhs, rhs, &a, &b)?;
                let (a, b) = match self.record_of(lhs).is_some() || self.record_of(rhs).is_some() {
                    true => (structure_as_value(a), structure_as_value(b)),
                    false => (a, b),
                };
                let (op, ty) = self.binary_type(*op, &a, &b, rhs, &span)?;
                (ExprKind::Binary(op, Box::new(a), Box::new(b)), ty)
            }
            A::Conditional {
                cond,
                then,
                otherwise,
            } => {
                let lowered = self.conditional(cond, then, otherwise, &span)?;
                self.check_branch_records(then, otherwise, &span)?;
                lowered
            }
            A::Cast { to, value, width } => self.cast(*to, value, width.as_deref())?,
            A::Call {
                func,
                template_args,
                args,
            } => self.call(func, template_args, args, &span)?,
            A::Replicated {
                op,
                var,
                range,
                body,
            } => self.replicated_expr(*op, var, range, body, &span)?,
            A::Concat(parts) => {
                let parts: Option<Vec<Expr>> = parts.iter().map(|p| self.expr(p)).collect();
                let parts = parts?;
                let width: u64 = parts.iter().map(|p| u64::from(p.ty.width())).sum();
                let width = width.min(u64::from(u32::MAX)) as u32;
                (ExprKind::Concat(parts), Ty::Int(width))
            }
        };
        if ty.width() > MAX_EXPR_WIDTH {
            self.err(
                &span,
                format!(
                    "this expression is {} bits wide; chpsim handles at most {MAX_EXPR_WIDTH}",
                    ty.width()
                ),
            );
            return None;
        }
        Some(Expr { kind, ty, span })
    }

    /// A bare name read as a value: a macro's argument or field, a variable, a parameter or a
    /// channel (its value when probed).
    fn name_value(&mut self, e: &ast::Expr, id: &ast::Ident) -> Option<(ExprKind, Ty)> {
        if let Some(stands_for) = self.macro_names.get(&id.name).cloned() {
            let lowered = self.in_caller(|l| l.expr(&stands_for))?;
            return Some((lowered.kind, lowered.ty));
        }
        if let Some(a) = self.vars.get(&id.name) {
            if a.shape.len() != 1 || a.shape.lo() != 0 {
                self.err(&e.span, format!("`{}` is an array; index it", id.name));
                return None;
            }
            Some((ExprKind::Var(a.base), a.ty))
        } else if self.is_parameter(&id.name) {
            self.parameter_value(e)
        } else if self.is_channel(&id.name) {
            self.channel_value(e)
        } else {
            // A value: suggest a variable, not a channel (rarely read as a value).
            let msg = format!("unknown name `{}`", id.name);
            self.unknown(&e.span, msg, &id.name, true, false);
            None
        }
    }

    /// `a[i]`: an element of a variable array (at a slot known now or chosen at run time), of
    /// a parameter array, or of a channel array.
    fn element(&mut self, e: &ast::Expr) -> Option<(ExprKind, Ty)> {
        let Some((id, indices)) = super::place::index_chain(e) else {
            self.err(&e.span, "expected an array element");
            return None;
        };
        if !self.vars.contains_key(&id.name) && self.is_parameter(&id.name) {
            return self.parameter_value(e);
        }
        if !self.vars.contains_key(&id.name) && self.is_channel(&id.name) {
            return self.channel_value(e);
        }
        let Some(a) = self.vars.get(&id.name) else {
            let msg = format!("unknown array `{}`", id.name);
            self.unknown(&id.span, msg, &id.name, true, false);
            return None;
        };
        let (base_slot, shape, ty) = (a.base, a.shape.clone(), a.ty);
        let len = shape.len();
        Some(
            match self.element_at(&id.name, &indices, &shape, &e.span)? {
                Ok(i) => (ExprKind::Var(base_slot + i), ty),
                Err((index, lo)) => (
                    ExprKind::Element {
                        base: base_slot,
                        lo,
                        len,
                        index: Box::new(index),
                    },
                    ty,
                ),
            },
        )
    }

    /// `x{hi..lo}` or `x{i}` (a bool when `x` is one).
    fn bit_slice(
        &mut self,
        base: &ast::Expr,
        hi: &ast::Expr,
        lo: Option<&ast::Expr>,
    ) -> Option<(ExprKind, Ty)> {
        let inner = self.expr(base)?;
        // A constant has the bits it is given (`5{7..0}`); a variable's range must fit in it
        // (ACT warns, and its `Error on or near` context makes that a rejection).
        let within = (!matches!(inner.kind, ExprKind::Const(_))).then_some(inner.ty);
        let (h, l) = self.bit_range(hi, lo, within)?;
        let ty = if lo.is_none() && inner.ty == Ty::Bool {
            Ty::Bool
        } else {
            Ty::Int(h - l + 1)
        };
        let bits = ExprKind::Bits {
            inner: Box::new(inner),
            hi: h,
            lo: l,
        };
        Some((bits, ty))
    }

    /// `~a` or `-a`, of an integer or a bool (not a record; `-` not of a bool).
    fn unary(
        &mut self,
        op: ast::UnaryOp,
        operand: &ast::Expr,
        span: &Span,
    ) -> Option<(ExprKind, Ty)> {
        let a = self.expr(operand)?;
        if self.record_of(operand).is_some() {
            self.diags.push(
                Diagnostic::error(
                    operand.span.clone(),
                    "`~` and `-` need an integer or a bool, but this is a record",
                )
                .with_label("a record")
                .with_hint("apply it to a field, or to the record's bits with `int(e)`"),
            );
            return None;
        }
        let op = match op {
            ast::UnaryOp::Not => UnaryOp::Not,
            ast::UnaryOp::Neg => {
                if a.ty == Ty::Bool {
                    self.err(span, "cannot negate a bool (use `~`)");
                    return None;
                }
                UnaryOp::Negate
            }
        };
        let ty = a.ty;
        Some((ExprKind::Unary(op, Box::new(a)), ty))
    }

    /// The branches of `c ? a : b` are both integers or both the same record.
    fn check_branch_records(
        &mut self,
        then: &ast::Expr,
        otherwise: &ast::Expr,
        span: &Span,
    ) -> Option<()> {
        let (a, b) = (self.record_of(then), self.record_of(otherwise));
        if a.as_ref().map(|r| &r.name) == b.as_ref().map(|r| &r.name) {
            return Some(());
        }
        let describe = |r: Option<Arc<Layout>>| {
            r.map_or("an integer".to_string(), |r| format!("record `{}`", r.name))
        };
        let message = format!(
            "the branches of `? :` mix {} and {}",
            describe(a),
            describe(b)
        );
        self.err(span, message);
        None
    }

    /// Whether `name` is a parameter (with or without a value yet), a parameter array or a
    /// loop variable.
    /// `(+ i : N : e)` (and `*`, `&`, `|`, `^`): `e` with `i` bound to each value in turn,
    /// combined left to right as the binary operator would (with its widths); with no
    /// iteration, the operator's identity (`0`, `1`, `true`, `false`).
    fn replicated_expr(
        &mut self,
        op: ast::BinaryOp,
        var: &ast::Ident,
        range: &ast::IterRange,
        body: &ast::Expr,
        span: &Span,
    ) -> Option<(ExprKind, Ty)> {
        self.check_loop_variable(var)?;
        let (lo, hi) = self.range(range)?;
        let mut acc: Option<Expr> = None;
        for i in lo..=hi {
            let shadowed = self.params.bind(&var.name, i);
            let next = self.expr(body);
            self.params.unbind(&var.name, shadowed);
            let next = next?;
            acc = Some(match acc {
                None => next,
                Some(a) => {
                    let (op, ty) = self.binary_type(op, &a, &next, body, span)?;
                    Expr {
                        kind: ExprKind::Binary(op, Box::new(a), Box::new(next)),
                        ty,
                        span: span.clone(),
                    }
                }
            });
        }
        Some(match acc {
            Some(e) => (e.kind, e.ty),
            None => {
                let identity = replication_identity(op) as u64;
                let ty = match op {
                    ast::BinaryOp::And | ast::BinaryOp::Or => Ty::Bool,
                    _ => Ty::Int(1),
                };
                (ExprKind::Const(Constant::Small(identity)), ty)
            }
        })
    }

    pub(super) fn is_parameter(&self, name: &str) -> bool {
        self.params.has_value(name)
            || self.params.array(name).is_some()
            || self.params.is_unset(name)
            || self.params.has_failed(name)
    }

    /// A parameter or parameter array element, as a constant as wide as its value needs; a
    /// `pbool` is a `bool` (`[ UP -> ... ]`), as in ACT.
    pub(super) fn parameter_value(&mut self, e: &ast::Expr) -> Option<(ExprKind, Ty)> {
        let v = eval_const(e, &self.params)
            .map_err(|d| self.diags.push(d))
            .ok()?;
        let root = crate::elab::param_array::selection(e).map(|(id, _)| id.name.clone());
        let is_bool = root
            .or_else(|| crate::elab::consts::dotted_name(e))
            .is_some_and(|n| self.params.is_bool(&n));
        if is_bool {
            return Some((ExprKind::Const(Constant::Small(v as u64)), Ty::Bool));
        }
        Some(param_constant(v))
    }

    /// `c ? a : b`: both branches bools, or both integers (then as wide as the wider).
    pub(super) fn conditional(
        &mut self,
        cond: &ast::Expr,
        then: &ast::Expr,
        otherwise: &ast::Expr,
        span: &Span,
    ) -> Option<(ExprKind, Ty)> {
        let c = self.expr(cond);
        let a = self.expr(then);
        let b = self.expr(otherwise);
        let (c, a, b) = (c?, a?, b?);
        if c.ty != Ty::Bool {
            self.err(
                &cond.span,
                format!(
                    "the condition of `? :` must be a bool, but this is {}",
                    c.ty
                ),
            );
            return None;
        }
        let ty = match (a.ty, b.ty) {
            (Ty::Bool, Ty::Bool) => Ty::Bool,
            (Ty::Int(x), Ty::Int(y)) => Ty::Int(x.max(y)),
            (x, y) => {
                self.err(span, format!("the branches of `? :` mix {x} and {y}"));
                return None;
            }
        };
        Some((
            ExprKind::Conditional(Box::new(c), Box::new(a), Box::new(b)),
            ty,
        ))
    }

    /// `int(e)` (a bool as 0/1; an integer unchanged), `int(e, w)` (cut or zero-extended to
    /// `w` bits, `w` may be 0), `bool(e)` (an integer's "is not zero").
    pub(super) fn cast(
        &mut self,
        to: ast::CastTo,
        value: &ast::Expr,
        width: Option<&ast::Expr>,
    ) -> Option<(ExprKind, Ty)> {
        let v = self.expr(value)?;
        let width = match width {
            Some(w) => Some(
                eval_size(w, &self.params, "the width of int(e, w)", 0, 1 << 20)
                    .map_err(|d| self.diags.push(d))
                    .ok()?,
            ),
            None => None,
        };
        Some(match (to, width, v.ty) {
            (ast::CastTo::Int, Some(w), _) => (ExprKind::Resize(Box::new(v)), Ty::Int(w)),
            (ast::CastTo::Int, None, Ty::Bool) => (v.kind, Ty::Int(1)),
            (ast::CastTo::Int, None, ty) => (v.kind, ty),
            (ast::CastTo::Bool, _, Ty::Bool) => {
                // ACT: `bool(.)` converts an integer; of a bool it is a type error.
                self.diags.push(
                    Diagnostic::error(value.span.clone(), "bool(.) requires an integer argument")
                        .with_label("this is already a bool")
                        .with_hint("drop the `bool(...)` around it"),
                );
                return None;
            }
            (ast::CastTo::Bool, _, _) => (nonzero(v).kind, Ty::Bool),
        })
    }

    /// A call `f(args)`: of a sibling method (in a method), of a user's function (of the
    /// namespace first), or of the built-in `bitwidth(x)`, the declared width of a variable or
    /// channel, or the width of an expression that reads one (`bitwidth(x+8)`).
    pub(super) fn call(
        &mut self,
        func: &ast::Ident,
        template_args: &[ast::Expr],
        args: &[ast::Expr],
        span: &Span,
    ) -> Option<(ExprKind, Ty)> {
        if let Some(call) = self.sibling_call(func, template_args, args, span) {
            return call;
        }
        if let Some(def) = self.functions.find(&self.scope, &func.name) {
            let values = self.template_values(&def.template_params, template_args)?;
            return self.user_call(def, values, args, span);
        }
        if func.name != "bitwidth" || !template_args.is_empty() {
            let mut d = Diagnostic::error(
                func.span.clone(),
                format!("unknown function `{}`", func.name),
            );
            d = match did_you_mean(&func.name, self.functions.names()) {
                Some(hint) => d.with_hint(hint),
                None => d.with_hint("chpsim knows the built-ins bitwidth(x), int(e), int(e, w) and bool(e), and the functions the file defines"),
            };
            self.diags.push(d);
            return None;
        }
        let [arg] = args else {
            self.err(
                span,
                "`bitwidth` takes one argument: a variable or a channel",
            );
            return None;
        };
        let width = match &arg.kind {
            ast::ExprKind::Name(_) | ast::ExprKind::Index { .. } => self.declared_width(arg)?,
            // An expression's width by ACT's rules; one that reads no variable has none.
            _ if eval_const(arg, &self.params).is_ok() => {
                self.diags
                    .push(crate::elab::const_width::parameter_expression(arg));
                return None;
            }
            _ => self.expr(arg)?.ty.width(),
        };
        let bits = (32 - width.leading_zeros()).max(1);
        Some((
            ExprKind::Const(Constant::Small(u64::from(width))),
            Ty::Int(bits),
        ))
    }

    /// The declared width of the variable or channel `e` names (an array: of its elements).
    pub(super) fn declared_width(&mut self, e: &ast::Expr) -> Option<u32> {
        let id = match &e.kind {
            ast::ExprKind::Name(id) => id,
            ast::ExprKind::Index { base, .. } => match &base.kind {
                ast::ExprKind::Name(id) => id,
                _ => {
                    self.err(&e.span, "expected a variable or a channel");
                    return None;
                }
            },
            _ => {
                self.err(&e.span, "expected a variable or a channel");
                return None;
            }
        };
        if let Some(a) = self.vars.get(&id.name) {
            return Some(a.ty.width());
        }
        if let Some(p) = self.ports.get(&id.name) {
            return Some(p.ty.map_or(0, Ty::width));
        }
        if let Some(c) = self.local_channels.get(&id.name) {
            return Some(c.ty.map_or(0, Ty::width));
        }
        let msg = format!("unknown variable `{}`", id.name);
        self.unknown(&id.span, msg, &id.name, true, true);
        None
    }

    /// A receive port's name as a value: the value a waiting sender offers, else 0.
    pub(super) fn channel_value(&mut self, e: &ast::Expr) -> Option<(ExprKind, Ty)> {
        let (port, ty, _) = self.port(e, Dir::Receive)?;
        let Some(ty) = ty else {
            self.diags.push(
                Diagnostic::error(
                    e.span.clone(),
                    "this channel is dataless (chan()): it has no value to read",
                )
                .with_hint("probe it with `#X` to see whether a sender waits"),
            );
            return None;
        };
        let record = self.record_of(e).is_some();
        Some((ExprKind::ChannelValue { port, record }, ty))
    }

    /// Records can only be compared (`=`, `!=`), with records of the same type.
    pub(super) fn check_record_operands(
        &mut self,
        op: ast::BinaryOp,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        a: &Expr,
        b: &Expr,
    ) -> Option<()> {
        let (ra, rb) = (self.record_of(lhs), self.record_of(rhs));
        if ra.is_none() && rb.is_none() {
            return Some(());
        }
        if matches!(op, ast::BinaryOp::Eq | ast::BinaryOp::Ne) {
            return self.check_record(ra, a.ty, rb, b);
        }
        let record = if ra.is_some() { lhs } else { rhs };
        self.diags.push(
            Diagnostic::error(
                record.span.clone(),
                format!("`{}` needs integers, but this is a record", op.symbol()),
            )
            .with_label("a record")
            .with_hint("records can only be compared with `=` and `!=`; use a field, or `int(e)`"),
        );
        None
    }

    pub(super) fn binary_type(
        &mut self,
        op: ast::BinaryOp,
        a: &Expr,
        b: &Expr,
        rhs: &ast::Expr,
        span: &Span,
    ) -> Option<(BinaryOp, Ty)> {
        use ast::BinaryOp as A;
        let (wa, wb) = (u64::from(a.ty.width()), u64::from(b.ty.width()));
        let bools = (a.ty == Ty::Bool, b.ty == Ty::Bool);
        let logic = matches!(op, A::And | A::Or | A::Xor);
        let equality = matches!(op, A::Eq | A::Ne);
        if bools.0 != bools.1 {
            self.err(
                span,
                format!("`{}` mixes {} and {}", op.symbol(), a.ty, b.ty),
            );
            return None;
        }
        if bools.0 && !(logic || equality) {
            self.err(
                span,
                format!("`{}` needs integers, but these are bools", op.symbol()),
            );
            return None;
        }
        // Widths are computed in 64 bits; `expr` rejects any beyond MAX_EXPR_WIDTH.
        let int = |w: u64| Ty::Int(w.clamp(1, u64::from(u32::MAX)) as u32);
        // A divisor written as a literal zero can only fail; one that depends on a parameter
        // may sit in a branch that never runs, so it is left to the run-time check.
        if matches!(op, A::Div | A::Mod)
            && is_literal(rhs)
            && eval_const(rhs, &Params::default()) == Ok(0)
        {
            self.diags.push(
                Diagnostic::error(span.clone(), "division by zero")
                    .with_note(rhs.span.clone(), "this is always 0"),
            );
            return None;
        }
        Some(match op {
            A::Add => (BinaryOp::Add, int(wa.max(wb) + 1)),
            A::Sub => (BinaryOp::Sub, int(wa.max(wb) + 1)),
            A::Mul => (BinaryOp::Mul, int(wa + wb)),
            A::Div => (BinaryOp::Div, int(wa)),
            A::Mod => (BinaryOp::Rem, int(wb)),
            A::Shl => {
                let extra = eval_const(rhs, &self.params)
                    .ok()
                    .filter(|c| (0..=4096).contains(c))
                    .unwrap_or(0);
                (BinaryOp::Shl, int(wa + extra as u64))
            }
            A::Shr => (BinaryOp::Shr, int(wa)),
            A::Asr => (BinaryOp::Asr, int(wa)),
            A::And if bools.0 => (BinaryOp::And, Ty::Bool),
            A::Or if bools.0 => (BinaryOp::Or, Ty::Bool),
            A::Xor if bools.0 => (BinaryOp::Xor, Ty::Bool),
            A::And => (BinaryOp::And, int(wa.max(wb))),
            A::Or => (BinaryOp::Or, int(wa.max(wb))),
            A::Xor => (BinaryOp::Xor, int(wa.max(wb))),
            A::Eq => (BinaryOp::Eq, Ty::Bool),
            A::Ne => (BinaryOp::Ne, Ty::Bool),
            A::Lt => (BinaryOp::Lt, Ty::Bool),
            A::Le => (BinaryOp::Le, Ty::Bool),
            A::Gt => (BinaryOp::Gt, Ty::Bool),
            A::Ge => (BinaryOp::Ge, Ty::Bool),
        })
    }
}

/// An integer literal: as wide as its value needs (at least one bit).
fn literal(v: &BigUint) -> (ExprKind, Ty) {
    let width = v.bits().clamp(1, u64::from(u32::MAX)) as u32;
    let c = match v.to_u64() {
        Some(x) => Constant::Small(x),
        None => Constant::Wide(v.clone()),
    };
    (ExprKind::Const(c), Ty::Int(width))
}

/// The integer parameter value `v` in CHP: a constant as wide as it needs.
pub(super) fn param_constant(v: i64) -> (ExprKind, Ty) {
    let width = (64 - (v as u64).leading_zeros()).max(1);
    (ExprKind::Const(Constant::Small(v as u64)), Ty::Int(width))
}

/// `v` as a truth value: a bool as it is, an integer whether it is not zero.
pub(super) fn nonzero(v: Expr) -> Expr {
    if v.ty == Ty::Bool {
        return v;
    }
    let zero = Expr {
        kind: ExprKind::Const(Constant::Small(0)),
        ty: v.ty,
        span: v.span.clone(),
    };
    Expr {
        span: v.span.clone(),
        kind: ExprKind::Binary(BinaryOp::Ne, Box::new(v), Box::new(zero)),
        ty: Ty::Bool,
    }
}

/// An operand of a comparison of records: a record variable (or a record field of one) is
/// what actsim evaluates as a value, printing its error and reading a one-bit 0 (see
/// [`ExprKind::StructureAsValue`]); any other operand is itself.
fn structure_as_value(operand: Expr) -> Expr {
    if operand.fixed_bits().is_none() {
        return operand;
    }
    let span = operand.span.clone();
    Expr {
        kind: ExprKind::StructureAsValue(Box::new(operand)),
        ty: Ty::Int(1),
        span,
    }
}
