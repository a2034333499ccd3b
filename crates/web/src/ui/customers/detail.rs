//! `/customers/{id}`: one customer, each masked field with a "Reveal" button that asks
//! for a reason. The reveal is a plain form post (a script only makes it smoother); its
//! answer is this page again with the one value in clear and the quota left.

use super::super::errors::{self, render};
use super::super::i18n::{Lang, REVEAL_REASON_KEYS};
use super::super::layout::{local_time, Layout, Section};
use super::super::session::PageActor;
use super::{field_rows, heading_name, FieldRow};
use crate::WebState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use dealervault_app::customers::CustomerView;
use dealervault_app::AppError;
use dealervault_domain::catalog::Entity;
use dealervault_policy::Action;
use serde::Deserialize;

/// A detail row with what a reveal just did to it.
#[derive(Debug, Clone)]
pub struct DetailRow {
    pub field: FieldRow,
    /// The clear value, shown this once.
    pub revealed: Option<String>,
    /// Why the last reveal of this field was refused.
    pub error: Option<String>,
    /// The reveal form stays open (after an error).
    pub open: bool,
}

#[derive(Debug, Template)]
#[template(path = "customers/detail.html")]
pub struct DetailPage {
    pub page: Layout,
    pub csrf: String,
    pub id: String,
    pub heading: String,
    pub rows: Vec<DetailRow>,
    /// Owner, store and times: (label, value).
    pub record: Vec<(&'static str, String)>,
    pub can_edit: bool,
    /// May read who accessed this customer.
    pub can_see_access: bool,
    pub notice: Option<&'static str>,
    pub alert: Option<String>,
    /// "Reveals left today" after a reveal.
    pub remaining: Option<String>,
    pub reasons: Vec<&'static str>,
}

/// What happened just before this rendering.
#[derive(Debug, Default)]
pub struct Outcome {
    pub notice: Option<&'static str>,
    pub alert: Option<String>,
    pub revealed: Option<(String, Option<String>, i64)>,
    pub reveal_error: Option<(String, String)>,
}

pub fn build(
    state: &WebState,
    who: &PageActor,
    view: &CustomerView,
    outcome: Outcome,
) -> DetailPage {
    let lang = who.lang;
    let rows = field_rows(lang, view)
        .into_iter()
        .map(|field| {
            let revealed = outcome
                .revealed
                .as_ref()
                .filter(|(name, _, _)| name == field.name)
                .map(|(name, value, _)| clear_text(lang, name, value.as_deref()));
            let error = outcome
                .reveal_error
                .as_ref()
                .filter(|(name, _)| name == field.name)
                .map(|(_, m)| m.clone());
            let open = error.is_some();
            DetailRow {
                field,
                revealed,
                error,
                open,
            }
        })
        .collect();
    let record = vec![
        (lang.field_label("owner_id"), view.owner_name.clone()),
        (lang.field_label("store_code"), view.store_code.clone()),
        (lang.field_label("created_at"), local_time(view.created_at)),
        (lang.field_label("updated_at"), local_time(view.updated_at)),
    ];
    let path = format!("/customers/{}", view.id);
    DetailPage {
        page: Layout::for_actor(who, lang.t("detail.title"), Section::Customers)
            .at(&path)
            .watermarked(state),
        csrf: who.csrf().to_string(),
        id: view.id.clone(),
        heading: heading_name(view),
        rows,
        record,
        can_edit: who.actor.may(Entity::Customer, Action::Edit) && !view.editable.is_empty(),
        can_see_access: who.actor.may(Entity::Customer, Action::History),
        notice: outcome.notice,
        alert: outcome.alert,
        remaining: outcome.revealed.as_ref().map(|(field, _, left)| {
            let shown = lang.t1("reveal.shown", lang.field_label(field));
            format!("{shown} {}", lang.t1("reveal.left", left))
        }),
        reasons: REVEAL_REASON_KEYS.iter().map(|k| lang.t(k)).collect(),
    }
}

/// A revealed value as shown: coded values in words, an empty one as such.
fn clear_text(lang: Lang, field: &str, value: Option<&str>) -> String {
    match value {
        None => lang.t("value.empty").to_string(),
        Some(v) if matches!(field, "gender" | "source") => lang.code_label(field, v),
        Some(v) => v.to_string(),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DetailQuery {
    saved: Option<String>,
    created: Option<String>,
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Query(q): Query<DetailQuery>,
) -> Response {
    let view = match state.app.customer(&who.actor, &id).await {
        Ok(view) => view,
        Err(e) => return errors::app_error(&who, &e),
    };
    let notice = if q.created.is_some() {
        Some(who.lang.t("detail.created"))
    } else if q.saved.is_some() {
        Some(who.lang.t("detail.saved"))
    } else {
        None
    };
    render(
        StatusCode::OK,
        &build(
            &state,
            &who,
            &view,
            Outcome {
                notice,
                ..Outcome::default()
            },
        ),
    )
}

/// The reveal form. Not `Debug`: the reason is free text.
#[derive(Deserialize)]
pub struct RevealForm {
    csrf: Option<String>,
    #[serde(default)]
    field: String,
    #[serde(default)]
    reason: String,
}

pub async fn reveal(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<RevealForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let lang = who.lang;
    let (status, outcome) = match state
        .app
        .reveal_customer_field(&who.actor, &id, &form.field, &form.reason)
        .await
    {
        Ok(r) => {
            let revealed = Some((form.field.clone(), r.value, r.remaining_today));
            (
                StatusCode::OK,
                Outcome {
                    revealed,
                    ..Outcome::default()
                },
            )
        }
        Err(AppError::Invalid(list)) if list.iter().all(|e| e.field == "reason") => {
            let message = list.first().map(|e| lang.rule(e)).unwrap_or_default();
            let reveal_error = Some((form.field.clone(), message));
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Outcome {
                    reveal_error,
                    ..Outcome::default()
                },
            )
        }
        Err(AppError::RevealQuotaExceeded { quota }) => {
            let alert = Some(lang.t1("reveal.quota", quota));
            (
                StatusCode::TOO_MANY_REQUESTS,
                Outcome {
                    alert,
                    ..Outcome::default()
                },
            )
        }
        Err(e) => return errors::app_error(&who, &e),
    };
    match state.app.customer(&who.actor, &id).await {
        Ok(view) => render(status, &build(&state, &who, &view, outcome)),
        Err(e) => errors::app_error(&who, &e),
    }
}
