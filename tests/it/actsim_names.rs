//! What actsim's commands say of a name that is no circuit object: a parameter (a template
//! parameter, one a body or the file declares), as actsim's lookup finds it in the scope of
//! the instance the name leads to; a `bool` that nothing uses, which actsim gives no state;
//! a variable only a `log` or `assert` reads, for which actsim stops as it builds the process.
use std::process::Output;

use crate::common::cli::{actsim_script, stderr, stderr_lines_without_substitutions, stdout};

fn run(design: &str, script: &str) -> Output {
    actsim_script(design, &["d.act", "test"], script)
}

const PARAMETERS: &str = "
pint G = 3;
template<pint N> defproc sink(chan?(int<8>) I) {
  pint M = N + 1;
  int<8> v, mem[N];
  [ N > 1 -> pbool deep = true; ]
  chp { *[ I?v; mem[v % N] := v ] }
}
defproc src(chan!(int<8>) O) { chp { O!1 } }
defproc test() {
  pint K = 2;
  pint P[2];
  P[0] = 1; P[1] = 2;
  chan(int<8>) C;
  src s(C);
  sink<2> k(C);
}
";

#[test]
fn a_parameter_is_no_circuit_object_for_get_set_watch_and_the_others() {
    let o = run(
        PARAMETERS,
        "get K\nset K 1\nwatch K\nunwatch K\nbreak K\nchcount K\nassert K 2\nmget K\n\
         skip-comm K\nget k.N\nget k.M\nget k.deep\nget G\nget k.G\nget P[1]\nget P\nget K[0]\n\
         get k.mem\nget k.zz\n",
    );
    let not_parameter =
        |n: &str| format!("Operation only works for a circuit object, not parameter `{n}'");
    let mut expected: Vec<String> = std::iter::repeat_n(not_parameter("K"), 9).collect();
    expected.extend(["N", "M", "deep", "G", "G", "P[1]"].map(not_parameter));
    expected.extend([
        "Array index is missing/out of bounds in `P'!".to_string(),
        "Array index is missing/out of bounds in `K[0]'!".to_string(),
        "Array index is missing/out of bounds in `mem'!".to_string(),
        "Could not find identifier `zz' within process `sink<2>'".to_string(),
    ]);
    assert_eq!(stderr_lines_without_substitutions(&o), expected);
}

#[test]
fn an_array_of_instances_needs_an_index_within_it() {
    // actsim finds the array's name in the process and refuses the missing or outside index.
    let design = "
defproc inv(bool? a; bool! y) { prs { a => y- } }
defproc test() { bool x[2], z[2]; inv i[2]; (k : 2 : i[k](x[k], z[k]); ) }
";
    let o = run(
        design,
        "get i\nget i[2].y\nget i.y\nget i[1]\nget i[1].zz\n",
    );
    assert_eq!(
        stderr_lines_without_substitutions(&o),
        [
            "Array index is missing/out of bounds in `i'!",
            "Array index is missing/out of bounds in `i[2].y'!",
            "Array index is missing/out of bounds in `i.y'!",
            "Could not find identifier `zz' within process `inv<>'",
        ]
    );
}

/// `half`'s rules name `a` and `y` only: its `spare` and its port `u` are used by nothing,
/// and so are the top's `idle` and `w` (joined to `u` alone); `g`'s ports are joined to
/// nothing, and those its rules use are nodes all the same. actsim's state holds only the
/// bools a rule, HSE, CHP or dataflow names, or a used port of an instance joins (its
/// booleanize pass): the others are not found, by `get`, `set`, `watch` (which stops at the
/// first), `mget` (after the names before), `breakpt` and `status` (which does not list them).
const UNUSED_WIRES: &str = "
defproc half(bool? a, u; bool! y) { bool spare; prs { a => y- } }
defproc test() { bool x, z, idle, w; half h(x, w, z); half g; }
";

#[test]
fn a_bool_nothing_uses_is_no_node_of_the_simulation() {
    let o = run(
        UNUSED_WIRES,
        "get h.spare\nget h.u\nget w\nset idle 0\nwatch idle h.spare\nmget x idle\nbreakpt h.spare\nstatus X\nset g.a 0\ncycle\nget g.y\nget g.u\n",
    );
    assert_eq!(
        stderr_lines_without_substitutions(&o),
        [
            "Could not find identifier `spare' within process `half<>'",
            "Could not find identifier `u' within process `half<>'",
            "Could not find identifier `w' within process `test<>'",
            "Could not find identifier `idle' within process `test<>'",
            "Could not find identifier `idle' within process `test<>'",
            "Could not find identifier `idle' within process `test<>'",
            "Could not find identifier `spare' within process `half<>'",
            "Could not find identifier `u' within process `half<>'",
        ]
    );
    assert_eq!(stdout(&o), "x: X\nh { y }\ng { y }\ng.y: 1\n");
}

