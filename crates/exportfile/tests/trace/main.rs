//! A leaked file, whatever was done to it, is traced to the export it came from, among
//! three exports that share customers or not; a file of other customers to none.

mod fixtures;
mod resave;

use dealervault_exportfile::{read_leaked, score, Evidence, FileFormat};
use fixtures::{export, index, masked_export, three_exports, Export, MASKED_MOBILE, MOBILE, NAME};
use resave::{
    cells, columns, mobiles_rewritten, shuffled, to_csv, to_gbk_csv, to_xlsx, without_watermark,
    without_zero_width, Rows, Style,
};

const FORMATS: [FileFormat; 2] = [FileFormat::Csv, FileFormat::Xlsx];

fn evidence(leaked: &[u8], exports: &[Export]) -> Vec<Evidence> {
    let file = read_leaked(leaked).expect("a readable leak");
    exports
        .iter()
        .map(|e| score(&file, &e.manifest, &index, &e.id, e.fingerprint))
        .collect()
}

/// Export `expected` matches, with a higher confidence than every other.
fn assert_traced(what: &str, evidence: &[Evidence], expected: usize) {
    let best = evidence[expected];
    assert!(best.is_match(), "{what}: {best:?}");
    for (i, other) in evidence.iter().enumerate().filter(|&(i, _)| i != expected) {
        assert!(
            other.confidence() < best.confidence(),
            "{what}: export {i} {other:?} ranks with export {expected} {best:?}"
        );
    }
}

/// The same rows saved again in `format` by another program.
fn resave(rows: &Rows, format: FileFormat) -> Vec<u8> {
    match format {
        FileFormat::Csv => to_csv(rows),
        FileFormat::Xlsx => to_xlsx(rows, false),
    }
}

fn content_only(rows_in_file: usize, rows_matched: usize) -> Evidence {
    Evidence {
        rows_in_file,
        rows_matched,
        watermark: false,
        fingerprint: false,
    }
}

#[test]
fn the_whole_file_names_its_export() {
    for format in FORMATS {
        let exports = three_exports(format);
        let found = evidence(&exports[0].bytes, &exports);
        assert_traced(&format!("{format:?}"), &found, 0);
        assert_eq!(
            found[0],
            Evidence {
                rows_in_file: 300,
                rows_matched: 300,
                watermark: true,
                fingerprint: true
            }
        );
        assert!((found[0].confidence() - 1.0).abs() < 1e-9);
        assert_eq!(found[1], content_only(300, 100), "{format:?}");
        assert_eq!(found[2], content_only(300, 0), "{format:?}");
        assert_traced(
            &format!("{format:?}, export 1"),
            &evidence(&exports[1].bytes, &exports),
            1,
        );
    }
}

#[test]
fn twenty_rows_without_the_watermark_carry_the_fingerprint() {
    for format in FORMATS {
        let exports = three_exports(format);
        let rows = without_watermark(cells(&exports[0].bytes));
        let mut leaked = vec![rows[0].clone()];
        leaked.extend_from_slice(&rows[11..31]);
        let found = evidence(&resave(&leaked, format), &exports);
        assert_traced(&format!("{format:?}"), &found, 0);
        assert!(found[0].fingerprint && !found[0].watermark);
        assert_eq!((found[0].rows_in_file, found[0].rows_matched), (20, 20));
        assert_eq!(found[1], content_only(20, 0));
    }
}

#[test]
fn shuffled_rows_are_traced() {
    for format in FORMATS {
        let exports = three_exports(format);
        let leaked = shuffled(without_watermark(cells(&exports[0].bytes)));
        let found = evidence(&resave(&leaked, format), &exports);
        assert_traced(&format!("{format:?}"), &found, 0);
        assert_eq!((found[0].rows_in_file, found[0].rows_matched), (300, 300));
    }
}

