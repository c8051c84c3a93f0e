//! A wire below an element of an array, named as the element of the declared wire array it is.

use std::collections::HashMap;

use super::selectors;
use crate::elab::structure::{Elaborator, Local, PortTable};
use crate::elab::types::Shape;
use crate::front::ast::{Expr, ExprKind, Ident};

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
    pub(super) fn element_wire(
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
