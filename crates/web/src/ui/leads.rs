//! The sales floor's lead pages: my leads and the team's, the public pool (公海), one
//! lead with its follow-ups and ledger, the lead forms, the follow-up lists and a
//! store's lead rules. Every page calls the same use cases as the JSON API.

pub(super) mod actions;
mod detail;
mod follow_ups;
mod form;
mod list;
mod rules;

use super::i18n::Lang;
use super::layout::local_time;
use crate::WebState;
use axum::routing::{get, post};
use axum::Router;
use dealervault_app::leads::LeadView;
use dealervault_domain::catalog::{governed_fields, Entity};
use dealervault_domain::values::Fen;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/leads", get(list::mine).post(list::search))
        .route("/leads/pool", get(list::pool))
        .route("/leads/new", get(form::new).post(form::create))
        .route("/leads/rules", get(rules::show).post(rules::save))
        .route("/leads/{id}", get(detail::show))
        .route("/leads/{id}/edit", get(form::edit).post(form::update))
        .route("/leads/{id}/reveal", post(detail::reveal))
        .route("/leads/{id}/status", post(actions::status))
        .route("/leads/{id}/claim", post(actions::claim))
        .route("/leads/{id}/release", post(actions::release))
        .route("/leads/{id}/assign", post(actions::assign))
        .route("/leads/{id}/convert", post(actions::convert))
        .route("/leads/{id}/follow-ups", post(actions::follow_up))
        .route("/follow-ups", get(follow_ups::show))
        .route("/follow-ups/{id}/complete", post(follow_ups::complete))
}

/// A lead field's label, from the catalog.
pub fn label(lang: Lang, name: &str) -> &'static str {
    lang.label_of(Entity::Lead, name)
}

/// A shown lead value in words: coded values translated, the budget in yuan; masked
/// values as they are.
pub fn text(lang: Lang, view: &LeadView, name: &str) -> Option<(String, bool)> {
    let value = view.field(name)?;
    let masked = view.masked.iter().any(|m| m == name);
    Some(match value {
        None => (lang.t("value.empty").to_string(), false),
        Some(v) if masked => (v.to_string(), true),
        Some(v) if name == "source" => (lang.code_label("source", v), false),
        Some(v) if name == "budget" => (yuan(v), false),
        Some(v) => (v.to_string(), false),
    })
}

/// `250000.00` → `¥250,000.00`.
pub fn yuan(value: &str) -> String {
    match Fen::parse_yuan("budget", value) {
        Ok(fen) => format!("¥{fen}"),
        Err(_) => value.to_string(),
    }
}

/// The lead's status in words.
pub fn status(lang: Lang, code: &str) -> String {
    lang.code_label("lead_status", code)
}

/// One lead as a row of a list.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub name: String,
    pub mobile: Option<String>,
    pub status_code: String,
    pub status: String,
    pub model: String,
    pub source: String,
    pub owner: String,
    pub next: String,
    pub overdue: bool,
}

impl Row {
    pub fn of(lang: Lang, view: &LeadView, now: i64) -> Self {
        let shown = |name| text(lang, view, name).map(|(t, _)| t).unwrap_or_default();
        Row {
            id: view.id.clone(),
            name: shown("name"),
            mobile: text(lang, view, "mobile").map(|(t, _)| t),
            status_code: view.status.clone(),
            status: status(lang, &view.status),
            model: shown("intended_model"),
            source: shown("source"),
            owner: view
                .owner_name
                .clone()
                .unwrap_or_else(|| lang.t("leads.in_pool").to_string()),
            next: view.next_follow_up_at.map(local_time).unwrap_or_default(),
            overdue: view.next_follow_up_at.is_some_and(|t| t < now),
        }
    }
}

/// The governed fields of a lead the viewer sees, in catalog order: (name, label,
/// text, masked).
pub fn field_rows(lang: Lang, view: &LeadView) -> Vec<(&'static str, &'static str, String, bool)> {
    governed_fields(Entity::Lead)
        .filter_map(|spec| {
            let (text, masked) = text(lang, view, spec.name)?;
            Some((spec.name, label(lang, spec.name), text, masked))
        })
        .collect()
}
