//! Front-end tests: every construct of the subset parses to the expected shape, and bad input
//! gives precise diagnostics (snapshots) without ever panicking.
//!
//! Shapes are compared through a compact s-expression printer (below) so that each test reads
//! like the syntax it checks.

use chpsim::diag::render;
use chpsim::front::*;

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
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Name(id) => id.name.clone(),
        ExprKind::Index { base, index } => format!("{}[{}]", expr_str(base), expr_str(index)),
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
        } => {
            let args: Vec<_> = args.iter().map(expr_str).collect();
            format!(
                "{}.{}({})",
                expr_str(receiver),
                method.name,
                args.join(", ")
            )
        }
        ExprKind::RecordOf { record, value } => {
            format!("{}({})", record.def.name.name, expr_str(value))
        }
        ExprKind::Call { func, args, .. } => {
            let args: Vec<_> = args.iter().map(expr_str).collect();
            format!("{}({})", func.name, args.join(", "))
        }
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
                other => unimplemented!("{other:?}"),
            };
            format!("({name} {})", log_args_str(args))
        }
        StmtKind::MacroCall {
            receiver,
            method,
            args,
        } => {
            let args: Vec<_> = args.iter().map(expr_str).collect();
            format!(
                "{}.{}({})",
                expr_str(receiver),
                method.name,
                args.join(", ")
            )
        }
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
        TypeKind::Int { width: None } => "int".to_string(),
        TypeKind::Int { width: Some(w) } => format!("int<{}>", expr_str(w)),
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
    let kind = match p.kind {
        ParamKind::Pint => "pint",
        ParamKind::Pbool => "pbool",
    };
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
        let ports: Vec<_> = ports
            .iter()
            .map(|p| match p {
                PortArg::Positional(e) => expr_str(e),
                PortArg::Named { port, value } => format!(".{}={}", port.name, expr_str(value)),
            })
            .collect();
        text.push_str(&format!("({})", ports.join(", ")));
    }
    format!("inst {text}")
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
    }
}

// ----------------------------------------------------------------------
// Whole programs
// ----------------------------------------------------------------------

const DESIGN_EXAMPLE: &str = r#"
defproc source(chan!(int<8>) R) {
  int<8> x;
  chp { x := 0; *[ x < 100 -> R!x; x := x + 1 ] }
}
defproc buffer(chan?(int<8>) L; chan!(int<8>) R) {
  int<8> x;
  chp { *[ L?x; R!x ] }
}
defproc sink(chan?(int<8>) L) {
  int<8> x;
  chp { *[ L?x; log("got ", x) ] }
}
template<pint N> defproc pipeline() {
  source src; buffer b[N]; sink snk;
  src.R = b[0].L;
  (i:N-1: b[i].R = b[i+1].L;)
  b[N-1].R = snk.L;
}
pipeline<10> top;
"#;

#[test]
fn design_md_example() {
    let program = parse_ok(DESIGN_EXAMPLE);
    let names: Vec<_> = program.processes().map(|p| p.name.name.as_str()).collect();
    assert_eq!(names, ["source", "buffer", "sink", "pipeline"]);

    let processes: Vec<_> = program.processes().collect();
    let buffer = processes[1];
    let ports: Vec<_> = buffer
        .ports
        .iter()
        .map(|p| format!("{} {}", type_str(&p.ty), p.name.name))
        .collect();
    assert_eq!(ports, ["chan?(int<8>) L", "chan!(int<8>) R"]);
    let body: Vec<_> = buffer.body.iter().map(item_str).collect();
    assert_eq!(body, ["var int<8> x", "chp (loop (seq (? L x) (! R x)))"]);

    let source_chp = item_str(&processes[0].body[1]);
    assert_eq!(
        source_chp,
        "chp (seq (:= x 0) (gloop (< x 100) -> (seq (! R x) (:= x (+ x 1)))))"
    );
    assert_eq!(
        item_str(&processes[2].body[1]),
        r#"chp (loop (seq (? L x) (log "got " x)))"#
    );

    let pipeline = processes[3];
    let params: Vec<_> = pipeline.template_params.iter().map(param_str).collect();
    assert_eq!(params, ["pint N"]);
    assert!(pipeline.ports.is_empty());
    let body: Vec<_> = pipeline.body.iter().map(item_str).collect();
    assert_eq!(
        body,
        [
            "inst source src",
            "inst buffer b[N]",
            "inst sink snk",
            "conn src.R = b[0].L",
            "loop i 0..<(- N 1) { conn b[i].R = b[(+ i 1)].L }",
            "conn b[(- N 1)].R = snk.L",
        ]
    );

    let tops: Vec<_> = program.instances().map(instance_str).collect();
    assert_eq!(tops, ["inst pipeline<10> top"]);
}

