//! `spec { }` directives checked while the circuit runs, as actsim checks them, in its words:
//! `mk_exclhi`/`mk_excllo` (arbiters), `exclhi`/`excllo` monitors (with `--excl-monitors`,
//! actsim's `-m`), timing forks, `rand_init` and `hazard`.
use crate::common::cli::{actsim_script, chpsim, stderr, stdout};
use crate::common::run_design::{run_text, run_with, Options};

fn run_cli(text: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    std::fs::write(&path, text).unwrap();
    let mut args = vec!["run", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = chpsim(&args);
    assert_eq!(out.status.code(), Some(0));
    stdout(&out)
}

/// Two rules that both fire when both requests come at once.
const RACE: &str = "\
defproc arb(bool? a, b; bool! x, y) {
  SPEC
  prs { a & ~y -> x+  ~a -> x-  b & ~x -> y+  ~b -> y- }
}
defproc env(bool! a, b; bool? x, y) {
  chp { a-, b-; a-; [~x & ~y]; a+, b+; [x | y]; log(\"x=\", x, \" y=\", y) }
}
defproc test() { bool a, b, x, y; arb r(a, b, x, y); env e(a, b, x, y); }
";

#[test]
fn mk_exclhi_lets_one_of_two_racing_nodes_rise() {
    let run = run_text(&RACE.replace("SPEC", "spec { mk_exclhi(x, y) }"));
    assert_eq!(run.log_texts(), vec!["x=1 y=0"]);
    assert!(!run.transcript.contains("unstable"), "{}", run.transcript);
    // Without it, x's rise makes y's pending rise unstable.
    let run = run_text(&RACE.replace("SPEC", ""));
    assert!(
        run.transcript
            .contains("r  log  WARNING: unstable transition on `y'"),
        "{}",
        run.transcript
    );
}

#[test]
fn random_choice_lets_either_racing_node_of_an_mk_exclhi_win() {
    let design = RACE.replace("SPEC", "spec { mk_exclhi(x, y) }");
    let winners = |extra: &[&str]| {
        let mut seen: Vec<String> = (0..16)
            .map(|seed| {
                let seed = seed.to_string();
                let mut args = vec!["--seed", seed.as_str()];
                args.extend_from_slice(extra);
                run_cli(&design, &args)
            })
            .map(|out| out.lines().last().unwrap_or("").to_string())
            .collect();
        seen.sort();
        seen.dedup();
        seen
    };
    // Without it, the transition queued first always wins, as in actsim.
    assert_eq!(winners(&[]).len(), 1, "{:?}", winners(&[]));
    let both = winners(&["--random-choice"]);
    assert_eq!(both.len(), 2, "{both:?}");
    assert!(both.iter().any(|l| l.ends_with("x=0 y=1")), "{both:?}");
    assert!(both.iter().any(|l| l.ends_with("x=1 y=0")), "{both:?}");
}

#[test]
fn a_run_whose_last_transition_was_retracted_ends_at_its_time() {
    // y's rise, due at 80, is retracted when x rises at 40: as in actsim, whose queue keeps
    // the cancelled event, the clock still moves on to 80.
    let design = "\
defproc arb(bool? a, b; bool! x, y) {
  spec { mk_exclhi(x, y) }
  prs { a & ~y -> x+  ~a -> x-  [after=50] b & ~x -> y+  ~b -> y- }
}
defproc env(bool! a, b; bool? x, y) {
  chp { a-, b-; [~x & ~y]; a+, b+; [x | y]; log(\"x=\", x, \" y=\", y) }
}
defproc test() { bool a, b, x, y; arb r(a, b, x, y); env e(a, b, x, y); }
";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    std::fs::write(&path, design).unwrap();
    let out = chpsim(&["run", path.to_str().unwrap()]);
    assert_eq!(stdout(&out), "[                  40] <e>  x=1 y=0\n");
    let err = crate::common::cli::stderr(&out);
    assert!(err.contains("end at time 80:"), "{err}");
}

#[test]
fn mk_excllo_keeps_two_nodes_from_falling_together() {
    let design = "\
defproc arb(bool? a, b; bool! x, y) {
  spec { mk_excllo(x, y) }
  prs { ~a & y -> x-  a -> x+  ~b & x -> y-  b -> y+ }
}
defproc env(bool! a, b; bool? x, y) {
  chp { a+, b+; a+; [x & y]; a-, b-; [~x | ~y]; log(\"x=\", x, \" y=\", y) }
}
defproc test() { bool a, b, x, y; arb r(a, b, x, y); env e(a, b, x, y); }
";
    assert_eq!(run_text(design).log_texts(), vec!["x=0 y=1"]);
}

const MONITORED: &str = "\
defproc env(bool! a, b, r) {
  spec { exclhi(a, b) timing r+ : a+ < b+ }
  chp { a-, b-, r-; r+; b+; a+; b-; a-; r-; r+; a+; b+ }
}
defproc test() { bool a, b, r; env e(a, b, r); }
";

#[test]
fn a_broken_timing_fork_prints_actsims_lines() {
    let out = run_cli(MONITORED, &[]);
    assert_eq!(
        out,
        "WARNING: timing constraint in [ e:env<> ]  r+ : a+ < [0] b+ violated!\n>> time: 40\n"
    );
}

#[test]
fn exclhi_is_checked_with_excl_monitors_only() {
    let out = run_cli(MONITORED, &["--excl-monitors"]);
    assert_eq!(
        out,
        "WARNING: timing constraint in [ e:env<> ]  r+ : a+ < [0] b+ violated!\n>> time: 40\n\
         WARNING: excl-hi constraint in [ e:env<> ] a,b violated!\n>> time: 40\n\
         WARNING: excl-hi constraint in [ e:env<> ] a,b violated!\n>> time: 100\n"
    );
}

#[test]
fn a_timing_fork_with_a_margin_reports_a_second_transition_too_soon() {
    // a+ at 30, b+ at 40: 10 after, where the margin asks for 15.
    let design = "\
defproc env(bool! a, b, r) {
  spec { timing r+ : a+ < [15] b+ }
  chp { a-, b-, r-; r+; a+; b+ }
}
defproc test() { bool a, b, r; env e(a, b, r); }
";
    let out = run_cli(design, &[]);
    assert_eq!(
        out,
        "WARNING: timing constraint  r+ : a+ < [15] b+ violated!\n>> time: 40\n"
    );
    let relaxed = run_cli(&design.replace("[15]", "[10]"), &[]);
    assert_eq!(relaxed, "");
}

#[test]
fn rand_init_starts_nodes_at_random_from_the_seed() {
    let design = "\
defproc p(bool x[4]) { spec { rand_init(x) } chp { log(x[0], x[1], x[2], x[3]) } }
defproc test() { bool x[4]; p q(x); }
";
    let values: Vec<String> = (0..8)
        .map(|seed| {
            let run = run_with(
                design,
                Options {
                    seed,
                    ..Options::default()
                },
            );
            assert!(!run.transcript.contains("is X"), "{}", run.transcript);
            run.log_texts()[0].clone()
        })
        .collect();
    // Reproducible for a seed, and not the same for every seed.
    assert_eq!(
        values[3],
        run_with(
            design,
            Options {
                seed: 3,
                ..Options::default()
            }
        )
        .log_texts()[0]
    );
    assert!(values.iter().any(|v| v != &values[0]), "{values:?}");
    // The default seed gives actsim's values: C's `random() % 2` from glibc's unseeded state
    // (1804289383, 846930886, 1681692777, 1714636915, ...), node by node.
    assert_eq!(values[0], "1011");
}

#[test]
fn hazard_silences_a_falling_unstable_transition_but_not_a_rising_one() {
    let falling = "\
defproc g(bool? a; bool! c) { spec { hazard(c) } prs { a -> c+  [after=35] ~a -> c- } }
defproc env(bool! a) { chp { a+; a-; a+ } }
defproc test() { bool a, c; g x(a, c); env v(a); }
";
    let run = run_text(falling);
    assert!(!run.transcript.contains("unstable"), "{}", run.transcript);
    let run = run_text(&falling.replace("spec { hazard(c) }", ""));
    assert!(run.transcript.contains("unstable"), "{}", run.transcript);
    // A rising one still warns, as actsim.
    let rising = "\
defproc g(bool? a; bool! c) { spec { hazard(c) } prs { [after=35] a -> c+  ~a -> c- } }
defproc env(bool! a) { chp { a-; a+; a- } }
defproc test() { bool a, c; g x(a, c); env v(a); }
";
    let run = run_text(rising);
    assert!(
        run.transcript
            .contains("WARNING: unstable transition on `c'"),
        "{}",
        run.transcript
    );
}

#[test]
fn a_spec_directive_takes_a_range_of_an_array_whole() {
    // `mk_exclhi(x[0..2])` names three bools, not the first alone: of the three, rising
    // together, only one rises.
    let design = "defproc pair(bool? g; bool! x[3]) { spec { mk_exclhi(x[0..2]) } prs { (i:3: g => x[i]-) } }
defproc test() {
  bool g, x[3];
  pair p(g, x);
  bool t;
  chp { g+; g-; t := true; t := false; log(x[0], x[1], x[2]) }
}
";
    let run = run_text(design);
    let logs = run.log_texts();
    let high = |l: &String| l.chars().filter(|&c| c == '1').count();
    assert_eq!(logs.iter().map(high).collect::<Vec<_>>(), [1], "{logs:?}");
}

#[test]
fn an_exclusion_retracts_the_start_transition_of_the_last_driver_of_a_node() {
    // `y` has two drivers, `u` and `v` (their `late` rules each pull it up at 20), and is in
    // `mk_exclhi(x, y)` with `x` (up at 5). actsim's constraint keeps one object for `y`, the
    // last instance's (`v`): when `x` rises at 5 (y is 0 by then), it retracts v's start
    // transition, not u's. The command lowers `x` at 10, so that the exclusion no longer
    // forbids y's rise: u's transition fires at 20, and the line is u's.
    let design = "\
defproc late(bool! y) { prs { [after=20] true -> y+ } }
defproc early(bool! x; bool? y) { spec { mk_exclhi(x, y) } prs { [after=5] true -> x+ } }
defproc test() { bool x, y; late u(y); late v(y); early p(x, y); }
";
    let script = "set y 0\nwatch y\nadvance 10\npending -v\nset x 0\nadvance 20\n";
    let out = actsim_script(design, &["d.act", "test"], script);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    // The retracted event stays queued until its time, showing no pending transition.
    assert!(
        lines.contains(&"        10 [prs] late<> / u.y := 1"),
        "{text}"
    );
    assert!(
        lines.contains(&"        10 [prs] late<> / v.y := ???"),
        "{text}"
    );
    assert_eq!(
        lines.last(),
        Some(&"[                  20] <u>  y := 1"),
        "{text}"
    );
}

/// actsim's warning, at the start, about an exclusion on a node of several drivers.
const MULTI_DRIVER_EXCLUSION: &str =
    "WARNING: Exclusive constraint is in a multi-driver context. This may not work properly.";

#[test]
fn an_exclusion_on_a_node_of_several_drivers_warns_at_the_start_per_driver_after_the_first() {
    // `y` is driven by the rules of three instances, `u`, `v`, `w`: three drivers. `x` by
    // the two rules of `p`, one driver, and by the CHP of `e`, which is no driver here.
    let design = "\
defproc up(bool! y) { prs { [after=20] true -> y+ } }
defproc follow(bool! x; bool? y) { spec { SPEC } prs { y -> x+  ~y -> x- } }
defproc env(bool! x) { chp { x- } }
defproc test() { bool x, y; up u(y); up v(y); up w(y); follow p(x, y); env e(x); }
";
    let warnings = |spec: &str| {
        let out = actsim_script(&design.replace("SPEC", spec), &["d.act", "test"], "");
        let lines: Vec<String> = (stderr(&out).lines())
            .filter(|l| *l != DUPLICATE_IN_EXCLUSION)
            .map(str::to_owned)
            .collect();
        // At the start, after the substitution warning.
        let substituted = "WARNING: env<>: substituting chp model (requested prs, not found)";
        assert_eq!(
            lines.first().map(String::as_str),
            Some(substituted),
            "{lines:?}"
        );
        let count = lines
            .iter()
            .filter(|l| *l == MULTI_DRIVER_EXCLUSION)
            .count();
        assert!(
            lines[1..=count].iter().all(|l| l == MULTI_DRIVER_EXCLUSION),
            "{lines:?}"
        );
        count
    };
    // One per list, per node it names, per driver of the node after the first: two for
    // `y`, none for `x`.
    assert_eq!(warnings("mk_exclhi(x, y)"), 2);
    assert_eq!(warnings("mk_exclhi(x, y) mk_excllo(y, x)"), 4);
    // A list naming a node twice is skipped: no constraint to warn of.
    assert_eq!(warnings("mk_exclhi(x, y, x) mk_excllo(x, y, x)"), 0);
    assert_eq!(warnings(""), 0);
}

/// actsim's warning about a `spec` list naming a node twice, which it skips.
const DUPLICATE_IN_EXCLUSION: &str = "WARNING: Exclusive list has duplicate node; skipped";

#[test]
fn a_list_naming_a_node_twice_warns_as_its_instance_is_made() {
    // actsim makes an instance (its level warning), reads its `spec` (the warning about the
    // list), then makes the instances inside it.
    let design = "\
defproc env(bool! x) { chp { x- } }
defproc wrap(bool! x, y) { spec { SPEC } env e(x); prs { x -> y- } }
defproc test() { bool x, y; env first(x); wrap w(x, y); env last(y); }
";
    let start = |spec: &str, args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["d.act", "test"]);
        let out = actsim_script(&design.replace("SPEC", spec), &all, "");
        stderr(&out).lines().map(str::to_owned).collect::<Vec<_>>()
    };
    let env = "WARNING: env<>: substituting chp model (requested prs, not found)";
    let expected = [
        env,
        DUPLICATE_IN_EXCLUSION,
        DUPLICATE_IN_EXCLUSION,
        env,
        env,
    ];
    let lines = start("mk_exclhi(x, y, x) mk_excllo(y, y)", &[]);
    assert_eq!(lines[..5], expected, "{lines:?}");
    assert_eq!(start("mk_exclhi(x, y)", &[]), [env, env, env]);
    // An `exclhi` list is read only with `-m`.
    assert_eq!(start("exclhi(x, x)", &[]), [env, env, env]);
    let lines = start("exclhi(x, x)", &["-m"]);
    assert_eq!(
        lines[..4],
        [env, DUPLICATE_IN_EXCLUSION, env, env],
        "{lines:?}"
    );
    // Without the level warnings, it stays.
    let lines = start("mk_exclhi(x, x)", &["-Wlang_subst:off"]);
    assert_eq!(
        lines.first().map(String::as_str),
        Some(DUPLICATE_IN_EXCLUSION)
    );
}

