//! Channels used over wires: a port whose type has methods (`std::channel::a1of2`, ...) may have
//! a circuit at its other end, which only the finished design tells. Each send, receive and
//! probe on it is lowered twice: as a communication, and as the type's methods on the port's
//! wires (`set`, `send_up`, `send_rest`; `get`, `recv_up`, `recv_rest`; `recv_probe`), whose
//! actions take no time, as actsim runs them. The run takes the second form on a port the
//! design binds to wires ([`WIRED`](crate::elab::ir::WIRED)).

use std::sync::Arc;

use super::place::index_chain;
use super::Lowerer;
use crate::elab::consts::eval_const;
use crate::elab::ir::{
    Arm, Constant, Dir, Expr, ExprKind, Place, PortRef, Stmt, StmtKind, Ty, VarSlot,
};
use crate::front::ast::{self, ChanMethods, ChpBlock, Flavor, MethodBody, Span};
use crate::front::subst::{subst_expr_renamed, subst_stmt_renamed, Bindings};

impl Lowerer<'_> {
    /// The methods of the port (or port array) that `chan` names, when it may be wired.
    fn wired_methods(&self, chan: &ast::Expr) -> Option<Arc<ChanMethods>> {
        let mut root = chan;
        while let ast::ExprKind::Index { base, .. } = &root.kind {
            root = base;
        }
        let ast::ExprKind::Name(id) = &root.kind else {
            return None;
        };
        self.chan_methods.get(&id.name).cloned()
    }

    /// `X!v` on a port that may be wired: `self := v`, then the methods of the handshake
    /// (`X!+v` stops after `send_up`, `X!-` is `send_rest`); on an exchange channel
    /// (`X!v?r`), then `r := selfack`, the value the methods took back. `Some(None)` for
    /// another port, `None` after an error.
    pub(super) fn wired_send(
        &mut self,
        (chan, port): (&ast::Expr, &PortRef),
        (value, reply): (Option<&Expr>, Option<&Place>),
        ty: Option<Ty>,
        flavor: Option<Flavor>,
        span: &Span,
    ) -> Option<Option<Box<Stmt>>> {
        let handshake = Handshake {
            methods: ["set", "send_up", "send_rest"],
            flavor,
            value: Transfer::Send(value),
            reply: Transfer::Receive(reply),
        };
        self.wired_handshake((chan, port), ty, handshake, span)
    }

    /// `X?x` on a port that may be wired: on an exchange channel (`X?x!e`) first `selfack :=
    /// e`, the value the methods send back; the methods of the handshake (`X?+x` stops after
    /// `recv_up`, `X?-` is `recv_rest`), then `x := self`. As [`Lowerer::wired_send`].
    pub(super) fn wired_receive(
        &mut self,
        (chan, port): (&ast::Expr, &PortRef),
        (target, reply): (Option<&Place>, Option<&Expr>),
        ty: Option<Ty>,
        flavor: Option<Flavor>,
        span: &Span,
    ) -> Option<Option<Box<Stmt>>> {
        let handshake = Handshake {
            methods: ["get", "recv_up", "recv_rest"],
            flavor,
            value: Transfer::Receive(target),
            reply: Transfer::Send(reply),
        };
        self.wired_handshake((chan, port), ty, handshake, span)
    }

    /// A send or receive on a port that may be wired, as its methods on the wires, with the
    /// value moved between the CHP and `self` (a value of type `ty`). On an element of a port
    /// array chosen at run time (`c[i]!v`), a selection by the index among the elements'.
    fn wired_handshake(
        &mut self,
        (chan, port): (&ast::Expr, &PortRef),
        ty: Option<Ty>,
        handshake: Handshake<'_>,
        span: &Span,
    ) -> Option<Option<Box<Stmt>>> {
        let Some(methods) = self.wired_methods(chan) else {
            return Some(None);
        };
        let Some(elements) = self.wired_elements(chan, port) else {
            return Some(None);
        };
        let mut arms = Vec::with_capacity(elements.len());
        for (guard, element, slot) in elements {
            let body = self.element_handshake((&element, slot), &methods, ty, &handshake, span)?;
            match guard {
                None => return Some(Some(Box::new(body))),
                Some(guard) => arms.push(Arm {
                    guard: self.expr(&guard)?,
                    body,
                }),
            }
        }
        let select = StmtKind::Select {
            nondeterministic: false,
            arms,
            otherwise: None,
        };
        Some(Some(Box::new(instant(select, span))))
    }

    /// The elements a use of `chan` (resolved to `port`) may be, each as a port expression
    /// with its slot and, for an element known only at run time, the guard that picks it
    /// (`i = 2`, `i = 1 & j = 0`; a constant index is no part of it). `None` when the use has
    /// no wired form (a negative index).
    #[allow(clippy::type_complexity)]
    fn wired_elements(
        &self,
        chan: &ast::Expr,
        port: &PortRef,
    ) -> Option<Vec<(Option<ast::Expr>, ast::Expr, usize)>> {
        let PortRef::Element { base, .. } = port else {
            let PortRef::Fixed(slot) = port else {
                unreachable!("a port reference is fixed or an element")
            };
            return Some(vec![(None, chan.clone(), *slot)]);
        };
        let (array, indices) = index_chain(chan)?;
        let shape = &self.ports.get(&array.name)?.shape;
        let constants: Vec<Option<i64>> = (indices.iter())
            .map(|i| eval_const(i, &self.params).ok())
            .collect();
        let mut elements = Vec::new();
        for k in 0..shape.len() {
            let at = shape.indices(k);
            let chosen = (constants.iter().zip(&at)).all(|(c, i)| c.is_none_or(|c| c == *i));
            if !chosen {
                continue;
            }
            let element = port_element(&array.name, &at, &chan.span)?;
            let tests = (indices.iter().zip(&constants).zip(&at))
                .filter(|((_, constant), _)| constant.is_none())
                .map(|((index, _), &i)| {
                    let value = int_expr(i, &index.span)?;
                    Some(binary(ast::BinaryOp::Eq, (*index).clone(), value))
                });
            let guard = tests
                .reduce(|a, b| Some(binary(ast::BinaryOp::And, a?, b?)))
                .flatten()?;
            elements.push((Some(guard), element, base + k));
        }
        Some(elements)
    }

    /// The handshake on port element `element` (slot `slot`) of a type with `methods`.
    fn element_handshake(
        &mut self,
        (element, slot): (&ast::Expr, usize),
        methods: &ChanMethods,
        ty: Option<Ty>,
        handshake: &Handshake<'_>,
        span: &Span,
    ) -> Option<Stmt> {
        let names = match handshake.flavor {
            None => &handshake.methods[..],
            Some(Flavor::Plus) => &handshake.methods[..2],
            Some(Flavor::Minus) => &handshake.methods[2..],
        };
        let reply_ty = self.slots[slot].reply;
        let moved = [
            (
                self.method_value(slot, MethodValue::Forward, ty),
                &handshake.value,
            ),
            (
                self.method_value(slot, MethodValue::Back, reply_ty),
                &handshake.reply,
            ),
        ];
        let mut steps = Vec::new();
        for (var, transfer) in &moved {
            if let (Transfer::Send(Some(v)), Some((var, ty))) = (transfer, *var) {
                let target = Place::Var { slot: var, ty };
                let value = (*v).clone();
                steps.push(instant(StmtKind::Assign { target, value }, span));
            }
        }
        for name in names {
            steps.extend(self.method((element, slot), methods, name, span)?);
        }
        self.end_method_values(slot);
        for (var, transfer) in &moved {
            if let (Transfer::Receive(Some(target)), Some((var, ty))) = (transfer, *var) {
                let value = Expr {
                    kind: ExprKind::Var(var),
                    ty,
                    span: span.clone(),
                };
                let target = (*target).clone();
                steps.push(instant(StmtKind::Assign { target, value }, span));
            }
        }
        Some(instant(StmtKind::Seq(steps), span))
    }

    /// `#X` on a port that may be wired: the type's probe on the wires when it is
    /// (`recv_probe` on a receiving port, `send_probe` on a sending one; false when the type
    /// has none, as in actsim). `None` for another port or after an error.
    pub(super) fn wired_probe(&mut self, chan: &ast::Expr, slot: usize) -> Option<ExprKind> {
        let methods = self.wired_methods(chan)?;
        let name = match self.dirs.get(slot).copied().flatten() {
            Some(Dir::Send) => "send_probe",
            _ => "recv_probe",
        };
        let wires = match methods.get(name) {
            Some(MethodBody::Probe(e)) => {
                let e = subst_expr_renamed(e, &self.wire_names((chan, slot), &methods));
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

    /// What the CHP does to the wires of port element `element` (slot `slot`, used in `dir`)
    /// when the run starts, if it is wired: the type's `send_init` or `recv_init`.
    pub(super) fn wired_init(
        &mut self,
        (element, slot): (&ast::Expr, usize),
        methods: &ChanMethods,
        dir: Dir,
        span: &Span,
    ) -> Option<Option<Stmt>> {
        let name = match dir {
            Dir::Send => "send_init",
            Dir::Receive => "recv_init",
        };
        let steps = self.method((element, slot), methods, name, span)?;
        Some((!steps.is_empty()).then(|| instant(StmtKind::Seq(steps), span)))
    }

    /// For each port slot that may be wired and is used, what its CHP does to the wires at
    /// the start (see the module's documentation).
    pub(super) fn wired_inits(&mut self, block: &ChpBlock) -> Vec<(usize, Stmt)> {
        let mut ports: Vec<(String, Arc<ast::ChanMethods>)> = (self.chan_methods.iter())
            .map(|(name, methods)| (name.clone(), methods.clone()))
            .collect();
        ports.sort_by(|a, b| a.0.cmp(&b.0));
        let mut inits = Vec::new();
        for (name, methods) in ports {
            let Some(port) = self.ports.get(&name) else {
                continue;
            };
            let (base, shape) = (port.base, port.shape.clone());
            for k in 0..shape.len() {
                let slot = base + k;
                let (Some(dir), true) = (self.dirs[slot], self.slots[slot].used) else {
                    continue;
                };
                let Some(element) = port_element(&name, &shape.indices(k), &block.span) else {
                    continue;
                };
                let init = self.wired_init((&element, slot), &methods, dir, &block.span);
                if let Some(Some(init)) = init {
                    inits.push((slot, init));
                }
            }
        }
        inits.sort_by_key(|(slot, _)| *slot);
        inits
    }

    /// The body of method `name` of port element `element` (slot `slot`), lowered, every
    /// action in no time (nothing for a method the type does not have: actsim then has
    /// nothing to do).
    fn method(
        &mut self,
        (element, slot): (&ast::Expr, usize),
        methods: &ChanMethods,
        name: &str,
        span: &Span,
    ) -> Option<Vec<Stmt>> {
        let Some(MethodBody::Chp(Some(body))) = methods.get(name) else {
            return Some(Vec::new());
        };
        let body = subst_stmt_renamed(body, &self.wire_names((element, slot), methods));
        let mut lowered = self.with_fragments(|l| l.stmt(&body))?;
        no_time(&mut lowered);
        lowered.span = span.clone();
        Some(vec![lowered])
    }

    /// What the names in a method body stand for at port element `element` (slot `slot`):
    /// each wire `w` is `element.w`, `self` is the value sent or received.
    fn wire_names(&self, (element, slot): (&ast::Expr, usize), methods: &ChanMethods) -> Bindings {
        let field = |base: ast::Expr, name: &str| ast::Expr {
            kind: ast::ExprKind::Field {
                base: Box::new(base),
                field: ast::Ident {
                    name: name.to_string(),
                    span: 0..0,
                },
            },
            span: 0..0,
        };
        let mut names: Bindings = (methods.wires.iter())
            .map(|w| (w.clone(), w.split('.').fold(element.clone(), field)))
            .collect();
        for which in [MethodValue::Forward, MethodValue::Back] {
            let value = ast::Expr {
                kind: ast::ExprKind::Name(ast::Ident {
                    name: which.variable(&self.slots[slot].name),
                    span: 0..0,
                }),
                span: 0..0,
            };
            names.insert(which.name().to_string(), value);
        }
        names
    }

    /// Runs `f` where the wires of channels may be touched (a method's body).
    fn with_fragments<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let outer = std::mem::replace(&mut self.fragments_ok, true);
        let result = f(self);
        self.fragments_ok = outer;
        result
    }

    /// The variable for `self` (`which`), the value a method sends or receives on port slot
    /// `slot`, or for `selfack`, the value it moves back on an exchange channel (of type `ty`,
    /// `None` when the channel carries none), named while the method is lowered.
    fn method_value(
        &mut self,
        slot: usize,
        which: MethodValue,
        ty: Option<Ty>,
    ) -> Option<(usize, Ty)> {
        let ty = ty?;
        let name = which.variable(&self.slots[slot].name);
        let (var, ty) = *self.wired_values.entry((slot, which)).or_insert_with(|| {
            let var = self.temps_base + self.temps.len();
            self.temps.push(VarSlot::scalar(name.clone(), ty));
            (var, ty)
        });
        self.vars.insert(
            name,
            super::Array {
                base: var,
                shape: Default::default(),
                ty,
                enum_size: None,
            },
        );
        Some((var, ty))
    }

    fn end_method_values(&mut self, slot: usize) {
        for which in [MethodValue::Forward, MethodValue::Back] {
            self.vars.remove(&which.variable(&self.slots[slot].name));
        }
    }

    /// The value variable of each port slot whose methods move a value (see
    /// [`Program::wired_values`](crate::elab::ir::Program::wired_values)).
    pub(super) fn wired_value_slots(&self) -> Vec<(usize, usize)> {
        let mut slots: Vec<(usize, usize)> = (self.wired_values.iter())
            .filter(|((_, which), _)| *which == MethodValue::Forward)
            .map(|(&(slot, _), &(var, _))| (slot, var))
            .collect();
        slots.sort_unstable();
        slots
    }
}

/// A handshake over wires: its three methods (the value's, the synchronisation's, the
/// reset's), the half of it that runs, and where the value (`self`) and, on an exchange
/// channel, the value sent back (`selfack`) come from or go.
struct Handshake<'a> {
    methods: [&'static str; 3],
    flavor: Option<Flavor>,
    value: Transfer<'a>,
    reply: Transfer<'a>,
}

/// A value of a handshake: given by the CHP (into its variable before the methods), or taken
/// by it (from its variable after them).
enum Transfer<'a> {
    Send(Option<&'a Expr>),
    Receive(Option<&'a Place>),
}

/// The values a channel's methods move, as actsim keeps them per channel: `self`, the value
/// from sender to receiver, and `selfack`, the value an exchange channel (`chan(T1, T2)`)
/// moves back (set by the receiver's CHP before its methods, `X?x!e`; taken by the sender's
/// after its methods, `X!e?r`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum MethodValue {
    Forward,
    Back,
}

impl MethodValue {
    fn name(self) -> &'static str {
        match self {
            MethodValue::Forward => "self",
            MethodValue::Back => "selfack",
        }
    }

    /// The variable holding this value in the methods of port element `port` (no name of
    /// the design has a `$`).
    fn variable(self, port: &str) -> String {
        format!("{port}.${}", self.name())
    }
}