#[test]
fn spans_point_at_source_text() {
    let program = parse_ok(DESIGN_EXAMPLE);
    let top = program.instances().next().expect("top");
    assert_eq!(&DESIGN_EXAMPLE[top.span.clone()], "pipeline<10> top");
    assert_eq!(&DESIGN_EXAMPLE[top.name.span.clone()], "top");
    let sink = program.processes().nth(2).expect("sink");
    let Some(BodyItem::Chp(block)) = sink.body.last() else {
        panic!("chp")
    };
    let stmt = block.body.as_ref().expect("body");
    assert_eq!(
        &DESIGN_EXAMPLE[stmt.span.clone()],
        r#"*[ L?x; log("got ", x) ]"#
    );
}

#[test]
fn empty_file_is_an_empty_program() {
    assert_eq!(parse_ok("").items.len(), 0);
    assert_eq!(
        parse_ok("  // only a comment\n/* and another */")
            .items
            .len(),
        0
    );
}

// ----------------------------------------------------------------------
// Definitions, ports and types
// ----------------------------------------------------------------------

#[test]
fn dataless_channel_types() {
    let program = parse_ok("defproc f(chan?() go; chan!() done) { chan() c; }");
    let process = program.processes().next().expect("f");
    let ports: Vec<_> = process
        .ports
        .iter()
        .map(|p| format!("{} {}", type_str(&p.ty), p.name.name))
        .collect();
    assert_eq!(ports, ["chan?() go", "chan!() done"]);
}

#[test]
fn port_lists() {
    let program = parse_ok(
        "defproc f(chan?(int<8>) a, b; chan!(int) r; chan(bool) c; chan?(int) L[4]; bool x; int<W+1> y;) {}",
    );
    let process = program.processes().next().expect("f");
    let ports: Vec<_> = process
        .ports
        .iter()
        .map(|p| format!("{} {}{}", type_str(&p.ty), p.name.name, dims_str(&p.dims)))
        .collect();
    assert_eq!(
        ports,
        [
            "chan?(int<8>) a",
            "chan?(int<8>) b",
            "chan!(int) r",
            "chan(bool) c",
            "chan?(int) L[4]",
            "bool x",
            "int<(+ W 1)> y",
        ]
    );
}

#[test]
fn templates() {
    let program = parse_ok("template<pint N, M = 4; pbool B> defproc f() {}");
    let process = program.processes().next().expect("f");
    let params: Vec<_> = process.template_params.iter().map(param_str).collect();
    assert_eq!(params, ["pint N", "pint M = 4", "pbool B"]);
}

#[test]
fn defproc_without_ports_or_parentheses() {
    let program = parse_ok("defproc a() {} defproc b {}");
    assert_eq!(program.processes().count(), 2);
}

// ----------------------------------------------------------------------
// Body items
// ----------------------------------------------------------------------

#[test]
fn declarations() {
    assert_eq!(
        body("int<8> x, y[4]; bool b; int z; chan(int) c[N]; chan(int<8>) d[2..5][3]; pint N = 100; pbool P;"),
        [
            "var int<8> x",
            "var int<8> y[4]",
            "var bool b",
            "var int z",
            "var chan(int) c[N]",
            "var chan(int<8>) d[2..5][3]",
            "param pint N = 100",
            "param pbool P",
        ]
    );
}

