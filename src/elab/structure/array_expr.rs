//! ACT's array expressions in connections and port lists: `{a, b}` (the parts as the elements
//! of a new outermost dimension) and `a # b` (the parts one after another along their first
//! dimension). Neither may hold a sparse array, as ACT checks it.

use std::collections::HashMap;

use super::{Elaborator, Local, PortTable, Resolved};
use crate::diag::Diagnostic;
use crate::elab::consts::Params;
use crate::front::ast::{Expr, Span};

impl<'a> Elaborator<'a> {
    /// `{a, b}` (`concatenation` false): the parts, which must have one shape, as the
    /// elements of a new outermost dimension; `a # b` (`concatenation`): arrays whose
    /// dimensions other than the first agree, one after another.
    pub(super) fn array_expression(
        &mut self,
        (parts, concatenation): (&[Expr], bool),
        span: &Span,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Option<Resolved> {
        let resolved = self.array_parts(parts, params, ports, locals)?;
        for (part, r) in parts.iter().zip(&resolved) {
            if concatenation && (!r.is_array || r.shape.is_empty()) {
                let d = Diagnostic::error(
                    part.span.clone(),
                    format!("`{part}` is not an array: array concatenation requires arrays"),
                )
                .with_label("one element")
                .with_hint("`#` joins arrays; make an array of one element with `{x}`");
                self.diags.push(d);
                return None;
            }
        }
        let compared = |r: &Resolved| r.shape[usize::from(concatenation)..].to_vec();
        for (k, (part, r)) in parts.iter().zip(&resolved).enumerate() {
            if compared(r) == compared(&resolved[0]) {
                continue;
            }
            let (what, label, hint) = match concatenation {
                true => (
                    "array concatenation",
                    "array expression, components are not compatible".to_string(),
                    "`a # b` joins arrays along their first dimension: the others must agree",
                ),
                false => (
                    "array expression",
                    format!("part {} of `{{..}}`", k + 1),
                    "`{a, b}` adds a dimension over parts of one shape; connect the parts one by one",
                ),
            };
            let message = format!(
                "the parts of an {what} differ in shape: `{}` is {}, `{part}` is {}",
                parts[0],
                shape_words(&resolved[0].shape),
                shape_words(&r.shape)
            );
            let d = Diagnostic::error(part.span.clone(), message)
                .with_label(label)
                .with_hint(hint);
            self.diags.push(d);
            return None;
        }
        let shape = match concatenation {
            true => std::iter::once(resolved.iter().map(|r| r.shape[0]).sum())
                .chain(resolved[0].shape[1..].iter().copied())
                .collect(),
            false => std::iter::once(parts.len())
                .chain(resolved[0].shape.iter().copied())
                .collect(),
        };
        Some(joined(resolved, shape, span))
    }

    /// The parts of an array expression, resolved; none of them a sparse array.
    fn array_parts(
        &mut self,
        parts: &[Expr],
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Option<Vec<Resolved>> {
        if parts.is_empty() {
            return None;
        }
        let mut resolved = Vec::with_capacity(parts.len());
        for part in parts {
            let r = self.resolve(part, params, ports, locals)?;
            if !r.pieces.is_empty() {
                let d = Diagnostic::error(
                    part.span.clone(),
                    format!("`{part}` is a sparse array: cannot have a sparse array within an array expression"),
                )
                .with_label("declared in ranges with gaps")
                .with_hint("name one of its ranges (`x[0..3]`) instead of the whole array");
                self.diags.push(d);
                return None;
            }
            resolved.push(r);
        }
        Some(resolved)
    }
}

/// The parts' nodes one after another, as one array of `shape`; a direction only when every
/// part has the same one.
fn joined(parts: Vec<Resolved>, shape: Vec<usize>, span: &Span) -> Resolved {
    let side = parts.first().and_then(|p| p.side);
    let side = side.filter(|_| parts.iter().all(|p| p.side == side));
    let inside = parts.iter().all(|p| p.inside);
    Resolved {
        nodes: parts.into_iter().flat_map(|p| p.nodes).collect(),
        shape,
        pieces: Vec::new(),
        is_array: true,
        side,
        inside,
        span: span.clone(),
    }
}

/// A connection's shape in words: `one element`, `an array [2]`, `an array [2][3]`.
fn shape_words(shape: &[usize]) -> String {
    if shape.is_empty() {
        return "one element".to_string();
    }
    let dims: String = shape.iter().map(|n| format!("[{n}]")).collect();
    format!("an array {dims}")
}
