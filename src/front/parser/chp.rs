//! CHP statements: sequences, parallel composition, selections, loops and actions.

use super::{PResult, Parser};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;

impl Parser<'_> {
    /// `{ S }` or `{ }`: a braced CHP body, `None` when empty (a `chp` block, a macro's body).
    pub(super) fn parse_braced_chp(&mut self) -> PResult<Option<Stmt>> {
        self.expect(&Tok::LBrace)?;
        let body = if self.at(&Tok::RBrace) {
            None
        } else {
            Some(self.parse_seq())
        };
        self.expect(&Tok::RBrace)?;
        Ok(body)
    }

    /// `A || B || ...` where each part is a sequence: ACT's `||` runs its sides in parallel
    /// like `,` but binds looser than `;`.
    pub(super) fn parse_seq(&mut self) -> Stmt {
        let start = self.start();
        let first = self.parse_seq_part();
        if !self.at(&Tok::BarBar) {
            return first;
        }
        let mut branches = vec![first];
        while self.eat(&Tok::BarBar) {
            branches.push(self.parse_seq_part());
        }
        Stmt::new(StmtKind::Par(branches), self.span_from(start))
    }

    /// `S1; S2; ...` (a trailing `;` is accepted). Errors inside are recovered per statement.
    pub(super) fn parse_seq_part(&mut self) -> Stmt {
        let start = self.start();
        let mut stmts = Vec::new();
        loop {
            let depth = self.bracket_depth;
            let parsed = self.parse_par().and_then(|stmt| {
                stmts.push(stmt);
                if self.at(&Tok::Semi) || self.at_stmt_end() {
                    Ok(())
                } else {
                    let hint = match self.peek().kind {
                        Tok::Bar => Some(
                            "guarded commands are separated by `[]`: `[ g1 -> S1 [] g2 -> S2 ]`",
                        ),
                        Tok::Arrow => {
                            Some("a guard goes at the start of a selection or loop: `[ g -> S ]`")
                        }
                        _ => None,
                    };
                    Err(self.error_expected_hint("`;` or `,`", hint))
                }
            });
            if parsed.is_err() {
                self.recover_stmt(depth);
                if self.prev_token_is(&Tok::Semi) && !self.at_stmt_end() {
                    continue;
                }
                break;
            }
            if !self.eat(&Tok::Semi) || self.at_stmt_end() {
                break;
            }
        }
        if stmts.len() == 1 {
            stmts
                .pop()
                .unwrap_or_else(|| Stmt::new(StmtKind::Skip, start..start))
        } else {
            Stmt::new(StmtKind::Seq(stmts), self.span_from(start))
        }
    }

    pub(super) fn prev_token_is(&self, kind: &Tok) -> bool {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .is_some_and(|t| &t.kind == kind)
    }

    /// Tokens that end a statement list (so a trailing `;` before them is fine).
    pub(super) fn at_stmt_end(&self) -> bool {
        (self.in_hse_fragment && self.at(&Tok::Colon))
            || matches!(
                self.peek().kind,
                Tok::RBracket
                    | Tok::RParen
                    | Tok::RBrace
                    | Tok::BarRBracket
                    | Tok::BarBar
                    | Tok::Box
                    | Tok::LArrow
                    | Tok::Eof
            )
    }

    /// `S1, S2, ...`.
    pub(super) fn parse_par(&mut self) -> PResult<Stmt> {
        self.parse_par_of(Self::parse_stmt)
    }

    /// Statements that `item` parses, separated by `,`: the one statement, or their parallel
    /// composition (CHP's and chp-txt's).
    pub(super) fn parse_par_of(&mut self, item: fn(&mut Self) -> PResult<Stmt>) -> PResult<Stmt> {
        let start = self.start();
        let first = item(self)?;
        if !self.at(&Tok::Comma) {
            return Ok(first);
        }
        let mut stmts = vec![first];
        while self.eat(&Tok::Comma) {
            stmts.push(item(self)?);
        }
        Ok(Stmt::new(StmtKind::Par(stmts), self.span_from(start)))
    }

    /// One statement with its optional `@[after=E]` delay and `label:`.
    pub(super) fn parse_stmt(&mut self) -> PResult<Stmt> {
        self.nested(|p| {
            let start = p.start();
            let delay = if p.at(&Tok::At) {
                Some(p.parse_delay_attr()?)
            } else {
                None
            };
            let label = match (&p.peek().kind, &p.peek_at(1).kind) {
                (Tok::Ident(_), Tok::Colon) => {
                    let label = p.expect_ident("a label")?;
                    p.bump();
                    Some(label)
                }
                _ => None,
            };
            let mut stmt = p.parse_base_stmt()?;
            if delay.is_some() || label.is_some() {
                stmt.delay = delay;
                stmt.label = label;
                stmt.span = p.span_from(start);
            }
            Ok(stmt)
        })
    }

    /// `@[after=E]`: chpsim's per-statement delay (see the module docs of `front`).
    pub(super) fn parse_delay_attr(&mut self) -> PResult<Expr> {
        self.expect(&Tok::At)?;
        self.expect(&Tok::LBracket)?;
        let key = self.expect_ident("`after`")?;
        if key.name != "after" {
            return Err(self.report(
                Diagnostic::error(
                    key.span,
                    format!("unknown statement attribute `{}`", key.name),
                )
                .with_label("unknown attribute")
                .with_hint("the only statement attribute is the delay: `@[after=5] S`"),
            ));
        }
        self.expect(&Tok::Eq)?;
        let delay = self.parse_in_brackets(|p| p.parse_expr())?;
        self.expect(&Tok::RBracket)?;
        Ok(delay)
    }

    pub(super) fn parse_base_stmt(&mut self) -> PResult<Stmt> {
        let start = self.start();
        let kind = match &self.peek().kind {
            Tok::Skip => {
                self.bump();
                StmtKind::Skip
            }
            Tok::LParen => return self.parse_paren_stmt(),
            Tok::LBracketBar => {
                self.bump();
                let arms = self.parse_arms(None)?;
                self.refuse_leading_else(&arms, "selection");
                self.expect(&Tok::BarRBracket)?;
                StmtKind::Select {
                    nondeterministic: true,
                    arms,
                }
            }
            Tok::LBracket => return self.parse_bracket_stmt(),
            Tok::StarLBracket => return self.parse_loop_stmt(),
            Tok::Ident(name) if matches!(self.peek_at(1).kind, Tok::LParen) => {
                return self.parse_call_stmt(name)
            }
            Tok::Ident(_) => return self.parse_action_stmt(),
            Tok::Unsupported(word) => {
                let span = self.peek().span.clone();
                return Err(self.report(
                    Diagnostic::error(span, format!("`{word}` is a reserved word of ACT"))
                        .with_label("not a statement"),
                ));
            }
            _ => return Err(self.error_expected("a statement")),
        };
        Ok(Stmt::new(kind, self.span_from(start)))
    }

    /// `( S )`, `(; i : N : S)`, `(, i : N : S)`, `(|| i : N : S)`.
    pub(super) fn parse_paren_stmt(&mut self) -> PResult<Stmt> {
        self.parse_paren_of(true, |p| Ok(p.parse_seq()))
    }

    /// `( S )`, `(; i : N : S)`, `(, i : N : S)` and, with `bar_bar`, `(|| i : N : S)`, each
    /// `S` parsed by `body` (CHP's and chp-txt's).
    pub(super) fn parse_paren_of(
        &mut self,
        bar_bar: bool,
        body: fn(&mut Self) -> PResult<Stmt>,
    ) -> PResult<Stmt> {
        let start = self.start();
        self.expect(&Tok::LParen)?;
        let parallel = match self.peek().kind {
            Tok::Semi => Some(false),
            Tok::Comma => Some(true),
            Tok::BarBar if bar_bar => Some(true),
            _ => None,
        };
        let Some(parallel) = parallel else {
            let inner = body(self)?;
            self.expect(&Tok::RParen)?;
            return Ok(inner);
        };
        self.bump();
        let (var, range) = self.parse_loop_head()?;
        let body = body(self)?;
        self.expect(&Tok::RParen)?;
        Ok(Stmt::new(
            StmtKind::Replicated {
                parallel,
                var,
                range,
                body: Box::new(body),
            },
            self.span_from(start),
        ))
    }

    /// `[ arms ]`, `[ g ]` or `[ S ]`.
    pub(super) fn parse_bracket_stmt(&mut self) -> PResult<Stmt> {
        let start = self.start();
        self.expect(&Tok::LBracket)?;
        let kind = if self.arms_start_here() {
            let arms = self.parse_arms(None)?;
            self.refuse_leading_else(&arms, "selection");
            StmtKind::Select {
                nondeterministic: false,
                arms,
            }
        } else if let Some(guard) = self.try_guard(true) {
            if self.at(&Tok::Arrow) {
                StmtKind::Select {
                    nondeterministic: false,
                    arms: self.parse_arms(Some(guard))?,
                }
            } else {
                StmtKind::Wait(guard)
            }
        } else {
            // ACT allows brackets as statement grouping: `[ S ]`.
            let inner = self.parse_seq();
            self.expect(&Tok::RBracket)?;
            return Ok(inner);
        };
        self.expect(&Tok::RBracket)?;
        Ok(Stmt::new(kind, self.span_from(start)))
    }

    /// `*[ S ]`, `*[ arms ]`, `*[ S <- g ]`.
    pub(super) fn parse_loop_stmt(&mut self) -> PResult<Stmt> {
        let start = self.start();
        self.expect(&Tok::StarLBracket)?;
        let kind = if self.arms_start_here() {
            let arms = self.parse_arms(None)?;
            self.refuse_leading_else(&arms, "loop");
            StmtKind::GuardedLoop(arms)
        } else if let Some(guard) = self.try_guard(false) {
            StmtKind::GuardedLoop(self.parse_arms(Some(guard))?)
        } else {
            let body = self.parse_seq();
            if self.eat(&Tok::LArrow) {
                let cond = self.parse_expr()?;
                StmtKind::DoLoop {
                    body: Box::new(body),
                    cond,
                }
            } else {
                StmtKind::Forever(Box::new(body))
            }
        };
        self.expect(&Tok::RBracket)?;
        Ok(Stmt::new(kind, self.span_from(start)))
    }

    /// Whether the bracket content surely starts with a guarded command (`else ->` or a
    /// replicated guard `([] ...`).
    pub(super) fn arms_start_here(&self) -> bool {
        self.at(&Tok::Else) || (self.at(&Tok::LParen) && self.peek_at(1).kind == Tok::Box)
    }

    /// Speculatively parses an expression followed by `->` (or by `]` when `allow_wait`, for
    /// `[ g ]`); rewinds and returns `None` if the bracket holds something else (a statement).
    pub(super) fn try_guard(&mut self, allow_wait: bool) -> Option<Expr> {
        let checkpoint = self.checkpoint();
        let nesting = self.nesting;
        match self.parse_expr() {
            Ok(expr) if self.at(&Tok::Arrow) || (allow_wait && self.at(&Tok::RBracket)) => {
                Some(expr)
            }
            _ => {
                self.rewind(checkpoint);
                self.nesting = nesting;
                None
            }
        }
    }

    /// `g1 -> S1 [] g2 -> S2 [] else -> S3`; `first_guard` is an already-parsed first guard.
    pub(super) fn parse_arms(&mut self, first_guard: Option<Expr>) -> PResult<Vec<GuardedCmd>> {
        let mut arms = Vec::new();
        let mut pending = first_guard;
        loop {
            arms.push(self.parse_arm(pending.take())?);
            if !self.eat(&Tok::Box) {
                break;
            }
        }
        Ok(arms)
    }

    /// ACT's grammar refuses `else` as the first arm of a bracketed selection or loop
    /// (`[ else -> S ]`, `*[ else -> S [] g -> T ]`), in every definition, expanded or not;
    /// `what` names the construct. (chp-txt's `select { else: S }` has no such rule.)
    fn refuse_leading_else(&mut self, arms: &[GuardedCmd], what: &str) {
        if let Some(first) = arms.first().filter(|a| matches!(a.guard, Guard::Else)) {
            self.report(
                Diagnostic::error(
                    first.span.clone(),
                    format!("`else` cannot be the first arm of a {what}"),
                )
                .with_label("no guard before it"),
            );
        }
    }

    pub(super) fn parse_arm(&mut self, parsed_guard: Option<Expr>) -> PResult<GuardedCmd> {
        let start = parsed_guard
            .as_ref()
            .map_or_else(|| self.start(), |guard| guard.span.start);
        if parsed_guard.is_none() && self.at(&Tok::LParen) && self.peek_at(1).kind == Tok::Box {
            return self.parse_replicated_arm();
        }
        let guard = match parsed_guard {
            Some(guard) => Guard::Expr(guard),
            None if self.eat(&Tok::Else) => Guard::Else,
            None => Guard::Expr(self.parse_expr()?),
        };
        self.expect(&Tok::Arrow)?;
        let body = self.parse_seq();
        Ok(GuardedCmd {
            replicator: None,
            guard,
            body,
            span: self.span_from(start),
        })
    }

    /// `([] i : N : g -> S)`.
    pub(super) fn parse_replicated_arm(&mut self) -> PResult<GuardedCmd> {
        let start = self.start();
        self.expect(&Tok::LParen)?;
        self.expect(&Tok::Box)?;
        let (var, range) = self.parse_loop_head()?;
        let guard = self.parse_expr()?;
        self.expect(&Tok::Arrow)?;
        let body = self.parse_seq();
        self.expect(&Tok::RParen)?;
        Ok(GuardedCmd {
            replicator: Some(Replicator { var, range }),
            guard: Guard::Expr(guard),
            body,
            span: self.span_from(start),
        })
    }

    /// `log(...)`, `log_p(...)`, `log_st()`, `log_nl()`, `warn(...)`, `assert(...)`.
    pub(super) fn parse_call_stmt(&mut self, name: &str) -> PResult<Stmt> {
        let start = self.start();
        let function = self.expect_ident("a function name")?;
        let log_kind = match name {
            "log" => Some(LogKind::Line),
            "log_p" => Some(LogKind::Part),
            "log_st" => Some(LogKind::Start),
            "log_nl" => Some(LogKind::End),
            "warn" => Some(LogKind::Warn),
            _ => None,
        };
        if log_kind.is_none() && name != "assert" {
            return Err(self.report(
                Diagnostic::error(function.span, format!("unknown CHP function `{name}`"))
                    .with_label("not a known function")
                    .with_hint(
                        "the supported functions are `log`, `log_p`, `log_st`, `log_nl`, `warn` \
                         and `assert`",
                    ),
            ));
        }
        self.expect(&Tok::LParen)?;
        let mut args = self.parse_in_brackets(|p| {
            let mut args = Vec::new();
            if p.at(&Tok::RParen) {
                return Ok(args);
            }
            loop {
                args.push(p.parse_log_arg()?);
                if p.at(&Tok::RParen) {
                    break;
                }
                if !p.eat(&Tok::Comma) {
                    return Err(p.error_expected_hint(
                        "`,` or `)`",
                        Some("separate the arguments with commas: `log(\"x = \", x)`"),
                    ));
                }
            }
            Ok(args)
        })?;
        self.expect(&Tok::RParen)?;
        let span = self.span_from(start);
        if let Some(kind) = log_kind {
            // ACT accepts arguments to `log_st`/`log_nl` and actsim ignores them; they are kept
            // (and checked like any expression) but print nothing.
            return Ok(Stmt::new(StmtKind::Log { kind, args }, span));
        }
        if args.is_empty() {
            return Err(self.report(
                Diagnostic::error(span, "`assert` needs a condition")
                    .with_label("no condition")
                    .with_hint("write `assert(cond)` or `assert(cond, \"message\", value)`"),
            ));
        }
        match args.remove(0) {
            LogArg::Expr(cond) => Ok(Stmt::new(
                StmtKind::Assert {
                    cond,
                    message: args,
                },
                span,
            )),
            LogArg::Str(_, str_span) => Err(self.report(
                Diagnostic::error(
                    str_span,
                    "the first argument of `assert` must be a condition",
                )
                .with_label("a string, not a condition"),
            )),
        }
    }

    pub(super) fn parse_log_arg(&mut self) -> PResult<LogArg> {
        if let Tok::Str(text) = &self.peek().kind {
            let span = self.bump().span.clone();
            return Ok(LogArg::Str(text.clone(), span));
        }
        Ok(LogArg::Expr(self.parse_expr()?))
    }

    /// Statements that start with a reference: `x := e`, `b+`, `b-`, `X!e`, `X!`, `X?x`, `X?`.
    pub(super) fn parse_action_stmt(&mut self) -> PResult<Stmt> {
        let start = self.start();
        let target = self.parse_reference()?;
        if let ExprKind::MethodCall {
            receiver,
            method,
            args,
        } = target.kind
        {
            let kind = StmtKind::MacroCall {
                receiver: *receiver,
                method,
                args,
            };
            return Ok(Stmt::new(kind, self.span_from(start)));
        }
        let kind = match self.peek().kind {
            Tok::Assign => {
                self.bump();
                StmtKind::Assign {
                    target,
                    value: self.parse_expr()?,
                }
            }
            Tok::Plus => {
                self.bump();
                StmtKind::SetBool {
                    target,
                    value: true,
                }
            }
            Tok::Minus => {
                self.bump();
                StmtKind::SetBool {
                    target,
                    value: false,
                }
            }
            Tok::Bang => {
                self.bump();
                let flavor = self.parse_flavor("`X!-` carries no data: send it with `X!+e`")?;
                let (value, reply) = if self.at_expr_start() {
                    self.parse_sent_value()?
                } else {
                    (None, None)
                };
                StmtKind::Send {
                    chan: target,
                    value,
                    reply,
                    flavor,
                }
            }
            Tok::Question => {
                self.bump();
                let flavor = self.parse_flavor("`X?-` receives no data: receive it with `X?+x`")?;
                let received = if self.at_ident() {
                    Some(self.parse_reference()?)
                } else if matches!(self.peek().kind, Tok::Int | Tok::Bool) {
                    // `X?int(v)` / `X?bool(v)`: receive into a variable of the other type.
                    Some(self.parse_cast(|p| p.parse_reference())?)
                } else if self.at(&Tok::LParen) {
                    let span = self.peek().span.clone();
                    return Err(self.report(
                        Diagnostic::error(span, "receiving into a list is not supported")
                            .with_label("a list of variables")
                            .with_hint("receive into one variable: `X?x`"),
                    ));
                } else {
                    None
                };
                // `X?x!e`: an exchange, `e` goes back to the sender.
                let reply = if received.is_some() && self.eat(&Tok::Bang) {
                    Some(self.parse_expr()?)
                } else {
                    None
                };
                StmtKind::Recv {
                    chan: target,
                    target: received,
                    reply,
                    flavor,
                }
            }
            _ => {
                let hint = if self.at(&Tok::Eq) {
                    Some("assignment is written `:=` (`x := e`); `=` compares two values")
                } else if self.peek_binary_op().is_some() {
                    Some("if this is a guard, follow it with `->`: `[ x > 0 -> S ]`")
                } else {
                    None
                };
                return Err(self.error_expected_hint("`:=`, `!`, `?`, `+` or `-`", hint));
            }
        };
        Ok(Stmt::new(kind, self.span_from(start)))
    }

    /// The value of a send, and the variable of an exchange's reply: `X!e?v`. A `?` after the
    /// value starts the reply unless a `:` follows (then it is the conditional `c ? a : b`).
    pub(super) fn parse_sent_value(&mut self) -> PResult<(Option<Expr>, Option<Expr>)> {
        let value = self.parse_binary(1)?;
        if !self.eat(&Tok::Question) {
            return Ok((Some(value), None));
        }
        let then = self.parse_expr()?;
        if !self.eat(&Tok::Colon) {
            return Ok((Some(value), Some(then)));
        }
        let otherwise = self.parse_expr()?;
        let span = value.span.start..otherwise.span.end;
        let conditional = Expr {
            kind: ExprKind::Conditional {
                cond: Box::new(value),
                then: Box::new(then),
                otherwise: Box::new(otherwise),
            },
            span,
        };
        Ok((Some(conditional), None))
    }

    /// The flavor right after `!` or `?` (`X!+`, `X?-`: written together, as ACT's tokens
    /// `!+`, `?-` are). `X!-`/`X?-` must not be followed by data (`data_hint` says so).
    pub(super) fn parse_flavor(&mut self, data_hint: &str) -> PResult<Option<Flavor>> {
        let flavor = match self.peek().kind {
            Tok::Plus => Flavor::Plus,
            Tok::Minus => Flavor::Minus,
            _ => return Ok(None),
        };
        if self.peek().span.start != self.prev_end() {
            return Ok(None);
        }
        let sign = self.bump().span.clone();
        let data_follows = self.at_expr_start() || matches!(self.peek().kind, Tok::Int | Tok::Bool);
        if flavor == Flavor::Minus && data_follows {
            let span = sign.start..self.peek().span.end;
            return Err(self.report(
                Diagnostic::error(span, "the `-` half of a flavored handshake carries no data")
                    .with_label("data after `-`")
                    .with_hint(data_hint),
            ));
        }
        Ok(Some(flavor))
    }

    pub(super) fn at_expr_start(&self) -> bool {
        matches!(
            self.peek().kind,
            Tok::Ident(_)
                | Tok::IntLit(_)
                | Tok::True
                | Tok::False
                | Tok::LParen
                | Tok::LBrace
                | Tok::Tilde
                | Tok::Minus
                | Tok::Hash
                | Tok::Int
                | Tok::Bool
        )
    }
}