#[test]
fn instances() {
    assert_eq!(
        body("buffer b[N]; source src; pipeline<10> p; fifo<4, W*2> f; source s2(c[0]); buffer b2(x, y); sink k(.L = c[1]); buffer u, v;"),
        [
            "inst buffer b[N]",
            "inst source src",
            "inst pipeline<10> p",
            "inst fifo<4, (* W 2)> f",
            "inst source s2(c[0])",
            "inst buffer b2(x, y)",
            "inst sink k(.L=c[1])",
            "inst buffer u",
            "inst buffer v",
        ]
    );
}

#[test]
fn template_argument_comparisons_need_parentheses() {
    assert_eq!(body("f<(a > b)> x;"), ["inst f<(> a b)> x"]);
}

#[test]
fn connections() {
    assert_eq!(
        body("a.R = b.L; a.R = c[i]; x = y; b[i+1].L[2] = c[j].R;"),
        [
            "conn a.R = b.L",
            "conn a.R = c[i]",
            "conn x = y",
            "conn b[(+ i 1)].L[2] = c[j].R",
        ]
    );
}

#[test]
fn body_loops() {
    assert_eq!(
        body("(i : N : b[i].R = b[i+1].L;) (j : 1 .. 3 : (k : 2 : x[j].y[k] = z; buffer q;))"),
        [
            "loop i 0..<N { conn b[i].R = b[(+ i 1)].L }",
            "loop j 1..=3 { loop k 0..<2 { conn x[j].y[k] = z; inst buffer q } }",
        ]
    );
}

#[test]
fn empty_chp_block() {
    assert_eq!(body("chp { }"), ["chp {}"]);
}

// ----------------------------------------------------------------------
// CHP statements
// ----------------------------------------------------------------------

#[test]
fn basic_statements() {
    assert_eq!(chp("skip"), "skip");
    assert_eq!(chp("x := 1"), "(:= x 1)");
    assert_eq!(chp("x[i] := 1"), "(:= x[i] 1)");
    assert_eq!(chp("x{3..0} := 1"), "(:= x{3..0} 1)");
    assert_eq!(chp("b+; c-"), "(seq b+ c-)");
    assert_eq!(
        chp("X!e; X!(a+1); L[i]!x"),
        "(seq (! X e) (! X (+ a 1)) (! L[i] x))"
    );
    assert_eq!(chp("X?x; L[i]?v[j]"), "(seq (? X x) (? L[i] v[j]))");
    assert_eq!(chp("X!; Y?; Z!, W?"), "(seq (! X) (? Y) (par (! Z) (? W)))");
}

#[test]
fn parallel_binds_tighter_than_sequence() {
    assert_eq!(
        chp("a?x,b?y; r!(x+y)"),
        "(seq (par (? a x) (? b y)) (! r (+ x y)))"
    );
    assert_eq!(
        chp("a := 1, b := 2, c := 3"),
        "(par (:= a 1) (:= b 2) (:= c 3))"
    );
}

#[test]
fn channel_flavors_are_written_right_after_the_bang_or_question_mark() {
    assert_eq!(
        chp("X!+e; X!-; Y?+v; Y?-"),
        "(seq (!+ X e) (!- X) (?+ Y v) (?- Y))"
    );
    // With a space, the sign belongs to the value, as in ACT (whose tokens are `!+`, `!-`).
    assert_eq!(chp("X! -e"), "(! X (neg e))");
}

