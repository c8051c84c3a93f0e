//! Resolution of a reference in a connection or port list to the nodes it names.

use std::collections::HashMap;

use super::{port_hint, Elaborator, Local, PortTable, Resolved};
use crate::diag::{did_you_mean, Diagnostic};
use crate::elab::consts::{eval_const, Params};
use crate::front::ast::{ChanDir, Expr, ExprKind};

impl<'a> Elaborator<'a> {
    /// Resolves one side of a connection to its nodes.
    pub(super) fn resolve(
        &mut self,
        e: &Expr,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Option<Resolved> {
        let fail = |this: &mut Self, msg: String| {
            this.diags.push(Diagnostic::error(e.span.clone(), msg));
            None
        };
        match &e.kind {
            ExprKind::Name(id) => {
                if let Some(entry) = ports.get(&id.name) {
                    // Seen from inside, an input port is where values come from.
                    let side = entry.dir.map(|d| d == ChanDir::Input);
                    return Some(Resolved {
                        nodes: entry.nodes(),
                        side,
                        inside: true,
                        span: e.span.clone(),
                    });
                }
                match locals.get(&id.name) {
                    Some(Local::Channel(entry) | Local::SharedVariable(entry)) => Some(Resolved {
                        nodes: entry.nodes(),
                        side: None,
                        inside: true,
                        span: e.span.clone(),
                    }),
                    Some(Local::Instances { .. }) => fail(
                        self,
                        format!(
                            "`{}` is an instance; connect one of its ports, e.g. `{}.L`",
                            id.name, id.name
                        ),
                    ),
                    Some(Local::Poisoned) => None,
                    Some(Local::Variable) => fail(
                        self,
                        format!(
                            "`{}` is a variable; only channels and ports can be connected",
                            id.name
                        ),
                    ),
                    None => {
                        let mut names: Vec<&str> = ports
                            .names()
                            .chain(locals.keys().map(String::as_str))
                            .collect();
                        names.sort_unstable();
                        let names = names.into_iter();
                        let hint = did_you_mean(&id.name, names);
                        let mut d = Diagnostic::error(
                            e.span.clone(),
                            format!("unknown channel or port `{}`", id.name),
                        );
                        if let Some(hint) = hint {
                            d = d.with_hint(hint);
                        }
                        self.diags.push(d);
                        None
                    }
                }
            }
            ExprKind::Index { base, index } => {
                let whole = self.resolve(base, params, ports, locals)?;
                let i = eval_const(index, params)
                    .map_err(|d| self.diags.push(d))
                    .ok()?;
                let lo = self.array_lo(base, ports, locals);
                let at = i.checked_sub(lo).unwrap_or(-1);
                if at < 0 || at >= whole.nodes.len() as i64 {
                    return fail(
                        self,
                        format!(
                            "index {i} is out of range (valid: {lo}..{})",
                            lo + whole.nodes.len() as i64 - 1
                        ),
                    );
                }
                Some(Resolved {
                    nodes: vec![whole.nodes[at as usize]],
                    side: whole.side,
                    inside: whole.inside,
                    span: e.span.clone(),
                })
            }
            ExprKind::Field { base, field } => {
                let (name, index) = match &base.kind {
                    ExprKind::Name(id) => (id, None),
                    ExprKind::Index { base: b, index } => match &b.kind {
                        ExprKind::Name(id) => (id, Some(index)),
                        _ => {
                            return fail(
                                self,
                                "expected `instance.port` or `instance[i].port`".into(),
                            )
                        }
                    },
                    _ => {
                        return fail(
                            self,
                            "expected `instance.port` or `instance[i].port`".into(),
                        )
                    }
                };
                let (lo, tables) = match locals.get(&name.name) {
                    Some(Local::Instances { lo, tables }) => (*lo, tables),
                    Some(Local::Poisoned) => return None,
                    Some(Local::Variable | Local::SharedVariable(_)) => {
                        return fail(
                            self,
                            format!(
                                "`{}` is a variable, not an instance; it has no ports",
                                name.name
                            ),
                        )
                    }
                    Some(Local::Channel(_)) => {
                        return fail(
                            self,
                            format!(
                                "`{}` is a channel, not an instance; it has no ports",
                                name.name
                            ),
                        )
                    }
                    None if ports.contains(&name.name) => {
                        return fail(
                            self,
                            format!(
                                "`{}` is a port, not an instance; it has no ports",
                                name.name
                            ),
                        )
                    }
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
                        return None;
                    }
                };
                let table = match index {
                    None if tables.len() == 1 => &tables[0],
                    None => {
                        return fail(
                            self,
                            format!(
                                "`{}` is an array of instances; say which one, e.g. `{}[0].{}`",
                                name.name, name.name, field.name
                            ),
                        )
                    }
                    Some(index) => {
                        let i = eval_const(index, params)
                            .map_err(|d| self.diags.push(d))
                            .ok()?;
                        let k = i.checked_sub(lo).and_then(|k| usize::try_from(k).ok());
                        match k.and_then(|k| tables.get(k)) {
                            Some(t) => t,
                            None => {
                                return fail(
                                    self,
                                    format!(
                                        "index {i} is out of range (valid: {lo}..{})",
                                        lo + tables.len() as i64 - 1
                                    ),
                                )
                            }
                        }
                    }
                };
                match table.get(&field.name) {
                    Some(entry) => Some(Resolved {
                        nodes: entry.nodes(),
                        side: entry.dir.map(|d| d == ChanDir::Output),
                        inside: false,
                        span: e.span.clone(),
                    }),
                    None => {
                        let hint = port_hint(&field.name, table);
                        self.diags.push(
                            Diagnostic::error(
                                e.span.clone(),
                                format!("`{}` has no port `{}`", name.name, field.name),
                            )
                            .with_hint(hint),
                        );
                        None
                    }
                }
            }
            _ => fail(
                self,
                "expected a channel, a port, or `instance.port`".into(),
            ),
        }
    }

    /// The first index of the array that `base` names (0 unless declared `[lo..hi]`).
    pub(super) fn array_lo(
        &self,
        base: &Expr,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> i64 {
        match &base.kind {
            ExprKind::Name(id) => {
                ports
                    .get(&id.name)
                    .map(|p| p.lo)
                    .or_else(|| match locals.get(&id.name) {
                        Some(Local::Channel(c) | Local::SharedVariable(c)) => Some(c.lo),
                        _ => None,
                    })
            }
            ExprKind::Field { base, field } => {
                let name = match &base.kind {
                    ExprKind::Name(id) => &id.name,
                    ExprKind::Index { base, .. } => match &base.kind {
                        ExprKind::Name(id) => &id.name,
                        _ => return 0,
                    },
                    _ => return 0,
                };
                match locals.get(name) {
                    Some(Local::Instances { tables, .. }) => tables
                        .first()
                        .and_then(|t| t.get(&field.name))
                        .map(|p| p.lo),
                    _ => None,
                }
            }
            _ => None,
        }
        .unwrap_or(0)
    }
}
