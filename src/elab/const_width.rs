//! `bitwidth(e)` in a constant expression (`int<bitwidth(m)> y;`, a field `int<2*bitwidth(x)>`):
//! the width of `e` by ACT's rules for expression widths, from the widths of the data variables
//! declared before it ([`Params::declare_width`]).
use super::consts::{eval_const, eval_value, Params, Value};
use crate::diag::Diagnostic;
use crate::front::ast::{BinaryOp, CastTo, Expr, ExprKind, UnaryOp};

/// The value of `bitwidth(arg)`.
pub(crate) fn bitwidth(arg: &Expr, params: &Params) -> Result<i64, Diagnostic> {
    let (width, reads_data) = width_of(arg, params)?;
    if !reads_data {
        return Err(parameter_expression(arg));
    }
    Ok(i64::from(width))
}

/// ACT's error for `bitwidth(e)` of an expression that reads no variable.
pub(crate) fn parameter_expression(arg: &Expr) -> Diagnostic {
    Diagnostic::error(
        arg.span.clone(),
        "bitwidth(.) applied to a parameter expression",
    )
    .with_label("has no width: it reads no variable")
    .with_hint("`bitwidth` takes a variable, or an expression that reads one")
}

/// How wide an integer constant is (at least one bit).
fn literal_width(v: u64) -> u32 {
    (u64::BITS - v.leading_zeros()).max(1)
}

/// The width of `e`, and whether it reads a data variable (else it is a parameter expression).
fn width_of(e: &Expr, params: &Params) -> Result<(u32, bool), Diagnostic> {
    let sum = |a: u32, b: u32| a.saturating_add(b);
    Ok(match &e.kind {
        ExprKind::Name(id) if params.width(&id.name).is_some() => {
            (params.width(&id.name).expect("matched"), true)
        }
        ExprKind::Bool(_) => (1, false),
        ExprKind::Unary { op, operand } => {
            let (w, data) = width_of(operand, params)?;
            match op {
                UnaryOp::Not | UnaryOp::Neg => (w, data),
            }
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let (lw, ld) = width_of(lhs, params)?;
            let (rw, rd) = width_of(rhs, params)?;
            let w = match op {
                BinaryOp::Or | BinaryOp::Xor | BinaryOp::And => lw.max(rw),
                BinaryOp::Add | BinaryOp::Sub => sum(lw.max(rw), 1),
                BinaryOp::Mul => sum(lw, rw),
                BinaryOp::Div | BinaryOp::Shr | BinaryOp::Asr => lw,
                BinaryOp::Mod => rw,
                // A constant shift widens by its amount, as in CHP.
                BinaryOp::Shl => match eval_const(rhs, params) {
                    Ok(n) => sum(lw, u32::try_from(n.clamp(0, 4096)).unwrap_or(0)),
                    Err(_) => sum(lw, 1u32.checked_shl(rw).unwrap_or(u32::MAX) - 1),
                },
                BinaryOp::Eq
                | BinaryOp::Ne
                | BinaryOp::Lt
                | BinaryOp::Le
                | BinaryOp::Gt
                | BinaryOp::Ge => 1,
            };
            (w, ld || rd)
        }
        ExprKind::Conditional {
            cond,
            then,
            otherwise,
        } => {
            let (_, cd) = width_of(cond, params)?;
            let (tw, td) = width_of(then, params)?;
            let (ow, od) = width_of(otherwise, params)?;
            (tw.max(ow), cd || td || od)
        }
        ExprKind::Cast { to, value, width } => {
            let (vw, data) = width_of(value, params)?;
            let w = match (to, width) {
                (CastTo::Bool, _) => 1,
                (CastTo::Int, None) => vw,
                (CastTo::Int, Some(w)) => {
                    u32::try_from(eval_const(w, params)?.clamp(0, 1 << 20)).unwrap_or(0)
                }
            };
            (w, data)
        }
        // A name that is not a variable, a literal, a call: a parameter expression, as wide as
        // its value.
        _ => match eval_value(e, params)? {
            Value::Int(v) => (literal_width(v as u64), false),
            Value::Real(_) => {
                return Err(Diagnostic::error(
                    e.span.clone(),
                    "a real value has no bit width",
                ))
            }
        },
    })
}
