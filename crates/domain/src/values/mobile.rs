use crate::error::{FieldError, Rule};
use std::fmt;

/// A mainland China mobile number, stored as its 11 digits.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Mobile(String);

impl Mobile {
    /// Accepts the forms people type: spaces, dashes and a `+86`/`86` prefix are removed.
    pub fn parse(field: &'static str, input: &str) -> Result<Self, FieldError> {
        let digits: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
            .collect();
        if digits.is_empty() {
            return Err(FieldError::new(field, Rule::Required));
        }
        let digits = digits
            .strip_prefix("+86")
            .or_else(|| digits.strip_prefix("0086"))
            .or_else(|| {
                (digits.len() == 13)
                    .then(|| digits.strip_prefix("86"))
                    .flatten()
            })
            .unwrap_or(&digits);
        let valid = digits.len() == 11
            && digits.bytes().all(|b| b.is_ascii_digit())
            && digits.starts_with('1')
            && matches!(digits.as_bytes()[1], b'3'..=b'9');
        if valid {
            Ok(Self(digits.to_string()))
        } else {
            Err(FieldError::new(field, Rule::InvalidMobile))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Never prints the number: `Debug` output ends up in logs.
impl fmt::Debug for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Mobile(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_forms() {
        for input in [
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "+8613812345678",
            "8613812345678",
        ] {
            assert_eq!(
                Mobile::parse("mobile", input).map(|m| m.0),
                Ok("13812345678".into()),
                "{input}"
            );
        }
    }

    #[test]
    fn rejects_what_is_not_a_mainland_mobile() {
        for input in [
            "",
            "1381234567",
            "138123456789",
            "12812345678",
            "23812345678",
            "1381234567a",
        ] {
            assert!(Mobile::parse("mobile", input).is_err(), "{input}");
        }
    }

    #[test]
    fn debug_hides_the_number() {
        let m = Mobile::parse("mobile", "13812345678").expect("valid");
        assert!(!format!("{m:?}").contains("1381"));
    }
}