/// A statement that takes no time.
fn instant(kind: StmtKind, span: &Span) -> Stmt {
    Stmt {
        kind,
        span: span.clone(),
        delay: Some(0),
        energy: 0,
        bandwidth: 0,
    }
}

/// Makes every action of `s` take no time, and its parallel parts sequential: a method runs
/// within the one event of its communication, its actions in order, as actsim runs them (and
/// with no energy: actsim runs them apart from its CHP statements).
fn no_time(s: &mut Stmt) {
    // A plain `skip` does nothing at all (with a delay it would be an event).
    s.delay = (!matches!(s.kind, StmtKind::Skip)).then_some(0);
    s.energy = 0;
    s.bandwidth = 0;
    match &mut s.kind {
        StmtKind::Par(items) => {
            items.iter_mut().for_each(no_time);
            s.kind = StmtKind::Seq(std::mem::take(items));
        }
        StmtKind::Seq(items) => items.iter_mut().for_each(no_time),
        StmtKind::Select {
            arms, otherwise, ..
        }
        | StmtKind::Loop {
            arms, otherwise, ..
        } => {
            arms.iter_mut().for_each(|a| no_time(&mut a.body));
            if let Some(o) = otherwise {
                no_time(o);
            }
        }
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

/// Element `indices` of port array `name` (the port itself when there are none), as an
/// expression; `None` for a negative index.
fn port_element(name: &str, indices: &[i64], span: &Span) -> Option<ast::Expr> {
    let port = ast::Expr {
        kind: ast::ExprKind::Name(ast::Ident {
            name: name.to_string(),
            span: span.clone(),
        }),
        span: span.clone(),
    };
    indices.iter().try_fold(port, |base, &i| {
        Some(ast::Expr {
            kind: ast::ExprKind::Index {
                base: Box::new(base),
                index: Box::new(int_expr(i, span)?),
            },
            span: span.clone(),
        })
    })
}

/// The integer `value` as an expression; `None` when it is negative.
fn int_expr(value: i64, span: &Span) -> Option<ast::Expr> {
    Some(ast::Expr {
        kind: ast::ExprKind::Int(u64::try_from(value).ok()?.into()),
        span: span.clone(),
    })
}

fn binary(op: ast::BinaryOp, lhs: ast::Expr, rhs: ast::Expr) -> ast::Expr {
    ast::Expr {
        span: lhs.span.start..rhs.span.end,
        kind: ast::ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
    }
}
