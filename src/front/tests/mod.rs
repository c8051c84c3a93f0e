//! Front-end unit tests: every construct of the subset parses to the expected shape
//! ([`shapes`]), and bad input gives precise diagnostics (snapshots) without ever panicking
//! ([`errors`]).
//!
//! Shapes are compared through a compact s-expression printer (below) so that each test reads
//! like the syntax it checks.

mod errors;
mod shapes;
mod sublang;

use std::path::Path;

use super::*;
use crate::diag::render;

/// Reads nothing: a design given as text alone imports no file.
struct NoFiles;

impl load::SourceReader for NoFiles {
    fn read(&mut self, _: &Path) -> std::io::Result<String> {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "a design given as text cannot import files",
        ))
    }
}

/// Parses a design given as text alone (it can import no file). On failure, returns every
/// error found, sorted by position.
///
/// An empty file is a valid, empty program (elaboration reports the missing top).
fn parse(source: &str) -> Result<Program, Vec<Diagnostic>> {
    load_design("design.act", source, "", &mut NoFiles).1
}

// ----------------------------------------------------------------------
// Helpers
// ----------------------------------------------------------------------

fn parse_ok(source: &str) -> Program {
    match parse(source) {
        Ok(program) => program,
        Err(diags) => panic!("unexpected errors:\n{}", render(&diags, "test.act", source)),
    }
}

fn errors(source: &str) -> String {
    match parse(source) {
        Ok(program) => panic!("expected errors, got {program:#?}"),
        Err(diags) => render(&diags, "test.act", source),
    }
}

/// The CHP body of a one-process program `defproc p() { <decls> chp { <chp> } }`.
fn chp(body: &str) -> String {
    let source = format!("defproc p() {{ chp {{ {body} }} }}");
    let program = parse_ok(&source);
    let process = program.processes().next().expect("one process");
    match process.body.last() {
        Some(BodyItem::Chp(ChpBlock {
            body: Some(stmt), ..
        })) => stmt_str(stmt),
        other => panic!("no chp body: {other:?}"),
    }
}

/// One expression, parsed as the value of an assignment.
fn expr(text: &str) -> String {
    let shown = chp(&format!("z := {text}"));
    shown
        .strip_prefix("(:= z ")
        .and_then(|s| s.strip_suffix(')'))
        .expect("an assignment")
        .to_string()
}

/// The body items of a one-process program, one per line.
fn body(items: &str) -> Vec<String> {
    let source = format!("defproc p() {{ {items} }}");
    let program = parse_ok(&source);
    let process = program.processes().next().expect("one process");
    process.body.iter().map(item_str).collect()
}

