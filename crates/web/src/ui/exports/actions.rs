//! A request's steps from its page: approve or reject (a form post each, back to the
//! request after a redirect when it worked, the request's page with the refusal when it
//! did not), and the requester's download (the file, or the page with the refusal).

use super::super::errors;
use super::super::i18n::Lang;
use super::super::session::PageActor;
use super::detail::{page, Outcome};
use crate::WebState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::exports::{DecisionInput, ExportView};
use dealervault_app::AppError;
use serde::Deserialize;
use std::future::Future;

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    csrf: Option<String>,
    #[serde(default)]
    comment: String,
}

/// The refusal of a step in the page's words: a refused input, a conflict or a
/// refusal the page knows; `None` for what the error page shows instead.
fn alert(lang: Lang, e: &AppError) -> Option<String> {
    if let AppError::Refused(code) = e {
        return lang
            .known(&format!("export.refused.{code}"))
            .map(str::to_string);
    }
    errors::refusal_alert(lang, e, |field| label(lang, field), "export")
}

fn label(lang: Lang, field: &str) -> &'static str {
    match field {
        "comment" => lang.t("export.comment"),
        _ => lang.t("export.title"),
    }
}

/// The request's page with the refusal (and the comment `typed` into the decision
/// refused: `approve` or `reject`), or the error page.
async fn refused(
    state: &WebState,
    who: &PageActor,
    id: &str,
    e: &AppError,
    typed: (&'static str, String),
) -> Response {
    let Some(alert) = alert(who.lang, e) else {
        return errors::app_error(who, e);
    };
    let (decision, comment) = typed;
    let outcome = Outcome {
        alert: Some(alert),
        comment,
        decision,
        ..Outcome::default()
    };
    page(state, who, id, errors::status_of(e), outcome).await
}

/// Checks the token, decides, and answers.
async fn decide<F, Fut>(
    state: &WebState,
    who: &PageActor,
    id: &str,
    form: &DecisionForm,
    decision: &'static str,
    call: F,
) -> Response
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<ExportView, AppError>>,
{
    if let Some(refusal) = who.csrf_refusal(form.csrf.as_deref()) {
        return refusal;
    }
    match call().await {
        Ok(_) => Redirect::to(&format!("/exports/{id}?done={decision}d")).into_response(),
        Err(e) => refused(state, who, id, &e, (decision, form.comment.clone())).await,
    }
}

fn decision(form: &DecisionForm) -> DecisionInput {
    let comment = form.comment.trim();
    DecisionInput {
        comment: (!comment.is_empty()).then(|| comment.to_string()),
    }
}

pub async fn approve(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let input = decision(&form);
    let call = || state.app.approve_export(&who.actor, &id, &input);
    decide(&state, &who, &id, &form, "approve", call).await
}

pub async fn reject(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let input = decision(&form);
    let call = || state.app.reject_export(&who.actor, &id, &input);
    decide(&state, &who, &id, &form, "reject", call).await
}

/// `GET /exports/{id}/download`: the file, counted and recorded, streamed as it is
/// opened; a refusal (not approved, expired, used up) on the request's page.
pub async fn download(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
) -> Response {
    match state.app.download_export(&who.actor, &id).await {
        Ok(file) => crate::api::exports::stream_file(state.app.clone(), file),
        Err(e) => refused(&state, &who, &id, &e, ("", String::new())).await,
    }
}
