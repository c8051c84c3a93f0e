//! Output files that are never left half-written, and standard output that may be closed by
//! its reader.
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tempfile::NamedTempFile;

/// A file written under a temporary name next to its destination and renamed into place when
/// complete, so that an interrupted run never leaves a truncated file at `path`.
#[derive(Debug)]
pub(crate) struct AtomicFile {
    temp: NamedTempFile,
    path: PathBuf,
}

impl AtomicFile {
    /// Creates the temporary file now, so an unwritable destination fails before the run.
    ///
    /// The errors say what is wrong with `path` in words that do not depend on the temporary
    /// name (so they are the same on every run).
    pub(crate) fn create(path: &Path) -> io::Result<Self> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if path.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "it is a directory",
            ));
        }
        match std::fs::metadata(dir) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("the directory {} does not exist", dir.display()),
                ));
            }
            Ok(m) if !m.is_dir() => {
                return Err(io::Error::new(
                    io::ErrorKind::NotADirectory,
                    format!("{} is not a directory", dir.display()),
                ));
            }
            _ => {}
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".chpsim-").suffix(".tmp");
        // A temporary file is private (0600); the output it becomes is an ordinary file.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let temp = builder.tempfile_in(dir).map_err(|e| {
            let kind = e.kind();
            let what = match kind {
                io::ErrorKind::PermissionDenied => {
                    format!("no permission to create files in {}", dir.display())
                }
                _ => format!("cannot create a file in {}: {kind}", dir.display()),
            };
            io::Error::new(kind, what)
        })?;
        Ok(Self {
            temp,
            path: path.to_path_buf(),
        })
    }

    /// The temporary file itself (the transcript and VCD writers buffer on their own).
    pub(crate) fn file(&self) -> io::Result<File> {
        self.temp.as_file().try_clone()
    }

    /// Moves the finished file to its destination.
    pub(crate) fn commit(self) -> io::Result<()> {
        self.temp
            .persist(&self.path)
            .map(|_| ())
            .map_err(|e| e.error)
    }
}

/// Standard output as log lines or a transcript see it: a reader that goes away
/// (`chpsim run d.act | head`) is not an error. What is written after that is dropped, `gone`
/// is set, and so is `stop_run` when given (a run that writes nothing else stops there).
#[derive(Debug)]
pub struct PipeOutput<W: Write> {
    out: W,
    gone: Arc<AtomicBool>,
    stop_run: Option<Arc<AtomicBool>>,
}

impl<W: Write> PipeOutput<W> {
    /// Writes to `out`; sets `gone` (and `stop_run`) when its reader has gone away.
    pub fn new(out: W, gone: Arc<AtomicBool>, stop_run: Option<Arc<AtomicBool>>) -> Self {
        Self {
            out,
            gone,
            stop_run,
        }
    }

    fn reader_gone(&self) -> bool {
        self.gone.load(Ordering::Relaxed)
    }

    /// Turns a broken pipe into "the reader has gone".
    fn unless_gone<T>(&self, result: io::Result<T>, instead: T) -> io::Result<T> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.gone.store(true, Ordering::Relaxed);
                if let Some(stop) = &self.stop_run {
                    stop.store(true, Ordering::Relaxed);
                }
                Ok(instead)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for PipeOutput<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.reader_gone() {
            return Ok(buf.len());
        }
        let result = self.out.write(buf);
        self.unless_gone(result, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.reader_gone() {
            return Ok(());
        }
        let result = self.out.flush();
        self.unless_gone(result, ())
    }
}

/// An in-memory output whose text stays readable after the observer owning it has moved into
/// a simulation.
#[derive(Clone, Debug, Default)]
pub struct MemoryOutput(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl MemoryOutput {
    /// Everything written so far (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.borrow()).into_owned()
    }
}

impl Write for MemoryOutput {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
