//! chpsim's own implementations of the functions behind actsim's `sim::` library, with the
//! behaviour and the messages of actsim's (`sim::file`, `sim::rand`, the infinite buffer and
//! the writers of the file sinks and loggers), and of the two that ACT's standard `std::rom`
//! calls (`std::read_rom`, `std::close_rom`), which actsim's installation implements in the
//! same library. Their state lives for one run.
mod file;
mod rom;

use std::collections::VecDeque;

pub(crate) use file::FileNames;
use file::Files;

use super::Word;
use crate::sim::random_stream::rand_r;

/// One of the native functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Native {
    FileOpenRead,
    FileRead,
    FileEof,
    FileCloseRead,
    FileOpenWrite,
    FileWrite,
    FileCloseWrite,
    /// A file sink's line (`sim::sink_file`): writer, verbosity, sink id, value.
    FileWriteSink,
    /// A file logger's line (`sim::logger_file`): writer, verbosity, logger id, channel,
    /// value.
    FileWriteLog,
    RandInit,
    RandInitRange,
    RandGet,
    RandSeed,
    BufferCreate,
    BufferPush,
    BufferEmpty,
    BufferPop,
    RomRead,
    RomClose,
}

impl Native {
    /// The native function a bodiless function of this qualified name stands for.
    pub(crate) fn named(name: &str) -> Option<Native> {
        Some(match name {
            "sim::file::openr" => Native::FileOpenRead,
            "sim::file::read" => Native::FileRead,
            "sim::file::eof" => Native::FileEof,
            "sim::file::closer" => Native::FileCloseRead,
            "sim::file::openw" => Native::FileOpenWrite,
            "sim::file::write" => Native::FileWrite,
            "sim::file::closew" => Native::FileCloseWrite,
            "sim::chpsim_private::write_sink" => Native::FileWriteSink,
            "sim::chpsim_private::write_log" => Native::FileWriteLog,
            "sim::rand::init" => Native::RandInit,
            "sim::rand::init_range" => Native::RandInitRange,
            "sim::rand::get" => Native::RandGet,
            "sim::rand::seed" => Native::RandSeed,
            "sim::chpsim_private::buffer_create" => Native::BufferCreate,
            "sim::chpsim_private::buffer_push" => Native::BufferPush,
            "sim::chpsim_private::buffer_empty" => Native::BufferEmpty,
            "sim::chpsim_private::buffer_pop" => Native::BufferPop,
            "std::read_rom" => Native::RomRead,
            "std::close_rom" => Native::RomClose,
            _ => return None,
        })
    }

    /// How many arguments it takes.
    pub(crate) fn arity(self) -> usize {
        use Native::*;
        match self {
            BufferCreate => 0,
            FileOpenRead | FileRead | FileEof | FileCloseRead | FileOpenWrite | FileCloseWrite
            | RandInit | RandGet | BufferEmpty | BufferPop | RomRead | RomClose => 1,
            FileWrite | RandSeed | BufferPush => 2,
            RandInitRange => 3,
            FileWriteSink => 4,
            FileWriteLog => 5,
        }
    }

    /// Computes it; `warn` takes what actsim's implementation prints on stderr.
    pub(crate) fn call(
        self,
        args: &[Word],
        names: &FileNames,
        state: &mut NativeState,
        warn: &mut dyn FnMut(&str),
    ) -> Word {
        let arg = |i: usize| args.get(i).map_or(0, |a| a.value);
        let word = |value: u64, width: u32| Word { value, width };
        let files = &mut state.files;
        match self {
            Native::FileOpenRead => word(files.open_read(arg(0), names, warn), 32),
            Native::FileRead => word(files.read(arg(0), warn), 64),
            Native::FileEof => word(u64::from(files.eof(arg(0), warn)), 1),
            Native::FileCloseRead => word(u64::from(files.close_read(arg(0), warn)), 1),
            Native::FileOpenWrite => word(files.open_write(arg(0), names, warn), 32),
            Native::FileWrite => {
                let line = format!("{}\n", arg(1));
                word(u64::from(files.write(arg(0), &line, warn)), 1)
            }
            Native::FileCloseWrite => word(u64::from(files.close_write(arg(0), names, warn)), 1),
            Native::FileWriteSink => {
                let (id, value) = (arg(2) as u32, arg(3));
                let line = match arg(1) as u8 {
                    0 => format!("0x{value:x}\n"),
                    1 => format!("{id}: 0x{value:x}\n"),
                    2 => format!("Sink {id}: Received value {value}%x (0x{value:x})\n"),
                    _ => String::new(),
                };
                word(u64::from(files.write(arg(0), &line, warn)), 1)
            }
            Native::FileWriteLog => {
                let (id, channel, value) = (arg(2) as u32, arg(3) as u32, arg(4));
                let line = match arg(1) as u8 {
                    0 => format!("{channel}:{value:x}\n"),
                    1 => format!("{id} ({channel}): {value:x}\n"),
                    2 => format!(
                        "Logger {id} (Channel {channel}): Received value {value}%x (0x{value:x})\n"
                    ),
                    _ => String::new(),
                };
                word(u64::from(files.write(arg(0), &line, warn)), 1)
            }
            Native::RandInit => word(state.rand_init(arg(0), 0, 0, "act_rand_init", warn), 32),
            Native::RandInitRange => {
                let id = state.rand_init(arg(0), arg(1), arg(2), "actsim_rand_init_range", warn);
                word(id, 32)
            }
            Native::RandGet => word(state.rand_get(arg(0), warn), 64),
            Native::RandSeed => word(u64::from(state.rand_seed(arg(0), arg(1), warn)), 1),
            Native::BufferCreate => {
                state.buffers.push(VecDeque::new());
                word(state.buffers.len() as u64 - 1, 32)
            }
            Native::BufferPush => match state.buffers.get_mut(arg(0) as usize) {
                Some(buffer) => {
                    buffer.push_back(args.get(1).copied().unwrap_or(word(0, 64)));
                    word(1, 1)
                }
                None => {
                    warn("actsim_buffer_push: Invalid buffer ID (out of range)");
                    word(0, 1)
                }
            },
            Native::BufferEmpty => match state.buffers.get(arg(0) as usize) {
                Some(buffer) => word(u64::from(buffer.is_empty()), 1),
                None => {
                    warn("actsim_buffer_empty: Invalid buffer ID (out of range)");
                    word(1, 1)
                }
            },
            Native::BufferPop => match state.buffers.get_mut(arg(0) as usize) {
                Some(buffer) => buffer.pop_front().unwrap_or_else(|| {
                    warn("actsim_buffer_pop: Buffer pop called but buffer is empty!");
                    word(0, 64)
                }),
                None => {
                    warn("actsim_buffer_pop: Invalid buffer ID (out of range)");
                    word(0, 64)
                }
            },
            Native::RomRead => word(state.roms.read(arg(0), warn), 64),
            Native::RomClose => {
                state.roms.close(arg(0), warn);
                word(0, 64)
            }
        }
    }
}

