//! The executor: tasks, the run loop, and the handle processes use.
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::io::{self, Write};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::Context;

use super::channel::{channel_pair, Probe, Receiver, Sender};
use super::log::{LogPrinter, PrintedStderr, PrintedStdout, WarningPrinter};
use super::observer::{
    ChannelInfo, EndReason, EndReport, Event, LogKind, Observer, Registry, Token, Wait, Waiter,
    Waiting,
};
use super::queue::{Entry, EventQueue};
use super::waker::{take_woken, task_waker};
use super::{ProcId, TaskId, Time};

type Task = Pin<Box<dyn Future<Output = ()>>>;

/// Bounds on a run.
#[derive(Clone, Copy, Debug, Default)]
pub struct Limits {
    /// Stop before the first event later than this time.
    pub until: Option<Time>,
    /// Stop after this many events (task resumptions).
    pub max_events: Option<u64>,
}

/// A time past the end of the clock: `ticks` after `now` does not fit in a [`Time`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "time overflow: {ticks} ticks after time {now} is past the last time the clock can hold ({})",
    Time::MAX
)]
pub struct TimeOverflow {
    /// The time the delay started from.
    pub now: Time,
    /// The delay that does not fit.
    pub ticks: Time,
}

/// `ticks` after `now`. Every addition to simulated time goes through here: time never wraps.
#[inline]
pub fn time_after(now: Time, ticks: Time) -> Result<Time, TimeOverflow> {
    now.checked_add(ticks).ok_or(TimeOverflow { now, ticks })
}

