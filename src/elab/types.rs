//! The data types and array bounds of declarations (ports, channels, variables, instances),
//! in one place for the structural pass and for lowering.

use std::rc::Rc;
use std::sync::Arc;

use super::consts::{eval_const, eval_size, Params};
use super::ir::Ty;
use super::records::Layout;
use crate::diag::Diagnostic;
use crate::front::ast::{self, ArrayDim, TypeKind};

/// The most elements an array (of instances, channels, ports or variables) may have.
pub(crate) const MAX_ARRAY: i64 = 1 << 24;

/// The bounds of an array: `(lo, len)` of each dimension, outermost first (none for a
/// scalar). Its elements are numbered row by row, the last index varying fastest, as ACT
/// lists them (`x[0][0]`, `x[0][1]`, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Shape(Rc<[(i64, usize)]>);

impl Shape {
    pub(crate) fn new(dims: Vec<(i64, usize)>) -> Self {
        Shape(dims.into())
    }

    pub(crate) fn dims(&self) -> &[(i64, usize)] {
        &self.0
    }

    /// How many dimensions it has (0: a scalar).
    pub(crate) fn rank(&self) -> usize {
        self.0.len()
    }

    /// How many elements it has (1 for a scalar).
    pub(crate) fn len(&self) -> usize {
        self.0.iter().map(|d| d.1).product()
    }

    /// The first index of its outermost dimension (0 for a scalar).
    pub(crate) fn lo(&self) -> i64 {
        self.0.first().map_or(0, |d| d.0)
    }

    /// The number of elements along each dimension.
    pub(crate) fn sizes(&self) -> Vec<usize> {
        self.0.iter().map(|d| d.1).collect()
    }

    /// The indices of the element at `offset`, as written after its name: `[1][2]`.
    pub(crate) fn suffix(&self, mut offset: usize) -> String {
        let mut indices = vec![0; self.0.len()];
        for (k, &(lo, len)) in self.0.iter().enumerate().rev() {
            let len = len.max(1);
            indices[k] = lo + (offset % len) as i64;
            offset /= len;
        }
        indices.iter().map(|i| format!("[{i}]")).collect()
    }

    /// The position of the element with `indices` (one per dimension), or why there is none.
    pub(crate) fn offset(&self, indices: &[i64]) -> Result<usize, String> {
        let mut at = 0usize;
        for (&i, &(lo, len)) in indices.iter().zip(self.0.iter()) {
            let k = i.checked_sub(lo).filter(|k| (0..len as i64).contains(k));
            let Some(k) = k else {
                let hi = lo + len as i64 - 1;
                return Err(format!("index {i} is out of range (valid: {lo}..{hi})"));
            };
            at = at * len + k as usize;
        }
        Ok(at)
    }

    /// The elements `lo ..= hi` of each dimension (`None`: one index, which drops its
    /// dimension from the result, as in ACT's `x[0..2][1]`): their positions, in order, and
    /// the sizes of the dimensions kept; `Err` says which bound is out of range.
    pub(crate) fn select(
        &self,
        parts: &[(i64, Option<i64>)],
    ) -> Result<(Vec<usize>, Vec<usize>), String> {
        let mut positions = vec![0usize];
        let mut kept = Vec::new();
        for (&(from, to), &(lo, len)) in parts.iter().zip(self.0.iter()) {
            let hi = lo + len as i64 - 1;
            let last = to.unwrap_or(from);
            if from < lo || last > hi || from > last {
                return Err(match to {
                    None => format!("index {from} is out of range (valid: {lo}..{hi})"),
                    Some(to) => format!("range [{from}..{to}] is out of range (valid: {lo}..{hi})"),
                });
            }
            if to.is_some() {
                kept.push((last - from + 1) as usize);
            }
            positions = positions
                .iter()
                .flat_map(|p| (from..=last).map(move |i| p * len + (i - lo) as usize))
                .collect();
        }
        Ok((positions, kept))
    }
}

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
            (None, Some(ty)) => ty.to_string(),
            (None, None) => "nothing (chan())".to_string(),
        };
        match self.reply {
            Some(reply) => format!("{data} and {reply} back"),
            None => data,
        }
    }
}

/// The data type of a channel or variable declaration.
pub(crate) fn data_type(t: &ast::Type, params: &Params, diags: &mut Vec<Diagnostic>) -> Option<Ty> {
    match &t.kind {
        TypeKind::Bool => Some(Ty::Bool),
        TypeKind::Int { width: None } => Some(Ty::Int(32)),
        TypeKind::Int { width: Some(w) } => {
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
