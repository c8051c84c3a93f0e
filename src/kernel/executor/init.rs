//! Building a simulation: [`SimInit`].
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::io::Write;
use std::rc::Rc;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use super::{Ctx, Executor, Finished, OutputError, ProgressCallback, Shared, Sim};
use crate::kernel::channel::{channel_pair, Receiver, Sender};
use crate::kernel::log::{LogPrinter, PrintedStderr, PrintedStdout, WarningPrinter};
use crate::kernel::observer::{ChannelInfo, EndReason, Observer, Registry, Token, VariableInfo};
use crate::kernel::queue::EventQueue;
use crate::kernel::{ProcId, TaskId, Time};

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
            until: Cell::new(Time::MAX),
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
            transitions: Cell::new(0),
            failed: Cell::new(false),
            output_error: RefCell::new(None),
            events: Cell::new(0),
            interrupt: RefCell::new(None),
            interrupted: Cell::new(false),
            circuit_events: RefCell::new(None),
            alarm: Cell::new(None),
        });
        Self {
            executor: Executor {
                shared,
                tasks: Vec::new(),
                progress: None,
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

    /// Orders the events of the same time as actsim's event queue does rather than first in,
    /// first out (`chpsim actsim`; see the queue's `ActsimOrder`). Call before spawning.
    pub(crate) fn order_as_actsim(&mut self) {
        self.executor.shared.queue.borrow_mut().order_as_actsim();
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

    /// Names the process with the empty path in messages (see [`Registry::set_top_name`]).
    pub fn name_top(&mut self, name: impl Into<String>) {
        (self.executor.shared.registry.borrow_mut()).set_top_name(name);
    }

    /// Registers a process whose task is not started: something in the run starts it later
    /// ([`Ctx::wake_at`] with the returned task; actsim's reset phase holds processes so).
    pub(crate) fn spawn_held(
        &mut self,
        name: impl Into<String>,
        future: impl Future<Output = ()> + 'static,
    ) -> (ProcId, TaskId) {
        self.executor.spawn_held(name, future)
    }

    /// Registers a variable whose writes a process reports with [`Ctx::record_variable`], for
    /// the waveform. Observers see the variables registered before the run starts.
    pub fn variable(&mut self, info: VariableInfo) -> crate::kernel::VarId {
        (self.executor.shared.registry.borrow_mut()).add_variable(info)
    }

    /// Registers a circuit node by its path (`top.r.x[5]`), whose changes are reported as
    /// [`Event::Node`](crate::kernel::Event::Node)s; observers see the nodes registered before
    /// the run starts.
    pub fn node(&mut self, path: impl Into<String>) -> crate::kernel::NodeId {
        (self.executor.shared.registry.borrow_mut()).add_node(path)
    }

    /// Gives circuit node `id` another name (see [`Registry::add_node_alias`]).
    ///
    /// [`Registry::add_node_alias`]: crate::kernel::Registry::add_node_alias
    pub fn node_alias(&mut self, id: crate::kernel::NodeId, path: impl Into<String>) {
        (self.executor.shared.registry.borrow_mut()).add_node_alias(id, path)
    }

    /// Registers a channel between a CHP end and a circuit by its names (see
    /// [`Registry::add_wired_channel`]); observers see those registered before the run starts.
    pub fn wired_channel(&mut self, names: Box<[String]>) -> u32 {
        (self.executor.shared.registry.borrow_mut()).add_wired_channel(names)
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
    /// few hundred events (which costs the event loop nothing), and by computations that take
    /// no simulated time (an interpreted function's loops).
    pub fn interrupt_when(&mut self, flag: Arc<AtomicBool>) {
        *self.executor.shared.interrupt.borrow_mut() = Some(flag);
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
        // Tasks spawned through a `Ctx` while building (the circuit's daemon) are polled
        // from their first event on, even when nothing else runs before it.
        if self.executor.shared.has_spawned.get() {
            self.executor.adopt_spawned();
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