#[test]
fn the_nodes_of_an_exclusion_are_hazards_too() {
    // As actsim, whose `mk_excl*` directives end in its `hazard` case as well: a falling
    // unstable transition of `c` warns of nothing.
    let design = "\
defproc g(bool? a; bool! c) { spec { SPEC } prs { a -> c+  [after=35] ~a -> c- } }
defproc env(bool! a) { chp { a+; a-; a+ } }
defproc test() { bool a, c; g x(a, c); env v(a); }
";
    for spec in ["mk_exclhi(c)", "mk_excllo(c)"] {
        let run = run_text(&design.replace("SPEC", spec));
        assert!(!run.transcript.contains("unstable"), "{}", run.transcript);
    }
    let run = run_text(&design.replace("SPEC", ""));
    assert!(run.transcript.contains("unstable"), "{}", run.transcript);
}

#[test]
fn with_random_choice_a_change_of_the_one_node_of_a_list_draws() {
    // `t` toggles, and each change of it draws one number (modulo 1: it always happens),
    // which moves the stream on: the race of x and y, next, ends otherwise for some seeds.
    let design = RACE.replace(
        "SPEC",
        "bool t; spec { mk_exclhi(x, y) ONE } prs { a -> t+  ~a -> t- }",
    );
    let winners = |one: &str| -> Vec<String> {
        (0..12)
            .map(|seed| {
                let seed = seed.to_string();
                let args = ["--seed", seed.as_str(), "--random-choice"];
                run_cli(&design.replace("ONE", one), &args)
            })
            .collect()
    };
    let plain = winners("");
    assert_ne!(winners("mk_exclhi(t)"), plain);
    assert_ne!(winners("mk_excllo(t)"), plain);
}
