//! Rendezvous channels (slack 0): where a handshake happens.
//!
//! The timing is actsim's: a send or a receive is an event that fires its party's latency after
//! the party starts it. When it fires, the party becomes visible on the channel (a probe of the
//! other end sees it from that moment). If the other party is already there, the handshake
//! completes at that moment: the value is handed over, the observers are told, the waiting
//! party is resumed and the arriving party goes straight on. Else the party waits for the other
//! one's event. Nothing here allocates: the waiting party and the value live in the channel's
//! fixed state.
//!
//! The interpreter waits out a statement's delay itself and registers its party when the event
//! fires. A library future registers at once, with the time its event fires (`visible_at`):
//! its value is fixed when it is called, so the handshake's time is known as soon as both
//! parties are registered, and both are resumed then with no further events (half the queue
//! traffic of firing each party separately).
//!
//! Who waits where is not recorded per operation: at the end of a run the kernel asks every
//! channel for its waiting parties (`WaitingParties`).
//!
//! Probes (`#X`) look at whether the other side is waiting; a task can watch a channel and be
//! woken when the other side arrives.
//!
//! When an observer asks for them, every party that starts or stops waiting here (a send, a
//! receive, a watching guard) is reported as an [`Event::Wait`]; otherwise that costs one test
//! of a flag where a party registers.
use std::cell::RefCell;
use std::rc::Rc;

use super::executor::{Park, Shared};
use super::executor::{WaitingParties, WaitingParty};
use super::observer::{Event, Token, Wait, Waiter};
use super::{ChanId, TaskId, Time};

mod futures;
pub use futures::{Recv, Send};

#[derive(Clone, Copy)]
struct Party {
    task: TaskId,
    /// When the party's event fires: from then on probes see it.
    visible_at: Time,
    /// How long after the handshake completes the party is to be resumed (the interpreter
    /// folds the delay of its next statement in, saving a wake-up).
    resume_after: Time,
    /// Where the party waits (a statement's source offset, from the interpreter), for the
    /// end-of-run report.
    site: Option<u32>,
}

/// `repr(C)` keeps the fields a plain handshake touches together at the front, in the order a
/// waiting receiver reads them when it resumes (fewer cache lines per handshake); the sender's
/// registration follows, and the exchange-only slot comes last.
#[repr(C)]
struct State<T> {
    /// A receiver waiting for a sender.
    waiting_receiver: Option<Party>,
    /// A value handed to a waiting receiver, until the receiver resumes and takes it.
    delivered: Option<T>,
    /// When the last handshake completes; a party resumed earlier keeps waiting.
    done_at: Time,
    /// The sender of a value delivered for a handshake that completes later than the call that
    /// met it (library futures): the receiver reports the handshake when it completes.
    unreported: Option<TaskId>,
    /// On an exchange channel: the value a waiting receiver sends back, and the value handed
    /// back to the sender, until the sender takes it.
    reply: Option<T>,
    /// A sender waiting for a receiver, with the value it offers.
    waiting_sender: Option<Party>,
    offered: Option<T>,
    /// Tasks watching for the other side to arrive (a receiver probing for senders, and v.v.).
    receiver_watcher: Option<TaskId>,
    sender_watcher: Option<TaskId>,
    returned: Option<T>,
}

pub(crate) struct Core<T> {
    id: ChanId,
    latency: Time,
    kernel: Rc<Shared>,
    state: RefCell<State<T>>,
}

/// The sending end of a channel (made by [`crate::SimInit::channel`]).
///
/// ```
/// use chpsim::SimInit;
///
/// let mut init = SimInit::new().without_log();
/// let (tx, rx) = init.channel_between::<i16>("a.R", "b.L", 10);
/// let ctx = init.ctx();
/// init.spawn("a", async move {
///     tx.send(-3).await; // waits for the receiver, which comes at 25
///     assert_eq!(ctx.now(), 35);
/// });
/// let ctx = init.ctx();
/// init.spawn("b", async move {
///     ctx.delay(25).await;
///     assert_eq!(rx.recv().await, -3);
/// });
/// init.run().unwrap();
/// ```
pub struct Sender<T: Token> {
    core: Rc<Core<T>>,
}

