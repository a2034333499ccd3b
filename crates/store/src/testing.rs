//! Throwaway migrated databases for tests: a SQLite file in a temp dir always, and a
//! uniquely named PostgreSQL database when a server is reachable.
//!
//! This file is compiled twice: as `dealervault_store::testing` under the `testing`
//! feature, and straight into this crate's own integration tests (tests/store/main.rs), so
//! it names the store only through `super::`.

use super::Store;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::Connection;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const PG_PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// A migrated database that is removed again by `teardown` (or, failing that, on drop).
pub struct TestDb {
    store: Store,
    label: &'static str,
    /// Holds the SQLite file; removed on drop.
    _dir: Option<tempfile::TempDir>,
    pg: Option<PgDatabase>,
}

impl fmt::Debug for TestDb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestDb")
            .field("label", &self.label)
            .finish_non_exhaustive()
    }
}

impl TestDb {
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// `"sqlite"` or `"postgres"`, for assertion messages.
    pub fn label(&self) -> &'static str {
        self.label
    }

    /// The PostgreSQL database's URL, for clients outside this process (`pgbench`, `psql`);
    /// `None` for SQLite.
    pub fn postgres_url(&self) -> Option<String> {
        self.pg
            .as_ref()
            .map(|pg| with_database(&pg.admin_url, &pg.name))
    }

    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("create a temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let store = Store::open(&url)
            .await
            .expect("open the SQLite test database");
        store
            .migrate()
            .await
            .expect("migrate the SQLite test database");
        TestDb {
            store,
            label: "sqlite",
            _dir: Some(dir),
            pg: None,
        }
    }

    /// A fresh database on the server at `DEALERVAULT_TEST_PG_URL` (default: local, user
    /// postgres). `None` when no server answers, unless `CI=true`: CI must not silently
    /// skip half the matrix.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url =
            std::env::var("DEALERVAULT_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_string());
        let mut admin = match admin_connection(&admin_url).await {
            Ok(conn) => conn,
            Err(reason) => {
                if std::env::var("CI").as_deref() == Ok("true") {
                    panic!("PostgreSQL not reachable and CI=true: {reason}");
                }
                eprintln!("PostgreSQL not reachable: skipping");
                return None;
            }
        };
        let name = format!("dealervault_test_{:016x}", rand::random::<u64>());
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create the PostgreSQL test database");
        // Close errors only mean the server already went away; nothing to clean up then.
        let _ = admin.close().await;

        let pg = PgDatabase {
            admin_url: admin_url.clone(),
            name,
        };
        let store = Store::open(&with_database(&admin_url, &pg.name))
            .await
            .expect("open the PostgreSQL test database");
        let db = TestDb {
            store,
            label: "postgres",
            _dir: None,
            pg: Some(pg),
        };
        db.store
            .migrate()
            .await
            .expect("migrate the PostgreSQL test database");
        Some(db)
    }

    /// SQLite, plus PostgreSQL when reachable.
    pub async fn all() -> Vec<TestDb> {
        let mut dbs = vec![TestDb::sqlite().await];
        dbs.extend(TestDb::postgres().await);
        dbs
    }

    /// Closes the store and drops the PostgreSQL database.
    pub async fn teardown(mut self) {
        self.store.close().await;
        if let Some(pg) = self.pg.take() {
            pg.drop_database().await;
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(pg) = self.pg.take() {
            // Drop cannot await and may run on the test's runtime, where blocking on a
            // future panics: drop the database from a thread with a runtime of its own.
            let helper = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(pg.drop_database());
                }
            });
            let _ = helper.join();
        }
    }
}

struct PgDatabase {
    admin_url: String,
    name: String,
}

impl PgDatabase {
    /// Best effort: a leftover `dealervault_test_*` database is harmless, a panic in a
    /// destructor is not.
    async fn drop_database(self) {
        match admin_connection(&self.admin_url).await {
            Ok(mut admin) => {
                // FORCE ends connections a leaked Store clone may still hold.
                let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
                if let Err(e) = sqlx::query(&sql).execute(&mut admin).await {
                    eprintln!("could not drop test database {}: {e}", self.name);
                }
                let _ = admin.close().await;
            }
            Err(reason) => eprintln!("could not drop test database {}: {reason}", self.name),
        }
    }
}

async fn admin_connection(url: &str) -> Result<PgConnection, String> {
    let options = PgConnectOptions::from_str(url).map_err(|e| e.to_string())?;
    match tokio::time::timeout(PG_PROBE_TIMEOUT, PgConnection::connect_with(&options)).await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("connection timed out".to_string()),
    }
}

/// The same server URL with its database replaced.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let (scheme, rest) = base.split_once("://").expect("a postgres:// URL");
    let authority = rest.split('/').next().unwrap_or(rest);
    match query {
        Some(query) => format!("{scheme}://{authority}/{database}?{query}"),
        None => format!("{scheme}://{authority}/{database}"),
    }
}