#[test]
fn double_bar_binds_looser_than_sequence() {
    assert_eq!(
        chp("a := 1; b := 2 || c := 3, d := 4; e := 5"),
        "(par (seq (:= a 1) (:= b 2)) (seq (par (:= c 3) (:= d 4)) (:= e 5)))"
    );
    assert_eq!(
        chp("*[ X?x || Y?y ]; [ g -> a := 1 || b := 2 ]"),
        "(seq (loop (par (? X x) (? Y y))) (sel g -> (par (:= a 1) (:= b 2))))"
    );
    assert_eq!(chp("(|| i : 3 : x[i] := i)"), "(rep, i 0..<3 (:= x[i] i))");
}

#[test]
fn grouping() {
    assert_eq!(
        chp("(S1?x; S2?y), S3!z"),
        "(par (seq (? S1 x) (? S2 y)) (! S3 z))"
    );
    assert_eq!(chp("[x := 1; y := 2]"), "(seq (:= x 1) (:= y 2))");
    assert_eq!(chp("skip;"), "skip");
}

#[test]
fn selections() {
    assert_eq!(
        chp("[ g1 -> S1!x [] g2 -> S2?y; z := 1 [] else -> skip ]"),
        "(sel g1 -> (! S1 x) | g2 -> (seq (? S2 y) (:= z 1)) | else -> skip)"
    );
    assert_eq!(
        chp("[| #A -> A?x [] #B -> B?x |]"),
        "(nsel #A -> (? A x) | #B -> (? B x))"
    );
    assert_eq!(chp("[ x > 3 & ~b ]"), "(wait (& (> x 3) (~ b)))");
    assert_eq!(chp("[ #W | #V[i] ]"), "(wait (| #W #V[i]))");
    assert_eq!(
        chp("[ ([] i : 4 : #A[i] -> A[i]?x) [] else -> skip ]"),
        "(sel []i:0..<4: #A[i] -> (? A[i] x) | else -> skip)"
    );
}

#[test]
fn loops() {
    assert_eq!(chp("*[ L?x; R!x ]"), "(loop (seq (? L x) (! R x)))");
    assert_eq!(
        chp("*[ x < 10 -> x := x + 1 [] x = 10 -> skip ]"),
        "(gloop (< x 10) -> (:= x (+ x 1)) | (= x 10) -> skip)"
    );
    assert_eq!(
        chp("*[ x := x + 1 <- x < 10 ]"),
        "(do (:= x (+ x 1)) <- (< x 10))"
    );
    assert_eq!(
        chp("*[ L?x; R!x; <- x != 0 ]"),
        "(do (seq (? L x) (! R x)) <- (!= x 0))"
    );
    assert_eq!(chp("*[ *[ skip ] ]"), "(loop (loop skip))");
}

#[test]
fn replicated_statements() {
    assert_eq!(chp("(; i : N : x[i] := 0)"), "(rep; i 0..<N (:= x[i] 0))");
    assert_eq!(
        chp("(, i : 1 .. 3 : L[i]?v[i]; R[i]!v[i])"),
        "(rep, i 1..=3 (seq (? L[i] v[i]) (! R[i] v[i])))"
    );
}

