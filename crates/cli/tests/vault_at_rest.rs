//! Customer data encrypted at rest, end to end through the real binary:
//!
//! - no clear personal value in any file of an installation, on SQLite and on PostgreSQL,
//!   nor in the server's log, after the API has listed, shown, revealed, searched and
//!   created customers, and created, shown and revealed leads with follow-ups;
//! - a missing or foreign master key stops the server, and no key is made in its place;
//! - a key rotation killed halfway, under load, resumes and completes without one failed
//!   request and with every customer still readable;
//! - an erased customer stays unreadable, here and in a copy of the database taken before
//!   the erasure.
//!
//! The demo's customers are a pure function of `(DEMO_SEED, index)`, and the leads the
//! tests create are of `fake_lead(n)`, so the tests know every clear value the
//! installation holds and search the raw bytes for each of them.

mod common;

use aho_corasick::AhoCorasick;
use common::{dealervault, free_port, output_within, run, run_ok, utf8, Answer, Api, Server};
use dealervault_demo::fake::{self, FakeCustomer};
use dealervault_demo::{DEMO_ACCOUNTS, DEMO_SEED};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------
// Scanning raw bytes for clear values
// ---------------------------------------------------------------------------------------

/// Whose a clear value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Record {
    /// Demo customer `i` (`fake::customer(DEMO_SEED, i)`).
    Customer(u64),
    /// Lead `n` the test created (`fake_lead(n)`).
    Lead(u64),
}

impl std::fmt::Display for Record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Record::Customer(i) => write!(f, "customer {i}"),
            Record::Lead(n) => write!(f, "lead {n}"),
        }
    }
}

/// One clear value of one demo customer or test lead that must not be found at rest.
#[derive(Debug, Clone)]
struct Needle {
    record: Record,
    field: &'static str,
    value: String,
}

/// Staff display names are stored in clear, as staff data. A customer name equal to one
/// of them (or inside one: 李明 in 李明辉) would be found in the staff's row, which proves
/// nothing about customers, so such names are left out of the search.
fn staff_name(name: &str) -> bool {
    DEMO_ACCOUNTS
        .iter()
        .any(|(_, display_name, _, _)| display_name.contains(name))
}

fn values_of(index: u64, c: &FakeCustomer) -> Vec<Needle> {
    let mut values = vec![
        ("mobile", Some(c.mobile.clone())),
        ("id_number", Some(c.id_number.clone())),
        ("email", c.email.clone()),
        ("address", Some(c.address.clone())),
        ("wechat", c.wechat.clone()),
    ];
    if !staff_name(&c.name) {
        values.push(("name", Some(c.name.clone())));
    }
    values
        .into_iter()
        .filter_map(|(field, value)| {
            value.map(|value| Needle {
                record: Record::Customer(index),
                field,
                value,
            })
        })
        .collect()
}

/// The personal values of demo customers `indexes` (`fake::customer(DEMO_SEED, i)`).
fn needles(indexes: impl Iterator<Item = u64>) -> Vec<Needle> {
    let all: Vec<Needle> = indexes
        .flat_map(|i| values_of(i, &fake::customer(DEMO_SEED, i)))
        .collect();
    let names = all.iter().filter(|n| n.field == "name").count();
    let customers: HashSet<Record> = all.iter().map(|n| n.record).collect();
    // Only a handful of names may be skipped, or the search would no longer mean much.
    assert!(
        names * 100 >= customers.len() * 95,
        "{names} names for {} customers",
        customers.len()
    );
    all
}

/// Leads the at-rest tests create through the API, each with a follow-up and a test
/// drive.
const LEADS: u64 = 3;

/// Generator indexes of the people behind the test leads: far beyond any demo load, so no
/// customer holds their names or mobiles.
const LEAD_PEOPLE: u64 = 1_000_000;

/// The personal values of test lead `n`: a person from the generator, and a WeChat id,
/// notes, a follow-up's notes and next step, and a test drive's licence (the person's
/// ID number) and feedback of its own.
struct FakeLead {
    name: String,
    mobile: String,
    wechat: String,
    notes: String,
    visit_notes: String,
    next_step: String,
    licence: String,
    drive_feedback: String,
}

fn fake_lead(n: u64) -> FakeLead {
    let person = fake::customer(DEMO_SEED, LEAD_PEOPLE + n);
    FakeLead {
        name: person.name,
        mobile: person.mobile,
        wechat: format!("weekend_car_fan_{n:04}"),
        notes: format!("预算三十万，想换七座混动（线索{n}）"),
        visit_notes: format!("试驾后倾向珍珠白顶配（线索{n}）"),
        next_step: format!("周六下午带家人再来谈价（线索{n}）"),
        licence: person.id_number,
        drive_feedback: format!("试驾感觉底盘扎实，想看七座版（线索{n}）"),
    }
}

