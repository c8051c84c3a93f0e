//! Output files that are never left half-written, and standard output that may be closed by
//! its reader.
//!
//! An output path names one of three things, and each is written its own way:
//! - a regular file, or nothing yet: the output is written under a temporary name beside it and
//!   renamed over it when complete, so that an interrupted run or a failed write (a full disk)
//!   leaves the previous file as it was. Through a symbolic link, the link's target is
//!   replaced and the link stays.
//! - a character device, a FIFO or a socket (`/dev/null`, a named pipe), or an open file
//!   descriptor (`/dev/stdout`, `/dev/fd/3`): written through as the run goes, never replaced.
//! - a directory: an error before the run.
use std::fs::{File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tempfile::NamedTempFile;

use super::DriverError;

/// The temporary files of the outputs being written, so that a process that must exit at once
/// (a second Ctrl-C) can remove them: see [`remove_temporary_files`].
static TEMPORARY_FILES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes the temporary files of every output still being written (they are never moved into
/// place after this). For a process about to exit without finishing its outputs.
pub fn remove_temporary_files() {
    let files = TEMPORARY_FILES
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    for file in files.iter() {
        let _ = std::fs::remove_file(file);
    }
}

/// How an output reaches its path.
#[derive(Debug)]
enum Target {
    /// A regular file (or none yet): a temporary file beside `dest`, renamed over it at the end.
    Replace {
        temp: NamedTempFile,
        dest: PathBuf,
        _registration: Registration,
    },
    /// A special file or an open descriptor: written as the run goes.
    Through(File),
    /// A special file, for an output that seeks (FST): written into an anonymous temporary
    /// file, copied to `dest` at the end.
    Spooled { spool: File, dest: File },
}

/// An output file: see the module's documentation for how each kind of path is written.
#[derive(Debug)]
pub(crate) struct OutputFile {
    path: PathBuf,
    target: Target,
}

/// What an output path names, symbolic links followed.
enum Resolved {
    /// A regular file, or nothing yet (the path to replace).
    Regular(PathBuf),
    /// Something to write through.
    Special,
}

/// Follows `path`'s symbolic links to what it names (at most 40, as the kernel does).
fn resolve(path: &Path) -> io::Result<Resolved> {
    let as_dir = path.as_os_str().as_encoded_bytes().ends_with(b"/") || path.file_name().is_none();
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        // A process's file descriptor (`/dev/stdout` leads here) is written through, whatever
        // it is open on: replacing the file behind it would cut it from the descriptor.
        if current.starts_with("/proc") {
            return match std::fs::metadata(&current) {
                Ok(m) if m.is_dir() => Err(is_a_directory()),
                _ => Ok(Resolved::Special),
            };
        }
        let meta = match std::fs::symlink_metadata(&current) {
            Err(e) if e.kind() == io::ErrorKind::NotFound && as_dir => {
                return Err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "the path names a directory (it ends with `/`): give a file name",
                ))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Resolved::Regular(current)),
            Err(e) => return Err(e),
            Ok(meta) => meta,
        };
        let kind = meta.file_type();
        if kind.is_symlink() {
            let to = std::fs::read_link(&current)?;
            current = match current.parent() {
                Some(dir) => dir.join(to),
                None => to,
            };
        } else if kind.is_dir() {
            return Err(is_a_directory());
        } else if kind.is_file() {
            return Ok(Resolved::Regular(current));
        } else {
            return Ok(Resolved::Special);
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

fn is_a_directory() -> io::Error {
    io::Error::new(io::ErrorKind::IsADirectory, "it is a directory")
}

impl OutputFile {
    /// Prepares the output at `path` now, so that an unwritable destination fails before the
    /// run: the temporary file of a regular file, or the special file opened.
    ///
    /// The errors say what is wrong with `path` in words that do not depend on the temporary
    /// name (so they are the same on every run).
    pub(crate) fn create(path: &Path) -> Result<Self, DriverError> {
        Self::open(path, false)
    }

    /// As [`OutputFile::create`], for an output that seeks back into what it wrote (FST).
    pub(crate) fn create_seekable(path: &Path) -> Result<Self, DriverError> {
        Self::open(path, true)
    }

    fn open(path: &Path, seeks: bool) -> Result<Self, DriverError> {
        let named = |source| DriverError::Output {
            path: path.to_path_buf(),
            source,
        };
        let target = match resolve(path).map_err(named)? {
            Resolved::Regular(dest) => {
                let temp = temporary_beside(&dest).map_err(named)?;
                let registration = Registration::new(temp.path());
                Target::Replace {
                    temp,
                    dest,
                    _registration: registration,
                }
            }
            Resolved::Special => {
                // Appending: a descriptor open on a file (`/dev/stdout > log`) keeps what is
                // written there by others.
                let file = OpenOptions::new().append(true).open(path).map_err(named)?;
                // A special file does not seek as a file does (`/dev/null` is always at 0).
                if seeks {
                    let spool = tempfile::tempfile().map_err(named)?;
                    Target::Spooled { spool, dest: file }
                } else {
                    Target::Through(file)
                }
            }
        };
        Ok(Self {
            path: path.to_path_buf(),
            target,
        })
    }

    /// Where the output is written, for its writer (the transcript and waveform writers buffer
    /// on their own). Its errors name the output's path (see [`failed_output`]).
    pub(crate) fn writer(&self) -> Result<NamedWriter, DriverError> {
        let file = match &self.target {
            Target::Replace { temp, .. } => temp.as_file().try_clone(),
            Target::Through(file) => file.try_clone(),
            Target::Spooled { spool, .. } => spool.try_clone(),
        };
        let file = file.map_err(|source| DriverError::Output {
            path: self.path.clone(),
            source,
        })?;
        Ok(NamedWriter {
            file,
            path: self.path.clone(),
        })
    }

    /// The path as the user gave it.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Moves the finished output into place. Dropped without this, a regular file's temporary
    /// file is removed and the previous file stays.
    pub(crate) fn commit(self) -> Result<(), DriverError> {
        let path = self.path;
        let named = |source| DriverError::Output {
            path: path.clone(),
            source,
        };
        match self.target {
            Target::Replace { temp, dest, .. } => {
                temp.persist(&dest).map(|_| ()).map_err(|e| named(e.error))
            }
            Target::Through(_) => Ok(()),
            Target::Spooled {
                mut spool,
                mut dest,
            } => spool
                .seek(SeekFrom::Start(0))
                .and_then(|_| io::copy(&mut spool, &mut dest))
                .and_then(|_| dest.flush())
                .map_err(named),
        }
    }
}

/// A temporary file's entry in [`TEMPORARY_FILES`], for as long as it exists.
#[derive(Debug)]
struct Registration(PathBuf);

impl Registration {
    fn new(path: &Path) -> Self {
        let mut files = TEMPORARY_FILES
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        files.push(path.to_path_buf());
        Self(path.to_path_buf())
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut files = TEMPORARY_FILES
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        files.retain(|f| *f != self.0);
    }
}

/// A temporary file in `dest`'s directory, with the permissions `dest` has (or an ordinary
/// file's when it is new).
fn temporary_beside(dest: &Path) -> io::Result<NamedTempFile> {
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
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
    // A temporary file is private (0600); the output it becomes is an ordinary file, or keeps
    // the mode of the file it replaces.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dest).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    builder.tempfile_in(dir).map_err(|e| {
        let kind = e.kind();
        let what = match kind {
            io::ErrorKind::PermissionDenied => {
                format!("no permission to create files in {}", dir.display())
            }
            _ => format!("cannot create a file in {}: {kind}", dir.display()),
        };
        io::Error::new(kind, what)
    })
}

