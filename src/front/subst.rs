//! Template arguments put in place of their parameters in a type or expression: what a use of a
//! templated type alias stands for (`foo<8>` with `template<pint W> defchan foo <:
//! chan(int<W>) (...)` is `chan(int<8>)`), and the parameters of a parent process bound by
//! `defproc bar <: foo<3> ()`.
//!
//! An argument is an expression of the place that uses the template, so it goes in as it is.

use std::collections::HashMap;
use std::sync::Arc;

use crate::front::ast::*;

/// Parameter names and what stands for them.
pub(crate) type Bindings = HashMap<String, Expr>;

/// `ty` with every parameter of `bindings` replaced.
pub(crate) fn subst_type(ty: &Type, bindings: &Bindings) -> Type {
    if bindings.is_empty() {
        return ty.clone();
    }
    let kind = match &ty.kind {
        TypeKind::Bool => TypeKind::Bool,
        TypeKind::Int { width, signed } => TypeKind::Int {
            width: width.as_ref().map(|w| Box::new(subst_expr(w, bindings))),
            signed: *signed,
        },
        TypeKind::Enum { size } => TypeKind::Enum {
            size: Box::new(subst_expr(size, bindings)),
        },
        TypeKind::Chan { dir, data, reply } => TypeKind::Chan {
            dir: *dir,
            data: data.as_ref().map(|t| Box::new(subst_type(t, bindings))),
            reply: reply.as_ref().map(|t| Box::new(subst_type(t, bindings))),
        },
        TypeKind::Record(r) => TypeKind::Record(RecordType {
            def: r.def.clone(),
            args: subst_exprs(&r.args, bindings),
        }),
    };
    Type {
        kind,
        span: ty.span.clone(),
        named: ty.named.as_ref().map(|n| {
            Box::new(NamedType {
                name: n.name.clone(),
                args: subst_exprs(&n.args, bindings),
                parent: subst_type(&n.parent, bindings),
                methods: n
                    .methods
                    .as_ref()
                    .map(|m| Arc::new(subst_methods(m, bindings))),
                override_checks: subst_override_checks(&n.override_checks, bindings),
            })
        }),
    }
}

/// Override checks with every name of `bindings` replaced in their types.
pub(crate) fn subst_override_checks(
    checks: &[OverrideCheck],
    bindings: &Bindings,
) -> Vec<OverrideCheck> {
    (checks.iter())
        .map(|check| OverrideCheck {
            name: check.name.clone(),
            original: subst_type(&check.original, bindings),
            new: subst_type(&check.new, bindings),
        })
        .collect()
}

/// Array dimensions with every name of `bindings` replaced.
pub(crate) fn subst_dims(dims: &[ArrayDim], bindings: &Bindings) -> Vec<ArrayDim> {
    (dims.iter())
        .map(|d| match d {
            ArrayDim::Size(n) => ArrayDim::Size(subst_expr(n, bindings)),
            ArrayDim::Range(lo, hi) => {
                ArrayDim::Range(subst_expr(lo, bindings), subst_expr(hi, bindings))
            }
        })
        .collect()
}

pub(crate) fn subst_exprs(exprs: &[Expr], bindings: &Bindings) -> Vec<Expr> {
    exprs.iter().map(|e| subst_expr(e, bindings)).collect()
}

/// `e` with every name of `bindings` replaced (a field name `x.N` is not a parameter).
pub(crate) fn subst_expr(e: &Expr, bindings: &Bindings) -> Expr {
    subst_expr_in(e, bindings, false)
}

/// The variable of a replication, and what its body sees: with `rename`, the variable gets a
/// name no declaration has (`i$`), so that the body, put in another scope, sees no variable
/// of that scope for it; else it hides a binding of its name.
fn replication_var(var: &Ident, bindings: &Bindings, rename: bool) -> (Ident, Bindings) {
    let mut inner = bindings.clone();
    if !rename {
        inner.remove(&var.name);
        return (var.clone(), inner);
    }
    let fresh = Ident {
        name: format!("{}$", var.name),
        span: var.span.clone(),
    };
    let stands_for = Expr {
        kind: ExprKind::Name(fresh.clone()),
        span: var.span.clone(),
    };
    inner.insert(var.name.clone(), stands_for);
    (fresh, inner)
}