/// The personal values of the test leads and their follow-ups.
fn lead_needles() -> Vec<Needle> {
    (0..LEADS)
        .flat_map(|n| {
            let lead = fake_lead(n);
            let name = (!staff_name(&lead.name)).then_some(("name", lead.name));
            [
                ("mobile", lead.mobile),
                ("wechat", lead.wechat),
                ("notes", lead.notes),
                ("follow_up.notes", lead.visit_notes),
                ("follow_up.next_step", lead.next_step),
                ("test_drive.licence_number", lead.licence),
                ("test_drive.feedback", lead.drive_feedback),
            ]
            .into_iter()
            .chain(name)
            .map(move |(field, value)| Needle {
                record: Record::Lead(n),
                field,
                value,
            })
        })
        .collect()
}

/// Where a needle was found.
#[derive(Debug)]
struct Hit {
    file: PathBuf,
    offset: usize,
    record: Record,
    field: &'static str,
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Searches the raw bytes of `files` for the UTF-8 bytes of every needle and returns the
/// hits. A positive control runs in the same pass: a throwaway file holding three or four
/// of the needles among random bytes must be reported, or the scanner itself is broken.
fn scan(files: &[PathBuf], needles: &[Needle]) -> Vec<Hit> {
    let control_dir = tempfile::tempdir().expect("tempdir");
    let control = control_dir.path().join("control.bin");
    let mut planted: Vec<&Needle> = ["name", "mobile", "address"]
        .iter()
        .map(|field| {
            needles
                .iter()
                .find(|n| n.field == *field)
                .expect("a needle of each field")
        })
        .collect();
    // A lead's follow-up notes too, when the search has leads: the UTF-8 of mixed Chinese
    // text and digits must be found like the rest.
    planted.extend(needles.iter().find(|n| n.field == "follow_up.notes"));
    let mut bytes: Vec<u8> = (0..4096).map(|_| rand::random::<u8>()).collect();
    for (i, n) in planted.iter().enumerate() {
        let at = 1000 * (i + 1);
        bytes.splice(at..at, n.value.bytes());
    }
    std::fs::write(&control, &bytes).expect("write the control file");

    let matcher =
        AhoCorasick::new(needles.iter().map(|n| n.value.as_bytes())).expect("build the matcher");
    let mut hits = Vec::new();
    let mut scanned = 0;
    for file in files.iter().chain([&control]) {
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("read {file:?}: {e}"));
        scanned += bytes.len();
        for m in matcher.find_overlapping_iter(&bytes) {
            let n = &needles[m.pattern().as_usize()];
            hits.push(Hit {
                file: file.clone(),
                offset: m.start(),
                record: n.record,
                field: n.field,
            });
        }
    }
    for n in &planted {
        assert!(
            hits.iter()
                .any(|h| h.file == control && h.record == n.record && h.field == n.field),
            "the scanner missed the {} of {} planted in its control file",
            n.field,
            n.record
        );
    }
    eprintln!(
        "scanned {} files, {scanned} bytes, for {} values",
        files.len(),
        needles.len()
    );
    hits.retain(|h| h.file != control);
    hits
}

fn assert_nothing_found(when: &str, hits: &[Hit]) {
    let shown: Vec<String> = hits
        .iter()
        .take(10)
        .map(|h| {
            format!(
                "{} of {} in {} at byte {}",
                h.field,
                h.record,
                h.file.display(),
                h.offset
            )
        })
        .collect();
    assert!(
        hits.is_empty(),
        "{when}: {} clear personal values found at rest, e.g. {shown:#?}",
        hits.len()
    );
}

// ---------------------------------------------------------------------------------------
// Installations and the API
// ---------------------------------------------------------------------------------------

fn demo(data: &Path, customers: u64, extra: &[&str]) {
    let customers = customers.to_string();
    let mut args = vec![
        "demo",
        "--data-dir",
        utf8(data),
        "--customers",
        &customers,
        "--no-serve",
    ];
    args.extend_from_slice(extra);
    run_ok(&args);
}

/// `serve` on a free port, logging at `info` to `log`.
fn serve(data: &Path, log: &Path, extra: &[&str]) -> Server {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut args = vec!["serve", "--data-dir", utf8(data), "--listen", &listen];
    args.extend_from_slice(extra);
    let mut cmd = dealervault(&args);
    cmd.env("DEALERVAULT_LOG", "info");
    Server::start(cmd, port, log)
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().expect("items")
}

fn ids(page: &Value) -> Vec<String> {
    items(page)
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect()
}

fn expect_ok(what: &str, a: &Answer) -> Value {
    assert!(a.ok(), "{what}: {} {}", a.status, a.body);
    a.json()
}

/// The input that creates demo customer `index` through the API.
fn customer_input(index: u64) -> Value {
    let c = fake::customer(DEMO_SEED, index);
    json!({
        "name": c.name,
        "mobile": c.mobile,
        "id_number": c.id_number,
        "email": c.email,
        "address": c.address,
        "wechat": c.wechat,
        "birth_date": c.birth_date,
        "gender": c.gender,
        "source": c.source,
        "notes": c.notes,
    })
}

