//! `chpsim actsim` against actsim's command code, command by command: the words each reads,
//! its messages and where they go (stdout or stderr), its output's exact form.
use std::process::Output;

use crate::common::cli::{actsim_script, stderr, stdout};

/// A producer sending 1, 2 to a consumer that keeps the last in `x`.
const PAIR: &str = "
defproc prod(chan!(int<8>) R) { chp { R!1; R!2 } }
defproc cons(chan?(int<8>) L) { int<8> x; bool b; chp { *[ L?x ] } }
defproc test() { chan(int<8>) C; prod p(C); cons c(C); }
";

fn run(script: &str) -> Output {
    actsim_script(PAIR, &["d.act", "test"], script)
}

#[test]
fn help_lists_only_the_commands_actsim_lists() {
    // actsim's table has `send` and `recv` switched off: its `help` lists neither.
    let o = run("help\n");
    let out = stdout(&o);
    assert!(out.contains("== Process and CHP commands ==\n   filter <regexp>"), "{out}");
    assert!(!out.contains("   send "), "{out}");
    assert!(!out.contains("   recv "), "{out}");
    // chpsim's own two still have their line.
    let o = run("help send\n");
    assert_eq!(stdout(&o), "   send <chan> <val> - send a value on a channel\n");
}
