//! The event queue: which task runs next, in (time, insertion order).
//!
//! Most delays in a CHP simulation are short (ACT's default is 10 ticks per action), so near
//! events go into a time wheel of FIFO buckets (O(1) push and pop, no allocation once the buckets
//! have grown); events further than the wheel's span wait in a binary heap ordered by
//! (time, sequence) and move into the wheel when it comes within reach. Events at the same time
//! come out in the order they were pushed, which is what makes runs deterministic.
//!
//! An entry is one task, or a pair of tasks resumed back to back (the two parties of a
//! handshake), which halves the queue traffic of the hot path.
//!
//! `chpsim actsim` orders events as actsim's own queue does instead ([`ActsimOrder`]): one
//! binary min-heap on time alone, whose order among events of the same time follows from the
//! heap's shape, plus resumptions that are part of the current event (a thread's start, a
//! join) run before anything else.
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use super::{TaskId, Time};

/// One or two tasks to resume, in order: the first in the low 32 bits, the second plus one in
/// the high 32 bits (zero when there is none); or, with all high bits set, a circuit's event
/// (its slot in the low 32 bits), which `chpsim actsim` keeps in the one queue with the tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Entry(u64);

impl Entry {
    pub(crate) fn one(task: TaskId) -> Self {
        Entry(task.index() as u64)
    }

    pub(crate) fn pair(first: TaskId, second: TaskId) -> Self {
        Entry(first.index() as u64 | (second.index() as u64 + 1) << 32)
    }

    /// A circuit's event, `slot` in its engine (see [`Entry::circuit_event`]).
    pub(crate) fn circuit(slot: u32) -> Self {
        Entry(CIRCUIT | slot as u64)
    }

    /// The circuit event's slot, if the entry is one rather than tasks to resume.
    #[inline(always)]
    pub(crate) fn circuit_event(self) -> Option<u32> {
        (self.0 & CIRCUIT == CIRCUIT).then_some(self.0 as u32)
    }

    pub(crate) fn first(self) -> TaskId {
        TaskId::from_index(self.0 as u32 as usize)
    }

    pub(crate) fn second(self) -> Option<TaskId> {
        match self.0 >> 32 {
            0 => None,
            n => Some(TaskId::from_index((n - 1) as usize)),
        }
    }
}

/// The high bits of a circuit event's entry: a second task of index `u32::MAX - 1`, which no
/// task has (the kernel's table would need 16 GiB first).
const CIRCUIT: u64 = 0xFFFF_FFFF << 32;

const WHEEL_SLOTS: usize = 1024;
const WHEEL_MASK: u64 = WHEEL_SLOTS as u64 - 1;

pub(crate) struct EventQueue {
    /// The time of the bucket being drained; no event is ever earlier than this.
    cursor: Time,
    wheel: Vec<VecDeque<Entry>>,
    in_wheel: usize,
    far: BinaryHeap<Reverse<(Time, u64, Entry)>>,
    far_seq: u64,
    /// Set for `chpsim actsim`: every event goes there, the wheel stays empty.
    actsim: Option<Box<ActsimOrder>>,
}

impl EventQueue {
    pub(crate) fn new() -> Self {
        Self {
            cursor: 0,
            wheel: (0..WHEEL_SLOTS).map(|_| VecDeque::new()).collect(),
            in_wheel: 0,
            far: BinaryHeap::new(),
            far_seq: 0,
            actsim: None,
        }
    }

    /// Orders events as actsim does from now on (see [`ActsimOrder`]); call before any push.
    pub(crate) fn order_as_actsim(&mut self) {
        self.actsim = Some(Box::default());
    }

    /// Queues `task` to run as a part of the current event, before any other queued event
    /// (actsim's order; elsewhere it is queued at the current time).
    pub(crate) fn push_within_event(&mut self, now: Time, task: Entry) {
        match &mut self.actsim {
            Some(order) => order.within_event.push_back(task),
            None => self.push(now, task),
        }
    }

