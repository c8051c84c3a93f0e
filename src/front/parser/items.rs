//! Top-level items: process and function definitions, templates, ports, `deftype`,
//! `defchan`, `defenum`, namespaces and the types they use.

use std::sync::Arc;

use num_bigint::BigUint;

use super::{PResult, Parser, Reported, UserType};

/// The direction flags written on a type's wires (`bool?! y`): field name, flags.
pub(super) type WireFlags = Vec<(String, String)>;

/// Which built-in methods a type definition may have.
#[derive(Clone, Copy)]
pub(super) enum MethodsOf {
    Data,
    Channel,
}
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;
use crate::front::subst::subst_expr;

impl Parser<'_> {
    /// One top-level item; `Ok(None)` for something reported and skipped.
    pub(super) fn parse_item(&mut self) -> PResult<Option<Item>> {
        match &self.peek().kind {
            Tok::Template if self.template_of_function() => {
                Ok(Some(Item::Function(self.parse_function()?)))
            }
            Tok::Unsupported(word) if word == "function" => {
                Ok(Some(Item::Function(self.parse_function()?)))
            }
            Tok::Template | Tok::Defproc => self.parse_definition(),
            Tok::Unsupported(word) if word == "defcell" || word == "interface" => {
                self.parse_definition()
            }
            Tok::Pint | Tok::Pbool | Tok::Preal => {
                Ok(Some(Item::Params(self.parse_param_decls()?)))
            }
            _ if self.at_pstruct_def() => {
                self.parse_pstruct_def()?;
                Ok(None)
            }
            _ if self.at_pstruct_decl() => Ok(Some(Item::Params(self.parse_pstruct_decls()?))),
            Tok::Unsupported(word) if word == "ptype" => {
                Ok(Some(Item::Params(self.parse_ptype_decl()?)))
            }
            _ if self.at_global_body_item() => {
                let mut items = Vec::new();
                self.parse_body_item(&mut items)?;
                self.note_file_objects(&items);
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
                self.parse_enum_def()?;
                Ok(None)
            }
            Tok::Unsupported(word) if word == "namespace" => {
                self.parse_namespace()?;
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

    /// Notes the objects that file-scope `items` declare (in loops and conditionals too): the
    /// definitions after them see them.
    fn note_file_objects(&mut self, items: &[BodyItem]) {
        for item in items {
            let name = match item {
                BodyItem::Var(v) => &v.name.name,
                BodyItem::Instance(i) => &i.name.name,
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
            let root = name.split('.').next().unwrap_or(name);
            if !self.file_objects.contains(root) {
                Arc::make_mut(&mut self.file_objects).insert(root.to_string());
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
                let placeholder = Type::new(TypeKind::Int { width: None }, span.clone());
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
            let ty = self.parse_type()?;
            let mut flag = "";
            if !matches!(ty.kind, TypeKind::Chan { .. }) {
                // `bool? i`, `int! o`: a shared variable the process only reads (or writes);
                // chpsim shares it either way.
                flag = if self.eat(&Tok::Question) {
                    "?"
                } else if self.eat(&Tok::Bang) {
                    "!"
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

    /// A port or variable of an interface bundle's type (a record of channels) is its member
    /// channels, each named `name.member`: `rw p` with `rw (chan?(int) req; chan!(int) resp)`
    /// declares `p.req` and `p.resp`. Anything else is itself.
    pub(super) fn bundle_members(&mut self, decl: PortDecl) -> PResult<Vec<PortDecl>> {
        let TypeKind::Record(record) = &decl.ty.kind else {
            return Ok(vec![decl]);
        };
        let is_bundle =
            (record.def.fields.iter()).any(|f| matches!(f.ty.kind, TypeKind::Chan { .. }));
        if !is_bundle {
            return Ok(vec![decl]);
        }
        let array_field = record.def.fields.iter().find(|f| !f.dims.is_empty());
        if let (false, Some(field)) = (decl.dims.is_empty(), array_field) {
            return Err(self.report(
                Diagnostic::error(
                    decl.name.span.clone(),
                    "arrays of interface bundles with array members are not supported yet",
                )
                .with_label("an array of bundles")
                .with_note(field.name.span.clone(), "an array member"),
            ));
        }
        // A port of the bundle's `!` side (`rw! p`) sees the second mark of `chan?!(T)`.
        let output_side = self.port_flags.get(&decl.name.span.start) == Some(&"!");
        let member_type = |field: &FieldDecl| {
            let mut ty = field.ty.clone();
            if let (true, TypeKind::Chan { dir: Some(dir), .. }) =
                (output_side && field.flips, &mut ty.kind)
            {
                *dir = match dir {
                    ChanDir::Input => ChanDir::Output,
                    ChanDir::Output => ChanDir::Input,
                };
            }
            ty
        };
        // An array of bundles `rw p[4]` is an array per member (`p.req[4]`); `p[i].req` reads
        // as `p.req[i]`.
        let is_channel = |f: &&FieldDecl| matches!(f.ty.kind, TypeKind::Chan { .. });
        let members = record
            .def
            .fields
            .iter()
            .filter(is_channel)
            .map(|field| PortDecl {
                ty: member_type(field),
                name: Ident {
                    name: format!("{}.{}", decl.name.name, field.name.name),
                    span: decl.name.span.clone(),
                },
                dims: if decl.dims.is_empty() {
                    field.dims.clone()
                } else {
                    decl.dims.clone()
                },
                span: decl.span.clone(),
                wire_dir: None,
                bundle: Some(BundleOf {
                    name: decl.name.clone(),
                    ty: record.clone(),
                    field: field.name.name.clone(),
                    array: !decl.dims.is_empty(),
                }),
            });
        let mut members: Vec<PortDecl> = members.collect();
        // A record mixing channels and data (`deftype s (int<8> a; chan?(int<8>) L)`): its
        // data fields are a record of their own under the object's name (`s.a` reads a field
        // of it), beside its channels (`s.L`); the type's macros see both.
        let data: Vec<FieldDecl> = (record.def.fields.iter())
            .filter(|f| !is_channel(f))
            .cloned()
            .collect();
        if !data.is_empty() {
            let def = RecordDef {
                fields: data,
                ..(*record.def).clone()
            };
            let mut ty = decl.ty.clone();
            ty.kind = TypeKind::Record(RecordType {
                def: Arc::new(def),
                args: record.args.clone(),
            });
            members.push(PortDecl { ty, ..decl });
        }
        Ok(members)
    }

    /// A port or variable of a refined type with wires (`dualrail c;` of `deftype dualrail <:
    /// bool (bool d0, d1, a) { }`) is itself, then each of its wires, named `c.d0`, ... (their
    /// own wires in turn). In an array `c[4]` a scalar wire is an array as long, `c.d0[4]`,
    /// whose elements are `c[i].d0`, and an array wire `d[2]` is `c.d[4][2]`, whose elements
    /// are `c[i].d[j]`. Wire names are never positions of a port list.
    pub(super) fn alias_wires(&mut self, decl: PortDecl) -> Vec<PortDecl> {
        let fields = match decl.ty.named.as_deref() {
            Some(named) => match self.types.get(&named.name) {
                Some(UserType::Alias {
                    params,
                    fields,
                    connections,
                    ..
                }) if !fields.is_empty() => crate::front::subst::bind_params(params, &named.args)
                    .map(|bindings| (fields.clone(), connections.clone(), bindings)),
                _ => None,
            },
            None => None,
        };
        let Some((fields, connections, bindings)) = fields else {
            return vec![decl];
        };
        // The type's own connections between its wires, for this object; for an array of
        // them, whose wires are arrays, for each element (`c.d.d[i][0] = c.f[i]`).
        let element: Vec<Expr> = (0..decl.dims.len())
            .map(|k| Expr {
                kind: ExprKind::Name(Ident {
                    name: format!("$wire{k}"),
                    span: decl.name.span.clone(),
                }),
                span: decl.name.span.clone(),
            })
            .collect();
        let mut items = Vec::new();
        for c in &connections {
            let side = |e: &Expr| {
                let wire = prefixed(&decl.name.name, &subst_expr(e, &bindings));
                of_element(&wire, &element)
            };
            if let (Some(lhs), Some(rhs)) = (side(&c.lhs), side(&c.rhs)) {
                items.push(BodyItem::Connection(Connection {
                    lhs,
                    rhs,
                    span: decl.name.span.clone(),
                }));
            }
        }
        for (k, dim) in decl.dims.iter().enumerate().rev() {
            if items.is_empty() {
                break;
            }
            let range = match dim {
                ArrayDim::Size(n) => IterRange::Count(subst_expr(n, &bindings)),
                ArrayDim::Range(lo, hi) => {
                    IterRange::Inclusive(subst_expr(lo, &bindings), subst_expr(hi, &bindings))
                }
            };
            let ExprKind::Name(var) = &element[k].kind else {
                unreachable!("a name");
            };
            items = vec![BodyItem::Loop(BodyLoop {
                var: var.clone(),
                range,
                items,
                span: decl.name.span.clone(),
            })];
        }
        self.wire_connections.extend(items);
        let mut wires = vec![decl.clone()];
        for field in fields {
            // An array wire of an array of objects has both dimensions: `c.d[4][2]` of
            // `c[4]` with wire `d[2]`, whose elements are `c[i].d[j]`.
            let dims: Vec<ArrayDim> = decl.dims.iter().chain(&field.dims).cloned().collect();
            let dims = dims
                .iter()
                .map(|d| match d {
                    ArrayDim::Size(n) => ArrayDim::Size(subst_expr(n, &bindings)),
                    ArrayDim::Range(lo, hi) => {
                        ArrayDim::Range(subst_expr(lo, &bindings), subst_expr(hi, &bindings))
                    }
                })
                .collect();
            let wire = PortDecl {
                ty: crate::front::subst::subst_type(&field.ty, &bindings),
                name: Ident {
                    name: format!("{}.{}", decl.name.name, field.name.name),
                    span: decl.name.span.clone(),
                },
                dims,
                span: decl.span.clone(),
                bundle: None,
                wire_dir: field.mark.direction(decl.wire_dir),
            };
            wires.extend(self.alias_wires(wire));
        }
        wires
    }

    /// The wire names of a refined type with wires, in order (for a port list of one).
    pub(super) fn wire_names(&self, ty: &Type) -> Option<Vec<String>> {
        match self.types.get(&ty.named.as_deref()?.name)? {
            UserType::Alias { fields, .. } if !fields.is_empty() => {
                Some(fields.iter().map(|f| f.name.name.clone()).collect())
            }
            _ => None,
        }
    }

    /// Whether a data or channel type starts here (`enum` is not a keyword: `enum<N>` is).
    pub(super) fn at_data_type(&self) -> bool {
        match &self.peek().kind {
            Tok::Bool | Tok::Int | Tok::Chan => true,
            Tok::Ident(name) if self.lookup_type(name).is_some() => true,
            Tok::Ident(name) => name == "enum" && self.peek_at(1).kind == Tok::Lt,
            _ => false,
        }
    }

    /// `deftype name (fields) { ... }`, `deftype name <: int<W> (fields) { ... }` or
    /// `defchan name <: chan(T) (fields) { ... }` (at the keyword), with the parameters of its
    /// `template<...>` if any. Of the body, its methods are kept; the rest (production rules)
    /// is skipped. Inside a namespace the type is named `ns::name`.
    pub(super) fn parse_type_def(&mut self, template_params: Vec<ParamDecl>) -> PResult<()> {
        let template_params = super::pstructs::flatten_struct_params(template_params);
        let start = self.start();
        let is_chan = matches!(&self.peek().kind, Tok::Unsupported(w) if w == "defchan");
        self.bump();
        let mut name = self.expect_ident("a type name")?;
        name.name = self.qualified(&name.name);
        if self.processes.contains_key(&name.name) || self.interfaces.contains_key(&name.name) {
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!(
                        "`{}` is already the name of a process or interface",
                        name.name
                    ),
                )
                .with_label("a type of the same name"),
            ));
        }
        let mut template_params = template_params;
        let mut inherited = Inherited::default();
        let base = if self.at(&Tok::Lt) && self.peek_at(1).kind == Tok::Colon {
            self.bump();
            self.bump();
            match self.alias_parent(&template_params)? {
                Some((base, parent)) => {
                    template_params.extend(parent.unset.iter().cloned());
                    inherited = parent;
                    Some(base)
                }
                None => Some(self.parse_type()?),
            }
        } else {
            None
        };
        let (own_fields, flags) = self.parse_fields()?;
        for field in &own_fields {
            if inherited
                .fields
                .iter()
                .any(|f| f.name.name == field.name.name)
            {
                return Err(self.report(
                    Diagnostic::error(
                        field.name.span.clone(),
                        format!("field `{}` is also a field of the parent", field.name.name),
                    )
                    .with_label("declared again"),
                ));
            }
        }
        let mut fields: Vec<FieldDecl> = (inherited.fields.iter().cloned())
            .chain(own_fields)
            .collect();
        let mut base = base;
        let mut record_parent = None;
        // `deftype b <: a (fields)` for a record `a`: `b` is a record with `a`'s fields, then
        // its own; `a`'s template parameters its arguments leave unset are `b`'s, after its own.
        if let (
            Some(Type {
                kind: TypeKind::Record(parent),
                ..
            }),
            false,
        ) = (&base, is_chan)
        {
            let (inherited, unset) = inherited_fields(parent);
            let unset_args = unset.iter().map(|p| Expr {
                kind: ExprKind::Name(p.name.clone()),
                span: p.name.span.clone(),
            });
            record_parent = Some(RecordType {
                def: parent.def.clone(),
                args: parent.args.iter().cloned().chain(unset_args).collect(),
            });
            for field in &fields {
                if inherited.iter().any(|f| f.name.name == field.name.name) {
                    return Err(self.report(
                        Diagnostic::error(
                            field.name.span.clone(),
                            format!("field `{}` is also a field of the parent", field.name.name),
                        )
                        .with_label("declared again"),
                    ));
                }
            }
            fields = inherited.into_iter().chain(fields).collect();
            template_params.extend(unset);
            base = None;
        }
        if self.at(&Tok::Plus) && self.peek_at(1).kind == Tok::LBrace {
            self.bump();
            let overrides = self.parse_overrides()?;
            self.apply_field_overrides(overrides, &mut fields);
        }
        // `deftype t (int x) :> iface { } { body }`: interfaces the type exports.
        let mut exports = Vec::new();
        if self.at(&Tok::Colon) && self.peek_at(1).kind == Tok::Gt {
            self.bump();
            self.bump();
            let names: Vec<&str> = fields.iter().map(|f| f.name.name.as_str()).collect();
            let exported = self.parse_exported_interfaces(&names, "type")?;
            exports.extend(exported.into_iter().map(|x| x.iface.name));
        }
        let signature = type_signature(&base, &fields, &template_params);
        let declaration_only = self.at(&Tok::Semi);
        if let Some((previous, had_body)) = self.type_decls.get(&name.name) {
            if *previous != signature || (*had_body && !declaration_only) {
                let message = if *previous != signature {
                    format!(
                        "type `{}` was declared before as a different type",
                        name.name
                    )
                } else {
                    format!("type `{}` is defined twice", name.name)
                };
                return Err(self.report(
                    Diagnostic::error(name.span.clone(), message).with_label("defined again here"),
                ));
            }
            if declaration_only {
                self.eat(&Tok::Semi);
                return Ok(());
            }
            self.types.remove(&name.name);
        }
        if base.is_none() && fields.is_empty() && !is_chan {
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!("record `{}` has no fields", name.name),
                )
                .with_label("a structure needs at least one field")
                .with_hint("give it a field, or refine a type: `deftype t <: int<8> () { }`"),
            ));
        }
        let kind = if is_chan {
            MethodsOf::Channel
        } else {
            MethodsOf::Data
        };
        // The body's methods may name the record itself (`function lt (t other) : bool`,
        // `function next () : t`): while the body is read, the record is known by its fields.
        let provisional = base.is_none() && !is_chan && !self.types.contains_key(&name.name);
        if provisional {
            let known = RecordDef {
                name: name.clone(),
                template_params: template_params.clone(),
                fields: fields.clone(),
                parent: record_parent.clone(),
                methods: Vec::new(),
                macros: Vec::new(),
                exports: exports.clone(),
                span: name.span.clone(),
            };
            (self.types).insert(name.name.clone(), UserType::Record(Arc::new(known)));
        }
        let first_method = self.nested_items.len();
        let body = self.parse_type_body(&name, &fields, &template_params, kind, &flags);
        if provisional {
            self.types.remove(&name.name);
        }
        let TypeBody {
            methods,
            macros,
            chan_methods,
            connections,
        } = body?;
        if !exports.is_empty() {
            let items = std::mem::take(&mut self.nested_items);
            let functions: Vec<&FunctionDef> = (items[first_method.min(items.len())..].iter())
                .filter_map(|item| match item {
                    Item::Function(f) => Some(f),
                    _ => None,
                })
                .collect();
            self.check_interface_methods(&name, &exports, &functions, fields.len(), &macros);
            self.nested_items = items;
        }
        let span = self.span_from(start);
        let defined = match base {
            Some(base) if is_chan == matches!(base.kind, TypeKind::Chan { .. }) => {
                let methods = match (inherited.methods, chan_methods.bodies.is_empty()) {
                    (parent, true) => parent,
                    (parent, false) => {
                        let mut all = parent.map(|p| (*p).clone()).unwrap_or_default();
                        for (name, body) in chan_methods.bodies {
                            all.bodies.retain(|(n, _)| *n != name);
                            all.bodies.push((name, body));
                        }
                        Some(Arc::new(all))
                    }
                };
                UserType::Alias {
                    params: template_params,
                    base,
                    fields: fields.clone(),
                    connections: (inherited.connections.into_iter())
                        .chain(connections)
                        .collect(),
                    methods,
                }
            }
            Some(base) => {
                let (message, hint) = if is_chan {
                    (
                        "a `defchan` type must be a channel type",
                        "write `defchan name <: chan(T) () { }`",
                    )
                } else {
                    ("a `deftype` can only refine `bool`, `int<W>` or `enum<N>`", "write `deftype name <: int<W> () { }`, or a record `deftype name (fields) { }`")
                };
                return Err(self.report(
                    Diagnostic::error(base.span, message)
                        .with_label("not a data type here")
                        .with_hint(hint),
                ));
            }
            None if is_chan => {
                return Err(self.report(
                    Diagnostic::error(
                        name.span.clone(),
                        "a `defchan` needs the channel type it refines",
                    )
                    .with_hint("write `defchan name <: chan(T) () { }`"),
                ))
            }
            None => UserType::Record(Arc::new(RecordDef {
                name: name.clone(),
                template_params,
                fields,
                parent: record_parent,
                methods,
                macros,
                exports,
                span,
            })),
        };
        if self.types.contains_key(&name.name) && !self.type_decls.contains_key(&name.name) {
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!("type `{}` is defined twice", name.name),
                )
                .with_label("defined again here"),
            ));
        }
        self.type_decls
            .insert(name.name.clone(), (signature, !declaration_only));
        self.note_definition(&name.name);
        self.types.insert(name.name.clone(), defined);
        Ok(())
    }

    /// `namespace n { items }`: the processes, functions and types defined inside are named
    /// `n::name` (written so from outside); inside, their own names find them too.
    pub(super) fn parse_namespace(&mut self) -> PResult<()> {
        self.bump();
        let name = self.expect_ident("a namespace name")?;
        self.expect(&Tok::LBrace)?;
        let qualified = self.qualified(&name.name);
        if !self.namespaces.contains(&qualified) && self.is_type(&qualified) {
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
        }
        self.namespace.push(name.name.clone());
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
        self.namespace.pop();
        let inner = std::mem::replace(&mut self.nested_items, outer);
        for mut item in inner {
            let defined = match &mut item {
                Item::Process(def) => Some(&mut def.name),
                Item::Function(def) => Some(&mut def.name),
                Item::Instance(_) | Item::Params(_) | Item::Body(_) => None,
            };
            if let Some(defined) = defined {
                defined.name = format!("{}::{}", name.name, defined.name);
            }
            self.nested_items.push(item);
        }
        self.expect(&Tok::RBrace)?;
        Ok(())
    }

    /// `defenum name { A, B, C };`: the members are the values 0, 1, 2 of an `enum<3>`.
    pub(super) fn parse_enum_def(&mut self) -> PResult<()> {
        self.bump();
        let mut name = self.expect_ident("an enumeration name")?;
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
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!("type `{}` is defined twice", name.name),
                )
                .with_label("defined again here"),
            ));
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

    /// The field list `(int<8> a, b; bool c[4])` of a type definition (may be empty), and
    /// the direction flags written on its wires (`bool! z; bool?! y`), by field name.
    pub(super) fn parse_fields(&mut self) -> PResult<(Vec<FieldDecl>, WireFlags)> {
        self.expect(&Tok::LParen)?;
        let mut fields = Vec::new();
        let mut flags = Vec::new();
        loop {
            // `;` separates groups (a leading or trailing one is allowed).
            while self.eat(&Tok::Semi) {}
            if self.eat(&Tok::RParen) {
                return Ok((fields, flags));
            }
            let type_start = self.pos;
            let ty = self.parse_type()?;
            let flips = matches!(ty.kind, TypeKind::Chan { dir: Some(_), .. }) && {
                let marks = self.tokens[type_start..self.pos]
                    .iter()
                    .take_while(|t| t.kind != Tok::LParen);
                marks
                    .filter(|t| matches!(t.kind, Tok::Question | Tok::Bang))
                    .count()
                    == 2
            };
            // `bool! z; bool?! y`: the directions of a channel type's wires (for its
            // production rules), nothing to CHP.
            let mut flag = String::new();
            if !matches!(ty.kind, TypeKind::Chan { .. }) {
                for (first, second) in [(Tok::Question, Tok::Bang), (Tok::Bang, Tok::Question)] {
                    if self.eat(&first) {
                        flag.push_str(first.text());
                        if self.eat(&second) {
                            flag.push_str(second.text());
                        }
                        break;
                    }
                }
            }
            loop {
                let name = self.expect_ident("a field name")?;
                let dims = self.parse_dims()?;
                if !flag.is_empty() {
                    flags.push((name.name.clone(), flag.clone()));
                }
                fields.push(FieldDecl {
                    ty: ty.clone(),
                    name,
                    dims,
                    flips,
                    mark: match flag.as_str() {
                        "?" => WireMark::In,
                        "!" => WireMark::Out,
                        "?!" => WireMark::InOut,
                        "!?" => WireMark::OutIn,
                        _ => WireMark::None,
                    },
                });
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
            if !self.at(&Tok::Semi) {
                self.expect(&Tok::RParen)?;
                return Ok((fields, flags));
            }
        }
    }

    /// Skips a type definition's body `{ ... }`, returning the names of the functions and
    /// macros defined in it.
    ///
    /// A method function `function f (args) : T { ... }` of type `name` becomes the function
    /// `name.f` whose arguments are the type's fields (which its body reads by name) and then
    /// its own, and whose template parameters are the type's and then its own (see
    /// [`MethodOf`]).
    pub(super) fn parse_type_body(
        &mut self,
        name: &Ident,
        fields: &[FieldDecl],
        template_params: &[ParamDecl],
        kind: MethodsOf,
        flags: &WireFlags,
    ) -> PResult<TypeBody> {
        let mut out = TypeBody::default();
        // A declaration without a body: `defchan c <: chan(int) (bool b);`.
        if self.eat(&Tok::Semi) {
            return Ok(out);
        }
        let depth = self.bracket_depth;
        self.expect(&Tok::LBrace)?;
        let TypeBody {
            methods,
            macros,
            chan_methods,
            connections,
        } = &mut out;
        // Inside `methods { }` at its own level: the depth there, and the methods seen.
        let mut methods_block: Option<usize> = None;
        let mut builtin: Vec<String> = Vec::new();
        while self.bracket_depth > depth && !self.at(&Tok::Eof) {
            if methods_block.is_some_and(|d| self.bracket_depth < d) {
                methods_block = None;
            }
            let in_methods = methods_block == Some(self.bracket_depth);
            if self.bracket_depth == depth + 1 {
                self.check_wire_connection(flags)?;
                if let Some(connection) = self.type_body_connection() {
                    connections.push(connection);
                    continue;
                }
            }
            match &self.peek().kind {
                Tok::Unsupported(w)
                    if w == "methods"
                        && self.peek_at(1).kind == Tok::LBrace
                        && self.bracket_depth == depth + 1 =>
                {
                    self.bump();
                    self.bump();
                    methods_block = Some(self.bracket_depth);
                }
                Tok::Ident(method)
                    if in_methods && matches!(self.peek_at(1).kind, Tok::LBrace | Tok::Eq) =>
                {
                    let span = self.peek().span.clone();
                    let is_expr = self.peek_at(1).kind == Tok::Eq;
                    let method = method.clone();
                    self.check_method(kind, &method, is_expr, &span, &mut builtin)?;
                    self.bump();
                    let body = if is_expr {
                        self.bump();
                        let e = self.parse_expr()?;
                        self.expect(&Tok::Semi)?;
                        MethodBody::Probe(e)
                    } else if matches!(kind, MethodsOf::Channel) {
                        // HSE over the channel's wires, run where a CHP end uses the channel.
                        MethodBody::Chp(self.parse_braced_chp()?.map(Box::new))
                    } else {
                        self.skip_balanced();
                        continue;
                    };
                    chan_methods.bodies.push((method, body));
                }
                Tok::Unsupported(w) if w == "function" && self.peek_at(1).kind != Tok::Eof => {
                    let mut def = self.parse_function()?;
                    methods.push(def.name.clone());
                    let field_args = fields.iter().map(|f| PortDecl {
                        ty: f.ty.clone(),
                        name: f.name.clone(),
                        dims: f.dims.clone(),
                        span: f.name.span.clone(),
                        bundle: None,
                        wire_dir: None,
                    });
                    def.args = field_args.chain(def.args).collect();
                    def.template_params = (template_params.iter().cloned())
                        .chain(def.template_params)
                        .collect();
                    def.method = Some(MethodOf {
                        record: name.name.clone(),
                        fields: fields.len(),
                        record_params: template_params.len(),
                    });
                    // Named after its record's unqualified name: an enclosing namespace adds
                    // its own prefix to every function defined in it.
                    let record = name.name.rsplit("::").next().unwrap_or(&name.name);
                    def.name.name = format!("{record}.{}", def.name.name);
                    self.nested_items.push(Item::Function(def));
                }
                Tok::Unsupported(w) if w == "macro" => {
                    self.bump();
                    let name = self.expect_ident("a macro name")?;
                    methods.push(name.clone());
                    let args = self.parse_ports()?;
                    self.macro_args_are_new(&args, fields, template_params)?;
                    let body = self.parse_braced_chp()?;
                    macros.push(MacroDef { name, args, body });
                }
                _ => {
                    self.bump();
                }
            }
        }
        Ok(out)
    }

    /// At `a = b;` in a type's body (`d.d[0] = f;`): the connection of two of its wires; `None`
    /// (and nothing read) for anything else.
    fn type_body_connection(&mut self) -> Option<Connection> {
        if !matches!(self.peek().kind, Tok::Ident(_)) || self.peek_at(1).kind == Tok::LBrace {
            return None;
        }
        let checkpoint = self.checkpoint();
        let start = self.start();
        let parsed = (|| {
            let lhs = self.parse_reference().ok()?;
            if !self.eat(&Tok::Eq) {
                return None;
            }
            let rhs = self.parse_reference().ok()?;
            self.eat(&Tok::Semi).then_some((lhs, rhs))
        })();
        match parsed {
            Some((lhs, rhs)) => Some(Connection {
                lhs,
                rhs,
                span: self.span_from(start),
            }),
            None => {
                self.rewind(checkpoint);
                None
            }
        }
    }

    /// At a parent type `t<args>` after `<:` that is a `deftype`/`defchan` refining another
    /// type (`gen_a1of<false, 0>`, `a1of<2>`): what the new type inherits. The parameters the
    /// arguments leave unset are the new type's (after `own` ones). `None` (nothing read)
    /// for another parent.
    fn alias_parent(&mut self, own: &[ParamDecl]) -> PResult<Option<(Type, Inherited)>> {
        let Tok::Ident(name) = &self.peek().kind else {
            return Ok(None);
        };
        let Some(UserType::Alias {
            params,
            fields,
            connections,
            methods,
            ..
        }) = self.lookup_type(name).cloned()
        else {
            return Ok(None);
        };
        let start = self.start();
        let name = self.expect_ident("a type name")?;
        self.check_exported(&name);
        let dir = self.direction_marks();
        let mut args = if self.at(&Tok::Lt) {
            self.parse_template_args()?
        } else {
            Vec::new()
        };
        let given = args.len().min(params.len());
        let unset: Vec<ParamDecl> = params[given..]
            .iter()
            .filter(|p| p.value.is_none())
            .cloned()
            .collect();
        if let Some(clash) = unset
            .iter()
            .find(|p| own.iter().any(|o| o.name.name == p.name.name))
        {
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!(
                        "template parameter `{}` is also one of `{}`",
                        clash.name.name, name.name
                    ),
                )
                .with_label("declared again"),
            ));
        }
        // The unset parameters stand for themselves, now the new type's.
        args.extend(params[given..].iter().map(|p| match &p.value {
            Some(default) => default.clone(),
            None => Expr {
                kind: ExprKind::Name(p.name.clone()),
                span: name.span.clone(),
            },
        }));
        let (kind, named) = self.alias_use(&name, args, dir)?;
        let bindings = match &named {
            Some(named) => {
                crate::front::subst::bind_params(&params, &named.args).unwrap_or_default()
            }
            None => Default::default(),
        };
        let inherited = Inherited {
            fields: (fields.iter())
                .map(|f| FieldDecl {
                    ty: crate::front::subst::subst_type(&f.ty, &bindings),
                    dims: subst_dims(&f.dims, &bindings),
                    ..f.clone()
                })
                .collect(),
            connections: (connections.iter())
                .map(|c| Connection {
                    lhs: subst_expr(&c.lhs, &bindings),
                    rhs: subst_expr(&c.rhs, &bindings),
                    span: c.span.clone(),
                })
                .collect(),
            methods: methods.map(|m| Arc::new(crate::front::subst::subst_methods(&m, &bindings))),
            unset,
        };
        let base = Type {
            kind,
            span: self.span_from(start),
            named,
        };
        Ok(Some((base, inherited)))
    }

    /// `?`, `!`, `?!` or `!?` after a type's name (`bd!<1>`, `d1of?!<N>`): the direction of a
    /// channel (the first mark); a data type's marks say which side drives its wires.
    fn direction_marks(&mut self) -> Option<ChanDir> {
        if self.eat(&Tok::Question) {
            self.eat(&Tok::Bang);
            Some(ChanDir::Input)
        } else if self.eat(&Tok::Bang) {
            self.eat(&Tok::Question);
            Some(ChanDir::Output)
        } else {
            None
        }
    }

    /// ACT: a macro's argument cannot take the name of a field (or a port) or a template
    /// parameter of its type, which its body also sees.
    pub(super) fn macro_args_are_new(
        &mut self,
        args: &[PortDecl],
        fields: &[FieldDecl],
        template_params: &[ParamDecl],
    ) -> PResult<()> {
        let taken = |name: &str| {
            fields.iter().any(|f| f.name.name == name)
                || template_params.iter().any(|p| p.name.name == name)
        };
        let Some(arg) = args.iter().find(|a| taken(&a.name.name)) else {
            return Ok(());
        };
        Err(self.report(
            Diagnostic::error(
                arg.name.span.clone(),
                format!(
                    "macro argument `{}` has the name of a field or parameter of its type",
                    arg.name.name
                ),
            )
            .with_label("already a name in the macro's body")
            .with_hint("rename the argument"),
        ))
    }

    /// At `a = b;` in a type's body, where `a` and `b` are wires with direction flags: ACT
    /// connects them only if the flags are the same.
    fn check_wire_connection(&mut self, flags: &WireFlags) -> PResult<()> {
        let (Tok::Ident(a), Tok::Eq, Tok::Ident(b)) = (
            &self.peek().kind,
            &self.peek_at(1).kind,
            &self.peek_at(2).kind,
        ) else {
            return Ok(());
        };
        let flag = |name: &str| flags.iter().find(|(n, _)| n == name).map(|(_, f)| f);
        let (Some(fa), Some(fb)) = (flag(a), flag(b)) else {
            return Ok(());
        };
        if fa == fb {
            return Ok(());
        }
        let span = self.peek().span.start..self.peek_at(2).span.end;
        Err(self.report(
            Diagnostic::error(
                span,
                format!("cannot connect `{a}` and `{b}`: their directions differ"),
            )
            .with_label(format!("`{a}` is `{fa}`, `{b}` is `{fb}`"))
            .with_hint("wires of a type connect only with the same direction flags"),
        ))
    }

    /// ACT's rules on a built-in method `name { ... }` (`name = expr;` when `is_expr`) of a
    /// type: a data type has `set` and `get`; a channel the send and receive methods and the
    /// probe expressions; each at most once (`seen`).
    fn check_method(
        &mut self,
        kind: MethodsOf,
        name: &str,
        is_expr: bool,
        span: &Span,
        seen: &mut Vec<String>,
    ) -> PResult<()> {
        const CHANNEL: [&str; 8] = [
            "set",
            "get",
            "send_rest",
            "recv_rest",
            "send_up",
            "recv_up",
            "send_init",
            "recv_init",
        ];
        const PROBES: [&str; 2] = ["send_probe", "recv_probe"];
        let known = match (kind, is_expr) {
            (MethodsOf::Data, false) => ["set", "get"].contains(&name),
            (MethodsOf::Data, true) => false,
            (MethodsOf::Channel, false) => CHANNEL.contains(&name),
            (MethodsOf::Channel, true) => PROBES.contains(&name),
        };
        let message = if !known {
            let what = match kind {
                MethodsOf::Data => "a data type's methods are `set` and `get`",
                MethodsOf::Channel => "a channel's methods are set, get, send_init, send_up, send_rest, recv_init, recv_up, recv_rest, and `send_probe = e;`, `recv_probe = e;`",
            };
            Some((format!("method `{name}` is not supported"), what))
        } else if seen.iter().any(|s| s == name) {
            Some((
                format!("method `{name}` is defined twice"),
                "each method once",
            ))
        } else {
            None
        };
        if let Some((message, hint)) = message {
            return Err(self.report(
                Diagnostic::error(span.clone(), message)
                    .with_label("here")
                    .with_hint(hint),
            ));
        }
        seen.push(name.to_string());
        Ok(())
    }

    /// `bool`, `int`, `int<W>`, `enum<N>`, `chan(T)`, `chan?(T)`, `chan!(T)`.
    pub(super) fn parse_type(&mut self) -> PResult<Type> {
        self.nested(|p| {
            let start = p.start();
            let kind = match &p.peek().kind {
                Tok::Bool => {
                    p.bump();
                    TypeKind::Bool
                }
                Tok::Int => {
                    p.bump();
                    let width = if p.at(&Tok::Lt) {
                        p.bump();
                        let width = p.parse_in_angle_brackets(|p| p.parse_expr())?;
                        p.expect(&Tok::Gt)?;
                        Some(Box::new(width))
                    } else {
                        None
                    };
                    TypeKind::Int { width }
                }
                Tok::Ident(name) if name == "enum" => {
                    p.bump();
                    p.expect(&Tok::Lt)?;
                    let size = p.parse_in_angle_brackets(|p| p.parse_expr())?;
                    p.expect(&Tok::Gt)?;
                    TypeKind::Enum {
                        size: Box::new(size),
                    }
                }
                Tok::Chan => {
                    p.bump();
                    // In a bundle's field, `chan?!(T)` / `chan!?(T)`: the first mark is the
                    // direction a process with a port of the bundle's type sees; the second,
                    // the direction inside the type (for its production rules), is not used.
                    let dir = if p.eat(&Tok::Question) {
                        p.eat(&Tok::Bang);
                        Some(ChanDir::Input)
                    } else if p.eat(&Tok::Bang) {
                        p.eat(&Tok::Question);
                        Some(ChanDir::Output)
                    } else {
                        None
                    };
                    p.expect(&Tok::LParen)?;
                    if p.eat(&Tok::RParen) {
                        // `chan()`: a dataless channel, for `X!` / `X?` synchronisation.
                        let kind = TypeKind::Chan {
                            dir,
                            data: None,
                            reply: None,
                        };
                        return Ok(Type::new(kind, p.span_from(start)));
                    }
                    let data = p.parse_type()?;
                    // `chan(T1, T2)`: an exchange channel, T2 flows back from the receiver.
                    let reply = if p.eat(&Tok::Comma) {
                        Some(Box::new(p.parse_type()?))
                    } else {
                        None
                    };
                    p.expect(&Tok::RParen)?;
                    for carried in std::iter::once(&data).chain(reply.as_deref()) {
                        if !valid_channel_data(carried) {
                            return Err(p.report(
                                Diagnostic::error(
                                    carried.span.clone(),
                                    format!("a channel cannot carry `{carried}`"),
                                )
                                .with_label("not pure data")
                                .with_hint("a channel carries bool, int<W>, an enumeration, or a record of those"),
                            ));
                        }
                    }
                    TypeKind::Chan {
                        dir: dir.or_else(|| p.direction_after_type()),
                        data: Some(Box::new(data)),
                        reply,
                    }
                }
                Tok::Ident(name) if p.lookup_type(name).is_some() => {
                    let (kind, named) = p.user_type()?;
                    return Ok(Type {
                        kind,
                        span: p.span_from(start),
                        named,
                    });
                }
                Tok::Unsupported(word) => {
                    let span = p.peek().span.clone();
                    let message = format!("`{word}` is not supported yet");
                    return Err(p.report(Diagnostic::error(span, message).with_label("not a supported type").with_hint(
                        "the supported types are bool, int, int<W>, chan(T), chan?(T), chan!(T)",
                    )));
                }
                _ => return Err(p.error_expected("a type (`bool`, `int`, `int<W>` or `chan(T)`)")),
            };
            Ok(Type::new(kind, p.span_from(start)))
        })
    }

    /// A type name defined by `deftype`, `defchan` or `defenum` (at the name), with its
    /// template arguments (`cell<4>`); what it stands for and, for an alias, its identity. An
    /// alias of a channel type may be followed by a direction: `e1of2? L`.
    pub(super) fn user_type(&mut self) -> PResult<(TypeKind, Option<Box<NamedType>>)> {
        let name = self.expect_ident("a type name")?;
        self.check_exported(&name);
        let defined = self.lookup_type(&name.name).expect("at a type").clone();
        let templated = match &defined {
            UserType::Record(_) => true,
            UserType::Alias { params, .. } => !params.is_empty(),
            UserType::Enum { .. } => false,
        };
        let early_dir = match defined {
            UserType::Alias { .. } => self.direction_marks(),
            _ => None,
        };
        if self.at(&Tok::Lt) && !templated {
            let span = self.peek().span.clone();
            return Err(self.report(
                Diagnostic::error(span, format!("`{}` takes no template arguments", name.name))
                    .with_label("its definition has no `template<...>`"),
            ));
        }
        let args = if self.at(&Tok::Lt) {
            self.parse_template_args()?
        } else {
            Vec::new()
        };
        let args = match &defined {
            UserType::Record(def) => {
                super::pstructs::expand_struct_args(&def.template_params, args)
            }
            UserType::Alias { params, .. } => super::pstructs::expand_struct_args(params, args),
            UserType::Enum { .. } => args,
        };
        Ok(match defined {
            UserType::Record(def) => {
                self.check_argument_kinds(&def.template_params, &args)?;
                (TypeKind::Record(RecordType { def, args }), None)
            }
            UserType::Enum {
                members,
                int_compatible,
            } => {
                let int = |value: u64| {
                    Box::new(Expr {
                        kind: ExprKind::Int(BigUint::from(value)),
                        span: name.span.clone(),
                    })
                };
                let count = members.len() as u64;
                let kind = if int_compatible {
                    // The enumeration's own width: ceil(log2 N) bits.
                    let width = u64::from(u64::BITS - count.saturating_sub(1).leading_zeros());
                    TypeKind::Int {
                        width: Some(int(width)),
                    }
                } else {
                    TypeKind::Enum { size: int(count) }
                };
                (kind, None)
            }
            UserType::Alias { .. } => self.alias_use(&name, args, early_dir)?,
        })
    }

    /// A use of the type alias `name` (a `deftype`/`defchan` refining another type) with
    /// template arguments `args`: the type CHP sees, and the alias with its methods. A channel's
    /// direction is `dir`, or may follow (`e1of2? L`).
    fn alias_use(
        &mut self,
        name: &Ident,
        args: Vec<Expr>,
        dir: Option<ChanDir>,
    ) -> PResult<(TypeKind, Option<Box<NamedType>>)> {
        let Some(UserType::Alias {
            params,
            base,
            methods,
            fields,
            ..
        }) = self.lookup_type(&name.name).cloned()
        else {
            unreachable!("an alias")
        };
        let parent = self.instantiate_alias(name, &params, &base, &args)?;
        let kind = match parent.kind.clone() {
            TypeKind::Chan {
                dir: None,
                data,
                reply,
            } => TypeKind::Chan {
                dir: dir.or_else(|| self.direction_after_type()),
                data,
                reply,
            },
            kind => kind,
        };
        let methods = match (methods, crate::front::subst::bind_params(&params, &args)) {
            (Some(methods), Some(bindings)) => {
                let mut methods = crate::front::subst::subst_methods(&methods, &bindings);
                methods.wires = fields.iter().map(|f| f.name.name.clone()).collect();
                methods.marks = fields.iter().map(|f| f.mark).collect();
                Some(Arc::new(methods))
            }
            _ => None,
        };
        let named = NamedType {
            name: self.lookup_type_name(&name.name),
            args,
            parent,
            methods,
        };
        Ok((kind, Some(Box::new(named))))
    }

    /// A direction written after a channel type, as ACT allows: `chan(int)! X`, `e1of2? L`.
    pub(super) fn direction_after_type(&mut self) -> Option<ChanDir> {
        if self.eat(&Tok::Question) {
            Some(ChanDir::Input)
        } else if self.eat(&Tok::Bang) {
            Some(ChanDir::Output)
        } else {
            None
        }
    }

    /// `[N]`, `[lo..hi]`, repeated for several dimensions.
    pub(super) fn parse_dims(&mut self) -> PResult<Vec<ArrayDim>> {
        let mut dims = Vec::new();
        while self.eat(&Tok::LBracket) {
            let first = self.parse_expr()?;
            let dim = if self.eat(&Tok::DotDot) {
                ArrayDim::Range(first, self.parse_expr()?)
            } else {
                ArrayDim::Size(first)
            };
            self.expect(&Tok::RBracket)?;
            dims.push(dim);
        }
        Ok(dims)
    }

    /// Runs `f` with `>` closing template brackets rather than comparing.
    pub(super) fn parse_in_angle_brackets<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> PResult<T>,
    ) -> PResult<T> {
        let outer = std::mem::replace(&mut self.in_angle_brackets, true);
        let result = f(self);
        self.in_angle_brackets = outer;
        result
    }

    /// Runs `f` inside a bracket pair, where `>` compares again.
    pub(super) fn parse_in_brackets<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> PResult<T>,
    ) -> PResult<T> {
        let outer = std::mem::replace(&mut self.in_angle_brackets, false);
        let result = f(self);
        self.in_angle_brackets = outer;
        result
    }
}

