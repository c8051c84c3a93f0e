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
mod guard;
mod propagate;
mod spec_check;

use guard::Evaluator;

use std::rc::Rc;

use super::listener::{Cause, Changer, Listener};
use super::netlist::{level, InstanceId, Netlist, NONE};
use super::queue::Queue;
use super::spec::Specs;
use crate::kernel::{Ctx, Level, NodeId, Time};
use crate::sim::random_stream::RandomStream;

/// What made a gate's node go X, kept until its X transition fires (actsim's event cause).
#[derive(Clone, Debug)]
enum XCause {
    /// A transition of a driver's node (the driver that names the evaluator that fired it),
    /// named when the X transition fires (with the node's value then, as actsim names it).
    Rule(u32),
    /// An outside cause, named when it happened.
    Named(String),
}

/// Delays of transitions whose rule gives none, and random timing.
#[derive(Debug)]
pub(crate) struct Timing {
    /// The delay of a rule without `after` (actsim: 10).
    pub(crate) default_delay: Time,
    /// The run's random stream: its delays, while they are random, and the draws among
    /// competing transitions of `mk_excl*` groups, while choices are.
    pub(crate) random: Rc<RandomStream>,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            default_delay: 10,
            random: Rc::default(),
        }
    }
}

/// A scheduled transition: its gate, the driver that scheduled it alone ([`NONE`]: the gate,
/// see [`guard::Evaluator`]), and its value; `live` is cleared when it is retracted.
#[derive(Clone, Copy, Debug)]
struct Pending {
    gate: u32,
    driver: u32,
    value: u8,
    live: bool,
}

/// What a gate has pending, as actsim's flags: nothing, or the value of its tracked event.
const NOTHING: u8 = 0;

