//! The syntax trees of ACT's sublanguages other than CHP: production rules (`prs`), handshaking
//! expansions (`hse`), specifications (`spec`), transistor sizing (`sizing`), `dataflow`,
//! `refine` and `Initialize` blocks.
//!
//! chpsim parses and checks them (names exist and have the right type, ACT's rules on each
//! construct) but does not simulate them yet; see `elab::sublang` for the checks.

use super::ast::{BodyItem, ChpBlock, Expr, Ident, IterRange, Span, Stmt, Type};

/// A sublanguage block, in a process body or at the top level of a file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LangBlock {
    Prs(Box<PrsBlock>),
    Hse(Box<HseBlock>),
    Spec(Box<SpecBlock>),
    Sizing(Box<SizingBlock>),
    Dataflow(Box<DataflowBlock>),
    Refine(Box<RefineBlock>),
    Initialize(Box<InitializeBlock>),
    /// `extern (lang) { ... }`: a block in another language, for a tool that has a parser
    /// for it; chpsim has none and keeps only its name.
    Extern(Box<ExternBlock>),
}

/// `extern (name) { text }`: only the language's name is kept; the text is skipped with its
/// braces balanced, as ACT skips a language it has no parser for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExternBlock {
    pub language: Ident,
    pub span: Span,
}

impl LangBlock {
    /// The block's keyword, as written.
    pub(crate) fn keyword(&self) -> &'static str {
        match self {
            LangBlock::Prs(_) => "prs",
            LangBlock::Hse(_) => "hse",
            LangBlock::Spec(_) => "spec",
            LangBlock::Sizing(_) => "sizing",
            LangBlock::Dataflow(_) => "dataflow",
            LangBlock::Refine(_) => "refine",
            LangBlock::Initialize(_) => "Initialize",
            LangBlock::Extern(_) => "extern",
        }
    }

    /// From the keyword to the closing `}`.
    pub(crate) fn span(&self) -> &Span {
        match self {
            LangBlock::Prs(b) => &b.span,
            LangBlock::Hse(b) => &b.span,
            LangBlock::Spec(b) => &b.span,
            LangBlock::Sizing(b) => &b.span,
            LangBlock::Dataflow(b) => &b.span,
            LangBlock::Refine(b) => &b.span,
            LangBlock::Initialize(b) => &b.span,
            LangBlock::Extern(b) => &b.span,
        }
    }

    /// Whether the block describes behaviour that a simulator would run (as opposed to
    /// properties, sizes or alternative descriptions).
    pub(crate) fn is_behaviour(&self) -> bool {
        matches!(
            self,
            LangBlock::Prs(_) | LangBlock::Hse(_) | LangBlock::Dataflow(_)
        )
    }
}

/// `<Vdd, GND>` or `<Vdd, GND | psc, nsc>` after `prs`, `hse` or `chp`: the supplies.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Supply {
    pub vdd: Expr,
    pub gnd: Option<Expr>,
    /// The substrate contacts `| psc, nsc`.
    pub substrate: Option<(Expr, Expr)>,
}

/// `prs [<supply>] [*] { rules }`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PrsBlock {
    pub supply: Option<Supply>,
    /// `prs * { }`: leakage adjustment.
    pub leak_adjust: bool,
    pub items: Vec<PrsItem>,
    pub span: Span,
}

/// One item of a `prs` body, with its `[name=value; ...]` attributes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PrsItem {
    pub attrs: Vec<Attr>,
    pub kind: PrsItemKind,
    pub span: Span,
}