/// The receiving end of a channel (made by [`crate::SimInit::channel`]).
///
/// ```
/// use chpsim::SimInit;
///
/// let mut init = SimInit::new().without_log();
/// let (tx, rx) = init.channel_between::<[u8; 3]>("a.R", "b.L", 10);
/// let ctx = init.ctx();
/// init.spawn("a", async move { tx.send([1, 2, 3]).await });
/// init.spawn("b", async move {
///     assert!(!rx.probe()); // the sender's event fires at 10
///     rx.wait_for_sender().await;
///     assert_eq!(ctx.now(), 10);
///     assert_eq!(rx.recv().await, [1, 2, 3]);
///     assert_eq!(ctx.now(), 20);
/// });
/// init.run().unwrap();
/// ```
pub struct Receiver<T: Token> {
    core: Rc<Core<T>>,
}

impl<T: Token> std::fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender")
            .field("channel", &self.core.id)
            .finish()
    }
}

impl<T: Token> std::fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver")
            .field("channel", &self.core.id)
            .finish()
    }
}

/// A channel end whose other party can be probed: what [`crate::Ctx::first_ready`] waits on.
pub trait Probe: sealed::Watch {
    /// Whether the other party is waiting (ACT's probe `#X`).
    fn probe(&self) -> bool;
}

mod sealed {
    /// How a task is woken when a probe may have changed; only the kernel's ends have it.
    pub trait Watch {
        fn watch(&self);
        fn unwatch(&self);
    }
}

impl<T: Token> Probe for Sender<T> {
    fn probe(&self) -> bool {
        Sender::probe(self)
    }
}

impl<T: Token> sealed::Watch for Sender<T> {
    fn watch(&self) {
        Sender::watch(self);
    }
    fn unwatch(&self) {
        Sender::unwatch(self)
    }
}

impl<T: Token> Probe for Receiver<T> {
    fn probe(&self) -> bool {
        Receiver::probe(self)
    }
}

impl<T: Token> sealed::Watch for Receiver<T> {
    fn watch(&self) {
        Receiver::watch(self);
    }
    fn unwatch(&self) {
        Receiver::unwatch(self)
    }
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
            done_at: 0,
            unreported: None,
            receiver_watcher: None,
            sender_watcher: None,
        }),
    });
    core.kernel.register_channel(core.clone());
    (Sender { core: core.clone() }, Receiver { core })
}

impl<T: Token> WaitingParties for Core<T> {
    fn waiting(&self) -> [Option<WaitingParty>; 2] {
        let st = self.state.borrow();
        let party = |p: Party, wait| WaitingParty {
            task: p.task,
            wait,
            site: p.site,
            since: p.visible_at,
        };
        [
            st.waiting_sender.map(|p| party(p, Wait::Send(self.id))),
            st.waiting_receiver
                .map(|p| party(p, Wait::Receive(self.id))),
        ]
    }
}

