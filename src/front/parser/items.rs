//! Top-level items: process and function definitions, templates, ports, namespaces and
//! enumerations.

use std::sync::Arc;

use num_bigint::BigUint;

use super::redefine::{DefKind, DefName};
use super::{PResult, Parser, Reported, UserType};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;

/// A function of the file scope or a namespace, as declared or defined so far.
pub(super) struct FunctionDecl {
    /// Its template parameters and arguments as text, to compare declarations.
    signature: String,
    /// Where its name is in the first declaration or the definition.
    span: Span,
    /// While it is only declared (no body yet), the declaration, with its name qualified.
    declaration: Option<FunctionDef>,
}

impl Parser<'_> {
    /// One top-level item; `Ok(None)` for something reported and skipped.
    pub(super) fn parse_item(&mut self) -> PResult<Option<Item>> {
        match &self.peek().kind {
            Tok::Template if self.template_of_function() => self.parse_file_function(),
            Tok::Unsupported(word) if word == "function" => self.parse_file_function(),
            Tok::Template | Tok::Defproc => self.parse_definition(),
            Tok::Unsupported(word) if word == "defcell" || word == "interface" => {
                self.parse_definition()
            }
            Tok::Pint | Tok::Pbool | Tok::Preal => {
                let params = self.parse_param_decls()?;
                Ok(Some(self.scope_params(params)))
            }
            _ if self.at_pstruct_def() => {
                self.parse_pstruct_def()?;
                Ok(None)
            }
            _ if self.at_pstruct_decl() => {
                let params = self.parse_pstruct_decls()?;
                Ok(Some(self.scope_params(params)))
            }
            Tok::Unsupported(word) if word == "ptype" => {
                let params = self.parse_ptype_decl()?;
                Ok(Some(self.scope_params(params)))
            }
            _ if self.at_global_body_item() => {
                let mut items = Vec::new();
                self.parse_body_item(&mut items)?;
                self.note_file_objects(&items);
                self.qualify_namespace_objects(&mut items);
                match items.as_slice() {
                    [BodyItem::Instance(_)] => match items.pop() {
                        Some(BodyItem::Instance(decl)) => Ok(Some(Item::Instance(decl))),
                        _ => unreachable!("one instance"),
                    },
                    [] => Ok(None),
                    _ => Ok(Some(Item::Body(items))),
                }
            }
            // Outside a namespace, `export` changes nothing: the definition is global anyway.
            Tok::Unsupported(word) if word == "export" && self.exports_definition() => {
                self.bump();
                self.export_next();
                self.parse_item()
            }
            Tok::Unsupported(word) if word == "deftype" || word == "defchan" => {
                self.parse_type_def(Vec::new())?;
                Ok(None)
            }
            Tok::Unsupported(word) if word == "defenum" => {
                self.parse_enum_def(false)?;
                Ok(None)
            }
            Tok::Unsupported(word) if word == "namespace" => {
                // Each level's names are as long as its depth: bounded like any nesting.
                self.nested(|p| p.parse_namespace())?;
                Ok(None)
            }
            Tok::Unsupported(word) if word == "import" => {
                self.skip_import()?;
                Ok(None)
            }
            _ if self.at_lang_block() => {
                let keyword = self.peek().span.clone();
                let block = self.parse_lang_block(super::lang::LangPlace::File)?;
                if !self.namespace.is_empty() {
                    self.report(
                        Diagnostic::error(
                            keyword,
                            format!("a `{}` block cannot be in a namespace", block.keyword()),
                        )
                        .with_label("inside a namespace")
                        .with_hint("put it in a process, or at the top level of the file"),
                    );
                }
                Ok(Some(Item::Body(vec![BodyItem::Lang(Box::new(block))])))
            }
            Tok::Unsupported(word) if word == "open" => {
                self.parse_open()?;
                Ok(None)
            }
            Tok::Unsupported(word) => {
                self.unsupported(word);
                Ok(None)
            }
            _ => Err(self.error_expected(
                "a definition (`defproc`, `template`, ...), a declaration or a connection",
            )),
        }
    }

    /// Whether the next item is one of a body that ACT also allows at file scope: a
    /// declaration of variables, channels or instances, a connection, a loop, a conditional
    /// or an assertion.
    pub(super) fn at_global_body_item(&self) -> bool {
        self.at_data_type()
            || matches!(
                self.peek().kind,
                Tok::Ident(_)
                    | Tok::LParen
                    | Tok::LBracket
                    | Tok::StarLBracket
                    | Tok::LBrace
                    | Tok::DollarLBrace
                    | Tok::Chp
            )
    }

    /// The item of file-scope parameters `params`, noted as objects of the scope: ACT's
    /// parameters are instances, whose names a definition may not take.
    fn scope_params(&mut self, params: Vec<ParamDecl>) -> Item {
        for p in &params {
            (self.scope_objects)
                .entry(self.qualified(&p.name.name))
                .or_insert_with(|| p.name.span.clone());
        }
        Item::Params(params)
    }

    /// Notes the objects that file-scope `items` declare (in loops and conditionals too): the
    /// definitions after them see them.
    fn note_file_objects(&mut self, items: &[BodyItem]) {
        for item in items {
            let name = match item {
                BodyItem::Var(v) => &v.name,
                BodyItem::Instance(i) => &i.name,
                BodyItem::Loop(l) => {
                    self.note_file_objects(&l.items);
                    continue;
                }
                BodyItem::Conditional(select) | BodyItem::GenLoop(select) => {
                    for arm in &select.arms {
                        self.note_file_objects(&arm.items);
                    }
                    continue;
                }
                _ => continue,
            };
            // A member of a bundle (`s.a`) is seen by the bundle's name.
            let root = name.name.split('.').next().unwrap_or(&name.name);
            (self.scope_objects)
                .entry(self.qualified(root))
                .or_insert_with(|| name.span.clone());
            let qualified = self.qualified(root);
            if !self.file_objects.contains(&qualified) {
                Arc::make_mut(&mut self.file_objects).insert(qualified);
            }
        }
    }

    /// At `export`: whether a definition follows (a process, function or type).
    pub(super) fn exports_definition(&self) -> bool {
        match &self.peek_at(1).kind {
            Tok::Template | Tok::Defproc => true,
            Tok::Unsupported(word) => [
                "function",
                "deftype",
                "defchan",
                "defenum",
                "namespace",
                "defcell",
                "interface",
            ]
            .contains(&word.as_str()),
            _ => false,
        }
    }

    /// At `template`: whether it introduces a function (the first keyword after the template
    /// parameters is `function`).
    pub(super) fn template_of_function(&self) -> bool {
        let mut ahead = 1;
        loop {
            match &self.peek_at(ahead).kind {
                Tok::Unsupported(word) => return word == "function",
                Tok::Defproc | Tok::LBrace | Tok::Eof => return false,
                _ => ahead += 1,
            }
        }
    }

    /// `[template<...>] function ...` of the file scope or a namespace, checked against the
    /// earlier declarations of its name (see [`redefine`](super::redefine)). A declaration
    /// without a body is held back: at the end of the design it stands for an external
    /// function if no definition came.
    fn parse_file_function(&mut self) -> PResult<Option<Item>> {
        let def = self.parse_function()?;
        let qualified = self.qualified(&def.name.name);
        let name = DefName::new(&def.name.span, &def.name.name, &qualified);
        self.check_definition_kind(&name, DefKind::Function)?;
        let signature = super::defs::function_signature(&def, &self.port_flags);
        if let Some(previous) = self.function_decls.get(&qualified) {
            let first = Some(previous.span.clone());
            let only_declared = previous.declaration.is_some();
            if previous.signature != signature || self.export_differs(&qualified) {
                return Err(self.defined_differently(&name, DefKind::Function, first));
            }
            if def.external {
                return Ok(None);
            }
            if !only_declared {
                return Err(self.defined_again(&name, DefKind::Function, first));
            }
            self.function_decls.insert(
                qualified,
                FunctionDecl {
                    signature,
                    span: def.name.span.clone(),
                    declaration: None,
                },
            );
            return Ok(Some(Item::Function(def)));
        }
        self.note_definition(&qualified);
        let declaration = def.external.then(|| FunctionDef {
            name: Ident {
                name: qualified.clone(),
                span: def.name.span.clone(),
            },
            ..def.clone()
        });
        let declared_only = declaration.is_some();
        let decl = FunctionDecl {
            signature,
            span: def.name.span.clone(),
            declaration,
        };
        self.function_decls.insert(qualified, decl);
        Ok((!declared_only).then_some(Item::Function(def)))
    }

    /// The functions declared and never defined: external functions.
    pub(super) fn functions_declared_only(&self) -> Vec<Item> {
        let mut declared: Vec<&FunctionDef> = (self.function_decls.values())
            .filter_map(|d| d.declaration.as_ref())
            .collect();
        declared.sort_by_key(|def| def.name.span.start);
        declared
            .into_iter()
            .map(|def| Item::Function(def.clone()))
            .collect()
    }

    /// `[template<...>] function name (int<8> a; bool b) : int<8> { body }`, or `... : int<8>;`
    /// (an external function, implemented outside the design).
    pub(super) fn parse_function(&mut self) -> PResult<FunctionDef> {
        let start = self.start();
        self.eat_export();
        let mut template_params = Vec::new();
        if self.eat(&Tok::Template) {
            let spec = self.parse_template_spec()?;
            self.no_non_strict(&spec, "functions")?;
            template_params = spec.params;
        }
        self.bump(); // `function`
        let name = self.expect_ident("a function name")?;
        self.functions.insert(self.qualified(&name.name));
        let (args, param_args) = self.parse_function_args()?;
        // ACT: a function's arguments are data; only a process has channel ports.
        if let Some(chan) = (args.iter()).find(|a| matches!(a.ty.kind, TypeKind::Chan { .. })) {
            let name = chan.bundle.as_ref().map_or(&chan.name, |b| &b.name);
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!(
                        "argument `{}`: an argument of a function cannot be a channel",
                        name.name
                    ),
                )
                .with_label("a channel")
                .with_hint(
                    "pass the value, and send or receive it in the process that calls the function",
                ),
            ));
        }
        self.expect(&Tok::Colon)?;
        let (result, param_result) = match self.param_kind() {
            Some(kind) => {
                let span = self.peek().span.clone();
                self.bump();
                let placeholder = Type::new(
                    TypeKind::Int {
                        width: None,
                        signed: false,
                    },
                    span.clone(),
                );
                (placeholder, Some((kind, span)))
            }
            None => (self.parse_type()?, None),
        };
        // ACT's rule: a function computes on parameters or on values, not both.
        let mixed = match &param_result {
            Some(_) => !args.is_empty(),
            None => !param_args.is_empty(),
        };
        if mixed {
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!(
                        "function `{}`: its result type does not match its arguments",
                        name.name
                    ),
                )
                .with_label("parameters and values mixed")
                .with_hint("a function of parameters (`pint`, `pbool`, `preal`) returns one; a function of values returns a value"),
            ));
        }
        let external = self.eat(&Tok::Semi);
        let body = if external {
            Vec::new()
        } else {
            self.expect(&Tok::LBrace)?;
            // A function's objects are its own: the file scope does not see them.
            let file_objects = self.object_types.clone();
            let body = self.parse_body_until_brace();
            self.object_types = file_objects;
            self.expect(&Tok::RBrace)?;
            body
        };
        Ok(FunctionDef {
            name,
            template_params,
            args,
            param_args,
            param_result,
            result,
            body,
            external,
            span: self.span_from(start),
            method: None,
        })
    }

    /// `(int<8> a; bool b)` or `(pint n, m; preal v)`: the value arguments and the parameter
    /// arguments of a function.
    fn parse_function_args(&mut self) -> PResult<(Vec<PortDecl>, Vec<ParamDecl>)> {
        if !matches!(self.peek_at(1).kind, Tok::Pint | Tok::Pbool | Tok::Preal) {
            return Ok((self.parse_ports()?, Vec::new()));
        }
        self.expect(&Tok::LParen)?;
        let mut params: Vec<ParamDecl> = Vec::new();
        loop {
            let start = self.start();
            let Some(kind) = self.param_kind() else {
                return Err(self.error_expected("`pint`, `pbool` or `preal`: the arguments of a function of parameters are parameters"));
            };
            self.bump();
            loop {
                let param = self.parse_param_declarator(kind, start)?;
                if param.value.is_some() {
                    return Err(self.report(
                        Diagnostic::error(param.span.clone(), "a function argument has no default")
                            .with_label("a value here"),
                    ));
                }
                if let Some(first) = params.iter().find(|p| p.name.name == param.name.name) {
                    return Err(self.report(
                        Diagnostic::error(
                            param.name.span.clone(),
                            format!("argument `{}` is declared twice", param.name.name),
                        )
                        .with_note(first.name.span.clone(), "first declared here"),
                    ));
                }
                params.push(param);
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
            if !self.eat(&Tok::Semi) || self.at(&Tok::RParen) {
                break;
            }
        }
        self.expect(&Tok::RParen)?;
        Ok((Vec::new(), params))
    }

    /// At `defproc` or `template`: the start of the next process, never inside a body.
    pub(super) fn at_process_start(&self) -> bool {
        self.at(&Tok::Defproc) || self.at(&Tok::Template)
    }

    /// The next process (or the end of the file) came before the `}` of the body of `name`
    /// opened at `open`: reported at both places, as if the `}` were there.
    pub(super) fn unclosed_body(&mut self, open: Span, name: &Ident) {
        let (here, label) = if self.at(&Tok::Eof) {
            (self.prev_end()..self.prev_end(), "the file ends here")
        } else {
            (self.peek().span.clone(), "the next process begins here")
        };
        self.report(
            Diagnostic::error(
                here,
                format!("missing `}}`: the body of `{}` is not closed", name.name),
            )
            .with_label(label)
            .with_note(open, "this `{` is never closed")
            .with_hint("a `}` is missing in this process: the one of a `chp {` block, or its own"),
        );
        self.bracket_depth = self.bracket_depth.saturating_sub(1);
    }

    /// `pint N = 4, M;`, `pbool B;` or `preal R = 1.5;` (in a body or at the top level).
    pub(super) fn parse_param_decls(&mut self) -> PResult<Vec<ParamDecl>> {
        let start = self.start();
        let kind = self
            .param_kind()
            .ok_or_else(|| self.error_expected("`pint`, `pbool` or `preal`"))?;
        self.bump();
        let mut decls = Vec::new();
        loop {
            decls.push(self.parse_param_declarator(kind, start)?);
            if !self.eat(&Tok::Comma) {
                break;
            }
        }
        self.expect(&Tok::Semi)?;
        Ok(decls)
    }

    /// The kind of parameter the next token declares (`pint`, `pbool`, `preal`), if any.
    pub(super) fn param_kind(&self) -> Option<ParamKind> {
        match self.peek().kind {
            Tok::Pint => Some(ParamKind::Pint),
            Tok::Pbool => Some(ParamKind::Pbool),
            Tok::Preal => Some(ParamKind::Preal),
            _ => None,
        }
    }

    /// `N` or `N = expr` after `pint`/`pbool`/`preal`.
    pub(super) fn parse_param_declarator(
        &mut self,
        kind: ParamKind,
        start: usize,
    ) -> PResult<ParamDecl> {
        let name = self.expect_ident("a parameter name")?;
        self.not_reserved(&name)?;
        let dims = self.parse_dims()?;
        let value = if self.eat(&Tok::Eq) {
            Some(self.parse_expr()?)
        } else {
            None
        };
        Ok(ParamDecl {
            kind,
            name,
            dims,
            value,
            span: self.span_from(start),
            iface: None,
            pstruct: None,
        })
    }

    /// `( chan?(int) a, b; chan!(int) r )`.
    pub(super) fn parse_ports(&mut self) -> PResult<Vec<PortDecl>> {
        self.expect(&Tok::LParen)?;
        let mut ports = Vec::new();
        if self.eat(&Tok::RParen) {
            return Ok(ports);
        }
        loop {
            let start = self.start();
            let type_start = self.pos;
            let ty = self.parse_type()?;
            let mut flag = "";
            if !matches!(ty.kind, TypeKind::Chan { .. }) {
                // `bool? i`, `int! o`: a shared variable the process only reads (or writes);
                // chpsim shares it either way. `int?<8> i`: the marks come before the width.
                flag = if self.eat(&Tok::Question) {
                    "?"
                } else if self.eat(&Tok::Bang) {
                    "!"
                } else if ty.named.is_none() {
                    match self.marks_in_type(type_start).chars().next() {
                        Some('?') => "?",
                        Some('!') => "!",
                        _ => "",
                    }
                } else {
                    ""
                };
            }
            loop {
                let name = self.expect_ident("a port name")?;
                self.not_reserved(&name)?;
                if !flag.is_empty() {
                    self.port_flags.insert(name.span.start, flag);
                }
                let dims = self.parse_dims()?;
                let wire_dir = match (&ty.kind, flag) {
                    (TypeKind::Chan { dir, .. }, _) => *dir,
                    (_, "?") => Some(ChanDir::Input),
                    (_, "!") => Some(ChanDir::Output),
                    _ => None,
                };
                let port = PortDecl {
                    ty: ty.clone(),
                    name,
                    dims,
                    span: self.span_from(start),
                    bundle: None,
                    wire_dir,
                };
                for member in self.bundle_members(port)? {
                    ports.extend(self.alias_wires(member));
                }
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
            if !self.eat(&Tok::Semi) || self.at(&Tok::RParen) {
                break;
            }
        }
        self.expect(&Tok::RParen)?;
        Ok(ports)
    }

    /// `namespace n { items }`: the processes, functions and types defined inside are named
    /// `n::name` (written so from outside); inside, their own names find them too.
    pub(super) fn parse_namespace(&mut self) -> PResult<()> {
        self.bump();
        let name = self.expect_ident("a namespace name")?;
        self.expect(&Tok::LBrace)?;
        let (qualified, path) = self.reopened_namespace(&name.name);
        if !self.namespaces.contains(&qualified) && self.definition_kind(&qualified).is_some() {
            // ACT: one name space for the types and namespaces of a namespace.
            self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!(
                        "namespace name `{}` is already used by a type here",
                        name.name
                    ),
                )
                .with_label("a type of this name is defined before")
                .with_hint("rename the namespace or the type"),
            );
        } else if let Some(instance) = self.scope_objects.get(&qualified).cloned() {
            // ACT: "Namespace name ... is already used in the current namespace."
            self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!(
                        "namespace name `{}` is already used in the current namespace",
                        name.name
                    ),
                )
                .with_label("a namespace")
                .with_note(instance, "an instance of this name declared before")
                .with_hint("rename the namespace or the instance"),
            );
        }
        let depth = self.namespace.len();
        self.namespace.extend(path.split("::").map(str::to_string));
        self.namespaces.insert(qualified.clone());
        self.note_definition(&qualified);
        let outer = std::mem::take(&mut self.nested_items);
        while !self.at(&Tok::RBrace) && !self.at(&Tok::Eof) {
            let (start_depth, start_pos) = (self.bracket_depth, self.pos);
            self.forget_export();
            match self.parse_item() {
                Ok(Some(item)) => self.nested_items.push(item),
                Ok(None) => {}
                Err(Reported) => self.recover_item(start_depth),
            }
            if self.pos == start_pos {
                self.skip_stray();
            }
        }
        self.namespace.truncate(depth);
        let inner = std::mem::replace(&mut self.nested_items, outer);
        for mut item in inner {
            let defined = match &mut item {
                Item::Process(def) => Some(&mut def.name),
                Item::Function(def) => Some(&mut def.name),
                Item::Instance(_) | Item::Params(_) | Item::Body(_) => None,
            };
            if let Some(defined) = defined {
                defined.name = format!("{path}::{}", defined.name);
            }
            self.nested_items.push(item);
        }
        self.expect(&Tok::RBrace)?;
        Ok(())
    }

    /// The namespace that `namespace name {` here adds to (qualified), and its path from the
    /// current namespace. It is `name` in the current namespace, unless that is another name
    /// of a namespace below the current one (`import std::cells -> syn;` then `namespace syn {`
    /// at the top level): ACT moved that namespace to the new name, so its definitions go
    /// into it.
    fn reopened_namespace(&self, name: &str) -> (String, String) {
        let written = self.qualified(name);
        let named = self.open.unalias(&written);
        if self.namespaces.contains(&written) || named == written {
            return (written, name.to_string());
        }
        let outer = self.qualified("");
        match named.strip_prefix(&outer) {
            Some(path) if !path.is_empty() => (named.clone(), path.to_string()),
            _ => (written, name.to_string()),
        }
    }

    /// `defenum name { A, B, C };`: the members are the values 0, 1, 2 of an `enum<3>`.
    /// `templated`: it follows `template<...>`, which ACT's grammar does not allow (its parse
    /// error is given once the enumeration is read).
    pub(super) fn parse_enum_def(&mut self, templated: bool) -> PResult<()> {
        let keyword = self.peek().span.clone();
        self.bump();
        let mut name = self.expect_ident("an enumeration name")?;
        let written = name.name.clone();
        name.name = self.qualified(&name.name);
        let int_compatible = self.eat(&Tok::Colon);
        if int_compatible {
            self.expect(&Tok::Int)?;
        }
        self.expect(&Tok::LBrace)?;
        let mut members: Vec<Ident> = vec![self.expect_ident("a member name")?];
        while self.eat(&Tok::Comma) {
            members.push(self.expect_ident("a member name")?);
        }
        self.expect(&Tok::RBrace)?;
        self.eat(&Tok::Semi);
        if templated {
            return Err(self.report(
                Diagnostic::error(
                    keyword,
                    "expecting `defproc`, `defcell`, `deftype`, `defchan`, `function` or \
                     `interface` after a template, got `defenum`",
                )
                .with_label("an enumeration cannot be templated")
                .with_hint("write the enumeration without a template: `defenum name { A, B };`"),
            ));
        }
        let def_name = DefName::new(&name.span, &written, &name.name);
        self.check_definition_kind(&def_name, DefKind::Enum)?;
        for (i, member) in members.iter().enumerate() {
            if members[..i].iter().any(|m| m.name == member.name) {
                self.report(
                    Diagnostic::error(
                        member.span.clone(),
                        format!("`{}` is a member of `{}` twice", member.name, name.name),
                    )
                    .with_label("again here"),
                );
            }
        }
        if self.types.contains_key(&name.name) {
            self.check_enum_again(&def_name, members.len(), int_compatible)?;
            self.note_definition(&name.name);
            return Ok(());
        }
        let members = members.into_iter().map(|m| m.name).collect();
        self.note_definition(&name.name);
        self.types.insert(
            name.name,
            UserType::Enum {
                members,
                int_compatible,
            },
        );
        Ok(())
    }

    /// `e.B` for a `defenum e`: the member's number, a constant.
    pub(super) fn parse_enum_member(&mut self, members: &[String]) -> PResult<Expr> {
        let start = self.start();
        let enum_name = self.expect_ident("an enumeration name")?;
        self.expect(&Tok::Dot)?;
        let member = self.expect_ident("a member name")?;
        let Some(index) = members.iter().position(|m| *m == member.name) else {
            return Err(self.report(
                Diagnostic::error(
                    member.span.clone(),
                    format!("`{}` has no member `{}`", enum_name.name, member.name),
                )
                .with_label("not a member")
                .with_hint(format!("its members are {}", members.join(", "))),
            ));
        };
        Ok(Expr {
            kind: ExprKind::Int(BigUint::from(index)),
            span: self.span_from(start),
        })
    }
}
