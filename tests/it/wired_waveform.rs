//! The waveform of channels implemented in wires: every wire is a 1-bit node signal with X,
//! declared under each of its names (the CHP end's port, the circuit's port), and the value a
//! CHP end sends or receives over them is a signal `self` in that end's port scope.
use std::path::Path;
use std::process::Command;

use crate::common::skip;
use crate::common::vcd_check::{check_vcd, VcdSummary};

/// A CHP source sends `true`, `false`, `true` on a four-phase dual-rail channel through a
/// buffer in production rules to a CHP sink, and 5 then 2 on a bundled-data channel whose
/// request a rule acknowledges. Every action and rule takes 10.
///
/// By hand: `Reset` rises at 10 and falls at 110 (the buffer's outputs fall at 20 meanwhile);
/// at 110 the source's `x!true` (its value 1) raises `s.x.hi`; `b.r.hi` rises at 120, where
/// the sink, waiting in `get`, takes 1 and raises its acknowledge; `b.l.a` rises at 130 (the
/// source lowers `hi`), `b.r.hi` falls at 140 (the sink lowers its acknowledge, logs `got 1`),
/// `b.l.a` falls at 150 and the send ends. Each token takes 50: `false` is sent at 160 and
/// received at 170, `true` at 210 and 220. The bundled channel's value is set at 260 (`101`)
/// and 290 (`010`).
const DESIGN: &str = "\
import globals;

defchan ack2 <: chan(bool) (bool?! hi, lo; bool!? a)
{
  methods {
    send_init { hi-, lo- }
    set { [self -> hi+ [] else -> lo+] }
    send_up { [a] }
    send_rest { hi-, lo-; [~a] }
    recv_init { a- }
    get { [hi -> self := true [] lo -> self := false] }
    recv_up { a+ }
    recv_rest { [~hi & ~lo]; a- }
    recv_probe = hi | lo;
  }
}

defchan bundle <: chan(int<3>) (bool?! d[3]; bool?! r; bool!? a)
{
  methods {
    send_init { r-, (,i:3: d[i]-) }
    set { (,i:3: [((self >> i) & 1) = 1 -> d[i]+ [] else -> d[i]-]) }
    send_up { r+; [a] }
    send_rest { r-; [~a] }
    recv_init { a- }
    recv_up { a+ }
    recv_rest { [~r]; a- }
    recv_probe = r;
  }
}

defproc src(ack2! x; bundle! w) { chp { x!true; x!false; x!true; w!5; w!2 } }

defproc wchb(ack2? l; ack2! r)
{
  prs {
    ~Reset & l.hi & ~r.a -> r.hi+
    Reset | ~l.hi & r.a -> r.hi-
    ~Reset & l.lo & ~r.a -> r.lo+
    Reset | ~l.lo & r.a -> r.lo-
    r.hi | r.lo => l.a+
  }
}

defproc ackbd(bundle? i) { prs { i.r => i.a+ } }