impl<T: Token> Sender<T> {
    /// Sends `value`: the send fires after the channel's latency and completes with the
    /// receiver.
    pub fn send(&self, value: T) -> Send<'_, T> {
        self.send_with_latency(value, self.core.latency)
    }

    /// Sends with this party's own latency (the time from the call to its event).
    pub fn send_with_latency(&self, value: T, latency: Time) -> Send<'_, T> {
        Send {
            core: &self.core,
            value: Some(value),
            done: false,
            latency,
        }
    }

    /// The probe `#R` on a send port: is a receiver waiting?
    pub fn probe(&self) -> bool {
        let now = self.core.kernel.now();
        (self.core.state.borrow().waiting_receiver).is_some_and(|p| p.visible_at <= now)
    }

    /// Wakes the calling task when a receiver arrives (until [`Sender::unwatch`]). Returns
    /// whether another task already watches the channel (see [`Core::watch`]).
    pub(crate) fn watch(&self) -> bool {
        self.core.watch(Waiter::SenderProbe)
    }

    pub(crate) fn unwatch(&self) {
        self.core.unwatch(Waiter::SenderProbe);
    }

    /// Waits until a receiver is waiting on this channel.
    pub async fn wait_for_receiver(&self) {
        wait_until(
            &self.core.kernel,
            || self.probe(),
            || {
                self.watch();
            },
            || self.unwatch(),
        )
        .await
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
            started: false,
            done: false,
            latency,
        }
    }

    /// The probe `#L` on a receive port: is a sender waiting?
    pub fn probe(&self) -> bool {
        let now = self.core.kernel.now();
        (self.core.state.borrow().waiting_sender).is_some_and(|p| p.visible_at <= now)
    }

    /// The value a waiting sender offers, if any (ACT's value probe).
    pub(crate) fn peek<R>(&self, f: impl FnOnce(Option<&T>) -> R) -> R {
        let now = self.core.kernel.now();
        let st = self.core.state.borrow();
        let visible = st.waiting_sender.is_some_and(|p| p.visible_at <= now);
        f(st.offered.as_ref().filter(|_| visible))
    }

    /// Wakes the calling task when a sender arrives (until [`Receiver::unwatch`]). Returns
    /// whether another task already watches the channel (see [`Core::watch`]).
    pub(crate) fn watch(&self) -> bool {
        self.core.watch(Waiter::ReceiverProbe)
    }

    pub(crate) fn unwatch(&self) {
        self.core.unwatch(Waiter::ReceiverProbe);
    }

    /// Waits until a sender is waiting on this channel.
    pub async fn wait_for_sender(&self) {
        wait_until(
            &self.core.kernel,
            || self.probe(),
            || {
                self.watch();
            },
            || self.unwatch(),
        )
        .await
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

impl<T> std::fmt::Debug for Core<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Channel").field("id", &self.id).finish()
    }
}

impl<T: Token> Core<T> {
    /// The running task's send, whose event fires at `visible_at` (now, for the interpreter):
    /// meets a waiting receiver (true when the handshake completed now), else registers.
    #[inline(always)]
    fn offer(&self, value: T, visible_at: Time, resume_after: Time, site: Option<u32>) -> bool {
        let kernel = &self.kernel;
        let me = kernel.current();
        let mut st = self.state.borrow_mut();
        if let Some(receiver) = st.waiting_receiver.take() {
            if st.reply.is_some() {
                st.returned = st.reply.take();
            }
            let at = visible_at.max(receiver.visible_at);
            self.wait_changed(Waiter::Receiver, receiver.task, at, false);
            if at == kernel.now() {
                // The receiver's wake-up is queued before the handshake is reported (and a
                // watched send queues its delayed trace event), as actsim queues them.
                kernel.resume_after(receiver.task, receiver.resume_after);
                self.report(&st, &value, me, receiver.task);
                st.delivered = Some(value);
                return true;
            }
            st.delivered = Some(value);
            self.complete_later(&mut st, at, receiver.task, me);
            false
        } else {
            st.waiting_sender = Some(Party {
                task: me,
                visible_at,
                resume_after,
                site,
            });
            if self.kernel.observing_waits() {
                let offered = st.offered.insert(value).trace();
                let kernel = &self.kernel;
                kernel.wait_changed(self.id, Waiter::Sender, me, visible_at, true, offered);
            } else {
                st.offered = Some(value);
            }
            if let Some(watcher) = st.receiver_watcher.take() {
                self.wait_changed(Waiter::ReceiverProbe, watcher, visible_at, false);
                kernel.schedule(visible_at, watcher);
            }
            false
        }
    }

