//! ACT checks every definition as it reads the file, whether or not the design instantiates
//! it: the names of CHP, connections and port lists are declared, and CHP moves bools into
//! bools and integers into integers. The errors are in `tests/bad/unexpanded_*.act`; these
//! are the forms ACT accepts that such a check could mistake for errors.
use crate::common::cli::{chpsim, stderr};

fn elaborate(text: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    std::fs::write(&path, text).unwrap();
    chpsim(&["elaborate", path.to_str().unwrap()])
}

/// A definition never instantiated, which names template parameters, file-scope parameters
/// and signals, a namespace's enumeration and types, ports of a sub-instance, record fields
/// and macros, loop indices of the body, of CHP and of expressions, and every kind of
/// expression whose type is right.
const NEVER_INSTANTIATED: &str = "pint G = 3;
bool gb;
namespace lib {
  export defenum color { red, green };
  export deftype pair (int<4> a; bool b) { methods { macro set(int<4> v) { a := v } } }
  export defproc sink(chan?(int) L) { int x; chp { *[ L?x ] } }
}
deftype twin (int<4> l; int<4> r) { }
template<pint N; pbool B> defproc never(chan?(int<8>) L; chan!(bool) R; bool g[N]) {
  int<8> x, y[N];
  lib::pair p;
  twin t;
  lib::color c;
  lib::sink s(L);
  bool done;
  pint K = N + 1;
  chan(int) M;
  s.L = M;
  (i : N : bool w[i..i]; )
  chp {
    L?x; y[0] := x{3..0}; (; i : N : y[i] := y[i] + G + K);
    [ B -> R!true [] else -> R!(x > 2) ];
    p.a := 3; p.b := ~done; t.l := p.a; p.set(2);
    c := lib::color.green;
    *[ #L -> L?x [] x = 0 -> skip ];
    done := (+ j : N : int(g[j])) > 1;
    [ done & gb -> skip [] ~done -> log(\"x=\", x) ];
    x := B ? 1 : 2;
    done := bool(x{0});
    x := int(done);
    assert(x < 10, \"too big\")
  }
}
defproc test() { bool x; chp { x+ } }
";

#[test]
fn a_definition_never_instantiated_that_acts_front_end_accepts_is_accepted() {
    let out = elaborate(NEVER_INSTANTIATED);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn an_error_in_a_definition_that_is_expanded_is_reported_once() {
    let out = elaborate("defproc test() { bool x; int y; chp { x := a; y := x } }\n");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.matches("unknown name `a`").count(), 1, "{err}");
    assert_eq!(err.matches("type mismatch").count(), 1, "{err}");
}

#[test]
fn a_process_declared_before_its_use_and_defined_later_is_found() {
    // ACT's forward declaration; a process instantiating itself is another error.
    let out = elaborate(
        "defproc cell(chan?(int) L);
namespace lib { export defproc part(); export defproc pair() { part p; } export defproc part() { } }
defproc user(chan?(int) L) { cell c(L); lib::pair p; }
defproc cell(chan?(int) L) { int x; chp { L?x } }
defproc test() { chan(int) c; user u(c); chp { c!1 } }
",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
