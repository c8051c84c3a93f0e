//! Runs a design given as text through the whole pipeline (parse, elaborate, simulate) and
//! returns its transcript.
#![allow(dead_code)]
use chpsim::driver::{
    compile, run, ElabOptions, Outputs, RunResult, RunSettings, SourceFile, TranscriptTarget,
};
use chpsim::kernel::Limits;

pub use chpsim::driver::outputs::MemoryOutput;

pub struct Run {
    pub transcript: String,
    pub result: RunResult,
    pub source: SourceFile,
}

impl Run {
    /// `(time, text)` of every log line.
    pub fn logs(&self) -> Vec<(u64, String)> {
        self.transcript
            .lines()
            .filter_map(|l| {
                let (time, rest) = l.trim_start().split_once("  ")?;
                let (_, text) = rest.split_once("  log  ")?;
                Some((time.parse().ok()?, text.to_string()))
            })
            .collect()
    }

    pub fn log_texts(&self) -> Vec<String> {
        self.logs().into_iter().map(|(_, t)| t).collect()
    }

    /// The pieces of the logs written piece by piece (`log_p`, and a `log` whose argument
    /// reads an X: its text before that argument, then the rest after the warning).
    pub fn log_parts(&self) -> Vec<String> {
        (self.transcript.lines())
            .filter_map(|l| Some(l.split_once("  log_p  ")?.1.to_string()))
            .collect()
    }

    pub fn error(&self) -> Option<String> {
        self.result.render_error()
    }
}

pub struct Options {
    pub seed: u64,
    pub random_choice: bool,
    pub delay: u64,
    pub top: Option<String>,
    pub limits: Limits,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: 0,
            random_choice: false,
            delay: 10,
            top: None,
            limits: Limits::default(),
        }
    }
}

pub fn run_with(text: &str, options: Options) -> Run {
    try_run(text, options).unwrap_or_else(|e| panic!("design does not compile:\n{e}"))
}

pub fn run_text(text: &str) -> Run {
    run_with(text, Options::default())
}

pub fn try_run(text: &str, options: Options) -> Result<Run, String> {
    let source = SourceFile::new("test.act", text);
    let design = compile(
        &source,
        &ElabOptions {
            top: options.top.clone(),
            ..ElabOptions::default()
        },
    )
    .map_err(|e| e.to_string())?;
    let buf = MemoryOutput::default();
    let settings = RunSettings {
        seed: options.seed,
        random_choice: options.random_choice,
        delay: options.delay,
        random_delay: None,
        limits: options.limits,
        top_name: options.top.unwrap_or_default(),
        excl_monitors: false,
    };
    let outputs = Outputs {
        transcript: Some(TranscriptTarget::Writer(Box::new(buf.clone()))),
        ..Outputs::default()
    };
    let result = run(design, &source, &settings, outputs).map_err(|e| e.to_string())?;
    Ok(Run {
        transcript: buf.text(),
        result,
        source,
    })
}

/// The rendered compile errors of a design that must not compile.
pub fn compile_errors(text: &str) -> String {
    let source = SourceFile::new("test.act", text);
    match compile(&source, &ElabOptions::default()) {
        Ok(_) => panic!("the design compiled, but errors were expected"),
        Err(e) => e.to_string(),
    }
}

/// The rendered warnings of a design that compiles.
pub fn compile_warnings(text: &str) -> String {
    let source = SourceFile::new("test.act", text);
    match compile(&source, &ElabOptions::default()) {
        Ok(design) => design.render_warnings(),
        Err(e) => panic!("the design does not compile:\n{e}"),
    }
}
