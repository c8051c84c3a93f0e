//! Log output as ACT's simulator prints it: the observers a simulation has unless told
//! otherwise ([`super::SimInit::log_to`], [`super::SimInit::without_log`]).
use std::io::{self, Write};

use super::observer::{EndReport, Event, LogKind, Observer, Registry};

/// Prints log output as ACT's simulator does: `log` writes
/// `[` + time right-aligned in 20 columns + `] <` + instance path + `>  ` + text + newline;
/// `log_st` writes only that prefix, `log_p` only its text, `log_nl` only a newline, so that
/// `log_st(); log_p("a"); log_p("b"); log_nl()` makes one line. `warn` is not for this stream
/// (see [`WarningPrinter`]).
pub(crate) struct LogPrinter<W: Write> {
    out: W,
}

impl<W: Write> LogPrinter<W> {
    pub(crate) fn new(out: W) -> Self {
        Self { out }
    }
}

impl<W: Write> Observer for LogPrinter<W> {
    fn observes_handshakes(&self) -> bool {
        false
    }

    fn event(&mut self, registry: &Registry, event: &Event<'_>) -> io::Result<()> {
        let Event::Log {
            time,
            process,
            kind,
            text,
            ..
        } = event
        else {
            return Ok(());
        };
        let prefix = |out: &mut W| write!(out, "[{time:>20}] <{}>  ", registry.process(*process));
        match kind {
            LogKind::Line | LogKind::Assertion | LogKind::Violation | LogKind::Model => {
                prefix(&mut self.out).and_then(|()| writeln!(self.out, "{text}"))
            }
            LogKind::Start => prefix(&mut self.out),
            LogKind::Part => self.out.write_all(text.as_bytes()),
            LogKind::End => self.out.write_all(b"\n"),
            LogKind::Warn | LogKind::Library => Ok(()),
        }
    }

    fn finish(&mut self, _registry: &Registry, _report: &EndReport) -> io::Result<()> {
        self.out.flush()
    }
}

/// Prints `warn(...)` as actsim does, `WARNING: ` + text, and the messages of actsim's library
/// (a file that cannot be opened, a line with more than a value) as its C++ writes them, the
/// text alone; each on its own line (on stderr).
pub(crate) struct WarningPrinter<W: Write> {
    out: W,
}

impl<W: Write> WarningPrinter<W> {
    pub(crate) fn new(out: W) -> Self {
        Self { out }
    }
}

impl<W: Write> Observer for WarningPrinter<W> {
    fn observes_handshakes(&self) -> bool {
        false
    }

    fn event(&mut self, _registry: &Registry, event: &Event<'_>) -> io::Result<()> {
        match event {
            Event::Log {
                kind: LogKind::Warn,
                text,
                ..
            } => writeln!(self.out, "WARNING: {text}"),
            Event::Log {
                kind: LogKind::Library,
                text,
                ..
            } => writeln!(self.out, "{text}"),
            _ => Ok(()),
        }
    }

    fn finish(&mut self, _registry: &Registry, _report: &EndReport) -> io::Result<()> {
        self.out.flush()
    }
}

/// Standard output through `print!`, so that a test harness that captures what a test prints
/// captures a library simulation's log lines too.
pub(crate) struct PrintedStdout;

impl Write for PrintedStdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        print!("{}", String::from_utf8_lossy(buf));
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stdout().flush()
    }
}

/// Standard error through `eprint!` (see [`PrintedStdout`]).
pub(crate) struct PrintedStderr;

impl Write for PrintedStderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        eprint!("{}", String::from_utf8_lossy(buf));
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}
