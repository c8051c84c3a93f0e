//! The engine on small netlists built through its own API, checked against actsim's rules by
//! hand (each test says why the times are what they are).
use std::rc::Rc;

use super::engine::{Engine, Timing};
use super::listener::{Cause, Changer, Listener, Warning, WarningKind};
use super::netlist::{Arrow, Guard, InstanceId, NetlistBuilder, Rule};
use crate::kernel::{Level, NodeId, Time};
use crate::sim::random_stream::RandomStream;
use crate::sim::DelayRange;

use Level::{One, Zero, X};

/// A listener that ignores everything.
struct Quiet;

impl Listener for Quiet {}

/// Records what the engine reports, warnings as actsim's text (`-cmd-` for outside causes).
#[derive(Default)]
struct Record {
    transitions: Vec<(Time, u32, Level)>,
    warnings: Vec<(Time, Warning)>,
    texts: Vec<String>,
}

impl Record {
    /// The transitions of `node`: (time, new value).
    fn changes_of(&self, node: NodeId) -> Vec<(Time, Level)> {
        (self.transitions.iter())
            .filter(|(_, n, _)| *n == node.index() as u32)
            .map(|&(t, _, v)| (t, v))
            .collect()
    }
}

impl Listener for Record {
    fn transition(&mut self, time: Time, node: NodeId, value: Level, _by: Changer<'_>) {
        self.transitions.push((time, node.index() as u32, value));
    }
    fn warning(&mut self, time: Time, instance: InstanceId, text: &str, warning: &Warning) {
        self.warnings.push((time, *warning));
        self.texts.push(format!("{time} <{}> {text}", instance.0));
    }
}

fn var(n: NodeId) -> Guard {
    Guard::var(n)
}

fn run_all(engine: &mut Engine, record: &mut Record) {
    engine.run(Time::MAX, u64::MAX, record);
}

fn texts(engine: &Engine, record: &Record) -> Vec<String> {
    (record.warnings.iter())
        .map(|(t, w)| {
            let instance = engine.netlist().instance_name(engine.warning_instance(w));
            format!(
                "{t} <{instance}> {}",
                engine.warning_text(w, |_| "-cmd-".to_string())
            )
        })
        .collect()
}

#[test]
fn inverter_follows_its_input_after_the_default_delay() {
    let mut b = NetlistBuilder::new();
    let inv = b.instance("inv", "t<>");
    let (a, y) = (b.node("a"), b.node("y"));
    b.rule(inv, "y", Rule::new(var(a), Arrow::Combinational, y, false));
    let mut engine = Engine::new(b.build(), Timing::default());
    let mut record = Record::default();
    engine.preset(a, Zero);
    engine.initialize(&mut record);
    run_all(&mut engine, &mut record);
    assert_eq!(record.transitions, vec![(10, y.index() as u32, One)]);
    engine.set(20, a, One, Cause::Outside(0), &mut record);
    run_all(&mut engine, &mut record);
    assert_eq!(
        record.transitions,
        vec![
            (10, y.index() as u32, One),
            (20, a.index() as u32, One),
            (30, y.index() as u32, Zero)
        ]
    );
    assert_eq!(engine.transitions(), 2); // the outside write is no rule's transition
    assert!(record.warnings.is_empty());
}

#[test]
fn c_element_holds_until_both_inputs_agree() {
    let mut b = NetlistBuilder::new();
    let c_inst = b.instance("c", "t<>");
    let (x, y, c) = (b.node("x"), b.node("y"), b.node("c"));
    // x & y #> c+ : up on x & y, down on ~x & ~y.
    b.rule(
        c_inst,
        "c",
        Rule::new(var(x).and(var(y)), Arrow::StateHolding, c, true),
    );
    let mut engine = Engine::new(b.build(), Timing::default());
    let mut record = Record::default();
    engine.preset(x, Zero);
    engine.preset(y, Zero);
    engine.initialize(&mut record);
    run_all(&mut engine, &mut record);
    assert_eq!(engine.value(c), Zero);
    let mut at = |engine: &mut Engine, t, node, v| {
        engine.set(t, node, v, Cause::Outside(0), &mut Quiet);
        engine.run(Time::MAX, u64::MAX, &mut record);
        engine.value(c)
    };
    assert_eq!(at(&mut engine, 20, x, One), Zero); // one input: holds 0
    assert_eq!(at(&mut engine, 30, y, One), One); // both: c+ at 40
    assert_eq!(engine.now(), 40);
    assert_eq!(at(&mut engine, 50, x, Zero), One); // one input back: holds 1
    assert_eq!(at(&mut engine, 60, y, Zero), Zero); // both: c- at 70
    assert_eq!(engine.now(), 70);
    assert!(record.warnings.is_empty());
}

