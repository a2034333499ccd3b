//! `/leads/{id}`: one lead — its fields (masked ones revealable, through the audited
//! reveal), what the viewer may do with it (move it along, claim, release, assign,
//! convert), its follow-ups, its test drives and its ownership ledger.

use super::super::choice::Choice;
use super::super::done::Done;
use super::super::errors::{self, render};
use super::super::i18n::{Lang, REVEAL_REASON_KEYS};
use super::super::layout::{local_time, Layout, Section};
use super::super::session::PageActor;
use super::super::test_drives;
use super::{field_rows, label, status};
use crate::WebState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use dealervault_app::deals::DealListQuery;
use dealervault_app::leads::LeadDetail;
use dealervault_app::AppError;
use dealervault_domain::catalog::Entity;
use dealervault_domain::sales::{FollowUpKind, FollowUpPurpose, LeadStatus, LostReason};
use dealervault_policy::Action;
use serde::Deserialize;

/// A governed field as a row, with what a reveal just did to it.
#[derive(Debug, Clone)]
pub struct FieldLine {
    pub name: &'static str,
    pub label: &'static str,
    pub text: String,
    pub masked: bool,
    pub revealed: Option<String>,
}

/// A follow-up as the page lists it.
#[derive(Debug, Clone)]
pub struct FollowUpLine {
    pub id: String,
    pub kind: String,
    /// Why it exists, when not plain selling (the customer-care calls after delivery).
    pub purpose: Option<String>,
    pub due: String,
    pub done: Option<String>,
    pub state: String,
    pub open: bool,
    pub overdue: bool,
    pub notes: Option<String>,
    pub next_step: Option<String>,
    pub owner: String,
}

