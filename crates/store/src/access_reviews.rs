//! Access reviews (权限复核): a campaign per quarter and one item per account, with its
//! snapshot, its reviewer and the decision. No personal data of any customer: accounts,
//! roles, places and the rights summary as JSON.

use crate::error::StoreError;
use crate::rows::from_row;
use crate::tx::{on_tx, on_tx_atomic, Tx};
use dealervault_domain::ids::{
    AccessReviewId, DepartmentId, ReviewItemId, RoleId, StoreId, TeamId, UserId,
};

/// The unique key a second campaign for the same quarter breaks.
pub const QUARTER_CONSTRAINT: &str = "access_reviews_quarter_key";

/// A campaign as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessReviewRow {
    pub id: AccessReviewId,
    /// `2026-Q4`.
    pub quarter: String,
    /// `None`: started by the sweep.
    pub started_by: Option<UserId>,
    pub started_at: i64,
    pub due_on: String,
    pub due_at: i64,
}

/// One account's item as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewItemRow {
    pub id: ReviewItemId,
    pub review_id: AccessReviewId,
    pub store_id: Option<StoreId>,
    pub department_id: Option<DepartmentId>,
    pub team_id: Option<TeamId>,
    pub user_id: UserId,
    pub role_id: RoleId,
    /// The rights summary at the start, as JSON.
    pub rights: String,
    pub first_reviewer_id: Option<UserId>,
    pub reviewer_id: Option<UserId>,
    pub due_on: String,
    pub due_at: i64,
    pub escalated_at: Option<i64>,
    pub alerted_at: Option<i64>,
    /// `keep` or `remove` once decided.
    pub decision: Option<String>,
    pub comment: String,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<i64>,
}

/// A campaign's counts for one store (`None`: group-level accounts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewProgressRow {
    pub store_id: Option<StoreId>,
    pub total: i64,
    pub decided: i64,
    pub removed: i64,
    pub escalated: i64,
    /// Items the auditor was alerted about.
    pub overdue: i64,
}

from_row!(AccessReviewRow, |row| AccessReviewRow {
    id: AccessReviewId::from_stored(row.try_get("id")?),
    quarter: row.try_get("quarter")?,
    started_by: row
        .try_get::<Option<String>, _>("started_by")?
        .map(UserId::from_stored),
    started_at: row.try_get("started_at")?,
    due_on: row.try_get("due_on")?,
    due_at: row.try_get("due_at")?,
});

fn user(id: Option<String>) -> Option<UserId> {
    id.map(UserId::from_stored)
}

from_row!(ReviewItemRow, |row| ReviewItemRow {
    id: ReviewItemId::from_stored(row.try_get("id")?),
    review_id: AccessReviewId::from_stored(row.try_get("review_id")?),
    store_id: row
        .try_get::<Option<String>, _>("store_id")?
        .map(StoreId::from_stored),
    department_id: row
        .try_get::<Option<String>, _>("department_id")?
        .map(DepartmentId::from_stored),
    team_id: row
        .try_get::<Option<String>, _>("team_id")?
        .map(TeamId::from_stored),
    user_id: UserId::from_stored(row.try_get("user_id")?),
    role_id: RoleId::from_stored(row.try_get("role_id")?),
    rights: row.try_get("rights")?,
    first_reviewer_id: user(row.try_get("first_reviewer_id")?),
    reviewer_id: user(row.try_get("reviewer_id")?),
    due_on: row.try_get("due_on")?,
    due_at: row.try_get("due_at")?,
    escalated_at: row.try_get("escalated_at")?,
    alerted_at: row.try_get("alerted_at")?,
    decision: row.try_get("decision")?,
    comment: row.try_get("comment")?,
    decided_by: user(row.try_get("decided_by")?),
    decided_at: row.try_get("decided_at")?,
});

from_row!(ReviewProgressRow, |row| ReviewProgressRow {
    store_id: row
        .try_get::<Option<String>, _>("store_id")?
        .map(StoreId::from_stored),
    total: row.try_get("total")?,
    decided: row.try_get("decided")?,
    removed: row.try_get("removed")?,
    escalated: row.try_get("escalated")?,
    overdue: row.try_get("overdue")?,
});

