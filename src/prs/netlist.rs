//! The netlist the engine runs: nodes, and the production rules that drive them, flattened
//! into arrays once ([`NetlistBuilder::build`]) so that a transition touches only indices.
//!
//! Rules are given as ACT writes them (`a & ~b -> c+`, `a => y-`, `a & b #> c+`), each by the
//! instance it belongs to. The rules of one instance for one node make that node's *driver*
//! (their guards ORed, per direction and strength, as actsim merges them); a node with drivers
//! in several instances is driven by all of them (actsim's multi-driver node).
use std::collections::HashMap;

use crate::kernel::{Level, NodeId, Time};

/// An instance that rules belong to (its name prefixes the engine's warnings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct InstanceId(pub(crate) u32);

/// A rule's guard, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Guard {
    Var(NodeId),
    Not(Box<Guard>),
    And(Box<Guard>, Box<Guard>),
    Or(Box<Guard>, Box<Guard>),
    Const(bool),
    /// A label driven by a pull-down rule (`G -> @x-`), standing for its value: the
    /// complement of its guard `G`, which it holds. It differs from `~G` only in the opposite
    /// half of a `#>` rule, where actsim reads it as `G` itself (see
    /// [`Guard::negate_literals`]).
    PullDownLabel(Box<Guard>),
}

impl Guard {
    pub(crate) fn var(node: NodeId) -> Self {
        Guard::Var(node)
    }

    pub(crate) fn not(self) -> Self {
        Guard::Not(Box::new(self))
    }

    pub(crate) fn and(self, other: Guard) -> Self {
        Guard::And(Box::new(self), Box::new(other))
    }

    pub(crate) fn or(self, other: Guard) -> Self {
        Guard::Or(Box::new(self), Box::new(other))
    }

    /// Calls `f` on every node the guard reads.
    pub(crate) fn visit_nodes(&self, f: &mut impl FnMut(NodeId)) {
        match self {
            Guard::Var(n) => f(*n),
            Guard::Not(a) | Guard::PullDownLabel(a) => a.visit_nodes(f),
            Guard::And(a, b) | Guard::Or(a, b) => {
                a.visit_nodes(f);
                b.visit_nodes(f);
            }
            Guard::Const(_) => {}
        }
    }

    /// Replaces every node `n` the guard reads by `f(n)`.
    pub(crate) fn map_nodes(&mut self, f: &impl Fn(NodeId) -> NodeId) {
        match self {
            Guard::Var(n) => *n = f(*n),
            Guard::Not(a) | Guard::PullDownLabel(a) => a.map_nodes(f),
            Guard::And(a, b) | Guard::Or(a, b) => {
                a.map_nodes(f);
                b.map_nodes(f);
            }
            Guard::Const(_) => {}
        }
    }

    /// The guard of the opposite pull of a combinational rule (`=>`): the complement.
    fn complement(&self) -> Guard {
        match self {
            Guard::Var(_) => self.clone().not(),
            Guard::Not(inner) | Guard::PullDownLabel(inner) => (**inner).clone(),
            Guard::And(a, b) => a.complement().or(b.complement()),
            Guard::Or(a, b) => a.complement().and(b.complement()),
            Guard::Const(v) => Guard::Const(!v),
        }
    }

    /// The guard of the opposite pull of a state-holding rule (`#>`): every literal negated,
    /// the operators kept (`a & b #> c+` pulls down on `~a & ~b`: a C-element). A pull-down
    /// label reads as its guard, unchanged, as actsim reads it there (`G -> @x-` then
    /// `@x & c #> y-` pulls up on `G & ~c`); a pull-up label was replaced by its guard, whose
    /// literals are negated.
    fn negate_literals(&self) -> Guard {
        match self {
            Guard::Var(_) => self.clone().not(),
            Guard::Not(inner) => inner.negate_literals().not(),
            Guard::And(a, b) => a.negate_literals().and(b.negate_literals()),
            Guard::Or(a, b) => a.negate_literals().or(b.negate_literals()),
            Guard::Const(v) => Guard::Const(!v),
            Guard::PullDownLabel(guard) => (**guard).clone(),
        }
    }
}

