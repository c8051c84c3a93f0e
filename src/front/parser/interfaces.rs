//! `interface` definitions, the interfaces a process exports (`:> linear { in -> a }`) and
//! `ptype(iface)` parameters naming one.

use std::collections::HashMap;
use std::sync::Arc;

use super::redefine::{DefKind, DefName};
use super::{PResult, Parser, UserType};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;
use crate::front::print::int_keyword;
use crate::front::subst::{subst_dims, subst_type, Bindings};

impl Parser<'_> {
    /// `linear<4> { in -> a, out -> y }, other { ... }` after `:>`: each name on the left a
    /// port of the interface, each on the right one of `ports`, the ports of the process (or
    /// the fields of the data type, `owner` says which) exporting it.
    pub(super) fn parse_exported_interfaces(
        &mut self,
        ports: &[&str],
        owner: &str,
    ) -> PResult<Vec<ExportedInterface>> {
        let mut exported = Vec::new();
        loop {
            let start = self.start();
            let written = self.expect_ident("an interface name")?;
            let (qualified, iface_ports) = match self.lookup_interface(&written.name) {
                Some(found) => found,
                None => {
                    return Err(self.report(
                        Diagnostic::error(
                            written.span.clone(),
                            format!("unknown interface `{}`", written.name),
                        )
                        .with_label("no `interface` of this name defined before"),
                    ))
                }
            };
            let args = if self.at(&Tok::Lt) {
                self.parse_template_args()?
            } else {
                Vec::new()
            };
            let iface = InterfaceUse {
                name: qualified,
                args,
                span: self.span_from(start),
            };
            let mut map = Vec::new();
            self.expect(&Tok::LBrace)?;
            if !self.at(&Tok::RBrace) {
                loop {
                    let theirs = self.expect_ident("a port of the interface")?;
                    self.expect(&Tok::Arrow)?;
                    let ours = self.expect_ident("a port of the process")?;
                    if !iface_ports.iter().any(|p| p == &theirs.name) {
                        self.report(
                            Diagnostic::error(
                                theirs.span.clone(),
                                format!(
                                    "`{}` is not a port of interface `{}`",
                                    theirs.name, written.name
                                ),
                            )
                            .with_label("not in the interface"),
                        );
                    }
                    if !ports.contains(&ours.name.as_str()) {
                        self.report(
                            Diagnostic::error(
                                ours.span.clone(),
                                format!("`{}` is not a port of the {owner}", ours.name),
                            )
                            .with_label("no such port"),
                        );
                    }
                    map.push((theirs.name, ours.name));
                    if !self.eat(&Tok::Comma) {
                        break;
                    }
                }
            }
            self.expect(&Tok::RBrace)?;
            // In the interface's order; a port of the interface left out is not visible.
            let ports = (iface_ports.iter())
                .filter_map(|theirs| map.iter().find(|(t, _)| t == theirs).cloned())
                .collect();
            let methods = self.exported_methods(&iface);
            exported.push(ExportedInterface {
                iface,
                ports,
                methods,
            });
            if !self.eat(&Tok::Comma) {
                return Ok(exported);
            }
        }
    }

    /// `[template<...>] interface name (ports) ;` or with a body `{ methods { macro m(...); } }`
    /// (at the keyword): the names of its ports are what `:> name { a -> b }` checks.
    pub(super) fn parse_interface(&mut self, params: Vec<ParamDecl>) -> PResult<()> {
        self.bump();
        let name = self.expect_ident("an interface name")?;
        let qualified = self.qualified(&name.name);
        let ports = self.parse_ports()?;
        let methods = if self.at(&Tok::LBrace) {
            self.parse_interface_body(&qualified, &name)?
        } else {
            self.expect(&Tok::Semi)?;
            Vec::new()
        };
        let def_name = DefName::new(&name.span, &name.name, &qualified);
        self.check_definition_kind(&def_name, DefKind::Interface)?;
        let signature = super::defs::interface_signature(&params, &ports, &self.port_flags);
        if let Some(mut previous) = self.interfaces.remove(&qualified) {
            // ACT keeps the first definition when the signatures agree, and adds the methods
            // of this one's body to it.
            let first = Some(previous.span.clone());
            let same = previous.signature == signature && !self.export_differs(&qualified);
            self.note_definition(&qualified);
            let added = match same {
                true => self.add_methods(&mut previous.methods, methods),
                false => Err(self.defined_differently(&def_name, DefKind::Interface, first)),
            };
            self.interfaces.insert(qualified, previous);
            return added;
        }
        let mut unique = Vec::new();
        self.add_methods(&mut unique, methods)?;
        let ports = ports.into_iter().map(|p| p.name.name).collect();
        self.note_definition(&qualified);
        let def = InterfaceDef {
            params,
            ports,
            methods: unique,
            signature,
            span: name.span,
        };
        self.interfaces.insert(qualified, def);
        Ok(())
    }

    /// Adds `added` to an interface's `methods`: ACT's "duplicate macro name" for a name
    /// given twice.
    fn add_methods(&mut self, methods: &mut Vec<MethodSig>, added: Vec<MethodSig>) -> PResult<()> {
        for method in added {
            if let Some(first) = methods.iter().find(|m| m.name.name == method.name.name) {
                let first = first.name.span.clone();
                return Err(self.report(
                    Diagnostic::error(
                        method.name.span.clone(),
                        format!("duplicate macro name `{}`", method.name.name),
                    )
                    .with_label("again here")
                    .with_note(first, "first declared here"),
                ));
            }
            methods.push(method);
        }
        Ok(())
    }

    /// `{ methods { function f (int x) : int; macro m (bool b); } }` of an interface (at the
    /// brace): the methods a type exporting it must have. A method's types may name the
    /// interface itself (`function next () : iface;`): there it stands for the type.
    fn parse_interface_body(&mut self, qualified: &str, name: &Ident) -> PResult<Vec<MethodSig>> {
        let depth = self.bracket_depth;
        self.expect(&Tok::LBrace)?;
        // While its body is read, the interface is known as a type (a record of no fields).
        let itself = RecordDef {
            name: Ident {
                name: qualified.to_string(),
                span: name.span.clone(),
            },
            template_params: Vec::new(),
            fields: Vec::new(),
            parent: None,
            methods: Vec::new(),
            macros: Vec::new(),
            exports: Vec::new(),
            override_checks: Vec::new(),
            span: name.span.clone(),
        };
        let hidden = (self.types).insert(qualified.to_string(), UserType::Record(Arc::new(itself)));
        let methods = self.interface_methods(depth);
        self.types.remove(qualified);
        if let Some(hidden) = hidden {
            self.types.insert(qualified.to_string(), hidden);
        }
        methods
    }

    /// The method declarations of an interface's body, up to its closing brace.
    fn interface_methods(&mut self, depth: usize) -> PResult<Vec<MethodSig>> {
        let mut methods = Vec::new();
        while self.bracket_depth > depth && !self.at(&Tok::Eof) {
            let keyword = match &self.peek().kind {
                Tok::Unsupported(w) if w == "function" || w == "macro" => w.clone(),
                Tok::Unsupported(w) if w == "methods" && self.peek_at(1).kind == Tok::LBrace => {
                    self.bump();
                    self.bump();
                    continue;
                }
                _ => {
                    self.bump();
                    continue;
                }
            };
            self.bump();
            let name = self.expect_ident("a method name")?;
            let args = (self.parse_ports()?.into_iter())
                .map(|p| (p.ty, p.dims))
                .collect();
            let result = if keyword == "function" {
                self.expect(&Tok::Colon)?;
                Some(self.parse_type()?)
            } else {
                None
            };
            self.expect(&Tok::Semi)?;
            methods.push(MethodSig { name, args, result });
        }
        Ok(methods)
    }

    /// The methods interface `export` requires, its arguments in place of its parameters.
    fn exported_methods(&self, export: &InterfaceUse) -> Vec<MethodSig> {
        let Some(def) = self.interfaces.get(&export.name) else {
            return Vec::new();
        };
        let bindings: Bindings = (def.params.iter().enumerate())
            .filter_map(|(k, p)| {
                let value = export.args.get(k).or(p.value.as_ref())?;
                Some((p.name.name.clone(), value.clone()))
            })
            .collect();
        let dims = |dims: &[ArrayDim]| subst_dims(dims, &bindings);
        (def.methods.iter())
            .map(|m| MethodSig {
                name: m.name.clone(),
                args: (m.args.iter())
                    .map(|(ty, d)| (subst_type(ty, &bindings), dims(d)))
                    .collect(),
                result: m.result.as_ref().map(|ty| subst_type(ty, &bindings)),
            })
            .collect()
    }

    /// ACT's check of a type exporting interfaces `exports`: it has each of their methods, a
    /// function where the interface has one, with arguments and result of the same types
    /// (the interface's name standing for the type `name`). Its methods are `functions`
    /// (their own arguments after the first `fields`) and `macros`. An interface's method
    /// types are compared with the export's arguments in place of the interface's
    /// parameters. `expanded` compares them as ACT does in an expanded type (a width or an
    /// array size of constants by its value: `int<N>` of `iface<8>` is `int<8>`), for a data
    /// type; otherwise (for a process, whose instances compare them expanded, see
    /// `Elaborator::check_method_types`) as ACT does in a definition: the types without their
    /// widths, and whether each is an array of how many dimensions.
    pub(super) fn check_interface_methods(
        &mut self,
        name: &Ident,
        exports: &[InterfaceUse],
        (functions, fields): (&[&FunctionDef], usize),
        macros: &[MacroDef],
        expanded: bool,
    ) {
        let mut reports = Vec::new();
        for export in exports {
            let iface = &export.name;
            if !self.interfaces.contains_key(iface) {
                continue;
            }
            let (theirs_text, ours_text) = (
                |(ty, dims): (&Type, &[ArrayDim])| {
                    method_type_text((ty, dims), iface, &name.name, expanded)
                },
                |(ty, dims): (&Type, &[ArrayDim])| {
                    method_type_text((ty, dims), "", &name.name, expanded)
                },
            );
            for method in &self.exported_methods(export) {
                let m = &method.name.name;
                let own = (functions.iter())
                    .find(|f| f.name.name.rsplit('.').next() == Some(m.as_str()))
                    .map(|f| (&f.args[fields.min(f.args.len())..], Some(&f.result)))
                    .or_else(|| {
                        let found = macros.iter().find(|x| &x.name.name == m)?;
                        Some((&found.args[..], None))
                    });
                let problem = match own {
                    None => Some(format!("method `{m}` of interface `{iface}` is missing")),
                    Some((args, _)) if args.len() != method.args.len() => Some(format!(
                        "method `{m}`, interface `{iface}`: mismatch in argument count ({} vs {})",
                        method.args.len(),
                        args.len()
                    )),
                    Some((args, result)) => {
                        let arg = (method.args.iter().zip(args)).position(|((ty, dims), ours)| {
                            theirs_text((ty, dims)) != ours_text((&ours.ty, &ours.dims))
                        });
                        match (arg, &method.result, result) {
                            (Some(j), _, _) => Some(format!(
                                "method `{m}`, interface `{iface}`: argument #{j} type mismatch"
                            )),
                            (None, Some(_), None) | (None, None, Some(_)) => Some(format!(
                                "method `{m}`, interface `{iface}`: macro/function inconsistency"
                            )),
                            (None, Some(t), Some(ours))
                                if theirs_text((t, &[])) != ours_text((ours, &[])) =>
                            {
                                Some(format!(
                                    "method `{m}`, interface `{iface}`: return type mismatch"
                                ))
                            }
                            _ => None,
                        }
                    }
                };
                if let Some(problem) = problem {
                    reports.push(
                        Diagnostic::error(
                            name.span.clone(),
                            format!("inconsistent or missing method: {problem}"),
                        )
                        .with_label("exports the interface")
                        .with_note(method.name.span.clone(), "declared by the interface here"),
                    );
                }
            }
        }
        for d in reports {
            self.report(d);
        }
    }

    /// The qualified name and port names of the interface a name written here stands for.
    pub(super) fn lookup_interface(&self, name: &str) -> Option<(String, Vec<String>)> {
        scoped_names(&self.qualified(""), name, &self.open)
            .into_iter()
            .find_map(|candidate| {
                let ports = self.interfaces.get(&candidate)?.ports.clone();
                Some((candidate, ports))
            })
    }

    /// `(iface<args>)` after `ptype`: the interface must be one.
    pub(super) fn parse_ptype_interface(&mut self) -> PResult<InterfaceUse> {
        self.expect(&Tok::LParen)?;
        let start = self.start();
        let written = self.expect_ident("an interface name")?;
        let args = if self.at(&Tok::Lt) {
            self.parse_template_args()?
        } else {
            Vec::new()
        };
        let span = self.span_from(start);
        self.expect(&Tok::RParen)?;
        let Some((name, _)) = self.lookup_interface(&written.name) else {
            return Err(self.report(
                Diagnostic::error(
                    written.span.clone(),
                    format!("`{}` is not an interface", written.name),
                )
                .with_label("a ptype names an interface")
                .with_hint("declare it with `interface name (ports);`"),
            ));
        };
        Ok(InterfaceUse { name, args, span })
    }
}

