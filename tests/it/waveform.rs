//! The waveform of a design run from the command line: the whole hierarchy with every port as
//! an alias, who waits on each channel, the variables (`--vcd-vars`), and FST (`--fst`) with the
//! same signals and values as the VCD.
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::vcd_check::{check_vcd, VcdSummary};

/// `s` sends 1 and 2 through `w` (a structural process around a buffer) to `k`, which is slow:
/// it waits 50 ticks, then probes its input before receiving.
const DESIGN: &str = "\
defproc src(chan!(int<8>) R) { chp { R!1; R!2 } }
defproc buf(chan?(int<8>) L; chan!(int<8>) R) { int<8> x; chp { *[ L?x; R!x ] } }
defproc wrap(chan?(int<8>) L; chan!(int<8>) R) { buf b; b.L = L; b.R = R; }
defproc slow(chan?(int<8>) L) {
  int<8> y; bool seen; int<4> n[2];
  chp { *[ @[after=50] skip; [ #L -> L?y; seen+; n[1] := y ] ] }
}
defproc test() { src s; wrap w; slow k; s.R = w.L; w.R = k.L; }
";

/// Runs `design` with `args` added; returns the directory holding `run.vcd` (and `run.fst`).
fn run(design: &str, args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.act");
    std::fs::write(&file, design).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_chpsim"))
        .arg("run")
        .arg(&file)
        .args(["--quiet", "--vcd"])
        .arg(dir.path().join("run.vcd"))
        .args(args)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn vcd(dir: &Path) -> VcdSummary {
    let text = std::fs::read_to_string(dir.join("run.vcd")).unwrap();
    check_vcd(&text).unwrap_or_else(|e| panic!("invalid VCD: {e}\n{text}"))
}

fn changes(list: &[(u64, &str)]) -> Vec<(u64, String)> {
    list.iter().map(|&(t, v)| (t, v.to_string())).collect()
}

#[test]
fn every_port_of_every_instance_is_an_alias_of_its_channel() {
    let dir = run(DESIGN, &[]);
    let vcd = vcd(dir.path());
    // The top given as a process is the root scope; the channel from s passes through w's
    // port L to the buffer inside it: one signal under three names.
    assert_eq!(
        vcd.aliases("test.s.R"),
        ["test.s.R", "test.w.b.L", "test.w.L"]
    );
    // The receive-only process shows its input, the same wire as the buffer's output.
    assert_eq!(
        vcd.aliases("test.k.L_hs"),
        ["test.w.b.R_hs", "test.w.R_hs", "test.k.L_hs"]
    );
    assert!(vcd.signals.iter().all(|s| s.path.starts_with("test.")));
    // No variables without --vcd-vars.
    assert!(vcd.signal("test.w.b.x").is_none());
}

#[test]
fn a_top_level_instance_is_the_root_scope() {
    let design = DESIGN.replace("defproc test()", "defproc system()") + "system top;\n";
    let dir = run(&design, &[]);
    let vcd = vcd(dir.path());
    assert_eq!(vcd.aliases("top.s.R")[0], "top.s.R");
    assert!(vcd.signals.iter().all(|s| s.path.starts_with("top.")));
    // --top NAME names the root after that process.
    let dir = run(&design.replace("system top;\n", ""), &["--top", "system"]);
    assert!(vcd_paths_start_with(&vcd_of(&dir), "system."));
}

fn vcd_of(dir: &tempfile::TempDir) -> VcdSummary {
    vcd(dir.path())
}

fn vcd_paths_start_with(vcd: &VcdSummary, prefix: &str) -> bool {
    vcd.signals.iter().all(|s| s.path.starts_with(prefix))
}

#[test]
fn the_wait_state_shows_who_waits_on_each_channel() {
    let dir = run(DESIGN, &[]);
    let vcd = vcd(dir.path());
    // s sends at 10 and waits for the buffer's receive at 20 (`01`: the sender waits); its
    // second send waits from 30 to 100, while the buffer waits for slow k; at 200 the buffer
    // waits for a third value that never comes (`10`: the receiver waits).
    assert_eq!(
        vcd.changes("test.s.R_wait"),
        changes(&[
            (0, "00"),
            (10, "01"),
            (20, "00"),
            (30, "01"),
            (100, "00"),
            (200, "10")
        ])
    );
    // k is the bottleneck: the buffer waits to send from 30 to 80 and from 110 to 180; at 270
    // k's guard probes its input and waits (`11`).
    assert_eq!(
        vcd.changes("test.k.L_wait"),
        changes(&[
            (0, "00"),
            (30, "01"),
            (80, "00"),
            (110, "01"),
            (180, "00"),
            (270, "11")
        ])
    );
    assert_eq!(vcd.last_time(), Some(270));
    // Data and the handshake toggle are as before.
    assert_eq!(
        vcd.changes("test.k.L"),
        changes(&[(0, "xxxxxxxx"), (80, "00000001"), (180, "00000010")])
    );
    assert_eq!(
        vcd.changes("test.k.L_hs"),
        changes(&[(0, "0"), (80, "1"), (180, "0")])
    );
}

#[test]
fn vcd_vars_shows_each_process_variables_in_its_scope() {
    let dir = run(DESIGN, &["--vcd-vars"]);
    let vcd = vcd(dir.path());
    let width = |path: &str| vcd.signal(path).map(|s| s.width);
    assert_eq!(width("test.w.b.x"), Some(8));
    assert_eq!(width("test.k.seen"), Some(1));
    assert_eq!(width("test.k.n[1]"), Some(4));
    // A bool starts undefined, an int at 0; every write is shown.
    assert_eq!(
        vcd.changes("test.k.seen"),
        changes(&[(0, "x"), (90, "1"), (190, "1")])
    );
    assert_eq!(
        vcd.changes("test.k.n[1]"),
        changes(&[(0, "0000"), (100, "0001"), (200, "0010")])
    );
    assert_eq!(vcd.value_at("test.k.y", 180).as_deref(), Some("00000010"));
    // Variables never change what the run computes: the channels are the same as without.
    let plain = run(DESIGN, &[]);
    let plain = vcd_of(&plain);
    for signal in &plain.signals {
        assert_eq!(vcd.changes(&signal.path), plain.changes(&signal.path));
    }
}

/// Records of every kind of field: an alias of `int<8>`, a bool, a nested record and an array
/// field. `s` builds a packet field by field and sends it three times (the last two the same);
/// `k` receives it whole, copies it into an array of records and writes one nested field.
const RECORDS: &str = "\
deftype pos (int<4> row; bool odd) { }
deftype packet (int<8> data; bool last; pos at; int<2> tag[2]) { }
defproc src(chan!(packet) R) {
  packet p;
  chp { p.data := 5; p.at.row := 3; p.tag[1] := 2; R!p; p.last+; R!p; R!p }
}
defproc sink(chan?(packet) L) {
  packet q, hist[2];
  chp { L?q; hist[1] := q; L?q; hist[0].at.odd+; L?q }
}
defproc test() { src s; sink k; s.R = k.L; }
";

#[test]
fn vcd_vars_shows_a_record_variable_field_by_field() {
    let dir = run(RECORDS, &["--vcd-vars", "--fst", "run.fst"]);
    let vcd = vcd(dir.path());
    let fields = |var: &str| -> Vec<(String, u32)> {
        let prefix = format!("{var}.");
        (vcd.signal_paths().into_iter())
            .filter_map(|(path, width)| Some((path.strip_prefix(&prefix)?.to_string(), width)))
            .collect()
    };
    // Each record variable is a scope holding its fields (nested records as scopes of their
    // own, array fields element by element), every one a wire as wide as its type.
    let packet: Vec<(String, u32)> = [
        ("data", 8),
        ("last", 1),
        ("at.row", 4),
        ("at.odd", 1),
        ("tag[0]", 2),
        ("tag[1]", 2),
    ]
    .iter()
    .map(|&(name, width)| (name.to_string(), width))
    .collect();
    for var in ["test.s.p", "test.k.q", "test.k.hist[0]", "test.k.hist[1]"] {
        assert_eq!(fields(var), packet, "{var}");
        assert_eq!(vcd.signal(var), None, "{var} is not packed any more");
    }
    assert!(vcd.signals.iter().all(|s| s.var_type == "wire"));
    // A field write shows on that field only; integer fields start at 0, bool fields X, as
    // in actsim.
    assert_eq!(
        vcd.changes("test.s.p.data"),
        changes(&[(0, "00000000"), (10, "00000101")])
    );
    assert_eq!(
        vcd.changes("test.s.p.last"),
        changes(&[(0, "x"), (50, "1")])
    );
    assert_eq!(
        vcd.changes("test.s.p.at.row"),
        changes(&[(0, "0000"), (20, "0011")])
    );
    assert_eq!(
        vcd.changes("test.s.p.tag[1]"),
        changes(&[(0, "00"), (30, "10")])
    );
    assert_eq!(vcd.changes("test.s.p.tag[0]"), changes(&[(0, "00")]));
    // A whole record received or assigned shows on the fields it changes; received again
    // unchanged (at 80), on every field. A bool field sent X arrives X, as in actsim.
    assert_eq!(
        vcd.changes("test.k.q.data"),
        changes(&[(0, "00000000"), (50, "00000101"), (80, "00000101")])
    );
    assert_eq!(
        vcd.changes("test.k.q.last"),
        changes(&[(0, "x"), (70, "1"), (80, "1")])
    );
    assert_eq!(vcd.changes("test.k.q.at.odd"), changes(&[(0, "x")]));
    assert_eq!(
        vcd.value_at("test.k.hist[1].at.row", 60).as_deref(),
        Some("0011")
    );
    assert_eq!(vcd.changes("test.k.hist[1].last"), changes(&[(0, "x")]));
    assert_eq!(
        vcd.changes("test.k.hist[0].at.odd"),
        changes(&[(0, "x"), (70, "1")])
    );
    assert_eq!(
        vcd.changes("test.k.hist[0].at.row"),
        changes(&[(0, "0000")])
    );
    // The FST has the same fields and values.
    let from_vcd = wellen_signals(&dir.path().join("run.vcd"));
    let from_fst = wellen_signals(&dir.path().join("run.fst"));
    assert!(from_vcd
        .iter()
        .any(|(name, _)| name == "test.k.hist[0].at.odd"));
    assert_eq!(from_fst, from_vcd);
}

#[test]
fn vcd_vars_shows_the_fields_of_wide_and_shared_records() {
    // A record of 121 bits (wider than a machine word), shared with a sub-instance's port:
    // each copy shows the fields, and a write by either shows in both.
    let design = "\
deftype big (int<60> a; int<60> b; bool f) { }
defproc inner(big v) { chp { v.b := 7 } }
defproc test() { big x; inner i; i.v = x; chp { x.a := 1; x.f+ } }
";
    let dir = run(design, &["--vcd-vars"]);
    let vcd = vcd(dir.path());
    let seven = format!("{:060b}", 7);
    let one = format!("{:060b}", 1);
    for var in ["test.x", "test.i.v"] {
        let width = |field: &str| vcd.signal(&format!("{var}.{field}")).map(|s| s.width);
        assert_eq!(
            (width("a"), width("b"), width("f")),
            (Some(60), Some(60), Some(1))
        );
        assert_eq!(vcd.value_at(&format!("{var}.b"), 10), Some(seven.clone()));
    }
    assert_eq!(vcd.value_at("test.x.a", 10), Some(one));
    // The bool field is X until written, as in actsim.
    assert_eq!(vcd.changes("test.x.f"), changes(&[(0, "x"), (20, "1")]));
}

/// Every variable wellen sees in `file`: full name, and its changes as (time, bits).
fn wellen_signals(file: &PathBuf) -> Vec<(String, Vec<(u64, String)>)> {
    let mut wave = wellen::simple::read(file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
    let h = wave.hierarchy();
    let vars: Vec<(String, wellen::SignalRef)> = h
        .all_vars()
        .map(|v| (h[v].full_name(h), h[v].signal_ref()))
        .collect();
    let refs: Vec<wellen::SignalRef> = vars.iter().map(|(_, r)| *r).collect();
    wave.load_signals(&refs);
    let times = wave.time_table().to_vec();
    vars.into_iter()
        .map(|(name, r)| {
            let signal = wave.get_signal(r).unwrap();
            let changes = signal
                .iter_changes()
                .map(|(i, v)| (times[i as usize], v.to_bit_string().unwrap()))
                .collect();
            (name, changes)
        })
        .collect()
}

#[test]
fn fst_has_the_same_hierarchy_and_values_as_the_vcd() {
    let dir = run(DESIGN, &["--vcd-vars", "--fst", "run.fst"]);
    let from_vcd = wellen_signals(&dir.path().join("run.vcd"));
    let from_fst = wellen_signals(&dir.path().join("run.fst"));
    assert!(from_vcd.len() > 20, "{from_vcd:?}");
    assert_eq!(from_fst, from_vcd);
    let wave = wellen::simple::read(dir.path().join("run.fst")).unwrap();
    let ts = wave.hierarchy().timescale().unwrap();
    assert_eq!(
        (ts.factor, ts.unit),
        (1, wellen::TimescaleUnit::NanoSeconds)
    );
}

#[test]
fn fst_of_a_long_run_matches_the_vcd() {
    // Enough changes for several compressed blocks would take long in a test; this checks a
    // run of some thousand handshakes through ten stages, with a timescale.
    let design = std::fs::read_to_string("designs/pipeline.act")
        .unwrap()
        .replace("x < 5", "x < 200");
    let dir = run(&design, &["--fst", "run.fst", "--timescale", "10ps"]);
    let from_vcd = wellen_signals(&dir.path().join("run.vcd"));
    let from_fst = wellen_signals(&dir.path().join("run.fst"));
    assert_eq!(from_fst, from_vcd);
    let fst = std::fs::metadata(dir.path().join("run.fst")).unwrap().len();
    let vcd = std::fs::metadata(dir.path().join("run.vcd")).unwrap().len();
    assert!(fst * 3 < vcd, "FST {fst} bytes, VCD {vcd}");
}

#[test]
fn every_name_in_a_scope_is_unique() {
    // A port `R_hs` beside a port `R`, a variable `L_hs` beside a port `L`.
    let design = "\
defproc p(chan!(int<4>) R; chan!(int<4>) R_hs; chan?(int<4>) L) { int<4> L_hs; chp { R!1; R_hs!2; L?L_hs } }
defproc test() { p x; chan(int<4>) a, b, c; x.R = a; x.R_hs = b; x.L = c; int<4> v, w; chp { a?v; b?w; c!3 } }
";
    let dir = run(design, &["--vcd-vars"]);
    let vcd = vcd(dir.path());
    let mut paths: Vec<&str> = vcd.signals.iter().map(|s| s.path.as_str()).collect();
    let count = paths.len();
    paths.sort_unstable();
    paths.dedup();
    assert_eq!(paths.len(), count, "{paths:?}");
    // The design's own names keep theirs; the toggles make way.
    assert_eq!(vcd.aliases("test.b"), ["test.x.R_hs", "test.b"]);
    assert_eq!(vcd.aliases("test.a_hs"), ["test.a_hs", "test.x.R__hs"]);
    assert_eq!(vcd.aliases("test.c_hs"), ["test.x.L__hs", "test.c_hs"]);
    assert_eq!(vcd.aliases("test.x.L_hs"), ["test.x.L_hs"]);
}

#[test]
fn a_design_without_channels_still_has_a_signal_to_open() {
    let design = "defproc test() { int x; chp { x := 1; x := 2 } }\n";
    let dir = run(design, &["--fst", "run.fst"]);
    for file in ["run.vcd", "run.fst"] {
        let signals = wellen_signals(&dir.path().join(file));
        assert_eq!(
            signals,
            [(
                "test.no_channels_or_variables".to_string(),
                vec![(0, "0".to_string())]
            )],
            "{file}"
        );
    }
    // With --vcd-vars the variables are there, and nothing else.
    let dir = run(design, &["--vcd-vars"]);
    let names: Vec<String> = (vcd(dir.path()).signals.iter())
        .map(|s| s.path.clone())
        .collect();
    assert_eq!(names, ["test.x"]);
}
