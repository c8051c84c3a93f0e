//! Where ACT or actsim stop before the first command with their fatal error (`FATAL: ...` on
//! stderr, exit code 1), `chpsim actsim` stops with the same line: a top process the file
//! does not define.
use std::process::Output;

use crate::common::cli::{actsim_script, stderr, stdout};

/// A process that logs once.
const ONE: &str = "defproc test() { chp { log(\"hi\") } }\n";

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
