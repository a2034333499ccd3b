//! `/leads/rules`: the store's lead rules, for whoever may assign leads store-wide —
//! how new leads are handed out, how many a person may claim from the pool a day, and
//! after how many days without work a lead goes back to the pool.

use super::super::choice::Choice;
use super::super::errors::{self, render};
use super::super::form_errors::FormErrors;
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use crate::WebState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::leads::{LeadRules, LeadRulesUpdate, ModelLine};
use dealervault_app::AppError;
use serde::Deserialize;

#[derive(Debug, Template)]
#[template(path = "leads/rules.html")]
pub struct RulesPage {
    pub page: Layout,
    pub csrf: String,
    pub assignments: Vec<Choice>,
    pub claims_per_day: String,
    pub return_after_days: String,
    /// One row per person who works leads: the model line they take (may be blank).
    pub lines: Vec<(String, String, String)>,
    pub errors: FormErrors,
    pub notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RulesQuery {
    saved: Option<String>,
}

fn page(
    who: &PageActor,
    rules: &LeadRules,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> RulesPage {
    let lang = who.lang;
    let lines = rules
        .workers
        .iter()
        .map(|(id, name)| {
            let model = rules
                .model_lines
                .iter()
                .find(|l| &l.user_id == id)
                .map(|l| l.model.clone())
                .unwrap_or_default();
            (id.clone(), name.clone(), model)
        })
        .collect();
    RulesPage {
        page: Layout::for_actor(who, lang.t("rules.title"), Section::Leads).at("/leads/rules"),
        csrf: who.csrf().to_string(),
        assignments: Choice::list(
            lang,
            "rules.assignment",
            ["manual", "round_robin", "by_model"],
            &rules.assignment,
        ),
        claims_per_day: rules.claims_per_day.to_string(),
        return_after_days: rules.return_after_days.to_string(),
        lines,
        errors,
        notice,
    }
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    axum::extract::Query(q): axum::extract::Query<RulesQuery>,
) -> Response {
    match state.app.lead_rules(&who.actor).await {
        Ok(rules) => {
            let notice = q.saved.map(|_| who.lang.t("rules.saved"));
            render(
                StatusCode::OK,
                &page(&who, &rules, FormErrors::default(), notice),
            )
        }
        Err(e) => errors::app_error(&who, &e),
    }
}

/// The posted form: fixed fields, then `model_<user id>` per person.
type Submitted = std::collections::HashMap<String, String>;

pub async fn save(
    State(state): State<WebState>,
    who: PageActor,
    Form(form): Form<Submitted>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.get("csrf").map(String::as_str)) {
        return refused;
    }
    let number = |name: &str| {
        form.get(name)
            .and_then(|v| v.trim().parse::<i64>().ok())
            .unwrap_or(-1)
    };
    let model_lines = form
        .iter()
        .filter_map(|(k, v)| {
            let user_id = k.strip_prefix("model_")?;
            (!v.trim().is_empty()).then(|| ModelLine {
                model: v.trim().to_string(),
                user_id: user_id.to_string(),
            })
        })
        .collect();
    let update = LeadRulesUpdate {
        assignment: form.get("assignment").cloned().unwrap_or_default(),
        model_lines,
        claims_per_day: number("claims_per_day"),
        return_after_days: number("return_after_days"),
    };
    match state.app.save_lead_rules(&who.actor, &update).await {
        Ok(()) => Redirect::to("/leads/rules?saved=1").into_response(),
        Err(AppError::Invalid(list)) => {
            let errors = FormErrors::of(who.lang, &list);
            match state.app.lead_rules(&who.actor).await {
                Ok(mut rules) => {
                    rules.assignment = update.assignment;
                    rules.claims_per_day = update.claims_per_day;
                    rules.return_after_days = update.return_after_days;
                    render(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        &page(&who, &rules, errors, None),
                    )
                }
                Err(e) => errors::app_error(&who, &e),
            }
        }
        Err(e) => errors::app_error(&who, &e),
    }
}
