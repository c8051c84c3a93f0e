//! ACT's check of a process's macros against the interfaces it exports, in each expanded
//! instance: the argument types with the instance's template arguments in place (`int<N>` of
//! `bar<4>` is `int<4>`), compared by their widths and array sizes. A definition is checked
//! once by the parser, as ACT checks one (the types without their widths, the dimensions
//! counted); an instance whose types then differ is an error (ACT's "Inconsistent/missing
//! method" while expanding it).

use super::Elaborator;
use crate::diag::Diagnostic;
use crate::elab::consts::{ArgValue, Params};
use crate::elab::records::record_type_name;
use crate::elab::types::{array_shape, data_type};
use crate::front::ast::{ArrayDim, ProcessDef, Type, TypeKind};

impl Elaborator<'_> {
    /// Checks the macros of `def` instantiated with `args` (under `params`) against the methods
    /// of the interfaces it exports.
    pub(super) fn check_method_types(
        &mut self,
        def: &ProcessDef,
        args: &[ArgValue],
        params: &Params,
    ) {
        for export in &def.exports {
            for method in &export.methods {
                let m = &method.name.name;
                let own = def.macros.iter().find(|x| &x.name.name == m);
                // A missing macro or a wrong count was reported with the definition.
                let Some(own) = own.filter(|x| x.args.len() == method.args.len()) else {
                    continue;
                };
                let differs = |((theirs, dims), ours): (&(Type, Vec<ArrayDim>), _)| {
                    let ours: &crate::front::ast::PortDecl = ours;
                    match (
                        expanded(theirs, dims, params),
                        expanded(&ours.ty, &ours.dims, params),
                    ) {
                        (Some(theirs), Some(ours)) => theirs != ours,
                        // A type that does not expand is reported where it is declared.
                        _ => false,
                    }
                };
                let Some(j) = method.args.iter().zip(&own.args).position(differs) else {
                    continue;
                };
                let instance = super::levels::full_expanded_name(def, args);
                let span = self.owner.clone().unwrap_or_else(|| def.name.span.clone());
                let iface = &export.iface.name;
                self.diags.push(
                    Diagnostic::error(
                        span,
                        format!(
                            "inconsistent or missing method in `{instance}`: method `{m}`, interface `{iface}`: argument #{j} type mismatch"
                        ),
                    )
                    .with_label(format!("an instance of `{instance}`"))
                    .with_note(own.name.span.clone(), "the macro")
                    .with_note(method.name.span.clone(), "declared by the interface here")
                    .with_hint("ACT compares a method's argument types in each instance, with its template arguments in place, widths and array sizes too"),
                );
            }
        }
    }
}

/// A method argument's type and array sizes under `params`: a data type by its width, a
/// record by its name with its template arguments; `None` when they do not expand.
fn expanded(ty: &Type, dims: &[ArrayDim], params: &Params) -> Option<(String, Vec<usize>)> {
    let name = match &ty.kind {
        TypeKind::Record(record) => record_type_name(record, params),
        TypeKind::Chan { .. } => ty.to_string(),
        _ => data_type(ty, params, &mut Vec::new())?.to_string(),
    };
    let shape = array_shape(dims, params).ok()?;
    Some((name, shape.dims().iter().map(|&(_, len)| len).collect()))
}
