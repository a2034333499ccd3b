//! `/exports/{id}`: one request — what was asked, the chain's steps and who took them,
//! and what the reader may do now: the approver it waits for sees a masked sample and
//! the decision forms, the requester of an approved file its download. Watermarked: the
//! sample is customer data.

use super::super::done::Done;
use super::super::errors::{self, render};
use super::super::i18n::Lang;
use super::super::layout::{local_time, Layout, Section};
use super::super::session::PageActor;
use super::{cell_text, field_labels, format_label, is_pending, status_badge, status_label};
use crate::WebState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_app::exports::{ApprovalView, ExportView};
use dealervault_domain::values::Reason;

/// One step of the chain.
#[derive(Debug, Clone)]
pub struct Step {
    pub number: String,
    pub role: String,
    pub same_department: bool,
    pub status_code: String,
    pub status: String,
    pub badge: &'static str,
    pub who: String,
    pub when: String,
    pub comment: String,
}

/// One step in words. `turn` says where the request stands: the step it waits for
/// reads `waiting`, later ones `later`, and undecided steps of a request that ended
/// (rejected, expired) `undecided`.
fn step(lang: Lang, a: &ApprovalView, turn: &str) -> Step {
    let role = if lang.is_zh() {
        &a.role_name_zh
    } else {
        &a.role_name_en
    };
    let code = if a.status == "waiting" {
        turn
    } else {
        a.status.as_str()
    };
    Step {
        number: lang.t1("export.step", a.position + 1),
        role: if role.is_empty() {
            a.role.clone()
        } else {
            role.clone()
        },
        same_department: a.same_department,
        status_code: code.to_string(),
        status: lang.code_label("export.step", code),
        badge: match code {
            "approved" => "badge-success",
            "rejected" => "badge-danger",
            "waiting" => "badge-warning",
            _ => "badge-muted",
        },
        who: a.decided_by_name.clone().unwrap_or_default(),
        when: a.decided_at.map(local_time).unwrap_or_default(),
        comment: a.comment.clone(),
    }
}

/// The chain's steps: the first undecided one is the request's turn while it is pending.
fn steps(lang: Lang, view: &ExportView) -> Vec<Step> {
    let mut turn_taken = !is_pending(view);
    view.approvals
        .iter()
        .map(|a| {
            let turn = if a.status != "waiting" {
                ""
            } else if turn_taken {
                if is_pending(view) {
                    "later"
                } else {
                    "undecided"
                }
            } else {
                turn_taken = true;
                "waiting"
            };
            step(lang, a, turn)
        })
        .collect()
}

