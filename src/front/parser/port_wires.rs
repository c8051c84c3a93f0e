//! The wires of ports whose types have wires: bundles of a refined type's members, and
//! aliases of a type's wires seen from the object that holds them.

use std::sync::Arc;

use super::{PResult, Parser, UserType};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::subst::{subst_dims, subst_expr};

impl Parser<'_> {
    /// A port or variable of an interface bundle's type (a record of channels) is its member
    /// channels, each named `name.member`: `rw p` with `rw (chan?(int) req; chan!(int) resp)`
    /// declares `p.req` and `p.resp`. Anything else is itself.
    pub(super) fn bundle_members(&mut self, decl: PortDecl) -> PResult<Vec<PortDecl>> {
        let TypeKind::Record(record) = &decl.ty.kind else {
            return Ok(vec![decl]);
        };
        let is_bundle =
            (record.def.fields.iter()).any(|f| matches!(f.ty.kind, TypeKind::Chan { .. }));
        if !is_bundle {
            return Ok(vec![decl]);
        }
        let array_field = record.def.fields.iter().find(|f| !f.dims.is_empty());
        if let (false, Some(field)) = (decl.dims.is_empty(), array_field) {
            return Err(self.report(
                Diagnostic::error(
                    decl.name.span.clone(),
                    "arrays of interface bundles with array members are not supported yet",
                )
                .with_label("an array of bundles")
                .with_note(field.name.span.clone(), "an array member"),
            ));
        }
        // A port of the bundle's `!` side (`rw! p`) sees the second mark of `chan?!(T)`.
        let output_side = self.port_flags.get(&decl.name.span.start) == Some(&"!");
        let member_type = |field: &FieldDecl| {
            let mut ty = field.ty.clone();
            if let (true, TypeKind::Chan { dir: Some(dir), .. }) =
                (output_side && field.flips, &mut ty.kind)
            {
                *dir = match dir {
                    ChanDir::Input => ChanDir::Output,
                    ChanDir::Output => ChanDir::Input,
                };
            }
            ty
        };
        // An array of bundles `rw p[4]` is an array per member (`p.req[4]`); `p[i].req` reads
        // as `p.req[i]`.
        let is_channel = |f: &&FieldDecl| matches!(f.ty.kind, TypeKind::Chan { .. });
        let members = record
            .def
            .fields
            .iter()
            .filter(is_channel)
            .map(|field| PortDecl {
                ty: member_type(field),
                name: Ident {
                    name: format!("{}.{}", decl.name.name, field.name.name),
                    span: decl.name.span.clone(),
                },
                dims: if decl.dims.is_empty() {
                    field.dims.clone()
                } else {
                    decl.dims.clone()
                },
                span: decl.span.clone(),
                wire_dir: None,
                bundle: Some(BundleOf {
                    name: decl.name.clone(),
                    ty: record.clone(),
                    field: field.name.name.clone(),
                    array: !decl.dims.is_empty(),
                }),
            });
        let mut members: Vec<PortDecl> = members.collect();
        // A record mixing channels and data (`deftype s (int<8> a; chan?(int<8>) L)`): its
        // data fields are a record of their own under the object's name (`s.a` reads a field
        // of it), beside its channels (`s.L`); the type's macros see both.
        let data: Vec<FieldDecl> = (record.def.fields.iter())
            .filter(|f| !is_channel(f))
            .cloned()
            .collect();
        if !data.is_empty() {
            let def = RecordDef {
                fields: data,
                ..(*record.def).clone()
            };
            let mut ty = decl.ty.clone();
            ty.kind = TypeKind::Record(RecordType {
                def: Arc::new(def),
                args: record.args.clone(),
            });
            members.push(PortDecl { ty, ..decl });
        }
        Ok(members)
    }

    /// A port or variable of a refined type with wires (`dualrail c;` of `deftype dualrail <:
    /// bool (bool d0, d1, a) { }`) is itself, then each of its wires, named `c.d0`, ... (their
    /// own wires in turn). In an array `c[4]` a scalar wire is an array as long, `c.d0[4]`,
    /// whose elements are `c[i].d0`, and an array wire `d[2]` is `c.d[4][2]`, whose elements
    /// are `c[i].d[j]`. Wire names are never positions of a port list.
    pub(super) fn alias_wires(&mut self, decl: PortDecl) -> Vec<PortDecl> {
        if let TypeKind::Record(record) = &decl.ty.kind {
            let record = record.clone();
            return self.record_field_wires(decl, &record);
        }
        let fields = match decl.ty.named.as_deref() {
            Some(named) => match self.types.get(&named.name) {
                Some(UserType::Alias {
                    params,
                    fields,
                    connections,
                    ..
                }) if !fields.is_empty() => crate::front::subst::bind_params(params, &named.args)
                    .map(|bindings| (fields.clone(), connections.clone(), bindings)),
                _ => None,
            },
            None => None,
        };
        let Some((fields, connections, bindings)) = fields else {
            return vec![decl];
        };
        // The type's own connections between its wires, for this object; for an array of
        // them, whose wires are arrays, for each element (`c.d.d[i][0] = c.f[i]`).
        let element: Vec<Expr> = (0..decl.dims.len())
            .map(|k| Expr {
                kind: ExprKind::Name(Ident {
                    name: format!("$wire{k}"),
                    span: decl.name.span.clone(),
                }),
                span: decl.name.span.clone(),
            })
            .collect();
        let mut items = Vec::new();
        for c in &connections {
            let side = |e: &Expr| {
                let wire = prefixed(&decl.name.name, &subst_expr(e, &bindings));
                of_element(&wire, &element)
            };
            if let (Some(lhs), Some(rhs)) = (side(&c.lhs), side(&c.rhs)) {
                items.push(BodyItem::Connection(Connection {
                    lhs,
                    rhs,
                    span: decl.name.span.clone(),
                }));
            }
        }
        for (k, dim) in decl.dims.iter().enumerate().rev() {
            if items.is_empty() {
                break;
            }
            // The object's dimensions are in its declarer's terms, not its type's.
            let range = match dim {
                ArrayDim::Size(n) => IterRange::Count(n.clone()),
                ArrayDim::Range(lo, hi) => IterRange::Inclusive(lo.clone(), hi.clone()),
            };
            let ExprKind::Name(var) = &element[k].kind else {
                unreachable!("a name");
            };
            items = vec![BodyItem::Loop(BodyLoop {
                var: var.clone(),
                range,
                items,
                span: decl.name.span.clone(),
            })];
        }
        self.wire_connections.extend(items);
        let mut wires = vec![decl.clone()];
        for field in fields {
            // An array wire of an array of objects has both dimensions: `c.d[4][2]` of
            // `c[4]` with wire `d[2]`, whose elements are `c[i].d[j]`. The object's are in its
            // declarer's terms (`c[N]` of a process's `N`), the wire's in the type's.
            let dims = (decl.dims.iter().cloned())
                .chain(subst_dims(&field.dims, &bindings))
                .collect();
            let wire = PortDecl {
                ty: crate::front::subst::subst_type(&field.ty, &bindings),
                name: Ident {
                    name: format!("{}.{}", decl.name.name, field.name.name),
                    span: decl.name.span.clone(),
                },
                dims,
                span: decl.span.clone(),
                bundle: None,
                wire_dir: field.mark.direction(decl.wire_dir),
            };
            wires.extend(self.alias_wires(wire));
        }
        wires
    }

    /// A port or variable of a record type is itself, then the wires of its fields of a
    /// refined type with wires (`s.x.b` of a field `foo x` of `deftype foo <: int<4> (bool
    /// b[4])`), and those of its record fields in turn: ACT lets them be connected (`w =
    /// s.x.b[0];`). The fields themselves are bits of the record's value, no object of their
    /// own; the wires are, as a refined type's always are here. In an array `s[4]` of records,
    /// the wires have the array's dimensions first (`s.x.b[4][4]`, elements `s[i].x.b[j]`).
    fn record_field_wires(&mut self, decl: PortDecl, record: &RecordType) -> Vec<PortDecl> {
        let Some(bindings) =
            crate::front::subst::bind_params(&record.def.template_params, &record.args)
        else {
            return vec![decl];
        };
        let mut wires = Vec::new();
        for field in &record.def.fields {
            let ty = crate::front::subst::subst_type(&field.ty, &bindings);
            let has_wires = match &ty.kind {
                TypeKind::Record(_) => true,
                _ => self.wire_names(&ty).is_some(),
            };
            if !has_wires {
                continue;
            }
            let field_dims = subst_dims(&field.dims, &bindings);
            let object = PortDecl {
                ty,
                name: Ident {
                    name: format!("{}.{}", decl.name.name, field.name.name),
                    span: decl.name.span.clone(),
                },
                dims: decl.dims.iter().cloned().chain(field_dims).collect(),
                span: decl.span.clone(),
                bundle: None,
                wire_dir: decl.wire_dir,
            };
            // The field itself is part of the record's value: only its wires are declared.
            wires.extend(self.alias_wires(object).into_iter().skip(1));
        }
        let mut all = vec![decl];
        all.extend(wires);
        all
    }

    /// The wire names of a refined type with wires, in order (for a port list of one).
    pub(super) fn wire_names(&self, ty: &Type) -> Option<Vec<String>> {
        match self.types.get(&ty.named.as_deref()?.name)? {
            UserType::Alias { fields, .. } if !fields.is_empty() => {
                Some(fields.iter().map(|f| f.name.name.clone()).collect())
            }
            _ => None,
        }
    }
}