fn expr_str(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Int(v) => v.to_string(),
        ExprKind::Real(text) => text.clone(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Name(id) => id.name.clone(),
        ExprKind::Index { base, index } => format!("{}[{}]", expr_str(base), expr_str(index)),
        ExprKind::Slice { base, lo, hi } => {
            format!("{}[{}..{}]", expr_str(base), expr_str(lo), expr_str(hi))
        }
        ExprKind::Field { base, field } => format!("{}.{}", expr_str(base), field.name),
        ExprKind::BitSlice { base, hi, lo } => match lo {
            Some(lo) => format!("{}{{{}..{}}}", expr_str(base), expr_str(hi), expr_str(lo)),
            None => format!("{}{{{}}}", expr_str(base), expr_str(hi)),
        },
        ExprKind::Probe(chan) => format!("#{}", expr_str(chan)),
        ExprKind::Unary { op, operand } => {
            let op = match op {
                UnaryOp::Not => "~",
                UnaryOp::Neg => "neg",
            };
            format!("({op} {})", expr_str(operand))
        }
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", op.symbol(), expr_str(lhs), expr_str(rhs))
        }
        ExprKind::Concat(parts) => {
            let parts: Vec<_> = parts.iter().map(expr_str).collect();
            format!("{{{}}}", parts.join(", "))
        }
        ExprKind::ArrayConcat(parts) => {
            let parts: Vec<_> = parts.iter().map(expr_str).collect();
            format!("(# {})", parts.join(" "))
        }
        ExprKind::Conditional {
            cond,
            then,
            otherwise,
        } => format!(
            "(? {} {} {})",
            expr_str(cond),
            expr_str(then),
            expr_str(otherwise)
        ),
        ExprKind::Cast { to, value, width } => {
            let to = match to {
                CastTo::Int => "int",
                CastTo::Bool => "bool",
            };
            match width {
                Some(w) => format!("{to}({}, {})", expr_str(value), expr_str(w)),
                None => format!("{to}({})", expr_str(value)),
            }
        }
        ExprKind::MethodCall {
            receiver,
            method,
            args,
        } => method_call_str(receiver, method, args),
        ExprKind::RecordOf { record, value } => {
            format!("{}({})", record.def.name.name, expr_str(value))
        }
        ExprKind::Call { func, args, .. } => {
            let args: Vec<_> = args.iter().map(expr_str).collect();
            format!("{}({})", func.name, args.join(", "))
        }
        ExprKind::PstructOf { def, args } => {
            let args: Vec<_> = args.iter().map(expr_str).collect();
            format!("{}({})", def.name.name, args.join(", "))
        }
        ExprKind::ProcessType { process, args, .. } => {
            let args: Vec<_> = args.iter().map(expr_str).collect();
            format!("@{}<{}>", process.name, args.join(", "))
        }
        ExprKind::Replicated {
            op,
            var,
            range,
            body,
        } => format!(
            "({}{} {} {})",
            op.symbol(),
            var.name,
            range_str(range),
            expr_str(body)
        ),
    }
}

fn range_str(range: &IterRange) -> String {
    match range {
        IterRange::Count(n) => format!("0..<{}", expr_str(n)),
        IterRange::Inclusive(lo, hi) => format!("{}..={}", expr_str(lo), expr_str(hi)),
    }
}

fn arms_str(arms: &[GuardedCmd]) -> String {
    let arms: Vec<_> = arms
        .iter()
        .map(|arm| {
            let guard = match &arm.guard {
                Guard::Expr(g) => expr_str(g),
                Guard::Else => "else".to_string(),
            };
            let rep = match &arm.replicator {
                Some(r) => format!("[]{}:{}: ", r.var.name, range_str(&r.range)),
                None => String::new(),
            };
            format!("{rep}{guard} -> {}", stmt_str(&arm.body))
        })
        .collect();
    arms.join(" | ")
}

fn flavor_str(flavor: &Option<Flavor>) -> &'static str {
    match flavor {
        None => "",
        Some(Flavor::Plus) => "+",
        Some(Flavor::Minus) => "-",
    }
}

