//! The corpus of malformed and misbehaving designs in `tests/bad/`: each runs through the real
//! binary (`chpsim run tests/bad/X.act --quiet` plus the options of its `// chpsim:` line), and
//! its complete stderr and exit code are an insta snapshot. Each also runs without `--quiet`:
//! the exit code must be the same and every message still there (`--quiet` only hides output). Exit codes follow the
//! README (The command line): 2 for bad input, 1 for a runtime error or a deadlock with `--deadlock=error`.
//!
//! Every file starts with a comment saying what it tests (`// tests: ...`), except `empty.act`
//! and the few whose very first bytes are the error.
use std::path::Path;
use std::process::Output;

use crate::common::cli::chpsim;
use crate::common::work::{assert_linear, run_counting_cpu};

/// The options a design asks for in a `// chpsim:` line.
fn design_options(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("// chpsim:"))
        .flat_map(|rest| rest.split_whitespace().map(str::to_string))
        .collect()
}

/// `stderr` + `exit: N`, as snapshotted.
fn describe(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output
        .status
        .code()
        .map_or_else(|| "killed by a signal".to_string(), |c| c.to_string());
    format!("{stderr}exit: {code}\n")
}

/// The exit code a file expects, from its name and options.
fn expected_code(name: &str, options: &[String]) -> i32 {
    let runtime = [
        "assert_failure",
        "div_zero_runtime",
        "log_argument_error",
        "flavor_sends_not_alternating",
        "mod_zero_runtime",
        "index_runtime_out_of_range",
        "index_runtime_out_of_range_record_field",
        "runtime_error_in_nested_instance",
        "function_no_guard_runtime",
        "function_endless_loop",
        "function_assertion_failure",
        "import_runtime_error",
        "record_enum_field_out_of_range",
    ];
    let fine = [
        "deadlock_warn_only",
        "idle_receive_is_normal",
        "idle_probe_is_normal",
        "port_unconnected",
        "deep_nesting_ok",
    ];
    if fine.contains(&name) {
        0
    } else if runtime.contains(&name) || options.iter().any(|o| o == "--deadlock=error") {
        1
    } else {
        2
    }
}

#[test]
fn bad_designs_give_their_snapshot_messages_and_exit_codes() {
    let mut count = 0;
    insta::glob!("../bad", "*.act", |path| {
        count += 1;
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if !bytes.is_empty() {
            assert!(
                text.lines().take(2).any(|l| l.contains("// tests:")),
                "{name}: the first line must say what the file tests"
            );
        }
        let options = design_options(&text);
        let relative = format!("tests/bad/{}", path.file_name().unwrap().to_string_lossy());
        let mut args = vec!["run", relative.as_str(), "--quiet"];
        args.extend(options.iter().map(String::as_str));
        let output = chpsim(&args);
        let described = describe(&output);
        assert!(
            !described.contains("panicked"),
            "{name} made chpsim panic:\n{described}"
        );
        assert!(
            output.stdout.is_empty(),
            "{name}: --quiet printed on stdout: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        assert_eq!(
            output.status.code(),
            Some(expected_code(&name, &options)),
            "{name}: wrong exit code\n{described}"
        );
        let mut loud_args = vec!["run", relative.as_str()];
        loud_args.extend(options.iter().map(String::as_str));
        let loud = chpsim(&loud_args);
        assert_eq!(
            loud.status.code(),
            output.status.code(),
            "{name}: --quiet changed the exit code"
        );
        let loud_stderr = String::from_utf8_lossy(&loud.stderr);
        for line in String::from_utf8_lossy(&output.stderr).lines() {
            assert!(
                loud_stderr.contains(line),
                "{name}: without --quiet, stderr lacks {line:?}:\n{loud_stderr}"
            );
        }
        insta::assert_snapshot!(described);
    });
    assert!(count >= 40, "only {count} bad designs");
}

/// A file that is not a design at all (a 10 MB file) is handled in linear work, with a bounded
/// number of messages.
#[test]
fn ten_megabyte_files_are_handled() {
    let dir = tempfile::tempdir().unwrap();

    // 10 MB on one line of junk tokens: work linear in the size (against a quarter of it), and
    // the snippets are cut to a readable width instead of repeating the 10 MB line in every
    // message.
    let unit = "defproc ( x ] ; chan!( := *[ 12 |] ";
    let junk = |name: &str, bytes: usize| {
        std::fs::write(dir.path().join(name), unit.repeat(bytes / unit.len())).unwrap();
        run_counting_cpu(dir.path(), &["run", name, "--quiet"])
    };
    let (_, small) = junk("quarter.act", 10 * 1024 * 1024 / 4);
    let (output, large) = junk("junk.act", 10 * 1024 * 1024);
    assert_linear("10 MB of junk tokens", small, large, 4.0);
    let text = describe(&output);
    assert_eq!(output.status.code(), Some(2), "{}", head(&text));
    assert!(text.len() < 100_000, "{} bytes of messages", text.len());
    assert!(
        text.lines().all(|l| l.chars().count() < 400),
        "{}",
        head(&text)
    );

    // 10 MB of lines with an error each: at most 100 are shown, then a count of the rest.
    let many_path = dir.path().join("many.act");
    let unit = "defproc a() { chp { x := ; } }\n";
    std::fs::write(&many_path, unit.repeat(10 * 1024 * 1024 / unit.len())).unwrap();
    let output = chpsim(&["run", many_path.to_str().unwrap(), "--quiet"]);
    let text = describe(&output);
    assert_eq!(output.status.code(), Some(2), "{}", head(&text));
    assert!(text.contains("more errors not shown"), "{}", head(&text));
    assert!(text.matches("Error:").count() <= 101);
    assert!(text.len() < 200_000, "{} bytes of messages", text.len());

    // A well-formed 10 MB design: a process with a very long straight-line CHP body. It runs
    // (bounded by --max-events) without overflowing any stack.
    let big_path = dir.path().join("big.act");
    let mut big = String::from("defproc test() {\n  int<8> x;\n  chp {\n    x := 0");
    let line = ";\n    x := x + 1";
    while big.len() < 10 * 1024 * 1024 {
        big.push_str(line);
    }
    big.push_str(";\n    log(\"x = \", x)\n  }\n}\n");
    std::fs::write(&big_path, &big).unwrap();
    let output = chpsim(&[
        "run",
        big_path.to_str().unwrap(),
        "--quiet",
        "--max-events",
        "1000",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));

    // 10 MB inside one comment, then a design.
    let comment_path = dir.path().join("comment.act");
    let mut text = String::from("/*");
    text.push_str(&"*/ no /".repeat(10 * 1024 * 1024 / 7).replace("*/", "**"));
    text.push_str("*/\ndefproc test() { chp { log(\"after the comment\") } }\n");
    std::fs::write(&comment_path, &text).unwrap();
    let output = chpsim(&["run", comment_path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("after the comment"));
}

/// The first 2000 characters of a long message.
fn head(text: &str) -> String {
    text.chars().take(2000).collect()
}

#[test]
fn missing_and_unreadable_design_files_are_clear_errors() {
    let output = chpsim(&["run", "tests/bad/does_not_exist.act"]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(describe(&output));

    let output = chpsim(&["run", "tests/bad"]);
    assert_eq!(output.status.code(), Some(2));
    let text = describe(&output);
    assert!(text.contains("tests/bad"), "{text}");
    assert!(!text.contains("panicked"), "{text}");
}

#[test]
fn the_corpus_directory_exists() {
    assert!(Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/bad")
        .is_dir());
}
