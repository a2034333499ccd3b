//! Money in fen (分, 1/100 yuan), as an integer: never a float.

use crate::error::{FieldError, Rule};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A non-negative amount in fen. Prices, discounts, deposits and payments all use it;
/// the largest amount accepted is 100 million yuan, far above any car deal, so sums of a
/// few thousand amounts never overflow an `i64`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(i64);

impl Fen {
    pub const ZERO: Fen = Fen(0);
    /// 100,000,000.00 yuan.
    pub const MAX: Fen = Fen(10_000_000_000);

    /// Parses a yuan amount as people write it: `328000`, `328,000.00`, `¥ 328000.5`.
    /// At most two decimals; no sign, exponent or float rounding.
    pub fn parse_yuan(field: &'static str, input: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::new(field, Rule::InvalidAmount);
        let cleaned: String = input
            .trim()
            .trim_start_matches(['¥', '￥'])
            .chars()
            .filter(|c| *c != ',' && !c.is_whitespace())
            .collect();
        if cleaned.is_empty() {
            return Err(FieldError::new(field, Rule::Required));
        }
        let (whole, decimals) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(decimals) || decimals.len() > 2 {
            return Err(invalid());
        }
        // Twelve digits of yuan is already above MAX: refuse before any arithmetic.
        if whole.trim_start_matches('0').len() > 12 {
            return Err(invalid());
        }
        let yuan: i64 = whole.parse().map_err(|_| invalid())?;
        let fen: i64 = format!("{decimals:0<2}").parse().map_err(|_| invalid())?;
        Self::from_fen(yuan * 100 + fen).ok_or_else(invalid)
    }

    /// An amount in fen within `0..=MAX` (API bodies carry fen as integers).
    pub fn from_fen(fen: i64) -> Option<Self> {
        (0..=Self::MAX.0).contains(&fen).then_some(Self(fen))
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    /// `self - other`, or `None` below zero.
    pub fn minus(self, other: Fen) -> Option<Fen> {
        Self::from_fen(self.0 - other.0)
    }

    /// `self + other`, or `None` above `MAX`.
    pub fn plus(self, other: Fen) -> Option<Fen> {
        Self::from_fen(self.0 + other.0)
    }
}

/// `328,000.00`: yuan with thousands separators and two decimals.
impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let yuan = (self.0 / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in yuan.chars().enumerate() {
            if i > 0 && (yuan.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{grouped}.{:02}", self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn yuan(s: &str) -> Result<i64, Rule> {
        Fen::parse_yuan("price", s)
            .map(Fen::fen)
            .map_err(|e| e.rule)
    }

    #[test]
    fn parses_what_people_write() {
        assert_eq!(yuan("328000"), Ok(32_800_000));
        assert_eq!(yuan("328,000.00"), Ok(32_800_000));
        assert_eq!(yuan("¥ 328000.5"), Ok(32_800_050));
        assert_eq!(yuan("0.01"), Ok(1));
        assert_eq!(yuan("100000000"), Ok(10_000_000_000));
    }

    #[test]
    fn refuses_signs_floats_and_too_much() {
        assert_eq!(yuan(""), Err(Rule::Required));
        for bad in [
            "-5",
            "1e5",
            "1.234",
            "abc",
            ".5",
            "1.2.3",
            "100000000.01",
            "NaN",
        ] {
            assert_eq!(yuan(bad), Err(Rule::InvalidAmount), "{bad}");
        }
        assert_eq!(yuan("99999999999999999999999"), Err(Rule::InvalidAmount));
    }

    #[test]
    fn shows_yuan_with_separators() {
        assert_eq!(Fen(32_800_050).to_string(), "328,000.50");
        assert_eq!(Fen(5).to_string(), "0.05");
        assert_eq!(Fen(100_000).to_string(), "1,000.00");
    }

    proptest! {
        #[test]
        fn display_parses_back(fen in 0i64..=10_000_000_000) {
            let shown = Fen(fen).to_string();
            prop_assert_eq!(Fen::parse_yuan("x", &shown).map(Fen::fen), Ok(fen));
        }
    }
}
