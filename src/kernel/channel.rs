//! Rendezvous channels (slack 0): where a handshake happens.
//!
//! The first party to arrive registers itself and waits. The second completes the handshake on
//! the spot: it computes the completion time (now plus the larger of the two parties' latencies),
//! hands the value over, and schedules both parties at that time, receiver first. The receiver,
//! resumed at the completion time, reports the handshake to observers, so transcript lines come
//! out in time order. Nothing here allocates: the waiting party and the value live in the
//! channel's fixed state.
//!
//! Who waits where is not recorded per operation: at the end of a run the kernel asks every
//! channel for its waiting parties (`WaitingParties`).
//!
//! Probes (`#X`) look at whether the other side is waiting; a task can watch a channel and be
//! woken when the other side arrives.
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::executor::WaitingParties;
use super::executor::{Park, Shared};
use super::observer::{Event, Token, Wait};
use super::{ChanId, TaskId, Time};

#[derive(Clone, Copy)]
struct Party {
    task: TaskId,
    latency: Time,
    /// Where the party waits (a statement's source offset, from the interpreter), for the
    /// end-of-run report.
    site: Option<u32>,
}

struct State<T> {
    /// A sender waiting for a receiver, with the value it offers.
    waiting_sender: Option<Party>,
    offered: Option<T>,
    /// A receiver waiting for a sender.
    waiting_receiver: Option<Party>,
    /// A value handed to a waiting receiver, with the sending task, until the receiver resumes.
    delivered: Option<(T, TaskId)>,
    /// When the last handshake completes; a party woken early (by a foreign waker) keeps waiting.
    done_at: Time,
    /// Tasks watching for the other side to arrive (a receiver probing for senders, and v.v.).
    receiver_watcher: Option<TaskId>,
    sender_watcher: Option<TaskId>,
}

pub(crate) struct Core<T> {
    id: ChanId,
    latency: Time,
    kernel: Rc<Shared>,
    state: RefCell<State<T>>,
}

/// The sending end of a channel.
pub struct Sender<T: Token> {
    core: Rc<Core<T>>,
}

/// The receiving end of a channel.
pub struct Receiver<T: Token> {
    core: Rc<Core<T>>,
}

pub(crate) fn channel_pair<T: Token>(
    kernel: Rc<Shared>,
    id: ChanId,
    latency: Time,
) -> (Sender<T>, Receiver<T>) {
    let core: Rc<Core<T>> = Rc::new(Core {
        id,
        latency,
        kernel,
        state: RefCell::new(State {
            waiting_sender: None,
            offered: None,
            waiting_receiver: None,
            delivered: None,
            done_at: 0,
            receiver_watcher: None,
            sender_watcher: None,
        }),
    });
    core.kernel.register_channel(core.clone());
    (Sender { core: core.clone() }, Receiver { core })
}

impl<T: Token> WaitingParties for Core<T> {
    fn waiting(&self) -> [Option<(TaskId, Wait, Option<u32>)>; 2] {
        let st = self.state.borrow();
        [
            st.waiting_sender
                .map(|p| (p.task, Wait::Send(self.id), p.site)),
            st.waiting_receiver
                .map(|p| (p.task, Wait::Receive(self.id), p.site)),
        ]
    }
}

