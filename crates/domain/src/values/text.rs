use crate::error::{FieldError, Rule};
use std::fmt;

/// Trims, refuses control characters (newlines only where `multiline`) and bounds length
/// in characters, not bytes, since most of what staff type is Chinese.
fn clean(
    field: &'static str,
    input: &str,
    max: usize,
    multiline: bool,
) -> Result<String, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, Rule::Required));
    }
    if s.chars().count() > max {
        return Err(FieldError::new(field, Rule::TooLong { max }));
    }
    let allowed = |c: char| !c.is_control() || (multiline && (c == '\n' || c == '\r' || c == '\t'));
    if !s.chars().all(allowed) {
        return Err(FieldError::new(field, Rule::InvalidCharacters));
    }
    Ok(s.to_string())
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, max = $max:expr, multiline = $multi:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(field: &'static str, input: &str) -> Result<Self, FieldError> {
                clean(field, input, $max, $multi).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        /// Personal data: `Debug` never shows it.
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(..)"))
            }
        }
    };
}

text_type!(
    /// A person's name as they write it (Chinese names are 2–4 characters; foreigners' longer).
    PersonName, max = 40, multiline = false
);
text_type!(
    /// A postal address, one line.
    Address, max = 200, multiline = false
);
text_type!(
    /// Free text about a customer; treated as personal data because it usually is.
    Notes, max = 2000, multiline = true
);

text_type!(
    /// A short one-line label of the business: a car model, trim or colour, a place in
    /// the yard.
    Label, max = 60, multiline = false
);
text_type!(
    /// Free text of a business agreement (a supplier's payment and rebate terms).
    Terms, max = 1000, multiline = true
);

/// A WeChat ID: 6–20 characters, letters, digits, `_` and `-`, starting with a letter;
/// or a mobile number, which WeChat also accepts as an ID.
#[derive(Clone, PartialEq, Eq)]
pub struct Wechat(String);

impl Wechat {
    pub fn parse(field: &'static str, input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::new(field, Rule::Required));
        }
        let is_id = (6..=20).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let is_mobile =
            s.len() == 11 && s.starts_with('1') && s.bytes().all(|b| b.is_ascii_digit());
        if is_id || is_mobile {
            Ok(Self(s.to_string()))
        } else {
            Err(FieldError::new(field, Rule::InvalidWechat))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Wechat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Wechat(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded_in_characters() {
        assert_eq!(
            PersonName::parse("name", "  欧阳娜娜 ").map(|n| n.0),
            Ok("欧阳娜娜".into())
        );
        assert!(PersonName::parse("name", &"张".repeat(40)).is_ok());
        assert_eq!(
            PersonName::parse("name", &"张".repeat(41)),
            Err(FieldError::new("name", Rule::TooLong { max: 40 }))
        );
        assert!(PersonName::parse("name", "   ").is_err());
        assert!(PersonName::parse("name", "张\n三").is_err());
    }

    #[test]
    fn notes_may_span_lines() {
        assert!(Notes::parse("notes", "第一行\n第二行").is_ok());
        assert!(Notes::parse("notes", "bell\u{7}").is_err());
    }

    #[test]
    fn wechat_ids() {
        for ok in ["wxid_abc123", "zhang-wei88", "13812345678"] {
            assert!(Wechat::parse("wechat", ok).is_ok(), "{ok}");
        }
        for bad in ["abc", "1abcdef", "zhang wei", "微信号abcdef"] {
            assert!(Wechat::parse("wechat", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn debug_hides_values() {
        let n = PersonName::parse("name", "张三").expect("valid");
        assert_eq!(format!("{n:?}"), "PersonName(..)");
    }
}