#[test]
fn a_variable_no_statement_names_is_not_found_as_in_actsim() {
    // actsim gives state only to the variables ACT's booleanize pass finds named by an
    // assignment, a communication or a guard: `n`, declared and never named, is not found;
    // `x`, `g` (a guard) and `m[1]` (an element written at a run-time index: the whole
    // array) are. (A variable only a `log` names stops actsim as it builds the process: see below.)
    let design = "
defproc worker() {
  int<8> x, n, i; bool g; int<4> m[2];
  chp { x := 3; i := 1; m[i] := 2; [g -> skip [] else -> skip]; log(\"x=\", x) }
}
defproc test() { worker w; }
";
    let o = run(
        design,
        "get w.n\nset w.n 1\nwatch w.n\nget w.x\nget w.g\nget w.m[0]\n",
    );
    assert_eq!(
        stderr_lines_without_substitutions(&o),
        [
            "Could not find identifier `n' within process `worker<>'",
            "Could not find identifier `n' within process `worker<>'",
            "Could not find identifier `n' within process `worker<>'",
        ]
    );
    assert_eq!(stdout(&o), "w.x: 0  (0x0)\nw.g: X\nw.m[0]: 0  (0x0)\n");
}

/// `early` runs first and is fine; `late` logs `k`, which nothing else names.
const LOG_ONLY: &str = "
defproc early() { int<8> a; chp { a := 1; log(\"a=\", a) } }
defproc late() { int<8> x, k; chp { x := 2; log(\"x=\", x, \" k=\", k) } }
defproc test() { early e; late l; }
";

#[test]
fn a_variable_only_a_log_reads_stops_actsim_as_it_makes_the_instance() {
    // actsim prints the substitution warning of each instance it makes, up to the failing
    // one, then ACT's fatal error, and exits 1 before it reads a command.
    let o = run(LOG_ONLY, "echo never\ncycle\n");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        stderr(&o),
        "WARNING: early<>: substituting chp model (requested prs, not found)
WARNING: late<>: substituting chp model (requested prs, not found)
Identifier `k' used, but not used in the design hierarchy selected.
FATAL: Error in initializer block?
"
    );
    let quiet = actsim_script(LOG_ONLY, &["-Wlang_subst:off", "d.act", "test"], "");
    assert_eq!(quiet.status.code(), Some(1));
    assert_eq!(
        stderr(&quiet),
        "Identifier `k' used, but not used in the design hierarchy selected.\n\
         FATAL: Error in initializer block?\n"
    );
}

#[test]
fn an_assert_or_an_array_read_at_a_run_time_index_fails_alike_and_a_named_variable_does_not() {
    let fails = |body: &str| {
        let design =
            format!("defproc test() {{ int<8> x, k; bool b[3]; int<2> i; chp {{ {body} }} }}");
        let o = run(&design, "cycle\n");
        assert_eq!(o.status.code(), Some(1), "{body}");
        stderr_lines_without_substitutions(&o)[0].clone()
    };
    let identifier = |name: &str| {
        format!("Identifier `{name}' used, but not used in the design hierarchy selected.")
    };
    assert_eq!(fails("x := 1; assert(k = 0, \"k\")"), identifier("k"));
    assert_eq!(fails("i := 1; log(b[i])"), identifier("b[0]"));
    // The first in the order of the statements.
    assert_eq!(fails("log(b[i]); log(k); i := 0"), identifier("b[0]"));
    // Named by a statement (even one after the log), it has state and the run goes on.
    let design = "defproc test() { int<8> k; chp { log(\"k=\", k); k := 1 } }";
    let o = run(design, "cycle\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "[                   0] <>  k=0\n");
    // A bit-slice names the whole variable, as in ACT: other bits of it are named too.
    let design = "defproc test() { int<8> x; chp { x{7..4} := 1; log(x{3..0}) } }";
    let o = run(design, "cycle\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "[                  10] <>  0\n");
}

#[test]
fn the_duplicate_node_warnings_of_the_instances_made_before_the_failing_one_come_first() {
    // actsim makes each instance (its substitution warning, its object, then its `spec`
    // lists) in turn: `d`'s list naming `x` twice is read before `l` fails; `l`'s own list
    // and `e`'s, made after, never are.
    let design = "
defproc dup() { bool x, y; prs { x => y- } spec { mk_exclhi(x, x) } }
defproc fine() { int<8> z; chp { z := 1; log(z) } }
defproc late() { int<8> x, k; bool q; chp { x := 2; log(k) } spec { mk_excllo(q, q) } }
defproc test() { dup d; fine f; late l; dup e; }
";
    let o = run(design, "cycle\n");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "WARNING: Exclusive list has duplicate node; skipped
WARNING: fine<>: substituting chp model (requested prs, not found)
WARNING: late<>: substituting chp model (requested prs, not found)
Identifier `k' used, but not used in the design hierarchy selected.
FATAL: Error in initializer block?
"
    );
}

#[test]
fn a_record_field_only_a_log_reads_is_named_by_its_path() {
    let fails = |body: &str| {
        let design = format!(
            "deftype rec (int<4> a; bool b; int<2> v[2]) {{ }}
defproc test() {{ rec r; int<8> x; int<1> i; chp {{ {body} }} }}"
        );
        let o = run(&design, "cycle\n");
        assert_eq!(o.status.code(), Some(1), "{body}");
        stderr_lines_without_substitutions(&o)[0].clone()
    };
    let identifier = |name: &str| {
        format!("Identifier `{name}' used, but not used in the design hierarchy selected.")
    };
    assert_eq!(fails("x := 1; log(r.a)"), identifier("r.a"));
    // ACT keeps a record's state field by field: another field named does not do.
    assert_eq!(fails("r.b+; log(r.a)"), identifier("r.a"));
    // A record read whole: its first field that nothing names.
    assert_eq!(fails("r.a := 1; log(r = r)"), identifier("r.b"));
    assert_eq!(fails("r.b+; r.a := 0; log(r.v[1])"), identifier("r.v[1]"));
    // An element of an array field at a run-time index names the whole field.
    assert_eq!(fails("r.v[i] := 1; log(r.b)"), identifier("r.b"));
    let design = "deftype rec (int<4> a; bool b; int<2> v[2]) { }
defproc test() { rec r; int<1> i; chp { r.a := 3; r.b+; i := 1; r.v[i] := 2; log(r.a, r.v[1]) } }";
    let o = run(design, "cycle\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "[                  40] <>  32\n");
}

#[test]
fn initialize_stops_as_the_start_does_when_actsim_cannot_build_the_new_top() {
    use chpsim::driver::actsim::Session;
    use chpsim::driver::outputs::MemoryOutput;
    use chpsim::driver::{compile, ElabOptions, Outputs, RunSettings, SourceFile};
    let top = |name: &str| ElabOptions {
        top: Some(name.to_string()),
        ..ElabOptions::default()
    };
    let settings = |name: &str| RunSettings {
        seed: 0,
        random_choice: false,
        delay: 10,
        random_delay: None,
        limits: Default::default(),
        top_name: name.to_string(),
        excl_monitors: false,
    };
    // The session starts with a design that builds; `initialize` makes one that does not
    // (only the same file's other processes can be a new top in actsim, and each of them
    // builds: the new design stands for a top that actsim cannot build).
    let first = SourceFile::new(
        "first.act",
        "defproc test() { int<8> a; chp { a := 1; log(\"a=\", a) } }",
    );
    let design = compile(&first, &top("test")).unwrap();
    let source = SourceFile::new("d.act", LOG_ONLY);
    let (out, errors) = (MemoryOutput::default(), MemoryOutput::default());
    let restart = Box::new(|name: &str| {
        let name = name.trim_end_matches("<>");
        Ok((
            compile(&source, &top(name))?,
            settings(name),
            Outputs::default(),
        ))
    });
    let mut session = Session::new(
        design,
        &first,
        settings("test"),
        Outputs::default(),
        Box::new(out.clone()),
        Box::new(errors.clone()),
        Default::default(),
    )
    .with_restart(restart);
    let script = "cycle\ninitialize test<>\necho not reached\n";
    chpsim::driver::actsim::run_script(&mut session, &mut script.as_bytes()).unwrap();
    let (_, exit_code) = session.finish().unwrap();
    assert_eq!(exit_code, Some(1));
    assert_eq!(out.text(), "[                  10] <>  a=1\n");
    assert_eq!(
        errors.text(),
        "WARNING: early<>: substituting chp model (requested prs, not found)
WARNING: late<>: substituting chp model (requested prs, not found)
Identifier `k' used, but not used in the design hierarchy selected.
FATAL: Error in initializer block?
"
    );
}
