//! Process definitions as ACT has them: `defproc` and `defcell`, `template<...>` lists split
//! into strict and non-strict parameters (`template<pint A | pint B>`), forward declarations
//! (`defproc foo(bool x);`, defined later with the same signature), inheritance (`defproc bar
//! <: foo<3> (ports) { body }`), the interfaces a process exports (`:> linear { in -> a }`) and
//! overrides of the types of its ports and parts (`+{ e1of2 l, r; }`).
//!
//! Inheritance is resolved here: `bar` gets `foo`'s ports, then its own; `foo`'s body, then its
//! own; `foo`'s template parameters that `foo<3>` does not set, after its own; those it sets
//! are bound at instantiation ([`ProcessDef::bound_params`]). An override gives a port or part
//! of the parent a type that refines its own (checked as ACT checks it); for CHP, the refined
//! type is the type it refines, so a design using them simulates as its parent does.

use std::collections::HashMap;
use std::fmt::Write;

use super::{PResult, Parser, Reported};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;
use crate::front::subst::{bind_params, subst_expr, subst_type, Bindings};

/// A parsed `template<...>` list.
#[derive(Default)]
pub(super) struct TemplateSpec {
    pub params: Vec<ParamDecl>,
    /// How many of `params` are strict (before the `|`; all of them without one).
    pub strict: usize,
}

impl TemplateSpec {
    fn has_non_strict(&self) -> bool {
        self.strict < self.params.len()
    }
}

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

/// A parent `foo<3>` after `<:`, resolved.
struct ParentUse {
    name: String,
    args: Vec<Expr>,
    info: ProcInfo,
}

/// `+{ T [+] a, b; ... }`, one entry per line.
pub(super) struct Override {
    ty: OverrideType,
    /// `T + a;`: the original's template arguments are appended to `T`'s.
    append: bool,
    names: Vec<Ident>,
}

enum OverrideType {
    /// A channel or data type (`e1of2`, `dualrail`).
    Data(Type),
    /// A process type (`myover<2>`).
    Process {
        name: Ident,
        qualified: String,
        args: Vec<Expr>,
    },
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

    /// ACT's rule: only processes may have non-strict parameters (after the `|`).
    pub(super) fn no_non_strict(&mut self, spec: &TemplateSpec, what: &str) -> PResult<()> {
        if !spec.has_non_strict() {
            return Ok(());
        }
        let param = &spec.params[spec.strict];
        Err(self.report(
            Diagnostic::error(
                param.name.span.clone(),
                format!("{what} cannot have non-strict template parameters"),
            )
            .with_label("after the `|`: non-strict")
            .with_hint("only a process's template may have parameters after `|`"),
        ))
    }

    /// `< pint N, M; pbool B | pint D >` (the `template` keyword just consumed): the
    /// parameters before the `|` are strict (they are part of the type), those after are not.
    pub(super) fn parse_template_spec(&mut self) -> PResult<TemplateSpec> {
        let keyword = self.prev_span();
        self.expect(&Tok::Lt)?;
        let mut strict = None;
        let params = self.parse_in_angle_brackets(|p| {
            let mut params: Vec<ParamDecl> = Vec::new();
            loop {
                if p.at(&Tok::Bar) && strict.is_none() {
                    p.bump();
                    strict = Some(params.len());
                    continue;
                }
                if p.at(&Tok::Gt) {
                    break;
                }
                let kind = p.template_param_kind()?;
                let type_start = p.start();
                let pstruct = match kind {
                    ParamKind::Pstruct => Some(p.pstruct_at_type()?),
                    _ => {
                        p.bump();
                        None
                    }
                };
                let iface = match kind {
                    ParamKind::Ptype => Some(Box::new(p.parse_ptype_interface()?)),
                    _ => None,
                };
                let group = params.len();
                loop {
                    let mut param = p.parse_param_declarator(kind, type_start)?;
                    if iface.is_some() && !param.dims.is_empty() {
                        return Err(p.report(
                            Diagnostic::error(
                                param.name.span.clone(),
                                "a `ptype` template parameter cannot be an array",
                            )
                            .with_label("an array")
                            .with_hint("ACT does not support ptype array parameters"),
                        ));
                    }
                    param.iface.clone_from(&iface);
                    param.pstruct.clone_from(&pstruct);
                    p.check_template_param(&params, group, &param)?;
                    params.push(param);
                    if !p.eat(&Tok::Comma) {
                        break;
                    }
                }
                let more = p.eat(&Tok::Semi) || (p.at(&Tok::Bar) && strict.is_none());
                if !more {
                    break;
                }
            }
            Ok(params)
        })?;
        self.expect(&Tok::Gt)?;
        if params.is_empty() {
            return Err(self.report(
                Diagnostic::error(
                    keyword.start..self.prev_end(),
                    "a template needs at least one parameter",
                )
                .with_label("no parameters")
                .with_hint("remove `template<>`"),
            ));
        }
        Ok(TemplateSpec {
            strict: strict.unwrap_or(params.len()),
            params,
        })
    }

