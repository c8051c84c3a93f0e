//! Property-based fuzzing of the whole pipeline (proptest, in the normal test suite).
//!
//! - The front end and the elaborator take arbitrary bytes, token soup from the language's
//!   tokens, and mutated copies of the designs in `designs/`, without panicking; every error is
//!   rendered (the renderer must not panic either), and a mutant that still compiles is run.
//! - Small well-formed designs are generated at random (processes with random CHP over a
//!   random channel topology) and simulated with a bound on events: no panic, no hang, and the
//!   same transcript twice.
//!
//! The number of cases per property is 256 by default (a few seconds in all); set
//! `PROPTEST_CASES=20000` for a longer run. Failures print the input; each one found so far is
//! kept as a file in `tests/bad/`.
use std::panic::{catch_unwind, AssertUnwindSafe};

use chpsim::driver::outputs::MemoryOutput;
use chpsim::driver::{
    compile, run, ElabOptions, Outputs, RunSettings, SourceFile, TranscriptTarget,
};
use chpsim::kernel::Limits;
use proptest::prelude::*;
use proptest::test_runner::Config;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Cases per property: `PROPTEST_CASES`, else `default`.
fn config(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        // Findings become files in tests/bad/, not regression files.
        failure_persistence: None,
        ..Config::default()
    }
}

/// Events a fuzzed run may take.
const MAX_EVENTS: u64 = 3_000;

/// Compiles `text`; if it compiles, runs it twice with a bound on events and checks that the
/// transcripts are equal. Returns whether it compiled.
fn compile_and_maybe_run(text: &str) -> Result<bool, TestCaseError> {
    let source = SourceFile::new("fuzz.act", text);
    if let Err(e) = compile(&source, &ElabOptions::default()) {
        let message = e.to_string();
        prop_assert!(!message.is_empty());
        return Ok(false);
    }
    // A run consumes its design: compile again for the second run (compiling is deterministic).
    let first = run_bounded(&source)?;
    let second = run_bounded(&source)?;
    prop_assert_eq!(first, second, "not deterministic");
    Ok(true)
}

fn run_bounded(source: &SourceFile) -> Result<String, TestCaseError> {
    let design = compile(source, &ElabOptions::default())
        .map_err(|e| TestCaseError::fail(format!("compiles once, not twice: {e}")))?;
    let memory = MemoryOutput::default();
    let outputs = Outputs {
        transcript: Some(TranscriptTarget::Writer(Box::new(memory.clone()))),
        ..Outputs::default()
    };
    let settings = RunSettings {
        seed: 7,
        random_choice: true,
        delay: 10,
        random_delay: None,
        limits: Limits {
            until: None,
            max_events: Some(MAX_EVENTS),
        },
        top_name: "test".into(),
        excl_monitors: false,
    };
    let result = run(design, source, &settings, outputs)
        .map_err(|e| TestCaseError::fail(format!("run failed: {e}")))?;
    // Rendering the end of the run must not panic either.
    let _ = result.render_error();
    let _ = result.render_waiting();
    Ok(memory.text())
}

/// Runs `f`, turning a panic into a test failure that shows the input.
fn no_panic(
    input: &str,
    f: impl FnOnce() -> Result<bool, TestCaseError>,
) -> Result<bool, TestCaseError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(TestCaseError::fail(format!(
                "panic: {what}\n--- input ---\n{input}\n-------------"
            )))
        }
    }
}

// ----------------------------------------------------------------------
// (a) Front end and elaboration
// ----------------------------------------------------------------------

