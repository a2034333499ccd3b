//! CSV as Excel opens it without asking: UTF-8 with a byte order mark (without one,
//! Chinese Windows reads it as GBK), RFC 4180 quoting, CRLF line ends.

use std::borrow::Cow;
use std::io::Write;

use super::WriteError;

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(super) struct CsvSheet<W: Write> {
    writer: ::csv::Writer<W>,
}

impl<W: Write> CsvSheet<W> {
    pub(super) fn new(mut sink: W) -> Result<Self, WriteError> {
        sink.write_all(BOM)?;
        let writer = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            // The watermark rows have one cell, the others one per column.
            .flexible(true)
            .from_writer(sink);
        Ok(Self { writer })
    }

    pub(super) fn watermark(&mut self, line: &str) -> Result<(), WriteError> {
        self.row(&[line])
    }

    pub(super) fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<(), WriteError> {
        for cell in cells {
            self.writer.write_field(defuse(cell.as_ref()).as_bytes())?;
        }
        self.writer.write_record(None::<&[u8]>)?;
        Ok(())
    }

    pub(super) fn finish(self) -> Result<W, WriteError> {
        self.writer
            .into_inner()
            .map_err(|e| WriteError::Io(e.into_error()))
    }
}

/// A value that Excel would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage
/// return before one), made text by a leading apostrophe, as Excel itself does. A
/// customer's name must never become a formula on a colleague's computer.
fn defuse(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

impl From<::csv::Error> for WriteError {
    fn from(e: ::csv::Error) -> Self {
        Self::Io(e.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_other_values_stay() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("+86 138"), "'+86 138");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("张三"), "张三");
        assert_eq!(defuse(""), "");
    }

    #[test]
    fn rows_are_quoted_and_end_in_crlf_after_a_bom() -> Result<(), WriteError> {
        let mut sheet = CsvSheet::new(Vec::new())?;
        sheet.watermark("机密")?;
        sheet.row(&["a,b", "say \"hi\"", "line\nbreak", ""])?;
        let bytes = sheet.finish()?;
        assert_eq!(
            bytes,
            "\u{FEFF}机密\r\n\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",\r\n".as_bytes()
        );
        Ok(())
    }
}
