//! actsim's trace files of watched things: `vcd_start FILE` / `vcd_stop`, `trace_start [-fmt]
//! FILE` / `trace_stop [-fmt]` and `lxt2_start` / `lxt2_stop`. As in actsim, a trace holds what
//! is watched when it starts (a later `watch` is not added), starts with their values then,
//! and records each change until it stops. chpsim writes VCD only: actsim's other formats
//! (its own `atr`, LXT2) are refused with a message naming the one it writes.
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};

use num_bigint::BigUint;

use super::monitor::Key;
use super::Session;
use crate::kernel::Time;

/// A value as a trace records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Sample {
    /// A bool or node: `None` is X.
    Bit(Option<bool>),
    /// An integer, or the value a channel carried.
    Int(BigUint),
    /// Nothing known yet (a channel before its first handshake).
    Unknown,
}

/// A VCD file being written.
pub(crate) struct VcdTrace {
    out: BufWriter<File>,
    /// Per traced thing: its identifier code and width.
    signals: HashMap<Key, (String, u32)>,
    /// The time of the last `#` line written.
    time: Option<Time>,
    /// VCD time units per tick.
    scale: u64,
}

/// A VCD identifier code: printable characters from `!`, as many as needed.
fn code(mut index: usize) -> String {
    let mut code = String::new();
    loop {
        code.push(char::from(b'!' + (index % 94) as u8));
        index /= 94;
        if index == 0 {
            return code;
        }
        index -= 1;
    }
}

/// The VCD `$timescale` for a tick of `picoseconds`, and how many of its units a tick is: the
/// largest of VCD's units (1, 10 or 100 of s ... fs) that divides the tick.
fn timescale(picoseconds: f64) -> (String, u64) {
    let femtoseconds = ((picoseconds * 1000.0).round() as u64).max(1);
    let mut power = 0;
    while power < 17 && femtoseconds % 10u64.pow(power + 1) == 0 {
        power += 1;
    }
    let units = ["fs", "ps", "ns", "us", "ms", "s"];
    let text = format!("{} {}", 10u64.pow(power % 3), units[(power / 3) as usize]);
    (text, femtoseconds / 10u64.pow(power))
}

impl VcdTrace {
    /// Creates `path` with `signals` (key, name, width, value now) and their values at `now`;
    /// a tick is `picoseconds` long.
    pub(crate) fn create(
        path: &str,
        signals: Vec<(Key, String, u32, Sample)>,
        now: Time,
        picoseconds: f64,
    ) -> io::Result<Self> {
        let mut out = BufWriter::new(File::create(path)?);
        let (unit, scale) = timescale(picoseconds);
        writeln!(out, "$date\n  chpsim actsim\n$end")?;
        writeln!(out, "$timescale {unit} $end")?;
        writeln!(out, "$scope module top $end")?;
        let mut codes = HashMap::new();
        for (index, (key, name, width, _)) in signals.iter().enumerate() {
            let id = code(index);
            let kind = if *width == 1 { "wire" } else { "reg" };
            let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
            writeln!(out, "$var {kind} {} {id} {name} $end", (*width).max(1))?;
            codes.insert(*key, (id, (*width).max(1)));
        }
        writeln!(out, "$upscope $end\n$enddefinitions $end")?;
        let mut trace = VcdTrace {
            out,
            signals: codes,
            time: None,
            scale,
        };
        trace.stamp(now)?;
        writeln!(trace.out, "$dumpvars")?;
        for (key, _, _, sample) in &signals {
            trace.value(*key, sample)?;
        }
        writeln!(trace.out, "$end")?;
        Ok(trace)
    }

    fn stamp(&mut self, time: Time) -> io::Result<()> {
        if self.time != Some(time) {
            writeln!(self.out, "#{}", u128::from(time) * u128::from(self.scale))?;
            self.time = Some(time);
        }
        Ok(())
    }

    fn value(&mut self, key: Key, sample: &Sample) -> io::Result<()> {
        let Some((id, width)) = self.signals.get(&key) else {
            return Ok(());
        };
        match (sample, *width) {
            (Sample::Bit(b), 1) => {
                let c = b.map_or('x', |b| if b { '1' } else { '0' });
                writeln!(self.out, "{c}{id}")
            }
            (Sample::Int(v), 1) => writeln!(self.out, "{}{id}", if v.bits() == 0 { 0 } else { 1 }),
            (Sample::Int(v), width) => {
                let bits = format!("{v:b}");
                let bits = &bits[bits.len().saturating_sub(width as usize)..];
                let pad = "0".repeat(width as usize - bits.len());
                writeln!(self.out, "b{pad}{bits} {id}")
            }
            (Sample::Unknown, 1) => writeln!(self.out, "x{id}"),
            (_, width) => writeln!(self.out, "b{} {id}", "x".repeat(width as usize)),
        }
    }

    /// Records that `key` took `sample` at `time` (nothing when it is not traced).
    pub(crate) fn change(&mut self, key: Key, time: Time, sample: &Sample) -> io::Result<()> {
        if !self.signals.contains_key(&key) {
            return Ok(());
        }
        self.stamp(time)?;
        self.value(key, sample)
    }

    /// Ends the file at `now`.
    pub(crate) fn close(mut self, now: Time) -> io::Result<()> {
        self.stamp(now)?;
        self.out.flush()
    }
}

/// The formats of actsim's `trace_start -fmt`, as its messages name them.
fn format_name(format: &str) -> String {
    match format {
        "atr" => "ATRACE".to_string(),
        other => other.to_uppercase(),
    }
}

