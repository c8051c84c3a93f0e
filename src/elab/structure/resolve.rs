//! Resolution of a reference in a connection or port list to the nodes it names.

use std::collections::HashMap;

use super::bundles::bundle_named;
use super::{port_hint, Elaborator, Local, PortTable, Resolved, Role};
use crate::diag::{did_you_mean, Diagnostic};
use crate::elab::consts::{eval_const, Params};
use crate::elab::types::EMPTY_ARRAY;
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
        match &e.kind {
            ExprKind::Name(id) => self.resolve_name(&id.name, &e.span, ports, locals),
            ExprKind::Index { base, index } => {
                if let Some(element) = self.element(base, index, &e.span, params, ports, locals) {
                    return Some(element);
                }
                let whole = self.resolve(base, params, ports, locals)?;
                if !whole.is_array {
                    return self.fail(
                        &e.span,
                        format!(
                            "`{}` is not an array: it has no elements to index",
                            reference(base)
                        ),
                    );
                }
                let i = eval_const(index, params)
                    .map_err(|d| self.diags.push(d))
                    .ok()?;
                let lo = self.array_lo(base, ports, locals);
                let at = i.checked_sub(lo).unwrap_or(-1);
                if at < 0 || at >= whole.nodes.len() as i64 {
                    let hi = lo + whole.nodes.len() as i64 - 1;
                    return self.fail(
                        &e.span,
                        format!("index {i} is out of range (valid: {lo}..{hi})"),
                    );
                }
                Some(Resolved {
                    nodes: vec![whole.nodes[at as usize]],
                    is_array: false,
                    span: e.span.clone(),
                    ..whole
                })
            }
            ExprKind::Slice { base, lo, hi } => {
                let whole = self.resolve(base, params, ports, locals)?;
                if !whole.is_array {
                    return self.fail(
                        &e.span,
                        format!(
                            "`{}` is not an array: it has no elements to take a range of",
                            reference(base)
                        ),
                    );
                }
                let (lo, hi) = eval_const(lo, params)
                    .and_then(|lo| Ok((lo, eval_const(hi, params)?)))
                    .map_err(|d| self.diags.push(d))
                    .ok()?;
                let first = self.array_lo(base, ports, locals);
                let last = first + whole.nodes.len() as i64 - 1;
                if lo > hi || lo < first || hi > last {
                    return self.fail(
                        &e.span,
                        format!("range [{lo}..{hi}] is out of range (valid: {first}..{last})"),
                    );
                }
                let from = (lo - first) as usize;
                let to = (hi - first) as usize;
                Some(Resolved {
                    nodes: whole.nodes[from..=to].to_vec(),
                    span: e.span.clone(),
                    ..whole
                })
            }
            ExprKind::Concat(parts) => {
                // `{a, b[0..2]}`: the elements of each part, in order, as one array.
                let mut nodes = Vec::new();
                let mut sides = Vec::new();
                let mut inside = true;
                for part in parts {
                    let part = self.resolve(part, params, ports, locals)?;
                    nodes.extend(part.nodes);
                    sides.push(part.side);
                    inside &= part.inside;
                }
                // A direction only when every part has the same one.
                let side = sides.first().copied().flatten();
                Some(Resolved {
                    nodes,
                    is_array: true,
                    side: side
                        .filter(|_| sides.iter().all(|s| *s == Some(side.unwrap_or_default()))),
                    inside,
                    span: e.span.clone(),
                })
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
            ExprKind::Field { base, .. }
                if matches!(&base.kind, ExprKind::Index { .. })
                    && wire_element(e, ports, locals).is_some() =>
            {
                // `c[i].d0` of an array of a refined type: element `i` of its wire `c.d0`.
                let wire = wire_element(e, ports, locals).expect("matched");
                self.resolve(&wire, params, ports, locals)
            }
            ExprKind::Field { base, field }
                if bundle_member(base, field, ports, locals).is_some() =>
            {
                let member = bundle_member(base, field, ports, locals).expect("matched");
                self.resolve(&member, params, ports, locals)
            }
            ExprKind::Field { base, field } => {
                let (name, index) = match &base.kind {
                    ExprKind::Name(id) => (id, None),
                    ExprKind::Index { base: b, index } => match &b.kind {
                        ExprKind::Name(id) => (id, Some(index.as_ref())),
                        _ => return self.fail(&e.span, INSTANCE_PORT.into()),
                    },
                    _ => return self.fail(&e.span, INSTANCE_PORT.into()),
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
                let table = self.instance(name, index, Some(field), instances, params, &e.span)?;
                self.instance_port(name, field, table, &e.span)
            }
            _ => self.fail(
                &e.span,
                "expected a channel, a port, or `instance.port`".into(),
            ),
        }
    }

    /// Reports `msg` at `span`; resolves to nothing.
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
                (
                    entry,
                    entry.dir.filter(|_| !top).map(|d| d == ChanDir::Input),
                )
            }
            None => {
                let local = node_array(locals.get(&id.name)).or_else(|| {
                    (self.file_signals.get(&id.name)).filter(|_| !locals.contains_key(&id.name))
                })?;
                (*local, None)
            }
        };
        if !entry.is_array {
            return None;
        }
        let at = eval_const(index, params).ok()?.checked_sub(entry.lo)?;
        if at < 0 || at >= entry.len as i64 {
            return None;
        }
        Some(Resolved {
            nodes: vec![entry.first + at as usize],
            is_array: false,
            side,
            inside: true,
            span: span.clone(),
        })
    }

    fn fail<T>(&mut self, span: &Span, msg: String) -> Option<T> {
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
            (Some(entry), _) => entry.is_array && entry.len == 0,
            (None, Some(Local::Channel(entry) | Local::SharedVariable(entry))) => {
                entry.is_array && entry.len == 0
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
            return Some(Resolved {
                nodes: entry.nodes(),
                is_array: entry.is_array,
                side,
                inside: true,
                span: span.clone(),
            });
        }
        let file_signal = (self.file_signals.get(name))
            .filter(|_| !locals.contains_key(name))
            .map(|entry| Local::Channel(*entry));
        match locals.get(name).or(file_signal.as_ref()) {
            Some(Local::Channel(entry) | Local::SharedVariable(entry)) => Some(Resolved {
                nodes: entry.nodes(),
                is_array: entry.is_array,
                side: None,
                inside: true,
                span: span.clone(),
            }),
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
                if let Some(hint) = did_you_mean(name, names) {
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
    ) -> Option<(i64, &'l [PortTable])> {
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
            Some(Local::Instances { lo, tables, .. }) => Some((*lo, tables)),
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
        let (name, index) = match &e.kind {
            ExprKind::Name(id) => (id, None),
            ExprKind::Index { base, index } => match &base.kind {
                ExprKind::Name(id) => (id, Some(index.as_ref())),
                _ => return self.fail(&e.span, "expected an instance, `x` or `x[i]`".into()),
            },
            _ => return self.fail(&e.span, "expected an instance, `x` or `x[i]`".into()),
        };
        let instances = self.instances_named(name, ports, locals, &e.span)?;
        (self.instance(name, index, None, instances, params, &e.span)).cloned()
    }

    /// The instance `name` or `name[index]` among the `(lo, tables)` declared as `name`
    /// (whose port `field` is wanted, if one is).
    fn instance<'t>(
        &mut self,
        name: &Ident,
        index: Option<&Expr>,
        field: Option<&Ident>,
        (lo, tables): (i64, &'t [PortTable]),
        params: &Params,
        span: &Span,
    ) -> Option<&'t PortTable> {
        let Some(index) = index else {
            if let [table] = tables {
                return Some(table);
            }
            let name = &name.name;
            let example = match field {
                Some(field) => format!("{name}[0].{}", field.name),
                None => format!("{name}[0]"),
            };
            return self.fail(
                span,
                format!("`{name}` is an array of instances; say which one, e.g. `{example}`"),
            );
        };
        let i = eval_const(index, params)
            .map_err(|d| self.diags.push(d))
            .ok()?;
        let k = i.checked_sub(lo).and_then(|k| usize::try_from(k).ok());
        match k.and_then(|k| tables.get(k)) {
            Some(table) => Some(table),
            None => {
                let hi = lo + tables.len() as i64 - 1;
                self.fail(
                    span,
                    format!("index {i} is out of range (valid: {lo}..{hi})"),
                )
            }
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
        if entry.is_array && entry.len == 0 {
            return self.fail(
                span,
                format!("`{}.{}`: {EMPTY_ARRAY}", name.name, field.name),
            );
        }
        Some(Resolved {
            nodes: entry.nodes(),
            is_array: entry.is_array,
            side: entry.dir.map(|d| d == ChanDir::Output),
            inside: false,
            span: span.clone(),
        })
    }

    /// The first index of the array that `base` names (0 unless declared `[lo..hi]`).
    pub(super) fn array_lo(
        &self,
        base: &Expr,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> i64 {
        match &base.kind {
            ExprKind::Name(id) => {
                ports
                    .get(&id.name)
                    .map(|p| p.lo)
                    .or_else(|| match locals.get(&id.name) {
                        Some(Local::Channel(c) | Local::SharedVariable(c)) => Some(c.lo),
                        Some(_) => None,
                        None => self.file_signals.get(&id.name).map(|c| c.lo),
                    })
            }
            ExprKind::Field { base, field } => {
                let name = match &base.kind {
                    ExprKind::Name(id) => &id.name,
                    ExprKind::Index { base, .. } => match &base.kind {
                        ExprKind::Name(id) => &id.name,
                        _ => return 0,
                    },
                    _ => return 0,
                };
                match locals.get(name) {
                    Some(Local::Instances { tables, .. }) => tables
                        .first()
                        .and_then(|t| t.get(&field.name))
                        .map(|p| p.lo),
                    _ => None,
                }
            }
            _ => None,
        }
        .unwrap_or(0)
    }
}

/// Whether `base.field` names a member that the bundle `base` does not have.
fn is_missing_member(
    base: &Expr,
    field: &Ident,
    ports: &PortTable,
    locals: &HashMap<String, Local>,
) -> bool {
    bundle_named(base, ports, locals).is_some_and(|b| !b.members.contains(&field.name))
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

/// `c[i].d0` as `c.d0[i]` when `c.d0` is a declared wire array (of an array `c` of a refined
/// type with wires).
fn wire_element(e: &Expr, ports: &PortTable, locals: &HashMap<String, Local>) -> Option<Expr> {
    let member = e.bundle_element_member()?;
    let ExprKind::Index { base, .. } = &member.kind else {
        return None;
    };
    let declared = match &base.kind {
        ExprKind::Name(id) => {
            ports.contains(&id.name)
                || matches!(
                    locals.get(&id.name),
                    Some(Local::Channel(_) | Local::SharedVariable(_) | Local::Variable)
                )
        }
        // `m.out[i].t`: `m`'s port `out.t`.
        ExprKind::Field { base, field } => {
            let instance = instance_name(base)?;
            matches!(locals.get(&instance.name), Some(Local::Instances { tables, .. })
                if tables.first().is_some_and(|t| t.contains(&field.name)))
        }
        _ => false,
    };
    declared.then_some(member)
}

/// A connection's reference as written (`c`, `s.R`, `b[1].req`), for messages.
fn reference(e: &Expr) -> String {
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

/// The instance that `e` names, alone or as an element of an array of them (`m`, `m[1]` in
/// `m.p`, `m[1].p`): its name.
pub(super) fn instance_name(e: &Expr) -> Option<&Ident> {
    match &e.kind {
        ExprKind::Name(id) => Some(id),
        ExprKind::Index { base, .. } => match &base.kind {
            ExprKind::Name(id) => Some(id),
            _ => None,
        },
        _ => None,
    }
}