#[derive(Debug, Template)]
#[template(path = "leads/detail.html")]
pub struct DetailPage {
    pub page: Layout,
    pub csrf: String,
    pub id: String,
    pub heading: String,
    pub status_code: String,
    pub status: String,
    pub fields: Vec<FieldLine>,
    pub record: Vec<(&'static str, String)>,
    pub d: LeadDetail,
    pub moves: Vec<Choice>,
    pub lost_reasons: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub workers: Vec<(String, String)>,
    pub follow_ups: Vec<FollowUpLine>,
    pub ledger: Vec<(String, String, String, String)>,
    pub test_drives: test_drives::Section,
    pub notice: Option<String>,
    pub alert: Option<String>,
    pub reasons: Vec<&'static str>,
    pub deals: Vec<DealLine>,
    pub may_quote: bool,
}

/// A quote or order of the lead, as the page lists it.
#[derive(Debug, Clone)]
pub struct DealLine {
    pub id: String,
    pub heading: String,
    pub state_code: String,
    pub state: String,
    pub total: String,
}

/// The lead's deals, for those who may see deals.
async fn deal_lines(state: &WebState, who: &PageActor, lead_id: &str) -> Vec<DealLine> {
    use super::super::deals::{heading, state_label, text};
    if !who.actor.may(Entity::Deal, Action::View) {
        return Vec::new();
    }
    let query = DealListQuery {
        lead_id: Some(lead_id.to_string()),
        state: None,
    };
    let lang = who.lang;
    let views = state
        .app
        .deals(&who.actor, &query)
        .await
        .unwrap_or_default();
    views
        .iter()
        .map(|v| DealLine {
            id: v.id.clone(),
            heading: heading(lang, v),
            state_code: v.state.clone(),
            state: state_label(lang, &v.state),
            total: text(lang, v, "total").unwrap_or_default(),
        })
        .collect()
}

/// What happened just before this rendering.
#[derive(Debug, Default)]
pub struct Outcome {
    pub notice: Option<String>,
    pub alert: Option<String>,
    pub revealed: Option<(String, Option<String>, i64)>,
}

fn follow_up_lines(lang: Lang, d: &LeadDetail) -> Vec<FollowUpLine> {
    d.follow_ups
        .iter()
        .map(|f| FollowUpLine {
            id: f.id.clone(),
            kind: lang.code_label("follow_up_kind", &f.kind),
            purpose: (f.purpose != FollowUpPurpose::Sales.code())
                .then(|| lang.code_label("follow_up_purpose", &f.purpose)),
            due: local_time(f.due_at),
            done: f.done_at.map(local_time),
            state: lang.code_label("follow_up_state", &f.state),
            open: f.state == "open",
            overdue: f.overdue,
            notes: f.fields.get("notes").cloned().flatten(),
            next_step: f.fields.get("next_step").cloned().flatten(),
            owner: f.owner_name.clone(),
        })
        .collect()
}

pub async fn build(
    state: &WebState,
    who: &PageActor,
    d: LeadDetail,
    outcome: Outcome,
) -> DetailPage {
    let lang = who.lang;
    let view = &d.lead;
    let fields = field_rows(lang, view)
        .into_iter()
        .map(|(name, label, text, masked)| FieldLine {
            name,
            label,
            text,
            masked,
            revealed: outcome
                .revealed
                .as_ref()
                .filter(|(f, _, _)| f == name)
                .map(|(_, v, _)| v.clone().unwrap_or_else(|| lang.t("value.empty").into())),
        })
        .collect();
    let owner = view
        .owner_name
        .clone()
        .unwrap_or_else(|| lang.t("leads.in_pool").to_string());
    let mut record = vec![
        (label(lang, "owner_id"), owner),
        (label(lang, "store_code"), view.store_code.clone()),
        (label(lang, "created_at"), local_time(view.created_at)),
        (label(lang, "updated_at"), local_time(view.updated_at)),
    ];
    if let Some(next) = view.next_follow_up_at {
        record.push((label(lang, "next_follow_up_at"), local_time(next)));
    }
    if let Some(reason) = &view.lost_reason {
        record.push((
            label(lang, "lost_reason"),
            lang.code_label("lost_reason", reason),
        ));
    }
    let workers = if d.may_assign {
        state
            .app
            .lead_rules(&who.actor)
            .await
            .map(|r| r.workers)
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let ledger = d
        .ownership
        .iter()
        .map(|e| {
            (
                local_time(e.started_at),
                e.owner_name
                    .clone()
                    .unwrap_or_else(|| lang.t("leads.in_pool").into()),
                lang.code_label("ledger", &e.reason),
                e.changed_by
                    .clone()
                    .unwrap_or_else(|| lang.t("ledger.system").into()),
            )
        })
        .collect();
    let path = format!("/leads/{}", view.id);
    let deals = deal_lines(state, who, &view.id).await;
    let may_quote = d.may_edit
        && who.actor.may(Entity::Deal, Action::Create)
        && LeadStatus::parse("status", &view.status).is_ok_and(LeadStatus::is_open);
    let notice = outcome.notice.or_else(|| {
        outcome.revealed.as_ref().map(|(f, _, left)| {
            format!(
                "{} {}",
                lang.t1("reveal.shown", label(lang, f)),
                lang.t1("reveal.left", left)
            )
        })
    });
    DetailPage {
        page: Layout::for_actor(who, lang.t("lead.title"), Section::Leads)
            .at(&path)
            .watermarked(state),
        csrf: who.csrf().to_string(),
        id: view.id.clone(),
        heading: view.field("name").flatten().unwrap_or("—").to_string(),
        status_code: view.status.clone(),
        status: status(lang, &view.status),
        fields,
        record,
        moves: Choice::list(
            lang,
            "lead_status",
            d.moves.iter().filter_map(|m| code_of(m)),
            "",
        ),
        lost_reasons: Choice::list(
            lang,
            "lost_reason",
            LostReason::ALL.iter().map(|r| r.code()),
            "",
        ),
        kinds: Choice::list(
            lang,
            "follow_up_kind",
            FollowUpKind::ALL.iter().map(|k| k.code()),
            "call",
        ),
        workers,
        follow_ups: follow_up_lines(lang, &d),
        ledger,
        test_drives: test_drives::section(state, who, &d).await,
        notice,
        alert: outcome.alert,
        reasons: REVEAL_REASON_KEYS.iter().map(|k| lang.t(k)).collect(),
        deals,
        may_quote,
        d,
    }
}

/// A status code as the catalog's static string (the choice list keeps `&'static str`).
fn code_of(code: &str) -> Option<&'static str> {
    LeadStatus::ALL
        .iter()
        .map(|s| s.code())
        .find(|c| *c == code)
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let notice = done.notice(who.lang, "lead");
    page(
        &state,
        &who,
        &id,
        StatusCode::OK,
        Outcome {
            notice,
            ..Outcome::default()
        },
    )
    .await
}

/// The lead page with `outcome`, or the error page if the lead cannot be shown.
pub async fn page(
    state: &WebState,
    who: &PageActor,
    id: &str,
    status: StatusCode,
    outcome: Outcome,
) -> Response {
    match state.app.lead_detail(&who.actor, id).await {
        Ok(d) => render(status, &build(state, who, d, outcome).await),
        Err(e) => errors::app_error(who, &e),
    }
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
    let result = state
        .app
        .reveal_lead_field(&who.actor, &id, &form.field, &form.reason)
        .await;
    let (status, outcome) = match result {
        Ok(r) => (
            StatusCode::OK,
            Outcome {
                revealed: Some((form.field.clone(), r.value, r.remaining_today)),
                ..Outcome::default()
            },
        ),
        Err(AppError::Invalid(list)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome {
                alert: list.first().map(|e| lang.rule(e)),
                ..Outcome::default()
            },
        ),
        Err(AppError::RevealQuotaExceeded { quota }) => (
            StatusCode::TOO_MANY_REQUESTS,
            Outcome {
                alert: Some(lang.t1("reveal.quota", quota)),
                ..Outcome::default()
            },
        ),
        Err(e) => return errors::app_error(&who, &e),
    };
    page(&state, &who, &id, status, outcome).await
}
