//! Channels used over wires: a port whose type has methods (`std::channel::a1of2`, ...) may have
//! a circuit at its other end, which only the finished design tells. Each send, receive and
//! probe on it is lowered twice: as a communication, and as the type's methods on the port's
//! wires (`set`, `send_up`, `send_rest`; `get`, `recv_up`, `recv_rest`; `recv_probe`), whose
//! actions take no time, as actsim runs them. The run takes the second form on a port the
//! design binds to wires ([`WIRED`](crate::elab::ir::WIRED)).

use std::sync::Arc;

use super::Lowerer;
use crate::elab::ir::{Constant, Dir, Expr, ExprKind, Place, Stmt, StmtKind, Ty, VarSlot};
use crate::front::ast::{self, ChanMethods, Flavor, MethodBody, Span};
use crate::front::subst::{subst_expr_renamed, subst_stmt_renamed, Bindings};

impl Lowerer<'_> {
    /// The methods of the channel `chan` names, when it is a port that may be wired.
    fn wired_methods(&self, chan: &ast::Expr) -> Option<(String, Arc<ChanMethods>)> {
        let ast::ExprKind::Name(id) = &chan.kind else {
            return None;
        };
        let methods = self.chan_methods.get(&id.name)?;
        Some((id.name.clone(), methods.clone()))
    }

    /// `X!v` on a port that may be wired: `self := v`, then the methods of the handshake
    /// (`X!+v` stops after `send_up`, `X!-` is `send_rest`). `Some(None)` for another port,
    /// `None` after an error.
    pub(super) fn wired_send(
        &mut self,
        chan: &ast::Expr,
        value: Option<&Expr>,
        ty: Option<Ty>,
        flavor: Option<Flavor>,
        span: &Span,
    ) -> Option<Option<Box<Stmt>>> {
        let handshake = Handshake {
            methods: ["set", "send_up", "send_rest"],
            flavor,
            value: Transfer::Send(value),
        };
        self.wired_handshake(chan, ty, handshake, span)
    }

    /// `X?x` on a port that may be wired: the methods of the handshake (`X?+x` stops after
    /// `recv_up`, `X?-` is `recv_rest`), then `x := self`. As [`Lowerer::wired_send`].
    pub(super) fn wired_receive(
        &mut self,
        chan: &ast::Expr,
        target: Option<&Place>,
        ty: Option<Ty>,
        flavor: Option<Flavor>,
        span: &Span,
    ) -> Option<Option<Box<Stmt>>> {
        let handshake = Handshake {
            methods: ["get", "recv_up", "recv_rest"],
            flavor,
            value: Transfer::Receive(target),
        };
        self.wired_handshake(chan, ty, handshake, span)
    }

    /// A send or receive on a port that may be wired, as its methods on the wires, with the
    /// value moved between the CHP and `self` (a value of type `ty`).
    fn wired_handshake(
        &mut self,
        chan: &ast::Expr,
        ty: Option<Ty>,
        handshake: Handshake<'_>,
        span: &Span,
    ) -> Option<Option<Box<Stmt>>> {
        let Some((port, methods)) = self.wired_methods(chan) else {
            return Some(None);
        };
        let names = match handshake.flavor {
            None => &handshake.methods[..],
            Some(Flavor::Plus) => &handshake.methods[..2],
            Some(Flavor::Minus) => &handshake.methods[2..],
        };
        let value_slot = self.method_value(&port, ty);
        let mut steps = Vec::new();
        if let (Transfer::Send(Some(v)), Some((slot, ty))) = (&handshake.value, value_slot) {
            let target = Place::Var { slot, ty };
            let value = (*v).clone();
            steps.push(instant(StmtKind::Assign { target, value }, span));
        }
        for name in names {
            steps.extend(self.method(&port, &methods, name, span)?);
        }
        self.end_method_value(&port);
        if let (Transfer::Receive(Some(target)), Some((slot, ty))) = (&handshake.value, value_slot)
        {
            let value = Expr {
                kind: ExprKind::Var(slot),
                ty,
                span: span.clone(),
            };
            let target = (*target).clone();
            steps.push(instant(StmtKind::Assign { target, value }, span));
        }
        Some(Some(Box::new(instant(StmtKind::Seq(steps), span))))
    }

    /// `#X` on a port that may be wired: the type's probe on the wires when it is
    /// (`recv_probe` on a receiving port, `send_probe` on a sending one; false when the type
    /// has none, as in actsim). `None` for another port or after an error.
    pub(super) fn wired_probe(&mut self, chan: &ast::Expr, slot: usize) -> Option<ExprKind> {
        let (port, methods) = self.wired_methods(chan)?;
        let name = match self.dirs.get(slot).copied().flatten() {
            Some(Dir::Send) => "send_probe",
            _ => "recv_probe",
        };
        let wires = match methods.get(name) {
            Some(MethodBody::Probe(e)) => {
                let e = subst_expr_renamed(e, &self.wire_names(&port, &methods));
                self.with_fragments(|l| l.expr(&e))?
            }
            _ => Expr {
                kind: ExprKind::Const(Constant::Small(0)),
                ty: Ty::Bool,
                span: chan.span.clone(),
            },
        };
        Some(ExprKind::WiredProbe {
            slot,
            wires: Box::new(wires),
        })
    }

    /// What the CHP does to the wires of port `port` (slot `slot`, used in `dir`) when the run
    /// starts, if it is wired: the type's `send_init` or `recv_init`.
    pub(super) fn wired_init(&mut self, port: &str, dir: Dir, span: &Span) -> Option<Option<Stmt>> {
        let Some(methods) = self.chan_methods.get(port).cloned() else {
            return Some(None);
        };
        let name = match dir {
            Dir::Send => "send_init",
            Dir::Receive => "recv_init",
        };
        let steps = self.method(port, &methods, name, span)?;
        Some((!steps.is_empty()).then(|| instant(StmtKind::Seq(steps), span)))
    }

    /// The body of method `name` of port `port`, lowered, every action in no time (nothing
    /// for a method the type does not have: actsim then has nothing to do).
    fn method(
        &mut self,
        port: &str,
        methods: &ChanMethods,
        name: &str,
        span: &Span,
    ) -> Option<Vec<Stmt>> {
        let Some(MethodBody::Chp(Some(body))) = methods.get(name) else {
            return Some(Vec::new());
        };
        let body = subst_stmt_renamed(body, &self.wire_names(port, methods));
        let mut lowered = self.with_fragments(|l| l.stmt(&body))?;
        no_time(&mut lowered);
        lowered.span = span.clone();
        Some(vec![lowered])
    }

    /// What the names in a method body stand for at port `port`: each wire `w` is `port.w`,
    /// `self` is the value sent or received.
    fn wire_names(&self, port: &str, methods: &ChanMethods) -> Bindings {
        let reference = |name: &str| {
            let mut parts = name.split('.');
            let first = parts.next().unwrap_or(name);
            let mut e = ast::Expr {
                kind: ast::ExprKind::Name(ast::Ident {
                    name: first.to_string(),
                    span: 0..0,
                }),
                span: 0..0,
            };
            for part in parts {
                e = ast::Expr {
                    kind: ast::ExprKind::Field {
                        base: Box::new(e),
                        field: ast::Ident {
                            name: part.to_string(),
                            span: 0..0,
                        },
                    },
                    span: 0..0,
                };
            }
            e
        };
        let mut names: Bindings = (methods.wires.iter())
            .map(|w| (w.clone(), reference(&format!("{port}.{w}"))))
            .collect();
        names.insert("self".to_string(), reference(&method_value_name(port)));
        names
    }

    /// Runs `f` where the wires of channels may be touched (a method's body).
    fn with_fragments<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let outer = std::mem::replace(&mut self.fragments_ok, true);
        let result = f(self);
        self.fragments_ok = outer;
        result
    }

    /// A variable for `self`, the value a method sends or receives on `port` (of type `ty`,
    /// `None` for a dataless channel), named while the method is lowered.
    fn method_value(&mut self, port: &str, ty: Option<Ty>) -> Option<(usize, Ty)> {
        let ty = ty?;
        let name = method_value_name(port);
        let (slot, ty) = *self
            .wired_values
            .entry(port.to_string())
            .or_insert_with(|| {
                let slot = self.temps_base + self.temps.len();
                self.temps.push(VarSlot::scalar(name.clone(), ty));
                (slot, ty)
            });
        self.vars.insert(
            name,
            super::Array {
                base: slot,
                shape: Default::default(),
                ty,
                enum_size: None,
            },
        );
        Some((slot, ty))
    }

    fn end_method_value(&mut self, port: &str) {
        self.vars.remove(&method_value_name(port));
    }

    /// The value variable of each port slot whose methods move a value (see
    /// [`Program::wired_values`](crate::elab::ir::Program::wired_values)).
    pub(super) fn wired_value_slots(&self) -> Vec<(usize, usize)> {
        let mut slots: Vec<(usize, usize)> = (self.wired_values.iter())
            .filter_map(|(port, &(var, _))| Some((self.ports.get(port)?.base, var)))
            .collect();
        slots.sort_unstable();
        slots
    }
}

