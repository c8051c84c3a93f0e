//! Structures of parameters: `defptype name (pint a, b; pbool c);`, parameters of such a type
//! (`name x;`, `name x = name(1, 2, true);`, `template<name x>`) and its constructor
//! `name(1, 2, true)`, with ACT's checks that the parser can make (a known type, as many
//! values as fields).

use std::sync::Arc;

use super::redefine::{DefKind, DefName};
use super::{PResult, Parser};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;

impl Parser<'_> {
    /// At `defptype`: whether a structure of parameters is defined here.
    pub(super) fn at_pstruct_def(&self) -> bool {
        matches!(&self.peek().kind, Tok::Ident(word) if word == "defptype")
            && matches!(self.peek_at(1).kind, Tok::Ident(_))
    }

    /// At a declaration of parameters of a structure type: `name x ...`.
    pub(super) fn at_pstruct_decl(&self) -> bool {
        matches!(&self.peek().kind, Tok::Ident(name) if self.lookup_pstruct(name).is_some())
            && matches!(self.peek_at(1).kind, Tok::Ident(_))
    }

    /// `defptype name (pint a, b; pbool c);` (at the keyword).
    pub(super) fn parse_pstruct_def(&mut self) -> PResult<()> {
        self.bump();
        let name = self.expect_ident("a type name")?;
        self.not_reserved(&name)?;
        let qualified = self.qualified(&name.name);
        // As ACT, at the name: any definition, namespace or instance of that name before.
        self.check_definition_kind(
            &DefName::new(&name.span, &name.name, &qualified),
            DefKind::Pstruct,
        )?;
        self.expect(&Tok::LParen)?;
        let mut fields: Vec<(String, ParamKind)> = Vec::new();
        loop {
            let kind = self
                .param_kind()
                .filter(|k| *k != ParamKind::Pstruct)
                .ok_or_else(|| self.error_expected("`pint`, `pbool` or `preal`"))?;
            self.bump();
            loop {
                let field = self.expect_ident("a field name")?;
                if fields.iter().any(|(f, _)| f == &field.name) {
                    return Err(self.report(
                        Diagnostic::error(
                            field.span.clone(),
                            format!("field `{}` is declared twice", field.name),
                        )
                        .with_label("again here"),
                    ));
                }
                fields.push((field.name, kind));
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
            if !self.eat(&Tok::Semi) {
                break;
            }
        }
        self.expect(&Tok::RParen)?;
        self.expect(&Tok::Semi)?;
        self.note_definition(&qualified);
        let def = PstructDef {
            name: Ident {
                name: qualified.clone(),
                span: name.span,
            },
            fields,
        };
        self.pstructs.insert(qualified, Arc::new(def));
        Ok(())
    }

    /// `name x, y = name(1, 2);` (at the type name): parameters of a structure type.
    pub(super) fn parse_pstruct_decls(&mut self) -> PResult<Vec<ParamDecl>> {
        let start = self.start();
        let def = self.pstruct_at_type()?;
        let mut decls = Vec::new();
        loop {
            let mut decl = self.parse_param_declarator(ParamKind::Pstruct, start)?;
            decl.pstruct = Some(def.clone());
            decls.push(decl);
            if !self.eat(&Tok::Comma) {
                break;
            }
        }
        self.expect(&Tok::Semi)?;
        Ok(decls)
    }

    /// The structure type named at the current token (consumed).
    pub(super) fn pstruct_at_type(&mut self) -> PResult<Arc<PstructDef>> {
        let written = self.expect_ident("a type name")?;
        self.check_exported(&written);
        Ok(self
            .lookup_pstruct(&written.name)
            .expect("the caller checked the type"))
    }

    /// `name(1, 2, true)` (at the name): a value of a structure type, one value per field.
    pub(super) fn parse_pstruct_of(&mut self, def: Arc<PstructDef>) -> PResult<Expr> {
        let start = self.start();
        let written = self.expect_ident("a type name")?;
        let args = self.parse_arg_list()?;
        if args.len() != def.fields.len() {
            return Err(self.report(
                Diagnostic::error(
                    written.span.clone(),
                    format!(
                        "`{}`: a parameter structure takes one value per field ({} given, {} fields)",
                        written.name,
                        args.len(),
                        def.fields.len()
                    ),
                )
                .with_label("wrong number of values"),
            ));
        }
        Ok(Expr {
            kind: ExprKind::PstructOf { def, args },
            span: self.span_from(start),
        })
    }
}

/// A type's (`deftype`'s) template parameters with each of a structure type `T p` replaced by
/// its fields, the parameters `p.f` (marked with `T`), which its fields' types read as `p.f`.
pub(super) fn flatten_struct_params(params: Vec<ParamDecl>) -> Vec<ParamDecl> {
    let mut flat = Vec::with_capacity(params.len());
    for p in params {
        let Some(def) = p.pstruct.clone().filter(|_| p.kind == ParamKind::Pstruct) else {
            flat.push(p);
            continue;
        };
        for (field, kind) in &def.fields {
            flat.push(ParamDecl {
                kind: *kind,
                name: Ident {
                    name: format!("{}.{field}", p.name.name),
                    span: p.name.span.clone(),
                },
                dims: Vec::new(),
                value: None,
                span: p.span.clone(),
                iface: None,
                pstruct: Some(def.clone()),
            });
        }
    }
    flat
}

/// The template arguments of a use of a type whose parameters [`flatten_struct_params`]
/// flattened: an argument to a structure is one per field (`T(1, 2)` gives `1, 2`, a
/// parameter `x` gives `x.a, x.b`).
pub(super) fn expand_struct_args(params: &[ParamDecl], args: Vec<Expr>) -> Vec<Expr> {
    let mut expanded = Vec::with_capacity(args.len());
    let mut at = 0;
    for arg in args {
        let def = params
            .get(at)
            .filter(|p| p.kind != ParamKind::Pstruct)
            .and_then(|p| p.pstruct.clone());
        let Some(def) = def else {
            expanded.push(arg);
            at += 1;
            continue;
        };
        at += def.fields.len();
        match arg.kind {
            ExprKind::PstructOf { args, .. } => expanded.extend(args),
            _ => expanded.extend(def.fields.iter().map(|(field, _)| Expr {
                kind: ExprKind::Field {
                    base: Box::new(arg.clone()),
                    field: Ident {
                        name: field.clone(),
                        span: arg.span.clone(),
                    },
                },
                span: arg.span.clone(),
            })),
        }
    }
    expanded
}