/// A method's argument or result type, with its array dimensions, as compared with the
/// interface's: the interface `iface` itself stands for the type `own`. `expanded`: `int` is
/// `int<32>`, a width or an array size of constants is its value; otherwise (as ACT compares
/// a definition's) a type's template arguments and widths are left out, and the dimensions
/// are only counted.
fn method_type_text(
    (ty, dims): (&Type, &[ArrayDim]),
    iface: &str,
    own: &str,
    expanded: bool,
) -> String {
    let written = match &ty.kind {
        TypeKind::Int { signed, .. } if ty.named.is_none() && !expanded => {
            int_keyword(*signed).to_string()
        }
        TypeKind::Int { width, signed } if ty.named.is_none() => {
            let width = width.as_deref();
            match width.map_or(Some(32), constant_value) {
                Some(w) => format!("{}<{w}>", int_keyword(*signed)),
                None => ty.to_string(),
            }
        }
        _ => match ty.to_string() {
            written
                if !iface.is_empty() && without_arguments(&written) == without_arguments(iface) =>
            {
                own.to_string()
            }
            written if expanded => written,
            written => without_arguments(&written),
        },
    };
    let dims = dims.iter().map(|d| match (d, expanded) {
        (_, false) => "[]".to_string(),
        (ArrayDim::Size(n), true) => {
            format!(
                "[{}]",
                constant_value(n).map_or(n.to_string(), |n| n.to_string())
            )
        }
        (ArrayDim::Range(lo, hi), true) => match (constant_value(lo), constant_value(hi)) {
            (Some(lo), Some(hi)) => format!("[{}]", hi - lo + 1),
            _ => format!("[{lo}..{hi}]"),
        },
    });
    written + &dims.collect::<String>()
}

