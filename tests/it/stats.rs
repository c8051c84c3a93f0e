//! `--stats` and `--stats-file` (README, "Channel statistics"): values computed by hand on small
//! designs, the JSON file read back, the seed's pipeline running at one rate, and statistics
//! that never change what a design computes.
use std::path::{Path, PathBuf};

use chpsim::output::stats::{ChannelStats, ProcessStats, Slowest, Stats};

use crate::common::cli::chpsim;

/// Runs `design` (a path) with `--stats-file` and reads the file back.
fn stats_of(design: &Path) -> Stats {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stats.json");
    let out = chpsim(&[
        "run",
        design.to_str().unwrap(),
        "--quiet",
        "--stats-file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

fn write_design(dir: &tempfile::TempDir, text: &str) -> PathBuf {
    let path = dir.path().join("d.act");
    std::fs::write(&path, text).unwrap();
    path
}

/// A source, one buffer and a slow sink: every time below is worked out in the comments.
const TWO_STAGES: &str = "
defproc src(chan!(int) R) { int i; chp { i := 0; *[ i < 3 -> R!i; i := i + 1 ] } }
defproc buf(chan?(int) L; chan!(int) R) { int x; chp { *[ L?x; R!x ] } }
defproc snk(chan?(int) L) { int x; chp { *[ L?x; @[after=40] skip ] } }
defproc test() { src s; buf b; snk k; s.R = b.L; b.R = k.L; }
";

fn channel(
    ends: (&str, &str),
    times: (u64, u64, u64),
    cycles: (f64, u64),
    waited: (u64, u64),
    end: u64,
) -> ChannelStats {
    ChannelStats {
        sender: ends.0.into(),
        receiver: ends.1.into(),
        handshakes: times.0,
        first: Some(times.1),
        last: Some(times.2),
        mean_cycle: Some(cycles.0),
        min_cycle: Some(cycles.1),
        sender_waited: waited.0,
        receiver_waited: waited.1,
        sender_wait_share: waited.0 as f64 / end as f64,
        receiver_wait_share: waited.1 as f64 / end as f64,
    }
}

fn process(name: &str, blocked: u64, end: u64) -> ProcessStats {
    ProcessStats {
        name: name.into(),
        blocked,
        blocked_share: blocked as f64 / end as f64,
    }
}

#[test]
fn a_two_stage_pipeline_has_the_statistics_worked_out_by_hand() {
    // s: i := 0 at 10, guard at 20, sends 0 at 30, 1 at 60, 2 at 90 (then waits for b until 120),
    //    ends after its guard at 140.
    // b: a receive fires at 20 (loop 10 + receive 10) and waits until 30; sends at 40 (k waits
    //    since 20); receives at 60 (s there at once); sends at 70, waits until k comes at 100;
    //    receives at 120 (s waiting since 90); sends at 130, waits until 160; receives at 180
    //    and waits until the end.
    // k: receives at 20, waits until 40; then every 60 (receive, 40 + loop 10 + receive 10):
    //    at 100, 160 (b waiting each time), 220 (waits: the run ends there, at 220).
    let dir = tempfile::tempdir().unwrap();
    let stats = stats_of(&write_design(&dir, TWO_STAGES));
    let end = 220;
    assert_eq!(
        stats,
        Stats {
            end_time: end,
            channels: vec![
                // s waits 90..120; b waits 20..30 and 180..220.
                channel(("s.R", "b.L"), (3, 30, 120), (45.0, 30), (30, 50), end),
                // b waits 70..100 and 130..160; k waits 20..40 and from 220.
                channel(("b.R", "k.L"), (3, 40, 160), (60.0, 60), (60, 20), end),
            ],
            processes: vec![
                process("s", 30, end),
                process("b", 110, end),
                process("k", 20, end),
            ],
            slowest: Some(Slowest {
                channel: 1,
                name: "b.R -> k.L".into(),
                mean_cycle: 60.0,
                sharing: 1,
            }),
        }
    );
}

#[test]
fn a_guard_waiting_on_a_probe_counts_as_its_side_waiting() {
    // q's guard fails at 10 and waits for a sender; p's send fires at 60 (50 + 10), which
    // wakes q's guard at once; q's receive fires at 70 and completes: p waited 60..70.
    let design = "
defproc p(chan!(int) R) { chp { @[after=50] skip; R!1 } }
defproc q(chan?(int) L) { int x; chp { [#L]; L?x } }
defproc test() { p a; q b; a.R = b.L; }
";
    let dir = tempfile::tempdir().unwrap();
    let stats = stats_of(&write_design(&dir, design));
    assert_eq!(stats.end_time, 70);
    let c = &stats.channels[0];
    assert_eq!((c.handshakes, c.first, c.last), (1, Some(70), Some(70)));
    assert_eq!((c.mean_cycle, c.min_cycle), (None, None));
    assert_eq!((c.sender_waited, c.receiver_waited), (10, 50));
    let blocked: Vec<u64> = stats.processes.iter().map(|p| p.blocked).collect();
    assert_eq!(blocked, vec![10, 50]);
    assert_eq!(stats.slowest, None);
}

#[test]
fn the_seed_pipeline_runs_at_one_rate_and_its_tokens_do_not_queue() {
    let stats = stats_of(Path::new("designs/pipeline.act"));
    assert_eq!(stats.channels.len(), 11);
    // The source makes a token every 30 ticks; every stage passes them on at that rate.
    for c in &stats.channels {
        assert_eq!(
            (c.handshakes, c.mean_cycle, c.min_cycle),
            (5, Some(30.0), Some(30))
        );
        assert_eq!(c.sender_waited, 0, "{c:?}");
    }
    let slowest = stats.slowest.unwrap();
    assert_eq!((slowest.channel, slowest.sharing), (0, 11));
    let out = chpsim(&["run", "designs/pipeline.act", "--quiet", "--stats"]);
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("slowest channel: top.src.R -> top.b[0].L, a handshake every 30.0 ticks on average (11 of 11 channels run at that rate)"),
        "{text}"
    );
    assert!(text.contains("tokens queue nowhere"), "{text}");
    assert!(text.contains("    37.0%  top.b[0]\n"), "{text}");
}

#[test]
fn a_slow_sink_shows_where_the_tokens_queue() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_design(&dir, TWO_STAGES);
    let out = chpsim(&["run", path.to_str().unwrap(), "--stats"]);
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("tokens queue most at: b.R -> k.L (its sender waits 27.3% of the time for the receiver)"),
        "{text}"
    );
    // The summary line stays last.
    assert!(
        text.trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("end at time 220"),
        "{text}"
    );
}

#[test]
fn statistics_never_change_what_a_design_computes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    let mut designs: Vec<PathBuf> = std::fs::read_dir("designs")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "act"))
        .collect();
    designs.sort();
    for design in designs {
        let design = design.to_str().unwrap();
        let plain = chpsim(&["run", design, "--transcript", "-"]);
        let with = chpsim(&[
            "run",
            design,
            "--transcript",
            "-",
            "--stats",
            "--stats-file",
            file.to_str().unwrap(),
        ]);
        assert_eq!(plain.stdout, with.stdout, "{design}");
        assert_eq!(plain.status.code(), with.status.code(), "{design}");
    }
}

#[test]
fn an_unwritable_stats_file_is_an_error_before_the_run() {
    let out = chpsim(&[
        "run",
        "designs/pipeline.act",
        "--stats-file",
        "/nonexistent-dir/s.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot write /nonexistent-dir/s.json"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}
