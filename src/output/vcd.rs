//! The VCD waveform: every handshake of every channel, for GTKWave, Surfer and friends.
//!
//! # Layout
//! - Header: no `$date` (the file must be byte-identical across runs), `$version chpsim`, and the
//!   `$timescale` of [`VcdOptions`] (default: one tick is `1 ns`).
//! - Scopes mirror the channel paths ([`ChannelInfo::path`]): `top.src.R` puts the channel's
//!   variables in module scope `top`, then `src`. Paths are split on dots outside brackets, so
//!   `top.b[3].R` gives scopes `top` and `b[3]` (array elements keep their index in the scope
//!   name). Scopes are merged, and the items of a scope come in the order they first appear in the
//!   registry. A channel whose path has a single component (a channel of a top given by `--top`,
//!   whose path is empty) goes in the scope [`ROOT_SCOPE`], since VCD variables must live in a scope.
//! - Per channel, named after the last path component `R`:
//!   - `R`: the data, a `wire` of the channel's width (omitted for dataless channels), written in
//!     full (`b00000111 !`, exactly `width` bits; a 1-bit channel uses the scalar form `1!`);
//!   - `R_hs`: a 1-bit `wire` that flips on every handshake, so that sending the same value twice
//!     still shows two events.
//! - Initial values at `#0` in `$dumpvars`: data unknown (`x`), toggles `0`.
//! - A timestamp is written when a handshake happens later than the last written time; the end of
//!   the run ([`EndReport::time`]) gets a final timestamp, so viewers show the whole run.
//!
//! Characters VCD cannot carry in a name (whitespace, control characters) become `_`. Id codes
//! follow the `vcd` crate's sequence (`!`, `"`, `#`, ...) minus those starting with `$`, which
//! naive tokenizers mistake for commands (the sequence would otherwise reach `$end`).
//! Channels registered after the run started have no declared variable and are not shown.
//!
//! # Speed
//! Per handshake the writer formats into a reused scratch buffer (a lookup table turns bytes of
//! the value into `0`/`1` characters) and hands it to a [`BufWriter`] in one call; nothing is
//! allocated. The header goes through the `vcd` crate's [`vcd::Writer`].
//!
//! [`ChannelInfo::path`]: crate::kernel::ChannelInfo::path
use std::collections::HashMap;
use std::io::{self, BufWriter, Write};

use vcd::{IdCode, TimescaleUnit, VarType};

use super::push_decimal;
use crate::kernel::{ChanId, EndReason, EndReport, Event, Observer, Registry, Time, TraceValue};

/// The scope holding channels whose path has no scope part (e.g. `R` rather than `top.src.R`).
/// Not a valid CHP identifier, so it never collides with an instance name; it echoes ACT's `<>`
/// for the top process.
pub const ROOT_SCOPE: &str = "<top>";

/// The suffix of a channel's handshake toggle: `R` has `R_hs`.
pub const TOGGLE_SUFFIX: &str = "_hs";

/// How the waveform is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VcdOptions {
    /// The duration of one tick: `$timescale` in the header. Default `(1, NS)`: 1 tick = 1 ns.
    pub timescale: (u32, TimescaleUnit),
}

impl Default for VcdOptions {
    fn default() -> Self {
        Self {
            timescale: (1, TimescaleUnit::NS),
        }
    }
}

/// Parses a timescale such as `1ns`, `10ps`, `100 us` (the number may be omitted: `ns` is `1ns`).
/// VCD allows only 1, 10 or 100 of a unit among `s`, `ms`, `us`, `ns`, `ps`, `fs`.
pub fn parse_timescale(s: &str) -> Result<(u32, TimescaleUnit), TimescaleError> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit = unit.trim_start();
    let factor = if number.is_empty() {
        1
    } else {
        number
            .parse::<u32>()
            .map_err(|_| TimescaleError::BadNumber(s.to_string()))?
    };
    if !matches!(factor, 1 | 10 | 100) {
        return Err(TimescaleError::BadFactor(s.to_string()));
    }
    let unit =
        (unit.parse::<TimescaleUnit>()).map_err(|_| TimescaleError::BadUnit(s.to_string()))?;
    Ok((factor, unit))
}

/// A timescale [`parse_timescale`] does not accept (the text given is in each variant).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimescaleError {
    /// The number is not a number.
    #[error("invalid timescale `{0}`: bad number")]
    BadNumber(String),
    /// The number is not 1, 10 or 100.
    #[error("invalid timescale `{0}`: the number must be 1, 10 or 100")]
    BadFactor(String),
    /// The unit is not one VCD knows.
    #[error("invalid timescale `{0}`: the unit must be one of s, ms, us, ns, ps, fs")]
    BadUnit(String),
}

/// Per-channel state, indexed by [`ChanId`].
#[derive(Clone, Copy)]
struct Chan {
    width: u32,
    toggle: bool,
    /// Where the data variable's id code sits in `VcdWriter::codes` (unused when `width == 0`).
    data_code: (u32, u8),
    hs_code: (u32, u8),
}

