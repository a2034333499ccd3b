//! What the key operations do to leads besides rewrapping their data keys (`data_keys`):
//! the walk of the blind-index rebuild, and finding the leads an erased customer came
//! from. A lead's mobile index is computed with the customers' mobile key, so both are
//! rebuilt, and erased, together.

use crate::error::StoreError;
use crate::leads::{LeadRow, SealedLead, SELECT};
use crate::sql::{bind_params, Param, Sql};
use crate::tx::{on_tx, Tx};
use dealervault_domain::ids::{CustomerId, LeadId};

impl Tx {
    /// Every lead, unscoped, by id ascending, the first `limit` after `after`: for
    /// computing the mobile index again under a new key version. Erased leads are
    /// included (with `data_key: None`).
    pub async fn leads_for_reindex(
        &mut self,
        after: Option<&LeadId>,
        limit: u32,
    ) -> Result<Vec<SealedLead>, StoreError> {
        let mut sql = Sql::new(SELECT);
        if let Some(after) = after {
            sql.push(" WHERE l.id > ").bind_text(after.as_str());
        }
        sql.push(" ORDER BY l.id LIMIT ")
            .bind(Param::Int(i64::from(limit)));
        let rows: Vec<LeadRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Replaces a lead's mobile index and nothing else (not `updated_at`: the lead did
    /// not change).
    pub async fn set_lead_mobile_index(
        &mut self,
        id: &LeadId,
        mobile_index: &[u8],
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE leads SET mobile_index = $2 WHERE id = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(mobile_index)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "leads")
    }

    /// The leads of one person, in every store: those converted into the customer, and
    /// those with the same mobile (its blind index) that never were. What a customer's
    /// erasure must reach.
    pub async fn leads_of_person(
        &mut self,
        customer: &CustomerId,
        mobile_index: &[u8],
    ) -> Result<Vec<LeadId>, StoreError> {
        const SQL: &str =
            "SELECT id FROM leads WHERE customer_id = $1 OR mobile_index = $2 ORDER BY id";
        let ids: Vec<String> = on_tx!(self, c => sqlx::query_scalar(SQL)
            .bind(customer.as_str())
            .bind(mobile_index)
            .fetch_all(&mut **c)
            .await)?;
        Ok(ids.into_iter().map(LeadId::from_stored).collect())
    }
}