/// ACT's rule on what a channel carries: `bool`, `int<W>`, an enumeration, or a structure of
/// those; not a channel, and not a data type that refines another with its own fields
/// (`deftype dualrail <: int<1> (bool t, f)`).
fn valid_channel_data(ty: &Type) -> bool {
    match &ty.kind {
        TypeKind::Chan { .. } => false,
        TypeKind::Record(record) => (record.def.fields.iter()).all(|f| valid_channel_data(&f.ty)),
        TypeKind::Bool | TypeKind::Int { .. } | TypeKind::Enum { .. } => ty.named.is_none(),
    }
}

/// The fields a record inherits from its parent `parent` (with the arguments given in place),
/// and the parent's template parameters the arguments leave unset.
fn inherited_fields(parent: &RecordType) -> (Vec<FieldDecl>, Vec<ParamDecl>) {
    let params = &parent.def.template_params;
    let given = parent.args.len().min(params.len());
    let bindings: crate::front::subst::Bindings = (params[..given].iter())
        .zip(&parent.args)
        .map(|(p, a)| (p.name.name.clone(), a.clone()))
        .collect();
    let fields = (parent.def.fields.iter())
        .map(|f| FieldDecl {
            ty: crate::front::subst::subst_type(&f.ty, &bindings),
            ..f.clone()
        })
        .collect();
    (fields, params[given..].to_vec())
}

