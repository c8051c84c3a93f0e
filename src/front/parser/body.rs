//! Process bodies: declarations, instances, connections and loops over them.

use super::{specialize, PResult, Parser, Reported};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;

impl Parser<'_> {
    /// Body items up to (not including) the closing `}` of the process.
    pub(super) fn parse_body_until_brace(&mut self) -> Vec<BodyItem> {
        self.parse_body_items(&Tok::RBrace)
    }

    /// Body items until `closer` (not consumed) or end of file, recovering from errors.
    pub(super) fn parse_body_items(&mut self, closer: &Tok) -> Vec<BodyItem> {
        self.parse_body_items_until(std::slice::from_ref(closer))
    }

    /// Body items until one of `closers` (not consumed) or end of file.
    fn parse_body_items_until(&mut self, closers: &[Tok]) -> Vec<BodyItem> {
        let mut items = Vec::new();
        // The next process cannot be in a body: a `}` is missing (see `unclosed_body`).
        while !closers.iter().any(|c| self.at(c)) && !self.at(&Tok::Eof) && !self.at_process_start()
        {
            let depth = self.bracket_depth;
            let start_pos = self.pos;
            if let Err(Reported) = self.parse_body_item(&mut items) {
                self.recover_item(depth);
            }
            if self.pos == start_pos {
                // A stray closer of another kind: report and step over it.
                self.error_expected("a declaration, instance, connection, loop or `chp` block");
                self.skip_stray();
            }
        }
        items
    }

    /// One body item (several for `int x, y;`), appended to `items`.
    pub(super) fn parse_body_item(&mut self, items: &mut Vec<BodyItem>) -> PResult<()> {
        match &self.peek().kind {
            Tok::Chp => items.push(BodyItem::Chp(self.parse_chp_block()?)),
            Tok::Pint | Tok::Pbool | Tok::Preal => {
                items.extend(self.parse_param_decls()?.into_iter().map(BodyItem::Param));
            }
            _ if self.at_pstruct_decl() => {
                items.extend(self.parse_pstruct_decls()?.into_iter().map(BodyItem::Param));
            }
            _ if self.at_data_type() => self.parse_var_decls(items)?,
            Tok::LParen => {
                let body_loop = self.nested(|p| p.parse_body_loop())?;
                items.push(BodyItem::Loop(body_loop));
            }
            Tok::LBracket => {
                let select = self.nested(|p| p.parse_body_select(Tok::LBracket))?;
                items.push(BodyItem::Conditional(select));
            }
            Tok::StarLBracket => {
                let select = self.nested(|p| p.parse_body_select(Tok::StarLBracket))?;
                items.push(BodyItem::GenLoop(select));
            }
            Tok::LBrace if self.brace_then_eq() => {
                let start = self.start();
                // Not `parse_expr`: `=` is also equality.
                let lhs = self.parse_primary()?;
                self.expect(&Tok::Eq)?;
                let rhs = self.parse_array_expr()?;
                self.expect(&Tok::Semi)?;
                items.push(BodyItem::Connection(Connection {
                    lhs,
                    rhs,
                    span: self.span_from(start),
                }));
            }
            Tok::LBrace => items.push(BodyItem::Assert(self.parse_body_assert()?)),
            Tok::DollarLBrace => {
                let start = self.start();
                self.bump();
                let args = self.parse_in_brackets(|p| {
                    let mut args = vec![p.parse_log_arg()?];
                    while p.eat(&Tok::Comma) {
                        args.push(p.parse_log_arg()?);
                    }
                    Ok(args)
                })?;
                self.expect(&Tok::RBrace)?;
                self.expect(&Tok::Semi)?;
                items.push(BodyItem::Print(args, self.span_from(start)));
            }
            Tok::Ident(_) => {
                let next = &self.peek_at(1).kind;
                if matches!(next, Tok::Ident(_) | Tok::Lt) {
                    items.extend(self.parse_instance_decls()?);
                } else {
                    items.extend(self.parse_connection()?);
                }
            }
            _ if self.at_lang_block() => {
                items.push(BodyItem::Lang(Box::new(
                    self.parse_lang_block(self.lang_place)?,
                )));
            }
            Tok::Unsupported(word) if word == "methods" && self.peek_at(1).kind == Tok::LBrace => {
                self.parse_process_methods()?
            }
            Tok::Unsupported(word) if word == "ptype" => {
                items.extend(self.parse_ptype_decl()?.into_iter().map(BodyItem::Param))
            }
            Tok::Unsupported(word) => {
                // Already skipped: nothing more to recover.
                self.unsupported(word);
            }
            _ => {
                return Err(
                    self.error_expected("a declaration, instance, connection, loop or `chp` block")
                )
            }
        }
        Ok(())
    }

    /// `methods { macro m (int v) { chp } ... }` in a process body: its macros (a body
    /// `chp-txt { ... }` too) are kept for `s.m(args);` in the CHP of a process using it.
    fn parse_process_methods(&mut self) -> PResult<()> {
        self.bump();
        self.expect(&Tok::LBrace)?;
        while !self.at(&Tok::RBrace) && !self.at(&Tok::Eof) {
            if !matches!(&self.peek().kind, Tok::Unsupported(w) if w == "macro") {
                let word = self.peek().kind.describe();
                let span = self.peek().span.clone();
                return Err(self.report(
                    Diagnostic::error(
                        span,
                        format!("{word} is not supported in the methods of a process"),
                    )
                    .with_label("not a macro")
                    .with_hint("a process's methods are `macro name (args) { chp }`"),
                ));
            }
            self.bump();
            let name = self.expect_ident("a macro name")?;
            if let Some(first) = self
                .process_macros
                .iter()
                .find(|m| m.name.name == name.name)
            {
                let first = first.name.span.clone();
                return Err(self.report(
                    Diagnostic::error(
                        name.span.clone(),
                        format!("macro `{}` is defined twice", name.name),
                    )
                    .with_label("again here")
                    .with_note(first, "first defined here"),
                ));
            }
            let args = self.parse_ports()?;
            let body = if self.at(&Tok::Chp) {
                self.bump();
                if !self.at_txt_suffix() {
                    return Err(self.error_expected(
                        "`-txt` (a macro's body is `{ chp }` or `chp-txt { ... }`)",
                    ));
                }
                self.bump();
                self.bump();
                self.parse_txt_braced()?
            } else {
                self.parse_braced_chp()?
            };
            self.process_macros.push(MacroDef { name, args, body });
        }
        self.expect(&Tok::RBrace)?;
        Ok(())
    }

    /// `ptype(iface<args>) t, u;`: parameters that hold a process type exporting the
    /// interface `iface` (ACT's check: `iface` is an interface), set by `t = p;`.
    pub(super) fn parse_ptype_decl(&mut self) -> PResult<Vec<ParamDecl>> {
        let start = self.start();
        self.bump();
        let iface = Box::new(self.parse_ptype_interface()?);
        let mut decls = Vec::new();
        loop {
            let mut decl = self.parse_param_declarator(ParamKind::Ptype, start)?;
            decl.iface = Some(iface.clone());
            decls.push(decl);
            if !self.eat(&Tok::Comma) {
                break;
            }
        }
        self.expect(&Tok::Semi)?;
        Ok(decls)
    }

    /// `chp { ... }` or `chp-txt { ... }` (an empty block has no body).
    fn parse_chp_block(&mut self) -> PResult<ChpBlock> {
        let start = self.start();
        self.expect(&Tok::Chp)?;
        if self.at_txt_suffix() {
            self.bump();
            self.bump();
            let body = self.parse_txt_braced()?;
            return Ok(ChpBlock {
                body,
                span: self.span_from(start),
                supply: None,
            });
        }
        let supply = self.parse_supply()?.map(Box::new);
        let body = self.parse_braced_chp()?;
        Ok(ChpBlock {
            body,
            span: self.span_from(start),
            supply,
        })
    }

    /// `int<8> x, y[4];`: one variable per name (per member for an interface bundle), each
    /// appended to `items` as soon as it is read.
    fn parse_var_decls(&mut self, items: &mut Vec<BodyItem>) -> PResult<()> {
        let start = self.start();
        let type_start = self.pos;
        let ty = self.parse_type()?;
        let wire_dir = if matches!(ty.kind, TypeKind::Chan { .. }) {
            None
        } else {
            match (self.wire_direction()?, ty.named.is_none()) {
                // `int?<8> x`: the mark written before the width.
                (None, true) => match self.marks_in_type(type_start).as_str() {
                    "?" => Some(ChanDir::Input),
                    "!" => Some(ChanDir::Output),
                    "" => None,
                    _ => {
                        let marks = (self.tokens[type_start..self.pos].iter())
                            .filter(|t| matches!(t.kind, Tok::Question | Tok::Bang));
                        let spans: Vec<_> = marks.map(|t| t.span.clone()).collect();
                        let span = spans[0].start..spans[spans.len() - 1].end;
                        return Err(self.both_directions(span));
                    }
                },
                (dir, _) => dir,
            }
        };
        loop {
            let name = self.expect_ident("a variable name")?;
            self.not_reserved(&name)?;
            let dims = self.parse_dims()?;
            // `bool p = g.gnd;`, `int a = b = c;`: the declaration, then its connections.
            let mut connections = Vec::new();
            // `dualrail c(d0, , a);`: a port list of a refined type's wires.
            if let (Some(wires), true) = (self.wire_names(&ty), self.at(&Tok::LParen)) {
                let var = Expr {
                    kind: ExprKind::Name(name.clone()),
                    span: name.span.clone(),
                };
                let args = self.parse_port_args()?;
                connections.extend(wire_connections(&var, &wires, args));
            }
            let attributes = self.declared_attributes(&name)?;
            while self.at(&Tok::Eq) {
                let eq = self.bump().span.clone();
                if !dims.is_empty() {
                    return Err(self.report(
                        Diagnostic::error(
                            eq,
                            format!(
                                "`{}` is an array: a connection in a declaration is only for a \
                                 single instance",
                                name.name
                            ),
                        )
                        .with_label("connection of an array")
                        .with_hint(format!(
                            "declare the array, then connect it: `{} = ...;`",
                            name.name
                        )),
                    ));
                }
                let rhs = self.parse_array_expr()?;
                connections.push(Connection {
                    lhs: Expr {
                        kind: ExprKind::Name(name.clone()),
                        span: name.span.clone(),
                    },
                    span: name.span.start..rhs.span.end,
                    rhs,
                });
            }
            let decl = PortDecl {
                ty: ty.clone(),
                name,
                dims,
                span: self.span_from(start),
                bundle: None,
                wire_dir,
            };
            self.note_object_type(&decl.name.name, &ty, false);
            let (objects, wires) = self.declared_objects(decl)?;
            items.extend(objects);
            items.extend(attributes);
            items.extend(wires);
            items.extend(connections.into_iter().map(BodyItem::Connection));
            if !self.eat(&Tok::Comma) {
                break;
            }
        }
        self.expect(&Tok::Semi)?;
        Ok(())
    }

    /// The variables a declaration `decl` (with `decl.wire_dir` as written) declares: the
    /// object (an interface bundle's members) and its wires; then the connections its type
    /// makes between its wires.
    pub(super) fn declared_objects(
        &mut self,
        decl: PortDecl,
    ) -> PResult<(Vec<BodyItem>, Vec<BodyItem>)> {
        let wire_dir = decl.wire_dir;
        let members = self.bundle_members(decl)?;
        let outer_wires = std::mem::take(&mut self.wire_connections);
        let objects = (members.into_iter())
            .flat_map(|m| self.alias_wires(m))
            .map(|member| {
                BodyItem::Var(VarDecl {
                    ty: member.ty,
                    name: member.name,
                    dims: member.dims,
                    span: member.span,
                    bundle: member.bundle,
                    wire_dir: member.wire_dir.or(wire_dir),
                    overridden: None,
                })
            })
            .collect();
        let wires = std::mem::replace(&mut self.wire_connections, outer_wires);
        Ok((objects, wires))
    }

    /// `[ g -> items [] ... [] else -> items ]` (at `[`) or `*[ g -> items [] ... ]` (at `*[`),
    /// with an optional `;` after it.
    fn parse_body_select(&mut self, opener: Tok) -> PResult<BodySelect> {
        let start = self.start();
        let looping = opener == Tok::StarLBracket;
        self.expect(&opener)?;
        let mut arms = Vec::new();
        loop {
            let arm = self.parse_body_arm()?;
            if arm.guard == Guard::Else {
                let message = if looping {
                    Some("`else` is not allowed in a loop `*[ ... ]`")
                } else if !self.at(&Tok::RBracket) {
                    Some("`else` must be the last alternative")
                } else {
                    None
                };
                if let Some(message) = message {
                    return Err(self.report(
                        Diagnostic::error(arm.span.clone(), message)
                            .with_label("`else` alternative"),
                    ));
                }
            }
            arms.push(arm);
            if !self.eat(&Tok::Box) {
                break;
            }
        }
        self.expect(&Tok::RBracket)?;
        self.eat(&Tok::Semi);
        Ok(BodySelect {
            arms,
            span: self.span_from(start),
        })
    }

    /// `g -> items`, `else -> items` or `( [] i : N : g -> items )`.
    fn parse_body_arm(&mut self) -> PResult<BodyArm> {
        let start = self.start();
        if self.at(&Tok::LParen) && self.peek_at(1).kind == Tok::Box {
            self.bump();
            self.bump();
            let (var, range) = self.parse_loop_head()?;
            let guard = Guard::Expr(self.parse_expr()?);
            self.expect(&Tok::Arrow)?;
            let items = self.parse_body_items(&Tok::RParen);
            self.expect(&Tok::RParen)?;
            return Ok(BodyArm {
                replicator: Some(Replicator { var, range }),
                guard,
                items,
                span: self.span_from(start),
            });
        }
        let guard = if self.eat(&Tok::Else) {
            Guard::Else
        } else {
            Guard::Expr(self.parse_expr()?)
        };
        self.expect(&Tok::Arrow)?;
        let items = self.parse_body_items_until(&[Tok::Box, Tok::RBracket]);
        Ok(BodyArm {
            replicator: None,
            guard,
            items,
            span: self.span_from(start),
        })
    }

    /// `{ cond : "message" };` or `{ a === b : "message" };` (`!==`: not connected).
    fn parse_body_assert(&mut self) -> PResult<BodyAssert> {
        let start = self.start();
        self.expect(&Tok::LBrace)?;
        let kind = self.parse_in_brackets(|p| {
            let checkpoint = p.checkpoint();
            if let Ok(lhs) = p.parse_reference() {
                let identity = match (&p.peek().kind, &p.peek_at(1).kind, &p.peek_at(2).kind) {
                    (Tok::Eq, Tok::Eq, Tok::Eq) => Some((false, 3)),
                    (Tok::Ne, Tok::Eq, _) => Some((true, 2)),
                    _ => None,
                };
                if let Some((negated, tokens)) = identity {
                    for _ in 0..tokens {
                        p.bump();
                    }
                    let rhs = p.parse_reference()?;
                    return Ok(BodyAssertKind::Connected { lhs, rhs, negated });
                }
            }
            p.rewind(checkpoint);
            Ok(BodyAssertKind::Holds(p.parse_expr()?))
        })?;
        let message = if self.eat(&Tok::Colon) {
            match &self.peek().kind {
                Tok::Str(text) => {
                    let text = text.clone();
                    self.bump();
                    Some(text)
                }
                _ => return Err(self.error_expected("a message (a string)")),
            }
        } else {
            None
        };
        self.expect(&Tok::RBrace)?;
        self.expect(&Tok::Semi)?;
        Ok(BodyAssert {
            kind,
            message,
            span: self.span_from(start),
        })
    }

    /// `(i : N : items)` or `(i : lo .. hi : items)`.
    pub(super) fn parse_body_loop(&mut self) -> PResult<BodyLoop> {
        let start = self.start();
        self.expect(&Tok::LParen)?;
        // `(; i : N : items)`: ACT's older spelling, still accepted (with a warning in ACT).
        self.eat(&Tok::Semi);
        let (var, range) = self.parse_loop_head()?;
        let items = self.parse_body_items(&Tok::RParen);
        self.expect(&Tok::RParen)?;
        Ok(BodyLoop {
            var,
            range,
            items,
            span: self.span_from(start),
        })
    }

    /// `i : N :` or `i : lo .. hi :`, the head of a replication after its opening (`(`, `(;`,
    /// `(,`, `([]`, ...): the loop variable and its range.
    pub(super) fn parse_loop_head(&mut self) -> PResult<(Ident, IterRange)> {
        let var = self.expect_ident("a loop variable")?;
        self.expect(&Tok::Colon)?;
        let range = self.parse_iter_range()?;
        self.expect(&Tok::Colon)?;
        Ok((var, range))
    }

    /// `N` or `lo .. hi`.
    pub(super) fn parse_iter_range(&mut self) -> PResult<IterRange> {
        let first = self.parse_expr()?;
        if self.eat(&Tok::DotDot) {
            Ok(IterRange::Inclusive(first, self.parse_expr()?))
        } else {
            Ok(IterRange::Count(first))
        }
    }

    /// `proc<args> a, b[4], c(x, .R=y) @ [iscomb=1];` — one declaration per name, each
    /// followed by its attributes if it has any.
    pub(super) fn parse_instance_decls(&mut self) -> PResult<Vec<BodyItem>> {
        let start = self.start();
        let process = self.expect_ident("a process name")?;
        self.check_exported(&process);
        let template_args = if self.eat(&Tok::Lt) {
            let args = self.parse_in_angle_brackets(|p| {
                let mut args = Vec::new();
                if !p.at(&Tok::Gt) {
                    loop {
                        args.push(p.parse_expr()?);
                        if !p.eat(&Tok::Comma) {
                            break;
                        }
                    }
                }
                Ok(args)
            })?;
            self.expect(&Tok::Gt)?;
            args
        } else {
            Vec::new()
        };
        if let Some((_, info)) = self.lookup_process(&process.name) {
            let params = info.def.template_params.clone();
            self.check_argument_kinds(&params, &template_args)?;
        }
        self.note_process_use(&process);
        let mut decls = Vec::new();
        loop {
            let name = self.expect_ident("an instance name")?;
            self.not_reserved(&name)?;
            let dims = self.parse_dims()?;
            let port_args = if self.at(&Tok::LParen) {
                Some(self.parse_port_args()?)
            } else {
                None
            };
            let attributes = self.declared_attributes(&name)?;
            self.note_instance_type(&name.name, &process.name, &template_args);
            if let Some(args) = &port_args {
                let instance = Expr {
                    kind: ExprKind::Name(name.clone()),
                    span: name.span.clone(),
                };
                self.check_port_list_specialization(&instance, args);
            }
            decls.push(BodyItem::Instance(InstanceDecl {
                process: process.clone(),
                template_args: template_args.clone(),
                name,
                dims,
                port_args,
                span: self.span_from(start),
            }));
            decls.extend(attributes);
            if !self.eat(&Tok::Comma) {
                break;
            }
        }
        self.expect(&Tok::Semi)?;
        Ok(decls)
    }

    /// `(x, b[0].L, .R = y)`.
    pub(super) fn parse_port_args(&mut self) -> PResult<Vec<PortArg>> {
        self.expect(&Tok::LParen)?;
        let args = self.parse_in_brackets(|p| {
            let mut args = Vec::new();
            if p.at(&Tok::RParen) {
                return Ok(args);
            }
            loop {
                if p.at(&Tok::Comma) || p.at(&Tok::RParen) {
                    // `c(, d1, )`: this port is left as it is.
                    args.push(PortArg::Empty(p.peek().span.start..p.peek().span.start));
                } else if p.eat(&Tok::Dot) {
                    let port = p.expect_ident("a port name")?;
                    p.expect(&Tok::Eq)?;
                    let value = p.parse_array_expr()?;
                    args.push(PortArg::Named { port, value });
                } else {
                    args.push(PortArg::Positional(p.parse_array_expr()?));
                }
                if !p.eat(&Tok::Comma) {
                    break;
                }
            }
            Ok(args)
        })?;
        self.expect(&Tok::RParen)?;
        Ok(args)
    }

    /// At `{`: whether the braces close before a `=`, making an array expression the left
    /// side of a connection (`{a, b[0..1]} = c;`) rather than an assertion (`{ N > 0 };`).
    fn brace_then_eq(&self) -> bool {
        let mut depth = 0usize;
        for ahead in 0.. {
            match self.peek_at(ahead).kind {
                Tok::LBrace => depth += 1,
                Tok::RBrace => {
                    depth -= 1;
                    if depth == 0 {
                        return self.peek_at(ahead + 1).kind == Tok::Eq;
                    }
                }
                Tok::Eof | Tok::Semi => return false,
                _ => {}
            }
        }
        false
    }

    /// `bool! z;`, `bool? y;` (ACT's direction flags of a wire, nothing to CHP, which shares
    /// the variable either way); `?!` and `!?` are for ports and fields only, as in ACT.
    fn wire_direction(&mut self) -> PResult<Option<ChanDir>> {
        let dir = match self.peek().kind {
            Tok::Question => ChanDir::Input,
            Tok::Bang => ChanDir::Output,
            _ => return Ok(None),
        };
        let flag = self.bump().span.clone();
        if self.at(&Tok::Question) || self.at(&Tok::Bang) {
            let span = flag.start..self.peek().span.end;
            return Err(self.both_directions(span));
        }
        Ok(Some(dir))
    }

    /// The error for `?!`/`!?` on a variable (`bool?! x`, `int?!<3> x`).
    fn both_directions(&mut self, span: Span) -> Reported {
        self.report(
            Diagnostic::error(
                span,
                "`?!` and `!?` are direction flags of ports and fields",
            )
            .with_label("in a declaration")
            .with_hint("a variable takes `?` or `!`, or no flag"),
        )
    }

    /// `lhs = rhs;`, or `x(a, .R = b);`: a port list of an instance already declared.
    pub(super) fn parse_connection(&mut self) -> PResult<Vec<BodyItem>> {
        let start = self.start();
        let lhs = self.parse_reference()?;
        let lhs = match self.at(&Tok::Hash) {
            true => self.array_concat(lhs, Self::parse_primary)?,
            false => lhs,
        };
        if self.at(&Tok::At) {
            self.check_attribute_target(&lhs)?;
            let attributes = self.attributes_of(lhs, start)?;
            self.expect(&Tok::Semi)?;
            return Ok(vec![attributes]);
        }
        if self.at(&Tok::LParen) {
            let args = self.parse_port_args()?;
            let attributes = match self.at(&Tok::At) {
                true => {
                    self.check_attribute_target(&lhs)?;
                    Some(self.attributes_of(lhs.clone(), start)?)
                }
                false => None,
            };
            self.expect(&Tok::Semi)?;
            self.check_port_list_specialization(&lhs, &args);
            let mut items = self.port_list_items(lhs, args, start);
            items.extend(attributes);
            return Ok(items);
        }
        if !self.at(&Tok::Eq) {
            return Err(self.error_expected("`=` (a connection) or an instance name"));
        }
        self.bump();
        let rhs = self.parse_array_expr()?;
        self.expect(&Tok::Semi)?;
        self.check_specialization(&lhs, &rhs);
        Ok(vec![BodyItem::Connection(Connection {
            lhs,
            rhs,
            span: self.span_from(start),
        })])
    }
}

