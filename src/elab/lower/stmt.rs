//! Statements: assignments, communications, selections, loops and logs.

use super::{conflicts, function};
use super::{fit_to_channel, log_format, Lowerer};
use crate::diag::Diagnostic;
use crate::elab::consts::{eval_const, Params};
use crate::elab::ir::{
    Arm, Constant, Dir, Expr, ExprKind, LogArg, LogFormat, LogKind, Place, Stmt, StmtKind, Ty,
};
use crate::front::ast::{self, Flavor, IterRange, Span};

impl Lowerer<'_> {
    pub(super) fn stmt(&mut self, s: &ast::Stmt) -> Option<Stmt> {
        let acted_on = self.acted_on(&s.kind);
        let delay = match &s.delay {
            None => (acted_on.as_ref())
                .and_then(|target| self.configured_costs.targets.get(target))
                .and_then(|costs| costs.delay),
            Some(e) => match eval_const(e, &self.params) {
                Ok(d) if d >= 0 => Some(d as u64),
                Ok(d) => {
                    self.err(&e.span, format!("a delay cannot be negative ({d})"));
                    None
                }
                Err(d) => {
                    self.diags.push(d);
                    None
                }
            },
        };
        let outer = std::mem::take(&mut self.hoisted);
        let kind = self.stmt_kind(s);
        let mut hoisted = std::mem::replace(&mut self.hoisted, outer);
        let kind = kind?;
        // actsim's energy: an assignment's or a communication's by its target, an evaluation
        // of guards the default one, any other statement none.
        let costs = &self.configured_costs;
        let energy = match &kind {
            StmtKind::Assign { .. } | StmtKind::Send { .. } | StmtKind::Receive { .. } => {
                (acted_on.as_deref()).map_or(costs.default_energy, |on| costs.energy_on(on))
            }
            StmtKind::Select { .. } | StmtKind::Loop { .. } | StmtKind::DoLoop { .. } => {
                costs.default_energy
            }
            _ => 0,
        };
        // actsim's `D_bw`: an assignment's or a communication's, by its target.
        let bandwidth = match &kind {
            StmtKind::Assign { .. } | StmtKind::Send { .. } | StmtKind::Receive { .. } => {
                (acted_on.as_ref())
                    .and_then(|target| costs.targets.get(target))
                    .and_then(|target| target.bandwidth)
                    .map_or(0, |ticks| ticks.min(u32::MAX.into()) as u32)
            }
            _ => 0,
        };
        let stmt = Stmt {
            kind,
            span: s.span.clone(),
            delay,
            energy,
            bandwidth,
        };
        if let Some(label) = &s.label {
            self.labels.push((label.name.clone(), s.span.clone()));
        }
        if hoisted.is_empty() {
            return Some(stmt);
        }
        hoisted.push(stmt);
        Some(Stmt {
            kind: StmtKind::Seq(hoisted),
            span: s.span.clone(),
            delay: None,
            energy: 0,
            bandwidth: 0,
        })
    }

    /// The variable an assignment sets, or the channel a send or receive uses, as ACT prints
    /// it: what the configuration file's costs of the statement are keyed by. `None` for any
    /// other statement, or when no cost is configured by target.
    fn acted_on(&self, kind: &ast::StmtKind) -> Option<String> {
        use ast::StmtKind as A;
        if self.configured_costs.targets.is_empty() {
            return None;
        }
        let acted_on = match kind {
            A::Assign { target, .. } | A::SetBool { target, .. } => target,
            A::Send { chan, .. } | A::Recv { chan, .. } => chan,
            _ => return None,
        };
        self.printed_target(acted_on)
    }

    /// A statement's variable or channel as actsim names it in its configuration's keys
    /// (ACT's `ActId::sPrint` of the expanded statement): `x`, `p.a`, `k.L`, and an index
    /// known at expansion (a constant, a loop's variable) as its value, `x[1]`; an index
    /// computed at run time as written (`x[i]`).
    fn printed_target(&self, e: &ast::Expr) -> Option<String> {
        use ast::ExprKind as E;
        Some(match &e.kind {
            E::Name(id) => id.name.clone(),
            E::Field { base, field } => format!("{}.{}", self.printed_target(base)?, field.name),
            E::Index { base, index } => {
                let index = match eval_const(index, &self.params) {
                    Ok(value) => value.to_string(),
                    Err(_) => index.to_string(),
                };
                format!("{}[{index}]", self.printed_target(base)?)
            }
            E::BitSlice { base, .. } => self.printed_target(base)?,
            _ => return None,
        })
    }

    pub(super) fn stmt_kind(&mut self, s: &ast::Stmt) -> Option<StmtKind> {
        use ast::StmtKind as A;
        if let Some(message) = function::function_stmt_error(s).filter(|_| self.in_function) {
            self.err(&s.span, message);
            return None;
        }
        Some(match &s.kind {
            A::Skip => StmtKind::Skip,
            A::Assign { target, value } => self.assign(target, value)?,
            A::SetBool { target, value } => self.set_bool(target, *value, &s.span)?,
            A::Send {
                chan,
                value,
                reply,
                flavor,
            } => self.send(chan, value.as_ref(), reply.as_ref(), *flavor, &s.span)?,
            A::Recv {
                chan,
                target,
                reply,
                flavor,
            } => self.receive(chan, target.as_ref(), reply.as_ref(), *flavor, &s.span)?,
            A::Seq(items) => StmtKind::Seq(self.stmts(items)?),
            A::Par(items) => {
                let branches: Vec<_> = items.iter().map(|i| (i, self.params.clone())).collect();
                self.check_parallel_conflicts(&branches, &s.span);
                StmtKind::Par(self.stmts(items)?)
            }
            A::Select {
                nondeterministic,
                arms,
            } => {
                let (arms, otherwise) = self.arms(arms, false)?;
                StmtKind::Select {
                    nondeterministic: *nondeterministic,
                    arms,
                    otherwise: otherwise.map(Box::new),
                }
            }
            A::Wait(g) => self.wait(g, &s.span)?,
            A::Forever(body) => self.forever(body, &s.span)?,
            A::GuardedLoop(arms) => {
                let (arms, otherwise) = self.arms(arms, true)?;
                StmtKind::Loop {
                    nondeterministic: false,
                    arms,
                    otherwise: otherwise.map(Box::new),
                }
            }
            A::DoLoop { body, cond } => {
                let body = self.stmt(body);
                let condition = self.loop_guard(cond);
                StmtKind::DoLoop {
                    body: Box::new(body?),
                    condition: condition?,
                }
            }
            A::Replicated {
                parallel,
                var,
                range,
                body,
            } => {
                if *parallel && self.strict_act {
                    let branches: Vec<_> = conflicts::range_values(range, &self.params)
                        .into_iter()
                        .map(|value| {
                            let mut params = self.params.clone();
                            // A copy: nothing to restore.
                            let _ = params.bind(&var.name, value);
                            (&**body, params)
                        })
                        .collect();
                    self.check_parallel_conflicts(&branches, &s.span);
                }
                self.replicated(*parallel, var, range, body)?
            }
            A::Log { kind, args } => StmtKind::Log {
                kind: *kind,
                args: match kind {
                    // actsim's `warn` prints no value, only a placeholder for each.
                    LogKind::Warn => (self.log_args(args)?.into_iter())
                        .map(|arg| match arg {
                            LogArg::Value { expr, .. } => LogArg::Value {
                                expr,
                                format: LogFormat::Unprinted,
                            },
                            text => text,
                        })
                        .collect(),
                    _ => self.log_args(args)?,
                },
            },
            A::MacroCall {
                receiver,
                method,
                args,
            } => self.macro_call(receiver, method, args, &s.span)?,
            A::Assert { cond, message } => {
                // ACT checks no type here: actsim's assertion fails when its first argument
                // is zero, an integer's too (`assert(0)`).
                let condition = self.expr(cond).map(super::expr::nonzero);
                let message = self.log_args(message);
                StmtKind::Assert {
                    condition: condition?,
                    message: message?,
                }
            }
        })
    }

    /// `target := value`.
    fn assign(&mut self, target_ast: &ast::Expr, value_ast: &ast::Expr) -> Option<StmtKind> {
        // A record mixing channels and data is not a value (ACT: "Assignable variable requires
        // data types!"); its data fields are.
        if let ast::ExprKind::Name(id) = &target_ast.kind {
            if !self.channel_members(&id.name).is_empty() {
                let message = format!(
                    "`{}` has channels: an assignable variable requires data types",
                    id.name
                );
                self.diags.push(
                    Diagnostic::error(target_ast.span.clone(), message)
                        .with_label("a record of channels and data")
                        .with_hint("assign its data fields one by one"),
                );
                return None;
            }
        }
        let target = self.place(target_ast);
        let value = self.expr(value_ast);
        let (target, value) = (target?, value?);
        self.check_assignable(target.ty(), &value)?;
        if let (Place::Enum { size, .. }, ExprKind::Const(Constant::Small(v))) =
            (&target, &value.kind)
        {
            // A constant known not to be a member is refused here, as ACT's type check does.
            if *v >= *size {
                self.err(
                    &value.span,
                    format!("{v} is not a member of this enumeration (of {size})"),
                );
                return None;
            }
        }
        let (expected, found) = (self.record_of(target_ast), self.record_of(value_ast));
        self.check_record(expected, target.ty(), found, &value)?;
        Some(StmtKind::Assign { target, value })
    }

    /// `b+` or `b-`.
    fn set_bool(&mut self, target: &ast::Expr, value: bool, span: &Span) -> Option<StmtKind> {
        let target = self.place(target)?;
        if target.ty() != Ty::Bool {
            self.err(
                span,
                format!("`+`/`-` set a bool, but this is {}", target.ty()),
            );
            return None;
        }
        let value = Expr {
            kind: ExprKind::Const(Constant::Small(u64::from(value))),
            ty: Ty::Bool,
            span: span.clone(),
        };
        Some(StmtKind::Assign { target, value })
    }

    /// `X!e`, `X!` or, on an exchange channel, `X!e?r`.
    fn send(
        &mut self,
        chan: &ast::Expr,
        value: Option<&ast::Expr>,
        reply: Option<&ast::Expr>,
        flavor: Option<Flavor>,
        span: &Span,
    ) -> Option<StmtKind> {
        if self.wrong_end_in_macro(chan, Dir::Send) {
            return None;
        }
        let (port, ty, reply_ty) = self.port(chan, Dir::Send)?;
        let value = match (value, ty) {
            (Some(value_ast), Some(ty)) => {
                let v = self.expr(value_ast)?;
                self.check_assignable(ty, &v)?;
                let (expected, found) = (self.record_of(chan), self.record_of(value_ast));
                self.check_record(expected, ty, found, &v)?;
                Some(fit_to_channel(v, ty))
            }
            (Some(v), None) => {
                self.diags.push(
                    Diagnostic::error(
                        v.span.clone(),
                        "this channel is dataless (chan()): it carries no value",
                    )
                    .with_hint("send a bare synchronisation: `X!`"),
                );
                return None;
            }
            (None, _) => None,
        };
        let reply = match self.exchange(reply, reply_ty, span)? {
            Some((t, ty)) => Some(self.receive_target(t, ty, span)?),
            None => None,
        };
        let moved = (value.as_ref(), reply.as_ref());
        let wired = self.wired_send((chan, &port), moved, ty, flavor, span)?;
        Some(StmtKind::Send {
            port,
            value,
            reply,
            flavor,
            wired,
        })
    }

    /// `X?x`, `X?` or, on an exchange channel, `X?x!e`.
    fn receive(
        &mut self,
        chan: &ast::Expr,
        target: Option<&ast::Expr>,
        reply: Option<&ast::Expr>,
        flavor: Option<Flavor>,
        span: &Span,
    ) -> Option<StmtKind> {
        if self.wrong_end_in_macro(chan, Dir::Receive) {
            return None;
        }
        let (port, ty, reply_ty) = self.port(chan, Dir::Receive)?;
        let target = match (target, ty) {
            (Some(t), None) => {
                self.diags.push(
                    Diagnostic::error(
                        t.span.clone(),
                        "this channel is dataless (chan()): there is no value to receive",
                    )
                    .with_hint("receive a bare synchronisation: `X?`"),
                );
                return None;
            }
            (Some(t), Some(ty)) => {
                let place = self.receive_target(t, ty, span)?;
                let (expected, found) = (self.record_of(t), self.record_of(chan));
                let received = Expr {
                    kind: ExprKind::Const(Constant::Small(0)),
                    ty,
                    span: chan.span.clone(),
                };
                self.check_record(expected, place.ty(), found, &received)?;
                Some(place)
            }
            (None, _) => None,
        };
        let reply = match self.exchange(reply, reply_ty, span)? {
            Some((e, ty)) => {
                let e = self.expr(e)?;
                self.check_assignable(ty, &e)?;
                Some(e)
            }
            None => None,
        };
        let moved = (target.as_ref(), reply.as_ref());
        let wired = self.wired_receive((chan, &port), moved, ty, flavor, span)?;
        Some(StmtKind::Receive {
            port,
            target,
            reply,
            flavor,
            wired,
        })
    }

    /// `[g]`: a selection of one arm that does nothing.
    fn wait(&mut self, g: &ast::Expr, span: &Span) -> Option<StmtKind> {
        let guard = self.guard(g)?;
        let body = Stmt {
            kind: StmtKind::Skip,
            span: span.clone(),
            delay: None,
            energy: 0,
            bandwidth: 0,
        };
        Some(StmtKind::Select {
            nondeterministic: false,
            arms: vec![Arm { guard, body }],
            otherwise: None,
        })
    }

    /// `*[S]`: a loop whose one guard is `true`.
    fn forever(&mut self, body: &ast::Stmt, span: &Span) -> Option<StmtKind> {
        let body = self.stmt(body)?;
        let guard = Expr {
            kind: ExprKind::Const(Constant::Small(1)),
            ty: Ty::Bool,
            span: span.clone(),
        };
        Some(StmtKind::Loop {
            nondeterministic: false,
            arms: vec![Arm { guard, body }],
            otherwise: None,
        })
    }

    /// `(; i : N : S)` or `(, i : N : S)`: the body once per value of `i`, in sequence or in
    /// parallel.
    fn replicated(
        &mut self,
        parallel: bool,
        var: &ast::Ident,
        range: &IterRange,
        body: &ast::Stmt,
    ) -> Option<StmtKind> {
        self.check_loop_variable(var)?;
        let (lo, hi) = self.range(range)?;
        let mut items = Vec::new();
        for i in lo..=hi {
            let shadowed = self.params.bind(&var.name, i);
            items.push(self.stmt(body));
            self.params.unbind(&var.name, shadowed);
        }
        let items: Option<Vec<Stmt>> = items.into_iter().collect();
        if lo > hi {
            // No iteration (`(, i : 0 : S)`): the statement does nothing.
            return Some(StmtKind::Skip);
        }
        if parallel {
            Some(StmtKind::Par(items?))
        } else {
            Some(StmtKind::Seq(items?))
        }
    }

    /// Where a receive from a channel carrying `ty` stores: a variable of the same kind, or
    /// with a cast (`X?bool(v)`: a bool channel into an int; `X?int(b)`: an int channel into a
    /// bool, which gets "not zero") one of the other kind.
    /// Checks the reply part of a communication against the channel: an exchange channel
    /// `chan(T1, T2)` needs one (`X!e?v`, `X?v!e`), any other channel has none.
    pub(super) fn exchange<'e>(
        &mut self,
        reply: Option<&'e ast::Expr>,
        reply_ty: Option<Ty>,
        span: &Span,
    ) -> Option<Option<(&'e ast::Expr, Ty)>> {
        match (reply, reply_ty) {
            (Some(r), Some(ty)) => Some(Some((r, ty))),
            (None, None) => Some(None),
            (Some(r), None) => {
                self.diags.push(
                    Diagnostic::error(r.span.clone(), "this channel carries data one way only")
                        .with_hint("an exchange needs a channel of two types: `chan(T1, T2)`"),
                );
                None
            }
            (None, Some(_)) => {
                self.diags.push(
                    Diagnostic::error(span.clone(), "an exchange channel needs both directions")
                        .with_hint("send and receive back in one action: `X!e?v` or `X?v!e`"),
                );
                None
            }
        }
    }

    pub(super) fn receive_target(&mut self, t: &ast::Expr, ty: Ty, span: &Span) -> Option<Place> {
        let ast::ExprKind::Cast { to, value, width } = &t.kind else {
            let place = self.place(t)?;
            if (place.ty() == Ty::Bool) != (ty == Ty::Bool) {
                self.diags.push(
                    Diagnostic::error(
                        span.clone(),
                        format!(
                            "type mismatch: the channel carries {ty}, but the variable is {}",
                            place.ty()
                        ),
                    )
                    .with_hint(format!(
                        "to convert, receive with a cast: `X?{}(v)`",
                        if ty == Ty::Bool { "bool" } else { "int" }
                    )),
                );
                return None;
            }
            return Some(place);
        };
        if let Some(w) = width {
            self.err(&w.span, "a receive cast takes no width: write `X?int(v)`");
            return None;
        }
        let place = self.place(value)?;
        let cast_bool = *to == ast::CastTo::Bool;
        if cast_bool != (ty == Ty::Bool) {
            self.err(
                &t.span,
                format!(
                    "the cast names the channel's type, which is {ty}: write `X?{}(v)`",
                    if ty == Ty::Bool { "bool" } else { "int" }
                ),
            );
            return None;
        }
        Some(match (ty, place.ty()) {
            (Ty::Int(_), Ty::Bool) => Place::NonZero(Box::new(place)),
            _ => place,
        })
    }

    /// A replication variable may hide a parameter (until the replication ends), but not a
    /// variable or channel: which one a use meant would be unclear.
    pub(super) fn check_loop_variable(&mut self, var: &ast::Ident) -> Option<()> {
        if self.vars.contains_key(&var.name) || self.is_channel(&var.name) {
            self.diags.push(
                Diagnostic::error(
                    var.span.clone(),
                    format!(
                        "the replication variable `{}` has the name of a variable or channel of this process",
                        var.name
                    ),
                )
                .with_hint("give the replication variable another name"),
            );
            return None;
        }
        Some(())
    }

    pub(super) fn stmts(&mut self, items: &[ast::Stmt]) -> Option<Vec<Stmt>> {
        let lowered: Vec<Option<Stmt>> = items.iter().map(|s| self.stmt(s)).collect();
        lowered.into_iter().collect()
    }

    pub(super) fn range(&mut self, range: &IterRange) -> Option<(i64, i64)> {
        let r = match range {
            IterRange::Count(n) => match eval_const(n, &self.params) {
                Ok(c) if c < 0 => {
                    self.err(
                        &n.span,
                        format!("a replication count cannot be negative ({c})"),
                    );
                    return None;
                }
                r => r.map(|c| (0, c - 1)),
            },
            IterRange::Inclusive(lo, hi) => {
                eval_const(lo, &self.params).and_then(|lo| Ok((lo, eval_const(hi, &self.params)?)))
            }
        };
        match r {
            Ok((lo, hi)) if hi.saturating_sub(lo) < 1 << 16 => Some((lo, hi)),
            Ok((lo, hi)) => {
                self.err(&range.span(), format!("replication {lo}..{hi} is too long"));
                None
            }
            Err(d) => {
                self.diags.push(d);
                None
            }
        }
    }

    /// Lowers guarded commands, expanding replicated guards; returns the `else` arm separately.
    pub(super) fn arms(
        &mut self,
        cmds: &[ast::GuardedCmd],
        looping: bool,
    ) -> Option<(Vec<Arm>, Option<Stmt>)> {
        let mut arms = Vec::new();
        let mut otherwise = None;
        let mut ok = true;
        for (k, cmd) in cmds.iter().enumerate() {
            let values: Vec<Option<i64>> = match &cmd.replicator {
                None => vec![None],
                Some(r) => {
                    let range = self.check_loop_variable(&r.var).and(self.range(&r.range));
                    let Some((lo, hi)) = range else {
                        ok = false;
                        continue;
                    };
                    (lo..=hi).map(Some).collect()
                }
            };
            for v in values {
                let shadowed = match (&cmd.replicator, v) {
                    (Some(r), Some(v)) => Some((&r.var.name, self.params.bind(&r.var.name, v))),
                    _ => None,
                };
                match &cmd.guard {
                    ast::Guard::Else => {
                        // A loop may end with `else` (taken while no guard holds: the loop
                        // never exits); the parser refuses one that begins with it, as ACT.
                        if k + 1 != cmds.len() {
                            self.err(&cmd.span, "`else` must be the last arm");
                            ok = false;
                        } else {
                            otherwise = self.stmt(&cmd.body);
                            ok &= otherwise.is_some();
                        }
                    }
                    ast::Guard::Expr(g) => {
                        let guard = if looping {
                            self.loop_guard(g)
                        } else {
                            self.guard(g)
                        };
                        let body = self.stmt(&cmd.body);
                        match (guard, body) {
                            (Some(guard), Some(body)) => arms.push(Arm { guard, body }),
                            _ => ok = false,
                        }
                    }
                }
                if let Some((name, shadowed)) = shadowed {
                    self.params.unbind(name, shadowed);
                }
            }
        }
        // ACT: a selection waiting on channels cannot also fall through to `else` (elaborate).
        let probes = arms.iter().any(|a| a.guard.watches_channels());
        if self.strict_act && probes && otherwise.is_some() {
            let span = cmds.last().map_or(0..0, |c| c.span.clone());
            self.err(
                &span,
                "cannot have an `else` arm when the guards probe channels",
            );
            return None;
        }
        ok.then_some((arms, otherwise))
    }

    /// ACT's check on the branches of a parallel composition (see [`conflicts`]), under
    /// `strict_act`.
    fn check_parallel_conflicts(&mut self, branches: &[(&ast::Stmt, Params)], span: &Span) {
        if !self.strict_act || self.outermost.as_ref() == Some(span) {
            return;
        }
        let conflicts = conflicts::parallel_conflicts(branches, &self.dynamic_arrays);
        if conflicts.is_empty() {
            return;
        }
        let names: Vec<String> = conflicts.iter().map(|n| format!("`{n}`")).collect();
        self.diags.push(
            Diagnostic::error(
                span.clone(),
                format!(
                    "potential write conflict in parallel composition: {}",
                    names.join(", ")
                ),
            )
            .with_label("one branch writes what another reads or writes")
            .with_hint(
                "a send or a receive counts as a write of its channel; order the branches with `;`",
            ),
        );
    }

    /// A loop's guard (see `in_loop_guard`).
    pub(super) fn loop_guard(&mut self, g: &ast::Expr) -> Option<Expr> {
        let outer = std::mem::replace(&mut self.in_loop_guard, true);
        let guard = self.guard(g);
        self.in_loop_guard = outer;
        let guard = guard?;
        // ACT: a loop's guard reads only the process's own variables (no channel, no port
        // shared with another process), so that the loop can be compiled to a circuit.
        let port_vars = self.port_vars;
        let mut nonlocal = guard.watches_channels();
        guard.visit_vars(&mut |e| {
            nonlocal |= matches!(e.kind, ExprKind::Var(slot) | ExprKind::Element { base: slot, .. } if slot < port_vars)
        });
        if nonlocal {
            self.diags.push(
                Diagnostic::error(
                    g.span.clone(),
                    "cannot have non-local variables or probes in a loop guard",
                )
                .with_label("reads a channel or a port")
                .with_hint("wait in the body instead: `*[ [#A -> ...] ]`, or copy the port into a local variable first"),
            );
            return None;
        }
        Some(guard)
    }

    pub(super) fn guard(&mut self, g: &ast::Expr) -> Option<Expr> {
        let e = self.expr(g)?;
        if e.ty != Ty::Bool {
            self.err(
                &g.span,
                format!("a guard must be a bool, but this is {}", e.ty),
            );
            return None;
        }
        Some(e)
    }

    pub(super) fn check_assignable(&mut self, target: Ty, value: &Expr) -> Option<()> {
        if (target == Ty::Bool) != (value.ty == Ty::Bool) {
            self.err(
                &value.span,
                format!("type mismatch: expected {target}, found {}", value.ty),
            );
            return None;
        }
        Some(())
    }

    /// The arguments of a log statement, each value with the format in force where it stands
    /// (see [`log_format`]).
    pub(super) fn log_args(&mut self, args: &[ast::LogArg]) -> Option<Vec<LogArg>> {
        let mut out = Vec::new();
        let mut format = LogFormat::Unsigned;
        let mut ok = true;
        for arg in args {
            match arg {
                ast::LogArg::Str(s, _) => {
                    let (new_format, text) = log_format(s);
                    format = new_format;
                    if !text.is_empty() {
                        out.push(LogArg::Text(text.to_string()));
                    }
                }
                ast::LogArg::Expr(e) => match self.expr(e) {
                    Some(_) if self.record_of(e).is_some() => {
                        self.diags.push(
                            Diagnostic::error(e.span.clone(), "cannot print a whole record (actsim: \"Can't display a structure\")")
                                .with_label("a record")
                                .with_hint("print its fields one by one, or its bits with `int(e)`"),
                        );
                        ok = false;
                    }
                    Some(expr) => out.push(LogArg::Value { expr, format }),
                    None => ok = false,
                },
            }
        }
        ok.then_some(out)
    }
}
