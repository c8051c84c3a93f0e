//! Parameter arrays of one or more dimensions (`pint x[4]`, `pbool y[2][3]`,
//! `pint z[1..2][0..1]`): their shape, elements `y[i][j]`, sub-arrays `y[i]`, `y[i][0..1]`,
//! and their values as template arguments (nested, one level per dimension).

use super::consts::{eval_const, eval_value, ArgValue, Params, Value};
use crate::diag::Diagnostic;
use crate::front::ast::{ArrayDim, Expr, ExprKind, Ident};

/// A parameter array: its elements in row-major order, each unset until its `x[i] = e;`.
#[derive(Clone, Debug)]
pub(crate) struct ParamArray {
    /// `(first index, length)` of each dimension, outermost first.
    pub dims: Vec<(i64, usize)>,
    pub values: Vec<Option<Value>>,
}

impl ParamArray {
    pub(crate) fn new(dims: Vec<(i64, usize)>) -> Self {
        let len = dims.iter().map(|d| d.1).product();
        ParamArray {
            dims,
            values: vec![None; len],
        }
    }
}

/// One selector of an array reference: `[i]` or `[lo..hi]`.
pub(crate) enum Selector<'e> {
    At(&'e Expr),
    Range(&'e Expr, &'e Expr),
}

/// The name an array reference starts from and its selectors, outermost first (`x[i][0..1]`
/// is `x` with `[i]` then `[0..1]`); `None` when `e` is not a name followed by selectors.
pub(crate) fn selection(e: &Expr) -> Option<(&Ident, Vec<Selector<'_>>)> {
    let mut selectors = Vec::new();
    let mut at = e;
    loop {
        match &at.kind {
            ExprKind::Name(id) => {
                selectors.reverse();
                return Some((id, selectors));
            }
            ExprKind::Index { base, index } => {
                selectors.push(Selector::At(index));
                at = base;
            }
            ExprKind::Slice { base, lo, hi } => {
                selectors.push(Selector::Range(lo, hi));
                at = base;
            }
            _ => return None,
        }
    }
}

/// The bounds `(lo, len)` of each dimension of a parameter array's declaration (`[N]` is
/// `0 ..= N-1`, `[lo..hi]` is `lo ..= hi`; `hi = lo - 1` makes it empty).
pub(crate) fn param_dims(
    dims: &[ArrayDim],
    params: &Params,
) -> Result<Vec<(i64, usize)>, Diagnostic> {
    let mut shape = Vec::with_capacity(dims.len());
    for dim in dims {
        let (lo, hi, span) = match dim {
            ArrayDim::Size(n) => (0, eval_const(n, params)? - 1, n.span.clone()),
            ArrayDim::Range(lo, hi) => (
                eval_const(lo, params)?,
                eval_const(hi, params)?,
                lo.span.start..hi.span.end,
            ),
        };
        match usize::try_from(hi - lo + 1) {
            Ok(len) if hi >= lo - 1 && len <= super::types::MAX_ARRAY as usize => {
                shape.push((lo, len))
            }
            _ => {
                return Err(Diagnostic::error(
                    span,
                    "an array needs at least one element",
                ))
            }
        }
    }
    if shape
        .iter()
        .map(|d| d.1)
        .try_fold(1usize, usize::checked_mul)
        > Some(super::types::MAX_ARRAY as usize)
    {
        return Err(Diagnostic::error(
            dims_span(dims),
            format!(
                "an array may have at most {} elements",
                super::types::MAX_ARRAY
            ),
        ));
    }
    Ok(shape)
}

fn dims_span(dims: &[ArrayDim]) -> crate::front::ast::Span {
    let span = |d: &ArrayDim| match d {
        ArrayDim::Size(n) => n.span.clone(),
        ArrayDim::Range(lo, hi) => lo.span.start..hi.span.end,
    };
    match (dims.first(), dims.last()) {
        (Some(a), Some(b)) => span(a).start..span(b).end,
        _ => 0..0,
    }
}

