//! The counts over the audit log that rules are decided on.

use crate::error::StoreError;
use crate::sql::{bind_params, Param, Sql};
use crate::tx::{on_tx, Tx};

/// Which events a count looks at: one person's, of these actions and outcomes, in
/// `since <= at <= until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventCount<'a> {
    pub actor_id: &'a str,
    pub actions: &'a [&'a str],
    pub outcomes: &'a [&'a str],
    pub since: i64,
    pub until: i64,
}

impl EventCount<'_> {
    fn push_where(&self, sql: &mut Sql) {
        sql.push(" WHERE a.actor_id = ").bind_text(self.actor_id);
        sql.push(" AND a.at >= ").bind(Param::Int(self.since));
        sql.push(" AND a.at <= ").bind(Param::Int(self.until));
        if !self.actions.is_empty() {
            sql.push(" AND a.action IN ")
                .bind_list(self.actions.iter().map(|a| Param::Text((*a).to_string())));
        }
        if !self.outcomes.is_empty() {
            sql.push(" AND a.outcome IN ")
                .bind_list(self.outcomes.iter().map(|a| Param::Text((*a).to_string())));
        }
    }
}

impl Tx {
    /// How many events match.
    pub async fn count_events(&mut self, q: &EventCount<'_>) -> Result<i64, StoreError> {
        let mut sql = Sql::new("SELECT COUNT(*) FROM audit_log a");
        q.push_where(&mut sql);
        Ok(on_tx!(self, c => {
            bind_params!(sqlx::query_scalar(&sql.text), &sql.params).fetch_one(&mut **c).await
        })?)
    }

    /// How many distinct records the matching events name.
    pub async fn count_distinct_records(&mut self, q: &EventCount<'_>) -> Result<i64, StoreError> {
        let mut sql = Sql::new(
            "SELECT COUNT(DISTINCT r.record_id) FROM audit_log a \
             JOIN audit_records r ON r.seq = a.seq",
        );
        q.push_where(&mut sql);
        Ok(on_tx!(self, c => {
            bind_params!(sqlx::query_scalar(&sql.text), &sql.params).fetch_one(&mut **c).await
        })?)
    }

    /// How many of the matching events name a live honeytoken, and which ones.
    pub async fn honeytoken_events(
        &mut self,
        q: &EventCount<'_>,
    ) -> Result<(i64, Vec<String>), StoreError> {
        let mut sql = Sql::new(
            "SELECT a.seq, r.record_id FROM audit_log a \
             JOIN audit_records r ON r.seq = a.seq \
             JOIN honeytokens h ON h.customer_id = r.record_id AND h.retired_at IS NULL",
        );
        q.push_where(&mut sql);
        let rows: Vec<(i64, String)> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        let mut seqs: Vec<i64> = rows.iter().map(|(s, _)| *s).collect();
        seqs.dedup();
        let mut ids: Vec<String> = rows.into_iter().map(|(_, id)| id).collect();
        ids.sort();
        ids.dedup();
        Ok((seqs.len() as i64, ids))
    }

    /// Time and client address of each matching event, for rules decided per event
    /// (business hours, networks).
    pub async fn event_times(
        &mut self,
        q: &EventCount<'_>,
    ) -> Result<Vec<(i64, Option<String>)>, StoreError> {
        let mut sql = Sql::new("SELECT a.at, a.client_addr FROM audit_log a");
        q.push_where(&mut sql);
        Ok(on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?)
    }
}
