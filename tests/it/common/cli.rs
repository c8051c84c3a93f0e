//! Running the `chpsim` binary from the repository's root.
#![allow(dead_code)]
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_chpsim");

pub fn chpsim(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the chpsim binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
