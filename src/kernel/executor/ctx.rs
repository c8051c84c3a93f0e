//! The handle processes use ([`Ctx`]) and the futures it returns.
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::Context;

use super::{time_after, Shared, TimeOverflow};
use crate::kernel::channel::Probe;
use crate::kernel::observer::{Event, LogKind, MethodStep, NodeChange, TraceValue, Wait, Waiter};
use crate::kernel::{Level, NodeId, ProcId, TaskId, Time, VarId};

/// A process's handle on the kernel: the clock, delays, log lines, spawning, failing. Cheap to
/// clone; every process that needs one captures its own clone.
///
/// ```
/// use chpsim::{SimInit, Time};
///
/// let mut init = SimInit::new().without_log();
/// let ctx = init.ctx();
/// init.spawn("ticker", async move {
///     for _ in 0..3 {
///         ctx.delay(10).await;
///     }
///     assert_eq!(ctx.now(), 30);
/// });
/// let finished = init.run().unwrap();
/// assert_eq!(finished.report.time, 30 as Time);
/// ```
#[derive(Clone)]
pub struct Ctx {
    pub(super) shared: Rc<Shared>,
}

impl std::fmt::Debug for Ctx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx").field("now", &self.now()).finish()
    }
}

impl Ctx {
    /// The current simulated time.
    pub fn now(&self) -> Time {
        self.shared.now()
    }

    /// `ticks` after the current time (a statement's delay); an error past the clock's end.
    #[inline]
    pub fn after(&self, ticks: Time) -> Result<Time, TimeOverflow> {
        time_after(self.now(), ticks)
    }

