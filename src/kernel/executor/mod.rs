//! The executor: tasks, the run loop, and the handle processes use.

mod ctx;
mod init;
mod sim;

pub use ctx::{Ctx, Delay, Park};
pub use init::SimInit;
pub use sim::{Finished, Sim, Stopped};

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::Context;

use super::observer::{EndReason, EndReport, Event, Observer, Registry, Wait, Waiter, Waiting};
use super::queue::{Entry, EventQueue};
use super::waker::{take_woken, task_waker};
use super::{ProcId, TaskId, Time};

type Task = Pin<Box<dyn Future<Output = ()>>>;

/// The task of [`Shared::schedule_trace_tick`]'s events: none (polling it does nothing).
const TRACE_TICK: TaskId = TaskId::from_index(u32::MAX as usize);

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
pub(crate) fn time_after(now: Time, ticks: Time) -> Result<Time, TimeOverflow> {
    now.checked_add(ticks).ok_or(TimeOverflow { now, ticks })
}

/// An observer could not write its output (a transcript, a waveform, the log lines): the run
/// stopped there. The simulation itself did not fail; see [`EndReason`] for how it ended.
#[derive(Debug, thiserror::Error)]
#[error("output error: cannot write the simulation's output: {0}")]
pub struct OutputError(#[from] pub io::Error);

#[derive(Clone, Copy)]
struct TaskState {
    process: ProcId,
    wait: Wait,
    site: Option<u32>,
    alive: bool,
    /// The task that stands for its process: its end is the process's end.
    is_process: bool,
    /// A task that serves the others (the circuit engine): never reported as waiting.
    daemon: bool,
}

/// What a queued event resumes (see [`Ctx::queued`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Queued {
    /// A task of `process`; a `daemon` serves the others (the circuit's).
    Task { process: ProcId, daemon: bool },
    /// A circuit's event, by its slot (see [`Ctx::schedule_circuit_event`]).
    Circuit(u32),
    /// An event that resumes nothing (see [`Shared::schedule_trace_tick`]).
    Nothing,
}

/// What fires a circuit's event, given its slot (see [`Ctx::on_circuit_event`]).
pub(crate) type CircuitEvents = Rc<dyn Fn(u32)>;

/// Kernel state shared by the executor, channels and process handles.
pub(crate) struct Shared {
    now: Cell<Time>,
    /// The last time the current run may reach (its `until`; `Time::MAX` for none).
    until: Cell<Time>,
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
    /// Circuit transitions, as the circuit engine reports them.
    transitions: Cell<u64>,
    failed: Cell<bool>,
    output_error: RefCell<Option<io::Error>>,
    /// Events so far (task resumptions). Here rather than in the executor, so that a
    /// computation can tell one event from the next ([`Ctx::event_count`]).
    events: Cell<u64>,
    /// Set from outside (a Ctrl-C handler) to stop the run where it is.
    interrupt: RefCell<Option<Arc<AtomicBool>>>,
    /// Fires a circuit's event taken from the queue (see [`Ctx::schedule_circuit_event`]).
    circuit_events: RefCell<Option<CircuitEvents>>,
    /// A task to resume once every event up to this time has run, outside the queue (see
    /// [`Ctx::resume_after_events_until`]).
    alarm: Cell<Option<(Time, TaskId)>>,
    /// The run stops because it was interrupted.
    interrupted: Cell<bool>,
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

    #[inline(always)]
    pub(crate) fn schedule(&self, time: Time, task: TaskId) {
        self.queue.borrow_mut().push(time, Entry::one(task));
    }

    /// Queues an event that resumes nothing, one tick from now: actsim queues one when it
    /// prints a watched channel's send (its delayed trace), and `step` counts it.
    pub(crate) fn schedule_trace_tick(&self) {
        if let Some(at) = self.now().checked_add(1) {
            self.schedule(at, TRACE_TICK);
        }
    }

    /// Schedules `task` to run as a part of the current event: before any other event under
    /// actsim's order, else at the current time.
    pub(crate) fn schedule_within_event(&self, task: TaskId) {
        (self.queue.borrow_mut()).push_within_event(self.now(), Entry::one(task));
    }

    /// Schedules `first` then `second` at `time`, as one queue entry (the two parties of a
    /// handshake).
    #[inline(always)]
    pub(crate) fn schedule_pair(&self, time: Time, first: TaskId, second: TaskId) {
        self.queue
            .borrow_mut()
            .push(time, Entry::pair(first, second));
    }

