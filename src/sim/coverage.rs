//! actsim's `coverage`: a process's CHP program as ACT's pretty printer writes it, every
//! guard followed by its number (`*[ true { 0 } -> .[ x>0 { 1 } -> . [] else { 2 } -> . ] ]`,
//! each action a `.`), then how often each numbered guard was taken.
//!
//! The program is what ACT expands: arms whose guard is the constant false are gone, and a
//! selection left with one arm whose guard is true (or only its `else`) is that arm's body.
//! Guards are written as ACT writes an expression: no blanks, parentheses where precedence
//! needs them, parameters as their values. The text comes as [`Piece`]s for a pretty printer
//! (blocks and break points, as ACT's), which the driver lays out.
use std::collections::{HashMap, VecDeque};
use std::fmt::Write;

use super::code::{constant_value, expanded, Expanded, Instr, Pc};
use super::process::Process;
use super::value::Value;
use super::Running;
use crate::elab::ir::{
    Arm, BinaryOp, Constant, Expr, ExprKind, PortRef, Program, Span, Stmt, StmtKind, Ty, UnaryOp,
};
use crate::source_map::SourceMap;

/// One piece of a program's text for a pretty printer: text, the start and end of a block
/// (whose indentation a break inside returns to), and break points that break the line when
/// what follows does not fit (`Lazy`) or when their block is broken (`United`), with an
/// offset from the block's indentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    Text(String),
    Open,
    Close,
    Lazy(i32),
    United(i32),
}

/// A process's guards as actsim's `coverage` shows them (see the module's text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Coverage {
    pub path: String,
    pub type_name: String,
    pub program: Vec<Piece>,
    /// How often each guard was taken, by number.
    pub counts: Vec<u64>,
}

impl Running {
    /// The coverage of the processes `instance` names, as for [`Running::procinfo`];
    /// processes without a guard are left out, as in actsim.
    pub(crate) fn coverage(&self, instance: Option<&str>, sources: &SourceMap) -> Vec<Coverage> {
        let mut all = Vec::new();
        for (path, process, inspection) in self.inspected(instance) {
            let inspection = inspection.borrow();
            let mut printer = Printer {
                program: &process.program,
                sources,
                pieces: Vec::new(),
                numbers: 0,
                labels: process.program.labels.iter().map(|(l, s)| (l, s)).collect(),
            };
            printer.stmt(&process.program.body);
            let mut counter = Tally {
                counted: Counted::new(process, &inspection.choices),
                counts: Vec::new(),
            };
            counter.stmt(&process.program.body, true);
            if !counter.counts.is_empty() {
                all.push(Coverage {
                    path: path.clone(),
                    type_name: process.program.type_name.clone(),
                    program: printer.pieces,
                    counts: counter.counts,
                });
            }
        }
        all
    }
}

/// The counts of a process's guards, found by statement: the compiled instructions of each
/// statement's span, in program order (a replicated statement compiles once per copy).
struct Counted<'a> {
    process: &'a Process,
    choices: &'a HashMap<Pc, Vec<u64>>,
    by_span: HashMap<(usize, usize), VecDeque<Pc>>,
}

impl<'a> Counted<'a> {
    fn new(process: &'a Process, choices: &'a HashMap<Pc, Vec<u64>>) -> Self {
        let mut by_span: HashMap<(usize, usize), VecDeque<Pc>> = HashMap::new();
        for (pc, instr) in process.code.iter().enumerate() {
            if let Instr::Select { span, .. }
            | Instr::JumpIf { span, .. }
            | Instr::Pause { span, .. } = instr
            {
                by_span
                    .entry((span.start, span.end))
                    .or_default()
                    .push_back(pc);
            }
        }
        Counted {
            process,
            choices,
            by_span,
        }
    }

    /// The next instruction compiled for the statement at `span` that `wanted` accepts.
    fn next(&mut self, span: &Span, wanted: impl Fn(&Instr) -> bool) -> Option<Pc> {
        let queue = self.by_span.get_mut(&(span.start, span.end))?;
        let at = queue
            .iter()
            .position(|&pc| wanted(&self.process.code[pc]))?;
        queue.remove(at)
    }

    /// How often the arms of the selection or loop at `span` were taken (its `else` last).
    fn arms(&mut self, span: &Span, arms: usize) -> Vec<u64> {
        let pc = self.next(span, |i| matches!(i, Instr::Select { .. }));
        let taken = pc.and_then(|pc| self.choices.get(&pc));
        (0..=arms)
            .map(|arm| taken.map_or(0, |c| c.get(arm).copied().unwrap_or(0)))
            .collect()
    }

