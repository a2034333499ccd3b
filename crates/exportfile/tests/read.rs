//! What cannot be read is refused with the reason, never a panic.

use std::io::Write;

use dealervault_exportfile::{
    read_leaked, ExportWriter, FileFormat, Fingerprint, ReadError, Watermark, MAX_BYTES, MAX_ROWS,
};

fn small_xlsx() -> Vec<u8> {
    let watermark = Watermark {
        export_id: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".to_owned(),
        exported_by: "王经理 (salesmgr01)".to_owned(),
        exported_at: "2026-11-30 14:05 +08:00".to_owned(),
    };
    let mut writer = ExportWriter::new(
        FileFormat::Xlsx,
        Vec::new(),
        &watermark,
        Fingerprint(1),
        &["姓名", "手机"],
        &[true, false],
    )
    .expect("a valid export");
    for i in 0..50 {
        writer
            .write_row(&[&format!("客户{i}"), &format!("138{i:08}")])
            .expect("a row of the right width");
    }
    writer.finish().expect("written to memory")
}

#[test]
fn nothing_to_read_is_empty() {
    assert_eq!(read_leaked(b""), Err(ReadError::Empty));
    assert_eq!(read_leaked("\u{FEFF}".as_bytes()), Err(ReadError::Empty));
    assert_eq!(read_leaked(b",,\r\n  ,\r\n"), Err(ReadError::Empty));
}

#[test]
fn images_and_documents_are_unsupported() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    assert!(matches!(read_leaked(png), Err(ReadError::Unsupported(_))));
    assert!(matches!(
        read_leaked(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
        Err(ReadError::Unsupported(_))
    ));
    assert!(matches!(
        read_leaked(b"\x7fELF\x02\x01\x01\0\0\0"),
        Err(ReadError::Unsupported(_))
    ));
}

#[test]
fn a_zip_without_a_workbook_is_unsupported() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("notes.txt", zip::write::SimpleFileOptions::default())
        .expect("an entry");
    zip.write_all(b"hello").expect("written to memory");
    let bytes = zip.finish().expect("finished in memory").into_inner();
    assert!(matches!(
        read_leaked(&bytes),
        Err(ReadError::Unsupported(_))
    ));
}

#[test]
fn a_truncated_workbook_is_corrupt() {
    let xlsx = small_xlsx();
    assert!(read_leaked(&xlsx).is_ok());
    for keep in [xlsx.len() / 2, xlsx.len() - 10, 30] {
        assert!(
            matches!(read_leaked(&xlsx[..keep]), Err(ReadError::Corrupt(_))),
            "cut to {keep} of {}",
            xlsx.len()
        );
    }
}

#[test]
fn text_in_no_known_encoding_is_corrupt() {
    // 0xFF is no lead byte in UTF-8 or GB18030.
    assert!(matches!(
        read_leaked(b"a,b\r\n\xff\xfe\xff,c\r\n"),
        Err(ReadError::Corrupt(_))
    ));
}

#[test]
fn too_many_bytes_or_rows_are_too_large() {
    let mut big = vec![b'a'; MAX_BYTES];
    assert_ne!(read_leaked(&big), Err(ReadError::TooLarge));
    big.push(b'a');
    assert_eq!(read_leaked(&big), Err(ReadError::TooLarge));
    let rows = "1\n".repeat(MAX_ROWS + 1);
    assert_eq!(read_leaked(rows.as_bytes()), Err(ReadError::TooLarge));
    assert!(read_leaked("1\n".repeat(MAX_ROWS).as_bytes()).is_ok());
}

#[test]
fn every_refusal_explains_itself() {
    for (error, words) in [
        (ReadError::Empty, "empty"),
        (ReadError::Unsupported("a PNG image"), "a PNG image"),
        (
            ReadError::Corrupt("a broken zip archive".to_owned()),
            "damaged",
        ),
        (ReadError::TooLarge, "64 MiB"),
    ] {
        assert!(error.to_string().contains(words), "{error}");
    }
}
