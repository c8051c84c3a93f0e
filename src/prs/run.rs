//! The engine on the kernel: one daemon task fires the circuit's transitions on the kernel's
//! clock, and CHP processes and the circuit see each other's writes to shared `bool`s.
//!
//! The task is scheduled at the engine's next transition time. When it runs, it fires the
//! transitions due then and goes on with later ones by itself, moving the clock, as long as
//! no other kernel event comes first (and within the run's `until`, and a batch's budget,
//! so that Ctrl-C and progress are looked at): a circuit alone runs without a kernel event
//! per transition. When a transition wakes a CHP process (a guard on a shared `bool`), the
//! batch stops there, so the process runs at that time, in order.
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::engine::Engine;
use super::listener::{Cause, Changer, Listener, Warning};
use super::netlist::{InstanceId, NONE};
use crate::kernel::{Ctx, Level, LogKind, NodeChange, NodeId, ProcId, TaskId, Time};

/// Transition times one run of the task fires at most before it yields to the kernel: the
/// kernel looks at Ctrl-C and reports progress every 65 536 events, so that is every 16 M
/// transitions at most (about half a second), and a kernel event per 256 transitions costs
/// nothing measurable.
const BATCH: u32 = 256;

/// The outside causes of a change ([`Cause::Outside`]): the running process's write of a
/// shared `bool` (actsim names the process by its path, empty for the top process and for
/// `Initialize`'s actions), a command's `set` (`-cmd-`), and a channel method's write of a
/// wire of its channel (actsim's methods write through an object of their own, which names
/// itself `chan-method`).
const PROCESS: u32 = 0;
const COMMAND: u32 = 1;
const METHOD: u32 = 2;

/// What a change of a node shared with CHP does there: the shared variable's index and the
/// new value.
pub(crate) type ChpWrite = Box<dyn Fn(usize, Level)>;

/// A transition waiting in the kernel's queue, named as actsim's `pending -v` names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct QueuedTransition {
    /// The process type and the instance path of the driver that names the evaluator that
    /// scheduled it (a multi-driver node's first); the top process's path is empty.
    pub(crate) type_name: String,
    pub(crate) instance: String,
    /// The node's name inside that instance.
    pub(crate) node: String,
    /// How many drivers its evaluator has: the node's several (actsim's multi-driver object),
    /// or one (actsim's object of one instance's rules, which counts as a prs event).
    pub(crate) drivers: u32,
    /// What the node's driver has pending now, which a retracted event no longer is.
    pub(crate) pending: Option<Level>,
}

/// A circuit running on the kernel.
pub(crate) struct Circuit {
    engine: RefCell<Engine>,
    ctx: Ctx,
    /// Its daemon task: the one that fires the transitions, or, when they wait in the
    /// kernel's queue, the one that evaluates the rules first.
    task: Cell<Option<TaskId>>,
    /// The earliest time the task is queued at (`Time::MAX`: not queued).
    queued_at: Cell<Time>,
    /// The kernel's id of engine node 0 (the others follow in order).
    first_node: usize,
    /// By instance: the name its warnings are logged under, registered at its first warning.
    log_names: RefCell<Vec<Option<ProcId>>>,
    /// By node: the CHP shared variable it is, or [`NONE`].
    chp_var: Vec<u32>,
    /// By CHP shared variable: its node, or [`NONE`].
    node_of_var: Vec<u32>,
    /// By node index: the wires CHP writes only through a channel's methods (see [`METHOD`]),
    /// each with its channel's local name.
    method_wires: HashMap<u32, Box<str>>,
    chp_write: RefCell<Option<ChpWrite>>,
    /// The instances' names (the engine's are out of reach while it runs).
    instance_names: Vec<String>,
    /// The names `spec` messages are logged under, registered at their first message.
    spec_log_names: RefCell<Vec<(String, ProcId)>>,
}

impl std::fmt::Debug for Circuit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Circuit")
            .field("engine", &self.engine)
            .finish_non_exhaustive()
    }
}

/// Tells the kernel's observers, the log and the CHP side what the engine does.
struct ToKernel<'a> {
    circuit: &'a Circuit,
    observed: bool,
    /// The process whose write of a shared `bool` is being made, if one is: its change does
    /// not go back to the CHP copies, and the observers hear it is that process's.
    writer: Option<ProcId>,
}

