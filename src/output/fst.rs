//! The FST waveform: GTKWave's compressed format, for long runs (see [`super::waveform`] for
//! what it shows). Written with the `fst-writer` crate: the same scopes (modules), signals
//! (wires; an alias is a second declaration of the same handle) and values as the VCD.
//!
//! Value changes are kept in memory and written as a compressed block whenever they reach
//! 32 MiB, and at the end. FST has no comments: an interrupted run simply ends at the
//! time it was interrupted.
use std::io::{self, BufWriter, Seek, Write};

use fst_writer::{
    FstBodyWriter, FstFileType, FstHeaderWriter, FstInfo, FstScopeType, FstSignalId, FstSignalType,
    FstVarDirection, FstVarType,
};
use vcd::TimescaleUnit;

use super::waveform::{Backend, WaveOptions, WaveformWriter};
use crate::kernel::Time;

/// An observer writing an FST file.
pub type FstWriter<W> = WaveformWriter<Fst<W>>;

impl<W: Write + Seek> WaveformWriter<Fst<W>> {
    /// A writer of `out`; the header is written when the run starts.
    pub fn new(out: W, options: WaveOptions) -> Self {
        WaveformWriter::with_backend(Fst::new(out), options)
    }
}

/// Value changes buffered before a block is compressed and written.
pub(crate) const BLOCK_BYTES: usize = 32 << 20;

enum State<W: Write + Seek> {
    Created(W),
    Header(FstHeaderWriter<BufWriter<W>>),
    Body(FstBodyWriter<BufWriter<W>>),
    /// Finished, or failed half-way.
    Done,
}

/// The FST [`Backend`].
pub struct Fst<W: Write + Seek> {
    state: State<W>,
    /// The handle of each signal, once declared.
    handles: Vec<Option<FstSignalId>>,
    /// See [`BLOCK_BYTES`].
    block_bytes: usize,
}

impl<W: Write + Seek> std::fmt::Debug for Fst<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fst")
            .field("signals", &self.handles.len())
            .finish_non_exhaustive()
    }
}

impl<W: Write + Seek> Fst<W> {
    /// The backend writing `out`.
    pub fn new(out: W) -> Self {
        Self {
            state: State::Created(out),
            handles: Vec::new(),
            block_bytes: BLOCK_BYTES,
        }
    }

    fn header(&mut self) -> io::Result<&mut FstHeaderWriter<BufWriter<W>>> {
        match &mut self.state {
            State::Header(h) => Ok(h),
            _ => Err(out_of_order()),
        }
    }

    fn body(&mut self) -> io::Result<&mut FstBodyWriter<BufWriter<W>>> {
        match &mut self.state {
            State::Body(b) => Ok(b),
            _ => Err(out_of_order()),
        }
    }
}

fn out_of_order() -> io::Error {
    io::Error::other("FST writer used out of order")
}

fn fst_error(e: fst_writer::FstWriteError) -> io::Error {
    match e {
        fst_writer::FstWriteError::Io(e) => e,
        other => io::Error::other(other.to_string()),
    }
}

/// The power of ten of a timescale in seconds: `10ps` is -11.
fn exponent((factor, unit): (u32, TimescaleUnit)) -> i8 {
    let unit = match unit {
        TimescaleUnit::S => 0,
        TimescaleUnit::MS => -3,
        TimescaleUnit::US => -6,
        TimescaleUnit::NS => -9,
        TimescaleUnit::PS => -12,
        TimescaleUnit::FS => -15,
    };
    let factor = match factor {
        100 => 2,
        10 => 1,
        _ => 0,
    };
    unit + factor
}

impl<W: Write + Seek> Backend for Fst<W> {
    fn begin(&mut self, timescale: (u32, TimescaleUnit)) -> io::Result<()> {
        let State::Created(out) = std::mem::replace(&mut self.state, State::Done) else {
            return Err(out_of_order());
        };
        let info = FstInfo {
            start_time: 0,
            timescale_exponent: exponent(timescale),
            version: "chpsim".into(),
            // No date: the file must be the same on every run.
            date: String::new(),
            file_type: FstFileType::Verilog,
        };
        let header = FstHeaderWriter::new(BufWriter::with_capacity(1 << 16, out), &info)
            .map_err(fst_error)?;
        self.state = State::Header(header);
        Ok(())
    }

    fn scope(&mut self, name: &str) -> io::Result<()> {
        (self.header()?)
            .scope(name, "", FstScopeType::Module)
            .map_err(fst_error)
    }

