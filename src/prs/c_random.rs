//! The C library's `random()` (glibc's default generator: an additive feedback generator over
//! 31 words, seeded by `srandom`), written anew from its published algorithm. actsim draws
//! `rand_init`'s values from it without ever seeding it, so a run reproduces actsim's values
//! from glibc's default state, seed 1.

/// The generator's state: 31 words and the two taps reading them.
#[derive(Clone, Debug)]
pub(crate) struct CRandom {
    words: [u32; 31],
    front: usize,
    rear: usize,
}

impl CRandom {
    /// The state `srandom(seed)` leaves (seed 0 is seed 1, as in glibc).
    pub(crate) fn new(seed: u32) -> Self {
        let seed = seed.max(1);
        let mut words = [0u32; 31];
        words[0] = seed;
        // Park and Miller's minimal standard generator fills the rest (Schrage's method, as C
        // computes it, from the seed as a signed 32-bit word).
        let mut word = i64::from(seed as i32);
        for slot in words.iter_mut().skip(1) {
            let (hi, lo) = (word / 127_773, word % 127_773);
            word = 16_807 * lo - 2_836 * hi;
            if word < 0 {
                word += 2_147_483_647;
            }
            *slot = word as u32;
        }
        let mut random = CRandom {
            words,
            front: 3,
            rear: 0,
        };
        // glibc throws away the first 310 draws.
        for _ in 0..310 {
            random.next();
        }
        random
    }

    /// The next value of `random()`, 0 to 2^31 - 1.
    pub(crate) fn next(&mut self) -> u32 {
        let sum = self.words[self.front].wrapping_add(self.words[self.rear]);
        self.words[self.front] = sum;
        self.front = (self.front + 1) % self.words.len();
        self.rear = (self.rear + 1) % self.words.len();
        sum >> 1
    }
}

#[cfg(test)]
mod tests {
    use super::CRandom;

    #[test]
    fn the_default_state_gives_glibcs_first_values() {
        // What `random()` returns in a C program that never calls `srandom`.
        let mut random = CRandom::new(1);
        let first: Vec<u32> = (0..8).map(|_| random.next()).collect();
        assert_eq!(
            first,
            [
                1_804_289_383,
                846_930_886,
                1_681_692_777,
                1_714_636_915,
                1_957_747_793,
                424_238_335,
                719_885_386,
                1_649_760_492
            ]
        );
        assert_eq!(CRandom::new(0).next(), 1_804_289_383);
    }

    #[test]
    fn another_seed_gives_glibcs_values_for_it() {
        // srandom(seed); random() three times, as glibc gives them (a seed of 2^31 or more
        // is a negative word to it).
        for (seed, values) in [
            (12_345, [383_100_999, 858_300_821, 357_768_173]),
            (4_000_000_000, [1_111_130_805, 1_380_198_982, 1_306_113_867]),
        ] {
            let mut random = CRandom::new(seed);
            let first: Vec<u32> = (0..3).map(|_| random.next()).collect();
            assert_eq!(first, values, "seed {seed}");
        }
    }
}
