//! `ptype(iface)` parameters: a process type given as a template argument (`@bitinv`,
//! `@bar<4>`) or set in a body (`q = p;`), checked to export the interface, and instantiated
//! inside (`p x[N];`). An instance of a `ptype` shows the interface's ports, each standing for
//! the port of the process that the process's `:> iface { a -> b }` maps it to.

use std::rc::Rc;

use super::{Elaborator, PortTable};
use crate::diag::Diagnostic;
use crate::elab::consts::{eval_template_arg, ArgValue, Params, Ptype};
use crate::elab::layout::PortLayout;
use crate::front::ast::{
    scoped_names, Expr, ExprKind, InstanceDecl, InterfaceUse, ParamDecl, ParamKind, ProcessDef,
    RecordType, Span, Type, TypeKind, UnaryOp, VarDecl,
};

/// What a port name of a process that the interface does not show becomes: no name written in
/// a design can reach it.
const HIDDEN_PORT: &str = "<not in the interface>";

impl<'a> Elaborator<'a> {
    /// The value of template argument `e` for the parameter `param`, a process type for a
    /// `ptype` parameter (checked to export its interface where it is bound, see
    /// [`Elaborator::bind_ptype`]).
    pub(super) fn template_arg(
        &mut self,
        e: &Expr,
        param: Option<&ParamDecl>,
        params: &Params,
    ) -> Result<ArgValue, Diagnostic> {
        match param {
            Some(p) if p.kind == ParamKind::Ptype => self.process_type(e, params),
            Some(p) if p.kind == ParamKind::Pstruct => {
                let def = p
                    .pstruct
                    .as_ref()
                    .expect("the parser gives a structure its type");
                super::pstructs::struct_arg(def, e, params)
            }
            _ if matches!(e.kind, ExprKind::ProcessType { .. }) => Err(Diagnostic::error(
                e.span.clone(),
                "a process type is passed only to a `ptype` parameter",
            )
            .with_label("a process type")),
            _ => eval_template_arg(e, param, params),
        }
    }

    /// The process type `e` stands for: `@name<args>`, or a `ptype` parameter that is set.
    fn process_type(&mut self, e: &Expr, params: &Params) -> Result<ArgValue, Diagnostic> {
        match &e.kind {
            ExprKind::ProcessType {
                args,
                record: Some(def),
                ..
            } => {
                let values = (args.iter().enumerate())
                    .map(|(i, a)| self.template_arg(a, def.template_params.get(i), params))
                    .collect::<Result<_, _>>()?;
                let name = def.name.name.clone();
                self.record_types.insert(name.clone(), def.clone());
                Ok(ArgValue::Record(name, values))
            }
            ExprKind::ProcessType { process, args, .. } => {
                let scope = self.stack.last().map_or("", |(name, _)| name.as_str());
                let found = scoped_names(scope, &process.name, self.opened)
                    .into_iter()
                    .find_map(|name| self.defs.get(name.as_str()).copied());
                let Some(def) = found else {
                    return Err(Diagnostic::error(
                        process.span.clone(),
                        format!("unknown process `{}`", process.name),
                    )
                    .with_label("no `defproc` of this name"));
                };
                let values = (args.iter().enumerate())
                    .map(|(i, a)| self.template_arg(a, def.template_params.get(i), params))
                    .collect::<Result<_, _>>()?;
                Ok(ArgValue::Process(def.name.name.clone(), values))
            }
            ExprKind::Name(id) => match params.ptype(&id.name) {
                Some(Ptype {
                    value: Some(value), ..
                }) => Ok(value.clone()),
                Some(_) => Err(Diagnostic::error(
                    e.span.clone(),
                    format!("ptype `{}` is not set", id.name),
                )
                .with_label("no process type yet")),
                None => Err(not_a_process_type(e)),
            },
            _ => Err(not_a_process_type(e)),
        }
    }

    /// The interface of a `ptype(iface<args>)` with its arguments' values.
    fn interface_value(
        &mut self,
        iface: Option<&InterfaceUse>,
        params: &Params,
    ) -> Result<(String, Vec<ArgValue>), Diagnostic> {
        let iface = iface.expect("the parser gives a ptype its interface");
        let args = (iface.args.iter())
            .map(|a| eval_template_arg(a, None, params))
            .collect::<Result<_, _>>()?;
        Ok((iface.name.clone(), args))
    }

