//! How actsim's commands read their arguments (its C library's `sscanf`, `atoi` and `atof`:
//! the number at the start of the word), and `pending`'s count of circuit transitions. A word
//! such as `3x` never reaches a command unquoted (actsim's command reader refuses it, see
//! actsim_reader.rs); quoted, it reaches it as typed.
use std::process::Output;

use crate::common::cli::{actsim_script, stderr, stderr_without_substitutions, stdout};

/// A producer sending 1, 2, 3 to a consumer that keeps the last in `x`.
const PAIR: &str = "
defproc prod(chan!(int<8>) R) { chp { R!1; R!2; R!3 } }
defproc cons(chan?(int<8>) L) { int<8> x; chp { *[ L?x ] } }
defproc test() { chan(int<8>) C; prod p(C); cons c(C); }
";

fn run(design: &str, script: &str) -> Output {
    actsim_script(design, &["d.act", "test"], script)
}

/// The time of the first line of `out` that ends with `end`.
fn time_of(out: &str, end: &str) -> u64 {
    (out.lines().find(|l| l.ends_with(end)).unwrap())
        .split(']')
        .next()
        .unwrap()
        .trim_start_matches('[')
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn step_and_advance_read_the_number_a_word_starts_with() {
    let plain = run(PAIR, "watch c.x\nstep 3\nadvance 15\nget c.x\n");
    let suffixed = run(
        PAIR,
        "watch c.x\nstep \"3x\"\nadvance \"15ticks\"\nget c.x\n",
    );
    assert_eq!(stderr_without_substitutions(&suffixed), "");
    assert_eq!(stdout(&suffixed), stdout(&plain));
    assert!(stdout(&plain).contains("c.x := 1"), "{}", stdout(&plain));
    let o = run(PAIR, "step x\nadvance -3\n");
    assert_eq!(
        stderr_without_substitutions(&o),
        "step: zero/negative steps?\nadvance: zero/negative delay?\n"
    );
}

#[test]
fn random_seed_and_timescale_take_what_atoi_and_atof_take() {
    // `random_seed x` is seed 0 and `timescale "2.5ps"` is 2.5, as in actsim; a timescale that
    // reads as 0 is refused with actsim's message, which ends without a newline.
    let o = run(
        PAIR,
        "random_seed \"7x\"\nrandom_seed x\ntimescale \"2.5ps\"\ncycle\n",
    );
    assert_eq!(stderr_without_substitutions(&o), "");
    assert_eq!(o.status.code(), Some(0));
    let o = run(PAIR, "timescale x\nstep 0\n");
    assert_eq!(
        stderr_without_substitutions(&o),
        "Timescale value has to be positive!step: zero/negative steps?\n"
    );
}

#[test]
fn random_takes_its_range_as_atoi_reads_it_and_checks_nothing() {
    // `7x` is 7: every delay 7 (a handshake is two actions), but the first events of both
    // processes, queued before the first command (10 ticks), as actsim's are. actsim checks
    // neither end: a range given the wrong way round and one that reads as 0 are taken too.
    let watched = |script: &str| run(PAIR, &format!("{script}\nwatch c.x\ncycle\n"));
    let o = watched("random \"7x\" 7");
    assert_eq!(stderr_without_substitutions(&o), "");
    let out = stdout(&o);
    let times: Vec<&str> = (out.lines())
        .map(|l| l.split(']').next().unwrap().trim_start_matches('[').trim())
        .collect();
    assert_eq!(times, ["17", "31", "45"], "{out}");
    for script in ["random 9 1", "random -u 0 x", "random x y"] {
        let o = watched(script);
        assert_eq!(stderr_without_substitutions(&o), "", "{script}");
        assert_eq!(stdout(&o).lines().count(), 3, "{script}: {}", stdout(&o));
    }
}

#[test]
fn pending_counts_circuit_transitions_as_actsim_does() {
    // After `set a 1`, the rule's fall of `c` is the one event pending: actsim counts it and
    // says how many of the events are production-rule ones.
    let design = "
defproc slow(bool? a; bool! y) { prs { [after=50] a -> y-  [after=50] ~a -> y+ } }
defproc test() { bool a, c; slow s(a, c); }
";
    let o = run(design, "set a 1\npending\nadvance 60\npending\n");
    assert_eq!(
        stdout(&o),
        "Current time: 0\nPending events: 1; prs events: 1\n",
        "{}",
        stderr(&o)
    );
}

#[test]
fn bare_random_draws_from_actsims_spread_of_short_and_very_long_delays() {
    // actsim's bare `random` draws exp(d * ln 2^16) - 1 ticks (at least 1): mostly short
    // delays and a long tail up to 2^16, far beyond a range of 1..100. Each iteration below
    // is two actions (the loop's test and the assignment), so two draws.
    let design =
        "defproc test() { int<8> i; chp { i := 0; *[ i < 40 -> i := i + 1; log(\"i\") ] } }";
    let o = run(design, "random\nrandom_seed 5\ncycle\n");
    assert_eq!(stderr_without_substitutions(&o), "");
    let times: Vec<u64> = (stdout(&o).lines()).map(|l| time_of(l, "")).collect();
    assert_eq!(times.len(), 40, "{}", stdout(&o));
    let gaps: Vec<u64> = std::iter::once(times[0])
        .chain(times.windows(2).map(|w| w[1] - w[0]))
        .collect();
    assert!(gaps.iter().all(|g| (2..2 << 16).contains(g)), "{gaps:?}");
    assert!(gaps.iter().any(|&g| g > 1000), "the long tail: {gaps:?}");
    // Half the draws are below 255 ticks: some gaps of two are well below.
    assert!(gaps.iter().any(|&g| g < 100), "short delays: {gaps:?}");
    // The same seed, the same draws.
    assert_eq!(
        stdout(&run(design, "random\nrandom_seed 5\ncycle\n")),
        stdout(&o)
    );
}

#[test]
fn random_u_draws_only_the_delays_the_design_does_not_give() {
    // actsim's `random -u`: a rule's `after` stays, and so does every CHP delay (actsim's
    // are always given, the default being the configuration's); a rule without one is drawn.
    let design = "
defproc gates(bool? a; bool! b, c) { prs { [after=30] ~a -> b+  ~a -> c+ } }
defproc counter() { int x; chp { x := 1; x := 2 } }
defproc test() { bool a, b, c; gates g(a, b, c); counter k; }
";
    let watched = "random_seed 9\nwatch b\nwatch c\nwatch k.x\nset a 0\ncycle\n";
    for script in ["random -u", "random -u 50 900"] {
        let o = run(design, &format!("{script}\n{watched}"));
        assert_eq!(stderr_without_substitutions(&o), "");
        let out = stdout(&o);
        for line in [
            "[                  10] <k>  k.x := 1 (0x1)",
            "[                  20] <k>  k.x := 2 (0x2)",
            "[                  30] <g>  b := 1",
        ] {
            assert!(out.contains(line), "{script}: {line}\n{out}");
        }
        let c_at = time_of(&out, "c := 1");
        assert_ne!(c_at, 10, "{script}: the default delay is drawn\n{out}");
    }
    // Without `-u`, the rule's `after` is drawn too.
    let o = run(design, &format!("random 50 900\n{watched}"));
    assert!(
        !stdout(&o).contains("[                  30] <g>  b := 1"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn random_u_with_a_range_reads_u_as_its_smallest_delay() {
    // actsim's `random -u A B` hands its words on one place early: the range is from `-u`
    // (read as the number 0) to A, for the delays the design does not give, and B is never
    // read. `random -u A` is the range 0..A for every delay; four words are a usage error.
    let design = "
defproc gates(bool? a; bool! b, c) { prs { [after=30] ~a -> b+  ~a -> c+ } }
defproc test() { bool a, b, c; gates g(a, b, c); }
";
    for seed in 1..6 {
        let watched = format!("random_seed {seed}\nwatch b\nwatch c\nset a 0\ncycle\n");
        let o = run(design, &format!("random -u 4 900\n{watched}"));
        assert_eq!(stderr_without_substitutions(&o), "");
        let out = stdout(&o);
        assert_eq!(time_of(&out, "b := 1"), 30, "{out}");
        assert!((1..4).contains(&time_of(&out, "c := 1")), "{out}");
        let o = run(design, &format!("random -u 4\n{watched}"));
        let out = stdout(&o);
        assert!((1..4).contains(&time_of(&out, "b := 1")), "{out}");
        assert!((1..4).contains(&time_of(&out, "c := 1")), "{out}");
    }
    for script in ["random 1 2 3", "random -u 1 2 3"] {
        let o = run(design, &format!("{script}\nwatch c\nset a 0\ncycle\n"));
        assert_eq!(
            stderr_without_substitutions(&o),
            "Usage: random [-u] [min max]\n",
            "{script}"
        );
        assert!(stdout(&o).contains("[                  10] <g>  c := 1"));
    }
}