/// The native functions' state in one run.
#[derive(Debug, Default)]
pub(crate) struct NativeState {
    files: Files,
    generators: Vec<Generator>,
    buffers: Vec<VecDeque<Word>>,
    roms: rom::Roms,
}

/// A random number generator of `sim::rand`: actsim's, a `rand_r` sequence per generator.
#[derive(Debug)]
struct Generator {
    seed: u32,
    width: u32,
    min: u32,
    max: u32,
}

impl NativeState {
    fn rand_init(
        &mut self,
        width: u64,
        min: u64,
        max: u64,
        caller: &str,
        warn: &mut dyn FnMut(&str),
    ) -> u64 {
        if width > 64 {
            warn(&format!("{caller}: max bitwidth is 64, got {width}"));
            return 0;
        }
        if min > max {
            warn(&format!("{caller}: min ({min}) > max ({max})"));
            return 0;
        }
        let id = self.generators.len();
        self.generators.push(Generator {
            // Each generator starts from its own index, as actsim's.
            seed: id as u32,
            width: width as u32,
            min: min as u32,
            max: max as u32,
        });
        id as u64
    }

    fn rand_get(&mut self, id: u64, warn: &mut dyn FnMut(&str)) -> u64 {
        let Some(generator) = self.generator(id, "actsim_rand_get", warn) else {
            return 0;
        };
        let mut value = u64::from(rand_r(&mut generator.seed));
        let (min, max) = (u64::from(generator.min), u64::from(generator.max));
        if min != 0 && max != 0 {
            value = min + value % (max - min + 1);
        }
        if generator.width < 64 {
            // actsim masks with the C `int` expression `(1 << width) - 1`: on its machines the
            // shift counts modulo 32, and the mask is sign-extended.
            let mask = 1i32.wrapping_shl(generator.width).wrapping_sub(1);
            value &= mask as i64 as u64;
        }
        value
    }

    fn rand_seed(&mut self, id: u64, seed: u64, warn: &mut dyn FnMut(&str)) -> bool {
        match self.generator(id, "actsim_rand_seed", warn) {
            Some(generator) => {
                generator.seed = seed as u32;
                true
            }
            None => false,
        }
    }

    fn generator(
        &mut self,
        id: u64,
        caller: &str,
        warn: &mut dyn FnMut(&str),
    ) -> Option<&mut Generator> {
        let last = self.generators.len() as i64 - 1;
        let found = usize::try_from(id)
            .ok()
            .and_then(|i| self.generators.get_mut(i));
        if found.is_none() {
            warn(&format!(
                "{caller}: random index {id} out of range; max={last}"
            ));
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_generator_stays_in_its_range() {
        let mut state = NativeState::default();
        let mut warnings = Vec::new();
        let mut warn = |w: &str| warnings.push(w.to_string());
        let id = state.rand_init(8, 3, 5, "init", &mut warn);
        for _ in 0..50 {
            let v = state.rand_get(id, &mut warn);
            assert!((3..=5).contains(&v), "{v}");
        }
        assert_eq!(state.rand_get(7, &mut warn), 0);
        assert_eq!(
            warnings,
            ["actsim_rand_get: random index 7 out of range; max=0"]
        );
    }
}
