//! The executor: tasks, the run loop, and the handle processes use.
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::Context;

use super::channel::{channel_pair, Receiver, Sender};
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
    pub now: Time,
    pub ticks: Time,
}

/// `ticks` after `now`. Every addition to simulated time goes through here: time never wraps.
#[inline]
pub fn time_after(now: Time, ticks: Time) -> Result<Time, TimeOverflow> {
    now.checked_add(ticks).ok_or(TimeOverflow { now, ticks })
}

/// A run could not complete because an observer failed to write its output.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("writing simulation output failed: {0}")]
    Output(#[from] io::Error),
}

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
    observing: Cell<bool>,
    /// Some observer wants [`Event::Wait`].
    observing_waits: Cell<bool>,
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
        self.tasks.borrow_mut()[task as usize].wait = wait;
    }

    pub(crate) fn register_channel(&self, channel: Rc<dyn WaitingParties>) {
        self.channels.borrow_mut().push(channel);
    }

    #[inline]
    pub(crate) fn process_of(&self, task: TaskId) -> ProcId {
        self.tasks.borrow()[task as usize].process
    }

    #[inline]
    pub(crate) fn observing(&self) -> bool {
        self.observing.get()
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
                tasks[id as usize] = state;
                id
            }
            None => {
                tasks.push(state);
                (tasks.len() - 1) as TaskId
            }
        }
    }

    fn add_process(&self, name: String) -> ProcId {
        let mut registry = self.registry.borrow_mut();
        registry.processes.push(name);
        (registry.processes.len() - 1) as ProcId
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

/// A process's handle on the kernel. Cheap to clone.
#[derive(Clone)]
pub struct Ctx {
    shared: Rc<Shared>,
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

    /// Writes a log line attributed to the calling process.
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
        self.shared.observing()
    }

    /// The name of the calling process.
    pub fn process_name(&self) -> String {
        let process = self.shared.process_of(self.shared.current());
        self.shared.registry.borrow().process(process).to_string()
    }

    /// Starts a new process while the simulation runs.
    pub fn spawn(&self, name: impl Into<String>, future: impl Future<Output = ()> + 'static) {
        let process = self.shared.add_process(name.into());
        self.shared.spawn_task(process, true, Box::pin(future));
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

    /// Suspends the calling task until something wakes it (a watched channel, [`Ctx::wake`]).
    /// `wait` says what it waits for, for the end-of-run report.
    pub fn park(&self, wait: Wait) -> Park<'_> {
        Park::new(&self.shared, wait)
    }

    /// For hand-written futures: resumes the calling task at `time` (it returns `Pending` now).
    pub fn resume_at(&self, time: Time) {
        self.shared.schedule(time, self.shared.current());
    }

    /// For hand-written futures about to return `Pending` until something wakes them: what the
    /// calling task waits for and where, for the end-of-run report.
    pub fn note_wait(&self, wait: Wait, site: Option<u32>) {
        let task = self.shared.current();
        let mut tasks = self.shared.tasks.borrow_mut();
        tasks[task as usize].wait = wait;
        tasks[task as usize].site = site;
    }

    /// Records where the calling task is (e.g. a statement's source offset), reported if it is
    /// still waiting at the end of the run. Channel operations carry their own site
    /// ([`Sender::send_at`]); this is for waits that are not on a channel.
    pub fn set_site(&self, site: u32) {
        let task = self.shared.current();
        self.shared.tasks.borrow_mut()[task as usize].site = Some(site);
    }

    /// Stops the run with a runtime error attributed to the calling process.
    pub fn fail(&self, message: &str) {
        self.shared.fail(message);
    }

    /// True once [`Ctx::fail`] was called: processes should stop doing work.
    pub fn has_failed(&self) -> bool {
        self.shared.failed.get()
    }
}

/// Future returned by [`Ctx::delay`].
#[must_use = "a delay does nothing until it is awaited"]
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

/// A simulation: processes, channels, observers, and the clock.
pub struct Sim {
    shared: Rc<Shared>,
    /// By task id: the future (`None` once it has ended). The waker is made per poll from the
    /// id (no allocation, no reference count), which keeps this table at 16 bytes a task.
    tasks: Vec<Option<Task>>,
    events: u64,
    started: bool,
    /// Why the last [`Sim::run_until`] stopped, while the run is paused there.
    paused: Option<EndReason>,
    progress: Option<ProgressCallback>,
    /// Set from outside (a Ctrl-C handler) to stop the run where it is.
    interrupt: Option<Arc<AtomicBool>>,
    interrupted: bool,
}

/// Called now and then during a run (see [`Sim::on_progress`]).
pub type ProgressCallback = Box<dyn FnMut(&Progress)>;

/// Where a run is, for a progress display.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    pub time: Time,
    pub events: u64,
    pub handshakes: u64,
}

/// Events between two calls of the progress callback (a power of two: the check is a mask).
const PROGRESS_EVERY: u64 = 1 << 16;

impl Default for Sim {
    fn default() -> Self {
        Self::new()
    }
}

impl Sim {
    pub fn new() -> Self {
        let shared = Rc::new(Shared {
            now: Cell::new(0),
            current: Cell::new(0),
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
            handshakes: Cell::new(0),
            failed: Cell::new(false),
            output_error: RefCell::new(None),
        });
        Self {
            shared,
            tasks: Vec::new(),
            events: 0,
            started: false,
            paused: None,
            interrupt: None,
            interrupted: false,
            progress: None,
        }
    }