#[test]
fn a_name_and_a_masked_mobile_are_enough_without_any_mark() {
    for format in FORMATS {
        let exports = three_exports(format);
        let rows = without_zero_width(cells(&exports[0].bytes));
        let leaked = without_watermark(columns(rows, &[NAME, MASKED_MOBILE]));
        let found = evidence(&resave(&leaked, format), &exports);
        assert_traced(&format!("{format:?}"), &found, 0);
        assert_eq!(found[0], content_only(300, 300), "{format:?}");
        assert_eq!(found[1], content_only(300, 100), "{format:?}");
    }
}

#[test]
fn the_masked_mobile_alone_is_not_enough() {
    for format in FORMATS {
        let exports = three_exports(format);
        let leaked = columns(cells(&exports[0].bytes), &[MASKED_MOBILE]);
        let found = evidence(&resave(&leaked, format), &exports);
        assert_eq!(found[0], content_only(300, 0), "{format:?}");
        assert!(!found[0].is_match());
    }
}

#[test]
fn clear_mobiles_alone_are_traced() {
    for format in FORMATS {
        let exports = three_exports(format);
        let leaked = columns(cells(&exports[0].bytes), &[MOBILE]);
        let found = evidence(&resave(&leaked, format), &exports);
        assert_traced(&format!("{format:?}"), &found, 0);
        assert_eq!(found[0], content_only(300, 300), "{format:?}");
    }
}

#[test]
fn resaving_in_the_other_format_keeps_every_mark() {
    for format in FORMATS {
        let exports = three_exports(format);
        let rows = cells(&exports[0].bytes);
        let other = match format {
            // Excel opening the CSV turns mobiles and ID numbers into numbers.
            FileFormat::Csv => to_xlsx(&rows, true),
            FileFormat::Xlsx => to_csv(&rows),
        };
        let found = evidence(&other, &exports);
        assert_traced(&format!("{format:?}"), &found, 0);
        assert!(found[0].watermark && found[0].fingerprint, "{format:?}");
        assert_eq!(found[0].rows_matched, 300, "{format:?}");
    }
}

#[test]
fn resaving_without_zero_width_characters_or_watermark_leaves_the_content() {
    for format in FORMATS {
        let exports = three_exports(format);
        let rows = without_watermark(without_zero_width(cells(&exports[0].bytes)));
        let other = match format {
            FileFormat::Csv => to_xlsx(&rows, true),
            FileFormat::Xlsx => to_csv(&rows),
        };
        let found = evidence(&other, &exports);
        assert_traced(&format!("{format:?}"), &found, 0);
        assert_eq!(found[0], content_only(300, 300), "{format:?}");
    }
}

#[test]
fn rewritten_mobiles_are_traced() {
    let styles: [(&str, Style); 5] = [
        ("spaces", |m| {
            format!("{} {} {}", &m[..3], &m[3..7], &m[7..])
        }),
        ("dashes", |m| {
            format!("{}-{}-{}", &m[..3], &m[3..7], &m[7..])
        }),
        ("country code", |m| {
            format!("+86 {} {} {}", &m[..3], &m[3..7], &m[7..])
        }),
        ("Excel decimal", |m| format!("{m}.0")),
        ("Excel scientific", |m| {
            format!("{}.{}E+10", &m[..1], &m[1..])
        }),
    ];
    for format in FORMATS {
        let exports = three_exports(format);
        for (style_name, style) in styles {
            let rows = columns(cells(&exports[0].bytes), &[MOBILE]);
            let leaked = mobiles_rewritten(rows, style);
            let found = evidence(&resave(&leaked, format), &exports);
            let what = format!("{format:?}, {style_name}");
            assert_traced(&what, &found, 0);
            assert_eq!(found[0], content_only(300, 300), "{what}");
        }
    }
}