/// An observer could not write its output (a transcript, a waveform, the log lines): the run
/// stopped there. The simulation itself did not fail; see [`EndReason`] for how it ended.
#[derive(Debug, thiserror::Error)]
#[error("writing simulation output failed: {0}")]
pub struct OutputError(#[from] pub io::Error);

#[derive(Clone, Copy)]
struct TaskState {
    process: ProcId,
    wait: Wait,
    site: Option<u32>,
    alive: bool,
    /// The task that stands for its process: its end is the process's end.
    is_process: bool,
}

/// Kernel state shared by the executor, channels and process handles.
pub(crate) struct Shared {
    now: Cell<Time>,
    current: Cell<TaskId>,
    queue: RefCell<EventQueue>,
    tasks: RefCell<Vec<TaskState>>,
    free_tasks: RefCell<Vec<TaskId>>,
    /// Futures spawned while the run loop holds the task table; adopted after each poll.
    spawned: RefCell<Vec<(TaskId, Task)>>,
    /// Every channel, asked at the end of a run who is still waiting on it.
    channels: RefCell<Vec<Rc<dyn WaitingParties>>>,
    has_spawned: Cell<bool>,
    /// Set when the run must stop: a process failed, or an observer could not write.
    stop: Cell<bool>,
    registry: RefCell<Registry>,
    observers: RefCell<Vec<Box<dyn Observer>>>,
    /// Some observer receives events (log lines, process ends, errors).
    observing: Cell<bool>,
    /// Some observer wants [`Event::Wait`].
    observing_waits: Cell<bool>,
    /// Some observer looks at handshakes too (see [`Observer::observes_handshakes`]).
    observing_handshakes: Cell<bool>,
    handshakes: Cell<u64>,
    failed: Cell<bool>,
    output_error: RefCell<Option<io::Error>>,
}

impl Shared {
    #[inline]
    pub(crate) fn now(&self) -> Time {
        self.now.get()
    }

    #[inline]
    pub(crate) fn current(&self) -> TaskId {
        self.current.get()
    }

    #[inline]
    pub(crate) fn schedule(&self, time: Time, task: TaskId) {
        self.queue.borrow_mut().push(time, Entry::one(task));
    }

    /// Schedules `first` then `second` at `time`, as one queue entry (the two parties of a
    /// handshake).
    #[inline]
    pub(crate) fn schedule_pair(&self, time: Time, first: TaskId, second: TaskId) {
        self.queue
            .borrow_mut()
            .push(time, Entry::pair(first, second));
    }

    /// Resumes `task` `ticks` from now; past the clock's end, a time overflow fails the run.
    #[inline]
    pub(crate) fn resume_after(&self, task: TaskId, ticks: Time) {
        match time_after(self.now(), ticks) {
            Ok(at) => self.schedule(at, task),
            Err(overflow) => self.fail(&overflow.to_string()),
        }
    }

    #[inline]
    pub(crate) fn set_wait(&self, task: TaskId, wait: Wait) {
        self.tasks.borrow_mut()[task.index()].wait = wait;
    }

    pub(crate) fn register_channel(&self, channel: Rc<dyn WaitingParties>) {
        self.channels.borrow_mut().push(channel);
    }

    #[inline]
    pub(crate) fn process_of(&self, task: TaskId) -> ProcId {
        self.tasks.borrow()[task.index()].process
    }

    /// Whether handshakes are to be reported to observers.
    #[inline]
    pub(crate) fn observing_handshakes(&self) -> bool {
        self.observing_handshakes.get()
    }

    /// Whether to report waits ([`Shared::wait_changed`]); one test on the channel's path.
    #[inline]
    pub(crate) fn observing_waits(&self) -> bool {
        self.observing_waits.get()
    }

    /// Tells the observers that `task` starts or stops waiting on `channel` at `time` (called
    /// only when [`Shared::observing_waits`]).
    #[cold]
    pub(crate) fn wait_changed(
        &self,
        channel: super::ChanId,
        party: Waiter,
        task: TaskId,
        time: Time,
        waiting: bool,
    ) {
        self.emit(&Event::Wait {
            time,
            channel,
            party,
            process: self.process_of(task),
            waiting,
        });
    }

    #[inline]
    pub(crate) fn count_handshake(&self) {
        self.handshakes.set(self.handshakes.get() + 1);
    }

    /// Hands an event to every observer; the first write error stops the run.
    pub(crate) fn emit(&self, event: &Event<'_>) {
        if !self.observing.get() {
            return;
        }
        let registry = self.registry.borrow();
        for observer in self.observers.borrow_mut().iter_mut() {
            if let Err(e) = observer.event(&registry, event) {
                self.output_error.borrow_mut().get_or_insert(e);
                self.stop.set(true);
            }
        }
    }

    /// Stops the run with a runtime error attributed to the calling process.
    pub(crate) fn fail(&self, message: &str) {
        let process = self.process_of(self.current());
        self.emit(&Event::Error {
            time: self.now(),
            process,
            message,
        });
        self.failed.set(true);
        self.stop.set(true);
    }

    fn new_task(&self, process: ProcId, is_process: bool) -> TaskId {
        let state = TaskState {
            process,
            wait: Wait::Other,
            site: None,
            alive: true,
            is_process,
        };
        let mut tasks = self.tasks.borrow_mut();
        match self.free_tasks.borrow_mut().pop() {
            Some(id) => {
                tasks[id.index()] = state;
                id
            }
            None => {
                tasks.push(state);
                TaskId::from_index(tasks.len() - 1)
            }
        }
    }

    fn add_process(&self, name: String) -> ProcId {
        self.registry.borrow_mut().add_process(name)
    }

    fn spawn_task(&self, process: ProcId, is_process: bool, future: Task) -> TaskId {
        let task = self.new_task(process, is_process);
        self.spawned.borrow_mut().push((task, future));
        self.has_spawned.set(true);
        self.schedule(self.now(), task);
        task
    }
}

/// A channel's report of the tasks waiting on it (sender, receiver).
pub(crate) trait WaitingParties {
    fn waiting(&self) -> [Option<WaitingParty>; 2];
}

/// A task waiting on a channel, as its channel reports it at the end of a run.
pub(crate) struct WaitingParty {
    pub(crate) task: TaskId,
    pub(crate) wait: Wait,
    /// Where it waits (a statement's source offset), if known.
    pub(crate) site: Option<u32>,
    /// When its event fired (a library party registers before its event).
    pub(crate) since: Time,
}

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
    shared: Rc<Shared>,
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
    /// [`without_log`](SimInit::without_log)).
    pub fn log(&self, text: &str) {
        self.log_output(LogKind::Line, text);
    }

    /// Writes a piece of log output of the given kind (see [`LogKind`]) for the calling process.
    pub fn log_output(&self, kind: LogKind, text: &str) {
        let shared = &self.shared;
        let process = shared.process_of(shared.current());
        shared.emit(&Event::Log {
            time: shared.now(),
            process,
            kind,
            text,
        });
    }

    /// True when some observer receives events; lets processes skip formatting log text.
    pub fn is_observed(&self) -> bool {
        self.shared.observing.get()
    }

    /// The name of the calling process.
    pub fn process_name(&self) -> String {
        let process = self.shared.process_of(self.shared.current());
        self.shared.registry.borrow().process(process).to_string()
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

    /// Stops the run with a runtime error attributed to the calling process: observers see
    /// the error, and the run ends with [`EndReason::Failed`] before its next event.
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

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared").field("now", &self.now()).finish()
    }
}

