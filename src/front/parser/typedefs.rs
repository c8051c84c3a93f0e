//! `deftype` and `defchan` definitions: fields, parents, bodies.

use std::sync::Arc;

use super::redefine::{DefKind, DefName};
use super::{PResult, Parser, UserType};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;
use crate::front::subst::{subst_dims, subst_expr};

/// The direction flags written on a type's wires (`bool?! y`): field name, flags.
pub(super) type WireFlags = Vec<(String, String)>;

/// Which built-in methods a type definition may have.
#[derive(Clone, Copy)]
pub(super) enum MethodsOf {
    Data,
    Channel,
}

impl Parser<'_> {
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
        let written = name.name.clone();
        name.name = self.qualified(&name.name);
        let kind = if is_chan {
            DefKind::Channel
        } else {
            DefKind::Data
        };
        self.check_definition_kind(&DefName::new(&name.span, &written, &name.name), kind)?;
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
            // ACT adds every parameter of the parent to the new type, set or not.
            if let Some(own) = template_params.iter().find(|own| {
                (parent.def.template_params.iter()).any(|p| p.name.name == own.name.name)
            }) {
                return Err(self.report(
                    Diagnostic::error(
                        own.name.span.clone(),
                        format!(
                            "template parameter `{}` is also one of `{}`",
                            own.name.name, parent.def.name.name
                        ),
                    )
                    .with_label("declared again"),
                ));
            }
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
        let mut override_checks = Vec::new();
        if self.at(&Tok::Plus) && self.peek_at(1).kind == Tok::LBrace {
            self.bump();
            let overrides = self.parse_overrides()?;
            override_checks = self.apply_field_overrides(overrides, &mut fields);
        }
        // `deftype t (int x) :> iface { } { body }`: interfaces the type exports.
        let mut exported = Vec::new();
        if self.at(&Tok::Colon) && self.peek_at(1).kind == Tok::Gt {
            self.bump();
            self.bump();
            let names: Vec<&str> = fields.iter().map(|f| f.name.name.as_str()).collect();
            let interfaces = self.parse_exported_interfaces(&names, "type")?;
            exported.extend(interfaces.into_iter().map(|x| x.iface));
        }
        let exports: Vec<String> = exported.iter().map(|x| x.name.clone()).collect();
        let signature = type_signature(&base, &fields, &template_params);
        let declaration_only = self.at(&Tok::Semi);
        if let Some((previous, had_body)) = self.type_decls.get(&name.name) {
            let had_body = *had_body;
            let def_name = DefName::new(&name.span, &written, &name.name);
            if *previous != signature || self.export_differs(&name.name) {
                return Err(self.defined_differently(&def_name, kind, None));
            }
            if had_body && !declaration_only {
                return Err(self.defined_again(&def_name, kind, None));
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
                override_checks: Vec::new(),
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
            let methods = (&functions[..], fields.len());
            self.check_interface_methods(&name, &exported, methods, &macros, true);
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
                    override_checks,
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
                override_checks,
                span,
            })),
        };
        self.type_decls
            .insert(name.name.clone(), (signature, !declaration_only));
        self.note_definition(&name.name);
        self.types.insert(name.name.clone(), defined);
        Ok(())
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
            // A wire of a data type with wires carries its marks after the type's name
            // (`d1of?!<N> d`), which the type took: its mark all the same.
            let mark = match flag.as_str() {
                "" if !matches!(ty.kind, TypeKind::Chan { .. }) => (self.tokens
                    [type_start..self.pos])
                    .iter()
                    .take_while(|t| t.kind != Tok::Lt)
                    .filter_map(|t| match t.kind {
                        Tok::Question | Tok::Bang => Some(t.kind.text()),
                        _ => None,
                    })
                    .collect(),
                _ => flag.clone(),
            };
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
                    mark: match mark.as_str() {
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
        // ACT adds every parameter of the parent to the new type, set or not.
        if let Some(clash) = params
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
            dims: subst_dims(&f.dims, &bindings),
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
