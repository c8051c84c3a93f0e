//! ACT's check of an override of an inherited port or field (`+{ wide<M> x; }`) where the
//! type is expanded. Where a definition is read, the parser compares the new type with the
//! original without their template arguments (ACT's weak comparison); here the arguments are
//! in place (`wide<4>` over `rec<3>`'s `int<N> x` is an `int<4>`, not an `int<3>`): an
//! instance or a use of a type whose override fails is an error there, for that expansion
//! only, as ACT's expansion-time assertion reports it ("Illegal override; the new type
//! doesn't implement the original."), and an override by the very type of the original (of an
//! array, which the definition lets through) is ACT's warning "Override not required when the
//! types are the same". A type never expanded is never checked, as in ACT. So is an override
//! of a body variable (ACT's body.cc puts its assertion after the overridden declaration):
//! where the declaration is expanded, in each instance of the process.

use super::Elaborator;
use crate::diag::Diagnostic;
use crate::elab::consts::{eval_value, ArgValue, Params};
use crate::elab::records::{field_params, record_type_name};
use crate::front::ast::{BundleOf, OverrideCheck, ProcessDef, Span, Type, TypeKind, VarDecl};
use crate::front::print::int_keyword;

impl Elaborator<'_> {
    /// Whether the port overrides of process `def` hold in its instance with `args` (under
    /// `params`), used at `span`: checked (and a failure reported) once per expanded process,
    /// with the types of its ports.
    pub(super) fn process_overrides_hold(
        &mut self,
        def: &ProcessDef,
        args: &[ArgValue],
        params: &Params,
        span: &Span,
    ) -> bool {
        let instance = super::levels::full_expanded_name(def, args);
        if !self.overrides_checked.insert(instance.clone()) {
            return !self.overrides_failed.contains(&instance);
        }
        let reported = self.diags.len();
        self.report_failed_overrides(&def.override_checks, params, &instance, span);
        if self.diags.len() > reported {
            self.overrides_failed.insert(instance);
            return false;
        }
        for port in &def.ports {
            let ty = declared_type(port.bundle.as_ref(), &port.ty, &port.span);
            self.check_type_overrides(&ty, params, span);
        }
        true
    }

    /// Checks the type of the body's variable `v` (declared under `params`).
    pub(super) fn check_variable_overrides(&mut self, v: &VarDecl, params: &Params) {
        let ty = declared_type(v.bundle.as_ref(), &v.ty, &v.span);
        self.check_type_overrides(&ty, params, &v.span);
    }

    /// Checks the override that made body variable `v` (declared under `params`) of the
    /// process being expanded, if one did, as ACT's assertion after an overridden instance
    /// does: with the arguments in place (`child<4> x` over a parent's `int<W> x` with W = 3
    /// is refused there).
    pub(super) fn check_part_override(&mut self, v: &VarDecl, params: &Params) {
        let Some(check) = &v.overridden else {
            return;
        };
        let expanded = match self.stack.last() {
            Some((name, args)) => match self.defs.get(name.as_str()) {
                Some(def) => super::levels::full_expanded_name(def, args),
                None => name.clone(),
            },
            None => super::FILE_SCOPE.to_string(),
        };
        self.report_failed_overrides(std::slice::from_ref(&**check), params, &expanded, &v.span);
    }

    /// Checks the overrides of the types `ty` expands under `params` (its own definition's,
    /// its parents', its fields'), once per expanded type; a failure is reported at `span`,
    /// where the type is used.
    fn check_type_overrides(&mut self, ty: &Type, params: &Params, span: &Span) {
        if let Some(named) = &ty.named {
            let Some(name) = expanded_name(ty, params) else {
                return;
            };
            if self.overrides_checked.insert(name.clone()) {
                self.report_failed_overrides(&named.override_checks, params, &name, span);
                self.check_type_overrides(&named.parent, params, span);
            }
            return;
        }
        match &ty.kind {
            TypeKind::Chan { data, reply, .. } => {
                for payload in data.iter().chain(reply) {
                    self.check_type_overrides(payload, params, span);
                }
            }
            TypeKind::Record(record) => {
                let name = record_type_name(record, params);
                if !self.overrides_checked.insert(name.clone()) {
                    return;
                }
                // Wrong arguments are reported where the record is laid out.
                let Some(bound) = field_params(record, params, &mut Vec::new()) else {
                    return;
                };
                let def = &record.def;
                self.report_failed_overrides(&def.override_checks, &bound, &name, span);
                for field in &def.fields {
                    self.check_type_overrides(&field.ty, &bound, span);
                }
                if let Some(parent) = record.parent() {
                    let parent = Type::new(TypeKind::Record(parent), ty.span.clone());
                    self.check_type_overrides(&parent, params, span);
                }
            }
            TypeKind::Bool | TypeKind::Int { .. } | TypeKind::Enum { .. } => {}
        }
    }

    /// Reports each of `checks` whose new type does not implement the original under
    /// `params`, in the expanded type `expanded`, used at `span`.
    fn report_failed_overrides(
        &mut self,
        checks: &[OverrideCheck],
        params: &Params,
        expanded: &str,
        span: &Span,
    ) {
        for check in checks {
            let (Some(new), Some(original)) = (
                expanded_name(&check.new, params),
                expanded_name(&check.original, params),
            ) else {
                // An argument that does not evaluate is reported where the type is used.
                continue;
            };
            let x = &check.name.name;
            if new == original {
                // Possible for an array's override only (see the parser's `data_override`).
                self.warnings.push(
                    Diagnostic::warning(
                        span.clone(),
                        format!(
                            "override of `{x}` in `{expanded}` not required when the types are the same"
                        ),
                    )
                    .with_label(format!("`{expanded}` expanded here"))
                    .with_note(
                        check.name.span.clone(),
                        format!("`{x}` overridden here: `{new}`, as the original `{original}`"),
                    ),
                );
                continue;
            }
            if implements(&check.new, &original, params) {
                continue;
            }
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "illegal override of `{x}` in `{expanded}`: the new type doesn't implement the original"
                    ),
                )
                .with_label(format!("`{expanded}` expanded here"))
                .with_note(
                    check.name.span.clone(),
                    format!("`{x}` overridden here: `{new}` does not refine `{original}`"),
                )
                .with_hint("ACT compares an override with the original type where the type is expanded, with its template arguments in place"),
            );
        }
    }
}

