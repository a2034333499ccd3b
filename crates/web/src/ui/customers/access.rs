//! `/customers/{id}/access`: "who looked at this customer", for the roles granted
//! `history` on customers (the store manager). It shows people, times, actions and field
//! names from the audit log, never a value of the customer.

use super::super::errors::{self, render};
use super::super::i18n::Lang;
use super::super::layout::{local_seconds, Layout, Section};
use super::super::session::PageActor;
use crate::WebState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_app::customers::{AccessEntry, HISTORY_LIMIT};

/// One access as a table row.
#[derive(Debug, Clone)]
pub struct AccessRow {
    pub at: String,
    pub person: String,
    pub username: String,
    pub action: String,
    pub fields: String,
    pub reason: Option<String>,
    pub outcome: String,
    /// `badge-success`, `badge-danger` or `badge-warning`.
    pub outcome_class: &'static str,
}

impl AccessRow {
    fn of(lang: Lang, e: AccessEntry) -> Self {
        let username = e.actor.unwrap_or_default();
        let person = if e.actor_name.is_empty() {
            username.clone()
        } else {
            e.actor_name
        };
        let fields = e
            .fields
            .iter()
            .map(|f| lang.field_label(f))
            .collect::<Vec<_>>()
            .join(if lang.is_zh() { "、" } else { ", " });
        Self {
            at: local_seconds(e.at),
            person,
            username,
            action: lang.code_label("audit.action", &e.action),
            fields,
            reason: e.reason.filter(|r| !r.trim().is_empty()),
            outcome_class: match e.outcome.as_str() {
                "allowed" => "badge-success",
                "denied" => "badge-danger",
                _ => "badge-warning",
            },
            outcome: lang.code_label("audit.outcome", &e.outcome),
        }
    }
}

#[derive(Debug, Template)]
#[template(path = "customers/access.html")]
pub struct AccessPage {
    pub page: Layout,
    pub id: String,
    pub rows: Vec<AccessRow>,
    /// "Shown on N list pages".
    pub list_note: String,
    /// The history holds more than is shown.
    pub truncated: bool,
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
) -> Response {
    let history = match state.app.customer_access_history(&who.actor, &id).await {
        Ok(h) => h,
        Err(e) => return errors::app_error(&who, &e),
    };
    let lang = who.lang;
    let path = format!("/customers/{}/access", history.customer_id);
    let page = AccessPage {
        page: Layout::for_actor(&who, lang.t("access.title"), Section::Customers).at(&path),
        truncated: history.items.len() >= HISTORY_LIMIT as usize,
        rows: history
            .items
            .into_iter()
            .map(|e| AccessRow::of(lang, e))
            .collect(),
        list_note: lang.t1("access.list_appearances", history.list_appearances),
        id: history.customer_id,
    };
    render(StatusCode::OK, &page)
}
