//! Fields of record variables connected as nets (`f = t.x;`, `m(t.a[2]);`), as ACT allows.
//!
//! A record variable's value is one integer; a field connected somewhere is a *view*: a node
//! of its own (`t.x`), whose net is a bit range of the net of the record. At the finish the
//! bits of the nets joined by views are laid on lines (see [`bit_lines`](super::bit_lines)),
//! each line one shared variable, so a write to a field, to its record or to anything
//! connected to either reaches the same bits of every other.

use std::collections::HashMap;
use std::rc::Rc;

use super::bit_lines::{lay_lines, Lines};
use super::{Elaborator, Local, NodeId, NodeKind, PortTable, Resolved, Role};
use crate::diag::Diagnostic;
use crate::elab::consts::Params;
use crate::elab::ir::Ty;
use crate::elab::records::{Elem, Field};
use crate::elab::types::{Carried, IntKinds, Shape};
use crate::front::ast::{Expr, ExprKind, Ident, Span};

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
                        kinds: IntKinds {
                            data: f.kind,
                            ..IntKinds::default()
                        },
                    },
                    Elem::Record(layout) => Carried {
                        ty: Some(Ty::Int(layout.width)),
                        record: Some(layout.name.as_str().into()),
                        ancestors: layout.ancestors.as_slice().into(),
                        reply: None,
                        kinds: IntKinds::default(),
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

    /// Joins the views of one field of records in one net (`x = b.p[1].v` and a circuit's
    /// `k.b.p[1].v`, of a channel's record wire `b.p` joined to its port's): they are the
    /// same bits, so one node, which every name of the field reaches. In order of making, so
    /// a view of a field of a view joined here is joined too.
    pub(super) fn join_views_of_same_bits(&mut self) {
        let mut first_view: HashMap<(NodeId, u32, Option<Ty>), NodeId> = HashMap::new();
        for k in 0..self.views.len() {
            let (view, host, lo) = self.views[k];
            let key = (self.find(host), lo, self.nodes[view].carried.ty);
            match first_view.get(&key) {
                Some(&first) => {
                    let (a, b) = (self.find(view), self.find(first));
                    self.parent[a] = b;
                }
                None => {
                    first_view.insert(key, view);
                }
            }
        }
    }

    /// The bounds of the array field whose first view is `node`, as declared.
    pub(super) fn viewed_shape(&self, node: NodeId) -> Option<Shape> {
        self.view_shapes.get(&node).cloned()
    }

    /// Lays the nets (`net_of` each node's, `count` of them) on lines of bits, as the views
    /// join them (see [`bit_lines`](super::bit_lines)).
    pub(super) fn lay_nets(&self, net_of: &[usize], count: usize) -> Lines {
        let mut width = HashMap::new();
        let views: Vec<(usize, usize, u32)> = (self.views.iter())
            .map(|&(view, host, lo)| {
                for node in [view, host] {
                    let ty = self.nodes[node].carried.ty;
                    width.insert(net_of[node], ty.map_or(0, Ty::width));
                }
                (net_of[view], net_of[host], lo)
            })
            .collect();
        lay_lines(count, &views, |net| width[&net])
    }
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
