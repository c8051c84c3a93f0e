//! What `chpsim run` prints on stdout and stderr for the log statements (docs/actsim.md, "Log statements"):
//! `log` lines with actsim's prefix, lines built from `log_st`, `log_p`, `log_nl`, and `warn`
//! on stderr.
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_chpsim");

fn run_design(text: &str, extra: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.act");
    std::fs::write(&path, text).unwrap();
    Command::new(BIN)
        .arg("run")
        .arg(&path)
        .args(extra)
        .output()
        .expect("the chpsim binary runs")
}

#[test]
fn log_st_log_p_and_log_nl_make_one_line_with_the_prefix_of_log_st() {
    let output = run_design(
        r#"defproc test() { int<4> x;
  chp { log_st(); log_p("a=", "%b", 3); x := 2; log_p(" x=", x); log_nl(); log("next") } }"#,
        &[],
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "[                   0] <>  a=11 x=2\n[                  10] <>  next\n"
    );
}

#[test]
fn log_p_alone_prints_bare_text() {
    let output = run_design(
        r#"defproc test() { chp { log_p("no prefix"); log_nl(); log_p("a"); log_p("b"); log_nl() } }"#,
        &[],
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), "no prefix\nab\n");
}

#[test]
fn warn_goes_to_stderr_with_a_warning_prefix_and_prints_no_value() {
    // actsim prints ` [cannot print expressions] ` for each value; a format string still
    // loses its format part.
    let output = run_design(
        r#"defproc test() { int<8> x, m[2]; chp { x := 200; warn("x is ", m[x]); log("done") } }"#,
        &[],
    );
    assert_eq!(output.status.code(), Some(1), "the values are evaluated");
    let output = run_design(
        r#"defproc test() { int<8> x; chp { x := 200; warn("x is ", "%x", x, "%dend", true, "%q"); log("done") } }"#,
        &[],
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "[                  10] <>  done\n"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.lines().next(),
        Some("WARNING: x is  [cannot print expressions] end [cannot print expressions] %q"),
        "stderr: {stderr}"
    );
}

#[test]
fn arguments_of_log_st_and_log_nl_are_accepted_and_print_nothing() {
    let output = run_design(
        r#"defproc test() { int<4> x; chp { x := 3; log_st("ignored"); log_p("a"); log_nl("", x) } }"#,
        &[],
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "[                  10] <>  a\n"
    );
}
