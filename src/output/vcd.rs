//! The VCD waveform (see [`super::waveform`] for what it shows).
//!
//! - Header: no `$date` (the file must be byte-identical across runs), `$version chpsim`, and
//!   the `$timescale` of [`VcdOptions`] (default: one tick is `1 ns`). Scopes are `module`s,
//!   signals `wire`s; an alias is a second `$var` with the same id code.
//! - Initial values at `#0` in `$dumpvars`. Values are written in full (`b00000111 !`, exactly
//!   the declared width; a 1-bit signal uses the scalar form `1!`).
//! - An interrupted run ends with `$comment interrupted at T $end`.
//!
//! Id codes follow the `vcd` crate's sequence (`!`, `"`, `#`, ...), in order of first
//! declaration, minus those starting with `$`, which naive tokenizers mistake for commands
//! (the sequence would otherwise reach `$end`).
//!
//! # Speed
//! Per change the writer formats into a reused scratch buffer and hands it to a [`BufWriter`]
//! in one call; nothing is allocated. The header goes through the `vcd` crate's
//! [`vcd::Writer`].
use std::io::{self, BufWriter, Write};

use vcd::{IdCode, TimescaleUnit, VarType};

use super::push_decimal;
use super::waveform::{Backend, WaveformWriter};
use crate::kernel::Time;

pub use super::waveform::{
    parse_timescale, TimescaleError, WaveOptions as VcdOptions, ROOT_SCOPE, TOGGLE_SUFFIX,
    WAIT_SUFFIX,
};

/// An observer writing a VCD file.
pub type VcdWriter<W> = WaveformWriter<Vcd<W>>;

impl<W: Write> WaveformWriter<Vcd<W>> {
    /// A writer of `out`; the header is written when the run starts.
    pub fn new(out: W, options: VcdOptions) -> Self {
        WaveformWriter::with_backend(Vcd::new(out), options)
    }
}

/// The VCD [`Backend`].
pub struct Vcd<W: Write> {
    vcd: vcd::Writer<BufWriter<W>>,
    /// Per signal, once declared.
    signals: Vec<Option<Declared>>,
    /// The id codes of all signals, back to back.
    codes: Vec<u8>,
    scratch: Vec<u8>,
    next_id: IdCode,
}

#[derive(Clone, Copy)]
struct Declared {
    id: IdCode,
    /// Where its id code's text sits in `Vcd::codes`.
    code: (u32, u8),
    width: u32,
}

impl<W: Write> std::fmt::Debug for Vcd<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vcd")
            .field("signals", &self.signals.len())
            .finish_non_exhaustive()
    }
}

impl<W: Write> Vcd<W> {
    /// The backend writing `out`.
    pub fn new(out: W) -> Self {
        Self {
            vcd: vcd::Writer::new(BufWriter::with_capacity(1 << 16, out)),
            signals: Vec::new(),
            codes: Vec::new(),
            scratch: Vec::with_capacity(256),
            next_id: IdCode::FIRST,
        }
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

    /// Hands the scratch buffer to the file once it holds a block's worth.
    fn spill(&mut self, force: bool) -> io::Result<()> {
        if force || self.scratch.len() >= 1 << 16 {
            self.vcd.writer().write_all(&self.scratch)?;
            self.scratch.clear();
        }
        Ok(())
    }
}

impl<W: Write> Backend for Vcd<W> {
    fn begin(&mut self, (factor, unit): (u32, TimescaleUnit)) -> io::Result<()> {
        self.vcd.version("chpsim")?;
        self.vcd.timescale(factor, unit)
    }

    fn scope(&mut self, name: &str) -> io::Result<()> {
        self.vcd.add_module(name)
    }

    fn upscope(&mut self) -> io::Result<()> {
        self.vcd.upscope()
    }

    fn var(&mut self, name: &str, signal: u32, width: u32) -> io::Result<()> {
        let index = signal as usize;
        if index >= self.signals.len() {
            self.signals.resize(index + 1, None);
        }
        // An alias is the same id code declared again.
        let id = match self.signals[index] {
            Some(declared) => declared.id,
            None => {
                let (id, code) = self.next_code();
                self.signals[index] = Some(Declared { id, code, width });
                id
            }
        };
        self.vcd.var_def(VarType::Wire, width, id, name, None)
    }

    fn end_definitions(&mut self) -> io::Result<()> {
        self.vcd.enddefinitions()?;
        self.scratch.extend_from_slice(b"#0\n$dumpvars\n");
        Ok(())
    }

    fn end_initial(&mut self) -> io::Result<()> {
        self.scratch.extend_from_slice(b"$end\n");
        self.spill(true)
    }

    fn time(&mut self, time: Time) -> io::Result<()> {
        self.scratch.push(b'#');
        push_decimal(&mut self.scratch, time);
        self.scratch.push(b'\n');
        Ok(())
    }

    fn change(&mut self, signal: u32, bits: &[u8]) -> io::Result<()> {
        let Some(Some(Declared {
            code: (start, len),
            width,
            ..
        })) = self.signals.get(signal as usize).copied()
        else {
            return Ok(()); // never declared
        };
        let code = &self.codes[start as usize..start as usize + len as usize];
        if width == 1 {
            self.scratch.push(bits[0]);
        } else {
            self.scratch.push(b'b');
            self.scratch.extend_from_slice(bits);
            self.scratch.push(b' ');
        }
        self.scratch.extend_from_slice(code);
        self.scratch.push(b'\n');
        self.spill(false)
    }

    fn finish(&mut self, interrupted: Option<Time>) -> io::Result<()> {
        self.spill(true)?;
        if let Some(time) = interrupted {
            self.vcd.comment(&format!("interrupted at {time}"))?;
        }
        self.vcd.flush()
    }
}