impl<T: Token> Sender<T> {
    /// Sends `value`; completes with the receiver, after the channel's latency.
    pub fn send(&self, value: T) -> Send<'_, T> {
        self.send_with_latency(value, self.core.latency)
    }

    /// Sends with this party's own latency; the handshake takes the larger of both parties'.
    pub fn send_with_latency(&self, value: T, latency: Time) -> Send<'_, T> {
        self.send_op(value, latency, None)
    }

    /// Like [`Sender::send_with_latency`]; `site` says where the sender waits, for the report.
    pub fn send_at(&self, value: T, latency: Time, site: u32) -> Send<'_, T> {
        self.send_op(value, latency, Some(site))
    }

    fn send_op(&self, value: T, latency: Time, site: Option<u32>) -> Send<'_, T> {
        Send {
            core: &self.core,
            value: Some(value),
            done: false,
            latency,
            site,
        }
    }

    /// The probe `#R` on a send port: is a receiver waiting?
    pub fn probe(&self) -> bool {
        self.core.state.borrow().waiting_receiver.is_some()
    }

    /// Wakes the calling task when a receiver arrives (until [`Sender::unwatch`]).
    pub fn watch(&self) {
        self.core.state.borrow_mut().sender_watcher = Some(self.core.kernel.current());
    }

    pub fn unwatch(&self) {
        self.core.state.borrow_mut().sender_watcher = None;
    }

    /// Waits until a receiver is waiting on this channel.
    pub async fn wait_for_receiver(&self) {
        wait_until(
            &self.core.kernel,
            || self.probe(),
            || self.watch(),
            || self.unwatch(),
        )
        .await
    }

    pub fn id(&self) -> ChanId {
        self.core.id
    }
}

impl<T: Token> Receiver<T> {
    /// Receives a value; completes with the sender, after the channel's latency.
    pub fn recv(&self) -> Recv<'_, T> {
        self.recv_with_latency(self.core.latency)
    }

    /// Receives with this party's own latency; the handshake takes the larger of both parties'.
    pub fn recv_with_latency(&self, latency: Time) -> Recv<'_, T> {
        self.recv_op(latency, None)
    }

    /// Like [`Receiver::recv_with_latency`]; `site` says where the receiver waits, for the report.
    pub fn recv_at(&self, latency: Time, site: u32) -> Recv<'_, T> {
        self.recv_op(latency, Some(site))
    }

    fn recv_op(&self, latency: Time, site: Option<u32>) -> Recv<'_, T> {
        Recv {
            core: &self.core,
            started: false,
            done: false,
            latency,
            site,
        }
    }

    /// The probe `#L` on a receive port: is a sender waiting?
    pub fn probe(&self) -> bool {
        self.core.state.borrow().waiting_sender.is_some()
    }

    /// The value a waiting sender offers, if any (ACT's value probe).
    pub fn peek<R>(&self, f: impl FnOnce(Option<&T>) -> R) -> R {
        f(self.core.state.borrow().offered.as_ref())
    }

    /// Wakes the calling task when a sender arrives (until [`Receiver::unwatch`]).
    pub fn watch(&self) {
        self.core.state.borrow_mut().receiver_watcher = Some(self.core.kernel.current());
    }

    pub fn unwatch(&self) {
        self.core.state.borrow_mut().receiver_watcher = None;
    }

    /// Waits until a sender is waiting on this channel.
    pub async fn wait_for_sender(&self) {
        wait_until(
            &self.core.kernel,
            || self.probe(),
            || self.watch(),
            || self.unwatch(),
        )
        .await
    }

    pub fn id(&self) -> ChanId {
        self.core.id
    }
}

/// Parks the calling task until `ready()`, watching the channel in between.
async fn wait_until(
    kernel: &Shared,
    ready: impl Fn() -> bool,
    watch: impl Fn(),
    unwatch: impl Fn(),
) {
    while !ready() {
        watch();
        Park::new(kernel, Wait::Probe).await;
        unwatch();
    }
}

impl<T: Token> Core<T> {
    /// The sending half of a handshake, started by the running task: completes it on the spot
    /// if a receiver waits (both parties resume `latency` later), else registers the sender.
    fn offer(&self, value: T, latency: Time, site: Option<u32>) {
        let kernel = &self.kernel;
        let (now, me) = (kernel.now(), kernel.current());
        let mut st = self.state.borrow_mut();
        if let Some(receiver) = st.waiting_receiver.take() {
            let at = now + latency.max(receiver.latency);
            st.delivered = Some((value, me));
            st.done_at = at;
            kernel.schedule_pair(at, receiver.task, me);
        } else {
            st.waiting_sender = Some(Party {
                task: me,
                latency,
                site,
            });
            st.offered = Some(value);
            if let Some(watcher) = st.receiver_watcher.take() {
                kernel.schedule(now, watcher);
            }
        }
    }