#[test]
fn log_and_assert() {
    assert_eq!(
        chp(r#"log("got ", x, " hex ", "%x", y, "\n")"#),
        r#"(log "got " x " hex " "%x" y "\n")"#
    );
    assert_eq!(chp("log()"), "(log )");
    assert_eq!(
        chp(r#"log_st(); log_p("a=", a); log_nl(); warn("w ", x)"#),
        r#"(seq (log_st ) (log_p "a=" a) (log_nl ) (warn "w " x))"#
    );
    assert_eq!(chp("assert(x < 4)"), "(assert (< x 4))");
    assert_eq!(
        chp(r#"assert(x = y, "mismatch: ", x)"#),
        r#"(assert (= x y) "mismatch: " x)"#
    );
}

#[test]
fn labels_and_delays() {
    assert_eq!(chp("send: R!x"), "send: (! R x)");
    assert_eq!(chp("@[after=5] R!x; x := 1"), "(seq @5 (! R x) (:= x 1))");
    assert_eq!(
        chp("*[ @[after=D*2] lbl: L?x ]"),
        "(loop @(* D 2) lbl: (? L x))"
    );
    assert_eq!(
        chp("@[after=3] [ a -> skip [] else -> skip ]"),
        "@3 (sel a -> skip | else -> skip)"
    );
}

// ----------------------------------------------------------------------
// Expressions
// ----------------------------------------------------------------------

#[test]
fn precedence() {
    assert_eq!(expr("a + b * c"), "(+ a (* b c))");
    assert_eq!(expr("a * b + c"), "(+ (* a b) c)");
    assert_eq!(expr("a - b - c"), "(- (- a b) c)");
    assert_eq!(expr("a << 2 + 1"), "(<< a (+ 2 1))");
    assert_eq!(expr("a + 1 < b << 2"), "(< (+ a 1) (<< b 2))");
    assert_eq!(expr("a < b & c = d"), "(& (< a b) (= c d))");
    assert_eq!(expr("a | b ^ c & d"), "(| a (^ b (& c d)))");
    assert_eq!(expr("~a & -b % 3"), "(& (~ a) (% (neg b) 3))");
    assert_eq!(expr("(a + b) * c"), "(* (+ a b) c)");
    assert_eq!(
        expr("a >= b | a <= b | a != b"),
        "(| (| (>= a b) (<= a b)) (!= a b))"
    );
    assert_eq!(expr("a / b >> 1"), "(>> (/ a b) 1)");
}

#[test]
fn operands() {
    assert_eq!(expr("x{7..0}"), "x{7..0}");
    assert_eq!(expr("x{7}"), "x{7}");
    assert_eq!(expr("mem[i+1]{3..0}"), "mem[(+ i 1)]{3..0}");
    assert_eq!(expr("{a, b{3..0}, 0x1}"), "{a, b{3..0}, 1}");
    assert_eq!(expr("0xff_ff + 0b1010 + 1_000"), "(+ (+ 65535 10) 1000)");
    assert_eq!(expr("true | false"), "(| true false)");
    assert_eq!(expr("#X[2]"), "#X[2]");
    assert_eq!(expr("a.b[1].c"), "a.b[1].c");
    assert_eq!(
        expr("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        "115792089237316195423570985008687907853269984665640564039457584007913129639935"
    );
}

// ----------------------------------------------------------------------
// Bad input: snapshots of the rendered diagnostics
// ----------------------------------------------------------------------

#[test]
fn error_unexpected_token() {
    insta::assert_snapshot!(errors("defproc p() {\n  int x;\n  chp { x := ; }\n}\n"));
}

#[test]
fn error_missing_semicolon() {
    insta::assert_snapshot!(errors("defproc p() {\n  int x\n  bool y;\n}\n"));
}

#[test]
fn error_unterminated_comment() {
    insta::assert_snapshot!(errors("defproc p() {}\n/* this comment\nnever ends\n"));
}

#[test]
fn error_unterminated_string() {
    insta::assert_snapshot!(errors("defproc p() {\n  chp { log(\"hello) }\n}\n"));
}

#[test]
fn error_bad_character() {
    insta::assert_snapshot!(errors("defproc p() {\n  int x;\n  chp { x := 1 $ 2 }\n}\n"));
}

#[test]
fn error_unsupported_prs_block() {
    insta::assert_snapshot!(errors(
        "defproc inv(bool a, b) {\n  prs {\n    a => b-\n  }\n}\n"
    ));
}

#[test]
fn error_unsupported_constructs_all_reported() {
    let text = errors(
        "import \"std.act\";\nnamespace foo { defproc x() {} }\ndeftype t(bool a) {}\n\
         defproc p() {\n  hse { a+ }\n  spec { }\n  int x;\n  chp { x := 1 }\n}\n\
         template<pint N> defchan c(int a) {}\n",
    );
    insta::assert_snapshot!(text);
}

#[test]
fn error_other_unsupported_constructs() {
    insta::assert_snapshot!(errors(
        "export pint e = 1;\n\
         template<preal R> defproc r() {}\n\
         defproc p(chan(int, bool) x) {}\n\
         defproc q() {\n  pint A[4];\n  preal f;\n  int x = 3;\n  [ A > 0 -> int y; ]\n  chp<vdd> { skip }\n  chp { X?(a, b) }\n}\n"
    ));
}

#[test]
fn errors_are_capped() {
    let junk = "defproc a() { chp { x := ; } }\n".repeat(500);
    let diags = parse(&junk).expect_err("errors");
    assert_eq!(diags.len(), MAX_REPORTED_ERRORS + 1);
    assert_eq!(
        diags[MAX_REPORTED_ERRORS].message,
        "400 more errors not shown"
    );
}

#[test]
fn error_two_errors_reported_together() {
    let text = errors(
        "defproc a() {\n  int x;\n  chp { x := 1 +; x := 2 }\n}\n\
         defproc b() {\n  bool y;\n  chp { *[ y := ] }\n}\n",
    );
    assert_eq!(text.matches("Error:").count(), 2, "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn error_recovery_inside_chp_sequences() {
    let text = errors("defproc a() {\n  chp { x := ; y := 1; z ? ? ; w := }\n}\n");
    assert_eq!(text.matches("Error:").count(), 3, "{text}");
}

#[test]
fn error_unknown_function_and_bad_assert() {
    insta::assert_snapshot!(errors(
        "defproc a() {\n  chp { printf(\"x\"); assert(\"no condition\") }\n}\n"
    ));
}

#[test]
fn error_bad_delay_attribute() {
    insta::assert_snapshot!(errors("defproc a() {\n  chp { @[before=3] skip }\n}\n"));
}

#[test]
fn error_at_end_of_file() {
    insta::assert_snapshot!(errors("defproc a() {\n  chp { skip"));
}

#[test]
fn error_deep_nesting_is_an_error_not_a_crash() {
    let depth = 100_000;
    let source = format!(
        "defproc a() {{ chp {{ x := {}1{} }} }}",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let text = errors(&source);
    assert!(text.contains("nesting is too deep"), "{text}");
    assert_eq!(text.matches("Error:").count(), 1);

    for (open, close) in [("*[ ", " ]"), ("(", ")"), ("[ ", " ]"), ("[true -> ", "]")] {
        let source = format!(
            "defproc a() {{ chp {{ {}skip{} }} }}",
            open.repeat(depth),
            close.repeat(depth)
        );
        let text = errors(&source);
        assert!(text.contains("nesting is too deep"), "{open}: {text}");
    }

    let unary = format!("defproc a() {{ chp {{ x := {}1 }} }}", "~".repeat(depth));
    assert!(errors(&unary).contains("nesting is too deep"));

    let body_loops = format!(
        "defproc a() {{ {} }}",
        "(i : 2 : ".repeat(depth) + &")".repeat(depth)
    );
    assert!(errors(&body_loops).contains("nesting is too deep"));

    let chain = format!("defproc a() {{ chp {{ x := 1{} }} }}", "+1".repeat(depth));
    assert!(errors(&chain).contains("expression is too deep"));
    let index_chain = format!("defproc a() {{ chp {{ x := y{} }} }}", "[0]".repeat(depth));
    assert!(errors(&index_chain).contains("expression is too deep"));
    let field_chain = format!("defproc a() {{ a{} = b; }}", ".p".repeat(depth));
    assert!(errors(&field_chain).contains("expression is too deep"));

    let types = format!(
        "defproc a({}bool{} c) {{}}",
        "chan(".repeat(depth),
        ")".repeat(depth)
    );
    assert!(errors(&types).contains("nesting is too deep"));
}

#[test]
fn nesting_just_under_the_limit_is_fine() {
    // Statement nesting below the limit must parse, on the default (small) test-thread stack.
    let depth = 100;
    let source = format!(
        "defproc a() {{ chp {{ {}skip{} }} }}",
        "*[ [true -> ".repeat(depth),
        "] ]".repeat(depth)
    );
    parse_ok(&source);
    let source = format!(
        "defproc a() {{ chp {{ x := {}1{} }} }}",
        "(".repeat(250),
        ")".repeat(250)
    );
    parse_ok(&source);
}

#[test]
fn junk_never_panics() {
    // A deterministic pseudo-random byte generator (xorshift), so failures are reproducible.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let fragments = [
        "defproc", "template", "<", ">", "(", ")", "[", "]", "{", "}", "*[", "[|", "|]", "[]",
        "->", "<-", ";", ",", ":", ":=", "!", "?", "#", "x", "chp", "int", "chan", "bool", "pint",
        "@", "..", ".", "=", "1", "\"s\"", "prs", "log", "else", " ",
    ];
    for round in 0..300 {
        let len = (next() % 200) as usize;
        let source: String = if round % 2 == 0 {
            let bytes: Vec<u8> = (0..len).map(|_| (next() & 0xff) as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            (0..len)
                .map(|_| fragments[(next() % fragments.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join("")
        };
        if let Err(diags) = parse(&source) {
            let text = render(&diags, "junk.act", &source);
            assert!(text.contains("Error"));
        }
    }
}

#[test]
fn binary_junk_snapshot() {
    let junk = "\u{0}\u{1}\u{7f}defproc \u{fffd}\u{fffd}\n\t\u{3}";
    insta::assert_snapshot!(errors(junk));
}

#[test]
fn conditional_is_the_loosest_operator_and_nests_right() {
    assert_eq!(expr("a = b ? a + 1 : b"), "(? (= a b) (+ a 1) b)");
    assert_eq!(expr("c ? 1 : d ? 2 : 3"), "(? c 1 (? d 2 3))");
    assert_eq!(expr("(c ? x : y) * 2"), "(* (? c x y) 2)");
}

#[test]
fn conversions_and_builtin_calls() {
    assert_eq!(expr("int(b) + int(x, 4)"), "(+ int(b) int(x, 4))");
    assert_eq!(expr("bool(x{3..0})"), "bool(x{3..0})");
    assert_eq!(expr("bitwidth(w) - 1"), "(- bitwidth(w) 1)");
}

#[test]
fn receive_casts_and_conditional_sends() {
    assert_eq!(chp("X?bool(t)"), "(? X bool(t))");
    assert_eq!(chp("X?int(v[2])"), "(? X int(v[2]))");
    assert_eq!(chp("X!int(L)"), "(! X int(L))");
    assert_eq!(chp("X!(c ? 1 : 2); Y?v"), "(seq (! X (? c 1 2)) (? Y v))");
}

#[test]
fn enum_types_and_parameter_arrays() {
    assert_eq!(
        body("enum<5> e; chan(enum<3>) c; pint x[3]; pint y[1..2] = {4, 5}; x = {1, N + 1, 3};"),
        [
            "var enum<5> e",
            "var chan(enum<3>) c",
            "param pint x[3]",
            "param pint y[1..2] = {4, 5}",
            "conn x = {1, (+ N 1), 3}",
        ]
    );
}

#[test]
fn template_parameter_arrays_are_not_supported_yet() {
    let text = errors("template<pint N[2]> defproc p() { }");
    assert!(
        text.contains("template parameter arrays are not supported yet"),
        "{text}"
    );
}

#[test]
fn top_level_parameters() {
    let program = parse_ok("pint W = 8, D;\npbool B = true;\ndefproc p() { }");
    let params: Vec<_> = program.global_params().map(param_str).collect();
    assert_eq!(params, ["pint W = 8", "pint D", "pbool B = true"]);
    assert_eq!(program.processes().count(), 1);
}

#[test]
fn arithmetic_shift_binds_like_the_other_shifts() {
    assert_eq!(expr("a >>> 2 + 1"), "(>>> a (+ 2 1))");
    assert_eq!(expr("a >>> 1 < b"), "(< (>>> a 1) b)");
}
