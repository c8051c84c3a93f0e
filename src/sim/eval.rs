//! Expression evaluation with ACT's widths.
use num_bigint::BigUint;
use num_traits::Zero;

use super::error::{Fault, RuntimeErrorKind};
use super::port::Port;
use super::value::{mask64, Value};
use crate::elab::ir::{BinaryOp, Constant, Expr, ExprKind, PortRef, Span, Ty, UnaryOp};

/// What an expression can read: the process's variables and ports.
pub(crate) struct Env<'a> {
    pub vars: &'a [Value],
    pub ports: &'a [Port],
}

pub(crate) fn eval(e: &Expr, env: &Env<'_>) -> Result<Value, Fault> {
    match &e.kind {
        ExprKind::Const(Constant::Small(v)) => Ok(Value::Small(*v)),
        ExprKind::Const(Constant::Wide(v)) => Ok(Value::Wide(Box::new(v.clone()))),
        ExprKind::Var(slot) => Ok(env.vars[*slot].clone()),
        ExprKind::Element {
            base,
            lo,
            len,
            index,
        } => {
            let i = element_index(index, *lo, *len, env)?;
            Ok(env.vars[base + i].clone())
        }
        ExprKind::Probe(port) => {
            let slot = port_slot(port, env)?;
            Ok(Value::from_bool(env.ports[slot].probe()))
        }
        ExprKind::WiredProbe { slot, wires } => match &env.ports[*slot] {
            Port::Wired { .. } => Ok(Value::from_bool(eval(wires, env)?.is_true())),
            port => Ok(Value::from_bool(port.probe())),
        },
        ExprKind::Unary(op, inner) => {
            let v = eval(inner, env)?;
            Ok(unary(*op, v, e.ty.width()))
        }
        ExprKind::Binary(op, a, b) => {
            let va = eval(a, env)?;
            let vb = eval(b, env)?;
            binary(*op, va, vb, e.ty, &e.span)
        }
        ExprKind::Bits { inner, hi, lo } => {
            let v = eval(inner, env)?;
            Ok(extract_bits(v, *hi, *lo))
        }
        ExprKind::FieldElement { inner, at } => {
            let v = eval(inner, env)?;
            let lo = at.element_lo(element_index(&at.index, at.lo, at.len, env)?);
            Ok(extract_bits(v, lo + at.width - 1, lo))
        }
        ExprKind::Conditional(cond, then, otherwise) => {
            let chosen = if eval(cond, env)?.is_true() {
                then
            } else {
                otherwise
            };
            Ok(eval(chosen, env)?.truncated(e.ty.width()))
        }
        ExprKind::Resize(inner) => Ok(eval(inner, env)?.truncated(e.ty.width())),
        ExprKind::StructureAsValue(_) => {
            super::function::log_simulator_part(super::STRUCTURE_AS_VALUE);
            Ok(Value::Small(0))
        }
        ExprKind::ChannelValue { port, record } => {
            let slot = port_slot(port, env)?;
            let offered = match &env.ports[slot] {
                Port::Receive { end } => end.peek(|offered| offered.cloned()),
                Port::Send { .. } | Port::Unbound | Port::Wired { .. } => None,
            };
            if offered.is_none() && *record {
                super::function::log_simulator_part(super::NO_WAITING_SENDER);
            }
            Ok(offered.unwrap_or_default())
        }
        ExprKind::Call(f, args) => super::function::call(f, args, env),
        ExprKind::Concat(parts) => {
            let total = e.ty.width();
            if total <= 64 {
                let mut acc = 0u64;
                for part in parts {
                    let w = part.ty.width();
                    let v = eval(part, env)?.to_u64().unwrap_or(0);
                    acc = if w >= 64 { v } else { (acc << w) | v };
                }
                Ok(Value::Small(acc))
            } else {
                let mut acc = BigUint::zero();
                for part in parts {
                    acc = (acc << part.ty.width() as usize) | eval(part, env)?.to_big();
                }
                Ok(Value::from_big(acc, total))
            }
        }
    }
}

