//! ACT's parameter types beyond `pint`/`pbool` template parameters: functions of parameters
//! (`function f (pint x) : pint`), evaluated while the design is expanded and called wherever
//! a constant may stand, and `preal` parameters with ACT's real arithmetic.
use crate::common::run_design::{compile_errors, run_text};

fn log_texts(text: &str) -> Vec<String> {
    run_text(text).log_texts()
}

const POW: &str = "function pow (pint n, m) : pint
{
  pint i;
  chp {
    i := 0;
    self := 1;
    *[ i < m -> self := self * n; i := i + 1 ]
  }
}
";

#[test]
fn a_function_of_parameters_sizes_an_array_and_sets_a_template_argument() {
    let text = format!(
        "{POW}
template<pint N> defproc show() {{ chp {{ log(\"N=\", N) }} }}
defproc test() {{
  bool b[pow(2, 3)];
  show<pow(3, 2) + 1> s;
  chp {{ log(\"bits=\", bitwidth(b[7]), \" \", pow(2, 4)) }}
}}
"
    );
    let mut logs = log_texts(&text);
    logs.sort();
    assert_eq!(logs, ["N=10", "bits=1 16"]);
}

#[test]
fn functions_of_parameters_call_each_other_and_take_pbool_and_preal() {
    let text = "function sq (pint x) : pint { chp { self := x * x } }
function floor_half (preal v) : pint
{
  pint n = 0;
  chp { *[ n + 1 <= v / 2.0 -> n := n + 1 ]; self := n }
}
function pick (pbool b; pint x) : pint
{
  chp { [ b -> self := sq(x) [] else -> self := x ] }
}
preal R = 2.5 * sq(3);
defproc test() {
  chp { log(floor_half(R), \" \", pick(true, 5), \" \", pick(false, 5)) }
}
";
    assert_eq!(log_texts(text), ["11 25 5"]);
}

#[test]
fn preal_parameters_compute_with_reals_and_convert_with_int() {
    let text = "preal half = 0.5;
pint N = 7;
preal scaled = 1.0 * N * half;
pint back = int(scaled * 4.0);
defproc test() {
  bool b[back];
  chp { log(back, \" \", bitwidth(b[0])) }
}
";
    assert_eq!(log_texts(text), ["14 1"]);
}

#[test]
fn a_conditional_expression_of_parameters_is_a_constant() {
    let text = "pint reset = 0;
pbool low = (reset = 0) ? true : false;
defproc test() { chp { [ low -> log(\"low\") [] else -> skip ] } }
";
    assert_eq!(log_texts(text), ["low"]);
}

#[test]
fn act_rejects_a_function_mixing_parameters_and_values() {
    let errs = compile_errors(
        "function f (int x) : pint { chp { self := 1 } }\ndefproc test() { chp { skip } }\n",
    );
    assert!(
        errs.contains("its result type does not match its arguments"),
        "{errs}"
    );
    let errs = compile_errors(
        "function g (pint x) : int { chp { self := x } }\ndefproc test() { chp { skip } }\n",
    );
    assert!(
        errs.contains("its result type does not match its arguments"),
        "{errs}"
    );
}

#[test]
fn calls_of_functions_of_parameters_are_checked_also_in_processes_nothing_uses() {
    let def = "function g (pint x) : pint { chp { self := x * x } }\n";
    let errs = compile_errors(&format!(
        "{def}defproc unused() {{ int x; chp {{ x := g(1, 5) }} }}\ndefproc test() {{ chp {{ skip }} }}\n"
    ));
    assert!(
        errs.contains("takes 1 argument(s), but 2 were given"),
        "{errs}"
    );
    let errs = compile_errors(&format!(
        "{def}defproc unused() {{ int x; chp {{ x := g(true) }} }}\ndefproc test() {{ chp {{ skip }} }}\n"
    ));
    assert!(errs.contains("is a pint; this is a pbool"), "{errs}");
}

#[test]
fn a_function_of_parameters_takes_constants_only() {
    let errs = compile_errors(
        "function g (pint x) : pint { chp { self := x + 1 } }
defproc test() { int y; chp { y := 1; y := g(y) } }
",
    );
    assert!(
        errs.contains("`y` is not a parameter or constant"),
        "{errs}"
    );
}

#[test]
fn an_array_argument_must_have_the_parameter_arrays_size() {
    let errs = compile_errors(
        "function sum (pint a[4]) : pint { chp { self := a[0] + a[1] + a[2] + a[3] } }
defproc test() {
  pint w[3];
  w[0] = 1; w[1] = 2; w[2] = 3;
  bool b[sum(w)];
  chp { skip }
}
",
    );
    assert!(errs.contains("an array of 3 elements, not 4"), "{errs}");
}

#[test]
fn an_array_argument_is_copied_in() {
    let text = "function sum (pint a[3]) : pint { chp { self := a[0] + a[1] + a[2] } }
defproc test() {
  pint w[3];
  w[0] = 1; w[1] = 2; w[2] = 3;
  bool b[sum(w)];
  chp { log(sum(w)) }
}
";
    assert_eq!(log_texts(text), ["6"]);
}

#[test]
fn comparing_a_pint_with_a_preal_is_an_error_outside_functions() {
    let errs = compile_errors(
        "pint a = 5;
preal b = 7.0;
defproc test() { [ a < b -> bool x; ] chp { skip } }
",
    );
    assert!(
        errs.contains("cannot compare an integer with a real"),
        "{errs}"
    );
}

#[test]
fn a_template_parameter_array_takes_a_list_or_a_parameter_array() {
    let text = "template<pint N; pint d[N]> defproc show() {
  chp { log((+ i : N : d[i]), \" \", d[N - 1]) }
}
template<pint N; pint d[N]> defproc pass() { show<N, d> s; }
defproc test() {
  show<3, {1, 2, 3}> a;
  pass<2, {10, 20}> b;
}
";
    let mut logs = log_texts(text);
    logs.sort();
    assert_eq!(logs, ["30 20", "6 3"]);
}

#[test]
fn a_preal_template_parameter_takes_a_real_or_an_integer() {
    let text = "template<preal w> defproc show() { pint n = int(w * 2.0); chp { log(n) } }
defproc test() { show<2.5> a; show<3> b; }
";
    let mut logs = log_texts(text);
    logs.sort();
    assert_eq!(logs, ["5", "6"]);
}

#[test]
fn template_arguments_of_the_wrong_shape_are_errors() {
    let arrays = "template<pint N; pint d[N]> defproc p() { chp { skip } }\n";
    let errs = compile_errors(&format!("{arrays}defproc test() {{ p<3, {{1, 2}}> x; }}\n"));
    assert!(
        errs.contains("is an array of 3 parameters; got 2 values"),
        "{errs}"
    );
    let errs = compile_errors(&format!("{arrays}defproc test() {{ p<1, 4> x; }}\n"));
    assert!(errs.contains("expected an array of parameters"), "{errs}");
    let errs = compile_errors(
        "template<pint N> defproc p() { chp { skip } }\ndefproc test() { pint r = 2; p<r * 1.5> x; }\n",
    );
    assert!(errs.contains("`N` is a pint; got 3.0"), "{errs}");
}

#[test]
fn a_preal_parameter_array_sizes_production_rules() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("amp.act");
    std::fs::write(
        &path,
        "preal PN = 2.0;
template<pint L, M> defproc amp(bool d[L+1])
{
  preal C = (1.0 * M) / 100.0;
  preal sz[L+1];
  sz[0] = 1.0;
  (;i:L:
    sz[i+1] = C * sz[i];
    prs { d[i]<sz[i]> -> d[i+1]- ~d[i]<sz[i]*PN> -> d[i+1]+ }
  )
}
amp<3, 200> a;
",
    )
    .unwrap();
    let out = crate::common::cli::chpsim(&["elaborate", path.to_str().unwrap()]);
    let err = crate::common::cli::stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
}

#[test]
fn a_ptype_parameter_declaration_names_an_interface() {
    let text = "interface linear (bool x);
ptype (linear) t, u[2];
defproc test() { ptype (linear) v; chp { log(\"ok\") } }
";
    assert_eq!(log_texts(text), ["ok"]);
}

#[test]
fn a_function_of_values_may_declare_constants() {
    let text = "function f (int<8> x) : int<8>
{
  pint K = 3;
  pint M = K * 2;
  chp { self := x + K + M }
}
defproc test() { chp { log(f(4)) } }
";
    assert_eq!(log_texts(text), ["13"]);
    let errs = compile_errors(
        "function f (int<8> x) : int<8> { pint K; chp { self := x } }\ndefproc test() { chp { log(f(4)) } }\n",
    );
    assert!(
        errs.contains("needs its value where it is declared"),
        "{errs}"
    );
}

#[test]
fn a_ptype_parameter_takes_a_process_that_exports_its_interface() {
    let text = "interface stage (chan?(int) l; chan!(int) r);
defproc inc (chan?(int) a; chan!(int) b) :> stage { l -> a, r -> b }
{
  int v;
  chp { *[ a?v; b!(v+1) ] }
}
template<pint N; ptype(stage) s>
defproc chain (chan?(int) in; chan!(int) out)
{
  s x[N];
  ptype(stage) t;
  t = s;
  t last(x[N-1].r, out);
  (i:N-1: x[i].r = x[i+1].l;)
  x[0].l = in;
}
defproc test()
{
  chan(int) a, b;
  chain<3, @inc> c(a, b);
  int r;
  chp { a!1; b?r; log(r) }
}
";
    assert_eq!(log_texts(text), ["5"]);
}

#[test]
fn a_ptype_interface_with_arguments_uses_the_parameters_before_it() {
    let text = "template<pint N> interface wide (chan?(int<N>) l);
template<pint W> defproc eat (chan?(int<W>) a) :> wide<W> { l -> a } { int<W> v; chp { a?v; log(v) } }
template<pint N; ptype(wide<N>) p> defproc use () { p e; chan(int<N>) c; e.l = c; chp { c!3 } }
defproc test() { use<4, @eat<4> > u; }
";
    assert_eq!(log_texts(text), ["3"]);
    let errs = compile_errors(
        "template<pint N> interface wide (chan?(int<N>) l);
template<pint W> defproc eat (chan?(int<W>) a) :> wide<W> { l -> a } { }
template<pint N; ptype(wide<N>) p> defproc use () { p e; }
defproc test() { use<4, @eat<5> > u; }
",
    );
    assert!(errs.contains("does not export interface `wide`"), "{errs}");
}

#[test]
fn a_ptype_parameter_rejects_a_process_without_the_interface_and_must_be_set() {
    let errs = compile_errors(
        "interface linear (bool? i; bool! o);
defproc inv (bool? a; bool! y) { }
template<ptype(linear) p> defproc m () { p x; }
defproc test() { m<@inv> q; }
",
    );
    assert!(
        errs.contains("process `inv` does not export interface `linear`"),
        "{errs}"
    );
    let errs = compile_errors(
        "interface linear (bool? i; bool! o);
template<pint N; ptype(linear) p> defproc m () { p x; }
defproc test() { m<2> q; }
",
    );
    assert!(
        errs.contains("ptype `p` used to instantiate `x` is not set"),
        "{errs}"
    );
}

#[test]
fn a_template_parameter_of_an_instance_reads_as_instance_dot_name() {
    let text = "template<pint N> defproc src (chan!(int) o[N]) { chp { (,i:N: o[i]!i) } }
defproc small <: src<3> () { }
defproc test()
{
  small s;
  chan(int) c[s.N];
  s.o = c;
  int v;
  pint M = s.N * 2;
  chp { (;i:s.N: c[i]?v; log(v + M)) }
}
";
    assert_eq!(log_texts(text), ["6", "7", "8"]);
    let errs = compile_errors(
        "template<pint N> defproc src () { }\ndefproc test() { src<2> s; bool w[s.M]; chp { skip } }\n",
    );
    assert!(errs.contains("expected a constant expression"), "{errs}");
}

#[test]
fn a_parameter_structure_is_its_fields_set_once_and_passed_whole() {
    let text = "defptype dims (pint w; pbool wide);
dims d;
d.w = 3;
d.wide = true;
dims e = dims(5, false);
template<dims s> defproc show (chan!(int<s.w>) o) { chp { o!(s.wide ? 1 : 2) } }
template<dims p> deftype pair (int<p.w> a; int<p.w> b) { }
defproc test()
{
  chan(int<3>) c;
  show<d> a(c);
  dims f;
  f = e;
  pair<dims(4, true)> r;
  pair<f> q;
  int v;
  chp { c?v; r.a := 15; q.b := 31; log(v, \" \", f.w, \" \", r.a, \" \", q.b) }
}
";
    assert_eq!(log_texts(text), ["1 5 15 31"]);
}

#[test]
fn a_parameter_structure_follows_acts_rules() {
    let errs = compile_errors("defptype t (pint a; pbool b);\nt x = t(1);\n");
    assert!(errs.contains("one value per field"), "{errs}");
    let errs = compile_errors(
        "defptype t (pint a);\ndefptype u (pint a);\nt x = t(1);\nu y;\ny = x;\ndefproc test() { chp { skip } }\n",
    );
    assert!(
        errs.contains("types `u` and `t` are not compatible"),
        "{errs}"
    );
    let errs = compile_errors(
        "defptype t (pint a, b);\nt x;\nx.a = 1;\nx.a = 2;\ndefproc test() { chp { skip } }\n",
    );
    assert!(errs.contains("`x.a` already has a value"), "{errs}");
    let errs = compile_errors(
        "defptype t (pint a, b);\ntemplate<t p> defproc q (bool i[p.b]) { }\nt x;\nx.a = 1;\nq<x> z;\n",
    );
    assert!(errs.contains("`x.b` has no value here"), "{errs}");
}

#[test]
fn multi_dimensional_parameter_arrays_are_set_indexed_sliced_and_passed() {
    let text = "pint y[2][3];
(i:2: (j:3: y[i][j] = 10 * i + j;))
pint row[3];
row = y[1];
pint u[2][2] = {{1, 2}, {3, 4}};
pint v[1..2][0..1];
(i:1..2: v[i][0..1] = u[i-1][0..1];)
template<pint m[2][3]> defproc grid() { chp { log(m[0][1], \" \", m[1][2]) } }
template<pint r[3]> defproc line() { chp { log(r[0], \" \", r[2]) } }
template<pint p[2][1]> defproc pair() { chp { log(p[0][0], \" \", p[1][0]) } }
pint one[1];
one[0] = 7;
defproc test() {
  grid<y> g;
  line<y[1]> a;
  line<row> b;
  pair<{one, u[1][1..1]}> c;
  chp { log(v[2][1], \" \", y[1][0] + u[0][1]) }
}
";
    let mut logs = log_texts(text);
    logs.sort();
    assert_eq!(logs, ["1 12", "10 12", "10 12", "4 12", "7 4"]);
}

#[test]
fn multi_dimensional_parameter_arrays_check_their_indices_and_shapes() {
    for (text, message) in [
        (
            "pint y[2][3]; y[2][0] = 1;",
            "index 2 is out of range for `y` (valid: 0..1)",
        ),
        (
            "pint y[2][3]; y[1][3] = 1;",
            "index 3 is out of range for `y` (valid: 0..2)",
        ),
        (
            "pint y[2][3]; y[0][0] = 1; pint x = y[0];",
            "this is a part of it, not one value",
        ),
        ("pint y[2][3]; y[0][0][0] = 1;", "too many indices"),
        (
            "pint y[2][3]; y[0] = {1, 2};",
            "`y[0]` has 3 elements, but 2 values are given",
        ),
        (
            "pint u[2][2] = {{1, 2}, {3}};",
            "the rows of this array differ in length",
        ),
        (
            "template<pint m[2][3]> defproc p() {} pint z[3] = {1, 2, 3}; p<z> a;",
            "`m` is an array [2][3]; got an array [3]",
        ),
    ] {
        let errors = compile_errors(text);
        assert!(errors.contains(message), "{text}: {errors}");
    }
}

#[test]
fn a_function_of_parameters_chooses_among_replicated_guards() {
    // `([] i : N : g -> S)` is one arm per `i`; the arm chosen runs with its own `i`, and a
    // loop of replicated guards runs until none holds.
    let text = "function first_set (pint mask) : pint
{
  chp {
    [ ([] i : 8 : (mask >> i) % 2 = 1 -> self := i) [] mask = 0 -> self := 8 ]
  }
}
function bits (pint mask) : pint
{
  pint m;
  chp {
    m := mask; self := 0;
    *[ ([] i : 1..7 : i > 100 -> skip) [] m > 0 -> self := self + m % 2; m := m / 2 ]
  }
}
defproc test() { chp { log(first_set(12), \" \", first_set(0), \" \", bits(13)) } }
";
    assert_eq!(log_texts(text), ["2 8 3"]);
}