    /// ACT's check of a process type given to a `ptype(iface)`: the process exports the
    /// interface, with the same arguments when the `ptype` gives some.
    fn check_exports(
        &mut self,
        value: &ArgValue,
        (iface, args): &(String, Vec<ArgValue>),
        span: &Span,
    ) -> Result<(), Diagnostic> {
        let (name, process_args) = match value {
            ArgValue::Process(name, args) => (name, args),
            ArgValue::Record(name, _) => {
                let def = &self.record_types[name];
                if def.exports.contains(iface) {
                    return Ok(());
                }
                return Err(Diagnostic::error(
                    span.clone(),
                    format!("data type `{name}` does not export interface `{iface}`"),
                )
                .with_label("given to a `ptype` parameter")
                .with_note(def.name.span.clone(), "defined here")
                .with_hint(
                    "a data type exports an interface with `deftype t (...) :> iface { } { ... }`",
                ));
            }
            _ => return Err(Diagnostic::error(span.clone(), "expected a process type")),
        };
        let def = self.defs[name.as_str()];
        let not_exported = |detail: String| {
            Diagnostic::error(
                span.clone(),
                format!("process `{name}` does not export interface `{iface}`{detail}"),
            )
            .with_label("given to a `ptype` parameter")
            .with_note(def.name.span.clone(), "defined here")
            .with_hint("a process exports an interface with `:> iface { port -> port }`")
        };
        let Some(export) = def.exports.iter().find(|x| &x.iface.name == iface) else {
            return Err(not_exported(String::new()));
        };
        if args.is_empty() {
            return Ok(());
        }
        let Some(own) = self.bind_template(def, process_args, span) else {
            return Err(not_exported(String::new()));
        };
        let exported = (export.iface.args.iter())
            .map(|a| eval_template_arg(a, None, &own))
            .collect::<Result<Vec<_>, _>>()?;
        if &exported != args {
            let shown = |args: &[ArgValue]| {
                args.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            };
            return Err(not_exported(format!(
                "<{}> (it exports `{iface}<{}>`)",
                shown(args),
                shown(&exported)
            )));
        }
        Ok(())
    }

    /// `ptype(iface) q;` in a body (set later by `q = p;`). An array of them is declared but
    /// not supported further (nothing can set its elements).
    pub(super) fn declare_ptype(&mut self, p: &ParamDecl, params: &mut Params) {
        params.set_kind(&p.name.name, ParamKind::Ptype);
        if !p.dims.is_empty() {
            return;
        }
        let iface = match self.interface_value(p.iface.as_deref(), params) {
            Ok(iface) => iface,
            Err(d) => {
                self.diags.push(d);
                params.mark_failed(&p.name.name);
                return;
            }
        };
        params.declare_ptype(&p.name.name, Ptype { iface, value: None });
    }

    /// Binds a `ptype` template parameter to its argument (`None`: left unset), after ACT's
    /// check that the process exports the interface (whose arguments may use the template
    /// parameters before it). `false` when that fails (reported at `span`, the instance).
    pub(super) fn bind_ptype(
        &mut self,
        p: &ParamDecl,
        value: Option<ArgValue>,
        span: &Span,
        params: &mut Params,
    ) -> bool {
        self.declare_ptype(p, params);
        let (Some(value), Some(ptype)) = (value, params.ptype(&p.name.name)) else {
            return true;
        };
        let iface = ptype.iface.clone();
        if let Err(d) = self.check_exports(&value, &iface, span) {
            self.diags.push(d);
            return false;
        }
        params.declare_ptype(
            &p.name.name,
            Ptype {
                iface,
                value: Some(value),
            },
        );
        true
    }

    /// `q = p;` or `q = @foo;` for a `ptype` parameter `q` of the body: set once.
    pub(super) fn assign_ptype(
        &mut self,
        name: &str,
        rhs: &Expr,
        span: &Span,
        params: &mut Params,
    ) {
        let Some(ptype) = params.ptype(name).cloned() else {
            return;
        };
        if ptype.value.is_some() {
            self.diags.push(
                Diagnostic::error(span.clone(), format!("ptype `{name}` is already set"))
                    .with_label("set again here"),
            );
            return;
        }
        let value = self.process_type(rhs, params).and_then(|value| {
            self.check_exports(&value, &ptype.iface, &rhs.span)
                .map(|_| value)
        });
        match value {
            Ok(value) => params.declare_ptype(
                name,
                Ptype {
                    iface: ptype.iface,
                    value: Some(value),
                },
            ),
            Err(d) => {
                self.diags.push(d);
                params.mark_failed(name);
            }
        }
    }

