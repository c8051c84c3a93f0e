//! The engine's event queue: a time wheel of FIFO buckets with a bitmap of the buckets that
//! hold events, so that finding the next time is a few word tests however sparse the events
//! are (a ring oscillator has one transition in flight), and a heap for events beyond the
//! wheel's span. Events at one time come out in the order they were pushed.
//!
//! A bucket is a list linked through the events themselves (`next`, by event): the events
//! are the engine's slots, small dense numbers, each queued once at a time, so the wheel is
//! two words per bucket and pushing or popping touches one link, not a buffer per bucket.
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::kernel::Time;

const SLOTS: usize = 1024;
const MASK: u64 = SLOTS as u64 - 1;
const WORDS: usize = SLOTS / 64;
/// No event: the end of a bucket's list.
const END: u32 = u32::MAX;

/// A bucket's list: its first and last event (`first` is [`END`] when it is empty).
#[derive(Clone, Copy)]
struct Bucket {
    first: u32,
    last: u32,
}

pub(super) struct Queue {
    /// The time of the bucket being drained; no event is earlier.
    cursor: Time,
    buckets: Box<[Bucket; SLOTS]>,
    /// By event: the event after it in its bucket, or [`END`].
    next: Vec<u32>,
    /// Bit `i` set: bucket `i` holds events.
    occupied: [u64; WORDS],
    in_wheel: usize,
    far: BinaryHeap<Reverse<(Time, u64, u32)>>,
    far_seq: u64,
}

impl Queue {
    pub(super) fn new() -> Self {
        Self {
            cursor: 0,
            buckets: Box::new(
                [Bucket {
                    first: END,
                    last: END,
                }; SLOTS],
            ),
            next: Vec::new(),
            occupied: [0; WORDS],
            in_wheel: 0,
            far: BinaryHeap::new(),
            far_seq: 0,
        }
    }

    /// Queues `event` at `time` (a time before the cursor counts as the cursor's). An event
    /// is a small number that is not in the queue already (the engine's slot of it).
    #[inline(always)]
    pub(super) fn push(&mut self, time: Time, event: u32) {
        let time = time.max(self.cursor);
        if time - self.cursor < SLOTS as u64 {
            self.push_near(time, event);
        } else {
            self.far.push(Reverse((time, self.far_seq, event)));
            self.far_seq += 1;
        }
    }

    #[inline]
    fn push_near(&mut self, time: Time, event: u32) {
        let slot = (time & MASK) as usize;
        let at = event as usize;
        if at >= self.next.len() {
            self.next.resize(at + 1, END);
        }
        self.next[at] = END;
        let bucket = &mut self.buckets[slot];
        if bucket.first == END {
            bucket.first = event;
            self.occupied[slot / 64] |= 1 << (slot % 64);
        } else {
            self.next[bucket.last as usize] = event;
        }
        bucket.last = event;
        self.in_wheel += 1;
    }

    /// The time of the earliest event, without moving the cursor.
    #[inline]
    pub(super) fn peek_time(&self) -> Option<Time> {
        if self.in_wheel == 0 {
            return self.far.peek().map(|Reverse((time, _, _))| *time);
        }
        let start = (self.cursor & MASK) as usize;
        // From the cursor's bucket to the end of the wheel, then around from its start.
        let first_word = self.occupied[start / 64] & (u64::MAX << (start % 64));
        let found = if first_word != 0 {
            Some(start / 64 * 64 + first_word.trailing_zeros() as usize)
        } else {
            (1..=WORDS).find_map(|k| {
                let w = (start / 64 + k) % WORDS;
                let bits = self.occupied[w];
                (bits != 0).then(|| w * 64 + bits.trailing_zeros() as usize)
            })
        }?;
        Some(self.cursor + ((found + SLOTS - start) % SLOTS) as u64)
    }

    /// Moves the cursor to `time` (no event may be earlier), bringing the heap's events that
    /// are now within the wheel's span into their buckets. They were pushed before any event
    /// that went straight into the same bucket, so they keep their FIFO place.
    #[inline]
    pub(super) fn advance(&mut self, time: Time) {
        debug_assert!(time >= self.cursor);
        self.cursor = time;
        if !self.far.is_empty() {
            self.bring_near();
        }
    }

