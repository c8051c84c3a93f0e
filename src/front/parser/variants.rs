//! Variant bodies of a process that inherits (`defproc test <: base<4> (...) { default }
//! | base<4,7> => { variant } | ...`): each variant names its parent's type with more of its
//! template arguments, and an instance whose parent type matches one takes that variant's body
//! instead of the default one (the first that matches; the default when none does).
//!
//! They are resolved into body items the elaborator already has: a conditional body whose
//! arms test the parent's template parameters (`[ Y = 7 -> variant [] else -> default ]`), and,
//! for the arguments the parent fixes (`4` of `base<4>`), an assertion that the variant agrees
//! with it: as in ACT, a variant that can never be chosen is a type error.

use super::{PResult, Parser};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;

/// The parent of the process being defined, as the variants need it.
pub(super) struct VariantParent<'p> {
    /// Its qualified name.
    pub name: &'p str,
    /// The template arguments written after `<:`.
    pub args: &'p [Expr],
    /// Its template parameters, in order.
    pub params: &'p [ParamDecl],
}

impl Parser<'_> {
    /// After the default body `own` of a process: its variants, if any (at `|`), resolved with
    /// the default into the process's own body items. `ports` and `inherited` are what the
    /// variants' declarations must not declare again.
    pub(super) fn parse_variants(
        &mut self,
        parent: Option<VariantParent>,
        ports: &[PortDecl],
        inherited: &[BodyItem],
        own: Vec<BodyItem>,
    ) -> PResult<Vec<BodyItem>> {
        if !self.at(&Tok::Bar) {
            return Ok(own);
        }
        let start = self.start();
        let mut checks = Vec::new();
        let mut arms = Vec::new();
        while self.at(&Tok::Bar) {
            self.bump();
            let arm_start = self.start();
            let written = self.expect_ident("the parent type of a variant")?;
            let args = if self.at(&Tok::Lt) {
                self.parse_template_args()?
            } else {
                Vec::new()
            };
            let type_span = written.span.start..self.prev_end();
            self.expect(&Tok::Eq)?;
            self.expect(&Tok::Gt)?;
            self.expect(&Tok::LBrace)?;
            let body = self.parse_body_until_brace();
            self.expect(&Tok::RBrace)?;
            let Some(parent) = &parent else {
                self.report(
                    Diagnostic::error(type_span, "a variant body needs a parent type")
                        .with_label("a variant of a process that inherits from none")
                        .with_hint("variants `| base<args> => { ... }` follow the body of a process defined `<: base<...>`"),
                );
                continue;
            };
            let named = self.lookup_process(&written.name).map(|(name, _)| name);
            if named.as_deref() != Some(parent.name) {
                self.report(
                    Diagnostic::error(type_span, "variant body selection has a type error")
                        .with_label(format!("not the parent type `{}`", parent.name))
                        .with_hint("a variant names the process's parent type, with its template arguments"),
                );
                continue;
            }
            if args.len() > parent.params.len() {
                self.report(
                    Diagnostic::error(
                        type_span,
                        format!(
                            "`{}` takes {} template argument(s), but this variant gives {}",
                            written.name,
                            parent.params.len(),
                            args.len()
                        ),
                    )
                    .with_label("too many arguments"),
                );
                continue;
            }
            self.check_redeclarations(ports, inherited, &body);
            let mut guard: Option<Expr> = None;
            for (i, (param, arg)) in parent.params.iter().zip(&args).enumerate() {
                let test = param_equals(param, arg);
                if let Some(fixed) = parent.args.get(i) {
                    checks.push(BodyItem::Assert(BodyAssert {
                        kind: BodyAssertKind::Holds(test),
                        message: Some(format!(
                            "incompatible variant for template parameter `{}`: the parent type sets it to {}",
                            param.name.name,
                            fixed
                        )),
                        span: arg.span.clone(),
                    }));
                    continue;
                }
                guard = Some(match guard {
                    None => test,
                    Some(g) => binary(BinaryOp::And, g, test),
                });
            }
            let span = self.span_from(arm_start);
            let guard = guard.unwrap_or(Expr {
                kind: ExprKind::Bool(true),
                span: type_span,
            });
            arms.push(BodyArm {
                replicator: None,
                guard: Guard::Expr(guard),
                items: body,
                span,
            });
        }
        let span = self.span_from(start);
        arms.push(BodyArm {
            replicator: None,
            guard: Guard::Else,
            items: own,
            span: span.clone(),
        });
        checks.push(BodyItem::Conditional(BodySelect { arms, span }));
        Ok(checks)
    }
}

/// `param = arg`, written where the argument is.
fn param_equals(param: &ParamDecl, arg: &Expr) -> Expr {
    let name = Expr {
        kind: ExprKind::Name(Ident {
            name: param.name.name.clone(),
            span: arg.span.clone(),
        }),
        span: arg.span.clone(),
    };
    binary(BinaryOp::Eq, name, arg.clone())
}

fn binary(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span.start.min(rhs.span.start)..lhs.span.end.max(rhs.span.end);
    Expr {
        kind: ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
        span,
    }
}
