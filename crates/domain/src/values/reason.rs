use crate::error::{FieldError, Rule};

/// Why someone reveals a value or comments on an alert: free text that goes into the
/// audit log, which is never rewritten or erased. So it may not carry a contact number:
/// a mobile or ID number typed into a reason would outlive the customer's erasure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

/// A run of this many digits (spaces and dashes between them ignored) looks like a
/// mobile (11) or an ID number (18, or 17 and a check letter).
const CONTACT_DIGITS: usize = 11;

impl Reason {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(field: &'static str, input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::new(field, Rule::Required));
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::new(
                field,
                Rule::TooLong {
                    max: Self::MAX_CHARS,
                },
            ));
        }
        if s.chars().any(char::is_control) {
            return Err(FieldError::new(field, Rule::InvalidCharacters));
        }
        if holds_contact_number(s) {
            return Err(FieldError::new(field, Rule::HoldsPersonalData));
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

fn holds_contact_number(s: &str) -> bool {
    let mut run = 0;
    for c in s.chars() {
        match c {
            // Full-width digits too: an IME may type them.
            '0'..='9' | '０'..='９' => {
                run += 1;
                if run >= CONTACT_DIGITS {
                    return true;
                }
            }
            ' ' | '-' | '\u{3000}' if run > 0 => {}
            _ => run = 0,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_without_numbers_pass() {
        for ok in [
            "回访确认",
            "客户 3 月 15 日来电，核对订单 2026-0315",
            "call back 10 times",
        ] {
            assert_eq!(
                Reason::parse("reason", ok).map(|r| r.into_string()),
                Ok(ok.into())
            );
        }
    }

    #[test]
    fn contact_numbers_are_refused_however_written() {
        for bad in [
            "客户13812345678要求回电",
            "call 138 1234 5678",
            "138-1234-5678 回访",
            "身份证 11010519491231002X 核对",
            "１３８１２３４５６７８",
        ] {
            assert_eq!(
                Reason::parse("reason", bad),
                Err(FieldError::new("reason", Rule::HoldsPersonalData)),
                "{bad}"
            );
        }
    }

    #[test]
    fn blank_long_and_control_characters_are_refused() {
        assert_eq!(
            Reason::parse("reason", "  "),
            Err(FieldError::new("reason", Rule::Required))
        );
        assert_eq!(
            Reason::parse("reason", &"长".repeat(201)),
            Err(FieldError::new("reason", Rule::TooLong { max: 200 }))
        );
        assert_eq!(
            Reason::parse("reason", "a\u{7}b"),
            Err(FieldError::new("reason", Rule::InvalidCharacters))
        );
    }
}