/// Evaluates an array index (as written, the array's indices being `lo .. lo+len-1`) and
/// returns its position from 0. An error names the index as written; an index of any width is
/// compared exactly, so a wide one can never wrap into range.
pub(crate) fn element_index(
    index: &Expr,
    lo: i64,
    len: usize,
    env: &Env<'_>,
) -> Result<usize, Fault> {
    let v = eval(index, env)?;
    let at = v
        .to_u64()
        .map(|i| i128::from(i) - i128::from(lo))
        .filter(|&at| (0..len as i128).contains(&at));
    match at {
        Some(at) => Ok(at as usize),
        None => Err(Fault::new(
            &index.span,
            RuntimeErrorKind::IndexOutOfRange {
                index: v.to_big(),
                lo,
                len,
            },
        )),
    }
}

/// The port slot a port reference names.
pub(crate) fn port_slot(port: &PortRef, env: &Env<'_>) -> Result<usize, Fault> {
    match port {
        PortRef::Fixed(slot) => Ok(*slot),
        PortRef::Element {
            base,
            lo,
            len,
            index,
            ..
        } => Ok(base + element_index(index, *lo, *len, env)?),
    }
}

pub(crate) fn unary(op: UnaryOp, v: Value, width: u32) -> Value {
    match (op, v) {
        (UnaryOp::Not, Value::Small(x)) => Value::Small(!x & mask64(width)),
        (UnaryOp::Negate, Value::Small(x)) => Value::Small(x.wrapping_neg() & mask64(width)),
        (UnaryOp::Not, Value::Wide(x)) => {
            let all = (BigUint::from(1u8) << width as usize) - 1u8;
            Value::from_big(all ^ *x, width)
        }
        (UnaryOp::Negate, Value::Wide(x)) => {
            let modulus = BigUint::from(1u8) << width as usize;
            let x = *x % &modulus;
            Value::from_big(modulus - x, width)
        }
    }
}

pub(crate) fn binary(
    op: BinaryOp,
    a: Value,
    b: Value,
    ty: Ty,
    span: &Span,
) -> Result<Value, Fault> {
    let width = ty.width();
    if let (Value::Small(x), Value::Small(y)) = (&a, &b) {
        if width <= 64 {
            return small_binary(op, *x, *y, width, span).map(Value::Small);
        }
    }
    let (x, y) = (a.to_big(), b.to_big());
    let r = match op {
        BinaryOp::Add => x + y,
        BinaryOp::Sub => {
            let modulus = BigUint::from(1u8) << width as usize;
            (x + &modulus - (y % &modulus)) % modulus
        }
        BinaryOp::Mul => x * y,
        BinaryOp::Div | BinaryOp::Rem if y.is_zero() => {
            return Err(Fault::new(span, RuntimeErrorKind::DivisionByZero));
        }
        BinaryOp::Div => x / y,
        BinaryOp::Rem => x % y,
        BinaryOp::Shl => match shift_amount(&y, width) {
            Some(s) => x << s,
            None => BigUint::zero(),
        },
        BinaryOp::Shr => match shift_amount(&y, u32::MAX) {
            Some(s) => x >> s,
            None => BigUint::zero(),
        },
        BinaryOp::Asr => {
            let all = (BigUint::from(1u8) << width as usize) - 1u8;
            let negative = width > 0 && x.bit(u64::from(width - 1));
            let s = shift_amount(&y, width).unwrap_or(width as usize);
            let shifted = x >> s;
            if negative {
                // The vacated top `s` bits take the sign.
                let kept = &all >> s;
                shifted | (all ^ kept)
            } else {
                shifted
            }
        }
        BinaryOp::And => x & y,
        BinaryOp::Or => x | y,
        BinaryOp::Xor => x ^ y,
        BinaryOp::Eq => BigUint::from(u8::from(x == y)),
        BinaryOp::Ne => BigUint::from(u8::from(x != y)),
        BinaryOp::Lt => BigUint::from(u8::from(x < y)),
        BinaryOp::Le => BigUint::from(u8::from(x <= y)),
        BinaryOp::Gt => BigUint::from(u8::from(x > y)),
        BinaryOp::Ge => BigUint::from(u8::from(x >= y)),
    };
    Ok(Value::from_big(r, width))
}

