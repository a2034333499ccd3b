//! The visible watermark: one line that says the file is confidential, who exported it,
//! when, and under which export id. The writer puts it in the first and the last row
//! (and an XLSX page header), the reader looks for it in every cell, and normalising
//! skips it, so its wording lives here alone.

use crate::fingerprint::is_invisible;

const CONFIDENTIAL: &str = "机密 CONFIDENTIAL";
/// Either label leads to the id, so a line half translated or trimmed is still found.
/// They are written without spaces because the parser compares text with spaces removed.
const ID_LABELS: [&str; 2] = ["ExportID", "导出编号"];
/// A hyphenated UUID: 8-4-4-4-12 hex digits.
const UUID_LEN: usize = 36;

/// Who exported a file, when, and under which id. The app supplies every field as the
/// person reading the file should see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watermark {
    /// A hyphenated UUID: the parser only finds ids of that shape, so the writer refuses
    /// any other.
    pub export_id: String,
    /// Display name and account, e.g. `王经理 (salesmgr01)`.
    pub exported_by: String,
    /// Local time with its offset, e.g. `2026-11-30 14:05 +08:00`.
    pub exported_at: String,
}

impl Watermark {
    /// The line written into the file.
    pub fn line(&self) -> String {
        format!(
            "{CONFIDENTIAL} · 导出人 Exported by: {} · 时间 Time: {} · 导出编号 Export ID: {}",
            self.exported_by, self.exported_at, self.export_id
        )
    }

    /// The line without the person and time, for where space is short (a page footer).
    pub(crate) fn short_line(&self) -> String {
        format!("{CONFIDENTIAL} · 导出编号 Export ID: {}", self.export_id)
    }
}

/// Every export id that a watermark line in `text` names, lowercased, each once.
///
/// Tolerates what re-saving does to the line: quotes around it or doubled inside it,
/// spaces added or removed, zero-width characters, a full-width colon.
pub fn find_export_ids(text: &str) -> Vec<String> {
    // Cheap test first: normalising calls this on every cell of every export.
    if !text.contains("Export") && !text.contains("导出编号") {
        return Vec::new();
    }
    let compact: String = text
        .chars()
        .filter(|&c| !c.is_whitespace() && !is_invisible(c) && !is_quote(c))
        .collect();
    let mut ids: Vec<String> = Vec::new();
    for label in ID_LABELS {
        for (at, _) in compact.match_indices(label) {
            if let Some(id) = uuid_at(skip_separators(&compact[at + label.len()..])) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
    }
    ids
}

/// Whether `text` is a hyphenated UUID, the only shape of id the parser finds.
pub(crate) fn is_uuid(text: &str) -> bool {
    text.len() == UUID_LEN && uuid_at(text).is_some()
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」')
}

/// Skips colons and the other label between a label and the id (`导出编号 Export ID:`).
fn skip_separators(mut rest: &str) -> &str {
    loop {
        let before = rest.len();
        rest = rest.trim_start_matches([':', '：', '=']);
        for label in ID_LABELS {
            rest = rest.strip_prefix(label).unwrap_or(rest);
        }
        if rest.len() == before {
            return rest;
        }
    }
}

fn uuid_at(text: &str) -> Option<String> {
    let candidate = text.get(..UUID_LEN)?;
    let shaped = candidate.bytes().enumerate().all(|(i, b)| match i {
        8 | 13 | 18 | 23 => b == b'-',
        _ => b.is_ascii_hexdigit(),
    });
    shaped.then(|| candidate.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

    fn watermark() -> Watermark {
        Watermark {
            export_id: ID.to_owned(),
            exported_by: "王经理 (salesmgr01)".to_owned(),
            exported_at: "2026-11-30 14:05 +08:00".to_owned(),
        }
    }

    #[test]
    fn the_line_names_everything() {
        assert_eq!(
            watermark().line(),
            "机密 CONFIDENTIAL · 导出人 Exported by: 王经理 (salesmgr01) · 时间 Time: \
             2026-11-30 14:05 +08:00 · 导出编号 Export ID: 0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
        );
    }

    #[test]
    fn the_id_is_found_in_the_line_and_the_short_line() {
        assert_eq!(find_export_ids(&watermark().line()), vec![ID.to_owned()]);
        assert_eq!(
            find_export_ids(&watermark().short_line()),
            vec![ID.to_owned()]
        );
    }

    #[test]
    fn the_id_survives_quotes_spaces_and_case() {
        let resaved = format!(
            "\"机密 CONFIDENTIAL ·  导出人 Exported  by: 王经理 · 导出编号  Export ID ： \"\"{}\"\"\"",
            ID.to_uppercase()
        );
        assert_eq!(find_export_ids(&resaved), vec![ID.to_owned()]);
    }

    #[test]
    fn either_label_alone_leads_to_the_id() {
        assert_eq!(
            find_export_ids(&format!("导出编号：{ID}")),
            vec![ID.to_owned()]
        );
        assert_eq!(
            find_export_ids(&format!("Export ID {ID}")),
            vec![ID.to_owned()]
        );
    }

    #[test]
    fn text_without_a_labelled_uuid_names_nothing() {
        assert!(find_export_ids(ID).is_empty());
        assert!(find_export_ids("Export ID: not-a-uuid").is_empty());
        assert!(find_export_ids("导出编号: 0193a1b2-c3d4-7e5f-8a9b").is_empty());
        assert!(find_export_ids("张三").is_empty());
    }

    #[test]
    fn only_hyphenated_uuids_are_ids() {
        assert!(is_uuid(ID));
        assert!(!is_uuid("0193a1b2c3d47e5f8a9b0c1d2e3f4a5b"));
        assert!(!is_uuid(&format!("{ID}0")));
    }
}
