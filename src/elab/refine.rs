//! ACT's refinement steps (`actsim -ref=N`, `chpsim run --refine N`): a process's `refine<k> {
//! }` bodies are more detailed descriptions of it, used from `k` steps on (`refine { }` is
//! `refine<1>`). With no steps asked for (the default), they are left out. Once the steps reach
//! the smallest `k` of a process, as ACT expands a body:
//!
//! - its own `chp`, `hse`, `prs`, `sizing`, `dataflow`, `Initialize` and `extern` bodies outside
//!   the refinements are dropped (its instances, connections and `spec` stay);
//! - every refinement with `k` at most the steps is expanded in place, its items as the
//!   process's own, with `k` fewer steps for the refinements nested in it;
//! - a refinement whose languages a further accepted refinement of the same process replaces
//!   (`refine<1> { chp }` beside `refine<2> { prs }` at two steps) keeps its instances and
//!   connections but not its languages (ACT's `moreRefinesExist`).
//!
//! The overrides of the accepted refinements (`refine +{ fast_buf b; a1of2 c; } { }`), in
//! the order of their steps as ACT applies them, give the process's instances they name their
//! more refined process and its variables their more refined type (each declaration as the
//! parser made it with that type, wires and all: [`RefinedDecl`]), which the refinement's
//! body sees and every other part of the process.
use crate::front::ast::{BodyItem, Item, Program};
use crate::front::lang_ast::{LangBlock, Override, RefinedDecl};

/// `program` with every process's body as `steps` refinement steps expand it; `None` when that
/// changes nothing (no steps, or no refinement anywhere).
pub(crate) fn refined_program(program: &Program, steps: u64) -> Option<Program> {
    let refined = |items: &[BodyItem]| !refinements(items).is_empty();
    if steps == 0 || !program.processes().any(|p| refined(&p.body)) {
        return None;
    }
    let mut program = program.clone();
    for item in &mut program.items {
        if let Item::Process(def) = item {
            if refined(&def.body) {
                let mut overrides = Vec::new();
                def.body = expand(&def.body, steps, &[], &mut overrides);
                overrides.sort_by_key(|(k, _)| *k);
                for (_, o) in &overrides {
                    apply_override(&mut def.body, o);
                }
            }
        }
    }
    Some(program)
}

/// The steps of the refinements among `items` (in conditionals and loops too, not in other
/// refinements), in increasing order without repeats (ACT's refine list).
fn refinements(items: &[BodyItem]) -> Vec<u64> {
    fn collect(items: &[BodyItem], into: &mut Vec<u64>) {
        for item in items {
            match item {
                BodyItem::Lang(block) => {
                    if let LangBlock::Refine(r) = &**block {
                        into.push(steps_of(r));
                    }
                }
                BodyItem::Loop(l) => collect(&l.items, into),
                BodyItem::Conditional(c) | BodyItem::GenLoop(c) => {
                    for arm in &c.arms {
                        collect(&arm.items, into);
                    }
                }
                _ => {}
            }
        }
    }
    let mut list = Vec::new();
    collect(items, &mut list);
    list.sort_unstable();
    list.dedup();
    list
}

/// A refinement's step: `refine<k>`, 1 without `<k>` (ACT takes a `k` below 1 as 1).
fn steps_of(r: &crate::front::lang_ast::RefineBlock) -> u64 {
    r.steps.as_ref().map_or(1, |(k, _)| (*k).max(1))
}

/// `items` expanded with `steps` refinement steps left; `outer` holds, innermost last, each
/// refinement being expanded around them: its step and the refine list of the body it is in.
/// The overrides of the refinements accepted are added to `overrides`, each with its
/// refinement's step.
fn expand(
    items: &[BodyItem],
    steps: u64,
    outer: &[(u64, Vec<u64>)],
    overrides: &mut Vec<(u64, Override)>,
) -> Vec<BodyItem> {
    let list = refinements(items);
    let refining =
        list.first().is_some_and(|&least| steps >= least) || more_refinements(steps, outer);
    let around = Around {
        steps,
        outer,
        list: &list,
        refining,
    };
    expand_items(items, &around, overrides)
}

/// Where a body is expanded: the steps left, the refinements around it, its own refine list,
/// and whether its languages give way to its refinements.
struct Around<'a> {
    steps: u64,
    outer: &'a [(u64, Vec<u64>)],
    list: &'a [u64],
    refining: bool,
}

