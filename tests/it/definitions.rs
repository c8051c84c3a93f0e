//! ACT's definition-level constructs: inheritance, overrides, forward declarations, split
//! template lists, templated channel types, `defcell`, `export`, interfaces. Each design runs,
//! and simulates its CHP as the same design written without them does.
use crate::common::run_design::{compile_errors, run_text};

fn owned(items: &[(u64, &str)]) -> Vec<(u64, String)> {
    items.iter().map(|(t, s)| (*t, s.to_string())).collect()
}

#[test]
fn a_process_inherits_ports_body_and_the_parameters_its_parent_leaves_unset() {
    let run = run_text(
        r#"
template<pint W, D>
defproc relay(chan?(int<W>) L; chan!(int<W>) R)
{
  int<W> x;
  chp { *[ L?x; log("d", D, " ", x); R!x ] }
}
defproc wide <: relay<8> () { }
defproc test()
{
  chan(int<8>) a, b;
  wide<3> w(a, b);
  chp { (;i:2: a!(i+250)), (;i:2: b?_x) }
  int<8> _x;
}
"#,
    );
    assert_eq!(run.logs(), owned(&[(20, "d3 250"), (50, "d3 251")]));
}

#[test]
fn a_child_adds_ports_and_body_after_its_parents() {
    let run = run_text(
        r#"
defproc counter(chan!(int<4>) O) { chp { (;i:3: O!i) } }
defproc show(chan?(int<4>) I) { int<4> v; chp { *[ I?v; log("saw ", v) ] } }
defproc looped <: counter (chan?(int<4>) I) { show s(I); }
defproc test() { chan(int<4>) c; looped t(c, c); }
"#,
    );
    assert_eq!(
        run.logs(),
        owned(&[(20, "saw 0"), (40, "saw 1"), (60, "saw 2")])
    );
}

#[test]
fn an_override_refines_a_port_and_a_part_without_changing_the_chp() {
    let run = run_text(
        r#"
defchan dual <: chan(int<1>) (bool t, f, a) { }
deftype rail <: int<1> (bool t, f) { }
defproc buf(chan?(int<1>) l; chan!(int<1>) r) { int<1> x; chp { *[ l?x; r!x ] } }
defproc railbuf <: buf () +{ dual l, r; rail x; } { }
defproc test()
{
  chan(int<1>) a, b;
  railbuf rb(a, b);
  int<1> y;
  chp { a!1; b?y; log("y ", y) }
}
"#,
    );
    assert_eq!(run.logs(), owned(&[(30, "y 1")]));
}

#[test]
fn a_record_is_overridden_by_a_record_refining_it_with_the_original_arguments_appended() {
    // `tagged<2>+ r` is `tagged<2,4>` (its parent's parameter `W` comes last): `r` gets the
    // field `tag` after the inherited `v`, so `int(r)` holds `v` above two more bits.
    let run = run_text(
        r#"
template<pint W> deftype word (int<W> v) { }
template<pint T> deftype tagged <: word (int<T> tag) { }
template<pint W> defproc hold() { word<W> r; chp { r.v := 3; log("r ", int(r)) } }
defproc tagging <: hold<4> () +{ tagged<2>+ r; } { }
defproc test() { hold<4> plain; tagging t; }
"#,
    );
    let mut logs = run.logs();
    logs.sort();
    assert_eq!(logs, owned(&[(10, "r 12"), (10, "r 3")]));
}

#[test]
fn an_override_reaches_declarations_inside_a_conditional_body_and_a_loop() {
    // ACT's override walks the parent's loops and selections (body.cc, updateInstType): `r`
    // (declared under a condition) and every range of `s` (declared in a loop) become
    // `tagged<2,4>`, whose `tag` field sits below the inherited `v`.
    let run = run_text(
        r#"
template<pint W> deftype word (int<W> v) { }
template<pint T> deftype tagged <: word (int<T> tag) { }
template<pint N> defproc hold() {
  [ N > 1 -> word<4> r; ]
  ( i : N : word<4> s[i..i]; )
  chp { r.v := 3; s[1].v := 1; log("r ", int(r), " s ", int(s[1])) }
}
defproc tagging <: hold<2> () +{ tagged<2>+ r; tagged<2>+ s; } { }
defproc test() { hold<2> plain; tagging t; }
"#,
    );
    let mut logs = run.logs();
    logs.sort();
    assert_eq!(logs, owned(&[(20, "r 12 s 4"), (20, "r 3 s 1")]));
}

