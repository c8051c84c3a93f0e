//! Ports, channel slots and assignable places (variables, elements, fields, bit ranges).

use std::collections::HashMap;
use std::sync::Arc;

use super::{Lowerer, PortArray};
use crate::diag::{did_you_mean, Diagnostic};
use crate::elab::consts::eval_const;
use crate::elab::ir::{Dir, Expr, Place, PortRef, PortSlot, Ty};
use crate::elab::types::Shape;
use crate::front::ast::{self};

impl Lowerer<'_> {
    /// The block of slots for the end of local channel `name` that a use in direction `dir`
    /// (`None`: a probe) takes: the first end used, or the other one.
    pub(super) fn local_channel_block(
        &mut self,
        name: &str,
        dir: Option<Dir>,
    ) -> Option<PortArray> {
        let channel = self.local_channels.get(name)?;
        if channel.shape.len() == 0 {
            // An empty array has no ends to take: its uses are refused where they index it.
            return Some(PortArray {
                base: self.slots.len(),
                shape: channel.shape.clone(),
                ty: channel.ty,
            });
        }
        let (shape, ty, reply, is_array) = (
            channel.shape.clone(),
            channel.ty,
            channel.reply,
            channel.is_array,
        );
        let binding = channel.binding.clone();
        let first_dir = channel.first.map(|b| self.dirs[b]);
        let takes_first = match (first_dir, dir) {
            (None, _) => None,
            (Some(None), _) | (Some(_), None) => channel.first,
            (Some(Some(d)), Some(wanted)) if d == wanted => channel.first,
            (Some(Some(_)), Some(_)) => channel.second,
        };
        let len = shape.len();
        if let Some(base) = takes_first {
            self.set_block_dir(base, len, dir);
            return Some(PortArray { base, shape, ty });
        }
        let base = self.slots.len();
        for i in 0..len {
            let name = if !is_array {
                name.to_string()
            } else {
                format!("{name}{}", shape.suffix(i))
            };
            self.slots.push(PortSlot {
                name,
                dir: dir.unwrap_or(Dir::Send),
                reply,
                local: true,
                used: false,
                wired: false,
                wire_marks: Arc::from([]),
            });
            self.dirs.push(None);
            self.bindings.push(binding.element(i));
        }
        let channel = self.local_channels.get_mut(name).expect("looked up above");
        if channel.first.is_none() {
            channel.first = Some(base);
        } else {
            channel.second = Some(base);
        }
        self.set_block_dir(base, len, dir);
        Some(PortArray { base, shape, ty })
    }

    /// An end of a local channel array is used in one direction by all its elements.
    pub(super) fn set_block_dir(&mut self, base: usize, len: usize, dir: Option<Dir>) {
        if dir.is_some() {
            self.dirs[base..base + len].fill(dir);
        }
    }

    /// Whether `name` is a port or a channel declared in the process.
    pub(super) fn is_channel(&self, name: &str) -> bool {
        self.ports.contains_key(name) || self.local_channels.contains_key(name)
    }

    /// A port used for `dir`, checking (or inferring) its direction.
    /// A port used in direction `dir`: the reference, its data type and its reply type.
    pub(super) fn port(
        &mut self,
        e: &ast::Expr,
        dir: Dir,
    ) -> Option<(PortRef, Option<Ty>, Option<Ty>)> {
        let (port, ty, slots) = self.port_ref(e, Some(dir))?;
        let reply = slots.first().and_then(|&slot| self.slots[slot].reply);
        for slot in slots {
            match self.dirs[slot] {
                None => self.dirs[slot] = Some(dir),
                Some(d) if d == dir => {}
                Some(_) => {
                    let (doing, declared) = match dir {
                        Dir::Send => ("sends on", "an input (chan?)"),
                        Dir::Receive => ("receives from", "an output (chan!)"),
                    };
                    self.err(
                        &e.span,
                        format!(
                            "this {doing} `{}`, which is {declared}",
                            self.slots[slot].name
                        ),
                    );
                    return None;
                }
            }
        }
        Some((port, ty, reply))
    }

    pub(super) fn bundle_element(&self, e: &ast::Expr) -> Option<ast::Expr> {
        let element = e.bundle_element_member()?;
        let ast::ExprKind::Index { base: member, .. } = &element.kind else {
            unreachable!("an element of the member array");
        };
        let name = match &member.kind {
            ast::ExprKind::Name(id) => id.name.clone(),
            _ => self.member_name(member)?.name,
        };
        self.is_channel(&name).then_some(element)
    }

    /// The error for an interface bundle used as a channel (`p!x`) or a member it does not have
    /// (`p.rq`, `p[0].rq`, `d.p.rq`); `None` when `id` names neither.
    fn bundle_misuse(&self, id: &ast::Ident) -> Option<Diagnostic> {
        let members = self.bundle_members(&id.name);
        if !members.is_empty() {
            let uses: Vec<String> = members.iter().map(|m| format!("`{m}`")).collect();
            return Some(
                Diagnostic::error(
                    id.span.clone(),
                    format!("`{}` is an interface bundle, not a channel", id.name),
                )
                .with_hint(format!("use one of its members ({})", uses.join(", "))),
            );
        }
        let (bundle, field) = id.name.rsplit_once('.')?;
        let members = self.bundle_members(bundle);
        if members.is_empty() {
            return None;
        }
        let full: Vec<String> = members.iter().map(|m| format!("{bundle}.{m}")).collect();
        let hint = did_you_mean(&id.name, full.iter().map(String::as_str))
            .unwrap_or_else(|| format!("its members are: {}", members.join(", ")));
        Some(
            Diagnostic::error(
                id.span.clone(),
                format!("interface bundle `{bundle}` has no member `{field}`"),
            )
            .with_hint(hint),
        )
    }

    /// The members of the bundle `name` names (`p`, `p[2]`, `d.p`), sorted; none if it names
    /// none. A bare name is looked up among the ports only: among the channels, `s.L` may be
    /// a sub-instance's port as well as a member.
    fn bundle_members(&self, name: &str) -> Vec<String> {
        let array = (name.strip_suffix(']').and_then(|n| n.rsplit_once('[')))
            .map_or(name, |(array, _)| array);
        let prefix = format!("{array}.");
        let channels = self.local_channels.keys().filter(|_| array.contains('.'));
        let mut members: Vec<String> = (self.ports.keys().chain(channels))
            .filter_map(|n| n.strip_prefix(&prefix))
            .filter(|m| !m.contains('.'))
            .map(str::to_string)
            .collect();
        members.sort_unstable();
        members
    }

    /// The channels of the record object `name` that mixes channels and data (`L` of `s.L`).
    pub(super) fn channel_members(&self, name: &str) -> Vec<String> {
        let prefix = format!("{name}.");
        (self.ports.keys().chain(self.local_channels.keys()))
            .filter_map(|n| n.strip_prefix(&prefix))
            .filter(|m| !m.contains('.'))
            .map(str::to_string)
            .collect()
    }

    /// Resolves a port reference (or a reference to a channel declared in the process) used in
    /// direction `dir` (`None`: probed); also returns the slots it may denote.
    pub(super) fn port_ref(
        &mut self,
        e: &ast::Expr,
        dir: Option<Dir>,
    ) -> Option<(PortRef, Option<Ty>, Vec<usize>)> {
        if let Some(element) = self.bundle_element(e) {
            return self.port_ref(&element, dir);
        }
        // A port name in the body of an instance's macro: the instance's port.
        if let Some(stands_for) = macro_port(e, &self.macro_names) {
            return self.in_caller(|l| l.port_ref(&stands_for, dir));
        }
        if self.outside_macro(e) {
            return None;
        }
        let member;
        let (id, index) = match &e.kind {
            ast::ExprKind::Name(id) => (id, None),
            ast::ExprKind::Field { .. } if self.member_name(e).is_some() => {
                member = self.member_name(e).expect("matched");
                (&member, None)
            }
            ast::ExprKind::Index { .. } if index_chain(e).is_some() => {
                let (id, indices) = index_chain(e).expect("matched");
                (id, Some(indices))
            }
            ast::ExprKind::Index { base, index } => {
                let id = match &base.kind {
                    ast::ExprKind::Field { .. } if self.member_name(base).is_some() => {
                        member = self.member_name(base).expect("matched");
                        &member
                    }
                    _ => {
                        self.err(&e.span, "expected a port or a port array element");
                        return None;
                    }
                };
                (id, Some(vec![index.as_ref()]))
            }
            _ => {
                self.err(&e.span, "expected a channel");
                return None;
            }
        };
        let dir = match dir {
            None if self.probed_on_receive.contains(&id.name) => Some(Dir::Receive),
            None if self.local_channels.contains_key(&id.name) => {
                self.probed.insert(id.name.clone());
                None
            }
            dir => dir,
        };
        let Some(p) = self.channel_slots(&id.name, dir) else {
            if index.is_none() && self.vars.contains_key(&id.name) {
                let msg = format!("`{}` is a variable, not a channel", id.name);
                self.err(&id.span, msg);
            } else if let Some(d) = self.bundle_misuse(id) {
                self.diags.push(d);
            } else {
                let msg = format!("unknown channel `{}`", id.name);
                self.unknown(&id.span, msg, &id.name, false, true);
            }
            return None;
        };
        let (base_slot, shape, ty) = (p.base, p.shape, p.ty);
        let len = shape.len();
        let (port, slots) = match index {
            None if len == 1 && shape.lo() == 0 => (PortRef::Fixed(base_slot), vec![base_slot]),
            None => {
                let what = if self.ports.contains_key(&id.name) {
                    "an array of ports"
                } else {
                    "an array of channels"
                };
                self.err(&e.span, format!("`{}` is {what}; index it", id.name));
                return None;
            }
            Some(indices) => match self.element_at(&id.name, &indices, &shape, &e.span)? {
                Ok(i) => (PortRef::Fixed(base_slot + i), vec![base_slot + i]),
                Err((index, lo)) => (
                    PortRef::Element {
                        base: base_slot,
                        lo,
                        len,
                        index: Box::new(index),
                    },
                    (base_slot..base_slot + len).collect(),
                ),
            },
        };
        for &slot in &slots {
            self.slots[slot].used = true;
        }
        Some((port, ty, slots))
    }

    /// The slots of a port, or of the end of a local channel that a use in `dir` takes.
    pub(super) fn channel_slots(&mut self, name: &str, dir: Option<Dir>) -> Option<PortArray> {
        if self.local_channels.contains_key(name) {
            return self.local_channel_block(name, dir);
        }
        self.ports.get(name).map(|p| PortArray {
            base: p.base,
            shape: p.shape.clone(),
            ty: p.ty,
        })
    }

    /// The element of the array `name` of `shape` that `indices` (one per dimension, outermost
    /// first) name: `Ok(position)` when they are constant (checked now), else the position as
    /// a run-time expression and the lower bound it is checked against when used.
    pub(super) fn element_at(
        &mut self,
        name: &str,
        indices: &[&ast::Expr],
        shape: &Shape,
        span: &ast::Span,
    ) -> Option<Result<usize, (Expr, i64)>> {
        if indices.len() != shape.rank() {
            let message = format!(
                "`{name}` has {} dimension(s), but this gives {} index(es)",
                shape.rank(),
                indices.len()
            );
            self.err(span, message);
            return None;
        }
        if let ([index], false) = (indices, shape.is_sparse()) {
            let lo = shape.lo();
            return Some(self.index(index, lo, shape.len())?.map_err(|e| (e, lo)));
        }
        if shape.len() == 0 {
            self.err(span, super::super::types::EMPTY_ARRAY);
            return None;
        }
        let constant: Result<Vec<i64>, _> = indices
            .iter()
            .map(|i| eval_const(i, &self.params))
            .collect();
        if let Ok(values) = constant {
            return match shape.offset(&values) {
                Ok(at) => Some(Ok(at)),
                Err(message) => {
                    self.err(span, message);
                    None
                }
            };
        }
        let flat = flat_index(indices, shape, span);
        let e = self.expr(&flat)?;
        Some(Err((e, 0)))
    }

    /// An array index: `Ok(i)` (counted from 0) when constant (checked against the bounds),
    /// else the run-time expression as written (the lower bound is applied when it is checked).
    pub(super) fn index(
        &mut self,
        index: &ast::Expr,
        lo: i64,
        len: usize,
    ) -> Option<Result<usize, Expr>> {
        if len == 0 {
            self.err(&index.span, super::super::types::EMPTY_ARRAY);
            return None;
        }
        if let Ok(i) = eval_const(index, &self.params) {
            let at = i.checked_sub(lo).unwrap_or(-1);
            if at < 0 || at >= len as i64 {
                self.err(
                    &index.span,
                    format!(
                        "index {i} is out of range (valid: {lo}..{})",
                        lo + len as i64 - 1
                    ),
                );
                return None;
            }
            return Some(Ok(at as usize));
        }
        let e = self.expr(index)?;
        if e.ty == Ty::Bool {
            self.err(&index.span, "an index must be an integer");
            return None;
        }
        Some(Err(e))
    }

    /// A place; one of an `enum<N>` variable checks, when it is stored, that the value is
    /// below N.
    pub(super) fn place(&mut self, e: &ast::Expr) -> Option<Place> {
        let place = self.plain_place(e)?;
        let root = match &e.kind {
            ast::ExprKind::Name(id) => Some(id),
            ast::ExprKind::Index { base, .. } => match &base.kind {
                ast::ExprKind::Name(id) => Some(id),
                _ => None,
            },
            _ => None,
        };
        let size = root.and_then(|id| self.vars.get(&id.name)?.enum_size);
        Some(match size {
            Some(size) => Place::Enum {
                inner: Box::new(place),
                size,
                span: e.span.clone(),
            },
            None => place,
        })
    }

    pub(super) fn plain_place(&mut self, e: &ast::Expr) -> Option<Place> {
        if let Some(wire) = self.wire_var(e) {
            self.check_fragment(&wire)?;
            return self.plain_place(&wire);
        }
        if self.outside_macro(e) {
            return None;
        }
        match &e.kind {
            ast::ExprKind::Name(id) if self.macro_names.contains_key(&id.name) => {
                let stands_for = self.macro_names[&id.name].clone();
                self.in_caller(|l| l.place(&stands_for))
            }
            ast::ExprKind::Name(id) => match self.vars.get(&id.name) {
                Some(a) if a.shape.len() == 1 && a.shape.lo() == 0 => Some(Place::Var {
                    slot: a.base,
                    ty: a.ty,
                }),
                Some(_) => {
                    self.err(&e.span, format!("`{}` is an array; index it", id.name));
                    None
                }
                None => {
                    if self.params.has_value(&id.name) {
                        let msg = format!("`{}` is a parameter and cannot be assigned", id.name);
                        self.err(&id.span, msg);
                    } else if self.is_channel(&id.name) {
                        let msg =
                            format!("`{}` is a channel; use `{}?x` to receive", id.name, id.name);
                        self.err(&id.span, msg);
                    } else {
                        let msg = format!("unknown variable `{}`", id.name);
                        self.unknown(&id.span, msg, &id.name, true, false);
                    }
                    None
                }
            },
            ast::ExprKind::Field { base, field } => self.field_place(e, base, field, &[]),
            ast::ExprKind::Index { .. } => {
                if let Some((base, field, indices)) = field_chain(e) {
                    return self.field_place(e, base, field, &indices);
                }
                let Some((id, indices)) = index_chain(e) else {
                    self.err(&e.span, "expected a variable or an array element");
                    return None;
                };
                let Some(a) = self.vars.get(&id.name) else {
                    let msg = format!("unknown variable `{}`", id.name);
                    self.unknown(&id.span, msg, &id.name, true, false);
                    return None;
                };
                let (base_slot, shape, ty) = (a.base, a.shape.clone(), a.ty);
                let len = shape.len();
                match self.element_at(&id.name, &indices, &shape, &e.span)? {
                    Ok(i) => Some(Place::Var {
                        slot: base_slot + i,
                        ty,
                    }),
                    Err((index, lo)) => Some(Place::Element {
                        base: base_slot,
                        lo,
                        len,
                        index: Box::new(index),
                        ty,
                    }),
                }
            }
            ast::ExprKind::BitSlice { base, hi, lo } => {
                let inner = self.place(base)?;
                let (hi, lo) = self.bit_range(hi, lo.as_deref(), Some(inner.ty()))?;
                Some(Place::Bits {
                    inner: Box::new(inner),
                    hi,
                    lo,
                })
            }
            _ => {
                self.err(&e.span, "this cannot be assigned to");
                None
            }
        }
    }

    /// The bounds of a bit range `{hi..lo}`, which must fit `within` the type of a variable;
    /// a constant's range may reach past the bits its value needs (those are 0).
    pub(super) fn bit_range(
        &mut self,
        hi: &ast::Expr,
        lo: Option<&ast::Expr>,
        within: Option<Ty>,
    ) -> Option<(u32, u32)> {
        let h = eval_const(hi, &self.params)
            .map_err(|d| self.diags.push(d))
            .ok()?;
        let l = match lo {
            Some(lo) => eval_const(lo, &self.params)
                .map_err(|d| self.diags.push(d))
                .ok()?,
            None => h,
        };
        let span = lo.map_or(hi.span.clone(), |lo| hi.span.start..lo.span.end);
        if let Some(ty) = within.filter(|ty| h >= i64::from(ty.width())) {
            self.err(
                &span,
                format!("bit range {{{h}..{l}}} does not fit in {ty}"),
            );
            return None;
        }
        if l < 0 || h < l || h >= 1 << 20 {
            self.err(&span, format!("bad bit range {{{h}..{l}}}"));
            return None;
        }
        Some((h as u32, l as u32))
    }
}

