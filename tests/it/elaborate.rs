//! `chpsim elaborate`: reads, checks and expands a design without running it (exit 0 or 2), as
//! ACT's `act-test -e` does.
use crate::common::cli::{chpsim, stderr, stdout};

fn elaborate(text: &str, extra: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    std::fs::write(&path, text).unwrap();
    let mut args = vec!["elaborate", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    chpsim(&args)
}

const SOURCE_SINK: &str = "defproc src(chan!(int) R) { chp { *[ R!1 ] } }
defproc snk(chan?(int) L) { int x; chp { *[ L?x ] } }
defproc test() { chan(int) c; src s(c); snk k(c); }
";

#[test]
fn a_correct_design_is_expanded_and_not_run() {
    let out = elaborate(SOURCE_SINK, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Nothing runs: no log lines, no end-of-run summary; one line says what was built.
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(err.contains("top `test`: 2 processes, 1 channel"), "{err}");
    assert!(!err.contains("end at time"), "{err}");
}

#[test]
fn a_named_top_is_expanded() {
    let out = elaborate(SOURCE_SINK, &["--top", "src"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("top `src`: 1 process"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_file_of_definitions_only_is_checked_as_a_library() {
    let out = elaborate("defproc a(chan!(int) R) { chp { R!1 } }\n", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no top (definitions only)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_error_exits_2_with_its_location() {
    let out = elaborate("defproc test() { int x; chp { x := y } }\n", &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("d.act:1:"), "{err}");
}

#[test]
fn an_unknown_top_is_an_error() {
    let out = elaborate(SOURCE_SINK, &["--top", "nothere"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no process named `nothere`"),
        "{}",
        stderr(&out)
    );
}

/// A process with every sublanguage: production rules, HSE, spec, sizing, dataflow,
/// refinement, and an `Initialize` block at the top level.
const SUBLANGUAGES: &str = "defproc inv(bool a, b) {
  prs<a, b> { [after=10; weak=1] a<4,2,lvt> => b- }
}
defproc cell(bool x, y, z[2]; chan?(int<8>) L; chan!(int<8>) R) {
  bool w;
  chan(int<8>) t;
  inv i(x, w);
  prs {
    (k:2: z[k] & ~x -> y-)
    tree<2> { x & (&k:2: z[k]) -> @n- ~@n & i.a -> y+ }
    passn<5>(x, w, y)
  }
  hse { *[ [x]; y+; [~x]; y- ] }
  spec { exclhi(x, y) mk_excllo(z) timing x+ : y- < w+ }
  sizing { p_n_mode <- 1; y { -1; +2, lvt } }
  dataflow { L + 1 -> [1, 0] t; t -> R }
  refine { prs { x -> w- } }
}
defproc test() {
  bool x, y, z[2];
  chan(int<8>) a, b;
  cell c(x, y, z, a, b);
}
bool Reset;
Initialize { actions { Reset+ } }
";

#[test]
fn sublanguages_are_parsed_and_checked_but_not_run() {
    let out = elaborate(SUBLANGUAGES, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// `extern (lang) { ... }` is another tool's language: skipped with a warning (once per block),
/// in a process or at file scope, braces inside balanced.
#[test]
fn an_external_language_block_is_skipped_with_a_warning() {
    let out = elaborate(
        "extern (netlist) { cell inv { a -> b } }
defproc buf(chan?(int) L; chan!(int) R) { int v; extern (timing) { { d = 3 } } chp { *[ L?v; R!v ] } }
defproc test() { chan(int) a, b; buf x(a, b), y(b, a); }
",
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(
        err.matches("external language `timing`").count(),
        1,
        "{err}"
    );
    assert!(err.contains("external language `netlist`"), "{err}");
    assert!(err.contains("top `test`: 2 processes"), "{err}");
    let unclosed = elaborate("defproc p() { extern (x) { a { b }\n", &[]);
    assert_eq!(unclosed.status.code(), Some(2));
    assert!(
        stderr(&unclosed).contains("never closed"),
        "{}",
        stderr(&unclosed)
    );
}

/// As actsim: an instance runs its most detailed description, production rules before CHP.
#[test]
fn a_process_with_chp_and_production_rules_runs_its_rules() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    let text = "defproc test() { bool a, b; prs { a => b- } chp { a+; log(\"a is set\") } }";
    std::fs::write(&path, text).unwrap();
    let out = chpsim(&["run", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stdout(&out).contains("a is set"), "{}", stdout(&out));
}

/// A process described only by production rules runs them.
#[test]
fn a_process_with_only_production_rules_runs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    let text =
        "defproc inv(bool a, b) { prs { a => b- } }\ndefproc test() { bool x, y; inv i(x, y); }";
    std::fs::write(&path, text).unwrap();
    let out = chpsim(&["run", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_run_reports_a_process_with_only_hse_fragments_at_its_definition() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    let text = "defproc h(bool x) { hse { a : x+ : b || b : x- : a } }\ndefproc test() { bool y; h p(y); }";
    std::fs::write(&path, text).unwrap();
    let out = chpsim(&["run", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("`h` has no CHP to run: its hse is not simulated yet"),
        "{err}"
    );
    assert!(err.contains(":1:9"), "{err}");
    // `elaborate` checks the same design and accepts it.
    let out = chpsim(&["elaborate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_replicated_guard_in_production_rules_is_checked_name_by_name() {
    let good = "defproc cell(bool a[3]; bool y) { prs { (&i:3: a[i]) -> y- } }\ncell c;\n";
    let out = elaborate(good, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bad = "defproc cell(bool a[3]; bool y) { prs { (&i:3: zz[i]) -> y- } }\ncell c;\n";
    let out = elaborate(bad, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("zz"), "{}", stderr(&out));
}

#[test]
fn a_replicated_expression_in_a_size_is_checked_but_for_its_variable() {
    let good = "defproc cell(bool a; bool y) { prs { a<(+i:3: i)> -> y- } }\ncell c;\n";
    let out = elaborate(good, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bad = "defproc cell(bool a; bool y) { prs { a<(+i:3: i*zz)> -> y- } }\ncell c;\n";
    let out = elaborate(bad, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("unknown name `zz`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn dataflow_reads_fields_of_a_channel_of_records() {
    let good = "deftype pair (int a, b) { }
defproc sum(chan?(pair) p; chan!(int) s) { dataflow { p.a + p.b -> s } }
sum x;
";
    let out = elaborate(good, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A field is a value, not a channel: nothing can be sent on it.
    let bad = good.replace("p.a + p.b -> s", "s -> p.a");
    let out = elaborate(&bad, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`p.a` is not a channel"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_parallel_write_conflict_fails_elaborate_but_runs() {
    // One branch writes `x`, the other reads it: ACT's front end reports it; actsim (and
    // `chpsim run`) let the branches share the variable.
    let racy = "defproc test() { int<8> x, y; chp { x := 1; (x := x + 1, y := x); log(y) } }\n";
    let out = elaborate(racy, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("potential write conflict in parallel composition: `x`"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    std::fs::write(&path, racy).unwrap();
    let run = chpsim(&["run", path.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
}

#[test]
fn parallel_branches_on_apart_elements_or_channels_do_not_conflict() {
    let fine = "defproc test() {
  int<8> a[4], b;
  chp { a[0] := 1, a[1] := 2, b := 3; (a[2] := a[0] + b; log(a[2])) || log(a[1]) }
}
";
    let out = elaborate(fine, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A send and a receive on one channel in two branches: each "writes" the channel.
    let out = elaborate(
        "defproc test() { chan(int<8>) c; int<8> v; chp { v := 0; (c!1, c?v) } }\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("conflict in parallel composition: `c`"));
    // An array indexed at run time counts as a whole.
    let out = elaborate(
        "defproc test() { int<8> a[4]; int<2> i; chp { i := 0; (a[i] := 1, a[3] := 2) } }\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("conflict in parallel composition: `a`"));
    // The outermost composition's branches are processes of their own, as in ACT; a parallel
    // replication gives one branch per element.
    let out = elaborate(
        "defproc test() { int<8> a[4]; chp { a[0] := a[1] || (, i : 2 : a[i+2] := a[i+2] + 1) } }\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_probe_of_an_array_element_at_a_run_time_index_fails_elaborate_but_runs() {
    let design = "defproc one(chan!(int<8>) R) { chp { R!5 } }
defproc test() {
  chan(int<8>) c[2];
  one a(c[0]), b(c[1]);
  int<1> i;
  int<8> v;
  chp { i := 1; [ #c[i] -> c[i]?v; log(v) ]; c[0]?v }
}
";
    let out = elaborate(design, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("probes of a channel array element chosen at run time"),
        "{}",
        stderr(&out)
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    std::fs::write(&path, design).unwrap();
    let run = chpsim(&["run", path.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(stdout(&run).contains("5"), "{}", stdout(&run));
}

#[test]
fn a_selection_probing_channels_with_an_else_arm_fails_elaborate() {
    let design = "defproc test() { chan(int<8>) c; int<8> v;
  chp { [ #c -> c?v [] else -> skip ] } }
";
    let out = elaborate(design, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot have an `else` arm when the guards probe channels"),
        "{}",
        stderr(&out)
    );
}

/// ACT's directions of a channel type's wires in production rules: a wire `bool! ack` is
/// driven by whoever holds the channel; `bool?! data` by the `!` side, `bool!? back` by the
/// `?` side (the wrong sides are in tests/bad/prs_drives_input_port_wire.act).
#[test]
fn production_rules_drive_the_wires_their_sides_own() {
    let design = "defchan link <: chan(bool) (bool! ack; bool?! data; bool!? back) { }
defproc cell(bool! go; bool done; link! l; link? m) {
  prs { done -> go-  l.ack -> l.data+  m.back -> m.ack-  m.data -> m.back+ }
}
defproc test() { cell c; }
";
    let out = elaborate(design, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
