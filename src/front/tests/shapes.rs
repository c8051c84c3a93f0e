//! Whole programs and each construct of the subset, parsed to the expected shape.

use super::*;

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
fn template_parameter_arrays_and_preal_parameters() {
    let program = parse_ok("template<pint N; pint d[N]; preal w> defproc p() { }");
    let def = program.processes().next().unwrap();
    let params: Vec<_> = def.template_params.iter().map(param_str).collect();
    assert_eq!(params, ["pint N", "pint d[N]", "preal w"]);
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

// ----------------------------------------------------------------------
// Conditional bodies, generative loops, assertions, debug output
// ----------------------------------------------------------------------

#[test]
fn conditional_bodies_and_generative_loops() {
    assert_eq!(
        body("[ N > 8 -> bool a; [] ([] i : 4 : i = N -> bool b;) [] else -> [ B -> bool c; ]; ]"),
        ["if [(> N 8) -> { var bool a } | []i:0..<4: (= i N) -> { var bool b } | else -> { if [B -> { var bool c }] }]"]
    );
    assert_eq!(
        body("*[ i < 4 -> i = i + 1; ];"),
        ["while [(< i 4) -> { conn i = (+ i 1) }]"]
    );
}

#[test]
fn body_assertions_and_debug_output() {
    assert_eq!(
        body(r#"{ N > 0 : "positive" }; { a === b }; { a[1] !== b.c : "apart" }; ${ "x", N };"#),
        [
            r#"assert (> N 0) : Some("positive")"#,
            "assert a === b : None",
            r#"assert a[1] !== b.c : Some("apart")"#,
            "print 2"
        ]
    );
}

#[test]
fn file_scope_body_items() {
    let program = parse_ok("bool x, y = x;\nchan(int) c[2];\nfoo a, b[2];\na.L = c[0];\n(i : 2 : b[i].L = c[i];)\n[ true -> bool z; ]\n");
    let items: Vec<String> = program.global_body().iter().map(item_str).collect();
    assert_eq!(
        items,
        [
            "var bool x",
            "var bool y",
            "conn y = x",
            "var chan(int) c[2]",
            "inst foo a",
            "inst foo b[2]",
            "conn a.L = c[0]",
            "loop i 0..<2 { conn b[i].L = c[i] }",
            "if [true -> { var bool z }]",
        ]
    );
    assert_eq!(program.instances().count(), 2);
}

#[test]
fn expression_replication() {
    assert_eq!(
        expr("(+i:N: x[i]) * (& j : 1..3 : b[j]) | (|k:2:(^l:2: k = l))"),
        "(| (* (+i 0..<N x[i]) (&j 1..=3 b[j])) (|k 0..<2 (^l 0..<2 (= k l))))"
    );
    // Parenthesised operands stay what they were.
    assert_eq!(expr("(a) + (-b)"), "(+ a (neg b))");
}

#[test]
fn instance_attributes_follow_their_declarations() {
    let program = parse_ok(
        "defproc leaf(bool a) { }
defproc top() {
  bool x @ [iscomb=1], y[2] @ [pos_x=1; pos_y=2;];
  leaf l(x) @ [size_x=3];
  y[1] @ [iscomb=0];
  l(x) @ [size_y=4];
}",
    );
    let top = program.processes().nth(1).unwrap();
    let body: Vec<_> = top.body.iter().map(item_str).collect();
    assert_eq!(
        body,
        [
            "var bool x",
            "attrs x [iscomb=1]",
            "var bool y[2]",
            "attrs y [pos_x=1; pos_y=2]",
            "inst leaf l(x)",
            "attrs l [size_x=3]",
            "attrs y[1] [iscomb=0]",
            "ports l(x)",
            "attrs l [size_y=4]",
        ]
    );
}
