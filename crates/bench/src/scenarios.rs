//! The scenarios, and what they share: the set-up of both sides and the comparison in
//! alternating rounds.

mod audit_verify;
mod export;
mod http;
mod login;

use crate::drive::{closed_loop, Job, Tally, CONCURRENCY};
use crate::pgbench::PgBench;
use crate::report::Outcome;
use crate::requests::Side;
use crate::servers::{ClientThread, Plain, Secured};
use anyhow::{bail, Result};
use dealervault_store::testing::TestDb;
use reqwest::Client;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// Every scenario, in the order `all` runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    ListMasked50,
    MobileLookup,
    CreateCustomer,
    AuditVerify,
    Login,
    Mixed,
    Export100k,
    PgList,
    PgLookup,
    PgCreate,
}

impl Scenario {
    pub const ALL: [Scenario; 10] = [
        Scenario::ListMasked50,
        Scenario::MobileLookup,
        Scenario::CreateCustomer,
        Scenario::AuditVerify,
        Scenario::Login,
        Scenario::Mixed,
        Scenario::Export100k,
        Scenario::PgList,
        Scenario::PgLookup,
        Scenario::PgCreate,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scenario::ListMasked50 => "list_masked_50",
            Scenario::MobileLookup => "mobile_lookup",
            Scenario::CreateCustomer => "create_customer",
            Scenario::AuditVerify => "audit_verify",
            Scenario::Login => "login",
            Scenario::Mixed => "mixed",
            Scenario::Export100k => "export_100k",
            Scenario::PgList => "pg_list",
            Scenario::PgLookup => "pg_lookup",
            Scenario::PgCreate => "pg_create",
        }
    }

    /// The scenarios a `--scenario` argument names.
    pub fn selected(arg: &str) -> Result<Vec<Scenario>> {
        if arg == "all" {
            return Ok(Self::ALL.to_vec());
        }
        match Self::ALL.into_iter().find(|s| s.name() == arg) {
            Some(s) => Ok(vec![s]),
            None => bail!(
                "unknown scenario {arg:?}; one of: all, {}",
                Self::ALL.map(Scenario::name).join(", ")
            ),
        }
    }

    fn on_postgres(self) -> bool {
        matches!(
            self,
            Scenario::PgList | Scenario::PgLookup | Scenario::PgCreate
        )
    }

    fn on_sqlite_sides(self) -> bool {
        !self.on_postgres() && !matches!(self, Scenario::AuditVerify | Scenario::Export100k)
    }
}

/// Rounds of each side in a comparison, alternating, so that a drift of the machine
/// (another process, the page cache, the log growing) falls on both.
const ROUNDS: u32 = 3;
/// Latency is measured at this share of the secured side's capacity.
const LOAD_SHARE: f64 = 0.7;

/// How much and how long.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub customers: u64,
    /// Measuring time of each side in a comparison, and of a latency run.
    pub seconds: f64,
}

impl Settings {
    fn measure(&self) -> Duration {
        Duration::from_secs_f64(self.seconds)
    }

    fn round(&self) -> Duration {
        Duration::from_secs_f64(self.seconds / f64::from(ROUNDS))
    }
}

/// Both SQLite sides, served, with their callers.
struct SqliteSides {
    secured: Secured,
    plain: Plain,
    secured_side: Arc<Side>,
    plain_side: Arc<Side>,
}

/// The secured side on PostgreSQL, and pgbench on the same database.
struct PgSides {
    secured: Secured,
    side: Arc<Side>,
    pgbench: PgBench,
}

/// What the scenarios run against; each side is set up when a scenario first needs it.
pub struct Bench {
    settings: Settings,
    client: ClientThread,
    http: Client,
    sqlite: Option<SqliteSides>,
    pg: Option<Option<PgSides>>,
}

impl Bench {
    pub fn new(settings: Settings) -> Result<Self> {
        Ok(Self {
            settings,
            client: ClientThread::start()?,
            http: Client::builder().pool_max_idle_per_host(64).build()?,
            sqlite: None,
            pg: None,
        })
    }

    /// Runs one scenario; `None` when it cannot run here (no PostgreSQL outside CI).
    pub async fn run(&mut self, scenario: Scenario) -> Result<Option<Outcome>> {
        if scenario.on_sqlite_sides() {
            self.sqlite_sides().await?;
        }
        if scenario.on_postgres() && self.pg_sides().await?.is_none() {
            return Ok(None);
        }
        let outcome = match scenario {
            Scenario::ListMasked50 => http::list_masked_50(self).await?,
            Scenario::MobileLookup => http::mobile_lookup(self).await?,
            Scenario::CreateCustomer => http::create_customer(self).await?,
            Scenario::Mixed => http::mixed(self).await?,
            Scenario::PgList | Scenario::PgLookup | Scenario::PgCreate => {
                http::postgres(self, scenario).await?
            }
            Scenario::AuditVerify => audit_verify::run(&self.settings).await?,
            Scenario::Export100k => export::run(&self.settings).await?,
            Scenario::Login => login::run(self).await?,
        };
        Ok(Some(outcome))
    }

