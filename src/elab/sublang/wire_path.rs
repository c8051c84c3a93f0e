//! References through the wires of objects of user types (`x.d.d[0].t` of a channel `x` of
//! the standard library's `eMx1of2<2>`, `m.x.d.d[0].t` of the port `x` of an instance `m`),
//! checked as ACT's front end checks an identifier: each part after a `.` is a port of the
//! type before it, an array is indexed with all of its dimensions before a `.`, and an
//! element is named with them all.
//!
//! The parser declares each wire of an object of a type with wires as an object of its own,
//! named with the dots (`x.d`, `x.d.d`, `x.d.d.t`), with the dimensions of every array on
//! its way (`x.d.d.t[2]`, the objects' indices first): a part's own dimensions are those
//! its name adds to the name before it.

use super::scope::{show, RefTy, Scope, Sym};
use crate::diag::Diagnostic;
use crate::front::ast::*;

/// A part of a reference after its root: `.name` and the indices after it (`d[0]`).
struct Part<'e> {
    name: &'e Ident,
    /// The reference up to and with this part (`x.d.d[0]`), for messages.
    upto: &'e Expr,
    indices: Vec<&'e Expr>,
    /// How many of the indices are ranges (`d[0..1]`).
    ranges: usize,
}

/// `e` as its root (with its indices) and its parts; `None` for anything but names, fields,
/// indices and ranges.
fn parts(e: &Expr) -> Option<(Part<'_>, Vec<Part<'_>>)> {
    let mut parts = Vec::new();
    let mut at = e;
    loop {
        let upto = at;
        let (mut indices, mut ranges) = (Vec::new(), 0);
        while let ExprKind::Index { base, .. } | ExprKind::Slice { base, .. } = &at.kind {
            ranges += usize::from(matches!(at.kind, ExprKind::Slice { .. }));
            if let ExprKind::Index { index, .. } | ExprKind::Slice { lo: index, .. } = &at.kind {
                indices.push(index.as_ref());
            }
            at = base;
        }
        indices.reverse();
        match &at.kind {
            ExprKind::Field { base, field } => {
                parts.push(Part {
                    name: field,
                    upto,
                    indices,
                    ranges,
                });
                at = base;
            }
            ExprKind::Name(id) => {
                parts.reverse();
                let root = Part {
                    name: id,
                    upto,
                    indices,
                    ranges,
                };
                return Some((root, parts));
            }
            _ => return None,
        }
    }
}

/// An object a reference reaches: its declared type and dimensions (those of every array on
/// its way), and how many of them are its own.
struct Reached<'a> {
    ty: &'a Type,
    dims: usize,
    own: usize,
}

impl<'a> Scope<'a> {
    /// What `e` names when it goes through the wires of an object of a user type or through
    /// a port of an instance; `None` when it does not (a record's field, a bundle's member, a
    /// plain name): the general resolution's.
    pub(super) fn wire_path(&self, e: &Expr) -> Option<Result<RefTy<'a>, Diagnostic>> {
        let (root, parts) = parts(e)?;
        if parts.is_empty() {
            return None;
        }
        // Where the parts' dotted names are declared: the scope, or an instance's ports.
        type Lookup<'l, 'a> = Box<dyn Fn(&str) -> Option<Reached<'a>> + 'l>;
        let (lookup, mut at, mut name, first): (Lookup<'_, 'a>, _, _, _) =
            match self.symbol(&root.name.name)? {
                Sym::Instance { def: None, .. } => return Some(Ok(RefTy::Unknown)),
                Sym::Instance {
                    def: Some(def),
                    dims,
                } => {
                    if let Err(d) = indexed_whole(&root, dims, "an array of instances") {
                        return Some(Err(d));
                    }
                    let port = |name: &str| {
                        let port = def.ports.iter().find(|p| p.name.name == name)?;
                        Some((&port.ty, port.dims.len()))
                    };
                    let Some((ty, dims)) = port(&parts[0].name.name) else {
                        // A bundle's member, or no port at all: the general resolution's.
                        return None;
                    };
                    let reached = Reached {
                        ty,
                        dims,
                        own: dims,
                    };
                    let lookup = Box::new(move |name: &str| {
                        port(name).map(|(ty, dims)| Reached { ty, dims, own: 0 })
                    });
                    (lookup, reached, parts[0].name.name.clone(), 1)
                }
                Sym::Value { ty, dims } if ty.named.is_some() => {
                    let lookup = Box::new(move |name: &str| match self.symbol(name)? {
                        Sym::Value { ty, dims } => Some(Reached { ty, dims, own: 0 }),
                        _ => None,
                    });
                    let reached = Reached {
                        ty,
                        dims,
                        own: dims,
                    };
                    (lookup, reached, root.name.name.clone(), 0)
                }
                _ => return None,
            };
        let own_object = first == 0;
        // The object before each part: its indices, then a port of its type.
        let mut before = if own_object { &root } else { &parts[0] };
        for part in &parts[first..] {
            if let Err(d) = indexed_whole(before, at.own, "an array") {
                return Some(Err(d));
            }
            // Not of a user type (a record, a channel, a plain type): the general resolution's.
            let type_name = &at.ty.named.as_deref()?.name;
            name = format!("{name}.{}", part.name.name);
            let Some(mut next) = lookup(&name) else {
                if matches!(at.ty.kind, TypeKind::Record(_)) {
                    // A field of a record (`b.p[1].valid` of a record `p` of a channel type's
                    // wires): the general resolution's.
                    return None;
                }
                return Some(Err(Diagnostic::error(
                    part.name.span.clone(),
                    format!("`{}` has no port `{}`", show(before.upto), part.name.name),
                )
                .with_label(format!("not a port of its type `{type_name}`"))));
            };
            next.own = next.dims.saturating_sub(at.dims);
            at = next;
            before = part;
        }
        let last = before;
        if last.indices.len() > at.own {
            return Some(Err(too_many_indices(last, at.own)));
        }
        Some(Ok(RefTy::Value {
            ty: at.ty,
            dims: at.own - last.indices.len() + last.ranges,
            own: own_object,
        }))
    }
}

/// Checks that `part`, an object of `own` dimensions of its own, is indexed with all of them
/// (or none, when it has none) before a `.`.
fn indexed_whole(part: &Part<'_>, own: usize, what: &str) -> Result<(), Diagnostic> {
    match (part.indices.len(), own) {
        (given, own) if given == own => Ok(()),
        (0, _) => Err(Diagnostic::error(
            part.upto.span.clone(),
            format!("`{}` is {what}; index it", show(part.upto)),
        )
        .with_label("an array, named whole before a `.`")),
        _ => Err(too_many_indices(part, own)),
    }
}

/// `part` given more indices than its `own` dimensions, or fewer before a `.`.
fn too_many_indices(part: &Part<'_>, own: usize) -> Diagnostic {
    let given = part.indices.len();
    if own == 0 {
        return Diagnostic::error(
            part.upto.span.clone(),
            format!("`{}` is not an array", show(part.upto)),
        )
        .with_label("indexed, but declared without dimensions");
    }
    Diagnostic::error(
        part.upto.span.clone(),
        format!(
            "`{}` has {own} dimension(s), but this gives {given} index(es)",
            show(part.upto)
        ),
    )
    .with_label("every dimension is indexed before a `.`")
}
