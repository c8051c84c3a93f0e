//! A running simulation as its user drives it: in steps, to its end, then its report.
use std::future::Future;

use super::{Ctx, Executor, Limits, OutputError};
use crate::kernel::observer::{EndReason, EndReport, Registry};
use crate::kernel::{ProcId, Time};

/// A running simulation (see [`SimInit::start`](super::SimInit::start)): it runs in steps ([`Sim::run_until`]) or to
/// its end ([`Sim::run`]); [`Sim::finish`] ends it and returns its report.
///
/// ```
/// use chpsim::{EndReason, SimInit};
///
/// let mut init = SimInit::new().without_log();
/// let ctx = init.ctx();
/// init.spawn("ticker", async move {
///     loop {
///         ctx.delay(10).await;
///     }
/// });
/// let mut sim = init.start().unwrap();
/// let paused = sim.run_until(95).unwrap();
/// assert_eq!((paused.reason, paused.time), (EndReason::Until, 95));
/// sim.run_until(200).unwrap();
/// let finished = sim.finish().unwrap();
/// assert_eq!(finished.report.time, 200);
/// assert_eq!(finished.report.waiting.len(), 1); // the ticker never ends
/// ```
pub struct Sim {
    pub(super) executor: Executor,
    /// Why the last run stopped: the reason the end report gives.
    pub(super) last_stop: EndReason,
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("now", &self.now())
            .field("events", &self.executor.shared.events.get())
            .field("last_stop", &self.last_stop)
            .finish_non_exhaustive()
    }
}

/// Where a run stopped: see [`Sim::run_with`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stopped {
    /// Why it stopped.
    pub reason: EndReason,
    /// The simulated time it stopped at.
    pub time: Time,
    /// Events so far (task resumptions).
    pub events: u64,
    /// Handshakes completed so far.
    pub handshakes: u64,
}

/// A finished simulation: its end report, and the names its ids refer to.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Finished {
    /// How the run ended and who still waits.
    pub report: EndReport,
    /// The names of the channels and processes.
    pub registry: Registry,
}

impl Sim {
    /// A handle for processes to reach the kernel.
    pub fn ctx(&self) -> Ctx {
        self.executor.ctx()
    }

    /// The current simulated time.
    pub fn now(&self) -> Time {
        self.executor.shared.now()
    }

    /// Adds a process while the simulation runs; it starts at the current time.
    pub fn spawn(
        &mut self,
        name: impl Into<String>,
        future: impl Future<Output = ()> + 'static,
    ) -> ProcId {
        self.executor.spawn(name, future)
    }

    /// Runs what is a part of the current event (the processes' starts, which queue their
    /// first events; the circuit's first evaluation) and nothing else: under `chpsim actsim`,
    /// what actsim does before it reads its first command. Without actsim's order, nothing.
    pub(crate) fn settle(&mut self) {
        let executor = &mut self.executor;
        if executor.shared.has_spawned.get() {
            executor.adopt_spawned();
        }
        let mut woken = Vec::new();
        let now = executor.shared.now();
        loop {
            let Some(task) = executor.shared.queue.borrow_mut().pop_within_event() else {
                break;
            };
            executor.run_event(now, task, &mut woken);
        }
    }

    /// Runs until no event is left, or a process fails.
    pub fn run(&mut self) -> Result<Stopped, OutputError> {
        self.run_with(Limits::default())
    }

    /// Runs up to time `until` and pauses there; the run can go on with any `run` method.
    pub fn run_until(&mut self, until: Time) -> Result<Stopped, OutputError> {
        self.run_with(Limits {
            until: Some(until),
            max_events: None,
        })
    }

    /// Runs within `limits` (`max_events` counts the events of the whole run, not only of this
    /// call). An observer that fails to write stops the run with its error; the simulation
    /// can still be finished.
    pub fn run_with(&mut self, limits: Limits) -> Result<Stopped, OutputError> {
        let reason = self.executor.event_loop(limits);
        self.last_stop = reason;
        if let Some(e) = self.executor.shared.output_error.borrow_mut().take() {
            return Err(e.into());
        }
        let shared = &self.executor.shared;
        Ok(Stopped {
            reason,
            time: shared.now(),
            events: shared.events.get(),
            handshakes: shared.handshakes.get(),
        })
    }

    /// Ends the simulation where it is: every observer's `finish` is called once, with the end
    /// report (its reason is why the last run stopped), and the report and the names of
    /// channels and processes are returned. The first observer error, if any, is returned
    /// after every observer has been finished.
    pub fn finish(self) -> Result<Finished, OutputError> {
        let report = self.executor.end_report(self.last_stop);
        let shared = &self.executor.shared;
        let mut first_error = None;
        {
            let registry = shared.registry.borrow();
            for observer in shared.observers.borrow_mut().iter_mut() {
                if let Err(e) = observer.finish(&registry, &report) {
                    first_error.get_or_insert(e);
                }
            }
        }
        if let Some(e) = first_error {
            return Err(e.into());
        }
        let registry = std::mem::take(&mut *shared.registry.borrow_mut());
        Ok(Finished { report, registry })
    }
}
