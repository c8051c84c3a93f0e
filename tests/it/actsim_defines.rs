//! ACT's command-line definitions (`-Dvar=value`: a `pint` or `pbool` of the file scope,
//! declared before the design's files) and `ACT_STD_CMDLINE` (ACT's options read from the
//! environment before the command line's).
use std::io::Write as _;
use std::process::{Command, Output, Stdio};

use crate::common::cli::{actsim_script, stderr, stdout, BIN};

/// A buffer whose depth and whether it logs come from the command line.
const DEFINED: &str = "
defproc count() { int<8> x; chp { x := N; [ LOUD -> log(\"N=\", x) [] else -> skip ] } }
defproc test() { count c; }
";

fn run(args: &[&str]) -> Output {
    actsim_script(DEFINED, args, "cycle\n")
}

#[test]
fn a_definition_is_a_file_scope_parameter_the_design_reads() {
    let o = run(&["-DN=7", "-DLOUD=true", "d.act", "test"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "[                  20] <c>  N=7\n");
    // Anywhere on the line (ACT takes its options before actsim's), in hexadecimal, negative.
    let o = run(&["d.act", "-DLOUD=true", "test", "-DN=0x1f"]);
    assert_eq!(stdout(&o), "[                  20] <c>  N=31\n");
    let o = run(&["-DN=3", "-DLOUD=false", "d.act", "test"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
}

#[test]
fn a_malformed_definition_is_acts_fatal_error() {
    for (define, message) in [
        (
            "-DN",
            "FATAL: -D option must be of the form -Dvar=value (bool or int)\n",
        ),
        (
            "-DN=3x",
            "FATAL: -D option must be of the form -Dvar=value (bool or int)\n",
        ),
        (
            "-DN=yes",
            "FATAL: -D option must be of the form -Dvar=value (bool or int)\n",
        ),
        (
            "-D2N=3",
            "FATAL: -D option: variable `2N' is not a valid identifier\n",
        ),
    ] {
        let o = run(&[define, "-DLOUD=true", "d.act", "test"]);
        assert_eq!(o.status.code(), Some(1), "{define}");
        assert_eq!(stderr(&o), message, "{define}");
    }
    let o = run(&["-DN=1", "-DLOUD=true", "-DN=2", "d.act", "test"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "FATAL: Name `N' defined through -D is a duplicate!\n"
    );
}

/// `chpsim actsim ARGS` with `ACT_STD_CMDLINE` set to `std`, in a folder holding [`DEFINED`].
fn with_std_cmdline(std: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.act"), DEFINED).unwrap();
    let mut child = Command::new(BIN)
        .arg("actsim")
        .args(args)
        .env("ACT_STD_CMDLINE", std)
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"cycle\n").unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn act_std_cmdline_gives_acts_options_before_the_command_line() {
    let o = with_std_cmdline("-DN=4 \t-DLOUD=true   -Wlang_subst:off", &["d.act", "test"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "[                  20] <c>  N=4\n");
    assert_eq!(stderr(&o), "");
    // A word that is no ACT option is skipped with ACT's warning.
    let o = with_std_cmdline(
        "-m -DN=4 -DLOUD=true",
        &["-Wlang_subst:off", "d.act", "test"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "WARNING: ACT_STD_CMDLINE `-m' is not an ACT argument; skipped\n"
    );
    // Its definitions come first: the command line's one of the same name is a duplicate.
    let o = with_std_cmdline("-DN=4", &["-DN=5", "-DLOUD=true", "d.act", "test"]);
    assert_eq!(o.status.code(), Some(1));
}
