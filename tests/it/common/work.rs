//! How chpsim's work grows with its input, measured so that neither the machine's speed nor its
//! load decides a test: the CPU time of a run (which other processes' share of the cores does
//! not add to, as it does to the wall time) compared with the same run on a smaller input.
use std::path::Path;
use std::process::{Command, Output};

use super::cli::BIN;

/// Runs chpsim with `args` in `dir` (with no ACT installation in its environment, as
/// [`super::cli::chpsim`]); returns its output and the CPU seconds it used (user and system, as
/// the shell's `times` reports those of its finished children).
pub fn run_counting_cpu(dir: &Path, args: &[&str]) -> (Output, f64) {
    let times = tempfile::NamedTempFile::new().unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#""$0" "$@"; status=$?; times > "$CHPSIM_TEST_TIMES"; exit $status"#)
        .arg(BIN)
        .args(args)
        .env("CHPSIM_TEST_TIMES", times.path())
        .env_remove("ACT_HOME")
        .env_remove("ACT_PATH")
        .current_dir(dir)
        .output()
        .unwrap();
    let text = std::fs::read_to_string(times.path()).unwrap();
    // Two lines (POSIX): the shell's own user and system times, then its children's, each
    // `<minutes>m<seconds>s`.
    let children = (text.lines().nth(1)).unwrap_or_else(|| panic!("`times` printed {text:?}"));
    let seconds = children
        .split_whitespace()
        .map(|t| {
            let (minutes, seconds) = (t.strip_suffix('s'))
                .and_then(|t| t.split_once('m'))
                .unwrap_or_else(|| panic!("`times` printed {text:?}"));
            minutes.parse::<f64>().unwrap() * 60.0 + seconds.parse::<f64>().unwrap()
        })
        .sum();
    (out, seconds)
}

/// Asserts that `what` took work linear in the input's size: `small` and `large` are the CPU
/// seconds of runs on an input and on one `factor` times larger in every dimension. Linear
/// work makes the ratio `factor` (less, with the start-up both pay), work in the product of two
/// dimensions (places × lines before each) `factor`²; the bound, `2 × factor`, is a factor of
/// 2 from each.
pub fn assert_linear(what: &str, small: f64, large: f64, factor: f64) {
    let ratio = large / small.max(0.01);
    assert!(
        ratio < 2.0 * factor,
        "{what}: {large:.2} s of CPU for an input {factor} times larger than one that took \
         {small:.2} s ({ratio:.1} times the work: more than linear)"
    );
}
