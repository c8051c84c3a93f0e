//! Which description of each instance runs (actsim's levels): production rules, else HSE, else
//! CHP, with actsim's substitution warnings on stderr under `chpsim actsim`; a configuration's
//! `level.default`, `level.types.<level>` and `level.inst.<level>` request other levels.
use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::common::cli::{stderr, stdout, BIN};

/// An inverter described twice: as CHP (which logs) and as a production rule.
const TWICE: &str = "
defproc inv(bool? a; bool! y) {
  chp { *[ [a]; y-; log(\"chp\"); [~a]; y+ ] }
  prs { a => y- }
}
defproc env(bool! a; bool? y) { chp { a+; [~y]; log(\"low\"); a- } }
defproc test() { bool a, y; inv g(a, y); env e(a, y); }
";

/// Runs `chpsim actsim d.act test -cnf=sim.conf` on `cycle`, the configuration being `conf`.
fn actsim(design: &str, conf: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.act"), design).unwrap();
    std::fs::write(dir.path().join("sim.conf"), conf).unwrap();
    let mut child = Command::new(BIN)
        .args(["actsim", "-cnf=sim.conf", "d.act", "test"])
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
fn each_instance_runs_its_most_detailed_description_and_chp_ones_are_warned_about() {
    let o = actsim(TWICE, "");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The rule runs (no "chp" line); env and test have only CHP: actsim's warnings.
    assert!(!stdout(&o).contains("chp"), "{}", stdout(&o));
    assert!(stdout(&o).contains("low"), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("WARNING: env<>: substituting chp model (requested prs, not found)"),
        "{err}"
    );
    assert!(!err.contains("inv<>"), "{err}");
}

#[test]
fn the_configuration_requests_a_level_by_type_and_by_instance() {
    let by_type = "begin level\n  string_table types.chp \"inv<>\"\nend\n";
    let o = actsim(TWICE, by_type);
    assert!(stdout(&o).contains("chp"), "{}", stdout(&o));
    assert!(!stderr(&o).contains("inv<>"), "{}", stderr(&o));
    let by_instance = "begin level\n  string_table inst.chp \"g\"\nend\n";
    assert!(stdout(&actsim(TWICE, by_instance)).contains("chp"));
    // Everything at CHP: nothing is substituted.
    let default = "begin level\n  string default \"chp\"\nend\n";
    let o = actsim(TWICE, default);
    assert!(stdout(&o).contains("chp"), "{}", stdout(&o));
    assert!(!stderr(&o).contains("substituting"), "{}", stderr(&o));
}

#[test]
fn a_level_the_process_cannot_give_is_an_error() {
    let only_rules = "
defproc inv(bool? a; bool! y) { prs { a => y- } }
defproc test() { bool a, y; inv g(a, y); }
";
    let o = actsim(only_rules, "begin level\n  string default \"chp\"\nend\n");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("circuit found, but not at the modeling level requested [level=chp]"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn warnings_name_the_type_as_act_expands_it() {
    // No namespace; a `pbool` as `t`/`f`; an array argument in braces.
    let o = actsim(
        "namespace lib {
export template<pint W; pbool LOG; pint V[2]> defproc src(chan!(int<W>) O) {
  chp { O!V[0]; [LOG -> log(\"sent\") [] else -> skip] }
}
}
defproc test() { chan(int<4>) c; int<4> x; lib::src<4, true, {3, 9}> s(c); chp { c?x } }
",
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("WARNING: src<4,t,{3,9}>: substituting chp model (requested prs, not found)"),
        "{err}"
    );
}
