//! The writer streams, keeps every value, and refuses what would make a bad file.

use std::cell::Cell;
use std::io::{self, Write};
use std::rc::Rc;

use dealervault_exportfile::{
    find_fingerprints, read_leaked, ExportWriter, FileFormat, Fingerprint, Watermark, WriteError,
};

const FORMATS: [FileFormat; 2] = [FileFormat::Csv, FileFormat::Xlsx];
const ID: &str = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

fn watermark() -> Watermark {
    Watermark {
        export_id: ID.to_owned(),
        exported_by: "王经理 (salesmgr01)".to_owned(),
        exported_at: "2026-11-30 14:05 +08:00".to_owned(),
    }
}

const HEADERS: [&str; 10] = [
    "姓名",
    "手机",
    "身份证号",
    "邮箱",
    "区",
    "地址",
    "来源",
    "意向车型",
    "销售顾问",
    "备注",
];
const TAGGED: [bool; 10] = [
    true, false, false, false, false, true, false, false, false, true,
];

/// Counts the bytes that reach it, where the test can still see them while the writer
/// owns the sink.
#[derive(Debug, Default, Clone)]
struct CountingSink(Rc<Cell<usize>>);

impl Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn row(i: usize) -> [String; 10] {
    [
        format!("客户{i}"),
        format!("13{:09}", i * 7919 % 1_000_000_000),
        format!("310104199{:01}0101{:04}", i % 10, i % 10_000),
        format!("customer{i}@example.com"),
        "徐汇区".to_owned(),
        format!("上海市徐汇区漕溪北路{}号", i % 2000),
        "walk_in".to_owned(),
        "比亚迪宋PLUS DM-i".to_owned(),
        "李销售".to_owned(),
        format!("第{i}位客户, 预算20万, \"周末\"到店"),
    ]
}

#[test]
fn a_hundred_thousand_rows_of_ten_columns_stream_to_a_sink() -> Result<(), WriteError> {
    for format in FORMATS {
        let mut writer = ExportWriter::new(
            format,
            io::sink(),
            &watermark(),
            Fingerprint(7),
            &HEADERS,
            &TAGGED,
        )?;
        for i in 0..100_000 {
            let cells = row(i);
            let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
            writer.write_row(&cells)?;
        }
        writer.finish()?;
    }
    Ok(())
}

#[test]
fn the_sink_receives_the_file_while_rows_are_written() -> Result<(), WriteError> {
    for format in FORMATS {
        let sink = CountingSink::default();
        let mut writer = ExportWriter::new(
            format,
            sink.clone(),
            &watermark(),
            Fingerprint(7),
            &HEADERS,
            &TAGGED,
        )?;
        let mut at_half = 0;
        for i in 0..20_000 {
            if i == 10_000 {
                at_half = sink.0.get();
            }
            let cells = row(i);
            let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
            writer.write_row(&cells)?;
        }
        writer.finish()?;
        let total = sink.0.get();
        // Nothing is held back for the end: half the rows, about half the bytes.
        assert!(
            at_half * 4 > total,
            "{format:?}: {at_half} of {total} bytes at half"
        );
    }
    Ok(())
}

#[test]
fn every_value_reads_back_as_written() -> Result<(), WriteError> {
    let values = [
        "a, b; c\td",
        "say \"hi\"",
        "two\nlines",
        "<b>&amp;</b>",
        " padded ",
        "😀 李四",
        "",
        "138****5678",
    ];
    for format in FORMATS {
        let mut writer = ExportWriter::new(
            format,
            Vec::new(),
            &watermark(),
            Fingerprint(0xABCD_1234),
            &["备注", "其他"],
            &[true, false],
        )?;
        for value in values {
            writer.write_row(&[value, value])?;
        }
        let bytes = writer.finish()?;
        let file = read_leaked(&bytes).expect("its own file");
        assert_eq!(file.export_ids, vec![ID.to_owned()], "{format:?}");
        assert_eq!(
            file.fingerprints,
            vec![Fingerprint(0xABCD_1234)],
            "{format:?}"
        );
        let rows = &file.rows;
        assert_eq!(rows.len(), values.len() + 3, "{format:?}");
        assert_eq!(rows[0][0], watermark().line());
        assert_eq!(rows[rows.len() - 1][0], watermark().line());
        assert_eq!(rows[1], vec!["备注".to_owned(), "其他".to_owned()]);
        for (row, value) in rows[2..].iter().zip(values) {
            assert_eq!(row[1], value, "{format:?}");
            // The tagged column carries the mark after the value, and only where
            // there is a value.
            let tagged = &row[0];
            assert!(tagged.starts_with(value), "{format:?}: {tagged:?}");
            assert_eq!(
                find_fingerprints(tagged).len(),
                usize::from(!value.is_empty())
            );
        }
    }
    Ok(())
}

#[test]
fn formulas_are_defused_in_csv_and_stay_text_in_xlsx() -> Result<(), WriteError> {
    for format in FORMATS {
        let mut writer = ExportWriter::new(
            format,
            Vec::new(),
            &watermark(),
            Fingerprint(1),
            &["备注"],
            &[false],
        )?;
        writer.write_row(&["=HYPERLINK(\"http://x\",\"y\")"])?;
        let file = read_leaked(&writer.finish()?).expect("its own file");
        let expected = match format {
            FileFormat::Csv => "'=HYPERLINK(\"http://x\",\"y\")",
            FileFormat::Xlsx => "=HYPERLINK(\"http://x\",\"y\")",
        };
        assert_eq!(file.rows[2][0], expected);
    }
    Ok(())
}

#[test]
fn what_would_make_a_bad_file_is_refused() {
    let mut bad_id = watermark();
    bad_id.export_id = "export-42".to_owned();
    for format in FORMATS {
        assert!(matches!(
            ExportWriter::new(
                format,
                Vec::new(),
                &bad_id,
                Fingerprint(1),
                &["a"],
                &[false]
            ),
            Err(WriteError::InvalidExportId(_))
        ));
        assert!(matches!(
            ExportWriter::new(
                format,
                Vec::new(),
                &watermark(),
                Fingerprint(1),
                &["a", "b"],
                &[false]
            ),
            Err(WriteError::ColumnCount {
                expected: 2,
                found: 1
            })
        ));
        let mut writer = ExportWriter::new(
            format,
            Vec::new(),
            &watermark(),
            Fingerprint(1),
            &["a", "b"],
            &[false, false],
        )
        .expect("a valid export");
        assert!(matches!(
            writer.write_row(&["only one"]),
            Err(WriteError::ColumnCount {
                expected: 2,
                found: 1
            })
        ));
    }
    let too_wide = vec!["x"; 16_385];
    let tagged = vec![false; 16_385];
    assert!(matches!(
        ExportWriter::new(
            FileFormat::Xlsx,
            Vec::new(),
            &watermark(),
            Fingerprint(1),
            &too_wide,
            &tagged
        ),
        Err(WriteError::TooManyColumns)
    ));
}
