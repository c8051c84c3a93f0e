//! Interface bundles in a process body. Connected whole: `d.p = e.p;`, `d.p = q;` and a bundle
//! in a port list (`mem m(bus);`) connect each member channel to the same member of the other
//! side, with the checks of a connection of that member alone. Both sides must be bundles of
//! the same type. Also: a bundle declared in a body (`rw b;`, `wide<8> b[N];`, declared member
//! by member as the parser splits it) and the error for a member the bundle does not have.

use std::collections::HashMap;

use super::resolve::instance_name;
use super::wires::WireBase;
use super::{Elaborator, Local, NodeKind, PortEntry, PortTable, Resolved};
use crate::diag::{did_you_mean, Diagnostic};
use crate::elab::consts::Params;
use crate::elab::layout::Bundle;
use crate::elab::records::{field_params, record_type_name};
use crate::elab::types::array_bounds;
use crate::front::ast::{BundleOf, ChanDir, Expr, ExprKind, Ident, Span, VarDecl};

/// Why two bundle ports of one type cannot be connected whole: the second direction mark of
/// a field (`chan?!`), which would make one of them the other side, is not used.
const SAME_SIDES: &str = "two ports of one bundle type have the same sides (the second mark \
of `chan?!` is not used): connect their members to ports of the other sides";

/// One side of a connection: a whole bundle, or anything else (a channel, a port, a variable,
/// or an array of them).
pub(super) enum Side {
    Bundle {
        ty: String,
        /// Each member's name and nodes, in the order of the type's fields.
        members: Vec<(String, Resolved)>,
        span: Span,
    },
    Single(Resolved),
}

impl Side {
    fn span(&self) -> &Span {
        match self {
            Side::Bundle { span, .. } => span,
            Side::Single(r) => &r.span,
        }
    }
}

impl<'a> Elaborator<'a> {
    /// The connection `lhs = rhs;` of a process body.
    pub(super) fn connection(
        &mut self,
        (lhs, rhs): (&Expr, &Expr),
        span: &Span,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) {
        if self.connect_instances((lhs, rhs), span, params, ports, locals) {
            return;
        }
        let a = self.resolve_side(lhs, params, ports, locals);
        let b = self.resolve_side(rhs, params, ports, locals);
        if let (Some(a), Some(b)) = (a, b) {
            let reported = self.diags.len();
            self.connect_sides(&a, &b, span);
            if self.diags.len() == reported {
                let bases = (WireBase::Expr(lhs.clone()), WireBase::Expr(rhs.clone()));
                self.connect_side_wires((&a, &b), bases, span, params, ports, locals);
            }
        }
    }