    /// Whether the running task's offer has been taken and its handshake has completed.
    #[inline(always)]
    fn offer_taken(&self) -> bool {
        let st = self.state.borrow();
        let taken = st.waiting_sender.is_none() && self.kernel.now() >= st.done_at;
        drop(st);
        if taken && self.kernel.observing_waits() {
            self.resumed(Waiter::Sender);
        }
        taken
    }

    /// The running task's receive, whose event fires at `visible_at` (see [`Core::offer`]):
    /// the value when the handshake completed now, else `None` (it waits).
    #[inline(always)]
    fn request(
        &self,
        reply: Option<T>,
        visible_at: Time,
        resume_after: Time,
        site: Option<u32>,
    ) -> Option<T> {
        let kernel = &self.kernel;
        let me = kernel.current();
        let mut st = self.state.borrow_mut();
        if let Some(sender) = st.waiting_sender.take() {
            let value = st.offered.take().expect("a waiting sender offers a value");
            if reply.is_some() {
                st.returned = reply;
            }
            let at = visible_at.max(sender.visible_at);
            self.wait_changed(Waiter::Sender, sender.task, at, false);
            if at == kernel.now() {
                self.report(&st, &value, sender.task, me);
                kernel.resume_after(sender.task, sender.resume_after);
                return Some(value);
            }
            st.delivered = Some(value);
            self.complete_later(&mut st, at, me, sender.task);
            None
        } else {
            st.waiting_receiver = Some(Party {
                task: me,
                visible_at,
                resume_after,
                site,
            });
            if reply.is_some() {
                st.reply = reply;
            }
            self.wait_changed(Waiter::Receiver, me, visible_at, true);
            if let Some(watcher) = st.sender_watcher.take() {
                self.wait_changed(Waiter::SenderProbe, watcher, visible_at, false);
                kernel.schedule(visible_at, watcher);
            }
            None
        }
    }

    /// A handshake between two parties registered ahead of their events completes when the
    /// later event fires: both are resumed then, and the receiver reports it.
    fn complete_later(&self, st: &mut State<T>, at: Time, receiver: TaskId, sender: TaskId) {
        st.done_at = at;
        st.unreported = Some(sender);
        self.kernel.schedule_pair(at, receiver, sender);
    }

    /// The value handed to the running task, a receiver that was waiting; `None` while the
    /// handshake has not completed.
    #[inline(always)]
    fn take(&self) -> Option<T> {
        let mut st = self.state.borrow_mut();
        if st.waiting_receiver.is_some() || self.kernel.now() < st.done_at {
            return None;
        }
        let value = st.delivered.take()?;
        if let Some(sender) = st.unreported.take() {
            self.report(&st, &value, sender, self.kernel.current());
        }
        drop(st);
        if self.kernel.observing_waits() {
            self.resumed(Waiter::Receiver);
        }
        Some(value)
    }

    /// Tells the observers that the running task, a `party` that waited, goes on (see
    /// [`Event::Resumed`]).
    #[cold]
    #[inline(never)]
    fn resumed(&self, party: Waiter) {
        let kernel = &self.kernel;
        kernel.emit(&Event::Resumed {
            time: kernel.now(),
            channel: self.id,
            party,
            process: kernel.process_of(kernel.current()),
        });
    }

    /// Counts a completed handshake and tells the observers. Inlined into every handshake path:
    /// with no observer it is an increment and a test.
    #[inline(always)]
    fn report(&self, st: &State<T>, value: &T, sender: TaskId, receiver: TaskId) {
        self.kernel.count_handshake();
        if self.kernel.observing_handshakes() {
            self.emit_handshake(st, value, sender, receiver);
        }
    }

    #[cold]
    #[inline(never)]
    fn emit_handshake(&self, st: &State<T>, value: &T, sender: TaskId, receiver: TaskId) {
        let kernel = &self.kernel;
        kernel.emit(&Event::Handshake {
            time: kernel.now(),
            channel: self.id,
            sender: kernel.process_of(sender),
            receiver: kernel.process_of(receiver),
            value: value.trace(),
            // The receiver's reply waits for the sender here until it takes it.
            exchange: st.returned.is_some(),
        });
    }

