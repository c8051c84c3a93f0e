//! Overrides `+{ e1of2 l, r; }`: a process or type definition gives ports, parts or fields
//! of what it inherits a type that refines their own (checked as ACT checks it).

use super::{PResult, Parser, Reported, UserType};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;
use crate::front::subst::{subst_type, Bindings};

/// `+{ T [+] a, b; ... }`, one entry per line.
pub(super) struct Override {
    ty: OverrideType,
    /// `T + a;`: the original's template arguments are appended to `T`'s.
    append: bool,
    names: Vec<Ident>,
}

pub(super) enum OverrideType {
    /// A channel or data type (`e1of2`, `dualrail`).
    Data(Type),
    /// A templated `deftype`/`defchan` before `+` (`fch + x`, `fch<2> + x`): its type is
    /// known once the original's template arguments are appended to those written.
    Appended { name: Ident, args: Vec<Expr> },
    /// A process type (`myover<2>`).
    Process {
        name: Ident,
        qualified: String,
        args: Vec<Expr>,
    },
}

impl Parser<'_> {
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
    pub(super) fn parse_override_type(&mut self) -> PResult<OverrideType> {
        let Tok::Ident(written) = &self.peek().kind else {
            return Err(self.error_expected("a user-defined type (an override refines a type)"));
        };
        if self.appended_alias(written) {
            let name = self.expect_ident("a type")?;
            self.check_exported(&name);
            let args = if self.at(&Tok::Lt) {
                self.parse_template_args()?
            } else {
                Vec::new()
            };
            return Ok(OverrideType::Appended { name, args });
        }
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

    /// At a type name in an override: whether it is a templated `deftype`/`defchan` followed
    /// by `+` (after its template arguments, if any).
    fn appended_alias(&self, written: &str) -> bool {
        let Some(UserType::Alias { params, .. }) = self.lookup_type(written) else {
            return false;
        };
        if params.is_empty() {
            return false;
        }
        let mut ahead = 1;
        if self.peek_at(ahead).kind == Tok::Lt {
            // Past the matching `>` (a `>` inside parentheses compares).
            let (mut angles, mut parens) = (0usize, 0usize);
            loop {
                match self.peek_at(ahead).kind {
                    Tok::Lt if parens == 0 => angles += 1,
                    Tok::Gt if parens == 0 => angles -= 1,
                    Tok::LParen => parens += 1,
                    Tok::RParen => parens = parens.saturating_sub(1),
                    Tok::Semi | Tok::Eof => return false,
                    _ => {}
                }
                ahead += 1;
                if angles == 0 {
                    break;
                }
            }
        }
        self.peek_at(ahead).kind == Tok::Plus
    }

    /// Gives each overridden port or part its new type, after ACT's checks (each failure
    /// reported): it exists, and the new type refines its type, compared without template
    /// arguments. `bound` are the inherited parameters the `<: parent<args>` sets
    /// (`ProcessDef::bound_params`), which the inherited types name. As ACT, an override of a
    /// port is compared again with the arguments in place where the process is expanded: its
    /// check goes to `checks`.
    pub(super) fn apply_overrides(
        &mut self,
        overrides: Vec<Override>,
        bound: &[ParamDecl],
        ports: &mut Vec<PortDecl>,
        body: &mut Vec<BodyItem>,
        checks: &mut Vec<OverrideCheck>,
    ) {
        let outer_wires = std::mem::take(&mut self.wire_connections);
        for Override { ty, append, names } in overrides {
            for name in &names {
                if let Ok(Some(check)) = self.apply_override(&ty, append, name, bound, ports, body)
                {
                    checks.push(check);
                }
            }
        }
        let wires = std::mem::replace(&mut self.wire_connections, outer_wires);
        body.extend(wires);
    }

    /// Overrides `name` (see [`Self::apply_overrides`]): the check of an overridden port.
    fn apply_override(
        &mut self,
        ty: &OverrideType,
        append: bool,
        name: &Ident,
        bound: &[ParamDecl],
        ports: &mut Vec<PortDecl>,
        body: &mut Vec<BodyItem>,
    ) -> PResult<Option<OverrideCheck>> {
        if let Some(at) = ports.iter().position(|p| p.name.name == name.name) {
            let original = (&ports[at].ty, !ports[at].dims.is_empty());
            let ty = self.data_override(ty, append, original, bound, name)?;
            let check = OverrideCheck {
                name: name.clone(),
                original: ports[at].ty.clone(),
                new: ty.clone(),
            };
            // The port is its new type's, wires included (which its methods move), in place
            // of the original's.
            let port = PortDecl {
                ty,
                ..ports[at].clone()
            };
            let wire_prefix = format!("{}.", name.name);
            ports.retain(|p| p.bundle.is_some() || !p.name.name.starts_with(&wire_prefix));
            let wires = self.alias_wires(port);
            ports.splice(at..at + 1, wires);
            return Ok(Some(check));
        }
        if !self.override_declarations(ty, append, name, bound, body)? {
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!("override of `{}`: not found in the type", name.name),
                )
                .with_label("no port or part of this name"),
            ));
        }
        // The declarations keep their overrides, checked where they are expanded.
        Ok(None)
    }

    /// Gives every declaration of `name` among `body`'s items the override's type, also those
    /// inside loops and conditional bodies (as ACT's `updateInstType` walks them); whether
    /// there was one. A variable is declared again with its new type, wires included (which
    /// its methods move), in place of the original's declaration and wires.
    fn override_declarations(
        &mut self,
        ty: &OverrideType,
        append: bool,
        name: &Ident,
        bound: &[ParamDecl],
        body: &mut Vec<BodyItem>,
    ) -> PResult<bool> {
        let wire_prefix = format!("{}.", name.name);
        body.retain(|item| match item {
            BodyItem::Var(v) => v.bundle.is_some() || !v.name.name.starts_with(&wire_prefix),
            _ => true,
        });
        let parts = declarations(body, &name.name);
        let mut found = !parts.is_empty();
        // Every declaration of the name: the ranges of a sparse array are one part. The last
        // first, so that the positions of the others stay.
        for at in parts.into_iter().rev() {
            match &mut body[at] {
                BodyItem::Var(var) => {
                    let original = (&var.ty, !var.dims.is_empty());
                    let ty = self.data_override(ty, append, original, bound, name)?;
                    let var = var.clone();
                    let items = self.declared_anew(&var, ty, name)?;
                    body.splice(at..at + 1, items);
                }
                BodyItem::Instance(inst) => {
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
                _ => unreachable!("a declaration"),
            }
        }
        for item in body.iter_mut() {
            let nested: Vec<&mut Vec<BodyItem>> = match item {
                BodyItem::Loop(l) => vec![&mut l.items],
                BodyItem::Conditional(s) | BodyItem::GenLoop(s) => {
                    s.arms.iter_mut().map(|arm| &mut arm.items).collect()
                }
                _ => continue,
            };
            for items in nested {
                found |= self.override_declarations(ty, append, name, bound, items)?;
            }
        }
        Ok(found)
    }

    /// The overrides of the refinements among `body`'s items from `from` on (`refine +{ a1of2
    /// c; } { }`), checked as ACT checks them (each failure reported): each names an instance
    /// or variable declared before the refinement (a port or a name declared nowhere is left
    /// to the sublanguage checks), with a type that refines its own. An override of a
    /// variable keeps, for each declaration of it, the declaration as the new type makes it.
    /// `bound` are the parameters the parent's arguments set, as for [`Self::apply_overrides`].
    pub(super) fn refine_overrides(
        &mut self,
        body: &mut [BodyItem],
        bound: &[ParamDecl],
        from: usize,
    ) {
        for at in from..body.len() {
            let BodyItem::Lang(block) = &body[at] else {
                continue;
            };
            let LangBlock::Refine(r) = &**block else {
                continue;
            };
            let refined: Vec<Vec<RefinedDecl>> = (r.overrides.clone().iter())
                .map(|o| self.refined_declarations(o, bound, &body[..at]))
                .collect();
            if let BodyItem::Lang(block) = &mut body[at] {
                if let LangBlock::Refine(r) = &mut **block {
                    for (o, decls) in r.overrides.iter_mut().zip(refined) {
                        o.refined = decls;
                    }
                }
            }
        }
    }

    /// The declarations among `before` of the names the refinement override `o` gives a data
    /// or channel type, as that type makes them (none for a process type, or on an error).
    fn refined_declarations(
        &mut self,
        o: &crate::front::lang_ast::Override,
        bound: &[ParamDecl],
        before: &[BodyItem],
    ) -> Vec<RefinedDecl> {
        let ty = match &o.data_type {
            Some(ty) => OverrideType::Data(ty.clone()),
            None if o.of_data => OverrideType::Appended {
                name: o.ty.clone(),
                args: o.template_args.clone(),
            },
            None => match self.lookup_process(&o.ty.name) {
                Some((qualified, _)) => OverrideType::Process {
                    name: o.ty.clone(),
                    qualified,
                    args: o.template_args.clone(),
                },
                None => return Vec::new(),
            },
        };
        let mut refined = Vec::new();
        for name in &o.ids {
            for item in nested_declarations(before, &name.name) {
                if let (true, [_, second, ..]) = (o.append_params, o.ids.as_slice()) {
                    if has_template_args(item) {
                        self.report(
                            Diagnostic::error(
                                second.span.clone(),
                                format!(
                                    "`{} +` appends the template arguments of one name",
                                    o.ty.name
                                ),
                            )
                            .with_label("a second name")
                            .with_hint("write one override per name"),
                        );
                        return Vec::new();
                    }
                }
                match (item, &ty) {
                    (BodyItem::Var(var), OverrideType::Data(_) | OverrideType::Appended { .. }) => {
                        let original = (&var.ty, !var.dims.is_empty());
                        let Ok(new) =
                            self.data_override(&ty, o.append_params, original, bound, name)
                        else {
                            continue;
                        };
                        if let Ok(items) = self.declared_anew(var, new, name) {
                            let name = name.name.clone();
                            refined.push(RefinedDecl { name, items });
                        }
                    }
                    (BodyItem::Instance(inst), OverrideType::Process { qualified, .. })
                        if self.process_refines(qualified, &inst.process.name) => {}
                    (BodyItem::Var(var), _) => {
                        self.illegal_override(name, &var.ty.to_string());
                    }
                    (BodyItem::Instance(inst), _) => {
                        self.illegal_override(name, &inst.process.name);
                    }
                    _ => unreachable!("a declaration"),
                }
            }
        }
        refined
    }

    /// The items declaring `var` as type `ty` makes it, as a declaration `ty var;` in the body
    /// would: the object, its wires and the connections its type makes between them. The
    /// object keeps the override (`name` as the override writes it), which ACT compares again
    /// with the arguments in place where the declaration is expanded (its body.cc inserts an
    /// override assertion after each overridden instance).
    fn declared_anew(&mut self, var: &VarDecl, ty: Type, name: &Ident) -> PResult<Vec<BodyItem>> {
        let check = OverrideCheck {
            name: name.clone(),
            original: var.ty.clone(),
            new: ty.clone(),
        };
        let decl = PortDecl {
            ty,
            name: var.name.clone(),
            dims: var.dims.clone(),
            span: var.span.clone(),
            bundle: None,
            wire_dir: var.wire_dir,
        };
        let (mut objects, wires) = self.declared_objects(decl)?;
        if let Some(BodyItem::Var(object)) = objects.first_mut() {
            object.overridden = Some(Box::new(check));
        }
        Ok(objects.into_iter().chain(wires).collect())
    }

    /// A type definition's overrides: each names one of its fields, and refines its type
    /// (compared without template arguments). Returns their checks, which ACT makes again with
    /// the arguments in place where the type is expanded.
    pub(super) fn apply_field_overrides(
        &mut self,
        overrides: Vec<Override>,
        fields: &mut [FieldDecl],
    ) -> Vec<OverrideCheck> {
        let mut checks = Vec::new();
        for Override { ty, append, names } in overrides {
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
                let original = (&field.ty, !field.dims.is_empty());
                if let Ok(refined) = self.data_override(&ty, append, original, &[], name) {
                    checks.push(OverrideCheck {
                        name: name.clone(),
                        original: std::mem::replace(&mut field.ty, refined.clone()),
                        new: refined,
                    });
                }
            }
        }
        checks
    }

    /// The type a port or variable of type `original` gets from the override `ty` (`T + x`,
    /// `append`: `T` with the original's template arguments after its own). An inherited
    /// `original` is taken in the definition's terms, with the parent's parameters `bound`
    /// set (`int<N>` of `counter` is `int<3>` in `p <: counter<3>`). As ACT compares them
    /// where the definition is read, the types are compared without their template arguments
    /// ([`unexpanded`]): those are known where the type is expanded.
    fn data_override(
        &mut self,
        ty: &OverrideType,
        append: bool,
        (original, original_is_array): (&Type, bool),
        bound: &[ParamDecl],
        name: &Ident,
    ) -> PResult<Type> {
        let original = &in_own_terms(original, bound);
        let appended;
        let new = match ty {
            OverrideType::Data(new) => new,
            OverrideType::Appended { name: alias, args } => {
                let mut args = args.clone();
                if append {
                    let original_args = original.named.as_ref().map(|n| &n.args);
                    args.extend(original_args.into_iter().flatten().cloned());
                }
                let named = self.alias_named(alias, args)?;
                appended = Type {
                    kind: named.parent.kind.clone(),
                    span: alias.span.clone(),
                    named: Some(Box::new(named)),
                };
                &appended
            }
            OverrideType::Process { .. } => {
                return Err(self.illegal_override(name, &original.to_string()));
            }
        };
        let target = unexpanded(original);
        // ACT compares the new type with the original array and all (an array is never equal
        // to a single type), so an array's override by its own type passes here and is
        // compared with its arguments where it is expanded ("Override not required when the
        // types are the same" when they are).
        if unexpanded(new) == target && !original_is_array {
            return Err(self.report(
                Diagnostic::error(
                    new.span.clone(),
                    format!("this override does not refine the type of `{}`", name.name),
                )
                .with_label(if new.to_string() == original.to_string() {
                    format!("`{original}` already")
                } else {
                    format!("a `{target}`, as the original `{original}`: an override does not change template arguments")
                })
                .with_hint("an override is only needed to refine a type: remove it"),
            ));
        }
        if let (TypeKind::Record(new_record), TypeKind::Record(old_record)) =
            (&new.kind, &original.kind)
        {
            let mut new_record = new_record.clone();
            if append {
                new_record.args.extend(old_record.args.iter().cloned());
            }
            let mut ancestor = match original_is_array {
                true => Some(new_record.clone()),
                false => new_record.parent(),
            };
            while let Some(record) = ancestor {
                if record.def.name.name == target {
                    return Ok(Type::new(TypeKind::Record(new_record), new.span.clone()));
                }
                ancestor = record.parent();
            }
            return Err(self.illegal_override(name, &original.to_string()));
        }
        let mut ancestor = match original_is_array {
            true => Some(new),
            false => new.named.as_ref().map(|n| &n.parent),
        };
        while let Some(t) = ancestor {
            if unexpanded(t) == target {
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
        Err(self.illegal_override(name, &original.to_string()))
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
}

/// `ty`, a type the definition inherits, with the parameters of its ancestors that `bound`
/// sets replaced by their values: each value is in terms of the parameters before it (the
/// definition's own, then its parent's, ...), so the last is replaced first.
fn in_own_terms(ty: &Type, bound: &[ParamDecl]) -> Type {
    let mut ty = ty.clone();
    for param in bound.iter().rev() {
        if let Some(value) = &param.value {
            let binding = Bindings::from([(param.name.name.clone(), value.clone())]);
            ty = subst_type(&ty, &binding);
        }
    }
    ty
}

/// `ty` as ACT compares an override with its original where the definition is read: a user
/// type by its name, a built-in one by its kind, without template arguments (compared where
/// the type is expanded) or direction: `wide<M>` is a `wide`, `chan?(int<N>)` a `chan(int)`.
fn unexpanded(ty: &Type) -> String {
    if let Some(named) = &ty.named {
        return named.name.clone();
    }
    match &ty.kind {
        TypeKind::Bool => "bool".to_string(),
        TypeKind::Int { .. } => "int".to_string(),
        TypeKind::Enum { .. } => "enum".to_string(),
        TypeKind::Chan { data, reply, .. } => {
            let data = data.as_deref().map(unexpanded).unwrap_or_default();
            match reply.as_deref() {
                Some(reply) => format!("chan({data},{})", unexpanded(reply)),
                None => format!("chan({data})"),
            }
        }
        TypeKind::Record(record) => record.def.name.name.clone(),
    }
}

/// The declarations of `name` among `body`'s items and those of its loops and conditionals,
/// depth first in source order (as ACT's `updateInstType` finds what an override refines).
fn nested_declarations<'b>(body: &'b [BodyItem], name: &str) -> Vec<&'b BodyItem> {
    let mut found = Vec::new();
    for item in body {
        match item {
            _ if declares(item, name) => found.push(item),
            BodyItem::Loop(l) => found.extend(nested_declarations(&l.items, name)),
            BodyItem::Conditional(c) | BodyItem::GenLoop(c) => {
                for arm in &c.arms {
                    found.extend(nested_declarations(&arm.items, name));
                }
            }
            _ => {}
        }
    }
    found
}

/// Where `name` is declared among `body`'s items (not inside loops): once, or once per range
/// of a sparse array.
fn declarations(body: &[BodyItem], name: &str) -> Vec<usize> {
    (body.iter().enumerate())
        .filter(|(_, item)| declares(item, name))
        .map(|(at, _)| at)
        .collect()
}

/// Whether `item` declares a variable or an instance named `name`.
fn declares(item: &BodyItem, name: &str) -> bool {
    match item {
        BodyItem::Var(v) => v.name.name == name,
        BodyItem::Instance(i) => i.name.name == name,
        _ => false,
    }
}

/// Whether the declaration `item` gives its type template arguments (`foo<3> x`), which an
/// override `T + x` appends to `T`'s.
fn has_template_args(item: &BodyItem) -> bool {
    match item {
        BodyItem::Var(v) => match &v.ty.kind {
            TypeKind::Record(r) => !r.args.is_empty(),
            _ => v.ty.named.as_ref().is_some_and(|n| !n.args.is_empty()),
        },
        BodyItem::Instance(i) => !i.template_args.is_empty(),
        _ => false,
    }
}