/// A type's name without its template arguments: `chan(int)` for `chan(int<4>)`.
fn without_arguments(written: &str) -> String {
    let mut depth = 0;
    (written.chars())
        .filter(|&c| {
            match c {
                '<' => depth += 1,
                '>' => depth -= 1,
                _ => return depth == 0,
            }
            false
        })
        .collect()
}

/// The value of an expression of integer constants (`8`, `2*4+1`), if it is one.
fn constant_value(e: &Expr) -> Option<i128> {
    match &e.kind {
        ExprKind::Int(v) => i128::try_from(v.clone()).ok(),
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => constant_value(operand)?.checked_neg(),
        ExprKind::Binary { op, lhs, rhs } => {
            let (a, b) = (constant_value(lhs)?, constant_value(rhs)?);
            match op {
                BinaryOp::Add => a.checked_add(b),
                BinaryOp::Sub => a.checked_sub(b),
                BinaryOp::Mul => a.checked_mul(b),
                BinaryOp::Div => a.checked_div(b),
                BinaryOp::Mod => a.checked_rem(b),
                BinaryOp::Shl => a.checked_shl(u32::try_from(b).ok()?),
                BinaryOp::Shr => a.checked_shr(u32::try_from(b).ok()?),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The interfaces defined so far, by qualified name.
pub(super) type Interfaces = HashMap<String, InterfaceDef>;

/// An interface: its template parameters, its port names, and the methods a type exporting it
/// must have.
pub(super) struct InterfaceDef {
    params: Vec<ParamDecl>,
    ports: Vec<String>,
    methods: Vec<MethodSig>,
    /// Its template parameters and ports as text: a second definition must agree on it.
    signature: String,
    /// Where its name is first written.
    span: Span,
}
