//! Rows of the organisation, role, user and session tables, and the decoding shared by
//! both backends.

use crate::error::StoreError;
use dealervault_domain::ids::{DepartmentId, RoleId, StoreId, TeamId, UserId};
use std::fmt;

/// Implements `sqlx::FromRow` once for the rows of every backend whose driver decodes the
/// column types this schema uses (TEXT, BIGINT, BOOLEAN, BLOB/BYTEA).
macro_rules! from_row {
    ($ty:ty, |$row:ident| $body:expr) => {
        impl<'r, R> sqlx::FromRow<'r, R> for $ty
        where
            R: sqlx::Row,
            for<'a> &'a str: sqlx::ColumnIndex<R>,
            String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
            i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
            bool: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
            Vec<u8>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        {
            fn from_row($row: &'r R) -> Result<Self, sqlx::Error> {
                Ok($body)
            }
        }
    };
}
pub(crate) use from_row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreRow {
    pub id: StoreId,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// IANA zone name, e.g. `Asia/Shanghai`.
    pub timezone: String,
}

from_row!(StoreRow, |row| StoreRow {
    id: StoreId::from_stored(row.try_get("id")?),
    code: row.try_get("code")?,
    name_zh: row.try_get("name_zh")?,
    name_en: row.try_get("name_en")?,
    timezone: row.try_get("timezone")?,
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentRow {
    pub id: DepartmentId,
    pub store_id: StoreId,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

from_row!(DepartmentRow, |row| DepartmentRow {
    id: DepartmentId::from_stored(row.try_get("id")?),
    store_id: StoreId::from_stored(row.try_get("store_id")?),
    code: row.try_get("code")?,
    name_zh: row.try_get("name_zh")?,
    name_en: row.try_get("name_en")?,
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRow {
    pub id: TeamId,
    pub department_id: DepartmentId,
    pub store_id: StoreId,
    pub name: String,
}

from_row!(TeamRow, |row| TeamRow {
    id: TeamId::from_stored(row.try_get("id")?),
    department_id: DepartmentId::from_stored(row.try_get("department_id")?),
    store_id: StoreId::from_stored(row.try_get("store_id")?),
    name: row.try_get("name")?,
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRow {
    pub id: RoleId,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub builtin: bool,
    /// The role's grants as JSON; `policy` owns the format.
    pub policy: String,
    pub updated_at: i64,
    /// Its holders must sign in with a second step (TOTP).
    pub requires_mfa: bool,
    /// When it was last marked so: the grace period of its holders counts from here.
    pub mfa_marked_at: Option<i64>,
}

from_row!(RoleRow, |row| RoleRow {
    id: RoleId::from_stored(row.try_get("id")?),
    code: row.try_get("code")?,
    name_zh: row.try_get("name_zh")?,
    name_en: row.try_get("name_en")?,
    builtin: row.try_get("builtin")?,
    policy: row.try_get("policy")?,
    updated_at: row.try_get("updated_at")?,
    requires_mfa: row.try_get("requires_mfa")?,
    mfa_marked_at: row.try_get("mfa_marked_at")?,
});

#[derive(Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role_id: RoleId,
    pub store_id: Option<StoreId>,
    pub department_id: Option<DepartmentId>,
    pub team_id: Option<TeamId>,
    pub status: String,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
    pub must_change_password: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

from_row!(UserRow, |row| UserRow {
    id: UserId::from_stored(row.try_get("id")?),
    username: row.try_get("username")?,
    display_name: row.try_get("display_name")?,
    password_hash: row.try_get("password_hash")?,
    role_id: RoleId::from_stored(row.try_get("role_id")?),
    store_id: row
        .try_get::<Option<String>, _>("store_id")?
        .map(StoreId::from_stored),
    department_id: row
        .try_get::<Option<String>, _>("department_id")?
        .map(DepartmentId::from_stored),
    team_id: row
        .try_get::<Option<String>, _>("team_id")?
        .map(TeamId::from_stored),
    status: row.try_get("status")?,
    failed_logins: row.try_get("failed_logins")?,
    locked_until: row.try_get("locked_until")?,
    must_change_password: row.try_get("must_change_password")?,
    created_at: row.try_get("created_at")?,
    updated_at: row.try_get("updated_at")?,
});

// The password hash and the person's name stay out of logs.
impl fmt::Debug for UserRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role_id", &self.role_id)
            .field("store_id", &self.store_id)
            .field("department_id", &self.department_id)
            .field("team_id", &self.team_id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// Hash of the bearer token; the token itself is never stored.
    pub token_hash: String,
    pub user_id: UserId,
    /// `"api"` or `"web"`.
    pub kind: String,
    pub csrf_token: Option<String>,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// The idle timeout in force when the session began.
    pub idle_timeout_ms: i64,
    /// From this moment the session may only enrol in two-step sign-in (`None`: never);
    /// fixed at sign-in, cleared when the holder enrols.
    pub mfa_enrol_by: Option<i64>,
}

from_row!(SessionRow, |row| SessionRow {
    token_hash: row.try_get("token_hash")?,
    user_id: UserId::from_stored(row.try_get("user_id")?),
    kind: row.try_get("kind")?,
    csrf_token: row.try_get("csrf_token")?,
    created_at: row.try_get("created_at")?,
    last_seen_at: row.try_get("last_seen_at")?,
    expires_at: row.try_get("expires_at")?,
    idle_timeout_ms: row.try_get("idle_timeout_ms")?,
    mfa_enrol_by: row.try_get("mfa_enrol_by")?,
});

// The CSRF token is a secret and the token hash identifies the session: neither is logged.
impl fmt::Debug for SessionRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionRow")
            .field("user_id", &self.user_id)
            .field("kind", &self.kind)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A list of ids or names as stored: JSON text, the same on both backends.
pub(crate) fn json_list(text: String) -> Result<Vec<String>, sqlx::Error> {
    serde_json::from_str(&text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// The stored form of a list (see [`json_list`]).
pub(crate) fn to_json(list: &[String]) -> Result<String, StoreError> {
    serde_json::to_string(list).map_err(|e| StoreError::Other(format!("json list: {e}")))
}
