//! Parameters of a structure type (`defptype`): `T x;` declares the parameters `x.f`, one per
//! field, each set once (`x.a = 3;`) or all together (`x = y;`, `x = T(1, 2);`, or a template
//! argument `foo<x>`), as in ACT.

use super::Elaborator;
use crate::diag::Diagnostic;
use crate::elab::consts::{dotted_name, eval_struct, eval_value, ArgValue, Params, Value};
use crate::front::ast::{Connection, Expr, ParamDecl, PstructDef, Span};

impl Elaborator<'_> {
    /// `T x;` or `T x = e;`.
    pub(super) fn declare_struct_param(&mut self, p: &ParamDecl, params: &mut Params) {
        let def = p
            .pstruct
            .as_ref()
            .expect("the parser gives a structure its type");
        params.declare_struct(&p.name.name, def);
        if let Some(value) = &p.value {
            self.assign_struct(&p.name.name, def, value, &p.span, params);
        }
    }

    /// A connection that sets a parameter of a structure type, whole (`x = y;`) or one field
    /// (`x.a = 3;`); `false` when `c` sets no such parameter.
    pub(super) fn assign_struct_param(&mut self, c: &Connection, params: &mut Params) -> bool {
        let Some(name) = dotted_name(&c.lhs) else {
            return false;
        };
        if let Some(def) = params.pstruct(&name).cloned() {
            self.assign_struct(&name, &def, &c.rhs, &c.span, params);
            return true;
        }
        if !name.contains('.') || !(params.is_unset(&name) || params.has_value(&name)) {
            return false;
        }
        match eval_value(&c.rhs, params) {
            Ok(value) => self.set_member(&name, value, &c.span, params),
            Err(d) => {
                self.diags.push(d);
                params.mark_failed(&name);
            }
        }
        true
    }

    /// Gives each field of the parameter `name` (of structure type `def`) its value in `rhs`.
    fn assign_struct(
        &mut self,
        name: &str,
        def: &PstructDef,
        rhs: &Expr,
        span: &Span,
        params: &mut Params,
    ) {
        let (given, values) = match eval_struct(rhs, params) {
            Ok(value) => value,
            Err(d) => {
                self.diags.push(d);
                return;
            }
        };
        if given.name.name != def.name.name {
            self.diags.push(
                Diagnostic::error(
                    rhs.span.clone(),
                    format!(
                        "types `{}` and `{}` are not compatible",
                        def.name.name, given.name.name
                    ),
                )
                .with_label(format!("a `{}`", given.name.name))
                .with_note(
                    def.name.span.clone(),
                    format!("`{name}` is a `{}`", def.name.name),
                ),
            );
            return;
        }
        for ((field, _), value) in def.fields.iter().zip(values) {
            self.set_member(&format!("{name}.{field}"), value, span, params);
        }
    }

    /// Sets the parameter `member` (`x.a`): once, but in a process body again (as other
    /// parameters).
    fn set_member(&mut self, member: &str, value: Value, span: &Span, params: &mut Params) {
        if params.is_unset(member) {
            params.set_declared(member, value);
        } else if !self.stack.is_empty() && !params.is_immutable(member) {
            params.set_value(member, value);
        } else {
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "`{member}` already has a value; a parameter of the file scope is set once"
                    ),
                )
                .with_label("set again here"),
            );
        }
    }
}

/// The value of a template argument for a parameter of structure type `def`: its fields'
/// values, in order.
pub(super) fn struct_arg(
    def: &PstructDef,
    e: &Expr,
    params: &Params,
) -> Result<ArgValue, Diagnostic> {
    let (given, values) = eval_struct(e, params)?;
    if given.name.name != def.name.name {
        return Err(Diagnostic::error(
            e.span.clone(),
            format!(
                "types `{}` and `{}` are not compatible",
                def.name.name, given.name.name
            ),
        )
        .with_label(format!("a `{}`", given.name.name)));
    }
    Ok(ArgValue::Array(
        values.into_iter().map(ArgValue::of).collect(),
    ))
}

/// Binds the template parameter `name` of structure type `def` to `value` (from
/// [`struct_arg`]).
pub(super) fn bind_struct(
    name: &str,
    def: &std::sync::Arc<PstructDef>,
    value: &ArgValue,
    params: &mut Params,
) -> Result<(), String> {
    params.declare_struct(name, def);
    let ArgValue::Array(values) = value else {
        return Err(format!("`{name}` is a `{}`; got {value}", def.name.name));
    };
    if values.len() != def.fields.len() {
        return Err(format!("`{name}` is a `{}`; got {value}", def.name.name));
    }
    for ((field, _), v) in def.fields.iter().zip(values) {
        let Some(v) = v.value() else {
            return Err(format!("`{name}` is a `{}`; got {value}", def.name.name));
        };
        params.set_declared(&format!("{name}.{field}"), v);
    }
    Ok(())
}
