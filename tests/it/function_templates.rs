//! Templated functions as ACT's standard library writes them: a parameter array among the
//! template parameters (`template<pint W; pint N; pint taps[N]>`), a result whose record
//! type names the template parameters (`: fixpoint<A,B>`), and `assert` of an integer.
use crate::common::run_design::run_text;

#[test]
fn a_function_template_takes_a_parameter_array_named_or_written_out() {
    let run = run_text(
        "template<pint N; pint w[N]>
        function weigh(int<8> x) : int<8> {
          chp { self := 0; (;i:N: self := self + x * w[i]) }
        }
        pint W[3] = {1, 2, 3};
        defproc test() {
          int<8> y;
          chp {
            y := weigh<3, W>(2); log(\"named \", y);
            y := weigh<2, {5, 7}>(1); log(\"written \", y);
            y := weigh<1, {4}>(y); log(\"again \", y)
          }
        }",
    );
    assert_eq!(run.error(), None);
    assert_eq!(run.log_texts(), ["named 12", "written 12", "again 48"]);
}

#[test]
fn a_parameter_array_of_the_wrong_length_is_refused() {
    let errors = crate::common::run_design::compile_errors(
        "template<pint N; pint w[N]> function f(int<8> x) : int<8> { chp { self := x } }
        defproc test() { int<8> y; chp { y := f<3, {1, 2}>(1) } }",
    );
    assert!(
        errors.contains("`w` is an array of 3 parameters; got 2 values"),
        "{errors}"
    );
}

#[test]
fn a_result_record_takes_its_width_from_the_call_s_template_arguments() {
    let run = run_text(
        "namespace m {
          export template<pint W> deftype fx(int<W> x) { }
          export template<pint V> deftype sx <: fx<V> () { }
          export template<pint W> function twice(fx<W> v) : fx<W> { chp { self.x := v.x << 1 } }
          export namespace ops {
            template<pint W> function twice(sx<W> v) : sx<W> { chp { self.x := v.x * 2 } }
          }
        }
        defproc test() {
          m::fx<6> a;
          m::sx<4> s;
          chp {
            a.x := 33; a := m::twice<6>(a); log(\"fx \", a.x);
            s.x := 7; s := m::ops::twice<4>(s); log(\"sx \", s.x)
          }
        }",
    );
    assert_eq!(run.error(), None);
    // Within the record's widths: 66 mod 64, 14.
    assert_eq!(run.log_texts(), ["fx 2", "sx 14"]);
}

#[test]
fn assert_of_an_integer_fails_when_it_is_zero() {
    // ACT puts no type on assert's condition; actsim fails it when it evaluates to zero.
    let run = run_text(
        "defproc test() { int<4> x; chp { x := 3; assert(x); x := x - 3; assert(x, \"x is \", x) } }",
    );
    let error = run.error().expect("the second assertion fails");
    assert!(error.contains("assertion failed: x is 0"), "{error}");
}
