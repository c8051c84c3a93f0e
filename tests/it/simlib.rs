//! actsim's `sim::` library, built into chpsim: `import sim;` with no ACT installation, each
//! component's log lines and files, and the functions `sim::file` and `sim::rand`.
use std::path::Path;
use std::process::{Command, Output};

use crate::common::cli::{actsim_script, stderr, stdout, BIN};

/// Runs `chpsim run d.act` in `dir` (holding `design` as d.act), with no ACT installation.
fn run_in(dir: &Path, design: &str, extra: &[&str]) -> Output {
    std::fs::write(dir.join("d.act"), design).unwrap();
    Command::new(BIN)
        .args(["run", "d.act"])
        .args(extra)
        .current_dir(dir)
        .env_remove("ACT_HOME")
        .env_remove("ACT_PATH")
        .output()
        .unwrap()
}

/// The log texts (after the `<instance>  `) of a run's stdout.
fn texts(o: &Output) -> Vec<String> {
    stdout(o)
        .lines()
        .map(|l| l.split_once("] ").map_or(l, |(_, rest)| rest).to_string())
        .collect()
}

fn run(design: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), design, &["--until", "400"])
}

#[test]
fn a_static_source_feeds_a_logging_sink() {
    let o = run("import sim;
        defproc test() {
          sim::source_static<8, 7, 3, true> src;
          sim::sink<8, 4, true> snk;
          snk.I = src.O;
        }");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = texts(&o);
    assert_eq!(t[0], "<snk>  Sink 4: Received value 7 (0x7)");
    assert_eq!(t[1], "<src>  Source 3: Sent value 7 (0x7)");
}

#[test]
fn each_scoreboard_says_what_passed_and_what_failed() {
    let o = run("import sim;
        defproc test() {
          sim::scoreboard::lockstep<8, 1, 2, 5, true> sb;
          sim::scoreboard::deterministic<8, 1, 6, false> det;
          sim::scoreboard::input_logger<8, 2, 7, true> inl;
          chp {
            sb.IN[0]!1, sb.OUT_M[0]!2, sb.OUT_M[1]!3, sb.OUT_D[0]!2, sb.OUT_D[1]!3;
            sb.IN[0]!4, sb.OUT_M[0]!5, sb.OUT_M[1]!6, sb.OUT_D[0]!5, sb.OUT_D[1]!9;
            det.OUT_M[0]!1, det.OUT_D[0]!1;
            det.OUT_M[0]!1, det.OUT_D[0]!0;
            inl.IN[0]!10, inl.IN[1]!11
          }
        }");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        texts(&o),
        [
            "<sb>  Scoreboard 5: TEST SUCCESS (0); inputs {0: 1 (0x1); }, outputs {0: 2 (0x2); 1: 3 (0x3); }",
            "<sb>  Scoreboard 5: TEST FAILED (1); inputs {0: 4 (0x4); }, outputs {0: expected 5 (0x5), got 5 (0x5); 1: expected 6 (0x6), got 9 (0x9); }",
            "<inl>  Scoreboard 7: INPUT TOKEN (0); inputs {0: 10 (0xa); 1: 11 (0xb); }",
            "<det>  Scoreboard 6: TEST FAILED (1); outputs {0: expected 1 (0x1), got 0 (0x0); }",
        ]
    );
}

#[test]
fn the_buffer_takes_every_token_before_any_is_read() {
    let o = run("import sim;
        defproc test() {
          sim::buffer<8, 2, true> b;
          int<8> x;
          chp { b.I!1; b.I!2; b.I!3; b.O?x; log(\"out \", x); b.O?x; log(\"out \", x) }
        }");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // (Without the lines saying its undriven enable ports are X, as actsim's buffer does.)
    let t: Vec<String> = texts(&o)
        .into_iter()
        .filter(|l| !l.contains("is X"))
        .collect();
    assert_eq!(t[0], "<b>  Buffer 2: Written 1 (0x1) to buffer");
    assert!(
        t.contains(&"<b>  Buffer 2: Written 3 (0x3) to buffer".to_string()),
        "{t:?}"
    );
    assert!(
        t.contains(&"<>  out 1".to_string()) && t.contains(&"<>  out 2".to_string()),
        "{t:?}"
    );
}

#[test]
fn the_logger_and_the_splitter_pass_tokens_on() {
    let o = run("import sim;
        defproc test() {
          sim::logger<8, 1, 9, true> lg;
          sim::splitter<8, 2, 4, true> sp;
          sp.I = lg.O[0];
          int<8> a, b;
          chp { lg.I[0]!42, (sp.O[0]?a, sp.O[1]?b); log(\"got \", a, \" \", b) }
        }");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = texts(&o);
    assert!(
        t.contains(&"<lg>  Logger 9 (Channel 0): Received value 42 (0x2a)".to_string()),
        "{t:?}"
    );
    assert!(
        t.contains(&"<sp>  Splitter 4: Received value 42 (0x2a)".to_string()),
        "{t:?}"
    );
    assert!(t.contains(&"<>  got 42 42".to_string()), "{t:?}");
}

#[test]
fn a_file_source_sends_each_value_of_its_file_and_a_file_sink_writes_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("_infile_.3"),
        "# values\n12\n\n0x10   # hex\n0b101\n0o17\n",
    )
    .unwrap();
    let o = run_in(
        dir.path(),
        "import sim;
        defproc test() {
          sim::source_file<8, 3, false, 1, true> src;
          sim::sink_file<8, 0, 5, 2, true> snk;
          snk.I = src.O;
        }",
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = texts(&o);
    assert_eq!(
        t.first().map(String::as_str),
        Some("<src>  Source 1: Sent value 12 (0xc)")
    );
    assert_eq!(
        t.last().map(String::as_str),
        Some("<src>  Source 1: Input file #3 ended.")
    );
    let written = std::fs::read_to_string(dir.path().join("_outfile_.5")).unwrap();
    assert_eq!(written, "0xc\n0x10\n0x5\n0xf\n");
}

#[test]
fn sim_file_reads_and_writes_files_by_number() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("_infile_.0"), "7\n8\n").unwrap();
    let o = run_in(
        dir.path(),
        "import sim;
        defproc test() {
          int r, w; int<64> v; bool ok, end;
          chp {
            r := sim::file::openr(0); w := sim::file::openw(1);
            *[ v := sim::file::read(r); ok := sim::file::write(w, v * 2); end := sim::file::eof(r) <- ~end ];
            ok := sim::file::closer(r); ok := sim::file::closew(w);
            log(\"reader \", r, \" writer \", w, \" closed \", ok)
          }
        }",
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(texts(&o), ["<>  reader 1 writer 1 closed 1"]);
    let written = std::fs::read_to_string(dir.path().join("_outfile_.1")).unwrap();
    assert_eq!(written, "14\n16\n");
}

#[test]
fn a_missing_input_file_is_reported_and_the_source_stops() {
    let o = run("import sim;
        defproc test() { sim::source_file<8, 9, false, 0, true> src; sim::sink<8, 0, false> snk; snk.I = src.O; }");
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    // As actsim's library writes it: no `WARNING: ` before it.
    assert!(
        (stderr(&o).lines())
            .any(|l| l == "actim_file_openr: Could not open file '_infile_.9' for reading."),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("Source 0 failed to open input file with ID 9!"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn random_sources_are_deterministic_and_stay_in_range() {
    let design = "import sim;
        defproc test() {
          sim::rand::source_range<8, 10, 20, 0, true> src;
          sim::sink<8, 0, false> snk;
          snk.I = src.O;
          int g; int<64> v;
          chp { g := sim::rand::init(4); v := sim::rand::get(g); log(\"four bits \", v) }
        }";
    let first = run(design);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(stdout(&first), stdout(&run(design)));
    let values: Vec<u64> = texts(&first)
        .iter()
        .filter_map(|l| l.strip_prefix("<src>  Random source 0: Sent value "))
        .map(|rest| rest.split(' ').next().unwrap().parse().unwrap())
        .collect();
    assert!(values.len() > 5, "{values:?}");
    assert!(values.iter().all(|v| (10..=20).contains(v)), "{values:?}");
    let four: u64 = texts(&first)
        .iter()
        .find_map(|l| l.strip_prefix("<>  four bits "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(four < 16);
}

#[test]
fn a_users_own_sim_library_next_to_the_design_wins() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sim.act"),
        "namespace sim { export defproc hello() { chp { log(\"mine\") } } }",
    )
    .unwrap();
    let o = run_in(
        dir.path(),
        "import sim; defproc test() { sim::hello h; }",
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(texts(&o), ["<h>  mine"]);
}

#[test]
fn the_built_in_library_replaces_an_installed_copy() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("act-home");
    std::fs::create_dir_all(home.join("act/sim")).unwrap();
    std::fs::write(
        home.join("act/sim/_all_.act"),
        "namespace sim { this is not ACT }",
    )
    .unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    std::fs::write(
        work.join("d.act"),
        "import sim; defproc test() { sim::source_static<4, 1, 0, false> s; sim::sink<4, 0, true> k; k.I = s.O; }",
    )
    .unwrap();
    let o = Command::new(BIN)
        .args(["run", "d.act", "--until", "100"])
        .current_dir(&work)
        .env("ACT_HOME", &home)
        .env_remove("ACT_PATH")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(texts(&o)[0], "<k>  Sink 0: Received value 1 (0x1)");
}

#[test]
fn a_sequence_source_sends_its_values_once_or_for_ever() {
    let o = run("import sim;
        defproc test() {
          pint data[3];
          data = {4, 5, 6};
          sim::source_sequence<8, 3, data, false, 2, true> once;
          sim::sink<8, 0, false> k1;
          k1.I = once.O;
          sim::source_sequence_multi<8, 2, 2, {7, 8}, true, 3, false> again;
          sim::sink<8, 1, true> k2;
          sim::sink<8, 2, false> k3;
          k2.I = again.O[0];
          k3.I = again.O[1];
        }");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = texts(&o);
    let once: Vec<&String> = t.iter().filter(|l| l.starts_with("<once>")).collect();
    assert_eq!(
        once,
        [
            "<once>  Source 2: Sent value 4 (0x4)",
            "<once>  Source 2: Sent value 5 (0x5)",
            "<once>  Source 2: Sent value 6 (0x6)",
            "<once>  Source 2: Sequence ended.",
        ]
    );
    let again: Vec<&String> = t.iter().filter(|l| l.starts_with("<k2>")).take(3).collect();
    assert_eq!(
        again,
        [
            "<k2>  Sink 1: Received value 7 (0x7)",
            "<k2>  Sink 1: Received value 8 (0x8)",
            "<k2>  Sink 1: Received value 7 (0x7)",
        ]
    );
}

#[test]
fn the_deprecated_check_sink_compares_tokens_with_a_file_and_says_it_is_deprecated() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("_infile_.2"), "1\n2\n").unwrap();
    let o = run_in(
        dir.path(),
        "import sim;
        defproc test() {
          sim::check_sink<8, 2, false> chk;
          chp { chk.I!1; chk.I!3 }
        }",
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // `warn` goes to stderr, as ACT's `warning` prints it.
    assert!(
        stderr(&o)
            .contains("WARNING: check_sink is deprecated and will be removed in a future version!"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        texts(&o),
        [
            "<chk>  ASSERTION failed, value mismatch; expected: 2 (0x2); got: 3 (0x3)",
            "<chk>  Sink file #2 ends.",
        ]
    );
}

/// `chpsim actsim d.act test` (CHP delay 5) with `script`: its stdout lines.
fn actsim_lines(design: &str, script: &str) -> Vec<String> {
    let o = actsim_script(design, &["-cnf=sim.conf", "d.act", "test"], script);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o).lines().map(str::to_string).collect()
}

#[test]
fn a_random_source_without_enable_reads_its_undriven_enable_before_each_token() {
    // actsim's random sources start with the generator alone (no `enable+`, unlike the
    // sources of given values), then wait on `~INCLUDE_ENABLE | enable` before each token:
    // `true | X`, which holds and warns. Statements every 5: init, loop, wait, get, send.
    let lines = actsim_lines(
        "import sim;
        defproc test() {
          sim::rand::source_simple<8, 3, false> src;
          sim::sink<8, 0, false> snk;
          snk.I = src.O;
        }",
        "watch src.enable\nwatch src.O\nadvance 30\n",
    );
    assert_eq!(
        lines,
        [
            "[                  10] <snk>  src.O: recv-blocked",
            "[                  15] <src>  WARNING: Boolean variable `enable' is X",
            "[                  25] <src>  src.O : send value: 4 (0x4)",
            "[                  25] <snk>  src.O: recv-wakeup value: 4 (0x4)   [by src]",
        ]
    );
}

#[test]
fn the_buffer_without_enables_reads_both_undriven_enables_as_actsims_does() {
    // actsim's buffer drives neither enable port (its _en form only reads them): its feeder
    // waits on `~INCLUDE_EIN | enable_in` before each token and its consumer on
    // `~INCLUDE_EOUT | enable_out` before each send, `true | X` in the plain buffer.
    let lines = actsim_lines(
        "import sim;
        defproc test() {
          sim::buffer<8, 1, false> b;
          int<8> x;
          chp { b.I!4; b.O?x; log(\"got \", x) }
        }",
        "watch b.enable_in\nwatch b.enable_out\ncycle\n",
    );
    assert_eq!(
        lines,
        [
            "[                  15] <b>  WARNING: Boolean variable `enable_in' is X",
            "[                  35] <b>  WARNING: Boolean variable `enable_out' is X",
            "[                  40] <b>  WARNING: Boolean variable `enable_in' is X",
            "[                  45] <>  got 4",
        ]
    );
}

#[test]
fn the_general_templates_are_exported_under_actsims_names() {
    // actsim's library exports the templates its processes derive from, `gen_*_en`, whose
    // first parameter(s) say whether the enable port(s) are waited on.
    let o = run("import sim;
        defproc test() {
          sim::gen_source_static_en<false, 8, 7, 3, true> src;
          sim::gen_buffer_en<false, false, 8, 1, false> b(src.O);
          sim::gen_sink_en<false, 8, 4, true> snk(b.O);
          sim::rand::gen_source_range_en<false, 8, 2, 2, 5, true> r;
          sim::gen_sink_file_en<false, 8, 0, 1, 6, false> f(r.O);
        }");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = texts(&o);
    assert!(
        t.contains(&"<snk>  Sink 4: Received value 7 (0x7)".to_string()),
        "{t:?}"
    );
    assert!(
        t.contains(&"<r>  Random source 5: Sent value 2 (0x2)".to_string()),
        "{t:?}"
    );
}