/// `name = value` in an attribute list `[after=10; weak=1]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Attr {
    pub name: Ident,
    pub value: Expr,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PrsItemKind {
    /// `guard -> x+`, `guard => x-` (combinational: also the complementary rule), `guard #> x-`
    /// (a C-element: the rule with every literal negated too).
    Rule {
        guard: PrsExpr,
        arrow: PrsArrow,
        target: PrsTarget,
        /// `+` (pull-up) or `-` (pull-down).
        up: bool,
    },
    /// `(i : N : rules)`.
    Loop {
        var: Ident,
        range: IterRange,
        items: Vec<PrsItem>,
    },
    /// `tree [<N>] { rules }`.
    Tree {
        size: Option<Expr>,
        items: Vec<PrsItem>,
    },
    /// `subckt [<"name">] { rules }`.
    Subckt {
        name: Option<String>,
        items: Vec<PrsItem>,
    },
    /// `passn<sz>(g, s, d)`, `passp<sz>(g, s, d)`, `transgate<sz>(n, p, s, d)`, or a device
    /// of the technology `cap<sz>(a, b)`.
    Device {
        kind: DeviceKind,
        size: Option<SizeSpec>,
        terminals: Vec<Expr>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PrsArrow {
    /// `->`.
    Plain,
    /// `=>`.
    Combinational,
    /// `#>`.
    CElement,
}

/// What a rule drives: a node, or an internal label `@x` of a `tree`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PrsTarget {
    Node(Expr),
    Label(Ident),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DeviceKind {
    PassN,
    PassP,
    TransGate,
    /// A device named by the technology (`cap`).
    Other(String),
}

/// `<w>`, `<w, l>`, `<w, flavor>`, `<w, l, flavor>`, each with an optional `; folds`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SizeSpec {
    pub width: Expr,
    pub length: Option<Expr>,
    pub flavor: Option<Ident>,
    pub folds: Option<Expr>,
    pub span: Span,
}

/// A production rule's guard.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PrsExpr {
    pub kind: PrsExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PrsExprKind {
    /// A node (`x`, `a[i]`, `p.t`) with an optional size `x<10>`.
    Var {
        id: Expr,
        size: Option<SizeSpec>,
    },
    /// `true` or `false`.
    Const(bool),
    /// `@x`: an internal node of a `tree`.
    Label(Ident),
    Not(Box<PrsExpr>),
    /// `a & b`; `a &{+e} b` or `a &{-e} b` with a precharge `(up, e)`.
    And {
        lhs: Box<PrsExpr>,
        rhs: Box<PrsExpr>,
        precharge: Option<(bool, Box<PrsExpr>)>,
    },
    Or(Box<PrsExpr>, Box<PrsExpr>),
    /// `(&i : N : e)` (`and`) or `(|i : N : e)`.
    Loop {
        and: bool,
        var: Ident,
        range: IterRange,
        body: Box<PrsExpr>,
    },
}

/// `hse [<supply>] { body }`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HseBlock {
    pub supply: Option<Supply>,
    pub body: HseBody,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum HseBody {
    /// CHP over `bool`s (its `body` is `None` when empty), which runs as a CHP program.
    Plain(Box<ChpBlock>),
    /// `a : S1 : b || b : S2 : [ g -> a [] ... ]`: labelled fragments, each naming the one to
    /// go on with.
    Fragments(Vec<HseFragment>),
}

/// `label : body : next`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HseFragment {
    pub label: Ident,
    pub body: Stmt,
    pub next: FragmentNext,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FragmentNext {
    /// `: b`.
    Label(Ident),
    /// `: [ g1 -> a [] g2 -> b ]`.
    Choice(Vec<(Expr, Ident)>),
}

/// `spec { items }`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SpecBlock {
    pub items: Vec<SpecItem>,
    pub span: Span,
}

/// A spec item, possibly inside `requires { }` or `ensures { }`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SpecItem {
    pub kind: SpecItemKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SpecItemKind {
    /// `exclhi(a, b, c)`, `mk_excllo(x[0..3])`, ...; `args` is `None` for `name(*)`.
    Directive {
        name: Ident,
        args: Option<Vec<Expr>>,
    },
    /// `timing [root [dir] :] [?] a [*] [dir] < [margin] b [*] [dir]`.
    Timing(Box<Timing>),
}

/// A timing fork: `root` going `root_dir` makes `from` happen before `to`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Timing {
    pub root: Option<(Expr, Option<bool>)>,
    /// `?a`: every incoming edge is ticked.
    pub ticked: bool,
    pub from: TimingEnd,
    pub kind: TimingKind,
    pub margin: Option<Expr>,
    pub to: TimingEnd,
}

/// `a`, `a+`, `a*-`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimingEnd {
    pub id: Expr,
    pub star: bool,
    pub dir: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimingKind {
    /// `<`.
    Before,
    /// `<<`.
    WellBefore,
    /// `->`.
    Arrow,
    /// `#>`.
    HashArrow,
}

impl TimingKind {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            TimingKind::Before => "<",
            TimingKind::WellBefore => "<<",
            TimingKind::Arrow => "->",
            TimingKind::HashArrow => "#>",
        }
    }
}

/// `sizing { setups; directives }`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SizingBlock {
    /// `p_n_mode <- 1;`, `unit_n <- 5;`, `leak_adjust <- 1;`.
    pub setups: Vec<(Ident, Expr)>,
    pub directives: Vec<SizeDirective>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SizeDirective {
    /// `x { -1, lvt, 2; +4 }`: drive strengths of the rules of `x`.
    Node { id: Expr, drives: Vec<Drive> },
    /// `(; i : N : directives )`.
    Loop {
        var: Ident,
        range: IterRange,
        items: Vec<SizeDirective>,
    },
}

