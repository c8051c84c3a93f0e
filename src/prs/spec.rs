//! `spec { }` directives as actsim checks them while a circuit runs (its `constraints.cc`,
//! written anew from its behaviour): they act when a node named by one changes, wherever the
//! change comes from (a rule, CHP or HSE writing a shared bool).
//!
//! - `mk_exclhi(a, b, ...)` / `mk_excllo`: at most one of the nodes is 1 (0). A node may rise
//!   (fall) only while every other one is 0 (1): otherwise its transition does not happen. When
//!   it does, the pending transitions of the others are retracted (an arbiter's choice).
//!   With random choice (`--random-choice`, actsim's `random_choice on`), a transition that
//!   may happen is one candidate among those of its group pending: it happens when the run's
//!   stream draws 0 modulo 1 + the pending others (actsim's `getRandom`), else it is dropped
//!   and one of theirs may win. As actsim, it draws once, for the last group declared with
//!   the node, even when no other is pending (a draw modulo 1), and so for a list of one
//!   node. As actsim, the nodes of a `mk_excl*` list are `hazard`s too (its directive ends
//!   in that case as well), and a list naming a node twice is skipped, with a warning.
//! - `exclhi` / `excllo`: monitors of the same condition, which only report a violation
//!   (`WARNING: excl-hi constraint in [ inst:proc ] a,b violated!`). actsim checks them only
//!   when run with `-m`; so does chpsim (`--excl-monitors`).
//! - `rand_init(a, ...)`: the nodes start 0 or 1 at random instead of X: C's `random()`, as
//!   actsim draws them (the run's seed seeds it; the default gives actsim's values).
//! - `hazard(a, ...)`: the node may glitch: no `weak-unstable` warning (nor, as actsim, an
//!   `unstable` one for a falling transition).
//! - `timing r : a < [m] b`: after `r` makes its transition, `a` must make its transition
//!   before `b` makes its own (at least `m` earlier); reported when not, outside reset.
use super::c_random::CRandom;
use crate::kernel::{Level, NodeId, Time};
use crate::sim::random_stream::RandomStream;

/// The directions of a transition a timing fork looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Edges {
    pub(crate) up: bool,
    pub(crate) down: bool,
}

impl Edges {
    /// `a+` is up only, `a-` down only, `a` both.
    pub(crate) fn from_dir(dir: Option<bool>) -> Self {
        Edges {
            up: dir != Some(false),
            down: dir != Some(true),
        }
    }

    fn matches(self, value: u8) -> bool {
        (value == 1 && self.up) || (value == 0 && self.down)
    }

    /// How actsim prints them after a node's name: `+`, `-`, or a space for both.
    fn symbol(self) -> char {
        match (self.up, self.down) {
            (true, true) => ' ',
            (true, false) => '+',
            (false, true) => '-',
            (false, false) => '?',
        }
    }
}

/// A group of `mk_excl*` or `excl*` nodes.
#[derive(Debug)]
struct Group {
    nodes: Vec<u32>,
    /// `hi` (no two 1s) or `lo` (no two 0s).
    high: bool,
    /// A monitor (`exclhi`/`excllo`): its instance (`t.s:src<>`) and the nodes' names there.
    monitor: Option<(String, Vec<String>)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ForkState {
    Inactive,
    Started,
    /// `b` came first.
    Pending,
    /// `a` came, at `since`; `b` must wait `margin`.
    PendingDelay,
}

/// A timing fork `root : a < [margin] b`.
#[derive(Debug)]
struct Fork {
    nodes: [u32; 3],
    edges: [Edges; 3],
    margin: Time,
    state: ForkState,
    since: Time,
    /// Its instance (`t.s:src<>`) and the fork as actsim prints it.
    instance: String,
    text: String,
}

/// A directive read from the design, over netlist nodes.
#[derive(Clone, Debug)]
pub(crate) enum Directive {
    /// `mk_exclhi` (`high`) / `mk_excllo` over these nodes, of the `spec` of the instance
    /// `made_by` (its index among the design's instances, in the order actsim makes them:
    /// where actsim's warning about it comes, if it names a node twice; see
    /// [`start_warnings`]).
    Exclusive {
        nodes: Vec<NodeId>,
        high: bool,
        made_by: usize,
    },
    /// `exclhi` / `excllo`: `instance` is `path:proc`, `names` the nodes as written there;
    /// `made_by` as for [`Directive::Exclusive`].
    Monitor {
        nodes: Vec<NodeId>,
        high: bool,
        instance: String,
        names: Vec<String>,
        made_by: usize,
    },
    RandInit(Vec<NodeId>),
    Hazard(Vec<NodeId>),
    /// `root : a < [margin] b`, each node with its edges and its name as written.
    Timing {
        nodes: [(NodeId, Edges, String); 3],
        margin: Time,
        instance: String,
    },
}

impl Directive {
    /// Calls `f` on every node the directive names.
    pub(crate) fn visit_nodes(&self, f: &mut impl FnMut(NodeId)) {
        match self {
            Directive::Exclusive { nodes, .. }
            | Directive::Monitor { nodes, .. }
            | Directive::RandInit(nodes)
            | Directive::Hazard(nodes) => nodes.iter().copied().for_each(f),
            Directive::Timing { nodes, .. } => nodes.iter().for_each(|(n, _, _)| f(*n)),
        }
    }

