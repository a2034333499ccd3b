//! Audit events packed into one value per page, for verification.
//!
//! Fetching a million rows of thirteen columns one by one costs far more in the driver
//! than in the database, so the database packs a page into one JSON array of row arrays
//! (columns in the order of [`ChainRowRef`]), decoded here borrowing from the text where
//! no escape needs undoing. JSON strings carry any stored text exactly, whatever it holds.
//! (A length-prefixed text format decodes faster, but SQLite builds it at half the speed
//! of its JSON functions, and building dominates.)

use crate::connect::Backend;
use crate::error::StoreError;
use crate::tx::{on_tx, Tx};
use serde::Deserialize;
use std::borrow::Cow;

const COLUMNS: &str = "seq, at, actor_id, actor_username, action, entity, record_ids, fields, \
                       reason, outcome, client_addr, prev_hash, hash";

fn page_sql(backend: Backend) -> String {
    let agg = match backend {
        Backend::Sqlite => format!("json_group_array(json_array({COLUMNS}) ORDER BY seq)"),
        Backend::Postgres => format!("json_agg(json_build_array({COLUMNS}) ORDER BY seq)::text"),
    };
    format!("SELECT COALESCE({agg}, '[]') FROM audit_log WHERE seq >= $1 AND seq < $2")
}

/// One packed event, borrowed from its page where possible.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct ChainRowRef<'a> {
    pub seq: i64,
    pub at: i64,
    #[serde(borrow)]
    pub actor_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub actor_username: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub action: Cow<'a, str>,
    #[serde(borrow)]
    pub entity: Cow<'a, str>,
    #[serde(borrow)]
    pub record_ids: Cow<'a, str>,
    #[serde(borrow)]
    pub fields: Cow<'a, str>,
    #[serde(borrow)]
    pub reason: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub outcome: Cow<'a, str>,
    #[serde(borrow)]
    pub client_addr: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub prev_hash: Cow<'a, str>,
    #[serde(borrow)]
    pub hash: Cow<'a, str>,
}

// The reason is free text and the client address personal data: keep them out of logs.
impl std::fmt::Debug for ChainRowRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChainRowRef")
            .field("seq", &self.seq)
            .field("action", &self.action)
            .finish_non_exhaustive()
    }
}

impl Tx {
    /// The events with `from_seq <= seq < to_seq`, packed (see the module docs); `[]`
    /// when there are none.
    pub async fn audit_chain_packed(
        &mut self,
        from_seq: i64,
        to_seq: i64,
    ) -> Result<String, StoreError> {
        let sql = page_sql(self.backend());
        Ok(on_tx!(self, c => sqlx::query_scalar(&sql)
            .bind(from_seq)
            .bind(to_seq)
            .fetch_one(&mut **c)
            .await)?)
    }

    /// The highest sequence number in the log, if any.
    pub async fn audit_max_seq(&mut self) -> Result<Option<i64>, StoreError> {
        const SQL: &str = "SELECT MAX(seq) FROM audit_log";
        Ok(on_tx!(self, c => sqlx::query_scalar(SQL).fetch_one(&mut **c).await)?)
    }
}

/// Decodes a page from [`Tx::audit_chain_packed`].
pub fn unpack_chain(text: &str) -> Result<Vec<ChainRowRef<'_>>, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Other(format!("packed audit page: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_decode_exactly_escaped_or_not() {
        let text =
            r#"[[7,-3,null,"李明","a\"b\u0001","e","[\"c1\"]","[]",null,"allowed",null,"p","h"]]"#;
        let rows = unpack_chain(text).expect("unpack");
        let r = &rows[0];
        assert_eq!((r.seq, r.at, r.actor_id.as_deref()), (7, -3, None));
        assert_eq!(r.actor_username.as_deref(), Some("李明"));
        assert_eq!(&*r.action, "a\"b\u{1}");
        assert_eq!(&*r.record_ids, "[\"c1\"]");
        assert!(matches!(r.entity, Cow::Borrowed(_)));
        assert!(unpack_chain("[[7,-3]]").is_err());
        assert!(unpack_chain("[]").expect("empty").is_empty());
    }
}