/// Called now and then during a run (see [`SimInit::on_progress`]).
pub type ProgressCallback = Box<dyn FnMut(&Progress)>;

/// Where a run is, for a progress display.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct Progress {
    /// The current simulated time.
    pub time: Time,
    /// Events so far (task resumptions).
    pub events: u64,
    /// Handshakes completed so far.
    pub handshakes: u64,
}

/// Events between two calls of the progress callback (a power of two: the check is a mask).
const PROGRESS_EVERY: u64 = 1 << 16;

/// The event loop and the futures it polls; shared by [`SimInit`] and [`Sim`].
struct Executor {
    shared: Rc<Shared>,
    /// By task id: the future (`None` once it has ended). The waker is made per poll from the
    /// id (no allocation, no reference count), which keeps this table at 16 bytes a task.
    tasks: Vec<Option<Task>>,
    events: u64,
    progress: Option<ProgressCallback>,
    /// Set from outside (a Ctrl-C handler) to stop the run where it is.
    interrupt: Option<Arc<AtomicBool>>,
    interrupted: bool,
}

/// A simulation being built: channels, processes and observers are added here, then
/// [`SimInit::start`] turns it into a running [`Sim`] (or [`SimInit::run`] runs it to its end).
///
/// Log lines of its processes ([`Ctx::log`]) print on standard output in ACT's format, and
/// warnings on standard error, unless [`SimInit::log_to`] or [`SimInit::without_log`] say
/// otherwise.
///
/// ```
/// use chpsim::SimInit;
///
/// let mut init = SimInit::new().without_log();
/// let (tx, rx) = init.channel_between::<u32>("src.R", "snk.L", 10);
/// init.spawn("src", async move {
///     for v in 1..=3 {
///         tx.send(v).await;
///     }
/// });
/// let snk = init.spawn("snk", async move {
///     for v in 1..=3 {
///         assert_eq!(rx.recv().await, v);
///     }
/// });
/// let finished = init.run().unwrap();
/// assert_eq!(finished.report.handshakes, 3);
/// assert_eq!(finished.registry.process(snk), "snk");
/// ```
pub struct SimInit {
    executor: Executor,
    log: Option<Box<dyn Write>>,
    warnings: Option<Box<dyn Write>>,
}

impl std::fmt::Debug for SimInit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimInit")
            .field(
                "processes",
                &self.executor.shared.registry.borrow().process_count(),
            )
            .finish_non_exhaustive()
    }
}

impl Default for SimInit {
    fn default() -> Self {
        Self::new()
    }
}

impl SimInit {
    /// An empty simulation at time 0 whose log lines print on standard output.
    pub fn new() -> Self {
        let shared = Rc::new(Shared {
            now: Cell::new(0),
            current: Cell::new(TaskId::from_index(0)),
            queue: RefCell::new(EventQueue::new()),
            tasks: RefCell::new(Vec::new()),
            free_tasks: RefCell::new(Vec::new()),
            spawned: RefCell::new(Vec::new()),
            channels: RefCell::new(Vec::new()),
            has_spawned: Cell::new(false),
            stop: Cell::new(false),
            registry: RefCell::new(Registry::default()),
            observers: RefCell::new(Vec::new()),
            observing: Cell::new(false),
            observing_waits: Cell::new(false),
            observing_handshakes: Cell::new(false),
            handshakes: Cell::new(0),
            failed: Cell::new(false),
            output_error: RefCell::new(None),
        });
        Self {
            executor: Executor {
                shared,
                tasks: Vec::new(),
                events: 0,
                progress: None,
                interrupt: None,
                interrupted: false,
            },
            log: Some(Box::new(PrintedStdout)),
            warnings: Some(Box::new(PrintedStderr)),
        }
    }

    /// Prints log lines into `out` rather than on standard output.
    pub fn log_to(mut self, out: impl Write + 'static) -> Self {
        self.log = Some(Box::new(out));
        self
    }

    /// Prints neither log lines nor warnings (observers still see them).
    pub fn without_log(mut self) -> Self {
        self.log = None;
        self.warnings = None;
        self
    }

    /// A handle for processes to reach the kernel.
    pub fn ctx(&self) -> Ctx {
        self.executor.ctx()
    }

    /// A rendezvous channel of `T`, named for outputs by `info` (its width is taken from `T`),
    /// whose handshakes take `latency` ticks after both parties are there.
    pub fn channel<T: Token>(
        &mut self,
        info: ChannelInfo,
        latency: Time,
    ) -> (Sender<T>, Receiver<T>) {
        let info = ChannelInfo {
            width: T::WIDTH,
            ..info
        };
        self.channel_with_width(info, latency)
    }

