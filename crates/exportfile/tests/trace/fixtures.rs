//! Three exports of invented customers, written the way the app writes them, and the
//! keyed hash the app would pass in.

use std::ops::Range;

use dealervault_exportfile::{
    ExportWriter, FileFormat, Fingerprint, Manifest, ManifestBuilder, Watermark,
};
use sha2::{Digest, Sha256};

pub const HEADERS: [&str; 7] = [
    "姓名",
    "手机(脱敏)",
    "手机",
    "身份证号",
    "邮箱",
    "区",
    "备注",
];
/// Free text carries the fingerprint; values people paste elsewhere do not.
pub const TAGGED: [bool; 7] = [true, false, false, false, false, false, true];
pub const NAME: usize = 0;
pub const MASKED_MOBILE: usize = 1;
pub const MOBILE: usize = 2;

/// Stands in for the app's blind index: a hash under a key the file never holds.
pub fn index(text: &str) -> [u8; 16] {
    let digest = Sha256::new()
        .chain_update(b"export-manifest test key")
        .chain_update(text.as_bytes())
        .finalize();
    let mut out = [0; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

/// One export as the app keeps it: the file, and beside it the id, fingerprint and
/// manifest (read back from its bytes, as the app would).
pub struct Export {
    pub id: String,
    pub fingerprint: Fingerprint,
    pub manifest: Manifest,
    pub bytes: Vec<u8>,
}

/// Customers `range` of the invented population `seed`, exported as export number `n`.
pub fn export(format: FileFormat, n: u64, seed: u64, range: Range<u64>) -> Export {
    let rows = range.map(|i| customer_row(seed, i).to_vec());
    write_export(format, n, &HEADERS, &TAGGED, rows)
}

/// As [`export`], for someone allowed to see names and mobiles only masked.
pub fn masked_export(format: FileFormat, n: u64, seed: u64, range: Range<u64>) -> Export {
    let rows = range.map(|i| {
        let [name, masked_mobile, ..] = customer_row(seed, i);
        let surname: String = name.chars().take(1).collect();
        vec![format!("{surname}*"), masked_mobile]
    });
    write_export(format, n, &HEADERS[..2], &TAGGED[..2], rows)
}

fn write_export(
    format: FileFormat,
    n: u64,
    headers: &[&str],
    tagged: &[bool],
    rows: impl Iterator<Item = Vec<String>>,
) -> Export {
    let id = format!("0193a1b2-c3d4-7e5f-8a9b-{n:012x}");
    let fingerprint = Fingerprint(0x9E37_79B9u32.wrapping_mul(n as u32 + 1));
    let watermark = Watermark {
        export_id: id.clone(),
        exported_by: "王经理 (salesmgr01)".to_owned(),
        exported_at: "2026-11-30 14:05 +08:00".to_owned(),
    };
    let mut writer =
        ExportWriter::new(format, Vec::new(), &watermark, fingerprint, headers, tagged)
            .expect("a valid export");
    let mut manifest = ManifestBuilder::new(headers, &index);
    for row in rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        writer.write_row(&cells).expect("a row of the right width");
        manifest.add_row(&cells).expect("few rows");
    }
    let bytes = writer.finish().expect("written to memory");
    let manifest = Manifest::from_bytes(&manifest.finish().to_bytes()).expect("its own bytes");
    Export {
        id,
        fingerprint,
        manifest,
        bytes,
    }
}

/// Export 0 holds customers 0..300; export 1 customers 200..500 of the same population
/// (100 in common with export 0); export 2 other people altogether.
pub fn three_exports(format: FileFormat) -> [Export; 3] {
    [
        export(format, 0, 1, 0..300),
        export(format, 1, 1, 200..500),
        export(format, 2, 2, 0..300),
    ]
}

/// Name, masked mobile, mobile, ID number (masked for every other customer), e-mail,
/// district, notes.
pub fn customer_row(seed: u64, i: u64) -> [String; 7] {
    let c = dealervault_synthetic::customer(seed, i);
    let masked_mobile = format!("{}****{}", &c.mobile[..3], &c.mobile[7..]);
    let id_number = if i % 2 == 0 {
        c.id_number.clone()
    } else {
        format!("{}********{}", &c.id_number[..6], &c.id_number[14..])
    };
    let after_city = c.address.strip_prefix("上海市").unwrap_or(&c.address);
    let district: String = match after_city.find('区') {
        Some(end) => after_city[..end + '区'.len_utf8()].to_owned(),
        None => after_city.to_owned(),
    };
    [
        c.name,
        masked_mobile,
        c.mobile,
        id_number,
        c.email.unwrap_or_default(),
        district,
        c.notes.unwrap_or_default(),
    ]
}
