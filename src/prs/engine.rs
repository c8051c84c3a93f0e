//! The engine: node values, pending transitions, and actsim's rules for what a change of a
//! guard does (`prssim.cc`'s semantics, written anew from its behaviour).
//!
//! When a node changes, every gate reading it is *propagated*: its up and down guards are
//! evaluated (normal strength first, then weak) over 0/1/X, and
//! - a pull that holds alone schedules the node's transition after the driver's delay
//!   (unless the node already has that value, or that transition is already pending);
//! - a normal pull against a weak one wins; two pulls of the same strength are *interference*:
//!   a warning, and the node goes X one tick later; a pull against an X guard is
//!   *weak-interference* (no warning in reset mode);
//! - a pending transition whose guard no longer holds is *unstable*: a warning (unless the
//!   rule is `unstab`; for an X guard, *weak-unstable*, not in reset mode) and the node goes X
//!   one tick later, the transition retracted.
//!
//! A transition that fires sets its node and propagates at once to the node's fanout; a node
//! set to X with nothing pending is evaluated again, so that a gate whose guard holds pulls it
//! back out of X. Events at one time fire in the order they were scheduled. Nothing here
//! allocates once the event slab and the queue's buckets have grown to the circuit's activity.
use rand_chacha::ChaCha8Rng;

use super::listener::{Cause, Changer, Listener, Warning, WarningKind};
use super::netlist::{level, Driver, InstanceId, Netlist, Op, Pass, NONE, NORMAL, WEAK};
use super::queue::Queue;
use super::spec::{Specs, Verdict};
use crate::kernel::{Ctx, Level, NodeId, Time};
use crate::sim::DelayRange;

/// What made a gate's node go X, kept until its X transition fires (actsim's event cause).
#[derive(Clone, Debug)]
enum XCause {
    /// A node's change, named when the transition fires (with the node's value then, as actsim
    /// names it).
    Gate(u32),
    /// An outside cause, named when it happened.
    Named(String),
}

/// Delays of transitions whose rule gives none, and random timing.
#[derive(Debug)]
pub(crate) struct Timing {
    /// The delay of a rule without `after` (actsim: 10).
    pub(crate) default_delay: Time,
    /// Draw every non-zero delay from this range (`--random-delay`), with this RNG.
    pub(crate) random: Option<(DelayRange, ChaCha8Rng)>,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            default_delay: 10,
            random: None,
        }
    }
}

/// A scheduled transition: its gate and value; `live` is cleared when it is retracted.
#[derive(Clone, Copy, Debug)]
struct Pending {
    gate: u32,
    value: u8,
    live: bool,
}

/// What a gate has pending, as actsim's flags: nothing, or the value of its tracked event.
const NOTHING: u8 = 0;

/// The state of one gate.
#[derive(Clone, Copy, Debug)]
struct GateState {
    /// [`NOTHING`], or 1 + the value of the transition it has pending.
    flags: u8,
    /// The tracked event (a slot of [`Engine::events`]), or [`NONE`].
    event: u32,
}

const NOT: [u8; 3] = [1, 0, 2];
/// The engine's code of X.
const X: u8 = Level::X as u8;
const AND: [[u8; 3]; 3] = [[0, 0, 0], [0, 1, 2], [0, 2, 2]];
const OR: [[u8; 3]; 3] = [[0, 1, 2], [1, 1, 1], [2, 1, 2]];

/// The combined pull of a gate's drivers one way: its value, whether only a weak rule gives
/// it, and the driver whose rule gives it (for the delay).
#[derive(Clone, Copy)]
struct Pull {
    state: u8,
    weak: bool,
    driver: u32,
}

/// Where scheduled transitions wait: the engine's own queue, or the kernel's, among the CHP
/// events (`chpsim actsim`: actsim keeps every event in one heap, and the order of the
/// events of one time follows from all of them; the kernel hands each back to
/// [`Engine::fire_event`]).
enum Agenda {
    Own(Queue),
    Kernel(Ctx),
}

