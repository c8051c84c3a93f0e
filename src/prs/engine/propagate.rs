//! What a change does to the gates reading the node: pulls evaluated, transitions scheduled
//! or retracted, interference and instability warned of, nodes made X.
use super::guard::{Evaluator, NOT, X};
use super::{Engine, GateState, XCause, NOTHING};
use crate::kernel::Level;
use crate::prs::listener::{Cause, Listener, Warning, WarningKind};
use crate::prs::netlist::{Pass, NONE};

impl Engine {
    /// The cause of the X transition of the evaluator whose state is `state`, firing now, as
    /// actsim prints it.
    #[cold]
    pub(super) fn x_cause(&mut self, state: u32) -> Option<String> {
        let at = self.x_causes.iter().position(|(s, _)| *s == state)?;
        Some(match self.x_causes.swap_remove(at).1 {
            XCause::Rule(driver) => self.rule_cause(driver),
            XCause::Named(name) => name,
        })
    }

    /// An evaluator whose node just went X with nothing pending: a pull that holds (and
    /// wins) schedules the node's way out of X. No warnings here.
    pub(super) fn recover_from_x(&mut self, by: Evaluator) {
        let (up, down) = self.pulls(by);
        match (up.state, down.state) {
            (0, 1) => self.schedule_value(by, down.driver, 0),
            (1, 0) => self.schedule_value(by, up.driver, 1),
            (1, 2) if !up.weak && down.weak => self.schedule_value(by, up.driver, 1),
            (1, 1) if up.weak && !down.weak => self.schedule_value(by, down.driver, 0),
            (1, 1) if !up.weak && down.weak => self.schedule_value(by, up.driver, 1),
            (2, 1) if up.weak && !down.weak => self.schedule_value(by, down.driver, 0),
            _ => {}
        }
    }

    #[cold]
    fn warn(
        &self,
        kind: WarningKind,
        by: Evaluator,
        sign: Option<char>,
        cause: Cause,
        listener: &mut impl Listener,
    ) {
        let warning = Warning {
            kind,
            driver: by.first,
            sign,
            cause,
        };
        let text = self.warning_text(&warning, |id| listener.outside_name(id));
        listener.warning(self.now, self.warning_instance(&warning), &text, &warning);
    }

    /// Re-evaluates gate `gate` after a node it reads changed (actsim's `propagate`).
    pub(super) fn propagate(&mut self, gate: u32, cause: Cause, listener: &mut impl Listener) {
        let pass = self.net.gates[gate as usize].pass;
        if pass != NONE {
            self.propagate_pass(gate, pass, cause, listener);
            return;
        }
        self.evaluate(self.gate_evaluator(gate), cause, listener);
    }