    /// How many events are queued.
    pub(crate) fn len(&self) -> usize {
        let actsim = (self.actsim.as_ref()).map_or(0, |o| o.heap.len() + o.within_event.len());
        self.in_wheel + self.far.len() + actsim
    }

    /// The time of the earliest event, without moving the cursor (which would let a later
    /// push at an earlier time be taken for the past). Scans at most the wheel's span.
    pub(crate) fn peek_time(&self) -> Option<Time> {
        if let Some(order) = &self.actsim {
            return order.peek_time(self.cursor);
        }
        if self.in_wheel > 0 {
            for offset in 0..WHEEL_SLOTS as u64 {
                let time = self.cursor + offset;
                if !self.wheel[(time & WHEEL_MASK) as usize].is_empty() {
                    return Some(time);
                }
            }
        }
        self.far.peek().map(|Reverse((time, _, _))| *time)
    }

    /// Schedules `task` at `time`; a time in the past is treated as the current time. Inlined
    /// into every handshake; events beyond the wheel go out of line.
    #[inline(always)]
    pub(crate) fn push(&mut self, time: Time, task: Entry) {
        let time = time.max(self.cursor);
        if let Some(order) = &mut self.actsim {
            order.push(time, task);
            return;
        }
        if time - self.cursor < WHEEL_SLOTS as u64 {
            self.wheel[(time & WHEEL_MASK) as usize].push_back(task);
            self.in_wheel += 1;
        } else {
            self.push_far(time, task);
        }
    }

    #[cold]
    #[inline(never)]
    fn push_far(&mut self, time: Time, task: Entry) {
        self.far.push(Reverse((time, self.far_seq, task)));
        self.far_seq += 1;
    }

    /// Advances to the earliest pending event and returns its time, without removing it.
    #[inline]
    pub(crate) fn next_time(&mut self) -> Option<Time> {
        if let Some(order) = &self.actsim {
            self.cursor = order.peek_time(self.cursor)?;
            return Some(self.cursor);
        }
        loop {
            if self.in_wheel > 0 {
                if !self.wheel[(self.cursor & WHEEL_MASK) as usize].is_empty() {
                    return Some(self.cursor);
                }
                self.cursor += 1;
            } else {
                let Reverse((time, _, _)) = *self.far.peek()?;
                self.cursor = time;
            }
            self.pull_near_far_events();
        }
    }

    /// Moves the cursor back to `time`, where a run stopped short of the next event (its
    /// `until`): [`Self::next_time`] moved it on to that event, and an event pushed now at
    /// `time` or after (a command's `set` waking a process) is not in the past. Events the
    /// wheel holds beyond its span from `time` go back to the heap, in order.
    #[cold]
    pub(crate) fn rewind(&mut self, time: Time) {
        if time >= self.cursor {
            return;
        }
        let back = (self.cursor - time).min(WHEEL_SLOTS as u64);
        if self.actsim.is_none() && self.in_wheel > 0 {
            for offset in WHEEL_SLOTS as u64 - back..WHEEL_SLOTS as u64 {
                let at = self.cursor + offset;
                let bucket = std::mem::take(&mut self.wheel[(at & WHEEL_MASK) as usize]);
                self.in_wheel -= bucket.len();
                for task in bucket {
                    self.push_far(at, task);
                }
            }
        }
        self.cursor = time;
    }

    /// Removes the next event at the current time (call after [`Self::next_time`]).
    #[inline]
    pub(crate) fn pop_current(&mut self) -> Option<Entry> {
        if let Some(order) = &mut self.actsim {
            return order.pop_at(self.cursor);
        }
        let task = self.wheel[(self.cursor & WHEEL_MASK) as usize].pop_front()?;
        self.in_wheel -= 1;
        Some(task)
    }

    /// Removes the next task queued as a part of the current event (see
    /// [`Self::push_within_event`]), if any.
    pub(crate) fn pop_within_event(&mut self) -> Option<Entry> {
        self.actsim.as_mut()?.within_event.pop_front()
    }

