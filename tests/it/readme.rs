//! The README says what is true: its transcript excerpt is from the golden transcript of the
//! design it names, and the files its commands write neither overwrite each other nor show up
//! as changes to commit.
use std::path::Path;
use std::process::Command;

use crate::common::skip;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// The lines of the first fenced block after `heading`.
fn block_after(text: &str, heading: &str) -> Vec<String> {
    let at = text.find(heading).unwrap_or_else(|| panic!("no {heading}"));
    text[at..]
        .lines()
        .skip_while(|l| !l.starts_with("```"))
        .skip(1)
        .take_while(|l| !l.starts_with("```"))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_transcript_excerpt_is_from_the_golden_transcript() {
    let excerpt = block_after(&readme(), "## The transcript");
    assert!(excerpt.len() >= 3, "{excerpt:?}");
    let golden = std::fs::read_to_string(root().join("golden/pipeline.transcript")).unwrap();
    let golden = golden.replace("design=designs/", "design=");
    let mut lines = golden.lines();
    for line in &excerpt {
        // In the golden's order: the excerpt skips lines but never reorders them.
        assert!(
            lines.any(|l| l == line),
            "README's transcript line is not in golden/pipeline.transcript (in this order):\n{line}"
        );
    }
}

/// `--vcd F` and `--transcript F` of every `cargo run` and `chpsim run` command in the README.
fn output_files() -> Vec<String> {
    let text = readme();
    let mut files = Vec::new();
    let command = |l: &&str| l.starts_with("cargo run") || l.starts_with("chpsim run");
    for line in text.lines().filter(command) {
        let words: Vec<&str> = line.split_whitespace().collect();
        for pair in words.windows(2) {
            if ["--vcd", "--fst", "--transcript"].contains(&pair[0]) {
                files.push(pair[1].to_string());
            }
        }
    }
    files
}

#[test]
fn the_files_the_readme_commands_write_are_distinct_and_ignored_by_git() {
    let files = output_files();
    assert!(files.len() >= 4, "{files:?}");
    let mut distinct = files.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        files.len(),
        "two commands write the same file: {files:?}"
    );
    let git = Command::new("git")
        .args(["check-ignore", "--no-index"])
        .args(&files)
        .current_dir(root())
        .output()
        .ok()
        .filter(|o| o.status.code() != Some(128));
    let Some(git) = git else {
        skip::skipped("no git repository to ask what .gitignore ignores");
        return;
    };
    let ignored = String::from_utf8_lossy(&git.stdout);
    for file in &files {
        assert!(
            ignored.lines().any(|l| l == file),
            "{file}, written by a README command, is not ignored by .gitignore"
        );
    }
}

#[test]
fn the_statistics_excerpt_is_what_chpsim_prints() {
    let excerpt = block_after(&readme(), "## Channel statistics");
    let out = Command::new(env!("CARGO_BIN_EXE_chpsim"))
        .args(["run", "designs/pipeline.act", "--stats", "--quiet"])
        .current_dir(root())
        .output()
        .unwrap();
    let printed = String::from_utf8(out.stderr).unwrap();
    let mut lines = printed.lines();
    for line in excerpt.iter().skip(1) {
        assert!(
            lines.any(|l| l == line),
            "README's statistics line is not printed (in this order):\n{line}\n{printed}"
        );
    }
}