/// A running netlist.
pub(crate) struct Engine {
    pub(super) net: Netlist,
    pub(super) values: Vec<u8>,
    gates: Vec<GateState>,
    events: Vec<Pending>,
    free_events: Vec<u32>,
    agenda: Agenda,
    now: Time,
    reset_mode: bool,
    timing: Timing,
    transitions: u64,
    /// Events in the queue, retracted ones too (the queue keeps them until their time), but
    /// those of a node driven from several instances: what actsim's reset phase waits for
    /// (its multi-driver node's events belong to an object it does not count).
    queued_single: usize,
    /// The design's `spec` directives, if it has any, and the RNG of their random choice.
    specs: Option<Box<(Specs, ChaCha8Rng)>>,
    /// Per gate whose X transition is pending with a cause: that cause (few at a time).
    x_causes: Vec<(u32, XCause)>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("now", &self.now)
            .field("nodes", &self.values.len())
            .field("transitions", &self.transitions)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// Every node X, nothing pending, at time 0.
    pub(crate) fn new(net: Netlist, timing: Timing) -> Self {
        let nodes = net.node_count();
        let gates = net.gates.len();
        Self {
            net,
            values: vec![Level::X as u8; nodes],
            gates: vec![
                GateState {
                    flags: NOTHING,
                    event: NONE
                };
                gates
            ],
            events: Vec::new(),
            free_events: Vec::new(),
            agenda: Agenda::Own(Queue::new()),
            now: 0,
            reset_mode: false,
            timing,
            transitions: 0,
            queued_single: 0,
            specs: None,
            x_causes: Vec::new(),
        }
    }

    /// Queues transitions in the kernel's queue from now on (see [`Agenda`]); call before
    /// anything is scheduled.
    pub(crate) fn use_kernel_queue(&mut self, ctx: Ctx) {
        self.agenda = Agenda::Kernel(ctx);
    }

    /// Whether transitions wait in the kernel's queue.
    pub(crate) fn uses_kernel_queue(&self) -> bool {
        matches!(self.agenda, Agenda::Kernel(_))
    }

    /// Checks `specs` from now on; `rng` draws among the competing transitions of `mk_excl*`
    /// groups (random choice).
    pub(crate) fn set_specs(&mut self, mut specs: Specs, rng: ChaCha8Rng) {
        specs.gate_of = vec![NONE; self.values.len()];
        for (gate, g) in self.net.gates.iter().enumerate() {
            if g.pass != NONE {
                continue; // a pass gate's pending transition is its own, not the node's rules'
            }
            specs.gate_of[g.node as usize] = gate as u32;
        }
        self.specs = Some(Box::new((specs, rng)));
    }

    pub(crate) fn netlist(&self) -> &Netlist {
        &self.net
    }

    pub(crate) fn value(&self, node: NodeId) -> Level {
        level(self.values[node.index()])
    }

    #[cfg(test)]
    pub(crate) fn now(&self) -> Time {
        self.now
    }

    /// Transitions fired so far (node changes made by rules).
    pub(crate) fn transitions(&self) -> u64 {
        self.transitions
    }

    /// Sets a node's value before the run, without evaluating anything (a test's starting
    /// values).
    #[cfg(test)]
    pub(crate) fn preset(&mut self, node: NodeId, value: Level) {
        self.values[node.index()] = value as u8;
    }

    /// Evaluates every gate once, in reset mode (actsim's start of a run: rules whose guards
    /// already hold schedule their transitions).
    pub(crate) fn initialize(&mut self, listener: &mut impl Listener) {
        let was = self.reset_mode;
        self.reset_mode = true;
        if let Some(specs) = &mut self.specs {
            for (node, level) in specs.0.random_start() {
                if self.values[node as usize] == Level::X as u8 {
                    self.set_node(node, level as u8, Cause::Init, None, listener);
                }
            }
        }
        for gate in 0..self.gates.len() as u32 {
            self.propagate(gate, Cause::Init, listener);
        }
        self.reset_mode = was;
    }

    /// actsim's reset mode (its reset phase): no weak-interference or weak-unstable warnings.
    pub(crate) fn set_reset_mode(&mut self, on: bool) {
        self.reset_mode = on;
    }