/// What a salesperson does in a day, through the API: list, view a customer, reveal its
/// mobile and ID number, search by each, create demo customer `fresh`, and work the test
/// leads (`work_leads`).
fn exercise_the_api(port: u16, loaded: u64, fresh: u64) {
    let api = Api::new(port);
    let token = api.login("sales01");
    let page = expect_ok("list", &api.get(&token, "/api/v1/customers"));
    let id = ids(&page).first().cloned().expect("sales01 owns customers");
    let detail = expect_ok(
        "detail",
        &api.get(&token, &format!("/api/v1/customers/{id}")),
    );
    assert_eq!(detail["id"], id.as_str());

    let reveal = |field: &str| {
        let a = api.post(
            &token,
            &format!("/api/v1/customers/{id}/reveal"),
            &json!({"field": field, "reason": "回访确认"}),
        );
        expect_ok("reveal", &a)["value"]
            .as_str()
            .expect("a value")
            .to_string()
    };
    let mobile = reveal("mobile");
    let id_number = reveal("id_number");
    // The clear values are the generator's: the scan searches for what is really stored.
    let index = (0..loaded)
        .find(|i| fake::customer(DEMO_SEED, *i).mobile == mobile)
        .expect("the revealed mobile is a demo customer's");
    assert_eq!(fake::customer(DEMO_SEED, index).id_number, id_number);

    for query in [format!("mobile={mobile}"), format!("id_number={id_number}")] {
        let found = expect_ok(
            "search",
            &api.get(&token, &format!("/api/v1/customers?{query}")),
        );
        assert!(ids(&found).contains(&id), "search by {query}: {found}");
    }
    let created = api.post(&token, "/api/v1/customers", &customer_input(fresh));
    assert_eq!(created.status, 201, "create: {}", created.body);
    work_leads(&api, &token);
}

/// Creates the test leads for the caller, logs a visit with notes and a next step on each,
/// takes each on a test drive with feedback, opens each lead's page and reveals its
/// mobile: every personal value of a lead, its follow-up and its drive goes in, and
/// comes out again, through the API.
fn work_leads(api: &Api, token: &str) {
    let stock = expect_ok(
        "the stock",
        &api.get(token, "/api/v1/vehicles?status=in_stock"),
    );
    for n in 0..LEADS {
        let lead = fake_lead(n);
        let input = json!({
            "name": lead.name,
            "mobile": lead.mobile,
            "wechat": lead.wechat,
            "source": "autohome",
            "notes": lead.notes,
        });
        let created = expect_ok(
            "create a lead",
            &api.post(token, "/api/v1/leads?assign=me", &input),
        );
        let id = created["id"].as_str().expect("lead id");
        let visit = json!({
            "kind": "visit",
            "done": true,
            "notes": lead.visit_notes,
            "next_step": lead.next_step,
        });
        let path = format!("/api/v1/leads/{id}/follow-ups");
        expect_ok("log a follow-up", &api.post(token, &path, &visit));
        let booking = json!({
            "vehicle_id": stock["items"][0]["id"],
            "starts_at": format!("2030-05-0{}T10:00", n + 1),
            "licence_number": lead.licence,
        });
        let path = format!("/api/v1/leads/{id}/test-drives");
        let drive = expect_ok("book a test drive", &api.post(token, &path, &booking));
        let done = json!({"feedback": lead.drive_feedback, "waiver_signed": true});
        let path = format!(
            "/api/v1/test-drives/{}/complete",
            drive["id"].as_str().expect("id")
        );
        let drive = expect_ok("complete the drive", &api.post(token, &path, &done));
        assert_eq!(drive["feedback"], lead.drive_feedback.as_str(), "{drive}");
        let detail = expect_ok(
            "lead detail",
            &api.get(token, &format!("/api/v1/leads/{id}")),
        );
        assert_eq!(detail["lead"]["name"], lead.name.as_str(), "{detail}");
        assert_eq!(detail["lead"]["notes"], lead.notes.as_str(), "{detail}");
        assert_eq!(
            detail["follow_ups"][0]["next_step"],
            lead.next_step.as_str(),
            "{detail}"
        );
        let revealed = expect_ok(
            "reveal a lead's mobile",
            &api.post(
                token,
                &format!("/api/v1/leads/{id}/reveal"),
                &json!({"field": "mobile", "reason": "回访确认"}),
            ),
        );
        assert_eq!(revealed["value"], lead.mobile.as_str(), "{revealed}");
    }
}

/// `keys status` as (version, state, data keys) per line.
fn key_status(data: &Path) -> Vec<(u32, String, u64)> {
    let out = run_ok(&["keys", "status", "--data-dir", utf8(data)]);
    out.lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [v, state, n, "data", "keys", ..] if v.starts_with('v') => Some((
                    v[1..].parse().expect("version"),
                    (*state).to_string(),
                    n.parse().expect("count"),
                )),
                _ => None,
            }
        })
        .collect()
}

