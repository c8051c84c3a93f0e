//! The `spec { }` directives of each instance, resolved to the elaborator's bool nodes for the
//! circuit's checks ([`crate::prs::spec`]): `mk_exclhi`/`mk_excllo`, `exclhi`/`excllo`,
//! `rand_init`, `hazard` (a list of bools, arrays standing for all their elements, `*` for
//! every bool of the process but its `bool?` ports) and timing forks `r : a < [m] b` (actsim checks forks, the ones
//! with a root and `<` or `<<`; the others, `a -> b`, are timing graph edges it ignores).
use std::collections::HashMap;

use super::{Elaborator, Local, NodeKind, PortTable};
use crate::elab::consts::{eval_const, ArgValue, Params};
use crate::elab::ir::Ty;
use crate::front::ast::{
    BodyItem, ChanDir, Expr, ExprKind, LangBlock, ProcessDef, SpecBlock, SpecItemKind, TimingKind,
    TypeKind,
};
use crate::kernel::NodeId;
use crate::prs::spec::{Directive, Edges};

/// The names the `spec` blocks of `items` use (`x` in `exclhi(x[0], y)`), and every bool of
/// the body when a directive says `*`: the body's variables among them are nodes.
pub(super) fn spec_names(items: &[BodyItem], out: &mut Vec<String>) {
    fn base(e: &Expr, out: &mut Vec<String>) {
        match &e.kind {
            ExprKind::Name(id) => out.push(id.name.clone()),
            ExprKind::Index { base: b, .. } | ExprKind::Field { base: b, .. } => base(b, out),
            _ => {}
        }
    }
    let mut star = false;
    for item in items {
        match item {
            BodyItem::Lang(block) => {
                if let LangBlock::Spec(spec) = &**block {
                    for item in &spec.items {
                        match &item.kind {
                            SpecItemKind::Directive { args: None, .. } => star = true,
                            SpecItemKind::Directive {
                                args: Some(args), ..
                            } => args.iter().for_each(|a| base(a, out)),
                            SpecItemKind::Timing(t) => {
                                if let Some((root, _)) = &t.root {
                                    base(root, out);
                                }
                                base(&t.from.id, out);
                                base(&t.to.id, out);
                            }
                        }
                    }
                }
            }
            BodyItem::Loop(l) => spec_names(&l.items, out),
            BodyItem::Conditional(c) | BodyItem::GenLoop(c) => {
                for arm in &c.arms {
                    spec_names(&arm.items, out);
                }
            }
            _ => {}
        }
    }
    if star {
        bools(items, out);
    }
}

/// The bools a body declares (in loops and conditionals too).
fn bools(items: &[BodyItem], out: &mut Vec<String>) {
    for item in items {
        match item {
            BodyItem::Var(v) if v.ty.kind == TypeKind::Bool => out.push(v.name.name.clone()),
            BodyItem::Loop(l) => bools(&l.items, out),
            BodyItem::Conditional(c) | BodyItem::GenLoop(c) => {
                c.arms.iter().for_each(|a| bools(&a.items, out))
            }
            _ => {}
        }
    }
}

