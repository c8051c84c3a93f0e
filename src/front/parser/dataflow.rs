//! `dataflow { }` blocks: functions `e -> o` (with buffers `[N, init]` or `(N, init)`), splits
//! `{c} i -> o1, o2`, merges `{c} i1, i2 -> o`, mixers `{*}` and arbiters `{|}`, sinks
//! `i -> *`, `dataflow_cluster { }` and a leading `order { }`. Items are separated by `;`.
//!
//! Which of split and merge a `{...}` item is follows ACT: one input (not a loop) makes a split.

use super::{PResult, Parser};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;

impl Parser<'_> {
    /// `dataflow { [order { ... }] items }`, at `dataflow`.
    pub(super) fn parse_dataflow_block(&mut self) -> PResult<DataflowBlock> {
        let start = self.start();
        self.bump();
        self.expect(&Tok::LBrace)?;
        let mut order = Vec::new();
        if matches!(&self.peek().kind, Tok::Ident(w) if w == "order")
            && self.peek_at(1).kind == Tok::LBrace
        {
            self.bump();
            self.bump();
            while !self.at(&Tok::RBrace) && !self.at(&Tok::Eof) {
                let before = self.parse_node_list()?;
                self.expect(&Tok::Lt)?;
                let after = self.parse_node_list()?;
                order.push((before, after));
                if !self.eat(&Tok::Semi) {
                    break;
                }
            }
            self.expect(&Tok::RBrace)?;
        }
        let items = self.parse_dataflow_items()?;
        self.expect(&Tok::RBrace)?;
        Ok(DataflowBlock {
            order,
            items,
            span: self.span_from(start),
        })
    }

    /// `a, b, c`.
    fn parse_node_list(&mut self) -> PResult<Vec<Expr>> {
        let mut list = vec![self.parse_node_ref()?];
        while self.eat(&Tok::Comma) {
            list.push(self.parse_node_ref()?);
        }
        Ok(list)
    }

    /// Items separated by `;` up to a `}` (not consumed).
    fn parse_dataflow_items(&mut self) -> PResult<Vec<DataflowItem>> {
        let mut items = Vec::new();
        while !self.at(&Tok::RBrace) && !self.at(&Tok::Eof) {
            items.push(self.nested(|p| p.parse_dataflow_item())?);
            if !self.eat(&Tok::Semi) {
                break;
            }
        }
        Ok(items)
    }

    fn parse_dataflow_item(&mut self) -> PResult<DataflowItem> {
        let start = self.start();
        let kind = match &self.peek().kind {
            Tok::Ident(w) if w == "dataflow_cluster" && self.peek_at(1).kind == Tok::LBrace => {
                self.bump();
                self.bump();
                let items = self.parse_dataflow_items()?;
                self.expect(&Tok::RBrace)?;
                DataflowKind::Cluster(items)
            }
            Tok::LBrace => self.parse_split_merge(start)?,
            _ => {
                let expr = self.parse_expr()?;
                self.expect(&Tok::Arrow)?;
                if self.eat(&Tok::Star) {
                    DataflowKind::Sink(expr)
                } else {
                    let buffer = match self.peek().kind {
                        Tok::LBracket | Tok::LParen => {
                            let transparent = self.bump().kind == Tok::LParen;
                            let (slots, init) = self.parse_in_brackets(|p| {
                                let slots = p.parse_expr()?;
                                let init = if p.eat(&Tok::Comma) {
                                    Some(p.parse_expr()?)
                                } else {
                                    None
                                };
                                Ok((slots, init))
                            })?;
                            self.expect(if transparent {
                                &Tok::RParen
                            } else {
                                &Tok::RBracket
                            })?;
                            Some(DataflowBuffer {
                                transparent,
                                slots,
                                init,
                            })
                        }
                        _ => None,
                    };
                    let out = self.parse_node_ref()?;
                    DataflowKind::Func { expr, buffer, out }
                }
            }
        };
        Ok(DataflowItem {
            kind,
            span: self.span_from(start),
        })
    }

    /// `{c} i -> o1, o2` (split) or `{c|*||} i1, i2 -> o [, w]` (merge, mixer, arbiter).
    fn parse_split_merge(&mut self, start: usize) -> PResult<DataflowKind> {
        self.expect(&Tok::LBrace)?;
        let control = match self.peek().kind {
            Tok::Star => {
                self.bump();
                MergeControl::Mixer
            }
            Tok::Bar => {
                self.bump();
                MergeControl::Arbiter
            }
            _ => MergeControl::Channel(self.parse_node_ref()?),
        };
        self.expect(&Tok::RBrace)?;
        let inputs = self.parse_dataflow_chans()?;
        self.expect(&Tok::Arrow)?;
        let outputs = self.parse_dataflow_chans()?;
        let span = self.span_from(start);
        let fail = |p: &mut Self, message: &str| {
            Err(p.report(Diagnostic::error(span.clone(), message.to_string()).with_label("here")))
        };
        let single = |chans: &[DataflowChan]| -> Option<Option<Expr>> {
            match chans {
                [DataflowChan::Chan(e)] => Some(Some(e.clone())),
                [DataflowChan::Drop(_)] => Some(None),
                _ => None,
            }
        };
        if let Some(input) = single(&inputs) {
            let MergeControl::Channel(control) = control else {
                return fail(self, "a split needs a control channel: `{c} i -> o1, o2`");
            };
            if outputs.len() < 2 && !matches!(outputs[0], DataflowChan::Loop(_)) {
                return fail(self, "a split needs more than one output");
            }
            let Some(input) = input else {
                return fail(self, "a split cannot take its input from `*`");
            };
            return Ok(DataflowKind::Split {
                control,
                input,
                outputs,
            });
        }
        if outputs.iter().any(|o| matches!(o, DataflowChan::Loop(_))) {
            return fail(
                self,
                "a merge, mixer or arbiter has no loop among its outputs",
            );
        }
        let two_allowed = !matches!(control, MergeControl::Channel(_));
        if outputs.len() > 2 || (outputs.len() == 2 && !two_allowed) {
            return fail(self, "too many outputs for a merge: it has one (an arbiter or mixer may add a second, which says which input won)");
        }
        let mut outputs = outputs.into_iter();
        let Some(DataflowChan::Chan(output)) = outputs.next() else {
            return fail(self, "a merge cannot output to `*`");
        };
        let winner = match outputs.next() {
            Some(DataflowChan::Chan(w)) => Some(w),
            Some(_) => return fail(self, "a merge cannot output to `*`"),
            None => None,
        };
        if inputs.iter().any(|i| {
            matches!(i, DataflowChan::Drop(_))
                || matches!(i, DataflowChan::Loop(l) if l.chan.is_none())
        }) {
            return fail(self, "a merge cannot take an input from `*`");
        }
        Ok(DataflowKind::Merge {
            control,
            inputs,
            output,
            winner,
        })
    }

    /// `a, *, (, i : N : c[i]), ...`.
    fn parse_dataflow_chans(&mut self) -> PResult<Vec<DataflowChan>> {
        let mut chans = Vec::new();
        loop {
            let start = self.start();
            let chan = if self.at(&Tok::LParen) && self.peek_at(1).kind == Tok::Comma {
                self.bump();
                self.bump();
                let (var, range) = self.parse_loop_head()?;
                let chan = if self.eat(&Tok::Star) {
                    None
                } else {
                    Some(self.parse_node_ref()?)
                };
                self.expect(&Tok::RParen)?;
                DataflowChan::Loop(Box::new(DataflowLoop {
                    var,
                    range,
                    chan,
                    span: self.span_from(start),
                }))
            } else if self.at(&Tok::Star) {
                DataflowChan::Drop(self.bump().span.clone())
            } else {
                DataflowChan::Chan(self.parse_node_ref()?)
            };
            chans.push(chan);
            if !self.eat(&Tok::Comma) {
                return Ok(chans);
            }
        }
    }
}
