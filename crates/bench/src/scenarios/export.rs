//! Exporting customers: one consultant's 100,000 customers (or the dataset's size, if
//! smaller) through the whole secured path — request (a store rule lets this size export
//! directly), then the first download, which reads the rows a chunk at a time, opens them,
//! masks them at the consultant's field levels, writes the CSV with its watermark and
//! fingerprint, builds the manifest, seals the file in chunks into the database, records
//! the export naming every customer, and streams the file back, opened chunk by chunk —
//! against the plain baseline: the same rows read in clear by the same store query and
//! written as CSV, nothing else.
//!
//! Peak memory is the process's high-water mark of resident memory during one secured
//! export, above what it held before (Linux: `/proc/self/clear_refs` resets the mark).

use super::{alternate, Settings};
use crate::dataset::{self, progress};
use crate::drive::Tally;
use crate::plain;
use crate::report::Outcome;
use anyhow::{bail, Context, Result};
use dealervault_app::auth::SessionKind;
use dealervault_app::exports::{ExportFilterInput, ExportInput, ExportRules};
use dealervault_app::{Actor, App, AppConfig, Clock, RequestContext};
use dealervault_demo::{load_customers, seed_organisation, DemoOrg, DEMO_SEED};
use dealervault_domain::ids::{CustomerId, UserId};
use dealervault_store::testing::TestDb;
use dealervault_store::{CustomerQuery, Store};
use std::cell::Cell;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The rows the goal speaks of.
pub const ROWS: u64 = 100_000;
const GOAL_SECONDS: f64 = 2.0;
const GOAL_MIB: f64 = 64.0;
/// The consultant whose customers are exported.
const REQUESTER: &str = "sales01";

pub async fn run(settings: &Settings) -> Result<Outcome> {
    let rows = settings.customers.clamp(1, ROWS);
    let secured = SecuredExport::start(rows).await?;
    let plain = PlainExport::start(rows).await?;
    let peak = Cell::new(0.0_f64);
    let slowest = Cell::new(Duration::ZERO);
    let (peak_ref, slowest_ref, secured_ref) = (&peak, &slowest, &secured);
    let (s, p) = alternate(
        Duration::ZERO,
        |_| async move {
            let before = resident_mib()?;
            reset_peak();
            let started = Instant::now();
            let (written, bytes) = secured_ref.export().await?;
            let elapsed = started.elapsed();
            peak_ref.set(peak_ref.get().max(peak_resident_mib()? - before));
            slowest_ref.set(slowest_ref.get().max(elapsed));
            if written != rows {
                bail!("the secured export wrote {written} rows of {rows} ({bytes} bytes)");
            }
            Ok(Tally::timed(written, elapsed))
        },
        |_| plain.export(),
    )
    .await?;
    let mut o = Outcome::new("export_100k", s.ops_per_sec(), p.ops_per_sec())
        .latency(s.quantile_ms(0.5), s.quantile_ms(0.99));
    o.note(format!(
        "{rows} rows: slowest secured export {:.2} s, peak memory {peak_mib:.1} MiB above \
         the process's resident set before it (ops/s are rows per second)",
        slowest.get().as_secs_f64(),
        peak_mib = peak.get()
    ));
    let met = rows == ROWS && slowest.get().as_secs_f64() < GOAL_SECONDS && peak.get() < GOAL_MIB;
    secured.db.teardown().await;
    plain.db.teardown().await;
    Ok(o.goal("100,000 rows in < 2 s, peak memory < 64 MiB", met))
}

/// The consultant alone owns the customers, so their export scope holds all of them.
fn one_owner(org: &DemoOrg) -> Result<DemoOrg> {
    let owners: Vec<_> = org
        .owners
        .iter()
        .filter(|(id, ..)| dataset::username(org, id) == REQUESTER)
        .cloned()
        .collect();
    if owners.is_empty() {
        bail!("the demo organisation has no {REQUESTER}");
    }
    Ok(DemoOrg {
        users: org.users.clone(),
        owners,
    })
}

struct SecuredExport {
    db: TestDb,
    app: App,
    actor: Actor,
    _keys: tempfile::TempDir,
}

