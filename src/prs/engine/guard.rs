//! Guards evaluated over 0/1/X, and the pull of an evaluator's drivers each way.
use super::Engine;
use crate::kernel::Level;
use crate::prs::netlist::{Driver, Op, NONE, NORMAL, WEAK};

pub(super) const NOT: [u8; 3] = [1, 0, 2];
/// The engine's code of X.
pub(super) const X: u8 = Level::X as u8;
const AND: [[u8; 3]; 3] = [[0, 0, 0], [0, 1, 2], [0, 2, 2]];
const OR: [[u8; 3]; 3] = [[0, 1, 2], [1, 1, 1], [2, 1, 2]];
/// A literal's value by its negation bit and its node's value.
const LITERAL: [[u8; 3]; 2] = [[0, 1, 2], [1, 0, 2]];

/// The combined pull of a gate's drivers one way: its value, whether only a weak rule gives
/// it, and the driver whose rule gives it (for the delay).
#[derive(Clone, Copy)]
pub(super) struct Pull {
    pub(super) state: u8,
    pub(super) weak: bool,
    pub(super) driver: u32,
}

/// What evaluates rules and owns a pending transition, as actsim's objects do: a gate,
/// over all the drivers of its node (actsim's object of a node with one driver, or its
/// multi-driver object), or one driver alone, of a node with several (actsim's object of one
/// instance's rules, which the start of a run evaluates alone, and which then fires the
/// transitions it scheduled alone).
#[derive(Clone, Copy, Debug)]
pub(super) struct Evaluator {
    pub(super) gate: u32,
    /// Its drivers, `first..first + count`; `first` names it (warnings, causes).
    pub(super) first: u32,
    pub(super) count: u32,
    /// Its state, an index of [`Engine::states`].
    pub(super) state: u32,
    /// Whether it is one driver alone, of a node with several.
    pub(super) alone: bool,
}

impl Engine {
    /// The value of a guard; a single (negated) variable or an AND of literals, the common
    /// cases, without a call (inlined into every pull: a call's saved registers cost more
    /// than a single literal's evaluation).
    #[inline(always)]
    fn eval(&self, root: u32) -> u8 {
        if root == NONE {
            return 0;
        }
        match self.net.ops[root as usize] {
            Op::Var(node) => self.values[node as usize],
            Op::NotVar(node) => NOT[self.values[node as usize] as usize],
            Op::AllOf(start, len) => self.literal_list(start, len, 0),
            _ => self.eval_tree(root),
        }
    }

    /// An AND (`decides` 0) or an OR (`decides` 1) of literals: `decides` if a literal is
    /// it, else X if one is X, else the other value (as the tree of ANDs or ORs, whatever
    /// the order: X is the greatest code).
    #[inline]
    fn literal_list(&self, start: u32, len: u32, decides: u8) -> u8 {
        let mut value = 1 - decides;
        for &l in &self.net.literals[start as usize..(start + len) as usize] {
            match LITERAL[(l & 1) as usize][self.values[(l >> 1) as usize] as usize] {
                v if v == decides => return decides,
                v => value = value.max(v),
            }
        }
        value
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
            Op::AllOf(start, len) => self.literal_list(start, len, 0),
            Op::AnyOf(start, len) => self.literal_list(start, len, 1),
        }
    }

    /// The pull one way over an evaluator's drivers, as actsim combines them: the first
    /// driver whose normal rule holds; else the last one's value; weak rules only if that
    /// is 0.
    #[inline(always)]
    fn pull(&self, by: Evaluator, side: fn(&Driver) -> &[u32; 2]) -> Pull {
        if by.count == 1 {
            // One driver, most nodes' case: its normal rule, else its weak one, no loop.
            let guards = side(&self.net.drivers[by.first as usize]);
            let (state, weak) = match self.eval(guards[NORMAL]) {
                0 => {
                    let weak = self.eval(guards[WEAK]);
                    (weak, weak != 0)
                }
                normal => (normal, false),
            };
            return Pull {
                state,
                weak,
                driver: by.first,
            };
        }
        let drivers = &self.net.drivers[by.first as usize..(by.first + by.count) as usize];
        let mut pull = Pull {
            state: 0,
            weak: false,
            driver: by.first,
        };
        for strength in [NORMAL, WEAK] {
            for (i, driver) in drivers.iter().enumerate() {
                pull.state = self.eval(side(driver)[strength]);
                if pull.state == 1 {
                    pull.driver = by.first + i as u32;
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
    pub(super) fn pulls(&self, by: Evaluator) -> (Pull, Pull) {
        (self.pull(by, |d| &d.up), self.pull(by, |d| &d.down))
    }

    /// The evaluator of gate `gate`: all its drivers together (see [`Evaluator`]).
    #[inline]
    pub(super) fn gate_evaluator(&self, gate: u32) -> Evaluator {
        let g = self.net.gates[gate as usize];
        Evaluator {
            gate,
            first: g.first_driver,
            count: g.drivers,
            state: gate,
            alone: false,
        }
    }

    /// The evaluator of driver `driver` alone, of a node with several drivers: the first
    /// one shares its gate's state (actsim's multi-driver object keeps its flags in its first
    /// driver's), the others have their own.
    pub(super) fn driver_evaluator(&self, driver: u32) -> Evaluator {
        let gate = self.net.drivers[driver as usize].gate;
        let first = self.net.gates[gate as usize].first_driver;
        Evaluator {
            gate,
            first: driver,
            count: 1,
            state: if driver == first {
                gate
            } else {
                let own = (self.own_states.binary_search(&driver))
                    .expect("a driver of a node with several has a state of its own");
                (self.net.gates.len() + own) as u32
            },
            alone: true,
        }
    }
}