    /// Visits every pending entry with its time. Under actsim's order, those of the current
    /// event first, then the heap's array from its root on (the order actsim's `pending -v`
    /// walks its heap in); otherwise the wheel's buckets, then the far heap, in no
    /// particular order within each.
    pub(crate) fn for_each(&self, mut f: impl FnMut(Time, Entry)) {
        if let Some(order) = &self.actsim {
            order.within_event.iter().for_each(|&e| f(self.cursor, e));
            order.heap.iter().for_each(|&(time, e)| f(time, e));
        }
        for (slot, bucket) in self.wheel.iter().enumerate() {
            let ahead = (slot as u64).wrapping_sub(self.cursor) & WHEEL_MASK;
            bucket.iter().for_each(|&e| f(self.cursor + ahead, e));
        }
        self.far
            .iter()
            .for_each(|Reverse((time, _, e))| f(*time, *e));
    }

    /// Moves heap events that are now within the wheel's span into their buckets. They were pushed
    /// before any event that went straight into the same bucket, so appending keeps FIFO order.
    fn pull_near_far_events(&mut self) {
        while let Some(&Reverse((time, _, task))) = self.far.peek() {
            if time - self.cursor >= WHEEL_SLOTS as u64 {
                break;
            }
            self.far.pop();
            self.wheel[(time & WHEEL_MASK) as usize].push_back(task);
            self.in_wheel += 1;
        }
    }
}

/// actsim's event order: a binary min-heap keyed on time alone (a textbook heap, J. W. J.
/// Williams 1964). A new event moves up while its parent is later; the earliest is taken from
/// the root, the last leaf takes its place and moves down to the earlier child while that
/// child is earlier than it, the right one when both children are equally early. Events of
/// the same time thus come out in an order set by the heap's shape, as in actsim, rather
/// than first in, first out.
#[derive(Default)]
struct ActsimOrder {
    heap: Vec<(Time, Entry)>,
    /// Resumptions that belong to the event that queued them (see
    /// [`EventQueue::push_within_event`]): they run next, in order.
    within_event: VecDeque<Entry>,
}

impl ActsimOrder {
    fn peek_time(&self, now: Time) -> Option<Time> {
        if !self.within_event.is_empty() {
            return Some(now);
        }
        self.heap.first().map(|&(time, _)| time)
    }

    fn push(&mut self, time: Time, task: Entry) {
        let heap = &mut self.heap;
        heap.push((time, task));
        let mut at = heap.len() - 1;
        while at > 0 {
            let parent = (at - 1) / 2;
            if heap[at].0 >= heap[parent].0 {
                break;
            }
            heap.swap(at, parent);
            at = parent;
        }
    }

