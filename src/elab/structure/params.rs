//! Parameters in a body: `pint N = e;`, `pint N;` set later by `N = e;`, parameter arrays
//! (`pint x[3] = {a, b, c};`, an element or a part set later: `x[1] = 4;`, `x[0..1] = {1, 2};`),
//! and the widths of data variables that later constant expressions read (`bitwidth(v)`).

use super::Elaborator;
use crate::diag::Diagnostic;
use crate::elab::consts::{eval_value, Params, Value};
use crate::elab::param_array::{
    array_value, flatten, names_array, select, selection, shape_text, shapes_fit,
};
use crate::elab::types::{data_type, MAX_ARRAY};
use crate::front::ast::{self, Expr, ExprKind};

impl Elaborator<'_> {
    /// `pint N = e;`, `pint N;` (set later by `N = e;`), `pint x[4];`, `pint x[3] = {a, b, c};`,
    /// `pint y[2][3];`.
    pub(super) fn declare_param(&mut self, p: &ast::ParamDecl, params: &mut Params) {
        let name = &p.name.name;
        params.set_kind(name, p.kind);
        if !p.dims.is_empty() {
            let mut dims = Vec::with_capacity(p.dims.len());
            for dim in &p.dims {
                let Some(bounds) = self.dims(std::slice::from_ref(dim), params) else {
                    params.mark_failed(name);
                    return;
                };
                dims.push(bounds.dims()[0]);
            }
            if dims
                .iter()
                .map(|d| d.1)
                .try_fold(1usize, usize::checked_mul)
                > Some(MAX_ARRAY as usize)
            {
                self.diags.push(Diagnostic::error(
                    p.name.span.clone(),
                    format!("`{name}` has more than {MAX_ARRAY} elements"),
                ));
                params.mark_failed(name);
                return;
            }
            params.declare_array(name, dims);
            if let Some(v) = &p.value {
                let whole = Expr {
                    kind: ExprKind::Name(p.name.clone()),
                    span: p.name.span.clone(),
                };
                self.assign_param_part(&whole, v, params);
            }
            return;
        }
        match &p.value {
            Some(v) => match eval_value(v, params) {
                Ok(value) => params.set_value(name, value),
                Err(d) => {
                    self.diags.push(d);
                    params.mark_failed(name);
                }
            },
            None => params.declare_unset(name),
        }
    }

    /// A connection that sets a parameter: `N = e;`, `x[i] = e;`, `y[i][j] = e;`,
    /// `x = {a, b, c};`, `x[0..1] = y[2][0..1];`. Each parameter (and each element of an
    /// array) is set once, as in ACT.
    pub(super) fn assign_param(&mut self, c: &ast::Connection, params: &mut Params) {
        if self.assign_struct_param(c, params) {
            return;
        }
        match &c.lhs.kind {
            ExprKind::Name(id) if params.ptype(&id.name).is_some() => {
                self.assign_ptype(&id.name, &c.rhs, &c.span, params)
            }
            ExprKind::Name(id) if params.is_unset(&id.name) => match eval_value(&c.rhs, params) {
                Ok(v) => params.set_declared(&id.name, v),
                Err(d) => {
                    self.diags.push(d);
                    params.mark_failed(&id.name);
                }
            },
            ExprKind::Name(id) if params.array(&id.name).is_some() => {
                self.assign_param_part(&c.lhs, &c.rhs, params)
            }
            ExprKind::Index { .. } | ExprKind::Slice { .. } => {
                self.assign_param_part(&c.lhs, &c.rhs, params)
            }
            // In a process body a parameter may be set again (ACT's are mutable there:
            // `*[ i < N -> ... i = i + 1; ]`); at file scope, once.
            ExprKind::Name(id) if !self.stack.is_empty() && !params.is_immutable(&id.name) => {
                match eval_value(&c.rhs, params) {
                    Ok(v) => params.set_value(&id.name, v),
                    Err(d) => {
                        self.diags.push(d);
                        params.mark_failed(&id.name);
                    }
                }
            }
            _ => self.diags.push(
                Diagnostic::error(
                    c.lhs.span.clone(),
                    "this parameter already has a value; a parameter of the file scope is set once",
                )
                .with_label("set again here"),
            ),
        }
    }

    /// `lhs = rhs;` where `lhs` is a parameter array or a part of one (`x`, `x[i]`, `y[i]`,
    /// `y[i][0..1]`): one element gets a value; a part gets the elements of an array (`{a, b}`,
    /// another parameter array or a part of one) of its shape, in order.
    fn assign_param_part(&mut self, lhs: &Expr, rhs: &Expr, params: &mut Params) {
        let (id, selectors) = selection(lhs).expect("sets_parameter checks the form");
        let name = id.name.clone();
        let array = params.array(&name).expect("sets_parameter checks the form");
        let (positions, shape) = match select(id, array, &selectors, params) {
            Ok(picked) => picked,
            Err(d) => {
                // The array's other elements stay usable.
                self.diags.push(d);
                return;
            }
        };
        let one = shape.is_empty() && selectors.len() == array.dims.len();
        let values = if one {
            eval_value(rhs, params).map(|v| vec![v])
        } else if !names_array(rhs, params) {
            Err(Diagnostic::error(
                rhs.span.clone(),
                format!("`{lhs}` is a parameter array: give it one value per element"),
            )
            .with_hint(format!(
                "write `{lhs} = {{a, b, ...}};` or set elements with `{name}[i] = e;`"
            )))
        } else {
            array_value(rhs, params).and_then(|given| match flatten(&given) {
                Some((leaves, given)) if shapes_fit(&given, &shape) => Ok(leaves),
                found => Err(Diagnostic::error(
                    rhs.span.clone(),
                    match found {
                        Some((leaves, _)) if shape.len() <= 1 => format!(
                            "`{lhs}` has {} elements, but {} values are given",
                            positions.len(),
                            leaves.len()
                        ),
                        Some((_, given)) => format!(
                            "`{lhs}` is an array {}, but this is {}",
                            shape_text(&shape),
                            shape_text(&given)
                        ),
                        None => "the rows of this array differ in length".to_string(),
                    },
                )),
            })
        };
        let values = match values {
            Ok(values) => values,
            Err(d) => {
                self.diags.push(d);
                params.mark_failed(&name);
                return;
            }
        };
        for (at, value) in positions.into_iter().zip(values) {
            self.set_param_element(id, at, value, lhs, params);
        }
    }

    /// Sets the element at position `at` of parameter array `id` (named by `lhs`, for
    /// messages); an element of the file scope's is set once.
    fn set_param_element(
        &mut self,
        id: &ast::Ident,
        at: usize,
        value: Value,
        lhs: &Expr,
        params: &mut Params,
    ) {
        let value = match params.is_real(&id.name) {
            true => Value::Real(value.as_real()),
            false => value,
        };
        let frozen = self.stack.is_empty() || params.is_immutable(&id.name);
        let array = params.array_mut(&id.name).expect("checked by the caller");
        if array.values[at].is_some() && frozen {
            let message =
                format!("`{lhs}` already has a value; a parameter of the file scope is set once");
            self.diags
                .push(Diagnostic::error(lhs.span.clone(), message));
            return;
        }
        array.values[at] = Some(value);
    }
}

/// Lets later constant expressions read the width of the data variable `v` (`bitwidth(v)`);
/// an array has no width of its own there.
pub(super) fn declare_width(v: &ast::VarDecl, params: &mut Params) {
    if v.dims.is_empty() {
        if let Some(ty) = data_type(&v.ty, params, &mut Vec::new()) {
            params.declare_width(&v.name.name, ty.width());
        }
    }
}
