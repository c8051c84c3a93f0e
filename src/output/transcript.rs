//! The text transcript: one line per event, in time order, stable and diff-friendly.
//!
//! ```text
//! # chpsim transcript: design=pipeline.act top=top seed=0
//!                   10  top.src.R -> top.b[0].L  1
//!                   40  top.snk  log  got 1
//!                  300  top.src  end
//! # end at 1010 (idle): 100 handshakes; 11 processes waiting (11 on receive)
//! #   top.snk  receive top.b[9].R -> top.snk.L  at pipeline.act:14:5
//! ```
//! Times are right-aligned in 20 columns (a u64 never needs more), as in ACT's log lines.
//! A handshake line names the sending end, the receiving end and the value (nothing for a
//! dataless channel); `log`, `end` and `error` lines name the process. The parts of a log line
//! written by `log_st`, `log_p`, `log_nl` are lines of their own (`log_st`, `log_p  text`,
//! `log_nl`), and so are a warning (`warn  text`) and a mutex violation after which the run
//! went on (`violation  ** ERROR ** multiple (2) guards true, mutex violation.`). A circuit
//! node's transition is `path := v` (`v` is `0`, `1` or `X`, as actsim's watch prints it).
use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{decimal, push_decimal};
use crate::kernel::{EndReason, EndReport, Event, LogKind, Observer, Registry, TraceValue, Wait};

/// Describes a waiting site (the interpreter's statement id) for the end-of-run report,
/// e.g. `pipeline.act:14:5`.
pub type SiteDescriber = Box<dyn Fn(u32) -> Option<String>>;

/// Lines to add after the end-of-run summary (the driver's deadlock diagnosis), each written
/// as a `# ` comment.
pub type EndNotes = Box<dyn Fn(&Registry, &EndReport) -> Vec<String>>;

/// An [`Observer`] writing the text transcript: one line per event, then why the run ended and
/// who still waits (see the README's "The transcript").
pub struct TranscriptWriter<W: Write> {
    out: W,
    header: String,
    describe_site: Option<SiteDescriber>,
    end_notes: Option<EndNotes>,
    /// Per channel, the text between the time and the value: `  top.src.R -> top.b[0].L  `
    /// (without the last two spaces for a dataless channel). Built once, so a handshake line
    /// is a few copies.
    channel_text: Vec<Box<[u8]>>,
    /// Lines are assembled here and handed to `out` in large blocks (no `BufWriter` needed).
    buf: Vec<u8>,
    /// The time column of the last line, reused while the time stands still (it mostly does:
    /// many events share a time).
    time_column: (u64, [u8; 20]),
}

impl<W: Write> std::fmt::Debug for TranscriptWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TranscriptWriter")
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

/// Buffered bytes that make `out` receive a block.
const BLOCK: usize = 1 << 16;

impl<W: Write> TranscriptWriter<W> {
    /// `header` follows `# chpsim transcript: `, e.g. `design=pipeline.act top=top seed=0`.
    pub fn new(out: W, header: impl Into<String>) -> Self {
        Self {
            out,
            header: header.into(),
            describe_site: None,
            end_notes: None,
            channel_text: Vec::new(),
            buf: Vec::with_capacity(BLOCK + 1024),
            time_column: (0, time_column(0)),
        }
    }

    /// Names the place a waiting process waits at (a statement's source offset) at the end.
    pub fn with_site_describer(mut self, describe: SiteDescriber) -> Self {
        self.describe_site = Some(describe);
        self
    }

    /// Adds lines after the end-of-run summary.
    pub fn with_end_notes(mut self, notes: EndNotes) -> Self {
        self.end_notes = Some(notes);
        self
    }
}

impl<W: Write> Observer for TranscriptWriter<W> {
    fn start(&mut self, registry: &Registry) -> io::Result<()> {
        self.channel_text = registry
            .channels()
            .map(|(_, c)| {
                let gap = if c.width == 0 { "" } else { "  " };
                format!("  {} -> {}{gap}", c.sender_end, c.receiver_end)
                    .into_bytes()
                    .into_boxed_slice()
            })
            .collect();
        writeln!(self.buf, "# chpsim transcript: {}", self.header)
    }