/// An output's file as its writer sees it: every error it returns carries the output's path,
/// so that a run stopped by it can say which output failed ([`failed_output`]).
#[derive(Debug)]
pub(crate) struct NamedWriter {
    file: File,
    path: PathBuf,
}

/// The error of a [`NamedWriter`]: which output failed, and why.
#[derive(Debug, thiserror::Error)]
#[error("{source}")]
struct WriteFailed {
    path: PathBuf,
    source: io::Error,
}

impl NamedWriter {
    fn named(&self, source: io::Error) -> io::Error {
        let kind = source.kind();
        io::Error::new(
            kind,
            WriteFailed {
                path: self.path.clone(),
                source,
            },
        )
    }
}

impl Write for NamedWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf).map_err(|e| self.named(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush().map_err(|e| self.named(e))
    }
}

impl Seek for NamedWriter {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.file.seek(to).map_err(|e| self.named(e))
    }
}

/// The output a [`NamedWriter`]'s error names, and the error itself; `None` for an error of
/// another writer.
pub(crate) fn failed_output(error: &io::Error) -> Option<(PathBuf, io::Error)> {
    let failed = error.get_ref()?.downcast_ref::<WriteFailed>()?;
    let source = io::Error::new(failed.source.kind(), failed.source.to_string());
    Some((failed.path.clone(), source))
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

/// A writer whose errors are dropped: stderr for a command's messages, which must not change
/// how the command ends when it is full or closed (`2>/dev/full`).
#[derive(Debug)]
pub struct BestEffort<W: Write>(pub W);

impl<W: Write> Write for BestEffort<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let _ = self.0.write_all(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let _ = self.0.flush();
        Ok(())
    }
}