/// ACT's rule arrows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Arrow {
    /// `->`: one pull only.
    Plain,
    /// `=>`: the pull, and the opposite pull on the complement of the guard.
    Combinational,
    /// `#>`: the pull, and the opposite pull on the guard with its literals negated.
    StateHolding,
}

/// One production rule: `guard arrow target+` (or `-`), with its attributes.
#[derive(Clone, Debug)]
pub(crate) struct Rule {
    pub(crate) guard: Guard,
    pub(crate) arrow: Arrow,
    pub(crate) target: NodeId,
    /// `+` (pull-up) or `-` (pull-down).
    pub(crate) up: bool,
    /// `[weak=1]`: loses to a normal-strength pull the other way.
    pub(crate) weak: bool,
    /// `[after=N]`: the delay of the transitions this rule makes (else the default).
    pub(crate) after: Option<Time>,
    /// `[unstab=1]`: this node may glitch; no warning when its transition is retracted.
    pub(crate) unstab: bool,
}

impl Rule {
    /// `guard -> target+` (or `-`) with no attributes.
    pub(crate) fn new(guard: Guard, arrow: Arrow, target: NodeId, up: bool) -> Self {
        Self {
            guard,
            arrow,
            target,
            up,
            weak: false,
            after: None,
            unstab: false,
        }
    }
}

/// A pass-gate device of `prs`, directional from its source to its drain as actsim's:
/// `passn(g, s, d)` has an n-type gate only (passes a 0 when `g` is 1), `passp(_g, s, d)` a
/// p-type gate only (passes a 1 when `_g` is 0), `transgate(g, _g, s, d)` both.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PassGate {
    pub(crate) n_gate: Option<NodeId>,
    pub(crate) p_gate: Option<NodeId>,
    pub(crate) source: NodeId,
    pub(crate) drain: NodeId,
}

impl PassGate {
    /// Replaces every node `n` the device connects by `f(n)`.
    pub(crate) fn map_nodes(&mut self, f: &impl Fn(NodeId) -> NodeId) {
        self.n_gate = self.n_gate.map(f);
        self.p_gate = self.p_gate.map(f);
        self.source = f(self.source);
        self.drain = f(self.drain);
    }

    /// Every node the device connects.
    pub(crate) fn nodes(&self) -> impl Iterator<Item = NodeId> {
        let terminals = [
            Some(self.source),
            Some(self.drain),
            self.n_gate,
            self.p_gate,
        ];
        terminals.into_iter().flatten()
    }
}

/// A pass gate in the engine: its terminals as node indices, [`NONE`] for a gate it lacks
/// (the drain is its [`Gate`]'s node).
#[derive(Clone, Copy, Debug)]
pub(super) struct Pass {
    pub(super) n_gate: u32,
    pub(super) p_gate: u32,
    pub(super) source: u32,
}

/// An operation of a compiled guard; guards are trees in one flat array.
#[derive(Clone, Copy, Debug)]
pub(super) enum Op {
    Var(u32),
    NotVar(u32),
    Not(u32),
    And(u32, u32),
    Or(u32, u32),
    Const(u8),
    /// A conjunction (disjunction) of literals, `Netlist::literals[start..start + len]`
    /// (`a & ~b & c`: a C-element's or a NOR's guard, evaluated in one loop, not a tree).
    AllOf(u32, u32),
    AnyOf(u32, u32),
}

/// No guard (evaluates to 0), or no pending event.
pub(super) const NONE: u32 = u32::MAX;

/// Pull strengths, indexing a driver's guards.
pub(super) const NORMAL: usize = 0;
pub(super) const WEAK: usize = 1;

/// The rules of one instance for one node.
#[derive(Clone, Debug)]
pub(super) struct Driver {
    /// The roots of the up and down guards in [`Netlist::ops`], by strength ([`NORMAL`],
    /// [`WEAK`]); [`NONE`] for no rule.
    pub(super) up: [u32; 2],
    pub(super) down: [u32; 2],
    /// `after` of the last up (down) rule that gave one; `None`: the default delay.
    pub(super) delay_up: Option<Time>,
    pub(super) delay_down: Option<Time>,
    pub(super) unstab: bool,
    pub(super) instance: InstanceId,
    /// The node's name inside the instance (what actsim's warnings print).
    pub(super) local: String,
    /// The gate of the node it drives.
    pub(super) gate: u32,
}

