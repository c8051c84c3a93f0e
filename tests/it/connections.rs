//! ACT's connections and arrays: ranges of elements `c[lo..hi]` and array expressions
//! `{a, b[0..1]}` in connections and port lists, port lists given to an instance declared
//! before (`x(a, , b);`, `x[2](.R = c);`), sparse arrays of instances and of variables, empty
//! arrays, and the direction flags of wires (`bool! x;`).
use crate::common::run_design::{compile_errors, run_text};

const PARTS: &str = "defproc src(chan!(int) R[3]) { chp { R[0]!1; R[1]!2; R[2]!3 } }
defproc sink2(chan?(int) L[2]) { int x; chp { L[0]?x; log(\"a \", x); L[1]?x; log(\"b \", x) } }
defproc buf(chan?(int) L; chan!(int) R) { int x; chp { L?x; R!(x + 10) } }
";

#[test]
fn a_range_of_elements_connects_as_an_array() {
    let run = run_text(&format!(
        "{PARTS}defproc test() {{
  chan(int) c[4..6];
  src s(c[4..6]);
  sink2 k(c[5..6]);
  sink2 j;
  j.L[0] = c[4];
  src t;
  j.L[1] = t.R[0];
}}
"
    ));
    let mut logs = run.logs();
    logs.sort();
    assert_eq!(
        logs,
        [
            (10, "a 1".into()),
            (20, "a 2".into()),
            (20, "b 1".into()),
            (30, "b 3".into())
        ],
        "{:?}",
        run.error()
    );
}

#[test]
fn ranges_and_array_expressions_connect_element_by_element() {
    let run = run_text(&format!(
        "{PARTS}defproc test() {{
  src s;
  sink2 k, j;
  buf b;
  {{k.L[1], j.L[0]}} = {{b.R, s.R[0]}};
  j.L[1..1] = s.R[1..1];
  b.L = s.R[2];
  src k2h;
  buf k2(k2h.R[0]);
  k.L[0..0] = {{k2.R}};
}}
"
    ));
    let mut logs = run.logs();
    logs.sort();
    assert_eq!(
        logs,
        [
            (10, "a 1".into()),
            (20, "a 11".into()),
            (20, "b 2".into()),
            (40, "b 13".into()),
        ],
        "{:?}",
        run.error()
    );
}

#[test]
fn a_port_list_connects_an_instance_declared_before() {
    let run = run_text(&format!(
        "{PARTS}defproc test() {{
  buf b[3];
  src s;
  sink2 k;
  (i : 2 : b[i + 1](b[i].R, );)
  b[0](s.R[0]);
  b[2](.R = k.L[0]);
  buf t(s.R[1]);
  t(, k.L[1]);
  buf u(s.R[2]);
}}
"
    ));
    let mut logs = run.log_texts();
    logs.sort();
    assert_eq!(logs, ["a 31", "b 12"], "{:?}", run.error());
}

#[test]
fn a_sparse_array_of_instances_is_addressed_by_all_its_indices() {
    let run = run_text(&format!(
        "{PARTS}defproc test() {{
  (i : 3 : buf b[i..i]; )
  buf b[-1..-1];
  src s;
  sink2 k;
  b[-1](s.R[0], b[0].L);
  (i : 2 : b[i].R = b[i + 1].L; )
  b[2].R = k.L[0];
  buf t(s.R[1], k.L[1]);
  buf u(s.R[2]);
}}
"
    ));
    let mut logs = run.log_texts();
    logs.sort();
    assert_eq!(logs, ["a 41", "b 12"], "{:?}", run.error());
}