    /// Replaces every node `n` the directive names by `f(n)`.
    pub(crate) fn map_nodes(&mut self, f: &impl Fn(NodeId) -> NodeId) {
        match self {
            Directive::Exclusive { nodes, .. }
            | Directive::Monitor { nodes, .. }
            | Directive::RandInit(nodes)
            | Directive::Hazard(nodes) => nodes.iter_mut().for_each(|n| *n = f(*n)),
            Directive::Timing { nodes, .. } => nodes.iter_mut().for_each(|(n, _, _)| *n = f(*n)),
        }
    }
}

/// actsim's warning, as it builds the simulation, about a `mk_excl*` list naming a node that
/// several instances' rules drive (see [`start_warnings`]).
const MULTI_DRIVER_EXCLUSION: &str =
    "WARNING: Exclusive constraint is in a multi-driver context. This may not work properly.";

/// actsim's warning about a `mk_excl*` list (or, checked with `-m`, an `excl*` one) naming
/// a node twice, which it then skips.
const DUPLICATE_IN_EXCLUSION: &str = "WARNING: Exclusive list has duplicate node; skipped";

/// actsim's warnings as it builds the simulation, in its order, for `directives` over a
/// netlist whose nodes have `rule_drivers` (see [`super::netlist::Netlist::rule_drivers`]),
/// `-m` checking the monitors or not (`monitors`):
///
/// - as it makes each instance (`substituted` says, by instance in the order actsim makes
///   them, whether it runs at a less detailed level than requested: its warning is then the
///   next of `level_warnings`), that warning, then, once the instance's object is made, one
///   per list of its `spec` naming a node twice;
/// - once all are made, one per `mk_excl*` list naming a node that several instances' rules
///   drive: its constraint keeps one object of a node's rules per node, and warns each time
///   one is registered where another was, that is for each list (but those skipped), each
///   node the list names, and each instance's rules of the node after the first.
///
/// With `failing`, actsim stops as it makes the object of that instance (by its index): the
/// warnings end with that instance's level warning.
pub(crate) fn start_warnings<'a>(
    mut level_warnings: impl Iterator<Item = &'a str>,
    substituted: impl Iterator<Item = bool>,
    directives: &[Directive],
    rule_drivers: &[u32],
    (monitors, failing): (bool, Option<usize>),
) -> Vec<&'a str> {
    let mut skipped: Vec<usize> = (directives.iter())
        .filter_map(|directive| match directive {
            Directive::Exclusive { nodes, made_by, .. } => Some((nodes, *made_by)),
            Directive::Monitor { nodes, made_by, .. } if monitors => Some((nodes, *made_by)),
            _ => None,
        })
        .filter(|(nodes, _)| names_a_node_twice(nodes))
        .map(|(_, made_by)| made_by)
        .collect();
    skipped.sort_unstable();
    let mut skipped = skipped.into_iter().peekable();
    let mut warnings = Vec::new();
    for (instance, substituted) in substituted.enumerate() {
        if substituted {
            warnings.extend(level_warnings.next());
        }
        if failing == Some(instance) {
            return warnings;
        }
        while skipped.next_if(|&made_by| made_by <= instance).is_some() {
            warnings.push(DUPLICATE_IN_EXCLUSION);
        }
    }
    let multi_drivers = (directives.iter())
        .filter_map(|directive| match directive {
            Directive::Exclusive { nodes, .. } if !names_a_node_twice(nodes) => Some(nodes),
            _ => None,
        })
        .flatten()
        .map(|node| rule_drivers[node.index()].saturating_sub(1) as usize)
        .sum();
    warnings.extend(std::iter::repeat_n(MULTI_DRIVER_EXCLUSION, multi_drivers));
    warnings
}

/// As actsim: a `mk_excl*` or `excl*` list naming a node twice is skipped.
fn names_a_node_twice(nodes: &[NodeId]) -> bool {
    (1..nodes.len()).any(|i| nodes[..i].contains(&nodes[i]))
}

/// Whether a change of a node may happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Allowed,
    /// A `mk_excl*` group forbids it.
    Forbidden,
}

