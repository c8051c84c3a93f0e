//! File-scope (global namespace) body items, as ACT allows them: variables and channels,
//! several instances in one declaration, connections, loops and parameters set there; and
//! process bodies connecting to the file's signals by name.
use crate::common::cli::{actsim_script, chpsim, stderr, stdout};
use crate::common::run_design::{compile_errors, run_text};

const SOURCE_SINK: &str = "defproc src(chan!(int) R) { chp { R!1; R!2 } }
defproc snk(chan?(int) L) { int x; chp { L?x; log(\"got \", x); L?x; log(\"got \", x) } }
";

#[test]
fn a_file_scope_channel_connects_two_top_level_instances() {
    let run = run_text(&format!(
        "{SOURCE_SINK}chan(int) c;\nsrc s(c);\nsnk k(c);\n"
    ));
    assert_eq!(run.logs(), [(10, "got 1".into()), (20, "got 2".into())]);
}

#[test]
fn several_instances_per_declaration_with_loops_and_parameters_at_file_scope() {
    let run = run_text(&format!(
        "{SOURCE_SINK}pint N;\nN = 2;\nsrc s[N], t;\nsnk k[N], u;\n(i : N : s[i].R = k[i].L;)\nt.R = u.L;\n"
    ));
    assert_eq!(run.log_texts().len(), 6, "{}", run.transcript);
    assert!(run.transcript.contains("k[1]"), "{}", run.transcript);
    assert!(run.transcript.contains(" u "), "{}", run.transcript);
}

#[test]
fn a_file_scope_bool_is_shared_by_the_processes_connected_to_it() {
    // `go` is a global signal: `w` reaches it through its port list, `v` by name in its body.
    let run = run_text(
        "bool go;
defproc setter(bool b) { chp { b+ } }
defproc waiter(bool b) { chp { [b]; log(\"go\") } }
defproc watcher(bool b) { b = go; chp { [b]; log(\"seen\") } }
setter s(go);
waiter w(go);
watcher v;
",
    );
    assert_eq!(run.log_texts(), ["go", "seen"]);
}

#[test]
fn a_declaration_with_a_connection_joins_the_two() {
    let run = run_text(
        "bool a;
bool b = a, c = a;
defproc setter(bool x) { chp { x+ } }
defproc waiter(bool y) { chp { [y]; log(\"up\") } }
setter s(b);
waiter w(c);
",
    );
    assert_eq!(run.log_texts(), ["up"]);
}

#[test]
fn an_array_declared_with_a_connection_is_an_error() {
    let text = compile_errors("bool a;\nbool b[2] = a;\ndefproc test() { chp { skip } }\n");
    assert!(text.contains("`b` is an array"), "{text}");
}

#[test]
fn a_file_scope_name_that_a_body_declares_again_is_its_own() {
    // The body's `go` hides the file's: connecting `b` to it leaves the file's `go` alone.
    let run = run_text(
        "bool go;
defproc setter(bool b) { chp { b+ } }
defproc inner(bool b) { bool go; b = go; chp { [b]; log(\"inner\") } }
defproc watcher(bool b) { b = go; chp { [b]; log(\"outer\") } }
setter s(go);
watcher v;
inner i;
",
    );
    let logs = run.log_texts();
    assert!(logs.contains(&"outer".to_string()), "{logs:?}");
    assert!(!logs.contains(&"inner".to_string()), "{logs:?}");
}

#[test]
fn elaborate_checks_a_file_of_file_scope_declarations_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    std::fs::write(
        &path,
        "int a, b;\nbool p, q;\na = b;\np = q;\nchan(int) c[4];\n",
    )
    .unwrap();
    let out = chpsim(&["elaborate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_process_cannot_set_a_file_scope_parameter_again_but_may_hide_it() {
    let text = compile_errors("pint N = 4;\ndefproc test() { N = 1; chp { skip } }\n");
    assert!(
        text.contains("a parameter of the file scope is set once"),
        "{text}"
    );
    let run = run_text("pint N = 4;\ndefproc test() { pint N = 2; N = N + 1; chp { log(N) } }\n");
    assert_eq!(run.log_texts(), ["3"]);
}

#[test]
fn a_name_declared_twice_is_an_error_also_without_chp() {
    for text in [
        "bool x;\nint y;\nbool x;\n",
        "(i : 3 : bool x;)\n",
        "template<pint N> defproc p() { [ N > 0 -> bool w; ] [ N > 1 -> bool w; ] }\np<4> a;\n",
    ] {
        let errors = compile_errors(text);
        assert!(errors.contains("is declared twice"), "{text}: {errors}");
    }
    // One of two alternatives declares it: once.
    let ok = "template<pint N> defproc p() { [ N > 0 -> bool w; [] else -> bool w; ] }\np<4> a;\n";
    assert!(chpsim::driver::compile(
        &chpsim::driver::SourceFile::new("t.act", ok),
        &chpsim::driver::ElabOptions::default()
    )
    .is_ok());
}

#[test]
fn a_port_list_on_an_array_of_instances_is_an_error() {
    let text = compile_errors("defproc foo(bool a, b) { }\nbool p, s;\nfoo f[3](p, s);\n");
    assert!(
        text.contains("`f` is an array: a port list connects a single instance"),
        "{text}"
    );
}

#[test]
fn channels_connect_only_to_channels_of_the_same_types_both_ways() {
    let text = compile_errors("chan(bool, bool) x;\nchan(bool) y;\nx = y;\n");
    assert!(
        text.contains("`x` carries bool and bool back but `y` carries bool"),
        "{text}"
    );
}

#[test]
fn a_chp_block_at_file_scope_runs_on_the_files_variables_and_channels() {
    let run = run_text(
        "defproc src(chan!(int) R) { chp { R!1; R!2 } }
chan(int) c;
int x, s;
src s0(c);
chp { s := 0; c?x; s := s + x; c?x; s := s + x; log(\"sum \", s) }
",
    );
    assert_eq!(run.logs(), [(50, "sum 3".into())]);
    // Alone, it is the top.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    std::fs::write(&path, "int a, b;\nchp { a := 1; b := a + 1 }\n").unwrap();
    let out = chpsim(&["elaborate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("top `<file scope>`: 1 process"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_array_declared_again_with_the_same_type_is_no_duplicate() {
    // ACT's sparse arrays: the second range extends the first (chpsim keeps the first's).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    std::fs::write(&path, "bool x[0..7];\nbool x[10..11];\n").unwrap();
    let out = chpsim(&["elaborate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = compile_errors("int<22> x[10];\nint x[10];\n");
    assert!(text.contains("`x` is declared twice"), "{text}");
}

#[test]
fn a_constant_assigned_to_an_enumeration_must_be_a_member() {
    let text = compile_errors("defenum foo { A, B, C };\nfoo x;\nchp { x := 4 }\n");
    assert!(
        text.contains("4 is not a member of this enumeration (of 3)"),
        "{text}"
    );
}

#[test]
fn an_array_of_instances_declared_again_of_the_same_process_is_no_duplicate() {
    let run = run_text(
        "defproc p(chan!(int) R) { chp { skip } }
defproc test() { p a[2]; p a[4..5]; chp { skip } }
",
    );
    assert!(run.error().is_none());
    let text = compile_errors(
        "defproc p() { chp { skip } }\ndefproc q() { chp { skip } }\ndefproc test() { p a[2]; q a[4..5]; }\n",
    );
    assert!(
        text.contains("the elements of array `a` have one type"),
        "{text}"
    );
    // Of another type (other template arguments): an error too (ACT's sparse array type error).
    let text = compile_errors(
        "template<pint N> defproc p() { chp { skip } }\ndefproc test() { p<1> a[2]; p<2> a[4..5]; }\n",
    );
    assert!(text.contains("`p<2>` here, `p<1>` before"), "{text}");
}

#[test]
fn a_process_body_names_a_file_scope_instance_and_its_ports() {
    // `p` is the file's: `feed` makes its own `q` the same instance (`p`'s type refining
    // `q`'s), `tap` reaches `p`'s other port by name.
    let run = run_text(&format!(
        "{SOURCE_SINK}defproc pass(chan?(int) L; chan!(int) R) {{ L = R; }}
defproc fastpass <: pass () {{ }}
fastpass p;
defproc feed() {{ pass q; q = p; src s(q.L); }}
defproc tap() {{ snk k; k.L = p.R; }}
feed f;
tap t;
"
    ));
    assert_eq!(run.log_texts(), ["got 1", "got 2"], "{}", run.transcript);
}

#[test]
fn a_body_instance_hides_a_file_scope_instance_of_its_name() {
    // The body's `s` is its own: the file's `s` sends to nobody, its own `s[1]` to `k`.
    let run = run_text(&format!(
        "{SOURCE_SINK}src s[2];
defproc own() {{ src s[2]; snk k; k.L = s[1].R; }}
own o;
"
    ));
    assert_eq!(run.log_texts(), ["got 1", "got 2"], "{}", run.transcript);
    assert!(run.transcript.contains("o.s[1]"), "{}", run.transcript);
}

#[test]
fn records_related_by_refinement_connect_and_share_their_value() {
    // `t` refines `p`'s record: connected, they are one variable of the more specific type.
    let run = run_text(
        "deftype pair (int<4> a; int<4> b) { }
deftype tagged <: pair () { }
defproc writer(tagged v) { chp { v.a := 3; v.b := 5 } }
defproc reader(pair v) { chp { [v.a = 3 & v.b = 5]; log(\"b \", v.b) } }
pair p;
tagged t;
p = t;
writer w(t);
reader r(p);
",
    );
    assert_eq!(run.log_texts(), ["b 5"]);
}

#[test]
fn a_body_sees_only_the_file_scope_objects_declared_before_its_definition() {
    // ACT reads a file once: `late` and `q` come after `user`, whose body cannot name them,
    // though the instance `u` comes after both.
    let text = compile_errors("defproc user() { bool y; y = late; }\nbool late;\nuser u;\n");
    assert!(text.contains("unknown channel or port `late`"), "{text}");
    assert!(
        text.contains("declares `late` after this definition"),
        "{text}"
    );
    let text = compile_errors(&format!(
        "{SOURCE_SINK}defproc tap() {{ snk k; k.L = q.R; }}\nsrc q;\ntap t;\n"
    ));
    assert!(text.contains("q.R"), "{text}");
    // Declared before the definition (or in a file imported before it), it is seen.
    let run = run_text(&format!(
        "{SOURCE_SINK}chan(int) c;\ndefproc feed() {{ src s(c); }}\nfeed f;\nsnk k(c);\n"
    ));
    assert_eq!(run.log_texts(), ["got 1", "got 2"], "{}", run.transcript);
}

#[test]
fn actsim_commands_read_a_field_of_a_file_scope_record_connected_as_a_net() {
    // `r.x` is held by `c` (its port `n`, also the file's `f`), `r.y` by `g`; no process holds
    // `r` whole. `get`, `watch` and `set` of `r.x` are the field's bits, not the record's.
    let design = "deftype rec (int<4> x; bool y) { }
rec r;
int<4> f;
f = r.x;
defproc counter(int<4> n) { chp { n := 3; n := n + 1 } }
defproc flag(bool b) { chp { b := true } }
defproc test() { counter c(r.x); flag g(r.y); }
";
    let script = "get r.x\nwatch r.x\nwatch r.y\ncycle\nget r.x\nget f\nset r.x 9\nget c.n\n";
    let o = actsim_script(design, &["d.act", "test"], script);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "r.x: 0  (0x0)",
            "[                  10] <c>  r.x := 3 (0x3)",
            "[                  10] <g>  r.y := 1",
            "[                  20] <c>  r.x := 4 (0x4)",
            "r.x: 4  (0x4)",
            "f: 4  (0x4)",
            "[                  20] <[env]> r.x := 9 (0x9)",
            "c.n: 9  (0x9)",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn actsim_commands_read_a_file_scope_record_whole_where_a_field_is_connected_too() {
    // `r` is held whole by `h` and its field `x` by `c`: `get r` is the record (x = 4 above
    // y = 1), not the field's copy.
    let design = "deftype rec (int<4> x; bool y) { }
rec r;
defproc counter(int<4> n) { chp { n := 3; n := n + 1 } }
defproc holder(rec t) { chp { t.y := true } }
defproc test() { counter c(r.x); holder h(r); }
";
    let o = actsim_script(
        design,
        &["d.act", "test"],
        "cycle\nget r\nget r.x\nget r.y\n",
    );
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        ["r: 9  (0x9)", "r.x: 4  (0x4)", "r.y: 1"],
        "{}",
        stderr(&o)
    );
}
