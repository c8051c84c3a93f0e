//! Every design in `designs/`: its transcript as an insta snapshot, equal to its golden file,
//! and byte-identical across runs.
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
fn design_transcripts_match_their_snapshots_and_goldens() {
    insta::glob!("../designs", "*.act", |path| {
        let text = transcript(path);
        insta::assert_snapshot!(text);
        let golden = golden_path(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("golden")
                .as_path(),
            path,
        );
        let expected = std::fs::read_to_string(&golden)
            .unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
        assert!(
            expected == text,
            "{} differs from {}",
            path.display(),
            golden.display()
        );
        assert_eq!(
            text,
            transcript(path),
            "{} is not deterministic",
            path.display()
        );
    });
}