/// What a type refining a type alias inherits from it (see `Parser::alias_parent`).
#[derive(Default)]
struct Inherited {
    fields: Vec<FieldDecl>,
    connections: Vec<Connection>,
    methods: Option<Arc<ChanMethods>>,
    /// The parent's parameters its arguments leave unset.
    unset: Vec<ParamDecl>,
}

/// What a type definition's body holds.
#[derive(Default)]
pub(super) struct TypeBody {
    /// The names of its functions and macros.
    pub methods: Vec<Ident>,
    pub macros: Vec<MacroDef>,
    /// A channel type's built-in methods (`set { ... }`, `recv_probe = e;`).
    pub chan_methods: ChanMethods,
    /// `a = b;` between its wires.
    pub connections: Vec<Connection>,
}

/// `e`, a reference to a wire of a type (`d.d[0]`), as a reference to that wire of the object
/// `object` (`x.d.d[0]` for `x`; `object` may itself be a wire, `x.d`).
fn prefixed(object: &str, e: &Expr) -> Expr {
    let kind = match &e.kind {
        ExprKind::Name(id) => {
            let mut parts = object.split('.');
            let first = parts.next().unwrap_or(object);
            let mut base = Expr {
                kind: ExprKind::Name(Ident {
                    name: first.to_string(),
                    span: id.span.clone(),
                }),
                span: e.span.clone(),
            };
            for part in parts.chain(std::iter::once(id.name.as_str())) {
                base = Expr {
                    kind: ExprKind::Field {
                        base: Box::new(base),
                        field: Ident {
                            name: part.to_string(),
                            span: id.span.clone(),
                        },
                    },
                    span: e.span.clone(),
                };
            }
            return base;
        }
        ExprKind::Index { base, index } => ExprKind::Index {
            base: Box::new(prefixed(object, base)),
            index: index.clone(),
        },
        ExprKind::Field { base, field } => ExprKind::Field {
            base: Box::new(prefixed(object, base)),
            field: field.clone(),
        },
        _ => return e.clone(),
    };
    Expr {
        kind,
        span: e.span.clone(),
    }
}

