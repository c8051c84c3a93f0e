//! Functions declared without a body, implemented in C in a shared library that the
//! configuration's `sim.extern` section names (actsim's calling convention).
use std::path::Path;
use std::process::{Command, Output};

use crate::common::cli::{stderr, stdout, BIN};
use crate::common::skip::skipped;

const C_LIBRARY: &str = r#"
struct expr_res { unsigned long v; int width; };
struct expr_res my_add(int n, struct expr_res *args) {
  struct expr_res r;
  r.v = args[0].v + args[1].v + (unsigned long)n * 1000 + (unsigned long)args[1].width * 100000;
  r.width = 64;
  return r;
}
"#;

const DESIGN: &str = "
namespace ext { export function add (int<8> a; int<16> b) : int<32>; }
defproc test() {
  int<32> x;
  chp { x := ext::add(3, 4); log(\"sum \", x) }
}
";

/// Compiles the C library into `dir` as libmine.so; false (and says so) without a compiler.
fn compile_library(dir: &Path) -> bool {
    std::fs::write(dir.join("mine.c"), C_LIBRARY).unwrap();
    let built = Command::new("cc")
        .args(["-shared", "-fPIC", "-o", "libmine.so", "mine.c"])
        .current_dir(dir)
        .status();
    if !built.is_ok_and(|s| s.success()) {
        skipped("no C compiler (cc) to build the external library");
        return false;
    }
    true
}

fn config(symbol: &str, path: &str) -> String {
    format!(
        "begin sim\n begin extern\n  string_table libs \"mine\"\n  begin mine\n   string path \"{path}\"\n   string ext::add \"{symbol}\"\n  end\n end\nend\n"
    )
}

fn run(dir: &Path, design: &str, config_text: &str) -> Output {
    std::fs::write(dir.join("d.act"), design).unwrap();
    std::fs::write(dir.join("sim.conf"), config_text).unwrap();
    Command::new(BIN)
        .args(["run", "d.act", "--config", "sim.conf"])
        .current_dir(dir)
        .env_remove("ACT_HOME")
        .output()
        .unwrap()
}

#[test]
fn a_c_function_named_by_the_configuration_is_called_as_actsim_calls_it() {
    let dir = tempfile::tempdir().unwrap();
    if !compile_library(dir.path()) {
        return;
    }
    let path = dir.path().join("libmine.so");
    let o = run(
        dir.path(),
        DESIGN,
        &config("my_add", path.to_str().unwrap()),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // 3 + 4, two arguments (2000), the second 16 bits wide (1600000).
    assert!(stdout(&o).ends_with("<>  sum 1602007\n"), "{}", stdout(&o));
}

#[test]
fn a_missing_symbol_is_an_error_at_the_declaration() {
    let dir = tempfile::tempdir().unwrap();
    if !compile_library(dir.path()) {
        return;
    }
    let path = dir.path().join("libmine.so");
    let o = run(
        dir.path(),
        DESIGN,
        &config("no_such", path.to_str().unwrap()),
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("external function `ext::add` has no implementation"),
        "{err}"
    );
    assert!(err.contains("has no function `no_such`"), "{err}");
    assert!(err.contains("d.act:2:33"), "{err}");
}

#[test]
fn a_missing_library_or_configuration_is_an_error_at_the_declaration() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), DESIGN, &config("my_add", "./nowhere.so"));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot load library `./nowhere.so`"),
        "{}",
        stderr(&o)
    );
    let o = run(dir.path(), DESIGN, "");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no library of the configuration's `sim.extern` section implements it"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_external_function_never_called_needs_no_implementation() {
    let dir = tempfile::tempdir().unwrap();
    let design = "function f (int<8> a) : int<8>;\ndefproc test() { chp { log(\"ok\") } }";
    let o = run(dir.path(), design, "");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