const TOKENS: &[&str] = &[
    "defproc",
    "template",
    "pint",
    "pbool",
    "int",
    "bool",
    "chan",
    "chp",
    "skip",
    "log",
    "assert",
    "else",
    "true",
    "false",
    "prs",
    "namespace",
    "test",
    "top",
    "x",
    "y",
    "L",
    "R",
    "a",
    "b",
    "i",
    "N",
    "0",
    "1",
    "7",
    "8",
    "255",
    "0x1f",
    "0b101",
    "99999999999999999999",
    "<",
    ">",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "*[",
    "[|",
    "|]",
    "[]",
    "->",
    "<-",
    ";",
    ",",
    ":",
    ":=",
    "!",
    "?",
    "#",
    "@[after=3]",
    "..",
    ".",
    "=",
    "!=",
    "<=",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "&",
    "|",
    "^",
    "~",
    "<<",
    ">>",
    "\"s\"",
    "\"%x\"",
    "\"%08d \"",
    "||",
    "!+",
    "?-",
    "log_st",
    "log_p",
    "log_nl",
    "warn",
    "//c\n",
    "/*c*/",
    "\n",
    " ",
];

/// A design body generator for token soup that looks more like a design: a defproc header
/// with a soup body, and a top.
fn soup(tokens: &[&str], spaced: bool) -> String {
    tokens.join(if spaced { " " } else { "" })
}

/// The texts of `designs/*.act`, read once.
fn designs() -> &'static [String] {
    static DESIGNS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    DESIGNS.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("designs");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        paths.sort();
        paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "act"))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect()
    })
}

/// Applies `edits` random edits (delete, duplicate, insert a token, swap two characters) to
/// `text`, on character boundaries.
fn mutate(text: &str, seed: u64, edits: usize) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..edits {
        let len = chars.len();
        let at = if len == 0 {
            0
        } else {
            rng.random_range(0..len)
        };
        match rng.random_range(0..5) {
            0 if len > 0 => {
                let n = rng.random_range(1..=8.min(len - at));
                chars.drain(at..at + n);
            }
            1 if len > 0 => {
                let n = rng.random_range(1..=16.min(len - at));
                let copy: Vec<char> = chars[at..at + n].to_vec();
                let to = rng.random_range(0..=len);
                chars.splice(to..to, copy);
            }
            2 | 3 => {
                let token = TOKENS[rng.random_range(0..TOKENS.len())];
                chars.splice(at..at, format!(" {token} ").chars());
            }
            _ if len > 1 => {
                let other = rng.random_range(0..len);
                chars.swap(at, other);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        no_panic(&text, || compile_and_maybe_run(&text))?;
    }

    #[test]
    fn arbitrary_strings_never_panic(text in "\\PC{0,400}") {
        no_panic(&text, || compile_and_maybe_run(&text))?;
    }

    #[test]
    fn token_soup_never_panics(
        tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..300),
        spaced in any::<bool>(),
        wrapped in any::<bool>(),
    ) {
        let body = soup(&tokens, spaced);
        let text = if wrapped {
            format!("defproc test() {{ int<8> x, y; bool b; chp {{ {body} }} }}")
        } else {
            body
        };
        no_panic(&text, || compile_and_maybe_run(&text))?;
    }

    #[test]
    fn mutated_designs_never_panic(which in any::<prop::sample::Index>(), seed in any::<u64>(), edits in 1usize..6) {
        let designs = designs();
        prop_assume!(!designs.is_empty());
        let original = which.get(designs);
        let text = mutate(original, seed, edits);
        no_panic(&text, || compile_and_maybe_run(&text))?;
    }
}

// ----------------------------------------------------------------------
// (b) Generated well-formed designs
// ----------------------------------------------------------------------

/// One channel of a generated topology.
struct Channel {
    width: u32,
    sender: usize,
    receiver: usize,
}

struct Gen {
    rng: ChaCha8Rng,
    channels: Vec<Channel>,
    /// Whether the topology is a pipeline (see [`Gen::design`]).
    pipeline: bool,
}

const WIDTHS: &[u32] = &[1, 3, 8, 16, 33, 64, 70];

