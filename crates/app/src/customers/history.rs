//! "Who looked at this customer": a customer's access history, read from the audit log
//! for the roles granted `History` on customers (the store manager), within their scope.
//! The auditor reads the same events in the audit viewer.

use crate::actor::Actor;
use crate::audit_trail::{self, event};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::{CustomerId, UserId};
use dealervault_policy::Action;
use dealervault_store::AuditQuery;

/// The actions that touch one customer on purpose. Appearing on a list page is counted
/// apart: a busy customer is on hundreds of pages, and a page shows it masked.
pub const ACCESS_ACTIONS: [&str; 7] = [
    "customer.view",
    "customer.reveal",
    "customer.edit",
    "customer.create",
    "customer.export",
    "customer.sync",
    "customer.history",
];

/// Entries shown, newest first.
pub const HISTORY_LIMIT: u32 = 200;

/// One access: who, when, what, touching which fields (names), why, and how it ended.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AccessEntry {
    pub seq: i64,
    /// Unix milliseconds, UTC.
    pub at: i64,
    /// Username of the person.
    pub actor: Option<String>,
    /// Their display name (empty if the account is gone).
    pub actor_name: String,
    pub action: String,
    pub fields: Vec<String>,
    /// The reason given for a reveal.
    pub reason: Option<String>,
    /// `allowed`, `denied` or `failed`.
    pub outcome: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AccessHistory {
    pub customer_id: String,
    /// Newest first, at most 200.
    pub items: Vec<AccessEntry>,
    /// How many list pages have shown this customer.
    pub list_appearances: u64,
}

impl App {
    /// The access history of one customer. Out of scope and missing answer the same
    /// `NotFound`; reading the history is itself recorded.
    pub async fn customer_access_history(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<AccessHistory, AppError> {
        const VERB: &str = "customer.history";
        let filter = self
            .row_filter(actor, Entity::Customer, Action::History, VERB)
            .await?;
        let Some(customer_id) = CustomerId::parse(id) else {
            return Err(self.customer_not_found(actor, VERB, id).await);
        };
        let mut tx = self.store().read().await?;
        if tx.customer(&filter, &customer_id).await?.is_none() {
            drop(tx);
            return Err(self.customer_not_found(actor, VERB, id).await);
        }
        let on_record = |actions: &[&str], limit| AuditQuery {
            record_id: Some(customer_id.to_string()),
            actions: actions.iter().map(|a| a.to_string()).collect(),
            limit,
            ..AuditQuery::default()
        };
        let rows = tx
            .audit_events(&on_record(&ACCESS_ACTIONS, HISTORY_LIMIT))
            .await?;
        let list_appearances = tx.audit_count(&on_record(&["customer.list"], 1)).await?;
        let people: Vec<UserId> = rows
            .iter()
            .filter_map(|r| r.actor_id.as_deref().and_then(UserId::parse))
            .collect();
        let names = tx.user_display_names(&people).await?;
        drop(tx);

        let items = rows
            .into_iter()
            .map(|r| AccessEntry {
                seq: r.seq,
                at: r.at,
                actor_name: r
                    .actor_id
                    .as_deref()
                    .and_then(UserId::parse)
                    .and_then(|id| names.get(&id).cloned())
                    .unwrap_or_default(),
                actor: r.actor_username,
                action: r.action,
                fields: r.fields,
                reason: r.reason,
                outcome: r.outcome,
            })
            .collect();
        let mut ev = event(self, actor, VERB, Entity::Customer, Outcome::Allowed);
        ev.record_ids = vec![customer_id.to_string()];
        audit_trail::record(self, ev).await?;
        Ok(AccessHistory {
            customer_id: customer_id.to_string(),
            items,
            list_appearances,
        })
    }
}
