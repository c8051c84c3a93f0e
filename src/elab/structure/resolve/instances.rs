//! The instances a connection names, and their ports.

use std::collections::HashMap;

use super::instance_element;
use crate::diag::{did_you_mean, Diagnostic};
use crate::elab::consts::{eval_const, Params};
use crate::elab::structure::bundles::outside_port;
use crate::elab::structure::{port_hint, Elaborator, Local, PortTable, Resolved};
use crate::elab::types::{Shape, EMPTY_ARRAY};
use crate::front::ast::{Expr, Ident, Span};

impl Elaborator<'_> {
    /// The instances declared as `name` in the body: the first index and their port tables.
    pub(super) fn instances_named<'l>(
        &mut self,
        name: &Ident,
        ports: &PortTable,
        locals: &'l HashMap<String, Local>,
        span: &Span,
    ) -> Option<(&'l Shape, &'l [PortTable])> {
        let not_an_instance = |what: &str| {
            format!(
                "`{}` is {what}, not an instance; it has no ports",
                name.name
            )
        };
        match locals.get(&name.name) {
            Some(Local::Instances { tables, .. }) if tables.is_empty() => {
                self.fail(span, format!("`{}`: {EMPTY_ARRAY}", name.name))
            }
            Some(Local::Instances { shape, tables, .. }) => Some((shape, tables)),
            Some(Local::Poisoned) => None,
            Some(Local::Variable | Local::SharedVariable(_)) => {
                self.fail(span, not_an_instance("a variable"))
            }
            Some(Local::Channel(_)) => self.fail(span, not_an_instance("a channel")),
            Some(Local::Bundle { .. }) => self.fail(span, not_an_instance("an interface bundle")),
            None if ports.contains(&name.name) => self.fail(span, not_an_instance("a port")),
            None => {
                let names = locals.iter().filter_map(|(n, l)| {
                    matches!(l, Local::Instances { .. }).then_some(n.as_str())
                });
                let hint = did_you_mean(&name.name, names);
                let mut d = Diagnostic::error(
                    name.span.clone(),
                    format!("unknown instance `{}`", name.name),
                );
                if let Some(hint) = hint {
                    d = d.with_hint(hint);
                }
                self.diags.push(d);
                None
            }
        }
    }

    /// The ports of the single instance `x` or `x[i]` that `e` names (given a port list).
    pub(in crate::elab::structure) fn instance_of(
        &mut self,
        e: &Expr,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Option<PortTable> {
        let Some((name, indices)) = instance_element(e) else {
            return self.fail(&e.span, "expected an instance, `x` or `x[i]`".into());
        };
        let instances = self.instances_named(name, ports, locals, &e.span)?;
        (self.instance(name, &indices, None, instances, params, &e.span)).cloned()
    }

    /// The instance `name` or `name[i]...` (one index per dimension) among the `tables`
    /// declared as `name` with `shape` (whose port `field` is wanted, if one is).
    pub(super) fn instance<'t>(
        &mut self,
        name: &Ident,
        indices: &[&Expr],
        field: Option<&Ident>,
        (shape, tables): (&Shape, &'t [PortTable]),
        params: &Params,
        span: &Span,
    ) -> Option<&'t PortTable> {
        if indices.is_empty() {
            if let [table] = tables {
                return Some(table);
            }
            let name = &name.name;
            let zeros = "[0]".repeat(shape.rank().max(1));
            let example = match field {
                Some(field) => format!("{name}{zeros}.{}", field.name),
                None => format!("{name}{zeros}"),
            };
            return self.fail(
                span,
                format!("`{name}` is an array of instances; say which one, e.g. `{example}`"),
            );
        }
        if indices.len() != shape.rank() {
            return self.fail(
                span,
                format!(
                    "`{}` has {} dimension(s), but this gives {} index(es)",
                    name.name,
                    shape.rank(),
                    indices.len()
                ),
            );
        }
        let mut values = Vec::with_capacity(indices.len());
        for index in indices {
            values.push(
                eval_const(index, params)
                    .map_err(|d| self.diags.push(d))
                    .ok()?,
            );
        }
        match shape.offset(&values).map(|k| tables.get(k)) {
            Ok(Some(table)) => Some(table),
            Ok(None) => self.fail(
                span,
                format!("`{}`: this element is not declared", name.name),
            ),
            Err(message) => self.fail(span, message),
        }
    }

    /// Port `field` of the instance `name` whose ports are `table`.
    pub(super) fn instance_port(
        &mut self,
        name: &Ident,
        field: &Ident,
        table: &PortTable,
        span: &Span,
    ) -> Option<Resolved> {
        // The longest dotted start that is a record port (`x.f` of `m.x.f.b.w`, a record
        // among the wires of `m`'s channel port `x`).
        let record_port = (field.name.match_indices('.').rev())
            .filter_map(|(at, _)| Some((table.get(&field.name[..at])?, &field.name[at + 1..])))
            .find(|(entry, _)| entry.len() == 1 && self.var_records.contains_key(&entry.first));
        if let (None, Some((entry, path))) = (table.get(&field.name), record_port) {
            // `m.r.x`: field `x` of `m`'s record port `r`.
            let mut fields = self.field_path(entry.first, path, span)?;
            fields.inside = false;
            return Some(fields);
        }
        let Some(entry) = table.get(&field.name) else {
            let hint = port_hint(&field.name, table);
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    format!("`{}` has no port `{}`", name.name, field.name),
                )
                .with_hint(hint),
            );
            return None;
        };
        if entry.is_array && entry.len() == 0 {
            return self.fail(
                span,
                format!("`{}.{}`: {EMPTY_ARRAY}", name.name, field.name),
            );
        }
        Some(outside_port(entry, span))
    }
}