/// What the port `e` (`push`, `push[i]`) stands for in the body of a macro that names it, if
/// it is one: `s.push`, `s.push[i]`.
fn macro_port(e: &ast::Expr, names: &HashMap<String, ast::Expr>) -> Option<ast::Expr> {
    match &e.kind {
        ast::ExprKind::Name(id) => names.get(&id.name).cloned(),
        ast::ExprKind::Index { base, index } => {
            let ast::ExprKind::Name(id) = &base.kind else {
                return None;
            };
            let base = names.get(&id.name)?.clone();
            Some(ast::Expr {
                kind: ast::ExprKind::Index {
                    base: Box::new(base),
                    index: index.clone(),
                },
                span: e.span.clone(),
            })
        }
        _ => None,
    }
}

/// `x[i][j]...` of a name: the name and its indices, outermost first.
pub(super) fn index_chain(e: &ast::Expr) -> Option<(&ast::Ident, Vec<&ast::Expr>)> {
    match without_indices(e) {
        (ast::ExprKind::Name(id), indices) if !indices.is_empty() => Some((id, indices)),
        _ => None,
    }
}

/// `e` without the indices after it (`x[i][j]`: `x`), and those, outermost first.
fn without_indices(e: &ast::Expr) -> (&ast::ExprKind, Vec<&ast::Expr>) {
    let mut indices = Vec::new();
    let mut base = e;
    while let ast::ExprKind::Index { base: b, index } = &base.kind {
        indices.push(index.as_ref());
        base = b;
    }
    indices.reverse();
    (&base.kind, indices)
}

