//! Designs that use ACT's standard library as designers do (`import std;`, `import math;`,
//! `import std::cells;`), read from an installation's `$ACT_HOME/act`: the one in `$ACT_HOME`
//! when it holds the library, else `../shared/act-home` beside the checkout (where `.ci/run`
//! finds it). Without either the tests say they skipped. The same rules have tests of their
//! own that need no library (`function_templates.rs`).
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::cli::{stderr, stdout, BIN};
use crate::common::skip::skipped;

/// The ACT installation holding the standard library, if there is one.
fn act_home() -> Option<PathBuf> {
    let beside = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/act-home");
    let candidates = std::env::var_os("ACT_HOME").map(PathBuf::from).into_iter();
    let found = candidates
        .chain([beside])
        .find(|home| home.join("act/std/_all_.act").is_file());
    if found.is_none() {
        skipped("no ACT installation with its standard library ($ACT_HOME, ../shared/act-home)");
    }
    found
}

/// Runs `chpsim run d.act` on `design` with the library installed, `None` without one.
fn run_with_library(design: &str) -> Option<Output> {
    let home = act_home()?;
    let dir = tempfile::tempdir().unwrap();
    Some(run_in(dir.path(), design, Some(home)))
}

/// Runs `chpsim run d.act` in `dir` on `design`, with `ACT_HOME` set to `home` if any.
fn run_in(dir: &Path, design: &str, home: Option<PathBuf>) -> Output {
    std::fs::write(dir.join("d.act"), design).unwrap();
    let mut command = Command::new(BIN);
    command
        .args(["run", "d.act"])
        .current_dir(dir)
        .env_remove("ACT_HOME")
        .env_remove("ACT_PATH");
    if let Some(home) = home {
        command.env("ACT_HOME", home);
    }
    command.output().unwrap()
}

/// The texts of the log lines (after `<instance>  `).
fn log_texts(o: &Output) -> Vec<String> {
    stdout(o)
        .lines()
        .filter_map(|l| l.split_once(">  ").map(|(_, text)| text.to_string()))
        .collect()
}

