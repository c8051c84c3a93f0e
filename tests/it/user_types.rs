//! User-defined types as ACT's front end takes them: enumerations, records refining records,
//! interfaces and methods, types with direction flags (docs/actsim.md, "User-defined types").
use crate::common::run_design::{compile_errors, run_text};

fn owned(items: &[(u64, &str)]) -> Vec<(u64, String)> {
    items.iter().map(|(t, s)| (*t, s.to_string())).collect()
}

#[test]
fn an_int_compatible_enumeration_takes_any_integer_at_its_width() {
    let run = run_text(
        r#"
defenum mode : int { IDLE, RUN, STOP };
defproc test() { mode m; int<4> n; chp { m := 3; log(m); n := 6; m := n; log(m, " ", mode.STOP) } }
"#,
    );
    // Three members make two bits: 6 is kept as 2.
    assert_eq!(run.logs(), owned(&[(10, "3"), (30, "2 2")]));
}

#[test]
fn a_plain_enumeration_still_refuses_a_constant_that_is_not_a_member() {
    let errors =
        compile_errors("defenum mode { IDLE, RUN };\ndefproc test() { mode m; chp { m := 2 } }\n");
    assert!(errors.contains("not a member"), "{errors}");
}

#[test]
fn a_name_written_from_the_global_namespace_finds_the_global_definition() {
    let run = run_text(
        r#"
namespace lights { export defenum colour { RED, GREEN }; }
namespace other { export defenum colour { BLUE }; }
defproc test() {
  ::lights::colour c;
  chp { c := ::lights::colour.GREEN; [ c = ::lights::colour.GREEN -> log("green") [] else -> skip ] }
}
"#,
    );
    assert_eq!(run.logs(), owned(&[(20, "green")]));
}

#[test]
fn bitwidth_reads_earlier_variables_fields_and_expressions_in_constants() {
    let run = run_text(
        r#"
template<pint W>
deftype pair (int<W> lo; int<2*bitwidth(lo+1)> hi) { }
defproc test() {
  pair<3> p; int<4> a;
  int<bitwidth(p)> copy;
  int<bitwidth(a*a)> square;
  chp { log(bitwidth(p), " ", bitwidth(copy), " ", bitwidth(square), " ", bitwidth(a+1), " ", bitwidth(a = 0)) }
}
"#,
    );
    // lo is 3 bits, lo+1 four, so hi is 8: the record holds 11; a*a is 4+4 bits, a+1 is 5.
    assert_eq!(run.logs(), owned(&[(0, "11 11 8 5 1")]));
}

#[test]
fn bitwidth_reads_a_port_width_in_a_declaration() {
    let run = run_text(
        r#"
defproc scaled(int<6> v) { int<bitwidth(v)+2> w; chp { log(bitwidth(w)) } }
defproc test() { int<6> s; scaled k(s); }
"#,
    );
    assert_eq!(run.logs(), owned(&[(0, "8")]));
}

#[test]
fn a_call_from_the_global_namespace_finds_the_function_there() {
    let run = run_text(
        r#"
namespace maths { export function twice (int<4> x) : int<5> { chp { self := x + x } } }
function twice (int<4> x) : int<5> { chp { self := x } }
namespace maths {
  export defproc user() { int<5> y; chp { y := ::twice(3); log(y, " ", ::maths::twice(3)) } }
}
maths::user u;
"#,
    );
    assert_eq!(run.logs(), owned(&[(10, "3 6")]));
}

#[test]
fn a_macro_argument_is_the_expression_passed_with_its_own_width() {
    // ACT substitutes the argument for the name: `~a` of an int<3> stays 3 bits wide even
    // where the macro declares int<6> (userdef/51 passes a 31-bit constant to an int<32>).
    let run = run_text(
        r#"
deftype reg (int<6> x) { methods { macro set(int<6> v) { x := ~v } } }
defproc test() { reg r; int<3> a; chp { a := 1; r.set(a); log(r.x) } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(20, "6")]));
}

#[test]
fn operators_on_a_record_call_its_methods() {
    let run = run_text(
        r#"
deftype money (int<8> cents)
{
  methods {
    function plus (money m) : money { money r; chp { r.cents := cents + m.cents; self := r } }
    function lt (money m) : bool { chp { self := cents < m.cents } }
    function uminus () : money { money r; chp { r.cents := 100 - cents; self := r } }
  }
}
defproc test() {
  money a, b, c; bool f;
  chp {
    a.cents := 30; b.cents := 45; c := a + b; f := a < b; log(c.cents, " ", f);
    c := -a; log(c.cents);
    [ c < a -> log("less") [] else -> log("not less") ]
  }
}
"#,
    );
    assert_eq!(
        run.logs(),
        owned(&[(40, "75 1"), (50, "70"), (60, "not less")])
    );
}