#[test]
fn a_variable_array_declared_in_pieces_is_one_array_in_chp() {
    // Extended at its end, at its start, and by a loop: `k` names all seven elements.
    let run = run_text(
        "defproc test() {
  int<8> k[1..2];
  int<8> k[0..0];
  (;i:3..4: int<8> k[i..i];)
  pint n = 5;
  *[ n < 7 -> int<8> k[n..n]; n = n + 1; ]
  int<8> s;
  chp { (;i:7: k[i] := i * 3); s := 0; (;i:7: s := s + k[i]); log(\"sum \", s, \" last \", k[6]) }
}
",
    );
    assert_eq!(run.log_texts(), ["sum 63 last 18"], "{:?}", run.error());
}

#[test]
fn a_variable_array_declared_in_pieces_connects_whole() {
    // `x = w` connects all four elements of `x`: the reader sees what `test` wrote to them.
    let run = run_text(
        "defproc reader(bool? a[4]; chan?(int) go) {
  int d;
  chp { go?d; log(\"a \", a[0], a[1], a[2], a[3]) }
}
defproc test() {
  bool x[1..1];
  bool x[0..0];
  pint y = 2;
  *[ y < 4 -> bool x[y..y]; y = y + 1; ]
  bool w[4];
  x = w;
  chan(int) c;
  reader r(w, c);
  chp { x[3]+, x[0]-, x[1]+, x[2]-; c!1 }
}
",
    );
    assert_eq!(run.log_texts(), ["a 0101"], "{:?}", run.error());
}

#[test]
fn an_empty_array_has_no_elements() {
    // `p<0>` has no input ports: it sends at once.
    let run = run_text(
        "template<pint N> defproc p(chan?(int) L[N]; chan!(int) R) {
  int x[N];
  chp { (; i : N : L[i]?x[i]); R!N }
}
defproc k(chan?(int) L) { int v; chp { L?v; log(\"got \", v) } }
defproc buf(chan?(int) L) { }
defproc test() { p<0> a; k b(a.R); chan(int) e[0]; bool w[2..1]; buf z[0]; }
",
    );
    assert_eq!(run.log_texts(), ["got 0"], "{:?}", run.error());
}

#[test]
fn wires_with_direction_flags_connect_unless_the_flags_oppose() {
    let run = run_text(
        "defproc test() { bool! z; bool x; bool? y; x = z; x = y; chp { log(\"ok\") } }\n",
    );
    assert_eq!(run.log_texts(), ["ok"], "{:?}", run.error());
    let errors = compile_errors("defproc test() { bool! z; bool? y; z = y; }\n");
    assert!(errors.contains("opposite direction flags"), "{errors}");
}

#[test]
fn a_sparse_array_may_differ_in_non_strict_template_arguments() {
    // `Y` (after the `|`) is not part of the type: each element has its own.
    let run = run_text(
        "template<pint X | pint Y> defproc gen(chan!(int) R) { chp { R!(X * 100 + Y) } }
defproc k(chan?(int) L) { int v; chp { L?v; log(\"got \", v) } }
defproc test() {
  (i : 3 : gen<1, i> g[i..i]; k r[i..i]; r[i](g[i].R); )
}
",
    );
    let mut logs = run.log_texts();
    logs.sort();
    assert_eq!(logs, ["got 100", "got 101", "got 102"], "{:?}", run.error());
}

#[test]
fn the_wires_of_a_refined_type_connect_by_name_and_with_their_object() {
    // `c[1](x, )` connects wire `t`; `.f = y` wire `f`; `d = c[1]` and the port list of `s`
    // connect `d`, `s.p` and `c[1]` whole, wires with them.
    let run = run_text(
        "deftype dr <: bool (bool t, f) { }
defproc setter(dr p; bool done) { chp { p.t+; p.f-; p+; done+ } }
defproc test() {
  dr c[2];
  bool x, y, done;
  c[1](x, );
  c[1](.f = y);
  dr d = c[1];
  setter s(d, done);
  chp { [done]; log(\"x \", x, \" y \", y, \" t \", c[1].t, \" d.f \", d.f, \" c \", c[1]) }
}
",
    );
    // `[done]` sees `done` undefined (X) first, as actsim warns.
    let last = run.logs().pop();
    assert_eq!(
        last,
        Some((40, "x 1 y 0 t 1 d.f 0 c 1".into())),
        "{:?}",
        run.error()
    );
}

#[test]
fn instances_of_one_process_connect_whole() {
    // `r1 = r2;` makes the two readers' ports one: the writer drives both.
    let run = run_text(
        "defproc reader(bool a) { chp { [a]; log(\"a up\") } }
defproc writer(bool a) { chp { a+ } }
defproc base(bool a) { }
defproc derived <: base() { }
defproc test() { reader r1, r2; writer w; r1 = r2; w(r1.a); base b; derived d; b = d; }
",
    );
    let ups: Vec<String> = (run.log_texts().into_iter())
        .filter(|l| l == "a up")
        .collect();
    assert_eq!(ups, ["a up", "a up"], "{:?}", run.error());
}

/// A process whose body passes its port on to a sub-instance in one branch of a conditional
/// and runs CHP on it in the other: where the branch without CHP is taken, the port is a wire
/// through the instance, not a second receiver (or sender) of the channel (issue 20).
#[test]
fn a_branch_without_chp_passes_the_ports_through() {
    let run = run_text(
        "defproc src(chan!(int<8>) R) { int<8> x; chp { x := 0; *[ x < 2 -> R!x; x := x + 1 ] } }
defproc snk(chan?(int<8>) L) { int<8> y; chp { *[ L?y; log(\"got \", y) ] } }
template<pbool fwd> defproc mid(chan?(int<8>) L) {
  [ fwd -> snk s(L);
  [] else -> int<8> z; chp { *[ L?z; log(\"own \", z) ] }
  ]
}
template<pbool fwd> defproc out(chan!(int<8>) R) {
  [ fwd -> src s; s.R = R;
  [] else -> chp { R!7 }
  ]
}
defproc test() {
  src a; mid<true> m; src b; mid<false> n;
  a.R = m.L;
  b.R = n.L;
  out<true> o; out<false> p; snk k; snk j;
  o.R = k.L;
  p.R = j.L;
}
",
    );
    let mut logs: Vec<String> = run.logs().into_iter().map(|(_, l)| l).collect();
    logs.sort();
    assert_eq!(
        logs,
        ["got 0", "got 0", "got 1", "got 1", "got 7", "own 0", "own 1"],
        "{:?}",
        run.error()
    );
}

/// ACT's rule: a sparse array connected whole (`a = b;`, `f(a)`) is not extended afterwards;
/// connected element by element (`c[3](a[1])`, `c[0].L = a[0]`), it still may be.
#[test]
fn a_sparse_array_connected_whole_is_not_extended() {
    let parts = "defproc cell(chan?(int) L) { int x; chp { L?x; log(\"got \", x) } }\n";
    let elements = format!(
        "{parts}defproc test() {{ chan(int) a[2]; cell c[2]; c[0].L = a[0]; cell c[2..3]; c[3](a[1]);
  chp {{ a[0]!1; a[1]!2 }} }}"
    );
    let mut got = run_text(&elements).log_texts();
    got.sort();
    assert_eq!(got, ["got 1", "got 2"]);
    let whole = "defproc test() { bool a[2]; bool b[2]; a = b; bool a[2..3]; }";
    let errors = compile_errors(whole);
    assert!(
        errors.contains("array `a` is extended after it was connected whole"),
        "{errors}"
    );
    let port_list = "defproc two(bool x[2]) { }
defproc test() { bool a[2]; two t(a); bool a[2..3]; }";
    let errors = compile_errors(port_list);
    assert!(
        errors.contains("array `a` is extended after it was connected whole"),
        "{errors}"
    );
}

/// As ACT's `Int::isEqual`: `int<8>`, `ints<8>` and `enum<N>` are three types to a connection
/// (of variables, of channels' data, of a port), though CHP assigns one to another freely.
#[test]
fn ints_and_enums_connect_only_to_their_own_kind() {
    let same = "defproc cell(chan?(ints<8>) L) { ints<8> x; int<8> y; chp { L?x; y := x; log(\"got \", y) } }
defproc test() { chan(ints<8>) c; cell k(c); ints<8> a, b; a = b; enum<3> e, f; e = f; chp { c!5 } }";
    assert_eq!(run_text(same).log_texts(), ["got 5"]);
    let fields = "deftype rec(ints<8> s; enum<3> e) { }
defproc test() { rec r; ints<8> v; enum<3> f; r.s = v; r.e = f; chp { v := 3; log(\"s \", r.s) } }";
    assert_eq!(run_text(fields).log_texts(), ["s 3"]);
    for (decls, carried) in [
        (
            "chan(int<8>) a; chan(ints<8>) b;",
            "carries int<8> but `b` carries ints<8>",
        ),
        ("ints<4> a; int<4> b;", "is ints<4> but `b` is int<4>"),
        ("enum<4> a; int<2> b;", "is enum<4> but `b` is int<2>"),
        ("enum<3> a; enum<4> b;", "is enum<3> but `b` is enum<4>"),
        // A record's field keeps its kind.
        (
            "rec r; ints<8> a, b; a = r.u;",
            "is ints<8> but `r.u` is int<8>",
        ),
        (
            "rec r; int<8> a, b; a = r.s;",
            "is int<8> but `r.s` is ints<8>",
        ),
        (
            "rec r; int<2> a, b; a = r.e;",
            "is int<2> but `r.e` is enum<3>",
        ),
    ] {
        let errors = compile_errors(&format!(
            "deftype rec(ints<8> s; int<8> u; enum<3> e) {{ }}
defproc test() {{ {decls} a = b; }}"
        ));
        assert!(
            errors.contains(&format!("`a` {carried}")),
            "{decls}: {errors}"
        );
    }
}
