//! Runs independent jobs on a few threads and hands their results over in the jobs' order, each
//! as soon as all before it are done, so that what `check` and `sweep` print is the same bytes
//! whatever the number of threads, and appears while the work goes on.
//!
//! A job runs entirely on the thread that took it: the simulator's processes share state through
//! `Rc`, so a job builds, runs and drops its whole simulation there; only its result (plain
//! data) goes to another thread.
use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread;

/// Stack for the threads that elaborate and run designs. Elaboration recurses once per level
/// of instances (and lowering and running once per level of nested function calls), up to
/// 1000 levels of some tens of KiB each in an unoptimised build: more than a thread's default.
/// The memory is reserved, and committed only as it is used.
pub const DEEP_STACK_BYTES: usize = 256 << 20;

/// Runs `work` on a thread with [`DEEP_STACK_BYTES`] of stack (on this thread when no thread
/// can be made), and returns its result; a panic in it goes on here.
pub fn on_deep_stack<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    // Whichever thread runs it takes it.
    let work = Mutex::new(Some(work));
    let run = || {
        let work = work.lock().unwrap_or_else(PoisonError::into_inner).take();
        work.map(|work| work())
    };
    let result = thread::scope(|scope| {
        let spawned = thread::Builder::new()
            .stack_size(DEEP_STACK_BYTES)
            .spawn_scoped(scope, run);
        match spawned {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => run(),
        }
    });
    result.expect("the work runs once")
}

/// The number of threads `--jobs` means by default: the cores this process may use.
pub fn default_jobs() -> NonZeroUsize {
    thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// Calls `work(i)` for every `i` in `0..count` on `jobs` threads (the caller's among them), and
/// `emit` with the results in the order of `i`. A thread takes the next index when it is free,
/// so a slow job holds up only the emitting of those after it. The thread that completes the
/// job that is due emits it and the results that were waiting for it: nobody sleeps on a
/// hand-over (a sweep's runs take a fraction of a millisecond each).
pub fn run_ordered<R: Send>(
    count: usize,
    jobs: NonZeroUsize,
    work: impl Fn(usize) -> R + Sync,
    emit: impl FnMut(R) + Send,
) {
    let next = AtomicUsize::new(0);
    let queue = Mutex::new(InOrder {
        due: 0,
        early: BTreeMap::new(),
        emit,
    });
    let (next, queue, work) = (&next, &queue, &work);
    let worker = move || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= count {
            break;
        }
        let result = work(i);
        // A job that panicked leaves the queue as it was: the others may go on.
        let mut queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.arrive(i, result);
    };
    thread::scope(|scope| {
        for _ in 1..jobs.get().min(count) {
            let spawned = thread::Builder::new()
                .stack_size(DEEP_STACK_BYTES)
                .spawn_scoped(scope, worker);
            // Fewer threads (the caller's at least) do the same work.
            if spawned.is_err() {
                break;
            }
        }
        worker();
    });
}

/// Results on their way out: the index due next, and those that came before their turn.
struct InOrder<R, E> {
    due: usize,
    early: BTreeMap<usize, R>,
    emit: E,
}

impl<R, E: FnMut(R)> InOrder<R, E> {
    fn arrive(&mut self, i: usize, result: R) {
        self.early.insert(i, result);
        while let Some(result) = self.early.remove(&self.due) {
            (self.emit)(result);
            self.due += 1;
        }
    }
}