#[test]
fn a_record_without_the_operators_method_keeps_the_plain_rules() {
    let errors = compile_errors(
        "deftype money (int<8> cents) { }\ndefproc test() { money a, b; bool f; chp { f := a < b } }\n",
    );
    assert!(errors.contains("record"), "{errors}");
}

#[test]
fn a_bundle_port_of_the_output_side_sees_the_second_mark_of_its_fields() {
    // `chan?!(T)`: `link?` receives on it, `link!` sends; `chan!?(T)` the other way round.
    let run = run_text(
        r#"
deftype link (chan?!(int<8>) data; chan!?(int<8>) ack) { }
defproc producer(link! p) { int<8> a; chp { p.data!5; p.ack?a; log("ack ", a) } }
defproc consumer(link? p) { int<8> v; chp { p.data?v; p.ack!v+1 } }
defproc test() { producer s; consumer r; s.p = r.p; }
"#,
    );
    assert_eq!(run.logs(), owned(&[(20, "ack 6")]));
}

/// A templated record and a refinement of it that adds no fields: the refinement inherits its
/// parent's macros and method functions (the operator methods too), each seeing the parent's
/// template parameters at the values the refinement gives them; a method of parameters (`preal`
/// in, `pint` out) is a constant; a value of the parent's type is assigned to the refinement.
#[test]
fn a_refining_record_inherits_its_parents_macros_and_methods() {
    let design = r#"
template<pint W>
deftype acc (int<W> v)
{
  methods {
    macro set (int<W> d) { v := d }
    macro show () { log("w", W, " v", v, " top", v{W-1}) }
    function plus (acc<W> o) : acc<W> { chp { self.v := v + o.v } }
    function scaled (preal f) : pint { chp { self := int(f * W) } }
  }
}
template<pint N>
deftype wide <: acc<N * 2> () { }
defproc test() {
  pint W = 100;
  wide<4> a, b;
  chp { a.set(W); b.set(a.scaled(2.5)); a := a + b; a.show(); b.show() }
}
"#;
    // `a.set(W)` passes the caller's W (100), not the record's (8); 100 + 20 = 120.
    assert_eq!(
        run_text(design).log_texts(),
        ["w8 v120 top0", "w8 v20 top0"]
    );
    let errors = compile_errors(&design.replace("a.show()", "a.hide()"));
    assert!(
        errors.contains("record type `wide<4>` has no macro `hide`"),
        "{errors}"
    );
}

#[test]
fn a_refinement_with_fields_of_its_own_is_not_assigned_its_parents_value() {
    let errors = compile_errors(
        r#"
deftype base (int<4> x) { methods { function plus (base o) : base { chp { self.x := x + o.x } } } }
deftype more <: base (int<4> y) { }
defproc test() { more a; base c; chp { a := c + c } }
"#,
    );
    assert!(
        errors.contains("type mismatch: expected record `more`, found record `base`"),
        "{errors}"
    );
    // Nor is it given for a parameter of its parent's type: its own field would sit among
    // its parent's bits.
    let errors = compile_errors(
        r#"
deftype base (int<4> x) { methods { function plus (base o) : base { chp { self.x := x + o.x } } } }
deftype more <: base (int<4> y) { }
defproc test() { base a; more b; chp { a := a + b } }
"#,
    );
    assert!(
        errors.contains("type mismatch: expected record `base`, found record `more`"),
        "{errors}"
    );
}

/// `deftype t (...) :> iface { } { ... }` exports an interface; `@t<8>` is then a value of a
/// `ptype(iface)` parameter, and a declaration with that parameter as its type is a variable
/// of `t` (an array too), its method functions and operator methods `t`'s.
#[test]
fn a_data_type_exporting_an_interface_is_a_ptype_argument_and_its_objects_are_variables() {
    let design = r#"
interface counter () {
  methods { function next (int<8> d) : int<8>; }
}
template<pint W>
deftype tally (int<W> n) :> counter { }
{
  methods {
    function next (int<8> d) : int<8> { chp { self := n + d } }
    function plus (tally<W> o) : tally<W> { chp { self.n := n + o.n } }
  }
}
deftype other (int<8> n) { }
template<ptype(counter) T>
defproc user()
{
  T a, b[2];
  int<8> y;
  chp { a.n := 3; y := a.next(4); log("next ", y); b[1] := a + a; log("sum ", b[1].n) }
}
defproc test() { user<@tally<8> > u; }
"#;
    assert_eq!(
        run_text(design).logs(),
        owned(&[(20, "next 7"), (30, "sum 6")])
    );
    let errors = compile_errors(&design.replace("@tally<8> >", "@other>"));
    assert!(
        errors.contains("data type `other` does not export interface `counter`"),
        "{errors}"
    );
}

