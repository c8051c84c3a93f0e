//! The data types and array bounds of declarations (ports, channels, variables, instances),
//! in one place for the structural pass and for lowering.

use std::rc::Rc;
use std::sync::Arc;

use super::consts::{eval_const, eval_size, Params};
use super::ir::Ty;
use super::records::Layout;
pub(crate) use super::shape::Shape;
use crate::diag::Diagnostic;
use crate::front::ast::{self, ArrayDim, TypeKind};

/// The most elements an array (of instances, channels, ports or variables) may have.
pub(crate) const MAX_ARRAY: i64 = 1 << 24;

/// The bounds of an array declared with `dims` (a scalar has none).
///
/// An array may be empty (`x[0]`, `x[3..2]`), as in ACT, where a template's parameters make
/// it so (`bool x[N]` of `foo<0>`): it has no elements.
pub(crate) fn array_shape(dims: &[ArrayDim], params: &Params) -> Result<Shape, Diagnostic> {
    let mut bounds = Vec::with_capacity(dims.len());
    let mut total: i64 = 1;
    for dim in dims {
        let (lo, len) = dimension(dim, params)?;
        total = total.saturating_mul(len as i64);
        if total > MAX_ARRAY {
            return Err(bad_size(
                dim_span(dims),
                format!("an array may have at most {MAX_ARRAY} elements"),
            ));
        }
        bounds.push((lo, len));
    }
    Ok(Shape::new(bounds))
}

/// One-dimensional array bounds `(lo, len)`; `(0, 1)` for a scalar: for what chpsim has only
/// in one dimension.
pub(crate) fn array_bounds(dims: &[ArrayDim], params: &Params) -> Result<(i64, usize), Diagnostic> {
    match dims {
        [] => Ok((0, 1)),
        [dim] => dimension(dim, params),
        [first, ..] => {
            let span = match first {
                ArrayDim::Size(n) => n.span.clone(),
                ArrayDim::Range(lo, _) => lo.span.clone(),
            };
            Err(Diagnostic::error(
                span,
                "multi-dimensional arrays are not supported here yet",
            ))
        }
    }
}

/// The span of an array's dimensions as declared.
pub(crate) fn dim_span(dims: &[ArrayDim]) -> ast::Span {
    let span = |d: &ArrayDim| match d {
        ArrayDim::Size(n) => n.span.clone(),
        ArrayDim::Range(lo, hi) => lo.span.start..hi.span.end,
    };
    match (dims.first(), dims.last()) {
        (Some(first), Some(last)) => span(first).start..span(last).end,
        _ => 0..0,
    }
}

/// `(lo, len)` of one dimension.
fn dimension(dim: &ArrayDim, params: &Params) -> Result<(i64, usize), Diagnostic> {
    let holds = |len: i64| (0..=MAX_ARRAY).contains(&len);
    match dim {
        ArrayDim::Size(n) => match eval_const(n, params)? {
            len if holds(len) => Ok((0, len as usize)),
            len => Err(bad_size(
                n.span.clone(),
                format!("an array size must be between 0 and {MAX_ARRAY}, not {len}"),
            )),
        },
        ArrayDim::Range(lo, hi) => {
            let (lo_v, hi_v) = (eval_const(lo, params)?, eval_const(hi, params)?);
            match hi_v.checked_sub(lo_v).and_then(|d| d.checked_add(1)) {
                Some(len) if holds(len) => Ok((lo_v, len as usize)),
                _ => Err(bad_size(
                    lo.span.start..hi.span.end,
                    format!(
                        "bad array range [{lo_v}..{hi_v}]: it must hold 0 to {MAX_ARRAY} elements"
                    ),
                )),
            }
        }
    }
}

/// What a use of an empty array is, in ACT's terms.
pub(crate) const EMPTY_ARRAY: &str =
    "this array is empty (size 0): it does not exist, so it cannot be used";

fn bad_size(span: ast::Span, message: String) -> Diagnostic {
    Diagnostic::error(span, message).with_label("bad size")
}

/// What a channel declared with `data` carries: `Some(None)` for a dataless `chan()`, `None`
/// when the type is wrong (reported in `diags`).
pub(crate) fn payload(
    data: &Option<Box<ast::Type>>,
    params: &Params,
    diags: &mut Vec<Diagnostic>,
) -> Option<Option<Ty>> {
    match data {
        None => Some(None),
        Some(t) => data_type(t, params, diags).map(Some),
    }
}

/// The record type of a declaration of type `t` (of its data, for a channel), if it is one.
pub(crate) fn record_layout(t: &ast::Type, params: &Params) -> Option<Arc<Layout>> {
    let data = match &t.kind {
        TypeKind::Chan { data, .. } => data.as_deref()?,
        _ => t,
    };
    match &data.kind {
        TypeKind::Record(record) => super::records::layout(record, params, &mut Vec::new()),
        _ => None,
    }
}

/// What a channel carries, or a shared variable holds, as connections compare it: the data
/// type (`None`: a dataless channel), and the record type's name when it is a record (two
/// records as wide are still two types).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Carried {
    pub ty: Option<Ty>,
    pub record: Option<Rc<str>>,
    /// The records `record` refines, nearest first (see [`Carried::related`]).
    pub ancestors: Rc<[String]>,
    /// What flows back on an exchange channel `chan(T1, T2)`.
    pub reply: Option<Ty>,
    /// The kinds of integer of `ty` and `reply`.
    pub kinds: IntKinds,
}

/// ACT's kind of a built-in integer type, which a connection compares besides the width
/// (ACT's `Int::isEqual`): `int<8>`, `ints<8>` and `enum<256>` are three types, and
/// `enum<3>` and `enum<4>` two, though each pair is stored alike.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum IntKind {
    /// `int<W>`, and every type that is no integer (`bool`, a record).
    #[default]
    Unsigned,
    /// `ints<W>`.
    Signed,
    /// `enum<N>`, with its `N`.
    Enum(u32),
}

