//! Opening a database by URL, running its migrations, and handing out transactions.

use crate::error::StoreError;
use crate::tx::{Conn, Tx};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Long enough to ride out a busy moment, short enough that a stuck database turns into
/// an error a person sees instead of a hung request.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(15);
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
const SQLITE_READERS: u32 = 4;
const POSTGRES_CONNECTIONS: u32 = 16;

/// SQLite takes the write lock up front: a deferred transaction that reads and then writes
/// fails with SQLITE_BUSY (no waiting) when another process, such as a CLI command next to
/// the server, committed in between.
const SQLITE_BEGIN_WRITE: &str = "BEGIN IMMEDIATE";
/// One snapshot for the whole read, as SQLite gives, so a page and its total agree.
const POSTGRES_BEGIN_READ: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database handle; cheap to clone (pools are shared).
#[derive(Clone)]
pub struct Store {
    pools: Pools,
}

#[derive(Clone)]
enum Pools {
    /// All writes go through one connection, so SQLite never sees two writers competing for
    /// its single write lock; readers run alongside under WAL.
    Sqlite {
        writer: SqlitePool,
        reader: SqlitePool,
    },
    Postgres(PgPool),
}

// Pool options hold the connection password; print only the backend.
impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

impl Store {
    /// `sqlite://path/to/file.db` (created if missing) or `postgres://...`.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let store = if url.starts_with("sqlite:") {
            open_sqlite(url).await?
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            open_postgres(url).await?
        } else {
            // The URL may carry a password: do not echo it.
            return Err(StoreError::Other(
                "unsupported database URL: expected sqlite:// or postgres://".into(),
            ));
        };
        tracing::debug!(backend = ?store.backend(), "database opened");
        Ok(store)
    }

    /// Applies the embedded migrations not yet applied; a no-op when up to date.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.pools {
            Pools::Sqlite { writer, .. } => SQLITE_MIGRATIONS.run(writer).await?,
            Pools::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// Begins a transaction that may write. On SQLite these queue for the single writer.
    pub async fn write(&self) -> Result<Tx, StoreError> {
        let conn = match &self.pools {
            Pools::Sqlite { writer, .. } => {
                Conn::Sqlite(writer.begin_with(SQLITE_BEGIN_WRITE).await?)
            }
            Pools::Postgres(pool) => Conn::Postgres(pool.begin().await?),
        };
        Ok(Tx::new(conn))
    }

    /// Begins a transaction for reading only, over one consistent snapshot. Writing through
    /// it fails on both backends, so a misplaced write shows up in tests rather than as a
    /// second SQLite writer under load.
    pub async fn read(&self) -> Result<Tx, StoreError> {
        let conn = match &self.pools {
            Pools::Sqlite { reader, .. } => Conn::Sqlite(reader.begin().await?),
            Pools::Postgres(pool) => Conn::Postgres(pool.begin_with(POSTGRES_BEGIN_READ).await?),
        };
        Ok(Tx::new(conn))
    }

    /// Closes every connection; waits for transactions in flight to finish.
    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite { writer, reader } => {
                reader.close().await;
                writer.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }
}

async fn open_sqlite(url: &str) -> Result<Store, StoreError> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
        .synchronous(SqliteSynchronous::Normal);
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    if !in_memory {
        create_parent_dir(&options)?;
    }
    // The writer connects first so the file exists (and is in WAL mode) before any reader.
    let mut writer = SqlitePoolOptions::new()
        .max_connections(1)
        .acquire_timeout(ACQUIRE_TIMEOUT);
    if in_memory {
        // An in-memory database lives as long as its connection: never recycle it.
        writer = writer
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None);
    }
    let writer = writer.connect_with(options.clone()).await?;
    let reader = if in_memory {
        // A private in-memory database exists only on the writer's connection.
        writer.clone()
    } else {
        SqlitePoolOptions::new()
            .max_connections(SQLITE_READERS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options.create_if_missing(false).pragma("query_only", "ON"))
            .await?
    };
    Ok(Store {
        pools: Pools::Sqlite { writer, reader },
    })
}

fn create_parent_dir(options: &SqliteConnectOptions) -> Result<(), StoreError> {
    match options.get_filename().parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Other(format!("cannot create the database directory: {e}"))),
        _ => Ok(()),
    }
}

async fn open_postgres(url: &str) -> Result<Store, StoreError> {
    let options = PgConnectOptions::from_str(url)?;
    let pool = PgPoolOptions::new()
        .max_connections(POSTGRES_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await?;
    Ok(Store {
        pools: Pools::Postgres(pool),
    })
}