#[test]
fn a_local_object_connected_to_a_refinement_of_its_type_takes_that_type() {
    // `r` is the body's own: connected to the port `q` (a `wide`) it becomes a `wide`, which
    // ACT allows; the port `p` cannot be made a `wide` by the body (ACT's "requires non-local
    // instance to be specialized"), whichever side of `=` it is on.
    let ok = r#"
template<pint N> deftype pair <: int<1> (bool a[N], b[N]) { }
deftype wide <: pair<3> () { }
defproc user(pair<3> p; wide q) { pair<3> r; r = q; r = p; }
defproc test() { user u; chp { log("ok") } }
"#;
    assert_eq!(run_text(ok).log_texts(), ["ok"]);
    for connection in ["p = w;", "w = p;"] {
        let errors = compile_errors(&ok.replace("r = p;", &format!("wide w; {connection}")));
        assert!(
            errors.contains("cannot connect `p` (of type `pair<3>`, not declared here)"),
            "{errors}"
        );
    }
}

#[test]
fn forward_declared_processes_are_used_before_their_definition() {
    let run = run_text(
        r#"
defproc sink(chan?(int) I);
defproc test() { chan(int) c; sink k(c); chp { c!5 } }
defproc sink(chan?(int) I) { int v; chp { I?v; log("got ", v) } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(10, "got 5")]));
}

#[test]
fn split_template_lists_take_strict_then_non_strict_arguments() {
    let run = run_text(
        r#"
template<pint A | pint B> defproc p() { chp { log(A, " ", B) } }
template< | pbool F> defproc q() { chp { log(F) } }
defproc test() { p<1, 2> x; q<true> y; }
"#,
    );
    let mut logs = run.logs();
    logs.sort();
    assert_eq!(logs, owned(&[(0, "1"), (0, "1 2")]));
}

#[test]
fn templated_channel_types_stand_for_their_base_with_the_arguments_in_place() {
    let run = run_text(
        r#"
template<pint W> defchan bus <: chan(int<W>) (bool d[W]; bool a) { }
template<pint N = 2> deftype onehot <: enum<N> (bool d[N]) { }
defproc test()
{
  bus<4> c;
  onehot<5> e;
  int<4> v;
  chp { (c!17, c?v); e := 4; log(v, " ", e) }
}
"#,
    );
    assert_eq!(run.logs(), owned(&[(20, "1 4")]));
}

#[test]
fn defcell_export_and_interfaces_are_definitions_like_the_others() {
    let run = run_text(
        r#"
interface pipe(chan?(int) in; chan!(int) out);
export defcell inc(chan?(int) a; chan!(int) y) :> pipe { in -> a, out -> y }
{
  int v;
  chp { *[ a?v; y!(v+1) ] }
}
export template<pint N> defproc test()
{
  chan(int) a, b;
  inc i(a, b);
  int r;
  chp { a!N; b?r; log(r) }
}
test<41> t;
"#,
    );
    assert_eq!(run.logs(), owned(&[(30, "42")]));
}

#[test]
fn a_child_process_of_a_strict_parent_cannot_have_non_strict_parameters() {
    let errors = compile_errors(
        "template<pint A> defproc p() { }\n\
         template< | pint B> defproc q <: p<1> () { }\n",
    );
    assert!(errors.contains("strict"), "{errors}");
}

#[test]
fn a_record_inherits_its_parents_fields_and_may_refine_their_types() {
    let run = run_text(
        r#"
deftype nibble <: int<4> (bool b[4]) { }
template<pint W> deftype base (int<W> x) { }
deftype more <: base<4> (bool flag) +{ nibble x; } { }
defproc test()
{
  more m;
  chp { m.x := 9; m.flag+; log(m.x, " ", m.flag) }
}
"#,
    );
    assert_eq!(run.logs(), owned(&[(20, "9 1")]));
}

