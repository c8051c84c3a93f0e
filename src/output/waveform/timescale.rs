//! The duration of a waveform's tick, as `--timescale` gives it.
use vcd::TimescaleUnit;

/// Parses a timescale such as `1ns`, `10ps`, `100 us` (the number may be omitted: `ns` is `1ns`).
/// VCD allows only 1, 10 or 100 of a unit among `s`, `ms`, `us`, `ns`, `ps`, `fs`.
pub fn parse_timescale(s: &str) -> Result<(u32, TimescaleUnit), TimescaleError> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit = unit.trim_start();
    let factor = if number.is_empty() {
        1
    } else {
        number
            .parse::<u32>()
            .map_err(|_| TimescaleError::BadNumber(s.to_string()))?
    };
    if !matches!(factor, 1 | 10 | 100) {
        return Err(TimescaleError::BadFactor(s.to_string()));
    }
    let unit =
        (unit.parse::<TimescaleUnit>()).map_err(|_| TimescaleError::BadUnit(s.to_string()))?;
    Ok((factor, unit))
}

/// A timescale [`parse_timescale`] does not accept (the text given is in each variant).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimescaleError {
    /// The number is not a number.
    #[error("invalid timescale `{0}`: bad number")]
    BadNumber(String),
    /// The number is not 1, 10 or 100.
    #[error("invalid timescale `{0}`: the number must be 1, 10 or 100")]
    BadFactor(String),
    /// The unit is not one VCD knows.
    #[error("invalid timescale `{0}`: the unit must be one of s, ms, us, ns, ps, fs")]
    BadUnit(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timescales_parse() {
        assert_eq!(parse_timescale("1ns"), Ok((1, TimescaleUnit::NS)));
        assert_eq!(parse_timescale("10ps"), Ok((10, TimescaleUnit::PS)));
        assert_eq!(parse_timescale(" 1 us "), Ok((1, TimescaleUnit::US)));
        assert_eq!(parse_timescale("100fs"), Ok((100, TimescaleUnit::FS)));
        assert_eq!(parse_timescale("ms"), Ok((1, TimescaleUnit::MS)));
        assert!(parse_timescale("3ns").is_err());
        assert!(parse_timescale("1 parsec").is_err());
        assert!(parse_timescale("").is_err());
        assert!(parse_timescale("-1ns").is_err());
    }
}
