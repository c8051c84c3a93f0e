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
//! channel for its waiting parties ([`WaitingParties`]).
//!
//! Probes (`#X`) look at whether the other side is waiting; a task can watch a channel and be
//! woken when the other side arrives.
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::executor::Shared;
use super::executor::WaitingParties;
use super::observer::{Event, Token, Wait};
use super::{ChanId, TaskId, Time};

#[derive(Clone, Copy)]
struct Party {
    task: TaskId,
    latency: Time,
    /// Where the party waits (a statement's source offset, from the interpreter), for the
    /// end-of-run report.
    site: u32,
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
    fn waiting(&self) -> [Option<(TaskId, Wait, u32)>; 2] {
        let st = self.state.borrow();
        [
            st.waiting_sender.map(|p| (p.task, Wait::Send(self.id), p.site)),
            st.waiting_receiver.map(|p| (p.task, Wait::Receive(self.id), p.site)),
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
        self.send_at(value, latency, 0)
    }

    /// Like [`Sender::send_with_latency`]; `site` says where the sender waits, for the report.
    pub fn send_at(&self, value: T, latency: Time, site: u32) -> Send<'_, T> {
        Send {
            core: &self.core,
            value: Some(value),
            latency,
            site,
            phase: Phase::Start,
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
        while !self.probe() {
            self.watch();
            Park::new().await;
            self.unwatch();
        }
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
        self.recv_at(latency, 0)
    }

    /// Like [`Receiver::recv_with_latency`]; `site` says where the receiver waits, for the report.
    pub fn recv_at(&self, latency: Time, site: u32) -> Recv<'_, T> {
        Recv {
            core: &self.core,
            value: None,
            latency,
            site,
            phase: Phase::Start,
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
        while !self.probe() {
            self.watch();
            Park::new().await;
            self.unwatch();
        }
    }

    pub fn id(&self) -> ChanId {
        self.core.id
    }
}

/// Pending once, ready on the next resumption (a watcher's wake-up).
struct Park {
    parked: bool,
}

impl Park {
    fn new() -> Self {
        Park { parked: false }
    }
}

impl Future for Park {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        if std::mem::replace(&mut self.parked, true) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Start,
    /// Registered; the other party has not come yet (or has, and set `done_at`).
    Waiting,
    /// Completed by this party; resumes at the given time.
    Completing(Time),
    Done,
}

/// Future returned by [`Sender::send`].
pub struct Send<'a, T: Token> {
    core: &'a Core<T>,
    value: Option<T>,
    latency: Time,
    site: u32,
    phase: Phase,
}

impl<T: Token> Future for Send<'_, T> {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        // SAFETY: `Send` is not self-referential; nothing is moved out of a pinned field that
        // relies on pinning.
        let this = unsafe { self.get_unchecked_mut() };
        let kernel = &this.core.kernel;
        let now = kernel.now();
        let me = kernel.current();
        match this.phase {
            Phase::Start => {
                let mut st = this.core.state.borrow_mut();
                if let Some(receiver) = st.waiting_receiver.take() {
                    let at = now + this.latency.max(receiver.latency);
                    st.delivered = this.value.take().map(|v| (v, me));
                    st.done_at = at;
                    kernel.schedule_pair(at, receiver.task, me);
                    this.phase = Phase::Completing(at);
                } else {
                    st.waiting_sender = Some(Party {
                        task: me,
                        latency: this.latency,
                        site: this.site,
                    });
                    st.offered = this.value.take();
                    if let Some(watcher) = st.receiver_watcher.take() {
                        kernel.schedule(now, watcher);
                    }
                    this.phase = Phase::Waiting;
                }
                Poll::Pending
            }
            Phase::Waiting => {
                let st = this.core.state.borrow();
                if st.waiting_sender.is_some() || now < st.done_at {
                    return Poll::Pending;
                }
                this.phase = Phase::Done;
                Poll::Ready(())
            }
            Phase::Completing(at) => {
                if now < at {
                    return Poll::Pending;
                }
                this.phase = Phase::Done;
                Poll::Ready(())
            }
            Phase::Done => Poll::Ready(()),
        }
    }
}

impl<T: Token> Drop for Send<'_, T> {
    fn drop(&mut self) {
        // A send abandoned while waiting must not be completed by a later receiver.
        if self.phase == Phase::Waiting {
            let mut st = self.core.state.borrow_mut();
            if st.waiting_sender.is_some() {
                st.waiting_sender = None;
                st.offered = None;
            }
        }
    }
}

/// Future returned by [`Receiver::recv`].
pub struct Recv<'a, T: Token> {
    core: &'a Core<T>,
    value: Option<(T, TaskId)>,
    latency: Time,
    site: u32,
    phase: Phase,
}

impl<T: Token> Future for Recv<'_, T> {
    type Output = T;
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<T> {
        // SAFETY: as for `Send`, nothing relies on the future staying in place.
        let this = unsafe { self.get_unchecked_mut() };
        let kernel = &this.core.kernel;
        let now = kernel.now();
        let me = kernel.current();
        match this.phase {
            Phase::Start => {
                let mut st = this.core.state.borrow_mut();
                if let Some(sender) = st.waiting_sender.take() {
                    let at = now + this.latency.max(sender.latency);
                    this.value = st.offered.take().map(|v| (v, sender.task));
                    st.done_at = at;
                    kernel.schedule_pair(at, me, sender.task);
                    this.phase = Phase::Completing(at);
                } else {
                    st.waiting_receiver = Some(Party {
                        task: me,
                        latency: this.latency,
                        site: this.site,
                    });
                    if let Some(watcher) = st.sender_watcher.take() {
                        kernel.schedule(now, watcher);
                    }
                    this.phase = Phase::Waiting;
                }
                Poll::Pending
            }
            Phase::Waiting => {
                let mut st = this.core.state.borrow_mut();
                if st.waiting_receiver.is_some() || now < st.done_at {
                    return Poll::Pending;
                }
                let delivered = st.delivered.take();
                drop(st);
                this.finish(delivered)
            }
            Phase::Completing(at) => {
                if now < at {
                    return Poll::Pending;
                }
                let delivered = this.value.take();
                this.finish(delivered)
            }
            Phase::Done => panic!("Recv polled after it completed"),
        }
    }
}

impl<T: Token> Recv<'_, T> {
    /// The handshake is complete and this is its completion time: report it and hand the value on.
    fn finish(&mut self, delivered: Option<(T, TaskId)>) -> Poll<T> {
        self.phase = Phase::Done;
        let (value, sender) = delivered.expect("a completed handshake carries its value");
        let kernel = &self.core.kernel;
        kernel.count_handshake();
        if kernel.observing() {
            kernel.emit(&Event::Handshake {
                time: kernel.now(),
                channel: self.core.id,
                sender: kernel.process_of(sender),
                receiver: kernel.process_of(kernel.current()),
                value: value.trace(),
            });
        }
        Poll::Ready(value)
    }
}

impl<T: Token> Drop for Recv<'_, T> {
    fn drop(&mut self) {
        if self.phase == Phase::Waiting {
            let mut st = self.core.state.borrow_mut();
            if st.waiting_receiver.is_some() {
                st.waiting_receiver = None;
            }
        }
    }
}
