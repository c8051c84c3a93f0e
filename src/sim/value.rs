//! Run-time values: unsigned integers of any width, and booleans (as 0/1).
//!
//! Values that fit 64 bits (the common case: the hot path) are a plain `u64`; wider ones are a
//! `BigUint`. Every value is kept reduced to the width of the place or expression it belongs to,
//! so arithmetic follows ACT's rules: operations are exact in the expression's width, and
//! assignment truncates to the target's width.
use num_bigint::BigUint;
use num_traits::{One, ToPrimitive, Zero};

use crate::kernel::{Token, TraceValue};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Small(u64),
    Wide(BigUint),
}

impl Default for Value {
    fn default() -> Self {
        Value::Small(0)
    }
}

/// All-ones in the low `width` bits (width 1..=64).
#[inline]
pub fn mask64(width: u32) -> u64 {
    if width >= 64 {
        u64::MAX
    } else {
        (1u64 << width) - 1
    }
}

fn wide_mask(width: u32) -> BigUint {
    (BigUint::one() << width as usize) - BigUint::one()
}

impl Value {
    pub fn from_bool(b: bool) -> Self {
        Value::Small(u64::from(b))
    }

    /// The value reduced to `width` bits, in its canonical representation
    /// (`Small` exactly when `width <= 64`).
    pub fn truncated(self, width: u32) -> Self {
        match self {
            Value::Small(v) if width <= 64 => Value::Small(v & mask64(width)),
            Value::Small(v) => Value::Wide(BigUint::from(v)),
            Value::Wide(v) if width <= 64 => Value::Small(low_u64(&v) & mask64(width)),
            Value::Wide(v) => Value::Wide(v & wide_mask(width)),
        }
    }

    pub fn from_big(v: BigUint, width: u32) -> Self {
        Value::Wide(v).truncated(width)
    }

    pub fn to_big(&self) -> BigUint {
        match self {
            Value::Small(v) => BigUint::from(*v),
            Value::Wide(v) => v.clone(),
        }
    }

    /// The value as a u64 if it fits (indices, shift amounts).
    pub fn to_u64(&self) -> Option<u64> {
        match self {
            Value::Small(v) => Some(*v),
            Value::Wide(v) => v.to_u64(),
        }
    }

    pub fn is_true(&self) -> bool {
        match self {
            Value::Small(v) => *v != 0,
            Value::Wide(v) => !v.is_zero(),
        }
    }

    /// How many bits the value needs (0 for zero).
    pub fn bits(&self) -> u64 {
        match self {
            Value::Small(v) => u64::from(64 - v.leading_zeros()),
            Value::Wide(v) => v.bits(),
        }
    }

    pub fn fits(&self, width: u32) -> bool {
        self.bits() <= u64::from(width)
    }

    /// Formats in base 10, 16 or 2 (no prefix, as ACT's `log` does).
    pub fn format(&self, radix: u32) -> String {
        match (self, radix) {
            (Value::Small(v), 16) => format!("{v:x}"),
            (Value::Small(v), 2) => format!("{v:b}"),
            (Value::Small(v), _) => v.to_string(),
            (Value::Wide(v), r) => v.to_str_radix(r),
        }
    }
}

fn low_u64(v: &BigUint) -> u64 {
    v.iter_u64_digits().next().unwrap_or(0)
}

impl Token for Value {
    /// Unused: interpreter channels take their width from the design.
    const WIDTH: u32 = 0;
    fn trace(&self) -> TraceValue<'_> {
        match self {
            Value::Small(v) => TraceValue::Uint(*v),
            Value::Wide(v) => TraceValue::Wide(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_keeps_the_canonical_form() {
        assert_eq!(Value::Small(16).truncated(4), Value::Small(0));
        assert_eq!(Value::Small(u64::MAX).truncated(64), Value::Small(u64::MAX));
        let big = BigUint::from(1u8) << 200usize;
        assert_eq!(Value::Wide(big.clone() + 5u8).truncated(8), Value::Small(5));
        assert_eq!(Value::Wide(big.clone()).truncated(201), Value::Wide(big));
        assert_eq!(
            Value::Small(3).truncated(100),
            Value::Wide(BigUint::from(3u8))
        );
    }

    #[test]
    fn formats_in_three_radixes() {
        assert_eq!(Value::Small(255).format(16), "ff");
        assert_eq!(Value::Small(5).format(2), "101");
        assert_eq!(
            Value::Wide(BigUint::from(1u8) << 70usize).format(10),
            "1180591620717411303424"
        );
    }
}
