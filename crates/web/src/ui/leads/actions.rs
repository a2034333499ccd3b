//! The lead page's buttons: each a form post that calls one use case, then shows the
//! lead again (after a redirect when it worked, with the refusal when it did not).

use super::super::errors;
use super::super::i18n::Lang;
use super::super::session::PageActor;
use super::detail::{page, Outcome};
use super::label;
use crate::WebState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::follow_ups::FollowUpInput;
use dealervault_app::AppError;
use serde::Deserialize;

/// Every action form: the token and whatever the action needs. Not `Debug`: follow-up
/// notes are free text about a person.
#[derive(Deserialize)]
pub struct ActionForm {
    csrf: Option<String>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    lost_reason: String,
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    due_at: String,
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    next_step: String,
}

fn done(id: &str, what: &str) -> Response {
    Redirect::to(&format!("/leads/{id}?done={what}")).into_response()
}

/// The words for a refused input of the lead page's forms.
fn input_label(lang: Lang, field: &str) -> &'static str {
    match field {
        "status" | "lost_reason" | "owner" => {
            label(lang, if field == "owner" { "owner_id" } else { field })
        }
        "kind" | "due_at" | "notes" | "next_step" => lang.t(&format!("follow_up.{field}")),
        _ => super::super::test_drives::input_label(lang, field)
            .unwrap_or_else(|| lang.t("form.field")),
    }
}

/// A refusal shown on the lead page; anything else (missing, forbidden) as an error page.
/// Also the test-drive booking form's, which sits on the lead page.
pub(crate) async fn refused(state: &WebState, who: &PageActor, id: &str, e: AppError) -> Response {
    let lang = who.lang;
    let alert = match &e {
        AppError::ClaimLimitReached { limit } => Some(lang.t1("leads.claim_limit", limit)),
        _ => errors::refusal_alert(lang, &e, |field| input_label(lang, field), "lead"),
    };
    let Some(alert) = alert else {
        return errors::app_error(who, &e);
    };
    let outcome = Outcome {
        alert: Some(alert),
        ..Outcome::default()
    };
    page(state, who, id, errors::status_of(&e), outcome).await
}

macro_rules! checked {
    ($who:expr, $form:expr) => {
        if let Some(refused) = $who.csrf_refusal($form.csrf.as_deref()) {
            return refused;
        }
    };
}

pub async fn status(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Response {
    checked!(who, form);
    let reason = Some(form.lost_reason.as_str()).filter(|r| !r.is_empty());
    match state
        .app
        .move_lead(&who.actor, &id, &form.status, reason)
        .await
    {
        Ok(_) => done(&id, "moved"),
        Err(e) => refused(&state, &who, &id, e).await,
    }
}

pub async fn claim(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Response {
    checked!(who, form);
    match state.app.claim_lead(&who.actor, &id).await {
        Ok(()) => done(&id, "claimed"),
        Err(e) => refused(&state, &who, &id, e).await,
    }
}

pub async fn release(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Response {
    checked!(who, form);
    match state.app.release_lead(&who.actor, &id).await {
        Ok(()) => Redirect::to("/leads?notice=released").into_response(),
        Err(e) => refused(&state, &who, &id, e).await,
    }
}

pub async fn assign(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Response {
    checked!(who, form);
    match state.app.assign_lead(&who.actor, &id, &form.user_id).await {
        Ok(()) => done(&id, "assigned"),
        Err(e) => refused(&state, &who, &id, e).await,
    }
}

pub async fn convert(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Response {
    checked!(who, form);
    match state.app.convert_lead(&who.actor, &id).await {
        Ok(c) if c.linked_existing => done(&id, "linked"),
        Ok(_) => done(&id, "converted"),
        Err(e) => refused(&state, &who, &id, e).await,
    }
}

pub async fn follow_up(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Response {
    checked!(who, form);
    let input = FollowUpInput {
        kind: form.kind,
        due_at: Some(form.due_at).filter(|d| !d.trim().is_empty()),
        done: form.done.is_some(),
        notes: Some(form.notes),
        next_step: Some(form.next_step),
    };
    match state.app.create_follow_up(&who.actor, &id, &input).await {
        Ok(_) => done(&id, "followed_up"),
        Err(e) => refused(&state, &who, &id, e).await,
    }
}
