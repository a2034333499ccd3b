//! One canonical text per value, so that a cell still compares equal after a person or a
//! spreadsheet program has rewritten it: a mobile with spaces, dashes or a country code,
//! a number Excel turned into `1.3812345678E+10`, full-width digits typed by a Chinese
//! input method, a fingerprint appended or stripped.

use crate::fingerprint::is_invisible;
use crate::watermark::find_export_ids;

/// A cell's canonical text, and whether it alone identifies a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised {
    pub text: String,
    /// An 11-digit mainland mobile, an 18-character ID number or an e-mail address.
    /// Anything else, masked values (`138****5678`, `张*`) included, is weak: it names a
    /// person only together with another weak value.
    pub strong: bool,
}

/// The canonical text of `cell`, or `None` for an empty cell or a watermark line.
pub fn normalise(cell: &str) -> Option<Normalised> {
    if !find_export_ids(cell).is_empty() {
        return None;
    }
    let mut text = String::with_capacity(cell.len());
    for c in cell.chars().filter(|&c| !is_invisible(c)).map(half_width) {
        // `?`: a fingerprint saved through a code page without zero-width characters
        // (Excel's "CSV" on Chinese Windows writes GBK) comes back as question marks.
        if c.is_whitespace() || matches!(c, '-' | '‐' | '‑' | '–' | '—' | '−' | '(' | ')' | '?')
        {
            continue;
        }
        text.push(c.to_ascii_uppercase());
    }
    let text = canonical_number(unquote(&text));
    if text.is_empty() {
        return None;
    }
    let strong = is_mobile(&text) || is_id_number(&text) || is_email(&text);
    Some(Normalised { text, strong })
}

/// Full-width ASCII (U+FF01..U+FF5E) and the ideographic space, as ASCII.
fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Drops what spreadsheet users put around a value to keep it text: a leading `'`
/// (also how the CSV writer defuses formulas) and the `="…"` wrapper.
fn unquote(text: &str) -> &str {
    if let Some(inner) = text.strip_prefix("=\"").and_then(|t| t.strip_suffix('"')) {
        return inner;
    }
    text.strip_prefix('\'').unwrap_or(text)
}

/// Integers as Excel may show them (`13812345678.0`, `1.3812345678E+10`) as plain
/// digits, and a mainland mobile with its country code (`+86`, `0086`, `86`) as the
/// 11-digit number.
fn canonical_number(text: &str) -> String {
    let digits = integral_digits(text).unwrap_or_else(|| text.to_owned());
    for prefix in ["+86", "0086", "86"] {
        if let Some(mobile) = digits.strip_prefix(prefix) {
            if is_mobile(mobile) {
                return mobile.to_owned();
            }
        }
    }
    digits
}

