//! ACT's global instances: channels and variables declared at file scope (outside any
//! process) that a process's CHP or HSE names directly. Each is one object shared by every
//! process naming it, named by its own name (`g`) in actsim's commands, the transcript, the
//! deadlock report and the waveform.
use crate::common::cli::{actsim_script, chpsim, stderr, stdout};
use crate::common::run_design::{compile_errors, run_text};

#[test]
fn a_file_scope_channel_named_by_two_processes_is_one_channel_between_them() {
    let run = run_text(
        "chan(int) g;
defproc p() { chp { g!1; g!2 } }
defproc q() { int x; chp { g?x; log(\"got \", x); g?x; log(\"got \", x) } }
defproc test() { p a; q b; }
",
    );
    assert_eq!(run.logs(), [(10, "got 1".into()), (20, "got 2".into())]);
    assert!(run.transcript.contains("  g -> g  2"), "{}", run.transcript);
}

#[test]
fn file_scope_bools_and_ints_are_shared_by_every_process_naming_them() {
    // `w` writes both, `r` waits for the bool and reads the int; `t` (another instance of
    // `r`'s process) reads the same variables.
    let run = run_text(
        "bool go;
int<8> v;
defproc writer() { chp { v := 7; go+ } }
defproc reader() { chp { [go]; log(\"v=\", v) } }
defproc test() { writer w; reader r, t; }
",
    );
    // Both wait on the same `go`, X until `w` sets it (actsim reads an X bool as false, with
    // its warning naming the file's variable).
    let warning = "WARNING: Boolean variable `go' is X";
    assert_eq!(
        run.logs(),
        [
            (10, warning.into()),
            (10, warning.into()),
            (20, "v=7".into()),
            (20, "v=7".into())
        ],
        "{}",
        run.transcript
    );
}

#[test]
fn one_process_may_use_both_ends_of_a_file_scope_channel() {
    let run = run_text(
        "chan(int) g;
defproc test() { int v; chp { g!5, g?v; log(\"v \", v) } }
",
    );
    assert_eq!(run.logs(), [(10, "v 5".into())]);
}

#[test]
fn elements_of_a_file_scope_array_are_named_with_indices_and_replications() {
    // The replication's `i` is its own, not a global; `g[i]` are the file's channels.
    let run = run_text(
        "chan(int) g[3];
int i;
defproc p() { chp { (; i : 3 : g[i]!i * 10) } }
defproc q() { int x; chp { (; i : 3 : g[i]?x; log(\"g[\", i, \"] \", x)) } }
defproc test() { p a; q b; }
",
    );
    assert_eq!(run.log_texts(), ["g[0] 0", "g[1] 10", "g[2] 20"]);
}

#[test]
fn two_processes_sending_on_one_file_scope_channel_is_an_error() {
    // One channel, as any: one sender and one receiver.
    let text = compile_errors(
        "chan(int) g;
defproc p() { chp { g!1 } }
defproc q() { int x; chp { g?x } }
defproc test() { p a, c; q b; }
",
    );
    assert!(text.contains("are both senders on it"), "{text}");
}

#[test]
fn a_name_a_process_declares_or_has_as_a_port_hides_the_file_scope_one() {
    // `own`'s `x` and `port`'s `x` are theirs: the file's `x` stays 0 for `show`.
    let run = run_text(
        "int x;
defproc own() { int x; chp { x := 4 } }
defproc port(int x) { chp { x := 5 } }
defproc show() { chp { log(\"x \", x) } }
defproc test() { int y; own o; port p(y); show s; }
",
    );
    assert_eq!(run.log_texts(), ["x 0"]);
}

#[test]
fn a_file_scope_bool_is_shared_by_a_process_running_its_hse() {
    let run = run_text(
        "bool req;
defproc driver() { hse { req+ } }
defproc watcher() { chp { [req]; log(\"req up\") } }
defproc test() { driver d; watcher w; }
",
    );
    assert_eq!(run.log_texts(), ["req up"]);
}

#[test]
fn a_file_scope_bool_named_by_chp_is_read_by_production_rules() {
    // `go` is set by CHP and drives a production rule of another process.
    let run = run_text(
        "bool go;
defproc follow(bool a, b) { prs { a -> b+ } }
defproc driver() { chp { go+ } }
defproc test() { bool out; driver d; follow f(go, out); chp { [out]; log(\"out high\") } }
",
    );
    let logs = run.logs();
    assert_eq!(
        logs.last(),
        Some(&(20, "out high".into())),
        "{}",
        run.transcript
    );
    assert!(run.transcript.contains("10  go := 1"), "{}", run.transcript);
}

#[test]
fn a_definition_before_the_declaration_cannot_name_it() {
    // ACT reads a file once: `late` does not exist yet in `p`.
    let text = compile_errors(
        "defproc p() { chp { late!1 } }
chan(int) late;
defproc q() { int x; chp { late?x } }
defproc test() { p a; q b; }
",
    );
    assert!(text.contains("unknown channel `late`"), "{text}");
    assert_eq!(text.matches("unknown").count(), 1, "{text}");
    assert!(
        text.contains("declares `late` after this definition"),
        "{text}"
    );
}

const WATCHED: &str = "chan(int) g;
bool x;
int v;
defproc p() { chp { g!1; x+; v := 7; g!2 } }
defproc q() { int y; chp { g?y; [x]; log(\"got \", y) } }
defproc test() { p a; q b; }
";

#[test]
fn actsim_commands_name_file_scope_objects_by_their_own_names() {
    let o = actsim_script(
        WATCHED,
        &["d.act", "test"],
        "watch g\nwatch x\nwatch v\ncycle\nget x\nget v\n",
    );
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "[                  10] <a>  g : send-blocked value: 1 (0x1)",
            "[                  10] <b>  g: recv value: 1 (0x1)",
            "[                  10] <a>  g : send complete   [by b]",
            "[                  20] <a>  x := 1",
            "[                  20] <b>  got 1",
            "[                  30] <a>  v := 7 (0x7)",
            "[                  40] <a>  g : send-blocked value: 2 (0x2)",
            "x: 1",
            "v: 7  (0x7)",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_deadlock_report_and_the_waveform_name_a_file_scope_channel_by_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("d.act");
    let vcd = dir.path().join("d.vcd");
    std::fs::write(&design, WATCHED).unwrap();
    let out = chpsim(&[
        "run",
        design.to_str().unwrap(),
        "--top",
        "test",
        "--vcd",
        vcd.to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert!(err.contains("deadlock: a waits on send g"), "{err}");
    // The file's channel is at the top of the waveform, beside the top's instances.
    let wave = std::fs::read_to_string(&vcd).unwrap();
    let top = wave
        .split("$scope module test $end")
        .nth(1)
        .expect("the top's scope");
    assert!(top.starts_with("\n$var wire 32 ! g $end"), "{wave}");
}

#[test]
fn objects_of_two_namespaces_and_of_the_file_scope_are_distinct() {
    // `a::g` joins `a`'s processes only; `b::r` and the file's `r` are other variables.
    let run = run_text(
        "namespace a {
  bool r;
  chan(int) g;
  export defproc p() { chp { g!1; r+ } }
  export defproc q() { int x; chp { g?x; [r]; log(\"a got \", x) } }
}
namespace b { bool r; export defproc s() { chp { r-; log(\"b\") } } }
bool r;
defproc test() { a::p ap; a::q aq; b::s bs; chp { r+; log(\"file\") } }
",
    );
    let logs = run.log_texts();
    assert_eq!(logs, ["b", "file", "a got 1"], "{}", run.transcript);
}

#[test]
fn a_namespace_connects_its_objects_and_its_definitions_see_them_in_every_language() {
    // `go` and `out` are `a`'s (`up` joined to `go` there): HSE sets `up`, a production rule
    // follows `go`, CHP waits for `out`.
    let run = run_text(
        "namespace a {
  bool go, out, up;
  up = go;
  export defproc drv() { hse { up+ } }
  export defproc fol() { prs { go -> out+ } }
  export defproc see() { chp { [out]; log(\"out high\") } }
}
defproc test() { a::drv d; a::fol f; a::see s; }
",
    );
    assert_eq!(
        run.logs().last(),
        Some(&(20, "out high".into())),
        "{}",
        run.transcript
    );
}

#[test]
fn actsim_commands_name_a_namespace_object_by_its_qualified_name() {
    let design = "namespace a { int<4> v; export defproc p() { chp { v := 3 } } }
defproc test() { a::p x; }
";
    let o = actsim_script(design, &["d.act", "test"], "watch a::v\ncycle\nget a::v\n");
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "[                  10] <x>  a::v := 3 (0x3)",
            "a::v: 3  (0x3)"
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn namespaces_may_declare_the_names_the_file_scope_declares() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    std::fs::write(
        &path,
        "namespace a { bool r; }\nnamespace b { bool r; }\nbool r;\n",
    )
    .unwrap();
    let out = chpsim(&["elaborate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
