//! Where ACT or actsim stop before the first command with their fatal error (`FATAL: ...` on
//! stderr, exit code 1), `chpsim actsim` stops with the same line: a top process the file
//! does not define, a configuration file ACT cannot read, ACT's own options.
use std::process::Output;

use crate::common::cli::{actsim_in, actsim_script, stderr, stdout};

/// A process that logs once.
const ONE: &str = "defproc test() { chp { log(\"hi\") } }\n";

/// Runs `cycle` with `config` as `bad.conf` and the command line `args`.
fn with_config(config: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.act"), ONE).unwrap();
    std::fs::write(dir.path().join("bad.conf"), config).unwrap();
    actsim_in(dir.path(), args, "cycle\n")
}

fn fatal(o: &Output) -> (Option<i32>, String) {
    (o.status.code(), stderr(o))
}

#[test]
fn a_top_the_file_does_not_define_is_actsims_fatal_error() {
    // Unknown, given more template arguments than it has, or no name ACT's lookup reads.
    for top in ["nope", "test<3>", "te st"] {
        let o = actsim_script(ONE, &["d.act", top], "cycle\n");
        assert_eq!(
            fatal(&o),
            (
                Some(1),
                format!("FATAL: Could not find process `{top}' in file `d.act'\n")
            )
        );
        assert_eq!(stdout(&o), "");
    }
    // An error in the design comes first, as ACT reads the file before it looks.
    let o = actsim_script(
        "defproc test() { chp { x := 1 } }\n",
        &["d.act", "nope"],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown name `x`"), "{}", stderr(&o));
}

#[test]
fn a_configuration_file_act_cannot_read_is_its_fatal_error_at_the_line() {
    for (config, message) in [
        (
            "begin sim\nend\nend\n",
            "end found without matching begin [bad.conf:3]\n",
        ),
        ("begin sim\nint x\n", "Invalid format [bad.conf:2]"),
        ("begin\n", "Invalid format [bad.conf:1]"),
        ("string_table t\n", "Invalid format [bad.conf:1]"),
        (
            "# c\nfloat y 2\n",
            "Expecting int|string|real|int_table|real_table|begin|end|include [bad.conf:2]\n",
        ),
        (
            "string s abc\n",
            "String on [bad.conf:1] needs to be of the form \"...\"",
        ),
        (
            "string s \"abc\n",
            "String on [bad.conf:1] needs to be of the form \"...\"",
        ),
        (
            "include other.conf\n",
            "String on [bad.conf:1] needs to be of the form \"...\"",
        ),
        (
            "int a 1\ninclude \"other.conf\"\n",
            "`include' directive is only permitted at the start of the file, before any definitions",
        ),
        (
            "include \"missing.conf\"\n",
            "Could not open configuration file `missing.conf' for reading.",
        ),
        (
            "int a 1\nint b \\\n2 \\\n",
            "Continuation character one the last line of file `bad.conf'",
        ),
        // The line a `\` continues is counted: ACT places the error on the last one.
        ("int a \\\n1\nend\n", "end found without matching begin [bad.conf:3]\n"),
    ] {
        let o = with_config(config, &["-cnf=bad.conf", "d.act", "test"]);
        assert_eq!(fatal(&o), (Some(1), format!("FATAL: {message}\n")), "{config}");
        assert_eq!(stdout(&o), "");
    }
    let o = with_config("", &["-cnf=none.conf", "d.act", "test"]);
    assert_eq!(
        fatal(&o),
        (
            Some(1),
            "FATAL: Could not open configuration file `none.conf' for reading.\n".into()
        )
    );
    // ACT reads the configuration before the design.
    let o = with_config("end\n", &["-cnf=bad.conf", "none.act", "test"]);
    assert_eq!(
        fatal(&o),
        (
            Some(1),
            "FATAL: end found without matching begin [bad.conf:1]\n\n".into()
        )
    );
}

#[test]
fn a_value_act_reads_without_an_error_keeps_chpsims_message() {
    // ACT's `sscanf` leaves an unread number as it was; chpsim refuses it (exit code 2).
    let o = with_config("int x ten\n", &["-cnf=bad.conf", "d.act", "test"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`ten` is not an integer"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn chpsim_run_keeps_its_own_rendering_of_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.act"), ONE).unwrap();
    std::fs::write(dir.path().join("bad.conf"), "end\n").unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_chpsim"))
        .args(["run", "d.act", "--config", "bad.conf"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`end` without a `begin`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn acts_options_are_read_before_actsims_and_fail_first() {
    for (args, message) in [
        (&["-zz", "-Vbad"][..], "FATAL: -V option `bad' is unknown\n"),
        (
            &["-ref=3000000000"][..],
            "FATAL: -ref option needs a non-negative integer\n",
        ),
        (
            &["-opt=a", "-opt=b"][..],
            "FATAL: -opt can only be used once!\n",
        ),
    ] {
        let mut words = args.to_vec();
        words.extend(["d.act", "test"]);
        let o = actsim_script(ONE, &words, "cycle\n");
        assert_eq!(fatal(&o), (Some(1), message.to_string()), "{args:?}");
    }
    // `atoi` keeps 32 bits: 2^32 + 1 steps is 1.
    let o = actsim_script(ONE, &["-ref=4294967297", "d.act", "test"], "cycle\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn dash_s_is_taken_and_the_run_goes_on_without_sdf_delays() {
    let o = actsim_script(ONE, &["-S", "none.sdf", "d.act", "test"], "cycle\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("WARNING: SDF file `none.sdf': reading failed; omitting.\n"));
    assert!(stdout(&o).contains("hi"));
    let o = actsim_script(ONE, &["-Sd.act", "d.act", "test"], "cycle\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o)
        .starts_with("WARNING: SDF file `d.act': chpsim does not apply SDF delays; omitting.\n"));
}
