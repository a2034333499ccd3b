//! `/exports/rules`: the store's export rules, for the store's manager (whoever
//! `App::export_rules` does not refuse) — how many rows go out without approval, how
//! long a request waits for a decision, how long and how often an approved file may be
//! downloaded, and the chain's steps (a row without a role is ignored).

use super::super::choice::Choice;
use super::super::errors::{self, render};
use super::super::form_errors::FormErrors;
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use crate::WebState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::exports::{ExportRules, ExportStepRule, MAX_STEPS};
use dealervault_app::roles::RoleSummary;
use dealervault_app::AppError;
use serde::Deserialize;
use std::collections::HashMap;

/// One row of the steps table, as shown or as typed.
#[derive(Debug, Clone)]
pub struct StepRow {
    pub number: usize,
    pub roles: Vec<Choice>,
    pub same_department: bool,
    pub min_rows: String,
}

#[derive(Debug, Template)]
#[template(path = "exports/rules.html")]
pub struct RulesPage {
    pub page: Layout,
    pub csrf: String,
    pub direct_up_to: String,
    pub decide_hours: String,
    pub download_hours: String,
    pub max_downloads: String,
    pub steps: Vec<StepRow>,
    pub max_steps: usize,
    pub errors: FormErrors,
    pub notice: Option<&'static str>,
}

/// The rules as the form holds them: text, so that a refused value comes back as typed.
#[derive(Debug, Clone, Default)]
struct Typed {
    direct_up_to: String,
    decide_hours: String,
    download_hours: String,
    max_downloads: String,
    /// Role code (blank: no step), same department, min rows.
    steps: Vec<(String, bool, String)>,
}

impl Typed {
    fn of(rules: &ExportRules) -> Self {
        Self {
            direct_up_to: rules.direct_up_to.to_string(),
            decide_hours: rules.decide_hours.to_string(),
            download_hours: rules.download_hours.to_string(),
            max_downloads: rules.max_downloads.to_string(),
            steps: rules
                .steps
                .iter()
                .map(|s| (s.role.clone(), s.same_department, s.min_rows.to_string()))
                .collect(),
        }
    }

    fn posted(form: &HashMap<String, String>) -> Self {
        let text = |name: &str| {
            form.get(name)
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        Self {
            direct_up_to: text("direct_up_to"),
            decide_hours: text("decide_hours"),
            download_hours: text("download_hours"),
            max_downloads: text("max_downloads"),
            steps: (0..MAX_STEPS)
                .map(|i| {
                    (
                        text(&format!("step_{i}_role")),
                        form.contains_key(&format!("step_{i}_same_department")),
                        text(&format!("step_{i}_min_rows")),
                    )
                })
                .collect(),
        }
    }

    /// The rules the form holds, or the inputs that are no whole number.
    fn rules(&self, lang: super::super::i18n::Lang) -> Result<ExportRules, FormErrors> {
        let mut errors = FormErrors::default();
        let mut number = |input: &'static str, text: &str| -> u64 {
            match text.parse::<u64>() {
                Ok(n) => n,
                Err(_) => {
                    errors.push(input, lang.t("export_rules.number"));
                    0
                }
            }
        };
        // Out of `u32`'s range is out of every rule's range: the use case says which.
        let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        let direct_up_to = number("direct_up_to", &self.direct_up_to);
        let decide_hours = small(number("decide_hours", &self.decide_hours));
        let download_hours = small(number("download_hours", &self.download_hours));
        let max_downloads = small(number("max_downloads", &self.max_downloads));
        let mut steps = Vec::new();
        for (role, same_department, min_rows) in &self.steps {
            if role.is_empty() {
                continue;
            }
            let min_rows = if min_rows.is_empty() {
                0
            } else {
                number("steps", min_rows)
            };
            steps.push(ExportStepRule {
                role: role.clone(),
                same_department: *same_department,
                min_rows,
            });
        }
        if errors.is_empty() {
            Ok(ExportRules {
                direct_up_to,
                decide_hours,
                download_hours,
                max_downloads,
                steps,
            })
        } else {
            Err(errors)
        }
    }
}

fn page(
    who: &PageActor,
    typed: &Typed,
    roles: &[RoleSummary],
    errors: FormErrors,
    notice: Option<&'static str>,
) -> RulesPage {
    let lang = who.lang;
    let steps = (0..MAX_STEPS)
        .map(|i| {
            let (role, same_department, min_rows) = typed.steps.get(i).cloned().unwrap_or_default();
            let mut choices = vec![Choice::owned(
                String::new(),
                lang.t("export_rules.role.none").to_string(),
                role.is_empty(),
            )];
            choices.extend(roles.iter().map(|r| {
                let name = if lang.is_zh() { &r.name_zh } else { &r.name_en };
                Choice::owned(r.code.clone(), name.clone(), r.code == role)
            }));
            StepRow {
                number: i + 1,
                roles: choices,
                same_department,
                min_rows: if role.is_empty() && min_rows == "0" {
                    String::new()
                } else {
                    min_rows
                },
            }
        })
        .collect();
    RulesPage {
        page: Layout::for_actor(who, lang.t("export_rules.title"), Section::Exports)
            .at("/exports/rules"),
        csrf: who.csrf().to_string(),
        direct_up_to: typed.direct_up_to.clone(),
        decide_hours: typed.decide_hours.clone(),
        download_hours: typed.download_hours.clone(),
        max_downloads: typed.max_downloads.clone(),
        steps,
        max_steps: MAX_STEPS,
        errors,
        notice,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct RulesQuery {
    saved: Option<String>,
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Query(q): Query<RulesQuery>,
) -> Response {
    let rules = match state.app.export_rules(&who.actor).await {
        Ok(rules) => rules,
        Err(e) => return errors::app_error(&who, &e),
    };
    let roles = match state.app.export_rule_roles(&who.actor).await {
        Ok(roles) => roles,
        Err(e) => return errors::app_error(&who, &e),
    };
    let notice = q.saved.map(|_| who.lang.t("export_rules.saved"));
    let html = page(
        &who,
        &Typed::of(&rules),
        &roles,
        FormErrors::default(),
        notice,
    );
    render(StatusCode::OK, &html)
}

pub async fn save(
    State(state): State<WebState>,
    who: PageActor,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.get("csrf").map(String::as_str)) {
        return refused;
    }
    let lang = who.lang;
    // The roles first: whoever may not see the rules is refused before anything else.
    let roles = match state.app.export_rule_roles(&who.actor).await {
        Ok(roles) => roles,
        Err(e) => return errors::app_error(&who, &e),
    };
    let typed = Typed::posted(&form);
    let errors = match typed.rules(lang) {
        Ok(rules) => match state.app.save_export_rules(&who.actor, &rules).await {
            Ok(_) => return Redirect::to("/exports/rules?saved=1").into_response(),
            Err(AppError::Invalid(list)) => FormErrors::of(lang, &list),
            Err(e) => return errors::app_error(&who, &e),
        },
        Err(errors) => errors,
    };
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &page(&who, &typed, &roles, errors, None),
    )
}