#[test]
fn parameters_an_instance_leaves_unset_are_fine_until_used() {
    let run = run_text(
        r#"
template<pint N, M> defproc p() { chp { log(N) } }
defproc test() { p<7> x; }
"#,
    );
    assert_eq!(run.logs(), owned(&[(0, "7")]));
}

#[test]
fn types_may_be_declared_before_they_are_defined() {
    let run = run_text(
        r#"
defchan bus <: chan(int<8>) (bool d[8]);
defchan bus <: chan(int<8>) (bool d[8]);
defenum colour : int { RED, GREEN };
defproc test() { bus b; int<8> v; colour c; chp { (b!3, b?v); c := colour.GREEN; log(v, c) } }
defchan bus <: chan(int<8>) (bool d[8]) { methods { send_probe = d[0]; } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(20, "31")]));
}

#[test]
fn a_records_methods_may_take_the_record_itself() {
    let run = run_text(
        r#"
deftype pt (int<4> x, y)
{
  methods {
    function sum () : int<5> { chp { self := x + y } }
    function dot (pt o) : int<9> { chp { self := x * o.x + y * o.y } }
  }
}
defproc test() { pt a, b; chp { a.x := 1; a.y := 2; b.x := 3; b.y := 4; log(a.dot(b), " ", b.sum()) } }
"#,
    );
    assert_eq!(run.log_texts(), ["11 7"]);
}

#[test]
fn a_macro_of_a_process_runs_in_the_caller_on_the_instances_ports() {
    let run = run_text(
        r#"
interface cell (chan?(int) in; chan!(int) out)
{
  methods { macro put (int v); }
}
defproc doubler (chan?(int) a; chan!(int) b) :> cell { in -> a, out -> b }
{
  int x;
  chp { *[ a?x; b!(x * 2) ] }
  methods {
    macro put (int v) { a!v }
    macro get (int v) chp-txt { recv(b, v) }
  }
}
template<ptype(cell) p> defproc wrap () { p c; chp { c.put(5) } }
defproc test()
{
  doubler d;
  int r;
  chp { d.put(4); d.get(r); log(r) }
}
"#,
    );
    assert_eq!(run.log_texts(), ["8"]);
    let errors = compile_errors(
        "defproc s (chan?(int) a) { methods { macro put (int v) { a!v } } }\n\
         defproc test() { s k; chp { k.take(3) } }\n",
    );
    assert!(errors.contains("has no macro `take`"), "{errors}");
}

#[test]
fn a_process_has_the_macros_of_its_parent_it_does_not_define_again() {
    let run = run_text(
        r#"
defproc base (chan?(int) a)
{
  methods {
    macro put (int v) { a!v }
    macro twice (int v) { a!v; a!v }
  }
}
defproc child <: base ()
{
  int x;
  chp { *[ a?x; log("got ", x) ] }
  methods { macro twice (int v) { a!(v * 2) } }
}
defproc test() { child c; chp { c.put(3); c.twice(4) } }
"#,
    );
    assert_eq!(run.log_texts(), ["got 3", "got 8"], "{:?}", run.error());
}

#[test]
fn a_process_macro_sends_on_the_processs_inputs_and_receives_on_its_outputs_only() {
    // ACT expands it where the instance is used, on the other end of the process's ports.
    for (body, problem) in [
        ("b!v", "send operation on an input channel: `b`"),
        ("a?v", "receive operation on an output channel: `a`"),
    ] {
        let errors = compile_errors(&format!(
            "defproc s (chan?(int) a; chan!(int) b) {{ int x; chp {{ *[ a?x; b!x ] }} methods {{ macro m (int v) {{ {body} }} }} }}\n\
             defproc test() {{ s k; int w; chp {{ k.m(w) }} }}\n"
        ));
        assert!(errors.contains(problem), "{problem}: {errors}");
    }
}

#[test]
fn a_method_function_may_return_a_record_that_is_used_as_one() {
    let run = run_text(
        r#"
deftype pair (int<8> a, b)
{
  methods {
    function swapped () : pair { chp { self.a := b; self.b := a } }
    function total () : int<8> { chp { self := a + b } }
  }
}
defproc test()
{
  pair p;
  int<8> t;
  chp { p.a := 1; p.b := 5; p := p.swapped(); t := p.swapped().total(); log(p.a, " ", t) }
}
"#,
    );
    assert_eq!(run.log_texts(), ["5 6"]);
}