    /// Whether the running task's communication (a send if `sender`) has completed, without
    /// taking it up: [`Core::offer_taken`] and [`Core::take`] then finish it.
    fn has_completed(&self, sender: bool) -> bool {
        let st = self.state.borrow();
        let done = self.kernel.now() >= st.done_at;
        if sender {
            done && st.waiting_sender.is_none()
        } else {
            done && st.waiting_receiver.is_none() && st.delivered.is_some()
        }
    }

    /// Withdraws the running task's registration, if it is still waiting.
    fn withdraw(&self, sender: bool) {
        let mut st = self.state.borrow_mut();
        let withdrawn = if sender {
            let party = st.waiting_sender.take();
            if party.is_some() {
                st.offered = None;
            }
            party.map(|p| (Waiter::Sender, p))
        } else {
            let party = st.waiting_receiver.take();
            if party.is_some() {
                st.reply = None;
            }
            party.map(|p| (Waiter::Receiver, p))
        };
        if let Some((role, p)) = withdrawn {
            let now = self.kernel.now().max(p.visible_at);
            self.wait_changed(role, p.task, now, false);
        }
    }

    /// Reports that `task` starts or stops waiting as `party` (see [`Event::Wait`]).
    #[inline]
    fn wait_changed(&self, party: Waiter, task: TaskId, time: Time, waiting: bool) {
        if self.kernel.observing_waits() {
            let none = crate::kernel::TraceValue::None;
            (self.kernel).wait_changed(self.id, party, task, time, waiting, none);
        }
    }

    /// The watcher slot of a probing party.
    fn watcher(st: &mut State<T>, party: Waiter) -> &mut Option<TaskId> {
        if party.at_sender() {
            &mut st.sender_watcher
        } else {
            &mut st.receiver_watcher
        }
    }

    /// The running task watches for the other side to arrive. A library party registers
    /// before its event fires: if it is there already, the watcher is woken when it fires.
    /// Returns whether another task watches the channel already, at either end: actsim keeps
    /// one probe wait per channel, and a second is its fatal "Channel is being probed by
    /// multiple processes!".
    fn watch(&self, party: Waiter) -> bool {
        let me = self.kernel.current();
        let mut st = self.state.borrow_mut();
        let other = if party.at_sender() {
            st.waiting_receiver
        } else {
            st.waiting_sender
        };
        if let Some(other) = other {
            let (now, visible_at) = (self.kernel.now(), other.visible_at.max(self.kernel.now()));
            self.wait_changed(party, me, now, true);
            self.wait_changed(party, me, visible_at, false);
            self.kernel.schedule(visible_at, me);
            return false;
        }
        let contested = [st.sender_watcher, st.receiver_watcher]
            .into_iter()
            .any(|watcher| watcher.is_some_and(|task| task != me));
        let previous = Self::watcher(&mut st, party).replace(me);
        drop(st);
        if previous != Some(me) {
            let now = self.kernel.now();
            if let Some(previous) = previous {
                self.wait_changed(party, previous, now, false);
            }
            self.wait_changed(party, me, now, true);
        }
        contested
    }

    /// Stops watching (if the other side's arrival has not already ended the watch).
    fn unwatch(&self, party: Waiter) {
        let watcher = Self::watcher(&mut self.state.borrow_mut(), party).take();
        if let Some(task) = watcher {
            self.wait_changed(party, task, self.kernel.now(), false);
        }
    }
}

/// For hand-written futures (the CHP interpreter), which wait out the party's delay themselves:
/// the two halves of a handshake without a future in between. Fire the operation; if it did not
/// complete, return `Pending` and, when resumed, ask whether it is done.
impl<T: Token> Sender<T> {
    /// The channel this end is of.
    pub(crate) fn id(&self) -> ChanId {
        self.core.id
    }

