//! Reading a leaked file, whatever became of it: an original export, a re-saved copy
//! (CSV as XLSX or back, UTF-8 or the GB18030 that Chinese Windows writes), or a few
//! rows pasted into a new file. Everything is read as text cells; the marks are looked
//! for in every cell.

mod text;
mod workbook;

use thiserror::Error;

use crate::fingerprint::{find_fingerprints, Fingerprint};
use crate::watermark::find_export_ids;

/// The largest file read: a leaked export is rarely above a few MiB.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// The most rows read, over all sheets.
pub const MAX_ROWS: usize = 1_000_000;

/// Why a file could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ReadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not a spreadsheet or a CSV/text file ({0})")]
    Unsupported(&'static str),
    #[error("the file is damaged and cannot be read ({0})")]
    Corrupt(String),
    #[error("the file is too large to examine (the limit is 64 MiB and 1,000,000 rows)")]
    TooLarge,
}

/// The cells of a leaked file, and the marks found in them.
#[derive(Clone, PartialEq, Eq)]
pub struct LeakedFile {
    /// Every row, every cell as text, marks included.
    pub rows: Vec<Vec<String>>,
    /// Export ids named by watermark lines, lowercased, each once.
    pub export_ids: Vec<String>,
    /// Fingerprints found in any cell, each once.
    pub fingerprints: Vec<Fingerprint>,
}

/// Customer data: `Debug` shows only the sizes and the marks.
impl std::fmt::Debug for LeakedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeakedFile")
            .field("rows", &self.rows.len())
            .field("export_ids", &self.export_ids)
            .field("fingerprints", &self.fingerprints)
            .finish()
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Formats people might upload by mistake, named so that the refusal says what it saw.
const NOT_SPREADSHEETS: &[(&[u8], &str)] = &[
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1F\x8B", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "a legacy Office file: save it as .xlsx or .csv",
    ),
];

/// Reads a leaked file: XLSX (or another zipped workbook) by its zip signature,
/// anything else as delimited text.
pub fn read_leaked(bytes: &[u8]) -> Result<LeakedFile, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(ReadError::TooLarge);
    }
    if let Some((_, what)) = NOT_SPREADSHEETS
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
    {
        return Err(ReadError::Unsupported(what));
    }
    let rows = if bytes.starts_with(ZIP_MAGIC) {
        workbook::rows(bytes)?
    } else {
        text::rows(bytes)?
    };
    if rows.iter().flatten().all(|cell| cell.trim().is_empty()) {
        return Err(ReadError::Empty);
    }
    let mut export_ids: Vec<String> = Vec::new();
    let mut fingerprints: Vec<Fingerprint> = Vec::new();
    for cell in rows.iter().flatten() {
        for id in find_export_ids(cell) {
            if !export_ids.contains(&id) {
                export_ids.push(id);
            }
        }
        for code in find_fingerprints(cell) {
            if !fingerprints.contains(&code) {
                fingerprints.push(code);
            }
        }
    }
    Ok(LeakedFile {
        rows,
        export_ids,
        fingerprints,
    })
}
