//! Storage errors in three kinds the callers act on. Messages name constraints, tables and
//! columns but never bound values: these errors end up in logs, and the values are personal
//! data.

use sqlx::error::{DatabaseError, ErrorKind};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique key was violated. Carries the constraint name, spelled as PostgreSQL names it
    /// on both backends: `<table>_pkey`, `<table>_<columns>_key` (e.g. `users_username_key`),
    /// or the name the schema declares (`customers_mobile_key`, on `mobile_index`).
    #[error("conflict on {0}")]
    Conflict(String),
    /// The database could not be reached, or was too busy: worth retrying later.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("storage error: {0}")]
    Other(String),
}

impl StoreError {
    /// Whether this is a violation of the named unique constraint.
    pub fn is_conflict_on(&self, constraint: &str) -> bool {
        matches!(self, StoreError::Conflict(c) if c == constraint)
    }

    pub(crate) fn not_found(table: &str) -> Self {
        StoreError::Other(format!("{table}: no row with that id"))
    }

    /// For updates by id: touching no row means the caller's id was wrong, which must not
    /// pass silently.
    pub(crate) fn expect_one(affected: u64, table: &str) -> Result<(), Self> {
        if affected == 0 {
            Err(Self::not_found(table))
        } else {
            Ok(())
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::Database(db) => from_database(db.as_ref()),
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => StoreError::Unavailable(e.to_string()),
            other => StoreError::Other(other.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        match e {
            sqlx::migrate::MigrateError::Execute(inner) => inner.into(),
            sqlx::migrate::MigrateError::ExecuteMigration(inner, version) => match inner.into() {
                StoreError::Other(m) => StoreError::Other(format!("migration {version}: {m}")),
                e => e,
            },
            other => StoreError::Other(format!("migration: {other}")),
        }
    }
}

const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;
const SQLITE_READONLY: i32 = 8;
const SQLITE_CONSTRAINT_PRIMARYKEY: i32 = 1555;

fn from_database(db: &dyn DatabaseError) -> StoreError {
    let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
    let is_postgres = db
        .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
        .is_some();
    if db.kind() == ErrorKind::UniqueViolation {
        let name = if is_postgres {
            db.constraint().map(str::to_string)
        } else {
            sqlite_constraint_name(db.message(), &code)
        };
        return StoreError::Conflict(name.unwrap_or_else(|| "unique constraint".into()));
    }
    if is_postgres {
        postgres_error(db, &code)
    } else {
        sqlite_error(db, &code)
    }
}

/// PostgreSQL's messages are safe except data exceptions (class 22), which quote the
/// offending input.
fn postgres_error(db: &dyn DatabaseError, code: &str) -> StoreError {
    match code {
        "25006" => StoreError::Other("write attempted in a read() transaction".into()),
        "40001" | "40P01" | "53300" | "57P01" | "57P03" => {
            StoreError::Unavailable(format!("{} (SQLSTATE {code})", db.message()))
        }
        c if c.starts_with("08") => {
            StoreError::Unavailable(format!("{} (SQLSTATE {code})", db.message()))
        }
        c if c.starts_with("22") => StoreError::Other(format!("data exception (SQLSTATE {code})")),
        _ => StoreError::Other(format!("{} (SQLSTATE {code})", db.message())),
    }
}

/// SQLite's messages name schema objects only, never bound values.
fn sqlite_error(db: &dyn DatabaseError, code: &str) -> StoreError {
    let primary = code.parse::<i32>().map(|c| c & 0xff).unwrap_or(-1);
    match primary {
        SQLITE_READONLY => StoreError::Other("write attempted in a read() transaction".into()),
        SQLITE_BUSY | SQLITE_LOCKED => StoreError::Unavailable(db.message().to_string()),
        _ => StoreError::Other(format!("{} (code {code})", db.message())),
    }
}

/// Unique constraints whose declared name is not `<table>_<columns>_key`: SQLite reports
/// the columns, never the name, so the name derived from them is mapped back here.
const SQLITE_NAMED_CONSTRAINTS: &[(&str, &str)] =
    &[("customers_mobile_index_key", "customers_mobile_key")];

/// SQLite reports `UNIQUE constraint failed: customers.mobile_index`; rename it the way
/// PostgreSQL names the constraint so callers match one spelling on both backends.
fn sqlite_constraint_name(message: &str, code: &str) -> Option<String> {
    let columns = message.strip_prefix("UNIQUE constraint failed: ")?;
    let mut table = None;
    let mut names = Vec::new();
    for qualified in columns.split(", ") {
        let (t, column) = qualified.split_once('.')?;
        table = Some(t);
        names.push(column);
    }
    let table = table?;
    if code.parse::<i32>().ok() == Some(SQLITE_CONSTRAINT_PRIMARYKEY) {
        Some(format!("{table}_pkey"))
    } else {
        let derived = format!("{table}_{}_key", names.join("_"));
        let declared = SQLITE_NAMED_CONSTRAINTS
            .iter()
            .find(|(from_columns, _)| *from_columns == derived)
            .map(|(_, declared)| (*declared).to_string());
        Some(declared.unwrap_or(derived))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_names_follow_postgres_conventions() {
        let msg = "UNIQUE constraint failed: customers.mobile_index";
        assert_eq!(
            sqlite_constraint_name(msg, "2067").as_deref(),
            Some("customers_mobile_key"),
            "declared under another name than its column's"
        );
        let msg = "UNIQUE constraint failed: departments.store_id, departments.code";
        assert_eq!(
            sqlite_constraint_name(msg, "2067").as_deref(),
            Some("departments_store_id_code_key")
        );
        let msg = "UNIQUE constraint failed: users.id";
        assert_eq!(
            sqlite_constraint_name(msg, "1555").as_deref(),
            Some("users_pkey")
        );
        assert_eq!(sqlite_constraint_name("something else", "2067"), None);
    }
}
