//! Every design in `designs/`: its transcript equals its golden file (the one place a design's
//! transcript is blessed, as `chpsim check` reads it), and is byte-identical across runs.
use std::path::Path;

use chpsim::driver::check::{golden_path, run_for_check};
use chpsim::driver::SourceFile;

fn transcript(path: &Path) -> String {
    let source = SourceFile::read(path).unwrap();
    // Name the design as `chpsim check designs/X.act` run from the repository root does.
    let name = format!("designs/{}", path.file_name().unwrap().to_string_lossy());
    let source = SourceFile::new(name, &source.text);
    match run_for_check(&source) {
        Ok(run) => run.transcript,
        Err(e) => panic!("{} does not run:\n{e}", path.display()),
    }
}

#[test]
fn design_transcripts_match_their_goldens() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut designs: Vec<_> = std::fs::read_dir(root.join("designs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "act"))
        .collect();
    designs.sort();
    assert!(!designs.is_empty(), "no designs found");
    for path in &designs {
        let text = transcript(path);
        let golden = golden_path(root.join("golden").as_path(), path);
        let expected = std::fs::read_to_string(&golden)
            .unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
        assert!(
            expected == text,
            "{} differs from {} (`chpsim check {}` shows the diff)",
            path.display(),
            golden.display(),
            path.display()
        );
        assert_eq!(
            text,
            transcript(path),
            "{} is not deterministic",
            path.display()
        );
    }
}