/// A ring of three inverters oscillates once one node is set: each transition 10 ticks after
/// the one before, around the ring.
#[test]
fn ring_of_three_inverters_oscillates() {
    let mut b = NetlistBuilder::new();
    let x: Vec<NodeId> = (0..3).map(|i| b.node(format!("x[{i}]"))).collect();
    for i in 0..3 {
        let g = b.instance(format!("g[{i}]"), "t<>");
        b.rule(
            g,
            "y",
            Rule::new(var(x[i]), Arrow::Combinational, x[(i + 1) % 3], false),
        );
    }
    let mut engine = Engine::new(b.build(), Timing::default());
    let mut record = Record::default();
    engine.initialize(&mut record); // all X: nothing to do, and no warning in reset mode
    assert!(engine.next_time().is_none());
    engine.set(0, x[0], Zero, Cause::Outside(0), &mut Quiet);
    engine.run(60, u64::MAX, &mut record);
    let expected = vec![
        (10, 1, One),
        (20, 2, Zero),
        (30, 0, One),
        (40, 1, Zero),
        (50, 2, One),
        (60, 0, Zero),
    ];
    assert_eq!(record.transitions, expected);
    // A transition limit stops the run there.
    let mut limited = Record::default();
    engine.run(Time::MAX, 8, &mut limited);
    assert_eq!(engine.transitions(), 8);
    assert_eq!(limited.transitions, vec![(70, 1, One), (80, 2, Zero)]);
    assert!(record.warnings.is_empty());
}

/// Two inputs pulling y both ways at full strength: actsim's `interference`, y goes X one tick
/// later; when one pull goes away, the other takes y out of X.
#[test]
fn interference_makes_the_node_x_one_tick_later() {
    let mut b = NetlistBuilder::new();
    let top = b.instance("top", "t<>");
    let (a, c, y) = (b.node("a"), b.node("c"), b.node("y"));
    b.rule(top, "y", Rule::new(var(a), Arrow::Plain, y, true));
    b.rule(top, "y", Rule::new(var(c), Arrow::Plain, y, false));
    let mut engine = Engine::new(b.build(), Timing::default());
    let mut record = Record::default();
    engine.preset(a, Zero);
    engine.preset(c, Zero);
    engine.initialize(&mut record);
    engine.set(0, a, One, Cause::Outside(0), &mut record);
    run_all(&mut engine, &mut record);
    engine.set(20, c, One, Cause::Outside(0), &mut record);
    run_all(&mut engine, &mut record);
    engine.set(30, a, Zero, Cause::Outside(0), &mut record);
    run_all(&mut engine, &mut record);
    assert_eq!(
        texts(&engine, &record),
        ["20 <top> WARNING: interference on `y'   [by -cmd-]"]
    );
    assert_eq!(record.changes_of(y), vec![(10, One), (21, X), (40, Zero)]);
}