const ITEM_COLUMNS: &str = "id, review_id, store_id, department_id, team_id, user_id, \
                            role_id, rights, first_reviewer_id, reviewer_id, due_on, due_at, \
                            escalated_at, alerted_at, decision, comment, decided_by, decided_at";

/// Items in the order their pages list them: by store, then by account.
const ITEM_ORDER: &str = "ORDER BY store_id, department_id, user_id";

impl Tx {
    /// Inserts a campaign. A second one for the same quarter is
    /// `Conflict(QUARTER_CONSTRAINT)`, and the transaction stays usable.
    pub async fn insert_access_review(&mut self, r: &AccessReviewRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO access_reviews (id, quarter, started_by, started_at, \
                           due_on, due_at) VALUES ($1, $2, $3, $4, $5, $6)";
        on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(r.id.as_str())
            .bind(r.quarter.as_str())
            .bind(r.started_by.as_ref().map(UserId::as_str))
            .bind(r.started_at)
            .bind(r.due_on.as_str())
            .bind(r.due_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    pub async fn insert_review_item(&mut self, i: &ReviewItemRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO access_review_items (id, review_id, store_id, \
                           department_id, team_id, user_id, role_id, rights, \
                           first_reviewer_id, reviewer_id, due_on, due_at, comment) \
                           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, '')";
        on_tx!(self, c => sqlx::query(SQL)
            .bind(i.id.as_str())
            .bind(i.review_id.as_str())
            .bind(i.store_id.as_ref().map(StoreId::as_str))
            .bind(i.department_id.as_ref().map(DepartmentId::as_str))
            .bind(i.team_id.as_ref().map(TeamId::as_str))
            .bind(i.user_id.as_str())
            .bind(i.role_id.as_str())
            .bind(i.rights.as_str())
            .bind(i.reviewer_id.as_ref().map(UserId::as_str))
            .bind(i.due_on.as_str())
            .bind(i.due_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Every campaign, the newest quarter first.
    pub async fn access_reviews(&mut self) -> Result<Vec<AccessReviewRow>, StoreError> {
        const SQL: &str = "SELECT * FROM access_reviews ORDER BY quarter DESC";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).fetch_all(&mut **c).await)?)
    }

    pub async fn access_review(
        &mut self,
        id: &AccessReviewId,
    ) -> Result<Option<AccessReviewRow>, StoreError> {
        const SQL: &str = "SELECT * FROM access_reviews WHERE id = $1";
        Ok(on_tx!(self, c => sqlx::query_as(SQL)
            .bind(id.as_str())
            .fetch_optional(&mut **c)
            .await)?)
    }

    pub async fn access_review_of_quarter(
        &mut self,
        quarter: &str,
    ) -> Result<Option<AccessReviewRow>, StoreError> {
        const SQL: &str = "SELECT * FROM access_reviews WHERE quarter = $1";
        Ok(on_tx!(self, c => sqlx::query_as(SQL)
            .bind(quarter)
            .fetch_optional(&mut **c)
            .await)?)
    }

    pub async fn review_item(
        &mut self,
        id: &ReviewItemId,
    ) -> Result<Option<ReviewItemRow>, StoreError> {
        let sql = format!("SELECT {ITEM_COLUMNS} FROM access_review_items WHERE id = $1");
        Ok(on_tx!(self, c => sqlx::query_as(&sql)
            .bind(id.as_str())
            .fetch_optional(&mut **c)
            .await)?)
    }

    /// Every item of a campaign.
    pub async fn review_items(
        &mut self,
        review: &AccessReviewId,
    ) -> Result<Vec<ReviewItemRow>, StoreError> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM access_review_items WHERE review_id = $1 {ITEM_ORDER}"
        );
        Ok(on_tx!(self, c => sqlx::query_as(&sql)
            .bind(review.as_str())
            .fetch_all(&mut **c)
            .await)?)
    }

    /// The items of a campaign that concern `user` as a reviewer (now, first, or as the
    /// one who decided), and with `store` every item of that store (its manager's view):
    /// the app's `reviews::in_reach` for one who does not oversee, in SQL.
    pub async fn review_items_in_reach(
        &mut self,
        review: &AccessReviewId,
        user: &UserId,
        store: Option<&StoreId>,
    ) -> Result<Vec<ReviewItemRow>, StoreError> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM access_review_items WHERE review_id = $1 \
             AND (reviewer_id = $2 OR first_reviewer_id = $2 OR decided_by = $2 \
             OR ($3 IS NOT NULL AND store_id = $3)) {ITEM_ORDER}"
        );
        Ok(on_tx!(self, c => sqlx::query_as(&sql)
            .bind(review.as_str())
            .bind(user.as_str())
            .bind(store.map(StoreId::as_str))
            .fetch_all(&mut **c)
            .await)?)
    }

    /// The undecided items `reviewer` is to decide now, the earliest due first.
    pub async fn review_items_awaiting(
        &mut self,
        reviewer: &UserId,
    ) -> Result<Vec<ReviewItemRow>, StoreError> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM access_review_items WHERE reviewer_id = $1 \
             AND decided_at IS NULL ORDER BY due_at, store_id, department_id, user_id"
        );
        Ok(on_tx!(self, c => sqlx::query_as(&sql)
            .bind(reviewer.as_str())
            .fetch_all(&mut **c)
            .await)?)
    }

    /// How many undecided items wait for `reviewer`: the badge and the home card.
    pub async fn count_review_items_awaiting(
        &mut self,
        reviewer: &UserId,
    ) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM access_review_items WHERE reviewer_id = $1 \
                           AND decided_at IS NULL";
        let (n,): (i64,) = on_tx!(self, c => sqlx::query_as(SQL)
            .bind(reviewer.as_str())
            .fetch_one(&mut **c)
            .await)?;
        Ok(n)
    }

    /// Records a decision if the item is still open and `by` is its reviewer; `false`
    /// when it was decided or moved meanwhile.
    pub async fn decide_review_item(
        &mut self,
        id: &ReviewItemId,
        by: &UserId,
        decision: &str,
        comment: &str,
        at: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE access_review_items SET decision = $3, comment = $4, \
                           decided_by = $2, decided_at = $5 WHERE id = $1 AND reviewer_id = $2 \
                           AND decided_at IS NULL";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(by.as_str())
            .bind(decision)
            .bind(comment)
            .bind(at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Undecided items past their due instant that nobody was alerted about yet.
    pub async fn overdue_review_items(
        &mut self,
        now: i64,
    ) -> Result<Vec<ReviewItemRow>, StoreError> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM access_review_items WHERE decided_at IS NULL \
             AND due_at <= $1 AND alerted_at IS NULL {ITEM_ORDER}"
        );
        Ok(on_tx!(self, c => sqlx::query_as(&sql)
            .bind(now)
            .fetch_all(&mut **c)
            .await)?)
    }

    /// Hands an overdue item to `reviewer` with a new due date, once: `false` when it
    /// was decided or escalated meanwhile.
    pub async fn escalate_review_item(
        &mut self,
        id: &ReviewItemId,
        reviewer: &UserId,
        due_on: &str,
        due_at: i64,
        at: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE access_review_items SET reviewer_id = $2, due_on = $3, \
                           due_at = $4, escalated_at = $5 WHERE id = $1 \
                           AND decided_at IS NULL AND escalated_at IS NULL";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(reviewer.as_str())
            .bind(due_on)
            .bind(due_at)
            .bind(at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Notes that the auditor was alerted about an overdue item, once: `false` when it
    /// was decided or alerted meanwhile.
    pub async fn mark_review_item_alerted(
        &mut self,
        id: &ReviewItemId,
        at: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE access_review_items SET alerted_at = $2 WHERE id = $1 \
                           AND decided_at IS NULL AND alerted_at IS NULL";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// A campaign's counts per store, counted in SQL.
    pub async fn review_progress(
        &mut self,
        review: &AccessReviewId,
    ) -> Result<Vec<ReviewProgressRow>, StoreError> {
        const SQL: &str = "SELECT store_id, COUNT(*) AS total, COUNT(decided_at) AS decided, \
                           COUNT(CASE WHEN decision = 'remove' THEN 1 END) AS removed, \
                           COUNT(escalated_at) AS escalated, COUNT(alerted_at) AS overdue \
                           FROM access_review_items WHERE review_id = $1 GROUP BY store_id \
                           ORDER BY store_id";
        Ok(on_tx!(self, c => sqlx::query_as(SQL)
            .bind(review.as_str())
            .fetch_all(&mut **c)
            .await)?)
    }
}