/// `+4, hvt, 3` in a sizing directive: direction, strength, flavor, folds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Drive {
    pub up: bool,
    pub strength: Expr,
    pub flavor: Option<Ident>,
    pub folds: Option<Expr>,
    pub span: Span,
}

/// `dataflow { [order { ... }] items }`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DataflowBlock {
    /// `order { a, b < c; ... }`: each channel on the left is produced before those on the
    /// right are available.
    pub order: Vec<(Vec<Expr>, Vec<Expr>)>,
    pub items: Vec<DataflowItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DataflowItem {
    pub kind: DataflowKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DataflowKind {
    /// `e -> o`, `e -> [N] o`, `e -> [N, init] o` (buffered), `e -> (N, init) o`
    /// (transparent buffer).
    Func {
        expr: Expr,
        buffer: Option<DataflowBuffer>,
        out: Expr,
    },
    /// `{c} i -> o1, o2, ...` (split; an output may be `*`, dropping the token).
    Split {
        control: Expr,
        input: Expr,
        outputs: Vec<DataflowChan>,
    },
    /// `{c} i1, i2, ... -> o` (controlled merge), `{*} ... -> o` (deterministic mixer),
    /// `{|} ... -> o [, c]` (arbiter, which may also say which input won on `c`).
    Merge {
        control: MergeControl,
        inputs: Vec<DataflowChan>,
        output: Expr,
        winner: Option<Expr>,
    },
    /// `dataflow_cluster { items }`.
    Cluster(Vec<DataflowItem>),
    /// `i -> *`: consumes and drops every token.
    Sink(Expr),
}

/// The buffer of a dataflow function: `[N]` or `(N)` (transparent), with an initial token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DataflowBuffer {
    pub transparent: bool,
    pub slots: Expr,
    pub init: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum MergeControl {
    /// `{c}`.
    Channel(Expr),
    /// `{*}`.
    Mixer,
    /// `{|}`.
    Arbiter,
}

/// A channel in a split's outputs or a merge's inputs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DataflowChan {
    Chan(Expr),
    /// `*`.
    Drop(Span),
    /// `(, i : N : c[i])`.
    Loop(Box<DataflowLoop>),
}

/// `(, i : N : c[i])` (or `(, i : N : *)`) in a split's outputs or a merge's inputs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DataflowLoop {
    pub var: Ident,
    pub range: IterRange,
    pub chan: Option<Expr>,
    pub span: Span,
}

/// `refine [<N>] [+{ overrides }] { body }`: a more detailed description of the process,
/// used from refinement level `N` (1 by default) on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RefineBlock {
    pub steps: Option<(u64, Span)>,
    pub overrides: Vec<Override>,
    /// Where `+{` is, when there are overrides.
    pub overrides_span: Option<Span>,
    pub body: Vec<BodyItem>,
    pub span: Span,
}

/// `type ids;` in a refinement's overrides: the instances or variables `ids` get the more
/// refined `type`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Override {
    /// The type's name as written (a process, or a data or channel type).
    pub ty: Ident,
    pub template_args: Vec<Expr>,
    /// Whether the type is a data or channel type (`a1of2`, `dualrail`) rather than a
    /// process: it overrides variables.
    pub of_data: bool,
    /// The data or channel type, when written whole (not a templated one before `+`, `fch +
    /// c`, which each original's template arguments complete).
    pub data_type: Option<Type>,
    /// For a data or channel type, each declaration of `ids` (in body order) as it reads
    /// with the new type: what the refinement, once used, puts in its place.
    pub refined: Vec<RefinedDecl>,
    /// `type + ids`: the original's template arguments are appended.
    pub append_params: bool,
    /// A direction written on the type (`e1of2?`), which ACT refuses.
    pub direction: Option<Span>,
    pub ids: Vec<Ident>,
    pub span: Span,
}

/// A variable's declaration with the type a refinement's override gives it: the items that
/// declare the object, its wires and the connections its type makes between them (as a
/// declaration `a1of2 c;` in the body would).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RefinedDecl {
    pub name: String,
    pub items: Vec<BodyItem>,
}

/// `Initialize { actions { Reset+; ... }; ... }`: what a simulation does to reset the design.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct InitializeBlock {
    /// Each `actions { ... }` item: a block of HSE run as CHP over the design's `bool`s.
    pub actions: Vec<(Ident, super::ast::ChpBlock)>,
    pub span: Span,
}