    /// Waits `ticks` of simulated time (0 lets every other event at this time run first).
    /// A delay past the clock's end fails the run (a time overflow).
    pub fn delay(&self, ticks: Time) -> Delay<'_> {
        Delay {
            shared: &self.shared,
            until: None,
            ticks,
        }
    }

    /// Writes a log line attributed to the calling process (printed as ACT's simulator does,
    /// `[time] <process>  text`, unless the simulation was built
    /// [`without_log`](super::SimInit::without_log)).
    pub fn log(&self, text: &str) {
        self.log_output(LogKind::Line, text);
    }

    /// Writes a piece of log output of the given kind (see [`LogKind`]) for the calling process.
    pub fn log_output(&self, kind: LogKind, text: &str) {
        self.emit_log(kind, text, false);
    }

    /// [`Ctx::log_output`] that actsim's `filter` does not hide (see [`Event::Log`]).
    pub(crate) fn log_unfiltered(&self, kind: LogKind, text: &str) {
        self.emit_log(kind, text, true);
    }

    fn emit_log(&self, kind: LogKind, text: &str, unfiltered: bool) {
        let process = self.shared.process_of(self.shared.current());
        self.emit_log_for(process, kind, text, unfiltered);
    }

    /// Whether an observer hides the calling process's log output (actsim's `filter`): the
    /// process then leaves its `log` (`warn`, ...) statements unevaluated, as actsim does.
    pub(crate) fn log_hidden(&self) -> bool {
        let shared = &self.shared;
        if !shared.observing.get() {
            return false;
        }
        let process = shared.process_of(shared.current());
        let registry = shared.registry.borrow();
        (shared.observers.borrow().iter()).any(|o| o.hides_log_of(&registry, process))
    }

    /// True when some observer receives events; lets processes skip formatting log text.
    pub fn is_observed(&self) -> bool {
        self.shared.observing.get()
    }

    /// Tells the observers that `variable` (see [`super::SimInit::variable`]) now holds
    /// `value`.
    pub fn record_variable(&self, variable: VarId, value: TraceValue<'_>) {
        let shared = &self.shared;
        shared.emit(&Event::Variable {
            time: shared.now(),
            variable,
            value,
        });
    }

    /// The name of the calling process as messages show it (see [`Registry::shown_process`](crate::kernel::Registry::shown_process)).
    pub fn process_name(&self) -> String {
        let process = self.shared.process_of(self.shared.current());
        self.shared
            .registry
            .borrow()
            .shown_process(process)
            .to_string()
    }

    /// Starts a new process now (it first runs after the events already due at this time).
    pub fn spawn(
        &self,
        name: impl Into<String>,
        future: impl Future<Output = ()> + 'static,
    ) -> ProcId {
        let process = self.shared.add_process(name.into());
        self.shared.spawn_task(process, true, Box::pin(future));
        process
    }

    /// Starts a parallel branch of the calling process (its events carry the process's name).
    pub fn spawn_branch(&self, future: impl Future<Output = ()> + 'static) -> TaskId {
        let process = self.shared.process_of(self.shared.current());
        self.shared.spawn_task(process, false, Box::pin(future))
    }

    /// The calling task.
    pub fn current_task(&self) -> TaskId {
        self.shared.current()
    }

    /// Makes `task` runnable now (used to resume a task parked with [`Ctx::park`]).
    pub fn wake(&self, task: TaskId) {
        self.shared.schedule(self.shared.now(), task);
    }

    /// Queues an event that does nothing, one tick from now (see
    /// [`Shared::schedule_trace_tick`]).
    pub(crate) fn trace_tick(&self) {
        self.shared.schedule_trace_tick();
    }

    /// Makes `task` runnable as a part of the current event (see
    /// [`Shared::schedule_within_event`]): the forking thread going on after its join.
    pub(crate) fn wake_within_event(&self, task: TaskId) {
        self.shared.schedule_within_event(task);
    }

    /// Suspends the calling task until something resumes it ([`Ctx::wake`], a watched
    /// channel); `wait` says what it waits for, for the end-of-run report. A task can be
    /// resumed for another reason than the one it waits for: check, and park again if needed.
    pub fn park(&self, wait: Wait) -> Park<'_> {
        Park::new(&self.shared, wait)
    }

    /// Waits until the other party of one of `ends` is waiting (a probe that holds), and
    /// returns the index of the first such end in `ends`: the probe-select of a merge, which
    /// then receives from (or sends on) that end.
    ///
    /// ```
    /// use chpsim::SimInit;
    ///
    /// let mut init = SimInit::new().without_log();
    /// let (a_out, a_in) = init.channel_between::<u8>("a.R", "merge.A", 10);
    /// let (b_out, b_in) = init.channel_between::<u8>("b.R", "merge.B", 10);
    /// let (ctx_b, ctx_m) = (init.ctx(), init.ctx());
    /// init.spawn("a", async move { a_out.send(1).await });
    /// init.spawn("b", async move {
    ///     ctx_b.delay(5).await;
    ///     b_out.send(2).await;
    /// });
    /// init.spawn("merge", async move {
    ///     let mut got = Vec::new();
    ///     for _ in 0..2 {
    ///         got.push(match ctx_m.first_ready(&[&a_in, &b_in]).await {
    ///             0 => a_in.recv().await,
    ///             _ => b_in.recv().await,
    ///         });
    ///     }
    ///     assert_eq!(got, [1, 2]);
    /// });
    /// assert_eq!(init.run().unwrap().report.handshakes, 2);
    /// ```
    pub async fn first_ready(&self, ends: &[&dyn Probe]) -> usize {
        loop {
            if let Some(ready) = ends.iter().position(|end| end.probe()) {
                return ready;
            }
            ends.iter().for_each(|end| end.watch());
            self.park(Wait::Probe).await;
            ends.iter().for_each(|end| end.unwatch());
        }
    }

    /// Starts a task that serves the others (the circuit engine): it runs like a process,
    /// under the name `name`, but is never reported as waiting when the run ends.
    pub(crate) fn spawn_daemon(
        &self,
        name: impl Into<String>,
        future: impl Future<Output = ()> + 'static,
    ) -> TaskId {
        let process = self.shared.add_process(name.into());
        let task = self.shared.spawn_task(process, true, Box::pin(future));
        self.shared.tasks.borrow_mut()[task.index()].daemon = true;
        task
    }

    /// A name for log output that no task has (a circuit instance warning), registered now.
    pub(crate) fn add_log_name(&self, name: impl Into<String>) -> ProcId {
        self.shared.add_process(name.into())
    }

    /// Writes a log line attributed to `process`.
    pub(crate) fn log_for(&self, process: ProcId, kind: LogKind, text: &str) {
        self.emit_log_for(process, kind, text, false);
    }

    /// Writes a log line (of `kind`) attributed to `process` that actsim's `filter` does not
    /// hide.
    pub(crate) fn log_for_unfiltered(&self, process: ProcId, kind: LogKind, text: &str) {
        self.emit_log_for(process, kind, text, true);
    }

    fn emit_log_for(&self, process: ProcId, kind: LogKind, text: &str, unfiltered: bool) {
        let shared = &self.shared;
        shared.emit(&Event::Log {
            time: shared.now(),
            process,
            kind,
            text,
            unfiltered,
        });
    }

    /// Tells the observers that circuit node `node` now holds `value`, changed `by` that.
    #[inline]
    pub(crate) fn record_node(&self, node: NodeId, value: Level, by: NodeChange<'_>) {
        let shared = &self.shared;
        shared.emit(&Event::Node {
            time: shared.now(),
            node,
            value,
            by,
        });
    }

    /// Whether an observer asks for waits (and [`Event::Method`]s): what such an event needs
    /// is worth computing.
    pub(crate) fn observes_waits(&self) -> bool {
        self.shared.observing_waits()
    }

    /// Tells the observers (those that ask for waits) that the calling process's end of
    /// channel `channel` between CHP and a circuit, as `party`, ran its methods to `step`.
    pub(crate) fn method_step(&self, channel: u32, party: Waiter, step: MethodStep<'_>) {
        let shared = &self.shared;
        if !shared.observing_waits() {
            return;
        }
        shared.emit(&Event::Method {
            time: shared.now(),
            channel,
            process: shared.process_of(shared.current()),
            party,
            step,
        });
    }

    /// Tells the observers the circuit printed a warning (see [`Event::CircuitWarning`]).
    pub(crate) fn circuit_warning(&self, in_transition: bool) {
        let shared = &self.shared;
        shared.emit(&Event::CircuitWarning {
            time: shared.now(),
            in_transition,
        });
    }

    /// The process of the calling task.
    pub(crate) fn current_process(&self) -> ProcId {
        self.shared.process_of(self.shared.current())
    }

    /// Sets the count of circuit transitions the end report gives.
    pub(crate) fn set_transitions(&self, transitions: u64) {
        self.shared.transitions.set(transitions);
    }

    /// Resumes `task` at `time` (not before the current time).
    pub(crate) fn wake_at(&self, task: TaskId, time: Time) {
        self.shared.schedule(time, task);
    }

    /// Queues a circuit's event `slot` at `time`, among the tasks' events (`chpsim actsim`'s
    /// one queue); the handler given to [`Ctx::on_circuit_event`] fires it.
    #[inline]
    pub(crate) fn schedule_circuit_event(&self, time: Time, slot: u32) {
        (self.shared.queue.borrow_mut()).push(time, super::Entry::circuit(slot));
    }

    /// What fires a circuit's event when the queue reaches it.
    pub(crate) fn on_circuit_event(&self, fire: super::CircuitEvents) {
        *self.shared.circuit_events.borrow_mut() = Some(fire);
    }

    /// Resumes the calling task once every queued event up to `time` has run (and those they
    /// queue), at the time of the last of them, without an event of its own in the queue:
    /// actsim's reset phase, which runs the simulation on from outside it.
    pub(crate) fn resume_after_events_until(&self, time: Time) {
        self.shared.alarm.set(Some((time, self.shared.current())));
    }

    /// The time set by [`Ctx::resume_after_events_until`], while a task waits for it: a daemon
    /// that fires its own events fires none later than it first.
    pub(crate) fn alarm_time(&self) -> Option<Time> {
        self.shared.alarm.get().map(|(time, _)| time)
    }

    /// Moves the clock on to `time` from inside a task: only for a daemon that fires its own
    /// events, up to (not including) [`Ctx::next_event_time`] and within [`Ctx::until`].
    pub(crate) fn advance_to(&self, time: Time) {
        debug_assert!(time >= self.shared.now());
        self.shared.now.set(time);
    }

    /// The time of the earliest event queued in the kernel (the running task's own is out).
    pub(crate) fn next_event_time(&self) -> Option<Time> {
        self.shared.next_event_time()
    }

    /// How many events are queued in the kernel.
    pub(crate) fn queued_events(&self) -> usize {
        self.shared.queued_events()
    }

    /// The instance path of process `id` (empty for the top process).
    pub(crate) fn process_path(&self, id: ProcId) -> String {
        self.shared.registry.borrow().process(id).to_string()
    }

    /// Every queued event with its time, in the queue's order (see [`super::EventQueue::for_each`]):
    /// what it resumes. A pair of tasks is two.
    pub(crate) fn queued(&self) -> Vec<(Time, super::Queued)> {
        let tasks = self.shared.tasks.borrow();
        let mut queued = Vec::new();
        self.shared.queue.borrow().for_each(|time, entry| {
            if let Some(slot) = entry.circuit_event() {
                return queued.push((time, super::Queued::Circuit(slot)));
            }
            for task in [Some(entry.first()), entry.second()].into_iter().flatten() {
                let what = match task {
                    super::TRACE_TICK => super::Queued::Nothing,
                    task => {
                        let state = &tasks[task.index()];
                        super::Queued::Task {
                            process: state.process,
                            daemon: state.daemon,
                        }
                    }
                };
                queued.push((time, what));
            }
        });
        queued
    }

    /// The last time the current run may reach.
    pub(crate) fn until(&self) -> Time {
        self.shared.until.get()
    }

    /// For hand-written futures: resumes the calling task at `time` (it returns `Pending` now).
    pub(crate) fn resume_at(&self, time: Time) {
        self.shared.schedule(time, self.shared.current());
    }

    /// For hand-written futures about to return `Pending` until something wakes them: what the
    /// calling task waits for and where, for the end-of-run report.
    pub(crate) fn note_wait(&self, wait: Wait, site: Option<u32>) {
        let task = self.shared.current();
        let mut tasks = self.shared.tasks.borrow_mut();
        tasks[task.index()].wait = wait;
        tasks[task.index()].site = site;
    }

    /// Takes the current event back from the count of events: a resumption that is not an
    /// event of its own for the one counting (actsim's `step`, which counts a thread's first
    /// statement but not its start). Only `max_events` and the reports see the difference.
    pub(crate) fn uncount_event(&self) {
        let events = &self.shared.events;
        events.set(events.get().saturating_sub(1));
    }

    /// Events of the run so far: the current event's number, while it runs.
    pub(crate) fn event_count(&self) -> u64 {
        self.shared.events.get()
    }

    /// Whether the run was asked from outside to stop (see [`super::SimInit::interrupt_when`]): a
    /// long computation inside one event looks at it now and then.
    pub(crate) fn interrupt_requested(&self) -> bool {
        self.shared.interrupt_requested()
    }

    /// Stops the run as interrupted, from inside an event that gives up its computation (see
    /// [`Ctx::interrupt_requested`]).
    pub(crate) fn stop_interrupted(&self) {
        self.shared.stop_if_interrupted();
    }

    /// Stops the run before its next event, as interrupted, whether or not it was asked to
    /// from outside (actsim's breakpoints); the next `run` goes on from there.
    pub(crate) fn pause(&self) {
        self.shared.pause();
    }

    /// Stops the run with a runtime error attributed to the calling process: observers see
    /// the error, and the run ends with [`EndReason::Failed`](crate::kernel::EndReason::Failed) before its next event.
    pub fn fail(&self, message: &str) {
        self.shared.fail(message);
    }
}