impl Listener for ToKernel<'_> {
    #[inline]
    fn transition(&mut self, _time: Time, node: NodeId, value: Level, by: Changer<'_>) {
        let c = self.circuit;
        if self.observed {
            let by = match (by, self.writer) {
                (Changer::Rule { instance, cause }, _) => NodeChange::Rule {
                    instance: &c.instance_names[instance.0 as usize],
                    cause,
                },
                (Changer::Outside, Some(process)) => {
                    match c.method_wires.get(&(node.index() as u32)) {
                        Some(channel) => NodeChange::Method { channel },
                        None => NodeChange::Process(process),
                    }
                }
                (Changer::Outside, None) => NodeChange::Outside,
            };
            let node = NodeId::from_index(c.first_node + node.index());
            c.ctx.record_node(node, value, by);
        }
        let var = c.chp_var[node.index()];
        if self.writer.is_none() && var != NONE {
            if let Some(write) = &*c.chp_write.borrow() {
                write(var as usize, value);
            }
        }
    }

    fn warning(&mut self, _time: Time, instance: InstanceId, text: &str, warning: &Warning) {
        self.circuit.log_warning(instance, text);
        (self.circuit.ctx).circuit_warning(matches!(warning.cause, Cause::Rule(_)));
    }

    fn spec_message(&mut self, _time: Time, instance: &str, text: &str) {
        self.circuit.log_raw(instance, text);
    }

    fn outside_name(&self, id: u32) -> String {
        match id {
            COMMAND => "-cmd-".to_string(),
            METHOD => "chan-method".to_string(),
            _ => (self.circuit.ctx).process_path(self.circuit.ctx.current_process()),
        }
    }
}

impl Circuit {
    /// A circuit for `engine`, whose node `i` is the kernel's node `first_node + i`;
    /// `chp_var` maps nodes to CHP shared variables (`shared_vars` of them), `method_wires`
    /// tells the wires of channels between CHP and the circuit.
    pub(crate) fn new(
        engine: Engine,
        ctx: Ctx,
        first_node: usize,
        (chp_var, method_wires): (Vec<u32>, HashMap<u32, Box<str>>),
        shared_vars: usize,
    ) -> Rc<Self> {
        let mut node_of_var = vec![NONE; shared_vars];
        for (node, &var) in chp_var.iter().enumerate() {
            if var != NONE {
                node_of_var[var as usize] = node as u32;
            }
        }
        let instance_names = engine.netlist().instance_names.clone();
        let instances = instance_names.len();
        Rc::new(Self {
            instance_names,
            engine: RefCell::new(engine),
            ctx,
            task: Cell::new(None),
            queued_at: Cell::new(Time::MAX),
            first_node,
            log_names: RefCell::new(vec![None; instances]),
            chp_var,
            node_of_var,
            method_wires,
            chp_write: RefCell::new(None),
            spec_log_names: RefCell::new(Vec::new()),
        })
    }

    /// What a change of a node shared with CHP does there.
    pub(crate) fn on_chp_write(&self, write: ChpWrite) {
        *self.chp_write.borrow_mut() = Some(write);
    }

    /// Evaluates every rule once (actsim's start: in reset mode) and starts the task.
    ///
    /// When the transitions wait in the kernel's queue, the kernel fires each of them
    /// ([`Circuit::fire_event`]) and no task runs them; the rules are evaluated in a task's
    /// first run, after the processes' first runs, as actsim evaluates them after its
    /// processes queued their first events.
    pub(crate) fn start(self: &Rc<Self>) {
        if self.engine.borrow().uses_kernel_queue() {
            let circuit = Rc::downgrade(self);
            self.ctx.on_circuit_event(Rc::new(move |slot| {
                if let Some(circuit) = circuit.upgrade() {
                    circuit.fire_event(slot);
                }
            }));
            let task = self.ctx.spawn_daemon(
                "prs",
                InitTask {
                    circuit: Some(self.clone()),
                },
            );
            self.task.set(Some(task));
            return;
        }
        self.initialize();
        let task = self.ctx.spawn_daemon(
            "prs",
            CircuitTask {
                circuit: self.clone(),
            },
        );
        self.task.set(Some(task));
        self.queued_at.set(self.ctx.now());
    }

    fn initialize(&self) {
        let mut listener = ToKernel {
            circuit: self,
            observed: self.ctx.is_observed(),
            writer: None,
        };
        self.engine.borrow_mut().initialize(&mut listener);
    }

    /// Fires the transition in `slot`, which the kernel's queue reached.
    fn fire_event(&self, slot: u32) {
        let mut listener = ToKernel {
            circuit: self,
            observed: self.ctx.is_observed(),
            writer: None,
        };
        let mut engine = self.engine.borrow_mut();
        engine.fire_event(self.ctx.now(), slot, &mut listener);
        self.ctx.set_transitions(engine.transitions());
    }

    /// Enters or leaves actsim's reset mode (see [`Engine::set_reset_mode`]).
    pub(crate) fn set_reset_mode(&self, on: bool) {
        self.engine.borrow_mut().set_reset_mode(on);
    }