impl SecuredExport {
    async fn start(rows: u64) -> Result<Self> {
        let db = TestDb::sqlite().await;
        let (keys, vault) = dataset::throwaway_keys()?;
        let clock = Clock::system();
        let org = one_owner(&seed_organisation(db.store(), &clock, &vault).await?)?;
        let bar = progress(rows, "sealed customers to export");
        load_customers(&vault, db.store(), &clock, &org, rows, DEMO_SEED, |n| {
            bar.set_position(n)
        })
        .await?;
        bar.finish();
        let app = App::new(
            db.store().clone(),
            Arc::new(vault),
            clock,
            AppConfig {
                audit_sink_dir: Some(keys.path().join("audit-sink")),
                ..AppConfig::default()
            },
        );
        let actor = sign_in(&app, "gm01").await?;
        app.save_export_rules(
            &actor,
            &ExportRules {
                direct_up_to: rows,
                ..ExportRules::default()
            },
        )
        .await?;
        let actor = sign_in(&app, REQUESTER).await?;
        Ok(Self {
            db,
            app,
            actor,
            _keys: keys,
        })
    }

    /// One export of every customer in scope: rows written and bytes streamed.
    async fn export(&self) -> Result<(u64, u64)> {
        let request = ExportInput {
            entity: "customers".into(),
            filter: ExportFilterInput::default(),
            fields: vec![],
            format: "csv".into(),
            purpose: "benchmark export".into(),
        };
        let view = self.app.request_export(&self.actor, &request).await?;
        if view.status != "approved" {
            bail!("the benchmark's export is {}, not approved", view.status);
        }
        let mut file = self.app.download_export(&self.actor, &view.id).await?;
        let mut bytes = 0;
        while let Some(chunk) = file.next_chunk(&self.app).await? {
            bytes += chunk.len() as u64;
        }
        let shown = self.app.export(&self.actor, &view.id).await?;
        Ok((shown.file_rows.unwrap_or(0), bytes))
    }
}

async fn sign_in(app: &App, username: &str) -> Result<Actor> {
    let login = app
        .login(
            username,
            &dataset::password(),
            SessionKind::Api,
            RequestContext::default(),
        )
        .await?;
    Ok(app
        .authenticate(&login.token, RequestContext::default())
        .await?)
}

struct PlainExport {
    db: TestDb,
    owner: UserId,
}

impl PlainExport {
    async fn start(rows: u64) -> Result<Self> {
        let db = TestDb::sqlite().await;
        let (_keys, vault) = dataset::throwaway_keys()?;
        let clock = Clock::system();
        let org = one_owner(&seed_organisation(db.store(), &clock, &vault).await?)?;
        plain::load(db.store(), &clock, &org, rows).await?;
        let owner = org.owners[0].0.clone();
        Ok(Self { db, owner })
    }

    /// The same rows, read in clear by the same query, written as CSV into memory.
    async fn export(&self) -> Result<Tally> {
        let started = Instant::now();
        let written = write_plain_csv(self.db.store(), &self.owner).await?;
        Ok(Tally::timed(written, started.elapsed()))
    }
}

async fn write_plain_csv(store: &Store, owner: &UserId) -> Result<u64> {
    let filter = plain::own(owner);
    let mut out = csv::Writer::from_writer(std::io::sink());
    let mut after: Option<CustomerId> = None;
    let mut written = 0;
    loop {
        let mut tx = store.read().await?;
        let batch = tx
            .customers_after(&filter, &CustomerQuery::default(), after.as_ref(), 1_000)
            .await?;
        drop(tx);
        for c in &batch {
            let text = |b: &Option<Vec<u8>>| {
                String::from_utf8_lossy(b.as_deref().unwrap_or_default()).to_string()
            };
            out.write_record([
                String::from_utf8_lossy(&c.name).to_string(),
                String::from_utf8_lossy(&c.mobile).to_string(),
                text(&c.id_number),
                text(&c.email),
                text(&c.address),
                text(&c.wechat),
                text(&c.birth_date),
                c.gender.clone(),
                c.source.clone(),
                text(&c.notes),
            ])?;
            written += 1;
        }
        after = batch.last().map(|c| c.id.clone());
        if batch.len() < 1_000 {
            break;
        }
    }
    out.flush()?;
    Ok(written)
}

/// Resets the process's high-water mark of resident memory (Linux ≥ 4.0).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn resident_mib() -> Result<f64> {
    status_mib("VmRSS:")
}

fn peak_resident_mib() -> Result<f64> {
    status_mib("VmHWM:")
}

/// A `kB` line of `/proc/self/status`, in MiB.
fn status_mib(key: &str) -> Result<f64> {
    let status = std::fs::read_to_string("/proc/self/status").context("/proc/self/status")?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .with_context(|| format!("no {key} in /proc/self/status"))?;
    Ok(kb / 1024.0)
}
