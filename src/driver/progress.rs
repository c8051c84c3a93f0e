//! The progress display of long runs: an indicatif bar on stderr against `--until`, else a
//! spinner with simulated time and handshakes per second. It appears only when stderr is a
//! terminal and the run has lasted more than a moment, so short runs and piped output never see
//! a byte of it. Log lines printed to the terminal meanwhile go above the bar, a batch at a
//! time (the bar is taken away and drawn again at most ten times a second,
//! however many lines a run logs), and the bar is cleared when the run ends.
use std::cell::{OnceCell, RefCell};
use std::io::{self, Write};
use std::rc::Rc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};

use crate::kernel::{Progress, ProgressCallback, Time};

/// How long a run goes before the display appears.
const SHOW_AFTER: Duration = Duration::from_millis(300);

/// How often, at most, lines written above the bar make it redraw.
const REDRAWS_PER_SECOND: u32 = 10;

/// The progress display of a run on a terminal. Clones share the bar: the kernel's callback
/// draws it, the log printer writes its lines above it ([`ProgressDisplay::above`]), and the
/// command clears it when the run is over ([`ProgressDisplay::clear`]).
#[derive(Clone, Debug)]
pub struct ProgressDisplay {
    bar: Rc<OnceCell<ProgressBar>>,
    until: Option<Time>,
    above: Rc<RefCell<Above>>,
}

/// What is written above the bar and not shown yet, and where it goes.
struct Above {
    /// Each writer above the bar (stdout, stderr) and what it holds back.
    outputs: Vec<(Box<dyn Write>, Vec<u8>)>,
    /// When the held-back lines were last shown.
    shown: Instant,
}

impl std::fmt::Debug for Above {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Above")
            .field("outputs", &self.outputs.len())
            .finish_non_exhaustive()
    }
}

impl Above {
    /// Shows what is held back, the bar taken away meanwhile.
    fn show(&mut self, bar: Option<&ProgressBar>) -> io::Result<()> {
        self.shown = Instant::now();
        if self.outputs.iter().all(|(_, held)| held.is_empty()) {
            return Ok(());
        }
        let mut write_all = || {
            let mut result = Ok(());
            for (out, held) in &mut self.outputs {
                let written = out.write_all(held).and_then(|_| out.flush());
                held.clear();
                result = result.and(written);
            }
            result
        };
        match bar {
            Some(bar) => bar.suspend(write_all),
            None => write_all(),
        }
    }

    /// Whether the held-back lines are due on screen.
    fn due(&self) -> bool {
        self.shown.elapsed() >= Duration::from_secs(1) / REDRAWS_PER_SECOND
    }
}

/// The progress display for a run (`until` gives the bar its length), or `None` when stderr
/// is not a terminal.
pub fn terminal_progress(until: Option<Time>, stderr_is_terminal: bool) -> Option<ProgressDisplay> {
    stderr_is_terminal.then(|| ProgressDisplay {
        bar: Rc::new(OnceCell::new()),
        until,
        above: Rc::new(RefCell::new(Above {
            outputs: Vec::new(),
            shown: Instant::now(),
        })),
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
            // Lines held back by a burst that has ended are shown now.
            let mut above = display.above.borrow_mut();
            if above.due() {
                let _ = above.show(Some(bar));
            }
        })
    }

    /// `out` (the terminal's stdout, or stderr), written to above the bar: the bar is taken
    /// away and drawn again below what was written, so that no copy of it stays between log
    /// lines. While the bar shows, lines are held back and shown a batch at a time.
    pub fn above(&self, out: impl Write + 'static) -> AboveBar {
        let mut above = self.above.borrow_mut();
        above.outputs.push((Box::new(out), Vec::new()));
        AboveBar {
            display: self.clone(),
            slot: above.outputs.len() - 1,
        }
    }

    /// Shows what is held back and takes the bar off the screen for good (the run is over).
    pub fn clear(&self) {
        let _ = self.above.borrow_mut().show(self.bar.get());
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}

/// See [`ProgressDisplay::above`].
#[derive(Debug)]
pub struct AboveBar {
    display: ProgressDisplay,
    /// Its writer in the display's [`Above`].
    slot: usize,
}

impl Write for AboveBar {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut above = self.display.above.borrow_mut();
        let Some(bar) = self.display.bar.get() else {
            above.show(None)?;
            return above.outputs[self.slot].0.write(buf);
        };
        above.outputs[self.slot].1.extend_from_slice(buf);
        if above.due() {
            above.show(Some(bar))?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let mut above = self.display.above.borrow_mut();
        if self.display.bar.get().is_none() {
            above.show(None)?;
        }
        above.outputs[self.slot].0.flush()
    }
}

impl Drop for AboveBar {
    fn drop(&mut self) {
        let _ = self.display.above.borrow_mut().show(self.display.bar.get());
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
