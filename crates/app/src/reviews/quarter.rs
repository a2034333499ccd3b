//! Quarters of the calendar year (`2026-Q4`): what names an access review. Pure.

use dealervault_domain::error::{FieldError, Rule};
use std::fmt;
use time::{Date, Month};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Quarter {
    year: i32,
    /// 1 to 4.
    number: u8,
}

impl Quarter {
    /// The quarter a day falls in.
    pub fn of(day: Date) -> Self {
        Self {
            year: day.year(),
            number: (u8::from(day.month()) - 1) / 3 + 1,
        }
    }

    /// `YYYY-Qn`, as typed (surrounding spaces and a lower-case `q` allowed).
    pub fn parse(field: &'static str, input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::new(field, Rule::Required));
        }
        let invalid = || FieldError::new(field, Rule::UnknownValue);
        let (year, number) = s.split_once(['Q', 'q']).ok_or_else(invalid)?;
        let year = year.strip_suffix('-').ok_or_else(invalid)?;
        if year.len() != 4 || number.len() != 1 {
            return Err(invalid());
        }
        let year: i32 = year.parse().map_err(|_| invalid())?;
        let number: u8 = number.parse().map_err(|_| invalid())?;
        if !(2000..=2999).contains(&year) || !(1..=4).contains(&number) {
            return Err(invalid());
        }
        Ok(Self { year, number })
    }

    /// Its first day: 1 January, 1 April, 1 July or 1 October.
    pub fn first_day(self) -> Date {
        let month = Month::try_from(self.number * 3 - 2).unwrap_or(Month::January);
        Date::from_calendar_date(self.year, month, 1).unwrap_or(Date::MIN)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_day_falls_in_its_quarter() {
        for (day, code) in [
            (date!(2026 - 01 - 01), "2026-Q1"),
            (date!(2026 - 03 - 31), "2026-Q1"),
            (date!(2026 - 04 - 01), "2026-Q2"),
            (date!(2026 - 09 - 30), "2026-Q3"),
            (date!(2026 - 12 - 31), "2026-Q4"),
        ] {
            assert_eq!(Quarter::of(day).to_string(), code);
        }
        assert_eq!(
            Quarter::of(date!(2026 - 11 - 15)).first_day(),
            date!(2026 - 10 - 01)
        );
    }

    #[test]
    fn only_year_and_quarter_number_parse() {
        let q = Quarter::parse("quarter", " 2026-q4 ").expect("parses");
        assert_eq!(q.to_string(), "2026-Q4");
        for bad in [
            "2026-Q5", "2026-Q0", "2026Q4", "26-Q4", "2026-Q44", "Q4-2026", "x",
        ] {
            assert_eq!(
                Quarter::parse("quarter", bad).map_err(|e| e.rule),
                Err(Rule::UnknownValue),
                "{bad}"
            );
        }
        assert_eq!(
            Quarter::parse("quarter", "").map_err(|e| e.rule),
            Err(Rule::Required)
        );
    }
}