/// An [`Observer`] writing a VCD file. See the module docs for the layout.
pub struct VcdWriter<W: Write> {
    vcd: vcd::Writer<BufWriter<W>>,
    options: VcdOptions,
    chans: Vec<Chan>,
    /// The id codes of all variables, back to back.
    codes: Vec<u8>,
    scratch: Vec<u8>,
    next_id: IdCode,
    last_time: Time,
    started: bool,
}

impl<W: Write> std::fmt::Debug for VcdWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VcdWriter")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<W: Write> VcdWriter<W> {
    /// A writer of `out`; the header is written when the run starts.
    pub fn new(out: W, options: VcdOptions) -> Self {
        Self {
            vcd: vcd::Writer::new(BufWriter::with_capacity(1 << 16, out)),
            options,
            chans: Vec::new(),
            codes: Vec::new(),
            scratch: Vec::with_capacity(256),
            next_id: IdCode::FIRST,
            last_time: 0,
            started: false,
        }
    }

    fn code(&self, (start, len): (u32, u8)) -> &[u8] {
        &self.codes[start as usize..start as usize + len as usize]
    }

    /// The next id code. Codes starting with `$` (legal, but `$`, `$end`, ... look like commands
    /// to naive tokenizers) are skipped.
    fn next_code(&mut self) -> (IdCode, (u32, u8)) {
        loop {
            let id = self.next_id;
            self.next_id = id.next();
            let text = id.to_string();
            if !text.starts_with('$') {
                let start = self.codes.len() as u32;
                self.codes.extend_from_slice(text.as_bytes());
                return (id, (start, text.len() as u8));
            }
        }
    }

    /// Declares a channel's variables in the current scope.
    fn declare(&mut self, id: ChanId, name: &str) -> io::Result<()> {
        let width = self.chans[id.index()].width;
        if width > 0 {
            let (code, stored) = self.next_code();
            self.vcd.var_def(VarType::Wire, width, code, name, None)?;
            self.chans[id.index()].data_code = stored;
        }
        let mut toggle = String::with_capacity(name.len() + TOGGLE_SUFFIX.len());
        toggle.push_str(name);
        toggle.push_str(TOGGLE_SUFFIX);
        let (code, stored) = self.next_code();
        self.vcd.var_def(VarType::Wire, 1, code, &toggle, None)?;
        self.chans[id.index()].hs_code = stored;
        Ok(())
    }

    /// Declares the scopes and variables of `tree`, depth first (iteratively: paths may be deep).
    fn write_scopes(&mut self, tree: &ScopeTree) -> io::Result<()> {
        let mut stack = vec![(0usize, 0usize)]; // (node, next item)
        while let Some((node, index)) = stack.pop() {
            let Some(item) = tree.nodes[node].items.get(index) else {
                if node != 0 {
                    self.vcd.upscope()?;
                }
                continue;
            };
            stack.push((node, index + 1));
            match *item {
                Item::Scope(child) => {
                    self.vcd.add_module(&tree.nodes[child].name)?;
                    stack.push((child, 0));
                }
                Item::Var(id, ref name) => self.declare(id, name)?,
            }
        }
        Ok(())
    }
}

impl<W: Write> Observer for VcdWriter<W> {
    fn start(&mut self, registry: &Registry) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        self.chans = registry
            .channels()
            .map(|(_, c)| Chan {
                width: c.width,
                toggle: false,
                data_code: (0, 0),
                hs_code: (0, 0),
            })
            .collect();

        let (factor, unit) = self.options.timescale;
        self.vcd.version("chpsim")?;
        self.vcd.timescale(factor, unit)?;
        let tree = ScopeTree::build(registry);
        self.write_scopes(&tree)?;
        self.vcd.enddefinitions()?;

        // Initial values, handed over in chunks (a million 256-bit channels make a big block).
        let mut init = Vec::with_capacity(1 << 16);
        init.extend_from_slice(b"#0\n$dumpvars\n");
        for chan in &self.chans {
            match chan.width {
                0 => {}
                1 => init.push(b'x'),
                w => {
                    init.push(b'b');
                    init.resize(init.len() + w as usize, b'x');
                    init.push(b' ');
                }
            }
            if chan.width > 0 {
                init.extend_from_slice(self.code(chan.data_code));
                init.push(b'\n');
            }
            init.push(b'0');
            init.extend_from_slice(self.code(chan.hs_code));
            init.push(b'\n');
            if init.len() >= 1 << 16 {
                self.vcd.writer().write_all(&init)?;
                init.clear();
            }
        }
        init.extend_from_slice(b"$end\n");
        self.vcd.writer().write_all(&init)
    }

    fn event(&mut self, _registry: &Registry, event: &Event<'_>) -> io::Result<()> {
        let Event::Handshake {
            time,
            channel,
            value,
            ..
        } = *event
        else {
            return Ok(());
        };
        let Some(chan) = self.chans.get_mut(channel.index()) else {
            return Ok(()); // registered after the header was written: not in the waveform
        };
        chan.toggle = !chan.toggle;
        let chan = *chan;
        let buf = &mut self.scratch;
        buf.clear();
        if time > self.last_time {
            self.last_time = time;
            buf.push(b'#');
            push_decimal(buf, time);
            buf.push(b'\n');
        }
        if chan.width > 0 {
            let (start, len) = chan.data_code;
            let code = &self.codes[start as usize..start as usize + len as usize];
            if chan.width == 1 {
                buf.push(scalar_bit(value));
            } else {
                buf.push(b'b');
                push_bits(buf, value, chan.width);
                buf.push(b' ');
            }
            buf.extend_from_slice(code);
            buf.push(b'\n');
        }
        let (start, len) = chan.hs_code;
        buf.push(if chan.toggle { b'1' } else { b'0' });
        buf.extend_from_slice(&self.codes[start as usize..start as usize + len as usize]);
        buf.push(b'\n');
        self.vcd.writer().write_all(buf)
    }

    fn finish(&mut self, _registry: &Registry, report: &EndReport) -> io::Result<()> {
        if report.time > self.last_time {
            self.last_time = report.time;
            self.vcd.timestamp(report.time)?;
        }
        if report.reason == EndReason::Interrupted {
            self.vcd
                .comment(&format!("interrupted at {}", report.time))?;
        }
        self.vcd.flush()
    }
}