fn log_args_str(args: &[LogArg]) -> String {
    args.iter()
        .map(|a| match a {
            LogArg::Str(s, _) => format!("{s:?}"),
            LogArg::Expr(e) => expr_str(e),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn stmt_str(s: &Stmt) -> String {
    let list = |tag: &str, stmts: &[Stmt]| {
        let parts: Vec<_> = stmts.iter().map(stmt_str).collect();
        format!("({tag} {})", parts.join(" "))
    };
    let core = match &s.kind {
        StmtKind::Skip => "skip".to_string(),
        StmtKind::Assign { target, value } => {
            format!("(:= {} {})", expr_str(target), expr_str(value))
        }
        StmtKind::SetBool { target, value } => {
            format!("{}{}", expr_str(target), if *value { "+" } else { "-" })
        }
        StmtKind::Send {
            chan,
            value,
            flavor,
            ..
        } => match value {
            Some(v) => format!(
                "(!{} {} {})",
                flavor_str(flavor),
                expr_str(chan),
                expr_str(v)
            ),
            None => format!("(!{} {})", flavor_str(flavor), expr_str(chan)),
        },
        StmtKind::Recv {
            chan,
            target,
            flavor,
            ..
        } => match target {
            Some(t) => format!(
                "(?{} {} {})",
                flavor_str(flavor),
                expr_str(chan),
                expr_str(t)
            ),
            None => format!("(?{} {})", flavor_str(flavor), expr_str(chan)),
        },
        StmtKind::Seq(stmts) => list("seq", stmts),
        StmtKind::Par(stmts) => list("par", stmts),
        StmtKind::Select {
            nondeterministic,
            arms,
        } => {
            let tag = if *nondeterministic { "nsel" } else { "sel" };
            format!("({tag} {})", arms_str(arms))
        }
        StmtKind::Wait(g) => format!("(wait {})", expr_str(g)),
        StmtKind::Forever(body) => format!("(loop {})", stmt_str(body)),
        StmtKind::GuardedLoop(arms) => format!("(gloop {})", arms_str(arms)),
        StmtKind::DoLoop { body, cond } => {
            format!("(do {} <- {})", stmt_str(body), expr_str(cond))
        }
        StmtKind::Replicated {
            parallel,
            var,
            range,
            body,
        } => {
            let tag = if *parallel { "rep," } else { "rep;" };
            format!(
                "({tag} {} {} {})",
                var.name,
                range_str(range),
                stmt_str(body)
            )
        }
        StmtKind::Log { kind, args } => {
            let name = match kind {
                LogKind::Line => "log",
                LogKind::Part => "log_p",
                LogKind::Start => "log_st",
                LogKind::End => "log_nl",
                LogKind::Warn => "warn",
                LogKind::Library => "library",
                LogKind::Assertion => "assertion",
                LogKind::Violation => "violation",
                LogKind::Model => "model",
            };
            format!("({name} {})", log_args_str(args))
        }
        StmtKind::MacroCall {
            receiver,
            method,
            args,
        } => method_call_str(receiver, method, args),
        StmtKind::Assert { cond, message } => {
            if message.is_empty() {
                format!("(assert {})", expr_str(cond))
            } else {
                format!("(assert {} {})", expr_str(cond), log_args_str(message))
            }
        }
    };
    let mut prefix = String::new();
    if let Some(delay) = &s.delay {
        prefix.push_str(&format!("@{} ", expr_str(delay)));
    }
    if let Some(label) = &s.label {
        prefix.push_str(&format!("{}: ", label.name));
    }
    format!("{prefix}{core}")
}

fn type_str(t: &Type) -> String {
    match &t.kind {
        TypeKind::Bool => "bool".to_string(),
        TypeKind::Int {
            width: None,
            signed,
        } => crate::front::print::int_keyword(*signed).to_string(),
        TypeKind::Int {
            width: Some(w),
            signed,
        } => format!(
            "{}<{}>",
            crate::front::print::int_keyword(*signed),
            expr_str(w)
        ),
        TypeKind::Enum { size } => format!("enum<{}>", expr_str(size)),
        TypeKind::Chan { dir, data, .. } => {
            let dir = match dir {
                None => "",
                Some(ChanDir::Input) => "?",
                Some(ChanDir::Output) => "!",
            };
            format!(
                "chan{dir}({})",
                data.as_deref().map(type_str).unwrap_or_default()
            )
        }
        TypeKind::Record(record) => record.def.name.name.clone(),
    }
}

fn dims_str(dims: &[ArrayDim]) -> String {
    dims.iter()
        .map(|d| match d {
            ArrayDim::Size(n) => format!("[{}]", expr_str(n)),
            ArrayDim::Range(lo, hi) => format!("[{}..{}]", expr_str(lo), expr_str(hi)),
        })
        .collect()
}

fn param_str(p: &ParamDecl) -> String {
    let kind = p.kind.keyword();
    let name = format!("{}{}", p.name.name, dims_str(&p.dims));
    match &p.value {
        Some(v) => format!("{kind} {name} = {}", expr_str(v)),
        None => format!("{kind} {name}"),
    }
}

fn instance_str(i: &InstanceDecl) -> String {
    let mut text = i.process.name.clone();
    if !i.template_args.is_empty() {
        let args: Vec<_> = i.template_args.iter().map(expr_str).collect();
        text.push_str(&format!("<{}>", args.join(", ")));
    }
    text.push_str(&format!(" {}{}", i.name.name, dims_str(&i.dims)));
    if let Some(ports) = &i.port_args {
        text.push_str(&port_args_str(ports));
    }
    format!("inst {text}")
}

fn port_args_str(ports: &[PortArg]) -> String {
    let ports: Vec<_> = ports
        .iter()
        .map(|p| match p {
            PortArg::Positional(e) => expr_str(e),
            PortArg::Named { port, value } => format!(".{}={}", port.name, expr_str(value)),
            PortArg::Empty(_) => String::new(),
        })
        .collect();
    format!("({})", ports.join(", "))
}

fn item_str(item: &BodyItem) -> String {
    match item {
        BodyItem::Var(v) => format!(
            "var {} {}{}",
            type_str(&v.ty),
            v.name.name,
            dims_str(&v.dims)
        ),
        BodyItem::Param(p) => format!("param {}", param_str(p)),
        BodyItem::Instance(i) => instance_str(i),
        BodyItem::Connection(c) => format!("conn {} = {}", expr_str(&c.lhs), expr_str(&c.rhs)),
        BodyItem::PortList(p) => {
            format!("ports {}{}", expr_str(&p.instance), port_args_str(&p.args))
        }
        BodyItem::Loop(l) => {
            let items: Vec<_> = l.items.iter().map(item_str).collect();
            format!(
                "loop {} {} {{ {} }}",
                l.var.name,
                range_str(&l.range),
                items.join("; ")
            )
        }
        BodyItem::Chp(c) => match &c.body {
            Some(s) => format!("chp {}", stmt_str(s)),
            None => "chp {}".to_string(),
        },
        BodyItem::Conditional(c) => format!("if {}", body_arms_str(c)),
        BodyItem::GenLoop(c) => format!("while {}", body_arms_str(c)),
        BodyItem::Assert(a) => {
            let cond = match &a.kind {
                BodyAssertKind::Holds(e) => expr_str(e),
                BodyAssertKind::Connected { lhs, rhs, negated } => {
                    let op = if *negated { "!==" } else { "===" };
                    format!("{} {op} {}", expr_str(lhs), expr_str(rhs))
                }
            };
            format!("assert {cond} : {:?}", a.message)
        }
        BodyItem::Print(args, _) => format!("print {}", args.len()),
        BodyItem::Lang(block) => sublang::block_str(block),
        BodyItem::Attributes(a) => {
            let attrs: Vec<_> = (a.attrs.iter())
                .map(|attr| format!("{}={}", attr.name.name, expr_str(&attr.value)))
                .collect();
            format!("attrs {} [{}]", expr_str(&a.target), attrs.join("; "))
        }
    }
}

/// `[g -> items | else -> items]` of a conditional body or generative loop.
fn body_arms_str(select: &BodySelect) -> String {
    let arms: Vec<_> = (select.arms.iter())
        .map(|arm| {
            let guard = match &arm.guard {
                Guard::Expr(e) => expr_str(e),
                Guard::Else => "else".to_string(),
            };
            let guard = match &arm.replicator {
                Some(r) => format!("[]{}:{}: {guard}", r.var.name, range_str(&r.range)),
                None => guard,
            };
            let items: Vec<_> = arm.items.iter().map(item_str).collect();
            format!("{guard} -> {{ {} }}", items.join("; "))
        })
        .collect();
    format!("[{}]", arms.join(" | "))
}

/// `r.m(a, b)`: a method call or a macro call.
fn method_call_str(receiver: &Expr, method: &Ident, args: &[Expr]) -> String {
    let args: Vec<_> = args.iter().map(expr_str).collect();
    format!(
        "{}.{}({})",
        expr_str(receiver),
        method.name,
        args.join(", ")
    )
}
