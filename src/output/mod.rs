//! Observers that turn a run into files: the text transcript, the waveform (VCD, FST), and
//! channel statistics.
pub mod fst;
pub mod stats;
pub mod transcript;
pub mod vcd;
pub mod waveform;

/// The decimal digits of `v`, right-aligned in 20 bytes (a u64 never needs more) padded with
/// `pad`, and the index of the first digit. Numbers are formatted by hand on the per-event
/// path of the writers: no formatter machinery, no allocation.
pub(crate) fn decimal(mut v: u64, pad: u8) -> ([u8; 20], usize) {
    let mut digits = [pad; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            return (digits, at);
        }
    }
}

/// Appends the decimal digits of `v`.
pub(crate) fn push_decimal(buf: &mut Vec<u8>, v: u64) {
    let (digits, at) = decimal(v, b'0');
    buf.extend_from_slice(&digits[at..]);
}
