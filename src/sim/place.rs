//! Storing into and reading a place (`x`, `a[i]`, `s.f`, `x{3..0}`, an `enum<N>` variable), the
//! same for a process's variables and for the frame of a function call. Only how one variable
//! is written differs (a process notes the write for its shared copies, its X tracking and the
//! guards waiting on it): that is [`Vars::set`].
use super::error::Fault;
use super::eval::{element_index, enum_value, extract_bits, insert_bits, Env};
use super::value::Value;
use crate::elab::ir::{Place, Ty};

/// The variables a place lives in.
pub(super) trait Vars {
    /// Runs `f` on the variables (and ports), to read an index or an old value.
    fn with_env<T>(&self, f: impl FnOnce(&Env<'_>) -> T) -> T;
    /// Writes `value`, cut to `ty`'s width, into variable `slot`.
    fn set(&mut self, slot: usize, ty: Ty, value: Value);
}

/// Stores `value` into `place`; an index out of range or an illegal enum value is a fault.
pub(super) fn store<V: Vars + ?Sized>(
    place: &Place,
    value: Value,
    vars: &mut V,
) -> Result<(), Fault> {
    match place {
        Place::Var { slot, ty } => vars.set(*slot, *ty, value),
        Place::Element {
            base,
            lo,
            len,
            index,
            ty,
            ..
        } => {
            let i = vars.with_env(|env| element_index(index, *lo, *len, env))?;
            vars.set(base + i, *ty, value);
        }
        Place::Bits { inner, hi, lo } => {
            let old = vars.with_env(|env| read(inner, env))?;
            let field = value.truncated(hi - lo + 1);
            let updated = insert_bits(old, field, *hi, *lo, inner.ty().width());
            store(inner, updated, vars)?;
        }
        Place::FieldElement { inner, at } => {
            let k = vars.with_env(|env| element_index(&at.index, at.lo, at.len, env))?;
            let lo = at.element_lo(k);
            let old = vars.with_env(|env| read(inner, env))?;
            let field = value.truncated(at.width);
            let updated = insert_bits(old, field, lo + at.width - 1, lo, inner.ty().width());
            store(inner, updated, vars)?;
        }
        Place::NonZero(inner) => store(inner, Value::from_bool(value.is_true()), vars)?,
        Place::Bool(inner) => store(inner, value, vars)?,
        Place::Enum { inner, size, span } => {
            store(inner, enum_value(value, inner.ty(), *size, span)?, vars)?
        }
    }
    Ok(())
}

/// The value `place` holds.
pub(super) fn read(place: &Place, env: &Env<'_>) -> Result<Value, Fault> {
    Ok(match place {
        Place::Var { slot, .. } => env.vars[*slot].clone(),
        Place::Element {
            base,
            lo,
            len,
            index,
            ..
        } => env.vars[base + element_index(index, *lo, *len, env)?].clone(),
        Place::Bits { inner, hi, lo } => extract_bits(read(inner, env)?, *hi, *lo),
        Place::FieldElement { inner, at } => {
            let lo = at.element_lo(element_index(&at.index, at.lo, at.len, env)?);
            extract_bits(read(inner, env)?, lo + at.width - 1, lo)
        }
        Place::NonZero(inner) | Place::Enum { inner, .. } | Place::Bool(inner) => read(inner, env)?,
    })
}

/// A function call's frame: its variables, and no ports.
impl Vars for [Value] {
    fn with_env<T>(&self, f: impl FnOnce(&Env<'_>) -> T) -> T {
        f(&Env {
            vars: self,
            ports: &[],
        })
    }

    fn set(&mut self, slot: usize, ty: Ty, value: Value) {
        self[slot] = value.truncated(ty.width());
    }
}
