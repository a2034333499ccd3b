//! Counts for the funnel report: leads created in a period, per source, owner and
//! furthest stage reached. Counts only: no lead row, no sealed field, is read out.

use crate::customer_filter::push_scope_on;
use crate::error::StoreError;
use crate::sql::{bind_params, Param, Sql};
use crate::tx::{on_tx, Tx};
use dealervault_domain::access::RowFilter;
use dealervault_domain::ids::UserId;

/// How many leads of one source and owner reached one stage, and how many of those
/// were lost there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunnelRow {
    pub source: String,
    /// `None`: in the pool.
    pub owner_id: Option<UserId>,
    pub reached: String,
    pub leads: u64,
    pub lost: u64,
}

impl Tx {
    /// Leads within `filter` created in `[from_ms, to_ms)`, and in the store with code
    /// `store` when one is named, grouped by source, owner and stage reached.
    pub async fn lead_funnel(
        &mut self,
        filter: &RowFilter,
        from_ms: i64,
        to_ms: i64,
        store: Option<&str>,
    ) -> Result<Vec<FunnelRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT l.source, l.owner_id, l.reached, COUNT(*), \
             CAST(SUM(CASE WHEN l.status = 'lost' THEN 1 ELSE 0 END) AS BIGINT) \
             FROM leads l WHERE ",
        );
        push_scope_on(&mut sql, "l", filter);
        sql.push(" AND l.created_at >= ")
            .bind(Param::Int(from_ms))
            .push(" AND l.created_at < ")
            .bind(Param::Int(to_ms));
        if let Some(code) = store {
            sql.push(" AND l.store_id = (SELECT s.id FROM stores s WHERE s.code = ")
                .bind_text(code)
                .push(")");
        }
        sql.push(" GROUP BY l.source, l.owner_id, l.reached");
        type Counts = (String, Option<String>, String, i64, i64);
        let rows: Vec<Counts> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok(rows
            .into_iter()
            .map(|(source, owner, reached, leads, lost)| FunnelRow {
                source,
                owner_id: owner.map(UserId::from_stored),
                reached,
                leads: n(leads),
                lost: n(lost),
            })
            .collect())
    }
}
