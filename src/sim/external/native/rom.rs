//! `std::read_rom` and `std::close_rom`, behind ACT's standard `std::rom<ID,N,W>`: ROM `ID`'s
//! contents are the file `_rom_file_.ID` in the working directory, read one hexadecimal number
//! per call (C's `fscanf("%lx")`: blanks and line ends between numbers are skipped, an `0x` is
//! allowed), as actsim's library does. A read that finds no number gives 0 and closes the
//! file, so that the next read starts it again from the beginning.

use std::collections::hash_map::{Entry, HashMap};

/// The most ROMs actsim keeps (`actsim_read_rom: more than 4000 ROMSs?!` past it).
const MAX_ROM_ID: u64 = 4000;

/// The ROM files open in a run: each file's bytes and how far they have been read.
#[derive(Debug, Default)]
pub(super) struct Roms {
    open: HashMap<u64, (Vec<u8>, usize)>,
    /// How many ROM ids actsim has slots for (one past the largest read): closing one
    /// beyond them is an invalid id.
    slots: u64,
}

impl Roms {
    /// The next number of ROM `id` (0 when there is none).
    pub(super) fn read(&mut self, id: u64, warn: &mut dyn FnMut(&str)) -> u64 {
        if id > MAX_ROM_ID {
            warn("actsim_read_rom: more than 4000 ROMSs?!");
            return 0;
        }
        self.slots = self.slots.max(id + 1);
        let (bytes, at) = match self.open.entry(id) {
            Entry::Occupied(open) => open.into_mut(),
            Entry::Vacant(slot) => {
                let name = format!("_rom_file_.{id}");
                match std::fs::read(&name) {
                    Ok(bytes) => slot.insert((bytes, 0)),
                    Err(_) => {
                        warn(&format!("Could not open file `{name}' for ROM contents."));
                        return 0;
                    }
                }
            }
        };
        let value = scan_hex(bytes, at);
        if value.is_none() {
            self.open.remove(&id);
        }
        value.unwrap_or(0)
    }

    /// Closes ROM `id`'s file (the next read starts it again).
    pub(super) fn close(&mut self, id: u64, warn: &mut dyn FnMut(&str)) {
        if id >= self.slots {
            warn(&format!("actsim_close_rom: invalid ID {}!", id as i32));
            return;
        }
        self.open.remove(&id);
    }
}

/// C's `fscanf(f, "%lx", &v)` from `bytes[*at..]`: blanks, then an optional sign and `0x`,
/// then hexadecimal digits (a value too large is the largest, as `strtoul`'s); `None` when
/// there are no digits. `*at` moves past what was read.
fn scan_hex(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let peek = |i: usize| bytes.get(i).copied();
    let mut i = *at;
    while peek(i).is_some_and(|b| b.is_ascii_whitespace()) {
        i += 1;
    }
    let negative = peek(i) == Some(b'-');
    if matches!(peek(i), Some(b'-' | b'+')) {
        i += 1;
    }
    if peek(i) == Some(b'0')
        && matches!(peek(i + 1), Some(b'x' | b'X'))
        && peek(i + 2).is_some_and(|b| b.is_ascii_hexdigit())
    {
        i += 2;
    }
    let start = i;
    let mut value: u64 = 0;
    let mut overflow = false;
    while let Some(digit) = peek(i).and_then(|b| (b as char).to_digit(16)) {
        let next = value
            .checked_mul(16)
            .and_then(|v| v.checked_add(u64::from(digit)));
        overflow |= next.is_none();
        value = next.unwrap_or(u64::MAX);
        i += 1;
    }
    *at = i;
    if i == start {
        return None;
    }
    Some(match (overflow, negative) {
        (true, _) => u64::MAX,
        (false, true) => value.wrapping_neg(),
        (false, false) => value,
    })
}

#[cfg(test)]
mod tests {
    use super::scan_hex;

    #[test]
    fn numbers_are_read_as_fscanf_reads_them() {
        let text = b"  1f\n0x20 -1\t+a\n\nzz";
        let mut at = 0;
        let read: Vec<Option<u64>> = (0..5).map(|_| scan_hex(text, &mut at)).collect();
        assert_eq!(
            read,
            [Some(0x1f), Some(0x20), Some(u64::MAX), Some(10), None]
        );
        let mut at = 0;
        assert_eq!(scan_hex(b"fffffffffffffffff", &mut at), Some(u64::MAX));
    }
}
