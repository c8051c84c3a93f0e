//! The seed's pipeline on the library API (examples/common/pipeline_model.rs), 3 buffers and
//! 5 tokens: its transcript as an insta snapshot and as `golden/library_pipeline.transcript`.
use chpsim::{SimInit, TranscriptWriter};

use crate::pipeline_model;

fn transcript() -> String {
    let mut sim = SimInit::new();
    let out = chpsim::driver::outputs::MemoryOutput::default();
    sim.add_observer(TranscriptWriter::new(
        out.clone(),
        "design=examples/pipeline.rs buffers=3 tokens=5",
    ));
    pipeline_model::build(&mut sim, 3, 5);
    let report = sim.run().unwrap().report;
    assert_eq!(report.handshakes, 5 * 4);
    out.text()
}

#[test]
fn library_pipeline_transcript_matches_snapshot_and_golden() {
    let text = transcript();
    insta::assert_snapshot!(text);
    let golden = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/golden/library_pipeline.transcript"
    ))
    .unwrap();
    assert_eq!(text, golden);
}
