//! `--config FILE`: actsim's configuration file, for its statement delays (README, "Coming
//! from actsim").
use std::path::Path;

use crate::common::cli::{chpsim, stderr, stdout};

/// A sender that sets `x` then sends it, and a receiver that logs it: with ACT's default
/// delay of 10, `x := 1` fires at 10, `R!x` at 20, `L?y` at 10, so the handshake is at 20.
const PAIR: &str = "
defproc src(chan!(int) R) { int x; chp { x := 1; R!x } }
defproc snk(chan?(int) L) { int y; chp { L?y; log(\"got \", y) } }
defproc test() { src s; snk k; s.R = k.L; }
";

/// Runs `design` with the configuration `config` (and `args`); stdout, or the failure.
fn run_with_config(design: &str, config: &str, args: &[&str]) -> Result<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let (design_path, config_path) = (dir.path().join("d.act"), dir.path().join("sim.conf"));
    std::fs::write(&design_path, design).unwrap();
    std::fs::write(&config_path, config).unwrap();
    let mut all = vec!["run", path(&design_path), "--config", path(&config_path)];
    all.extend(args);
    let out = chpsim(&all);
    match out.status.code() {
        Some(0) => Ok(stdout(&out)),
        code => Err(format!("exit {code:?}: {}", stderr(&out))),
    }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn log_time(stdout: &str) -> u64 {
    let line = stdout.lines().find(|l| l.contains("got 1")).expect(stdout);
    line[1..21].trim().parse().unwrap()
}

#[test]
fn a_statement_takes_the_delay_keyed_on_its_process_and_variable_or_channel() {
    // The process as ACT expands and names it (`src<>`), as actsim keys it.
    let config = "begin sim\n begin chp\n  int src<>.x.D 5\n  int src<>.R.D 1\n end\nend\n";
    // x := 1 at 5, R!x at 6; the receive fires at 10 and completes the handshake.
    assert_eq!(log_time(&run_with_config(PAIR, config, &[]).unwrap()), 10);
    // Another process's names are not this one's.
    let config = "int sim.chp.snk<>.x.D 5\nint sim.chp.other<>.R.D 1\n";
    assert_eq!(log_time(&run_with_config(PAIR, config, &[]).unwrap()), 20);
    // The definition's bare name is no expanded process: actsim matches nothing with it.
    let config = "int sim.chp.src.x.D 5\nint sim.chp.src.R.D 1\n";
    assert_eq!(log_time(&run_with_config(PAIR, config, &[]).unwrap()), 20);
}

#[test]
fn the_default_delay_comes_from_the_configuration_unless_the_command_line_gives_one() {
    let config = "begin sim\n begin chp\n  int default_delay 4\n end\nend\n";
    assert_eq!(log_time(&run_with_config(PAIR, config, &[]).unwrap()), 8);
    let delayed = run_with_config(PAIR, config, &["--delay", "3"]).unwrap();
    assert_eq!(log_time(&delayed), 6);
    // A statement's own configured delay wins over `--delay`.
    let config = "int sim.chp.src<>.R.D 1\n";
    let delayed = run_with_config(PAIR, config, &["--delay", "3"]).unwrap();
    assert_eq!(log_time(&delayed), 4);
}

#[test]
fn a_template_expansion_has_its_own_key() {
    let design = PAIR.replace(
        "defproc src(chan!(int) R)",
        "template<pint N> defproc src(chan!(int) R)",
    );
    let config = "int sim.chp.src.x.D 5\nint sim.chp.src<2>.x.D 50\n";
    let two = design.replace("src s;", "src<2> s;");
    assert_eq!(log_time(&run_with_config(&two, config, &[]).unwrap()), 60);
    let three = design.replace("src s;", "src<3> s;");
    assert_eq!(log_time(&run_with_config(&three, config, &[]).unwrap()), 20);
    // A namespace's process is named after it, a `pbool` argument as `t` or `f`.
    let design = "namespace lib {
export template<pbool B> defproc src(chan!(int) R) { int x; chp { x := 1; R!x } }
}
defproc snk(chan?(int) L) { int y; chp { L?y; log(\"got \", y) } }
defproc test() { lib::src<true> s; snk k; s.R = k.L; }
";
    let config = "int sim.chp.lib::src<t>.x.D 50\n";
    assert_eq!(log_time(&run_with_config(design, config, &[]).unwrap()), 60);
}

#[test]
fn a_statement_s_own_delay_wins_over_the_configuration() {
    let design = PAIR.replace("x := 1;", "@[after=7] x := 1;");
    let config = "int sim.chp.src<>.x.D 5\n";
    assert_eq!(
        log_time(&run_with_config(&design, config, &[]).unwrap()),
        17
    );
}

#[test]
fn a_design_names_its_configuration_from_its_own_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let design = format!("// chpsim: --config fast.conf\n{PAIR}");
    std::fs::write(dir.path().join("sub/d.act"), design).unwrap();
    std::fs::write(
        dir.path().join("sub/fast.conf"),
        "int sim.chp.default_delay 1\n",
    )
    .unwrap();
    let out = chpsim(&["run", path(&dir.path().join("sub/d.act"))]);
    assert_eq!(log_time(&stdout(&out)), 2, "{}", stderr(&out));
}

#[test]
fn a_malformed_configuration_is_bad_input_shown_at_its_lines() {
    let config = "begin sim\n  int chp.default_delay ten\n  real chp.buf<>.x.D 2.5\nend\nend\n";
    let err = run_with_config(PAIR, config, &[]).unwrap_err();
    assert!(err.starts_with("exit Some(2)"), "{err}");
    for expected in [
        "sim.conf:2:",
        "`ten` is not an integer",
        "sim.conf:5:",
        "`end` without a `begin`",
    ] {
        assert!(err.contains(expected), "{expected} in {err}");
    }
    let config = "real sim.chp.buf<>.x.D 2.5\n";
    let err = run_with_config(PAIR, config, &[]).unwrap_err();
    assert!(
        err.contains("`sim.chp.buf<>.x.D` is a delay: an `int` setting"),
        "{err}"
    );
    let missing = chpsim(&["run", "designs/pipeline.act", "--config", "no/such.conf"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read no/such.conf"));
}

#[test]
fn a_sweep_runs_every_seed_with_the_configuration_and_reproduces_with_it() {
    // The receiver looks once, at 10: the sender must be there by then.
    let design = "
defproc src(chan!(int) R) { int x; chp { x := 1; R!x } }
defproc snk(chan?(int) L) { int y; chp { [ #L -> L?y [] else -> assert(false, \"early\") ] } }
defproc test() { src s; snk k; s.R = k.L; }
";
    let dir = tempfile::tempdir().unwrap();
    let design_path = dir.path().join("d.act");
    std::fs::write(&design_path, design).unwrap();
    let (fast, slow) = (dir.path().join("fast.conf"), dir.path().join("slow.conf"));
    std::fs::write(&fast, "int sim.chp.src<>.x.D 1\nint sim.chp.src<>.R.D 1\n").unwrap();
    std::fs::write(&slow, "int sim.chp.src<>.x.D 15\n").unwrap();
    let sweep = |config: &Path| {
        chpsim(&[
            "sweep",
            path(&design_path),
            "--seeds",
            "0..3",
            "--config",
            path(config),
        ])
    };
    let passes = sweep(&fast);
    assert_eq!(passes.status.code(), Some(0), "{}", stderr(&passes));
    let fails = sweep(&slow);
    assert_eq!(fails.status.code(), Some(1), "{}", stderr(&fails));
    let reproduce = format!("--seed 0 --config {}", path(&slow));
    assert!(stdout(&fails).contains(&reproduce), "{}", stdout(&fails));
}

#[test]
fn a_target_is_keyed_as_act_prints_it_element_field_bundle_member_and_port() {
    // `x[1] := 1` takes `x[1]`'s delay (5), not `x`'s; `b+` takes `b`'s (7); `R!x[1]` the
    // default: the send fires at 22 and the receive, at 10, has been waiting.
    let design = PAIR.replace(
        "int x; chp { x := 1; R!x }",
        "int x[2]; bool b; chp { x[1] := 1; b+; R!x[1] }",
    );
    let config = "int sim.chp.src<>.x[1].D 5\nint sim.chp.src<>.x.D 50\nint sim.chp.src<>.b.D 7\n";
    assert_eq!(
        log_time(&run_with_config(&design, config, &[]).unwrap()),
        22
    );
    // A loop's variable is its value at expansion: `x[0]`, `x[1]`.
    let design = PAIR.replace(
        "int x; chp { x := 1; R!x }",
        "int x[2]; chp { (;i:2: x[i] := 1); R!x[1] }",
    );
    let config = "int sim.chp.src<>.x[0].D 3\nint sim.chp.src<>.x[1].D 4\n";
    assert_eq!(
        log_time(&run_with_config(&design, config, &[]).unwrap()),
        17
    );
    // A record's field `p.a` takes `p.a`'s delay.
    let design = format!(
        "deftype pr (int<8> a; bool f) {{ }}\n{}",
        PAIR.replace(
            "int x; chp { x := 1; R!x }",
            "pr p; chp { p.a := 1; R!p.a }"
        )
    );
    let time = |config: &str| log_time(&run_with_config(&design, config, &[]).unwrap());
    assert_eq!(time("int sim.chp.src<>.p.a.D 3\n"), 13);
    assert_eq!(time("int sim.chp.src<>.p.D 3\n"), 20);
    // A bundle's member and a sub-instance's port: `p.req`, `k.L`.
    let bundle = "deftype rw (chan?!(int) req; chan!?(int) resp) { }
defproc server(rw p) { int x; chp { p.req?x; p.resp!x } }
defproc test() { server s; int y; chp { s.p.req!1; s.p.resp?y; log(\"got \", y) } }
";
    let time = |config: &str| log_time(&run_with_config(bundle, config, &[]).unwrap());
    assert_eq!(time("int sim.chp.server<>.p.req.D 50\n"), 60);
    assert_eq!(time("int sim.chp.server<>.p.D 50\n"), 20);
    let sub = "defproc snk(chan?(int) L) { int y; chp { L?y; log(\"got \", y) } }
defproc test() { snk k; chp { k.L!1 } }
";
    let time = |config: &str| log_time(&run_with_config(sub, config, &[]).unwrap());
    assert_eq!(time("int sim.chp.test<>.k.L.D 50\n"), 50);
    assert_eq!(time("int sim.chp.test<>.k.D 50\n"), 10);
}

#[test]
fn an_include_at_the_start_reads_that_file_first_and_the_includer_wins() {
    // `base.conf`, next to the including file, sets the default and `x`'s delay; the
    // including file sets `x`'s again, which wins: x := 1 at 50, R!x at 53, got at 53.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("base.conf"),
        "include \"sim.conf\"\nint sim.chp.default_delay 3\nint sim.chp.src<>.x.D 1\n",
    )
    .unwrap();
    let config = "# settings\ninclude \"./base.conf\"\nint sim.chp.src<>.x.D 50\n";
    std::fs::write(dir.path().join("sim.conf"), config).unwrap();
    std::fs::write(dir.path().join("d.act"), PAIR).unwrap();
    let run = |conf: &str| {
        chpsim(&[
            "run",
            path(&dir.path().join("d.act")),
            "--config",
            path(&dir.path().join(conf)),
        ])
    };
    assert_eq!(log_time(&stdout(&run("sim.conf"))), 53);
    // `${VAR}` in the name is the environment's value, as in ACT's own files. (base.conf reads
    // sim.conf first, then sets its own: x := 1 at 1, R!x at 4, got at 4.)
    std::fs::write(
        dir.path().join("env.conf"),
        "include \"${CONF_DIR}/base.conf\"\n",
    )
    .unwrap();
    let by_env = std::process::Command::new(crate::common::cli::BIN)
        .args([
            "run",
            path(&dir.path().join("d.act")),
            "--config",
            "env.conf",
        ])
        .current_dir(dir.path())
        .env("CONF_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(log_time(&stdout(&by_env)), 4, "{}", stderr(&by_env));
    // Only at the start, and the file must be there, as in ACT.
    std::fs::write(
        dir.path().join("late.conf"),
        "int sim.chp.default_delay 3\ninclude \"base.conf\"\ninclude \"none.conf\"\n",
    )
    .unwrap();
    let late = run("late.conf");
    assert_eq!(late.status.code(), Some(2));
    let err = stderr(&late);
    assert!(
        err.contains("`include` is only permitted at the start of the file"),
        "{err}"
    );
    std::fs::write(dir.path().join("none.conf"), "include \"no/such.conf\"\n").unwrap();
    let err = stderr(&run("none.conf"));
    assert!(
        err.contains("could not open configuration file `no/such.conf' for reading"),
        "{err}"
    );
}

#[test]
fn sim_reset_rounds_bounds_the_reset_phase_as_actsims() {
    // A ring that never settles once `s-` starts it: the reset phase waits its rounds of 100
    // ticks after the first action, warns, and starts the last (`t+`, one delay later).
    let design = "bool s, t, u;
defproc inv(bool? a; bool! y) { prs { a => y- } }
defproc test() { inv i(s, s); inv j(t, u); }
Initialize { actions { s- }; actions { t+ } }
";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.act"), design).unwrap();
    std::fs::write(dir.path().join("rr.conf"), "int sim.reset_rounds 3\n").unwrap();
    let watched = |args: &[&str]| {
        let o = crate::common::cli::actsim_in(dir.path(), args, "watch t\nadvance 20000\n");
        (stdout(&o), stderr(&o))
    };
    let (out, err) = watched(&["-cnf=rr.conf", "d.act", "test"]);
    assert_eq!(out, "[                 310] <>  t := 1\n");
    assert_eq!(
        err,
        "WARNING: Pending production rule events during reset phase?\n"
    );
    // actsim's default is 100 rounds.
    let (out, _) = watched(&["d.act", "test"]);
    assert_eq!(out, "[               10010] <>  t := 1\n");
}

#[test]
fn actsims_configuration_is_read_line_by_line_as_acts_config_read_reads_it() {
    // A `\` at a line's end continues it on the next line (the two joined where the
    // backslash was); a `#` inside a word is part of it; a number is what its word starts
    // with, and the words after a value are not read; a `begin` may stay open.
    // (`chp#x` is a block of its own: its delay is not the CHP's.)
    let config = "begin sim\nbegin chp#x\nint default_delay 3\nend\nbegin chp\nint default_\\\ndelay 7ab ticks # of each action\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.act"), PAIR).unwrap();
    std::fs::write(dir.path().join("act.conf"), config).unwrap();
    let o = crate::common::cli::actsim_in(
        dir.path(),
        &["-cnf=act.conf", "-Wlang_subst:off", "d.act", "test"],
        "cycle\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(log_time(&stdout(&o)), 14);
    // A backslash continuing the file's last line is ACT's fatal error (its spelling).
    std::fs::write(
        dir.path().join("act.conf"),
        "int sim.chp.default_delay 7 \\\n",
    )
    .unwrap();
    let o = crate::common::cli::actsim_in(dir.path(), &["-cnf=act.conf", "d.act", "test"], "");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "FATAL: Continuation character one the last line of file `act.conf'\n"
    );
}
