//! `/staff/{id}`: one person — their book, a resignation with its last day and handover
//! rule, an immediate freeze, and handing the book over now.

use super::super::errors::{self, render};
use super::super::form_errors::FormErrors;
use super::super::i18n::Lang;
use super::super::layout::{local_time, Layout, Section};
use super::super::session::PageActor;
use super::Person;
use crate::WebState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::users::{
    Colleague, FreezeInput, HandoverInput, ResignationInput, StaffDetail,
};
use dealervault_app::AppError;
use dealervault_domain::catalog::Entity;
use dealervault_policy::Action;
use serde::Deserialize;

/// A colleague as an option of the "to one colleague" select.
#[derive(Debug, Clone)]
pub struct ColleagueOption {
    pub id: String,
    pub label: String,
}

impl ColleagueOption {
    /// Each colleague as `name · role`, in the order the use case gives them.
    pub fn all(lang: Lang, colleagues: &[Colleague]) -> Vec<Self> {
        colleagues
            .iter()
            .map(|c| Self {
                id: c.id.clone(),
                label: format!("{} · {}", c.display_name, c.role.name(lang.is_zh())),
            })
            .collect()
    }
}

#[derive(Debug, Template)]
#[template(path = "staff/detail.html")]
pub struct DetailPage {
    pub page: Layout,
    pub csrf: String,
    pub p: Person,
    pub has_book: bool,
    pub active: bool,
    pub frozen: bool,
    pub frozen_note: Option<String>,
    pub leaving_on: Option<String>,
    /// The colleagues the round-robin would take, by name.
    pub teammates: String,
    pub colleagues: Vec<ColleagueOption>,
    /// The reader's own account.
    pub me: bool,
    /// A store manager came from the staff list; the administrator from the accounts.
    pub from_staff_list: bool,
    /// May list the person's customers and leads to hand them over one by one.
    pub can_pick: bool,
    pub can_read_risk: bool,
    pub today: String,
    pub latest_day: String,
    pub last_day: String,
    pub reason: String,
    pub errors: FormErrors,
    pub notice: Option<String>,
    pub alert: Option<String>,
}

/// What a finished action left to say, carried over the redirect.
#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
    #[serde(default)]
    c: u32,
    #[serde(default)]
    l: u32,
    #[serde(default)]
    f: u32,
}

/// The handover rule as the detail page's three forms post it.
#[derive(Debug, Default, Deserialize)]
pub struct RuleFields {
    #[serde(default)]
    pub rule: String,
    #[serde(default)]
    pub to_user_id: String,
}

