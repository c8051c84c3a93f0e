//! The walk of `prs` bodies: rules expanded (loops, `tree`, `subckt`), their names resolved
//! to the elaborator's nodes and their attributes (`after`, `weak`, `unstab`) read.
//!
//! A rule driving a label (`a & b -> @x-`, usually inside `tree { }`) makes no node: as in
//! actsim, each later use of `@x` in a guard stands for the value the label's node would have,
//! the label's guard for a pull-up (`@x` is `a & b` after `a & b -> @x+`) and its complement
//! for a pull-down (`~@x` is `a & b` after `a & b -> @x-`; in the second half of a `#>` rule,
//! `@x` itself, as actsim reads it: [`Guard::PullDownLabel`]). Labels are the instance's,
//! across its `prs` blocks; a use before the rule defining the label is an error, as actsim's.
use std::collections::HashMap;

use super::{Elaborator, Local, NodeKind, PortTable};
use crate::diag::Diagnostic;
use crate::elab::consts::{eval_const, Params};
use crate::elab::ir::Ty;
use crate::front::ast::{
    BodyItem, DeviceKind, Expr, ExprKind, LangBlock, PrsArrow, PrsBlock, PrsExpr, PrsExprKind,
    PrsItem, PrsItemKind, PrsTarget,
};
use crate::kernel::NodeId;
use crate::prs::netlist::{Arrow, Guard, PassGate, Rule};

/// Whether `items` (a process body) has production rules: then they run, not its CHP.
pub(super) fn has_prs(items: &[BodyItem]) -> bool {
    items.iter().any(|item| match item {
        BodyItem::Lang(block) => matches!(**block, LangBlock::Prs(_)),
        BodyItem::Loop(l) => has_prs(&l.items),
        BodyItem::Conditional(c) | BodyItem::GenLoop(c) => c.arms.iter().any(|a| has_prs(&a.items)),
        _ => false,
    })
}

/// The base names the production rules of `items` use (`x` in `x[i] & a -> y-`): the body's
/// variables among them are nodes.
pub(super) fn prs_names(items: &[BodyItem], out: &mut Vec<String>) {
    fn base(e: &Expr, out: &mut Vec<String>) {
        match &e.kind {
            ExprKind::Name(id) => out.push(id.name.clone()),
            ExprKind::Index { base: b, .. } | ExprKind::Field { base: b, .. } => base(b, out),
            _ => {}
        }
    }
    fn guard(e: &PrsExpr, out: &mut Vec<String>) {
        match &e.kind {
            PrsExprKind::Var { id, .. } => base(id, out),
            PrsExprKind::Not(x) => guard(x, out),
            PrsExprKind::And { lhs, rhs, .. } | PrsExprKind::Or(lhs, rhs) => {
                guard(lhs, out);
                guard(rhs, out);
            }
            PrsExprKind::Loop { body, .. } => guard(body, out),
            PrsExprKind::Const(_) | PrsExprKind::Label(_) => {}
        }
    }
    fn rules(items: &[PrsItem], out: &mut Vec<String>) {
        for item in items {
            match &item.kind {
                PrsItemKind::Rule {
                    guard: g, target, ..
                } => {
                    guard(g, out);
                    if let PrsTarget::Node(t) = target {
                        base(t, out);
                    }
                }
                PrsItemKind::Loop { items, .. }
                | PrsItemKind::Tree { items, .. }
                | PrsItemKind::Subckt { items, .. } => rules(items, out),
                PrsItemKind::Device { terminals, .. } => {
                    terminals.iter().for_each(|t| base(t, out));
                }
            }
        }
    }
    for item in items {
        match item {
            BodyItem::Lang(block) => {
                if let LangBlock::Prs(prs) = &**block {
                    rules(&prs.items, out);
                }
            }
            BodyItem::Loop(l) => prs_names(&l.items, out),
            BodyItem::Conditional(c) | BodyItem::GenLoop(c) => {
                for arm in &c.arms {
                    prs_names(&arm.items, out);
                }
            }
            _ => {}
        }
    }
}

