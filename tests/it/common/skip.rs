//! Saying that a test skipped its checks where a reader of `cargo test` sees it.

/// Prints `SKIPPED: why` in `cargo test`'s normal output. The harness captures what
/// `eprintln!` prints (shown only for a failing test or with `--nocapture`), but not a write to
/// stderr itself.
pub fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {why}");
}