/// `e`, a reference to a wire of a type (`d.d[0]`), as a reference to that wire of the object
/// `object` (`x.d.d[0]` for `x`; `object` may itself be a wire, `x.d`).
fn prefixed(object: &str, e: &Expr) -> Expr {
    let kind = match &e.kind {
        ExprKind::Name(id) => {
            let mut parts = object.split('.');
            let first = parts.next().unwrap_or(object);
            let mut base = Expr {
                kind: ExprKind::Name(Ident {
                    name: first.to_string(),
                    span: id.span.clone(),
                }),
                span: e.span.clone(),
            };
            for part in parts.chain(std::iter::once(id.name.as_str())) {
                base = Expr {
                    kind: ExprKind::Field {
                        base: Box::new(base),
                        field: Ident {
                            name: part.to_string(),
                            span: id.span.clone(),
                        },
                    },
                    span: e.span.clone(),
                };
            }
            return base;
        }
        ExprKind::Index { base, index } => ExprKind::Index {
            base: Box::new(prefixed(object, base)),
            index: index.clone(),
        },
        ExprKind::Field { base, field } => ExprKind::Field {
            base: Box::new(prefixed(object, base)),
            field: field.clone(),
        },
        _ => return e.clone(),
    };
    Expr {
        kind,
        span: e.span.clone(),
    }
}

/// Wire `wire` (`c.d.d[0]`: a dotted name, then its own indices) of the element `element`
/// (its indices) of an array of objects: `c.d.d[i][0]`, the element's indices first, as the
/// wires of an array are declared. `wire` itself for no element; `None` for a wire indexed
/// before its last part (`c.d[0].x`), which has no such form.
fn of_element(wire: &Expr, element: &[Expr]) -> Option<Expr> {
    if element.is_empty() {
        return Some(wire.clone());
    }
    let mut own = Vec::new();
    let mut base = wire;
    while let ExprKind::Index { base: inner, index } = &base.kind {
        own.push(index.as_ref());
        base = inner;
    }
    let mut dotted = base;
    while let ExprKind::Field { base: inner, .. } = &dotted.kind {
        dotted = inner;
    }
    if !matches!(dotted.kind, ExprKind::Name(_)) {
        return None;
    }
    let indices = element.iter().chain(own.into_iter().rev());
    Some(indices.fold(base.clone(), |base, index| Expr {
        kind: ExprKind::Index {
            base: Box::new(base),
            index: Box::new(index.clone()),
        },
        span: wire.span.clone(),
    }))
}