/// A handshake over wires: its three methods (the value's, the synchronisation's, the
/// reset's), the half of it that runs, and where the value comes from or goes.
struct Handshake<'a> {
    methods: [&'static str; 3],
    flavor: Option<Flavor>,
    value: Transfer<'a>,
}

/// The value of a handshake: sent (into `self` before the methods), or received (from `self`
/// after them).
enum Transfer<'a> {
    Send(Option<&'a Expr>),
    Receive(Option<&'a Place>),
}

/// The name of the variable `self` of a method on `port` (no name of the design has a `$`).
fn method_value_name(port: &str) -> String {
    format!("{port}.$self")
}

/// A statement that takes no time.
fn instant(kind: StmtKind, span: &Span) -> Stmt {
    Stmt {
        kind,
        span: span.clone(),
        delay: Some(0),
    }
}

/// Makes every action of `s` take no time, and its parallel parts sequential: a method runs
/// within the one event of its communication, its actions in order, as actsim runs them.
fn no_time(s: &mut Stmt) {
    // A plain `skip` does nothing at all (with a delay it would be an event).
    s.delay = (!matches!(s.kind, StmtKind::Skip)).then_some(0);
    match &mut s.kind {
        StmtKind::Par(items) => {
            items.iter_mut().for_each(no_time);
            s.kind = StmtKind::Seq(std::mem::take(items));
        }
        StmtKind::Seq(items) => items.iter_mut().for_each(no_time),
        StmtKind::Select {
            arms, otherwise, ..
        } => {
            arms.iter_mut().for_each(|a| no_time(&mut a.body));
            if let Some(o) = otherwise {
                no_time(o);
            }
        }
        StmtKind::Loop { arms, .. } => arms.iter_mut().for_each(|a| no_time(&mut a.body)),
        StmtKind::DoLoop { body, .. } => no_time(body),
        StmtKind::Send { wired, .. } | StmtKind::Receive { wired, .. } => {
            if let Some(w) = wired {
                no_time(w);
            }
        }
        StmtKind::Skip
        | StmtKind::Assign { .. }
        | StmtKind::Log { .. }
        | StmtKind::Assert { .. } => {}
    }
}