    fn event(&mut self, registry: &Registry, event: &Event<'_>) -> io::Result<()> {
        let out = &mut self.buf;
        match *event {
            Event::Handshake {
                time,
                channel,
                value,
                ..
            } => {
                let line = &mut self.buf;
                if self.time_column.0 != time {
                    self.time_column = (time, time_column(time));
                }
                line.extend_from_slice(&self.time_column.1);
                match self.channel_text.get(channel.index()) {
                    Some(text) => line.extend_from_slice(text),
                    // A channel made after the run started: spell it out.
                    None => {
                        let info = registry.channel(channel);
                        line.extend_from_slice(
                            format!("  {} -> {}  ", info.sender_end, info.receiver_end).as_bytes(),
                        );
                    }
                }
                // A dataless channel shows no value, whatever its payload's placeholder.
                let value = if registry.channel(channel).width == 0 {
                    TraceValue::None
                } else {
                    value
                };
                match value {
                    TraceValue::None => {}
                    TraceValue::Bool(b) => line.push(if b { b'1' } else { b'0' }),
                    TraceValue::Uint(v) => push_decimal(line, v),
                    TraceValue::Int(v) => {
                        if v < 0 {
                            line.push(b'-');
                        }
                        push_decimal(line, v.unsigned_abs());
                    }
                    TraceValue::Bits(v) => match u64::try_from(v) {
                        Ok(small) => push_decimal(line, small),
                        Err(_) => line.extend_from_slice(v.to_string().as_bytes()),
                    },
                    TraceValue::Wide(v) => line.extend_from_slice(v.to_string().as_bytes()),
                }
                line.push(b'\n');
            }
            Event::Log {
                time,
                process,
                kind,
                text,
                ..
            } => {
                let name = registry.shown_process(process);
                let (word, text) = match kind {
                    LogKind::Line | LogKind::Assertion | LogKind::Model => ("log", text),
                    LogKind::Start => ("log_st", ""),
                    LogKind::Part => ("log_p", text),
                    LogKind::End => ("log_nl", ""),
                    LogKind::Warn => ("warn", text),
                    LogKind::Library => ("library", text),
                    LogKind::Violation => ("violation", text),
                };
                if text.is_empty() && kind != LogKind::Line {
                    writeln!(out, "{time:>20}  {name}  {word}")?;
                } else if text.contains(['\n', '\r']) {
                    // One line per event: a line break in the text is written as `\n`.
                    let text = text.replace('\n', "\\n").replace('\r', "\\r");
                    writeln!(out, "{time:>20}  {name}  {word}  {text}")?;
                } else {
                    writeln!(out, "{time:>20}  {name}  {word}  {text}")?;
                }
            }
            Event::ProcessEnd { time, process } => {
                writeln!(out, "{time:>20}  {}  end", registry.shown_process(process))?;
            }
            Event::Error {
                time,
                process,
                message,
            } => {
                writeln!(
                    out,
                    "{time:>20}  {}  error  {message}",
                    registry.shown_process(process)
                )?;
            }
            Event::Node {
                time, node, value, ..
            } => {
                let line = &mut self.buf;
                if self.time_column.0 != time {
                    self.time_column = (time, time_column(time));
                }
                line.extend_from_slice(&self.time_column.1);
                line.extend_from_slice(b"  ");
                line.extend_from_slice(registry.node(node).as_bytes());
                line.extend_from_slice(b" := ");
                line.push(value.symbol() as u8);
                line.push(b'\n');
            }
            // Who waits is for statistics and waveforms, not the transcript; so are variables.
            // A circuit's warning is the log line before it.
            Event::Wait { .. }
            | Event::Resumed { .. }
            | Event::Method { .. }
            | Event::Replied { .. }
            | Event::Variable { .. }
            | Event::CircuitWarning { .. } => {}
        }
        if self.buf.len() >= BLOCK {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn finish(&mut self, registry: &Registry, report: &EndReport) -> io::Result<()> {
        let reason = match report.reason {
            EndReason::Idle => "idle",
            EndReason::Until => "until",
            EndReason::MaxEvents => "max-events",
            EndReason::Failed => "error",
            EndReason::Interrupted => "interrupted",
        };
        let transitions = match report.transitions {
            0 => String::new(),
            n => format!(", {n} transitions"),
        };
        write!(
            self.buf,
            "# end at {} ({reason}): {} handshakes{transitions}; {}",
            report.time,
            report.handshakes,
            waiting_summary(report)
        )?;
        writeln!(self.buf)?;
        if let Some(notes) = &self.end_notes {
            for note in notes(registry, report) {
                writeln!(self.buf, "# {note}")?;
            }
        }
        let mut waiting: Vec<_> = report.waiting.iter().collect();
        waiting.sort_by_key(|w| w.process);
        for waiting in waiting {
            let place = waiting
                .site
                .and_then(|site| self.describe_site.as_ref().and_then(|d| d(site)));
            write!(
                self.buf,
                "#   {}  {}",
                registry.shown_process(waiting.process),
                describe_wait(registry, waiting.wait)
            )?;
            match place {
                Some(place) => writeln!(self.buf, "  at {place}")?,
                None => writeln!(self.buf)?,
            }
        }
        // Its last line says at once that the run did not end by itself.
        if report.reason == EndReason::Interrupted {
            writeln!(self.buf, "# interrupted at {}", report.time)?;
        }
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()
    }
}

/// `11 processes waiting (10 on receive, 1 on send)`: each process counted once, by what it
/// waits on (a process whose parallel branches wait on several things counts by its first).
pub(crate) fn waiting_summary(report: &EndReport) -> String {
    let processes = report.waiting_processes();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for w in &processes {
        *kinds.entry(wait_kind(w.wait)).or_default() += 1;
    }
    let noun = if processes.len() == 1 {
        "process"
    } else {
        "processes"
    };
    if kinds.is_empty() {
        return format!("0 {noun} waiting");
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} on {k}")).collect();
    format!("{} {noun} waiting ({})", processes.len(), kinds.join(", "))
}

/// `time` right-aligned in 20 columns.
fn time_column(time: u64) -> [u8; 20] {
    decimal(time, b' ').0
}

fn wait_kind(wait: Wait) -> &'static str {
    match wait {
        Wait::Send(_) => "send",
        Wait::Receive(_) => "receive",
        Wait::Guard => "guard",
        Wait::Probe => "probe",
        Wait::Join => "join",
        Wait::Delay => "delay",
        Wait::Other => "other",
    }
}

/// `receive top.b[9].R -> top.snk.L`
pub(crate) fn describe_wait(registry: &Registry, wait: Wait) -> String {
    match wait {
        Wait::Send(c) | Wait::Receive(c) => {
            let info = registry.channel(c);
            format!(
                "{} {} -> {}",
                wait_kind(wait),
                info.sender_end,
                info.receiver_end
            )
        }
        other => wait_kind(other).to_string(),
    }
}