/// Future returned by [`Ctx::delay`].
#[must_use = "a delay does nothing until it is awaited"]
#[derive(Debug)]
pub struct Delay<'a> {
    shared: &'a Shared,
    until: Option<Time>,
    ticks: Time,
}

impl Future for Delay<'_> {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> std::task::Poll<()> {
        let now = self.shared.now();
        match self.until {
            Some(until) if now >= until => std::task::Poll::Ready(()),
            Some(_) => std::task::Poll::Pending,
            None => {
                match time_after(now, self.ticks) {
                    Ok(until) => {
                        self.until = Some(until);
                        self.shared.schedule(until, self.shared.current());
                    }
                    // Never resumed: the failure stops the run.
                    Err(overflow) => self.shared.fail(&overflow.to_string()),
                }
                std::task::Poll::Pending
            }
        }
    }
}

/// Future returned by [`Ctx::park`]: pending once, ready when the task is next resumed.
#[must_use = "a park does nothing until it is awaited"]
#[derive(Debug)]
pub struct Park<'a> {
    shared: &'a Shared,
    wait: Wait,
    parked: bool,
}

impl<'a> Park<'a> {
    pub(crate) fn new(shared: &'a Shared, wait: Wait) -> Self {
        Park {
            shared,
            wait,
            parked: false,
        }
    }
}

impl Future for Park<'_> {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> std::task::Poll<()> {
        if self.parked {
            return std::task::Poll::Ready(());
        }
        self.parked = true;
        let task = self.shared.current();
        self.shared.set_wait(task, self.wait);
        std::task::Poll::Pending
    }
}
