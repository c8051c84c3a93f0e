//! The futures of library processes (`send(..).await`, `recv().await`): a party registers
//! at once with the time its event fires, and is resumed when the handshake completes.
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::Core;
use crate::kernel::executor::Shared;
use crate::kernel::observer::Token;
use crate::kernel::Time;

/// When a library party's event fires: `latency` from now. Past the clock's end, a time
/// overflow fails the run (and the party is never resumed).
#[inline(always)]
fn fire_time(kernel: &Shared, latency: Time) -> Option<Time> {
    let at = kernel.now().checked_add(latency);
    if at.is_none() {
        kernel.fail_past_clock_end(latency);
    }
    at
}

/// A library future's first poll: its party's event fires `latency` from now. Not inlined into
/// the futures, so that their later polls (which only ask whether the handshake is done) stay
/// small; the interpreter's own calls inline [`Core::offer`] and [`Core::request`].
#[inline(never)]
fn start_library_send<T: Token>(core: &Core<T>, value: T, latency: Time) -> bool {
    fire_time(&core.kernel, latency).is_some_and(|at| core.offer(value, at, 0, None))
}

/// See [`start_library_send`].
#[inline(never)]
fn start_library_recv<T: Token>(core: &Core<T>, latency: Time) -> Option<T> {
    fire_time(&core.kernel, latency).and_then(|at| core.request(None, at, 0, None))
}

/// Future returned by [`super::Sender::send`].
#[must_use = "a send does nothing until it is awaited"]
#[derive(Debug)]
pub struct Send<'a, T: Token> {
    pub(super) core: &'a Core<T>,
    pub(super) value: Option<T>,
    pub(super) done: bool,
    pub(super) latency: Time,
}

impl<T: Token> Unpin for Send<'_, T> {}

impl<T: Token> Future for Send<'_, T> {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        this.done = match this.value.take() {
            Some(value) => start_library_send(this.core, value, this.latency),
            None => this.core.offer_taken(),
        };
        if this.done {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl<T: Token> Drop for Send<'_, T> {
    fn drop(&mut self) {
        // A send abandoned while waiting must not be completed by a later receiver.
        if self.value.is_none() && !self.done {
            self.core.withdraw(true);
        }
    }
}

/// Future returned by [`super::Receiver::recv`].
#[must_use = "a receive does nothing until it is awaited"]
#[derive(Debug)]
pub struct Recv<'a, T: Token> {
    pub(super) core: &'a Core<T>,
    pub(super) started: bool,
    pub(super) done: bool,
    pub(super) latency: Time,
}

impl<T: Token> Unpin for Recv<'_, T> {}

impl<T: Token> Future for Recv<'_, T> {
    type Output = T;
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        let value = if std::mem::replace(&mut this.started, true) {
            this.core.take()
        } else {
            start_library_recv(this.core, this.latency)
        };
        match value {
            Some(value) => {
                this.done = true;
                Poll::Ready(value)
            }
            None => Poll::Pending,
        }
    }
}

impl<T: Token> Drop for Recv<'_, T> {
    fn drop(&mut self) {
        if self.started && !self.done {
            self.core.withdraw(false);
        }
    }
}
