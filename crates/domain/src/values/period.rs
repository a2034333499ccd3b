//! A report's period: whole days in the store's zone (China Standard Time), typed as
//! `YYYY-MM-DD` and read at the edge.

use crate::error::{FieldError, Rule};
use time::macros::{format_description, offset};
use time::{Date, Duration};

/// The first and last day of a report, both included, at most [`Period::MAX_DAYS`] long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    from: Date,
    to: Date,
}

impl Period {
    /// A year and a leap day: longer spans cost more to count and say little more.
    pub const MAX_DAYS: i64 = 366;
    /// What a report covers when no period is asked for: the last thirty days.
    pub const DEFAULT_DAYS: i64 = 30;

    /// `from` and `to` as typed; a missing one defaults to the last thirty days up to
    /// `today` (the caller's clock: the domain has none). Every refusal names its field.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        today: Date,
    ) -> Result<Self, Vec<FieldError>> {
        let day = |field: &'static str, s: &str| {
            Date::parse(s, format_description!("[year]-[month]-[day]"))
                .ok()
                .filter(|d| (2000..=2099).contains(&d.year()))
                .ok_or_else(|| FieldError::new(field, Rule::InvalidDate))
        };
        let from = given(from).map(|s| day("from", s)).transpose();
        let to = given(to).map(|s| day("to", s)).transpose();
        let (from, to) = match (from, to) {
            (Ok(from), Ok(to)) => {
                let to = to.unwrap_or(today);
                let from = from.unwrap_or(to - Duration::days(Self::DEFAULT_DAYS - 1));
                (from, to)
            }
            (from, to) => return Err(from.err().into_iter().chain(to.err()).collect()),
        };
        if from > to {
            // The end is no valid end for this start.
            return Err(vec![FieldError::new("to", Rule::InvalidDate)]);
        }
        if (to - from).whole_days() + 1 > Self::MAX_DAYS {
            return Err(vec![FieldError::new("from", Rule::TooBroad)]);
        }
        Ok(Self { from, to })
    }

    pub fn from(&self) -> Date {
        self.from
    }

    pub fn to(&self) -> Date {
        self.to
    }

    /// The period as unix milliseconds, `[start, end)`: local midnight of the first day
    /// to local midnight after the last.
    pub fn bounds_ms(&self) -> (i64, i64) {
        let midnight = |d: Date| {
            let at = d.midnight().assume_offset(offset!(+8));
            (at.unix_timestamp_nanos() / 1_000_000) as i64
        };
        (
            midnight(self.from),
            midnight(self.to.next_day().unwrap_or(self.to)),
        )
    }
}

/// Absent or blank is not given.
fn given(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 03 - 15);

    fn fields(e: Vec<FieldError>) -> Vec<(&'static str, Rule)> {
        e.into_iter().map(|e| (e.field, e.rule)).collect()
    }

    #[test]
    fn defaults_to_the_last_thirty_days() {
        let p = Period::parse(None, Some(" "), TODAY).expect("default");
        assert_eq!((p.from(), p.to()), (date!(2026 - 02 - 14), TODAY));
        let p = Period::parse(None, Some("2026-01-31"), TODAY).expect("to only");
        assert_eq!(p.from(), date!(2026 - 01 - 02));
    }

    #[test]
    fn bounds_are_china_midnights() {
        let p = Period::parse(Some("2026-01-02"), Some("2026-01-02"), TODAY).expect("a day");
        // 2026-01-02 00:00 in Beijing is 2026-01-01 16:00 UTC.
        assert_eq!(p.bounds_ms(), (1_767_283_200_000, 1_767_369_600_000));
    }

    #[test]
    fn refusals_name_the_field() {
        let bad =
            |from, to| fields(Period::parse(Some(from), Some(to), TODAY).expect_err("refused"));
        assert_eq!(
            bad("2026-13-01", "x"),
            [("from", Rule::InvalidDate), ("to", Rule::InvalidDate)]
        );
        assert_eq!(
            bad("1999-01-01", "2026-01-01"),
            [("from", Rule::InvalidDate)]
        );
        assert_eq!(bad("2026-02-02", "2026-02-01"), [("to", Rule::InvalidDate)]);
        assert_eq!(bad("2024-01-01", "2025-01-01"), [("from", Rule::TooBroad)]);
        // A leap year's 366 days are allowed.
        assert!(Period::parse(Some("2024-01-01"), Some("2024-12-31"), TODAY).is_ok());
    }
}
