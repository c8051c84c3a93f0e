//! Checks on `dataflow { }`: every element names channels, used in the direction they are
//! declared with; a split's or merge's data channels have one width, and its control channel
//! is no wider than its choices need.

use super::scope::{show, RefTy};
use super::{for_each_reference, Checker};
use crate::diag::Diagnostic;
use crate::elab::consts::{eval_const, Params};
use crate::front::ast::*;

/// How an element uses a channel.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    /// It receives from it.
    Reads,
    /// It sends on it.
    Writes,
}

impl<'a> Checker<'_, 'a> {
    pub(super) fn dataflow(&mut self, d: &'a DataflowBlock) {
        for (before, after) in &d.order {
            for chan in before.iter().chain(after) {
                self.channel(chan, None, "in an `order` directive");
            }
        }
        self.dataflow_items(&d.items);
    }

    fn dataflow_items(&mut self, items: &'a [DataflowItem]) {
        for item in items {
            match &item.kind {
                DataflowKind::Func { expr, buffer, out } => {
                    self.channel_expr(expr);
                    self.value_kind(expr);
                    if let Some(b) = buffer {
                        self.param_expr(&b.slots);
                        if let Some(init) = &b.init {
                            self.param_expr(init);
                        }
                    }
                    self.channel(
                        out,
                        Some(Use::Writes),
                        "as the output of a dataflow function",
                    );
                }
                DataflowKind::Sink(input) => {
                    self.channel(input, Some(Use::Reads), "as the input of a sink `-> *`");
                }
                DataflowKind::Split {
                    control,
                    input,
                    outputs,
                } => {
                    let control_width = self.channel(control, Some(Use::Reads), "as a control");
                    let mut widths = vec![(
                        input,
                        self.channel(input, Some(Use::Reads), "as the input of a split"),
                    )];
                    let mut options = 0;
                    for out in outputs {
                        options +=
                            self.chans(out, Use::Writes, "as an output of a split", &mut widths);
                    }
                    self.uniform(&widths);
                    self.control_width(control, control_width, options, &item.span);
                }
                DataflowKind::Merge {
                    control,
                    inputs,
                    output,
                    winner,
                } => {
                    let mut widths = vec![(
                        output,
                        self.channel(output, Some(Use::Writes), "as the output of a merge"),
                    )];
                    let mut options = 0;
                    for input in inputs {
                        options +=
                            self.chans(input, Use::Reads, "as an input of a merge", &mut widths);
                    }
                    if let Some(w) = winner {
                        self.channel(w, Some(Use::Writes), "as the winner of an arbiter");
                    }
                    self.uniform(&widths);
                    if let MergeControl::Channel(c) = control {
                        let width = self.channel(c, Some(Use::Reads), "as a control");
                        self.control_width(c, width, options, &item.span);
                    }
                }
                DataflowKind::Cluster(items) => self.dataflow_items(items),
            }
        }
    }

    /// The channels of one entry of a split's outputs or a merge's inputs, with their widths
    /// added to `widths`; returns how many choices the entry stands for (`None` when a loop's
    /// range is not known here).
    fn chans(
        &mut self,
        entry: &'a DataflowChan,
        how: Use,
        role: &str,
        widths: &mut Vec<(&'a Expr, Option<u64>)>,
    ) -> usize {
        match entry {
            DataflowChan::Chan(c) => {
                widths.push((c, self.channel(c, Some(how), role)));
                1
            }
            DataflowChan::Drop(_) => 1,
            DataflowChan::Loop(l) => {
                self.range(&l.range);
                if let Some(c) = &l.chan {
                    self.in_loop(&l.var, false, |k| k.channel(c, Some(how), role));
                }
                // Unknown count: never reported as too narrow or too wide.
                usize::MAX / 2
            }
        }
    }

    /// Checks that `e` is a channel used as `how`; returns its data width when known.
    fn channel(&mut self, e: &Expr, how: Option<Use>, role: &str) -> Option<u64> {
        match self.scope.resolve(e) {
            Ok(RefTy::Value { ty, dims: 0, own }) => match &ty.kind {
                TypeKind::Chan { dir, data, .. } => {
                    if own {
                        self.direction(e, *dir, how, role);
                    }
                    data.as_deref().and_then(width_of)
                }
                _ => {
                    self.diags.push(
                        Diagnostic::error(
                            e.span.clone(),
                            format!("`{}` is not a channel", show(e)),
                        )
                        .with_label(format!("used {role}: dataflow connects channels")),
                    );
                    None
                }
            },
            Ok(RefTy::Unknown) => None,
            Ok(_) => {
                self.diags.push(
                    Diagnostic::error(e.span.clone(), format!("`{}` is not a channel", show(e)))
                        .with_label(format!("used {role}: dataflow connects channels")),
                );
                None
            }
            Err(d) => {
                self.diags.push(d);
                None
            }
        }
    }

    fn direction(&mut self, e: &Expr, dir: Option<ChanDir>, how: Option<Use>, role: &str) {
        let wrong = match (dir, how) {
            (Some(ChanDir::Input), Some(Use::Writes)) => "an input",
            (Some(ChanDir::Output), Some(Use::Reads)) => "an output",
            _ => return,
        };
        self.diags.push(
            Diagnostic::error(
                e.span.clone(),
                format!("`{}` is {wrong}, but it is used {role}", show(e)),
            )
            .with_label(format!("declared as {wrong}")),
        );
    }

    /// The expression of a dataflow function: it reads channels (and parameters).
    fn channel_expr(&mut self, e: &Expr) {
        for_each_reference(e, &mut |r| match self.scope.resolve(r) {
            Ok(RefTy::Param) | Ok(RefTy::Unknown) | Ok(RefTy::ChannelField { .. }) => {}
            Ok(RefTy::Value { ty, dims: 0, own }) if matches!(ty.kind, TypeKind::Chan { .. }) => {
                if let (true, TypeKind::Chan { dir, .. }) = (own, &ty.kind) {
                    self.direction(r, *dir, Some(Use::Reads), "in a dataflow expression");
                }
            }
            Ok(_) => self.diags.push(
                Diagnostic::error(r.span.clone(), format!("`{}` is not a channel", show(r)))
                    .with_label("a dataflow expression reads channels and parameters only"),
            ),
            Err(d) => self.diags.push(d),
        });
    }

    /// Whether `e` is a bool or an integer, when known; the two options of a conditional
    /// `c ? a : b` must agree (an error otherwise, as in ACT).
    fn value_kind(&mut self, e: &Expr) -> Option<ValueKind> {
        use ValueKind::{Bool, Int};
        match &e.kind {
            ExprKind::Int(_) | ExprKind::Concat(_) | ExprKind::BitSlice { .. } => Some(Int),
            ExprKind::Bool(_) => Some(Bool),
            ExprKind::Name(_) | ExprKind::Index { .. } | ExprKind::Field { .. } => {
                match self.scope.resolve(e) {
                    Ok(RefTy::ChannelField { ty }) => match ty.kind {
                        TypeKind::Bool => Some(Bool),
                        TypeKind::Int { .. } | TypeKind::Enum { .. } => Some(Int),
                        _ => None,
                    },
                    Ok(RefTy::Value { ty, dims: 0, .. }) => match &ty.kind {
                        TypeKind::Chan {
                            data: Some(data), ..
                        } => match data.kind {
                            TypeKind::Bool => Some(Bool),
                            TypeKind::Int { .. } | TypeKind::Enum { .. } => Some(Int),
                            _ => None,
                        },
                        _ => None,
                    },
                    _ => None,
                }
            }
            ExprKind::Unary { op, operand } => match op {
                UnaryOp::Not => self.value_kind(operand),
                UnaryOp::Neg => {
                    self.value_kind(operand);
                    Some(Int)
                }
            },
            ExprKind::Binary { op, lhs, rhs } => {
                let (a, b) = (self.value_kind(lhs), self.value_kind(rhs));
                match op {
                    _ if op.is_comparison() => Some(Bool),
                    BinaryOp::And | BinaryOp::Or | BinaryOp::Xor => a.or(b),
                    _ => Some(Int),
                }
            }
            ExprKind::Conditional {
                cond,
                then,
                otherwise,
            } => {
                self.value_kind(cond);
                let (a, b) = (self.value_kind(then), self.value_kind(otherwise));
                if let (Some(a), Some(b)) = (a, b) {
                    if a != b {
                        self.diags.push(
                            Diagnostic::error(
                                e.span.clone(),
                                "the two options of a conditional `c ? a : b` must have compatible types",
                            )
                            .with_label(format!("{} and {}", a.name(), b.name())),
                        );
                    }
                }
                a.or(b)
            }
            ExprKind::Cast { to, value, .. } => {
                self.value_kind(value);
                Some(match to {
                    CastTo::Int => Int,
                    CastTo::Bool => Bool,
                })
            }
            _ => None,
        }
    }

    /// The data channels of a split or merge must all have the same width.
    fn uniform(&mut self, widths: &[(&Expr, Option<u64>)]) {
        let mut known = widths.iter().filter_map(|(e, w)| w.map(|w| (*e, w)));
        let Some((first, width)) = known.next() else {
            return;
        };
        if let Some((other, other_width)) = known.find(|(_, w)| *w != width) {
            self.diags.push(
                Diagnostic::error(
                    other.span.clone(),
                    format!(
                        "`{}` carries {other_width} bits, `{}` {width}: the data channels of a split or merge must have one width",
                        show(other),
                        show(first)
                    ),
                )
                .with_label(format!("{other_width} bits"))
                .with_note(first.span.clone(), format!("{width} bits")),
            );
        }
    }

    /// A control channel wider than its `options` need is an error (as in ACT).
    fn control_width(&mut self, control: &Expr, width: Option<u64>, options: usize, at: &Span) {
        let Some(width) = width else { return };
        let needed = bits_for(options);
        if width > needed {
            self.diags.push(
                Diagnostic::error(
                    control.span.clone(),
                    format!(
                        "the control `{}` is {width} bits wide; {options} choices need {needed}",
                        show(control)
                    ),
                )
                .with_label("wider than its choices need")
                .with_note(at.clone(), "this element"),
            );
        }
    }
}

/// The type of a value in a dataflow expression.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    Bool,
    Int,
}

impl ValueKind {
    fn name(self) -> &'static str {
        match self {
            ValueKind::Bool => "a bool",
            ValueKind::Int => "an integer",
        }
    }
}

/// Bits to tell `options` choices apart (at least one).
fn bits_for(options: usize) -> u64 {
    let mut bits = 1;
    while bits < 64 && (1usize << bits) < options {
        bits += 1;
    }
    bits
}

/// The width of a channel's data type, when it is known without template parameters.
fn width_of(ty: &Type) -> Option<u64> {
    match &ty.kind {
        TypeKind::Bool => Some(1),
        TypeKind::Int { width: None, .. } => Some(32),
        TypeKind::Int { width: Some(w), .. } => eval_const(w, &Params::default())
            .ok()
            .and_then(|w| u64::try_from(w).ok()),
        _ => None,
    }
}