/// ACT's check of a data type exporting an interface: each of the interface's methods, with
/// arguments and result of the same types (the interface's name standing for the type).
#[test]
fn a_data_type_exporting_an_interface_has_its_methods_with_the_same_types() {
    let design = |methods: &str| {
        format!(
            "interface shape () {{ methods {{ function grow (int<4> d) : shape; macro reset (); }} }}
deftype box (int<4> w) :> shape {{ }} {{ methods {{ {methods} }} }}
"
        )
    };
    let good =
        "function grow (int<4> d) : box { chp { self.w := w + d } } macro reset () { w := 0 }";
    let run = run_text(&format!(
        "{}defproc test() {{ box b; chp {{ b.reset(); b := b.grow(3); log(b.w) }} }}\n",
        design(good)
    ));
    assert_eq!(run.log_texts(), ["3"]);
    for (methods, problem) in [
        (
            "function grow (int<4> d) : box { chp { self.w := d } }",
            "method `reset` of interface `shape` is missing",
        ),
        (
            "function grow (int<8> d) : box { chp { self.w := d } } macro reset () { w := 0 }",
            "argument #0 type mismatch",
        ),
        (
            "function grow (int<4> d) : int<4> { chp { self := d } } macro reset () { w := 0 }",
            "return type mismatch",
        ),
        (
            "macro grow (int<4> d) { w := d } macro reset () { w := 0 }",
            "macro/function inconsistency",
        ),
    ] {
        let errors = compile_errors(&format!("{}defproc test() {{ box b; }}\n", design(methods)));
        assert!(errors.contains(problem), "{problem}: {errors}");
    }
}