/// What a path names, to tell whether two paths name one file.
#[derive(Debug, PartialEq, Eq)]
enum FileIdentity {
    /// An existing file: its device and inode.
    Inode(u64, u64),
    /// A file still to be created: its absolute path.
    New(PathBuf),
}

/// Which file `path` names, symbolic links followed; `None` for a special file (several
/// outputs may well go to `/dev/null`) or a path that cannot be an output (its error comes when
/// the output is created).
fn identity(path: &Path) -> Option<FileIdentity> {
    let Ok(Resolved::Regular(dest)) = resolve(path) else {
        return None;
    };
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(&dest) {
        use std::os::unix::fs::MetadataExt;
        return Some(FileIdentity::Inode(meta.dev(), meta.ino()));
    }
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(FileIdentity::New(
        std::fs::canonicalize(dir).ok()?.join(dest.file_name()?),
    ))
}

/// Refuses outputs that would overwrite each other or an input: `outputs` are (option, path)
/// pairs (`--vcd`, `out.vcd`), `inputs` (what, path) pairs (`the design's file`, `d.act`).
pub fn check_distinct_outputs(
    outputs: &[(&str, &Path)],
    inputs: &[(&str, &Path)],
) -> Result<(), DriverError> {
    let inputs: Vec<(&str, &Path, FileIdentity)> = inputs
        .iter()
        .filter_map(|&(what, p)| Some((what, p, identity(p)?)))
        .collect();
    let mut seen: Vec<(&str, FileIdentity)> = Vec::new();
    for &(option, path) in outputs {
        let Some(id) = identity(path) else { continue };
        if let Some((what, input, _)) = inputs.iter().find(|(_, _, i)| *i == id) {
            return Err(DriverError::OutputClash {
                path: path.to_path_buf(),
                why: format!(
                    "{option} {} would overwrite {what} {}",
                    path.display(),
                    input.display()
                ),
            });
        }
        if let Some((first, _)) = seen.iter().find(|(_, s)| *s == id) {
            return Err(DriverError::OutputClash {
                path: path.to_path_buf(),
                why: format!(
                    "{first} and {option} both name {}: give each output its own file",
                    path.display()
                ),
            });
        }
        seen.push((option, id));
    }
    Ok(())
}
