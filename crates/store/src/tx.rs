//! A transaction on either backend, and the macro that runs one query body against both.

use crate::connect::Backend;
use crate::error::StoreError;
use sqlx::{Postgres, Sqlite, Transaction};
use std::fmt;

/// An open transaction. Dropping it without `commit` rolls it back.
pub struct Tx {
    pub(crate) conn: Conn,
}

pub(crate) enum Conn {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$c` bound to the backend's `&mut Transaction`, so each query is
/// written once and compiled for both drivers. Both arms must yield the same type: map
/// driver-specific results (e.g. `rows_affected()`) inside the body.
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match &mut $tx.conn {
            $crate::tx::Conn::Sqlite($c) => $body,
            $crate::tx::Conn::Postgres($c) => $body,
        }
    };
}
pub(crate) use on_tx;

/// Runs `$body` with `$c` bound to a savepoint inside `$outer` (a `&mut Transaction`):
/// released when the body succeeds, rolled back (the outer transaction carries on) when it
/// fails.
macro_rules! in_savepoint {
    ($outer:expr, $c:ident => $body:expr) => {{
        let mut savepoint = sqlx::Connection::begin(&mut **$outer).await?;
        let result = {
            let $c = &mut savepoint;
            $body
        };
        match &result {
            Ok(_) => savepoint.commit().await?,
            Err(_) => savepoint.rollback().await?,
        }
        result
    }};
}
pub(crate) use in_savepoint;

/// `on_tx!` for statements that may fail on a constraint (unique keys, foreign keys). A
/// failed statement must leave the transaction usable, so the caller can carry on (e.g.
/// audit the refusal): SQLite undoes just the failed statement, while PostgreSQL would
/// abort the whole transaction, so there the statement runs inside a savepoint.
macro_rules! on_tx_atomic {
    ($tx:expr, $c:ident => $body:expr) => {
        match &mut $tx.conn {
            $crate::tx::Conn::Sqlite($c) => $body,
            $crate::tx::Conn::Postgres(outer) => $crate::tx::in_savepoint!(outer, $c => $body),
        }
    };
}
pub(crate) use on_tx_atomic;

/// `on_tx_atomic!` for a body of several statements that must land together: a savepoint
/// on both backends, so when a later statement fails the earlier ones are undone too (on
/// SQLite, a failed statement undoes only itself) and the transaction stays usable.
macro_rules! on_tx_all_or_nothing {
    ($tx:expr, $c:ident => $body:expr) => {
        match &mut $tx.conn {
            $crate::tx::Conn::Sqlite(outer) => $crate::tx::in_savepoint!(outer, $c => $body),
            $crate::tx::Conn::Postgres(outer) => $crate::tx::in_savepoint!(outer, $c => $body),
        }
    };
}
pub(crate) use on_tx_all_or_nothing;

impl Tx {
    pub(crate) fn new(conn: Conn) -> Self {
        Self { conn }
    }

    pub fn backend(&self) -> Backend {
        match self.conn {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        match self.conn {
            Conn::Sqlite(c) => c.commit().await?,
            Conn::Postgres(c) => c.commit().await?,
        }
        Ok(())
    }

    /// Raw SQL, for tests that must break the database on purpose (e.g. make audit
    /// appends fail). Compiled only with the `testing` feature: the product has no raw path.
    #[cfg(feature = "testing")]
    pub async fn execute_for_test(&mut self, sql: &str) -> Result<(), StoreError> {
        on_tx!(self, c => sqlx::raw_sql(sql).execute(&mut **c).await.map(|_| ()))?;
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), StoreError> {
        match self.conn {
            Conn::Sqlite(c) => c.rollback().await?,
            Conn::Postgres(c) => c.rollback().await?,
        }
        Ok(())
    }
}

impl fmt::Debug for Tx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tx")
            .field("backend", &self.backend())
            .finish()
    }
}
