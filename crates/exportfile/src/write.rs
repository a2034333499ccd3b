//! Writing an export, one row at a time: the watermark line, the header, the rows with
//! the fingerprint appended to the tagged columns, the watermark line again. Each row
//! goes to the sink as it comes, so memory is one row and the format's buffers however
//! many rows there are, and the sink needs only `Write` (the app's encrypts chunks).

mod csv;
mod xlsx;

use std::io::Write;

use thiserror::Error;

use crate::fingerprint::Fingerprint;
use crate::watermark::{is_uuid, Watermark};

/// The file formats an export can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// UTF-8 with a byte order mark, so that Excel reads the Chinese; CRLF line ends.
    Csv,
    /// One worksheet of inline strings.
    Xlsx,
}

impl FileFormat {
    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    /// The media type to serve the file with.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// Why an export could not be written.
#[derive(Debug, Error)]
pub enum WriteError {
    #[error(
        "the export id {0:?} is not a hyphenated UUID, so the watermark could not be read back"
    )]
    InvalidExportId(String),
    #[error("{found} values where the export has {expected} columns")]
    ColumnCount { expected: usize, found: usize },
    #[error("more columns than an Excel sheet holds (16,384)")]
    TooManyColumns,
    #[error("more rows than an Excel sheet holds (1,048,576 with the watermark and header)")]
    TooManyRows,
    #[error("the export could not be written: {0}")]
    Io(#[from] std::io::Error),
    #[error("the workbook could not be packed: {0}")]
    Zip(#[from] zip::result::ZipError),
}

/// Streams one export file into `W`.
pub struct ExportWriter<W: Write> {
    sheet: Sheet<W>,
    line: String,
    tagged: Vec<bool>,
    mark: String,
    /// The longest text a cell may hold, fingerprint included, where the format has a
    /// limit.
    cell_limit: Option<usize>,
    /// One row's cells, reused so that a row costs no allocation.
    cells: Vec<String>,
}

impl<W: Write> std::fmt::Debug for ExportWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportWriter")
            .field("columns", &self.tagged.len())
            .finish_non_exhaustive()
    }
}

/// Both boxed, as their sizes differ widely (the zip writer keeps its compressor's
/// state inline, some 9 KiB): one allocation per export.
enum Sheet<W: Write> {
    Csv(Box<csv::CsvSheet<W>>),
    Xlsx(Box<xlsx::XlsxSheet<W>>),
}

impl<W: Write> ExportWriter<W> {
    /// Writes the watermark line and the header row. `tagged[i]` says whether column
    /// `i` carries the fingerprint: free text such as names, never values that people
    /// paste into other systems (mobiles, ID numbers).
    pub fn new(
        format: FileFormat,
        sink: W,
        watermark: &Watermark,
        fingerprint: Fingerprint,
        headers: &[&str],
        tagged: &[bool],
    ) -> Result<Self, WriteError> {
        if !is_uuid(&watermark.export_id) {
            return Err(WriteError::InvalidExportId(watermark.export_id.clone()));
        }
        if tagged.len() != headers.len() {
            return Err(WriteError::ColumnCount {
                expected: headers.len(),
                found: tagged.len(),
            });
        }
        let line = watermark.line();
        let (mut sheet, cell_limit) = match format {
            FileFormat::Csv => (Sheet::Csv(Box::new(csv::CsvSheet::new(sink)?)), None),
            FileFormat::Xlsx => (
                Sheet::Xlsx(Box::new(xlsx::XlsxSheet::new(
                    sink,
                    watermark,
                    headers.len(),
                )?)),
                Some(xlsx::MAX_CELL_UNITS),
            ),
        };
        match &mut sheet {
            Sheet::Csv(s) => {
                s.watermark(&line)?;
                s.row(headers)?;
            }
            Sheet::Xlsx(s) => {
                s.watermark(&line)?;
                s.header(headers)?;
            }
        }
        Ok(Self {
            sheet,
            line,
            tagged: tagged.to_vec(),
            mark: fingerprint.invisible(),
            cell_limit,
            cells: vec![String::new(); headers.len()],
        })
    }

    /// One data row, a value for each column.
    pub fn write_row(&mut self, cells: &[&str]) -> Result<(), WriteError> {
        if cells.len() != self.tagged.len() {
            return Err(WriteError::ColumnCount {
                expected: self.tagged.len(),
                found: cells.len(),
            });
        }
        for ((out, &value), &tagged) in self.cells.iter_mut().zip(cells).zip(&self.tagged) {
            let mark = if tagged && !value.is_empty() {
                self.mark.as_str()
            } else {
                ""
            };
            out.clear();
            match self.cell_limit {
                // Cut the value, not the mark: a cut cell is still a marked one.
                Some(limit) => out.push_str(truncate_utf16(value, limit - mark.len())),
                None => out.push_str(value),
            }
            out.push_str(mark);
        }
        match &mut self.sheet {
            Sheet::Csv(s) => s.row(&self.cells),
            Sheet::Xlsx(s) => s.row(&self.cells),
        }
    }

    /// Writes the closing watermark line and hands back the sink, everything flushed.
    pub fn finish(self) -> Result<W, WriteError> {
        match self.sheet {
            Sheet::Csv(mut s) => {
                s.watermark(&self.line)?;
                s.finish()
            }
            Sheet::Xlsx(mut s) => {
                s.watermark(&self.line)?;
                s.finish()
            }
        }
    }
}

/// The longest prefix of `text` that is at most `limit` UTF-16 units, the unit in
/// which Excel counts a cell's characters. The mark's characters are one unit each
/// but three bytes, so subtracting its byte length from the limit leaves room to spare.
fn truncate_utf16(text: &str, limit: usize) -> &str {
    let mut units = 0;
    for (at, c) in text.char_indices() {
        units += c.len_utf16();
        if units > limit {
            return &text[..at];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_cut_on_character_boundaries() {
        assert_eq!(truncate_utf16("张三丰", 2), "张三");
        assert_eq!(truncate_utf16("a😀b", 2), "a");
        assert_eq!(truncate_utf16("a😀b", 3), "a😀");
        assert_eq!(truncate_utf16("abc", 10), "abc");
    }
}