#[derive(Debug, Template)]
#[template(path = "exports/detail.html")]
pub struct DetailPage {
    pub page: Layout,
    pub csrf: String,
    pub id: String,
    pub status_code: String,
    pub status: String,
    pub badge: &'static str,
    pub fields: Vec<&'static str>,
    pub purpose: String,
    /// What was asked, as label and words.
    pub facts: Vec<(&'static str, String)>,
    /// Who asked and the deadlines.
    pub record: Vec<(&'static str, String)>,
    pub steps: Vec<Step>,
    /// The sample's column labels and rows, for the approver it waits for.
    pub sample: Option<(Vec<&'static str>, Vec<Vec<String>>)>,
    /// The decision forms: the request waits for the reader.
    pub decide: bool,
    /// What was typed into a refused approval or rejection.
    pub approve_comment: String,
    pub reject_comment: String,
    pub comment_max: usize,
    /// Downloads left, when the reader may download now.
    pub download: Option<u32>,
    pub notice: Option<String>,
    pub alert: Option<String>,
}

/// What happened just before this rendering.
#[derive(Debug, Default)]
pub struct Outcome {
    pub notice: Option<String>,
    pub alert: Option<String>,
    /// The comment typed into a refused decision, and which one it was (`approve` or
    /// `reject`).
    pub comment: String,
    pub decision: &'static str,
}

/// The rows asked for, in words.
fn scope(lang: Lang, view: &ExportView) -> String {
    let source = view.filter.get("source").and_then(|s| s.as_str());
    let owner = view.filter.get("owner").and_then(|s| s.as_str());
    let mut parts = Vec::new();
    if owner.is_some() {
        parts.push(lang.t("export.filter.owner").to_string());
    }
    if let Some(code) = source {
        let colon = if lang.is_zh() { "：" } else { ": " };
        parts.push(format!(
            "{}{colon}{}",
            lang.field_label("source"),
            lang.code_label("source", code)
        ));
    }
    if parts.is_empty() {
        lang.t("export.filter.all").to_string()
    } else {
        parts.join(" · ")
    }
}

fn build(state: &WebState, who: &PageActor, view: ExportView, outcome: Outcome) -> DetailPage {
    let lang = who.lang;
    let mut facts = vec![
        (lang.t("export.format"), format_label(lang, &view.format)),
        (lang.t("export.filter"), scope(lang, &view)),
        (lang.t("export.rows"), view.row_count.to_string()),
    ];
    if let Some(n) = view.file_rows {
        facts.push((lang.t("export.file_rows"), n.to_string()));
    }
    let mut record = vec![
        (
            lang.t("export.requested_by"),
            view.requested_by_name.clone(),
        ),
        (lang.t("export.requested_at"), local_time(view.requested_at)),
    ];
    if is_pending(&view) {
        record.push((lang.t("export.decide_by"), local_time(view.decide_by)));
    }
    let window = match (view.download_until, view.status.as_str()) {
        (Some(until), _) => Some(local_time(until)),
        (None, "pending") => Some(lang.t("export.download_until.later").to_string()),
        _ => None,
    };
    if let Some(w) = window {
        record.push((lang.t("export.download_until"), w));
    }
    record.push((
        lang.t("export.downloads_left"),
        view.downloads_left.to_string(),
    ));
    let decide = view.awaiting_you && is_pending(&view);
    let sample = decide.then(|| {
        let columns: Vec<&String> = view
            .fields
            .iter()
            .filter(|f| view.sample.iter().any(|row| row.contains_key(*f)))
            .collect();
        let labels = columns.iter().map(|f| lang.field_label(f)).collect();
        let rows = view
            .sample
            .iter()
            .map(|row| {
                columns
                    .iter()
                    .map(|f| cell_text(lang, f, row.get(*f).map_or("", String::as_str)))
                    .collect()
            })
            .collect();
        (labels, rows)
    });
    let path = format!("/exports/{}", view.id);
    DetailPage {
        page: Layout::for_actor(who, lang.t("export.title"), Section::Exports)
            .at(&path)
            .watermarked(state),
        csrf: who.csrf().to_string(),
        id: view.id.clone(),
        status_code: view.status.clone(),
        status: status_label(lang, &view.status),
        badge: status_badge(&view.status),
        fields: field_labels(lang, &view.fields),
        purpose: view.purpose.clone(),
        facts,
        record,
        steps: steps(lang, &view),
        sample,
        decide,
        approve_comment: if outcome.decision == "approve" {
            outcome.comment.clone()
        } else {
            String::new()
        },
        reject_comment: if outcome.decision == "reject" {
            outcome.comment
        } else {
            String::new()
        },
        comment_max: Reason::MAX_CHARS,
        download: view.can_download.then_some(view.downloads_left),
        notice: outcome.notice,
        alert: outcome.alert,
    }
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let outcome = Outcome {
        notice: done.notice(who.lang, "export"),
        ..Outcome::default()
    };
    page(&state, &who, &id, StatusCode::OK, outcome).await
}

/// The request's page with `outcome`, or the error page if it cannot be shown.
pub async fn page(
    state: &WebState,
    who: &PageActor,
    id: &str,
    status: StatusCode,
    outcome: Outcome,
) -> Response {
    match state.app.export(&who.actor, id).await {
        Ok(view) => render(status, &build(state, who, view, outcome)),
        Err(e) => errors::app_error(who, &e),
    }
}
