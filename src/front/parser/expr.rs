//! Expressions, from the conditional down to primaries, calls and selectors.

use std::sync::Arc;

use super::{PResult, Parser, UserType};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;

impl Parser<'_> {
    /// An expression; the conditional `c ? a : b` binds loosest (as in ACT) and nests to the
    /// right: `c ? a : d ? b : e` is `c ? a : (d ? b : e)`.
    pub(crate) fn parse_expr(&mut self) -> PResult<Expr> {
        let cond = self.parse_binary(1)?;
        if !self.eat(&Tok::Question) {
            return Ok(cond);
        }
        self.nested(|p| {
            let then = p.parse_expr()?;
            p.expect(&Tok::Colon)?;
            let otherwise = p.parse_expr()?;
            let span = cond.span.start..otherwise.span.end;
            Ok(Expr {
                kind: ExprKind::Conditional {
                    cond: Box::new(cond),
                    then: Box::new(then),
                    otherwise: Box::new(otherwise),
                },
                span,
            })
        })
    }

    /// Precedence climbing: operators of precedence >= `min_prec`, left-associative.
    pub(super) fn parse_binary(&mut self, min_prec: u8) -> PResult<Expr> {
        let mut lhs = self.parse_unary()?;
        // Each operator folded here deepens the left spine of the tree; count it like nesting
        // so that `1+1+...+1` cannot build a tree too deep to walk or drop recursively.
        let mut chain = 0;
        while let Some(op) = self.peek_binary_op() {
            let prec = op.precedence();
            if prec < min_prec {
                break;
            }
            chain += 1;
            self.check_chain_depth(chain)?;
            self.bump();
            let rhs = self.parse_binary(prec + 1)?;
            let span = lhs.span.start..rhs.span.end;
            lhs = Expr {
                kind: ExprKind::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                span,
            };
        }
        Ok(lhs)
    }

    pub(super) fn peek_binary_op(&self) -> Option<BinaryOp> {
        let op = match self.peek().kind {
            Tok::Bar => BinaryOp::Or,
            Tok::Caret => BinaryOp::Xor,
            Tok::Amp => BinaryOp::And,
            Tok::Eq => BinaryOp::Eq,
            Tok::Ne => BinaryOp::Ne,
            Tok::Lt => BinaryOp::Lt,
            Tok::Le => BinaryOp::Le,
            Tok::Gt if !self.in_angle_brackets => BinaryOp::Gt,
            Tok::Ge => BinaryOp::Ge,
            Tok::Shl => BinaryOp::Shl,
            Tok::Shr => BinaryOp::Shr,
            Tok::Asr => BinaryOp::Asr,
            Tok::Plus => BinaryOp::Add,
            Tok::Minus => BinaryOp::Sub,
            Tok::Star => BinaryOp::Mul,
            Tok::Slash => BinaryOp::Div,
            Tok::Percent => BinaryOp::Mod,
            _ => return None,
        };
        Some(op)
    }

    pub(super) fn parse_unary(&mut self) -> PResult<Expr> {
        self.nested(|p| {
            let start = p.start();
            let op = match p.peek().kind {
                Tok::Tilde => Some(UnaryOp::Not),
                Tok::Minus => Some(UnaryOp::Neg),
                _ => None,
            };
            match op {
                Some(op) => {
                    p.bump();
                    let operand = p.parse_unary()?;
                    Ok(Expr {
                        kind: ExprKind::Unary {
                            op,
                            operand: Box::new(operand),
                        },
                        span: p.span_from(start),
                    })
                }
                None => p.parse_primary(),
            }
        })
    }

    pub(super) fn parse_primary(&mut self) -> PResult<Expr> {
        let start = self.start();
        let kind = match &self.peek().kind {
            Tok::IntLit(value) => {
                self.bump();
                ExprKind::Int(value.clone())
            }
            Tok::Real(text) => {
                self.bump();
                ExprKind::Real(text.clone())
            }
            Tok::True => {
                self.bump();
                ExprKind::Bool(true)
            }
            Tok::False => {
                self.bump();
                ExprKind::Bool(false)
            }
            Tok::Ident(name) if matches!(self.peek_at(1).kind, Tok::LParen | Tok::Lt) => {
                if let Some(def) = self
                    .lookup_pstruct(name)
                    .filter(|_| self.peek_at(1).kind == Tok::LParen)
                {
                    return self.parse_pstruct_of(def);
                }
                if let Some(UserType::Record(record)) = self.lookup_type(name) {
                    let record = record.clone();
                    return self.parse_record_of(record);
                }
                if self.peek_at(1).kind == Tok::LParen {
                    return self.parse_call();
                }
                if let Some(call) = self.try_templated_call()? {
                    return Ok(call);
                }
                return self.parse_reference();
            }
            Tok::Ident(name) if self.peek_at(1).kind == Tok::Dot => {
                if let Some(UserType::Enum { members, .. }) = self.lookup_type(name) {
                    let members = members.clone();
                    return self.parse_enum_member(&members);
                }
                return self.parse_reference();
            }
            Tok::Ident(_) => return self.parse_reference(),
            Tok::Int | Tok::Bool if self.peek_at(1).kind == Tok::LParen => {
                return self.parse_cast(|p| p.parse_expr())
            }
            Tok::At if matches!(self.peek_at(1).kind, Tok::Ident(_)) => {
                self.bump();
                let process = self.expect_ident("a process name")?;
                let args = if self.at(&Tok::Lt) {
                    self.parse_template_args()?
                } else {
                    Vec::new()
                };
                // A data type given to a `ptype` (`@myint`): the record, known here.
                let record = match self.lookup_type(&process.name) {
                    Some(UserType::Record(def)) => Some(def.clone()),
                    _ => None,
                };
                ExprKind::ProcessType {
                    process,
                    args,
                    record,
                }
            }
            Tok::Hash => {
                self.bump();
                let chan = self.parse_reference()?;
                ExprKind::Probe(Box::new(chan))
            }
            Tok::LParen if self.at_replicated_expr().is_some() => {
                let op = self.at_replicated_expr().expect("matched");
                self.bump();
                self.bump();
                let var = self.expect_ident("a loop variable")?;
                self.expect(&Tok::Colon)?;
                let (range, body) = self.parse_in_brackets(|p| {
                    let range = p.parse_iter_range()?;
                    p.expect(&Tok::Colon)?;
                    Ok((range, p.parse_expr()?))
                })?;
                self.expect(&Tok::RParen)?;
                ExprKind::Replicated {
                    op,
                    var,
                    range: Box::new(range),
                    body: Box::new(body),
                }
            }
            Tok::LParen => {
                self.bump();
                let inner = self.parse_in_brackets(|p| p.parse_expr())?;
                self.expect(&Tok::RParen)?;
                // Keep the parentheses in the span so that messages quote what was written.
                let inner = Expr {
                    kind: inner.kind,
                    span: self.span_from(start),
                };
                // `(a + b){5..3}`: bits of the value of an expression.
                if self.at(&Tok::LBrace) {
                    return self.parse_bit_range(inner, start);
                }
                return Ok(inner);
            }
            Tok::LBrace => {
                self.bump();
                let parts = self.parse_in_brackets(Self::parse_expr_list)?;
                self.expect(&Tok::RBrace)?;
                ExprKind::Concat(parts)
            }
            _ => return Err(self.error_expected("an expression")),
        };
        Ok(Expr {
            kind,
            span: self.span_from(start),
        })
    }

    /// At `(`: the operator of an expression replication `(+ i : ...)`, if that is what
    /// follows (no expression starts with these operators).
    fn at_replicated_expr(&self) -> Option<BinaryOp> {
        let op = match self.peek_at(1).kind {
            Tok::Plus => BinaryOp::Add,
            Tok::Star => BinaryOp::Mul,
            Tok::Amp => BinaryOp::And,
            Tok::Bar => BinaryOp::Or,
            Tok::Caret => BinaryOp::Xor,
            _ => return None,
        };
        let named = matches!(self.peek_at(2).kind, Tok::Ident(_));
        (named && self.peek_at(3).kind == Tok::Colon).then_some(op)
    }

    /// `int(e)`, `int(e, w)` or `bool(e)`, with `inner` parsing `e` (an expression, or the
    /// variable of a receive cast `X?int(v)`).
    pub(super) fn parse_cast(
        &mut self,
        inner: impl FnOnce(&mut Self) -> PResult<Expr>,
    ) -> PResult<Expr> {
        let start = self.start();
        let to = if self.eat(&Tok::Int) {
            CastTo::Int
        } else {
            self.expect(&Tok::Bool)?;
            CastTo::Bool
        };
        self.expect(&Tok::LParen)?;
        let (value, width) = self.parse_in_brackets(|p| {
            let value = inner(p)?;
            let width = if to == CastTo::Int && p.eat(&Tok::Comma) {
                Some(Box::new(p.parse_expr()?))
            } else {
                None
            };
            Ok((value, width))
        })?;
        self.expect(&Tok::RParen)?;
        Ok(Expr {
            kind: ExprKind::Cast {
                to,
                value: Box::new(value),
                width,
            },
            span: self.span_from(start),
        })
    }

    /// `f<4, N>(a, b)` if that is what follows (`None`, nothing consumed, if not): a name followed by
    /// `<` is a comparison unless template arguments, `>` and `(` follow.
    pub(super) fn try_templated_call(&mut self) -> PResult<Option<Expr>> {
        if self.not_templated_calls.contains(&self.pos) {
            return Ok(None);
        }
        let checkpoint = self.checkpoint();
        let func = self.expect_ident("a function name")?;
        let template_args = self.parse_template_args().ok();
        match template_args {
            // A call, whose arguments must parse.
            Some(template_args) if self.at(&Tok::LParen) => {
                self.parse_call_args(func, template_args).map(Some)
            }
            _ => {
                self.not_templated_calls.insert(checkpoint.pos);
                self.rewind(checkpoint);
                Ok(None)
            }
        }
    }

    /// `a, b, c`: one or more expressions separated by commas.
    pub(super) fn parse_expr_list(&mut self) -> PResult<Vec<Expr>> {
        let mut exprs = vec![self.parse_expr()?];
        while self.eat(&Tok::Comma) {
            exprs.push(self.parse_expr()?);
        }
        Ok(exprs)
    }

    /// `<a, b>` after a function name.
    pub(super) fn parse_template_args(&mut self) -> PResult<Vec<Expr>> {
        self.expect(&Tok::Lt)?;
        let args = self.parse_in_angle_brackets(Self::parse_expr_list)?;
        self.expect(&Tok::Gt)?;
        Ok(args)
    }

    /// `f(a, b)`: a call of a built-in function such as `bitwidth(x)`, or of a user's function.
    pub(super) fn parse_call(&mut self) -> PResult<Expr> {
        let func = self.expect_ident("a function name")?;
        self.parse_call_args(func, Vec::new())
    }

    /// `(a, b)` after the function name (and template arguments) of a call, then any of
    /// `.field`, `[index]`, `{hi..lo}` of its result (`f(x).a` for a function returning a
    /// record).
    pub(super) fn parse_call_args(
        &mut self,
        func: Ident,
        template_args: Vec<Expr>,
    ) -> PResult<Expr> {
        let start = func.span.start;
        if let Some(global) = func.name.strip_prefix("::") {
            if !self.functions.contains(global) {
                let (namespace, name) = global.rsplit_once("::").unwrap_or(("", global));
                self.report(
                    Diagnostic::error(
                        func.span.clone(),
                        format!("could not find `{name}` in namespace `{namespace}`"),
                    )
                    .with_label("no function of this name defined before here"),
                );
            }
        }
        let args = self.parse_arg_list()?;
        let call = Expr {
            kind: ExprKind::Call {
                func: Box::new(func),
                template_args,
                args,
            },
            span: self.span_from(start),
        };
        self.parse_selectors(call, start)
    }

    /// `(a, b)`: the arguments of a call.
    pub(super) fn parse_arg_list(&mut self) -> PResult<Vec<Expr>> {
        self.expect(&Tok::LParen)?;
        let args = self.parse_in_brackets(|p| {
            let mut args = Vec::new();
            if !p.at(&Tok::RParen) {
                args.push(p.parse_expr()?);
                while p.eat(&Tok::Comma) {
                    args.push(p.parse_expr()?);
                }
            }
            Ok(args)
        })?;
        self.expect(&Tok::RParen)?;
        Ok(args)
    }

    /// `name(e)` (or `name<4>(e)`) for a record type `name`, followed by any of `.field`,
    /// `[index]`, `{hi..lo}`.
    pub(super) fn parse_record_of(&mut self, def: Arc<RecordDef>) -> PResult<Expr> {
        let name = self.expect_ident("a type name")?;
        let start = name.span.start;
        let args = if self.at(&Tok::Lt) {
            self.parse_template_args()?
        } else {
            Vec::new()
        };
        let record = RecordType { def, args };
        self.expect(&Tok::LParen)?;
        let value = self.parse_in_brackets(|p| p.parse_expr())?;
        self.expect(&Tok::RParen)?;
        let expr = Expr {
            kind: ExprKind::RecordOf {
                record,
                value: Box::new(value),
            },
            span: self.span_from(start),
        };
        self.parse_selectors(expr, start)
    }

    /// `name` followed by any of `[index]`, `.field`, `{hi}`, `{hi..lo}`.
    /// The side of a connection or a port list's entry: an expression, or ACT's array
    /// concatenation of several (`a # b[0..1] # {c, d}`).
    pub(super) fn parse_array_expr(&mut self) -> PResult<Expr> {
        let first = self.parse_expr()?;
        self.array_concat(first, Self::parse_expr)
    }

    /// `first # ...`, each further part read by `part`; `first` alone when no `#` follows.
    pub(super) fn array_concat(
        &mut self,
        first: Expr,
        part: fn(&mut Self) -> PResult<Expr>,
    ) -> PResult<Expr> {
        if !self.at(&Tok::Hash) {
            return Ok(first);
        }
        let start = first.span.start;
        let mut parts = vec![first];
        while self.eat(&Tok::Hash) {
            parts.push(part(self)?);
        }
        Ok(Expr {
            kind: ExprKind::ArrayConcat(parts),
            span: self.span_from(start),
        })
    }

    pub(super) fn parse_reference(&mut self) -> PResult<Expr> {
        let name = self.expect_ident("a name")?;
        let start = name.span.start;
        let expr = Expr {
            span: name.span.clone(),
            kind: ExprKind::Name(name),
        };
        self.parse_selectors(expr, start)
    }

    /// `{hi}` or `{hi..lo}` after `expr` (which begins at `start`), at the `{`.
    fn parse_bit_range(&mut self, expr: Expr, start: usize) -> PResult<Expr> {
        self.bump();
        let (hi, lo) = self.parse_in_brackets(|p| {
            let hi = p.parse_expr()?;
            let lo = if p.eat(&Tok::DotDot) {
                Some(Box::new(p.parse_expr()?))
            } else {
                None
            };
            Ok((hi, lo))
        })?;
        self.expect(&Tok::RBrace)?;
        Ok(Expr {
            kind: ExprKind::BitSlice {
                base: Box::new(expr),
                hi: Box::new(hi),
                lo,
            },
            span: self.span_from(start),
        })
    }

    /// Any of `[index]`, `.field`, `{hi}`, `{hi..lo}` after `expr` (which begins at `start`).
    pub(super) fn parse_selectors(&mut self, mut expr: Expr, start: usize) -> PResult<Expr> {
        let mut chain = 0;
        loop {
            if matches!(self.peek().kind, Tok::LBracket | Tok::Dot | Tok::LBrace) {
                chain += 1;
                self.check_chain_depth(chain)?;
            }
            match self.peek().kind {
                Tok::LBracket => {
                    self.bump();
                    let (index, hi) = self.parse_in_brackets(|p| {
                        let index = p.parse_expr()?;
                        let hi = if p.eat(&Tok::DotDot) {
                            Some(p.parse_expr()?)
                        } else {
                            None
                        };
                        Ok((index, hi))
                    })?;
                    self.expect(&Tok::RBracket)?;
                    let base = Box::new(expr);
                    let kind = match hi {
                        Some(hi) => ExprKind::Slice {
                            base,
                            lo: Box::new(index),
                            hi: Box::new(hi),
                        },
                        None => ExprKind::Index {
                            base,
                            index: Box::new(index),
                        },
                    };
                    expr = Expr {
                        kind,
                        span: self.span_from(start),
                    };
                }
                Tok::Dot => {
                    self.refuse_range_before_dot(&expr)?;
                    self.bump();
                    let field = self.expect_ident("a port name")?;
                    if self.at(&Tok::LParen) {
                        let args = self.parse_arg_list()?;
                        expr = Expr {
                            kind: ExprKind::MethodCall {
                                receiver: Box::new(expr),
                                method: field,
                                args,
                            },
                            span: self.span_from(start),
                        };
                        continue;
                    }
                    expr = Expr {
                        kind: ExprKind::Field {
                            base: Box::new(expr),
                            field,
                        },
                        span: self.span_from(start),
                    };
                }
                Tok::LBrace => expr = self.parse_bit_range(expr, start)?,
                _ => return Ok(expr),
            }
        }
    }
}