impl Parser<'_> {
    /// The items of `instance(args)`, a port list of an instance declared before, or of a
    /// variable or port of a refined type (then its wires' connections: `s[i](.r = x)` of a
    /// port `a1of1 s[N]`).
    fn port_list_items(&self, instance: Expr, args: Vec<PortArg>, start: usize) -> Vec<BodyItem> {
        let object = instance.root_name().and_then(|n| self.object_types.get(n));
        let wires = object.and_then(|object| match &object.ty {
            specialize::ObjectKind::Data(ty) => self.wire_names(ty),
            specialize::ObjectKind::Process(..) => None,
        });
        if let Some(wires) = wires {
            let connections = wire_connections(&instance, &wires, args);
            return connections.into_iter().map(BodyItem::Connection).collect();
        }
        vec![BodyItem::PortList(PortList {
            instance,
            args,
            span: self.span_from(start),
        })]
    }
}

/// The connections a port list `(a, , .d1 = b)` of `var`, a variable of a refined type whose
/// wires are `wires`, makes: `var.d0 = a; var.d1 = b;`.
fn wire_connections(var: &Expr, wires: &[String], args: Vec<PortArg>) -> Vec<Connection> {
    let wire = |name: &str, span: &Span| Expr {
        kind: ExprKind::Field {
            base: Box::new(var.clone()),
            field: Ident {
                name: name.to_string(),
                span: span.clone(),
            },
        },
        span: var.span.start..span.end,
    };
    let mut connections = Vec::new();
    for (i, arg) in args.into_iter().enumerate() {
        let (lhs, rhs) = match arg {
            PortArg::Empty(_) => continue,
            PortArg::Named { port, value } => (wire(&port.name, &port.span), value),
            // One too many: named as the position, so that elaboration reports it.
            PortArg::Positional(value) => {
                let name = wires
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("#{}", i + 1));
                (wire(&name, &value.span), value)
            }
        };
        connections.push(Connection {
            span: lhs.span.start..rhs.span.end,
            lhs,
            rhs,
        });
    }
    connections
}