/// A shift amount that can matter within `limit` bits (larger shifts give zero).
fn shift_amount(y: &BigUint, limit: u32) -> Option<usize> {
    use num_traits::ToPrimitive;
    y.to_u32().filter(|&s| s <= limit).map(|s| s as usize)
}

#[inline]
pub(crate) fn small_binary(
    op: BinaryOp,
    x: u64,
    y: u64,
    width: u32,
    span: &Span,
) -> Result<u64, Fault> {
    let r = match op {
        BinaryOp::Add => x.wrapping_add(y),
        BinaryOp::Sub => x.wrapping_sub(y),
        BinaryOp::Mul => x.wrapping_mul(y),
        BinaryOp::Div => x
            .checked_div(y)
            .ok_or_else(|| Fault::new(span, RuntimeErrorKind::DivisionByZero))?,
        BinaryOp::Rem => x
            .checked_rem(y)
            .ok_or_else(|| Fault::new(span, RuntimeErrorKind::DivisionByZero))?,
        BinaryOp::Shl => u32::try_from(y)
            .ok()
            .and_then(|s| x.checked_shl(s))
            .unwrap_or(0),
        BinaryOp::Shr => u32::try_from(y)
            .ok()
            .and_then(|s| x.checked_shr(s))
            .unwrap_or(0),
        BinaryOp::Asr => {
            let all = mask64(width);
            let s = u32::try_from(y).unwrap_or(u32::MAX).min(width);
            let shifted = x.checked_shr(s).unwrap_or(0);
            let negative = width > 0 && (x >> (width - 1)) & 1 == 1;
            if negative {
                // The vacated top `s` bits take the sign.
                shifted | (all ^ all.checked_shr(s).unwrap_or(0))
            } else {
                shifted
            }
        }
        BinaryOp::And => x & y,
        BinaryOp::Or => x | y,
        BinaryOp::Xor => x ^ y,
        BinaryOp::Eq => u64::from(x == y),
        BinaryOp::Ne => u64::from(x != y),
        BinaryOp::Lt => u64::from(x < y),
        BinaryOp::Le => u64::from(x <= y),
        BinaryOp::Gt => u64::from(x > y),
        BinaryOp::Ge => u64::from(x >= y),
    };
    Ok(r & mask64(width))
}

/// Bits `hi..lo` of `v`, as a value of width `hi - lo + 1`.
pub(crate) fn extract_bits(v: Value, hi: u32, lo: u32) -> Value {
    let width = hi - lo + 1;
    match v {
        Value::Small(x) => Value::Small(x.checked_shr(lo).unwrap_or(0) & mask64(width)),
        Value::Wide(x) => Value::from_big(*x >> lo as usize, width),
    }
}

/// `old` with bits `hi..lo` replaced by `field` (already `hi - lo + 1` bits wide).
pub(crate) fn insert_bits(old: Value, field: Value, hi: u32, lo: u32, width: u32) -> Value {
    let field_width = hi - lo + 1;
    if width <= 64 {
        let (old, field) = (old.to_u64().unwrap_or(0), field.to_u64().unwrap_or(0));
        let m = mask64(field_width) << lo;
        return Value::Small(((old & !m) | ((field << lo) & m)) & mask64(width));
    }
    let m = ((BigUint::from(1u8) << field_width as usize) - 1u8) << lo as usize;
    let all = (BigUint::from(1u8) << width as usize) - 1u8;
    let cleared = old.to_big() & (all ^ &m);
    Value::from_big(cleared | ((field.to_big() << lo as usize) & m), width)
}