    /// Sets `node` from outside the engine (a CHP write, a command) at `time`: if it changes,
    /// the gates reading it are evaluated at once.
    pub(crate) fn set(
        &mut self,
        time: Time,
        node: NodeId,
        value: Level,
        cause: Cause,
        listener: &mut impl Listener,
    ) -> bool {
        self.now = self.now.max(time);
        self.set_node(node.index() as u32, value as u8, cause, None, listener)
    }

    /// The time of the next scheduled transition, possibly a retracted one, which firing
    /// skips: as in actsim, whose queue keeps a cancelled event until its time, the clock
    /// moves on to it (a run whose last transition was retracted ends at that time).
    pub(crate) fn next_time(&self) -> Option<Time> {
        match &self.agenda {
            Agenda::Own(queue) => queue.peek_time(),
            Agenda::Kernel(_) => None,
        }
    }

    /// Whether actsim's reset phase sees a transition pending: an event of a node with one
    /// driver (or of a pass gate) in the queue, retracted or not (see [`Engine::queued_single`]).
    pub(crate) fn has_reset_pending(&self) -> bool {
        self.queued_single > 0
    }

    /// Whether gate `gate`'s events count for [`Engine::has_reset_pending`].
    #[inline]
    fn single_driver(&self, gate: u32) -> bool {
        self.net.gates[gate as usize].drivers == 1
    }

    /// The event in `slot` as actsim's `pending -v` shows it: the instance and local name of
    /// its node's first driver, how many drivers the node has, and what the gate has pending
    /// now (actsim prints its rule's pending value, not the event's: a retracted event shows
    /// the transition that replaced it, or none).
    pub(crate) fn queued_event(&self, slot: u32) -> (InstanceId, &str, u32, Option<Level>) {
        let gate = self.events[slot as usize].gate as usize;
        let g = &self.net.gates[gate];
        let driver = &self.net.drivers[g.first_driver as usize];
        let pending = match self.gates[gate].flags {
            NOTHING => None,
            flags => Some(level(flags - 1)),
        };
        (driver.instance, &driver.local, g.drivers, pending)
    }

    /// Fires every transition due at `time`, those they schedule at the same time included;
    /// `time` must be [`Engine::next_time`] (the queue never moves past a time a later
    /// [`Engine::set`] could still schedule at).
    pub(crate) fn run_at(&mut self, time: Time, listener: &mut impl Listener) {
        debug_assert_eq!(self.next_time(), Some(time));
        self.now = time;
        while let Some(slot) = self.own_queue().and_then(|q| q.pop_current_at(time)) {
            self.fire(slot, listener);
        }
    }

    /// Fires the event in `slot`, which the kernel's queue handed back at `time` (a retracted
    /// one does nothing, as in actsim, where it is an event all the same).
    pub(crate) fn fire_event(&mut self, time: Time, slot: u32, listener: &mut impl Listener) {
        self.now = time;
        self.fire(slot, listener);
    }

    fn own_queue(&mut self) -> Option<&mut Queue> {
        match &mut self.agenda {
            Agenda::Own(queue) => Some(queue),
            Agenda::Kernel(_) => None,
        }
    }

    /// Runs until no transition is pending, the next is later than `until`, or `limit`
    /// transitions have fired in all; returns the time reached (the tests' driver: on the
    /// kernel, `prs::run` fires transitions with [`Engine::run_at`]).
    #[cfg(test)]
    pub(crate) fn run(&mut self, until: Time, limit: u64, listener: &mut impl Listener) -> Time {
        while self.transitions < limit {
            match self.next_time() {
                Some(time) if time <= until => {
                    self.now = time;
                    if let Some(slot) = self.own_queue().and_then(|q| q.pop_current_at(time)) {
                        self.fire(slot, listener);
                    }
                }
                _ => break,
            }
        }
        self.now
    }

    /// The instance of a gate's first driver: actsim's object of the node's rules.
    #[inline]
    pub(super) fn gate_instance(&self, gate: u32) -> InstanceId {
        let gate = &self.net.gates[gate as usize];
        self.net.drivers[gate.first_driver as usize].instance
    }