fn subst_expr_in(e: &Expr, bindings: &Bindings, rename: bool) -> Expr {
    let subst_expr = |e: &Expr, b: &Bindings| subst_expr_in(e, b, rename);
    let subst_exprs = |exprs: &[Expr], b: &Bindings| -> Vec<Expr> {
        exprs.iter().map(|e| subst_expr_in(e, b, rename)).collect()
    };
    let boxed = |e: &Expr, b: &Bindings| Box::new(subst_expr_in(e, b, rename));
    let kind = match &e.kind {
        ExprKind::Name(id) => match bindings.get(&id.name) {
            Some(value) => return value.clone(),
            None => ExprKind::Name(id.clone()),
        },
        ExprKind::Int(_) | ExprKind::Real(_) | ExprKind::Bool(_) => return e.clone(),
        ExprKind::Index { base, index } => ExprKind::Index {
            base: boxed(base, bindings),
            index: boxed(index, bindings),
        },
        ExprKind::Slice { base, lo, hi } => ExprKind::Slice {
            base: boxed(base, bindings),
            lo: boxed(lo, bindings),
            hi: boxed(hi, bindings),
        },
        ExprKind::Field { base, field } => ExprKind::Field {
            base: boxed(base, bindings),
            field: field.clone(),
        },
        ExprKind::BitSlice { base, hi, lo } => ExprKind::BitSlice {
            base: boxed(base, bindings),
            hi: boxed(hi, bindings),
            lo: lo.as_ref().map(|lo| boxed(lo, bindings)),
        },
        ExprKind::Probe(x) => ExprKind::Probe(boxed(x, bindings)),
        ExprKind::Unary { op, operand } => ExprKind::Unary {
            op: *op,
            operand: boxed(operand, bindings),
        },
        ExprKind::Binary { op, lhs, rhs } => ExprKind::Binary {
            op: *op,
            lhs: boxed(lhs, bindings),
            rhs: boxed(rhs, bindings),
        },
        ExprKind::Concat(parts) => ExprKind::Concat(subst_exprs(parts, bindings)),
        ExprKind::ArrayConcat(parts) => ExprKind::ArrayConcat(subst_exprs(parts, bindings)),
        ExprKind::Conditional {
            cond,
            then,
            otherwise,
        } => ExprKind::Conditional {
            cond: boxed(cond, bindings),
            then: boxed(then, bindings),
            otherwise: boxed(otherwise, bindings),
        },
        ExprKind::Cast { to, value, width } => ExprKind::Cast {
            to: *to,
            value: boxed(value, bindings),
            width: width.as_ref().map(|w| boxed(w, bindings)),
        },
        ExprKind::MethodCall {
            receiver,
            method,
            args,
        } => ExprKind::MethodCall {
            receiver: boxed(receiver, bindings),
            method: method.clone(),
            args: subst_exprs(args, bindings),
        },
        ExprKind::PstructOf { def, args } => ExprKind::PstructOf {
            def: def.clone(),
            args: subst_exprs(args, bindings),
        },
        ExprKind::ProcessType {
            process,
            args,
            record,
        } => ExprKind::ProcessType {
            process: process.clone(),
            args: subst_exprs(args, bindings),
            record: record.clone(),
        },
        ExprKind::RecordOf { record, value } => ExprKind::RecordOf {
            record: RecordType {
                def: record.def.clone(),
                args: subst_exprs(&record.args, bindings),
            },
            value: boxed(value, bindings),
        },
        ExprKind::Replicated {
            op,
            var,
            range,
            body,
        } => {
            let (var, inner) = replication_var(var, bindings, rename);
            let range = match range.as_ref() {
                IterRange::Count(n) => IterRange::Count(subst_expr(n, bindings)),
                IterRange::Inclusive(lo, hi) => {
                    IterRange::Inclusive(subst_expr(lo, bindings), subst_expr(hi, bindings))
                }
            };
            ExprKind::Replicated {
                op: *op,
                var,
                range: Box::new(range),
                body: boxed(body, &inner),
            }
        }
        ExprKind::Call {
            func,
            template_args,
            args,
        } => ExprKind::Call {
            func: func.clone(),
            template_args: subst_exprs(template_args, bindings),
            args: subst_exprs(args, bindings),
        },
    };
    Expr {
        kind,
        span: e.span.clone(),
    }
}

