//! Reading and handling alerts: the auditor group-wide, a general manager for the store,
//! a sales manager for the department (the `Alert` grants of their roles). The scope is
//! the alert's subject's store and department, applied in SQL. Every read, acknowledgement
//! and comment is recorded.

use crate::actor::Actor;
use crate::audit_trail::{append, event, record, refuse};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::{StoreId, UserId};
use dealervault_policy::Action;
use dealervault_store::{AlertCommentRow, AlertRow, Tx};
use serde::Serialize;
use std::collections::HashMap;

/// Longest comment, in characters.
pub const COMMENT_MAX: usize = 2000;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertSubject {
    pub id: String,
    pub username: String,
}

/// The counts behind an alert.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertSummary {
    /// Events (or distinct customers, for `bulk_view`) counted in the window.
    pub count: i64,
    pub threshold: i64,
    pub window_secs: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertView {
    pub id: String,
    /// The rule kind, e.g. `bulk_view`, `honeytoken`.
    pub kind: String,
    /// `info`, `warning` or `critical`.
    pub severity: String,
    pub subject: AlertSubject,
    /// The subject's store code; absent for group-level staff.
    pub store: Option<String>,
    pub summary: AlertSummary,
    /// Opaque ids of the records involved (never their data).
    pub record_ids: Vec<String>,
    /// What was done to the subject: `none`, `require_relogin` or `freeze`.
    pub action_taken: String,
    pub created_at: i64,
    /// `open` or `acknowledged`.
    pub status: String,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertComment {
    pub id: String,
    pub author: String,
    pub body: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertDetail {
    pub alert: AlertView,
    pub comments: Vec<AlertComment>,
}

/// Store codes and usernames for rendering alerts.
struct Names {
    stores: HashMap<StoreId, String>,
    users: HashMap<String, String>,
    /// Whether the reader may learn which customers are decoys (the auditor). A manager
    /// learns who opened one, not which: a manager who knew the decoys could warn a
    /// salesperson off them.
    shows_decoys: bool,
}

impl Names {
    async fn load(tx: &mut Tx, actor: &Actor) -> Result<Self, AppError> {
        Ok(Self {
            shows_decoys: actor.may(Entity::AuditLog, Action::View),
            stores: tx
                .stores()
                .await?
                .into_iter()
                .map(|s| (s.id, s.code))
                .collect(),
            users: HashMap::new(),
        })
    }

    async fn username(&mut self, tx: &mut Tx, id: &str) -> Result<String, AppError> {
        if let Some(name) = self.users.get(id) {
            return Ok(name.clone());
        }
        let name = tx
            .user_by_id(&UserId::from_stored(id.to_string()))
            .await?
            .map(|u| u.username)
            .unwrap_or_default();
        self.users.insert(id.to_string(), name.clone());
        Ok(name)
    }

    async fn view(&mut self, tx: &mut Tx, a: AlertRow) -> Result<AlertView, AppError> {
        let acknowledged_by = match &a.acknowledged_by {
            Some(id) => Some(self.username(tx, id).await?),
            None => None,
        };
        let record_ids = if a.kind == "honeytoken" && !self.shows_decoys {
            vec![]
        } else {
            a.record_ids
        };
        Ok(AlertView {
            store: a
                .store_id
                .as_ref()
                .and_then(|s| self.stores.get(s).cloned()),
            subject: AlertSubject {
                id: a.subject_user_id.to_string(),
                username: a.subject_username,
            },
            summary: AlertSummary {
                count: a.event_count,
                threshold: a.threshold,
                window_secs: a.window_secs,
            },
            id: a.id,
            kind: a.kind,
            severity: a.severity,
            record_ids,
            action_taken: a.action_taken,
            created_at: a.created_at,
            status: a.status,
            acknowledged_by,
            acknowledged_at: a.acknowledged_at,
        })
    }
}

fn comment_view(c: AlertCommentRow) -> AlertComment {
    AlertComment {
        id: c.id,
        author: c.author_username,
        body: c.body,
        created_at: c.created_at,
    }
}

/// A comment as typed: trimmed, required, bounded.
fn comment_text(body: &str) -> Result<String, AppError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::invalid("comment", Rule::Required));
    }
    if body.chars().count() > COMMENT_MAX {
        return Err(AppError::invalid(
            "comment",
            Rule::TooLong { max: COMMENT_MAX },
        ));
    }
    if body
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(AppError::invalid("comment", Rule::InvalidCharacters));
    }
    Ok(body.to_string())
}

impl App {
    async fn alert_not_found(&self, actor: &Actor, verb: &str, id: &str) -> AppError {
        let mut ev = event(self, actor, verb, Entity::Alert, Outcome::Denied);
        ev.record_ids = uuid::Uuid::try_parse(id)
            .map(|u| vec![u.to_string()])
            .unwrap_or_default();
        refuse(self, ev, AppError::NotFound).await
    }