    /// Resumes `task` `ticks` from now; past the clock's end, a time overflow fails the run.
    /// Inlined into every handshake, with the failure out of line.
    #[inline(always)]
    pub(crate) fn resume_after(&self, task: TaskId, ticks: Time) {
        match self.now().checked_add(ticks) {
            Some(at) => self.schedule(at, task),
            None => self.fail_past_clock_end(ticks),
        }
    }

    /// Fails the run: `ticks` from now is past the clock's end.
    #[cold]
    #[inline(never)]
    pub(crate) fn fail_past_clock_end(&self, ticks: Time) {
        let overflow = TimeOverflow {
            now: self.now(),
            ticks,
        };
        self.fail(&overflow.to_string());
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
        offered: crate::kernel::TraceValue<'_>,
    ) {
        self.emit(&Event::Wait {
            time,
            channel,
            party,
            process: self.process_of(task),
            waiting,
            offered,
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

    /// Whether the run was asked from outside to stop (see [`SimInit::interrupt_when`]).
    pub(crate) fn interrupt_requested(&self) -> bool {
        (self.interrupt.borrow().as_ref()).is_some_and(|flag| flag.load(Ordering::Relaxed))
    }

    /// Stops the run (before its next event) as interrupted, if it was asked to from outside
    /// and has not failed already.
    pub(crate) fn stop_if_interrupted(&self) -> bool {
        if self.interrupt_requested() && !self.failed.get() {
            self.interrupted.set(true);
            self.stop.set(true);
        }
        self.interrupted.get()
    }

    /// See [`Ctx::pause`].
    pub(crate) fn pause(&self) {
        if !self.failed.get() {
            self.interrupted.set(true);
            self.stop.set(true);
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
            daemon: false,
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

    /// The time of the earliest event in the queue, without moving the queue on.
    pub(crate) fn next_event_time(&self) -> Option<Time> {
        self.queue.borrow().peek_time()
    }

    /// How many events are queued (a daemon sees by it whether it woke anybody).
    pub(crate) fn queued_events(&self) -> usize {
        self.queue.borrow().len()
    }

    fn spawn_task(&self, process: ProcId, is_process: bool, future: Task) -> TaskId {
        let task = self.new_task(process, is_process);
        self.spawned.borrow_mut().push((task, future));
        self.has_spawned.set(true);
        // A task's start only reaches its first event: a part of the event that spawned it.
        self.schedule_within_event(task);
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

/// Events between two looks at the interrupt flag (a power of two: the check is a mask). Few
/// enough that an interrupt is acted on at once even when each event is slow (a division of
/// million-bit numbers).
const INTERRUPT_EVERY: u64 = 1 << 8;

/// Events between two calls of the progress callback (a multiple of [`INTERRUPT_EVERY`]).
const PROGRESS_EVERY: u64 = 1 << 16;

/// The event loop and the futures it polls; shared by [`SimInit`] and [`Sim`].
struct Executor {
    shared: Rc<Shared>,
    /// By task id: the future (`None` once it has ended). The waker is made per poll from the
    /// id (no allocation, no reference count), which keeps this table at 16 bytes a task.
    tasks: Vec<Option<Task>>,
    progress: Option<ProgressCallback>,
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

    fn spawn_held(
        &mut self,
        name: impl Into<String>,
        future: impl Future<Output = ()> + 'static,
    ) -> (ProcId, TaskId) {
        let shared = &self.shared;
        let process = shared.add_process(name.into());
        let task = shared.new_task(process, true);
        let index = task.index();
        if index >= self.tasks.len() {
            self.tasks.resize_with(index + 1, || None);
        }
        self.tasks[index] = Some(Box::pin(future));
        (process, task)
    }

    fn event_loop(&mut self, limits: Limits) -> EndReason {
        let until = limits.until.unwrap_or(Time::MAX);
        self.shared.until.set(until);
        let max_events = limits.max_events.unwrap_or(u64::MAX);
        let mut woken = Vec::new();
        // A run that was interrupted (or paused) goes on when it is run again; one that
        // failed does not.
        if self.shared.interrupted.get() && !self.shared.failed.get() {
            self.shared.interrupted.set(false);
            self.shared.stop.set(false);
        }
        self.shared.stop_if_interrupted();
        // A task spawned from outside any task (the circuit's, when no process runs) is
        // adopted before its first event.
        if self.shared.has_spawned.get() {
            self.adopt_spawned();
        }
        loop {
            if let Some((at, task)) = self.shared.alarm.get() {
                let next = self.shared.queue.borrow().peek_time();
                if next.is_none_or(|next| next > at) && !self.shared.stop.get() {
                    self.shared.alarm.set(None);
                    self.resume(Entry::one(task), &mut woken);
                    continue;
                }
            }
            // Advance the clock to the next time with events...
            let mut queue = self.shared.queue.borrow_mut();
            let time = match queue.next_time() {
                None => return EndReason::Idle,
                Some(time) if time > until => {
                    queue.rewind(until.max(self.shared.now.get()));
                    self.shared.now.set(until);
                    return EndReason::Until;
                }
                Some(time) => time,
            };
            drop(queue);
            self.shared.now.set(time);
            // ...and run every event at that time, those scheduled meanwhile included.
            loop {
                if self.shared.stop.get() {
                    return if self.shared.interrupted.get() {
                        EndReason::Interrupted
                    } else {
                        EndReason::Failed
                    };
                }
                if self.shared.events.get() >= max_events {
                    return EndReason::MaxEvents;
                }
                let Some(task) = self.shared.queue.borrow_mut().pop_current() else {
                    break;
                };
                self.run_event(time, task, &mut woken);
            }
        }
    }
    /// Resumes the task(s) of one queue entry. Inlined: since [`Sim::settle`] calls it too,
    /// the compiler kept it out of line, a call on every event (5 % more instructions on the
    /// library pipeline).
    #[inline(always)]
    fn run_event(&mut self, time: Time, task: Entry, woken: &mut Vec<TaskId>) {
        let events = self.shared.events.get() + 1;
        self.shared.events.set(events);
        if events & (INTERRUPT_EVERY - 1) == 0 {
            self.now_and_then(time, events);
        }
        if let Some(slot) = task.circuit_event() {
            self.fire_circuit_event(slot);
            return;
        }
        self.resume(task, woken);
    }

    /// Fires a circuit's event (only under `chpsim actsim`): out of line, so that the common
    /// path of [`Executor::run_event`] stays as small as it was.
    #[inline(never)]
    fn fire_circuit_event(&self, slot: u32) {
        let fire = self.shared.circuit_events.borrow().clone();
        if let Some(fire) = fire {
            fire(slot);
        }
    }

    /// Resumes the task(s) of `task`, and queues those they woke.
    #[inline(always)]
    fn resume(&mut self, task: Entry, woken: &mut Vec<TaskId>) {
        self.poll_task(task.first());
        if let Some(second) = task.second() {
            self.poll_task(second);
        }
        if self.shared.has_spawned.get() {
            self.adopt_spawned();
        }
        take_woken(woken);
        if !woken.is_empty() {
            // At the clock's time, which a daemon (the circuit engine) may have moved on.
            let now = self.shared.now();
            for task in woken.drain(..) {
                self.shared.schedule(now, task);
            }
        }
    }

    /// Every [`INTERRUPT_EVERY`] events: stops the run (before its next event) if it was
    /// asked to from outside, and reports progress every [`PROGRESS_EVERY`].
    #[cold]
    #[inline(never)]
    fn now_and_then(&mut self, time: Time, events: u64) {
        self.shared.stop_if_interrupted();
        if events & (PROGRESS_EVERY - 1) == 0 {
            if let Some(report) = &mut self.progress {
                report(&Progress {
                    time,
                    events,
                    handshakes: self.shared.handshakes.get(),
                });
            }
        }
    }

    fn poll_task(&mut self, task: TaskId) {
        let Some(Some(future)) = self.tasks.get_mut(task.index()) else {
            return; // a stale wake-up of a task that has ended
        };
        self.shared.current.set(task);
        // Never dropped: dropping would call the waker's (empty) drop through its vtable on
        // every poll.
        let waker = std::mem::ManuallyDrop::new(task_waker(task));
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
        self.shared.queue.borrow().for_each(|_, entry| {
            if entry.circuit_event().is_some() {
                return;
            }
            for task in [Some(entry.first()), entry.second()].into_iter().flatten() {
                if task == TRACE_TICK {
                    continue;
                }
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
            .filter(|t| t.alive && !t.daemon)
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
            events: self.shared.events.get(),
            transitions: self.shared.transitions.get(),
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
