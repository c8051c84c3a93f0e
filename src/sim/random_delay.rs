//! Random timing (`--random-delay MIN..MAX`, as actsim's `random min max`): every action whose
//! delay is not zero takes a delay drawn from the run's random stream
//! ([`super::random_stream`]) instead, uniformly from `MIN` to `MAX` ticks (both included). A
//! delay of zero (a fork, `log`, `@[after=0]`) stays zero, so what happens "at once" still
//! does. The draws come in event order, which is fixed, so a seed gives the same timing, byte
//! for byte.
//!
//! actsim's `random` draws as actsim does, from `d`, the stream's next `rand_r` value over
//! `RAND_MAX` (in [0, 1]): with a range, `min + d * (max - min)` cut to a whole number
//! ([`DelayRange::actsim_range`]: `max` itself only when `d` is 1, which it never is: no
//! seed makes `rand_r` return `RAND_MAX`); bare, from its own
//! spread, `exp(d * ln 2^16) - 1` ticks ([`DelayRange::actsim_spread`]: half the delays are
//! below 255 ticks, a quarter below 16, and the longest 2^16 - 1); a delay drawn as 0 is 1.
//! With `random -u` only the delays the design does not give are drawn
//! ([`DelayRange::unspecified_only`]).
use std::fmt;
use std::str::FromStr;

use super::random_stream::RandomStream;
use crate::kernel::Time;

/// Where delays are drawn from: a range (`1 <= min <= max`) uniformly (both ends included),
/// or (`min <= max`) as actsim's `random min max` draws; or actsim's spread of bare `random`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DelayRange {
    min: Time,
    max: Time,
    spread: Spread,
    /// Only delays the design leaves to the default are drawn (actsim's `random -u`).
    unspecified_only: bool,
}

/// How a [`DelayRange`] draws (see the module's text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spread {
    /// Uniformly from `min..=max`.
    Uniform,
    /// `min + d * (max - min)`, cut.
    ActsimRange,
    /// `exp(d * ln 2^16) - 1`, cut.
    ActsimExp,
}

/// `ln 2^16`, the top of actsim's spread: `d * LN_SPREAD` for `d` in [0, 1] is the logarithm
/// of one more than the delay. Written as actsim writes it (its last digits are not those of
/// `16 ln 2`), so that a delay cut to a whole number is cut where actsim cuts it.
#[allow(clippy::approx_constant, clippy::excessive_precision)]
const LN_SPREAD: f64 = 11.090_354_888_959_1;

/// Why a text or a pair of numbers is no [`DelayRange`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DelayRangeError {
    /// The text is not `MIN..MAX` with two numbers.
    #[error("expected MIN..MAX in ticks, e.g. 5..15 (got `{0}`)")]
    Form(String),
    /// `MIN` is 0.
    #[error(
        "the smallest delay must be at least 1 (got {min}..{max}): an action drawn to take no \
         time could make a loop run forever at one time"
    )]
    ZeroMin {
        /// The smallest delay given.
        min: Time,
        /// The largest delay given.
        max: Time,
    },
    /// `MIN` is larger than `MAX`.
    #[error("MIN must not be larger than MAX (got {min}..{max})")]
    Reversed {
        /// The smallest delay given.
        min: Time,
        /// The largest delay given.
        max: Time,
    },
}

impl DelayRange {
    /// The range `min..=max`; an error unless `1 <= min <= max` (see [`DelayRange::from_str`]).
    pub fn new(min: Time, max: Time) -> Result<Self, DelayRangeError> {
        if min == 0 {
            return Err(DelayRangeError::ZeroMin { min, max });
        }
        if min > max {
            return Err(DelayRangeError::Reversed { min, max });
        }
        Ok(Self {
            min,
            max,
            spread: Spread::Uniform,
            unspecified_only: false,
        })
    }

