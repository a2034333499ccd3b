use crate::error::{FieldError, Rule};
use std::fmt;

/// An e-mail address: one `@`, a non-empty local part and a dotted domain. Deliverability
/// is not our business; catching typos and junk is.
#[derive(Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &'static str, input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::new(field, Rule::Required));
        }
        if s.len() > 254 {
            return Err(FieldError::new(field, Rule::TooLong { max: 254 }));
        }
        let valid = match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && s.chars().all(|c| c.is_ascii_graphic())
            }
            None => false,
        };
        if valid {
            Ok(Self(s.to_ascii_lowercase()))
        } else {
            Err(FieldError::new(field, Rule::InvalidEmail))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert!(Email::parse("email", "Zhang.Wei@Example.com").is_ok());
        for bad in ["", "no-at", "a@b", "a@@b.cn", "@b.cn", "a@.cn", "a b@c.cn"] {
            assert!(Email::parse("email", bad).is_err(), "{bad}");
        }
    }
}
