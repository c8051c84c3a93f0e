//! Our VCD read by other people's parsers: Python's pyvcd and vcdvcd, GTKWave's vcd2fst; and
//! our FST read by GTKWave's fst2vcd.
//!
//! Each check skips with a loud message when its tool is missing, unless CI asked for it
//! (`CHPSIM_REQUIRE_PYTHON_VCD=1`, `CHPSIM_REQUIRE_VCD2FST=1`, set by `.ci/run`, which installs
//! the tools).
use std::path::Path;
use std::process::Command;

use crate::common::skip;

const DESIGN: &str = r#"
defproc src(chan!(int<8>) R) { int<8> x; chp { x := 0; *[ x < 5 -> R!x; R!x; x := x + 1 ] } }
defproc buf(chan?(int<8>) L; chan!(int<8>) R) { int<8> x; chp { *[ L?x; R!x ] } }
deftype seen (int<8> last; bool big) { }
defproc snk(chan?(int<8>) L) { int<8> x; seen t; chp { *[ L?x; t.last := x; t.big := x > 2 ] } }
defproc wide(chan!(int<256>) W) {
  int<256> v;
  chp { v := 1; *[ v != 0 -> W!v; v := v << 64 ] }
}
defproc wsink(chan?(int<256>) W) { int<256> v; chp { *[ W?v ] } }
defproc test() {
  src s; buf b[2]; snk k; wide w; wsink ws;
  s.R = b[0].L; b[0].R = b[1].L; b[1].R = k.L; w.W = ws.W;
}
"#;

/// Writes `ext.vcd` and `ext-own.fst` (with the variables) in `dir`; returns the VCD's path.
fn write_vcd(dir: &Path) -> std::path::PathBuf {
    let design = dir.join("ext.act");
    std::fs::write(&design, DESIGN).unwrap();
    let vcd = dir.join("ext.vcd");
    let status = Command::new(env!("CARGO_BIN_EXE_chpsim"))
        .args(["run", "--quiet", "--vcd-vars", "--vcd"])
        .arg(&vcd)
        .arg("--fst")
        .arg(dir.join("ext-own.fst"))
        .arg(&design)
        .status()
        .unwrap();
    assert!(status.success());
    vcd
}

/// A design without channels: its waveform has one placeholder signal, so that GTKWave opens it
/// (a VCD with no `$var` converts to an FST that GTKWave cannot open).
const NO_CHANNELS: &str = "defproc test() { int x; chp { x := 1; x := 2 } }\n";

/// Writes `none.vcd` and `none-own.fst` of [`NO_CHANNELS`] in `dir`.
fn write_channelless(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let design = dir.join("none.act");
    std::fs::write(&design, NO_CHANNELS).unwrap();
    let (vcd, fst) = (dir.join("none.vcd"), dir.join("none-own.fst"));
    let status = Command::new(env!("CARGO_BIN_EXE_chpsim"))
        .args(["run", "--quiet", "--vcd"])
        .arg(&vcd)
        .arg("--fst")
        .arg(&fst)
        .arg(&design)
        .status()
        .unwrap();
    assert!(status.success());
    (vcd, fst)
}

fn required(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| v == "1")
}

const PYTHON_CHECK: &str = r#"
import sys, vcd.reader, vcdvcd
path = sys.argv[1]
# pyvcd: tokenize the whole file, count value changes per id
changes = {}
with open(path, "rb") as f:
    for tok in vcd.reader.tokenize(f):
        if tok.kind in (vcd.reader.TokenKind.CHANGE_SCALAR, vcd.reader.TokenKind.CHANGE_VECTOR):
            changes[tok.data.id_code] = changes.get(tok.data.id_code, 0) + 1
assert changes, "pyvcd saw no value changes"
# vcdvcd: signal names and values
v = vcdvcd.VCDVCD(path)
names = sorted(v.signals)
print("\n".join(names))
hs = v["test.b[0].R_hs"]
print("b[0].R_hs changes", len(hs.tv))
print("b[1].L_hs changes", len(v["test.b[1].L_hs"].tv))
print("b[0].R last", int(v["test.b[0].R"].tv[-1][1], 2))
print("w.W max", max(int(x, 2) for _, x in v["test.w.W"].tv if "x" not in x).bit_length())
print("k.L_wait values", sorted(set(x for _, x in v["test.k.L_wait"].tv)))
print("k.x last", int(v["test.k.x"].tv[-1][1], 2))
"#;