#[test]
fn stripped_fingerprints_leave_the_watermark_and_the_content() {
    for format in FORMATS {
        let exports = three_exports(format);
        let leaked = without_zero_width(cells(&exports[0].bytes));
        let found = evidence(&resave(&leaked, format), &exports);
        assert_traced(&format!("{format:?}"), &found, 0);
        assert!(found[0].watermark && !found[0].fingerprint);
        assert_eq!(found[0].rows_matched, 300);
    }
}

#[test]
fn a_gbk_csv_loses_the_fingerprint_but_not_the_names() {
    for format in FORMATS {
        let exports = three_exports(format);
        let rows = cells(&exports[0].bytes);
        let found = evidence(&to_gbk_csv(&rows), &exports);
        assert_traced(&format!("{format:?}"), &found, 0);
        assert!(found[0].watermark && !found[0].fingerprint);
        assert_eq!(found[0].rows_matched, 300);

        // The names still match through the question marks the fingerprint became.
        let names = without_watermark(columns(rows, &[NAME, MASKED_MOBILE]));
        let found = evidence(&to_gbk_csv(&names), &exports);
        assert_eq!(found[0], content_only(300, 300), "{format:?}");
    }
}

#[test]
fn rows_in_two_exports_are_told_apart_by_the_fingerprint_alone() {
    for format in FORMATS {
        let exports = three_exports(format);
        // Customers 200..220: in export 0 at rows 200..220, in export 1 at rows 0..20.
        let rows = without_watermark(cells(&exports[0].bytes));
        let mut leaked = vec![rows[0].clone()];
        leaked.extend_from_slice(&rows[201..221]);
        let found = evidence(&resave(&leaked, format), &exports);
        assert_traced(&format!("{format:?}"), &found, 0);
        assert_eq!(found[1], content_only(20, 20));

        // Without the fingerprint, content cannot tell them apart.
        let found = evidence(&resave(&without_zero_width(leaked), format), &exports);
        assert_eq!(found[0], content_only(20, 20));
        assert_eq!(found[0].confidence(), found[1].confidence());
    }
}

#[test]
fn other_customers_match_no_export() {
    for format in FORMATS {
        let exports = three_exports(format);
        let other = export(format, 3, 3, 0..300);
        let found = evidence(&other.bytes, &exports);
        for (i, e) in found.iter().enumerate() {
            assert_eq!(*e, content_only(300, 0), "{format:?}, export {i}");
            assert!(!e.is_match());
            assert_eq!(e.confidence(), 0.0);
        }
    }
}

#[test]
fn a_masked_name_with_a_masked_mobile_is_enough_but_neither_alone() {
    for format in FORMATS {
        let exports = [
            masked_export(format, 0, 1, 0..300),
            masked_export(format, 1, 1, 200..500),
            masked_export(format, 2, 2, 0..300),
        ];
        let rows = without_watermark(without_zero_width(cells(&exports[0].bytes)));
        let found = evidence(&resave(&rows, format), &exports);
        assert_traced(&format!("{format:?}"), &found, 0);
        assert_eq!(found[0], content_only(300, 300), "{format:?}");
        assert_eq!(found[2], content_only(300, 0), "{format:?}");
        for column in [0, 1] {
            let alone = evidence(&resave(&columns(rows.clone(), &[column]), format), &exports);
            assert_eq!(
                alone[0],
                content_only(300, 0),
                "{format:?}, column {column}"
            );
        }
    }
}

#[test]
fn a_single_row_under_its_header_is_a_match() {
    for format in FORMATS {
        let exports = three_exports(format);
        let rows = without_watermark(without_zero_width(cells(&exports[0].bytes)));
        let leaked = columns(vec![rows[0].clone(), rows[100].clone()], &[NAME, MOBILE]);
        let found = evidence(&resave(&leaked, format), &exports);
        // The header row is not counted as a customer, so the one row is all of them.
        assert_eq!(found[0], content_only(1, 1), "{format:?}");
        assert_traced(&format!("{format:?}"), &found, 0);
    }
}
