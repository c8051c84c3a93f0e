//! ACT's operator overloading on records: `a + b`, where `a` is a record whose type has a
//! method function `plus`, is the call `a.plus(b)`; a comparison `a < b` calls `lt` (which
//! must give a bool), `-a` calls `uminus`, `~a` calls `complement`.
use super::Lowerer;
use crate::diag::Diagnostic;
use crate::front::ast::{self, BinaryOp, TypeKind, UnaryOp};

/// The method an operator stands for, and whether it is a comparison (its result a bool).
fn method_of(op: BinaryOp) -> (&'static str, bool) {
    match op {
        BinaryOp::Add => ("plus", false),
        BinaryOp::Sub => ("minus", false),
        BinaryOp::Mul => ("mult", false),
        BinaryOp::Div => ("div", false),
        BinaryOp::Mod => ("mod", false),
        BinaryOp::Shl => ("lsl", false),
        BinaryOp::Shr => ("lsr", false),
        BinaryOp::Asr => ("asr", false),
        BinaryOp::And => ("and", false),
        BinaryOp::Or => ("or", false),
        BinaryOp::Xor => ("xor", false),
        BinaryOp::Lt => ("lt", true),
        BinaryOp::Gt => ("gt", true),
        BinaryOp::Le => ("le", true),
        BinaryOp::Ge => ("ge", true),
        BinaryOp::Eq => ("eq", true),
        BinaryOp::Ne => ("ne", true),
    }
}

impl Lowerer<'_> {
    /// The method call that the operator expression `e` stands for, if its (first) operand is
    /// a record whose type defines the operator's method; an error if that method cannot
    /// stand for it (a macro, a comparison not giving a bool, the wrong number of arguments).
    pub(super) fn overloaded_operator(
        &mut self,
        e: &ast::Expr,
    ) -> Option<Result<ast::Expr, Diagnostic>> {
        let (receiver, candidates, args, comparison) = match &e.kind {
            ast::ExprKind::Binary { op, lhs, rhs } => {
                let (name, comparison) = method_of(*op);
                (lhs, vec![name], vec![(**rhs).clone()], comparison)
            }
            ast::ExprKind::Unary {
                op: UnaryOp::Neg,
                operand,
            } => (operand, vec!["uminus"], Vec::new(), false),
            ast::ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => (operand, vec!["complement", "not"], Vec::new(), false),
            _ => return None,
        };
        let record = self.record_of(receiver)?;
        let name = *candidates
            .iter()
            .find(|n| record.methods.iter().any(|m| m == *n))?;
        let method = ast::Ident {
            name: name.to_string(),
            span: e.span.clone(),
        };
        let Some((def, _)) = self.method_function(&record, name) else {
            return Some(Err(Diagnostic::error(
                e.span.clone(),
                format!(
                    "method `{name}` of `{}` must be a function to stand for this operator",
                    record.name
                ),
            )
            .with_label("a macro has no value")));
        };
        if def.param_result.is_some() {
            // ACT: "User macro `plus' must return a non-parameter type for operator
            // overloading."
            return Some(Err(Diagnostic::error(
                e.span.clone(),
                format!(
                    "method `{name}` of `{}` returns a parameter: it cannot stand for this operator",
                    record.name
                ),
            )
            .with_note(def.name.span.clone(), "a function of parameters")));
        }
        let own_args = def.args.len() - def.method.as_ref().map_or(0, |m| m.fields);
        if own_args != args.len() {
            let wanted = if args.is_empty() {
                "no arguments"
            } else {
                "exactly one argument"
            };
            return Some(Err(Diagnostic::error(
                e.span.clone(),
                format!(
                    "method `{name}` of `{}` must have {wanted} to stand for this operator",
                    record.name
                ),
            )));
        }
        if comparison && def.result.kind != TypeKind::Bool {
            return Some(Err(Diagnostic::error(
                e.span.clone(),
                format!(
                    "method `{name}` of `{}` must return a bool to stand for this operator",
                    record.name
                ),
            )));
        }
        Some(Ok(ast::Expr {
            kind: ast::ExprKind::MethodCall {
                receiver: receiver.clone(),
                method,
                args,
            },
            span: e.span.clone(),
        }))
    }
}