/// A driven node and its drivers; or a pass gate and its drain, with one driver (no rules:
/// its instance, the drain's local name, the default delays).
#[derive(Clone, Copy, Debug)]
pub(super) struct Gate {
    pub(super) node: u32,
    pub(super) first_driver: u32,
    pub(super) drivers: u32,
    /// The pass gate this is (an index of [`Netlist::passes`]), or [`NONE`].
    pub(super) pass: u32,
}

/// A netlist ready to run: see the module documentation.
#[derive(Debug)]
pub(crate) struct Netlist {
    pub(super) node_names: Vec<String>,
    pub(crate) instance_names: Vec<String>,
    /// By instance: its process type as actsim names it (`inv<>`).
    instance_types: Vec<String>,
    pub(super) ops: Vec<Op>,
    /// The literals of [`Op::AllOf`] and [`Op::AnyOf`]: a node's index times 2, plus 1 when
    /// it is negated.
    pub(super) literals: Vec<u32>,
    pub(super) drivers: Vec<Driver>,
    pub(super) gates: Vec<Gate>,
    pub(super) passes: Vec<Pass>,
    /// By node: the gates whose guards read it are `fanout[fanout_start[n]..fanout_start[n+1]]`.
    pub(super) fanout_start: Vec<u32>,
    pub(super) fanout: Vec<u32>,
    /// Every driver, in the order its first rule was added: the order in which actsim's
    /// start evaluates its objects, one per instance's rules of a node.
    pub(super) start_order: Vec<u32>,
    /// The other names of nodes (a port's name inside an instance, `b.a.y` for `b.m`), sorted
    /// by name: actsim's commands accept any name of a node.
    aliases: Vec<(String, NodeId)>,
    /// When the top process has rules: its `bool` ports that are nodes, in the order of its
    /// ports, each with its name there (actsim's `status` lists those at the value asked).
    pub(crate) top_ports: Vec<(String, NodeId)>,
}

impl Netlist {
    pub(crate) fn node_count(&self) -> usize {
        self.node_names.len()
    }

    pub(crate) fn node_name(&self, node: NodeId) -> &str {
        &self.node_names[node.index()]
    }

    pub(crate) fn instance_name(&self, instance: InstanceId) -> &str {
        &self.instance_names[instance.0 as usize]
    }

    pub(crate) fn instance_type(&self, instance: InstanceId) -> &str {
        &self.instance_types[instance.0 as usize]
    }

    /// The node another of whose names is `name` (see [`NetlistBuilder::alias`]).
    pub(crate) fn alias(&self, name: &str) -> Option<NodeId> {
        (self.aliases.binary_search_by(|(a, _)| a.as_str().cmp(name)))
            .ok()
            .map(|i| self.aliases[i].1)
    }

    /// Every other name of a node.
    pub(crate) fn alias_names(&self) -> impl Iterator<Item = &str> {
        self.aliases.iter().map(|(a, _)| a.as_str())
    }

    /// Every instance's drivers, as actsim's `status` walks its objects of them: instance by
    /// instance, each one's in the order of its first rule; with the node's name inside the
    /// instance and the node.
    pub(crate) fn drivers_by_instance(&self) -> Vec<(InstanceId, &str, NodeId)> {
        let mut drivers: Vec<(InstanceId, &str, NodeId)> = (self.start_order.iter())
            .map(|&d| {
                let driver = &self.drivers[d as usize];
                let node = self.gates[driver.gate as usize].node;
                (
                    driver.instance,
                    driver.local.as_str(),
                    NodeId::from_index(node as usize),
                )
            })
            .collect();
        drivers.sort_by_key(|&(instance, _, _)| instance);
        drivers
    }

    /// Every other name of a node, with the node, sorted by name.
    pub(crate) fn aliases(&self) -> impl Iterator<Item = (&str, NodeId)> {
        self.aliases.iter().map(|(a, node)| (a.as_str(), *node))
    }

