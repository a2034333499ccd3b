//! XLSX written as it streams: a minimal SpreadsheetML package in a zip whose entries
//! carry their sizes after the data (data descriptors), so nothing is ever rewritten
//! and the sink needs no `Seek`. `rust_xlsxwriter` is not used because it needs `Seek`
//! or holds the whole file in memory, and no maintained crate streams XLSX to a plain
//! `Write`; the package below is all Excel, LibreOffice and calamine need.
//!
//! Cells are inline strings (`t="inlineStr"`): no shared-string table to hold in memory
//! until the end, and every value stays text (a mobile is not turned into a number).

use std::fmt::Write as _;
use std::io::Write;

use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, ZipWriter};

use super::WriteError;
use crate::watermark::Watermark;

/// Excel's limit on a cell's text, in UTF-16 units.
pub(super) const MAX_CELL_UNITS: usize = 32_767;
/// Excel's sheet size.
const MAX_COLUMNS: usize = 16_384;
const MAX_ROWS: u32 = 1_048_576;
/// Excel's limit on a page header or footer, formatting codes included.
const MAX_HEADER_FOOTER: usize = 255;
/// Fast deflate: the sheet's XML is repetitive enough that the best levels gain little
/// and cost several times the time.
const COMPRESSION_LEVEL: i64 = 1;

/// Styles by index in `styles.xml`.
const STYLE_HEADER: u8 = 1;
const STYLE_WATERMARK: u8 = 2;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

/// One sheet; its first two rows (watermark and header) are printed on every page.
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Export" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">Export!$1:$2</definedName></definedNames></workbook>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

/// Plain, bold (the header), bold dark red (the watermark).
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><color rgb="FFC00000"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#;

/// The worksheet up to its first row: the watermark and header rows stay on screen.
const SHEET_START: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#;

pub(super) struct XlsxSheet<W: Write> {
    zip: ZipWriter<StreamWriter<W>>,
    /// `A`, `B`, … for each column, so that a cell reference costs no division.
    columns: Vec<String>,
    /// The 1-based number of the next row.
    next_row: u32,
    /// The `<headerFooter>` element, ready for the end of the sheet.
    header_footer: String,
    /// One row's XML, reused.
    xml: String,
}