    /// A channel named by its two ends (`"src.R"`, `"snk.L"`), shown under its sending end in
    /// the waveform; see [`SimInit::channel`].
    pub fn channel_between<T: Token>(
        &mut self,
        sender_end: &str,
        receiver_end: &str,
        latency: Time,
    ) -> (Sender<T>, Receiver<T>) {
        self.channel(
            ChannelInfo::between(sender_end, receiver_end, T::WIDTH),
            latency,
        )
    }

    /// Like [`SimInit::channel`], with the waveform width given by `info`: narrower than `T`
    /// truncates its values in the waveform, wider zero-extends them (the interpreter's values
    /// carry their width this way).
    pub fn channel_with_width<T: Token>(
        &mut self,
        info: ChannelInfo,
        latency: Time,
    ) -> (Sender<T>, Receiver<T>) {
        let id = self.executor.shared.registry.borrow_mut().add_channel(info);
        channel_pair(self.executor.shared.clone(), id, latency)
    }

    /// Adds a process; processes start at time 0, in the order they were spawned.
    pub fn spawn(
        &mut self,
        name: impl Into<String>,
        future: impl Future<Output = ()> + 'static,
    ) -> ProcId {
        self.executor.spawn(name, future)
    }

    /// Adds an observer: it sees every event of the run, in order (see [`Observer`]).
    pub fn add_observer(&mut self, observer: impl Observer + 'static) {
        let shared = &self.executor.shared;
        shared.observing.set(true);
        if observer.observes_handshakes() {
            shared.observing_handshakes.set(true);
        }
        if observer.wants_waits() {
            shared.observing_waits.set(true);
        }
        shared.observers.borrow_mut().push(Box::new(observer));
    }

    /// Calls `report` every few tens of thousands of events while the simulation runs.
    pub fn on_progress(&mut self, report: ProgressCallback) {
        self.executor.progress = Some(report);
    }

    /// Stops the run at the current time, as [`EndReason::Interrupted`], once `flag` is set
    /// (from a signal handler or another thread). It is looked at when a run starts and every
    /// few tens of thousands of events, so it costs the event loop nothing.
    pub fn interrupt_when(&mut self, flag: Arc<AtomicBool>) {
        self.executor.interrupt = Some(flag);
    }

    /// Tells every observer the run starts (with every channel and process known so far) and
    /// returns the simulation, ready to run at time 0.
    pub fn start(mut self) -> Result<Sim, OutputError> {
        if let Some(log) = self.log.take() {
            self.add_observer(LogPrinter::new(log));
        }
        if let Some(warnings) = self.warnings.take() {
            self.add_observer(WarningPrinter::new(warnings));
        }
        let shared = &self.executor.shared;
        {
            let registry = shared.registry.borrow();
            for observer in shared.observers.borrow_mut().iter_mut() {
                observer.start(&registry)?;
            }
        }
        Ok(Sim {
            executor: self.executor,
            last_stop: EndReason::Idle,
        })
    }

    /// Starts the simulation, runs it until no event is left (or a process fails), and
    /// finishes it: [`SimInit::start`], [`Sim::run`] and [`Sim::finish`] in one.
    pub fn run(self) -> Result<Finished, OutputError> {
        let mut sim = self.start()?;
        let ran = sim.run();
        let finished = sim.finish();
        ran?;
        finished
    }
}

/// A running simulation (see [`SimInit::start`]): it runs in steps ([`Sim::run_until`]) or to
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
    executor: Executor,
    /// Why the last run stopped: the reason the end report gives.
    last_stop: EndReason,
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("now", &self.now())
            .field("events", &self.executor.events)
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
            events: self.executor.events,
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

impl Executor {
    fn ctx(&self) -> Ctx {
        Ctx {
            shared: self.shared.clone(),
        }
    }

    fn spawn(
        &mut self,
        name: impl Into<String>,
        future: impl Future<Output = ()> + 'static,
    ) -> ProcId {
        let process = self.ctx().spawn(name, future);
        self.adopt_spawned();
        process
    }

