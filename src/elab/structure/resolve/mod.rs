//! Resolution of a reference in a connection or port list to the nodes it names.

use std::collections::HashMap;

use super::bundles::bundle_named;
use super::{Elaborator, Local, PortTable, Resolved, Role};
use crate::diag::{did_you_mean, Diagnostic};
use crate::elab::consts::{eval_const, Params};
use crate::elab::types::{Shape, EMPTY_ARRAY};
use crate::front::ast::{ChanDir, Expr, ExprKind, Ident, Span};

mod element_wire;
mod instances;

/// What a dotted name in a connection must look like.
const INSTANCE_PORT: &str = "expected `instance.port` or `instance[i].port`";
const BUNDLE_ARRAY_INDEX: &str =
    "an array of interface bundles has one dimension: its member is `p[i].req`";

impl<'a> Elaborator<'a> {
    /// Resolves one side of a connection to its nodes.
    pub(super) fn resolve(
        &mut self,
        e: &Expr,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Option<Resolved> {
        // A member of a bundle (`b[0].req`) is the bundle arms' below: they know its messages.
        let of_bundle = matches!(&e.kind,
            ExprKind::Field { base, .. } if bundle_named(base, ports, locals).is_some());
        if let Some(wire) = (!of_bundle)
            .then(|| self.element_wire(e, ports, locals))
            .flatten()
        {
            return self.resolve(&wire, params, ports, locals);
        }
        match &e.kind {
            ExprKind::Name(id) => self.resolve_name(&id.name, &e.span, ports, locals),
            ExprKind::Index { .. } | ExprKind::Slice { .. } => {
                let (base, selectors) = selectors(e);
                if let [(index, None)] = selectors.as_slice() {
                    if let Some(element) = self.element(base, index, &e.span, params, ports, locals)
                    {
                        return Some(element);
                    }
                }
                let whole = self.resolve(base, params, ports, locals)?;
                if !whole.is_array {
                    let what = match selectors.iter().any(|s| s.1.is_some()) {
                        true => "to take a range of",
                        false => "to index",
                    };
                    return self.fail(
                        &e.span,
                        format!(
                            "`{}` is not an array: it has no elements {what}",
                            reference(base)
                        ),
                    );
                }
                let shape = self.declared_shape(base, &whole, ports, locals);
                if selectors.len() != shape.rank() {
                    return self.fail(
                        &e.span,
                        format!(
                            "`{}` has {} dimension(s), but this gives {} index(es)",
                            reference(base),
                            shape.rank(),
                            selectors.len()
                        ),
                    );
                }
                let mut parts = Vec::with_capacity(selectors.len());
                for (lo, hi) in &selectors {
                    let lo = eval_const(lo, params)
                        .map_err(|d| self.diags.push(d))
                        .ok()?;
                    let hi = match hi {
                        Some(hi) => Some(
                            eval_const(hi, params)
                                .map_err(|d| self.diags.push(d))
                                .ok()?,
                        ),
                        None => None,
                    };
                    parts.push((lo, hi));
                }
                let (positions, kept) = match shape.select(&parts) {
                    Ok(picked) => picked,
                    Err(message) => return self.fail(&e.span, message),
                };
                Some(Resolved {
                    nodes: positions.into_iter().map(|p| whole.nodes[p]).collect(),
                    is_array: !kept.is_empty(),
                    shape: kept,
                    pieces: Vec::new(),
                    span: e.span.clone(),
                    ..whole
                })
            }
            ExprKind::Concat(parts) => {
                self.array_expression((parts, false), &e.span, params, ports, locals)
            }
            ExprKind::ArrayConcat(parts) => {
                self.array_expression((parts, true), &e.span, params, ports, locals)
            }
            ExprKind::Field { base, field } if is_missing_member(base, field, ports, locals) => {
                let bundle = bundle_named(base, ports, locals).expect("matched");
                self.no_member(bundle, field, &e.span);
                None
            }
            ExprKind::Field { base, .. }
                if matches!(&base.kind, ExprKind::Index { .. })
                    && bundle_named(base, ports, locals).is_some() =>
            {
                // One index only: `b[0][1].req` names a bundle too, but arrays of bundles
                // have one dimension.
                let Some(member) = e.bundle_element_member() else {
                    return self.fail(&e.span, BUNDLE_ARRAY_INDEX.into());
                };
                self.resolve(&member, params, ports, locals)
            }
            ExprKind::Field { base, field }
                if bundle_member(base, field, ports, locals).is_some() =>
            {
                let member = bundle_member(base, field, ports, locals).expect("matched");
                self.resolve(&member, params, ports, locals)
            }
            ExprKind::Field { base, field } if self.names_record_variable(base, ports, locals) => {
                self.record_field((base, field), &e.span, params, ports, locals)
            }
            ExprKind::Field { base, field } => {
                let Some((name, indices)) = instance_element(base) else {
                    if !self.names_instance_port(base, locals) {
                        return self.fail(&e.span, INSTANCE_PORT.into());
                    }
                    // `m.r[1].x`: field `x` of an element of `m`'s record array port `r`.
                    let mut fields =
                        self.record_field((base, field), &e.span, params, ports, locals)?;
                    fields.inside = false;
                    return Some(fields);
                };
                let is_variable = matches!(
                    locals.get(&name.name),
                    Some(Local::Variable | Local::SharedVariable(_))
                );
                if is_variable {
                    // `c.g` of a variable: a wire its type does not have.
                    let message = match field.name.strip_prefix('#') {
                        Some(position) => format!(
                            "`{}` has fewer wires than this port list's {position} entries",
                            name.name
                        ),
                        None => format!("`{}` has no wire `{}`", name.name, field.name),
                    };
                    return self.fail(&e.span, message);
                }
                let instances = self.instances_named(name, ports, locals, &e.span)?;
                let table =
                    self.instance(name, &indices, Some(field), instances, params, &e.span)?;
                self.instance_port(name, field, table, &e.span)
            }
            _ => self.fail(
                &e.span,
                "expected a channel, a port, or `instance.port`".into(),
            ),
        }
    }

    /// Whether `e` names a port of an instance or an element of one (`m.r`, `m[1].r[2]`).
    fn names_instance_port(&self, e: &Expr, locals: &HashMap<String, Local>) -> bool {
        let (base, _) = selectors(e);
        matches!(&base.kind, ExprKind::Field { base, .. }
            if instance_name(base).is_some_and(|id|
                matches!(locals.get(&id.name), Some(Local::Instances { .. }))))
    }

    /// `name[i]` of an array port, channel or shared variable, found without listing the whole
    /// array (a ring of a million `bool`s indexes one a million times). `None` for anything
    /// else, and for an index out of range: the general path resolves or reports those.
    fn element(
        &self,
        base: &Expr,
        index: &Expr,
        span: &Span,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Option<Resolved> {
        let ExprKind::Name(id) = &base.kind else {
            return None;
        };
        let (entry, side) = match ports.get(&id.name) {
            Some(entry) => {
                let top = (self.nodes.get(entry.first))
                    .is_some_and(|n| n.role == Role::Port { top: true });
                let side = entry.dir.filter(|_| !top).map(|d| d == ChanDir::Input);
                (entry, side)
            }
            None => {
                let local = node_array(locals.get(&id.name)).or_else(|| {
                    (self.file_signal(&id.name)).filter(|_| !locals.contains_key(&id.name))
                })?;
                (local.clone(), None)
            }
        };
        if !entry.is_array || entry.shape.rank() != 1 {
            return None;
        }
        let at = entry
            .shape
            .offset(&[eval_const(index, params).ok()?])
            .ok()?;
        Some(Resolved {
            nodes: vec![entry.first + at],
            shape: Vec::new(),
            pieces: Vec::new(),
            is_array: false,
            side,
            inside: true,
            span: span.clone(),
        })
    }

    /// Reports `msg` at `span`; resolves to nothing.
    pub(super) fn fail<T>(&mut self, span: &Span, msg: String) -> Option<T> {
        self.diags.push(Diagnostic::error(span.clone(), msg));
        None
    }

    /// A bare name: a port of the process, or a channel or shared variable of its body.
    fn resolve_name(
        &mut self,
        name: &str,
        span: &Span,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Option<Resolved> {
        let empty = match (ports.get(name), locals.get(name)) {
            (Some(entry), _) => entry.is_array && entry.len() == 0,
            (None, Some(Local::Channel(entry) | Local::SharedVariable(entry))) => {
                entry.is_array && entry.len() == 0
            }
            (None, Some(Local::Instances { tables, .. })) => tables.is_empty(),
            _ => false,
        };
        if empty {
            return self.fail(span, format!("`{name}`: {EMPTY_ARRAY}"));
        }
        if let Some(entry) = ports.get(name) {
            // Seen from inside, an input port is where values come from; a port of the top is
            // a plain channel between the instances it connects.
            let top =
                (self.nodes.get(entry.first)).is_some_and(|n| n.role == Role::Port { top: true });
            let side = entry.dir.filter(|_| !top).map(|d| d == ChanDir::Input);
            return Some(Resolved::whole(&entry, side, true, span));
        }
        let file_signal = (self.file_signal(name))
            .filter(|_| !locals.contains_key(name))
            .map(|entry| Local::Channel(entry.clone()));
        match locals.get(name).or(file_signal.as_ref()) {
            Some(Local::Channel(entry) | Local::SharedVariable(entry)) => {
                Some(Resolved::whole(entry, None, true, span))
            }
            Some(Local::Instances { .. }) => self.fail(
                span,
                format!("`{name}` is an instance; connect one of its ports, e.g. `{name}.L`"),
            ),
            Some(Local::Poisoned) => None,
            Some(Local::Bundle { bundle, .. }) => self.fail(
                span,
                format!(
                    "`{name}` is an interface bundle of type `{}`; connect it whole to a bundle of its type, or one of its members",
                    bundle.ty
                ),
            ),
            Some(Local::Variable) => self.fail(
                span,
                format!("`{name}` is a variable; only channels and ports can be connected"),
            ),
            None => {
                let mut names: Vec<&str> = ports
                    .names()
                    .chain(locals.keys().map(String::as_str))
                    .collect();
                names.sort_unstable();
                let mut d =
                    Diagnostic::error(span.clone(), format!("unknown channel or port `{name}`"));
                if let Some(hint) = self.unseen_file_signal(name) {
                    d = d.with_hint(hint);
                } else if let Some(hint) = did_you_mean(name, names) {
                    d = d.with_hint(hint);
                }
                self.diags.push(d);
                None
            }
        }
    }
    /// The bounds of the array that `base` names (resolved to `whole`) as declared; an array
    /// expression's (`{a, b}`) count from 0.
    pub(super) fn declared_shape(
        &self,
        base: &Expr,
        whole: &Resolved,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Shape {
        let declared =
            match &base.kind {
                ExprKind::Name(id) => ports.get(&id.name).map(|p| p.shape).or_else(|| match locals
                    .get(&id.name)
                {
                    Some(Local::Channel(c) | Local::SharedVariable(c)) => Some(c.shape.clone()),
                    Some(_) => None,
                    None => self.file_signal(&id.name).map(|c| c.shape.clone()),
                }),
                ExprKind::Field { base, field } => match instance_name(base) {
                    Some(id) => match locals.get(&id.name) {
                        Some(Local::Instances { tables, .. }) => tables
                            .first()
                            .and_then(|t| t.get(&field.name))
                            .map(|p| p.shape),
                        _ => None,
                    },
                    None => None,
                },
                _ => None,
            };
        let viewed = || (whole.nodes.first()).and_then(|&n| self.viewed_shape(n));
        (declared.or_else(viewed))
            .filter(|s| s.sizes() == whole.shape)
            .unwrap_or_else(|| Shape::new(whole.shape.iter().map(|&n| (0, n)).collect()))
    }
}

/// `x[i]`, `x[i][j]`, `x[0..2][1]`: the reference without its indices, and the indices,
/// outermost first (`(lo, Some(hi))` for a range).
fn selectors(e: &Expr) -> (&Expr, Vec<(&Expr, Option<&Expr>)>) {
    let mut selectors = Vec::new();
    let mut base = e;
    loop {
        match &base.kind {
            ExprKind::Index { base: b, index } => {
                selectors.push((index.as_ref(), None));
                base = b;
            }
            ExprKind::Slice { base: b, lo, hi } => {
                selectors.push((lo.as_ref(), Some(hi.as_ref())));
                base = b;
            }
            _ => break,
        }
    }
    selectors.reverse();
    (base, selectors)
}

/// Whether `base.field` names a member that the bundle `base` does not have, nor a wire of
/// one (`n.c.t` of a member `c` of a channel type with wires, declared as itself).
fn is_missing_member(
    base: &Expr,
    field: &Ident,
    ports: &PortTable,
    locals: &HashMap<String, Local>,
) -> bool {
    let has = |member: &String| {
        (field.name.strip_prefix(member.as_str()))
            .is_some_and(|r| r.is_empty() || r.starts_with('.'))
    };
    bundle_named(base, ports, locals).is_some_and(|b| !b.members.iter().any(has))
}

/// A member of an interface bundle, as the port or channel it is: `m.p.req` (of the bundle port
/// `p` of instance `m`) is `m`'s port `p.req`, and `p.req` (of the process's own bundle port
/// or channel `p`) is the port or channel `p.req`. `None` for any other `base.field`.
fn bundle_member(
    base: &Expr,
    field: &Ident,
    ports: &PortTable,
    locals: &HashMap<String, Local>,
) -> Option<Expr> {
    let joined = |name: String, span: Span| Ident { name, span };
    match &base.kind {
        ExprKind::Field {
            base: inner,
            field: outer,
        } => Some(Expr {
            kind: ExprKind::Field {
                base: inner.clone(),
                field: joined(
                    format!("{}.{}", outer.name, field.name),
                    outer.span.start..field.span.end,
                ),
            },
            span: base.span.start..field.span.end,
        }),
        ExprKind::Name(id) if !matches!(locals.get(&id.name), Some(Local::Instances { .. })) => {
            let member = format!("{}.{}", id.name, field.name);
            let declared = ports.contains(&member)
                || matches!(
                    locals.get(&member),
                    Some(Local::Channel(_) | Local::SharedVariable(_) | Local::Variable)
                );
            declared.then(|| Expr {
                span: id.span.start..field.span.end,
                kind: ExprKind::Name(joined(member, id.span.start..field.span.end)),
            })
        }
        _ => None,
    }
}

/// A connection's reference as written (`c`, `s.R`, `b[1].req`), for messages.
pub(super) fn reference(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(id) => id.name.clone(),
        ExprKind::Field { base, field } => format!("{}.{}", reference(base), field.name),
        ExprKind::Index { base, .. } => format!("{}[..]", reference(base)),
        _ => "this".to_string(),
    }
}

/// The nodes of a local that is a channel or a shared variable.
fn node_array(local: Option<&Local>) -> Option<&super::PortEntry> {
    match local? {
        Local::Channel(entry) | Local::SharedVariable(entry) => Some(entry),
        _ => None,
    }
}

/// `x` or `x[i][j]...` naming an instance: its name and indices (outermost first).
fn instance_element(e: &Expr) -> Option<(&Ident, Vec<&Expr>)> {
    let (base, selectors) = selectors(e);
    let ExprKind::Name(id) = &base.kind else {
        return None;
    };
    if selectors.iter().any(|s| s.1.is_some()) {
        return None;
    }
    Some((id, selectors.into_iter().map(|s| s.0).collect()))
}

/// The instance that `e` names, alone or as an element of an array of them (`m`, `m[1]` in
/// `m.p`, `m[1].p`): its name.
pub(super) fn instance_name(e: &Expr) -> Option<&Ident> {
    instance_element(e).map(|(id, _)| id)
}