/// A weak pull loses to a normal one without a warning; two weak pulls interfere.
#[test]
fn a_weak_rule_loses_to_a_normal_one() {
    let mut b = NetlistBuilder::new();
    let top = b.instance("top", "t<>");
    let (a, c, y) = (b.node("a"), b.node("c"), b.node("y"));
    b.rule(top, "y", Rule::new(var(a), Arrow::Plain, y, true));
    let mut weak_down = Rule::new(var(c), Arrow::Plain, y, false);
    weak_down.weak = true;
    b.rule(top, "y", weak_down);
    let mut engine = Engine::new(b.build(), Timing::default());
    let mut record = Record::default();
    engine.preset(a, Zero);
    engine.preset(c, One);
    engine.initialize(&mut record); // the weak pull-down alone: y- at 10
    run_all(&mut engine, &mut record);
    assert_eq!(engine.value(y), Zero);
    engine.set(20, a, One, Cause::Outside(0), &mut record); // normal up wins: y+ at 30
    run_all(&mut engine, &mut record);
    assert_eq!((engine.now(), engine.value(y)), (30, One));
    assert!(record.warnings.is_empty());
}

/// A transition retracted before it fires: actsim's `unstable transition`, reported with the
/// retracted direction when nothing outside caused it; the node glitches to X and back.
#[test]
fn an_unstable_transition_is_reported_and_the_node_glitches_through_x() {
    let mut b = NetlistBuilder::new();
    let top = b.instance("", "t<>");
    let (a, y) = (b.node("a"), b.node("y"));
    b.rule(top, "y", Rule::new(var(a), Arrow::Plain, y, true));
    b.rule(top, "y", Rule::new(var(a).not(), Arrow::Plain, y, false));
    let mut engine = Engine::new(b.build(), Timing::default());
    let mut record = Record::default();
    engine.preset(a, Zero);
    engine.initialize(&mut record);
    run_all(&mut engine, &mut record);
    engine.set(20, a, One, Cause::Outside(0), &mut record); // y+ due at 30
    engine.set(25, a, Zero, Cause::Outside(0), &mut record); // ... retracted at 25
    run_all(&mut engine, &mut record);
    assert_eq!(
        texts(&engine, &record),
        ["25 <> WARNING: unstable transition on `y'   [by -cmd-]"]
    );
    assert_eq!(record.changes_of(y), vec![(10, Zero), (26, X), (36, Zero)]);
    // With `unstab`, the same glitch is silent.
    let mut b = NetlistBuilder::new();
    let top = b.instance("", "t<>");
    let (a, y) = (b.node("a"), b.node("y"));
    let mut up = Rule::new(var(a), Arrow::Plain, y, true);
    up.unstab = true;
    b.rule(top, "y", up);
    b.rule(top, "y", Rule::new(var(a).not(), Arrow::Plain, y, false));
    let mut engine = Engine::new(b.build(), Timing::default());
    let mut record = Record::default();
    engine.preset(a, Zero);
    engine.initialize(&mut record);
    run_all(&mut engine, &mut record);
    engine.set(20, a, One, Cause::Outside(0), &mut record);
    engine.set(25, a, Zero, Cause::Outside(0), &mut record);
    run_all(&mut engine, &mut record);
    assert!(record.warnings.is_empty());
}

/// A gate as the cause: its instance, its node's local name and new value.
#[test]
fn a_warning_names_the_gate_that_caused_it() {
    let mut b = NetlistBuilder::new();
    let (i, a, c, y) = (b.node("i"), b.node("a"), b.node("c"), b.node("y"));
    let g = b.instance("top.g", "t<>");
    b.rule(g, "out", Rule::new(var(i), Arrow::Combinational, c, true));
    let k = b.instance("top.k", "t<>");
    b.rule(k, "y", Rule::new(var(a), Arrow::Plain, y, true));
    b.rule(k, "y", Rule::new(var(c), Arrow::Plain, y, false));
    let mut engine = Engine::new(b.build(), Timing::default());
    let mut record = Record::default();
    engine.preset(i, Zero);
    engine.preset(a, One);
    engine.initialize(&mut record); // c- at 10; y+ at 10 (c is X: weak-interference, silent)
    run_all(&mut engine, &mut record);
    engine.set(20, i, One, Cause::Outside(0), &mut record); // c+ at 30: interference on y
    run_all(&mut engine, &mut record);
    assert_eq!(
        texts(&engine, &record),
        ["30 <top.k> WARNING: interference on `y'   [by top.g.out <- 1]"]
    );
    assert_eq!(engine.value(y), X);
    assert_eq!(record.warnings[0].1.kind, WarningKind::Interference);
}

