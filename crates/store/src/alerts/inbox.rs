//! Alerts and their comments, read within the reader's scope.

use super::{AlertCommentRow, AlertRow};
use crate::error::StoreError;
use crate::rows::to_json;
use crate::sql::{bind_params, Param, Sql};
use crate::tx::{on_tx, Tx};
use dealervault_domain::access::{RowBound, RowFilter};
use dealervault_domain::ids::{StoreId, UserId};

/// Alerts a reader may see: the subject's store and department against the reader's
/// row filter, in SQL.
fn push_alert_scope(sql: &mut Sql, filter: &RowFilter) {
    fn bound(sql: &mut Sql, b: &RowBound) {
        match b {
            RowBound::Owner(u) => {
                sql.push("(al.subject_user_id = ")
                    .bind_text(u.as_str())
                    .push(")");
            }
            RowBound::Team(t) => {
                sql.push("(al.subject_user_id IN (SELECT u.id FROM users u WHERE u.team_id = ")
                    .bind_text(t.as_str())
                    .push("))");
            }
            RowBound::Department(d) => {
                sql.push("(al.department_id = ")
                    .bind_text(d.as_str())
                    .push(")");
            }
            RowBound::Store(s) => {
                sql.push("(al.store_id = ").bind_text(s.as_str()).push(")");
            }
            RowBound::Group => {
                sql.push("(1 = 1)");
            }
        }
    }
    sql.push(" AND ");
    bound(sql, filter.within());
    if let Some(except) = filter.except() {
        sql.push(" AND NOT ");
        bound(sql, except);
    }
}

const INSERT_ALERT: &str = "INSERT INTO alerts (id, kind, severity, subject_user_id, \
    subject_username, store_id, department_id, event_count, threshold, window_secs, record_ids, \
    last_seq, action_taken, created_at, status) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'open')";

impl Tx {
    /// Whether an alert of this kind about this person is still open, raised at or after
    /// `since`.
    pub async fn open_alert_since(
        &mut self,
        kind: &str,
        subject: &UserId,
        since: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM alerts WHERE kind = $1 AND subject_user_id = $2 \
                           AND status = 'open' AND created_at >= $3";
        let n: i64 = on_tx!(self, c => sqlx::query_scalar(SQL)
            .bind(kind)
            .bind(subject.as_str())
            .bind(since)
            .fetch_one(&mut **c)
            .await)?;
        Ok(n > 0)
    }

    pub async fn insert_alert(&mut self, row: &AlertRow) -> Result<(), StoreError> {
        let record_ids = to_json(&row.record_ids)?;
        on_tx!(self, c => sqlx::query(INSERT_ALERT)
            .bind(&row.id)
            .bind(&row.kind)
            .bind(&row.severity)
            .bind(row.subject_user_id.as_str())
            .bind(&row.subject_username)
            .bind(row.store_id.as_ref().map(StoreId::as_str))
            .bind(row.department_id.as_deref())
            .bind(row.event_count)
            .bind(row.threshold)
            .bind(row.window_secs)
            .bind(&record_ids)
            .bind(row.last_seq)
            .bind(&row.action_taken)
            .bind(row.created_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Alerts under `filter`, newest first, optionally only open ones.
    pub async fn alerts(
        &mut self,
        filter: &RowFilter,
        open_only: bool,
        limit: u32,
    ) -> Result<Vec<AlertRow>, StoreError> {
        let mut sql = Sql::new("SELECT al.* FROM alerts al WHERE 1 = 1");
        push_alert_scope(&mut sql, filter);
        if open_only {
            sql.push(" AND al.status = 'open'");
        }
        sql.push(" ORDER BY al.created_at DESC, al.id DESC LIMIT ")
            .bind(Param::Int(i64::from(limit)));
        Ok(on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?)
    }

    /// One alert, if it exists and lies under `filter` (otherwise `None`, alike).
    pub async fn alert(
        &mut self,
        id: &str,
        filter: &RowFilter,
    ) -> Result<Option<AlertRow>, StoreError> {
        let mut sql = Sql::new("SELECT al.* FROM alerts al WHERE al.id = ");
        sql.bind_text(id);
        push_alert_scope(&mut sql, filter);
        Ok(on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_optional(&mut **c).await
        })?)
    }

    /// Any alert by id, for delivery (no reader behind it).
    pub async fn alert_for_delivery(&mut self, id: &str) -> Result<Option<AlertRow>, StoreError> {
        const SQL: &str = "SELECT * FROM alerts WHERE id = $1";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).bind(id).fetch_optional(&mut **c).await)?)
    }

    pub async fn acknowledge_alert(
        &mut self,
        id: &str,
        by: &UserId,
        at: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE alerts SET status = 'acknowledged', acknowledged_by = $2, \
                           acknowledged_at = $3 WHERE id = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id)
            .bind(by.as_str())
            .bind(at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "alerts")
    }

    pub async fn insert_alert_comment(&mut self, row: &AlertCommentRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO alert_comments (id, alert_id, author_id, author_username, \
                           body, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
        on_tx!(self, c => sqlx::query(SQL)
            .bind(&row.id)
            .bind(&row.alert_id)
            .bind(row.author_id.as_str())
            .bind(&row.author_username)
            .bind(&row.body)
            .bind(row.created_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    pub async fn alert_comments(
        &mut self,
        alert_id: &str,
    ) -> Result<Vec<AlertCommentRow>, StoreError> {
        const SQL: &str =
            "SELECT * FROM alert_comments WHERE alert_id = $1 ORDER BY created_at, id";
        Ok(on_tx!(self, c => sqlx::query_as(SQL).bind(alert_id).fetch_all(&mut **c).await)?)
    }
}