    fn fire(&mut self, slot: u32, listener: &mut impl Listener) {
        let Pending { gate, value, live } = self.events[slot as usize];
        self.free_events.push(slot);
        if self.single_driver(gate) {
            self.queued_single -= 1;
        }
        if !live {
            return;
        }
        let state = &mut self.gates[gate as usize];
        state.event = NONE;
        if state.flags == 1 + value {
            state.flags = NOTHING;
        }
        let node = self.net.gates[gate as usize].node;
        let x_cause = if value == Level::X as u8 {
            self.x_cause(gate)
        } else {
            None
        };
        if !self.set_node(node, value, Cause::Gate(gate), x_cause.as_deref(), listener) {
            self.gates[gate as usize].flags = NOTHING;
        }
        if value == Level::X as u8 && self.gates[gate as usize].flags == NOTHING {
            self.recover_from_x(gate);
        }
    }

    /// The cause of gate `gate`'s X transition, firing now, as actsim prints it.
    #[cold]
    fn x_cause(&mut self, gate: u32) -> Option<String> {
        let at = self.x_causes.iter().position(|(g, _)| *g == gate)?;
        Some(match self.x_causes.swap_remove(at).1 {
            XCause::Gate(cause) => self.gate_cause(cause),
            XCause::Named(name) => name,
        })
    }

    /// A gate whose node just went X with nothing pending: a pull that holds (and wins)
    /// schedules the node's way out of X. No warnings here.
    fn recover_from_x(&mut self, gate: u32) {
        let (up, down) = self.pulls(gate);
        match (up.state, down.state) {
            (0, 1) => self.schedule_value(gate, down.driver, 0),
            (1, 0) => self.schedule_value(gate, up.driver, 1),
            (1, 2) if !up.weak && down.weak => self.schedule_value(gate, up.driver, 1),
            (1, 1) if up.weak && !down.weak => self.schedule_value(gate, down.driver, 0),
            (1, 1) if !up.weak && down.weak => self.schedule_value(gate, up.driver, 1),
            (2, 1) if up.weak && !down.weak => self.schedule_value(gate, down.driver, 0),
            _ => {}
        }
    }

    /// Writes a node and evaluates every gate reading it, whether its value changed or not:
    /// actsim's writes (a rule firing, a CHP assignment, `set`) all propagate, so that a gate
    /// whose pulls fight warns again when a node it reads is written its own value. Only a
    /// change is a transition (told to the listener). Returns false when a `spec` exclusion
    /// forbids the write (actsim's `setBool` failing). `cause` is the gate that fired (or an
    /// outside cause); `x_cause` names what made the node go X, for the listener.
    #[inline]
    fn set_node(
        &mut self,
        node: u32,
        value: u8,
        cause: Cause,
        x_cause: Option<&str>,
        listener: &mut impl Listener,
    ) -> bool {
        if let Some(specs) = &self.specs {
            if specs.0.special[node as usize] && !self.spec_change(node, value, listener) {
                return false;
            }
        }
        if self.values[node as usize] != value {
            self.record_change(node, value, cause, x_cause, listener);
        }
        let start = self.net.fanout_start[node as usize] as usize;
        let end = self.net.fanout_start[node as usize + 1] as usize;
        for i in start..end {
            let gate = self.net.fanout[i];
            self.propagate(gate, cause, listener);
        }
        true
    }

    /// Stores a node's new value and tells the listener of the transition.
    #[inline]
    fn record_change(
        &mut self,
        node: u32,
        value: u8,
        cause: Cause,
        x_cause: Option<&str>,
        listener: &mut impl Listener,
    ) {
        self.values[node as usize] = value;
        if matches!(cause, Cause::Gate(_)) {
            self.transitions += 1;
        }
        let by = match cause {
            Cause::Gate(gate) => Changer::Rule {
                instance: self.gate_instance(gate),
                cause: x_cause,
            },
            Cause::Init | Cause::Outside(_) => Changer::Outside,
        };
        listener.transition(
            self.now,
            NodeId::from_index(node as usize),
            level(value),
            by,
        );
    }