/// `s.f[i][j]...` (at least one index): the record `s`, the field `f` and the indices,
/// outermost first.
pub(super) fn field_chain(e: &ast::Expr) -> Option<(&ast::Expr, &ast::Ident, Vec<&ast::Expr>)> {
    match without_indices(e) {
        (ast::ExprKind::Field { base, field }, indices) if !indices.is_empty() => {
            Some((base, field, indices))
        }
        _ => None,
    }
}

/// The position of element `indices` of an array of `shape`, as an expression to evaluate
/// at run time: row by row in the piece of the array holding it, `start + (i - lo_i) *
/// (len_j * ...) + ...`; when no piece holds it, the array's length (out of range, so the use
/// fails).
fn flat_index(indices: &[&ast::Expr], shape: &Shape, span: &ast::Span) -> ast::Expr {
    use ast::{BinaryOp as Op, Expr as E, ExprKind as K};
    let at = |kind| E {
        kind,
        span: span.clone(),
    };
    let int = |v: i64| at(K::Int(num_bigint::BigUint::from(v.unsigned_abs())));
    let binary = |op, lhs: E, rhs: E| {
        at(K::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        })
    };
    let outside = int(shape.len() as i64);
    let pieces: Vec<_> = shape.pieces().collect();
    // The last piece's test innermost: `in_0 ? at_0 : (in_1 ? at_1 : ... len)`.
    pieces
        .into_iter()
        .rev()
        .fold(outside, |otherwise, (dims, start)| {
            let mut flat: Option<E> = None;
            let mut inside: Option<E> = None;
            for (index, &(lo, len)) in indices.iter().zip(dims) {
                let index = (*index).clone();
                let hi = lo + len as i64 - 1;
                let from_lo = match lo {
                    0 => index.clone(),
                    lo if lo > 0 => binary(Op::Sub, index.clone(), int(lo)),
                    lo => binary(Op::Add, index.clone(), int(lo)),
                };
                let mut check = binary(Op::Le, index.clone(), int(hi.max(0)));
                if lo > 0 {
                    check = binary(Op::And, binary(Op::Ge, index, int(lo)), check);
                }
                inside = Some(match inside {
                    None => check,
                    Some(c) => binary(Op::And, c, check),
                });
                flat = Some(match flat {
                    None => from_lo,
                    Some(f) => binary(Op::Add, binary(Op::Mul, f, int(len as i64)), from_lo),
                });
            }
            let (Some(flat), Some(inside)) = (flat, inside) else {
                return otherwise;
            };
            let flat = match start {
                0 => flat,
                start => binary(Op::Add, flat, int(start as i64)),
            };
            at(K::Conditional {
                cond: Box::new(inside),
                then: Box::new(flat),
                otherwise: Box::new(otherwise),
            })
        })
}
