//! The progress display of long runs: an indicatif bar on stderr against `--until`, else a
//! spinner with simulated time and handshakes per second. It appears only when stderr is a
//! terminal and the run has lasted more than a moment, so short runs and piped output never see
//! a byte of it.
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};

use crate::kernel::{Progress, ProgressCallback, Time};

/// How long a run goes before the display appears.
const SHOW_AFTER: Duration = Duration::from_millis(300);

/// A progress callback drawing on stderr (`until` gives the bar its length), or `None` when
/// stderr is not a terminal.
pub fn terminal_progress(
    until: Option<Time>,
    stderr_is_terminal: bool,
) -> Option<ProgressCallback> {
    if !stderr_is_terminal {
        return None;
    }
    let started = Instant::now();
    let mut bar: Option<ProgressBar> = None;
    Some(Box::new(move |p: &Progress| {
        if bar.is_none() && started.elapsed() < SHOW_AFTER {
            return;
        }
        let bar = bar.get_or_insert_with(|| new_bar(until));
        let rate = p.handshakes as f64 / started.elapsed().as_secs_f64().max(1e-9);
        bar.set_message(format!(
            "{} handshakes, {:.1} M/s",
            p.handshakes,
            rate / 1e6
        ));
        bar.set_position(p.time);
        // A finished run drops this closure, and with it the bar, which clears itself.
    }))
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
