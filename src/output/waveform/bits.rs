//! A value as a waveform writes it: as many `0`/`1`/`x` characters as the signal is wide.
use crate::kernel::TraceValue;

/// `BITS[b]` is the eight characters `0`/`1` of byte `b`, most significant first.
static BITS: [[u8; 8]; 256] = {
    let mut table = [[0u8; 8]; 256];
    let mut b = 0;
    while b < 256 {
        let mut i = 0;
        while i < 8 {
            table[b][i] = b'0' + ((b >> (7 - i)) & 1) as u8;
            i += 1;
        }
        b += 1;
    }
    table
};

/// Appends the low `width` bits of `v`, most significant first; bits above 64 are `0`.
fn push_u64_bits(buf: &mut Vec<u8>, v: u64, width: u32) {
    let mut width = width;
    if width > 64 {
        buf.resize(buf.len() + (width - 64) as usize, b'0');
        width = 64;
    }
    let partial = width % 8;
    let mut byte = width / 8; // full bytes below the partial one
    if partial > 0 {
        let b = ((v >> (byte * 8)) & 0xff) as usize;
        buf.extend_from_slice(&BITS[b][8 - partial as usize..]);
    }
    while byte > 0 {
        byte -= 1;
        buf.extend_from_slice(&BITS[((v >> (byte * 8)) & 0xff) as usize]);
    }
}

/// Appends exactly `width` bits of `value` (truncated or zero-extended), most significant first.
pub(super) fn push_bits(buf: &mut Vec<u8>, value: TraceValue<'_>, width: u32) {
    match value {
        TraceValue::None => buf.resize(buf.len() + width as usize, b'x'),
        TraceValue::Bool(b) => push_u64_bits(buf, u64::from(b), width),
        TraceValue::Uint(v) => push_u64_bits(buf, v, width),
        // Two's complement: the bits of a negative value above 64 are ones.
        TraceValue::Int(v) if width > 64 && v < 0 => {
            buf.resize(buf.len() + (width - 64) as usize, b'1');
            push_u64_bits(buf, v as u64, 64);
        }
        TraceValue::Int(v) => push_u64_bits(buf, v as u64, width),
        TraceValue::Bits(v) if width > 64 => {
            push_u64_bits(buf, (v >> 64) as u64, width - 64);
            push_u64_bits(buf, v as u64, 64);
        }
        TraceValue::Bits(v) => push_u64_bits(buf, v as u64, width),
        TraceValue::Wide(v) => {
            // Fill with zeros, then set the bits of each 64-bit digit in place (no allocation).
            let start = buf.len();
            buf.resize(start + width as usize, b'0');
            let out = &mut buf[start..];
            let width = width as u64;
            for (d, digit) in v.iter_u64_digits().enumerate() {
                let lo = d as u64 * 64;
                if lo >= width {
                    break;
                }
                let n = (width - lo).min(64);
                for i in 0..n {
                    if (digit >> i) & 1 == 1 {
                        out[(width - 1 - (lo + i)) as usize] = b'1';
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    fn bits(value: TraceValue<'_>, width: u32) -> String {
        let mut buf = Vec::new();
        push_bits(&mut buf, value, width);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn bits_are_exactly_width_long() {
        assert_eq!(bits(TraceValue::Uint(5), 8), "00000101");
        assert_eq!(bits(TraceValue::Uint(0x1ff), 8), "11111111");
        assert_eq!(bits(TraceValue::Uint(0b1011), 3), "011");
        assert_eq!(bits(TraceValue::Uint(u64::MAX), 64), "1".repeat(64));
        assert_eq!(
            bits(TraceValue::Uint(1), 66),
            format!("{}1", "0".repeat(65))
        );
        assert_eq!(bits(TraceValue::Bool(true), 2), "01");
        assert_eq!(bits(TraceValue::None, 3), "xxx");
        let wide = (BigUint::from(1u8) << 200u32) + BigUint::from(6u8);
        let s = bits(TraceValue::Wide(&wide), 256);
        assert_eq!(s.len(), 256);
        assert_eq!(BigUint::parse_bytes(s.as_bytes(), 2).unwrap(), wide);
        assert_eq!(bits(TraceValue::Wide(&wide), 4), "0110");
        for w in 1..=64 {
            let v = 0xdead_beef_1234_5678u64;
            let mask = if w == 64 { u64::MAX } else { (1 << w) - 1 };
            assert_eq!(
                bits(TraceValue::Uint(v), w),
                format!("{:0w$b}", v & mask, w = w as usize)
            );
        }
    }
}
