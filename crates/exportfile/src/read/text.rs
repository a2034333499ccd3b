//! CSV and other delimited text: decoded from UTF-8, UTF-16 (Excel's "Unicode Text") or
//! GB18030 (what Excel on Chinese Windows saves a CSV as), delimiter guessed.

use std::borrow::Cow;

use encoding_rs::{Encoding, GB18030, UTF_8};

use super::{ReadError, MAX_ROWS};

const DELIMITERS: [u8; 3] = [b',', b'\t', b';'];
/// How much of the text the delimiter is guessed from.
const SNIFF_BYTES: usize = 64 * 1024;
const SNIFF_RECORDS: usize = 100;
/// Text has no NUL bytes; nearly every binary format has some near its start.
const BINARY_PROBE: usize = 8 * 1024;

pub(super) fn rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReadError> {
    let text = decode(bytes)?;
    let delimiter = sniff(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ReadError::Corrupt(format!("bad CSV: {e}")))?;
        if rows.len() == MAX_ROWS {
            return Err(ReadError::TooLarge);
        }
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Ok(rows)
}

fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ReadError> {
    let (encoding, bom) = Encoding::for_bom(bytes).unwrap_or((UTF_8, 0));
    let body = &bytes[bom..];
    if encoding != UTF_8 {
        // UTF-16, announced by its byte order mark.
        return encoding
            .decode_without_bom_handling_and_without_replacement(body)
            .ok_or_else(|| {
                ReadError::Corrupt(format!("text that is not valid {}", encoding.name()))
            });
    }
    if body[..body.len().min(BINARY_PROBE)].contains(&0) {
        return Err(ReadError::Unsupported("binary data"));
    }
    match std::str::from_utf8(body) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        // Cut off in the middle of a character, as a truncated download is: keep the
        // whole characters before it.
        Err(e) if e.error_len().is_none() => Ok(Cow::Borrowed(
            std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or_default(),
        )),
        Err(_) => GB18030
            .decode_without_bom_handling_and_without_replacement(body)
            .ok_or_else(|| ReadError::Corrupt("text that is neither UTF-8 nor GB18030".to_owned())),
    }
}

/// The delimiter that splits the first records into the most rows of one width (more
/// than one column); a comma when none does.
fn sniff(text: &str) -> u8 {
    let mut end = text.len().min(SNIFF_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let mut best = (DELIMITERS[0], 0);
    for delimiter in DELIMITERS {
        let consistent = consistent_rows(sample, delimiter);
        if consistent > best.1 {
            best = (delimiter, consistent);
        }
    }
    best.0
}

/// How many of the sample's records have the most common width, if that is above one.
fn consistent_rows(sample: &str, delimiter: u8) -> usize {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(sample.as_bytes());
    let mut widths: Vec<usize> = reader
        .records()
        .take(SNIFF_RECORDS)
        .filter_map(Result::ok)
        .map(|record| record.len())
        .filter(|&width| width > 1)
        .collect();
    widths.sort_unstable();
    widths
        .chunk_by(|a, b| a == b)
        .map(<[usize]>::len)
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_one_that_makes_columns() {
        assert_eq!(sniff("a,b,c\r\n1,2,3\r\n"), b',');
        assert_eq!(sniff("a\tb\tc\n1\t2,5\t3\n"), b'\t');
        assert_eq!(sniff("a;b;c\n\"x,y\";2;3\n"), b';');
        assert_eq!(sniff("one column\nonly\n"), b',');
    }

    #[test]
    fn gb18030_and_utf16_text_is_decoded() {
        let (gbk, _, _) = GB18030.encode("姓名,手机\r\n张三,13812345678\r\n");
        assert_eq!(
            rows(&gbk),
            Ok(vec![
                vec!["姓名".to_owned(), "手机".to_owned()],
                vec!["张三".to_owned(), "13812345678".to_owned()],
            ])
        );
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("姓名\t手机\n".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            rows(&utf16),
            Ok(vec![vec!["姓名".to_owned(), "手机".to_owned()]])
        );
    }

    #[test]
    fn a_character_cut_at_the_end_is_dropped() {
        let text = "姓名\n张三".as_bytes();
        let cut = &text[..text.len() - 1];
        assert_eq!(
            rows(cut),
            Ok(vec![vec!["姓名".to_owned()], vec!["张".to_owned()]])
        );
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert_eq!(
            rows(b"abc\0def"),
            Err(ReadError::Unsupported("binary data"))
        );
    }
}
