//! The syntax tree of expressions, also used for references (assignment targets, channels,
//! connection sides).

use std::sync::Arc;

use num_bigint::BigUint;

use super::ast::*;

/// An expression (also used for references: assignment targets, channels, connection sides).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl Expr {
    /// `p[i].req` (and `d.p[i].req`) as the element of a member array, `p.req[i]` (and
    /// `d.p.req[i]`): an array of interface bundles is an array per member. Whether `p` is one
    /// is for the caller to check. `None` for any other form.
    pub(crate) fn bundle_element_member(&self) -> Option<Expr> {
        let ExprKind::Field { base, field } = &self.kind else {
            return None;
        };
        let ExprKind::Index { base: array, index } = &base.kind else {
            return None;
        };
        let joined = |id: &Ident| Ident {
            name: format!("{}.{}", id.name, field.name),
            span: id.span.start..field.span.end,
        };
        let member = match &array.kind {
            ExprKind::Name(id) => ExprKind::Name(joined(id)),
            ExprKind::Field { base, field } => ExprKind::Field {
                base: base.clone(),
                field: joined(field),
            },
            _ => return None,
        };
        Some(Expr {
            kind: ExprKind::Index {
                base: Box::new(Expr {
                    kind: member,
                    span: array.span.clone(),
                }),
                index: index.clone(),
            },
            span: self.span.clone(),
        })
    }

    /// The declared name a reference starts from: `x` in `x`, `x[i]`, `x.f` and `x{3..0}`.
    pub(crate) fn root_name(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Name(id) => Some(&id.name),
            ExprKind::Index { base, .. }
            | ExprKind::Slice { base, .. }
            | ExprKind::Field { base, .. }
            | ExprKind::BitSlice { base, .. } => base.root_name(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ExprKind {
    Int(BigUint),
    /// A real number as written (`2.5`): only sizes of production rules use them.
    Real(String),
    Bool(bool),
    /// A variable, channel, port, instance or parameter name.
    Name(Ident),
    /// `base[index]`.
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
    },
    /// `base[lo..hi]`: the elements `lo ..= hi` of an array, as an array (in connections and
    /// port lists).
    Slice {
        base: Box<Expr>,
        lo: Box<Expr>,
        hi: Box<Expr>,
    },
    /// `base.field` (a port of an instance).
    Field {
        base: Box<Expr>,
        field: Ident,
    },
    /// `base{hi}` (`lo` is `None`) or `base{hi..lo}`.
    BitSlice {
        base: Box<Expr>,
        hi: Box<Expr>,
        lo: Option<Box<Expr>>,
    },
    /// `#X`: is a communication pending on `X`?
    Probe(Box<Expr>),
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `{a, b{3..0}}`: `a` ends up in the most significant bits.
    Concat(Vec<Expr>),
    /// `a # b # c` in a connection: ACT's array concatenation, the arrays one after another
    /// along their first dimension.
    ArrayConcat(Vec<Expr>),
    /// `c ? a : b`.
    Conditional {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    /// `int(e)`, `int(e, w)`, `bool(e)`; also a receive cast `X?int(v)`.
    Cast {
        to: CastTo,
        value: Box<Expr>,
        /// The `w` of `int(e, w)`.
        width: Option<Box<Expr>>,
    },
    /// `s.f(args)`: a call of method function `f` of the record `s`.
    MethodCall {
        receiver: Box<Expr>,
        method: Ident,
        args: Vec<Expr>,
    },
    /// `name(e)` for a record type `name`: the bits of the integer `e` as that record.
    RecordOf {
        record: RecordType,
        value: Box<Expr>,
    },
    /// `(+ i : N : e)`, and with `*`, `&`, `|`, `^`: `e` for each value of `i`, combined
    /// with the operator (`e0 + e1 + ...`). With no value: 0 for `+` and `^`, 1 for `*`,
    /// `true` for `&`, `false` for `|`.
    Replicated {
        op: BinaryOp,
        var: Ident,
        range: Box<IterRange>,
        body: Box<Expr>,
    },
    /// `name(1, 2, true)`: a value of the `defptype` structure `name`, one per field.
    PstructOf {
        def: Arc<PstructDef>,
        args: Vec<Expr>,
    },
    /// `@p` or `@p<4>`: a process type, the value of a `ptype` template argument.
    ProcessType {
        process: Ident,
        args: Vec<Expr>,
        /// The record it names instead, when `process` is a data type (`@myint` given to a
        /// `ptype` whose interface the record exports).
        record: Option<Arc<RecordDef>>,
    },
    /// `f(args)` or `f<4>(args)`: a built-in such as `bitwidth(x)`, or a user's function.
    Call {
        /// Boxed to keep expressions small.
        func: Box<Ident>,
        /// `<4>`: the template arguments of a templated function.
        template_args: Vec<Expr>,
        args: Vec<Expr>,
    },
}

/// The type a conversion `int(...)` / `bool(...)` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CastTo {
    Int,
    Bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnaryOp {
    /// `~`: bitwise / boolean not.
    Not,
    /// `-`.
    Neg,
}

/// Binary operators, loosest first in [`BinaryOp::precedence`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinaryOp {
    Or,
    Xor,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Shl,
    Shr,
    /// `>>>`: arithmetic shift right (the top bit of the left operand's width is copied in).
    Asr,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

impl BinaryOp {
    /// `==`, `!=`, `<`, `<=`, `>`, `>=`: a comparison, whose value is a boolean.
    pub(crate) fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        )
    }

    /// Binding strength (higher binds tighter), as in ACT and C:
    /// `|` < `^` < `&` < comparisons < shifts < `+ -` < `* / %`.
    pub(crate) fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::Xor => 2,
            BinaryOp::And => 3,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => 4,
            BinaryOp::Shl | BinaryOp::Shr | BinaryOp::Asr => 5,
            BinaryOp::Add | BinaryOp::Sub => 6,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 7,
        }
    }

    /// The operator as written.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "|",
            BinaryOp::Xor => "^",
            BinaryOp::And => "&",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Shl => "<<",
            BinaryOp::Shr => ">>",
            BinaryOp::Asr => ">>>",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
        }
    }
}