/// Variant bodies: an instance whose parent type matches a variant's takes that body instead
/// of the default (the first match; `base<2>` with no more arguments matches every `M`).
#[test]
fn a_variant_body_replaces_the_default_for_its_parent_type() {
    let design = r#"
template<pint N | pint M>
defproc base(chan!(int) R) { }
defproc impl <: base<2> () { chp { R!0 } }
| base<2,5> => { chp { R!5 } }
| base<2,7> => { int t; chp { t := 7; R!t } }
defproc sink(chan?(int) L) { int x; chp { L?x; log("got ", x) } }
defproc test() { chan(int) a, b, c; impl<5> p(a); impl<7> q(b); impl<1> r(c); sink s1(a), s2(b), s3(c); }
"#;
    let mut got = run_text(design).log_texts();
    got.sort();
    assert_eq!(got, ["got 0", "got 5", "got 7"]);
    let catch_all = design.replace(
        "| base<2,7>",
        "| base<2> => { chp { R!100+M } }\n| base<2,7>",
    );
    let mut got = run_text(&catch_all).log_texts();
    got.sort();
    // The first variant that matches wins: `base<2,7>` comes after the catch-all.
    assert_eq!(got, ["got 101", "got 107", "got 5"]);
}

#[test]
fn an_override_of_a_sparse_array_gives_each_of_its_ranges_the_new_type() {
    let run = run_text(
        r#"
template<pint N | pint M>
defproc quiet() { }
defproc hello() { chp { log("hi") } }
defproc loud <: quiet<2> () { hello h; }
defproc base() { quiet<2,1> q[2]; quiet<2,3> q[2..3]; }
defproc test <: base () +{ loud q; } { }
"#,
    );
    assert_eq!(run.log_texts(), ["hi", "hi", "hi", "hi"]);
}

/// A type family whose child inherits its parent's template parameters (`<: base ()`), and a
/// process whose parent sets the width of the ports and parts it overrides.
const INHERITED_WIDTHS: &str = r#"
template<pint N> deftype base <: int<N> (bool d[N]) { }
deftype child <: base () { }
template<pint N> defchan rails <: chan(int<N>) (bool d[N], a) { }
defchan wires <: rails () { }
template<pint W> defproc hold(chan?(int<W>) L) { int<W> x; chp { L?x; log("x ", x) } }
defproc held <: hold<3> () +{ wires<3> L; child<3> x; } { }
defproc test() { chan(int<3>) c; held h(c); chp { c!5 } }
"#;

#[test]
fn an_override_is_compared_with_the_original_type_as_the_parent_s_arguments_make_it() {
    // `x` of `hold<3>` is an `int<3>`, which `child<3>` refines through `base<3>`.
    assert_eq!(run_text(INHERITED_WIDTHS).logs(), owned(&[(10, "x 5")]));
    // A port's override is compared again where the process is expanded, its arguments in
    // place (ACT's override assertion): `wires<4>` is not a `chan(int<3>)`.
    let design = INHERITED_WIDTHS.replace("wires<3> L", "wires<4> L");
    let errors = compile_errors(&design);
    assert!(
        errors.contains("illegal override of `L` in `held<>`")
            && errors.contains("`wires<4>` does not refine `chan(int<3>)`"),
        "{errors}"
    );
    // So is a part's (a body variable's), where its declaration is expanded (ACT's body.cc
    // puts the same assertion after the overridden declaration): `child<4>` is no `int<3>`.
    let design = INHERITED_WIDTHS.replace("child<3> x", "child<4> x");
    let errors = compile_errors(&design);
    assert!(
        errors.contains("illegal override of `x` in `held<>`")
            && errors.contains("`child<4>` does not refine `int<3>`"),
        "{errors}"
    );
}