#[test]
fn arrays_of_records_mixing_channels_and_data_connect_and_run() {
    // Each element's channel is connected by its own port list; an array of them is a port of
    // `user`, and the top reads `d[i]` at run time.
    let run = run_text(
        "deftype cell (int<8> a; chan?(int<8>) L) { }
defproc src(chan!(int<8>) R) { chp { R!7 } }
defproc user(cell p[2]) { chp { p[0].L?p[0].a; p[1].L?p[1].a; log(\"got \", p[0].a + p[1].a) } }
defproc test() {
  cell c[2];
  src s0(c[0].L), s1(c[1].L);
  user u(c);
  int<8> i;
  cell d[3];
  src t[3];
  (k:3: t[k].R = d[k].L;)
  chp { i := 0; *[ i < 3 -> d[i].L?d[i].a; d[i].a := d[i].a + i; i := i + 1 ]; log(\"d \", d[0].a + d[1].a + d[2].a) }
}
",
    );
    let mut logs = run.log_texts();
    logs.sort();
    assert_eq!(logs, ["d 24", "got 14"], "{:?}", run.error());
}

#[test]
fn a_record_may_have_array_fields_of_several_dimensions() {
    // The last field takes the least significant bits, an array field's last element the
    // lowest of the field's: `a[1][2]` starts at bit 9, after `ok` (bit 8) and `v` (bits 0-7).
    let run = run_text(
        "deftype grid (int<4> a[2][3]; bool ok; int<4> v[2]) {
  methods {
    function corner() : int<4> { chp { self := a[1][2] } }
    function second() : int<4> { chp { self := v[1] } }
  }
}
defproc test() {
  grid g;
  chp {
    g := grid((5 << 9) | 256 | 3);
    log(\"corner \", g.corner(), \" second \", g.second(), \" ok \", g.ok, \" v1 \", g.v[1])
  }
}
",
    );
    assert_eq!(
        run.log_texts(),
        ["corner 5 second 3 ok 1 v1 3"],
        "{:?}",
        run.error()
    );
}

#[test]
fn interface_method_types_are_compared_with_the_exports_arguments_in_place() {
    // `int<N>` of `counter<4>` is `int<4>`, and `int<N+1>` is `int<5>`; in a templated type
    // exporting `counter<W>`, `int<N+1>` is `int<W+1>`.
    let interface = "template<pint N> interface counter () { methods { function step (int<N> d) : int<N+1>; } }\n";
    let run = run_text(&format!(
        "{interface}deftype tally (int<4> n) :> counter<4> {{ }} {{
  methods {{ function step (int<4> d) : int<5> {{ chp {{ self := n + d }} }} }}
}}
template<pint W> deftype wide (int<W> n) :> counter<W> {{ }} {{
  methods {{ function step (int<W> d) : int<W+1> {{ chp {{ self := n + d + 1 }} }} }}
}}
defproc test() {{
  tally t; wide<6> w; int<7> r;
  chp {{ t.n := 15; r := t.step(15); log(r); w.n := 63; r := w.step(63); log(r) }}
}}
"
    ));
    assert_eq!(run.log_texts(), ["30", "127"], "{:?}", run.error());
    for (export, arg, problem) in [
        ("counter<4>", "int<5>", "argument #0 type mismatch"),
        ("counter<2+2>", "int<4>", "return type mismatch"),
    ] {
        let errors = compile_errors(&format!(
            "{interface}deftype tally (int<4> n) :> {export} {{ }} {{
  methods {{ function step ({arg} d) : int<4> {{ chp {{ self := n + d }} }} }}
}}
defproc test() {{ tally t; }}
"
        ));
        assert!(errors.contains(problem), "{problem}: {errors}");
    }
}

#[test]
fn a_process_exporting_an_interface_has_its_macros() {
    let interface =
        "template<pint N> interface adder (chan?(int<N>) in) { methods { macro add (int<N> v); } }\n";
    let run = run_text(&format!(
        "{interface}defproc acc (chan?(int<8>) in) :> adder<8> {{ in -> in }} {{
  int<8> x;
  methods {{ macro add (int<8> v) {{ in!v }} }}
  chp {{ in?x; log(\"got \", x) }}
}}
defproc test() {{ acc a; chp {{ a.add(4) }} }}
"
    ));
    assert_eq!(run.log_texts(), ["got 4"], "{:?}", run.error());
    let errors = compile_errors(&format!(
        "{interface}defproc acc (chan?(int<8>) in) :> adder<8> {{ in -> in }} {{ int<8> x; }}
defproc test() {{ acc a; }}
"
    ));
    assert!(
        errors.contains("method `add` of interface `adder` is missing"),
        "{errors}"
    );
}

#[test]
fn a_processs_macro_types_are_compared_with_its_interfaces_in_each_instance() {
    // As ACT: a definition's types are compared without their widths, each instance's with
    // its template arguments in place, widths and array sizes (not their lower bounds) too.
    let interface = "template<pint M> interface pusher (chan?(int<M>) in) { methods { macro push (int<M> v[2]); } }\n";
    let fifo = |arg: &str| {
        format!(
            "template<pint N> defproc fifo (chan?(int<N>) in) :> pusher<4> {{ in -> in }} {{
  int<N> x;
  methods {{ macro push ({arg}) {{ x := v[0] }} }}
  chp {{ log(\"made \", N) }}
}}
"
        )
    };
    let top = |n: u32| format!("defproc test() {{ fifo<{n}> f; chp {{ skip }} }}\n");
    // `int<2*N-N>` of `fifo<4>` is `int<4>`; `v[0..1]` is as long as `v[2]`.
    let run = run_text(&format!(
        "{interface}{}{}",
        fifo("int<2*N-N> v[0..1]"),
        top(4)
    ));
    assert_eq!(run.log_texts(), ["made 4"], "{:?}", run.error());
    // `fifo<3>` has `int<3>` where the interface has `int<4>`.
    let errors = compile_errors(&format!("{interface}{}{}", fifo("int<N> v[2]"), top(3)));
    assert!(
        errors
            .contains("in `fifo<3>`: method `push`, interface `pusher`: argument #0 type mismatch"),
        "{errors}"
    );
    // An array of another size is another type; a definition never instantiated is not
    // compared in full (nor by ACT).
    let errors = compile_errors(&format!("{interface}{}{}", fifo("int<N> v[3]"), top(4)));
    assert!(errors.contains("argument #0 type mismatch"), "{errors}");
    let unused = run_text(&format!(
        "{interface}{}defproc test() {{ chp {{ log(\"top\") }} }}\n",
        fifo("int<N> v[3]")
    ));
    assert_eq!(unused.log_texts(), ["top"], "{:?}", unused.error());
    // No array, or another number of dimensions: the definition is wrong.
    for arg in ["int<N> v", "int<N> v[2][1]", "bool v[2]"] {
        let errors = compile_errors(&format!(
            "{interface}{}defproc test() {{ chp {{ skip }} }}\n",
            fifo(arg)
        ));
        assert!(
            errors.contains("method `push`, interface `pusher`: argument #0 type mismatch"),
            "{arg}: {errors}"
        );
    }
}

#[test]
fn a_data_types_method_arguments_are_arrays_as_its_interfaces() {
    let interface = "interface summer () { methods { function sum (int<4> v[2]) : int<5>; } }\n";
    let design = |arg: &str| {
        format!(
            "{interface}deftype pair (int<4> a) :> summer {{ }} {{
  methods {{ function sum ({arg}) : int<5> {{ chp {{ self := a }} }} }}
}}
defproc test() {{ pair p; chp {{ p.a := 3; log(p.a) }} }}
"
        )
    };
    let run = run_text(&design("int<4> v[2]"));
    assert_eq!(run.log_texts(), ["3"], "{:?}", run.error());
    for arg in ["int<4> v", "int<4> v[3]"] {
        let errors = compile_errors(&design(arg));
        assert!(
            errors.contains("argument #0 type mismatch"),
            "{arg}: {errors}"
        );
    }
}