    /// By node: how many instances' rules drive it (actsim's objects of a node's rules, one
    /// per instance); its pass gates are not counted.
    pub(crate) fn rule_drivers(&self) -> Vec<u32> {
        let mut drivers = vec![0; self.node_count()];
        for gate in self.gates.iter().filter(|g| g.pass == NONE) {
            drivers[gate.node as usize] = gate.drivers;
        }
        drivers
    }
}

/// A driver while rules are added: guards still trees.
struct DriverDraft {
    target: NodeId,
    instance: InstanceId,
    local: String,
    up: [Option<Guard>; 2],
    down: [Option<Guard>; 2],
    delay_up: Option<Time>,
    delay_down: Option<Time>,
    unstab: bool,
    /// A pass gate's draft: a gate of its own, never merged with rules.
    pass: Option<PassGate>,
}

impl DriverDraft {
    /// The draft of a node's driver in `instance`, with no rule yet.
    fn new(target: NodeId, instance: InstanceId, local: &str, pass: Option<PassGate>) -> Self {
        DriverDraft {
            target,
            instance,
            local: local.to_string(),
            up: [None, None],
            down: [None, None],
            delay_up: None,
            delay_down: None,
            unstab: false,
            pass,
        }
    }
}

/// Collects nodes, instances and rules, then flattens them into a [`Netlist`].
#[derive(Default)]
pub(crate) struct NetlistBuilder {
    node_names: Vec<String>,
    instance_names: Vec<String>,
    instance_types: Vec<String>,
    aliases: Vec<(String, NodeId)>,
    top_ports: Vec<(String, NodeId)>,
    drafts: Vec<DriverDraft>,
    /// The draft of each (instance, node) that has rules.
    draft_of: HashMap<(InstanceId, NodeId), usize>,
}

impl std::fmt::Debug for NetlistBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetlistBuilder")
            .field("nodes", &self.node_names.len())
            .field("drivers", &self.drafts.len())
            .finish()
    }
}

fn merge(slot: &mut Option<Guard>, guard: Guard) {
    *slot = Some(match slot.take() {
        None => guard,
        Some(old) => old.or(guard),
    });
}

impl NetlistBuilder {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A new node (its full name, for the transcript and the waveform).
    pub(crate) fn node(&mut self, name: impl Into<String>) -> NodeId {
        self.node_names.push(name.into());
        NodeId::from_index(self.node_names.len() - 1)
    }

    /// Another name of `node` (a port of an instance connected to it), which commands may use.
    pub(crate) fn alias(&mut self, name: impl Into<String>, node: NodeId) {
        self.aliases.push((name.into(), node));
    }

    /// The next `bool` port of the top process, which has rules (see [`Netlist::top_ports`]).
    pub(crate) fn top_port(&mut self, name: impl Into<String>, node: NodeId) {
        self.top_ports.push((name.into(), node));
    }

    /// A new instance that rules can belong to: its path, as actsim prints it, and its
    /// process type (`inv<>`).
    pub(crate) fn instance(&mut self, name: impl Into<String>, type_name: &str) -> InstanceId {
        self.instance_names.push(name.into());
        self.instance_types.push(type_name.to_string());
        InstanceId(self.instance_names.len() as u32 - 1)
    }

    /// Adds `rule` of `instance`, whose target is called `local` there.
    pub(crate) fn rule(&mut self, instance: InstanceId, local: &str, rule: Rule) {
        let index = match self.draft_of.get(&(instance, rule.target)) {
            Some(&index) => index,
            None => {
                self.draft_of
                    .insert((instance, rule.target), self.drafts.len());
                self.drafts
                    .push(DriverDraft::new(rule.target, instance, local, None));
                self.drafts.len() - 1
            }
        };
        let draft = &mut self.drafts[index];
        let strength = if rule.weak { WEAK } else { NORMAL };
        let opposite = match rule.arrow {
            Arrow::Plain => None,
            Arrow::Combinational => Some(rule.guard.complement()),
            Arrow::StateHolding => Some(rule.guard.negate_literals()),
        };
        let (same, other) = if rule.up {
            (&mut draft.up, &mut draft.down)
        } else {
            (&mut draft.down, &mut draft.up)
        };
        merge(&mut same[strength], rule.guard);
        if let Some(opposite) = opposite {
            merge(&mut other[strength], opposite);
        }
        // As actsim: `after` sets the delay of the direction(s) the rule pulls, the last one
        // given winning.
        if let Some(after) = rule.after {
            if rule.up || opposite_present(rule.arrow) {
                draft.delay_up = Some(after);
            }
            if !rule.up || opposite_present(rule.arrow) {
                draft.delay_down = Some(after);
            }
        }
        draft.unstab |= rule.unstab;
    }

