//! Guards evaluated over 0/1/X, and the pull of a gate's drivers each way.
use super::Engine;
use crate::kernel::Level;
use crate::prs::netlist::{Driver, Op, NONE, NORMAL, WEAK};

pub(super) const NOT: [u8; 3] = [1, 0, 2];
/// The engine's code of X.
pub(super) const X: u8 = Level::X as u8;
const AND: [[u8; 3]; 3] = [[0, 0, 0], [0, 1, 2], [0, 2, 2]];
const OR: [[u8; 3]; 3] = [[0, 1, 2], [1, 1, 1], [2, 1, 2]];

/// The combined pull of a gate's drivers one way: its value, whether only a weak rule gives
/// it, and the driver whose rule gives it (for the delay).
#[derive(Clone, Copy)]
pub(super) struct Pull {
    pub(super) state: u8,
    pub(super) weak: bool,
    pub(super) driver: u32,
}

impl Engine {
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
    pub(super) fn pulls(&self, gate: u32) -> (Pull, Pull) {
        (self.pull(gate, |d| &d.up), self.pull(gate, |d| &d.down))
    }
}
