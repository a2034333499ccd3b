//! `dealervault trace-leak` through the real binary, on the demo's own export history:
//! the file sales01 downloaded, and a doctored copy of twenty of its rows (no watermark,
//! no fingerprint, shuffled, mobiles retyped with spaces) both name that export; a file
//! of people nobody exported names none (exit 1); unreadable files exit 2 with a reason.

mod common;

use common::{dealervault, free_port, run, utf8, Api, Server};
use serde_json::Value;
use std::path::Path;

/// The characters the invisible fingerprint is written with.
const INVISIBLE: [char; 6] = [
    '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{2063}', '\u{FEFF}',
];

fn trace(data: &str, file: &Path) -> (Option<i32>, Value, String) {
    let out = run(&["trace-leak", "--data-dir", data, utf8(file)]);
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code(),
        json,
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// Twenty data rows, last first, without watermark or fingerprint, mobiles spaced out.
fn doctored(csv: &str) -> String {
    let clean: String = csv.chars().filter(|c| !INVISIBLE.contains(c)).collect();
    let rows: Vec<&str> = clean
        .split("\r\n")
        .filter(|l| !l.is_empty() && !l.contains("导出编号"))
        .skip(1)
        .collect();
    let mut out = String::from("客户,电话,来源\n");
    for row in rows.iter().rev().take(20) {
        let cells: Vec<String> = row
            .split(',')
            .map(|c| match c.find("****") {
                Some(at) => format!("{} {} {}", &c[..at], "****", &c[at + 4..]),
                None => c.to_string(),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

#[test]
fn a_leaked_file_names_the_export_it_came_from() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data_dir = dir.path().join("demo");
    let data = utf8(&data_dir);
    let made = run(&[
        "demo",
        "--data-dir",
        data,
        "--customers",
        "120",
        "--no-serve",
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    // sales01 fetches the demo's approved export once more.
    let port = free_port();
    let server = Server::start(
        dealervault(&[
            "serve",
            "--data-dir",
            data,
            "--listen",
            &format!("127.0.0.1:{port}"),
        ]),
        port,
        &dir.path().join("server.log"),
    );
    let api = Api::new(port);
    let token = api.login("sales01");
    let mine = api.get(&token, "/api/v1/exports").json();
    let export = mine["mine"]
        .as_array()
        .expect("mine")
        .iter()
        .find(|e| e["can_download"] == true)
        .expect("the demo's approved export")
        .clone();
    let id = export["id"].as_str().expect("id").to_string();
    let (http, base) = api.http();
    let mut r = http
        .get(&format!("{base}/api/v1/exports/{id}/download"))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .expect("download");
    let file = r.body_mut().read_to_vec().expect("the file");
    server.stop();
    let csv = String::from_utf8(file.clone()).expect("UTF-8");
    assert!(csv.contains(&id), "the watermark names the export");

    let whole = dir.path().join("leaked.csv");
    std::fs::write(&whole, &file).expect("write");
    let (code, json, stderr) = trace(data, &whole);
    assert_eq!(code, Some(0), "{json} {stderr}");
    let best = &json["candidates"][0];
    assert_eq!(best["export_id"], id.as_str(), "{json}");
    assert_eq!(best["requested_by"], "sales01", "{json}");
    assert!(
        best["requested_at"]
            .as_str()
            .is_some_and(|t| t.contains('T')),
        "{json}"
    );
    assert!(
        best["confidence"].as_f64().expect("confidence") >= 0.9,
        "{json}"
    );

    let partial = dir.path().join("partial.csv");
    let copy = doctored(&csv);
    assert!(!copy.contains(&id) && copy.lines().count() == 21, "{copy}");
    std::fs::write(&partial, copy).expect("write");
    let (code, json, stderr) = trace(data, &partial);
    assert_eq!(code, Some(0), "{json} {stderr}");
    assert_eq!(json["candidates"][0]["export_id"], id.as_str(), "{json}");
    assert!(
        json["candidates"][0]["watermark"] == false
            && json["candidates"][0]["fingerprint"] == false
    );

    // People the demo never had.
    let strangers = dir.path().join("strangers.csv");
    let mut text = String::from("姓名,手机\n");
    for i in 0..30 {
        let p = dealervault_demo::fake::customer(99, i);
        text.push_str(&format!("{},{}\n", p.name, p.mobile));
    }
    std::fs::write(&strangers, text).expect("write");
    let (code, json, _) = trace(data, &strangers);
    assert_eq!(code, Some(1), "{json}");
    assert_eq!(
        json["candidates"].as_array().map(Vec::len),
        Some(0),
        "{json}"
    );

    for (name, bytes, says) in [
        ("empty.csv", &b""[..], "empty"),
        (
            "photo.png",
            &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..],
            "not a spreadsheet",
        ),
        ("broken.xlsx", &b"PK\x03\x04\x14\0\0\0broken"[..], "damaged"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let (code, _, stderr) = trace(data, &path);
        assert_eq!(code, Some(2), "{name}: {stderr}");
        assert!(stderr.contains(says), "{name}: {stderr}");
    }
}