impl Gen {
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.random_range(0..items.len())]
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.rng.random_range(0..100) < percent
    }

    /// The whole design: `P` processes `p0..`, channels between them, a `test` top.
    fn design(&mut self) -> String {
        let processes = self.rng.random_range(1..=4);
        let channel_count = if processes > 1 {
            self.rng.random_range(0..=5)
        } else {
            0
        };
        // A third of the designs are pipelines p0 -> p1 -> ... (long runs, many handshakes);
        // the others have a random topology (short runs, often deadlocks).
        self.pipeline = processes > 1 && self.chance(33);
        if self.pipeline {
            for p in 1..processes {
                let width = self.pick(WIDTHS);
                self.channels.push(Channel {
                    width,
                    sender: p - 1,
                    receiver: p,
                });
            }
        }
        for _ in 0..if self.pipeline { 0 } else { channel_count } {
            let sender = self.rng.random_range(0..processes);
            let mut receiver = self.rng.random_range(0..processes - 1);
            if receiver >= sender {
                receiver += 1;
            }
            let width = self.pick(WIDTHS);
            self.channels.push(Channel {
                width,
                sender,
                receiver,
            });
        }
        let mut text = String::new();
        for p in 0..processes {
            text.push_str(&self.process(p));
        }
        text.push_str("defproc test() {\n");
        for p in 0..processes {
            text.push_str(&format!("  p{p} i{p};\n"));
        }
        for (j, c) in self.channels.iter().enumerate() {
            text.push_str(&format!("  i{}.O{j} = i{}.I{j};\n", c.sender, c.receiver));
        }
        text.push_str("}\n");
        text
    }

    fn process(&mut self, p: usize) -> String {
        let mut ports = Vec::new();
        let mut outs = Vec::new();
        let mut ins = Vec::new();
        for (j, c) in self.channels.iter().enumerate() {
            if c.sender == p {
                ports.push(format!("chan!(int<{}>) O{j}", c.width));
                outs.push(j);
            }
            if c.receiver == p {
                ports.push(format!("chan?(int<{}>) I{j}", c.width));
                ins.push(j);
            }
        }
        let mut text = format!("defproc p{p}({}) {{\n", ports.join("; "));
        text.push_str("  int<8> x0; int<16> x1; int<70> x2; bool b0; int<8> m[4];\n");
        for &j in outs.iter().chain(&ins) {
            text.push_str(&format!("  int<{}> v{j};\n", self.channels[j].width));
        }
        let init = "x0 := 0; x1 := 1; x2 := 2; b0-";
        if self.pipeline {
            // Receive (unless first), compute without communicating, send (unless last);
            // the first process sends a bounded number of values.
            let quiet = Scope {
                outs: vec![],
                ins: vec![],
            };
            let work = self.stmt(&quiet, 2);
            let body = match (ins.first(), outs.first()) {
                (None, Some(&o)) => {
                    let n = self.rng.random_range(1..200);
                    format!("{init}; x1 := 0; *[ x1 < {n} -> {work}; v{o} := x1; O{o}!v{o}; x1 := x1 + 1 ]")
                }
                (Some(&i), Some(&o)) => {
                    format!("{init}; *[ I{i}?v{i}; {work}; v{o} := v{i}; O{o}!v{o} ]")
                }
                (Some(&i), None) => format!("{init}; *[ I{i}?v{i}; {work}; log(\"got \", v{i}) ]"),
                (None, None) => format!("{init}; {work}"),
            };
            text.push_str(&format!("  chp {{\n    {body}\n  }}\n}}\n"));
            return text;
        }
        let scope = Scope { outs, ins };
        let body = self.stmt(&scope, 3);
        let body = if self.chance(75) {
            // A loop that communicates each time round (most do), rather than spinning.
            let ports: Vec<String> = scope
                .outs
                .iter()
                .map(|j| format!("O{j}!v{j}"))
                .chain(scope.ins.iter().map(|j| format!("I{j}?v{j}")))
                .collect();
            if ports.is_empty() || self.chance(10) {
                format!("{init}; *[ {body} ]")
            } else {
                let comm = ports[self.rng.random_range(0..ports.len())].clone();
                format!("{init}; *[ {comm}; {body} ]")
            }
        } else {
            format!("{init}; {body}")
        };
        text.push_str(&format!("  chp {{\n    {body}\n  }}\n}}\n"));
        text
    }

    fn stmt(&mut self, s: &Scope, depth: u32) -> String {
        let leaf = depth == 0 || self.chance(35);
        if leaf {
            return self.simple(s);
        }
        match self.rng.random_range(0..8) {
            0 | 1 => {
                let n = self.rng.random_range(2..=4);
                let parts: Vec<String> = (0..n).map(|_| self.stmt(s, depth - 1)).collect();
                parts.join("; ")
            }
            2 => {
                let a = self.stmt(s, depth - 1);
                let b = self.stmt(s, depth - 1);
                format!("({a}), ({b})")
            }
            3 => {
                let g1 = self.guard(s, 2);
                let a = self.stmt(s, depth - 1);
                let b = self.stmt(s, depth - 1);
                if self.chance(75) {
                    format!("[ {g1} -> {a} [] else -> {b} ]")
                } else {
                    let g2 = self.guard(s, 2);
                    format!("[ {g1} -> {a} [] {g2} -> {b} ]")
                }
            }
            4 => {
                let g1 = self.guard(s, 2);
                let g2 = self.guard(s, 2);
                let a = self.stmt(s, depth - 1);
                let b = self.stmt(s, depth - 1);
                format!("[| {g1} -> {a} [] {g2} -> {b} |]")
            }
            5 => {
                // A loop with a small bound on its own counter.
                let bound = self.rng.random_range(0..5);
                let body = self.stmt(s, depth - 1);
                format!("x0 := 0; *[ x0 < {bound} -> {body}; x0 := x0 + 1 ]")
            }
            6 => {
                let body = self.stmt(s, depth - 1);
                let bound = self.rng.random_range(0..4);
                format!("x1 := 0; *[ {body}; x1 := x1 + 1 <- x1 < {bound} ]")
            }
            _ => {
                let body = self.stmt(s, depth - 1);
                format!("[ {body} ]")
            }
        }
    }

    fn simple(&mut self, s: &Scope) -> String {
        match self.rng.random_range(0..16) {
            0..=2 if !s.outs.is_empty() => {
                let j = self.pick(&s.outs);
                let width = self.channels[j].width;
                if self.chance(5) {
                    // May not fit the channel: a run-time error.
                    format!("O{j}!{}", self.expr(1))
                } else if self.chance(20) {
                    let mask = (1u128 << width) - 1;
                    format!("O{j}!(({}) & 0x{mask:x})", self.expr(1))
                } else {
                    format!("O{j}!v{j}")
                }
            }
            3..=5 if !s.ins.is_empty() => {
                let j = self.pick(&s.ins);
                if self.chance(20) {
                    format!("I{j}?")
                } else {
                    format!("I{j}?v{j}")
                }
            }
            6 | 7 => {
                let v = self.pick(&["x1", "x2", "m[1]"]);
                format!("{v} := {}", self.expr(2))
            }
            // A constant index out of range is a compile error; a variable one a run-time
            // error (both fine, but a generated design must compile).
            // (Constant indices are folded as ACT folds them, with signed parameter arithmetic.)
            8 if self.chance(80) => format!("m[(x0 + {}) % 4] := x2{{7..0}}", self.expr(1)),
            8 => "m[x0] := x2{7..0}".to_string(),
            9 => {
                let v = self.pick(&["b0+", "b0-"]);
                v.to_string()
            }
            10 if self.chance(50) => {
                "log(\"x1=\", x1, \" \", \"%x\", x2, \"%5d b=\", b0, \"%b \", x1)".to_string()
            }
            10 => "log_st(); log_p(\"%x\", x2); log_nl()".to_string(),
            // Mostly assertions that hold, so that runs go on.
            11 if self.chance(80) => format!("assert(true | {}, \"fuzz\")", self.guard(s, 1)),
            11 => format!("assert({}, \"fuzz\", x1)", self.guard(s, 1)),
            12 => format!("b0 := {}", self.guard(s, 2)),
            13 | 14 if !s.outs.is_empty() => {
                let j = self.pick(&s.outs);
                format!("v{j} := {}", self.expr(2))
            }
            _ => "skip".to_string(),
        }
    }

    fn guard(&mut self, s: &Scope, depth: u32) -> String {
        if depth == 0 || self.chance(40) {
            return match self.rng.random_range(0..6) {
                0 => "b0".into(),
                1 => "true".into(),
                2 if !s.ins.is_empty() => format!("#I{}", self.pick(&s.ins)),
                3 if !s.outs.is_empty() => format!("#O{}", self.pick(&s.outs)),
                _ => {
                    let op = self.pick(&["<", "<=", "=", "!=", ">", ">="]);
                    format!("{} {op} {}", self.expr(1), self.expr(1))
                }
            };
        }
        let a = self.guard(s, depth - 1);
        let b = self.guard(s, depth - 1);
        match self.rng.random_range(0..4) {
            0 => format!("({a}) & ({b})"),
            1 => format!("({a}) | ({b})"),
            2 => format!("~({a})"),
            _ => format!("({a}) ^ ({b})"),
        }
    }

    fn expr(&mut self, depth: u32) -> String {
        if depth == 0 || self.chance(30) {
            return match self.rng.random_range(0..8) {
                0 => "x0".into(),
                1 => "x1".into(),
                2 => "x2".into(),
                3 => format!("m[{}]", self.rng.random_range(0..4)),
                4 => format!(
                    "x2{{{}..{}}}",
                    self.rng.random_range(8..70),
                    self.rng.random_range(0..8)
                ),
                5 => format!("0x{:x}", self.rng.random_range(0..u64::MAX)),
                _ => self.rng.random_range(0..300).to_string(),
            };
        }
        let a = self.expr(depth - 1);
        let b = self.expr(depth - 1);
        match self.rng.random_range(0..12) {
            0 => format!("({a} + {b})"),
            1 => format!("({a} - {b})"),
            2 => format!("({a} * {b})"),
            // A literal zero divisor is a compile error; `+ x0` keeps it a run-time value
            // (sometimes zero: a run-time error), `| 1` never zero.
            3 | 4 => {
                let op = if self.chance(50) { "/" } else { "%" };
                if self.chance(20) {
                    format!("({a} {op} ({b} + x0))")
                } else {
                    format!("({a} {op} ({b} | 1))")
                }
            }
            5 => format!("({a} & {b})"),
            6 => format!("({a} | {b})"),
            7 => format!("({a} ^ {b})"),
            8 => format!("({a} << {})", self.rng.random_range(0..9)),
            9 => format!("({a} >> {})", self.rng.random_range(0..9)),
            10 => format!("~{a}"),
            _ => format!("{{{a}, x0}}"),
        }
    }
}

