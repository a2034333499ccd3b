//! `/follow-ups`: the follow-ups due today (overdue first), overdue, all open, or done,
//! each completed in place; also the completion form of the lead page.

use super::super::errors::{self, render};
use super::super::layout::{local_time, Layout, Section};
use super::super::session::PageActor;
use super::list::Chip;
use crate::WebState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::follow_ups::{FollowUpListQuery, FollowUpOutcome};
use dealervault_app::AppError;
use serde::Deserialize;

#[derive(Debug, Clone)]
pub struct Line {
    pub id: String,
    pub lead_id: String,
    pub lead: String,
    pub kind: String,
    pub purpose: String,
    pub due: String,
    pub done: Option<String>,
    pub overdue: bool,
    pub notes: Option<String>,
    pub next_step: Option<String>,
    pub owner: String,
    pub can_complete: bool,
}

#[derive(Debug, Template)]
#[template(path = "leads/follow_ups.html")]
pub struct FollowUpsPage {
    pub page: Layout,
    pub csrf: String,
    pub chips: Vec<Chip>,
    pub lines: Vec<Line>,
    pub alert: Option<String>,
    pub notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    when: Option<String>,
    done: Option<String>,
}

const TABS: [&str; 4] = ["today", "overdue", "open", "done"];

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Query(params): Query<Params>,
) -> Response {
    let notice = params
        .done
        .as_ref()
        .map(|_| who.lang.t("follow_ups.completed"));
    list(&state, &who, params.when, StatusCode::OK, None, notice).await
}

async fn list(
    state: &WebState,
    who: &PageActor,
    when: Option<String>,
    status: StatusCode,
    alert: Option<String>,
    notice: Option<&'static str>,
) -> Response {
    let lang = who.lang;
    let current = when.clone().unwrap_or_else(|| "today".into());
    let items = match state
        .app
        .list_follow_ups(&who.actor, FollowUpListQuery { when })
        .await
    {
        Ok(items) => items,
        Err(e) => return errors::app_error(who, &e),
    };
    let lines = items
        .into_iter()
        .map(|f| Line {
            can_complete: f.state == "open" && !f.editable.is_empty(),
            lead: f
                .lead_name
                .clone()
                .unwrap_or_else(|| lang.t("follow_ups.lead_hidden").into()),
            kind: lang.code_label("follow_up_kind", &f.kind),
            purpose: lang.code_label("follow_up_purpose", &f.purpose),
            due: local_time(f.due_at),
            done: f.done_at.map(local_time),
            overdue: f.overdue,
            notes: f.fields.get("notes").cloned().flatten(),
            next_step: f.fields.get("next_step").cloned().flatten(),
            owner: f.owner_name,
            lead_id: f.lead_id,
            id: f.id,
        })
        .collect();
    let chips = TABS
        .iter()
        .map(|t| Chip {
            label: lang.t(&format!("follow_ups.tab.{t}")).to_string(),
            href: format!("/follow-ups?when={t}"),
            active: current == *t,
        })
        .collect();
    let page = FollowUpsPage {
        page: Layout::for_actor(who, lang.t("follow_ups.title"), Section::FollowUps)
            .at("/follow-ups")
            .watermarked(state),
        csrf: who.csrf().to_string(),
        chips,
        lines,
        alert,
        notice,
    };
    render(status, &page)
}

/// The completion form (here and on the lead page). Not `Debug`: notes are free text.
#[derive(Deserialize)]
pub struct CompleteForm {
    csrf: Option<String>,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    next_step: String,
    #[serde(default)]
    next_due_at: String,
    /// Where to go back to: the lead page it came from, or this list.
    #[serde(default)]
    back: String,
}

pub async fn complete(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<CompleteForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let outcome = FollowUpOutcome {
        notes: Some(form.notes),
        next_step: Some(form.next_step),
        next_due_at: Some(form.next_due_at),
    };
    // Only a lead page of this site is a place to go back to.
    let back = Some(form.back).filter(|b| {
        b.starts_with("/leads/") && b[7..].chars().all(|c| c.is_ascii_hexdigit() || c == '-')
    });
    match state
        .app
        .complete_follow_up(&who.actor, &id, &outcome)
        .await
    {
        Ok(_) => match back {
            Some(lead) => Redirect::to(&format!("{lead}?done=followed_up")).into_response(),
            None => Redirect::to("/follow-ups?done=1").into_response(),
        },
        Err(AppError::Invalid(list)) => {
            let alert = list
                .iter()
                .map(|e| who.lang.rule(e))
                .collect::<Vec<_>>()
                .join(" ");
            list_with_alert(&state, &who, alert).await
        }
        Err(e) => errors::app_error(&who, &e),
    }
}

async fn list_with_alert(state: &WebState, who: &PageActor, alert: String) -> Response {
    list(
        state,
        who,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some(alert),
        None,
    )
    .await
}