    /// A node named by a `spec` directive is about to change: whether it may (see
    /// [`Specs::change`]); the transitions an exclusion retracts are retracted, the messages
    /// of its checks told to the listener.
    #[cold]
    #[inline(never)]
    fn spec_change(&mut self, node: u32, value: u8, listener: &mut impl Listener) -> bool {
        let Some(mut boxed) = self.specs.take() else {
            return true;
        };
        let mut retract = Vec::new();
        let mut messages: Vec<(String, String)> = Vec::new();
        let gates = &self.gates;
        // Taken out for the moment, so that the specs can change while the test reads it.
        let gate_of = std::mem::take(&mut boxed.0.gate_of);
        let pending = |n: u32| {
            let gate = gate_of[n as usize];
            gate != NONE && gates[gate as usize].flags != NOTHING
        };
        let (specs, rng) = &mut *boxed;
        let verdict = specs.change(
            (node, value),
            &self.values,
            (rng, &pending),
            (self.now, self.reset_mode),
            &mut retract,
            &mut |instance, text| messages.push((instance.to_string(), text)),
        );
        boxed.0.gate_of = gate_of;
        let gates: Vec<u32> = (retract.iter())
            .map(|&n| boxed.0.gate_of[n as usize])
            .filter(|&g| g != NONE)
            .collect();
        self.specs = Some(boxed);
        for (instance, text) in &messages {
            listener.spec_message(self.now, instance, text);
        }
        for gate in gates {
            let state = self.gates[gate as usize];
            if state.flags != NOTHING {
                self.retract(state.event);
                self.gates[gate as usize] = GateState {
                    flags: NOTHING,
                    event: NONE,
                };
            }
        }
        verdict == Verdict::Allowed
    }

    /// Whether a `hazard` directive names the node of `gate`.
    fn is_hazard(&self, gate: u32) -> bool {
        let node = self.net.gates[gate as usize].node;
        self.specs.as_ref().is_some_and(|s| s.0.is_hazard(node))
    }

    /// The value of a guard; a single (negated) variable, the common case, without a call.
    #[inline]
    fn eval(&self, root: u32) -> u8 {
        if root == NONE {
            return 0;
        }
        match self.net.ops[root as usize] {
            Op::Var(node) => self.values[node as usize],
            Op::NotVar(node) => NOT[self.values[node as usize] as usize],
            _ => self.eval_tree(root),
        }
    }

    fn eval_tree(&self, root: u32) -> u8 {
        match self.net.ops[root as usize] {
            Op::Var(node) => self.values[node as usize],
            Op::NotVar(node) => NOT[self.values[node as usize] as usize],
            Op::Not(a) => NOT[self.eval(a) as usize],
            // Short-circuit: a 0 decides an AND and a 1 an OR, whatever the other side is.
            Op::And(a, b) => match self.eval(a) {
                0 => 0,
                x => AND[x as usize][self.eval(b) as usize],
            },
            Op::Or(a, b) => match self.eval(a) {
                1 => 1,
                x => OR[x as usize][self.eval(b) as usize],
            },
            Op::Const(v) => v,
        }
    }

    /// The pull one way over a gate's drivers, as actsim combines them: the first driver
    /// whose normal rule holds; else the last one's value; weak rules only if that is 0.
    #[inline]
    fn pull(&self, gate: u32, side: fn(&Driver) -> &[u32; 2]) -> Pull {
        let g = self.net.gates[gate as usize];
        let drivers =
            &self.net.drivers[g.first_driver as usize..(g.first_driver + g.drivers) as usize];
        let mut pull = Pull {
            state: 0,
            weak: false,
            driver: g.first_driver,
        };
        for strength in [NORMAL, WEAK] {
            for (i, driver) in drivers.iter().enumerate() {
                pull.state = self.eval(side(driver)[strength]);
                if pull.state == 1 {
                    pull.driver = g.first_driver + i as u32;
                    break;
                }
            }
            if pull.state != 0 {
                pull.weak = strength == WEAK;
                break;
            }
        }
        pull
    }

    #[inline]
    fn pulls(&self, gate: u32) -> (Pull, Pull) {
        (self.pull(gate, |d| &d.up), self.pull(gate, |d| &d.down))
    }

    #[cold]
    fn warn(
        &self,
        kind: WarningKind,
        gate: u32,
        sign: Option<char>,
        cause: Cause,
        listener: &mut impl Listener,
    ) {
        let warning = Warning {
            kind,
            gate,
            sign,
            cause,
        };
        let text = self.warning_text(&warning, |id| listener.outside_name(id));
        listener.warning(self.now, self.warning_instance(&warning), &text, &warning);
    }