    fn event_loop(&mut self, limits: Limits) -> EndReason {
        let until = limits.until.unwrap_or(Time::MAX);
        let max_events = limits.max_events.unwrap_or(u64::MAX);
        let mut woken = Vec::new();
        self.check_interrupt();
        loop {
            // Advance the clock to the next time with events...
            let time = match self.shared.queue.borrow_mut().next_time() {
                None => return EndReason::Idle,
                Some(time) if time > until => {
                    self.shared.now.set(until);
                    return EndReason::Until;
                }
                Some(time) => time,
            };
            self.shared.now.set(time);
            // ...and run every event at that time, those scheduled meanwhile included.
            loop {
                if self.shared.stop.get() {
                    return if self.interrupted {
                        EndReason::Interrupted
                    } else {
                        EndReason::Failed
                    };
                }
                if self.events >= max_events {
                    return EndReason::MaxEvents;
                }
                let Some(task) = self.shared.queue.borrow_mut().pop_current() else {
                    break;
                };
                self.run_event(time, task, &mut woken);
            }
        }
    }
    /// Resumes the task(s) of one queue entry.
    fn run_event(&mut self, time: Time, task: Entry, woken: &mut Vec<TaskId>) {
        self.events += 1;
        if self.events & (PROGRESS_EVERY - 1) == 0 {
            self.check_interrupt();
            if let Some(report) = &mut self.progress {
                report(&Progress {
                    time,
                    events: self.events,
                    handshakes: self.shared.handshakes.get(),
                });
            }
        }
        self.poll_task(task.first());
        if let Some(second) = task.second() {
            self.poll_task(second);
        }
        if self.shared.has_spawned.get() {
            self.adopt_spawned();
        }
        take_woken(woken);
        if !woken.is_empty() {
            for task in woken.drain(..) {
                self.shared.schedule(time, task);
            }
        }
    }

    /// Stops the run (before its next event) if it was asked to from outside.
    fn check_interrupt(&mut self) {
        if self
            .interrupt
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::Relaxed))
            && !self.shared.failed.get()
        {
            self.interrupted = true;
            self.shared.stop.set(true);
        }
    }

    fn poll_task(&mut self, task: TaskId) {
        let Some(Some(future)) = self.tasks.get_mut(task.index()) else {
            return; // a stale wake-up of a task that has ended
        };
        self.shared.current.set(task);
        let waker = task_waker(task);
        let done = future
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_ready();
        if done {
            self.tasks[task.index()] = None;
            let state = {
                let mut tasks = self.shared.tasks.borrow_mut();
                tasks[task.index()].alive = false;
                tasks[task.index()]
            };
            self.shared.free_tasks.borrow_mut().push(task);
            if state.is_process {
                let time = self.shared.now();
                self.shared.emit(&Event::ProcessEnd {
                    time,
                    process: state.process,
                });
            }
        }
    }

    fn adopt_spawned(&mut self) {
        self.shared.has_spawned.set(false);
        let mut spawned = self.shared.spawned.borrow_mut();
        for (task, future) in spawned.drain(..) {
            let index = task.index();
            if index >= self.tasks.len() {
                self.tasks.resize_with(index + 1, || None);
            }
            self.tasks[index] = Some(future);
        }
    }

    /// What every live task waits on: a channel that holds it, else the queue (a delay, or a
    /// handshake completing later), else what it said when it parked.
    fn end_report(&self, reason: EndReason) -> EndReport {
        let mut tasks = self.shared.tasks.borrow().clone();
        self.shared.queue.borrow().for_each(|entry| {
            for task in [Some(entry.first()), entry.second()].into_iter().flatten() {
                tasks[task.index()].wait = Wait::Delay;
                tasks[task.index()].site = None;
            }
        });
        // An idle run ends when the last event fired, a library party's included.
        let mut time = self.shared.now();
        for channel in self.shared.channels.borrow().iter() {
            for party in channel.waiting().into_iter().flatten() {
                tasks[party.task.index()].wait = party.wait;
                tasks[party.task.index()].site = party.site;
                if reason == EndReason::Idle {
                    time = time.max(party.since);
                }
            }
        }
        let waiting = tasks
            .iter()
            .filter(|t| t.alive)
            .map(|t| Waiting {
                process: t.process,
                wait: t.wait,
                site: t.site,
            })
            .collect();
        EndReport {
            time,
            reason,
            handshakes: self.shared.handshakes.get(),
            events: self.events,
            waiting,
        }
    }
}

impl Drop for Executor {
    fn drop(&mut self) {
        // Processes hold channels, and channels hold the kernel: drop the futures first so the
        // reference cycle through `Shared` is broken.
        self.tasks.clear();
        self.shared.spawned.borrow_mut().clear();
        self.shared.channels.borrow_mut().clear();
    }
}
