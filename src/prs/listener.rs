//! What the engine tells the rest of chpsim: the node transitions and warnings it reports to
//! its [`Listener`], and the text of each warning as actsim prints it.

use super::engine::Engine;
use super::netlist::{level, InstanceId};
use crate::kernel::{Level, NodeId, Time};

/// What made a gate evaluate: the start of the run, a transition a rule made (the driver that
/// names the evaluator that fired it), or something outside the engine (a CHP process writing
/// a shared node: the caller's id for it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cause {
    Init,
    Rule(u32),
    Outside(u32),
}

/// actsim's four warnings about a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WarningKind {
    Interference,
    WeakInterference,
    Unstable,
    WeakUnstable,
}

impl WarningKind {
    fn words(self) -> &'static str {
        match self {
            WarningKind::Interference => "interference",
            WarningKind::WeakInterference => "weak-interference",
            WarningKind::Unstable => "unstable transition",
            WarningKind::WeakUnstable => "weak-unstable transition",
        }
    }
}

/// A warning about the node of driver `driver`, which names the evaluator that warns (its
/// instance and its name of the node).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Warning {
    pub(crate) kind: WarningKind,
    pub(crate) driver: u32,
    /// The retracted transition's direction (`+`, `-`) of an unstable one.
    pub(crate) sign: Option<char>,
    pub(crate) cause: Cause,
}

/// Who made a transition (see [`Listener::transition`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Changer<'a> {
    /// A rule of `instance` fired. `cause` is actsim's `[by ...]` of a node going X after an
    /// interference or an unstable transition: the change that made it so (see
    /// [`Engine::warning_text`]); `None` otherwise, as actsim's other transitions carry none.
    Rule {
        instance: InstanceId,
        cause: Option<&'a str>,
    },
    /// Set from outside the engine ([`Engine::set`]), or at the start.
    Outside,
}

/// Where the engine's happenings go: node transitions (to the transcript and the waveform,
/// and to whoever waits on a node) and warnings. The default methods ignore them.
pub(crate) trait Listener {
    fn transition(&mut self, _time: Time, _node: NodeId, _value: Level, _by: Changer<'_>) {}
    /// A warning about a node of `instance`: `text` is actsim's (`WARNING: ...`).
    fn warning(&mut self, _time: Time, _instance: InstanceId, _text: &str, _warning: &Warning) {}
    /// A line a `spec` check prints (actsim prints them without a prefix), for `instance`
    /// (`path:proc`).
    fn spec_message(&mut self, _time: Time, _instance: &str, _text: &str) {}
    /// How a warning names an outside cause ([`Cause::Outside`]).
    fn outside_name(&self, _id: u32) -> String {
        "-cmd-".to_string()
    }
}

impl Engine {
    /// The text of a warning, as actsim prints it after its `[time] <instance>  ` prefix;
    /// `outside` names the callers' causes.
    pub(crate) fn warning_text(
        &self,
        warning: &Warning,
        outside: impl Fn(u32) -> String,
    ) -> String {
        let driver = &self.net.drivers[warning.driver as usize];
        let mut text = format!("WARNING: {} on `{}", warning.kind.words(), driver.local);
        match warning.cause {
            Cause::Init => {
                if let Some(sign) = warning.sign {
                    text.push(sign);
                }
                text.push('\'');
            }
            Cause::Rule(driver) => {
                text.push_str(&format!("'   [by {}]", self.rule_cause(driver)));
            }
            Cause::Outside(id) => text.push_str(&format!("'   [by {}]", outside(id))),
        }
        text
    }

    /// The instance a warning is printed for (its driver's).
    pub(crate) fn warning_instance(&self, warning: &Warning) -> InstanceId {
        self.net.drivers[warning.driver as usize].instance
    }

    /// A rule's transition as the cause of a warning: `instance.node <- value`, named by
    /// `driver`.
    pub(super) fn rule_cause(&self, driver: u32) -> String {
        let driver = &self.net.drivers[driver as usize];
        let g = &self.net.gates[driver.gate as usize];
        let instance = self.net.instance_name(driver.instance);
        let value = level(self.values[g.node as usize]).symbol();
        if instance.is_empty() {
            format!("{} <- {value}", driver.local)
        } else {
            format!("{instance}.{} <- {value}", driver.local)
        }
    }
}
