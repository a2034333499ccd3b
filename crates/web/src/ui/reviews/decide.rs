//! `POST /reviews/items/{id}/decision`: a reviewer keeps or removes an account from
//! their list — back to the list with a notice when it worked, the list with the
//! refusal beside the account (and the comment as typed) when it did not.

use super::super::errors;
use super::super::i18n::Lang;
use super::super::session::PageActor;
use super::index::{page, Extras};
use crate::WebState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::reviews::ReviewDecisionInput;
use dealervault_app::AppError;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    csrf: Option<String>,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
}

/// The refusal in the page's words; `None` for what the error page shows instead.
fn words(lang: Lang, e: &AppError) -> Option<String> {
    match e {
        AppError::Refused(code) => lang
            .known(&format!("reviews.refused.{code}"))
            .map(str::to_string),
        _ => errors::refusal_alert(
            lang,
            e,
            |field| match field {
                "comment" => lang.t("reviews.comment"),
                _ => lang.t("reviews.decision"),
            },
            "reviews",
        ),
    }
}

pub async fn decide(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Response {
    if let Some(refusal) = who.csrf_refusal(form.csrf.as_deref()) {
        return refusal;
    }
    let comment = form.comment.trim();
    let input = ReviewDecisionInput {
        decision: form.decision.clone(),
        comment: (!comment.is_empty()).then(|| comment.to_string()),
    };
    match state.app.decide_review_item(&who.actor, &id, &input).await {
        Ok(item) => {
            let done = if item.status == "removed" {
                "removed"
            } else {
                "kept"
            };
            Redirect::to(&format!("/reviews?done={done}")).into_response()
        }
        Err(e) => match words(who.lang, &e) {
            Some(words) => {
                let extras = Extras {
                    refused_item: Some((id, words, form.comment)),
                    ..Extras::default()
                };
                page(&state, &who, errors::status_of(&e), extras).await
            }
            None => errors::app_error(&who, &e),
        },
    }
}