/// The digits of an integer written as a decimal or in scientific notation, or `None`
/// when `text` is not such a number or not an integer.
fn integral_digits(text: &str) -> Option<String> {
    let (mantissa, exponent) = match text.split_once('E') {
        Some((m, e)) => (m, e.strip_prefix('+').unwrap_or(e).parse::<usize>().ok()?),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    if exponent == 0 && fraction.is_empty() {
        // Already plain digits: leading zeros are part of the value (a code, not a count).
        return None;
    }
    let fraction = fraction.trim_end_matches('0');
    // Excel shows at most 15 significant digits; a larger exponent is not a value a
    // person could have typed, and would only let a crafted cell allocate a lot.
    if fraction.len() > exponent || exponent > 30 {
        return None;
    }
    let mut out = format!("{whole}{fraction}");
    out.extend(std::iter::repeat_n('0', exponent - fraction.len()));
    let significant = out.trim_start_matches('0');
    Some(
        if significant.is_empty() {
            "0"
        } else {
            significant
        }
        .to_owned(),
    )
}

/// A number partly masked, as `138****5678` or `110101********1234`: enough digits
/// left to be nearly as rare as the number itself.
pub(crate) fn is_masked_number(text: &str) -> bool {
    text.contains('*') && text.bytes().filter(u8::is_ascii_digit).count() >= 6
}

fn is_mobile(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

fn is_id_number(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 18
        && b[..17].iter().all(u8::is_ascii_digit)
        && (b[17].is_ascii_digit() || b[17] == b'X')
}

fn is_email(text: &str) -> bool {
    text.split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::Fingerprint;

    fn text(cell: &str) -> Option<String> {
        normalise(cell).map(|n| n.text)
    }

    fn strong(cell: &str) -> bool {
        normalise(cell).is_some_and(|n| n.strong)
    }

    #[test]
    fn every_way_of_writing_a_mobile_is_the_same_mobile() {
        for written in [
            "13812345678",
            "+86 138 1234 5678",
            "86-138-1234-5678",
            "+86-13812345678",
            "0086 13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "(138) 1234-5678",
            "13812345678.0",
            "1.3812345678E10",
            "1.3812345678E+10",
            "1.3812345678e+10",
            "１３８１２３４５６７８",
            "'13812345678",
            "=\"13812345678\"",
            " 13812345678\u{3000}",
        ] {
            assert_eq!(text(written).as_deref(), Some("13812345678"), "{written:?}");
            assert!(strong(written), "{written:?}");
        }
    }

    #[test]
    fn fingerprints_and_their_question_mark_remains_are_ignored() {
        let marked = format!("张三{}", Fingerprint(0xFEED_F00D).invisible());
        assert_eq!(text(&marked), text("张三"));
        assert_eq!(text("张三?????????????????"), text("张三"));
        assert_eq!(text("张 三"), Some("张三".to_owned()));
    }

    #[test]
    fn letters_are_uppercased_and_full_width_letters_narrowed() {
        assert_eq!(text("li.na@QQ.com"), Some("LI.NA@QQ.COM".to_owned()));
        assert_eq!(
            text("ｌｉ．ｎａ＠ｑｑ．ｃｏｍ"),
            Some("LI.NA@QQ.COM".to_owned())
        );
        assert_eq!(
            text("11010119900101123x"),
            Some("11010119900101123X".to_owned())
        );
    }

    #[test]
    fn identifying_values_are_strong_and_masked_ones_weak() {
        assert!(strong("11010119900101123X"));
        assert!(strong("110101199001011234"));
        assert!(strong("li.na@qq.com"));
        assert!(!strong("138****5678"));
        assert!(!strong("110101********1234"));
        assert!(!strong("张*"));
        assert!(!strong("张三"));
        assert!(!strong("@"));
        // A 13-digit number that is not a mobile keeps its digits.
        assert_eq!(text("8612345678901"), Some("8612345678901".to_owned()));
        assert!(!strong("12812345678"));
    }

    #[test]
    fn masked_numbers_are_told_from_other_masked_values() {
        assert!(is_masked_number("138****5678"));
        assert!(is_masked_number("110101********1234"));
        assert!(!is_masked_number("张*"));
        assert!(!is_masked_number("L***@QQ.COM"));
        assert!(!is_masked_number("13812345678"));
    }

    #[test]
    fn numbers_keep_their_value() {
        assert_eq!(text("007"), Some("007".to_owned()));
        assert_eq!(text("12.50"), Some("12.50".to_owned()));
        assert_eq!(text("2.5E1"), Some("25".to_owned()));
        assert_eq!(text("1.25E1"), Some("1.25E1".to_owned()));
        assert_eq!(text("0.0"), Some("0".to_owned()));
        assert_eq!(text("1E999999999999"), Some("1E999999999999".to_owned()));
    }

    #[test]
    fn empty_cells_and_watermark_lines_are_nothing() {
        assert_eq!(normalise(""), None);
        assert_eq!(normalise(" - ( ) "), None);
        assert_eq!(normalise("\u{200B}\u{2063}"), None);
        assert_eq!(
            normalise(
                "机密 CONFIDENTIAL · 导出编号 Export ID: 0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
            ),
            None
        );
    }
}
