//! Every design in `designs/` gives the same transcript and VCD, byte for byte, when run twice;
//! designs with nondeterministic selections (`[|`) are also run with two other seeds, each
//! twice (README, "The transcript").
use std::path::Path;

use chpsim::driver::options::design_options;
use chpsim::driver::outputs::MemoryOutput;
use chpsim::driver::{compile, run, Outputs, SourceFile, TranscriptTarget};
use chpsim::output::vcd::VcdOptions;

/// (transcript, VCD) of one run of `path` with its `// chpsim:` options and `seed` if given.
fn run_once(path: &Path, seed: Option<u64>) -> (String, Vec<u8>) {
    let source = SourceFile::read(path).unwrap();
    let mut sim = design_options(&source)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .sim;
    if let Some(seed) = seed {
        sim.seed = seed;
    }
    let design = compile(&source, &sim.elab_options().unwrap())
        .unwrap_or_else(|e| panic!("{} does not compile:\n{e}", path.display()));
    let dir = tempfile::tempdir().unwrap();
    let vcd_path = dir.path().join("run.vcd");
    let transcript = MemoryOutput::default();
    let outputs = Outputs {
        transcript: Some(TranscriptTarget::Writer(Box::new(transcript.clone()))),
        vcd: Some((vcd_path.clone(), VcdOptions::default())),
        ..Outputs::default()
    };
    let settings = sim.settings(&design);
    run(design, &source, &settings, outputs).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (transcript.text(), std::fs::read(&vcd_path).unwrap())
}

fn designs() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("designs");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "act"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_design_runs_the_same_twice() {
    let paths = designs();
    assert!(!paths.is_empty());
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let seeds: Vec<Option<u64>> = if text.contains("[|") {
            vec![None, Some(1), Some(0xdead_beef)]
        } else {
            vec![None]
        };
        for seed in seeds {
            let (t1, v1) = run_once(path, seed);
            let (t2, v2) = run_once(path, seed);
            assert!(
                t1 == t2,
                "{} (seed {seed:?}): the transcript differs between two runs",
                path.display()
            );
            assert!(
                v1 == v2,
                "{} (seed {seed:?}): the VCD differs between two runs",
                path.display()
            );
            assert!(!t1.is_empty() && !v1.is_empty());
            if let Some(seed) = seed {
                assert!(
                    t1.lines()
                        .next()
                        .unwrap()
                        .ends_with(&format!("seed={seed}")),
                    "{}: the header names the seed",
                    path.display()
                );
            }
        }
    }
}

/// A nondeterministic arbiter: the seed changes the choices, but each seed always gives the
/// same run.
#[test]
fn the_seed_decides_nondeterministic_choices() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coin.act");
    std::fs::write(
        &path,
        "defproc test() {
  int<8> i, heads;
  chp {
    i := 0; heads := 0;
    *[ i < 64 -> [| true -> heads := heads + 1 [] true -> skip |]; i := i + 1 ];
    log(\"heads \", heads)
  }
}
",
    )
    .unwrap();
    let runs: Vec<String> = (0..4).map(|s| run_once(&path, Some(s)).0).collect();
    for (s, t) in runs.iter().enumerate() {
        assert_eq!(t, &run_once(&path, Some(s as u64)).0);
    }
    let distinct: std::collections::BTreeSet<&String> = runs.iter().collect();
    assert!(distinct.len() > 1, "four seeds gave the same 64 coin flips");
}