    /// actsim's `random min max` (`min <= max`): `min + d * (max - min)` ticks, cut to a
    /// whole number, `d` in [0, 1], and 1 instead of 0 (so `min` may be 0, as in
    /// actsim's `random -u N`).
    pub fn actsim_range(min: Time, max: Time) -> Result<Self, DelayRangeError> {
        if min > max {
            return Err(DelayRangeError::Reversed { min, max });
        }
        Ok(Self {
            min,
            max,
            spread: Spread::ActsimRange,
            unspecified_only: false,
        })
    }

    /// actsim's spread for bare `random`: `exp(d * ln 2^16) - 1` ticks cut to a whole number,
    /// `d` in [0, 1], and 1 instead of 0 (see the module's text).
    pub fn actsim_spread() -> Self {
        Self {
            min: 1,
            max: (1 << 16) - 1,
            spread: Spread::ActsimExp,
            unspecified_only: false,
        }
    }

    /// The same draws, only for the delays the design leaves to the default (actsim's
    /// `random -u`).
    pub fn unspecified_only(self) -> Self {
        Self {
            unspecified_only: true,
            ..self
        }
    }

    /// The smallest delay drawn.
    pub fn min(&self) -> Time {
        self.min
    }

    /// The largest delay drawn.
    pub fn max(&self) -> Time {
        self.max
    }

    /// The delay of a transition or action whose fixed delay is `fixed`, `specified` by the
    /// design (not the default; a CHP delay always is, actsim filling it from the
    /// configuration's default): zero stays zero, and so does a specified one under
    /// [`Self::unspecified_only`]; any other is drawn from `stream`.
    #[inline]
    pub(crate) fn draw_given(&self, fixed: Time, specified: bool, stream: &RandomStream) -> Time {
        if fixed == 0 || (specified && self.unspecified_only) {
            return fixed;
        }
        match self.spread {
            Spread::Uniform => {
                // The top 31 bits of `value * span`, a value of `span` from one below 2^31.
                let span = u128::from(self.max - self.min) + 1;
                self.min + ((u128::from(stream.next()) * span) >> 31) as Time
            }
            // As actsim computes them: in doubles, cut to a whole number.
            Spread::ActsimRange => {
                let d = stream.fraction();
                ((self.min as f64 + d * (self.max - self.min) as f64) as Time).max(1)
            }
            Spread::ActsimExp => {
                let d = stream.fraction();
                (((d * LN_SPREAD).exp() - 1.0) as Time).max(1)
            }
        }
    }
}

impl FromStr for DelayRange {
    type Err = DelayRangeError;

    /// `MIN..MAX` in ticks, e.g. `5..15`.
    fn from_str(s: &str) -> Result<Self, DelayRangeError> {
        let form = || DelayRangeError::Form(s.to_string());
        let (min, max) = s.split_once("..").ok_or_else(form)?;
        let number = |text: &str| text.trim().parse::<Time>().map_err(|_| form());
        Self::new(number(min)?, number(max)?)
    }
}