    /// For an instance declared with a `ptype` parameter as its type (`p x[N];`): the
    /// definition and arguments of the process type it holds, and the interface's port map.
    /// `None` when the name is no `ptype`; `Some(None)` when it is one in error (reported).
    #[allow(clippy::type_complexity)]
    pub(super) fn ptype_instance(
        &mut self,
        decl: &InstanceDecl,
        params: &Params,
    ) -> Option<Option<(&'a ProcessDef, Vec<ArgValue>, Vec<(String, String)>)>> {
        let ptype = params.ptype(&decl.process.name)?;
        let Some(ArgValue::Process(name, args)) = &ptype.value else {
            if !params.has_failed(&decl.process.name) {
                self.diags.push(
                    Diagnostic::error(
                        decl.process.span.clone(),
                        format!(
                            "ptype `{}` used to instantiate `{}` is not set",
                            decl.process.name, decl.name.name
                        ),
                    )
                    .with_label("no process type given")
                    .with_hint("give the template parameter a process type: `foo<@bar> x;`"),
                );
            }
            return Some(None);
        };
        if let Some(arg) = decl.template_args.first() {
            self.diags.push(
                Diagnostic::error(
                    arg.span.clone(),
                    "an instance of a `ptype` takes no template arguments",
                )
                .with_label("the process type has its arguments"),
            );
            return Some(None);
        }
        let def = self.defs[name.as_str()];
        let map = (def.exports.iter())
            .find(|x| x.iface.name == ptype.iface.0)
            .map(|x| x.ports.clone())
            .unwrap_or_default();
        Some(Some((def, args.clone(), map)))
    }
}

impl Elaborator<'_> {
    /// For `x a;` where `x` is a `ptype` holding a data type (`@myint`): the declaration of
    /// `a` as a variable of that type. `None` for anything else.
    pub(super) fn ptype_variable(
        &mut self,
        decl: &InstanceDecl,
        params: &Params,
    ) -> Option<VarDecl> {
        let Some(ArgValue::Record(name, args)) = &params.ptype(&decl.process.name)?.value else {
            return None;
        };
        let span = decl.process.span.clone();
        if decl.port_args.is_some() || !decl.template_args.is_empty() {
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "`{}` holds the data type `{name}`: `{}` is a variable, with no template \
                         arguments or port list",
                        decl.process.name, decl.name.name
                    ),
                )
                .with_label("a data type"),
            );
        }
        let literal = |value: &ArgValue| {
            let ArgValue::Int(v) = value else {
                return None;
            };
            let int = Expr {
                kind: ExprKind::Int(v.unsigned_abs().into()),
                span: span.clone(),
            };
            Some(match *v < 0 {
                true => Expr {
                    kind: ExprKind::Unary {
                        op: UnaryOp::Neg,
                        operand: Box::new(int),
                    },
                    span: span.clone(),
                },
                false => int,
            })
        };
        let record = RecordType {
            def: self.record_types[name].clone(),
            args: args.iter().map(literal).collect::<Option<_>>()?,
        };
        Some(VarDecl {
            ty: Type::new(TypeKind::Record(record), span),
            name: decl.name.clone(),
            dims: decl.dims.clone(),
            span: decl.span.clone(),
            bundle: None,
            wire_dir: None,
            overridden: None,
        })
    }
}

/// The ports of an instance of a `ptype`: the interface's names for the ports it maps, the
/// others unreachable.
pub(super) fn interface_view(table: PortTable, map: &[(String, String)]) -> PortTable {
    let layout = &table.layout;
    let rename = |name: &str| -> String {
        for (theirs, ours) in map {
            if name == ours {
                return theirs.clone();
            }
            if let Some(member) = name
                .strip_prefix(ours.as_str())
                .filter(|m| m.starts_with('.'))
            {
                return format!("{theirs}{member}");
            }
        }
        format!("{HIDDEN_PORT}{name}")
    };
    let mut view = PortLayout {
        process: layout.process.clone(),
        ports: layout.ports.clone(),
        failed: layout.failed.iter().map(|n| rename(n)).collect(),
        bundles: layout.bundles.clone(),
        formals: map.iter().map(|(theirs, _)| theirs.clone()).collect(),
    };
    for port in &mut view.ports {
        port.name = rename(&port.name);
    }
    for bundle in &mut view.bundles {
        bundle.name = rename(&bundle.name);
    }
    PortTable {
        layout: Rc::new(view),
        base: table.base,
    }
}

fn not_a_process_type(e: &Expr) -> Diagnostic {
    Diagnostic::error(
        e.span.clone(),
        "expected a process type: `@name` or a `ptype` parameter",
    )
    .with_label("not a process type")
}
