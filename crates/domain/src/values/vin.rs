//! Vehicle identification numbers (ISO 3779): 17 characters from the VIN alphabet, with
//! the check digit in position 9 (as required in North America and China, GB 16735).

use crate::error::{FieldError, Rule};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Vin(String);

/// The value of each VIN character in the check-digit sum (I, O and Q never appear).
fn transliterate(c: u8) -> Option<u32> {
    Some(match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A'..=b'H' => u32::from(c - b'A') + 1,
        b'J'..=b'N' => u32::from(c - b'J') + 1,
        b'P' => 7,
        b'R' => 9,
        b'S'..=b'Z' => u32::from(c - b'S') + 2,
        _ => return None,
    })
}

const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// The check digit (`0`–`9` or `X`) of a 17-character VIN, or `None` if a character is
/// outside the VIN alphabet.
pub fn check_digit(vin: &[u8; 17]) -> Option<u8> {
    let mut sum = 0;
    for (c, w) in vin.iter().zip(WEIGHTS) {
        sum += transliterate(*c)? * w;
    }
    Some(match sum % 11 {
        10 => b'X',
        // `sum % 11` is below 10 here: one decimal digit.
        n => b'0' + n as u8,
    })
}

impl Vin {
    /// Upper-cases and drops spaces, then insists on 17 VIN characters and a correct
    /// check digit.
    pub fn parse(field: &'static str, input: &str) -> Result<Self, FieldError> {
        let cleaned: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if cleaned.is_empty() {
            return Err(FieldError::new(field, Rule::Required));
        }
        let bytes: &[u8; 17] = cleaned
            .as_bytes()
            .try_into()
            .map_err(|_| FieldError::new(field, Rule::InvalidVin))?;
        match check_digit(bytes) {
            Some(digit) if digit == bytes[8] => Ok(Self(cleaned)),
            _ => Err(FieldError::new(field, Rule::InvalidVin)),
        }
    }

    /// A VIN read back from storage, where only parsed ones are written.
    pub fn from_stored(s: String) -> Self {
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_known_vins() {
        // Published examples with correct check digits.
        for vin in [
            "1M8GDM9AXKP042788",
            "11111111111111111",
            "LSVAU218XN2183294",
        ] {
            assert!(Vin::parse("vin", vin).is_ok(), "{vin}");
        }
        assert_eq!(
            Vin::parse("vin", " 1m8gdm9axkp042788 ").map(|v| v.0),
            Ok("1M8GDM9AXKP042788".to_string())
        );
    }

    #[test]
    fn refuses_wrong_length_letters_and_check_digits() {
        let invalid = |s| Vin::parse("vin", s).map_err(|e| e.rule);
        assert_eq!(invalid(""), Err(Rule::Required));
        assert_eq!(invalid("1M8GDM9AXKP04278"), Err(Rule::InvalidVin));
        assert_eq!(invalid("1M8GDM9AXKP0427888"), Err(Rule::InvalidVin));
        assert_eq!(invalid("1M8GDM9A1KP042788"), Err(Rule::InvalidVin));
        assert_eq!(invalid("IM8GDM9AXKP042788"), Err(Rule::InvalidVin));
        assert_eq!(invalid("1M8GDM9AXKP04278木"), Err(Rule::InvalidVin));
    }

    proptest! {
        #[test]
        fn any_vin_with_its_check_digit_parses_and_one_changed_character_does_not(
            body in "[A-HJ-NPR-Z0-9]{17}",
            at in 0usize..17,
        ) {
            let mut bytes: [u8; 17] = body.as_bytes().try_into().expect("17 ASCII characters");
            bytes[8] = check_digit(&bytes).expect("VIN alphabet");
            let vin = String::from_utf8(bytes.to_vec()).expect("ASCII");
            prop_assert!(Vin::parse("vin", &vin).is_ok());
            // Changing one weighted character changes the sum by a non-multiple of 11
            // unless the change is between two characters of the same value.
            let mut changed = bytes;
            changed[at] = if changed[at] == b'0' { b'1' } else { b'0' };
            let before = transliterate(bytes[at]).expect("alphabet");
            let after = transliterate(changed[at]).expect("alphabet");
            if at != 8 && before != after && WEIGHTS[at] != 0 {
                let text = String::from_utf8(changed.to_vec()).expect("ASCII");
                prop_assert!(Vin::parse("vin", &text).is_err());
            }
        }
    }
}