defproc sink(ack2? y) { bool v; chp { *[ y?v; log(\"got \", v) ] } }

defproc test() { src s; wchb b(s.x); sink k(b.r); ackbd q(s.w); }

Initialize { actions { Reset+ }; actions { Reset- } }
";

/// Runs `text` in `dir` with `args` added, writing `wired.vcd`; returns its path.
fn write_vcd(dir: &Path, text: &str, args: &[&str]) -> std::path::PathBuf {
    let design = dir.join("wired.act");
    std::fs::write(&design, text).unwrap();
    let vcd = dir.join("wired.vcd");
    let out = Command::new(env!("CARGO_BIN_EXE_chpsim"))
        .args(["run", "--quiet", "--vcd"])
        .arg(&vcd)
        .args(args)
        .arg(&design)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    vcd
}

fn read(vcd: &Path) -> VcdSummary {
    let text = std::fs::read_to_string(vcd).unwrap();
    check_vcd(&text).unwrap_or_else(|e| panic!("invalid VCD: {e}\n{text}"))
}

fn changes(list: &[(u64, &str)]) -> Vec<(u64, String)> {
    list.iter().map(|&(t, v)| (t, v.to_string())).collect()
}

#[test]
fn a_wired_channel_shows_its_wires_under_each_name_and_the_chp_ends_values() {
    let dir = tempfile::tempdir().unwrap();
    let vcd = read(&write_vcd(dir.path(), DESIGN, &[]));
    // The source's rail is the buffer's input rail: one signal, X until the send_init at 0.
    assert_eq!(
        vcd.aliases("test.s.x.hi"),
        vec!["test.s.x.hi".to_string(), "test.b.l.hi".to_string()]
    );
    assert_eq!(
        vcd.changes("test.b.l.hi"),
        changes(&[
            (0, "x"),
            (0, "0"),
            (110, "1"),
            (130, "0"),
            (210, "1"),
            (230, "0")
        ])
    );
    // The sink's wires are the buffer's output wires.
    assert_eq!(
        vcd.aliases("test.k.y.a"),
        vec!["test.k.y.a".to_string(), "test.b.r.a".to_string()]
    );
    // What each CHP end sent or received, when it did.
    assert_eq!(vcd.signal("test.s.x.self").map(|s| s.width), Some(1));
    assert_eq!(
        vcd.changes("test.s.x.self"),
        changes(&[(0, "x"), (110, "1"), (160, "0"), (210, "1")])
    );
    assert_eq!(
        vcd.changes("test.k.y.self"),
        changes(&[(0, "x"), (120, "1"), (170, "0"), (220, "1")])
    );
    assert_eq!(
        vcd.changes("test.s.w.self"),
        changes(&[(0, "xxx"), (260, "101"), (290, "010")])
    );
    // Every wire of the channel is a node, the rule leaving `d` alone: the circuit's port
    // names it too. A node shows changes only (`set` writing 0 again at 260 is none).
    assert_eq!(
        vcd.changes("test.q.i.d[1]"),
        changes(&[(0, "x"), (0, "0"), (290, "1")])
    );
    // The circuit's side of a channel has no value of its own.
    assert!(vcd.signal("test.b.l.self").is_none());
}

#[test]
fn with_the_variables_a_wire_is_still_one_signal() {
    let dir = tempfile::tempdir().unwrap();
    let vcd = read(&write_vcd(dir.path(), DESIGN, &["--vcd-vars"]));
    // The CHP copies of the wires are the nodes, not signals of their own.
    let in_source: Vec<String> = (vcd.signal_paths().into_iter())
        .map(|(path, _)| path)
        .filter(|path| path.starts_with("test.s.x."))
        .collect();
    assert_eq!(
        in_source,
        ["test.s.x.self", "test.s.x.hi", "test.s.x.lo", "test.s.x.a"]
    );
    assert_eq!(
        vcd.changes("test.k.v"),
        changes(&[(0, "x"), (140, "1"), (190, "0"), (240, "1")])
    );
}

#[test]
fn with_the_variables_the_initialize_actions_add_no_copies_of_the_globals() {
    let dir = tempfile::tempdir().unwrap();
    let vcd = read(&write_vcd(dir.path(), DESIGN, &["--vcd-vars"]));
    // The two actions see every global (`Vdd`, `GND`, `Reset`); they were each declared
    // again at the top (`test.Vdd~2`). `Reset`, a node, is there once, as the node.
    let top: Vec<String> = (vcd.signal_paths().into_iter())
        .map(|(path, _)| path)
        .filter(|path| path.strip_prefix("test.").is_some_and(|p| !p.contains('.')))
        .collect();
    assert_eq!(top, ["test.Reset"]);
    assert_eq!(
        vcd.changes("test.Reset"),
        changes(&[(0, "x"), (10, "1"), (110, "0")])
    );
}

const PYTHON_CHECK: &str = r#"
import sys, vcd.reader, vcdvcd
with open(sys.argv[1], "rb") as f:
    ids = {t.data.id_code: t.data.reference for t in vcd.reader.tokenize(f)
           if t.kind == vcd.reader.TokenKind.VAR}
print("pyvcd vars", len(ids))
v = vcdvcd.VCDVCD(sys.argv[1])
for name in ["test.s.w.self", "test.k.y.self", "test.b.r.hi", "test.k.y.hi"]:
    print(name, " ".join(f"{t}:{x}" for t, x in v[name].tv))
"#;

#[test]
fn python_vcd_parsers_read_the_wires_and_values() {
    let Some(python) = skip::python_vcd_readers() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let vcd = write_vcd(dir.path(), DESIGN, &[]);
    let stdout = skip::run_python(&python, PYTHON_CHECK, &vcd);
    let expected = [
        "test.s.w.self 0:xxx 260:101 290:010",
        "test.k.y.self 0:x 120:1 170:0 220:1",
        "test.b.r.hi 0:x 20:0 120:1 140:0 220:1 240:0",
        "test.k.y.hi 0:x 20:0 120:1 140:0 220:1 240:0",
    ];
    for line in expected {
        assert!(stdout.contains(line), "{line} not in:\n{stdout}");
    }
}

#[test]
fn an_array_of_wired_ports_shows_each_elements_value_beside_its_wires() {
    // The test bench sends on elements 1 and 0 of `ack2! c[2]`, each into a buffer of
    // [`DESIGN`] whose output an `ackbd`-like rule acknowledges.
    let design = DESIGN.replace(
        "defproc test() { src s; wchb b(s.x); sink k(b.r); ackbd q(s.w); }",
        "defproc tb(ack2! c[2]) { chp { c[1]!false; c[0]!true } }
defproc ack(ack2? i) { prs { i.hi | i.lo => i.a+ } }
defproc test() { tb t; wchb b[2]; ack k[2]; (i:2: b[i].l = t.c[i]; k[i].i = b[i].r;) }",
    );
    let dir = tempfile::tempdir().unwrap();
    let vcd = write_vcd(dir.path(), &design, &[]);
    let vcd = read(&vcd);
    // After the reset phase (110): c[1]!false at 110 (lo), then c[0]!true when it is done.
    assert_eq!(
        vcd.changes("test.t.c.self[1]"),
        changes(&[(0, "x"), (110, "0")])
    );
    assert_eq!(vcd.value_at("test.t.c.lo[1]", 110).as_deref(), Some("1"));
    assert_eq!(
        vcd.aliases("test.t.c.lo[1]"),
        vec!["test.t.c.lo[1]".to_string(), "test.b[1].l.lo".to_string()]
    );
    let sent_true = vcd.changes("test.t.c.self[0]");
    assert_eq!(sent_true.len(), 2, "{sent_true:?}");
    assert_eq!(sent_true[1].1, "1");
    assert_eq!(
        vcd.value_at("test.b[0].l.hi", sent_true[1].0).as_deref(),
        Some("1")
    );
}