    /// How often the instruction of `span` that `wanted` accepts went on (a `*[S]`'s head,
    /// a do-loop's test that held).
    fn passes(&mut self, span: &Span, wanted: impl Fn(&Instr) -> bool) -> u64 {
        let pc = self.next(span, wanted);
        let taken = pc.and_then(|pc| self.choices.get(&pc));
        taken.and_then(|c| c.first().copied()).unwrap_or(0)
    }
}

/// Whether `arm` is the one arm of a wait `[g]` (ACT's selection arm with no statement).
fn is_wait(arm: &Arm, select: &Stmt) -> bool {
    matches!(arm.body.kind, StmtKind::Skip) && arm.body.span == select.span
}

/// Writes the program's pieces, numbering the guards in the order ACT prints them.
struct Printer<'a> {
    program: &'a Program,
    sources: &'a SourceMap,
    pieces: Vec<Piece>,
    numbers: usize,
    /// Labels not yet written, with the span of their statement.
    labels: Vec<(&'a String, &'a Span)>,
}

impl Printer<'_> {
    fn text(&mut self, text: impl Into<String>) {
        self.pieces.push(Piece::Text(text.into()));
    }

    fn number(&mut self) {
        let text = format!(" {{ {} }}", self.numbers);
        self.numbers += 1;
        self.text(text);
    }

    fn stmt(&mut self, stmt: &Stmt) {
        let label = (self.labels.iter().position(|(_, s)| **s == stmt.span))
            .map(|at| self.labels.remove(at).0);
        if let Some(label) = label {
            self.text(format!("{label}: "));
            self.pieces.push(Piece::Open);
        }
        match expanded(stmt) {
            Some(Expanded::Nothing) => {}
            Some(Expanded::Body(body)) => self.stmt(body),
            Some(Expanded::Select {
                arms,
                otherwise,
                nondeterministic,
            }) => self.guarded(stmt, &arms, otherwise, nondeterministic, None),
            Some(Expanded::Loop {
                arms,
                forever,
                otherwise,
                ..
            }) => self.guarded(stmt, &arms, otherwise, false, Some(forever)),
            None => match &stmt.kind {
                StmtKind::Seq(items) | StmtKind::Par(items) => {
                    items.iter().for_each(|s| self.stmt(s))
                }
                StmtKind::DoLoop { body, condition } => {
                    self.text("*[");
                    self.pieces.push(Piece::Open);
                    self.text("  ");
                    self.stmt(body);
                    let guard = self.expr(condition);
                    self.text(format!(" <- {guard}"));
                    self.number();
                    self.close_brackets(false);
                }
                _ => {
                    self.text(".");
                    self.pieces.push(Piece::Lazy(0));
                }
            },
        }
        if label.is_some() {
            self.pieces.push(Piece::Close);
        }
    }

    /// A selection (`looping: None`) or a loop (`Some(forever)`).
    fn guarded(
        &mut self,
        stmt: &Stmt,
        arms: &[Arm],
        otherwise: Option<&Stmt>,
        nondeterministic: bool,
        looping: Option<bool>,
    ) {
        self.text(match looping {
            Some(_) => "*[",
            None if nondeterministic => "[|",
            None => "[",
        });
        self.pieces.push(Piece::Open);
        self.text(" ");
        for (i, arm) in arms.iter().enumerate() {
            self.pieces.push(Piece::Open);
            let guard = match looping {
                Some(true) => "true".to_string(),
                _ => self.expr(&arm.guard),
            };
            self.text(guard);
            self.number();
            if !is_wait(arm, stmt) {
                self.text(" -> ");
                self.pieces.push(Piece::Lazy(0));
                self.stmt(&arm.body);
            }
            self.pieces.push(Piece::Close);
            if i + 1 < arms.len() || otherwise.is_some() {
                self.pieces.push(Piece::United(-1));
                self.text(" [] ");
            }
        }
        if let Some(body) = otherwise {
            self.pieces.push(Piece::Open);
            self.text("else");
            self.number();
            self.text(" -> ");
            self.pieces.push(Piece::Lazy(0));
            self.stmt(body);
            self.pieces.push(Piece::Close);
        }
        self.close_brackets(nondeterministic && looping.is_none());
    }

    fn close_brackets(&mut self, nondeterministic: bool) {
        self.pieces.push(Piece::Close);
        self.text(" ");
        self.pieces.push(Piece::Lazy(0));
        self.text(if nondeterministic { "|]" } else { "]" });
        self.pieces.push(Piece::Lazy(0));
    }

    fn expr(&self, e: &Expr) -> String {
        let mut out = String::new();
        ActExpr {
            program: self.program,
            sources: self.sources,
        }
        .write(&mut out, e, 1, None);
        out
    }
}