    /// The transition in the kernel queue's `slot`, as actsim's `pending -v` shows it.
    pub(crate) fn queued_transition(&self, slot: u32) -> QueuedTransition {
        let engine = self.engine.borrow();
        let (instance, node, drivers, pending) = engine.queued_event(slot);
        let net = engine.netlist();
        QueuedTransition {
            type_name: net.instance_type(instance).to_string(),
            instance: net.instance_name(instance).to_string(),
            node: node.to_string(),
            drivers,
            pending,
        }
    }

    /// Whether a transition is pending as actsim's reset phase sees it
    /// ([`Engine::has_reset_pending`]).
    pub(crate) fn is_pending(&self) -> bool {
        self.engine.borrow().has_reset_pending()
    }

    /// Whether CHP shared variable `var` is a node of the circuit.
    #[inline]
    pub(crate) fn has_var(&self, var: usize) -> bool {
        self.node_of_var.get(var).is_some_and(|&n| n != NONE)
    }

    /// The node CHP shared variable `var` is, if it is one.
    pub(crate) fn node_of_var(&self, var: usize) -> Option<NodeId> {
        let node = *self.node_of_var.get(var)?;
        (node != NONE).then(|| NodeId::from_index(node as usize))
    }

    /// A CHP process wrote shared variable `var` (a node) with `level` (X: a record's X
    /// field copied whole): the rules reading it are evaluated now, and the task runs at the
    /// first transition that makes.
    pub(crate) fn chp_wrote(&self, var: usize, level: Level) {
        let node = self.node_of_var[var];
        let mut listener = ToKernel {
            circuit: self,
            observed: self.ctx.is_observed(),
            writer: Some(self.ctx.current_process()),
        };
        let now = self.ctx.now();
        let by = match self.method_wires.contains_key(&node) {
            true => METHOD,
            false => PROCESS,
        };
        let mut engine = self.engine.borrow_mut();
        engine.set(
            now,
            NodeId::from_index(node as usize),
            level,
            Cause::Outside(by),
            &mut listener,
        );
        let next = engine.next_time();
        drop(engine);
        self.queue_for(next);
    }

    /// The node named `name` (its full path, as actsim writes it).
    /// A node is found by any of its names (`b.m`, or `b.a.y` of an instance's port joined to
    /// it), as actsim finds one.
    pub(crate) fn find_node(&self, name: &str) -> Option<NodeId> {
        let engine = self.engine.borrow();
        let net = engine.netlist();
        (0..net.node_count())
            .map(NodeId::from_index)
            .find(|&node| net.node_name(node) == name)
            .or_else(|| net.alias(name))
    }

    pub(crate) fn node_value(&self, node: NodeId) -> Level {
        self.engine.borrow().value(node)
    }

    /// A node's full (canonical) name.
    pub(crate) fn node_name(&self, node: NodeId) -> String {
        self.engine.borrow().netlist().node_name(node).to_string()
    }

    /// Every node's full name, in netlist order, then their other names.
    pub(crate) fn node_names(&self) -> Vec<String> {
        let engine = self.engine.borrow();
        let net = engine.netlist();
        (0..net.node_count())
            .map(|n| net.node_name(NodeId::from_index(n)).to_string())
            .chain(net.alias_names().map(str::to_string))
            .collect()
    }

    /// actsim's `status`: per instance with rules (by its name, empty for the top), the nodes
    /// its rules drive that are at `level` now, by their names inside it, in the order of
    /// their first rules (a node several instances drive is listed under each).
    pub(crate) fn driven_at(&self, level: Level) -> Vec<(String, Vec<String>)> {
        let engine = self.engine.borrow();
        let net = engine.netlist();
        let mut groups: Vec<(InstanceId, Vec<String>)> = Vec::new();
        for (instance, local, node) in net.drivers_by_instance() {
            if engine.value(node) != level {
                continue;
            }
            match groups.last_mut() {
                Some((last, names)) if *last == instance => names.push(local.to_string()),
                _ => groups.push((instance, vec![local.to_string()])),
            }
        }
        // actsim walks its instances from the top down, an instance before those inside it.
        let paths = &net.instance_names;
        let first_under = |prefix: &str| {
            (paths.iter())
                .position(|p| {
                    p == prefix || p.strip_prefix(prefix).is_some_and(|r| r.starts_with('.'))
                })
                .unwrap_or(usize::MAX)
        };
        let walk_key = |path: &str| -> Vec<usize> {
            let ends = path.match_indices('.').map(|(i, _)| i).chain([path.len()]);
            match path {
                "" => Vec::new(),
                _ => ends.map(|end| first_under(&path[..end])).collect(),
            }
        };
        groups.sort_by_cached_key(|(instance, _)| walk_key(net.instance_name(*instance)));
        (groups.into_iter())
            .map(|(instance, names)| (net.instance_name(instance).to_string(), names))
            .collect()
    }