    /// Fires a send of `value` from the running task now; true if it completed on the spot.
    /// If it waits, the task is resumed `resume_after` ticks after the handshake completes;
    /// `site` says where the sender waits, for the end-of-run report.
    pub(crate) fn start_send(&self, value: T, resume_after: Time, site: u32) -> bool {
        let now = self.core.kernel.now();
        self.core.offer(value, now, resume_after, Some(site))
    }

    /// True once the send started by [`Sender::start_send`] has completed.
    pub(crate) fn send_completed(&self) -> bool {
        self.core.offer_taken()
    }

    /// Whether the send started by [`Sender::start_send`] has completed, without finishing
    /// it (see [`Sender::abandon`]).
    pub(crate) fn has_completed(&self) -> bool {
        self.core.has_completed(true)
    }

    /// What the receiver sent back on an exchange channel, once the send has completed.
    pub(crate) fn take_reply(&self) -> Option<T> {
        self.core.state.borrow_mut().returned.take()
    }

    /// Whether the observers are told of replies stored ([`Sender::replied`]).
    pub(crate) fn reports_replies(&self) -> bool {
        self.core.kernel.observing_waits()
    }

    /// Tells the observers that the running task stored the reply it took, `reply` (see
    /// [`Event::Replied`]).
    #[cold]
    #[inline(never)]
    pub(crate) fn replied(&self, reply: &T) {
        let kernel = &self.core.kernel;
        if kernel.observing_waits() {
            kernel.emit(&Event::Replied {
                time: kernel.now(),
                channel: self.core.id,
                process: kernel.process_of(kernel.current()),
                value: reply.trace(),
            });
        }
    }

    /// Withdraws the running task's waiting send, dropping its value (actsim's `skip-comm`
    /// and `goto` move a thread on from where it waits).
    pub(crate) fn abandon(&self) {
        self.core.withdraw(true);
    }

    /// [`Sender::abandon`], and the running task goes on as if its send had completed: the
    /// observers are told so ([`Event::Resumed`]), as actsim's `skip-comm` wakes the sender.
    pub(crate) fn skip(&self) {
        self.abandon();
        if self.core.kernel.observing_waits() {
            self.core.resumed(Waiter::Sender);
        }
    }
}

impl<T: Token> Receiver<T> {
    /// The channel this end is of.
    pub(crate) fn id(&self) -> ChanId {
        self.core.id
    }

    /// Fires a receive in the running task now; the value if it completed on the spot (see
    /// [`Sender::start_send`]).
    pub(crate) fn start_recv(&self, resume_after: Time, site: u32) -> Option<T> {
        let now = self.core.kernel.now();
        self.core.request(None, now, resume_after, Some(site))
    }

    /// Like [`Receiver::start_recv`] on an exchange channel: `reply` goes back to the sender.
    pub(crate) fn start_exchange(&self, reply: T, resume_after: Time, site: u32) -> Option<T> {
        let now = self.core.kernel.now();
        self.core
            .request(Some(reply), now, resume_after, Some(site))
    }

    /// The value, once the receive started by [`Receiver::start_recv`] has completed.
    pub(crate) fn try_finish_recv(&self) -> Option<T> {
        self.core.take()
    }

    /// Whether the receive started by [`Receiver::start_recv`] has completed, without taking
    /// its value (see [`Receiver::abandon`]).
    pub(crate) fn has_completed(&self) -> bool {
        self.core.has_completed(false)
    }

    /// Withdraws the running task's waiting receive, and drops a value handed to it that it
    /// has not taken yet (see [`Sender::abandon`]).
    pub(crate) fn abandon(&self) {
        self.core.withdraw(false);
        self.core.state.borrow_mut().delivered = None;
    }

    /// As [`Sender::skip`], for a waiting receive: it goes on without a value.
    pub(crate) fn skip(&self) {
        self.abandon();
        if self.core.kernel.observing_waits() {
            self.core.resumed(Waiter::Receiver);
        }
    }
}
