//! Template parameter lists (`template<pint A, B; pbool C | pint D>`, strict parameters before
//! the `|`) and ACT's checks of the arguments a use of a template gives them.

use super::{PResult, Parser};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;
use crate::front::subst::{bind_params, subst_type};

/// A parsed `template<...>` list.
#[derive(Default)]
pub(super) struct TemplateSpec {
    pub params: Vec<ParamDecl>,
    /// How many of `params` are strict (before the `|`; all of them without one).
    pub strict: usize,
}

impl TemplateSpec {
    pub(super) fn has_non_strict(&self) -> bool {
        self.strict < self.params.len()
    }
}

impl Parser<'_> {
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
        if let Some(value) = param.value.as_ref().filter(|v| !is_literal(v)) {
            // ACT: a default is a constant, not computed from other parameters.
            return Err(self.report(
                Diagnostic::error(
                    value.span.clone(),
                    "the default value of a template parameter must be a constant",
                )
                .with_label("not a constant")
                .with_hint("write the value itself (`pint Y = 4`), or give the argument where the type is used"),
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
            _ if op.is_comparison() => Some(ParamKind::Pbool),
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

/// Whether `e` is made of literals only (`3`, `2*4`, `true`, `-1`), as ACT's constants.
fn is_literal(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Int(_) | ExprKind::Real(_) | ExprKind::Bool(_) => true,
        ExprKind::Unary { operand, .. } => is_literal(operand),
        ExprKind::Binary { lhs, rhs, .. } => is_literal(lhs) && is_literal(rhs),
        ExprKind::Conditional {
            cond,
            then,
            otherwise,
        } => is_literal(cond) && is_literal(then) && is_literal(otherwise),
        _ => false,
    }
}
