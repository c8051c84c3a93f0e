//! actsim's commands on processes and on the circuit's mode: `procinfo` (where each thread
//! is), `coverage` (how often each guard was taken), `mode reset|run`.
use std::process::Output;

use crate::common::cli::{
    actsim_script, command_messages, stderr, stderr_lines_without_substitutions, stdout,
};

/// A producer sending 1, 2, 3 to a consumer that chooses on each value.
const PAIR: &str = "
defproc prod(chan!(int<8>) R) { int<8> y; chp { y := 4; R!1; R!2; R!3 } }
defproc cons(chan?(int<8>) L) {
  int<8> x; bool big;
  chp { *[ L?x; [ x > 1 -> big+ [] else -> big- ]; log(\"got \", x) ] }
}
defproc test() { chan(int<8>) C; prod p(C); cons c(C); }
";

fn run(design: &str, script: &str) -> Output {
    actsim_script(design, &["d.act", "test"], script)
}

fn lines(o: &Output) -> Vec<String> {
    stdout(o).lines().map(str::to_owned).collect()
}

fn process(name: &str, threads: &[&str]) -> Vec<String> {
    let mut lines = vec![format!("--- Process: {name} ---")];
    lines.extend(threads.iter().map(|t| t.to_string()));
    lines.extend(["Energy cost: 0", "Leakage: 0 pW", "Area: 0", ""].map(String::from));
    lines
}

#[test]
fn procinfo_shows_where_each_thread_of_each_process_is() {
    // As actsim's code, `procinfo FILE INST` reads the instance from the first argument:
    // `procinfo c c` writes `c`'s report to the file `c`. Every process instance has a
    // report, the top's (`-unknown-`) too, which runs nothing of its own here.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.act"), PAIR).unwrap();
    let o = crate::common::cli::actsim_in(
        dir.path(),
        &["d.act", "test"],
        "advance 25\nprocinfo -\ncycle\nprocinfo c c\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        command_messages(&o).is_empty(),
        "{:?}",
        command_messages(&o)
    );
    let mut expected = process("-unknown- [ test<> ]", &["Terminated."]);
    expected.extend(process("p [ prod<> ]", &["t#00: send: R"]));
    // c received at 20 and waits for its selection's event at 30.
    expected.extend(process("c [ cons<> ]", &["t#00: cond: "]));
    expected.extend(
        [
            "[                  40] <c>  got 1",
            "[                  80] <c>  got 2",
            "[                 120] <c>  got 3",
        ]
        .map(String::from),
    );
    assert_eq!(lines(&o), expected);
    let report = std::fs::read_to_string(dir.path().join("c")).unwrap();
    let report: Vec<String> = report.lines().map(str::to_owned).collect();
    assert_eq!(report, process("c [ cons<> ]", &["t#00: recv: L"]));
}

#[test]
fn procinfo_says_terminated_and_shows_each_parallel_branch() {
    let design = "
defproc two(chan!(int) A, B) { chp { A!1, B!2 } }
defproc test() { chan(int) A, B; two t(A, B); }
";
    let o = run(design, "advance 5\nprocinfo -\ncycle\nprocinfo -\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut expected = Vec::new();
    for _ in 0..2 {
        expected.extend(process("-unknown- [ test<> ]", &["Terminated."]));
        expected.extend(process("t [ two<> ]", &["t#00: send: A", "t#01: send: B"]));
    }
    assert_eq!(lines(&o), expected);
    let design = "defproc test() { int x; chp { x := 1 } }";
    let o = run(design, "cycle\nprocinfo -\n");
    assert_eq!(lines(&o), process("-unknown- [ test<> ]", &["Terminated."]));
}

#[test]
fn procinfo_walks_every_instance_each_before_its_own_and_says_nothing_of_circuits() {
    // A structural instance is a process with no thread; an instance running production
    // rules gets actsim's one line; each instance comes before the instances inside it.
    let design = "
defproc cons(chan?(int<8>) L) { int<8> x; chp { *[ L?x ] } }
defproc inv(bool? a; bool! b) { prs { a => b- } }
defproc pair(chan?(int<8>) L) { cons c(L); inv i; }
defproc test() { chan(int<8>) C; pair w[2]; w[0].L = C; }
";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.act"), design).unwrap();
    // `w[01]` is read as ACT reads it, `w[1]`; the file of that name gets the report.
    let o = crate::common::cli::actsim_in(
        dir.path(),
        &["d.act", "test"],
        "advance 25\nprocinfo w[01] x\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut expected = process("w[1] [ pair<> ]", &["Terminated."]);
    expected.extend(process("w[1].c [ cons<> ]", &["t#00: recv: L"]));
    expected.push("FIXME: prs dump state!".to_string());
    let report = std::fs::read_to_string(dir.path().join("w[01]")).unwrap();
    assert_eq!(
        report.lines().map(str::to_owned).collect::<Vec<_>>(),
        expected
    );
    let o = run(design, "procinfo -\n");
    let headers: Vec<String> = (lines(&o).into_iter())
        .filter(|l| l.starts_with("---") || l.starts_with("FIXME"))
        .collect();
    assert_eq!(
        headers,
        [
            "--- Process: -unknown- [ test<> ] ---",
            "--- Process: w[0] [ pair<> ] ---",
            "--- Process: w[0].c [ cons<> ] ---",
            "FIXME: prs dump state!",
            "--- Process: w[1] [ pair<> ] ---",
            "--- Process: w[1].c [ cons<> ] ---",
            "FIXME: prs dump state!",
        ]
    );
}

#[test]
fn procinfo_and_coverage_check_their_arguments() {
    // The instance is the first argument, as in actsim: `-` is no instance, nor is an
    // array's name alone (`w`), nor a name inside a process (`c.x`).
    let o = run(
        PAIR,
        "procinfo\nprocinfo - c d\ncoverage\nprocinfo - c\ncoverage /no/such/dir/f\n\
         coverage - c\nenergy - c\nenergy -v\nenergy - c d\n",
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        lines(&o),
        ["Total: 0  (0 W); area: 0", "Total: 0  (0 W); area: 0"]
    );
    assert_eq!(
        command_messages(&o),
        [
            "Usage: procinfo <filename> [<instance-name>]",
            "Usage: procinfo <filename> [<instance-name>]",
            "Usage: coverage <filename> [<instance-name>]",
            "WARNING: Didn't find info; is this a valid instance?",
            "coverage: could not open file `/no/such/dir/f' for writing",
            "WARNING: Didn't find info; is this a valid instance?",
            // `energy FILE INST` reads its instance where it should; a fourth word is not read.
            "Usage: energy [-v] <filename> [<instance-name>]",
        ]
    );
    let o = run(PAIR, "energy - zz\n");
    assert_eq!(lines(&o), ["Total: 0  (0 W); area: 0"]);
    assert_eq!(
        command_messages(&o),
        ["WARNING: Didn't find info; is this a valid instance?"]
    );
}

#[test]
fn coverage_prints_the_program_as_act_with_each_guard_s_number_and_count() {
    // ACT's printer: each action a `.`, a guard as ACT writes an expression (no blanks), a
    // loop `*[S]` with the guard `true`; the counts in the guards' order. The producer has no
    // guard: nothing to report, as in actsim.
    let o = run(PAIR, "cycle\ncoverage -\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = lines(&o);
    assert_eq!(
        out[3..],
        [
            "--- Process: c [ cons<> ] ---",
            "*[ true { 0 } -> .[ x>1 { 1 } -> . [] else { 2 } -> . ]. ]",
            "                   0 : 4",
            "                   1 : 2",
            "                   2 : 1",
            "---",
            "",
        ]
    );
    assert_eq!(out.len(), 10);
}

#[test]
fn coverage_numbers_the_guards_of_loops_and_arbitrated_selections() {
    let design = "
defproc pick(chan?(int) A, B) {
  int a;
  chp { *[ [| #A -> A?a [] #B -> B?a |] ]; log(\"never\") }
}
defproc src(chan!(int) O) { chp { O!1; O!2 } }
defproc count() { int n; chp { *[ n < 3 -> n := n + 1 ] } }
defproc test() { chan(int) A, B; pick k(A, B); src a(A); src b(B); count n; }
";
    let o = run(design, "cycle\ncoverage -\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = lines(&o);
    let at = out
        .iter()
        .position(|l| l.starts_with("--- Process: k"))
        .unwrap();
    assert_eq!(
        out[at + 1],
        "*[ true { 0 } -> [| #A { 1 } -> . [] #B { 2 } -> . |] ]."
    );
    let count = |l: &String| l.split(" : ").nth(1).unwrap().parse::<u64>().unwrap();
    // Four receives: the loop started a fifth time.
    assert_eq!(count(&out[at + 2]), 5);
    assert_eq!(count(&out[at + 3]) + count(&out[at + 4]), 4);
    let at = out
        .iter()
        .position(|l| l.starts_with("--- Process: n"))
        .unwrap();
    assert_eq!(
        out[at..at + 4],
        [
            "--- Process: n [ count<> ] ---",
            "*[ n<3 { 0 } -> . ]",
            "                   0 : 3",
            "---",
        ]
    );
}

#[test]
fn coverage_writes_waits_labels_do_loops_and_expressions_as_act() {
    // A wait `[g]` has no `->`; a label stays; ACT's parentheses (an operand of the same
    // precedence in parentheses unless it is the same operator: `(k+m)-3`); parameters as
    // their values, folded (`k<4` for `k < N + 2`).
    // A do-loop's body is numbered once in the text; actsim numbers its guards a second time
    // after the loop's test when it builds the process, and chpsim counts every pass under
    // the first numbers (the second count 0).
    let design = "
template<pint N> defproc rep() {
  int<8> k, m;
  chp {
    k := 0; m := 0;
    top: *[ k := k + 1; [ k > N -> skip [] else -> m := m - (k - 1) ] <- k < N + 2 ];
    [ (k = 4 | m = 1) & ~(k + m - 3 < 0) ]
  }
}
defproc test() { rep<2> r; }
";
    let o = run(design, "cycle\ncoverage -\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        lines(&o),
        [
            "--- Process: r [ rep<2> ] ---",
            // ACT's printer breaks the line where what follows a break point reaches 80
            // columns; the label's block ends the look-ahead of the one after the loop.
            "..",
            "top: *[  .[ k>2 { 0 } -> . [] else { 1 } -> . ] <- k<4 { 2 } ][ (k=4|m=1)&~((k+m)-3<0) { 3 } ",
            "]",
            "                   0 : 2",
            "                   1 : 2",
            "                   2 : 3",
            "                   3 : 0",
            "                   4 : 0",
            "                   5 : 1",
            "---",
            "",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn mode_reset_silences_the_circuits_weak_interference_and_mode_run_restores_it() {
    let design = "
defproc g(bool? a, b; bool! y) { prs { a -> y+  b -> y- } }
defproc test() { bool a, b, y; g x(a, b, y); }
";
    let warning = "WARNING: weak-interference on `y'";
    let o = run(design, "mode reset\nset a 1\ncycle\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains(warning), "{}", stdout(&o));
    let o = run(design, "mode reset\nmode run\nset a 1\ncycle\n");
    assert!(stdout(&o).contains(warning), "{}", stdout(&o));
    let o = run(design, "mode\nmode fast\n");
    assert_eq!(
        command_messages(&o),
        ["Usage: mode reset|run", "mode: unknown mode"]
    );
}

#[test]
fn a_name_that_is_no_instance_name_gets_actsims_message_and_the_next_command_runs() {
    // ACT reads an index only as `[digits]`: `c[i]` is no instance's name. actsim opens a
    // report's file before it reads the name (for `procinfo` and `coverage`, the file's
    // name is the instance's), so the file is left empty.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report[1");
    let file = file.to_str().unwrap();
    let script = format!("coverage {file} c\nenergy -v - c[x]\ngoto c[1]x L\necho next\n");
    let o = actsim_script(
        "defproc test() { int x; chp { L: x := 1 } }",
        &["d.act", "test"],
        &script,
    );
    assert_eq!(stdout(&o), "next\n");
    let messages = stderr_lines_without_substitutions(&o);
    assert_eq!(
        messages,
        [
            format!("Could not parse `{file}' into an instance name").as_str(),
            "Could not parse `c[x]' into an instance name",
            "Could not parse `c[1]x' into an instance name",
        ]
    );
    assert_eq!(std::fs::read_to_string(file).unwrap(), "");
}

#[test]
fn procinfo_names_elements_as_actsim_and_a_fork_with_its_branches() {
    // An element chosen by a constant (a replication's) is that element; one chosen at run
    // time is the array's name and `[]`; a thread about to fork shows each branch's first
    // statement.
    let design = "
defproc rep(chan!(int) A[2]) { chp { (; k : 2 : A[k]!k) } }
defproc dyn(chan!(int) A[2]) { int i; int m[2]; chp { i := 1; m[i] := 5; A[i]!4 } }
defproc one(chan?(int) L) { int x; chp { L?x } }
defproc par(chan!(int) A, B) { chp { (A!1, B!2) } }
defproc test() { chan(int) P[2], Q[2], S, T; rep r(P); one o(P[0]); dyn d(Q); par f(S, T); }
";
    let o = run(
        design,
        "procinfo -\nadvance 15\nprocinfo -\ncycle\nprocinfo -\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let threads: Vec<String> = (lines(&o).into_iter())
        .filter(|l| l.starts_with("t#"))
        .collect();
    assert_eq!(
        threads,
        [
            // Before the first command.
            "t#00: send: A[0]",
            "t#00: recv: L",
            "t#00: assign: i",
            "t#00: concur-fork: send: A send: B",
            // At 15.
            "t#00: send: A[1]",
            "t#00: assign: m[]",
            "t#00: send: A",
            "t#01: send: B",
            // At the end.
            "t#00: send: A[1]",
            "t#00: send: A[]",
            "t#00: send: A",
            "t#01: send: B",
        ]
    );
}
