//! Connecting objects whole, as ACT does. Two objects of a refined type with wires (`dualrail
//! a, b; a = b;`, or a port `dualrail p` given `c` in a port list) connect their wires too,
//! each to the other's of the same name. Two instances of one process (`f = b;`) connect port
//! by port.
//!
//! The parser declares each wire as an object of its own named `x.w` (see its `alias_wires`);
//! here the wires of a side are found by those names.

use std::collections::{HashMap, HashSet};

use super::bundles::{member_expr, outside_port, Side};
use super::resolve::instance_name;
use super::{Elaborator, Local, PortTable, Resolved};
use crate::diag::Diagnostic;
use crate::elab::consts::Params;
use crate::front::ast::{Expr, ExprKind, Ident, Span};

/// One side of a connection whose wires are wanted.
#[derive(Clone)]
pub(super) enum WireBase {
    /// A reference written in the body (`c`, `c[2]`, `m.p`, `m[1].p`).
    Expr(Expr),
    /// Port `name` of an instance with ports `table` (given a value in a port list).
    Port(PortTable, String),
}

impl<'a> Elaborator<'a> {
    /// `f = b;` of two instances (`f`, `f[i]`): the same process, or one inheriting from the
    /// other (ACT's type compatibility); each port of one is connected to the other's of the
    /// same name. `false` when `lhs` and `rhs` are not both instances.
    pub(super) fn connect_instances(
        &mut self,
        (lhs, rhs): (&Expr, &Expr),
        span: &Span,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> bool {
        if !names_instance(lhs, locals) || !names_instance(rhs, locals) {
            return false;
        }
        let (Some(a), Some(b)) = (
            self.instance_of(lhs, params, ports, locals),
            self.instance_of(rhs, params, ports, locals),
        ) else {
            return true;
        };
        let (pa, pb) = (self.specialized(&a), self.specialized(&b));
        let same_shape = a.layout.ports.len() == b.layout.ports.len()
            && (a.layout.ports.iter().zip(&b.layout.ports))
                .all(|(x, y)| x.name == y.name && x.len == y.len && x.carried() == y.carried());
        if !(self.inherits(&pa, &pb) || self.inherits(&pb, &pa)) || !same_shape {
            let message = if pa == pb {
                format!("cannot connect two instances of `{pa}` whose template arguments give them other ports")
            } else {
                format!("cannot connect an instance of `{pa}` to an instance of `{pb}`")
            };
            let mut d = Diagnostic::error(span.clone(), message)
                .with_label("types differ")
                .with_hint("instances connected whole have one type (or one inherits the other, with the same ports)");
            for (side, table, now) in [(lhs, &a, &pa), (rhs, &b, &pb)] {
                if *now != table.layout.process {
                    d = d.with_note(
                        side.span.clone(),
                        format!(
                            "an earlier connection made this `{}` a `{now}`",
                            table.layout.process
                        ),
                    );
                }
            }
            self.diags.push(d);
            return true;
        }
        let (args_a, args_b) = (
            self.instance_args.get(&a.base),
            self.instance_args.get(&b.base),
        );
        if let (true, Some(x), Some(y)) = (pa == pb, args_a, args_b) {
            if x != y {
                let text = |args: &[crate::elab::consts::ArgValue]| {
                    let args: Vec<String> = args.iter().map(ToString::to_string).collect();
                    format!("{pa}<{}>", args.join(","))
                };
                let d = Diagnostic::error(
                    span.clone(),
                    format!(
                        "cannot connect an instance of `{}` to an instance of `{}`: the types are not compatible",
                        text(x),
                        text(y)
                    ),
                )
                .with_label("template arguments differ")
                .with_hint("instances connected whole have the same template arguments, those after `|` too");
                self.diags.push(d);
                return true;
            }
        }
        // As ACT: both are now of the more specific type.
        let joined = if self.inherits(&pa, &pb) { pa } else { pb };
        for table in [&a, &b] {
            if table.layout.node_count() > 0 {
                self.instance_types.insert(table.base, joined.clone());
            }
        }
        for port in &a.layout.ports {
            let (Some(x), Some(y)) = (a.get(&port.name), b.get(&port.name)) else {
                continue;
            };
            // Two instances made one: their ends are the same ends, not two sides of a channel.
            let undirected = |entry| Resolved {
                side: None,
                ..outside_port(entry, span)
            };
            let reported = self.diags.len();
            self.connect_sides(
                &Side::Single(undirected(x)),
                &Side::Single(undirected(y)),
                span,
            );
            if self.diags.len() > reported {
                return true;
            }
        }
        true
    }

    /// The process `instance` is: its own, or the one refining it that a connection to
    /// another instance gave it.
    fn specialized(&self, instance: &PortTable) -> String {
        (self.instance_types.get(&instance.base)).map_or_else(
            || instance.layout.process.clone(),
            |process| process.clone(),
        )
    }

    /// Whether process `child` is `ancestor` or inherits from it (`defproc child <: ...`).
    fn inherits(&self, child: &str, ancestor: &str) -> bool {
        let mut current = Some(child);
        for _ in 0..super::MAX_DEPTH {
            match current {
                Some(name) if name == ancestor => return true,
                Some(name) => current = self.defs.get(name).and_then(|d| d.parent.as_deref()),
                None => return false,
            }
        }
        false
    }

    /// Connects the wires of two sides connected whole (`a`, `b`, written as `bases`): of each
    /// member of two bundles too (`n.c.t` to `t.c.t` for records `n`, `t` with a field
    /// `e1of2 c`).
    pub(super) fn connect_side_wires(
        &mut self,
        (a, b): (&Side, &Side),
        (wa, wb): (WireBase, WireBase),
        span: &Span,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) {
        match (a, b) {
            (Side::Single(_), Side::Single(_)) => {
                self.connect_wires(&wa, &wb, span, params, ports, locals)
            }
            (Side::Bundle { members, .. }, Side::Bundle { .. }) => {
                for (member, _) in members {
                    let (x, y) = (wa.bundle_member(member), wb.bundle_member(member));
                    self.connect_wires(&x, &y, span, params, ports, locals);
                }
            }
            _ => {}
        }
    }

    /// Connects the wires `a` and `b` have in common, by name, and theirs in turn.
    pub(super) fn connect_wires(
        &mut self,
        a: &WireBase,
        b: &WireBase,
        span: &Span,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) {
        let theirs = self.wire_names(b, ports, locals);
        if theirs.is_empty() {
            return;
        }
        for wire in self.wire_names(a, ports, locals) {
            if !theirs.contains(&wire) {
                continue;
            }
            let (x, y) = (member(a, &wire, span), member(b, &wire, span));
            let resolved = (
                self.resolve_wire(&x, span, params, ports, locals),
                self.resolve_wire(&y, span, params, ports, locals),
            );
            let (Some(rx), Some(ry)) = resolved else {
                return;
            };
            let reported = self.diags.len();
            self.connect_sides(&Side::Single(rx), &Side::Single(ry), span);
            if self.diags.len() > reported {
                return;
            }
            self.connect_wires(&x, &y, span, params, ports, locals);
        }
    }

    fn resolve_wire(
        &mut self,
        base: &WireBase,
        span: &Span,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Option<Resolved> {
        match base {
            WireBase::Expr(e) => self.resolve(e, params, ports, locals),
            WireBase::Port(table, name) => Some(outside_port(table.get(name)?, span)),
        }
    }

    /// The names of the wires of `base` (`t` and `f` of a `dualrail`; `x.b` of a record's field
    /// `x` of a refined type).
    fn wire_names(
        &self,
        base: &WireBase,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Vec<String> {
        let (table_names, prefix): (Vec<&str>, String) = match base {
            WireBase::Port(table, name) => (
                table.layout.ports.iter().map(|p| p.name.as_str()).collect(),
                format!("{name}."),
            ),
            WireBase::Expr(e) => match declared_name(e, locals) {
                Some(Declared::Own(name)) => {
                    let mut names: Vec<&str> = locals.keys().map(String::as_str).collect();
                    names.extend(ports.layout.ports.iter().map(|p| p.name.as_str()));
                    names.extend(
                        (self.file_signals.keys())
                            .filter(|n| self.sees_file_object(n))
                            .map(String::as_str),
                    );
                    (names, format!("{name}."))
                }
                Some(Declared::Port(table, port)) => (
                    table.layout.ports.iter().map(|p| p.name.as_str()).collect(),
                    format!("{port}."),
                ),
                None => return Vec::new(),
            },
        };
        // One level deep: `x` of `c.x`; and `x.b` of `c.x.b` when `c.x` is no object of its
        // own (a field of a record, whose wires are declared below the record's name).
        let declared: HashSet<&str> = table_names.iter().copied().collect();
        let mut wires: Vec<String> = table_names
            .iter()
            .filter_map(|n| n.strip_prefix(prefix.as_str()))
            .filter(|rest| {
                rest.rsplit_once('.').is_none_or(|(parent, _)| {
                    !declared.contains(format!("{prefix}{parent}").as_str())
                })
            })
            .map(str::to_string)
            .collect();
        wires.sort_unstable();
        wires.dedup();
        wires
    }
}

/// Whether `e` names one instance or an element of an array of them (`f`, `f[2]`).
fn names_instance(e: &Expr, locals: &HashMap<String, Local>) -> bool {
    instance_name(e)
        .is_some_and(|name| matches!(locals.get(&name.name), Some(Local::Instances { .. })))
}

/// What a reference names, for its wires: an object of the body or a port of the process
/// (`c`, `c[2]`), or port `p` of an instance (`m.p`, `m[1].p`).
enum Declared<'l> {
    Own(String),
    Port(&'l PortTable, String),
}

fn declared_name<'l>(e: &Expr, locals: &'l HashMap<String, Local>) -> Option<Declared<'l>> {
    match &e.kind {
        // A bundle's name too: `n` of `n[1].c` (its members' wires are `n.c.t`).
        ExprKind::Name(id) => match locals.get(&id.name) {
            Some(Local::Instances { .. } | Local::Poisoned) => None,
            _ => Some(Declared::Own(id.name.clone())),
        },
        ExprKind::Index { base, .. } => declared_name(base, locals),
        // A wire of a wire or of an element (`m.p.d`, `c.d.r`, `n[1].q[0]`): its name goes
        // on from its base's, without the indices (the wires of an array are arrays).
        ExprKind::Field { base, field } if !names_instance(base, locals) => {
            let base = match &base.kind {
                // `c.t` of any object `c` (a bundle's member `b.req` too).
                ExprKind::Name(id) => Declared::Own(id.name.clone()),
                _ => declared_name(base, locals)?,
            };
            match base {
                Declared::Own(name) => Some(Declared::Own(format!("{name}.{}", field.name))),
                Declared::Port(table, port) => {
                    Some(Declared::Port(table, format!("{port}.{}", field.name)))
                }
            }
        }
        ExprKind::Field { base, field } => match locals.get(&instance_name(base)?.name) {
            Some(Local::Instances { tables, .. }) => {
                Some(Declared::Port(tables.first()?, field.name.clone()))
            }
            _ => None,
        },
        _ => None,
    }
}

impl WireBase {
    /// Member `member` of the bundle this names: `n.c` of `n`, `n.c[1]` of `n[1]`, port `r.c`
    /// of a bundle port `r`.
    pub(super) fn bundle_member(&self, member: &str) -> WireBase {
        match self {
            WireBase::Expr(e) => WireBase::Expr(member_expr(e, member)),
            WireBase::Port(table, name) => {
                WireBase::Port(table.clone(), format!("{name}.{member}"))
            }
        }
    }
}

/// Wire `wire` of `base`: `c.t` of `c`, `c[2].t` of `c[2]`, port `p.t` of a port `p`.
fn member(base: &WireBase, wire: &str, span: &Span) -> WireBase {
    match base {
        WireBase::Port(table, name) => WireBase::Port(table.clone(), format!("{name}.{wire}")),
        WireBase::Expr(Expr {
            kind: ExprKind::Name(id),
            span: at,
        }) => WireBase::Expr(Expr {
            kind: ExprKind::Name(Ident {
                name: format!("{}.{wire}", id.name),
                span: id.span.clone(),
            }),
            span: at.clone(),
        }),
        WireBase::Expr(e) => WireBase::Expr(Expr {
            kind: ExprKind::Field {
                base: Box::new(e.clone()),
                field: Ident {
                    name: wire.to_string(),
                    span: span.clone(),
                },
            },
            span: e.span.clone(),
        }),
    }
}
