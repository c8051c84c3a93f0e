//! Tops as actsim takes them: a top's ports are plain channels between the instances it
//! connects them to; `--top` names a top as actsim does (`test`, `test<>`, `fifo<8>`), in
//! `run`, `elaborate`, `check` (`// chpsim: --top ...`) and `sweep`; waits on ports nothing
//! connects end a run normally.
use crate::common::cli::{chpsim, stderr, stdout};
use crate::common::run_design::{compile_errors, run_with, try_run, Options};

/// A component (`twice`) with its test bench as the top, whose ports are the component's.
const BENCH: &str = r#"
defproc feed(chan!(int<8>) O) { int<8> i; chp { i := 1; *[ i <= 3 -> O!i; i := i + 1 ] } }
defproc show(chan?(int<8>) I) { int<8> v; chp { *[ I?v; log("v=", v) ] } }
defproc twice(chan?(int<8>) A; chan!(int<8>) B) { int<8> v; chp { *[ A?v; B!(v * 2) ] } }
defproc bench(chan?(int<8>) X; chan!(int<8>) Y) { feed f(X); twice t(X, Y); show s(Y); }
"#;

/// The compile error of `text` run with `top`.
fn top_error(text: &str, top: &str) -> String {
    match try_run(text, with_top(top)) {
        Ok(_) => panic!("--top {top} compiled, but an error was expected"),
        Err(e) => e,
    }
}

fn with_top(top: &str) -> Options {
    Options {
        top: Some(top.to_string()),
        ..Options::default()
    }
}

#[test]
fn a_tops_ports_are_channels_between_the_instances_it_connects_them_to() {
    let run = run_with(BENCH, with_top("bench"));
    assert_eq!(run.log_texts(), ["v=2", "v=4", "v=6"]);
    assert!(
        run.transcript.contains("  f.O -> t.A  1\n"),
        "{}",
        run.transcript
    );
    assert!(run.transcript.contains("  t.B -> s.I  2\n"));
    assert!(!run.result.diagnosis.is_deadlock());
}

#[test]
fn a_tops_port_with_two_senders_inside_is_an_error() {
    let text = BENCH.replace("twice t(X, Y);", "feed g(X); twice t(X, Y);");
    let error = top_error(&text, "bench");
    assert!(
        error.contains("channel connected twice: `f.O` and `g.O` are both senders on it"),
        "{error}"
    );
}

#[test]
fn a_tops_port_used_by_its_own_chp_and_by_an_instance_is_one_channel() {
    let run = run_with(
        r#"
defproc show(chan?(int<8>) I) { int<8> v; chp { *[ I?v; log("v=", v) ] } }
defproc bench(chan!(int<8>) Y) { show s(Y); chp { Y!7 } }
"#,
        with_top("bench"),
    );
    assert_eq!(run.log_texts(), ["v=7"]);
    assert!(
        run.transcript.contains("  Y -> s.I  7\n"),
        "{}",
        run.transcript
    );
}

#[test]
fn connecting_two_outputs_of_an_inner_process_is_still_an_error() {
    // Only the top's ports lose their direction; inside any other process a port keeps it.
    let text = compile_errors(
        r#"
defproc feed(chan!(int) O) { chp { O!1 } }
defproc pair(chan!(int) P) { feed f(P); feed g(P); }
defproc test() { pair p; }
"#,
    );
    assert!(text.contains("both senders on it"), "{text}");
}

const TEMPLATED: &str = r#"
defproc show(chan?(int<8>) I) { int<8> v; chp { *[ I?v; log("v=", v) ] } }
template<pint N; pint K = 2; pbool UP = true> defproc gen(chan!(int<8>) O) {
  show s(O);
  chp { O!(N * K); log("up=", UP) }
}
"#;

fn top_log(top: &str) -> Vec<String> {
    run_with(TEMPLATED, with_top(top)).log_texts()
}

#[test]
fn a_templated_top_takes_its_arguments_as_actsim_names_it() {
    assert_eq!(top_log("gen<5>"), ["v=10", "up=1"]);
    assert_eq!(top_log("gen<5,3>"), ["v=15", "up=1"]);
    // ACT prints a pbool in a name as t or f; true and false work too, and any constant.
    assert_eq!(top_log("gen<5,3,f>"), ["v=15", "up=0"]);
    assert_eq!(top_log(" gen< 5 , 3 , false > "), ["v=15", "up=0"]);
    assert_eq!(top_log("gen<2*3,1,t>"), ["v=6", "up=1"]);
}

#[test]
fn a_top_without_parameters_may_be_written_with_empty_brackets() {
    let run = run_with(BENCH, with_top("bench<>"));
    assert_eq!(run.log_texts(), ["v=2", "v=4", "v=6"]);
}

#[test]
fn a_top_with_defaults_only_needs_no_arguments() {
    let text = TEMPLATED.replace("pint N;", "pint N = 1;");
    assert_eq!(
        run_with(&text, with_top("gen")).log_texts(),
        ["v=2", "up=1"]
    );
    assert_eq!(
        run_with(&text, with_top("gen<>")).log_texts(),
        ["v=2", "up=1"]
    );
}

#[test]
fn wrong_top_names_say_what_is_wrong() {
    let error = |top: &str| top_error(TEMPLATED, top);
    let e = error("gen");
    assert!(
        e.contains("`gen` takes 1 to 3 template argument(s), but 0 were given"),
        "{e}"
    );
    assert!(e.contains("its parameters are N, K, UP"), "{e}");
    assert!(error("gen<1,2,t,4>").contains("but 4 were given"));
    assert!(error("show<1>").contains("`show` is not a template: --top show"));
    let e = error("gen<8");
    assert!(e.contains("--top `gen<8` is not a process name"), "{e}");
    let e = error("gen<M>");
    assert!(e.contains("--top `gen<M>`: template argument `M`:"), "{e}");
    assert!(error("gen<1,2,3>").contains("`UP` is a pbool; got 3"));
    assert!(error("nothere<1>").contains("no process named `nothere`"));
}

#[test]
fn the_command_line_takes_such_tops_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("gen.act");
    let path = design.to_str().unwrap();
    std::fs::write(&design, TEMPLATED).unwrap();

    let out = chpsim(&["run", path, "--top", "gen<4>"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "[                  20] <s>  v=8\n[                  20] <>  up=1\n"
    );

    let out = chpsim(&["elaborate", path, "--top", "gen<4,1,f>"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("top `gen<4,1,0>`"),
        "{}",
        stderr(&out)
    );

    let out = chpsim(&["sweep", path, "--seeds", "0..3", "--top", "gen<4>"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("3 seeds, none failed"),
        "{}",
        stderr(&out)
    );
    let out = chpsim(&["sweep", path, "--seeds", "0..3"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "sweep needs the top: {}",
        stderr(&out)
    );

    // A design names its own top, template arguments with spaces included.
    let header = "// chpsim: --top gen<4, 3>\n";
    std::fs::write(&design, format!("{header}{TEMPLATED}")).unwrap();
    let golden = dir.path().join("golden");
    let out = chpsim(&[
        "check",
        path,
        "--golden",
        golden.to_str().unwrap(),
        "--bless",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let transcript = std::fs::read_to_string(golden.join("gen.transcript")).unwrap();
    assert!(transcript.contains("top=gen<4,3>"), "{transcript}");
    assert!(transcript.contains("  s  log  v=12\n"), "{transcript}");
}
