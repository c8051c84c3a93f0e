//! Process definitions as ACT has them: `defproc` and `defcell`, `template<...>` lists split
//! into strict and non-strict parameters (`template<pint A | pint B>`), forward declarations
//! (`defproc foo(bool x);`, defined later with the same signature), inheritance (`defproc bar
//! <: foo<3> (ports) { body }`). The template lists are read in [`templates`](super::templates),
//! the interfaces a process exports (`:> linear { in -> a }`) in
//! [`interfaces`](super::interfaces), overrides of the types of its ports and parts (`+{ e1of2
//! l, r; }`) in [`overrides`](super::overrides).
//!
//! Inheritance is resolved here: `bar` gets `foo`'s ports, then its own; `foo`'s body, then its
//! own; `foo`'s template parameters that `foo<3>` does not set, after its own; those it sets
//! are bound at instantiation ([`ProcessDef::bound_params`]). An override gives a port or part
//! of the parent a type that refines its own (checked as ACT checks it); for CHP, the refined
//! type is the type it refines, so a design using them simulates as its parent does.

use std::collections::HashMap;
use std::fmt::Write;

use super::redefine::{DefKind, DefName};
use super::templates::TemplateSpec;
use super::{PResult, Parser, Reported};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;
use crate::front::subst::{subst_expr, subst_type, Bindings};

/// What the parser keeps of a process definition: enough to inherit from it, to check a later
/// definition against its forward declaration, and to tell a process from a type.
#[derive(Clone)]
pub(super) struct ProcInfo {
    /// With inheritance resolved, its name qualified.
    pub def: ProcessDef,
    pub strict: usize,
    /// `<: parent<args>`: the parent's qualified name and the arguments written.
    pub parent: Option<(String, Vec<Expr>)>,
    /// Whether its body has been seen (a forward declaration has none yet).
    pub defined: bool,
    /// Its template parameters and ports as text, to compare declarations.
    pub signature: String,
}

/// An instance of a process that is not defined or declared where it is written.
pub(super) struct EarlyUse {
    /// The process as written.
    process: Ident,
    /// The qualified names it may stand for there.
    candidates: Vec<String>,
}

/// A parent `foo<3>` after `<:`, resolved.
struct ParentUse {
    name: String,
    args: Vec<Expr>,
    info: ProcInfo,
}

