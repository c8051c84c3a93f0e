//! Storing into and reading a place (`x`, `a[i]`, `s.f`, `x{3..0}`, an `enum<N>` variable), the
//! same for a process's variables and for the frame of a function call. Only how one variable
//! is written differs (a process notes the write for its shared copies, its X tracking and the
//! guards waiting on it): that is [`Vars::set`].
use super::error::Fault;
use super::eval::{element_index, extract_bits, insert_bits, Env};
use super::value::Value;
use crate::elab::ir::{Place, Span, Ty};

/// The variables a place lives in.
pub(super) trait Vars {
    /// Runs `f` on the variables (and ports), to read an index or an old value.
    fn with_env<T>(&self, f: impl FnOnce(&Env<'_>) -> T) -> T;
    /// Writes `value`, cut to `ty`'s width, into variable `slot`, of which the place written
    /// was the bits `bits` (the whole variable for `None`; a record's field: its bits).
    fn set(&mut self, slot: usize, ty: Ty, value: Value, bits: Option<BitSpan>);
    /// `value` (cut to the variable's width) is about to be stored into an `enum<N>` that
    /// holds `0 .. size`, and is not one of those. The store goes on when this returns `Ok`:
    /// a process's variables make it actsim's "illegal value" fault (or, under actsim's
    /// commands, its message and a pause); a function's frame stores it as any integer, as
    /// actsim's function evaluation does.
    fn illegal_enum(&self, value: &Value, size: u64, span: &Span) -> Result<(), Fault>;
}

/// Bits `lo..=hi` of a variable; empty when `lo > hi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BitSpan {
    pub lo: u32,
    pub hi: u32,
}

impl BitSpan {
    pub(crate) fn new(lo: u32, hi: u32) -> Self {
        Self { lo, hi }
    }

    pub(crate) fn is_empty(self) -> bool {
        self.lo > self.hi
    }

    /// The same bits of a value that lies from bit `at` of a wider one.
    pub(crate) fn shifted(self, at: u32) -> Self {
        Self::new(self.lo + at, self.hi + at)
    }

    /// Of the bits `written` of a variable (all for `None`), those in this span, counted from
    /// its lowest bit (`None`: all of it).
    pub(crate) fn below(self, written: Option<Self>) -> Option<Self> {
        let written = written?;
        let (lo, hi) = (written.lo.max(self.lo), written.hi.min(self.hi));
        Some(match lo <= hi {
            true => Self::new(lo - self.lo, hi - self.lo),
            false => Self::new(1, 0),
        })
    }
}

/// Stores `value` into `place`; an index out of range is a fault, and an illegal enum value
/// what [`Vars::illegal_enum`] makes of it.
pub(super) fn store<V: Vars + ?Sized>(
    place: &Place,
    value: Value,
    vars: &mut V,
) -> Result<(), Fault> {
    store_bits(place, value, vars, None)
}

/// [`store`], where the place is bits `bits` of `place` (all of it for `None`).
fn store_bits<V: Vars + ?Sized>(
    place: &Place,
    value: Value,
    vars: &mut V,
    bits: Option<BitSpan>,
) -> Result<(), Fault> {
    // Bits `lo..=hi` of `inner`, of which `bits` were written.
    let within = |lo: u32, hi: u32| Some(bits.map_or(BitSpan::new(lo, hi), |b| b.shifted(lo)));
    match place {
        Place::Var { slot, ty } => vars.set(*slot, *ty, value, bits),
        Place::Element {
            base,
            lo,
            len,
            index,
            ty,
            ..
        } => {
            let i = vars.with_env(|env| element_index(index, *lo, *len, env))?;
            vars.set(base + i, *ty, value, bits);
        }
        Place::Bits { inner, hi, lo } => {
            let old = vars.with_env(|env| read(inner, env))?;
            let field = value.truncated(hi - lo + 1);
            let updated = insert_bits(old, field, *hi, *lo, inner.ty().width());
            store_bits(inner, updated, vars, within(*lo, *hi))?;
        }
        Place::FieldElement { inner, at } => {
            let k = vars.with_env(|env| element_index(&at.index, at.lo, at.len, env))?;
            let lo = at.element_lo(k);
            let old = vars.with_env(|env| read(inner, env))?;
            let field = value.truncated(at.width);
            let updated = insert_bits(old, field, lo + at.width - 1, lo, inner.ty().width());
            store_bits(inner, updated, vars, within(lo, lo + at.width - 1))?;
        }
        Place::NonZero(inner) => store_bits(inner, Value::from_bool(value.is_true()), vars, bits)?,
        Place::Bool(inner) => store_bits(inner, value, vars, bits)?,
        Place::Enum { inner, size, span } => {
            let value = value.truncated(inner.ty().width());
            if value.to_u64().is_none_or(|v| v >= *size) {
                vars.illegal_enum(&value, *size, span)?;
            }
            store_bits(inner, value, vars, bits)?
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

    fn set(&mut self, slot: usize, ty: Ty, value: Value, _: Option<BitSpan>) {
        self[slot] = value.truncated(ty.width());
    }

    fn illegal_enum(&self, _: &Value, _: u64, _: &Span) -> Result<(), Fault> {
        Ok(())
    }
}