    /// A handle for processes to reach the kernel.
    pub fn ctx(&self) -> Ctx {
        Ctx {
            shared: self.shared.clone(),
        }
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

    /// Like [`Sim::channel`], with the waveform width given by `info` (for dynamically typed
    /// payloads such as the interpreter's values).
    pub fn channel_with_width<T: Token>(
        &mut self,
        info: ChannelInfo,
        latency: Time,
    ) -> (Sender<T>, Receiver<T>) {
        let id = {
            let mut registry = self.shared.registry.borrow_mut();
            registry.channels.push(info);
            (registry.channels.len() - 1) as super::ChanId
        };
        channel_pair(self.shared.clone(), id, latency)
    }

    /// Adds a process; it starts at time 0 (or now, if the run has begun), in spawn order.
    pub fn spawn(&mut self, name: impl Into<String>, future: impl Future<Output = ()> + 'static) {
        self.ctx().spawn(name, future);
        self.adopt_spawned();
    }

    /// Calls `report` every few tens of thousands of events while the simulation runs.
    pub fn on_progress(&mut self, report: ProgressCallback) {
        self.progress = Some(report);
    }

    /// Stops the run at the current time, as [`EndReason::Interrupted`], once `flag` is set
    /// (from a signal handler or another thread). It is looked at when a run starts and every
    /// few tens of thousands of events, so it costs the event loop nothing.
    pub fn interrupt_when(&mut self, flag: Arc<AtomicBool>) {
        self.interrupt = Some(flag);
    }

    pub fn add_observer(&mut self, observer: Box<dyn Observer>) {
        if observer.wants_waits() {
            self.shared.observing_waits.set(true);
        }
        self.shared.observers.borrow_mut().push(observer);
        self.shared.observing.set(true);
    }

    /// Moves the names of channels and processes out (at the end of a run, to keep them with
    /// its report without copying).
    pub fn take_registry(&mut self) -> Registry {
        std::mem::take(&mut *self.shared.registry.borrow_mut())
    }

    /// The names of channels and processes, for reading ids in reports.
    pub fn registry(&self) -> std::cell::Ref<'_, Registry> {
        self.shared.registry.borrow()
    }

    pub fn now(&self) -> Time {
        self.shared.now()
    }

    /// Runs until no event is left, then ends the run (see [`Sim::run_with`]).
    pub fn run(&mut self) -> Result<EndReport, RunError> {
        self.run_with(Limits::default())
    }

    /// Runs up to time `until` and pauses there: the run can go on with another `run_until`,
    /// [`Sim::run`] or [`Sim::run_with`], and ends (observers see its end once) with one of the
    /// latter two or with [`Sim::end`].
    pub fn run_until(&mut self, until: Time) -> Result<EndReport, RunError> {
        self.start()?;
        let reason = self.event_loop(Limits {
            until: Some(until),
            max_events: None,
        });
        self.paused = Some(reason);
        if let Some(e) = self.shared.output_error.borrow_mut().take() {
            return Err(e.into());
        }
        Ok(self.end_report(reason))
    }

    /// Runs within `limits`, then ends the run: observers see its end.
    pub fn run_with(&mut self, limits: Limits) -> Result<EndReport, RunError> {
        self.start()?;
        let reason = self.event_loop(limits);
        self.finish_run(reason)
    }

    /// Ends a run paused by [`Sim::run_until`] where it is: observers see its end.
    pub fn end(&mut self) -> Result<EndReport, RunError> {
        self.start()?;
        let reason = self.paused.unwrap_or(EndReason::Idle);
        self.finish_run(reason)
    }

    fn start(&mut self) -> Result<(), RunError> {
        if !self.started {
            self.started = true;
            let registry = self.shared.registry.borrow();
            for observer in self.shared.observers.borrow_mut().iter_mut() {
                observer.start(&registry)?;
            }
        }
        Ok(())
    }

    /// Tells observers the run ended, once: a run that goes on after its end is not observed.
    fn finish_run(&mut self, reason: EndReason) -> Result<EndReport, RunError> {
        self.paused = None;
        let report = self.end_report(reason);
        if let Some(e) = self.shared.output_error.borrow_mut().take() {
            return Err(e.into());
        }
        self.shared.observing_waits.set(false);
        if !self.shared.observing.replace(false) {
            return Ok(report);
        }
        let registry = self.shared.registry.borrow();
        for observer in self.shared.observers.borrow_mut().iter_mut() {
            observer.finish(&registry, &report)?;
        }
        Ok(report)
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
        let Some(Some(future)) = self.tasks.get_mut(task as usize) else {
            return; // a stale wake-up of a task that has ended
        };
        self.shared.current.set(task);
        let waker = task_waker(task);
        let done = future
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_ready();
        if done {
            self.tasks[task as usize] = None;
            let state = {
                let mut tasks = self.shared.tasks.borrow_mut();
                tasks[task as usize].alive = false;
                tasks[task as usize]
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
            let index = task as usize;
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
                tasks[task as usize].wait = Wait::Delay;
                tasks[task as usize].site = None;
            }
        });
        // An idle run ends when the last event fired, a library party's included.
        let mut time = self.shared.now();
        for channel in self.shared.channels.borrow().iter() {
            for party in channel.waiting().into_iter().flatten() {
                tasks[party.task as usize].wait = party.wait;
                tasks[party.task as usize].site = party.site;
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

impl Drop for Sim {
    fn drop(&mut self) {
        // Processes hold channels, and channels hold the kernel: drop the futures first so the
        // reference cycle through `Shared` is broken.
        self.tasks.clear();
        self.shared.spawned.borrow_mut().clear();
        self.shared.channels.borrow_mut().clear();
    }
}

/// Convenience for tests and examples: a channel named by its two ends.
impl Sim {
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
}
