use crate::error::{FieldError, Rule};
use std::fmt;
use time::{Date, Month};

/// An 18-character resident identity number (GB 11643-1999): region, birth date,
/// sequence and an ISO 7064 MOD 11-2 check character.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

impl IdNumber {
    pub fn parse(field: &'static str, input: &str) -> Result<Self, FieldError> {
        let s: String = input.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err(FieldError::new(field, Rule::Required));
        }
        let invalid = || FieldError::new(field, Rule::InvalidIdNumber);
        let body = s.get(..17).ok_or_else(invalid)?;
        if s.len() != 18 || !body.bytes().all(|b| b.is_ascii_digit()) || body.starts_with('0') {
            return Err(invalid());
        }
        if Self::check_char(body) != s.chars().last() {
            return Err(invalid());
        }
        birth_date_of(body).ok_or_else(invalid)?;
        Ok(Self(s))
    }

    /// The check character for the first 17 digits; `None` if they are not 17 digits.
    pub fn check_char(body: &str) -> Option<char> {
        if body.len() != 17 || !body.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let sum: u32 = body
            .bytes()
            .zip(WEIGHTS)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        Some(CHECK[(sum % 11) as usize])
    }

    pub fn birth_date(&self) -> Date {
        // Parsing already proved the date valid.
        birth_date_of(&self.0).unwrap_or(Date::MIN)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn birth_date_of(body: &str) -> Option<Date> {
    let year: i32 = body.get(6..10)?.parse().ok()?;
    let month: u8 = body.get(10..12)?.parse().ok()?;
    let day: u8 = body.get(12..14)?.parse().ok()?;
    if !(1900..=2100).contains(&year) {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdNumber(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_numbers_with_their_check_character() {
        // Public test numbers from the standard's examples.
        for ok in [
            "11010519491231002X",
            "440524198001010014",
            "110105194912310021",
        ] {
            let body = &ok[..17];
            let expected = IdNumber::check_char(body).expect("17 digits");
            let candidate = format!("{body}{expected}");
            assert!(
                IdNumber::parse("id_number", &candidate).is_ok(),
                "{candidate}"
            );
        }
        assert!(IdNumber::parse("id_number", "11010519491231002x").is_ok());
    }

    #[test]
    fn rejects_wrong_check_length_or_date() {
        for bad in [
            "110105194912310020",
            "1101051949123100",
            "11010519491331002X",
            "A1010519491231002X",
            "",
        ] {
            assert!(IdNumber::parse("id_number", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn birth_date_is_read_from_the_number() {
        let id = IdNumber::parse("id_number", "11010519491231002X").expect("valid");
        assert_eq!(id.birth_date().to_string(), "1949-12-31");
    }
}