    /// The alerts the actor may read, newest first (at most 200).
    pub async fn list_alerts(
        &self,
        actor: &Actor,
        open_only: bool,
    ) -> Result<Vec<AlertView>, AppError> {
        let filter = self
            .row_filter(actor, Entity::Alert, Action::View, "alert.list")
            .await?;
        let mut tx = self.store().read().await?;
        let rows = tx.alerts(&filter, open_only, 200).await?;
        let mut names = Names::load(&mut tx, actor).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(names.view(&mut tx, row).await?);
        }
        let mut ev = event(self, actor, "alert.list", Entity::Alert, Outcome::Allowed);
        ev.record_ids = out.iter().map(|a| a.id.clone()).collect();
        drop(tx);
        record(self, ev).await?;
        Ok(out)
    }

    /// One alert with its comments; out of scope answers like missing.
    pub async fn alert_detail(&self, actor: &Actor, id: &str) -> Result<AlertDetail, AppError> {
        let filter = self
            .row_filter(actor, Entity::Alert, Action::View, "alert.view")
            .await?;
        let mut tx = self.store().read().await?;
        let Some(row) = tx.alert(id, &filter).await? else {
            drop(tx);
            return Err(self.alert_not_found(actor, "alert.view", id).await);
        };
        let detail = self.detail_in(&mut tx, actor, row).await?;
        let mut ev = event(self, actor, "alert.view", Entity::Alert, Outcome::Allowed);
        ev.record_ids = vec![detail.alert.id.clone()];
        drop(tx);
        record(self, ev).await?;
        Ok(detail)
    }

    async fn detail_in(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        row: AlertRow,
    ) -> Result<AlertDetail, AppError> {
        let comments = tx.alert_comments(&row.id).await?;
        let mut names = Names::load(tx, actor).await?;
        Ok(AlertDetail {
            alert: names.view(tx, row).await?,
            comments: comments.into_iter().map(comment_view).collect(),
        })
    }

    /// Marks an alert as handled, with an optional comment. Nobody acknowledges an alert
    /// about themselves (409 `own_alert`); acknowledging twice is 409
    /// `already_acknowledged`.
    pub async fn acknowledge_alert(
        &self,
        actor: &Actor,
        id: &str,
        comment: Option<&str>,
    ) -> Result<AlertDetail, AppError> {
        self.handle_alert(actor, id, "alert.acknowledge", comment, true)
            .await
    }

    /// Adds a comment to an alert.
    pub async fn comment_alert(
        &self,
        actor: &Actor,
        id: &str,
        body: &str,
    ) -> Result<AlertDetail, AppError> {
        self.handle_alert(actor, id, "alert.comment", Some(body), false)
            .await
    }

    async fn handle_alert(
        &self,
        actor: &Actor,
        id: &str,
        verb: &str,
        comment: Option<&str>,
        acknowledge: bool,
    ) -> Result<AlertDetail, AppError> {
        let filter = self
            .row_filter(actor, Entity::Alert, Action::Edit, verb)
            .await?;
        let comment = match comment {
            Some(c) if acknowledge && c.trim().is_empty() => None,
            Some(c) => Some(comment_text(c)?),
            None if acknowledge => None,
            None => return Err(AppError::invalid("comment", Rule::Required)),
        };
        let mut tx = self.store().write().await?;
        let Some(row) = tx.alert(id, &filter).await? else {
            drop(tx);
            return Err(self.alert_not_found(actor, verb, id).await);
        };
        if row.subject_user_id == actor.user_id {
            drop(tx);
            let mut ev = event(self, actor, verb, Entity::Alert, Outcome::Denied);
            ev.record_ids = vec![row.id.clone()];
            return Err(refuse(self, ev, AppError::Conflict("own_alert")).await);
        }
        if acknowledge && row.status != "open" {
            return Err(AppError::Conflict("already_acknowledged"));
        }
        let now = self.clock().now_ms();
        let mut fields = vec![];
        if acknowledge {
            tx.acknowledge_alert(&row.id, &actor.user_id, now).await?;
            fields.push("status".to_string());
        }
        if let Some(body) = comment {
            tx.insert_alert_comment(&AlertCommentRow {
                id: uuid::Uuid::now_v7().to_string(),
                alert_id: row.id.clone(),
                author_id: actor.user_id.clone(),
                author_username: actor.username.clone(),
                body,
                created_at: now,
            })
            .await?;
            fields.push("comment".to_string());
        }
        let mut ev = event(self, actor, verb, Entity::Alert, Outcome::Allowed);
        ev.record_ids = vec![row.id.clone()];
        ev.fields = fields;
        append(&mut tx, ev).await?;
        let row = tx
            .alert(&row.id, &filter)
            .await?
            .ok_or(AppError::NotFound)?;
        let detail = self.detail_in(&mut tx, actor, row).await?;
        tx.commit().await?;
        Ok(detail)
    }
}
