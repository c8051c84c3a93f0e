//! Fields of record variables connected as nets (`f = t.x;`, `m(t.a[2]);`), as ACT allows.
//!
//! A record variable's value is one integer; a field connected somewhere is a *view*: a node
//! of its own (`t.x`), whose net is a bit range of the net of the record. At the finish the
//! nets joined by views are placed on one line of bits: each becomes one shared variable
//! whose copies (the record's, the field's) are ranges of those bits at their offsets, so a
//! write to one reaches the overlapping bits of the others (see
//! [`ProcessInstance::shared_at`](crate::elab::ir::ProcessInstance::shared_at)). Nets without
//! views are placed alone at offset 0, as before.

use std::collections::HashMap;
use std::rc::Rc;

use super::{Elaborator, Local, NodeId, NodeKind, PortTable, Resolved, Role};
use crate::diag::Diagnostic;
use crate::elab::consts::Params;
use crate::elab::ir::Ty;
use crate::elab::records::{Elem, Field};
use crate::elab::types::{Carried, Shape};
use crate::front::ast::{Expr, ExprKind, Ident, Span};

/// Where a net's bits lie: in the bits of the net `root` (a net placed alone is its own
/// root), from bit `at` (negative when the root's bits start inside this net's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Placement {
    pub root: usize,
    pub at: i64,
}