impl<W: Write> XlsxSheet<W> {
    pub(super) fn new(sink: W, watermark: &Watermark, columns: usize) -> Result<Self, WriteError> {
        if columns > MAX_COLUMNS {
            return Err(WriteError::TooManyColumns);
        }
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(COMPRESSION_LEVEL));
        let mut zip = ZipWriter::new_stream(sink);
        for (name, xml) in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/styles.xml", STYLES),
        ] {
            zip.start_file(name, options)?;
            zip.write_all(xml.as_bytes())?;
        }
        zip.start_file("xl/worksheets/sheet1.xml", options)?;
        zip.write_all(SHEET_START.as_bytes())?;
        if columns > 0 {
            // Wide enough for a name, a mobile or an ID number without dragging.
            write!(
                zip,
                r#"<cols><col min="1" max="{columns}" width="20" customWidth="1"/></cols>"#
            )?;
        }
        zip.write_all(b"<sheetData>")?;
        Ok(Self {
            zip,
            columns: (0..columns.max(1)).map(column_name).collect(),
            next_row: 1,
            header_footer: header_footer(watermark),
            xml: String::new(),
        })
    }

    pub(super) fn watermark(&mut self, line: &str) -> Result<(), WriteError> {
        self.push_row(&[line], Some(STYLE_WATERMARK))
    }

    pub(super) fn header(&mut self, headers: &[&str]) -> Result<(), WriteError> {
        self.push_row(headers, Some(STYLE_HEADER))
    }

    pub(super) fn row(&mut self, cells: &[String]) -> Result<(), WriteError> {
        // One row stays free for the closing watermark.
        if self.next_row >= MAX_ROWS {
            return Err(WriteError::TooManyRows);
        }
        self.push_row(cells, None)
    }

    pub(super) fn finish(mut self) -> Result<W, WriteError> {
        self.zip.write_all(b"</sheetData>")?;
        self.zip.write_all(
            br#"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#,
        )?;
        self.zip.write_all(self.header_footer.as_bytes())?;
        self.zip.write_all(b"</worksheet>")?;
        Ok(self.zip.finish()?.into_inner())
    }

    fn push_row<S: AsRef<str>>(
        &mut self,
        cells: &[S],
        style: Option<u8>,
    ) -> Result<(), WriteError> {
        let row = self.next_row;
        self.xml.clear();
        // Writing to a `String` cannot fail.
        let _ = write!(self.xml, r#"<row r="{row}">"#);
        for (cell, column) in cells.iter().zip(&self.columns) {
            let text = cell.as_ref();
            if text.is_empty() {
                continue;
            }
            let _ = write!(self.xml, r#"<c r="{column}{row}" t="inlineStr""#);
            if let Some(style) = style {
                let _ = write!(self.xml, r#" s="{style}""#);
            }
            self.xml.push_str(r#"><is><t xml:space="preserve">"#);
            push_xml_text(&mut self.xml, text);
            self.xml.push_str("</t></is></c>");
        }
        self.xml.push_str("</row>");
        self.zip.write_all(self.xml.as_bytes())?;
        self.next_row += 1;
        Ok(())
    }
}

/// `A` for 0, `Z` for 25, `AA` for 26, …
fn column_name(index: usize) -> String {
    let mut name = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        n -= 1;
        name.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    name.iter().rev().map(|&b| char::from(b)).collect()
}

/// Appends `text` escaped for XML, dropping the characters XML cannot carry at all
/// (control characters other than tab, line feed and carriage return; U+FFFE, U+FFFF).
fn push_xml_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A literal CR would be read back as a line feed.
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {}
            _ => out.push(c),
        }
    }
}

/// The page header carries the watermark line (the short one if the line is over
/// Excel's limit), the footer the export id and the page number, so that every printed
/// page names the export.
fn header_footer(watermark: &Watermark) -> String {
    let line = page_text(&watermark.line());
    let header = if line.chars().count() + 2 <= MAX_HEADER_FOOTER {
        line
    } else {
        page_text(&watermark.short_line())
    };
    let mut out = String::from("<headerFooter><oddHeader>&amp;C");
    push_xml_text(&mut out, &header);
    out.push_str("</oddHeader><oddFooter>&amp;L");
    push_xml_text(&mut out, &page_text(&watermark.short_line()));
    out.push_str("&amp;R&amp;P / &amp;N</oddFooter></headerFooter>");
    out
}

/// Text for a page header or footer, where `&` starts a formatting code: a literal one
/// is doubled.
fn page_text(text: &str) -> String {
    text.replace('&', "&&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_excel_names_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(column_name(MAX_COLUMNS - 1), "XFD");
    }

    #[test]
    fn text_is_escaped_and_stripped_of_what_xml_cannot_hold() {
        let mut out = String::new();
        push_xml_text(&mut out, "a<b>&c\r\n\t\u{1}\u{FFFF}张\u{200B}");
        assert_eq!(out, "a&lt;b&gt;&amp;c&#13;\n\t张\u{200B}");
    }

    #[test]
    fn the_page_header_names_the_export_even_for_a_long_name() {
        let mut watermark = Watermark {
            export_id: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".to_owned(),
            exported_by: "R&D 王经理".to_owned(),
            exported_at: "2026-11-30 14:05 +08:00".to_owned(),
        };
        let short = header_footer(&watermark);
        assert!(short.contains("R&amp;&amp;D 王经理"), "{short}");
        watermark.exported_by = "王".repeat(300);
        let long = header_footer(&watermark);
        assert!(!long.contains('王'));
        assert_eq!(
            long.matches("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b").count(),
            2
        );
    }
}
