//! Rendezvous channels (slack 0): where a handshake happens.
//!
//! The timing is actsim's: a send or a receive is an event that fires its party's latency after
//! the party starts it. When it fires, the party becomes visible on the channel (a probe of the
//! other end sees it from that moment). If the other party is already there, the handshake
//! completes on the spot, at that moment: the value is handed over, the observers are told,
//! the waiting party is woken at the same time and the arriving party goes straight on. Else
//! the party waits for the other one's event. Nothing here allocates: the waiting party and the
//! value live in the channel's fixed state.
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
use super::executor::{time_after, Park, Shared};
use super::observer::{Event, Token, Wait};
use super::{ChanId, TaskId, Time};

#[derive(Clone, Copy)]
struct Party {
    task: TaskId,
    /// How long after the handshake completes the party is to be resumed (the interpreter
    /// folds the delay of its next statement in, saving a wake-up).
    resume_after: Time,
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
    /// A value handed to a waiting receiver, until the receiver resumes and takes it.
    delivered: Option<T>,
    /// On an exchange channel: the value a waiting receiver sends back, and the value handed
    /// back to the sender, until the sender takes it.
    reply: Option<T>,
    returned: Option<T>,
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
            reply: None,
            returned: None,
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
    /// Sends `value`: the send fires after the channel's latency and completes with the receiver.
    pub fn send(&self, value: T) -> Send<'_, T> {
        self.send_with_latency(value, self.core.latency)
    }

    /// Sends with this party's own latency (the time from the call to its event).
    pub fn send_with_latency(&self, value: T, latency: Time) -> Send<'_, T> {
        Send {
            core: &self.core,
            value: Some(value),
            step: Step::Start,
            latency,
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
    /// Receives a value: the receive fires after the channel's latency and completes with the
    /// sender.
    pub fn recv(&self) -> Recv<'_, T> {
        self.recv_with_latency(self.core.latency)
    }

    /// Receives with this party's own latency (the time from the call to its event).
    pub fn recv_with_latency(&self, latency: Time) -> Recv<'_, T> {
        Recv {
            core: &self.core,
            step: Step::Start,
            latency,
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
    /// The running task's send event fires: completes the handshake on the spot if a receiver
    /// waits (and returns true), else registers the sender.
    fn offer(&self, value: T, resume_after: Time, site: Option<u32>) -> bool {
        let kernel = &self.kernel;
        let me = kernel.current();
        let mut st = self.state.borrow_mut();
        if let Some(receiver) = st.waiting_receiver.take() {
            self.report(&value, me, receiver.task);
            st.delivered = Some(value);
            st.returned = st.reply.take();
            kernel.resume_after(receiver.task, receiver.resume_after);
            true
        } else {
            st.waiting_sender = Some(Party {
                task: me,
                resume_after,
                site,
            });
            st.offered = Some(value);
            if let Some(watcher) = st.receiver_watcher.take() {
                kernel.schedule(kernel.now(), watcher);
            }
            false
        }
    }

    /// Whether the running task's registered offer has been taken.
    fn offer_taken(&self) -> bool {
        self.state.borrow().waiting_sender.is_none()
    }

    /// The running task's receive event fires: completes the handshake on the spot if a sender
    /// waits (and returns its value), else registers the receiver.
    fn request(&self, reply: Option<T>, resume_after: Time, site: Option<u32>) -> Option<T> {
        let kernel = &self.kernel;
        let me = kernel.current();
        let mut st = self.state.borrow_mut();
        if let Some(sender) = st.waiting_sender.take() {
            let value = st.offered.take().expect("a waiting sender offers a value");
            st.returned = reply;
            self.report(&value, sender.task, me);
            kernel.resume_after(sender.task, sender.resume_after);
            Some(value)
        } else {
            st.waiting_receiver = Some(Party {
                task: me,
                resume_after,
                site,
            });
            st.reply = reply;
            if let Some(watcher) = st.sender_watcher.take() {
                kernel.schedule(kernel.now(), watcher);
            }
            None
        }
    }

    /// The value handed to the running task, a receiver that was waiting; `None` while no
    /// sender has come.
    fn take(&self) -> Option<T> {
        let mut st = self.state.borrow_mut();
        if st.waiting_receiver.is_some() {
            return None;
        }
        st.delivered.take()
    }

    /// Counts a completed handshake and tells the observers.
    fn report(&self, value: &T, sender: TaskId, receiver: TaskId) {
        let kernel = &self.kernel;
        kernel.count_handshake();
        if kernel.observing() {
            kernel.emit(&Event::Handshake {
                time: kernel.now(),
                channel: self.id,
                sender: kernel.process_of(sender),
                receiver: kernel.process_of(receiver),
                value: value.trace(),
            });
        }
    }

    /// Withdraws the running task's registration, if it is still waiting.
    fn withdraw(&self, sender: bool) {
        let mut st = self.state.borrow_mut();
        if sender {
            if st.waiting_sender.take().is_some() {
                st.offered = None;
            }
        } else if st.waiting_receiver.take().is_some() {
            st.reply = None;
        }
    }
}