    /// When the top process has rules, its `bool` ports at `level` (see
    /// [`crate::prs::netlist::Netlist::top_ports`]), by their names there; `None` otherwise.
    pub(crate) fn top_ports_at(&self, level: Level) -> Option<Vec<String>> {
        let engine = self.engine.borrow();
        let ports = &engine.netlist().top_ports;
        (!ports.is_empty()).then(|| {
            (ports.iter())
                .filter(|&&(_, node)| engine.value(node) == level)
                .map(|(name, _)| name.clone())
                .collect()
        })
    }

    /// Sets `node` from outside the design (actsim's `set`, between commands): the rules
    /// reading it and its CHP copies see the change now.
    pub(crate) fn set_node(&self, node: NodeId, level: Level) {
        let mut listener = ToKernel {
            circuit: self,
            observed: self.ctx.is_observed(),
            writer: None,
        };
        let now = self.ctx.now();
        let mut engine = self.engine.borrow_mut();
        engine.set(now, node, level, Cause::Outside(COMMAND), &mut listener);
        let next = engine.next_time();
        drop(engine);
        self.queue_for(next);
    }

    /// Queues the task at `next` unless it is queued at that time or earlier already.
    fn queue_for(&self, next: Option<Time>) {
        let (Some(next), Some(task)) = (next, self.task.get()) else {
            return;
        };
        if next < self.queued_at.get() {
            self.queued_at.set(next);
            self.ctx.wake_at(task, next);
        }
    }

    /// Logs a warning as actsim prints it, under its instance's name.
    fn log_warning(&self, instance: InstanceId, text: &str) {
        let mut names = self.log_names.borrow_mut();
        let name = *names[instance.0 as usize].get_or_insert_with(|| {
            self.ctx
                .add_log_name(self.instance_names[instance.0 as usize].clone())
        });
        drop(names);
        self.ctx.log_for(name, LogKind::Line, text);
    }

    /// Logs a line of a `spec` check as actsim prints it, without a prefix, under `instance`
    /// (`path:proc`).
    fn log_raw(&self, instance: &str, text: &str) {
        let mut names = self.spec_log_names.borrow_mut();
        let name = match names.iter().find(|(n, _)| n == instance) {
            Some(&(_, id)) => id,
            None => {
                let id = self.ctx.add_log_name(instance.to_string());
                names.push((instance.to_string(), id));
                id
            }
        };
        drop(names);
        self.ctx.log_for(name, LogKind::Part, text);
        self.ctx.log_for(name, LogKind::End, "");
    }

    /// Fires the transitions due now and after, as long as nothing else comes first.
    fn run(&self) {
        let ctx = &self.ctx;
        let now = ctx.now();
        if self.queued_at.get() == now {
            self.queued_at.set(Time::MAX);
        }
        let horizon = ctx.next_event_time().unwrap_or(Time::MAX);
        // The end of a reset phase's round, if one is going on: the phase looks in then.
        let until = ctx.until().min(ctx.alarm_time().unwrap_or(Time::MAX));
        let queued = ctx.queued_events();
        let mut listener = ToKernel {
            circuit: self,
            observed: ctx.is_observed(),
            writer: None,
        };
        let mut engine = self.engine.borrow_mut();
        for _ in 0..BATCH {
            let Some(time) = engine.next_time() else {
                break;
            };
            if time > now && (time >= horizon || time > until) {
                break;
            }
            if time > now {
                ctx.advance_to(time);
            }
            engine.run_at(time, &mut listener);
            if ctx.queued_events() != queued {
                break; // it woke a process: that runs first
            }
        }
        ctx.set_transitions(engine.transitions());
        let next = engine.next_time();
        drop(engine);
        self.queue_for(next);
    }
}

/// The task that evaluates every rule once, when transitions wait in the kernel's queue;
/// it never ends.
struct InitTask {
    circuit: Option<Rc<Circuit>>,
}

impl Future for InitTask {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        // It stays a daemon that is never resumed again: its end would be a process's end.
        if let Some(circuit) = self.circuit.take() {
            // actsim evaluates the rules before its first command: no event of the run.
            circuit.ctx.uncount_event();
            circuit.initialize();
        }
        Poll::Pending
    }
}

/// The daemon task: runs the circuit whenever the kernel resumes it; never ends.
struct CircuitTask {
    circuit: Rc<Circuit>,
}

impl Future for CircuitTask {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        self.circuit.run();
        Poll::Pending
    }
}
