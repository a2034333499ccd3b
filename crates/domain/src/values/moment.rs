//! A moment typed in a form, to the minute, in the store's zone (China Standard Time).

use crate::error::{FieldError, Rule};
use time::macros::{format_description, offset};
use time::PrimitiveDateTime;

/// A time as unix milliseconds, parsed from `YYYY-MM-DDTHH:MM` (an HTML
/// `datetime-local` input) or `YYYY-MM-DD HH:MM`, read in China Standard Time (UTC+8,
/// no daylight saving). Years 2000–2099: anything else is a typing mistake.
pub fn parse_local_minute(field: &'static str, input: &str) -> Result<i64, FieldError> {
    let s = input.trim().replacen(' ', "T", 1);
    if s.is_empty() {
        return Err(FieldError::new(field, Rule::Required));
    }
    let parsed = PrimitiveDateTime::parse(
        &s,
        format_description!("[year]-[month]-[day]T[hour]:[minute]"),
    )
    .map_err(|_| FieldError::new(field, Rule::InvalidDate))?;
    if !(2000..=2099).contains(&parsed.year()) {
        return Err(FieldError::new(field, Rule::InvalidDate));
    }
    let at = parsed.assume_offset(offset!(+8));
    Ok((at.unix_timestamp_nanos() / 1_000_000) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_china_time() {
        // 2026-01-02 09:30 in Beijing is 01:30 UTC.
        assert_eq!(
            parse_local_minute("due_at", "2026-01-02T09:30"),
            Ok(1_767_317_400_000)
        );
        assert_eq!(
            parse_local_minute("due_at", " 2026-01-02 09:30 "),
            Ok(1_767_317_400_000)
        );
    }

    #[test]
    fn refuses_what_is_not_a_minute() {
        for bad in [
            "2026-13-01T09:30",
            "tomorrow",
            "2026-01-02",
            "1999-01-01T00:00",
        ] {
            assert_eq!(
                parse_local_minute("due_at", bad).map_err(|e| e.rule),
                Err(Rule::InvalidDate),
                "{bad}"
            );
        }
        assert_eq!(
            parse_local_minute("due_at", "").map_err(|e| e.rule),
            Err(Rule::Required)
        );
    }
}