/// Whether `new` is the type named `original` under `params`, or refines it (through its
/// parents, each with its arguments in place).
fn implements(new: &Type, original: &str, params: &Params) -> bool {
    let mut current = Some(new.clone());
    while let Some(ty) = current {
        if expanded_name(&ty, params).as_deref() == Some(original) {
            return true;
        }
        current = match (&ty.named, &ty.kind) {
            (Some(named), _) => Some(named.parent.clone()),
            (None, TypeKind::Record(record)) => record
                .parent()
                .map(|parent| Type::new(TypeKind::Record(parent), ty.span.clone())),
            (None, _) => None,
        };
    }
    false
}

/// `ty`'s name with its template arguments evaluated under `params`, as ACT prints an
/// expanded type (`wide<4>`, `int<3>`, `chan(int<3>)`, no direction); `None` when an
/// argument does not evaluate.
fn expanded_name(ty: &Type, params: &Params) -> Option<String> {
    let value = |e| eval_value(e, params).ok().map(|v| v.to_string());
    if let Some(named) = &ty.named {
        let args: Option<Vec<String>> = named.args.iter().map(value).collect();
        return Some(with_args(&named.name, &args?));
    }
    Some(match &ty.kind {
        TypeKind::Bool => "bool".to_string(),
        TypeKind::Int { width, signed } => {
            let width = width.as_deref().map_or(Some("32".to_string()), value);
            with_args(int_keyword(*signed), &[width?])
        }
        TypeKind::Enum { size } => with_args("enum", &[value(size)?]),
        TypeKind::Chan { data, reply, .. } => {
            let mut payloads = Vec::new();
            for payload in data.iter().chain(reply) {
                payloads.push(expanded_name(payload, params)?);
            }
            format!("chan({})", payloads.join(","))
        }
        TypeKind::Record(record) => record_type_name(record, params),
    })
}

/// `name`, or `name<a,b>` with its arguments.
fn with_args(name: &str, args: &[String]) -> String {
    if args.is_empty() {
        name.to_string()
    } else {
        format!("{name}<{}>", args.join(","))
    }
}

/// The type whose overrides a declaration of type `ty` checks: a member of a bundle is a field
/// of the bundle's record type, so the record's are checked.
fn declared_type(bundle: Option<&BundleOf>, ty: &Type, span: &Span) -> Type {
    match bundle {
        Some(of) => Type::new(TypeKind::Record(of.ty.clone()), span.clone()),
        None => ty.clone(),
    }
}
