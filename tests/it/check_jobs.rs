//! `chpsim check --jobs N` prints the same bytes for any N, in the order the designs were given,
//! and `--junit FILE` writes a JUnit report that an XML parser reads back (README, "Checks and
//! sweeps in CI").
use std::path::{Path, PathBuf};
use std::time::Duration;

use chpsim::driver::parallel::run_ordered;

use crate::common::cli::{chpsim, stderr, stdout};

/// A golden directory holding the repository's goldens, one of them changed, and the
/// arguments of a check of every design plus three that go wrong: one whose transcript
/// differs, one without a golden, one that does not compile.
struct Fixture {
    dir: tempfile::TempDir,
    designs: Vec<String>,
}

impl Fixture {
    fn new() -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let golden = dir.path().join("golden");
        std::fs::create_dir(&golden).unwrap();
        for entry in std::fs::read_dir(root.join("golden")).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, golden.join(path.file_name().unwrap())).unwrap();
        }
        let changed = golden.join("gcd.transcript");
        let text = std::fs::read_to_string(&changed).unwrap();
        std::fs::write(&changed, text.replacen("log", "log  (changed)", 1)).unwrap();
        let mut designs: Vec<String> = std::fs::read_dir(root.join("designs"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "act"))
            .map(|p| format!("designs/{}", p.file_name().unwrap().to_string_lossy()))
            .collect();
        designs.sort();
        // Wrong ones in the middle, so that the order is not that of the work's difficulty.
        let fresh = dir.path().join("fresh.act");
        std::fs::write(&fresh, "defproc test() { chp { log(\"hi\") } }\n").unwrap();
        let bad = dir.path().join("bad.act");
        std::fs::write(&bad, "defproc test() { chp { x := 1 } }\n").unwrap();
        designs.insert(3, fresh.display().to_string());
        designs.insert(7, bad.display().to_string());
        Fixture { dir, designs }
    }

    fn golden(&self) -> PathBuf {
        self.dir.path().join("golden")
    }

    fn check(&self, extra: &[&str]) -> std::process::Output {
        let golden = self.golden();
        let mut args = vec!["check", "--golden", golden.to_str().unwrap()];
        args.extend(self.designs.iter().map(String::as_str));
        args.extend(extra);
        chpsim(&args)
    }
}

#[test]
fn check_prints_the_same_bytes_on_any_number_of_threads() {
    let fixture = Fixture::new();
    let one = fixture.check(&["--jobs", "1"]);
    assert_eq!(one.status.code(), Some(2), "{}", stderr(&one));
    for jobs in [["--jobs", "2"], ["--jobs", "5"], ["--jobs", "64"]] {
        let many = fixture.check(&jobs);
        assert_eq!(many.status.code(), one.status.code(), "{jobs:?}");
        assert_eq!(stdout(&many), stdout(&one), "{jobs:?}");
        assert_eq!(stderr(&many), stderr(&one), "{jobs:?}");
    }
    let default = fixture.check(&[]);
    assert_eq!(stdout(&default), stdout(&one));

    // One verdict per design, in the order given, then the summary.
    let mut verdicts: Vec<String> = stdout(&one)
        .lines()
        .filter(|l| !l.starts_with([' ', '+', '-', '@']))
        .map(str::to_string)
        .collect();
    let total = fixture.designs.len();
    assert_eq!(
        verdicts.pop().unwrap(),
        format!(
            "check: {} ok, 2 failed, 1 invalid ({total} designs)",
            total - 3
        )
    );
    let named: Vec<&str> = verdicts
        .iter()
        .map(|l| l.split_whitespace().nth(1).unwrap().trim_end_matches(':'))
        .collect();
    let expected: Vec<&str> = fixture.designs.iter().map(String::as_str).collect();
    assert_eq!(named, expected, "{}", stdout(&one));
    assert!(stdout(&one).contains("DIFFERS  designs/gcd.act\n"));
    assert!(stdout(&one).contains("+    "), "the diff is printed");
    assert!(stdout(&one).contains("MISSING  "));
    assert!(
        stdout(&one).contains("INVALID  "),
        "a design that does not compile is named"
    );
    assert!(stderr(&one).contains("bad.act:1:24"), "{}", stderr(&one));
}

/// The test cases of a JUnit report: (name, kind of the child element if any, its message,
/// its text).
fn test_cases(xml: &str) -> Vec<(String, Option<String>, String, String)> {
    let doc = roxmltree::Document::parse(xml).expect("the JUnit report is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(suites.len(), 1);
    assert_eq!(suites[0].tag_name().name(), "testsuite");
    suites[0]
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|case| {
            let outcome = case.children().find(|n| n.is_element());
            (
                case.attribute("name").unwrap().to_string(),
                outcome.map(|n| n.tag_name().name().to_string()),
                outcome
                    .and_then(|n| n.attribute("message"))
                    .unwrap_or_default()
                    .to_string(),
                outcome
                    .and_then(|n| n.text())
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn junit_report_has_one_test_case_per_design_with_the_diff_as_failure() {
    let fixture = Fixture::new();
    let report = fixture.dir.path().join("report.xml");
    let out = fixture.check(&["--jobs", "2", "--junit", report.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let xml = std::fs::read_to_string(&report).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    let designs = fixture.designs.len().to_string();
    assert_eq!(suite.attribute("tests"), Some(designs.as_str()));
    assert_eq!(suite.attribute("failures"), Some("2"));
    assert_eq!(suite.attribute("errors"), Some("1"));

    let cases = test_cases(&xml);
    let names: Vec<&str> = cases.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(names, fixture.designs);
    for (name, kind, message, text) in &cases {
        if name == "designs/gcd.act" {
            assert_eq!(kind.as_deref(), Some("failure"));
            assert!(message.contains("differs from"), "{message}");
            assert!(
                text.starts_with("--- "),
                "the diff is the failure's text: {text}"
            );
            assert!(text.contains("-") && text.contains("(changed)"), "{text}");
        } else if name.ends_with("fresh.act") {
            assert_eq!(kind.as_deref(), Some("failure"));
            assert!(message.contains("--bless"), "{message}");
        } else if name.ends_with("bad.act") {
            assert_eq!(kind.as_deref(), Some("error"));
            assert!(text.contains("bad.act:1:24"), "{text}");
        } else {
            assert_eq!(kind, &None, "{name} passed: {message}");
        }
    }
}

#[test]
fn an_unwritable_junit_file_fails_before_any_check() {
    let out = chpsim(&[
        "check",
        "designs/pipeline.act",
        "--junit",
        "/nonexistent-dir/report.xml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("/nonexistent-dir/report.xml"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn results_come_in_order_even_when_later_jobs_finish_first() {
    let mut seen = Vec::new();
    let slow_first = |i: usize| {
        if i == 0 {
            std::thread::sleep(Duration::from_millis(300));
        }
        (i, std::thread::current().id())
    };
    run_ordered(20, 4.try_into().unwrap(), slow_first, |r| seen.push(r));
    let order: Vec<usize> = seen.iter().map(|r| r.0).collect();
    assert_eq!(order, (0..20).collect::<Vec<_>>());
    // The others did not wait for the slow one: they ran on other threads meanwhile.
    assert!(seen.iter().skip(1).all(|r| r.1 != seen[0].1));
}
