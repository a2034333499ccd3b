//! Names in the administration of a site: usernames, display names, role codes and
//! role names, parsed at the edge like every other outside value.

use crate::error::{FieldError, Rule};

/// Checks length (in characters) and refuses control characters; returns the trimmed text.
fn text(
    field: &'static str,
    raw: &str,
    min: usize,
    max: usize,
    allowed: impl Fn(char) -> bool,
) -> Result<String, FieldError> {
    let s = raw.trim();
    let chars = s.chars().count();
    if chars == 0 {
        return Err(FieldError::new(field, Rule::Required));
    }
    if chars < min {
        return Err(FieldError::new(field, Rule::TooShort { min }));
    }
    if chars > max {
        return Err(FieldError::new(field, Rule::TooLong { max }));
    }
    if !s.chars().all(|c| !c.is_control() && allowed(c)) {
        return Err(FieldError::new(field, Rule::InvalidCharacters));
    }
    Ok(s.to_string())
}

/// Text of `allowed` characters that starts with a letter: a sign-in name or a code.
fn code(
    field: &'static str,
    raw: &str,
    min: usize,
    max: usize,
    allowed: impl Fn(char) -> bool,
) -> Result<String, FieldError> {
    let s = text(field, raw, min, max, allowed)?;
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(FieldError::new(field, Rule::InvalidCharacters));
    }
    Ok(s)
}

/// A sign-in name: 3–32 of `a-z 0-9 . _ -`, starting with a letter; upper case is
/// folded, so `Sales01` and `sales01` cannot be two accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        code("username", &raw.to_ascii_lowercase(), 3, 32, |c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
        })
        .map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's name as colleagues see it in the top bar and the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        text("display_name", raw, 1, 40, |_| true).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A role's code: 2–32 of `a-z 0-9 _`, starting with a letter (`sales_consultant`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleCode(String);

impl RoleCode {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        code("code", raw, 2, 32, |c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'
        })
        .map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A store's code: 2–16 of `A-Z 0-9`, starting with a letter (`SH01`); lower case is
/// folded up.
pub fn store_code(raw: &str) -> Result<String, FieldError> {
    code("code", &raw.to_ascii_uppercase(), 2, 16, |c| {
        c.is_ascii_uppercase() || c.is_ascii_digit()
    })
}

/// A role's name in one language (1–40 characters).
pub fn role_name(field: &'static str, raw: &str) -> Result<String, FieldError> {
    text(field, raw, 1, 40, |_| true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(
            Username::parse(" Sales01 ").expect("accepted").as_str(),
            "sales01"
        );
        assert_eq!(
            Username::parse("wang.li-2").expect("accepted").as_str(),
            "wang.li-2"
        );
        for (raw, rule) in [
            ("", Rule::Required),
            ("ab", Rule::TooShort { min: 3 }),
            (&"a".repeat(33)[..], Rule::TooLong { max: 32 }),
            ("1abc", Rule::InvalidCharacters),
            ("王丽01", Rule::InvalidCharacters),
            ("a b c", Rule::InvalidCharacters),
        ] {
            assert_eq!(
                Username::parse(raw).expect_err("refused").rule,
                rule,
                "{raw:?}"
            );
        }
    }

    #[test]
    fn display_names() {
        assert_eq!(
            DisplayName::parse(" 王丽 ").expect("accepted").as_str(),
            "王丽"
        );
        assert_eq!(
            DisplayName::parse("  ").expect_err("refused").rule,
            Rule::Required
        );
        assert_eq!(
            DisplayName::parse("a\u{0}b").expect_err("refused").rule,
            Rule::InvalidCharacters
        );
        assert_eq!(
            DisplayName::parse(&"李".repeat(41))
                .expect_err("refused")
                .rule,
            Rule::TooLong { max: 40 }
        );
    }

    #[test]
    fn role_codes_and_names() {
        assert!(RoleCode::parse("used_car_sales").is_ok());
        assert_eq!(
            RoleCode::parse("Used-Car").expect_err("refused").rule,
            Rule::InvalidCharacters
        );
        assert_eq!(
            RoleCode::parse("_x").expect_err("refused").rule,
            Rule::InvalidCharacters
        );
        assert_eq!(
            role_name("name_zh", "二手车顾问").expect("accepted"),
            "二手车顾问"
        );
        assert_eq!(
            role_name("name_en", "").expect_err("refused").rule,
            Rule::Required
        );
    }

    #[test]
    fn store_codes() {
        assert_eq!(store_code(" sh03 ").expect("accepted"), "SH03");
        assert!(store_code("3SH").is_err());
        assert!(store_code("SH-03").is_err());
    }
}