    /// Adds pass gate `pass` of `instance`, whose drain is called `local` there: a gate of its
    /// own (actsim evaluates each device apart from the rules driving the same node).
    pub(crate) fn pass_gate(&mut self, instance: InstanceId, local: &str, pass: PassGate) {
        let draft = DriverDraft::new(pass.drain, instance, local, Some(pass));
        self.drafts.push(draft);
    }

    /// Flattens what was added into arrays: gates in the order their nodes were first driven,
    /// each node's fanout in gate order, without repeats.
    pub(crate) fn build(self) -> Netlist {
        let node_count = self.node_names.len();
        let mut ops = Vec::new();
        let mut literals = Vec::new();
        let mut gate_of = vec![NONE; node_count];
        let mut gates: Vec<Gate> = Vec::new();
        // Drivers grouped by gate, gates in order of their first driver.
        let mut order: Vec<(u32, Vec<usize>)> = Vec::new();
        for (index, draft) in self.drafts.iter().enumerate() {
            let node = draft.target.index();
            if draft.pass.is_some() {
                order.push((node as u32, vec![index]));
                continue;
            }
            if gate_of[node] == NONE {
                gate_of[node] = order.len() as u32;
                order.push((draft.target.index() as u32, Vec::new()));
            }
            order[gate_of[node] as usize].1.push(index);
        }
        let mut drafts: Vec<Option<DriverDraft>> = self.drafts.into_iter().map(Some).collect();
        let mut drivers = Vec::with_capacity(drafts.len());
        let mut passes = Vec::new();
        let mut reads: Vec<Vec<u32>> = Vec::new();
        let mut start_order = vec![NONE; drafts.len()];
        for (node, members) in &order {
            let first_driver = drivers.len() as u32;
            let mut gate_reads = Vec::new();
            let mut pass = NONE;
            for &index in members {
                let draft = drafts[index].take().expect("each driver is in one gate");
                if let Some(device) = draft.pass {
                    let index = |n: Option<NodeId>| n.map_or(NONE, |n| n.index() as u32);
                    gate_reads.extend(device.nodes().map(|n| n.index() as u32));
                    pass = passes.len() as u32;
                    passes.push(Pass {
                        n_gate: index(device.n_gate),
                        p_gate: index(device.p_gate),
                        source: device.source.index() as u32,
                    });
                }
                let mut compile = |guard: &Option<Guard>| match guard {
                    None => NONE,
                    Some(guard) => compile(guard, &mut ops, &mut literals, &mut gate_reads),
                };
                let up = [compile(&draft.up[NORMAL]), compile(&draft.up[WEAK])];
                let down = [compile(&draft.down[NORMAL]), compile(&draft.down[WEAK])];
                start_order[index] = drivers.len() as u32;
                drivers.push(Driver {
                    up,
                    down,
                    delay_up: draft.delay_up,
                    delay_down: draft.delay_down,
                    unstab: draft.unstab,
                    instance: draft.instance,
                    local: draft.local,
                    gate: gates.len() as u32,
                });
            }
            gates.push(Gate {
                node: *node,
                first_driver,
                drivers: members.len() as u32,
                pass,
            });
            reads.push(gate_reads);
        }
        // Fanout: gate g reads node n => g is in n's list, once, lists in gate order.
        let mut counts = vec![0u32; node_count + 1];
        let mut last_gate = vec![NONE; node_count];
        for (gate, gate_reads) in reads.iter().enumerate() {
            for &node in gate_reads {
                if last_gate[node as usize] != gate as u32 {
                    last_gate[node as usize] = gate as u32;
                    counts[node as usize + 1] += 1;
                }
            }
        }
        let mut fanout_start = counts;
        for n in 0..node_count {
            fanout_start[n + 1] += fanout_start[n];
        }
        let mut fill: Vec<u32> = fanout_start[..node_count].to_vec();
        let mut fanout = vec![0u32; fanout_start[node_count] as usize];
        last_gate.fill(NONE);
        for (gate, gate_reads) in reads.iter().enumerate() {
            for &node in gate_reads {
                if last_gate[node as usize] != gate as u32 {
                    last_gate[node as usize] = gate as u32;
                    fanout[fill[node as usize] as usize] = gate as u32;
                    fill[node as usize] += 1;
                }
            }
        }
        Netlist {
            node_names: self.node_names,
            instance_names: self.instance_names,
            instance_types: self.instance_types,
            ops,
            literals,
            drivers,
            gates,
            passes,
            fanout_start,
            fanout,
            start_order,
            aliases: {
                let mut aliases = self.aliases;
                aliases.sort_by(|a, b| a.0.cmp(&b.0));
                aliases.dedup_by(|a, b| a.0 == b.0);
                aliases
            },
            top_ports: self.top_ports,
        }
    }
}