/// A channel type's methods with every parameter of `bindings` replaced.
pub(crate) fn subst_methods(methods: &ChanMethods, bindings: &Bindings) -> ChanMethods {
    let bodies = (methods.bodies.iter())
        .map(|(name, body)| {
            let body = match body {
                MethodBody::Chp(stmt) => {
                    MethodBody::Chp(stmt.as_ref().map(|s| Box::new(subst_stmt(s, bindings))))
                }
                MethodBody::Probe(e) => MethodBody::Probe(subst_expr(e, bindings)),
            };
            (name.clone(), body)
        })
        .collect();
    ChanMethods {
        bodies,
        wires: methods.wires.clone(),
        marks: methods.marks.clone(),
    }
}

/// `s` with every name of `bindings` replaced (a replication's variable hides a parameter of
/// the same name in its body).
pub(crate) fn subst_stmt(s: &Stmt, bindings: &Bindings) -> Stmt {
    subst_stmt_in(s, bindings, false)
}

/// `s` with every name of `bindings` replaced, and every replication variable renamed to a
/// name no declaration has (`i$`): for a body lowered in another scope than its own (a
/// channel method in a process), whose variables would hide it.
pub(crate) fn subst_stmt_renamed(s: &Stmt, bindings: &Bindings) -> Stmt {
    subst_stmt_in(s, bindings, true)
}

/// `e`, as [`subst_stmt_renamed`] does it.
pub(crate) fn subst_expr_renamed(e: &Expr, bindings: &Bindings) -> Expr {
    subst_expr_in(e, bindings, true)
}