    /// The span of the last consumed token.
    fn prev_span(&self) -> Span {
        match self.pos.checked_sub(1).and_then(|i| self.tokens.get(i)) {
            Some(token) => token.span.clone(),
            None => 0..0,
        }
    }

    /// At a template parameter's type: `pint`, `pbool` or `preal`.
    fn template_param_kind(&mut self) -> PResult<ParamKind> {
        match &self.peek().kind {
            Tok::Pint => Ok(ParamKind::Pint),
            Tok::Pbool => Ok(ParamKind::Pbool),
            Tok::Preal => Ok(ParamKind::Preal),
            Tok::Unsupported(word) if word == "ptype" => Ok(ParamKind::Ptype),
            Tok::Ident(name) if self.lookup_pstruct(name).is_some() => Ok(ParamKind::Pstruct),
            Tok::Ident(name) => {
                let span = self.peek().span.clone();
                let message = format!("unknown parameter type `{name}`");
                Err(self.report(
                    Diagnostic::error(span, message)
                        .with_label("no `defptype` of this name")
                        .with_hint("template parameters are `pint`, `pbool`, `preal`, `ptype(...)` or a `defptype`"),
                ))
            }
            Tok::Unsupported(_) => {
                let span = self.peek().span.clone();
                let word = self.peek().kind.describe();
                Err(self.report(
                    Diagnostic::error(
                        span,
                        format!("{word} template parameters are not supported yet"),
                    )
                    .with_label("not supported by chpsim")
                    .with_hint("template parameters can be `pint`, `pbool` or `preal`"),
                ))
            }
            _ => Err(self.error_expected("`pint`, `pbool` or `preal`")),
        }
    }

