//! Type expressions: `bool`, `int<W>`, `chan(T)`, user types with template arguments,
//! array dimensions and bracketed lists.

use std::sync::Arc;

use num_bigint::BigUint;

use super::{PResult, Parser, UserType};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;

impl Parser<'_> {
    /// Whether a data or channel type starts here (`enum` is not a keyword: `enum<N>` is).
    pub(super) fn at_data_type(&self) -> bool {
        match &self.peek().kind {
            Tok::Bool | Tok::Int | Tok::Ints | Tok::Chan => true,
            Tok::Ident(name) if self.lookup_type(name).is_some() => true,
            Tok::Ident(name) if name == "enum" => {
                // `enum<N>`, or with marks before the size: `enum?<N>`, `enum?!<N>`.
                let after_marks =
                    (1..=3).find(|&k| !matches!(self.peek_at(k).kind, Tok::Question | Tok::Bang));
                after_marks.is_some_and(|k| self.peek_at(k).kind == Tok::Lt)
            }
            _ => false,
        }
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
                Tok::Int | Tok::Ints => {
                    let signed = p.bump().kind == Tok::Ints;
                    p.marks_before_arguments();
                    let width = if p.at(&Tok::Lt) {
                        p.bump();
                        let width = p.parse_in_angle_brackets(|p| p.parse_expr())?;
                        p.expect(&Tok::Gt)?;
                        Some(Box::new(width))
                    } else {
                        None
                    };
                    TypeKind::Int { width, signed }
                }
                Tok::Ident(name) if name == "enum" => {
                    p.bump();
                    p.marks_before_arguments();
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
            UserType::Record(_) => {
                self.marks_before_arguments();
                None
            }
            UserType::Enum { .. } => None,
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
                        signed: false,
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
    pub(super) fn alias_use(
        &mut self,
        name: &Ident,
        args: Vec<Expr>,
        dir: Option<ChanDir>,
    ) -> PResult<(TypeKind, Option<Box<NamedType>>)> {
        let named = self.alias_named(name, args)?;
        let kind = match named.parent.kind.clone() {
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
        Ok((kind, Some(Box::new(named))))
    }

    /// The type alias `name` with template arguments `args`: its identity, with the type it
    /// refines (`parent`, no direction yet) and its methods with the arguments in place.
    pub(super) fn alias_named(&mut self, name: &Ident, args: Vec<Expr>) -> PResult<NamedType> {
        let Some(UserType::Alias {
            params,
            base,
            methods,
            fields,
            override_checks,
            ..
        }) = self.lookup_type(&name.name).cloned()
        else {
            unreachable!("an alias")
        };
        let parent = self.instantiate_alias(name, &params, &base, &args)?;
        let bindings = crate::front::subst::bind_params(&params, &args);
        let methods = match (methods, &bindings) {
            (Some(methods), Some(bindings)) => {
                let mut methods = crate::front::subst::subst_methods(&methods, bindings);
                methods.wires = fields.iter().map(|f| f.name.name.clone()).collect();
                methods.marks = fields.iter().map(|f| f.mark).collect();
                Some(Arc::new(methods))
            }
            _ => None,
        };
        // The checks with the arguments in place (none when the arguments are wrong, which is
        // reported where the type is used).
        let override_checks = match &bindings {
            Some(bindings) => {
                crate::front::subst::subst_override_checks(&override_checks, bindings)
            }
            None => Vec::new(),
        };
        Ok(NamedType {
            name: self.lookup_type_name(&name.name),
            args,
            parent,
            methods,
            override_checks,
        })
    }

    /// Steps over the direction marks of a data type written before its template arguments, as
    /// ACT writes them (`int?<8> x`, `enum!<3> e`, `rec?!<4> r`: ACT's grammar puts the marks
    /// between the type's name and its `<...>`); [`Parser::marks_in_type`] reads them back.
    fn marks_before_arguments(&mut self) {
        let flag = |t: &Tok| matches!(t, Tok::Question | Tok::Bang);
        let marks = match (&self.peek().kind, &self.peek_at(1).kind) {
            (first, second) if flag(first) && flag(second) && first != second => 2,
            (first, _) if flag(first) => 1,
            _ => return,
        };
        if self.peek_at(marks).kind == Tok::Lt {
            (0..marks).for_each(|_| {
                self.bump();
            });
        }
    }

    /// The direction marks written inside the data type that starts at token `type_start` and
    /// ends here, before its template arguments (see [`Parser::marks_before_arguments`]):
    /// `"?"`, `"!"`, `"?!"`, `"!?"` or `""`.
    pub(super) fn marks_in_type(&self, type_start: usize) -> String {
        (self.tokens[type_start..self.pos].iter())
            .take_while(|t| t.kind != Tok::Lt)
            .filter(|t| matches!(t.kind, Tok::Question | Tok::Bang))
            .map(|t| t.kind.text())
            .collect()
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