    /// Moves the heap's events within the wheel's span from the cursor into their buckets
    /// (out of line: most circuits' delays are all within the wheel's span).
    #[inline(never)]
    fn bring_near(&mut self) {
        while let Some(&Reverse((t, _, event))) = self.far.peek() {
            if t - self.cursor >= SLOTS as u64 {
                break;
            }
            self.far.pop();
            self.push_near(t, event);
        }
    }

    /// The next event at `time`, the earliest (the cursor moves on to it).
    #[inline]
    pub(super) fn pop_current_at(&mut self, time: Time) -> Option<u32> {
        if time != self.cursor {
            self.advance(time);
        }
        self.pop_current()
    }

    /// The next event at the cursor's time, if any.
    #[inline]
    pub(super) fn pop_current(&mut self) -> Option<u32> {
        let slot = (self.cursor & MASK) as usize;
        let bucket = &mut self.buckets[slot];
        let event = bucket.first;
        if event == END {
            return None;
        }
        bucket.first = self.next[event as usize];
        if bucket.first == END {
            self.occupied[slot / 64] &= !(1 << (slot % 64));
        }
        self.in_wheel -= 1;
        Some(event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(q: &mut Queue) -> Vec<(Time, u32)> {
        let mut out = Vec::new();
        while let Some(t) = q.peek_time() {
            q.advance(t);
            while let Some(e) = q.pop_current() {
                out.push((t, e));
            }
        }
        out
    }

    #[test]
    fn events_come_out_in_time_then_push_order_across_wheel_and_heap() {
        let mut q = Queue::new();
        q.push(5000, 1); // far
        q.push(3, 2);
        q.push(3, 3);
        q.push(1023, 4);
        q.push(5000, 5);
        q.push(0, 6);
        assert_eq!(q.peek_time(), Some(0));
        q.advance(0);
        assert_eq!(q.pop_current(), Some(6));
        assert_eq!(q.peek_time(), Some(3));
        q.advance(3);
        assert_eq!(q.pop_current(), Some(2));
        q.push(1500, 7); // within reach of 3? no: 1497 ahead, far
        q.push(1026, 8); // wraps around the wheel
        assert_eq!(
            drain(&mut q),
            vec![
                (3, 3),
                (1023, 4),
                (1026, 8),
                (1500, 7),
                (5000, 1),
                (5000, 5)
            ]
        );
        assert_eq!(q.peek_time(), None);
    }

    #[test]
    fn an_event_popped_can_be_queued_again_behind_those_still_waiting() {
        let mut q = Queue::new();
        q.push(5, 0);
        q.push(5, 1);
        q.push(7, 2);
        q.advance(5);
        assert_eq!(q.pop_current(), Some(0));
        q.push(5, 0); // the slot is free again: it goes last in its bucket
        q.push(2000, 3);
        assert_eq!(drain(&mut q), vec![(5, 1), (5, 0), (7, 2), (2000, 3)]);
    }

    #[test]
    fn ordering_matches_a_sorted_reference() {
        let mut q = Queue::new();
        let mut reference: Vec<(Time, u64, u32)> = Vec::new();
        let mut x: u64 = 99;
        let mut now = 0;
        let (mut popped, mut expected) = (Vec::new(), Vec::new());
        for (seq, round) in (0..3000u32).enumerate() {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let delta = if x >> 61 == 0 {
                (x >> 20) % 50_000
            } else {
                (x >> 20) % 30
            };
            q.push(now + delta, round);
            reference.push((now + delta, seq as u64, round));
            if round % 3 == 0 {
                reference.sort();
                let (t, _, e) = reference.remove(0);
                expected.push((t, e));
                now = q.peek_time().unwrap();
                q.advance(now);
                popped.push((now, q.pop_current().unwrap()));
            }
        }
        reference.sort();
        expected.extend(reference.iter().map(|&(t, _, e)| (t, e)));
        popped.extend(drain(&mut q));
        assert_eq!(popped, expected);
    }
}