    /// ACT's rules on one template parameter, given the ones before it (those from `group` on
    /// declared with it, `pint a, b = 1, c`): a unique name, no default before a parameter
    /// without one in a group.
    fn check_template_param(
        &mut self,
        before: &[ParamDecl],
        group: usize,
        param: &ParamDecl,
    ) -> PResult<()> {
        if let Some(first) = before.iter().find(|p| p.name.name == param.name.name) {
            return Err(self.report(
                Diagnostic::error(
                    param.name.span.clone(),
                    format!("template parameter `{}` is declared twice", param.name.name),
                )
                .with_label("again here")
                .with_note(first.name.span.clone(), "first declared here"),
            ));
        }
        if param.value.is_none() {
            if let Some(default) = before[group..].iter().find(|p| p.value.is_some()) {
                return Err(self.report(
                    Diagnostic::error(
                        param.name.span.clone(),
                        "a template parameter without a default follows one with a default",
                    )
                    .with_label("no default")
                    .with_note(default.name.span.clone(), "this one has a default")
                    .with_hint("parameters with defaults must come last"),
                ));
            }
        }
        Ok(())
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
        if self.types.contains_key(&qualified) || self.interfaces.contains_key(&qualified) {
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!("`{}` is already the name of a type", name.name),
                )
                .with_label("a process of the same name"),
            ));
        }
        let mut strict = spec.strict;
        let mut template_params = spec.params;
        let (mut ports, mut body, mut bound_params) = (Vec::new(), Vec::new(), Vec::new());
        let mut exports = Vec::new();
        let parent = if self.at(&Tok::Lt) && self.peek_at(1).kind == Tok::Colon {
            self.bump();
            self.bump();
            let parent = self.parse_parent_process(strict < template_params.len())?;
            // The parameters the parent's arguments leave unset are the child's, after its own.
            let declared = &parent.info.def.template_params;
            for (i, param) in declared.iter().enumerate() {
                match parent.args.get(i) {
                    Some(arg) => bound_params.push(ParamDecl {
                        value: Some(arg.clone()),
                        ..param.clone()
                    }),
                    None => {
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
        body.extend(port_wires.into_iter().map(BodyItem::Connection));
        if self.at(&Tok::Colon) && self.peek_at(1).kind == Tok::Gt {
            self.bump();
            self.bump();
            exports.extend(self.parse_exported_interfaces(&ports)?);
        }
        if self.at(&Tok::Plus) && self.peek_at(1).kind == Tok::LBrace {
            self.bump();
            let depth = self.bracket_depth;
            match self.parse_overrides() {
                // A wrong override is reported; the definition goes on without it.
                Ok(overrides) => self.apply_overrides(overrides, &mut ports, &mut body),
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
            let message = if previous.signature != signature {
                Some(format!(
                    "`{}` was declared before with different parameters or ports",
                    name.name
                ))
            } else if previous.defined && !self.at(&Tok::Semi) {
                Some(format!("process `{}` is defined twice", name.name))
            } else {
                None
            };
            if let Some(message) = message {
                return Err(self.report(
                    Diagnostic::error(name.span.clone(), message)
                        .with_label("here")
                        .with_note(previous.def.name.span.clone(), "first declared here"),
                ));
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
        let own_body = self.parse_process_body(&def.name);
        def.macros
            .extend(std::mem::replace(&mut self.process_macros, outer_macros));
        let own_body = own_body?;
        self.check_redeclarations(&def.ports, &def.body, &own_body);
        let variant_parent = parent.as_ref().map(|p| super::variants::VariantParent {
            name: &p.name,
            args: &p.args,
            params: &p.info.def.template_params,
        });
        let own_body = self.parse_variants(variant_parent, &def.ports, &def.body, own_body)?;
        def.body.extend(own_body);
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
        let file_wire_vars = std::mem::take(&mut self.wire_vars);
        let body = self.parse_body_until_brace();
        self.wire_vars = file_wire_vars;
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

    /// `linear<4> { in -> a, out -> y }, other { ... }` after `:>`: each name on the left a
    /// port of the interface, each on the right a port of the process.
    fn parse_exported_interfaces(&mut self, ports: &[PortDecl]) -> PResult<Vec<ExportedInterface>> {
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
                    if !ports.iter().any(|p| p.name.name == ours.name) {
                        self.report(
                            Diagnostic::error(
                                ours.span.clone(),
                                format!("`{}` is not a port of the process", ours.name),
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
            exported.push(ExportedInterface { iface, ports });
            if !self.eat(&Tok::Comma) {
                return Ok(exported);
            }
        }
    }

    /// `{ T [+] a, b; ... }` after `+` (at the `{`), through the `}`.
    pub(super) fn parse_overrides(&mut self) -> PResult<Vec<Override>> {
        self.expect(&Tok::LBrace)?;
        let mut overrides = Vec::new();
        while !self.at(&Tok::RBrace) {
            let ty = self.parse_override_type()?;
            let append = self.eat(&Tok::Plus);
            let mut names = vec![self.expect_ident("a name to override")?];
            while self.eat(&Tok::Comma) {
                names.push(self.expect_ident("a name to override")?);
            }
            self.expect(&Tok::Semi)?;
            overrides.push(Override { ty, append, names });
        }
        self.expect(&Tok::RBrace)?;
        Ok(overrides)
    }

    /// A user type in an override: a type defined by `deftype`/`defchan`, or a process; no
    /// direction.
    fn parse_override_type(&mut self) -> PResult<OverrideType> {
        let Tok::Ident(written) = &self.peek().kind else {
            return Err(self.error_expected("a user-defined type (an override refines a type)"));
        };
        if self.lookup_type(written).is_some() {
            let ty = self.parse_type()?;
            if matches!(ty.kind, TypeKind::Chan { dir: Some(_), .. }) {
                return Err(self.report(
                    Diagnostic::error(ty.span.clone(), "an override must not have a direction")
                        .with_label("a direction flag")
                        .with_hint("the direction is the original's: write the type alone"),
                ));
            }
            return Ok(OverrideType::Data(ty));
        }
        let name = self.expect_ident("a type")?;
        let Some((qualified, _)) = self.lookup_process(&name.name) else {
            return Err(self.report(
                Diagnostic::error(name.span.clone(), format!("unknown type `{}`", name.name))
                    .with_label("no type or process of this name defined before"),
            ));
        };
        self.check_exported(&name);
        let args = if self.at(&Tok::Lt) {
            self.parse_template_args()?
        } else {
            Vec::new()
        };
        Ok(OverrideType::Process {
            name,
            qualified,
            args,
        })
    }

    /// Gives each overridden port or part its new type, after ACT's checks (each failure
    /// reported): it exists, and the new type refines its type.
    fn apply_overrides(
        &mut self,
        overrides: Vec<Override>,
        ports: &mut [PortDecl],
        body: &mut [BodyItem],
    ) {
        for Override { ty, append, names } in overrides {
            for name in &names {
                let _ = self.apply_override(&ty, append, name, ports, body);
            }
        }
    }

    fn apply_override(
        &mut self,
        ty: &OverrideType,
        append: bool,
        name: &Ident,
        ports: &mut [PortDecl],
        body: &mut [BodyItem],
    ) -> PResult<()> {
        if let Some(port) = ports.iter_mut().find(|p| p.name.name == name.name) {
            let ty = self.data_override(ty, &port.ty, name)?;
            port.ty = ty;
            return Ok(());
        }
        match find_part(body, &name.name) {
            Some(Part::Var(var)) => {
                let ty = self.data_override(ty, &var.ty, name)?;
                var.ty = ty;
            }
            Some(Part::Instance(inst)) => {
                let OverrideType::Process {
                    name: new,
                    qualified,
                    args,
                } = ty
                else {
                    return Err(self.illegal_override(name, &inst.process.name));
                };
                if !self.process_refines(qualified, &inst.process.name) {
                    return Err(self.illegal_override(name, &inst.process.name));
                }
                let mut args = args.clone();
                if append {
                    args.extend(inst.template_args.iter().cloned());
                }
                inst.process = new.clone();
                inst.template_args = args;
            }
            None => {
                return Err(self.report(
                    Diagnostic::error(
                        name.span.clone(),
                        format!("override of `{}`: not found in the type", name.name),
                    )
                    .with_label("no port or part of this name"),
                ))
            }
        }
        Ok(())
    }

    /// A type definition's overrides: each names one of its fields, and refines its type.
    pub(super) fn apply_field_overrides(
        &mut self,
        overrides: Vec<Override>,
        fields: &mut [FieldDecl],
    ) {
        for Override { ty, names, .. } in overrides {
            for name in &names {
                let Some(field) = fields.iter_mut().find(|f| f.name.name == name.name) else {
                    self.report(
                        Diagnostic::error(
                            name.span.clone(),
                            format!("override of `{}`: not found in the type", name.name),
                        )
                        .with_label("no field of this name"),
                    );
                    continue;
                };
                if let Ok(refined) = self.data_override(&ty, &field.ty, name) {
                    field.ty = refined;
                }
            }
        }
    }

    /// The type a port or variable of type `original` gets from the override `ty`.
    fn data_override(&mut self, ty: &OverrideType, original: &Type, name: &Ident) -> PResult<Type> {
        let OverrideType::Data(new) = ty else {
            return Err(self.illegal_override(name, &original.to_string()));
        };
        let target = original.to_string();
        if new.to_string() == target {
            return Err(self.report(
                Diagnostic::error(
                    new.span.clone(),
                    format!("this override does not refine the type of `{}`", name.name),
                )
                .with_label(format!("`{target}` already"))
                .with_hint("an override is only needed to refine a type: remove it"),
            ));
        }
        let mut ancestor = new.named.as_ref().map(|n| &n.parent);
        while let Some(t) = ancestor {
            if t.to_string() == target {
                let mut refined = new.clone();
                if let (
                    TypeKind::Chan { dir, .. },
                    TypeKind::Chan {
                        dir: original_dir, ..
                    },
                ) = (&mut refined.kind, &original.kind)
                {
                    *dir = *original_dir;
                }
                return Ok(refined);
            }
            ancestor = t.named.as_ref().map(|n| &n.parent);
        }
        Err(self.illegal_override(name, &target))
    }

    /// Whether process `new` is `original` or inherits from it.
    fn process_refines(&self, new: &str, original: &str) -> bool {
        let Some((original, _)) = self.lookup_process(original) else {
            return false;
        };
        let mut current = Some(new.to_string());
        while let Some(name) = current {
            if name == original {
                return true;
            }
            current = (self.processes.get(&name))
                .and_then(|info| info.parent.as_ref().map(|(parent, _)| parent.clone()));
        }
        false
    }

    fn illegal_override(&mut self, name: &Ident, original: &str) -> Reported {
        self.report(
            Diagnostic::error(
                name.span.clone(),
                format!(
                    "illegal override of `{}`: the new type does not implement `{original}`",
                    name.name
                ),
            )
            .with_label("overridden here")
            .with_hint(
                "an override's type must refine the original type (`defchan new <: original ...`)",
            ),
        )
    }

    /// `[template<...>] interface name (ports) ;` or with a body `{ methods { macro m(...); } }`
    /// (at the keyword): the names of its ports are what `:> name { a -> b }` checks.
    fn parse_interface(&mut self, _params: Vec<ParamDecl>) -> PResult<()> {
        self.bump();
        let name = self.expect_ident("an interface name")?;
        let qualified = self.qualified(&name.name);
        let ports = self.parse_ports()?;
        if self.at(&Tok::LBrace) {
            self.skip_balanced();
        } else {
            self.expect(&Tok::Semi)?;
        }
        if self.types.contains_key(&qualified)
            || self.interfaces.contains_key(&qualified)
            || self.processes.contains_key(&qualified)
        {
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!("`{}` is defined twice", name.name),
                )
                .with_label("defined again here"),
            ));
        }
        let names = ports.into_iter().map(|p| p.name.name).collect();
        self.note_definition(&qualified);
        self.interfaces.insert(qualified, names);
        Ok(())
    }

    /// The qualified name and port names of the interface a name written here stands for.
    pub(super) fn lookup_interface(&self, name: &str) -> Option<(String, Vec<String>)> {
        scoped_names(&self.qualified(""), name, &self.open)
            .into_iter()
            .find_map(|candidate| {
                let ports = self.interfaces.get(&candidate)?.clone();
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

    /// ACT's type check of template arguments: a `pbool` parameter takes no integer, a `pint`
    /// no boolean (as far as the argument shows it: a literal, arithmetic or a comparison).
    pub(super) fn check_argument_kinds(
        &mut self,
        params: &[ParamDecl],
        args: &[Expr],
    ) -> PResult<()> {
        for (param, arg) in params.iter().zip(args) {
            let Some(kind) = evident_kind(arg) else {
                continue;
            };
            // An integer converts to a real.
            if kind != param.kind && (kind, param.kind) != (ParamKind::Pint, ParamKind::Preal) {
                let got = match kind {
                    ParamKind::Pbool => "a boolean",
                    ParamKind::Preal => "a real",
                    ParamKind::Pint => "an integer",
                    ParamKind::Ptype => "a process type",
                    ParamKind::Pstruct => "a parameter structure",
                };
                let want = param.kind.keyword();
                return Err(self.report(
                    Diagnostic::error(
                        arg.span.clone(),
                        format!(
                            "template parameter `{}` is a {want}; this is {got}",
                            param.name.name
                        ),
                    )
                    .with_label("wrong kind of value")
                    .with_note(param.name.span.clone(), "declared here"),
                ));
            }
        }
        Ok(())
    }

    /// What a use `name<args>` of a templated type alias stands for.
    pub(super) fn instantiate_alias(
        &mut self,
        name: &Ident,
        params: &[ParamDecl],
        base: &Type,
        args: &[Expr],
    ) -> PResult<Type> {
        self.check_argument_kinds(params, args)?;
        let required = params.iter().filter(|p| p.value.is_none()).count();
        if args.len() > params.len() || args.len() < required {
            let expected = if required == params.len() {
                params.len().to_string()
            } else {
                format!("{required} to {}", params.len())
            };
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!(
                        "`{}` takes {expected} template argument(s), but {} were given",
                        name.name,
                        args.len()
                    ),
                )
                .with_label("used here"),
            ));
        }
        let bindings = bind_params(params, args).expect("enough arguments, counted");
        Ok(subst_type(base, &bindings))
    }
}

/// Whether `e` is evidently an integer or a boolean: a literal, arithmetic on integers, a
/// comparison. `None` when it depends on names.
fn evident_kind(e: &Expr) -> Option<ParamKind> {
    match &e.kind {
        ExprKind::Int(_) => Some(ParamKind::Pint),
        ExprKind::Real(_) => Some(ParamKind::Preal),
        ExprKind::Bool(_) => Some(ParamKind::Pbool),
        ExprKind::ProcessType { .. } => Some(ParamKind::Ptype),
        ExprKind::PstructOf { .. } => Some(ParamKind::Pstruct),
        ExprKind::Binary { op, lhs, rhs } => match op {
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => Some(ParamKind::Pbool),
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => {
                (evident_kind(lhs) == Some(ParamKind::Pint)
                    && evident_kind(rhs) == Some(ParamKind::Pint))
                .then_some(ParamKind::Pint)
            }
            _ => None,
        },
        _ => None,
    }
}

/// A part of a process body found by name: a variable or an instance.
enum Part<'b> {
    Var(&'b mut VarDecl),
    Instance(&'b mut InstanceDecl),
}

/// The declaration of `name` among `body`'s items (not inside loops).
fn find_part<'b>(body: &'b mut [BodyItem], name: &str) -> Option<Part<'b>> {
    body.iter_mut().find_map(|item| match item {
        BodyItem::Var(v) if v.name.name == name => Some(Part::Var(v)),
        BodyItem::Instance(i) if i.name.name == name => Some(Part::Instance(i)),
        _ => None,
    })
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
        let _ = write!(text, "{} {};", p.kind.keyword(), p.name.name);
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
        for dim in &port.dims {
            let _ = match dim {
                ArrayDim::Size(n) => write!(text, "[{n}]"),
                ArrayDim::Range(lo, hi) => write!(text, "[{lo}..{hi}]"),
            };
        }
        text.push(')');
    }
    text
}

/// The interfaces defined so far: their port names by qualified name.
pub(super) type Interfaces = HashMap<String, Vec<String>>;
