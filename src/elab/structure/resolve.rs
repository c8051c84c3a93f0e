//! Resolution of a reference in a connection or port list to the nodes it names.

use std::collections::HashMap;

use super::bundles::{bundle_named, outside_port};
use super::{port_hint, Elaborator, Local, PortTable, Resolved, Role};
use crate::diag::{did_you_mean, Diagnostic};
use crate::elab::consts::{eval_const, Params};
use crate::elab::types::{Shape, EMPTY_ARRAY};
use crate::front::ast::{ChanDir, Expr, ExprKind, Ident, Span};

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
                if self.file_signals.contains_key(name) {
                    d = d.with_hint(format!(
                        "the file scope declares `{name}` after this definition: a definition \
                         sees only what is declared before it (ACT: \"The identifier `{name}' \
                         does not exist in the current scope\")"
                    ));
                } else if let Some(hint) = did_you_mean(name, names) {
                    d = d.with_hint(hint);
                }
                self.diags.push(d);
                None
            }
        }
    }

    /// The instances declared as `name` in the body: the first index and their port tables.
    fn instances_named<'l>(
        &mut self,
        name: &Ident,
        ports: &PortTable,
        locals: &'l HashMap<String, Local>,
        span: &Span,
    ) -> Option<(&'l Shape, &'l [PortTable])> {
        let not_an_instance = |what: &str| {
            format!(
                "`{}` is {what}, not an instance; it has no ports",
                name.name
            )
        };
        match locals.get(&name.name) {
            Some(Local::Instances { tables, .. }) if tables.is_empty() => {
                self.fail(span, format!("`{}`: {EMPTY_ARRAY}", name.name))
            }
            Some(Local::Instances { shape, tables, .. }) => Some((shape, tables)),
            Some(Local::Poisoned) => None,
            Some(Local::Variable | Local::SharedVariable(_)) => {
                self.fail(span, not_an_instance("a variable"))
            }
            Some(Local::Channel(_)) => self.fail(span, not_an_instance("a channel")),
            Some(Local::Bundle { .. }) => self.fail(span, not_an_instance("an interface bundle")),
            None if ports.contains(&name.name) => self.fail(span, not_an_instance("a port")),
            None => {
                let names = locals.iter().filter_map(|(n, l)| {
                    matches!(l, Local::Instances { .. }).then_some(n.as_str())
                });
                let hint = did_you_mean(&name.name, names);
                let mut d = Diagnostic::error(
                    name.span.clone(),
                    format!("unknown instance `{}`", name.name),
                );
                if let Some(hint) = hint {
                    d = d.with_hint(hint);
                }
                self.diags.push(d);
                None
            }
        }
    }

    /// The ports of the single instance `x` or `x[i]` that `e` names (given a port list).
    pub(super) fn instance_of(
        &mut self,
        e: &Expr,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Option<PortTable> {
        let Some((name, indices)) = instance_element(e) else {
            return self.fail(&e.span, "expected an instance, `x` or `x[i]`".into());
        };
        let instances = self.instances_named(name, ports, locals, &e.span)?;
        (self.instance(name, &indices, None, instances, params, &e.span)).cloned()
    }

    /// The instance `name` or `name[i]...` (one index per dimension) among the `tables`
    /// declared as `name` with `shape` (whose port `field` is wanted, if one is).
    fn instance<'t>(
        &mut self,
        name: &Ident,
        indices: &[&Expr],
        field: Option<&Ident>,
        (shape, tables): (&Shape, &'t [PortTable]),
        params: &Params,
        span: &Span,
    ) -> Option<&'t PortTable> {
        if indices.is_empty() {
            if let [table] = tables {
                return Some(table);
            }
            let name = &name.name;
            let zeros = "[0]".repeat(shape.rank().max(1));
            let example = match field {
                Some(field) => format!("{name}{zeros}.{}", field.name),
                None => format!("{name}{zeros}"),
            };
            return self.fail(
                span,
                format!("`{name}` is an array of instances; say which one, e.g. `{example}`"),
            );
        }
        if indices.len() != shape.rank() {
            return self.fail(
                span,
                format!(
                    "`{}` has {} dimension(s), but this gives {} index(es)",
                    name.name,
                    shape.rank(),
                    indices.len()
                ),
            );
        }
        let mut values = Vec::with_capacity(indices.len());
        for index in indices {
            values.push(
                eval_const(index, params)
                    .map_err(|d| self.diags.push(d))
                    .ok()?,
            );
        }
        match shape.offset(&values).map(|k| tables.get(k)) {
            Ok(Some(table)) => Some(table),
            Ok(None) => self.fail(
                span,
                format!("`{}`: this element is not declared", name.name),
            ),
            Err(message) => self.fail(span, message),
        }
    }

    /// Port `field` of the instance `name` whose ports are `table`.
    fn instance_port(
        &mut self,
        name: &Ident,
        field: &Ident,
        table: &PortTable,
        span: &Span,
    ) -> Option<Resolved> {
        // The longest dotted start that is a record port (`x.f` of `m.x.f.b.w`, a record
        // among the wires of `m`'s channel port `x`).
        let record_port = (field.name.match_indices('.').rev())
            .filter_map(|(at, _)| Some((table.get(&field.name[..at])?, &field.name[at + 1..])))
            .find(|(entry, _)| entry.len() == 1 && self.var_records.contains_key(&entry.first));
        if let (None, Some((entry, path))) = (table.get(&field.name), record_port) {
            // `m.r.x`: field `x` of `m`'s record port `r`.
            let mut fields = self.field_path(entry.first, path, span)?;
            fields.inside = false;
            return Some(fields);
        }
        let Some(entry) = table.get(&field.name) else {
            let hint = port_hint(&field.name, table);
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    format!("`{}` has no port `{}`", name.name, field.name),
                )
                .with_hint(hint),
            );
            return None;
        };
        if entry.is_array && entry.len() == 0 {
            return self.fail(
                span,
                format!("`{}.{}`: {EMPTY_ARRAY}", name.name, field.name),
            );
        }
        Some(outside_port(entry, span))
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