/// All data keys (customers' and leads') under every version: the demo's sales floor
/// adds leads, and customers converted from them, beside the customers it loads.
fn key_total(data: &Path) -> u64 {
    key_status(data).iter().map(|(_, _, n)| n).sum()
}

/// The version `keys rotate` (or `keys erase-customer`) left active, from its output.
fn rotated_to(out: &str) -> u32 {
    out.split_whitespace()
        .find_map(|w| w.strip_prefix('v').and_then(|v| v.parse().ok()))
        .unwrap_or_else(|| panic!("no version in {out:?}"))
}

// ---------------------------------------------------------------------------------------
// 1. No plaintext at rest (SQLite)
// ---------------------------------------------------------------------------------------

#[test]
fn no_personal_value_is_stored_or_logged_in_clear() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let log = dir.path().join("server.log");
    demo(&data, 300, &[]);
    let server = serve(&data, &log, &[]);
    exercise_the_api(server.port, 300, 300);
    server.stop();

    let mut needles = needles(0..=300);
    needles.extend(lead_needles());
    // As the killed server left them: the WAL still holds the latest pages.
    let mut files = files_under(&data);
    assert!(
        files.iter().any(|f| f.ends_with("dealervault.db-wal")),
        "the WAL is there to be scanned: {files:?}"
    );
    files.push(log.clone());
    assert_nothing_found("right after the server stopped", &scan(&files, &needles));
    assert!(
        std::fs::read_to_string(&log)
            .expect("log")
            .contains("listening"),
        "the log is being written"
    );

    // A clean open and close checkpoints the WAL into the database file.
    run_ok(&["migrate", "--data-dir", utf8(&data)]);
    let mut files = files_under(&data);
    files.push(log);
    assert_nothing_found("after a checkpoint", &scan(&files, &needles));
    eprintln!(
        "no_personal_value_is_stored_or_logged_in_clear: {:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------
// 2. The same over PostgreSQL
// ---------------------------------------------------------------------------------------

const PG: [&str; 6] = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"];

fn pg_tool(tool: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(tool);
    cmd.args(PG)
        .args(args)
        .env("PGCONNECT_TIMEOUT", "5")
        .env_remove("PGPASSWORD")
        .env_remove("PGDATABASE");
    cmd
}

/// A uniquely named database on the local server, dropped on drop.
struct PgDatabase {
    name: String,
}

impl PgDatabase {
    /// `None` (after saying why) when `psql`, `pg_dump` or the server is missing, unless
    /// `CI=true`: CI must not skip silently.
    fn create() -> Option<Self> {
        let skip = |why: String| {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "PostgreSQL test cannot run and CI=true: {why}"
            );
            eprintln!("skipping the PostgreSQL test: {why}");
            None
        };
        for tool in ["psql", "pg_dump"] {
            let mut cmd = Command::new(tool);
            cmd.arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            if !cmd.status().is_ok_and(|s| s.success()) {
                return skip(format!("{tool} is not installed"));
            }
        }
        let probe = output_within(
            pg_tool("psql", &["-d", "postgres", "-tAc", "SELECT 1"]),
            Duration::from_secs(30),
        );
        if !probe.status.success() {
            return skip(format!(
                "no server on 127.0.0.1:5432: {}",
                String::from_utf8_lossy(&probe.stderr).trim()
            ));
        }
        let name = format!("dealervault_at_rest_{:016x}", rand::random::<u64>());
        let created = output_within(
            pg_tool(
                "psql",
                &["-d", "postgres", "-c", &format!("CREATE DATABASE {name}")],
            ),
            Duration::from_secs(30),
        );
        assert!(
            created.status.success(),
            "CREATE DATABASE: {}",
            String::from_utf8_lossy(&created.stderr)
        );
        Some(Self { name })
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:5432/{}", self.name)
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let dropped = output_within(
            pg_tool("psql", &["-d", "postgres", "-c", &sql]),
            Duration::from_secs(30),
        );
        if !dropped.status.success() {
            eprintln!(
                "could not drop {}: {}",
                self.name,
                String::from_utf8_lossy(&dropped.stderr)
            );
        }
    }
}

