//! The arithmetic of compile-time expressions: integer and real operators with ACT's rules
//! (shifts, replication folds), and their errors.

use super::consts::Value;
use crate::diag::Diagnostic;
use crate::front::ast::{BinaryOp, Expr};

/// `op` is not defined on real values (`e` is where it is applied).
pub(super) fn not_on_reals(e: &Expr, op: &str) -> Diagnostic {
    Diagnostic::error(
        e.span.clone(),
        format!("`{op}` is not defined on real values"),
    )
    .with_label("a `preal` operand")
    .with_hint("convert it with `int(...)`")
}

/// `a op b` on integer parameters.
pub(super) fn int_binary(
    op: BinaryOp,
    a: i64,
    b: i64,
    e: &Expr,
    rhs: &Expr,
) -> Result<i64, Diagnostic> {
    let overflow = || Diagnostic::error(e.span.clone(), "constant expression overflows 64 bits");
    let div_zero = || {
        Diagnostic::error(
            rhs.span.clone(),
            "division by zero in a constant expression",
        )
    };
    Ok(match op {
        BinaryOp::Add => a.checked_add(b).ok_or_else(overflow)?,
        BinaryOp::Sub => a.checked_sub(b).ok_or_else(overflow)?,
        BinaryOp::Mul => a.checked_mul(b).ok_or_else(overflow)?,
        BinaryOp::Div => {
            if b == 0 {
                return Err(div_zero());
            }
            a.checked_div(b).ok_or_else(overflow)?
        }
        BinaryOp::Mod => {
            if b == 0 {
                return Err(div_zero());
            }
            a.checked_rem(b).ok_or_else(overflow)?
        }
        BinaryOp::Shl => shift_left(a, b).ok_or_else(overflow)?,
        // Parameters are signed: both right shifts are arithmetic.
        BinaryOp::Shr | BinaryOp::Asr => shift_right(a, b).ok_or_else(overflow)?,
        BinaryOp::And => a & b,
        BinaryOp::Or => a | b,
        BinaryOp::Xor => a ^ b,
        BinaryOp::Eq => i64::from(a == b),
        BinaryOp::Ne => i64::from(a != b),
        BinaryOp::Lt => i64::from(a < b),
        BinaryOp::Le => i64::from(a <= b),
        BinaryOp::Gt => i64::from(a > b),
        BinaryOp::Ge => i64::from(a >= b),
    })
}

/// `a op b` where one side is a real (the other converts): arithmetic gives a real, a
/// comparison a Boolean; the bit operators are not defined.
pub(super) fn real_binary(
    op: BinaryOp,
    a: f64,
    b: f64,
    e: &Expr,
    rhs: &Expr,
) -> Result<Value, Diagnostic> {
    let real = |r: f64| Ok(Value::Real(r));
    let truth = |t: bool| Ok(Value::Int(i64::from(t)));
    match op {
        BinaryOp::Add => real(a + b),
        BinaryOp::Sub => real(a - b),
        BinaryOp::Mul => real(a * b),
        BinaryOp::Div if b == 0.0 => Err(Diagnostic::error(
            rhs.span.clone(),
            "division by zero in a constant expression",
        )),
        BinaryOp::Div => real(a / b),
        BinaryOp::Eq => truth(a == b),
        BinaryOp::Ne => truth(a != b),
        BinaryOp::Lt => truth(a < b),
        BinaryOp::Le => truth(a <= b),
        BinaryOp::Gt => truth(a > b),
        BinaryOp::Ge => truth(a >= b),
        _ => Err(not_on_reals(e, op.symbol())),
    }
}

/// `a op b` for the operator of an expression replication; `None` on overflow.
pub(super) fn fold_replicated(op: BinaryOp, a: i64, b: i64) -> Option<i64> {
    match op {
        BinaryOp::Add => a.checked_add(b),
        BinaryOp::Mul => a.checked_mul(b),
        BinaryOp::And => Some(a & b),
        BinaryOp::Or => Some(a | b),
        _ => Some(a ^ b),
    }
}

/// The value of a replication with no iteration: 1 for `*` and `&` (`true`), else 0.
pub(crate) fn replication_identity(op: BinaryOp) -> i64 {
    i64::from(matches!(op, BinaryOp::Mul | BinaryOp::And))
}

/// `a << b`, or `None` when a bit of the result would fall off the 64 bits (or `b < 0`).
fn shift_left(a: i64, b: i64) -> Option<i64> {
    let s = u32::try_from(b).ok()?;
    if a == 0 {
        return Some(0);
    }
    let shifted = i128::from(a).checked_shl(s.min(127))?;
    i64::try_from(shifted).ok().filter(|_| s < 64)
}

/// `a >> b` (arithmetic: all bits shifted out leaves 0, or -1 for a negative `a`), or `None`
/// for `b < 0`.
fn shift_right(a: i64, b: i64) -> Option<i64> {
    let s = u32::try_from(b).ok()?;
    Some(a >> s.min(63))
}