fn subst_stmt_in(s: &Stmt, bindings: &Bindings, rename: bool) -> Stmt {
    let subst_expr = |x: &Expr, b: &Bindings| subst_expr_in(x, b, rename);
    let subst_stmt = |x: &Stmt, b: &Bindings| subst_stmt_in(x, b, rename);
    let e = |x: &Expr| subst_expr(x, bindings);
    let opt = |x: &Option<Expr>| x.as_ref().map(|x| subst_expr(x, bindings));
    let range = |r: &IterRange| match r {
        IterRange::Count(n) => IterRange::Count(e(n)),
        IterRange::Inclusive(lo, hi) => IterRange::Inclusive(e(lo), e(hi)),
    };
    let arms = |arms: &[GuardedCmd]| {
        (arms.iter())
            .map(|arm| {
                let (var, inner) = match &arm.replicator {
                    Some(r) => {
                        let (var, inner) = replication_var(&r.var, bindings, rename);
                        (Some(var), inner)
                    }
                    None => (None, bindings.clone()),
                };
                GuardedCmd {
                    replicator: arm.replicator.as_ref().map(|r| Replicator {
                        var: var.clone().unwrap_or_else(|| r.var.clone()),
                        range: range(&r.range),
                    }),
                    guard: match &arm.guard {
                        Guard::Expr(g) => Guard::Expr(subst_expr(g, &inner)),
                        Guard::Else => Guard::Else,
                    },
                    body: subst_stmt(&arm.body, &inner),
                    span: arm.span.clone(),
                }
            })
            .collect()
    };
    let log_args = |args: &[LogArg]| {
        (args.iter())
            .map(|a| match a {
                LogArg::Str(..) => a.clone(),
                LogArg::Expr(x) => LogArg::Expr(e(x)),
            })
            .collect()
    };
    let stmts = |list: &[Stmt]| list.iter().map(|s| subst_stmt(s, bindings)).collect();
    let kind = match &s.kind {
        StmtKind::Skip => StmtKind::Skip,
        StmtKind::Assign { target, value } => StmtKind::Assign {
            target: e(target),
            value: e(value),
        },
        StmtKind::SetBool { target, value } => StmtKind::SetBool {
            target: e(target),
            value: *value,
        },
        StmtKind::Send {
            chan,
            value,
            reply,
            flavor,
        } => StmtKind::Send {
            chan: e(chan),
            value: opt(value),
            reply: opt(reply),
            flavor: *flavor,
        },
        StmtKind::Recv {
            chan,
            target,
            reply,
            flavor,
        } => StmtKind::Recv {
            chan: e(chan),
            target: opt(target),
            reply: opt(reply),
            flavor: *flavor,
        },
        StmtKind::Seq(list) => StmtKind::Seq(stmts(list)),
        StmtKind::Par(list) => StmtKind::Par(stmts(list)),
        StmtKind::Select {
            nondeterministic,
            arms: list,
        } => StmtKind::Select {
            nondeterministic: *nondeterministic,
            arms: arms(list),
        },
        StmtKind::Wait(g) => StmtKind::Wait(e(g)),
        StmtKind::Forever(body) => StmtKind::Forever(Box::new(subst_stmt(body, bindings))),
        StmtKind::GuardedLoop(list) => StmtKind::GuardedLoop(arms(list)),
        StmtKind::DoLoop { body, cond } => StmtKind::DoLoop {
            body: Box::new(subst_stmt(body, bindings)),
            cond: e(cond),
        },
        StmtKind::Replicated {
            parallel,
            var,
            range: r,
            body,
        } => {
            let (var, inner) = replication_var(var, bindings, rename);
            StmtKind::Replicated {
                parallel: *parallel,
                var,
                range: range(r),
                body: Box::new(subst_stmt(body, &inner)),
            }
        }
        StmtKind::Log { kind, args } => StmtKind::Log {
            kind: *kind,
            args: log_args(args),
        },
        StmtKind::Assert { cond, message } => StmtKind::Assert {
            cond: e(cond),
            message: log_args(message),
        },
        StmtKind::MacroCall {
            receiver,
            method,
            args,
        } => StmtKind::MacroCall {
            receiver: e(receiver),
            method: method.clone(),
            args: args.iter().map(e).collect(),
        },
    };
    Stmt {
        kind,
        label: s.label.clone(),
        delay: opt(&s.delay),
        span: s.span.clone(),
    }
}

/// The bindings of `params` to `args`, the missing trailing ones to their defaults (which may
/// use the parameters before them). `None` when an argument without default is missing.
pub(crate) fn bind_params(params: &[ParamDecl], args: &[Expr]) -> Option<Bindings> {
    let mut bindings = Bindings::new();
    for (i, param) in params.iter().enumerate() {
        let value = match (args.get(i), &param.value) {
            (Some(arg), _) => arg.clone(),
            (None, Some(default)) => subst_expr(default, &bindings),
            (None, None) => return None,
        };
        bindings.insert(param.name.name.clone(), value);
    }
    Some(bindings)
}

#[cfg(test)]
mod tests {
    use num_bigint::BigUint;

    use super::*;

    fn name(n: &str) -> Expr {
        Expr {
            kind: ExprKind::Name(Ident {
                name: n.to_string(),
                span: 0..0,
            }),
            span: 0..0,
        }
    }

    #[test]
    fn arguments_replace_parameters_in_widths() {
        let width = Expr {
            kind: ExprKind::Binary {
                op: BinaryOp::Add,
                lhs: Box::new(name("W")),
                rhs: Box::new(name("K")),
            },
            span: 0..0,
        };
        let ty = Type::new(
            TypeKind::Int {
                width: Some(Box::new(width)),
                signed: false,
            },
            0..0,
        );
        let eight = Expr {
            kind: ExprKind::Int(BigUint::from(8u8)),
            span: 0..0,
        };
        let bindings = Bindings::from([("W".to_string(), eight)]);
        assert_eq!(subst_type(&ty, &bindings).to_string(), "int<(8+K)>");
    }
}
