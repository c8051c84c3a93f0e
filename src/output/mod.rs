//! Observers that turn a run into files: the text transcript and the VCD waveform.
pub mod transcript;
pub mod vcd;