    /// Resolves one side of a connection: a bundle to the nodes of each of its members.
    pub(super) fn resolve_side(
        &mut self,
        e: &Expr,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Option<Side> {
        let Some(bundle) = bundle_named(e, ports, locals) else {
            return self.resolve(e, params, ports, locals).map(Side::Single);
        };
        let members = (bundle.members.iter())
            .map(|m| {
                let member = self.resolve(&member_expr(e, m), params, ports, locals)?;
                Some((m.clone(), member))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Side::Bundle {
            ty: bundle.ty.clone(),
            members,
            span: e.span.clone(),
        })
    }

    /// The port `name` of an instance (with ports `table`) given a value by a port list, as a
    /// side of that connection; `None` if it has no such port.
    pub(super) fn formal_side(&self, table: &PortTable, name: &str, span: &Span) -> Option<Side> {
        let Some(bundle) = table.layout.bundle(name) else {
            return Some(Side::Single(outside_port(table.get(name)?, span)));
        };
        let members = (bundle.members.iter())
            .map(|m| {
                let member = table.get(&format!("{name}.{m}"));
                let member = outside_port(member.expect("a bundle's members are ports"), span);
                (m.clone(), member)
            })
            .collect();
        Some(Side::Bundle {
            ty: bundle.ty.clone(),
            members,
            span: span.clone(),
        })
    }

    /// Connects two sides: member by member for two bundles of the same type.
    pub(super) fn connect_sides(&mut self, a: &Side, b: &Side, span: &Span) {
        match (a, b) {
            (Side::Single(a), Side::Single(b)) => self.connect(a, b, span),
            (
                Side::Bundle {
                    ty: x, members: a, ..
                },
                Side::Bundle {
                    ty: y, members: b, ..
                },
            ) if x == y => {
                for ((member, a), (_, b)) in a.iter().zip(b) {
                    let reported = self.diags.len();
                    self.connect(a, b, span);
                    if self.diags.len() > reported {
                        // One error per cause: the other members are most likely wrong alike.
                        let same_sides = a.side.is_some() && a.side == b.side;
                        for d in &mut self.diags[reported..] {
                            d.label.get_or_insert_with(|| {
                                format!("in member `{member}` of the bundles").into()
                            });
                            if same_sides {
                                d.hint = Some(SAME_SIDES.to_string());
                            }
                        }
                        return;
                    }
                }
            }
            _ => {
                let (what_a, what_b) = (self.describe(a), self.describe(b));
                let mut d =
                    Diagnostic::error(span.clone(), format!("cannot connect {what_a} to {what_b}"))
                        .with_label("connected here");
                if a.span() != b.span() {
                    d = d
                        .with_note(a.span().clone(), what_a)
                        .with_note(b.span().clone(), what_b);
                }
                if matches!((a, b), (Side::Bundle { .. }, Side::Bundle { .. })) {
                    d = d.with_hint("a whole bundle connects only to a bundle of its own type");
                } else {
                    d = d.with_hint("connect a member of the bundle (`p.req`), or a whole bundle to a bundle of its type");
                }
                self.diags.push(d);
            }
        }
    }

    /// What a side is, for messages: `an interface bundle of type `rw``, `a channel of int<8>`.
    fn describe(&self, side: &Side) -> String {
        let r = match side {
            Side::Bundle { ty, .. } => return format!("an interface bundle of type `{ty}`"),
            Side::Single(r) => r,
        };
        let Some(&first) = r.nodes.first() else {
            return "an empty array".to_string();
        };
        let node = &self.nodes[first];
        let what = match (node.kind == NodeKind::Variable, r.nodes.len()) {
            (true, 1) => "a variable of type".to_string(),
            (true, n) => format!("an array of {n} variables of type"),
            (false, 1) => "a channel of".to_string(),
            (false, n) => format!("an array of {n} channels of"),
        };
        format!("{what} {}", node.carried.name())
    }

    /// Declares the bundle a channel declared in a body belongs to, with its first member.
    /// Returns the parameters the member's type sees (a templated bundle's are bound to its
    /// arguments); `None` when its arguments are wrong (reported with the first member).
    pub(super) fn declare_bundle_member(
        &mut self,
        of: &BundleOf,
        params: &Params,
        ports: &PortTable,
        locals: &mut HashMap<String, Local>,
    ) -> Option<Params> {
        if let Some(Local::Bundle { bundle, declared }) = locals.get_mut(&of.name.name) {
            if *declared == of.name.span {
                bundle.members.push(of.field.clone());
                return field_params(&of.ty, params, &mut Vec::new());
            }
        }
        let member_params = field_params(&of.ty, params, &mut self.diags);
        let bundle = Bundle {
            name: of.name.name.clone(),
            ty: record_type_name(&of.ty, params),
            members: vec![of.field.clone()],
        };
        let declared = of.name.span.clone();
        self.declare(locals, ports, &of.name, Local::Bundle { bundle, declared });
        member_params
    }

    /// Whether the size of an array of templated bundles declared in a body (`wide<8> b[N]`)
    /// reads a name that a template parameter of the bundle's type hides (`N` of `wide`): its
    /// members' types see those, so the size would silently change. True for every member of
    /// such an array; reported once, at the first member.
    pub(super) fn size_hidden_by_template(
        &mut self,
        member: &VarDecl,
        member_params: &Params,
        params: &Params,
    ) -> bool {
        let Some(of) = member.bundle.as_ref().filter(|of| of.array) else {
            return false;
        };
        let outer = array_bounds(&member.dims, params).ok();
        if outer == array_bounds(&member.dims, member_params).ok() {
            return false;
        }
        if of.field == of.ty.def.fields[0].name.name {
            self.diags.push(
                Diagnostic::error(
                    of.name.span.clone(),
                    format!(
                        "the size of this array of `{}` bundles reads a name that a template parameter of `{}` hides",
                        record_type_name(&of.ty, params),
                        of.ty.def.name.name
                    ),
                )
                .with_hint("rename the parameter of the process or of the type"),
            );
        }
        true
    }

    /// Reports `base.field` where `base` is a bundle without a member `field`.
    pub(super) fn no_member(&mut self, bundle: &Bundle, field: &Ident, span: &Span) {
        let mut d = Diagnostic::error(
            span.clone(),
            format!(
                "interface bundle type `{}` has no member `{}`",
                bundle.ty, field.name
            ),
        );
        let members = bundle.members.iter().map(String::as_str);
        d = match did_you_mean(&field.name, members.clone()) {
            Some(hint) => d.with_hint(hint),
            None => d.with_hint(format!(
                "its members are: {}",
                members.collect::<Vec<_>>().join(", ")
            )),
        };
        self.diags.push(d);
    }
}

/// A port of an instance seen from the process that declares the instance.
pub(super) fn outside_port(entry: PortEntry, span: &Span) -> Resolved {
    let side = entry.dir.map(|d| d == ChanDir::Output);
    Resolved::whole(&entry, side, false, span)
}

/// The bundle `e` names, if it names one: a bundle port or bundle of the process (`q`), or a
/// bundle port of an instance it declares (`d.p`, `d[2].p`), or an element of an array of
/// them (`q[1]`, `d.p[1]`).
pub(super) fn bundle_named<'t>(
    e: &Expr,
    ports: &'t PortTable,
    locals: &'t HashMap<String, Local>,
) -> Option<&'t Bundle> {
    match &e.kind {
        ExprKind::Index { base, .. } => bundle_named(base, ports, locals),
        ExprKind::Name(id) => ports
            .layout
            .bundle(&id.name)
            .or(match locals.get(&id.name) {
                Some(Local::Bundle { bundle, .. }) => Some(bundle),
                _ => None,
            }),
        ExprKind::Field { base, field } => {
            let instance = instance_name(base)?;
            match locals.get(&instance.name) {
                Some(Local::Instances { tables, .. }) => tables.first()?.layout.bundle(&field.name),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The member `member` of the bundle `e` names: `d.p` gives `d`'s port `p.req`, `q` gives the
/// port or channel `q.req`, and `q[1]` the element `q.req[1]`.
pub(super) fn member_expr(e: &Expr, member: &str) -> Expr {
    let joined = |id: &Ident| Ident {
        name: format!("{}.{member}", id.name),
        span: id.span.clone(),
    };
    let kind = match &e.kind {
        ExprKind::Name(id) => ExprKind::Name(joined(id)),
        ExprKind::Field { base, field } => ExprKind::Field {
            base: base.clone(),
            field: joined(field),
        },
        ExprKind::Index { base, index } => ExprKind::Index {
            base: Box::new(member_expr(base, member)),
            index: index.clone(),
        },
        _ => unreachable!("`bundle_named` names only these forms"),
    };
    Expr {
        kind,
        span: e.span.clone(),
    }
}
