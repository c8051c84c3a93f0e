//! File-scope (global namespace) body items, as ACT allows them: variables and channels,
//! several instances in one declaration, connections, loops and parameters set there; and
//! process bodies connecting to the file's signals by name.
use crate::common::cli::{chpsim, stderr};
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