impl Session<'_> {
    /// `vcd_start`, `vcd_stop`, `trace_start`, `trace_stop`, `lxt2_start`, `lxt2_stop`.
    pub(super) fn trace_command(&mut self, command: &str, args: &[&str]) {
        let (start, format, file) = match (command, args) {
            ("vcd_start" | "lxt2_start", [file]) => (true, &command[..command.len() - 6], *file),
            ("vcd_stop" | "lxt2_stop", []) => (false, &command[..command.len() - 5], ""),
            ("vcd_start" | "lxt2_start", _) => {
                return self.message(&format!("Usage: {command} <file>"))
            }
            ("vcd_stop" | "lxt2_stop", _) => return self.message(&format!("Usage: {command}")),
            ("trace_start", [file]) => (true, "atr", *file),
            ("trace_start", [fmt, file]) if fmt.starts_with('-') => (true, &fmt[1..], *file),
            ("trace_start", _) => {
                return self.message(&format!("Usage: {command} [-fmt] <file>"));
            }
            ("trace_stop", []) => (false, "atr", ""),
            ("trace_stop", [fmt]) if fmt.starts_with('-') => (false, &fmt[1..], ""),
            ("trace_stop", [_]) => return self.message(&format!("Usage: {command} [-fmt]")),
            // actsim's words for too many, in this order.
            _ => return self.message(&format!("Usage: [-fmt] {command}")),
        };
        let name = format_name(format);
        // actsim loads a format's library when a file of it starts; stopping one never
        // started finds none. chpsim starts only VCD files.
        let loaded = format == "vcd" && self.vcd_format_loaded;
        match (start, format) {
            (true, "vcd") => self.start_vcd(command, file),
            (true, "atr" | "lxt2") => {
                let hint = if command.starts_with("trace") {
                    "trace_start -vcd <file>"
                } else {
                    "vcd_start <file>"
                };
                self.message(&format!(
                    "{command}: the {name} format is not supported by chpsim; use `{hint}' for a VCD file (GTKWave reads it), or chpsim's --vcd/--fst"
                ))
            }
            (true, _) => self.message(&format!(
                "{command}: could not load {name} trace file library"
            )),
            (false, _) if !loaded && command == "trace_stop" => {
                self.message(&format!("{command}: no format `{format}' exists."))
            }
            (false, _) if !loaded => self.message(&format!(
                "{command}: could not find {name} trace file library"
            )),
            (false, _) => {
                let now = self.running().map(|r| r.now()).unwrap_or(0);
                let current = self.monitor.borrow_mut().vcd.take();
                match current {
                    Some(trace) => {
                        if trace.close(now).is_err() {
                            self.message(&format!("{command}: could not write the {name} file"));
                        }
                    }
                    None => self.message(&format!("{command}: no current {name} file.")),
                }
            }
        }
    }

    /// Starts a VCD file of what is watched now (closing the one there is).
    fn start_vcd(&mut self, command: &str, file: &str) {
        let Ok(now) = self.running().map(|r| r.now()) else {
            return;
        };
        self.vcd_format_loaded = true;
        let current = self.monitor.borrow_mut().vcd.take();
        if let Some(old) = current {
            self.message(&format!("{command}: closing current VCD file"));
            let _ = old.close(now);
        }
        let watched = self.monitor.borrow().watched_list();
        let mut signals = Vec::with_capacity(watched.len());
        for (key, name) in watched {
            let (width, sample) = self.sample_now(key, &name);
            signals.push((key, name, width, sample));
        }
        match VcdTrace::create(file, signals, now, self.tick_picoseconds) {
            Ok(trace) => self.monitor.borrow_mut().vcd = Some(trace),
            Err(_) => self.message(&format!("{command}: could not open file `{file}'")),
        }
    }

    /// The width of what `key` (watched as `name`) is, and its value now.
    fn sample_now(&mut self, key: Key, name: &str) -> (u32, Sample) {
        if let Key::Channel(channel) = key {
            return (
                self.monitor.borrow().channel_width(channel),
                Sample::Unknown,
            );
        }
        let Ok(running) = self.running() else {
            return (1, Sample::Unknown);
        };
        let Some(target) = running.find(name) else {
            return (1, Sample::Unknown);
        };
        match running.value(&target) {
            crate::sim::inspect::Shown::Bit(level) => (
                1,
                Sample::Bit(match level {
                    crate::kernel::Level::Zero => Some(false),
                    crate::kernel::Level::One => Some(true),
                    _ => None,
                }),
            ),
            crate::sim::inspect::Shown::Int(v) => (running.width(&target).max(1), Sample::Int(v)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{code, timescale};

    #[test]
    fn codes_are_short_and_distinct() {
        assert_eq!(code(0), "!");
        assert_eq!(code(93), "~");
        assert_eq!(code(94), "!!");
        let all: std::collections::HashSet<String> = (0..20_000).map(code).collect();
        assert_eq!(all.len(), 20_000);
    }

    #[test]
    fn the_timescale_is_the_largest_unit_dividing_a_tick() {
        assert_eq!(timescale(10.0), ("10 ps".to_string(), 1));
        assert_eq!(timescale(1000.0), ("1 ns".to_string(), 1));
        assert_eq!(timescale(2.5), ("100 fs".to_string(), 25));
        assert_eq!(timescale(30.0), ("10 ps".to_string(), 3));
    }
}