#[test]
fn no_personal_value_is_stored_in_clear_in_postgresql() {
    let started = Instant::now();
    let Some(db) = PgDatabase::create() else {
        return;
    };
    let url = db.url();
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let log = dir.path().join("server.log");
    demo(&data, 200, &["--database-url", &url]);
    let server = serve(&data, &log, &["--database-url", &url]);
    exercise_the_api(server.port, 200, 200);
    server.stop();

    let dump = dir.path().join("dump.sql");
    let dumped = output_within(
        pg_tool("pg_dump", &["-f", utf8(&dump), &db.name]),
        Duration::from_secs(60),
    );
    assert!(
        dumped.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&dumped.stderr)
    );
    // The dump is the real thing: the customers and the audit trail are in it, and what
    // is stored in clear (a staff name) is found in it.
    let text = std::fs::read_to_string(&dump).expect("dump");
    for table in [
        "customers",
        "customer_keys",
        "leads",
        "lead_keys",
        "follow_ups",
        "audit_log",
    ] {
        assert!(
            text.contains(&format!("COPY public.{table} ")),
            "no {table} in the dump"
        );
    }
    assert!(text.contains("王丽"), "staff names are in the dump");

    let mut files = files_under(&data);
    for key_file in ["master.key", "keyring"] {
        assert!(
            files.contains(&data.join(key_file)),
            "{key_file} is in the data dir"
        );
    }
    files.push(dump);
    files.push(log);
    let mut needles = needles(0..=200);
    needles.extend(lead_needles());
    assert_nothing_found("in pg_dump", &scan(&files, &needles));
    drop(db);
    eprintln!(
        "no_personal_value_is_stored_in_clear_in_postgresql: {:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------
// 3. Start-up safety
// ---------------------------------------------------------------------------------------

/// Runs `serve`, which must refuse to start; returns its error output.
fn serve_refused(data: &Path) -> String {
    let listen = format!("127.0.0.1:{}", free_port());
    let out = output_within(
        dealervault(&["serve", "--data-dir", utf8(data), "--listen", &listen]),
        Duration::from_secs(60),
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "serve started: {stderr}");
    stderr
}

#[test]
fn the_server_refuses_a_missing_or_foreign_master_key() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    demo(&data, 50, &[]);
    let key = data.join("master.key");
    let keyring = data.join("keyring");
    let saved = dir.path().join("saved");
    std::fs::create_dir(&saved).expect("mkdir");
    std::fs::copy(&key, saved.join("master.key")).expect("save the key");
    std::fs::copy(&keyring, saved.join("keyring")).expect("save the keyring");
    let keyring_bytes = std::fs::read(&keyring).expect("keyring");

    // (a) No master key: refused, the message names the file, and no new key is made.
    std::fs::remove_file(&key).expect("move the key away");
    let err = serve_refused(&data);
    assert!(
        err.contains(utf8(&key)) && err.contains("does not exist"),
        "the message names the missing key file: {err}"
    );
    assert!(!key.exists(), "serve made a new master key");
    assert_eq!(std::fs::read(&keyring).expect("keyring"), keyring_bytes);

    // (b) Another installation's master key: refused, nothing rewritten.
    let other = dir.path().join("other");
    run_ok(&["init", "--data-dir", utf8(&other)]);
    std::fs::copy(other.join("master.key"), &key).expect("foreign key");
    let foreign_key = std::fs::read(&key).expect("key");
    let err = serve_refused(&data);
    assert!(
        err.contains("wrong master key") && err.contains(utf8(&key)),
        "the keyring refuses another master key: {err}"
    );
    assert_eq!(std::fs::read(&keyring).expect("keyring"), keyring_bytes);
    assert_eq!(std::fs::read(&key).expect("key"), foreign_key);

    // (b') Another installation's master key and keyring: the database's check value
    // refuses them.
    std::fs::copy(other.join("keyring"), &keyring).expect("foreign keyring");
    let err = serve_refused(&data);
    assert!(
        err.contains("is not the master key of this database") && err.contains(utf8(&key)),
        "the database refuses another installation's keys: {err}"
    );

    // (c) The right keys again: it serves, and the customers open.
    std::fs::copy(saved.join("master.key"), &key).expect("restore the key");
    std::fs::copy(saved.join("keyring"), &keyring).expect("restore the keyring");
    let server = serve(&data, &dir.path().join("server.log"), &[]);
    let api = Api::new(server.port);
    let gm = api.login("gm01");
    let page = expect_ok("list", &api.get(&gm, "/api/v1/customers"));
    let names: HashSet<String> = (0..50).map(|i| fake::customer(DEMO_SEED, i).name).collect();
    assert!(
        !items(&page).is_empty()
            && items(&page)
                .iter()
                .all(|c| names.contains(c["name"].as_str().expect("name"))),
        "the customers decrypt to the demo's: {page}"
    );
    eprintln!(
        "the_server_refuses_a_missing_or_foreign_master_key: {:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------
// 4. Rotation under load, killed and resumed
// ---------------------------------------------------------------------------------------

const LOADED: u64 = 20_000;

/// What the load thread saw.
#[derive(Debug, Default)]
struct Load {
    iterations: u64,
    created: Vec<String>,
    failures: Vec<String>,
}

/// Until `stop` (or a hard limit): lists as sales01 and gm01, opens a customer, and every
/// third round creates one. Every answer that is not 2xx is recorded.
fn load(port: u16, stop: &AtomicBool, rounds: &AtomicU64, creates: &AtomicU64) -> Load {
    let api = Api::new(port);
    let sales = api.login("sales01");
    let gm = api.login("gm01");
    let mut seen = Load::default();
    let deadline = Instant::now() + Duration::from_secs(150);
    let mut check = |what: String, answer: Result<Answer, String>| -> Option<Value> {
        match answer {
            Ok(a) if a.ok() => Some(a.json()),
            Ok(a) => {
                seen.failures
                    .push(format!("{what}: {} {}", a.status, a.body));
                None
            }
            Err(e) => {
                seen.failures.push(format!("{what}: {e}"));
                None
            }
        }
    };
    let mut iterations = 0;
    let mut created = Vec::new();
    while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
        let page = 1 + iterations % 50;
        let path = format!("/api/v1/customers?page={page}");
        check(format!("sales01 GET {path}"), api.try_get(&sales, &path));
        let listed = check(format!("gm01 GET {path}"), api.try_get(&gm, &path));
        if let Some(id) = listed.as_ref().and_then(|p| ids(p).first().cloned()) {
            let path = format!("/api/v1/customers/{id}");
            check(format!("gm01 GET {path}"), api.try_get(&gm, &path));
        }
        if iterations % 3 == 0 {
            let index = LOADED + created.len() as u64;
            let answer = api.try_post(Some(&sales), "/api/v1/customers", &customer_input(index));
            if let Some(view) = check(format!("sales01 POST customer {index}"), answer) {
                created.push(view["id"].as_str().expect("id").to_string());
                creates.fetch_add(1, Ordering::SeqCst);
            }
        }
        iterations += 1;
        rounds.store(iterations, Ordering::SeqCst);
    }
    seen.iterations = iterations;
    seen.created = created;
    seen
}

/// Waits until `counter` reaches `target`, for at most `limit`.
fn wait_for(counter: &AtomicU64, target: u64, limit: Duration, what: &str) {
    let deadline = Instant::now() + limit;
    while counter.load(Ordering::SeqCst) < target {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts `keys rotate` and kills it (SIGKILL) as soon as `keys status` shows data keys
/// under two versions, some of them re-wrapped by the rotation (more under the new
/// version than the load has created, plus the one creation that may be in flight).
/// `false` if it finished first (a fast machine): that is allowed, and the run that
/// follows must then be a complete rotation of its own.
fn rotate_and_kill_halfway(data: &Path, dir: &Path, creates: &AtomicU64) -> bool {
    let out = std::fs::File::create(dir.join("rotate1.log")).expect("log");
    let mut rotate = dealervault(&[
        "keys",
        "rotate",
        "--data-dir",
        utf8(data),
        "--grace-secs",
        "1",
    ])
    .stdin(Stdio::null())
    .stdout(out.try_clone().expect("log"))
    .stderr(out)
    .spawn()
    .expect("start keys rotate");
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Some(status) = rotate.try_wait().expect("wait") {
            assert!(status.success(), "the first rotation failed: {status}");
            return false;
        }
        let status = key_status(data);
        let rewrapped = |(_, state, n): &(u32, String, u64)| {
            state == "active" && *n > creates.load(Ordering::SeqCst) + 1
        };
        let retiring = |(_, state, n): &(u32, String, u64)| state == "retiring" && *n > 0;
        if status.iter().any(rewrapped) && status.iter().any(retiring) {
            let _ = rotate.kill();
            let exit = rotate.wait().expect("wait");
            eprintln!("killed keys rotate at {status:?}");
            // It may have finished between the look and the kill; then it exited 0.
            return !exit.success();
        }
        if Instant::now() >= deadline {
            let _ = rotate.kill();
            let _ = rotate.wait();
            panic!("keys rotate neither progressed nor finished in time: {status:?}");
        }
    }
}

#[test]
fn a_rotation_killed_halfway_under_load_resumes_without_a_failed_request() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    demo(&data, LOADED, &[]);
    eprintln!("{LOADED} customers loaded in {:?}", started.elapsed());
    let loaded = key_total(&data);
    let server = serve(&data, &dir.path().join("server.log"), &[]);
    let port = server.port;

    let stop = Arc::new(AtomicBool::new(false));
    let rounds = Arc::new(AtomicU64::new(0));
    let creates = Arc::new(AtomicU64::new(0));
    let worker = {
        let (stop, rounds, creates) = (stop.clone(), rounds.clone(), creates.clone());
        std::thread::spawn(move || load(port, &stop, &rounds, &creates))
    };
    wait_for(&rounds, 3, Duration::from_secs(60), "the load to start");

    let interrupted = rotate_and_kill_halfway(&data, dir.path(), &creates);
    let halfway = key_status(&data);
    eprintln!("after the first run (interrupted: {interrupted}): {halfway:?}");
    let active_then = halfway
        .iter()
        .find(|(_, state, _)| state == "active")
        .map(|(v, _, _)| *v)
        .expect("an active version");
    let resumable = halfway.iter().any(|(_, state, _)| state == "retiring");
    let creates_before = creates.load(Ordering::SeqCst);

    let second = run_ok(&[
        "keys",
        "rotate",
        "--data-dir",
        utf8(&data),
        "--grace-secs",
        "1",
    ]);
    let active = rotated_to(&second);
    if resumable {
        assert_eq!(
            active, active_then,
            "the interrupted rotation is finished, not restarted"
        );
    } else {
        assert!(
            active > active_then,
            "a complete rotation of its own: {second}"
        );
    }
    // The server goes on serving, and creating customers, after the old version is
    // destroyed: six more rounds hold two creations.
    wait_for(
        &rounds,
        rounds.load(Ordering::SeqCst) + 6,
        Duration::from_secs(60),
        "the load to go on after the rotation",
    );
    stop.store(true, Ordering::SeqCst);
    let seen = worker.join().expect("the load thread");
    eprintln!(
        "load: {} rounds, {} customers created ({creates_before} before the second run)",
        seen.iterations,
        seen.created.len()
    );
    assert!(
        seen.failures.is_empty(),
        "{} requests failed during the rotation: {:?}",
        seen.failures.len(),
        &seen.failures[..seen.failures.len().min(10)]
    );

    let total = loaded + seen.created.len() as u64;
    assert_eq!(
        key_status(&data),
        vec![(active, "active".to_string(), total)],
        "one version, active, wrapping every data key"
    );

    // Everyone is still readable: gm01 pages through the whole store.
    let api = Api::new(port);
    let gm = api.login("gm01");
    let first = expect_ok("list", &api.get(&gm, "/api/v1/customers?per_page=100"));
    let in_store = first["total"].as_u64().expect("total");
    let pages = in_store.div_ceil(100);
    let mut listed = HashSet::new();
    for page in 1..=pages {
        let answer = api.get(&gm, &format!("/api/v1/customers?per_page=100&page={page}"));
        let body = expect_ok(&format!("gm01 page {page}"), &answer);
        let page_ids = ids(&body);
        if page % 25 == 1 {
            let id = &page_ids[0];
            let view = expect_ok("detail", &api.get(&gm, &format!("/api/v1/customers/{id}")));
            assert!(
                view["name"].as_str().is_some_and(|n| !n.is_empty()),
                "{view}"
            );
        }
        listed.extend(page_ids);
    }
    assert_eq!(
        listed.len() as u64,
        in_store,
        "every customer of SH01 is listed once"
    );
    for id in &seen.created {
        assert!(
            listed.contains(id),
            "a customer created during the rotation is listed"
        );
    }
    server.stop();

    let verified = run_ok(&["audit", "verify", "--data-dir", utf8(&data)]);
    assert!(verified.contains("audit chain intact"), "{verified}");
    eprintln!(
        "a_rotation_killed_halfway_under_load_resumes_without_a_failed_request: {:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------
// 5. Erasure holds for old copies
// ---------------------------------------------------------------------------------------

/// Fails if any clear value of `customer` is in `answer`.
fn holds_nothing_of(customer: &[Needle], what: &str, answer: &Answer) {
    for n in customer {
        assert!(
            !answer.body.contains(&n.value),
            "{what} shows the erased customer's {}: {}",
            n.field,
            answer.body
        );
    }
}

#[test]
fn an_erased_customer_stays_unreadable_in_an_older_copy_of_the_database() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    demo(&data, 100, &[]);
    let loaded = key_total(&data);
    // A clean open and close leaves everything in the database file; copy the WAL anyway
    // if there is one.
    run_ok(&["migrate", "--data-dir", utf8(&data)]);
    let copy = data.join("copy.db");
    for suffix in ["", "-wal", "-shm"] {
        let from = data.join(format!("dealervault.db{suffix}"));
        if from.exists() {
            std::fs::copy(&from, data.join(format!("copy.db{suffix}"))).expect("copy");
        }
    }

    let live = serve(&data, &dir.path().join("live.log"), &[]);
    let api = Api::new(live.port);
    let gm = api.login("gm01");
    // The first demo customers gm01 (store SH01) sees: one to erase, one to keep.
    let mut in_store = (0..100).filter_map(|i| {
        let c = fake::customer(DEMO_SEED, i);
        let page = expect_ok(
            "search",
            &api.get(&gm, &format!("/api/v1/customers?mobile={}", c.mobile)),
        );
        ids(&page).first().cloned().map(|id| (i, id))
    });
    let (erased_index, erased) = in_store.next().expect("a customer in SH01");
    let (kept_index, kept) = in_store.next().expect("another customer in SH01");
    drop(in_store);
    let target = fake::customer(DEMO_SEED, erased_index);
    let values = values_of(erased_index, &target);
    let before = expect_ok(
        "detail",
        &api.get(&gm, &format!("/api/v1/customers/{erased}")),
    );
    assert_eq!(
        before["name"],
        target.name.as_str(),
        "readable before the erasure"
    );

    // Erased while the server runs.
    let out = run_ok(&[
        "keys",
        "erase-customer",
        &erased,
        "--data-dir",
        utf8(&data),
        "--grace-secs",
        "1",
    ]);
    eprintln!("{out}");
    let status = key_status(&data);
    assert_eq!(status.len(), 1, "only the new version is left: {status:?}");
    assert_eq!(
        status[0].2,
        loaded - 1,
        "the erased customer has no data key: {status:?}"
    );

    // Erasing again, or something that is not a customer id, is refused.
    for id in [erased.as_str(), "not-an-id"] {
        let again = run(&["keys", "erase-customer", id, "--data-dir", utf8(&data)]);
        let err = String::from_utf8_lossy(&again.stderr);
        assert!(!again.status.success(), "erase-customer {id}: {err}");
        assert!(
            err.contains("has no data key") || err.contains("is not a customer id"),
            "{err}"
        );
    }
    assert_eq!(
        key_status(&data),
        status,
        "a refused erasure rotates nothing"
    );

    // Live: gone for everyone who could see it; the others are as they were.
    let mut answers: Vec<(String, Answer)> = Vec::new();
    let detail = api.get(&gm, &format!("/api/v1/customers/{erased}"));
    assert_eq!(detail.status, 404, "{}", detail.body);
    assert_eq!(detail.json()["error"]["code"], "not_found");
    answers.push(("live detail".into(), detail));
    let reveal = api.post(
        &gm,
        &format!("/api/v1/customers/{erased}/reveal"),
        &json!({"field": "mobile", "reason": "回访确认"}),
    );
    assert_eq!(reveal.status, 404, "{}", reveal.body);
    answers.push(("live reveal".into(), reveal));
    for query in [
        format!("mobile={}", target.mobile),
        format!("id_number={}", target.id_number),
    ] {
        let found = api.get(&gm, &format!("/api/v1/customers?{query}"));
        let page = expect_ok("search", &found);
        assert!(
            items(&page).is_empty(),
            "search by {query} finds the erased customer: {page}"
        );
        assert_eq!(
            page["total"], 0,
            "search by {query} counts the erased customer: {page}"
        );
        answers.push((format!("live search {query}"), found));
    }
    let mut listed = HashSet::new();
    for page in 1..=5 {
        let answer = api.get(&gm, &format!("/api/v1/customers?per_page=100&page={page}"));
        listed.extend(ids(&expect_ok("list", &answer)));
        answers.push((format!("live list page {page}"), answer));
    }
    assert!(!listed.contains(&erased), "the erased customer is listed");
    assert!(listed.contains(&kept), "the others are listed");
    let other = expect_ok(
        "detail",
        &api.get(&gm, &format!("/api/v1/customers/{kept}")),
    );
    assert_eq!(
        other["name"],
        fake::customer(DEMO_SEED, kept_index).name.as_str()
    );
    for (what, answer) in &answers {
        holds_nothing_of(&values, what, answer);
    }
    // Nothing tells that the person was a customer: the mobile is free again.
    let again = api.post(
        &gm,
        "/api/v1/customers",
        &json!({"name": "新客户", "mobile": target.mobile}),
    );
    assert_eq!(
        again.status, 201,
        "the erased mobile is refused: {}",
        again.body
    );
    live.stop();

    // The copy taken before the erasure, served with today's keys: every data key in it is
    // wrapped under the KEK version the erasure destroyed. The server starts (the master
    // key is the same), sign-in works (staff data is not sealed), and every read of a
    // customer answers 500 integrity_error without data.
    let copy_url = format!("sqlite://{}", utf8(&copy));
    let copy_log = dir.path().join("copy.log");
    let old = serve(&data, &copy_log, &["--database-url", &copy_url]);
    let api = Api::new(old.port);
    let gm = api.login("gm01");
    let answers: Vec<(String, Answer)> = vec![
        (
            "copy detail".into(),
            api.get(&gm, &format!("/api/v1/customers/{erased}")),
        ),
        (
            "copy reveal".into(),
            api.post(
                &gm,
                &format!("/api/v1/customers/{erased}/reveal"),
                &json!({"field": "mobile", "reason": "回访确认"}),
            ),
        ),
        (
            "copy list".into(),
            api.get(&gm, "/api/v1/customers?per_page=100"),
        ),
        (
            "copy search".into(),
            api.get(&gm, &format!("/api/v1/customers?mobile={}", target.mobile)),
        ),
    ];
    let kept_in_copy = api.get(&gm, &format!("/api/v1/customers/{kept}"));
    old.stop();
    let codes: HashMap<&str, (u16, Value)> = answers
        .iter()
        .map(|(what, a)| (what.as_str(), (a.status, a.json()["error"]["code"].clone())))
        .collect();
    eprintln!(
        "the copy answers: {codes:?}; another customer: {}",
        kept_in_copy.status
    );
    for (what, answer) in &answers {
        assert!(
            !answer.ok(),
            "{what} answered {}: {}",
            answer.status,
            answer.body
        );
        assert_eq!(answer.json()["error"]["code"], "integrity_error", "{what}");
        holds_nothing_of(&values, what, answer);
    }
    let logged = Answer {
        status: 0,
        body: std::fs::read_to_string(&copy_log).expect("log"),
    };
    holds_nothing_of(&values, "the copy's server log", &logged);
    eprintln!(
        "an_erased_customer_stays_unreadable_in_an_older_copy_of_the_database: {:?}",
        started.elapsed()
    );
}
