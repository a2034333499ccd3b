//! Handing a person's book to colleagues: their customers and open leads, by id, and the
//! owner written on each. The ledger (`ownership.rs`), the leads' follow-ups and test
//! drives move in the same transaction, by the caller.

use crate::error::StoreError;
use crate::leads::OPEN_LEAD_STATUSES;
use crate::tx::{on_tx, Tx};
use dealervault_domain::ids::{CustomerId, LeadId, StoreId, UserId};

/// A record to hand over: its id, store and when it was created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedRecord<Id> {
    pub id: Id,
    pub store_id: StoreId,
    pub created_at: i64,
}

/// Where a member of staff stands before leaving: their last day or freeze, and how big
/// their book is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffBook {
    pub user_id: UserId,
    pub leaving_on: Option<String>,
    pub frozen_at: Option<i64>,
    pub freeze_reason: Option<String>,
    pub customers: i64,
    pub open_leads: i64,
    pub open_follow_ups: i64,
}

/// The open lead statuses as an SQL list: `'new', 'contacted', …` (constants, so no
/// binding is needed).
fn open_statuses() -> String {
    OPEN_LEAD_STATUSES
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Tx {
    /// Every account of the store with its book.
    pub async fn staff_books(&mut self, store: &StoreId) -> Result<Vec<StaffBook>, StoreError> {
        self.books_where("u.store_id = $1", store.as_str()).await
    }

    /// One account's book.
    pub async fn staff_book(&mut self, user: &UserId) -> Result<Option<StaffBook>, StoreError> {
        Ok(self.books_where("u.id = $1", user.as_str()).await?.pop())
    }

    /// The books of the accounts `condition` (on `users u`, binding `$1`) selects:
    /// customers from the per-owner counts, open leads and open follow-ups counted.
    async fn books_where(
        &mut self,
        condition: &str,
        bind: &str,
    ) -> Result<Vec<StaffBook>, StoreError> {
        let statuses = open_statuses();
        let sql = format!(
            "SELECT u.id, u.leaving_on, u.frozen_at, u.freeze_reason, \
             (SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) FROM customer_counts c \
              WHERE c.owner_id = u.id), \
             (SELECT COUNT(*) FROM leads l WHERE l.owner_id = u.id AND l.status IN ({statuses})), \
             (SELECT COUNT(*) FROM follow_ups f WHERE f.owner_id = u.id AND f.state = 'open') \
             FROM users u WHERE {condition} ORDER BY u.username"
        );
        type Row = (
            String,
            Option<String>,
            Option<i64>,
            Option<String>,
            i64,
            i64,
            i64,
        );
        let rows: Vec<Row> = on_tx!(self, c => sqlx::query_as(&sql)
            .bind(bind)
            .fetch_all(&mut **c)
            .await)?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    leaving_on,
                    frozen_at,
                    freeze_reason,
                    customers,
                    open_leads,
                    open_follow_ups,
                )| {
                    StaffBook {
                        user_id: UserId::from_stored(id),
                        leaving_on,
                        frozen_at,
                        freeze_reason,
                        customers,
                        open_leads,
                        open_follow_ups,
                    }
                },
            )
            .collect())
    }

    pub async fn customers_owned_by(
        &mut self,
        owner: &UserId,
    ) -> Result<Vec<OwnedRecord<CustomerId>>, StoreError> {
        const SQL: &str = "SELECT id, store_id, created_at FROM customers WHERE owner_id = $1 \
                           ORDER BY id";
        let rows: Vec<(String, String, i64)> = on_tx!(self, c => sqlx::query_as(SQL)
            .bind(owner.as_str())
            .fetch_all(&mut **c)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|(id, store, created_at)| OwnedRecord {
                id: CustomerId::from_stored(id),
                store_id: StoreId::from_stored(store),
                created_at,
            })
            .collect())
    }

    /// The owner's leads still in the funnel (ordered and delivered ones stay theirs on
    /// record: their deals are done).
    pub async fn open_leads_owned_by(
        &mut self,
        owner: &UserId,
    ) -> Result<Vec<OwnedRecord<LeadId>>, StoreError> {
        let statuses = open_statuses();
        let sql = format!(
            "SELECT id, store_id, created_at FROM leads WHERE owner_id = $1 \
             AND status IN ({statuses}) ORDER BY id"
        );
        let rows: Vec<(String, String, i64)> = on_tx!(self, c => sqlx::query_as(&sql)
            .bind(owner.as_str())
            .fetch_all(&mut **c)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|(id, store, created_at)| OwnedRecord {
                id: LeadId::from_stored(id),
                store_id: StoreId::from_stored(store),
                created_at,
            })
            .collect())
    }

    /// A new owner for a customer (the per-owner counts follow by trigger).
    pub async fn set_customer_owner(
        &mut self,
        id: &CustomerId,
        owner: &UserId,
        at: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE customers SET owner_id = $2, updated_at = $3 WHERE id = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(owner.as_str())
            .bind(at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "customers")
    }

    /// A new owner for a lead; the handover counts as a fresh start on it, so the pool
    /// does not take it back before the new owner could work it.
    pub async fn set_lead_owner(
        &mut self,
        id: &LeadId,
        owner: &UserId,
        at: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str =
            "UPDATE leads SET owner_id = $2, worked_at = $3, updated_at = $3 WHERE id = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(owner.as_str())
            .bind(at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "leads")
    }

    /// Hands every open follow-up still owned by `owner` (on leads that left the funnel)
    /// to `to`; their ids.
    pub async fn move_open_follow_ups_of(
        &mut self,
        owner: &UserId,
        to: &UserId,
        at: i64,
    ) -> Result<Vec<String>, StoreError> {
        const SQL: &str = "UPDATE follow_ups SET owner_id = $2, updated_at = $3 \
                           WHERE owner_id = $1 AND state = 'open' RETURNING id";
        let ids: Vec<String> = on_tx!(self, c => sqlx::query_scalar(SQL)
            .bind(owner.as_str())
            .bind(to.as_str())
            .bind(at)
            .fetch_all(&mut **c)
            .await)?;
        Ok(ids)
    }
}
