//! How strongly a leaked file points at one export: its marks (watermark, fingerprint)
//! and how many of its rows the export contained.

use crate::fingerprint::Fingerprint;
use crate::manifest::{token, Entry, Manifest};
use crate::normalise::{is_masked_number, normalise};
use crate::read::LeakedFile;

/// Two weak values of a leaked row found together in one row of the export count when
/// chance would put them there less often than this, per leaked row: a file of a few
/// thousand other people's rows then shows well under one such row.
const MAX_CHANCE: f64 = 1e-4;
/// How common a weak value may be in the world, whatever one export shows: a masked
/// mobile (`138****5678`) is one of about 400,000; a name or a phrase of the notes may
/// be one in a thousand.
const MASKED_NUMBER_FREQUENCY: f64 = 1.0 / 400_000.0;
const WEAK_VALUE_FREQUENCY: f64 = 1.0 / 1_000.0;
/// Content alone never reaches a mark's confidence: the same customers are in many
/// exports, and only a mark names one of them.
const CONTENT_CEILING: f64 = 0.89;
const ONE_MARK: f64 = 0.9;
const BOTH_MARKS: f64 = 0.99;
/// Fewer matched rows than this damp the content's confidence proportionally.
const CONVINCING_ROWS: usize = 5;

/// What a leaked file shows about one export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evidence {
    /// Data rows with at least one value: not empty, not a watermark, not the header.
    pub rows_in_file: usize,
    /// Of those, the rows the export contained.
    pub rows_matched: usize,
    /// The file's watermark names this export.
    pub watermark: bool,
    /// The file carries this export's fingerprint.
    pub fingerprint: bool,
}

impl Evidence {
    /// In `[0, 1]`: at least 0.9 with one mark naming the export, 0.99 with both, up to
    /// 0.89 from content alone.
    pub fn confidence(&self) -> f64 {
        let content = if self.rows_matched == 0 || self.rows_in_file == 0 {
            0.0
        } else {
            let share = self.rows_matched as f64 / self.rows_in_file as f64;
            let damping = (self.rows_matched as f64 / CONVINCING_ROWS as f64).min(1.0);
            (share * damping).min(1.0)
        };
        let marks = match (self.watermark, self.fingerprint) {
            (true, true) => BOTH_MARKS,
            (true, false) | (false, true) => ONE_MARK,
            (false, false) => return CONTENT_CEILING * content,
        };
        marks + (1.0 - marks) * content
    }

    /// Whether the file came from this export: a mark names it, or it holds at least two
    /// of its rows (or its single row).
    pub fn is_match(&self) -> bool {
        self.watermark
            || self.fingerprint
            || self.rows_matched >= 2
            || (self.rows_matched == 1 && self.rows_in_file == 1)
    }
}

/// Scores `file` against one export: its manifest, id and fingerprint. `index` is the
/// keyed hash the manifest was built with.
pub fn score(
    file: &LeakedFile,
    manifest: &Manifest,
    index: &(dyn Fn(&str) -> [u8; 16] + Sync),
    export_id: &str,
    fingerprint: Fingerprint,
) -> Evidence {
    let mut evidence = Evidence {
        rows_in_file: 0,
        rows_matched: 0,
        watermark: file
            .export_ids
            .iter()
            .any(|id| id.eq_ignore_ascii_case(export_id)),
        fingerprint: file.fingerprints.contains(&fingerprint),
    };
    let mut tokens = Vec::new();
    for row in &file.rows {
        tokens.clear();
        tokens.extend(
            row.iter()
                .filter_map(|cell| normalise(cell))
                .map(|n| (token(index, &n.text), is_masked_number(&n.text))),
        );
        tokens.sort_unstable();
        tokens.dedup();
        if tokens.is_empty() || is_header(manifest, &tokens) {
            continue;
        }
        evidence.rows_in_file += 1;
        if contained(manifest, &tokens) {
            evidence.rows_matched += 1;
        }
    }
    evidence
}

/// A row is the header when at least half its values are the export's column names.
fn is_header(manifest: &Manifest, tokens: &[(u64, bool)]) -> bool {
    let names = tokens
        .iter()
        .filter(|&&(t, _)| manifest.is_header(t))
        .count();
    2 * names >= tokens.len()
}