/// The low bit of `value`, as a scalar VCD value.
fn scalar_bit(value: TraceValue<'_>) -> u8 {
    match value {
        TraceValue::None => b'x',
        TraceValue::Bool(b) => b'0' + u8::from(b),
        TraceValue::Uint(v) => b'0' + (v & 1) as u8,
        TraceValue::Int(v) => b'0' + (v & 1) as u8,
        TraceValue::Bits(v) => b'0' + (v & 1) as u8,
        TraceValue::Wide(v) => b'0' + u8::from(v.bit(0)),
    }
}

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
fn push_bits(buf: &mut Vec<u8>, value: TraceValue<'_>, width: u32) {
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

enum Item {
    Scope(usize),
    Var(ChanId, String),
}

struct ScopeNode {
    name: String,
    items: Vec<Item>,
}

/// The merged scope hierarchy of all channels; node 0 is the (unnamed) file root.
struct ScopeTree {
    nodes: Vec<ScopeNode>,
}

impl ScopeTree {
    fn build(registry: &Registry) -> Self {
        let mut tree = ScopeTree {
            nodes: vec![ScopeNode {
                name: String::new(),
                items: Vec::new(),
            }],
        };
        // Lookups only: the order of scopes comes from `items`, never from the map.
        let mut children: HashMap<(usize, String), usize> = HashMap::new();
        let mut parts = Vec::new();
        for (id, info) in registry.channels() {
            parts.clear();
            split_path(&info.path, &mut parts);
            let name = match parts.pop() {
                Some(last) => sanitize(last),
                None => format!("chan{id}"),
            };
            if parts.is_empty() {
                parts.push(ROOT_SCOPE);
            }
            let mut node = 0;
            for part in &parts {
                let key = (node, sanitize(part));
                node = match children.get(&key) {
                    Some(&child) => child,
                    None => {
                        let child = tree.nodes.len();
                        tree.nodes.push(ScopeNode {
                            name: key.1.clone(),
                            items: Vec::new(),
                        });
                        tree.nodes[node].items.push(Item::Scope(child));
                        children.insert(key, child);
                        child
                    }
                };
            }
            tree.nodes[node].items.push(Item::Var(id, name));
        }
        tree
    }
}

/// Splits `a.b[1].c` into `a`, `b[1]`, `c`: only dots outside brackets separate; empty parts
/// are dropped.
fn split_path<'a>(path: &'a str, out: &mut Vec<&'a str>) {
    let mut depth = 0u32;
    let mut start = 0;
    for (i, c) in path.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                if i > start {
                    out.push(&path[start..i]);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if path.len() > start {
        out.push(&path[start..]);
    }
}

/// A name VCD can carry: no whitespace or control characters.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
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

    #[test]
    fn paths_split_outside_brackets() {
        let mut out = Vec::new();
        split_path("top.b[3].R", &mut out);
        assert_eq!(out, ["top", "b[3]", "R"]);
        out.clear();
        split_path("a[x.y].m[1][2]..R", &mut out);
        assert_eq!(out, ["a[x.y]", "m[1][2]", "R"]);
        out.clear();
        split_path("", &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn timescales_parse() {
        assert_eq!(parse_timescale("1ns"), Ok((1, TimescaleUnit::NS)));
        assert_eq!(parse_timescale("10ps"), Ok((10, TimescaleUnit::PS)));
        assert_eq!(parse_timescale(" 1 us "), Ok((1, TimescaleUnit::US)));
        assert_eq!(parse_timescale("100fs"), Ok((100, TimescaleUnit::FS)));
        assert_eq!(parse_timescale("ms"), Ok((1, TimescaleUnit::MS)));
        assert!(parse_timescale("3ns").is_err());
        assert!(parse_timescale("1 parsec").is_err());
        assert!(parse_timescale("").is_err());
        assert!(parse_timescale("-1ns").is_err());
    }
}