struct Scope {
    outs: Vec<usize>,
    ins: Vec<usize>,
}

/// A random well-formed design from `seed`.
fn generated_design(seed: u64) -> String {
    let mut generator = Gen {
        rng: ChaCha8Rng::seed_from_u64(seed),
        channels: Vec::new(),
        pipeline: false,
    };
    generator.design()
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn generated_designs_compile_run_and_are_deterministic(seed in any::<u64>()) {
        let text = generated_design(seed);
        let compiled = no_panic(&text, || compile_and_maybe_run(&text))?;
        if !compiled {
            let source = SourceFile::new("fuzz.act", &text);
            let error = compile(&source, &ElabOptions::default()).err().map(|e| e.to_string());
            prop_assert!(false, "a generated design does not compile:\n{}\n{}", text, error.unwrap_or_default());
        }
    }
}

#[test]
fn the_generator_makes_varied_designs() {
    let a = generated_design(1);
    let b = generated_design(2);
    assert_ne!(a, b);
    assert!(a.contains("defproc test()"));
}

/// Prints the generated design for `FUZZ_SEED` (to reproduce a failure by hand):
/// `FUZZ_SEED=123 cargo test --test fuzz print_generated_design -- --ignored --nocapture`.
#[test]
#[ignore = "a tool, not a test"]
fn print_generated_design() {
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    println!("{}", generated_design(seed));
}