    /// Re-evaluates gate `gate` after a node it reads changed (actsim's `propagate`).
    fn propagate(&mut self, gate: u32, cause: Cause, listener: &mut impl Listener) {
        let pass = self.net.gates[gate as usize].pass;
        if pass != NONE {
            self.propagate_pass(gate, pass, cause, listener);
            return;
        }
        let (up, down) = self.pulls(gate);
        let first = self.net.gates[gate as usize].first_driver as usize;
        let unstab = self.net.drivers[first].unstab;
        // A pending transition whose pull is gone: unstable.
        let flags = self.gates[gate as usize].flags;
        if flags == 1 + 1 && up.state != 1 {
            if up.state == 2 {
                if !self.reset_mode && !unstab && !self.is_hazard(gate) {
                    self.warn(WarningKind::WeakUnstable, gate, Some('+'), cause, listener);
                }
            } else if !unstab {
                self.warn(WarningKind::Unstable, gate, Some('+'), cause, listener);
            }
            self.make_x(gate, cause, listener);
        }
        if self.gates[gate as usize].flags == 1 && down.state != 1 {
            // As actsim: `hazard` silences a falling unstable transition, not a rising one.
            if down.state == 2 {
                if !self.reset_mode && !unstab && !self.is_hazard(gate) {
                    self.warn(WarningKind::WeakUnstable, gate, Some('-'), cause, listener);
                }
            } else if !unstab && !self.is_hazard(gate) {
                self.warn(WarningKind::Unstable, gate, Some('-'), cause, listener);
            }
            self.make_x(gate, cause, listener);
        }
        let node_value = self.values[self.net.gates[gate as usize].node as usize];
        match (up.state, down.state) {
            (0, 0) => {}
            (0, 1) => self.schedule_value(gate, down.driver, 0),
            (0, _) => {
                if node_value == 1 {
                    self.make_x(gate, cause, listener);
                }
            }
            (1, 0) => self.schedule_value(gate, up.driver, 1),
            (1, 2) => {
                if !up.weak && down.weak {
                    self.schedule_value(gate, up.driver, 1);
                } else {
                    if !self.reset_mode {
                        self.warn(WarningKind::WeakInterference, gate, None, cause, listener);
                    }
                    self.make_x(gate, cause, listener);
                }
            }
            (1, _) => {
                if up.weak && !down.weak {
                    self.schedule_value(gate, down.driver, 0);
                } else if !up.weak && down.weak {
                    self.schedule_value(gate, up.driver, 1);
                } else {
                    self.warn(WarningKind::Interference, gate, None, cause, listener);
                    self.make_x(gate, cause, listener);
                }
            }
            (_, 0) => {
                if node_value == 0 {
                    self.make_x(gate, cause, listener);
                }
            }
            (_, 1) => {
                if up.weak && !down.weak {
                    self.schedule_value(gate, down.driver, 0);
                } else {
                    if !self.reset_mode {
                        self.warn(WarningKind::WeakInterference, gate, None, cause, listener);
                    }
                    self.make_x(gate, cause, listener);
                }
            }
            (_, _) => {
                if !self.reset_mode {
                    self.warn(WarningKind::WeakInterference, gate, None, cause, listener);
                }
                self.make_x(gate, cause, listener);
            }
        }
    }

    /// Re-evaluates pass gate `gate` (device `pass`) after one of its terminals changed, as
    /// actsim does: a side that conducts the source's value (the n side a 0, the p side a 1)
    /// drives the drain to it after the default delay; a side whose gate is X, or an X source
    /// through a side that conducts, makes the drain X one tick later. Nothing is retracted
    /// when the device stops conducting, and a pass gate never warns.
    #[inline(never)]
    fn propagate_pass(&mut self, gate: u32, pass: u32, cause: Cause, listener: &impl Listener) {
        let Pass {
            n_gate,
            p_gate,
            source,
        } = self.net.passes[pass as usize];
        let g = self.net.gates[gate as usize];
        // How each side conducts (1, 0, or X: 2); a side the device lacks never does.
        let n_on = if n_gate == NONE {
            0
        } else {
            self.values[n_gate as usize]
        };
        let p_on = if p_gate == NONE {
            0
        } else {
            NOT[self.values[p_gate as usize] as usize]
        };
        // actsim's `passn` and `passp` leave a drain that is already what they would make it;
        // its `transgate` makes it X all the same.
        let transgate = n_gate != NONE && p_gate != NONE;
        let drain = self.values[g.node as usize];
        match self.values[source as usize] {
            X => {
                if (n_on == 1 || p_on == 1) && (transgate || drain != X) {
                    self.make_x(gate, cause, listener);
                }
            }
            value => match if value == 0 { n_on } else { p_on } {
                1 => self.schedule_value(gate, g.first_driver, value),
                X if transgate || drain != value => self.make_x(gate, cause, listener),
                _ => {}
            },
        }
    }