/// The elements a selection of parameter array `id` picks: their positions (row-major) and
/// the lengths of the dimensions of the result (an index drops its dimension; a range keeps
/// it). `x[i][j]` of a 2-D array picks one element and has no dimensions.
pub(crate) fn select(
    id: &Ident,
    array: &ParamArray,
    selectors: &[Selector<'_>],
    params: &Params,
) -> Result<(Vec<usize>, Vec<usize>), Diagnostic> {
    if selectors.len() > array.dims.len() {
        let extra = match &selectors[array.dims.len()] {
            Selector::At(e) => e.span.clone(),
            Selector::Range(lo, hi) => lo.span.start..hi.span.end,
        };
        return Err(Diagnostic::error(
            extra,
            format!(
                "`{}` has {} dimension(s): too many indices",
                id.name,
                array.dims.len()
            ),
        )
        .with_label("one index too many"));
    }
    let mut positions = vec![0usize];
    let mut shape = Vec::new();
    for (k, &(lo, len)) in array.dims.iter().enumerate() {
        let hi = lo + len as i64 - 1;
        let (from, to, span) = match selectors.get(k) {
            None => (lo, hi, None),
            Some(Selector::At(e)) => {
                let i = eval_const(e, params)?;
                (i, i, Some(e.span.clone()))
            }
            Some(Selector::Range(a, b)) => (
                eval_const(a, params)?,
                eval_const(b, params)?,
                Some(a.span.start..b.span.end),
            ),
        };
        if let Some(span) = span.filter(|_| from < lo || to > hi || from > to) {
            let what = if from == to {
                format!("index {from}")
            } else {
                format!("range {from}..{to}")
            };
            return Err(Diagnostic::error(
                span,
                format!(
                    "{what} is out of range for `{}` (valid: {lo}..{hi})",
                    id.name
                ),
            ));
        }
        if !matches!(selectors.get(k), Some(Selector::At(_))) {
            shape.push((to - from + 1) as usize);
        }
        positions = positions
            .iter()
            .flat_map(|p| (from..=to).map(move |i| p * len + (i - lo) as usize))
            .collect();
    }
    Ok((positions, shape))
}

/// The value of the parameter-array element `e` (`x[i]`, `y[i][j]`), when `e` is one.
pub(crate) fn element_value(e: &Expr, params: &Params) -> Option<Result<Value, Diagnostic>> {
    let (id, selectors) = selection(e)?;
    let array = params.array(&id.name)?;
    if params.has_failed(&id.name) {
        return Some(Err(Diagnostic::echo(id.span.clone())));
    }
    Some(
        select(id, array, &selectors, params).and_then(|(positions, shape)| {
            if !shape.is_empty() || selectors.len() < array.dims.len() {
                return Err(Diagnostic::error(
                    e.span.clone(),
                    format!(
                        "`{}` has {} dimension(s): this is a part of it, not one value",
                        id.name,
                        array.dims.len()
                    ),
                )
                .with_label("an array, not a value"));
            }
            array.values[positions[0]].ok_or_else(|| {
                let text = e.to_string();
                Diagnostic::error(e.span.clone(), format!("`{text}` has no value here"))
                    .with_hint(format!("set it before this use: `{text} = ...;`"))
            })
        }),
    )
}

/// The elements of `{a, b, ...}` (each an array itself when it names one) or of the
/// parameter array (or part of one, `x[1]`, `x[0..1]`) `e` names, nested one level per
/// dimension.
pub(crate) fn array_value(e: &Expr, params: &Params) -> Result<ArgValue, Diagnostic> {
    if let ExprKind::Concat(parts) = &e.kind {
        let elements: Result<Vec<ArgValue>, Diagnostic> = (parts.iter())
            .map(|part| match names_array(part, params) {
                true => array_value(part, params),
                false => eval_value(part, params).map(ArgValue::of),
            })
            .collect();
        return Ok(ArgValue::Array(elements?));
    }
    let picked = selection(e).and_then(|(id, selectors)| {
        let array = params.array(&id.name)?;
        Some(select(id, array, &selectors, params).map(|p| (id, array, p)))
    });
    let Some(picked) = picked else {
        return Err(Diagnostic::error(
            e.span.clone(),
            "expected an array of parameters: `{a, b, ...}` or a parameter array",
        )
        .with_label("not an array"));
    };
    let (id, array, (positions, shape)) = picked?;
    let mut leaves = Vec::with_capacity(positions.len());
    for p in positions {
        let Some(v) = array.values[p] else {
            return Err(Diagnostic::error(
                e.span.clone(),
                format!("an element of `{}` has no value here", id.name),
            ));
        };
        leaves.push(ArgValue::of(v));
    }
    if shape.is_empty() {
        return Ok(leaves.pop().unwrap_or(ArgValue::Array(Vec::new())));
    }
    Ok(nest(leaves, &shape))
}

/// Whether `e` names a parameter array or a part of one (not a single element).
pub(crate) fn names_array(e: &Expr, params: &Params) -> bool {
    let Some((id, selectors)) = selection(e) else {
        return matches!(e.kind, ExprKind::Concat(_));
    };
    match params.array(&id.name) {
        Some(array) => {
            selectors.len() < array.dims.len()
                || selectors.iter().any(|s| matches!(s, Selector::Range(..)))
        }
        None => false,
    }
}

/// `leaves` (row-major) as nested arrays of the lengths `shape`.
fn nest(leaves: Vec<ArgValue>, shape: &[usize]) -> ArgValue {
    match shape {
        [] | [_] => ArgValue::Array(leaves),
        [_, inner @ ..] => {
            let chunk = inner.iter().product::<usize>().max(1);
            let mut rows = Vec::new();
            let mut it = leaves.into_iter().peekable();
            while it.peek().is_some() {
                rows.push(nest(it.by_ref().take(chunk).collect(), inner));
            }
            ArgValue::Array(rows)
        }
    }
}

/// The scalars of a (nested) array value in row-major order, and the lengths of its levels;
/// `None` when the rows differ in shape.
pub(crate) fn flatten(value: &ArgValue) -> Option<(Vec<Value>, Vec<usize>)> {
    match value {
        ArgValue::Array(elements) => {
            let mut leaves = Vec::new();
            let mut inner: Option<Vec<usize>> = None;
            for element in elements {
                let (values, shape) = match element {
                    ArgValue::Array(_) => flatten(element)?,
                    scalar => (vec![scalar.value()?], Vec::new()),
                };
                if inner.as_ref().is_some_and(|s| *s != shape) {
                    return None;
                }
                inner = Some(shape);
                leaves.extend(values);
            }
            let mut shape = vec![elements.len()];
            shape.extend(inner.unwrap_or_default());
            Some((leaves, shape))
        }
        scalar => Some((vec![scalar.value()?], Vec::new())),
    }
}

/// Whether an array of lengths `given` fits a declaration of lengths `wanted`: the same
/// lengths, or the same once dimensions of one element are left out (ACT connects
/// `a[1][0..1]` to a `pint x[2]`).
pub(crate) fn shapes_fit(given: &[usize], wanted: &[usize]) -> bool {
    let squeeze = |s: &[usize]| s.iter().copied().filter(|&n| n != 1).collect::<Vec<_>>();
    given == wanted || squeeze(given) == squeeze(wanted)
}

/// Array lengths as they are written, for messages: `[2][3]`.
pub(crate) fn shape_text(shape: &[usize]) -> String {
    shape.iter().map(|n| format!("[{n}]")).collect()
}

/// The position of the one element the selection `e` (`x[i]`, `y[i][j]`) of parameter array
/// `id` names: an error when it is out of range or names a part of the array.
pub(crate) fn element_position(
    e: &Expr,
    id: &Ident,
    selectors: &[Selector<'_>],
    array: &ParamArray,
    params: &Params,
) -> Result<usize, Diagnostic> {
    let (positions, shape) = select(id, array, selectors, params)?;
    if !shape.is_empty() || selectors.len() < array.dims.len() {
        return Err(Diagnostic::error(
            e.span.clone(),
            format!(
                "`{}` has {} dimension(s): this is a part of it, not one element",
                id.name,
                array.dims.len()
            ),
        )
        .with_label("an array, not an element"));
    }
    Ok(positions[0])
}