/// For hand-written futures (the CHP interpreter), which wait out the party's delay themselves:
/// the two halves of a handshake without a future in between. Fire the operation; if it did not
/// complete, return `Pending` and, when resumed, ask whether it is done.
impl<T: Token> Sender<T> {
    /// Fires a send of `value` from the running task now; true if it completed on the spot.
    /// If it waits, the task is resumed `resume_after` ticks after the handshake completes;
    /// `site` says where the sender waits, for the end-of-run report.
    pub fn start_send(&self, value: T, resume_after: Time, site: u32) -> bool {
        self.core.offer(value, resume_after, Some(site))
    }

    /// True once the send started by [`Sender::start_send`] has completed.
    pub fn send_completed(&self) -> bool {
        self.core.offer_taken()
    }

    /// What the receiver sent back on an exchange channel, once the send has completed.
    pub fn take_reply(&self) -> Option<T> {
        self.core.state.borrow_mut().returned.take()
    }
}

impl<T: Token> Receiver<T> {
    /// Fires a receive in the running task now; the value if it completed on the spot (see
    /// [`Sender::start_send`]).
    pub fn start_recv(&self, resume_after: Time, site: u32) -> Option<T> {
        self.core.request(None, resume_after, Some(site))
    }

    /// Like [`Receiver::start_recv`] on an exchange channel: `reply` goes back to the sender.
    pub fn start_exchange(&self, reply: T, resume_after: Time, site: u32) -> Option<T> {
        self.core.request(Some(reply), resume_after, Some(site))
    }

    /// The value, once the receive started by [`Receiver::start_recv`] has completed.
    pub fn try_finish_recv(&self) -> Option<T> {
        self.core.take()
    }
}

/// Where a library send or receive is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Start,
    /// The party's event fires at this time.
    Firing(Time),
    /// Fired; waiting for the other party.
    Waiting,
    Done,
}

impl Step {
    /// Starts the party's delay, or tells whether its event has fired (`true`: act now).
    fn fire(&mut self, kernel: &Shared, latency: Time) -> bool {
        match *self {
            Step::Start => {
                match time_after(kernel.now(), latency) {
                    Ok(at) => {
                        kernel.schedule(at, kernel.current());
                        *self = Step::Firing(at);
                    }
                    // Never resumed: the failure stops the run.
                    Err(overflow) => kernel.fail(&overflow.to_string()),
                }
                false
            }
            Step::Firing(at) => kernel.now() >= at,
            Step::Waiting | Step::Done => false,
        }
    }
}

/// Future returned by [`Sender::send`].
#[must_use = "a send does nothing until it is awaited"]
pub struct Send<'a, T: Token> {
    core: &'a Core<T>,
    value: Option<T>,
    step: Step,
    latency: Time,
}

impl<T: Token> Unpin for Send<'_, T> {}

impl<T: Token> Future for Send<'_, T> {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let done = if this.step == Step::Waiting {
            this.core.offer_taken()
        } else if this.step.fire(&this.core.kernel, this.latency) {
            {
                let value = this.value.take().expect("a send fires once");
                let done = this.core.offer(value, 0, None);
                if !done {
                    this.step = Step::Waiting;
                }
                done
            }
        } else {
            false
        };
        if done {
            this.step = Step::Done;
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl<T: Token> Drop for Send<'_, T> {
    fn drop(&mut self) {
        // A send abandoned while waiting must not be completed by a later receiver.
        if self.step == Step::Waiting {
            self.core.withdraw(true);
        }
    }
}

/// Future returned by [`Receiver::recv`].
#[must_use = "a receive does nothing until it is awaited"]
pub struct Recv<'a, T: Token> {
    core: &'a Core<T>,
    step: Step,
    latency: Time,
}

impl<T: Token> Unpin for Recv<'_, T> {}

impl<T: Token> Future for Recv<'_, T> {
    type Output = T;
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        let value = if this.step == Step::Waiting {
            this.core.take()
        } else if this.step.fire(&this.core.kernel, this.latency) {
            {
                let value = this.core.request(None, 0, None);
                if value.is_none() {
                    this.step = Step::Waiting;
                }
                value
            }
        } else {
            None
        };
        match value {
            Some(value) => {
                this.step = Step::Done;
                Poll::Ready(value)
            }
            None => Poll::Pending,
        }
    }
}

impl<T: Token> Drop for Recv<'_, T> {
    fn drop(&mut self) {
        if self.step == Step::Waiting {
            self.core.withdraw(false);
        }
    }
}