impl Elaborator<'_> {
    /// Adds the rules of the `prs` blocks of the instance at `path`, a `type_name`.
    pub(super) fn add_rules(
        &mut self,
        path: &str,
        type_name: &str,
        blocks: &[(&PrsBlock, Params)],
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) {
        if blocks.is_empty() {
            return;
        }
        let instance = self.circuit.instances.len() as u32;
        (self.circuit.instances).push((path.to_string(), type_name.to_string()));
        let mut labels = Labels::new();
        for (block, params) in blocks {
            let mut params = params.clone();
            let scope = (ports, locals, &mut labels);
            self.prs_items(&block.items, instance, &mut params, scope);
        }
    }

    fn prs_items(
        &mut self,
        items: &[PrsItem],
        instance: u32,
        params: &mut Params,
        (ports, locals, labels): Scope<'_>,
    ) {
        for item in items {
            match &item.kind {
                PrsItemKind::Rule {
                    guard,
                    arrow,
                    target,
                    up,
                } => {
                    let guard = self.prs_guard(guard, params, (ports, locals, labels));
                    let target = match target {
                        PrsTarget::Node(target) => target,
                        PrsTarget::Label(label) => {
                            // The arrow and the attributes do not matter to a label (actsim's).
                            if let Some(guard) = guard {
                                let value = if *up {
                                    guard
                                } else {
                                    Guard::PullDownLabel(Box::new(guard))
                                };
                                labels.insert(label.name.clone(), value);
                            }
                            continue;
                        }
                    };
                    let (Some(node), Some(guard)) =
                        (self.prs_node(target, params, ports, locals), guard)
                    else {
                        continue;
                    };
                    let arrow = match arrow {
                        PrsArrow::Plain => Arrow::Plain,
                        PrsArrow::Combinational => Arrow::Combinational,
                        PrsArrow::CElement => Arrow::StateHolding,
                    };
                    let mut rule = Rule::new(guard, arrow, node, *up);
                    for attr in &item.attrs {
                        let Ok(value) = eval_const(&attr.value, params) else {
                            continue; // reported by the checks of `prs` bodies
                        };
                        match attr.name.name.as_str() {
                            // actsim takes a delay of 0 or more; a negative one is not
                            // a delay (the rule keeps the default, or an earlier `after`).
                            "after" if value >= 0 => rule.after = Some(value as u64),
                            "weak" => rule.weak = value == 1,
                            "unstab" => rule.unstab = value == 1,
                            _ => {}
                        }
                    }
                    let local = local_name(target, params);
                    self.circuit.rules.push((instance, local, rule));
                }
                PrsItemKind::Loop { var, range, items } => {
                    let Some((lo, hi)) = self.loop_range(range, params) else {
                        continue;
                    };
                    for i in lo..=hi {
                        let shadowed = params.bind(&var.name, i);
                        self.prs_items(items, instance, params, (ports, locals, labels));
                        params.unbind(&var.name, shadowed);
                    }
                }
                PrsItemKind::Tree { items, .. } | PrsItemKind::Subckt { items, .. } => {
                    self.prs_items(items, instance, params, (ports, locals, labels));
                }
                PrsItemKind::Device {
                    kind, terminals, ..
                } => {
                    // Other devices (`cap`, ...) are not simulated, as in actsim.
                    let (n_gate, p_gate, rest) = match (kind, terminals.as_slice()) {
                        (DeviceKind::PassN, [g, rest @ ..]) => (Some(g), None, rest),
                        (DeviceKind::PassP, [g, rest @ ..]) => (None, Some(g), rest),
                        (DeviceKind::TransGate, [g, p, rest @ ..]) => (Some(g), Some(p), rest),
                        _ => continue,
                    };
                    let [source, drain] = rest else { continue };
                    let mut node = |e: Option<&Expr>| match e {
                        None => Some(None),
                        Some(e) => self.prs_node(e, params, ports, locals).map(Some),
                    };
                    let (Some(n_gate), Some(p_gate), Some(Some(source)), Some(Some(drain))) = (
                        node(n_gate),
                        node(p_gate),
                        node(Some(source)),
                        node(Some(drain)),
                    ) else {
                        continue;
                    };
                    let pass = PassGate {
                        n_gate,
                        p_gate,
                        source,
                        drain,
                    };
                    let local = local_name(&rest[1], params);
                    self.circuit.passes.push((instance, local, pass));
                }
            }
        }
    }

    /// The node a rule's target or guard variable names: one `bool`. A name the checks of
    /// `prs` bodies found wrong is not reported again here; what they cannot see (an index
    /// out of range, a name their declared types leave open) is.
    fn prs_node(
        &mut self,
        e: &Expr,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Option<NodeId> {
        let reported = self.diags.len();
        let resolved = self.resolve(e, params, ports, locals);
        let node = match resolved.as_ref().map(|r| r.nodes.as_slice()) {
            Some(&[node])
                if self.nodes[node].kind == NodeKind::Variable
                    && self.nodes[node].carried.ty == Some(Ty::Bool) =>
            {
                return Some(NodeId::from_index(node));
            }
            Some(_) => Some(()),
            None => None,
        };
        let checked = self.diags[..reported].iter().any(|d| {
            !d.echo && !d.warning && d.span.start >= e.span.start && d.span.end <= e.span.end
        });
        if checked {
            self.diags.truncate(reported);
        } else if node.is_some() {
            let d = Diagnostic::error(
                e.span.clone(),
                format!("`{}` is not a bool", local_name(e, params)),
            )
            .with_label("a production rule names one bool here");
            self.diags.push(d);
        }
        None
    }

    fn prs_guard(&mut self, e: &PrsExpr, params: &mut Params, scope: Scope<'_>) -> Option<Guard> {
        let (ports, locals, labels) = scope;
        Some(match &e.kind {
            PrsExprKind::Var { id, .. } => Guard::var(self.prs_node(id, params, ports, locals)?),
            PrsExprKind::Const(v) => Guard::Const(*v),
            PrsExprKind::Label(label) => match labels.get(&label.name) {
                Some(value) => value.clone(),
                None => {
                    let d = Diagnostic::error(
                        e.span.clone(),
                        format!("unknown label `@{}`", label.name),
                    )
                    .with_label("no earlier rule drives this label")
                    .with_hint(
                        "a label is defined by a rule before its first use (`a & b -> @x-`)",
                    );
                    self.diags.push(d);
                    return None;
                }
            },
            PrsExprKind::Not(x) => self.prs_guard(x, params, (ports, locals, labels))?.not(),
            PrsExprKind::And { lhs, rhs, .. } => {
                let lhs = self.prs_guard(lhs, params, (ports, locals, labels))?;
                lhs.and(self.prs_guard(rhs, params, (ports, locals, labels))?)
            }
            PrsExprKind::Or(lhs, rhs) => {
                let lhs = self.prs_guard(lhs, params, (ports, locals, labels))?;
                lhs.or(self.prs_guard(rhs, params, (ports, locals, labels))?)
            }
            PrsExprKind::Loop {
                and,
                var,
                range,
                body,
            } => {
                let (lo, hi) = self.loop_range(range, params)?;
                let mut guard: Option<Guard> = None;
                for i in lo..=hi {
                    let shadowed = params.bind(&var.name, i);
                    let term = self.prs_guard(body, params, (ports, locals, labels));
                    params.unbind(&var.name, shadowed);
                    let term = term?;
                    guard = Some(match guard {
                        None => term,
                        Some(g) if *and => g.and(term),
                        Some(g) => g.or(term),
                    });
                }
                // An empty `&` holds, an empty `|` does not.
                guard.unwrap_or(Guard::Const(*and))
            }
        })
    }
}

/// What a label (`@x`) stands for in the guards after the rule defining it: the value of its
/// node, by name.
type Labels = HashMap<String, Guard>;

/// Where the names of a rule are looked up: the instance's ports, its body's objects and its
/// labels.
type Scope<'s> = (&'s PortTable, &'s HashMap<String, Local>, &'s mut Labels);

/// A rule's node as its instance names it, indices evaluated: `y`, `x[3]`, `c.t`.
fn local_name(e: &Expr, params: &Params) -> String {
    match &e.kind {
        ExprKind::Name(id) => id.name.clone(),
        ExprKind::Index { base, index } => match eval_const(index, params) {
            Ok(i) => format!("{}[{i}]", local_name(base, params)),
            Err(_) => format!("{}[?]", local_name(base, params)),
        },
        ExprKind::Field { base, field } => format!("{}.{}", local_name(base, params), field.name),
        _ => String::from("?"),
    }
}