    fn upscope(&mut self) -> io::Result<()> {
        self.header()?.up_scope().map_err(fst_error)
    }

    fn var(&mut self, name: &str, signal: u32, width: u32) -> io::Result<()> {
        let index = signal as usize;
        if index >= self.handles.len() {
            self.handles.resize(index + 1, None);
        }
        let alias = self.handles[index];
        let handle = self
            .header()?
            .var(
                name,
                FstSignalType::bit_vec(width),
                FstVarType::Wire,
                FstVarDirection::Implicit,
                alias,
            )
            .map_err(fst_error)?;
        self.handles[index] = Some(handle);
        Ok(())
    }

    fn end_definitions(&mut self) -> io::Result<()> {
        let State::Header(header) = std::mem::replace(&mut self.state, State::Done) else {
            return Err(out_of_order());
        };
        let mut body = header.finish().map_err(fst_error)?;
        // Every change is kept, as in the VCD: a value sent twice shows twice.
        body.set_deduplicate(false);
        self.state = State::Body(body);
        Ok(())
    }

    fn end_initial(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn time(&mut self, time: Time) -> io::Result<()> {
        let block_bytes = self.block_bytes;
        let body = self.body()?;
        // A block may only end right before a new time step.
        if body.size() >= block_bytes {
            body.flush().map_err(fst_error)?;
        }
        body.time_change(time).map_err(fst_error)
    }

    fn change(&mut self, signal: u32, bits: &[u8]) -> io::Result<()> {
        let Some(Some(handle)) = self.handles.get(signal as usize).copied() else {
            return Ok(()); // never declared
        };
        self.body()?.signal_change(handle, bits).map_err(fst_error)
    }

    fn finish(&mut self, _interrupted: Option<Time>) -> io::Result<()> {
        let State::Body(body) = std::mem::replace(&mut self.state, State::Done) else {
            return Err(out_of_order());
        };
        let mut out = body.finish().map_err(fst_error)?;
        out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run written as VCD and as FST in blocks of a few hundred bytes: wellen reads the same.
    #[test]
    fn many_blocks_read_back_as_the_vcd() {
        use crate::kernel::SimInit;
        use crate::output::vcd::VcdWriter;
        let dir = tempfile::tempdir().unwrap();
        let (vcd_path, fst_path) = (dir.path().join("a.vcd"), dir.path().join("a.fst"));
        let mut sim = SimInit::new().without_log();
        let (tx, rx) = sim.channel_between::<u16>("top.a.R", "top.b.L", 10);
        let ctx = sim.ctx();
        sim.spawn("top.a", async move {
            for v in 0..2000u16 {
                tx.send(v.wrapping_mul(7919)).await;
            }
        });
        sim.spawn("top.b", async move {
            loop {
                rx.recv().await;
                ctx.delay(25).await;
            }
        });
        let vcd = std::fs::File::create(&vcd_path).unwrap();
        sim.add_observer(VcdWriter::new(vcd, WaveOptions::default()));
        let mut fst = Fst::new(std::fs::File::create(&fst_path).unwrap());
        fst.block_bytes = 300;
        let writer = WaveformWriter::with_backend(fst, WaveOptions::default());
        sim.add_observer(writer);
        sim.run().unwrap();
        let read = |path: &std::path::Path| {
            let mut wave = wellen::simple::read(path).unwrap();
            let h = wave.hierarchy();
            let names: Vec<String> = h.all_vars().map(|v| h[v].full_name(h)).collect();
            let refs: Vec<_> = h.all_vars().map(|v| h[v].signal_ref()).collect();
            wave.load_signals(&refs);
            let times = wave.time_table().to_vec();
            let values: Vec<Vec<(u64, String)>> = refs
                .iter()
                .map(|r| {
                    (wave.get_signal(*r).unwrap().iter_changes())
                        .map(|(i, v)| (times[i as usize], v.to_bit_string().unwrap()))
                        .collect()
                })
                .collect();
            (names, values)
        };
        let (vcd, fst) = (read(&vcd_path), read(&fst_path));
        assert_eq!(vcd.1[0].len(), 2001);
        assert_eq!(fst, vcd);
    }

    #[test]
    fn timescale_exponents() {
        assert_eq!(exponent((1, TimescaleUnit::NS)), -9);
        assert_eq!(exponent((10, TimescaleUnit::PS)), -11);
        assert_eq!(exponent((100, TimescaleUnit::S)), 2);
        assert_eq!(exponent((1, TimescaleUnit::FS)), -15);
    }
}