/// The [`IntKind`]s of what a declaration carries: its data's and its reply's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct IntKinds {
    pub data: IntKind,
    pub reply: IntKind,
}

impl IntKinds {
    /// Of a declaration of type `t`: of its data and reply for a channel, of itself otherwise.
    pub(crate) fn of(t: &ast::Type, params: &Params) -> Self {
        let kind = |t: &ast::Type| match &t.kind {
            TypeKind::Int { signed: true, .. } => IntKind::Signed,
            TypeKind::Enum { size } => eval_size(size, params, "an enum's size", 1, 1 << 20)
                .map_or(IntKind::Unsigned, IntKind::Enum),
            _ => IntKind::Unsigned,
        };
        match &t.kind {
            TypeKind::Chan { data, reply, .. } => IntKinds {
                data: data.as_deref().map_or(IntKind::Unsigned, kind),
                reply: reply.as_deref().map_or(IntKind::Unsigned, kind),
            },
            _ => IntKinds {
                data: kind(t),
                reply: IntKind::Unsigned,
            },
        }
    }
}

/// `ty` as ACT writes it, with its kind of integer: `int<8>`, `ints<8>`, `enum<5>`.
fn type_name(ty: Ty, kind: IntKind) -> String {
    match (ty, kind) {
        (Ty::Int(w), IntKind::Signed) => format!("ints<{w}>"),
        (Ty::Int(_), IntKind::Enum(n)) => format!("enum<{n}>"),
        _ => ty.to_string(),
    }
}

impl Carried {
    /// `ty`, and the record type of a declaration of type `t` (of its data, for a channel)
    /// and the reply type of an exchange channel.
    pub(crate) fn of(ty: Option<Ty>, t: &ast::Type, params: &Params) -> Self {
        let layout = record_layout(t, params);
        let record = layout.as_ref().map(|l| l.name.as_str().into());
        let ancestors = layout.map_or_else(|| Rc::from([]), |l| l.ancestors.as_slice().into());
        let reply = match &t.kind {
            TypeKind::Chan { reply: Some(r), .. } => data_type(r, params, &mut Vec::new()),
            _ => None,
        };
        Carried {
            ty,
            record,
            ancestors,
            reply,
            kinds: IntKinds::of(t, params),
        }
    }

    /// Whether objects carrying `self` and `other` may be connected: the same, or records
    /// of which one refines the other, as wide (ACT's related types; the connection gives
    /// both the more specific one, [`Carried::more_specific`]).
    pub(crate) fn related(&self, other: &Carried) -> bool {
        let refines = |a: &Carried, b: &Carried| {
            (b.record.as_deref()).is_some_and(|r| a.ancestors.iter().any(|x| x == r))
        };
        self == other
            || (self.ty == other.ty
                && self.reply == other.reply
                && (refines(self, other) || refines(other, self)))
    }

    /// Whether `self` is a record refining record `other` with fields of its own (wider),
    /// data of both (see [`record_extensions`](crate::elab::structure)).
    pub(crate) fn extends(&self, other: &Carried) -> bool {
        let wider = match (self.ty, other.ty) {
            (Some(a), Some(b)) => a.width() > b.width(),
            _ => false,
        };
        wider
            && self.reply.is_none()
            && other.reply.is_none()
            && (other.record.as_deref()).is_some_and(|r| self.ancestors.iter().any(|x| x == r))
    }

    /// Of two related types, the one that refines the other.
    pub(crate) fn more_specific<'c>(&'c self, other: &'c Carried) -> &'c Carried {
        if self.ancestors.len() >= other.ancestors.len() {
            self
        } else {
            other
        }
    }

    /// As users write it: `int<8>`, `bool`, record `r`, or nothing for `chan()`; with `and
    /// T back` for an exchange channel.
    pub(crate) fn name(&self) -> String {
        let data = match (&self.record, self.ty) {
            (Some(record), _) => format!("record `{record}`"),
            (None, Some(ty)) => type_name(ty, self.kinds.data),
            (None, None) => "nothing (chan())".to_string(),
        };
        match self.reply {
            Some(reply) => format!("{data} and {} back", type_name(reply, self.kinds.reply)),
            None => data,
        }
    }
}

/// The data type of a channel or variable declaration.
pub(crate) fn data_type(t: &ast::Type, params: &Params, diags: &mut Vec<Diagnostic>) -> Option<Ty> {
    match &t.kind {
        TypeKind::Bool => Some(Ty::Bool),
        TypeKind::Int { width: None, .. } => Some(Ty::Int(32)),
        TypeKind::Int { width: Some(w), .. } => {
            match eval_size(w, params, "an integer width", 0, 1 << 20) {
                Ok(w) => Some(Ty::Int(w)),
                Err(d) => {
                    diags.push(d);
                    None
                }
            }
        }
        TypeKind::Enum { size } => match eval_size(size, params, "an enum's size", 1, 1 << 20) {
            // `enum<N>` holds 0 ..= N-1: ceil(log2 N) bits (`enum<1>` is an `int<0>`).
            Ok(n) => Some(Ty::Int(u32::BITS - (n - 1).leading_zeros())),
            Err(d) => {
                diags.push(d);
                None
            }
        },
        TypeKind::Record(def) => {
            super::records::layout(def, params, diags).map(|layout| Ty::Int(layout.width))
        }
        TypeKind::Chan { .. } => {
            diags.push(Diagnostic::error(
                t.span.clone(),
                "a channel cannot carry channels",
            ));
            None
        }
    }
}