#[test]
fn math_fixpoint_records_compute_in_two_s_complement() {
    // 2.5 and -1.25 in Q4.4; the methods return fixpoint<A,B> records, and `mults` rounds
    // through `round<N,MODE>`, whose `else -> assert(0)` ACT accepts.
    let Some(o) = run_with_library(
        "import math;
        defproc test() {
          math::fixpoint<4,4> a, b, c;
          int<8> v;
          chp {
            a.set(a.const(2.5)); b.set(b.const(-1.25));
            c := a.plus(b); c.log();
            c := a.mult(b); c.log();
            c := a.div(b); c.log();
            v := math::fxp::mults<4,4,1>(a.x, b.x); log(\"mults \", v);
            log(\"lt \", a.lt(b), \" ge \", a.ge(b))
          }
        }",
    ) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        log_texts(&o),
        [
            "+1.{4/16}",
            "-3.{2/16}",
            "-2.{0/16}",
            "mults 206",
            "lt 0 ge 1"
        ]
    );
}

#[test]
fn math_sint_functions_return_the_derived_record() {
    // `clsl<W,N>` and `sign_extend<W_OLD,W_NEW>` return `sint<W>`, a record whose width
    // comes from the function's template arguments.
    let Some(o) = run_with_library(
        "import math;
        defproc test() {
          math::sint<8> s, t;
          chp {
            s.x := 5;
            t := math::sint_ops::clsl<8,2>(s); log(\"clsl \", t.x);
            t := math::sint_ops::sign_extend<4,8>(math::sint<4>(0xc)); log(\"extended \", t.x)
          }
        }",
    ) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(log_texts(&o), ["clsl 20", "extended 252"]);
}

#[test]
fn std_lfsr_functions_take_their_taps_as_a_parameter_array() {
    // 0x85 through fib_lfsr<8,2,{0,2}>: bit 0 ^ bit 2 = 0 shifted in at the top: 0x42.
    let Some(o) = run_with_library(
        "import std;
        pint T[2] = {0, 2};
        defproc test() {
          int<8> x;
          chp {
            x := 0x85;
            x := std::fib_lfsr<8,2,T>(x); log(\"fib \", x);
            x := std::fib_lfsr<8,2,{0,3}>(x); log(\"fib \", x);
            x := std::galois_lfsr<8,2,T>(x); log(\"galois \", x)
          }
        }",
    ) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // 0x42 = 0100_0010: taps 0 and 3 are 0, so 0x21 = 33. galois of 33 (bit 0 = 1): 33 >> 1
    // with the bit on top = 144, then bit 0 := bit 1 ^ 1 = 1 and bit 2 := bit 3 ^ 1 = 1: 149.
    assert_eq!(log_texts(&o), ["fib 66", "fib 33", "galois 149"]);
}

#[test]
fn a_qdi_pipeline_of_std_cells_passes_tokens_between_chp_ends_on_a1of2_channels() {
    // Three WCHB stages at gate level (each rail's C-element with the inverted acknowledge,
    // the acknowledge the OR of the output rails, from std::cells), a CHP source and sink on
    // std::channel::a1of2: every token arrives, in order, with no warning.
    let Some(o) = run_with_library(
        "import std;
        import globals;
        import std::cells;
        open std::channel;
        defproc src(a1of2! O) { chp { (;i:6: O!(i%3)%2; log(\"sent \", (i%3)%2)) } }
        defproc snk(a1of2? I) { int<1> x; chp { *[ I?x; log(\"got \", x) ] } }
        defproc wchb(a1of2? L; a1of2! R) {
          bool _rt, _rf, _ra;
          prs {
            Reset | ~L.t & ~_ra -> _rt+
            ~Reset & L.t & _ra -> _rt-
            Reset | ~L.f & ~_ra -> _rf+
            ~Reset & L.f & _ra -> _rf-
            _rt => R.t-
            _rf => R.f-
          }
          std::cells::INVX1 i(R.a, _ra);
          std::cells::OR2X1 o(R.t, R.f, L.a);
        }
        defproc test() {
          src s;
          wchb b[3];
          snk k;
          b[0].L = s.O;
          (i:2: b[i].R = b[i+1].L;)
          b[2].R = k.I;
        }
        Initialize { actions { Reset+ }; actions { Reset- } }",
    ) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let texts = log_texts(&o);
    let got: Vec<&String> = texts.iter().filter(|t| t.starts_with("got")).collect();
    assert_eq!(
        got,
        ["got 0", "got 1", "got 0", "got 0", "got 1", "got 0"],
        "{texts:?}"
    );
    assert!(!stdout(&o).contains("WARNING"), "{}", stdout(&o));
}

#[test]
fn a_std_rom_reads_its_contents_from_its_rom_file() {
    let Some(home) = act_home() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("_rom_file_.3"), "11\n0x22 ff\n\n1a\n").unwrap();
    let o = run_in(
        dir.path(),
        "import std;
        defproc test() {
          chan(int<2>) a; chan(int<8>) d;
          std::rom<3,4,8> r(a, d);
          int<8> v;
          chp { (;i:4: a!(3-i), d?v; log(\"rom \", v)) }
        }",
        Some(home),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(log_texts(&o), ["rom 26", "rom 255", "rom 34", "rom 17"]);
}

/// The two functions without the library: declared by the design in `std` as the library
/// declares them, they are chpsim's own.
#[test]
fn read_rom_reads_numbers_until_none_is_left_then_starts_again() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("_rom_file_.0"), "a b\n").unwrap();
    let o = run_in(
        dir.path(),
        "namespace std {
          export function read_rom(int<32> idx) : int<64>;
          export function close_rom(int<32> idx) : int<64>;
        }
        defproc test() {
          int<64> v;
          chp {
            (;i:4: v := std::read_rom(0); log(\"read \", v));
            v := std::read_rom(0); log(\"after close \", v);
            v := std::close_rom(0);
            v := std::read_rom(0); log(\"reopened \", v);
            v := std::close_rom(9);
            v := std::read_rom(5); log(\"missing \", v)
          }
        }",
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The third read finds no number: 0, and the file closes; the fourth starts it again.
    assert_eq!(
        log_texts(&o),
        [
            "read 10",
            "read 11",
            "read 0",
            "read 10",
            "after close 11",
            "reopened 10",
            "missing 0"
        ]
    );
    let err = stderr(&o);
    assert!(err.contains("actsim_close_rom: invalid ID 9!"), "{err}");
    assert!(
        err.contains("Could not open file `_rom_file_.5' for ROM contents."),
        "{err}"
    );
}