impl Parser<'_> {
    /// `[export] [template<...>]` then the definition it introduces: a process (`defproc`,
    /// `defcell`), a type (`deftype`, `defchan`) or an `interface`.
    pub(super) fn parse_definition(&mut self) -> PResult<Option<Item>> {
        let start = self.start();
        self.eat_export();
        let spec = if self.eat(&Tok::Template) {
            self.parse_template_spec()?
        } else {
            TemplateSpec::default()
        };
        match &self.peek().kind {
            Tok::Defproc => self.parse_process(start, spec, false),
            Tok::Unsupported(word) if word == "defcell" => self.parse_process(start, spec, true),
            Tok::Unsupported(word) if word == "deftype" || word == "defchan" => {
                self.no_non_strict(
                    &spec,
                    if word == "deftype" {
                        "types"
                    } else {
                        "channels"
                    },
                )?;
                self.parse_type_def(spec.params)?;
                Ok(None)
            }
            Tok::Unsupported(word) if word == "interface" => {
                self.no_non_strict(&spec, "interfaces")?;
                self.parse_interface(spec.params)?;
                Ok(None)
            }
            Tok::Unsupported(word) if word == "defenum" => {
                self.parse_enum_def(true)?;
                Ok(None)
            }
            Tok::Unsupported(word) => {
                self.unsupported(word);
                Ok(None)
            }
            _ => {
                Err(self
                    .error_expected("`defproc`, `defcell`, `deftype`, `defchan` or `interface`"))
            }
        }
    }

    /// `export` before a definition: the definition can be used outside its namespace (see
    /// [`exports`](super::exports)).
    pub(super) fn eat_export(&mut self) {
        if matches!(&self.peek().kind, Tok::Unsupported(w) if w == "export") {
            self.bump();
            self.export_next();
        }
    }

    /// ACT's rule: `self` and `selfack` (the value of a function, of a method) name nothing
    /// a user declares.
    pub(super) fn not_reserved(&mut self, name: &Ident) -> PResult<()> {
        if name.name != "self" && name.name != "selfack" {
            return Ok(());
        }
        Err(self.report(
            Diagnostic::error(
                name.span.clone(),
                format!("`{}` is a reserved name", name.name),
            )
            .with_label("reserved")
            .with_hint("`self` and `selfack` stand for the value of a function or method: choose another name"),
        ))
    }

    /// `defproc name [<: parent<args>] (ports) [:> ifaces] [+{ overrides }] { body }` or `...;`
    /// (a forward declaration), at the keyword. `start` is where its `template` began.
    fn parse_process(
        &mut self,
        start: usize,
        spec: TemplateSpec,
        _is_cell: bool,
    ) -> PResult<Option<Item>> {
        self.bump();
        let name = self.expect_ident("a process name")?;
        let qualified = self.qualified(&name.name);
        let def_name = DefName::new(&name.span, &name.name, &qualified);
        self.check_definition_kind(&def_name, DefKind::Process)?;
        self.defining = Some(qualified.clone());
        let mut strict = spec.strict;
        let mut template_params = spec.params;
        let (mut ports, mut body, mut bound_params) = (Vec::new(), Vec::new(), Vec::new());
        let mut exports = Vec::new();
        let mut override_checks = Vec::new();
        let parent = if self.at(&Tok::Lt) && self.peek_at(1).kind == Tok::Colon {
            self.bump();
            self.bump();
            let parent = self.parse_parent_process(strict < template_params.len())?;
            // The parameters the parent's arguments leave unset are the child's, after its own.
            let declared = &parent.info.def.template_params;
            for (i, param) in declared.iter().enumerate() {
                // ACT adds every parameter of the parent to the child, set or not: a name
                // of the child's own is a duplicate either way.
                if let Some(own) = template_params
                    .iter()
                    .find(|p| p.name.name == param.name.name)
                {
                    return Err(self.report(
                        Diagnostic::error(
                            own.name.span.clone(),
                            format!(
                                "template parameter `{}` is also one of `{}`",
                                own.name.name, parent.name
                            ),
                        )
                        .with_label("declared again"),
                    ));
                }
                match parent.args.get(i) {
                    Some(arg) => bound_params.push(ParamDecl {
                        value: Some(arg.clone()),
                        ..param.clone()
                    }),
                    None => {
                        if i < parent.info.strict && strict == template_params.len() {
                            strict += 1;
                        }
                        template_params.push(param.clone());
                    }
                }
            }
            bound_params.extend(parent.info.def.bound_params.iter().cloned());
            ports = parent.info.def.ports.clone();
            exports = parent.info.def.exports.clone();
            body = parent.info.def.body.clone();
            override_checks = parent.info.def.override_checks.clone();
            Some(parent)
        } else {
            None
        };
        // The wires of ports of refined types, connected as their types say, inside the body.
        let outer_wires = std::mem::take(&mut self.wire_connections);
        if self.at(&Tok::LParen) {
            for port in self.parse_ports()? {
                if let Some(first) = ports.iter().find(|p| p.name.name == port.name.name) {
                    return Err(self.report(
                        Diagnostic::error(
                            port.name.span.clone(),
                            format!("port `{}` is declared twice", port.name.name),
                        )
                        .with_label("again here")
                        .with_note(
                            first.name.span.clone(),
                            "first declared here (or in the parent)",
                        ),
                    ));
                }
                self.strict_in_port(&port, &template_params[strict..])?;
                ports.push(port);
            }
        }
        let port_wires = std::mem::replace(&mut self.wire_connections, outer_wires);
        body.extend(port_wires);
        if self.at(&Tok::Colon) && self.peek_at(1).kind == Tok::Gt {
            self.bump();
            self.bump();
            let names: Vec<&str> = ports.iter().map(|p| p.name.name.as_str()).collect();
            exports.extend(self.parse_exported_interfaces(&names, "process")?);
        }
        if self.at(&Tok::Plus) && self.peek_at(1).kind == Tok::LBrace {
            self.bump();
            let depth = self.bracket_depth;
            match self.parse_overrides() {
                // A wrong override is reported; the definition goes on without it.
                Ok(overrides) => self.apply_overrides(
                    overrides,
                    &bound_params,
                    &mut ports,
                    &mut body,
                    &mut override_checks,
                ),
                Err(Reported) => {
                    while self.bracket_depth > depth && !self.at(&Tok::Eof) {
                        self.bump();
                    }
                    if self.bracket_depth == depth + 1 || self.at(&Tok::RBrace) {
                        self.eat(&Tok::RBrace);
                    }
                }
            }
        }
        let signature = signature(&template_params, &ports, &parent, &self.port_flags);
        let previous = self.processes.get(&qualified).cloned();
        if let Some(previous) = &previous {
            let def_name = DefName::new(&name.span, &name.name, &qualified);
            let first = Some(previous.def.name.span.clone());
            if previous.signature != signature || self.export_differs(&qualified) {
                return Err(self.defined_differently(&def_name, DefKind::Process, first));
            }
            if previous.defined && !self.at(&Tok::Semi) {
                return Err(self.defined_again(&def_name, DefKind::Process, first));
            }
        }
        let mut def = ProcessDef {
            name,
            template_params,
            strict,
            parent: parent.as_ref().map(|p| p.name.clone()),
            bound_params,
            ports,
            exports,
            macros: Vec::new(),
            body,
            override_checks,
            file_objects: self.file_objects.clone(),
            span: 0..0,
        };
        if self.eat(&Tok::Semi) {
            def.span = self.span_from(start);
            if previous.is_none() {
                self.declare_process(qualified, def, strict, parent, false);
            }
            return Ok(None);
        }
        let outer_macros = std::mem::take(&mut self.process_macros);
        // Objects of the file scope and the ports are not the body's own; the parent's body's
        // objects are.
        let file_objects = self.object_types.clone();
        for object in self.object_types.values_mut() {
            object.non_local = true;
        }
        for port in &def.ports {
            self.note_object_type(&port.name.name, &port.ty, true);
        }
        for item in &def.body {
            match item {
                BodyItem::Var(v) => self.note_object_type(&v.name.name, &v.ty, false),
                BodyItem::Instance(i) => {
                    self.note_instance_type(&i.name.name, &i.process.name, &i.template_args)
                }
                _ => {}
            }
        }
        let own_body = self.parse_process_body(&def.name);
        self.object_types = file_objects;
        def.macros
            .extend(std::mem::replace(&mut self.process_macros, outer_macros));
        // As ACT, a process keeps the macros of its parent that it does not define again.
        let inherited = parent.iter().flat_map(|p| p.info.def.macros.iter());
        let inherited: Vec<MacroDef> = (inherited)
            .filter(|m| def.macros.iter().all(|own| own.name.name != m.name.name))
            .cloned()
            .collect();
        def.macros.extend(inherited);
        if !def.exports.is_empty() {
            let exported: Vec<InterfaceUse> = def.exports.iter().map(|x| x.iface.clone()).collect();
            self.check_interface_methods(&def.name, &exported, (&[], 0), &def.macros, false);
        }
        let own_body = own_body?;
        self.check_redeclarations(&def.ports, &def.body, &own_body);
        let variant_parent = parent.as_ref().map(|p| super::variants::VariantParent {
            name: &p.name,
            args: &p.args,
            params: &p.info.def.template_params,
        });
        let own_body = self.parse_variants(variant_parent, &def.ports, &def.body, own_body)?;
        let inherited = def.body.len();
        def.body.extend(own_body);
        self.refine_overrides(&mut def.body, &def.bound_params, inherited);
        def.span = self.span_from(start);
        self.declare_process(qualified, def.clone(), strict, parent, true);
        Ok(Some(Item::Process(def)))
    }

    /// ACT's rules on names declared again at the top of a body, checked where the definition
    /// is read (a template never instantiated too): a port is never declared again (a port
    /// array is not extended), and a name declared again must be an array extended by
    /// another range (`bool x[0..3]; bool x[4..7];`).
    pub(super) fn check_redeclarations(
        &mut self,
        ports: &[PortDecl],
        earlier: &[BodyItem],
        own: &[BodyItem],
    ) {
        let declared = |item: &BodyItem| match item {
            BodyItem::Var(v) if v.bundle.is_none() => Some((v.name.clone(), !v.dims.is_empty())),
            BodyItem::Instance(i) => Some((i.name.clone(), !i.dims.is_empty())),
            _ => None,
        };
        let mut seen: Vec<(Ident, bool)> = earlier.iter().filter_map(declared).collect();
        for (name, is_array) in own.iter().filter_map(declared) {
            if let Some(port) = ports
                .iter()
                .find(|p| p.bundle.is_none() && p.name.name == name.name)
            {
                let message = if is_array && !port.dims.is_empty() {
                    format!("array `{}`: a port array cannot be extended", name.name)
                } else {
                    format!("`{}` is a port; it cannot be declared again", name.name)
                };
                self.report(
                    Diagnostic::error(name.span.clone(), message)
                        .with_label("declared again here")
                        .with_note(port.name.span.clone(), "the port"),
                );
            } else if let Some((first, first_array)) =
                seen.iter().find(|(n, _)| n.name == name.name)
            {
                if !(is_array && *first_array) {
                    self.report(
                        Diagnostic::error(
                            name.span.clone(),
                            format!("`{}` is declared twice", name.name),
                        )
                        .with_label("declared again here")
                        .with_note(first.span.clone(), "first declared here")
                        .with_hint("only an array is declared again, to extend it by another range: `bool x[0..3]; bool x[4..7];`"),
                    );
                }
            }
            seen.push((name, is_array));
        }
    }

    fn declare_process(
        &mut self,
        qualified: String,
        def: ProcessDef,
        strict: usize,
        parent: Option<ParentUse>,
        defined: bool,
    ) {
        // A forward declaration or the definition may say `export`.
        self.note_definition(&qualified);
        let signature = signature(&def.template_params, &def.ports, &parent, &self.port_flags);
        let mut qualified_def = def;
        qualified_def.name.name = qualified.clone();
        self.note_definition(&qualified);
        self.processes.insert(
            qualified,
            ProcInfo {
                def: qualified_def,
                strict,
                parent: parent.map(|p| (p.name, p.args)),
                defined,
                signature,
            },
        );
    }

    /// ACT's rule: a port's type and array sizes use only strict template parameters (those
    /// before the `|`), not any of `non_strict`.
    fn strict_in_port(&mut self, port: &PortDecl, non_strict: &[ParamDecl]) -> PResult<()> {
        let marker = Expr {
            kind: ExprKind::Bool(true),
            span: usize::MAX..usize::MAX,
        };
        for param in non_strict {
            let bindings = Bindings::from([(param.name.name.clone(), marker.clone())]);
            let in_dims = port.dims.iter().any(|dim| match dim {
                ArrayDim::Size(n) => subst_expr(n, &bindings) != *n,
                ArrayDim::Range(lo, hi) => {
                    subst_expr(lo, &bindings) != *lo || subst_expr(hi, &bindings) != *hi
                }
            });
            if in_dims || subst_type(&port.ty, &bindings) != port.ty {
                return Err(self.report(
                    Diagnostic::error(
                        port.name.span.clone(),
                        format!(
                            "port `{}` uses the non-strict template parameter `{}`",
                            port.name.name, param.name.name
                        ),
                    )
                    .with_label("in its type or size")
                    .with_note(param.name.span.clone(), "non-strict (after the `|`)")
                    .with_hint("ports may use only the parameters before the `|`"),
                ));
            }
        }
        Ok(())
    }

    /// Notes an instance of `process` (as written) where no process of that name is defined
    /// or declared yet, unless it is the one being defined.
    pub(super) fn note_process_use(&mut self, process: &Ident) {
        if self.lookup_process(&process.name).is_some() {
            return;
        }
        let candidates = scoped_names(&self.qualified(""), &process.name, &self.open);
        if candidates.iter().any(|c| self.defining.as_ref() == Some(c)) {
            return;
        }
        self.early_uses.push(EarlyUse {
            process: process.clone(),
            candidates,
        });
    }

    /// ACT finds the type of an instance when it reads it: a process defined only further on
    /// (and not declared before, `defproc foo(...);`) is not found ("Could not find specified
    /// type"). A name no process has is left to the check of instance types.
    pub(super) fn processes_used_early(&self) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        for used in &self.early_uses {
            let Some(info) = (used.candidates.iter()).find_map(|c| self.processes.get(c)) else {
                continue;
            };
            let name = &used.process.name;
            diags.push(
                Diagnostic::error(
                    used.process.span.clone(),
                    format!("process `{name}` is used before it is defined"),
                )
                .with_label("not defined or declared yet")
                .with_note(info.def.name.span.clone(), "defined here, further on")
                .with_hint(format!(
                    "define `{name}` before its first use, or declare it there: `defproc {name}(...);`"
                )),
            );
        }
        diags
    }

    /// The processes declared (`defproc foo(...);`) and never defined: empty processes, as ACT
    /// has them.
    pub(super) fn declared_only(&self) -> Vec<Item> {
        let mut declared: Vec<&ProcInfo> = self.processes.values().filter(|p| !p.defined).collect();
        declared.sort_by_key(|p| p.def.name.span.start);
        declared
            .into_iter()
            .map(|p| Item::Process(p.def.clone()))
            .collect()
    }

    /// `{ body }` of a process named `name` (at the `{`).
    fn parse_process_body(&mut self, name: &Ident) -> PResult<Vec<BodyItem>> {
        let open = self.expect(&Tok::LBrace)?;
        let errors_before = self.diags.len();
        let body = self.parse_body_until_brace();
        // At the end of the file, an error inside the body has already said what is open.
        let quiet_end = self.at(&Tok::Eof) && self.diags.len() == errors_before;
        if self.at_process_start() || quiet_end {
            self.unclosed_body(open, name);
        } else {
            self.expect(&Tok::RBrace)?;
        }
        Ok(body)
    }

    /// The process a process name written here stands for (its qualified name).
    pub(super) fn lookup_process(&self, name: &str) -> Option<(String, &ProcInfo)> {
        scoped_names(&self.qualified(""), name, &self.open)
            .into_iter()
            .find_map(|candidate| {
                let info = self.processes.get(&candidate)?;
                Some((candidate, info))
            })
    }

    /// `foo<3>` after `<:` in a process definition whose own template has non-strict
    /// parameters when `non_strict`.
    fn parse_parent_process(&mut self, non_strict: bool) -> PResult<ParentUse> {
        let written = self.expect_ident("the parent process")?;
        let Some((name, info)) = self.lookup_process(&written.name) else {
            let known_type = self.lookup_type(&written.name).is_some();
            let message = if known_type {
                format!(
                    "the parent of a process must be a process; `{}` is a type",
                    written.name
                )
            } else {
                format!("unknown process `{}`", written.name)
            };
            return Err(self.report(
                Diagnostic::error(written.span.clone(), message)
                    .with_label("not a process defined before"),
            ));
        };
        let info = info.clone();
        self.check_exported(&written);
        let args = if self.at(&Tok::Lt) {
            self.parse_template_args()?
        } else {
            Vec::new()
        };
        if self.at(&Tok::Question) || self.at(&Tok::Bang) {
            let span = self.peek().span.clone();
            return Err(self.report(
                Diagnostic::error(span, "direction flags are not permitted on a parent type")
                    .with_label("a direction"),
            ));
        }
        if args.len() > info.def.template_params.len() {
            return Err(self.report(
                Diagnostic::error(
                    written.span.start..self.prev_end(),
                    format!(
                        "`{}` takes {} template argument(s), but {} were given",
                        written.name,
                        info.def.template_params.len(),
                        args.len()
                    ),
                )
                .with_note(info.def.name.span.clone(), "defined here"),
            ));
        }
        if info.strict > 0 && non_strict {
            return Err(self.report(
                Diagnostic::error(
                    written.span.clone(),
                    "illegal mixing of strict and non-strict parameters in `<:`",
                )
                .with_label("this parent has strict parameters")
                .with_hint("the process has non-strict template parameters (after `|`); its parent's must be non-strict too"),
            ));
        }
        Ok(ParentUse { name, args, info })
    }
}