    async fn sqlite_sides(&mut self) -> Result<&SqliteSides> {
        if self.sqlite.is_none() {
            let n = self.settings.customers;
            let secured =
                Secured::start(TestDb::sqlite().await, n, "sealed customers (SQLite)").await?;
            let plain = Plain::start(TestDb::sqlite().await, n).await?;
            let secured_side = Arc::new(secured.side(&self.http, n).await?);
            let plain_side = Arc::new(plain.side(&self.http, n).await?);
            self.sqlite = Some(SqliteSides {
                secured,
                plain,
                secured_side,
                plain_side,
            });
        }
        match &self.sqlite {
            Some(sides) => Ok(sides),
            None => bail!("the SQLite sides are not set up"),
        }
    }

    async fn pg_sides(&mut self) -> Result<Option<&PgSides>> {
        if self.pg.is_none() {
            self.pg = Some(self.start_pg().await?);
        }
        Ok(self.pg.as_ref().and_then(Option::as_ref))
    }

    async fn start_pg(&self) -> Result<Option<PgSides>> {
        let ci = std::env::var("CI").as_deref() == Ok("true");
        if !PgBench::available() {
            if ci {
                bail!("pgbench and psql are needed for the PostgreSQL scenarios and CI=true");
            }
            eprintln!("pgbench or psql not installed: skipping the PostgreSQL scenarios");
            return Ok(None);
        }
        let Some(db) = TestDb::postgres().await else {
            eprintln!("PostgreSQL not reachable: skipping the PostgreSQL scenarios");
            return Ok(None);
        };
        let Some(url) = db.postgres_url() else {
            bail!("a PostgreSQL test database without a URL");
        };
        let n = self.settings.customers;
        let secured = Secured::start(db, n, "sealed customers (PostgreSQL)").await?;
        let owners: Vec<String> = secured
            .org
            .owners
            .iter()
            .map(|(id, ..)| id.to_string())
            .collect();
        let pgbench =
            tokio::task::spawn_blocking(move || PgBench::prepare(&url, &owners)).await??;
        let side = Arc::new(secured.side(&self.http, n).await?);
        Ok(Some(PgSides {
            secured,
            side,
            pgbench,
        }))
    }

    /// Stops the servers and drops the databases.
    pub async fn finish(self) {
        if let Some(sides) = self.sqlite {
            sides.secured.stop().await;
            sides.plain.stop().await;
        }
        if let Some(Some(pg)) = self.pg {
            pg.secured.stop().await;
        }
    }

    /// Capacity of `job` in a closed loop of [`CONCURRENCY`] clients for `duration`.
    async fn capacity(&self, job: &Job, duration: Duration) -> Tally {
        let job = job.clone();
        self.client
            .run(async move { closed_loop(&job, CONCURRENCY, duration).await })
            .await
    }

    /// Latency of `job` at `rate` requests a second for the measuring time.
    async fn latency(&self, job: &Job, rate: f64) -> Tally {
        let job = job.clone();
        let duration = self.settings.measure();
        self.client
            .run(async move { crate::drive::fixed_rate(&job, rate, duration).await })
            .await
    }
}

/// Runs `secured` and `plain` rounds alternately, [`ROUNDS`] each of `round`.
async fn alternate<S, SF, P, PF>(
    round: Duration,
    mut secured: S,
    mut plain: P,
) -> Result<(Tally, Tally)>
where
    S: FnMut(Duration) -> SF,
    SF: Future<Output = Result<Tally>>,
    P: FnMut(Duration) -> PF,
    PF: Future<Output = Result<Tally>>,
{
    let mut s = Tally::default();
    let mut p = Tally::default();
    for _ in 0..ROUNDS {
        s.merge(secured(round).await?);
        p.merge(plain(round).await?);
    }
    Ok((s, p))
}

/// Records failed requests of a tally as failures of `outcome`.
fn check_errors(outcome: &mut Outcome, what: &str, tally: &Tally) {
    outcome.fail_if(tally.errors > 0, || {
        format!(
            "{} of {} {what} requests failed, first: {}",
            tally.errors,
            tally.done,
            tally.first_error.as_deref().unwrap_or("?")
        )
    });
}
