//! Run-time values: unsigned integers of any width, and booleans (as 0/1).
//!
//! Values that fit 64 bits (the common case: the hot path) are a plain `u64`; wider ones are a
//! boxed `BigUint`, so that a value is 16 bytes and the variables and channel slots that hold
//! one stay small (the interpreter is bound by memory traffic). Every value is kept reduced to the width of the place or expression it belongs to,
//! so arithmetic follows ACT's rules: operations are exact in the expression's width, and
//! assignment truncates to the target's width.
use num_bigint::BigUint;
use num_traits::{One, ToPrimitive, Zero};

use crate::elab::ir::{LogFormat, Ty};
use crate::kernel::{Token, TraceValue};

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    Small(u64),
    Wide(Box<BigUint>),
}

impl Default for Value {
    fn default() -> Self {
        Value::Small(0)
    }
}

/// All-ones in the low `width` bits (width 1..=64).
#[inline]
pub(crate) fn mask64(width: u32) -> u64 {
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
    pub(crate) fn from_bool(b: bool) -> Self {
        Value::Small(u64::from(b))
    }

    /// The value reduced to `width` bits, in its canonical representation
    /// (`Small` exactly when `width <= 64`).
    pub(crate) fn truncated(self, width: u32) -> Self {
        match self {
            Value::Small(v) if width <= 64 => Value::Small(v & mask64(width)),
            Value::Small(v) => Value::Wide(Box::new(BigUint::from(v))),
            Value::Wide(v) if width <= 64 => Value::Small(low_u64(&v) & mask64(width)),
            Value::Wide(v) => Value::Wide(Box::new(*v & wide_mask(width))),
        }
    }

    pub(crate) fn from_big(v: BigUint, width: u32) -> Self {
        Value::Wide(Box::new(v)).truncated(width)
    }

    pub(crate) fn to_big(&self) -> BigUint {
        match self {
            Value::Small(v) => BigUint::from(*v),
            Value::Wide(v) => (**v).clone(),
        }
    }

    /// The value as a u64 if it fits (indices, shift amounts).
    pub(crate) fn to_u64(&self) -> Option<u64> {
        match self {
            Value::Small(v) => Some(*v),
            Value::Wide(v) => v.to_u64(),
        }
    }

    pub(crate) fn is_true(&self) -> bool {
        match self {
            Value::Small(v) => *v != 0,
            Value::Wide(v) => !v.is_zero(),
        }
    }

    /// Formats in base 10, 16 or 2 (no prefix).
    pub(crate) fn format(&self, radix: u32) -> String {
        match (self, radix) {
            (Value::Small(v), 16) => format!("{v:x}"),
            (Value::Small(v), 2) => format!("{v:b}"),
            (Value::Small(v), _) => v.to_string(),
            (Value::Wide(v), r) => v.to_str_radix(r),
        }
    }

    /// The text a log statement prints for this value of type `ty` (see [`LogFormat`]).
    /// A boolean is a value of width 1, as in actsim: `0` or `1`, but `-1` for true in `%d`.
    pub(crate) fn log_text(&self, format: LogFormat, ty: Ty) -> String {
        let width = if ty == Ty::Bool { 1 } else { ty.width() };
        match format {
            LogFormat::Unsigned => self.format(10),
            LogFormat::Hex => self.hex_words(width),
            // `int<0>` still prints a digit.
            LogFormat::Binary => format!("{:0>1$}", self.format(2), width.max(1) as usize),
            LogFormat::Unprinted => " [cannot print expressions] ".to_string(),
            LogFormat::Signed {
                columns: None,
                zeros: _,
            } => self.signed_decimal(width),
            LogFormat::Signed {
                columns: Some(columns),
                zeros,
            } => self.printf_decimal(columns, zeros),
        }
    }

    /// Hexadecimal in 64-bit words (as actsim prints wide values): as many words as `width`
    /// needs, the top one without leading zeros, every lower one as 16 digits.
    fn hex_words(&self, width: u32) -> String {
        let big = self.to_big();
        let digits: Vec<u64> = big.iter_u64_digits().collect();
        let words = digits.len().max(width.div_ceil(64) as usize).max(1);
        let word = |i: usize| digits.get(i).copied().unwrap_or(0);
        let mut text = format!("{:x}", word(words - 1));
        for i in (0..words - 1).rev() {
            text.push_str(&format!("{:016x}", word(i)));
        }
        text
    }

    /// Decimal, negative when bit `width - 1` is set (two's complement of the width).
    fn signed_decimal(&self, width: u32) -> String {
        let big = self.to_big();
        if width > 0 && big.bit(u64::from(width) - 1) {
            format!("-{}", (BigUint::one() << width as usize) - big)
        } else {
            big.to_string()
        }
    }

    /// C's `%*ld` / `%0*ld` of the low 64 bits read as a signed number, as actsim prints
    /// `%Nd`: right-aligned in `columns`, zeros after the sign when `zeros`.
    fn printf_decimal(&self, columns: usize, zeros: bool) -> String {
        let low = match self {
            Value::Small(v) => *v,
            Value::Wide(v) => low_u64(v),
        } as i64;
        if zeros {
            let (sign, pad) = match low < 0 {
                true => ("-", columns.saturating_sub(1)),
                false => ("", columns),
            };
            format!("{sign}{:0>pad$}", low.unsigned_abs())
        } else {
            format!("{low:>columns$}")
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
        assert_eq!(Value::from_big(big.clone() + 5u8, 8), Value::Small(5));
        assert_eq!(
            Value::from_big(big.clone(), 201),
            Value::Wide(Box::new(big))
        );
        assert_eq!(
            Value::Small(3).truncated(100),
            Value::Wide(Box::new(BigUint::from(3u8)))
        );
    }

    #[test]
    fn log_hex_prints_64_bit_words_with_the_top_one_unpadded() {
        let hex = |v: Value, w| v.log_text(LogFormat::Hex, Ty::Int(w));
        assert_eq!(hex(Value::Small(0xde), 8), "de");
        assert_eq!(hex(Value::Small(0), 64), "0");
        assert_eq!(hex(Value::Small(1), 72), "00000000000000001");
        let top = Value::Wide(Box::new(BigUint::from(0xabu8) << 64usize));
        assert_eq!(hex(top, 128), "ab0000000000000000");
        assert_eq!(hex(Value::Small(7), 280).len(), 1 + 4 * 16);
    }

    #[test]
    fn log_binary_prints_the_full_width() {
        let bin = |v: Value, w| v.log_text(LogFormat::Binary, Ty::Int(w));
        assert_eq!(bin(Value::Small(0x42), 8), "01000010");
        assert_eq!(bin(Value::Small(0), 3), "000");
        assert_eq!(bin(Value::Small(0), 0), "0");
        assert_eq!(bin(Value::Small(1), 70).len(), 70);
    }

    #[test]
    fn log_signed_uses_the_top_bit_of_the_width() {
        let signed = |v: Value, w| {
            let format = LogFormat::Signed {
                columns: None,
                zeros: false,
            };
            v.log_text(format, Ty::Int(w))
        };
        assert_eq!(signed(Value::Small(0xff), 8), "-1");
        assert_eq!(signed(Value::Small(0x8f), 8), "-113");
        assert_eq!(signed(Value::Small(0x7f), 8), "127");
        let minus_one_wide = Value::Wide(Box::new((BigUint::one() << 100usize) - 1u8));
        assert_eq!(signed(minus_one_wide, 100), "-1");
    }

    #[test]
    fn log_signed_with_columns_is_printf_of_the_low_word() {
        let signed = |v: Value, w, columns, zeros| {
            let format = LogFormat::Signed {
                columns: Some(columns),
                zeros,
            };
            v.log_text(format, Ty::Int(w))
        };
        assert_eq!(signed(Value::Small(5), 8, 4, false), "   5");
        // The width's top bit does not make it negative here, the 64th bit does.
        assert_eq!(signed(Value::Small(0xff), 8, 4, false), " 255");
        assert_eq!(signed(Value::Small(u64::MAX), 64, 4, false), "  -1");
        assert_eq!(signed(Value::Small(u64::MAX), 64, 4, true), "-001");
        assert_eq!(signed(Value::Small(12345), 16, 2, true), "12345");
        assert_eq!(signed(Value::Small(7), 16, 0, true), "7");
        let wide = Value::Wide(Box::new((BigUint::one() << 70usize) + 5u8));
        assert_eq!(signed(wide, 72, 3, false), "  5");
    }

    #[test]
    fn log_booleans_are_one_bit_wide() {
        for format in [LogFormat::Unsigned, LogFormat::Hex, LogFormat::Binary] {
            assert_eq!(Value::Small(1).log_text(format, Ty::Bool), "1");
            assert_eq!(Value::Small(0).log_text(format, Ty::Bool), "0");
        }
        let signed = |columns| LogFormat::Signed {
            columns,
            zeros: false,
        };
        assert_eq!(Value::Small(1).log_text(signed(None), Ty::Bool), "-1");
        assert_eq!(Value::Small(0).log_text(signed(None), Ty::Bool), "0");
        assert_eq!(Value::Small(1).log_text(signed(Some(3)), Ty::Bool), "  1");
    }

    #[test]
    fn formats_in_three_radixes() {
        assert_eq!(Value::Small(255).format(16), "ff");
        assert_eq!(Value::Small(5).format(2), "101");
        assert_eq!(
            Value::Wide(Box::new(BigUint::from(1u8) << 70usize)).format(10),
            "1180591620717411303424"
        );
    }
}