/// The design's directives, indexed by node.
#[derive(Debug, Default)]
pub(crate) struct Specs {
    /// By node: whether any directive names it (the engine's test per change).
    pub(crate) special: Vec<bool>,
    groups: Vec<Group>,
    /// By node: the groups naming it.
    groups_of: Vec<Vec<u32>>,
    forks: Vec<Fork>,
    forks_of: Vec<Vec<u32>>,
    hazard: Vec<bool>,
    rand_init: Vec<u32>,
    /// By node: the evaluator state whose pending transition its exclusions see and retract,
    /// or `u32::MAX` (filled in by the engine: see [`crate::prs::engine::Engine::set_specs`]).
    pub(crate) state_of: Vec<u32>,
    /// The seed of `rand_init`'s draws.
    rand_init_seed: u32,
}

impl Specs {
    /// The directives over a netlist of `nodes` nodes; `monitors` turns on `exclhi`/`excllo`.
    pub(crate) fn new(nodes: usize, directives: Vec<Directive>, monitors: bool) -> Self {
        let mut specs = Specs {
            special: vec![false; nodes],
            groups_of: vec![Vec::new(); nodes],
            forks_of: vec![Vec::new(); nodes],
            hazard: vec![false; nodes],
            ..Specs::default()
        };
        for directive in directives {
            match directive {
                Directive::Exclusive { nodes, high, .. } => {
                    // As actsim, whose directive ends in its `hazard` case too.
                    for n in &nodes {
                        specs.hazard[n.index()] = true;
                    }
                    specs.group(nodes, high, None)
                }
                Directive::Monitor {
                    nodes,
                    high,
                    instance,
                    names,
                    ..
                } => {
                    if monitors {
                        specs.group(nodes, high, Some((instance, names)));
                    }
                }
                Directive::RandInit(nodes) => specs
                    .rand_init
                    .extend(nodes.iter().map(|n| n.index() as u32)),
                Directive::Hazard(nodes) => {
                    for n in nodes {
                        specs.hazard[n.index()] = true;
                    }
                }
                Directive::Timing {
                    nodes,
                    margin,
                    instance,
                } => specs.fork(nodes, margin, instance),
            }
        }
        specs
    }

    /// Seeds the draws of `rand_init` (see [`Specs::random_start`]).
    pub(crate) fn with_rand_init_seed(mut self, seed: u32) -> Self {
        self.rand_init_seed = seed;
        self
    }

    fn group(&mut self, nodes: Vec<NodeId>, high: bool, monitor: Option<(String, Vec<String>)>) {
        // A list of one node is a group too: with random choice, its changes draw.
        if nodes.is_empty() || names_a_node_twice(&nodes) {
            return;
        }
        let nodes: Vec<u32> = nodes.iter().map(|n| n.index() as u32).collect();
        let index = self.groups.len() as u32;
        for &n in &nodes {
            self.special[n as usize] = true;
            self.groups_of[n as usize].push(index);
        }
        self.groups.push(Group {
            nodes,
            high,
            monitor,
        });
    }

    fn fork(&mut self, nodes: [(NodeId, Edges, String); 3], margin: Time, instance: String) {
        let ids = nodes.each_ref().map(|(n, _, _)| n.index() as u32);
        let edges = nodes.each_ref().map(|(_, e, _)| *e);
        // The same fork twice is checked once.
        if self.forks_of[ids[0] as usize].iter().any(|&f| {
            self.forks[f as usize].nodes == ids && self.forks[f as usize].margin == margin
        }) {
            return;
        }
        let [(_, e0, n0), (_, e1, n1), (_, e2, n2)] = &nodes;
        let text = format!(
            " {n0}{} : {n1}{} < [{margin}] {n2}{}",
            e0.symbol(),
            e1.symbol(),
            e2.symbol()
        );
        let index = self.forks.len() as u32;
        for (i, &n) in ids.iter().enumerate() {
            if ids[..i].contains(&n) {
                continue;
            }
            self.special[n as usize] = true;
            self.forks_of[n as usize].push(index);
        }
        self.forks.push(Fork {
            nodes: ids,
            edges,
            margin,
            state: ForkState::Inactive,
            since: 0,
            instance,
            text,
        });
    }

    /// Whether `hazard` names `node`.
    #[inline]
    pub(crate) fn is_hazard(&self, node: u32) -> bool {
        self.hazard.get(node as usize).copied().unwrap_or(false)
    }

    /// The nodes of `rand_init` and a value for each, as actsim draws them: C's `random() % 2`
    /// per node in the order the directives name them, from the state `srandom(seed)` leaves
    /// (actsim never seeds it: the default seed, 0, gives its values).
    pub(crate) fn random_start(&self) -> Vec<(u32, Level)> {
        let mut random = CRandom::new(self.rand_init_seed);
        (self.rand_init.iter())
            .map(|&n| {
                let level = if random.next() % 2 == 1 {
                    Level::One
                } else {
                    Level::Zero
                };
                (n, level)
            })
            .collect()
    }