/// The state of one evaluator (see [`guard::Evaluator`]).
#[derive(Clone, Copy, Debug)]
struct GateState {
    /// [`NOTHING`], or 1 + the value of the transition it has pending.
    flags: u8,
    /// The tracked event (a slot of [`Engine::events`]), or [`NONE`].
    event: u32,
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
    /// By evaluator: each gate's state (by gate index), then the state of each driver alone
    /// that has its own: a driver, but the first, of a node with several (by the number of
    /// gates + its index in [`Engine::own_states`]).
    states: Vec<GateState>,
    /// The drivers with a state of their own, in order (see [`Engine::states`]): none in a
    /// netlist whose nodes each have one driver.
    own_states: Box<[u32]>,
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
    /// The design's `spec` directives, if it has any.
    specs: Option<Box<Specs>>,
    /// Per evaluator (its state's index) whose X transition is pending with a cause: that
    /// cause (few at a time).
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
        let own_states: Box<[u32]> = (net.gates.iter())
            .filter(|g| g.drivers > 1)
            .flat_map(|g| g.first_driver + 1..g.first_driver + g.drivers)
            .collect();
        let states = net.gates.len() + own_states.len();
        Self {
            net,
            values: vec![Level::X as u8; nodes],
            states: vec![
                GateState {
                    flags: NOTHING,
                    event: NONE
                };
                states
            ],
            own_states,
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

    /// Checks `specs` from now on (their random choices drawn from the run's stream).
    ///
    /// An exclusion sees and retracts the pending transition of one evaluator per node, as
    /// actsim's `mk_excl*` constraint keeps one object per node: the gate's, for a node with
    /// one driver; for a node driven from several instances, the last driver's alone (actsim
    /// registers each instance's object of the node's rules in turn, the last replacing the
    /// others, with its warning that the constraint "may not work properly"). That is the
    /// evaluator of the transition that driver scheduled at the start of the run only: the
    /// transitions of the node's drivers together, and of its other drivers at the start, are
    /// neither counted nor retracted (a change the exclusion forbids is still refused when it
    /// fires).
    pub(crate) fn set_specs(&mut self, mut specs: Specs) {
        specs.state_of = vec![NONE; self.values.len()];
        for (gate, g) in self.net.gates.iter().enumerate() {
            if g.pass != NONE {
                continue; // a pass gate's pending transition is its own, not the node's rules'
            }
            let by = match g.drivers {
                1 => self.gate_evaluator(gate as u32),
                count => self.driver_evaluator(g.first_driver + count - 1),
            };
            specs.state_of[g.node as usize] = by.state;
        }
        self.specs = Some(Box::new(specs));
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

    /// How many evaluator states the engine keeps (see [`Engine::states`]).
    #[cfg(test)]
    pub(crate) fn state_count(&self) -> usize {
        self.states.len()
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

    /// Evaluates every driver once, in reset mode, in the order their rules were given
    /// (actsim's start of a run: rules whose guards already hold schedule their transitions).
    /// The drivers of a node with several are evaluated each alone, as actsim's start
    /// evaluates each instance's object of the node's rules, not the node's multi-driver
    /// object: drivers that disagree each schedule their transition, without interference.
    pub(crate) fn initialize(&mut self, listener: &mut impl Listener) {
        let was = self.reset_mode;
        self.reset_mode = true;
        if let Some(specs) = &mut self.specs {
            for (node, level) in specs.random_start() {
                if self.values[node as usize] == Level::X as u8 {
                    self.set_node(node, level as u8, Cause::Init, None, listener);
                }
            }
        }
        for i in 0..self.net.start_order.len() {
            let driver = self.net.start_order[i];
            let gate = self.net.drivers[driver as usize].gate;
            if self.single_driver(gate) {
                self.propagate(gate, Cause::Init, listener);
            } else {
                self.evaluate(self.driver_evaluator(driver), Cause::Init, listener);
            }
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
    #[inline]
    pub(crate) fn next_time(&self) -> Option<Time> {
        match &self.agenda {
            Agenda::Own(queue) => queue.peek_time(),
            Agenda::Kernel(_) => None,
        }
    }

    /// Whether actsim's reset phase sees a transition pending: an event of a node with one
    /// driver (or of a pass gate), or of one driver alone, in the queue, retracted or not (see
    /// [`Engine::queued_single`]).
    pub(crate) fn has_reset_pending(&self) -> bool {
        self.queued_single > 0
    }

    /// Whether gate `gate`'s node has one driver (its own events count for
    /// [`Engine::has_reset_pending`], as those of a driver alone).
    #[inline]
    fn single_driver(&self, gate: u32) -> bool {
        self.net.gates[gate as usize].drivers == 1
    }

    /// The evaluator that scheduled the event in `slot`.
    #[inline]
    fn event_evaluator(&self, slot: u32) -> Evaluator {
        match self.events[slot as usize] {
            Pending {
                gate, driver: NONE, ..
            } => self.gate_evaluator(gate),
            Pending { driver, .. } => self.driver_evaluator(driver),
        }
    }

    /// The event in `slot` as actsim's `pending -v` shows it: the instance and local name of
    /// the driver that names its evaluator, how many drivers that evaluates (a node's several,
    /// actsim's multi-driver object; or one), and what the evaluator has pending now (actsim
    /// prints its rule's pending value, not the event's: a retracted event shows the
    /// transition that replaced it, or none).
    pub(crate) fn queued_event(&self, slot: u32) -> (InstanceId, &str, u32, Option<Level>) {
        let by = self.event_evaluator(slot);
        let driver = &self.net.drivers[by.first as usize];
        let pending = match self.states[by.state as usize].flags {
            NOTHING => None,
            flags => Some(level(flags - 1)),
        };
        (driver.instance, &driver.local, by.count, pending)
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

    /// Fires the event in `slot`, as the evaluator that scheduled it (a driver alone sets
    /// the node and, gone X with nothing pending, pulls it out of X by its own rules only).
    #[inline(always)]
    fn fire(&mut self, slot: u32, listener: &mut impl Listener) {
        let Pending { value, live, .. } = self.events[slot as usize];
        let by = self.event_evaluator(slot);
        self.free_events.push(slot);
        if by.alone || self.single_driver(by.gate) {
            self.queued_single -= 1;
        }
        if !live {
            return;
        }
        let state = &mut self.states[by.state as usize];
        state.event = NONE;
        if state.flags == 1 + value {
            state.flags = NOTHING;
        }
        let node = self.net.gates[by.gate as usize].node;
        let x_cause = if value == Level::X as u8 {
            self.x_cause(by.state)
        } else {
            None
        };
        if !self.set_node(
            node,
            value,
            Cause::Rule(by.first),
            x_cause.as_deref(),
            listener,
        ) {
            self.states[by.state as usize].flags = NOTHING;
        }
        if value == Level::X as u8 && self.states[by.state as usize].flags == NOTHING {
            self.recover_from_x(by);
        }
    }

    /// Writes a node and evaluates every gate reading it, whether its value changed or not:
    /// actsim's writes (a rule firing, a CHP assignment, `set`) all propagate, so that a gate
    /// whose pulls fight warns again when a node it reads is written its own value. Only a
    /// change is a transition (told to the listener). Returns false when a `spec` exclusion
    /// forbids the write (actsim's `setBool` failing). `cause` is the rule that fired (or an
    /// outside cause); `x_cause` names what made the node go X, for the listener.
    #[inline(always)]
    fn set_node(
        &mut self,
        node: u32,
        value: u8,
        cause: Cause,
        x_cause: Option<&str>,
        listener: &mut impl Listener,
    ) -> bool {
        if let Some(specs) = &self.specs {
            if specs.special[node as usize] && !self.spec_change(node, value, listener) {
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
    #[inline(always)]
    fn record_change(
        &mut self,
        node: u32,
        value: u8,
        cause: Cause,
        x_cause: Option<&str>,
        listener: &mut impl Listener,
    ) {
        self.values[node as usize] = value;
        if matches!(cause, Cause::Rule(_)) {
            self.transitions += 1;
        }
        let by = match cause {
            Cause::Rule(driver) => Changer::Rule {
                instance: self.net.drivers[driver as usize].instance,
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

    fn retract(&mut self, slot: u32) {
        if slot != NONE {
            self.events[slot as usize].live = false;
        }
    }

    /// Queues a transition of evaluator `by` to `value` after `delay`; returns its slot.
    #[inline(always)]
    fn schedule(&mut self, by: Evaluator, value: u8, delay: Time) -> u32 {
        let event = Pending {
            gate: by.gate,
            driver: if by.alone { by.first } else { NONE },
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
        if by.alone || self.single_driver(by.gate) {
            self.queued_single += 1;
        }
        slot
    }
}