    /// The next event if it is at `now`.
    fn pop_at(&mut self, now: Time) -> Option<Entry> {
        if let Some(task) = self.within_event.pop_front() {
            return Some(task);
        }
        let heap = &mut self.heap;
        if heap.first()?.0 != now {
            return None;
        }
        let (_, task) = heap.swap_remove(0);
        let mut at = 0;
        loop {
            let (left, right) = (2 * at + 1, 2 * at + 2);
            let Some(&(left_time, _)) = heap.get(left) else {
                break;
            };
            let right_time = heap.get(right).map(|&(time, _)| time);
            let earlier = match right_time {
                Some(right_time) if right_time <= left_time => right,
                _ => left,
            };
            if heap[earlier].0 >= heap[at].0 {
                break;
            }
            heap.swap(at, earlier);
            at = earlier;
        }
        Some(task)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(task: u32) -> Entry {
        Entry::one(TaskId::from_index(task as usize))
    }

    fn first(entry: Entry) -> u32 {
        entry.first().index() as u32
    }

    fn drain(q: &mut EventQueue) -> Vec<(Time, u32)> {
        let mut out = Vec::new();
        while let Some(t) = q.next_time() {
            out.push((t, first(q.pop_current().unwrap())));
        }
        out
    }

    #[test]
    fn entries_carry_one_or_two_tasks() {
        assert_eq!((first(one(7)), one(7).second()), (7, None));
        let (last, zero) = (
            TaskId::from_index(u32::MAX as usize - 1),
            TaskId::from_index(0),
        );
        let pair = Entry::pair(last, zero);
        assert_eq!((pair.first(), pair.second()), (last, Some(zero)));
        assert_eq!((pair.circuit_event(), one(7).circuit_event()), (None, None));
        assert_eq!(Entry::circuit(u32::MAX).circuit_event(), Some(u32::MAX));
        assert_eq!(Entry::circuit(0).circuit_event(), Some(0));
    }

    #[test]
    fn same_time_events_keep_push_order_across_wheel_and_heap() {
        let mut q = EventQueue::new();
        q.push(5000, one(1)); // far: goes to the heap
        q.push(3, one(2));
        q.push(3, one(3));
        q.push(0, one(4));
        q.push(5000, one(5)); // far, after 1
        assert_eq!(q.next_time(), Some(0));
        assert_eq!(q.pop_current().map(first), Some(4));
        assert_eq!(q.next_time(), Some(3));
        assert_eq!(q.pop_current().map(first), Some(2));
        // Now pushing at 5000 from time 3 is still far; it must come after 1 and 5.
        q.push(5000, one(6));
        assert_eq!(drain(&mut q), vec![(3, 3), (5000, 1), (5000, 5), (5000, 6)]);
    }

    #[test]
    fn heap_events_enter_the_wheel_before_later_direct_pushes() {
        let mut q = EventQueue::new();
        q.push(2000, one(7)); // far
        q.push(1500, one(8)); // far
        assert_eq!(q.next_time(), Some(1500));
        assert_eq!(q.pop_current().map(first), Some(8));
        q.push(2000, one(9)); // within the span now: must follow 7
        let mut walked = Vec::new();
        q.for_each(|time, entry| walked.push((time, first(entry))));
        walked.sort();
        assert_eq!(walked, vec![(2000, 7), (2000, 9)]);
        assert_eq!(drain(&mut q), vec![(2000, 7), (2000, 9)]);
        assert_eq!(q.len(), 0);
    }

    #[test]
    fn ordering_matches_a_sorted_reference() {
        // A deterministic pseudo-random mix of near and far pushes interleaved with pops.
        let mut q = EventQueue::new();
        let mut reference: Vec<(Time, u64, u32)> = Vec::new();
        let mut x: u64 = 12345;
        let mut now = 0;
        let mut popped = Vec::new();
        let mut expected = Vec::new();
        for (seq, round) in (0..2000u32).enumerate() {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let delta = if x >> 60 == 0 {
                (x >> 20) % 100_000
            } else {
                (x >> 20) % 40
            };
            q.push(now + delta, one(round));
            reference.push((now + delta, seq as u64, round));
            if round % 3 == 0 {
                reference.sort();
                let (t, _, task) = reference.remove(0);
                expected.push((t, task));
                now = q.next_time().unwrap();
                popped.push((now, first(q.pop_current().unwrap())));
            }
        }
        reference.sort();
        expected.extend(reference.iter().map(|&(t, _, task)| (t, task)));
        popped.extend(drain(&mut q));
        assert_eq!(popped, expected);
    }

    #[test]
    fn actsims_order_follows_the_heaps_shape_and_runs_within_event_tasks_first() {
        let mut q = EventQueue::new();
        q.order_as_actsim();
        q.push(10, one(1));
        q.push(10, one(2));
        q.push(10, one(3));
        q.push(5, one(4));
        q.push_within_event(0, one(5));
        // The task queued within the current event comes first; then by time, and among
        // equal times as the heap's shape has them (the earlier event 4 moved up past 2 and
        // 1, and each leaf moved to the root stays there when its children are no
        // earlier): not in push order.
        let mut walked = Vec::new();
        q.for_each(|time, entry| walked.push((time, first(entry))));
        // The walk of `pending -v`: the current event's task, then the heap's array.
        assert_eq!(walked, vec![(0, 5), (5, 4), (10, 1), (10, 3), (10, 2)]);
        assert_eq!(
            drain(&mut q),
            vec![(0, 5), (5, 4), (10, 2), (10, 3), (10, 1)]
        );
        assert_eq!(q.len(), 0);
    }
}