impl RuleFields {
    /// The rule, or the refusal of a "to one colleague" without a colleague.
    pub fn parse(&self, lang: Lang) -> Result<HandoverInput, FormErrors> {
        match self.rule.as_str() {
            "to_user" if self.to_user_id.trim().is_empty() => Err(FormErrors::one(
                "to_user_id",
                lang.t("staff.rule.pick_someone"),
            )),
            "to_user" => Ok(HandoverInput::ToUser {
                to_user_id: self.to_user_id.trim().to_string(),
            }),
            _ => Ok(HandoverInput::RoundRobinTeam),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ResignForm {
    csrf: Option<String>,
    #[serde(default)]
    last_day: String,
    #[serde(flatten)]
    rule: RuleFields,
}

#[derive(Debug, Deserialize)]
pub struct FreezeForm {
    csrf: Option<String>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm: Option<String>,
    #[serde(flatten)]
    rule: RuleFields,
}

/// What was typed, to show again beside a refusal.
#[derive(Debug, Default)]
pub struct Typed {
    pub last_day: String,
    pub reason: String,
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let lang = who.lang;
    let notice = match q.done.as_deref() {
        Some("resigned") => Some(lang.t("staff.done.resigned").to_string()),
        Some("frozen") | Some("handed") => {
            let key = if q.done.as_deref() == Some("frozen") {
                "staff.done.frozen"
            } else {
                "staff.done.handed"
            };
            Some(moved(lang, key, q.c, q.l, q.f))
        }
        _ => None,
    };
    let outcome = Outcome {
        status: StatusCode::OK,
        notice,
        ..Outcome::default()
    };
    page(&state, &who, &id, outcome).await
}

/// `已移交：客户 3 位，线索 1 条，跟进 2 条。`
pub fn moved(lang: Lang, key: &str, c: u32, l: u32, f: u32) -> String {
    lang.t(key)
        .replacen("{}", &c.to_string(), 1)
        .replacen("{}", &l.to_string(), 1)
        .replacen("{}", &f.to_string(), 1)
}

/// How the page answers: its status, what to say, and a refused form's input.
#[derive(Debug)]
pub struct Outcome {
    pub status: StatusCode,
    pub notice: Option<String>,
    pub alert: Option<String>,
    pub errors: FormErrors,
    pub typed: Typed,
}

impl Default for Outcome {
    fn default() -> Self {
        Self {
            status: StatusCode::OK,
            notice: None,
            alert: None,
            errors: FormErrors::default(),
            typed: Typed::default(),
        }
    }
}

pub async fn page(state: &WebState, who: &PageActor, id: &str, outcome: Outcome) -> Response {
    let detail = match state.app.staff_detail(&who.actor, id).await {
        Ok(detail) => detail,
        Err(e) => return errors::app_error(who, &e),
    };
    render(outcome.status, &detail_page(state, who, detail, outcome))
}

fn detail_page(
    state: &WebState,
    who: &PageActor,
    detail: StaffDetail,
    outcome: Outcome,
) -> DetailPage {
    let lang = who.lang;
    let StaffDetail { member, colleagues } = detail;
    let actor = &who.actor;
    let administrator = actor.may(Entity::User, Action::Edit);
    let today = state.app.clock().local_now().date();
    let frozen = member.account.status == "frozen";
    let frozen_note = member.frozen_at.filter(|_| frozen).map(|at| {
        let mut note = format!("{} {}", lang.t("staff.frozen.note"), local_time(at));
        if let Some(reason) = &member.freeze_reason {
            note = format!("{note} · {reason}");
        }
        note
    });
    let teammates = colleagues
        .iter()
        .filter(|c| c.teammate)
        .map(|c| c.display_name.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let colleagues = ColleagueOption::all(lang, &colleagues);
    let title = member.account.display_name.clone();
    let id = member.account.id.clone();
    let me = id == actor.user_id().to_string();
    DetailPage {
        page: Layout::for_actor(
            who,
            &title,
            if administrator {
                Section::Accounts
            } else {
                Section::Staff
            },
        )
        .at(&format!("/staff/{id}")),
        csrf: who.csrf().to_string(),
        p: Person::of(lang, &member),
        has_book: member.has_book(),
        active: member.account.status == "active",
        frozen,
        frozen_note,
        last_day: if outcome.typed.last_day.is_empty() {
            member.leaving_on.clone().unwrap_or_default()
        } else {
            outcome.typed.last_day
        },
        leaving_on: member.leaving_on.filter(|_| !frozen),
        teammates,
        colleagues,
        me,
        from_staff_list: !administrator,
        can_pick: actor.may(Entity::Customer, Action::View),
        can_read_risk: !administrator,
        today: today.to_string(),
        latest_day: (today + time::Duration::days(365)).to_string(),
        reason: outcome.typed.reason,
        errors: outcome.errors,
        notice: outcome.notice,
        alert: outcome.alert,
    }
}

/// A refused action, on the person's page: the fields in words beside their inputs,
/// a conflict as the alert.
pub async fn refused(
    state: &WebState,
    who: &PageActor,
    id: &str,
    e: AppError,
    typed: Typed,
) -> Response {
    let lang = who.lang;
    let (status, errors, alert) = match e {
        AppError::Invalid(list) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::of(lang, &list).moved(&["handover.to_user_id"], "to_user_id"),
            lang.t("form.fix").to_string(),
        ),
        AppError::Conflict(code) => match lang.known(&format!("staff.conflict.{code}")) {
            Some(words) => (StatusCode::CONFLICT, FormErrors::default(), words.into()),
            None => return errors::app_error(who, &AppError::Conflict(code)),
        },
        e => return errors::app_error(who, &e),
    };
    let outcome = Outcome {
        status,
        alert: Some(alert),
        errors,
        typed,
        ..Outcome::default()
    };
    page(state, who, id, outcome).await
}

/// A form refused before any use case ran (a choice left out).
async fn unfinished(
    state: &WebState,
    who: &PageActor,
    id: &str,
    errors: FormErrors,
    typed: Typed,
) -> Response {
    let outcome = Outcome {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        alert: Some(who.lang.t("form.fix").to_string()),
        errors,
        typed,
        ..Outcome::default()
    };
    page(state, who, id, outcome).await
}

pub async fn resign(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<ResignForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let typed = Typed {
        last_day: form.last_day.trim().to_string(),
        reason: String::new(),
    };
    let handover = match form.rule.parse(who.lang) {
        Ok(rule) => rule,
        Err(errors) => return unfinished(&state, &who, &id, errors, typed).await,
    };
    let input = ResignationInput {
        last_day: typed.last_day.clone(),
        handover,
    };
    match state.app.record_resignation(&who.actor, &id, &input).await {
        Ok(_) => Redirect::to(&format!("/staff/{id}?done=resigned")).into_response(),
        Err(e) => refused(&state, &who, &id, e, typed).await,
    }
}

pub async fn freeze(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<FreezeForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let lang = who.lang;
    let typed = Typed {
        last_day: String::new(),
        reason: form.reason.clone(),
    };
    let handover = match form.rule.parse(lang) {
        Ok(rule) => rule,
        Err(errors) => return unfinished(&state, &who, &id, errors, typed).await,
    };
    // Freezing cannot be undone from this page: the box says so and must be ticked.
    if form.confirm.as_deref() != Some("yes") {
        let errors = FormErrors::one("confirm", lang.t("staff.freeze.confirm.missing"));
        return unfinished(&state, &who, &id, errors, typed).await;
    }
    let input = FreezeInput {
        reason: form.reason,
        handover: Some(handover),
    };
    match state.app.freeze_account(&who.actor, &id, &input).await {
        Ok(frozen) => {
            let h = frozen.handed_over;
            Redirect::to(&format!(
                "/staff/{id}?done=frozen&c={}&l={}&f={}",
                h.customers, h.leads, h.follow_ups
            ))
            .into_response()
        }
        Err(e) => refused(&state, &who, &id, e, typed).await,
    }
}
