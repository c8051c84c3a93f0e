//! Handshaking expansions that run: an `hse { }` body written as CHP over `bool`s is, to the
//! simulator, the process's CHP program (actsim runs HSE with its CHP engine). `x+`/`x-` are
//! assignments, `[g]` waits on the bools `g` reads (ports shared with other processes and with
//! production rules wake it), selections and loops are CHP's, each action with CHP's delay.
//!
//! Labelled fragments (`a : S : b || ...`) are a goto graph, not a statement: they are checked,
//! not run.
use crate::front::ast::{BodyItem, ChpBlock, HseBody, LangBlock};

/// Which description of a process runs: actsim's order, the most detailed one it has
/// (production rules, then a handshaking expansion, then CHP).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Level {
    Prs,
    Hse,
    Chp,
    /// Nothing that runs: a structural process (or one with only descriptions not simulated).
    None,
}

/// The first `hse { }` body of `items` (in loops and conditionals too) that runs: one written
/// as CHP, not as fragments.
pub(super) fn runnable_hse(items: &[BodyItem]) -> Option<&ChpBlock> {
    items.iter().find_map(|item| match item {
        BodyItem::Lang(block) => match &**block {
            LangBlock::Hse(hse) => match &hse.body {
                HseBody::Plain(block) => Some(&**block),
                HseBody::Fragments(_) => None,
            },
            _ => None,
        },
        BodyItem::Loop(l) => runnable_hse(&l.items),
        BodyItem::Conditional(c) | BodyItem::GenLoop(c) => {
            c.arms.iter().find_map(|a| runnable_hse(&a.items))
        }
        _ => None,
    })
}