/// Whether one row of the export holds a strong value of this row, or two weak ones
/// that chance would rarely put together. `tokens` are this row's, each with whether
/// it is a masked number.
///
/// For weak values `a` and `b` of a row that is not the export's, a row of the export
/// holds both by chance when `a` is in the export at all (likelier the commoner `a` is
/// in the world, or the more rows besides this one hold it) and one of `a`'s rows also
/// holds `b` (`holders(a) × holders(b) / rows`). So a name with a masked mobile counts,
/// as does `张*` with one in a small export, but a district with anything does not.
fn contained(manifest: &Manifest, tokens: &[(u64, bool)]) -> bool {
    let rows = manifest.rows().max(1) as f64;
    // Each weak value's holders, and the chance that it is in the export by chance.
    let mut weak: Vec<(&[Entry], f64)> = Vec::with_capacity(tokens.len());
    for &(token, masked_number) in tokens {
        let holders = manifest.holders(token);
        let Some(first) = holders.first() else {
            continue;
        };
        if first.strong() {
            return true;
        }
        let frequency = if masked_number {
            MASKED_NUMBER_FREQUENCY
        } else {
            WEAK_VALUE_FREQUENCY
        };
        let others = (holders.len() - 1) as f64;
        weak.push((holders, (rows * frequency).max(others).min(1.0)));
    }
    for (i, &(a, a_present)) in weak.iter().enumerate() {
        for &(b, b_present) in &weak[i + 1..] {
            let together = (a.len() as f64 * b.len() as f64 / rows).min(1.0);
            if a_present.min(b_present) * together <= MAX_CHANCE && share_a_row(a, b) {
                return true;
            }
        }
    }
    false
}

/// Whether two tokens' entries (each sorted by row) have a row in common, searching
/// the shorter list's rows in the longer.
fn share_a_row(a: &[Entry], b: &[Entry]) -> bool {
    let (rare, common) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    rare.iter()
        .any(|r| common.binary_search_by_key(&r.row(), |c| c.row()).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(
        rows_in_file: usize,
        rows_matched: usize,
        watermark: bool,
        fingerprint: bool,
    ) -> Evidence {
        Evidence {
            rows_in_file,
            rows_matched,
            watermark,
            fingerprint,
        }
    }

    #[test]
    fn marks_set_the_floor_and_content_fills_the_rest() {
        assert_eq!(evidence(0, 0, false, false).confidence(), 0.0);
        assert_eq!(evidence(300, 0, false, false).confidence(), 0.0);
        assert!((evidence(300, 0, true, true).confidence() - 0.99).abs() < 1e-9);
        assert!((evidence(300, 0, true, false).confidence() - 0.9).abs() < 1e-9);
        assert!((evidence(300, 0, false, true).confidence() - 0.9).abs() < 1e-9);
        assert!((evidence(300, 300, false, false).confidence() - 0.89).abs() < 1e-9);
        assert!((evidence(300, 300, true, true).confidence() - 1.0).abs() < 1e-9);
        // One mark beats any content alone; content breaks ties between marks.
        assert!(
            evidence(300, 0, false, true).confidence()
                > evidence(300, 300, false, false).confidence()
        );
        assert!(
            evidence(300, 300, false, true).confidence()
                > evidence(300, 10, false, true).confidence()
        );
    }

    #[test]
    fn few_matched_rows_are_damped() {
        let two_of_two = evidence(2, 2, false, false).confidence();
        let five_of_five = evidence(5, 5, false, false).confidence();
        assert!(two_of_two < five_of_five);
        assert!((two_of_two - 0.89 * 0.4).abs() < 1e-9);
        assert!(evidence(100, 50, false, false).confidence() < five_of_five);
    }

    #[test]
    fn a_match_needs_a_mark_or_two_rows_or_all_of_a_tiny_file() {
        assert!(evidence(300, 0, true, false).is_match());
        assert!(evidence(300, 0, false, true).is_match());
        assert!(evidence(300, 2, false, false).is_match());
        assert!(evidence(1, 1, false, false).is_match());
        assert!(!evidence(300, 1, false, false).is_match());
        assert!(!evidence(0, 0, false, false).is_match());
    }
}