/// Wire `wire` (`c.d.d[0]`: a dotted name, then its own indices) of the element `element`
/// (its indices) of an array of objects: `c.d.d[i][0]`, the element's indices first, as the
/// wires of an array are declared. `wire` itself for no element; `None` for a wire indexed
/// before its last part (`c.d[0].x`), which has no such form.
fn of_element(wire: &Expr, element: &[Expr]) -> Option<Expr> {
    if element.is_empty() {
        return Some(wire.clone());
    }
    let mut own = Vec::new();
    let mut base = wire;
    while let ExprKind::Index { base: inner, index } = &base.kind {
        own.push(index.as_ref());
        base = inner;
    }
    let mut dotted = base;
    while let ExprKind::Field { base: inner, .. } = &dotted.kind {
        dotted = inner;
    }
    if !matches!(dotted.kind, ExprKind::Name(_)) {
        return None;
    }
    let indices = element.iter().chain(own.into_iter().rev());
    Some(indices.fold(base.clone(), |base, index| Expr {
        kind: ExprKind::Index {
            base: Box::new(base),
            index: Box::new(index.clone()),
        },
        span: wire.span.clone(),
    }))
}

/// Array dimensions with parameters replaced.
fn subst_dims(dims: &[ArrayDim], bindings: &crate::front::subst::Bindings) -> Vec<ArrayDim> {
    (dims.iter())
        .map(|d| match d {
            ArrayDim::Size(n) => ArrayDim::Size(subst_expr(n, bindings)),
            ArrayDim::Range(lo, hi) => {
                ArrayDim::Range(subst_expr(lo, bindings), subst_expr(hi, bindings))
            }
        })
        .collect()
}

/// A type definition's parent, fields and parameters as text: two declarations of a type must
/// agree on it.
fn type_signature(base: &Option<Type>, fields: &[FieldDecl], params: &[ParamDecl]) -> String {
    let mut text = String::new();
    for p in params {
        text.push_str(&p.name.name);
        text.push(';');
    }
    if let Some(base) = base {
        text.push_str(&format!("<:{base}"));
    }
    for f in fields {
        text.push_str(&format!("({} {}[{}])", f.ty, f.name.name, f.dims.len()));
    }
    text
}
