//! Zipped workbooks (XLSX, and the XLSB and ODS that calamine also reads): every
//! worksheet, every cell as the text Excel shows.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Reader};

use super::{ReadError, MAX_BYTES, MAX_ROWS};

/// What the parts of a workbook may add up to once inflated. Deflate packs repetitive
/// XML over 10:1, but a zip bomb packs far more.
const MAX_UNPACKED: u64 = 16 * MAX_BYTES as u64;

pub(super) fn rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReadError> {
    check_archive(bytes)?;
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ReadError::Corrupt(format!("not a readable workbook: {e}")))?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut failure = None;
    for sheet in 0..workbook.sheet_names().len() {
        // A sheet that cannot be read (a chart sheet, a damaged part) does not hide the
        // others; only a workbook without a single readable sheet is refused.
        let range = match workbook.worksheet_range_at(sheet) {
            Some(Ok(range)) => range,
            Some(Err(e)) => {
                failure.get_or_insert_with(|| e.to_string());
                continue;
            }
            None => break,
        };
        if rows.len() + range.height() > MAX_ROWS {
            return Err(ReadError::TooLarge);
        }
        rows.extend(
            range
                .rows()
                .map(|row| row.iter().map(ToString::to_string).collect()),
        );
    }
    match failure {
        Some(e) if rows.is_empty() => Err(ReadError::Corrupt(format!("unreadable sheet: {e}"))),
        _ => Ok(rows),
    }
}

/// Refuses a broken zip, a zip that holds no workbook, and one that would inflate past
/// [`MAX_UNPACKED`] by the sizes it declares.
fn check_archive(bytes: &[u8]) -> Result<(), ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::Corrupt(format!("a broken zip archive: {e}")))?;
    // OOXML packages name their parts in `[Content_Types].xml`; ODF ones start with
    // `mimetype`.
    if archive.index_for_name("[Content_Types].xml").is_none()
        && archive.index_for_name("mimetype").is_none()
    {
        return Err(ReadError::Unsupported(
            "a zip archive with no workbook in it",
        ));
    }
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        let part = archive
            .by_index_raw(i)
            .map_err(|e| ReadError::Corrupt(format!("a broken zip archive: {e}")))?;
        unpacked = unpacked.saturating_add(part.size());
    }
    if unpacked > MAX_UNPACKED {
        return Err(ReadError::TooLarge);
    }
    Ok(())
}