    /// Whether the running task's offer has been taken and its handshake has completed.
    fn offer_taken(&self) -> bool {
        let st = self.state.borrow();
        st.waiting_sender.is_none() && self.kernel.now() >= st.done_at
    }

    /// The receiving half of a handshake (see [`Core::offer`]).
    fn request(&self, latency: Time, site: Option<u32>) {
        let kernel = &self.kernel;
        let (now, me) = (kernel.now(), kernel.current());
        let mut st = self.state.borrow_mut();
        if let Some(sender) = st.waiting_sender.take() {
            let at = now + latency.max(sender.latency);
            st.delivered = st.offered.take().map(|v| (v, sender.task));
            st.done_at = at;
            kernel.schedule_pair(at, me, sender.task);
        } else {
            st.waiting_receiver = Some(Party {
                task: me,
                latency,
                site,
            });
            if let Some(watcher) = st.sender_watcher.take() {
                kernel.schedule(now, watcher);
            }
        }
    }

    /// The value of the running task's completed handshake, reported to observers; `None`
    /// while the handshake has not completed.
    fn take(&self) -> Option<T> {
        let kernel = &self.kernel;
        let (value, sender) = {
            let mut st = self.state.borrow_mut();
            if st.waiting_receiver.is_some() || kernel.now() < st.done_at {
                return None;
            }
            st.delivered.take()?
        };
        kernel.count_handshake();
        if kernel.observing() {
            kernel.emit(&Event::Handshake {
                time: kernel.now(),
                channel: self.id,
                sender: kernel.process_of(sender),
                receiver: kernel.process_of(kernel.current()),
                value: value.trace(),
            });
        }
        Some(value)
    }

    /// Withdraws the running task's registration, if it is still waiting.
    fn withdraw(&self, sender: bool) {
        let mut st = self.state.borrow_mut();
        if sender {
            if st.waiting_sender.take().is_some() {
                st.offered = None;
            }
        } else {
            st.waiting_receiver = None;
        }
    }
}

/// For hand-written futures (the CHP interpreter): the two halves of a handshake without a
/// future in between. Start an operation, return `Pending`; when resumed, ask whether it is done.
impl<T: Token> Sender<T> {
    /// Starts sending `value` from the running task (see [`Sender::send_at`]).
    pub fn start_send(&self, value: T, latency: Time, site: u32) {
        self.core.offer(value, latency, Some(site));
    }

    /// True once the send started by [`Sender::start_send`] has completed.
    pub fn send_completed(&self) -> bool {
        self.core.offer_taken()
    }
}

impl<T: Token> Receiver<T> {
    /// Starts receiving in the running task (see [`Receiver::recv_at`]).
    pub fn start_recv(&self, latency: Time, site: u32) {
        self.core.request(latency, Some(site));
    }

    /// The value, once the receive started by [`Receiver::start_recv`] has completed.
    pub fn try_finish_recv(&self) -> Option<T> {
        self.core.take()
    }
}

/// Future returned by [`Sender::send`].
#[must_use = "a send does nothing until it is awaited"]
pub struct Send<'a, T: Token> {
    core: &'a Core<T>,
    value: Option<T>,
    done: bool,
    latency: Time,
    site: Option<u32>,
}

impl<T: Token> Unpin for Send<'_, T> {}

impl<T: Token> Future for Send<'_, T> {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        match this.value.take() {
            Some(value) => {
                this.core.offer(value, this.latency, this.site);
                Poll::Pending
            }
            None if this.core.offer_taken() => {
                this.done = true;
                Poll::Ready(())
            }
            None => Poll::Pending,
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

/// Future returned by [`Receiver::recv`].
#[must_use = "a receive does nothing until it is awaited"]
pub struct Recv<'a, T: Token> {
    core: &'a Core<T>,
    started: bool,
    done: bool,
    latency: Time,
    site: Option<u32>,
}

impl<T: Token> Unpin for Recv<'_, T> {}

impl<T: Token> Future for Recv<'_, T> {
    type Output = T;
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        if !std::mem::replace(&mut this.started, true) {
            this.core.request(this.latency, this.site);
            return Poll::Pending;
        }
        match this.core.take() {
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
