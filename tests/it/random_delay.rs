//! `--random-delay MIN..MAX` (README, "Random timing"): each action's non-zero delay drawn from
//! the run's random stream (actsim's `rand_r` from the seed); the same seed gives the same
//! transcript, another seed another timing, and a malformed range is a command-line error
//! (exit 2).

use crate::common::cli::chpsim;

fn transcript(args: &[&str]) -> String {
    let mut all = vec!["run", "designs/pipeline.act", "--transcript", "-"];
    all.extend_from_slice(args);
    let out = chpsim(&all);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The handshake lines of a transcript without their times: what the design computed.
fn handshakes(transcript: &str) -> Vec<String> {
    let mut lines: Vec<String> = transcript
        .lines()
        .filter(|l| l.contains(" -> "))
        .map(|l| l.trim_start().split_once("  ").unwrap().1.to_string())
        .collect();
    lines.sort();
    lines
}

#[test]
fn the_same_seed_gives_the_same_transcript_and_another_seed_another_timing() {
    let random = |seed: &str| transcript(&["--random-delay", "5..15", "--seed", seed]);
    let (a, again, b) = (random("3"), random("3"), random("4"));
    assert_eq!(a, again);
    assert_ne!(a, b);
    assert!(a.starts_with(
        "# chpsim transcript: design=pipeline.act top=top seed=3 random-delay=5..15\n"
    ));
    let fixed = transcript(&[]);
    assert_ne!(a, fixed);
    // Only the timing changes: the same tokens cross the same channels.
    assert_eq!(handshakes(&a), handshakes(&fixed));
    assert_eq!(handshakes(&b), handshakes(&fixed));
}

/// The times of a design's log lines.
fn log_times(design: &str, range: &str, seed: &str) -> Vec<u64> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    std::fs::write(&path, design).unwrap();
    let out = chpsim(&[
        "run",
        path.to_str().unwrap(),
        "--random-delay",
        range,
        "--seed",
        seed,
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l[1..21].trim().parse().unwrap())
        .collect()
}

#[test]
fn each_action_draws_its_delay_from_the_range_and_zero_delays_stay_zero() {
    // Per iteration: a guard (drawn) and an assignment (drawn), so 2 draws between logs.
    let two_draws = "defproc test() { int x; chp { x := 0; *[ x < 60 -> x := x + 1; log(x) ] } }";
    let times = log_times(two_draws, "5..15", "1");
    let gaps: Vec<u64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.iter().all(|g| (10..=30).contains(g)), "{gaps:?}");
    assert!(
        gaps.iter().any(|&g| g != gaps[0]),
        "not all the same: {gaps:?}"
    );
    // The assignment takes no time (`@[after=0]`): one draw per iteration, the guard's.
    let one_draw =
        "defproc test() { int x; chp { x := 0; *[ x < 60 -> @[after=0] x := x + 1; log(x) ] } }";
    let times = log_times(one_draw, "5..15", "1");
    let gaps: Vec<u64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.iter().all(|g| (5..=15).contains(g)), "{gaps:?}");
    // A range of one value is a fixed delay.
    let times = log_times(two_draws, "7..7", "9");
    assert!(times.windows(2).all(|w| w[1] - w[0] == 14), "{times:?}");
}

#[test]
fn the_delays_are_rand_r_draws_from_the_seed_modulo_two_to_the_32() {
    // glibc's rand_r from seed 0: 1012484, 1716955679, 1792309082; 5..15 is 11 values, so
    // 5 + r * 11 / 2^31: 5, 13, 14. Under `run` the first action draws too: 5, 18, 32.
    let design = "
defproc test() {
  int<8> x;
  chp { x := 1; log(\"a\"); x := 2; log(\"b\"); x := 3; log(\"c\") }
}
";
    assert_eq!(log_times(design, "5..15", "0"), [5, 18, 32]);
    assert_eq!(log_times(design, "5..15", "4294967296"), [5, 18, 32]);
    assert_ne!(log_times(design, "5..15", "1"), [5, 18, 32]);
}

#[test]
fn a_malformed_range_is_a_command_line_error() {
    for (range, says) in [
        ("15..5", "MIN must not be larger than MAX (got 15..5)"),
        ("0..5", "the smallest delay must be at least 1"),
        ("5", "expected MIN..MAX in ticks, e.g. 5..15 (got `5`)"),
        ("5..x", "expected MIN..MAX in ticks"),
        ("-2..5", "expected MIN..MAX in ticks"),
    ] {
        let option = format!("--random-delay={range}");
        let out = chpsim(&["run", "designs/pipeline.act", &option]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{range}: {err}");
        assert!(
            err.contains(&format!(
                "invalid value '{range}' for '--random-delay <MIN..MAX>'"
            )),
            "{err}"
        );
        assert!(err.contains(says), "{range}: {err}");
    }
}