    /// Evaluates the rules of `by` (actsim's `propagate` of one of its objects).
    #[inline(always)]
    pub(super) fn evaluate(&mut self, by: Evaluator, cause: Cause, listener: &mut impl Listener) {
        let (up, down) = self.pulls(by);
        let unstab = self.net.drivers[by.first as usize].unstab;
        let gate = by.gate;
        // A pending transition whose pull is gone: unstable.
        let flags = self.states[by.state as usize].flags;
        if flags == 1 + 1 && up.state != 1 {
            if up.state == 2 {
                if !self.reset_mode && !unstab && !self.is_hazard(gate) {
                    self.warn(WarningKind::WeakUnstable, by, Some('+'), cause, listener);
                }
            } else if !unstab {
                self.warn(WarningKind::Unstable, by, Some('+'), cause, listener);
            }
            self.make_x(by, cause, listener);
        }
        if self.states[by.state as usize].flags == 1 && down.state != 1 {
            // As actsim: `hazard` silences a falling unstable transition, not a rising one.
            if down.state == 2 {
                if !self.reset_mode && !unstab && !self.is_hazard(gate) {
                    self.warn(WarningKind::WeakUnstable, by, Some('-'), cause, listener);
                }
            } else if !unstab && !self.is_hazard(gate) {
                self.warn(WarningKind::Unstable, by, Some('-'), cause, listener);
            }
            self.make_x(by, cause, listener);
        }
        let node_value = self.values[self.net.gates[gate as usize].node as usize];
        match (up.state, down.state) {
            (0, 0) => {}
            (0, 1) => self.schedule_value(by, down.driver, 0),
            (0, _) => {
                if node_value == 1 {
                    self.make_x(by, cause, listener);
                }
            }
            (1, 0) => self.schedule_value(by, up.driver, 1),
            (1, 2) => {
                if !up.weak && down.weak {
                    self.schedule_value(by, up.driver, 1);
                } else {
                    if !self.reset_mode {
                        self.warn(WarningKind::WeakInterference, by, None, cause, listener);
                    }
                    self.make_x(by, cause, listener);
                }
            }
            (1, _) => {
                if up.weak && !down.weak {
                    self.schedule_value(by, down.driver, 0);
                } else if !up.weak && down.weak {
                    self.schedule_value(by, up.driver, 1);
                } else {
                    self.warn(WarningKind::Interference, by, None, cause, listener);
                    self.make_x(by, cause, listener);
                }
            }
            (_, 0) => {
                if node_value == 0 {
                    self.make_x(by, cause, listener);
                }
            }
            (_, 1) => {
                if up.weak && !down.weak {
                    self.schedule_value(by, down.driver, 0);
                } else {
                    if !self.reset_mode {
                        self.warn(WarningKind::WeakInterference, by, None, cause, listener);
                    }
                    self.make_x(by, cause, listener);
                }
            }
            (_, _) => {
                if !self.reset_mode {
                    self.warn(WarningKind::WeakInterference, by, None, cause, listener);
                }
                self.make_x(by, cause, listener);
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
        let by = self.gate_evaluator(gate);
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
                    self.make_x(by, cause, listener);
                }
            }
            value => match if value == 0 { n_on } else { p_on } {
                1 => self.schedule_value(by, g.first_driver, value),
                X if transgate || drain != value => self.make_x(by, cause, listener),
                _ => {}
            },
        }
    }

    /// Schedules the node of `by` to `value` after driver `driver`'s delay, unless the node
    /// has that value or that transition is pending already (actsim's `DO_SET_VAL`: a pending
    /// transition of another value is not retracted; it stays in the queue, untracked).
    #[inline(always)]
    fn schedule_value(&mut self, by: Evaluator, driver: u32, value: u8) {
        let node = self.net.gates[by.gate as usize].node;
        let state = by.state as usize;
        if self.values[node as usize] == value || self.states[state].flags == 1 + value {
            return;
        }
        let d = &self.net.drivers[driver as usize];
        let given = if value == 0 { d.delay_down } else { d.delay_up };
        let fixed = given.unwrap_or(self.timing.default_delay);
        let delay = self.timing.random.delay(fixed, given.is_some());
        self.states[state].flags = 1 + value;
        let slot = self.schedule(by, value, delay);
        self.states[state].event = slot;
    }

    /// The node of `by` goes X one tick from now (its pending transition retracted); if it is
    /// X already, a pending 0 or 1 is retracted (actsim's `MAKE_NODE_X`).
    /// `cause` made it so: the X transition carries it (see [`Changer::Rule`]).
    ///
    /// [`Changer::Rule`]: crate::prs::listener::Changer::Rule
    fn make_x(&mut self, by: Evaluator, cause: Cause, listener: &impl Listener) {
        let node = self.net.gates[by.gate as usize].node;
        let at = by.state as usize;
        let state = self.states[at];
        if self.values[node as usize] != Level::X as u8 {
            if state.flags != 1 + Level::X as u8 {
                self.retract(state.event);
                self.states[at].flags = 1 + Level::X as u8;
                let slot = self.schedule(by, Level::X as u8, 1);
                self.states[at].event = slot;
                self.keep_x_cause(by.state, cause, listener);
            }
        } else if state.flags == 1 || state.flags == 2 {
            self.retract(state.event);
            self.states[at] = GateState {
                flags: NOTHING,
                event: NONE,
            };
        }
    }

    /// Keeps what made the evaluator whose state is `state` go X until its X transition
    /// fires (the one it has pending replaces any earlier, retracted one's).
    #[cold]
    fn keep_x_cause(&mut self, state: u32, cause: Cause, listener: &impl Listener) {
        self.x_causes.retain(|(s, _)| *s != state);
        let kept = match cause {
            Cause::Init => return,
            Cause::Rule(driver) => XCause::Rule(driver),
            Cause::Outside(id) => XCause::Named(listener.outside_name(id)),
        };
        self.x_causes.push((state, kept));
    }
}