fn expand_items(
    items: &[BodyItem],
    around: &Around<'_>,
    overrides: &mut Vec<(u64, Override)>,
) -> Vec<BodyItem> {
    let Around {
        steps,
        outer,
        list,
        refining,
    } = *around;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            BodyItem::Lang(block) => match &**block {
                LangBlock::Refine(r) => {
                    let k = steps_of(r);
                    if refining && steps >= k {
                        let mut inner = outer.to_vec();
                        inner.push((k, list.to_vec()));
                        overrides.extend(r.overrides.iter().map(|o| (k, o.clone())));
                        out.extend(expand(&r.body, steps - k, &inner, overrides));
                    }
                }
                LangBlock::Spec(_) => out.push(item.clone()),
                _ if refining => {}
                _ => out.push(item.clone()),
            },
            BodyItem::Chp(_) if refining => {}
            BodyItem::Loop(l) => {
                let mut l = l.clone();
                l.items = expand_items(&l.items, around, overrides);
                out.push(BodyItem::Loop(l));
            }
            BodyItem::Conditional(c) | BodyItem::GenLoop(c) => {
                let mut c = c.clone();
                for arm in &mut c.arms {
                    arm.items = expand_items(&arm.items, around, overrides);
                }
                out.push(match item {
                    BodyItem::Conditional(_) => BodyItem::Conditional(c),
                    _ => BodyItem::GenLoop(c),
                });
            }
            _ => out.push(item.clone()),
        }
    }
    out
}

/// Gives the instances of `items` that override `o` names its process (with its template
/// arguments, the instance's own after them for `T + x`), wherever the body declares them;
/// or, for a data or channel type, its variables their declarations with that type.
fn apply_override(items: &mut Vec<BodyItem>, o: &Override) {
    if o.of_data {
        return redeclare(items, &o.refined);
    }
    for item in items {
        match item {
            BodyItem::Instance(inst) if o.ids.iter().any(|id| id.name == inst.name.name) => {
                let mut args = o.template_args.clone();
                if o.append_params {
                    args.extend(inst.template_args.iter().cloned());
                }
                inst.process = o.ty.clone();
                inst.template_args = args;
            }
            BodyItem::Loop(l) => apply_override(&mut l.items, o),
            BodyItem::Conditional(c) | BodyItem::GenLoop(c) => {
                for arm in &mut c.arms {
                    apply_override(&mut arm.items, o);
                }
            }
            _ => {}
        }
    }
}

/// Puts each of `refined` in place of the declaration it refines (the `k`-th declaration of
/// its name, depth first in source order, for the `k`-th of that name), in `items` or in their
/// loops and conditionals as ACT's `updateInstType` finds it: the variable and its wires,
/// which the parser declares one after the other; the connections the original type made
/// between its wires stay (the new type, refining it, makes them too).
fn redeclare(items: &mut Vec<BodyItem>, refined: &[RefinedDecl]) {
    redeclare_nested(items, refined, &mut vec![false; refined.len()]);
}

/// [`redeclare`] in `items`, `done` marking the declarations of `refined` already placed.
fn redeclare_nested(items: &mut Vec<BodyItem>, refined: &[RefinedDecl], done: &mut [bool]) {
    let mut at = 0;
    while at < items.len() {
        let var = match &mut items[at] {
            BodyItem::Var(var) => var,
            BodyItem::Loop(l) => {
                redeclare_nested(&mut l.items, refined, done);
                at += 1;
                continue;
            }
            BodyItem::Conditional(c) | BodyItem::GenLoop(c) => {
                for arm in &mut c.arms {
                    redeclare_nested(&mut arm.items, refined, done);
                }
                at += 1;
                continue;
            }
            _ => {
                at += 1;
                continue;
            }
        };
        let name = var.name.name.clone();
        let Some(k) = (0..refined.len()).find(|&k| !done[k] && refined[k].name == name) else {
            at += 1;
            continue;
        };
        done[k] = true;
        let wire = format!("{name}.");
        let wires = (items[at + 1..].iter())
            .take_while(|item| matches!(item, BodyItem::Var(w) if w.name.name.starts_with(&wire)))
            .count();
        let decl = &refined[k].items;
        items.splice(at..at + 1 + wires, decl.iter().cloned());
        at += decl.len();
    }
}

/// Whether a refinement around the body being expanded will be followed by a more detailed
/// one that is accepted too (ACT's `moreRefinesExist`): then this body's languages give way.
fn more_refinements(steps: u64, outer: &[(u64, Vec<u64>)]) -> bool {
    let mut total = steps;
    for (k, list) in outer.iter().rev() {
        total += k;
        if list.iter().any(|&m| total >= m && *k < m) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::more_refinements;

    #[test]
    fn a_refinement_gives_way_to_a_more_detailed_one_of_the_same_body() {
        // refine<1> and refine<2> in one body, two steps: inside refine<1> (one step left) a
        // refine<2> of the body around it is accepted too; inside refine<2> none is.
        assert!(more_refinements(1, &[(1, vec![1, 2])]));
        assert!(!more_refinements(0, &[(2, vec![1, 2])]));
        // One step: only refine<1> is accepted, and nothing follows it.
        assert!(!more_refinements(0, &[(1, vec![1, 2])]));
    }
}