    /// Schedules the gate's node to `value` after driver `driver`'s delay, unless the node
    /// has that value or that transition is pending already (actsim's `DO_SET_VAL`: a pending
    /// transition of another value is not retracted; it stays in the queue, untracked).
    #[inline]
    fn schedule_value(&mut self, gate: u32, driver: u32, value: u8) {
        let node = self.net.gates[gate as usize].node;
        if self.values[node as usize] == value || self.gates[gate as usize].flags == 1 + value {
            return;
        }
        let d = &self.net.drivers[driver as usize];
        let given = if value == 0 { d.delay_down } else { d.delay_up };
        let fixed = given.unwrap_or(self.timing.default_delay);
        let delay = match &mut self.timing.random {
            Some((range, rng)) => range.draw_given(fixed, given.is_some(), rng),
            None => fixed,
        };
        self.gates[gate as usize].flags = 1 + value;
        let slot = self.schedule(gate, value, delay);
        self.gates[gate as usize].event = slot;
    }

    /// The gate's node goes X one tick from now (its pending transition retracted); if it is X
    /// already, a pending 0 or 1 is retracted (actsim's `MAKE_NODE_X`).
    /// `cause` made it so: the X transition carries it (see [`Changer::Rule`]).
    fn make_x(&mut self, gate: u32, cause: Cause, listener: &impl Listener) {
        let node = self.net.gates[gate as usize].node;
        let state = self.gates[gate as usize];
        if self.values[node as usize] != Level::X as u8 {
            if state.flags != 1 + Level::X as u8 {
                self.retract(state.event);
                self.gates[gate as usize].flags = 1 + Level::X as u8;
                let slot = self.schedule(gate, Level::X as u8, 1);
                self.gates[gate as usize].event = slot;
                self.keep_x_cause(gate, cause, listener);
            }
        } else if state.flags == 1 || state.flags == 2 {
            self.retract(state.event);
            self.gates[gate as usize] = GateState {
                flags: NOTHING,
                event: NONE,
            };
        }
    }

    /// Keeps what made gate `gate` go X until its X transition fires (the one a gate has
    /// pending replaces any earlier, retracted one's).
    #[cold]
    fn keep_x_cause(&mut self, gate: u32, cause: Cause, listener: &impl Listener) {
        self.x_causes.retain(|(g, _)| *g != gate);
        let kept = match cause {
            Cause::Init => return,
            Cause::Gate(cause) => XCause::Gate(cause),
            Cause::Outside(id) => XCause::Named(listener.outside_name(id)),
        };
        self.x_causes.push((gate, kept));
    }

    fn retract(&mut self, slot: u32) {
        if slot != NONE {
            self.events[slot as usize].live = false;
        }
    }

    fn schedule(&mut self, gate: u32, value: u8, delay: Time) -> u32 {
        let event = Pending {
            gate,
            value,
            live: true,
        };
        let slot = match self.free_events.pop() {
            Some(slot) => {
                self.events[slot as usize] = event;
                slot
            }
            None => {
                self.events.push(event);
                self.events.len() as u32 - 1
            }
        };
        let time = self.now.saturating_add(delay);
        match &mut self.agenda {
            Agenda::Own(queue) => queue.push(time, slot),
            Agenda::Kernel(ctx) => ctx.schedule_circuit_event(time, slot),
        }
        if self.single_driver(gate) {
            self.queued_single += 1;
        }
        slot
    }
}