/// `after` sets a direction's delay; random timing draws every non-zero delay from the
/// seeded random stream, the same seed giving the same times.
#[test]
fn delays_come_from_after_the_default_or_the_random_stream() {
    let build = || {
        let mut b = NetlistBuilder::new();
        let top = b.instance("top", "t<>");
        let (a, y) = (b.node("a"), b.node("y"));
        let mut up = Rule::new(var(a).not(), Arrow::Plain, y, true);
        up.after = Some(3);
        b.rule(top, "y", up);
        b.rule(top, "y", Rule::new(var(a), Arrow::Plain, y, false));
        (b.build(), a, y)
    };
    let (net, a, y) = build();
    let mut engine = Engine::new(net, Timing::default());
    engine.preset(a, Zero);
    engine.initialize(&mut Quiet);
    engine.run(Time::MAX, u64::MAX, &mut Quiet);
    assert_eq!((engine.now(), engine.value(y)), (3, One));
    engine.set(10, a, One, Cause::Outside(0), &mut Quiet);
    engine.run(Time::MAX, u64::MAX, &mut Quiet);
    assert_eq!((engine.now(), engine.value(y)), (20, Zero));

    let random_times = |seed| {
        let (net, a, _) = build();
        let timing = Timing {
            default_delay: 10,
            random: Rc::new(RandomStream::new(
                seed,
                Some(DelayRange::new(5, 50).unwrap()),
                false,
            )),
        };
        let mut engine = Engine::new(net, timing);
        let mut record = Record::default();
        engine.preset(a, Zero);
        engine.initialize(&mut record);
        for t in [100, 200, 300, 400] {
            engine.run(Time::MAX, u64::MAX, &mut record);
            let v = if engine.value(a) == Zero { One } else { Zero };
            engine.set(t, a, v, Cause::Outside(0), &mut record);
        }
        engine.run(Time::MAX, u64::MAX, &mut record);
        record.transitions
    };
    assert_eq!(random_times(1), random_times(1));
    assert!(random_times(1)
        .iter()
        .all(|&(t, _, _)| t % 100 == 0 || (5..=50).contains(&(t % 100))));
}

/// Two instances driving one node: each pull is its driver's, and a fight between them is
/// interference on the node, reported for the first driver's instance.
#[test]
fn drivers_in_two_instances_share_a_node() {
    let mut b = NetlistBuilder::new();
    let (a, c, y) = (b.node("a"), b.node("c"), b.node("y"));
    let p = b.instance("p", "t<>");
    b.rule(p, "o", Rule::new(var(a), Arrow::Plain, y, true));
    let q = b.instance("q", "t<>");
    b.rule(q, "o", Rule::new(var(c), Arrow::Plain, y, false));
    let mut engine = Engine::new(b.build(), Timing::default());
    let mut record = Record::default();
    engine.preset(a, Zero);
    engine.preset(c, One);
    engine.initialize(&mut record);
    run_all(&mut engine, &mut record);
    assert_eq!(engine.value(y), Zero);
    engine.set(20, a, One, Cause::Outside(0), &mut record);
    run_all(&mut engine, &mut record);
    assert_eq!(
        texts(&engine, &record),
        ["20 <p> WARNING: interference on `o'   [by -cmd-]"]
    );
    assert_eq!(engine.value(y), X);
}