#[test]
fn a_body_variable_override_is_checked_in_each_expansion_of_its_process() {
    // `child` refines `int<4>`: `keep<4>` is fine, `keep<3>` is refused.
    let design = |n: u32| {
        format!(
            r#"
template<pint N> deftype base <: int<N> (bool d[N]) {{ }}
deftype child <: base<4> () {{ }}
template<pint W> defproc hold() {{ int<W> x; chp {{ x := 2; log("x ", x) }} }}
template<pint K> defproc keep <: hold<K> () +{{ child x; }} {{ }}
defproc test() {{ keep<{n}> k; }}
"#
        )
    };
    assert_eq!(run_text(&design(4)).logs(), owned(&[(10, "x 2")]));
    let errors = compile_errors(&design(3));
    assert!(
        errors.contains("illegal override of `x` in `keep<3>`")
            && errors.contains("`child` does not refine `int<3>`"),
        "{errors}"
    );
}

#[test]
fn an_override_appends_the_ports_template_arguments_to_a_templated_channel_type() {
    // `fch + x` is `fch<4>` for a port `ch<4> x`.
    let run = run_text(
        r#"
template<pint N> defchan ch <: chan(int<N>) (bool d[N]) { }
template<pint K> defchan fch <: ch<K> () { }
template<pint N> deftype word <: int<N> (bool b[N]) { }
template<pint K> deftype fword <: word<K> () { }
template<pint M> defproc buf(ch<M>? x) { word<M> v; chp { x?v; log("got ", v) } }
template<pint K> defproc fbuf <: buf<K> () +{ fch + x; fword + v; } { }
defproc test() { ch<4> c; fbuf<4> b(c); chp { c!9 } }
"#,
    );
    assert_eq!(run.logs(), owned(&[(10, "got 9")]));
}

#[test]
fn an_inherited_record_field_array_is_sized_by_the_parents_arguments() {
    // `x[N]` of `rec<N>` is `x[2]` in `r3 <: rec<2>` (and overridden there).
    let run = run_text(
        "template<pint N> deftype wide <: int<N> (bool b[N]) { }
template<pint N> deftype rec (int<N> x[N]; bool y) { }
deftype r3 <: rec<2> () +{ wide<2> x; } { }
defproc test() { r3 b; chp { b.x[1] := 3; log(b.x[1]) } }
",
    );
    assert_eq!(run.log_texts(), ["3"]);
}

#[test]
fn an_interface_defined_again_with_the_same_ports_is_the_same_with_the_methods_added() {
    // ACT keeps the first definition and adds the second's methods to it: a process exporting
    // the interface then needs `put`.
    let interfaces = "interface cell (chan?(int) in; chan!(int) out);
interface cell (chan?(int) in; chan!(int) out) { methods { macro put (int v); } }
";
    let run = run_text(&format!(
        "{interfaces}defproc p (chan?(int) a; chan!(int) b) :> cell {{ in -> a, out -> b }}
{{
  chp {{ log(\"ok\") }}
  methods {{ macro put (int v) {{ skip }} }}
}}
defproc test() {{ p k; }}
"
    ));
    assert_eq!(run.log_texts(), ["ok"]);
    let errors = compile_errors(&format!(
        "{interfaces}defproc p (chan?(int) a; chan!(int) b) :> cell {{ in -> a, out -> b }}
{{ chp {{ skip }} }}
defproc test() {{ p k; }}
"
    ));
    assert!(errors.contains("put"), "{errors}");
}

#[test]
fn a_template_parameter_named_as_one_the_parent_sets_is_a_duplicate() {
    // ACT gives the child every parameter of its parent, set by the `<:` arguments or not.
    let process = r#"
template<pint W> defproc hold() { int<W> x; }
template<pint W> defproc keep <: hold<W> () { }
defproc test() { keep<4> k; }
"#;
    let errors = compile_errors(process);
    assert!(
        errors.contains("template parameter `W` is also one of `hold`"),
        "{errors}"
    );
    let record = r#"
template<pint W> deftype word (int<W> v) { }
template<pint W> deftype wide <: word<W> () { }
defproc test() { wide<4> w; }
"#;
    let errors = compile_errors(record);
    assert!(
        errors.contains("template parameter `W` is also one of `word`"),
        "{errors}"
    );
}