#[test]
fn python_vcd_parsers_read_our_waveform() {
    let Some(python) = skip::python_vcd_readers() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let vcd = write_vcd(dir.path());
    let stdout = skip::run_python(&python, PYTHON_CHECK, &vcd);
    assert!(stdout.contains("test.s.R_hs"), "{stdout}");
    // Ten tokens (each value sent twice) pass b[0].R: ten toggles after the initial value.
    assert!(stdout.contains("b[0].R_hs changes 11"), "{stdout}");
    // b[1].L is the same wire, declared again (an alias).
    assert!(stdout.contains("b[1].L_hs changes 11"), "{stdout}");
    // The sink waits for the first token (`10`); its two assignments per token then make it
    // the slower side, so later tokens wait for it (`01`); it ends waiting (`10`).
    assert!(
        stdout.contains("k.L_wait values ['00', '01', '10']"),
        "{stdout}"
    );
    assert!(stdout.contains("k.x last 4"), "{stdout}");
    assert!(stdout.contains("b[0].R last 4"), "{stdout}");
    // 1 << 192 is the widest value sent over the 256-bit channel.
    assert!(stdout.contains("w.W max 193"), "{stdout}");
}

#[test]
fn gtkwave_vcd2fst_converts_our_waveform() {
    if Command::new("vcd2fst").arg("--help").output().is_err() {
        assert!(
            !required("CHPSIM_REQUIRE_VCD2FST"),
            "vcd2fst is required but missing"
        );
        skip::skipped(
            "GTKWave's vcd2fst is not installed (bash .ci/run installs it with apt when it can)",
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let vcd = write_vcd(dir.path());
    let fst = dir.path().join("ext.fst");
    let out = Command::new("vcd2fst")
        .arg(&vcd)
        .arg(&fst)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "vcd2fst failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let size = std::fs::metadata(&fst).unwrap().len();
    assert!(size > 100, "vcd2fst wrote only {size} bytes");
    // Round trip: fst2vcd must give back every signal.
    let back = Command::new("fst2vcd").arg(&fst).output().unwrap();
    let text = String::from_utf8_lossy(&back.stdout);
    // A record variable is a scope of its fields.
    for name in ["R_hs", " W ", "R_wait", "$scope module t ", " big "] {
        assert!(text.contains(name), "fst2vcd output lacks {name}:\n{text}");
    }
    // GTKWave reads our own FST too.
    let back = Command::new("fst2vcd")
        .arg(dir.path().join("ext-own.fst"))
        .output()
        .unwrap();
    assert!(back.status.success(), "fst2vcd failed on our FST");
    let text = String::from_utf8_lossy(&back.stdout);
    let names = [
        "$scope module test",
        " L_wait ",
        " R_hs ",
        " x ",
        " W ",
        "$scope module t ",
        " big ",
    ];
    for name in names {
        assert!(
            text.contains(name),
            "fst2vcd of our FST lacks {name}:\n{text}"
        );
    }
}

#[test]
fn python_vcd_parsers_read_a_waveform_without_channels() {
    let Some(python) = skip::python_vcd_readers() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (vcd, _) = write_channelless(dir.path());
    let check = "import sys, vcd.reader, vcdvcd
with open(sys.argv[1], 'rb') as f:
    print('changes', sum(t.kind == vcd.reader.TokenKind.CHANGE_SCALAR for t in vcd.reader.tokenize(f)))
print('signals', sorted(vcdvcd.VCDVCD(sys.argv[1]).signals))";
    let out = Command::new(&python)
        .args(["-c", check])
        .arg(&vcd)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout,
        "changes 1\nsignals ['test.no_channels_or_variables']\n"
    );
}

#[test]
fn gtkwave_opens_a_waveform_without_channels() {
    if Command::new("vcd2fst").arg("--help").output().is_err() {
        assert!(
            !required("CHPSIM_REQUIRE_VCD2FST"),
            "vcd2fst is required but missing"
        );
        skip::skipped("GTKWave's vcd2fst is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (vcd, own_fst) = write_channelless(dir.path());
    let fst = dir.path().join("none.fst");
    let out = Command::new("vcd2fst")
        .arg(&vcd)
        .arg(&fst)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // fst2vcd, like GTKWave, cannot open an FST without a signal.
    for fst in [fst, own_fst] {
        let back = Command::new("fst2vcd").arg(&fst).output().unwrap();
        let text = String::from_utf8_lossy(&back.stdout);
        assert!(back.status.success(), "fst2vcd cannot open {fst:?}");
        assert!(text.contains(" no_channels_or_variables "), "{text}");
    }
}
