//! `chp-txt { }`: ACT's textual spelling of CHP, read into the same statements as `chp { }`.
//!
//! | chp-txt | CHP |
//! |---|---|
//! | `S1; S2`, `S1, S2`, `A \|\| B`, `( S )`, `skip`, `x := e`, `X!e`, `X?x`, `log(...)` | the same |
//! | `send(X, e)`, `recv(X, x)`, `recv(X, int(b))` | `X!e`, `X?x`, `X?int(b)` |
//! | `wait-for(g)` | `[g]` |
//! | `if (g) { S }` | `[g -> S [] else -> skip]` |
//! | `select { case g1: S1; case g2: S2; else: S3 }` | `[g1 -> S1 [] g2 -> S2 [] else -> S3]` |
//! | `arb_select { case g1: S1; ... }` | `[\| g1 -> S1 [] ... \|]` |
//! | `while (g) { S }` | `*[g -> S]` |
//! | `while { case g1: S1; ... }` | `*[g1 -> S1 [] ...]` |
//! | `do { S } while (g)` | `*[S <- g]` |
//! | `forever { S }` | `*[S]` |
//!
//! A `case`'s statements run up to the next `case` or `else` (or the closing `}`).

use super::{PResult, Parser};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;

impl Parser<'_> {
    /// At `-` `txt` right after `chp`: the block is `chp-txt`.
    pub(super) fn at_txt_suffix(&self) -> bool {
        self.at(&Tok::Minus) && matches!(&self.peek_at(1).kind, Tok::Ident(w) if w == "txt")
    }

    /// The braced body of a `chp-txt` block (after `chp-txt`); `None` when empty.
    pub(super) fn parse_txt_braced(&mut self) -> PResult<Option<Stmt>> {
        self.expect(&Tok::LBrace)?;
        let body = if self.at(&Tok::RBrace) {
            None
        } else {
            Some(self.parse_txt_top()?)
        };
        self.expect(&Tok::RBrace)?;
        Ok(body)
    }

    /// `A || B || ...`, each a body.
    fn parse_txt_top(&mut self) -> PResult<Stmt> {
        let start = self.start();
        let first = self.parse_txt_body(false)?;
        if !self.at(&Tok::BarBar) {
            return Ok(first);
        }
        let mut branches = vec![first];
        while self.eat(&Tok::BarBar) {
            branches.push(self.parse_txt_body(false)?);
        }
        Ok(Stmt::new(StmtKind::Par(branches), self.span_from(start)))
    }

    /// Whether a body ends here: at a closer, or at the next arm of a `select` (`in_case`).
    fn at_txt_body_end(&self, in_case: bool) -> bool {
        matches!(
            self.peek().kind,
            Tok::RBrace | Tok::RParen | Tok::BarBar | Tok::Eof
        ) || (in_case && (self.at(&Tok::Else) || self.at_word("case")))
    }

    fn at_word(&self, word: &str) -> bool {
        matches!(&self.peek().kind, Tok::Ident(w) if w == word)
    }

    /// `S1; S2, S3; ...` (a trailing `;` is fine).
    fn parse_txt_body(&mut self, in_case: bool) -> PResult<Stmt> {
        let start = self.start();
        let mut stmts = Vec::new();
        loop {
            stmts.push(self.parse_par_of(Self::parse_txt_item)?);
            if !self.eat(&Tok::Semi) || self.at_txt_body_end(in_case) {
                break;
            }
        }
        Ok(if stmts.len() == 1 {
            stmts.pop().expect("one statement")
        } else {
            Stmt::new(StmtKind::Seq(stmts), self.span_from(start))
        })
    }

    fn parse_txt_item(&mut self) -> PResult<Stmt> {
        self.nested(|p| {
            let start = p.start();
            let word = match &p.peek().kind {
                Tok::Ident(w) => w.clone(),
                Tok::Skip => {
                    p.bump();
                    return Ok(Stmt::new(StmtKind::Skip, p.span_from(start)));
                }
                Tok::LParen => return p.parse_txt_paren(),
                _ => return Err(p.error_expected("a chp-txt statement")),
            };
            let next = p.peek_at(1).kind.clone();
            let kind = match (word.as_str(), next) {
                ("select" | "arb_select" | "while" | "do" | "forever", Tok::LBrace) => {
                    p.parse_txt_block_stmt(&word)?
                }
                ("while" | "if", Tok::LParen) => {
                    p.bump();
                    let guard = p.parse_txt_condition()?;
                    p.expect(&Tok::LBrace)?;
                    let body = p.parse_txt_body(false)?;
                    p.expect(&Tok::RBrace)?;
                    let span = p.span_from(start);
                    let arm = |guard, body| GuardedCmd {
                        replicator: None,
                        guard,
                        body,
                        span: span.clone(),
                    };
                    if word == "while" {
                        StmtKind::GuardedLoop(vec![arm(Guard::Expr(guard), body)])
                    } else {
                        let skip = Stmt::new(StmtKind::Skip, span.clone());
                        StmtKind::Select {
                            nondeterministic: false,
                            arms: vec![arm(Guard::Expr(guard), body), arm(Guard::Else, skip)],
                        }
                    }
                }
                ("wait", Tok::Minus) if matches!(&p.peek_at(2).kind, Tok::Ident(w) if w == "for") =>
                {
                    p.bump();
                    p.bump();
                    p.bump();
                    StmtKind::Wait(p.parse_txt_condition()?)
                }
                ("send" | "recv", Tok::LParen) => {
                    p.bump();
                    p.expect(&Tok::LParen)?;
                    let (chan, value) = p.parse_in_brackets(|p| {
                        let chan = p.parse_reference()?;
                        p.expect(&Tok::Comma)?;
                        Ok((chan, p.parse_expr()?))
                    })?;
                    p.expect(&Tok::RParen)?;
                    if word == "send" {
                        StmtKind::Send {
                            chan,
                            value: Some(value),
                            reply: None,
                            flavor: None,
                        }
                    } else {
                        StmtKind::Recv {
                            chan,
                            target: Some(value),
                            reply: None,
                            flavor: None,
                        }
                    }
                }
                ("case", _) => {
                    let span = p.peek().span.clone();
                    return Err(p.report(
                        Diagnostic::error(
                            span,
                            "a `case` outside a `select`, `arb_select` or `while { }`",
                        )
                        .with_label("no selection here"),
                    ));
                }
                (name, Tok::LParen) => return p.parse_call_stmt(name),
                _ => return p.parse_action_stmt(),
            };
            Ok(Stmt::new(kind, p.span_from(start)))
        })
    }

    /// `( g )` after `if`, `while`, `wait-for`.
    fn parse_txt_condition(&mut self) -> PResult<Expr> {
        self.expect(&Tok::LParen)?;
        let guard = self.parse_in_brackets(|p| p.parse_expr())?;
        self.expect(&Tok::RParen)?;
        Ok(guard)
    }

    /// `( S )`, `(; i : N : S)`, `(, i : N : S)`.
    fn parse_txt_paren(&mut self) -> PResult<Stmt> {
        self.parse_paren_of(false, |p| p.parse_txt_body(false))
    }

    /// `select { ... }`, `arb_select { ... }`, `while { ... }`, `do { ... } while (g)`,
    /// `forever { ... }` (at the word), with ACT's rules on what each holds.
    fn parse_txt_block_stmt(&mut self, word: &str) -> PResult<StmtKind> {
        let word_span = self.bump().span.clone();
        self.expect(&Tok::LBrace)?;
        let has_cases = self.at(&Tok::Else) || self.at_word("case");
        let (arms, body) = if has_cases {
            (self.parse_txt_cases()?, None)
        } else {
            (Vec::new(), Some(self.parse_txt_body(false)?))
        };
        self.expect(&Tok::RBrace)?;
        let has_else = arms.iter().any(|a| matches!(a.guard, Guard::Else));
        let wrong = match word {
            "select" | "arb_select" if !has_cases => {
                Some(format!("`{word}` holds `case g: S` arms"))
            }
            "while" if !has_cases || has_else => {
                Some("`while { }` holds `case g: S` arms, without `else`".to_string())
            }
            "do" | "forever" if has_cases => Some(format!(
                "the body of `{word}` is statements, not `case` arms"
            )),
            _ => None,
        };
        if let Some(message) = wrong {
            return Err(self.report(Diagnostic::error(word_span, message).with_label("here")));
        }
        let do_while = if word == "do" {
            if !self.at_word("while") {
                return Err(self.error_expected_hint(
                    "`while (g)`",
                    Some("a do-loop ends with its condition: `do { S } while (g)`"),
                ));
            }
            self.bump();
            Some(self.parse_txt_condition()?)
        } else {
            None
        };
        // `do` and `forever` have a body (their cases were refused above).
        let body = Box::new(body.unwrap_or_else(|| Stmt::new(StmtKind::Skip, word_span)));
        Ok(match (word, do_while) {
            ("select", _) => StmtKind::Select {
                nondeterministic: false,
                arms,
            },
            ("arb_select", _) => StmtKind::Select {
                nondeterministic: true,
                arms,
            },
            ("while", _) => StmtKind::GuardedLoop(arms),
            (_, Some(cond)) => StmtKind::DoLoop { body, cond },
            (_, None) => StmtKind::Forever(body),
        })
    }

    /// `case g: S; case g: S; else: S` (`;` between arms, a trailing one is fine).
    fn parse_txt_cases(&mut self) -> PResult<Vec<GuardedCmd>> {
        let mut arms = Vec::new();
        while !self.at(&Tok::RBrace) && !self.at(&Tok::Eof) {
            let start = self.start();
            let guard = if self.eat(&Tok::Else) {
                Guard::Else
            } else if self.at_word("case") {
                self.bump();
                Guard::Expr(self.parse_expr()?)
            } else {
                return Err(self.error_expected("`case` or `else`"));
            };
            self.expect(&Tok::Colon)?;
            let body = self.parse_txt_body(true)?;
            arms.push(GuardedCmd {
                replicator: None,
                guard,
                body,
                span: self.span_from(start),
            });
            self.eat(&Tok::Semi);
        }
        Ok(arms)
    }
}
