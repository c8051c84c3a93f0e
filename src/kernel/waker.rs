//! Wakers for futures that are not the kernel's own.
//!
//! The kernel's channels and delays schedule tasks directly and never use the waker. A waker
//! still has to exist for `std::task`; ours carries the task id in its data pointer (no
//! allocation, no reference count) and a wake only records the id in a thread-local list that
//! the executor drains after each poll. Waking from another thread is not supported: the
//! simulation is single-threaded by design.
use std::cell::{Cell, RefCell};
use std::task::{RawWaker, RawWakerVTable, Waker};

use super::TaskId;

thread_local! {
    static WOKEN: RefCell<Vec<TaskId>> = const { RefCell::new(Vec::new()) };
    /// Whether `WOKEN` may be non-empty: one cheap load per poll on the hot path.
    static ANY_WOKEN: Cell<bool> = const { Cell::new(false) };
}

static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake, drop);

fn raw(task: TaskId) -> RawWaker {
    RawWaker::new(task.index() as *const (), &VTABLE)
}

unsafe fn clone(data: *const ()) -> RawWaker {
    RawWaker::new(data, &VTABLE)
}

unsafe fn wake(data: *const ()) {
    WOKEN.with(|w| w.borrow_mut().push(TaskId::from_index(data as usize)));
    ANY_WOKEN.with(|a| a.set(true));
}

unsafe fn drop(_: *const ()) {}

pub(crate) fn task_waker(task: TaskId) -> Waker {
    // SAFETY: the vtable functions never dereference the data pointer; it is a plain integer.
    unsafe { Waker::from_raw(raw(task)) }
}

/// Moves the tasks woken since the last call into `out`.
#[inline]
pub(crate) fn take_woken(out: &mut Vec<TaskId>) {
    if !ANY_WOKEN.with(|a| a.replace(false)) {
        return;
    }
    WOKEN.with(|w| {
        let mut w = w.borrow_mut();
        if !w.is_empty() {
            out.append(&mut w);
        }
    });
}