/// The counts in the order actsim numbers its guards when it builds a process: as printed,
/// except that a do-loop's body is built twice (its first pass, its test, then its body
/// again), so each guard inside it has a second number after the test's. chpsim counts all
/// passes under the first; the second numbers count 0.
struct Tally<'a> {
    counted: Counted<'a>,
    counts: Vec<u64>,
}

impl Tally<'_> {
    /// `live`: the counts are read (the second build of a do-loop's body reads none).
    fn stmt(&mut self, stmt: &Stmt, live: bool) {
        match expanded(stmt) {
            Some(Expanded::Nothing) => {}
            Some(Expanded::Body(body)) => self.stmt(body, live),
            Some(Expanded::Select {
                arms, otherwise, ..
            }) => {
                self.guards(stmt, arms.len(), otherwise.is_some(), live);
                self.bodies(&arms, otherwise, live);
            }
            Some(Expanded::Loop {
                arms,
                forever,
                otherwise,
                ..
            }) => {
                if forever {
                    let passes = match live {
                        true => {
                            (self.counted).passes(&stmt.span, |i| matches!(i, Instr::Pause { .. }))
                        }
                        false => 0,
                    };
                    self.counts.push(passes);
                } else {
                    self.guards(stmt, arms.len(), otherwise.is_some(), live);
                }
                self.bodies(&arms, otherwise, live);
            }
            None => match &stmt.kind {
                StmtKind::Seq(items) | StmtKind::Par(items) => {
                    items.iter().for_each(|s| self.stmt(s, live))
                }
                StmtKind::DoLoop { body, .. } => {
                    self.stmt(body, live);
                    let passes = match live {
                        true => {
                            (self.counted).passes(&stmt.span, |i| matches!(i, Instr::JumpIf { .. }))
                        }
                        false => 0,
                    };
                    self.counts.push(passes);
                    self.stmt(body, false);
                }
                _ => {}
            },
        }
    }

    /// The counts of a selection's or a loop's guards (and of its `else`, if it has one).
    fn guards(&mut self, stmt: &Stmt, arms: usize, otherwise: bool, live: bool) {
        let taken = match live {
            true => self.counted.arms(&stmt.span, arms),
            false => vec![0; arms + 1],
        };
        self.counts.extend(&taken[..arms]);
        if otherwise {
            self.counts.push(taken[arms]);
        }
    }

    /// The counts inside a selection's or a loop's arms, then inside its `else`.
    fn bodies(&mut self, arms: &[Arm], otherwise: Option<&Stmt>, live: bool) {
        for arm in arms {
            self.stmt(&arm.body, live);
        }
        if let Some(body) = otherwise {
            self.stmt(body, live);
        }
    }
}

/// An expression as ACT's `sprint_uexpr` writes it.
struct ActExpr<'a> {
    program: &'a Program,
    sources: &'a SourceMap,
}

/// What an expression is, for ACT's rule on parentheses: an operand of the same precedence
/// is parenthesized unless it is the same operator.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Operator {
    Binary(BinaryOp),
    Unary(UnaryOp),
    Conditional,
}

/// ACT's precedence of a binary operator, its symbol, and whether a right operand of the same
/// operator is parenthesized (`a-(b-c)`).
fn binary(op: BinaryOp) -> (u8, &'static str, bool) {
    use BinaryOp as B;
    match op {
        B::Mul => (9, "*", false),
        B::Div => (9, "/", true),
        B::Rem => (9, "%", true),
        B::Add => (8, "+", true),
        B::Sub => (8, "-", true),
        B::Shl => (7, "<<", true),
        B::Shr => (7, ">>", true),
        B::Asr => (7, ">>>", true),
        B::Lt => (7, "<", false),
        B::Gt => (7, ">", false),
        B::Le => (7, "<=", false),
        B::Ge => (7, ">=", false),
        B::Eq => (7, "=", false),
        B::Ne => (7, "!=", false),
        B::And => (6, "&", false),
        B::Xor => (5, "^", false),
        B::Or => (4, "|", false),
    }
}

