//! `chpsim actsim`'s random timing and choice as actsim draws them: one `rand_r` stream from
//! seed 0 (`random_seed N` starts it again, also in the middle of a run) for every CHP delay,
//! every production rule's delay, every `[| |]` choice and every `mk_excl*` draw, in the order
//! of events; what actsim queues before its first command (each process's first event) is not
//! drawn. Each time below is derived by hand from glibc's `rand_r` values (printed by a C
//! program), `r0`, `r1`, ... from seed 0:
//!
//! | draw | `rand_r`      | `random 5 15`: 5 + d * 10 | bare `random`: e^(d ln 2^16) - 1 | mod 3 |
//! |------|---------------|---------------------------|----------------------------------|-------|
//! | r0   | 1 012 484     | 5                         | 0, drawn as 1                    | 2     |
//! | r1   | 1 716 955 679 | 12                        | 7092                             | 2     |
//! | r2   | 1 792 309 082 | 13                        | 10467                            | 2     |
//! | r3   | 229 610 924   | 6                         | 2                                | 2     |
//! | r4   | 1 639 479 903 | 12                        | 4753                             | 0     |
//! | r5   | 1 362 739 833 | 11                        |                                  | 0     |
//! | r6   | 918 811 664   | 9                         |                                  | 2     |
//! | r7   | 2 146 985 903 | 14                        |                                  | 2     |
//! | r8   | 1 443 394 820 | 11                        |                                  | 2     |
//! | r9   | 717 935 133   | 8                         |                                  | 0     |
//! | r10  | 539 012 422   | 7                         |                                  | 1     |
//!
//! (d = r / RAND_MAX, RAND_MAX = 2^31 - 1; from seed 7, `random 5 15` draws 10, 5, 11, 8.)
use crate::common::cli::{actsim_script, stdout};

fn run(design: &str, script: &str) -> String {
    stdout(&actsim_script(design, &["d.act", "test"], script))
}

