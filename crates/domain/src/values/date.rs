use crate::error::{FieldError, Rule};
use std::fmt;
use time::macros::{date, format_description};
use time::Date;

/// A calendar date, `YYYY-MM-DD`, within `earliest..=latest` (the caller's window: a
/// delivery within the coming year, a payment received this year).
pub fn parse_date_within(
    field: &'static str,
    input: &str,
    earliest: Date,
    latest: Date,
) -> Result<Date, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, Rule::Required));
    }
    let date = Date::parse(s, format_description!("[year]-[month]-[day]"))
        .map_err(|_| FieldError::new(field, Rule::InvalidDate))?;
    if date < earliest || date > latest {
        return Err(FieldError::new(field, Rule::InvalidDate));
    }
    Ok(date)
}

/// A date of birth, `YYYY-MM-DD`, between 1900 and the given day.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct BirthDate(Date);

impl BirthDate {
    /// `today` comes from the caller: the domain has no clock.
    pub fn parse(field: &'static str, input: &str, today: Date) -> Result<Self, FieldError> {
        parse_date_within(field, input, date!(1900 - 01 - 01), today).map(Self)
    }

    pub fn date(&self) -> Date {
        self.0
    }
}

impl fmt::Display for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Debug for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BirthDate(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn parses_real_past_dates_only() {
        let today = date!(2026 - 11 - 29);
        assert_eq!(
            BirthDate::parse("birth_date", "1985-02-28", today).map(|d| d.to_string()),
            Ok("1985-02-28".into())
        );
        for bad in [
            "1985-02-30",
            "85-02-01",
            "2027-01-01",
            "1899-12-31",
            "yesterday",
        ] {
            assert!(BirthDate::parse("birth_date", bad, today).is_err(), "{bad}");
        }
    }
}
