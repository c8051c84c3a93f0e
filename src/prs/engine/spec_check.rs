//! The hooks of the design's `spec` directives: exclusions checked before a node changes,
//! `hazard` nodes.
use super::{Engine, GateState, NOTHING};
use crate::prs::listener::Listener;
use crate::prs::netlist::NONE;
use crate::prs::spec::Verdict;

impl Engine {
    /// A node named by a `spec` directive is about to change: whether it may (see
    /// [`Specs::change`]); the transitions an exclusion retracts are retracted, the messages
    /// of its checks told to the listener.
    ///
    /// [`Specs::change`]: crate::prs::spec::Specs::change
    #[cold]
    #[inline(never)]
    pub(super) fn spec_change(
        &mut self,
        node: u32,
        value: u8,
        listener: &mut impl Listener,
    ) -> bool {
        let Some(mut boxed) = self.specs.take() else {
            return true;
        };
        let mut retract = Vec::new();
        let mut messages: Vec<(String, String)> = Vec::new();
        let states = &self.states;
        // Taken out for the moment, so that the specs can change while the test reads it.
        let state_of = std::mem::take(&mut boxed.state_of);
        let pending = |n: u32| {
            let state = state_of[n as usize];
            state != NONE && states[state as usize].flags != NOTHING
        };
        let verdict = boxed.change(
            (node, value),
            &self.values,
            (&self.timing.random, &pending),
            (self.now, self.reset_mode),
            &mut retract,
            &mut |instance, text| messages.push((instance.to_string(), text)),
        );
        boxed.state_of = state_of;
        let retracted: Vec<u32> = (retract.iter())
            .map(|&n| boxed.state_of[n as usize])
            .filter(|&s| s != NONE)
            .collect();
        self.specs = Some(boxed);
        for (instance, text) in &messages {
            listener.spec_message(self.now, instance, text);
        }
        for index in retracted {
            let state = self.states[index as usize];
            if state.flags != NOTHING {
                self.retract(state.event);
                self.states[index as usize] = GateState {
                    flags: NOTHING,
                    event: NONE,
                };
            }
        }
        verdict == Verdict::Allowed
    }

    /// Whether a `hazard` directive names the node of `gate`.
    pub(super) fn is_hazard(&self, gate: u32) -> bool {
        let node = self.net.gates[gate as usize].node;
        self.specs.as_ref().is_some_and(|s| s.is_hazard(node))
    }
}