/// A write of the value a node has already evaluates its fanout all the same (actsim's
/// writes always propagate): a gate still fighting warns again; only changes are transitions.
#[test]
fn a_write_of_the_same_value_evaluates_the_gates_again() {
    let mut b = NetlistBuilder::new();
    let top = b.instance("top", "t<>");
    let (a, c, y) = (b.node("a"), b.node("c"), b.node("y"));
    b.rule(top, "y", Rule::new(var(a), Arrow::Plain, y, true));
    b.rule(top, "y", Rule::new(var(c), Arrow::Plain, y, false));
    let mut engine = Engine::new(b.build(), Timing::default());
    let mut record = Record::default();
    engine.preset(a, One);
    engine.preset(c, Zero);
    engine.preset(y, One);
    engine.set(0, c, One, Cause::Outside(0), &mut record); // interference: y X at 1
    run_all(&mut engine, &mut record);
    engine.set(5, a, One, Cause::Outside(0), &mut record); // the same value: warns again
    run_all(&mut engine, &mut record);
    assert_eq!(
        texts(&engine, &record),
        [
            "0 <top> WARNING: interference on `y'   [by -cmd-]",
            "5 <top> WARNING: interference on `y'   [by -cmd-]"
        ]
    );
    assert_eq!(
        record.transitions,
        [(0, c.index() as u32, One), (1, y.index() as u32, X)]
    );
}

/// What actsim's reset phase waits for: a queued event of a node with one driver, retracted
/// or not (until its time comes); not one of a node driven from two instances.
#[test]
fn the_reset_phase_waits_for_single_driver_events_retracted_ones_too() {
    let mut b = NetlistBuilder::new();
    let (one, two) = (b.instance("one", "t<>"), b.instance("two", "t<>"));
    let (a, c, y, z) = (b.node("a"), b.node("c"), b.node("y"), b.node("z"));
    b.rule(one, "y", Rule::new(var(a), Arrow::Plain, y, true));
    b.rule(one, "z", Rule::new(var(c), Arrow::Plain, z, true));
    b.rule(two, "z", Rule::new(var(c), Arrow::Plain, z, true));
    let mut engine = Engine::new(b.build(), Timing::default());
    let mut record = Record::default();
    for node in [a, c, y, z] {
        engine.preset(node, Zero);
    }
    engine.set(0, c, One, Cause::Outside(0), &mut record); // z+ due at 10: two drivers
    assert_eq!(engine.next_time(), Some(10));
    assert!(!engine.has_reset_pending());
    run_all(&mut engine, &mut record);
    engine.set(20, a, One, Cause::Outside(0), &mut record); // y+ due at 30
    assert!(engine.has_reset_pending());
    engine.set(25, a, Zero, Cause::Outside(0), &mut record); // retracted: y X at 26
    engine.run(26, u64::MAX, &mut record);
    assert_eq!(record.changes_of(y), [(26, X)]);
    assert!(
        engine.has_reset_pending(),
        "the retracted rise is queued until 30"
    );
    run_all(&mut engine, &mut record);
    assert!(!engine.has_reset_pending());
    assert_eq!(engine.next_time(), None);
}

/// At the start, each driver of a node with several is evaluated alone (actsim's objects of
/// one instance's rules): two that disagree each schedule their transition, without
/// interference, and their events count for the reset phase; the second one's, on firing,
/// leaves the node its value, whatever the first did.
#[test]
fn the_start_evaluates_the_drivers_of_a_node_each_alone() {
    let mut b = NetlistBuilder::new();
    let (one, two) = (b.instance("one", "t<>"), b.instance("two", "t<>"));
    let y = b.node("y");
    b.rule(
        one,
        "y",
        Rule::new(Guard::Const(true), Arrow::Plain, y, true),
    );
    b.rule(
        two,
        "y",
        Rule::new(Guard::Const(true), Arrow::Plain, y, false),
    );
    let mut engine = Engine::new(b.build(), Timing::default());
    let mut record = Record::default();
    engine.initialize(&mut record);
    assert!(engine.has_reset_pending());
    run_all(&mut engine, &mut record);
    assert_eq!(record.changes_of(y), [(10, One), (10, Zero)]);
    assert!(record.warnings.is_empty(), "{:?}", record.warnings);
    assert!(!engine.has_reset_pending());
}