impl Elaborator<'_> {
    /// Whether `base` is (an element or field of) a variable of a record type: then
    /// `base.field` names a field of it.
    pub(super) fn names_record_variable(
        &self,
        base: &Expr,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> bool {
        let Some(root) = root_name(base) else {
            return false;
        };
        let entry = match locals.get(&root.name) {
            Some(Local::SharedVariable(entry)) => entry.clone(),
            Some(_) => return false,
            None => match (ports.get(&root.name)).or_else(|| self.file_signal(&root.name).cloned())
            {
                Some(entry) => entry,
                None => return false,
            },
        };
        entry.len() > 0 && self.var_records.contains_key(&entry.first)
    }

    /// `base.field` of a record variable `base`: the views of the field's elements (`field`
    /// may be a dotted path, `q.x`, of fields of nested records).
    pub(super) fn record_field(
        &mut self,
        (base, field): (&Expr, &Ident),
        span: &Span,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Option<Resolved> {
        let host = self.resolve(base, params, ports, locals)?;
        let (false, &[node]) = (host.is_array, host.nodes.as_slice()) else {
            return self.fail(
                span,
                format!(
                    "`{}` is an array of records: connect a field of one of its elements",
                    super::resolve::reference(base)
                ),
            );
        };
        self.field_path(node, &field.name, span)
    }

    /// The views of the field at dotted `path` (`x`, `q.x`) of the record value of `node`.
    pub(super) fn field_path(
        &mut self,
        mut node: NodeId,
        path: &str,
        span: &Span,
    ) -> Option<Resolved> {
        let mut names = path.split('.').peekable();
        while let Some(name) = names.next() {
            let Some(layout) = self.var_records.get(&node).cloned() else {
                let path = &self.nodes[node].path;
                return self.fail(
                    span,
                    format!("`{path}` is not a record: it has no field `{name}`"),
                );
            };
            let Some(f) = layout.field(name) else {
                let d = Diagnostic::error(
                    span.clone(),
                    format!("record type `{}` has no field `{name}`", layout.name),
                )
                .with_label("unknown field")
                .with_hint(layout.field_hint(name));
                self.diags.push(d);
                return None;
            };
            let views = self.field_views(node, f);
            if names.peek().is_none() {
                return Some(Resolved {
                    shape: f.dims.iter().map(|d| d.1).collect(),
                    nodes: views,
                    pieces: Vec::new(),
                    is_array: !f.dims.is_empty(),
                    side: None,
                    inside: true,
                    span: span.clone(),
                });
            }
            if !f.dims.is_empty() {
                let message = format!("field `{name}` is an array: name one of its elements");
                return self.fail(span, message);
            }
            node = views[0];
        }
        None
    }

    /// The view nodes of field `f`'s elements of the record value of node `host` (made once).
    fn field_views(&mut self, host: NodeId, f: &Field) -> Vec<NodeId> {
        let views: Vec<NodeId> = (0..f.count())
            .map(|k| {
                let key = (host, format!("{}{}", f.name, f.element_suffix(k)));
                if let Some(&view) = self.view_of.get(&key) {
                    return view;
                }
                let carried = match &f.elem {
                    Elem::Data(ty) => Carried {
                        ty: Some(*ty),
                        record: None,
                        ancestors: Rc::from([]),
                        reply: None,
                    },
                    Elem::Record(layout) => Carried {
                        ty: Some(Ty::Int(layout.width)),
                        record: Some(layout.name.as_str().into()),
                        ancestors: layout.ancestors.as_slice().into(),
                        reply: None,
                    },
                };
                let path = format!("{}.{}", self.nodes[host].path, key.1);
                let span = self.nodes[host].span.clone();
                let view = self.add_node(path, carried, NodeKind::Variable, span, Role::Channel);
                if let Elem::Record(layout) = &f.elem {
                    self.var_records.insert(view, layout.clone());
                }
                self.views.push((view, host, f.element_offset(k)));
                self.view_of.insert(key, view);
                view
            })
            .collect();
        if !f.dims.is_empty() {
            self.view_shapes
                .insert(views[0], Shape::new(f.dims.clone()));
        }
        views
    }

    /// The bounds of the array field whose first view is `node`, as declared.
    pub(super) fn viewed_shape(&self, node: NodeId) -> Option<Shape> {
        self.view_shapes.get(&node).cloned()
    }

    /// Places the nets (`net_of` each node's) on lines of bits, as the views join them: each
    /// net's [`Placement`]. Views that would put one net at two places (two fields of one
    /// record connected to each other) are reported.
    pub(super) fn place_nets(&mut self, net_of: &[usize], count: usize) -> Vec<Placement> {
        let mut parent: Vec<Placement> = (0..count).map(|root| Placement { root, at: 0 }).collect();
        // A net is a range of one other net's bits at most: then two nets overlap on a line
        // only where they are the same bits. Fields of two records connected to each other
        // (`t.x = r.x`) would make the records' other bits overlap too.
        let mut host_of: HashMap<usize, (usize, u32, NodeId)> = HashMap::new();
        for &(view, host, lo) in &self.views {
            let here = (net_of[host], lo, view);
            let (first_host, first_lo, first_view) = *host_of.entry(net_of[view]).or_insert(here);
            if (first_host, first_lo) != (net_of[host], lo) {
                let (a, b) = (&self.nodes[first_view], &self.nodes[view]);
                let connected = |n: &super::Node| {
                    (n.inside.clone().or(n.outside.clone())).unwrap_or(n.span.clone())
                };
                let what = match first_host == net_of[host] {
                    true => "two fields of one record",
                    false => "fields of two records",
                };
                let d = Diagnostic::error(
                    connected(b),
                    format!(
                        "`{}` and `{}` are connected: {what} connected to each other are not supported yet",
                        a.path, b.path
                    ),
                )
                .with_label(format!("`{}` connected here", b.path))
                .with_note(connected(a), format!("`{}` connected here", a.path))
                .with_hint("connect each field to a variable of its own, and copy between them in CHP");
                self.diags.push(d);
            }
        }
        if !self.diags.is_empty() {
            return Vec::new();
        }
        for &(view, host, lo) in &self.views {
            let (v, h) = (
                find(&mut parent, net_of[view]),
                find(&mut parent, net_of[host]),
            );
            let wanted = h.at + i64::from(lo);
            if v.root != h.root {
                parent[v.root] = Placement {
                    root: h.root,
                    at: wanted - v.at,
                };
            } else if v.at != wanted {
                let d = Diagnostic::error(
                    self.nodes[view].span.clone(),
                    format!(
                        "`{}` is connected to another part of the same variable: not supported",
                        self.nodes[view].path
                    ),
                )
                .with_label("declared here")
                .with_hint("a record's field may be connected to other variables, not to another field of the same record or to the record itself");
                self.diags.push(d);
            }
        }
        (0..count).map(|net| find(&mut parent, net)).collect()
    }

    /// Reports the circuit nodes (of production rules, pass gates, specs) whose nets are
    /// joined to a record's by a view: a node is one bit, not a range of a record's bits.
    pub(super) fn refuse_viewed_circuit_nodes(&mut self, net_of: &[usize], placed: &[Placement]) {
        if self.views.is_empty() {
            return;
        }
        let mut nets_of_root = vec![0u32; placed.len()];
        for p in placed {
            nets_of_root[p.root] += 1;
        }
        let viewed = |node: NodeId| nets_of_root[placed[net_of[node]].root] > 1;
        let mut used = Vec::new();
        for (_, _, rule) in &self.circuit.rules {
            used.push(rule.target.index());
            rule.guard.visit_nodes(&mut |n| used.push(n.index()));
        }
        for (_, _, pass) in &self.circuit.passes {
            used.extend(pass.nodes().map(|n| n.index()));
        }
        for directive in &self.circuit.specs {
            directive.visit_nodes(&mut |n| used.push(n.index()));
        }
        if let Some(&node) = used.iter().find(|&&n| viewed(n)) {
            let d = Diagnostic::error(
                self.nodes[node].span.clone(),
                format!(
                    "`{}` is a circuit node connected to a field of a record: not supported yet",
                    self.nodes[node].path
                ),
            )
            .with_hint("connect the circuit to a `bool` variable, and copy it to the record's field in CHP");
            self.diags.push(d);
        }
    }
}

/// The placement of `net` relative to its root, shortening the paths walked.
fn find(parent: &mut [Placement], net: usize) -> Placement {
    let (mut path, mut at, mut x) = (Vec::new(), 0, net);
    while parent[x].root != x {
        path.push(x);
        at += parent[x].at;
        x = parent[x].root;
    }
    let mut rest = at;
    for n in path {
        let step = parent[n].at;
        parent[n] = Placement { root: x, at: rest };
        rest -= step;
    }
    Placement { root: x, at }
}

/// The name `e` starts from: `t` of `t`, `t[2]`, `t.a[1].x`.
fn root_name(e: &Expr) -> Option<&Ident> {
    match &e.kind {
        ExprKind::Name(id) => Some(id),
        ExprKind::Index { base, .. } | ExprKind::Field { base, .. } => root_name(base),
        _ => None,
    }
}

/// Whether the body connects a field of record variable `v` (`v.x`, `v[2].a.b`, named in
/// `connected` as `v.x`, `v.a.b`).
pub(super) fn connects_a_field(
    v: &crate::front::ast::VarDecl,
    connected: &std::collections::HashSet<String>,
) -> bool {
    let prefix = format!("{}.", v.name.name);
    matches!(v.ty.kind, crate::front::ast::TypeKind::Record(_))
        && connected.iter().any(|name| name.starts_with(&prefix))
}