fn opposite_present(arrow: Arrow) -> bool {
    arrow != Arrow::Plain
}

/// Appends `guard` to `ops` (children first) and returns its root; the nodes it reads go to
/// `reads`. A negated variable is one operation (the complements put negations there); an
/// AND (OR) of literals only, two or more, is one operation over its literals in `literals`.
fn compile(guard: &Guard, ops: &mut Vec<Op>, literals: &mut Vec<u32>, reads: &mut Vec<u32>) -> u32 {
    let op = match guard {
        Guard::Var(node) => {
            reads.push(node.index() as u32);
            Op::Var(node.index() as u32)
        }
        Guard::Not(inner) | Guard::PullDownLabel(inner) => match **inner {
            Guard::Var(node) => {
                reads.push(node.index() as u32);
                Op::NotVar(node.index() as u32)
            }
            _ => Op::Not(compile(inner, ops, literals, reads)),
        },
        Guard::And(a, b) | Guard::Or(a, b) => {
            let and = matches!(guard, Guard::And(..));
            let start = literals.len();
            if literal_list(guard, and, literals) {
                for &literal in &literals[start..] {
                    reads.push(literal >> 1);
                }
                let len = (literals.len() - start) as u32;
                if and {
                    Op::AllOf(start as u32, len)
                } else {
                    Op::AnyOf(start as u32, len)
                }
            } else {
                literals.truncate(start);
                let a = compile(a, ops, literals, reads);
                let b = compile(b, ops, literals, reads);
                if and {
                    Op::And(a, b)
                } else {
                    Op::Or(a, b)
                }
            }
        }
        Guard::Const(v) => Op::Const(u8::from(*v)),
    };
    ops.push(op);
    ops.len() as u32 - 1
}

/// Appends the literals of `guard`, left to right, if it is an AND (`and`) or an OR of
/// literals only; false (with some appended) if it is not.
fn literal_list(guard: &Guard, and: bool, literals: &mut Vec<u32>) -> bool {
    match guard {
        Guard::Var(node) => {
            literals.push((node.index() as u32) << 1);
            true
        }
        Guard::Not(inner) | Guard::PullDownLabel(inner) => match **inner {
            Guard::Var(node) => {
                literals.push((node.index() as u32) << 1 | 1);
                true
            }
            _ => false,
        },
        Guard::And(a, b) if and => literal_list(a, and, literals) && literal_list(b, and, literals),
        Guard::Or(a, b) if !and => literal_list(a, and, literals) && literal_list(b, and, literals),
        _ => false,
    }
}

/// The level of an engine code 0, 1 or 2.
#[inline]
pub(super) fn level(code: u8) -> Level {
    match code {
        0 => Level::Zero,
        1 => Level::One,
        _ => Level::X,
    }
}
