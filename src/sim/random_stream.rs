//! The run's one stream of random numbers, as actsim draws them: C's `rand_r` on one seed
//! that every random delay and every random choice of the run advances, CHP and production
//! rules alike, in the order they draw (the order of events). actsim's seed starts at 0 and
//! its `random_seed N` sets it, also in the middle of a run; chpsim's `--seed` is the same
//! seed (modulo 2^32, `rand_r`'s state being a C `unsigned`).
//!
//! The stream is shared through an `Rc` of cells: drawing takes no lock and allocates nothing.
use std::cell::Cell;

use super::DelayRange;
use crate::kernel::Time;

/// The largest value [`rand_r`] returns (C's `RAND_MAX` in glibc).
pub(crate) const RAND_MAX: u32 = 0x7fff_ffff;

/// The C library's `rand_r`, as glibc has it (three steps of the linear congruential
/// generator of ISO C's example, 31 bits).
pub(crate) fn rand_r(seed: &mut u32) -> u32 {
    let mut next = *seed;
    let mut step = || {
        next = next.wrapping_mul(1_103_515_245).wrapping_add(12345);
        next / 65536
    };
    let mut result = step() % 2048;
    result = (result << 10) ^ (step() % 1024);
    result = (result << 10) ^ (step() % 1024);
    *seed = next;
    result
}

/// The run's stream (see the module's text), and what draws from it now: the spread of random
/// delays, if any, and whether `[| |]` and `mk_excl*` groups draw their choices (actsim's
/// `random`, `norandom` and `random_choice`, which may change in the middle of a run).
/// Shared by the processes and the circuit through an `Rc`.
#[derive(Debug, Default)]
pub(crate) struct RandomStream {
    seed: Cell<u32>,
    delays: Cell<Option<DelayRange>>,
    choices: Cell<bool>,
}

impl RandomStream {
    /// A stream from `seed` (actsim's `random_seed`), drawing `delays` and, if `choices`,
    /// choices.
    pub(crate) fn new(seed: u32, delays: Option<DelayRange>, choices: bool) -> Self {
        Self {
            seed: Cell::new(seed),
            delays: Cell::new(delays),
            choices: Cell::new(choices),
        }
    }

    /// Starts the stream again from `seed`, for everything that shares it.
    pub(crate) fn reseed(&self, seed: u32) {
        self.seed.set(seed);
    }

    /// Where delays are drawn from from now on (`None`: every delay is the fixed one).
    pub(crate) fn set_delays(&self, delays: Option<DelayRange>) {
        self.delays.set(delays);
    }

    /// Whether choices are drawn from now on.
    pub(crate) fn set_choices(&self, on: bool) {
        self.choices.set(on);
    }

    /// Whether choices are drawn now.
    #[inline]
    pub(crate) fn choices(&self) -> bool {
        self.choices.get()
    }

    /// The delay of an action or transition whose fixed delay is `fixed`, `specified` by the
    /// design or not (see [`DelayRange::draw_given`]): drawn while delays are random.
    #[inline]
    pub(crate) fn delay(&self, fixed: Time, specified: bool) -> Time {
        match self.delays.get() {
            None => fixed,
            Some(range) => range.draw_given(fixed, specified, self),
        }
    }

    /// The next `rand_r` value, 0 to [`RAND_MAX`].
    #[inline]
    pub(crate) fn next(&self) -> u32 {
        let mut seed = self.seed.get();
        let value = rand_r(&mut seed);
        self.seed.set(seed);
        value
    }

    /// actsim's `d`: the next value over [`RAND_MAX`], in [0, 1] (1 included).
    #[inline]
    pub(crate) fn fraction(&self) -> f64 {
        f64::from(self.next()) / f64::from(RAND_MAX)
    }

    /// actsim's `getRandom(n)`, a choice among `n > 0`: the next value modulo `n`.
    #[inline]
    pub(crate) fn below(&self, n: usize) -> usize {
        self.next() as usize % n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rand_r_gives_the_c_library_sequence() {
        // glibc's rand_r from seeds 1 and 0 (printed by a C program).
        let mut seed = 1;
        let got: Vec<u32> = (0..3).map(|_| rand_r(&mut seed)).collect();
        assert_eq!(got, [476_707_713, 1_186_278_907, 505_671_508]);
        let stream = RandomStream::new(0, None, false);
        let got: Vec<u32> = (0..3).map(|_| stream.next()).collect();
        assert_eq!(got, [1_012_484, 1_716_955_679, 1_792_309_082]);
    }

    #[test]
    fn reseeding_starts_the_stream_over_and_fractions_reach_one() {
        let stream = RandomStream::new(0, None, false);
        let first = stream.next();
        stream.reseed(0);
        assert_eq!(stream.next(), first);
        assert!((0.0..=1.0).contains(&stream.fraction()));
        assert_eq!(RandomStream::new(0, None, false).below(3), 1_012_484 % 3);
    }

    #[test]
    fn fixed_delays_stay_until_delays_are_random() {
        let stream = RandomStream::new(0, None, false);
        assert_eq!(stream.delay(10, false), 10);
        stream.set_delays(Some(DelayRange::actsim_range(5, 15).unwrap()));
        // d = 1012484 / RAND_MAX: 5 + 0.00047 * 10 is 5.
        assert_eq!(stream.delay(10, false), 5);
        assert_eq!(stream.delay(0, false), 0, "no delay stays none");
    }
}
