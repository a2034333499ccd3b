//! What people do to a file before it leaks: delete rows and columns, shuffle, strip
//! invisible characters, retype mobiles, and save it again with another program.

use dealervault_exportfile::{find_export_ids, read_leaked};
use encoding_rs::GBK;
use rust_xlsxwriter::Workbook;

pub type Rows = Vec<Vec<String>>;

pub fn cells(bytes: &[u8]) -> Rows {
    read_leaked(bytes).expect("a file the writer made").rows
}

pub fn without_watermark(rows: Rows) -> Rows {
    rows.into_iter()
        .filter(|row| row.iter().all(|cell| find_export_ids(cell).is_empty()))
        .collect()
}

/// What a find-and-replace of the zero-width characters leaves.
pub fn without_zero_width(rows: Rows) -> Rows {
    map_cells(rows, |cell| {
        cell.chars()
            .filter(|c| !matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}'))
            .collect()
    })
}

pub fn columns(rows: Rows, keep: &[usize]) -> Rows {
    rows.into_iter()
        .map(|row| keep.iter().filter_map(|&i| row.get(i).cloned()).collect())
        .collect()
}

/// A fixed permutation, the same on every run.
pub fn shuffled(mut rows: Rows) -> Rows {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    for i in (1..rows.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = ((state >> 33) % (i as u64 + 1)) as usize;
        rows.swap(i, j);
    }
    rows
}

/// A way of writing a mobile.
pub type Style = fn(&str) -> String;

/// Every clear mobile (11 digits starting with 1) rewritten by `style`.
pub fn mobiles_rewritten(rows: Rows, style: Style) -> Rows {
    map_cells(rows, |cell| {
        let is_mobile =
            cell.len() == 11 && cell.starts_with('1') && cell.bytes().all(|b| b.is_ascii_digit());
        if is_mobile {
            style(cell)
        } else {
            cell.to_owned()
        }
    })
}

fn map_cells(rows: Rows, f: impl Fn(&str) -> String) -> Rows {
    rows.into_iter()
        .map(|row| row.iter().map(|cell| f(cell)).collect())
        .collect()
}

/// As a plain CSV library saves: UTF-8 without a byte order mark, LF line ends.
pub fn to_csv(rows: &Rows) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).expect("written to memory");
    }
    writer.into_inner().expect("flushed to memory")
}

/// As Excel on Chinese Windows saves "CSV": GBK, with `?` for what GBK cannot hold.
pub fn to_gbk_csv(rows: &Rows) -> Vec<u8> {
    let text = String::from_utf8(to_csv(rows)).expect("UTF-8 from the CSV writer");
    let representable: String = text
        .chars()
        .map(|c| {
            let (_, _, unmappable) = GBK.encode(c.encode_utf8(&mut [0; 4]));
            if unmappable {
                '?'
            } else {
                c
            }
        })
        .collect();
    let (bytes, _, _) = GBK.encode(&representable);
    bytes.into_owned()
}

/// As a spreadsheet program saves XLSX (shared strings, no watermark styling). With
/// `numbers`, cells of digits become numbers, as when Excel opens a CSV.
pub fn to_xlsx(rows: &Rows, numbers: bool) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            let digits = !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit());
            match cell.parse::<f64>() {
                Ok(number) if numbers && digits => sheet.write_number(r, c, number),
                _ if cell.is_empty() => continue,
                _ => sheet.write_string(r, c, cell),
            }
            .expect("a cell inside the sheet");
        }
    }
    workbook.save_to_buffer().expect("saved to memory")
}