/// The value of `guard` over 0/1/X, from its tree (a reference for the engine's evaluation).
fn reference(guard: &Guard, value: &impl Fn(NodeId) -> Level) -> Level {
    match guard {
        Guard::Var(n) => value(*n),
        Guard::Not(g) | Guard::PullDownLabel(g) => match reference(g, value) {
            Zero => One,
            One => Zero,
            X => X,
        },
        Guard::And(a, b) => match (reference(a, value), reference(b, value)) {
            (Zero, _) | (_, Zero) => Zero,
            (One, One) => One,
            _ => X,
        },
        Guard::Or(a, b) => match (reference(a, value), reference(b, value)) {
            (One, _) | (_, One) => One,
            (Zero, Zero) => Zero,
            _ => X,
        },
        Guard::Const(v) => [Zero, One][usize::from(*v)],
    }
}

/// ANDs and ORs of literals (one operation over a list in the engine) and trees mixing them
/// with other operations give the value their trees give, for every input over 0/1/X: a node
/// at 0 pulled up by the guard ends at the guard's value (X: interference with nothing).
#[test]
fn guards_of_literals_evaluate_as_their_trees_over_x() {
    let [a, bn, c] = [0, 1, 2].map(NodeId::from_index);
    let guards = [
        var(a).and(var(bn).not()).and(var(c)),
        var(a).or(var(bn).not()).or(var(c)),
        var(a).or(var(bn).not().and(var(c))),
        var(a).and(var(bn)).not().or(var(c)),
        var(c).and(var(a).or(var(bn))),
    ];
    let levels = [Zero, One, X];
    for guard in guards {
        for i in 0..27 {
            let inputs = [levels[i % 3], levels[i / 3 % 3], levels[i / 9]];
            let mut b = NetlistBuilder::new();
            let nodes = [b.node("a"), b.node("b"), b.node("c")];
            let y = b.node("y");
            let t = b.instance("t", "t<>");
            b.rule(t, "y", Rule::new(guard.clone(), Arrow::Plain, y, true));
            let mut engine = Engine::new(b.build(), Timing::default());
            for (node, level) in nodes.iter().zip(inputs) {
                engine.preset(*node, level);
            }
            engine.preset(y, Zero);
            let mut record = Record::default();
            engine.initialize(&mut record);
            run_all(&mut engine, &mut record);
            let expected = reference(&guard, &|n| inputs[n.index()]);
            assert_eq!(engine.value(y), expected, "{guard:?} over {inputs:?}");
        }
    }
}

#[test]
fn only_the_drivers_of_a_node_with_several_have_states_of_their_own() {
    // Nodes `a` and `b` have one driver each; `y`, driven from three instances, is the last
    // gate. Its drivers but the first get a state each: 3 gates + 2. The start evaluates
    // each of y's drivers alone, in its own state: y+ (one), y+ (two), y- (three), all at 10.
    let mut b = NetlistBuilder::new();
    let (a, c, y) = (b.node("a"), b.node("b"), b.node("y"));
    let p = b.instance("p", "t<>");
    b.rule(p, "a", Rule::new(Guard::Const(true), Arrow::Plain, a, true));
    b.rule(
        p,
        "b",
        Rule::new(Guard::Const(true), Arrow::Plain, c, false),
    );
    for (name, up) in [("one", true), ("two", true), ("three", false)] {
        let instance = b.instance(name, "t<>");
        b.rule(
            instance,
            "y",
            Rule::new(Guard::Const(true), Arrow::Plain, y, up),
        );
    }
    let mut engine = Engine::new(b.build(), Timing::default());
    assert_eq!(engine.state_count(), 3 + 2);
    let mut record = Record::default();
    engine.initialize(&mut record);
    run_all(&mut engine, &mut record);
    assert_eq!(record.changes_of(y), [(10, One), (10, Zero)]);
    assert_eq!((engine.value(a), engine.value(c)), (One, Zero));
    assert!(record.warnings.is_empty(), "{:?}", record.warnings);
    // A netlist whose nodes have one driver each keeps one state per gate.
    let mut b = NetlistBuilder::new();
    let (a, y) = (b.node("a"), b.node("y"));
    let p = b.instance("p", "t<>");
    b.rule(p, "y", Rule::new(var(a), Arrow::Plain, y, false));
    assert_eq!(Engine::new(b.build(), Timing::default()).state_count(), 1);
}