/// An index (`lo`, no `hi`) or a range (`lo..hi`) after a name or field.
type Selector<'e> = (&'e Expr, Option<&'e Expr>);

/// A reference as written from its root name: the name and its selectors (`root`, the
/// name with them applied), then each `.field` with the selectors after it: `s.p[1].d.f[0]`
/// is `s`, `p[1]`, `d`, `f[0]`.
struct Path<'e> {
    root: &'e Ident,
    root_expr: &'e Expr,
    root_selectors: Vec<Selector<'e>>,
    fields: Vec<(&'e Ident, Vec<Selector<'e>>)>,
}

/// `e` as a [`Path`]; `None` for anything but names, fields and selectors.
fn path(e: &Expr) -> Option<Path<'_>> {
    let mut fields = Vec::new();
    let mut at = e;
    loop {
        let (base, selectors) = selectors(at);
        match &base.kind {
            ExprKind::Field { base, field } => {
                fields.push((field, selectors));
                at = base;
            }
            ExprKind::Name(root) => {
                fields.reverse();
                return Some(Path {
                    root,
                    root_expr: at,
                    root_selectors: selectors,
                    fields,
                });
            }
            _ => return None,
        }
    }
}

impl Elaborator<'_> {
    /// A wire below an element of an array, as the element of the declared wire array it is:
    /// the wires of an array (of a refined type, of records, of an array field of a record) are
    /// declared with the dimensions of every array on their way, in order, so `c[i].d[j]` (and
    /// `c[i][k].d`, `c[i].d[0..1]`) is `c.d[i][j]`, and `s.p[1].d.f[0]` (a field `d` with wires
    /// `f[2]` of the elements of an array field `p`) is `s.p.d.f[1][0]`: the indices in the
    /// order written, moved after the whole dotted name. Also for a port of an instance,
    /// `m.p[i].d` (`m`'s port `p.d`). A name declared at file scope (`x.d.d[0].t` of a
    /// file-scope channel `x`) too. When only the start of the dotted name is a declared wire
    /// (a record `p[2]` of a channel type's, `b.p`), the rest are fields of it: `b.p[1].valid`
    /// is field `valid` of `b.p[1]`. `None` when the reference is already in that form.
    fn element_wire(
        &self,
        e: &Expr,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Option<Expr> {
        let path = path(e)?;
        let instance = matches!(locals.get(&path.root.name), Some(Local::Instances { .. }));
        // The segments of the wire's dotted name: after the instance, or from the root.
        let root_segment = (path.root, path.root_selectors.clone());
        let segments: Vec<(&Ident, Vec<Selector>)> = match instance {
            true if path.root_selectors.iter().any(|s| s.1.is_some()) => return None,
            true => path.fields,
            false => std::iter::once(root_segment).chain(path.fields).collect(),
        };
        let dotted = |count: usize| {
            (segments[..count].iter().map(|(id, _)| id.name.as_str()))
                .collect::<Vec<_>>()
                .join(".")
        };
        // The longest declared start of the dotted name: a whole name of one segment is the
        // general resolution's.
        let (count, shape) = (2..=segments.len()).rev().find_map(|count| {
            let shape = self.declared_wire(path.root, instance, &dotted(count), ports, locals)?;
            Some((count, shape))
        })?;
        let (wire_segments, fields) = segments.split_at(count);
        let (last, before) = wire_segments.split_last()?;
        let indexed_before = before.iter().any(|(_, selectors)| !selectors.is_empty());
        if fields.is_empty() && !indexed_before {
            return None;
        }
        let name = dotted(count);
        let first = segments[0].0;
        let mut wire = if instance {
            let kind = ExprKind::Field {
                base: Box::new(path.root_expr.clone()),
                field: Ident {
                    name,
                    span: first.span.start..last.0.span.end,
                },
            };
            let span = path.root_expr.span.start..last.0.span.end;
            Expr { kind, span }
        } else {
            let span = first.span.start..last.0.span.end;
            let kind = ExprKind::Name(Ident {
                name,
                span: span.clone(),
            });
            Expr { kind, span }
        };
        let given: Vec<Selector> = (wire_segments.iter())
            .flat_map(|(_, selectors)| selectors.iter().copied())
            .collect();
        // `c[i].d` is the whole wire array of element `i`: `c.d[i][lo..hi]`. Before a field,
        // the element is named whole (or the general resolution reports it).
        let rest: Vec<(Expr, Expr)> = (shape.iter().filter(|_| fields.is_empty()))
            .flat_map(|s| s.dims().iter().skip(given.len()))
            .map(|&(lo, len)| {
                let int = |v: i64| Expr {
                    kind: ExprKind::Int(num_bigint::BigUint::from(v.max(0) as u64)),
                    span: last.0.span.clone(),
                };
                (int(lo), int(lo + len as i64 - 1))
            })
            .collect();
        let rest = rest.iter().map(|(lo, hi)| (lo, Some(hi)));
        wire = with_selectors(wire, given.into_iter().chain(rest), e.span.end);
        for (field, selectors) in fields {
            let span = wire.span.start..field.span.end;
            let kind = ExprKind::Field {
                base: Box::new(wire),
                field: (*field).clone(),
            };
            wire = with_selectors(Expr { kind, span }, selectors.iter().copied(), e.span.end);
        }
        Some(wire)
    }

    /// Whether the wire `name` (a dotted name from `root`, or a port of the instance `root`)
    /// is declared: then its bounds (`None` for a variable's, known when its CHP is lowered).
    fn declared_wire(
        &self,
        root: &Ident,
        instance: bool,
        name: &str,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Option<Option<Shape>> {
        if instance {
            return match locals.get(&root.name) {
                Some(Local::Instances { tables, .. }) => {
                    Some(Some(tables.first()?.get(name)?.shape))
                }
                _ => None,
            };
        }
        match (ports.get(name), locals.get(name)) {
            (Some(entry), _) => Some(Some(entry.shape)),
            (None, Some(Local::Channel(entry) | Local::SharedVariable(entry))) => {
                Some(Some(entry.shape.clone()))
            }
            (None, Some(Local::Variable)) => Some(None),
            (None, None) => Some(Some(self.file_signal(name)?.shape.clone())),
            _ => None,
        }
    }
}

/// `base` with the `selectors` after it (indices, ranges), each spanning to `end`.
fn with_selectors<'e>(
    base: Expr,
    selectors: impl Iterator<Item = (&'e Expr, Option<&'e Expr>)>,
    end: usize,
) -> Expr {
    selectors.fold(base, |wire, (lo, hi)| {
        let span = wire.span.start..end;
        let kind = match hi {
            None => ExprKind::Index {
                base: Box::new(wire),
                index: Box::new(lo.clone()),
            },
            Some(hi) => ExprKind::Slice {
                base: Box::new(wire),
                lo: Box::new(lo.clone()),
                hi: Box::new(hi.clone()),
            },
        };
        Expr { kind, span }
    })
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