impl<'a> Elaborator<'a> {
    /// Adds the directives of the `spec` blocks of the instance of `def` at `path` (template
    /// arguments `args`), the `made_by`th of the design's instances (actsim reads them as it
    /// makes the instance, before those inside it).
    pub(super) fn add_specs(
        &mut self,
        def: &'a ProcessDef,
        args: &[ArgValue],
        (path, made_by): (&str, usize),
        blocks: &[(&'a SpecBlock, Params)],
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) {
        if blocks.is_empty() {
            return;
        }
        // As actsim names the instance in its messages: `path:proc<args>`, `-top-` for the top.
        let args: Vec<String> = args.iter().map(ToString::to_string).collect();
        let instance = format!(
            "{}:{}<{}>",
            if path.is_empty() { "-top-" } else { path },
            def.name.name,
            args.join(",")
        );
        for (block, params) in blocks {
            for item in &block.items {
                match &item.kind {
                    SpecItemKind::Directive { name, args } => {
                        let exprs: Vec<Expr> = match args {
                            Some(args) => args.clone(),
                            None => self.every_bool(def),
                        };
                        let mut nodes = Vec::new();
                        for e in &exprs {
                            nodes.extend(self.spec_nodes(e, params, ports, locals));
                        }
                        let names = nodes.iter().map(|&n| self.local_name(n, path)).collect();
                        let nodes: Vec<NodeId> =
                            nodes.into_iter().map(NodeId::from_index).collect();
                        let directive = match name.name.as_str() {
                            "mk_exclhi" | "mk_excllo" => Directive::Exclusive {
                                nodes,
                                high: name.name == "mk_exclhi",
                                made_by,
                            },
                            "exclhi" | "excllo" => Directive::Monitor {
                                nodes,
                                high: name.name == "exclhi",
                                instance: instance.clone(),
                                names,
                                made_by,
                            },
                            "rand_init" => Directive::RandInit(nodes),
                            _ => Directive::Hazard(nodes),
                        };
                        self.circuit.specs.push(directive);
                    }
                    SpecItemKind::Timing(t) => {
                        let Some((root, root_dir)) = &t.root else {
                            continue; // no root: actsim has nothing to start the fork
                        };
                        if !matches!(t.kind, TimingKind::Before | TimingKind::WellBefore) {
                            continue;
                        }
                        let margin = match &t.margin {
                            Some(m) => match eval_const(m, params) {
                                Ok(v) => v.max(0) as u64,
                                Err(_) => continue, // reported by the checks of `spec`
                            },
                            None => 0,
                        };
                        let root_node = self.spec_nodes(root, params, ports, locals);
                        let from = self.spec_nodes(&t.from.id, params, ports, locals);
                        let to = self.spec_nodes(&t.to.id, params, ports, locals);
                        let [root_node] = root_node.as_slice() else {
                            continue; // actsim: the root of a fork is one node
                        };
                        // As actsim: every pair of an element of `a` and one of `b`.
                        for &a in &from {
                            for &b in &to {
                                let end = |n: usize, dir: Option<bool>, me: &Self| {
                                    (
                                        NodeId::from_index(n),
                                        Edges::from_dir(dir),
                                        me.local_name(n, path),
                                    )
                                };
                                self.circuit.specs.push(Directive::Timing {
                                    nodes: [
                                        end(*root_node, *root_dir, self),
                                        end(a, t.from.dir, self),
                                        end(b, t.to.dir, self),
                                    ],
                                    margin,
                                    instance: instance.clone(),
                                });
                            }
                        }
                    }
                }
            }
        }
    }

    /// Every bool of `def`, ports first, as names (`*` in a directive): as actsim, not the
    /// input ports (`bool? a`), which the process does not drive.
    fn every_bool(&self, def: &ProcessDef) -> Vec<Expr> {
        let mut names: Vec<String> = (def.ports.iter())
            .filter(|p| p.ty.kind == TypeKind::Bool && p.wire_dir != Some(ChanDir::Input))
            .map(|p| p.name.name.clone())
            .collect();
        bools(&def.body, &mut names);
        names
            .into_iter()
            .map(|name| Expr {
                kind: ExprKind::Name(crate::front::ast::Ident {
                    name,
                    span: def.name.span.clone(),
                }),
                span: def.name.span.clone(),
            })
            .collect()
    }

    /// The bool nodes `e` names (one, or an array's elements). Names that do not resolve are
    /// reported by the checks of `spec` bodies, not again here.
    fn spec_nodes(
        &mut self,
        e: &Expr,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Vec<usize> {
        let reported = self.diags.len();
        let resolved = self.resolve(e, params, ports, locals);
        self.diags.truncate(reported);
        let Some(resolved) = resolved else {
            return Vec::new();
        };
        (resolved.nodes.into_iter())
            .filter(|&n| {
                self.nodes[n].kind == NodeKind::Variable
                    && self.nodes[n].carried.ty == Some(Ty::Bool)
            })
            .collect()
    }

    /// A node's name inside the instance at `path` (what actsim's messages print).
    fn local_name(&self, node: usize, path: &str) -> String {
        let full = &self.nodes[node].path;
        match full
            .strip_prefix(path)
            .and_then(|rest| rest.strip_prefix('.'))
        {
            Some(local) if !path.is_empty() => local.to_string(),
            _ => full.clone(),
        }
    }
}