    /// Node `node` is about to become `value` (a code 0, 1 or 2) at `now` (in reset mode or
    /// not), its nodes' values being `values`: whether a `mk_excl*` group forbids it (or,
    /// while choices are random, a draw from the run's `stream` gives the turn to one of the
    /// others, for which `pending` tells whether a transition is pending), and the others whose pending
    /// transitions it retracts (`retract`). Timing forks move on (outside reset), monitors
    /// report to `report`.
    pub(crate) fn change(
        &mut self,
        (node, value): (u32, u8),
        values: &[u8],
        (stream, pending): (&RandomStream, &dyn Fn(u32) -> bool),
        (now, reset_mode): (Time, bool),
        retract: &mut Vec<u32>,
        report: &mut impl FnMut(&str, String),
    ) -> Verdict {
        if value > 1 {
            // An X is never forbidden and breaks no exclusion; it stops a fork from its root.
            for f in 0..self.forks_of[node as usize].len() {
                let index = self.forks_of[node as usize][f] as usize;
                if !reset_mode {
                    self.forks[index].update(node, value, now, report);
                }
            }
            return Verdict::Allowed;
        }
        let wanted = value == 1;
        for &g in &self.groups_of[node as usize] {
            let group = &self.groups[g as usize];
            if group.monitor.is_some() || group.high != wanted {
                continue;
            }
            let others_ok =
                (group.nodes.iter()).all(|&n| n == node || values[n as usize] == 1 - value);
            if !others_ok {
                return Verdict::Forbidden;
            }
        }
        if stream.choices() {
            // actsim draws once, for the group declared last, even with no other pending.
            let last = (self.groups_of[node as usize].iter().rev())
                .map(|&g| &self.groups[g as usize])
                .find(|group| group.monitor.is_none() && group.high == wanted);
            if let Some(group) = last {
                let competing = (group.nodes.iter())
                    .filter(|&&n| n != node && pending(n))
                    .count();
                if stream.below(1 + competing) != 0 {
                    return Verdict::Forbidden;
                }
            }
        }
        for &g in &self.groups_of[node as usize] {
            let group = &self.groups[g as usize];
            if group.monitor.is_none() && group.high == wanted {
                retract.extend(group.nodes.iter().filter(|&&n| n != node));
            }
        }
        for f in 0..self.forks_of[node as usize].len() {
            let index = self.forks_of[node as usize][f] as usize;
            if !reset_mode {
                self.forks[index].update(node, value, now, report);
            }
        }
        for &g in &self.groups_of[node as usize] {
            let group = &self.groups[g as usize];
            let Some((instance, names)) = &group.monitor else {
                continue;
            };
            if group.high != wanted {
                continue;
            }
            if (group.nodes.iter()).any(|&n| n != node && values[n as usize] != 1 - value) {
                let kind = if wanted { "hi" } else { "lo" };
                report(
                    instance,
                    format!(
                        "WARNING: excl-{kind} constraint in [ {instance} ] {} violated!",
                        names.join(",")
                    ),
                );
                report(instance, format!(">> time: {now}"));
            }
        }
        Verdict::Allowed
    }
}

impl Fork {
    /// actsim's state machine of a timing fork, for a change of `node` to `value`.
    fn update(&mut self, node: u32, value: u8, now: Time, report: &mut impl FnMut(&str, String)) {
        if self.nodes[0] == node {
            self.state = if self.edges[0].matches(value) {
                ForkState::Started
            } else {
                ForkState::Inactive
            };
        }
        if self.nodes[1] == node
            && self.state != ForkState::Inactive
            && self.edges[1].matches(value)
        {
            match self.state {
                ForkState::Pending => {
                    report(
                        &self.instance,
                        format!(
                            "WARNING: timing constraint in [ {} ] {} violated!",
                            self.instance, self.text
                        ),
                    );
                    report(&self.instance, format!(">> time: {now}"));
                    self.state = ForkState::Inactive;
                }
                ForkState::Started if self.margin != 0 => {
                    self.since = now;
                    self.state = ForkState::PendingDelay;
                }
                ForkState::PendingDelay => self.since = now,
                _ => {}
            }
        }
        if self.nodes[2] == node
            && self.state != ForkState::Inactive
            && self.edges[2].matches(value)
        {
            if self.state == ForkState::PendingDelay {
                if self.since.saturating_add(self.margin) > now {
                    report(
                        &self.instance,
                        format!("WARNING: timing constraint {} violated!", self.text),
                    );
                    report(&self.instance, format!(">> time: {now}"));
                    self.state = ForkState::Inactive;
                }
            } else {
                self.state = ForkState::Pending;
            }
        }
    }
}