impl ActExpr<'_> {
    /// Writes `e` where an operator of precedence `outer` (`parent`) holds it.
    fn write(&self, out: &mut String, e: &Expr, outer: u8, parent: Option<Operator>) {
        let wrap = |mine: u8, me: Operator| mine < outer || (mine == outer && parent != Some(me));
        // ACT folds what is made of constants only when it expands the process.
        if !matches!(e.kind, ExprKind::Const(_)) {
            if let Some(value) = constant_value(e) {
                let folded = match value {
                    Value::Small(v) => Constant::Small(v),
                    Value::Wide(v) => Constant::Wide(*v),
                };
                let folded = Expr {
                    kind: ExprKind::Const(folded),
                    ty: e.ty,
                    span: e.span.clone(),
                };
                return self.write(out, &folded, outer, parent);
            }
        }
        match &e.kind {
            ExprKind::Const(c) => match (c, e.ty) {
                (Constant::Small(v), Ty::Bool) => {
                    out.push_str(if *v != 0 { "true" } else { "false" })
                }
                (Constant::Small(v), _) => {
                    let _ = write!(out, "{v}");
                }
                (Constant::Wide(v), _) => {
                    let _ = write!(out, "0x{v:x}");
                }
            },
            ExprKind::Var(slot) => out.push_str(&self.program.vars[*slot].name),
            ExprKind::Element { base, index, .. } => {
                out.push_str(array_name(&self.program.vars[*base].name));
                out.push('[');
                self.write(out, index, 1, None);
                out.push(']');
            }
            ExprKind::Probe(port) => {
                out.push('#');
                self.port(out, port);
            }
            ExprKind::WiredProbe { slot, .. } => {
                out.push('#');
                out.push_str(&self.program.ports[*slot].name);
            }
            ExprKind::ChannelValue { port, .. } => self.port(out, port),
            ExprKind::Unary(op, operand) => {
                let me = Operator::Unary(*op);
                let open = wrap(10, me);
                if open {
                    out.push('(');
                }
                out.push(if *op == UnaryOp::Not { '~' } else { '-' });
                self.write(out, operand, 10, Some(me));
                if open {
                    out.push(')');
                }
            }
            ExprKind::Binary(op, a, b) => {
                let me = Operator::Binary(*op);
                let (mine, symbol, right_apart) = binary(*op);
                let open = wrap(mine, me);
                if open {
                    out.push('(');
                }
                self.write(out, a, mine, Some(me));
                out.push_str(symbol);
                let apart = right_apart && matches!(&b.kind, ExprKind::Binary(o, ..) if o == op);
                if apart {
                    out.push('(');
                }
                self.write(out, b, mine, Some(me));
                if apart {
                    out.push(')');
                }
                if open {
                    out.push(')');
                }
            }
            ExprKind::Conditional(c, a, b) => {
                let me = Operator::Conditional;
                let open = wrap(3, me);
                if open {
                    out.push('(');
                }
                self.write(out, c, 3, Some(me));
                out.push_str(" ? ");
                self.write(out, a, 3, Some(me));
                out.push_str(" : ");
                self.write(out, b, 3, Some(me));
                if open {
                    out.push(')');
                }
            }
            ExprKind::Concat(parts) => self.list(out, ('{', '}'), parts),
            ExprKind::Call(function, args) => {
                out.push_str(&function.name);
                self.list(out, ('(', ')'), args);
            }
            // A bit field, a record's field, a conversion, a record: as the source writes it.
            ExprKind::Bits { .. }
            | ExprKind::FieldElement { .. }
            | ExprKind::Resize(_)
            | ExprKind::StructureAsValue(_) => {
                let text = super::inspect::source_text(&e.span, self.sources);
                out.extend(text.chars().filter(|c| !c.is_whitespace()));
            }
        }
    }

    /// `items` between `brackets`, separated by commas.
    fn list(&self, out: &mut String, brackets: (char, char), items: &[Expr]) {
        out.push(brackets.0);
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.write(out, item, 1, None);
        }
        out.push(brackets.1);
    }

    fn port(&self, out: &mut String, port: &PortRef) {
        match port {
            PortRef::Fixed(slot) => out.push_str(&self.program.ports[*slot].name),
            PortRef::Element { base, index, .. } => {
                out.push_str(array_name(&self.program.ports[*base].name));
                out.push('[');
                self.write(out, index, 1, None);
                out.push(']');
            }
        }
    }
}

/// `mem` of an array's first element `mem[0]` (`m` of `m[0][0]`).
fn array_name(element: &str) -> &str {
    element.find('[').map_or(element, |at| &element[..at])
}