/// A process's template parameters, parent and ports as text: two declarations of a process
/// must agree on it.
fn signature(
    params: &[ParamDecl],
    ports: &[PortDecl],
    parent: &Option<ParentUse>,
    flags: &HashMap<usize, &'static str>,
) -> String {
    let mut text = String::new();
    for p in params {
        let _ = write!(text, "{} {}", p.kind.keyword(), p.name.name);
        write_dims(&mut text, &p.dims);
        if let Some(default) = &p.value {
            let _ = write!(text, "={default}");
        }
        text.push(';');
    }
    if let Some(parent) = parent {
        let _ = write!(text, "<:{}", parent.name);
        let _ = crate::front::print::write_named(&mut text, "", &parent.args);
    }
    for port in ports {
        let dir = match &port.ty.kind {
            TypeKind::Chan {
                dir: Some(ChanDir::Input),
                ..
            } => "?",
            TypeKind::Chan {
                dir: Some(ChanDir::Output),
                ..
            } => "!",
            _ => flags.get(&port.name.span.start).copied().unwrap_or(""),
        };
        let _ = write!(text, "({}{dir} {}", port.ty, port.name.name);
        write_dims(&mut text, &port.dims);
        text.push(')');
    }
    text
}

/// The signature of a function (see [`redefine`](super::redefine)): its template
/// parameters and arguments as a process's, without its result type.
pub(super) fn function_signature(
    def: &FunctionDef,
    flags: &HashMap<usize, &'static str>,
) -> String {
    let mut text = signature(&def.template_params, &def.args, &None, flags);
    for p in &def.param_args {
        let _ = write!(text, "({} {}", p.kind.keyword(), p.name.name);
        write_dims(&mut text, &p.dims);
        text.push(')');
    }
    text
}

/// The signature of an interface: its template parameters and ports as a process's.
pub(super) fn interface_signature(
    params: &[ParamDecl],
    ports: &[PortDecl],
    flags: &HashMap<usize, &'static str>,
) -> String {
    signature(params, ports, &None, flags)
}

/// `[4][0..3]`: array dimensions as written, for a signature.
fn write_dims(text: &mut String, dims: &[ArrayDim]) {
    for dim in dims {
        let _ = match dim {
            ArrayDim::Size(n) => write!(text, "[{n}]"),
            ArrayDim::Range(lo, hi) => write!(text, "[{lo}..{hi}]"),
        };
    }
}
