//! The syntax tree of CHP: statements, guards, replicators and `log` arguments.

use super::ast::*;

/// `chp [<supply>] { body }`. The body is `None` for an empty block `chp { }`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChpBlock {
    pub body: Option<Stmt>,
    pub span: Span,
    /// `chp<Vdd, GND> { }`: checked (its nodes must exist), no part of the simulation (as in
    /// actsim). Always `None` for the CHP of `hse` and `Initialize`, whose blocks hold theirs.
    /// Boxed: rare, and large beside the other body items.
    pub supply: Option<Box<Supply>>,
}

/// A CHP statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stmt {
    pub kind: StmtKind,
    /// `lbl: S` — ACT's statement label (actsim keys per-statement costs on it).
    pub label: Option<Ident>,
    /// `@[after=E] S` — chpsim's per-statement delay extension (ACT has no in-source syntax).
    pub delay: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum StmtKind {
    /// `skip`.
    Skip,
    /// `x := e` (the target is a reference: `x`, `x[i]`, `x{7..0}`, ...).
    Assign { target: Expr, value: Expr },
    /// `b+` (true) / `b-` (false).
    SetBool { target: Expr, value: bool },
    /// `X!e`, or dataless `X!`; on an exchange channel `X!e?v` receives `v` back.
    /// `X!+e` / `X!-` carry a [`Flavor`].
    Send {
        chan: Expr,
        value: Option<Expr>,
        reply: Option<Expr>,
        flavor: Option<Flavor>,
    },
    /// `X?x`, or dataless `X?`; on an exchange channel `X?x!e` sends `e` back.
    /// `X?+x` / `X?-` carry a [`Flavor`].
    Recv {
        chan: Expr,
        target: Option<Expr>,
        reply: Option<Expr>,
        flavor: Option<Flavor>,
    },
    /// `S1; S2; ...` (at least two).
    Seq(Vec<Stmt>),
    /// `S1, S2, ...` (at least two); binds tighter than `;`.
    Par(Vec<Stmt>),
    /// `[ g1 -> S1 [] ... ]` (deterministic) or `[| ... |]` (nondeterministic).
    Select {
        nondeterministic: bool,
        arms: Vec<GuardedCmd>,
    },
    /// `[ g ]`: wait until `g` holds.
    Wait(Expr),
    /// `*[ S ]`: repeat forever.
    Forever(Box<Stmt>),
    /// `*[ g1 -> S1 [] ... ]`: repeat while some guard holds.
    GuardedLoop(Vec<GuardedCmd>),
    /// `*[ S <- g ]`: do `S` while `g`.
    DoLoop { body: Box<Stmt>, cond: Expr },
    /// `(; i : N : S)` or `(, i : N : S)`.
    Replicated {
        parallel: bool,
        var: Ident,
        range: IterRange,
        body: Box<Stmt>,
    },
    /// `log(args)`, `log_p(args)`, `log_st()`, `log_nl()`, `warn(args)`.
    Log { kind: LogKind, args: Vec<LogArg> },
    /// `assert(cond, message args...)`.
    Assert { cond: Expr, message: Vec<LogArg> },
    /// `s.m(args);`: a call of macro `m` of the record `s`.
    MacroCall {
        receiver: Expr,
        method: Ident,
        args: Vec<Expr>,
    },
}

/// ACT's channel flavors: `X!+e` / `X?+x` and `X!-` / `X?-`. Each is a full handshake; the
/// data goes with `+`. An end that uses them must alternate `+` and `-`, starting with `+`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// `+`: the handshake that carries the data.
    Plus,
    /// `-`: the handshake without data.
    Minus,
}

/// A guarded command of a selection or loop.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GuardedCmd {
    /// ACT's replicated guard `([] i : N : g -> S)`, one arm per value of `i`.
    pub replicator: Option<Replicator>,
    pub guard: Guard,
    pub body: Stmt,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Replicator {
    pub var: Ident,
    pub range: IterRange,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Guard {
    Expr(Expr),
    /// `else`.
    Else,
}

/// An argument of `log(...)` or of an assertion message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LogArg {
    /// A string literal (escapes already decoded); one that starts `%x`, `%d`, `%u`, `%b` sets
    /// the format of the values after it (see `elab::lower`).
    Str(String, Span),
    Expr(Expr),
}

impl Stmt {
    /// A statement without label or delay.
    pub(crate) fn new(kind: StmtKind, span: Span) -> Self {
        Stmt {
            kind,
            label: None,
            delay: None,
            span,
        }
    }
}
