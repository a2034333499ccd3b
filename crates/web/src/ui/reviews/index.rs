//! `/reviews`: the accounts waiting for the reader's review first, each with its rights
//! and a form to keep or remove it; then the campaigns the reader may follow; for the
//! administrator and the auditor, the form that starts the quarter's campaign.

use super::super::done::Done;
use super::super::errors::{self, render};
use super::super::i18n::Lang;
use super::super::layout::{local_time, Layout, Section};
use super::super::session::PageActor;
use super::{card, ItemCard};
use crate::WebState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::reviews::{self, ReviewView, StartReviewInput};
use dealervault_app::AppError;
use dealervault_domain::values::Reason;
use serde::Deserialize;

/// A campaign as a row of the table.
#[derive(Debug, Clone)]
pub struct CampaignRow {
    pub id: String,
    pub quarter: String,
    pub started: String,
    pub by: String,
    pub due_on: String,
    pub total: i64,
    pub decided: i64,
    pub open: i64,
    pub removed: i64,
    pub escalated: i64,
    pub overdue: i64,
    /// Decided, in percent, for the meter.
    pub pct: i64,
}

pub fn campaign_row(lang: Lang, v: &ReviewView) -> CampaignRow {
    let p = v.progress;
    CampaignRow {
        id: v.id.clone(),
        quarter: v.quarter.clone(),
        started: local_time(v.started_at),
        by: v
            .started_by
            .clone()
            .unwrap_or_else(|| lang.t("reviews.by_system").to_string()),
        due_on: v.due_on.clone(),
        total: p.total,
        decided: p.decided,
        open: p.open,
        removed: p.removed,
        escalated: p.escalated,
        overdue: p.overdue,
        pct: if p.total > 0 {
            p.decided * 100 / p.total
        } else {
            0
        },
    }
}

/// The start form as typed, with its refusals.
#[derive(Debug, Clone, Default)]
pub struct StartForm {
    pub quarter: String,
    pub due_on: String,
    pub quarter_error: Option<String>,
    pub due_on_error: Option<String>,
}

#[derive(Debug, Template)]
#[template(path = "reviews/index.html")]
pub struct IndexPage {
    pub page: Layout,
    pub csrf: String,
    pub oversees: bool,
    pub awaiting: Vec<ItemCard>,
    pub campaigns: Vec<CampaignRow>,
    pub start: StartForm,
    pub notice: Option<String>,
    pub alert: Option<String>,
    pub comment_max: usize,
}

/// What the page shows besides the lists: a notice, a refusal, the start form's state,
/// and a refused decision on one card.
#[derive(Debug, Default)]
pub struct Extras {
    pub notice: Option<String>,
    pub alert: Option<String>,
    pub start: Option<StartForm>,
    /// (item id, words, comment as typed).
    pub refused_item: Option<(String, String, String)>,
}

/// The page, or the error page when its lists cannot be read.
pub async fn page(
    state: &WebState,
    who: &PageActor,
    status: StatusCode,
    extras: Extras,
) -> Response {
    let lang = who.lang;
    let (awaiting, list) = match (
        state.app.review_items_awaiting(&who.actor).await,
        state.app.list_access_reviews(&who.actor).await,
    ) {
        (Ok(a), Ok(l)) => (a, l),
        (Err(e), _) | (_, Err(e)) => return errors::app_error(who, &e),
    };
    let mut alert = extras.alert;
    let mut awaiting: Vec<ItemCard> = awaiting.iter().map(|v| card(lang, v)).collect();
    if let Some((id, words, typed)) = extras.refused_item {
        match awaiting.iter_mut().find(|c| c.id == id) {
            Some(c) => {
                c.error = Some(words);
                c.typed = typed;
            }
            // Decided or moved meanwhile: the refusal goes on top.
            None => alert = Some(words),
        }
    }
    let start = extras.start.unwrap_or_else(|| StartForm {
        quarter: state.app.current_quarter(),
        ..StartForm::default()
    });
    let template = IndexPage {
        page: Layout::for_actor(who, lang.t("reviews.title"), Section::Reviews).at("/reviews"),
        csrf: who.csrf().to_string(),
        oversees: reviews::oversees(&who.actor),
        awaiting,
        campaigns: list.items.iter().map(|v| campaign_row(lang, v)).collect(),
        start,
        notice: extras.notice,
        alert,
        comment_max: Reason::MAX_CHARS,
    };
    render(status, &template)
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Query(done): Query<Done>,
) -> Response {
    let extras = Extras {
        notice: done.notice(who.lang, "reviews"),
        ..Extras::default()
    };
    page(&state, &who, StatusCode::OK, extras).await
}

#[derive(Debug, Deserialize)]
pub struct StartFormInput {
    csrf: Option<String>,
    #[serde(default)]
    quarter: String,
    #[serde(default)]
    due_on: String,
}

/// `POST /reviews`: starts the quarter's campaign, then shows it.
pub async fn start(
    State(state): State<WebState>,
    who: PageActor,
    Form(form): Form<StartFormInput>,
) -> Response {
    if let Some(refusal) = who.csrf_refusal(form.csrf.as_deref()) {
        return refusal;
    }
    let lang = who.lang;
    let input = StartReviewInput {
        quarter: form.quarter.clone(),
        due_on: Some(form.due_on.clone()).filter(|d| !d.trim().is_empty()),
    };
    match state.app.start_access_review(&who.actor, &input).await {
        Ok(view) => Redirect::to(&format!("/reviews/{}?done=started", view.id)).into_response(),
        Err(e) => {
            let mut typed = StartForm {
                quarter: form.quarter,
                due_on: form.due_on,
                ..StartForm::default()
            };
            let alert = match &e {
                AppError::Invalid(list) => {
                    for fe in list {
                        let words = Some(lang.rule(fe));
                        match fe.field {
                            "quarter" => typed.quarter_error = words,
                            _ => typed.due_on_error = words,
                        }
                    }
                    None
                }
                AppError::Conflict(code) => lang
                    .known(&format!("reviews.conflict.{code}"))
                    .map(str::to_string),
                _ => return errors::app_error(&who, &e),
            };
            let extras = Extras {
                alert,
                start: Some(typed),
                ..Extras::default()
            };
            page(&state, &who, errors::status_of(&e), extras).await
        }
    }
}
