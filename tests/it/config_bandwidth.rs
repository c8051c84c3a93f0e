//! The configuration's `sim.chp.<process>.<target>.D_bw`: ticks a statement adds to the delay
//! of the statement after it, as actsim adds them, in `chpsim run` and `chpsim actsim`.
use crate::common::cli::{actsim_in, chpsim, stderr, stdout};

/// The log lines of `design` run with `config`, by `chpsim run` and by `chpsim actsim`
/// (`cycle`), which must agree.
fn log_lines(design: &str, config: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.act"), design).unwrap();
    std::fs::write(dir.path().join("bw.conf"), config).unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let ran = chpsim(&[
        "run",
        &path("d.act"),
        "--top",
        "test",
        "--config",
        &path("bw.conf"),
    ]);
    assert_eq!(ran.status.code(), Some(0), "{}", stderr(&ran));
    let session = actsim_in(dir.path(), &["-cnf=bw.conf", "d.act", "test"], "cycle\n");
    assert_eq!(session.status.code(), Some(0), "{}", stderr(&session));
    let lines = |text: String| text.lines().map(str::to_owned).collect::<Vec<_>>();
    let (ran, session) = (lines(stdout(&ran)), lines(stdout(&session)));
    assert_eq!(ran, session, "chpsim run and chpsim actsim differ");
    ran
}

#[test]
fn an_assignment_s_d_bw_delays_the_statement_after_it() {
    // x := 1 at 10; y := 2 at 10 + 10 + 5; the log after y at 25; z's D_bw belongs to
    // another variable and never runs.
    let design = "
defproc w() { int x, y; chp { x := 1; y := 2; log(\"y \", y) } }
defproc test() { w i; }
";
    let config = "int sim.chp.w<>.x.D_bw 5\nint sim.chp.w<>.z.D_bw 100\n";
    assert_eq!(
        log_lines(design, config),
        ["[                  25] <i>  y 2"]
    );
    // A log after it waits too, as actsim runs a log as an event of its own: x := 0 at 10,
    // the loop's guards at 25, x := 1 at 35, its log at 40, the guards at 50, x := 2 at 60,
    // its log at 65.
    let design = "
defproc w() { int x; chp { x := 0; *[ x < 2 -> x := x + 1; log(\"x \", x) ] } }
defproc test() { w i; }
";
    let config = "int sim.chp.w<>.x.D_bw 5\n";
    assert_eq!(
        log_lines(design, config),
        [
            "[                  40] <i>  x 1",
            "[                  65] <i>  x 2",
        ]
    );
}

#[test]
fn a_communication_s_d_bw_delays_each_party_s_next_statement_after_the_handshake() {
    // The send fires at 10 and waits; the receive fires at 30 and completes the handshake.
    // The sender's next statement then fires at 30 + 10 + 7, the receiver's at 30 + 10 + 3.
    let design = "
defproc src(chan!(int) R) { int t; chp { R!1; t := 1; log(\"sent\") } }
defproc snk(chan?(int) L) { int v; chp { v := 0; v := 1; L?v; v := 2; log(\"got\") } }
defproc test() { src a; snk b; a.R = b.L; }
";
    let config = "int sim.chp.src<>.R.D_bw 7\nint sim.chp.snk<>.L.D_bw 3\n";
    assert_eq!(
        log_lines(design, config),
        [
            "[                  43] <b>  got",
            "[                  47] <a>  sent",
        ]
    );
}

#[test]
fn after_a_join_the_d_bw_of_the_branch_that_ended_last_counts() {
    // x := 1 ends its branch at 10 (its D_bw is for no statement); y := 2 at 10 and
    // y := 3 at 25 end the other, last; z := 4 at 25 + 10 + 5.
    let design = "
defproc w() { int x, y, z; chp { (x := 1, (y := 2; y := 3)); z := 4; log(\"z\") } }
defproc test() { w i; }
";
    let config = "int sim.chp.w<>.x.D_bw 50\nint sim.chp.w<>.y.D_bw 5\n";
    assert_eq!(log_lines(design, config), ["[                  40] <i>  z"]);
}