impl fmt::Display for DelayRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.spread {
            Spread::Uniform => write!(f, "{}..{}", self.min, self.max)?,
            Spread::ActsimRange => write!(f, "actsim-range-{}..{}", self.min, self.max)?,
            Spread::ActsimExp => write!(f, "actsim-spread")?,
        }
        match self.unspecified_only {
            true => write!(f, "-unspecified"),
            false => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_min_dot_dot_max_and_rejects_other_forms() {
        assert_eq!("5..15".parse(), DelayRange::new(5, 15));
        assert_eq!("7..7".parse(), DelayRange::new(7, 7));
        for bad in ["5", "5..", "..5", "a..b", "5..15..", "-1..5", "5...15", ""] {
            let err = bad.parse::<DelayRange>().unwrap_err();
            assert_eq!(err, DelayRangeError::Form(bad.into()));
            assert!(
                err.to_string().contains("expected MIN..MAX"),
                "{bad}: {err}"
            );
        }
        let reversed = "15..5".parse::<DelayRange>().unwrap_err();
        assert_eq!(reversed, DelayRangeError::Reversed { min: 15, max: 5 });
        assert!(reversed.to_string().contains("larger"));
        let zero = "0..5".parse::<DelayRange>().unwrap_err();
        assert_eq!(zero, DelayRangeError::ZeroMin { min: 0, max: 5 });
        assert!(zero.to_string().contains("at least 1"));
    }

    #[test]
    fn draws_stay_in_range_and_zero_stays_zero() {
        let range = DelayRange::new(3, 6).unwrap();
        let stream = RandomStream::new(1, None, false);
        let draws: Vec<Time> = (0..200)
            .map(|_| range.draw_given(10, false, &stream))
            .collect();
        assert!(draws.iter().all(|d| (3..=6).contains(d)));
        assert!((3..=6).all(|d| draws.contains(&d)), "every value comes up");
        assert_eq!(range.draw_given(0, false, &stream), 0);
    }

    #[test]
    fn actsims_spread_draws_mostly_short_delays_up_to_two_to_the_sixteen() {
        let spread = DelayRange::actsim_spread();
        let stream = RandomStream::new(7, None, false);
        let mut draws: Vec<Time> = (0..20_000)
            .map(|_| spread.draw_given(10, false, &stream))
            .collect();
        assert_eq!(
            spread.draw_given(0, false, &stream),
            0,
            "no delay stays none"
        );
        draws.sort_unstable();
        assert!(draws.iter().all(|d| (1..1 << 16).contains(d)));
        // exp(d * ln 2^16) - 1 < x  <=>  d < ln(x + 1) / 16 ln 2: the share below x.
        let share_below =
            |x: Time| draws.iter().filter(|&&d| d < x).count() as f64 / draws.len() as f64;
        for (x, expected) in [(2, 0.099), (16, 0.255), (256, 0.5), (4096, 0.75)] {
            let share = share_below(x);
            assert!(
                (share - expected).abs() < 0.02,
                "below {x}: {share}, expected {expected}"
            );
        }
        assert!(*draws.last().unwrap() > 50_000, "the long tail is drawn");
        assert_eq!(spread.to_string(), "actsim-spread");
    }

    #[test]
    fn actsims_range_never_reaches_its_top_and_u_leaves_specified_delays() {
        let range = DelayRange::actsim_range(3, 6).unwrap();
        let stream = RandomStream::new(3, None, false);
        let draws: Vec<Time> = (0..400)
            .map(|_| range.draw_given(10, false, &stream))
            .collect();
        assert!(
            (3..=5).all(|d| draws.contains(&d)),
            "every value below the top"
        );
        assert!(draws.iter().all(|d| (3..6).contains(d)));
        assert_eq!(
            DelayRange::actsim_range(7, 7)
                .unwrap()
                .draw_given(10, false, &stream),
            7
        );
        let only = DelayRange::actsim_spread().unspecified_only();
        assert_eq!(
            only.draw_given(25, true, &stream),
            25,
            "a given delay stays"
        );
        assert_ne!(
            (0..20)
                .map(|_| only.draw_given(10, false, &stream))
                .collect::<Vec<_>>(),
            vec![10; 20],
            "a default one is drawn"
        );
        assert_eq!(only.to_string(), "actsim-spread-unspecified");
        assert_eq!(range.to_string(), "actsim-range-3..6");
    }

    #[test]
    fn actsims_range_from_zero_draws_zero_as_one() {
        // actsim's `random -u 4 ...` is the range 0..4: floor(d * 4), and a 0 drawn is 1.
        let range = DelayRange::actsim_range(0, 4).unwrap();
        let stream = RandomStream::new(5, None, false);
        let draws: Vec<Time> = (0..400)
            .map(|_| range.draw_given(10, false, &stream))
            .collect();
        assert!((1..=3).all(|d| draws.contains(&d)), "{draws:?}");
        assert!(draws.iter().all(|d| (1..4).contains(d)));
        let ones = draws.iter().filter(|&&d| d == 1).count();
        assert!(ones > 150, "0 and 1 both give 1: {ones} of 400");
        assert_eq!(
            DelayRange::actsim_range(5, 4),
            Err(DelayRangeError::Reversed { min: 5, max: 4 })
        );
    }
}
