//! The progress display of long runs: an indicatif bar on stderr against `--until`, else a
//! spinner with simulated time and handshakes per second. It appears only when stderr is a
//! terminal and the run has lasted more than a moment, so short runs and piped output never see
//! a byte of it. Log lines printed to the terminal meanwhile go above the bar, and the bar is
//! cleared when the run ends.
use std::cell::OnceCell;
use std::io::{self, Write};
use std::rc::Rc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};

use crate::kernel::{Progress, ProgressCallback, Time};

/// How long a run goes before the display appears.
const SHOW_AFTER: Duration = Duration::from_millis(300);

/// The progress display of a run on a terminal. Clones share the bar: the kernel's callback
/// draws it, the log printer writes its lines above it ([`ProgressDisplay::above`]), and the
/// command clears it when the run is over ([`ProgressDisplay::clear`]).
#[derive(Clone, Debug)]
pub struct ProgressDisplay {
    bar: Rc<OnceCell<ProgressBar>>,
    until: Option<Time>,
}

/// The progress display for a run (`until` gives the bar its length), or `None` when stderr
/// is not a terminal.
pub fn terminal_progress(until: Option<Time>, stderr_is_terminal: bool) -> Option<ProgressDisplay> {
    stderr_is_terminal.then(|| ProgressDisplay {
        bar: Rc::new(OnceCell::new()),
        until,
    })
}

impl ProgressDisplay {
    /// The callback that draws the bar, for [`crate::SimInit::on_progress`].
    pub fn callback(&self) -> ProgressCallback {
        let started = Instant::now();
        let display = self.clone();
        Box::new(move |p: &Progress| {
            if display.bar.get().is_none() && started.elapsed() < SHOW_AFTER {
                return;
            }
            let bar = display.bar.get_or_init(|| new_bar(display.until));
            let rate = p.handshakes as f64 / started.elapsed().as_secs_f64().max(1e-9);
            bar.set_message(format!(
                "{} handshakes, {:.1} M/s",
                p.handshakes,
                rate / 1e6
            ));
            bar.set_position(p.time);
        })
    }

    /// `out` (the terminal's stdout), written to with the bar taken away and drawn again below
    /// what was written, so that no copy of the bar stays between log lines.
    pub fn above<W: Write>(&self, out: W) -> AboveBar<W> {
        AboveBar {
            out,
            display: self.clone(),
        }
    }

    /// Takes the bar off the screen for good (the run is over).
    pub fn clear(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}

/// See [`ProgressDisplay::above`].
#[derive(Debug)]
pub struct AboveBar<W: Write> {
    out: W,
    display: ProgressDisplay,
}

impl<W: Write> Write for AboveBar<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.display.bar.get() {
            // What is written must reach the screen while the bar is away.
            Some(bar) => bar
                .suspend(|| self.out.write_all(buf).and_then(|_| self.out.flush()))
                .map(|_| buf.len()),
            None => self.out.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

fn new_bar(until: Option<Time>) -> ProgressBar {
    let bar = match until {
        Some(until) => ProgressBar::with_draw_target(Some(until), ProgressDrawTarget::stderr())
            .with_style(
                ProgressStyle::with_template("{elapsed:>4} [{bar:30}] t={pos}/{len} {msg}")
                    .expect("a valid template")
                    .progress_chars("=> "),
            ),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template("{spinner} {elapsed:>4} t={pos} {msg}")
                .expect("a valid template"),
        ),
    };
    bar.enable_steady_tick(Duration::from_millis(120));
    bar.with_finish(ProgressFinish::AndClear)
}
