//! `chpsim sweep`: a design run once per seed finds the seeds that break it, each with the
//! command that reproduces it; shards split the seeds exactly; bad arguments exit with 2
//! (README, "Checks and sweeps in CI").
use std::collections::BTreeSet;

use chpsim::driver::sweep::{
    Failure, RunOverrides, SeedRange, SeedRangeError, Shard, ShardError, SweepDesign,
};
use chpsim::driver::RuntimeErrorKind;

use crate::common::cli::{chpsim, stderr, stdout};

/// The seeds a sweep's stdout reports, and the reproducing command of each.
fn failing_seeds(out: &str) -> Vec<(u64, String)> {
    let lines: Vec<&str> = out.lines().collect();
    lines
        .chunks(2)
        .map(|pair| {
            let seed = pair[0]
                .strip_prefix("seed ")
                .and_then(|rest| rest.split(':').next())
                .unwrap_or_else(|| panic!("not a seed line: {}", pair[0]));
            let command = pair[1].strip_prefix("  ").expect("an indented command");
            (seed.parse().unwrap(), command.to_string())
        })
        .collect()
}

#[test]
fn sweep_finds_the_seeds_under_which_the_unfair_arbiter_starves_a_client() {
    let out = chpsim(&["sweep", "designs/starvation.act", "--seeds", "0..40"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = failing_seeds(&stdout(&out));
    assert!(
        found.len() >= 3 && found.len() <= 30,
        "some seeds fail, not all: {found:?}"
    );
    // The golden seed passes (that is why `chpsim check` passes).
    assert!(found.iter().all(|(seed, _)| *seed != 0));
    assert!(stdout(&out).contains("assertion failed: a client was passed over 5 times in a row"));
    assert!(
        stderr(&out).contains(&format!("{} of 40 seeds failed (", found.len())),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("runs/s"), "{}", stderr(&out));

    // Each reported command reproduces the failure.
    let (seed, command) = &found[0];
    assert_eq!(
        command,
        &format!("chpsim run designs/starvation.act --seed {seed}")
    );
    let words: Vec<&str> = command.split_whitespace().skip(1).collect();
    let rerun = chpsim(&words);
    assert_eq!(rerun.status.code(), Some(1));
    assert!(stdout(&rerun).contains("ASSERTION failed: a client was passed over 5 times"));

    // The same bytes on one thread.
    let one = chpsim(&[
        "sweep",
        "designs/starvation.act",
        "--seeds",
        "0..40",
        "--jobs",
        "1",
    ]);
    assert_eq!(stdout(&one), stdout(&out));
}

#[test]
fn a_fair_arbiter_passes_every_seed() {
    let out = chpsim(&[
        "sweep",
        "designs/arbiter.act",
        "--seeds",
        "0..=29",
        "--random-choice",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("30 seeds, none failed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_deadlock_under_some_seeds_is_reported_with_a_command_that_fails_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("maybe_stuck.act");
    // Half the choices send to a receiver that is not there.
    std::fs::write(
        &path,
        "defproc p(chan!(int<8>) R) { chp { [| true -> R!1 [] true -> skip |] } }
defproc q(chan?(int<8>) L) { chp { skip } }
defproc test() { p a; q b; a.R = b.L; }
",
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let out = chpsim(&["sweep", path, "--seeds", "0..20", "--random-choice"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = failing_seeds(&stdout(&out));
    assert!(!found.is_empty() && found.len() < 20, "{found:?}");
    assert!(
        stdout(&out).contains(": deadlock: a waits on send"),
        "{}",
        stdout(&out)
    );
    let (seed, command) = &found[0];
    assert_eq!(
        command,
        &format!("chpsim run {path} --seed {seed} --random-choice --deadlock=error")
    );
    let words: Vec<&str> = command.split_whitespace().skip(1).collect();
    assert_eq!(chpsim(&words).status.code(), Some(1));
    assert!(stderr(&out).contains(" deadlock"), "{}", stderr(&out));
}

#[test]
fn random_delays_find_a_race_that_fixed_delays_hide() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("race.act");
    // With fixed delays `first` always sends first; with random ones `second` sometimes wins.
    std::fs::write(
        &path,
        "defproc first(chan!(int<8>) R) { chp { R!1 } }
defproc second(chan!(int<8>) R) { int<8> x; chp { x := 2; R!x } }
defproc judge(chan?(int<8>) A, B) {
  int<8> x;
  chp { [ #A | #B ]; assert(#A, \"B came before A\"); A?x; B?x }
}
defproc test() { first a; second b; judge j; a.R = j.A; b.R = j.B; }
",
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let fixed = chpsim(&["sweep", path, "--seeds", "0..30"]);
    assert_eq!(fixed.status.code(), Some(0), "{}", stdout(&fixed));

    let out = chpsim(&["sweep", path, "--seeds", "0..30", "--random-delay", "1..20"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = failing_seeds(&stdout(&out));
    assert!(!found.is_empty() && found.len() < 30, "{found:?}");
    let (seed, command) = &found[0];
    assert_eq!(
        command,
        &format!("chpsim run {path} --seed {seed} --random-delay 1..20")
    );
    let words: Vec<&str> = command.split_whitespace().skip(1).collect();
    let rerun = chpsim(&words);
    assert_eq!(rerun.status.code(), Some(1));
    assert!(stdout(&rerun).contains("ASSERTION failed: B came before A"));
}

#[test]
fn shards_take_each_seed_of_the_range_exactly_once() {
    for (range, shards) in [
        ("0..100", 1),
        ("0..100", 3),
        ("5..=17", 4),
        ("7..9", 5),
        ("18446744073709551610..=18446744073709551615", 4),
    ] {
        let range: SeedRange = range.parse().unwrap();
        let mut all = Vec::new();
        for index in 1..=shards {
            let shard = Shard {
                index,
                count: shards,
            };
            let len = u64::try_from(shard.len(range)).unwrap();
            all.extend((0..len).map(|i| shard.seed(range, i)));
        }
        let expected: Vec<u64> = (range.first..=range.last).collect();
        all.sort_unstable();
        assert_eq!(all, expected, "{range} in {shards} shards");
    }
}

#[test]
fn every_seed_of_u64_is_too_many_for_one_run() {
    let all: SeedRange = "0..=18446744073709551615".parse().unwrap();
    assert_eq!(Shard::ALL.len(all), 1 << 64);
    let out = chpsim(&[
        "sweep",
        "designs/starvation.act",
        "--seeds",
        "0..=18446744073709551615",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .starts_with("error: --seeds 0..=18446744073709551615: too many seeds for one run"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn sweep_takes_run_limits_and_says_when_seeds_cannot_differ() {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("late.act");
    // Fails at time 500 only: a limit before that passes every seed.
    std::fs::write(
        &design,
        "defproc test() { int<16> t; chp { *[ t := t + 1; assert(t < 50, \"late\") ] } }
defproc other() { chp { skip } }
",
    )
    .unwrap();
    let design = design.to_str().unwrap();
    let sweep = |extra: &[&str]| {
        let mut args = vec!["sweep", design, "--seeds", "0..3", "--random-choice"];
        args.extend(extra);
        chpsim(&args)
    };
    let out = sweep(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("late"), "{}", stdout(&out));
    for limit in [
        &["--until", "400"][..],
        &["--max-events", "40"],
        &["--top", "other"],
    ] {
        let out = sweep(limit);
        assert_eq!(out.status.code(), Some(0), "{limit:?}: {}", stdout(&out));
        assert!(stderr(&out).contains("3 seeds, none failed"), "{limit:?}");
    }
    // The reproducing command carries the limits.
    let out = sweep(&["--until", "1500"]);
    assert!(stdout(&out).contains("--until 1500"), "{}", stdout(&out));
    // Without --random-choice or --random-delay, every seed is the same run: said once.
    let out = chpsim(&["sweep", design, "--seeds", "0..3", "--until", "100"]);
    assert!(
        stderr(&out).starts_with(&format!(
            "warning: {design} draws nothing at random (no --random-choice, no \
             --random-delay): every seed runs the same\n"
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_sweep_in_shards_finds_what_the_whole_sweep_finds() {
    let seeds = |args: &[&str]| -> BTreeSet<u64> {
        let mut full = vec!["sweep", "designs/starvation.act", "--seeds", "0..30"];
        full.extend(args);
        let out = chpsim(&full);
        failing_seeds(&stdout(&out))
            .into_iter()
            .map(|(seed, _)| seed)
            .collect()
    };
    let whole = seeds(&[]);
    let mut union = BTreeSet::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let part = seeds(&["--shard", &shard]);
        // Shard K of 3 takes the seeds K-1, K+2, K+5, ...
        assert!(part.iter().all(|s| s % 3 == k - 1), "{shard}: {part:?}");
        assert!(union.is_disjoint(&part));
        union.extend(part);
    }
    assert_eq!(union, whole);
}

#[test]
fn bad_sweep_and_check_arguments_exit_with_2() {
    for args in [
        vec!["sweep", "designs/starvation.act"],
        vec!["sweep", "designs/starvation.act", "--seeds", "5..5"],
        vec!["sweep", "designs/starvation.act", "--seeds", "9..3"],
        vec!["sweep", "designs/starvation.act", "--seeds", "a..b"],
        vec!["sweep", "designs/starvation.act", "--seeds", "10"],
        vec!["sweep", "designs/starvation.act", "--seeds", "-1..3"],
        vec![
            "sweep",
            "designs/starvation.act",
            "--seeds",
            "0..9",
            "--shard",
            "0/3",
        ],
        vec![
            "sweep",
            "designs/starvation.act",
            "--seeds",
            "0..9",
            "--shard",
            "4/3",
        ],
        vec![
            "sweep",
            "designs/starvation.act",
            "--seeds",
            "0..9",
            "--shard",
            "1/0",
        ],
        vec![
            "sweep",
            "designs/starvation.act",
            "--seeds",
            "0..9",
            "--shard",
            "2",
        ],
        vec![
            "sweep",
            "designs/starvation.act",
            "--seeds",
            "0..9",
            "--jobs",
            "0",
        ],
        vec![
            "sweep",
            "designs/starvation.act",
            "--seeds",
            "0..9",
            "--seed",
            "3",
        ],
        vec!["sweep", "no/such/design.act", "--seeds", "0..9"],
        vec!["sweep", "tests/bad/unknown_process.act", "--seeds", "0..9"],
        vec!["check", "designs/pipeline.act", "--jobs", "0"],
        vec!["check", "designs/pipeline.act", "--jobs", "many"],
    ] {
        let out = chpsim(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{args:?}");
        assert_eq!(stdout(&out), "", "{args:?}");
    }
    let out = chpsim(&["sweep", "designs/starvation.act", "--seeds", "9..3"]);
    assert!(
        stderr(&out).contains("9..3 holds no seeds"),
        "{}",
        stderr(&out)
    );
    let out = chpsim(&[
        "sweep",
        "designs/starvation.act",
        "--seeds",
        "0..9",
        "--shard",
        "4/3",
    ]);
    assert!(stderr(&out).contains("1 <= K <= N"), "{}", stderr(&out));
}

#[test]
fn a_seed_that_fails_keeps_its_typed_runtime_error() {
    let design = SweepDesign::load(
        std::path::Path::new("designs/starvation.act"),
        RunOverrides::default(),
    )
    .unwrap();
    let failure = (0..40)
        .find_map(|seed| design.run_seed(seed))
        .expect("some seed starves a client");
    let Failure::RuntimeError(error) = &failure else {
        panic!("not a runtime error: {failure:?}");
    };
    assert!(
        matches!(
            error.kind,
            RuntimeErrorKind::AssertionFailed { message: Some(_) }
        ),
        "{error:?}"
    );
    assert_eq!(failure.line(), error.to_string());
}

#[test]
fn bad_seed_ranges_and_shards_say_what_is_wrong() {
    let range = |s: &str| s.parse::<SeedRange>().unwrap_err();
    assert_eq!(range("9..3"), SeedRangeError::Empty("9..3".into()));
    assert_eq!(range("x..3"), SeedRangeError::NotASeed("x".into()));
    assert_eq!(range("7"), SeedRangeError::Form);
    assert_eq!(range("9..3").to_string(), "9..3 holds no seeds");
    let shard = "4/3".parse::<Shard>().unwrap_err();
    assert_eq!(shard, ShardError("4/3".into()));
    assert!(shard.to_string().ends_with("not `4/3`"), "{shard}");
}