/// Three assignments, each followed by a `log`.
const STRAIGHT: &str = "
defproc test() {
  int<8> x;
  chp { x := 1; log(\"a\"); x := 2; log(\"b\"); x := 3; log(\"c\") }
}
";

#[test]
fn chp_delays_are_actsims_draws_after_the_first_event() {
    // `x := 1` was queued before `random` (10 ticks); `log` takes no time and draws nothing.
    // random 5 15: x := 2 at 10 + 5 (r0), x := 3 at 15 + 12 (r1).
    assert_eq!(
        run(STRAIGHT, "random 5 15\ncycle\n"),
        "[                  10] <>  a\n\
         [                  15] <>  b\n\
         [                  27] <>  c\n"
    );
    // Bare random: r0 is 0, drawn as 1; r1 is 7092.
    assert_eq!(
        run(STRAIGHT, "random\ncycle\n"),
        "[                  10] <>  a\n\
         [                  11] <>  b\n\
         [                7103] <>  c\n"
    );
}

#[test]
fn a_fork_draws_for_its_branches_in_order_and_the_join_for_what_follows() {
    // x+ at 10 (queued before); the fork takes no time and draws nothing; its branches draw
    // in order, y+ +5 (r0) = 15 and z+ +12 (r1) = 22; the last to end, z, draws w+'s +13
    // (r2) = 35.
    let design = "defproc test() { bool x, y, z, w; chp { x+; (y+, z+); w+ } }";
    assert_eq!(
        run(
            design,
            "random 5 15\nwatch x\nwatch y\nwatch z\nwatch w\ncycle\n"
        ),
        "[                  10] <>  x := 1\n\
         [                  15] <>  y := 1\n\
         [                  22] <>  z := 1\n\
         [                  35] <>  w := 1\n"
    );
}

/// Four passes through a three-way arbitrated choice.
const CHOOSER: &str = "
defproc test() {
  int<4> i;
  chp {
    i := 0;
    *[ i < 4 -> [| true -> log(\"0\") [] true -> log(\"1\") [] true -> log(\"2\") |]; i := i + 1 ]
  }
}
";

#[test]
fn choices_and_delays_share_one_stream() {
    // Choices alone: each pass takes r_k mod 3 (2, 2, 2, 2); the selection's event is the
    // loop's test's 10 ticks after the previous assignment, and 10 more.
    assert_eq!(
        run(CHOOSER, "random_choice on\ncycle\n"),
        "[                  30] <>  2\n\
         [                  60] <>  2\n\
         [                  90] <>  2\n\
         [                 120] <>  2\n"
    );
    // With delays, the draws interleave in event order: i := 0 at 10 (queued before);
    // loop test +5 (r0) = 15; selection +12 (r1) = 27, choice r2 mod 3 = 2;
    // i := i + 1 +6 (r3) = 33; test +12 (r4) = 45; selection +11 (r5) = 56, choice r6 mod 3
    // = 2; i := i + 1 +14 (r7) = 70; test +11 (r8) = 81; selection +8 (r9) = 89, choice r10
    // mod 3 = 1.
    let out = run(CHOOSER, "random_choice on\nrandom 5 15\ncycle\n");
    let first: Vec<&str> = out.lines().take(3).collect();
    assert_eq!(
        first,
        [
            "[                  27] <>  2",
            "[                  56] <>  2",
            "[                  89] <>  1"
        ],
        "{out}"
    );
}

#[test]
fn the_party_that_completes_a_handshake_draws_before_the_one_it_wakes() {
    // prod's R!1 (10, queued before) waits; cons's loop (10, queued before) draws its L?x:
    // +5 (r0) = 15, which completes the handshake. cons goes on first (its loop +12 (r1) =
    // 27), then the woken prod (R!2 +13 (r2) = 28); cons's L?x +6 (r3) = 33 completes the
    // next: its loop +12 (r4) = 45, prod's R!3 +11 (r5) = 44; L?x +9 (r6) = 54; loop +14 (r7)
    // = 68, L?x +11 (r8) = 79 waits for good (prod has ended).
    let design = "
defproc prod(chan!(int<8>) R) { chp { R!1; R!2; R!3 } }
defproc cons(chan?(int<8>) L) { int<8> x; chp { *[ L?x ] } }
defproc test() { chan(int<8>) C; prod p(C); cons c(C); }
";
    let out = run(design, "random 5 15\nwatch C\ncycle\n");
    assert_eq!(
        out,
        "[                  10] <p>  C : send-blocked value: 1 (0x1)\n\
         [                  15] <c>  C: recv value: 1 (0x1)\n\
         [                  15] <p>  C : send complete   [by c]\n\
         [                  28] <p>  C : send-blocked value: 2 (0x2)\n\
         [                  33] <c>  C: recv value: 2 (0x2)\n\
         [                  33] <p>  C : send complete   [by c]\n\
         [                  44] <p>  C : send-blocked value: 3 (0x3)\n\
         [                  54] <c>  C: recv value: 3 (0x3)\n\
         [                  54] <p>  C : send complete   [by c]\n\
         [                  79] <c>  C: recv-blocked\n"
    );
}

/// Two inverters in a row.
const CHAIN: &str = "
defproc inv(bool? a; bool! y) { prs { a => y- } }
defproc test() { bool a, b, c; inv i1(a, b); inv i2(b, c); }
";

#[test]
fn rule_delays_draw_from_the_stream_and_random_seed_restarts_it_mid_run() {
    // set a 1 at 0: b- +5 (r0) = 5, c+ +12 (r1) = 17; set a 0 at 17: b+ +13 (r2) = 30,
    // c- +6 (r3) = 36.
    let watched = "random 5 15\nwatch b\nwatch c\nset a 1\ncycle\n";
    assert_eq!(
        run(CHAIN, &format!("{watched}set a 0\ncycle\n")),
        "[                   5] <i1>  b := 0\n\
         [                  17] <i2>  c := 1\n\
         [                  30] <i1>  b := 1\n\
         [                  36] <i2>  c := 0\n"
    );
    // random_seed 7 at 17: b+ +10 = 27, c- +5 = 32.
    let out = run(CHAIN, &format!("{watched}random_seed 7\nset a 0\ncycle\n"));
    assert!(
        out.ends_with(
            "[                  27] <i1>  b := 1\n\
             [                  32] <i2>  c := 0\n"
        ),
        "{out}"
    );
    // And `norandom` in the middle of the run: the fixed 10 ticks again.
    let out = run(CHAIN, &format!("{watched}norandom\nset a 0\ncycle\n"));
    assert!(
        out.ends_with("[                  37] <i2>  c := 0\n"),
        "{out}"
    );
}

#[test]
fn a_rule_draws_when_a_chp_write_wakes_it_before_the_writer_draws_its_next_delay() {
    // actsim propagates a CHP write to the rules at once: their draw comes before the
    // writer's next statement's. a+ at 10 (queued before); b- +5 (r0) = 15; a- +12 (r1) =
    // 22, which schedules b+ +13 (r2) = 35; a+ +6 (r3) = 28 makes the pending b+ unstable: b
    // is X at 29, and its b- then +12 (r4) = 41.
    let design = "
defproc inv(bool? a; bool! y) { prs { a => y- } }
defproc drv(bool! a) { chp { a+; a-; a+ } }
defproc test() { bool a, b; drv d(a); inv i(a, b); }
";
    let out = run(design, "random 5 15\nwatch a\nwatch b\ncycle\n");
    assert_eq!(
        out,
        "[                  10] <d>  a := 1\n\
         [                  15] <i>  b := 0\n\
         [                  22] <d>  a := 0\n\
         [                  28] <d>  a := 1\n\
         [                  28] <i>  WARNING: unstable transition on `y'   [by d]\n\
         [                  29] <i>  b := X   [by d]\n\
         [                  41] <i>  b := 0\n"
    );
}

#[test]
fn an_exclusive_group_draws_even_with_no_rival_pending() {
    // x rises at 30 (set a 1 at 0: x- +5 (r0) = 5, w+ +12 (r1) = 17; set a 0 at 17: x+ +13
    // (r2) = 30). With random choice, mk_exclhi(x, z) draws r3 modulo 1 (z has nothing
    // pending), so w- takes r4: +12 = 42; without it, r3: +6 = 36.
    let design = "
defproc test() {
  bool a, x, z, w;
  prs { ~a -> x+  a -> x-  x => w- }
  spec { mk_exclhi(x, z) }
}
";
    let script = |choice: &str| {
        format!(
            "random_choice {choice}\nrandom 5 15\nwatch x\nwatch w\nset z 0\nset a 1\ncycle\n\
             set a 0\ncycle\n"
        )
    };
    let expected = |w_falls: &str| {
        format!(
            "[                   5] <>  x := 0\n\
             [                  17] <>  w := 1\n\
             [                  30] <>  x := 1\n\
             [                  {w_falls}] <>  w := 0\n"
        )
    };
    assert_eq!(run(design, &script("on")), expected("42"));
    assert_eq!(run(design, &script("off")), expected("36"));
}
