//! The invisible fingerprint: a per-export random 32-bit code, written as zero-width
//! characters after the text of some cells. Nobody sees it, copying a cell copies it,
//! and it names the export even when the watermark rows were deleted.

/// Announces a code, so that one is told apart from zero-width characters that were
/// already in the text (U+2063 INVISIBLE SEPARATOR).
const MARKER: char = '\u{2063}';
/// Two bits per character: ZERO WIDTH SPACE, ZERO WIDTH NON-JOINER, ZERO WIDTH JOINER,
/// WORD JOINER. All four are valid XML and survive Excel and LibreOffice re-saves.
const DIGITS: [char; 4] = ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}'];
/// 16 characters of 2 bits each: the 32-bit code.
const SYMBOLS: usize = 16;

/// An export's invisible code. The app draws it at random for each export and keeps it
/// beside the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub u32);

impl Fingerprint {
    /// The marker and 16 zero-width characters, most significant bits first.
    pub(crate) fn invisible(self) -> String {
        let mut out = String::with_capacity(MARKER.len_utf8() * (1 + SYMBOLS));
        out.push(MARKER);
        for shift in (0..SYMBOLS).rev() {
            out.push(DIGITS[((self.0 >> (2 * shift)) & 0b11) as usize]);
        }
        out
    }
}

/// Every complete code in `text`, each once, in the order found.
pub fn find_fingerprints(text: &str) -> Vec<Fingerprint> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(MARKER) {
        rest = &rest[at + MARKER.len_utf8()..];
        let digits: Vec<u32> = rest
            .chars()
            .take(SYMBOLS)
            .map_while(|c| DIGITS.iter().position(|&d| d == c))
            .map(|d| d as u32)
            .collect();
        if digits.len() == SYMBOLS {
            let code = Fingerprint(digits.iter().fold(0, |code, d| code << 2 | d));
            if !found.contains(&code) {
                found.push(code);
            }
        }
    }
    found
}

/// Characters that draw nothing: the fingerprint's own, and the other zero-width and
/// direction marks and soft hyphens that pasted text carries. Comparing values ignores
/// them.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_come_back_from_the_text_they_were_appended_to() {
        for code in [0, 1, 0xDEAD_BEEF, u32::MAX, 0x8000_0001] {
            let cell = format!("张三{}", Fingerprint(code).invisible());
            assert_eq!(find_fingerprints(&cell), vec![Fingerprint(code)]);
        }
    }

    #[test]
    fn the_code_is_invisible_and_seventeen_characters_long() {
        let mark = Fingerprint(0x1234_5678).invisible();
        assert_eq!(mark.chars().count(), 17);
        assert!(mark.chars().all(is_invisible));
    }

    #[test]
    fn several_codes_are_each_found_once() {
        let a = Fingerprint(7).invisible();
        let b = Fingerprint(9).invisible();
        let text = format!("x{a}y{b}z{a}");
        assert_eq!(
            find_fingerprints(&text),
            vec![Fingerprint(7), Fingerprint(9)]
        );
    }

    #[test]
    fn a_cut_or_missing_code_is_not_a_code() {
        let mark = Fingerprint(42).invisible();
        let cut: String = mark.chars().take(10).collect();
        assert!(find_fingerprints(&format!("张三{cut}")).is_empty());
        assert!(find_fingerprints("\u{200B}\u{200C}\u{200D}\u{2060}").is_empty());
        assert!(find_fingerprints("张三").is_empty());
    }
}
