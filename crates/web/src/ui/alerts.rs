//! `/alerts`: the alert inbox of the people who read alerts (auditor, general manager,
//! sales manager), each within the scope of the role, and one alert's page with its
//! comments, where it is acknowledged or commented on (CSRF-checked form posts calling
//! the same use cases as the API).

use super::errors::{self, render};
use super::i18n::Lang;
use super::layout::{local_time, Layout, Section};
use super::session::PageActor;
use crate::WebState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::alerts::{AlertDetail, AlertView};
use dealervault_app::AppError;
use serde::Deserialize;

/// One alert as a row or a heading.
#[derive(Debug, Clone)]
pub struct AlertLine {
    pub id: String,
    pub kind: String,
    pub severity: String,
    pub badge: &'static str,
    pub subject: String,
    pub store: String,
    pub summary: String,
    pub created: String,
    pub status: String,
    pub open: bool,
    pub action: String,
}

pub(super) fn line(lang: Lang, a: &AlertView) -> AlertLine {
    let badge = match a.severity.as_str() {
        "critical" => "badge-danger",
        "warning" => "badge-warning",
        _ => "badge-muted",
    };
    let open = a.status == "open";
    AlertLine {
        id: a.id.clone(),
        kind: lang.t(&format!("alerts.kind.{}", a.kind)).to_string(),
        severity: lang
            .t(&format!("alerts.severity.{}", a.severity))
            .to_string(),
        badge,
        subject: a.subject.username.clone(),
        store: a
            .store
            .clone()
            .unwrap_or_else(|| lang.t("user.group").to_string()),
        summary: lang
            .t("alerts.summary")
            .replacen("{}", &a.summary.count.to_string(), 1)
            .replacen("{}", &a.summary.threshold.to_string(), 1)
            .replacen("{}", &(a.summary.window_secs / 60).to_string(), 1),
        created: local_time(a.created_at),
        status: if open {
            lang.t("alerts.status.open").to_string()
        } else {
            lang.t("alerts.status.acknowledged").to_string()
        },
        open,
        action: lang
            .t(&format!("alerts.action.{}", a.action_taken))
            .to_string(),
    }
}

#[derive(Debug, Template)]
#[template(path = "alerts/inbox.html")]
pub struct InboxPage {
    pub page: Layout,
    pub rows: Vec<AlertLine>,
    pub open_only: bool,
}

#[derive(Debug, Clone)]
pub struct CommentLine {
    pub author: String,
    pub body: String,
    pub at: String,
}

#[derive(Debug, Template)]
#[template(path = "alerts/detail.html")]
pub struct DetailPage {
    pub page: Layout,
    pub csrf: String,
    pub alert: AlertLine,
    pub records: Vec<String>,
    pub acknowledged: Option<String>,
    pub comments: Vec<CommentLine>,
    pub notice: Option<&'static str>,
    pub error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct InboxQuery {
    status: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct CommentForm {
    csrf: Option<String>,
    #[serde(default)]
    comment: String,
}

pub async fn inbox(
    State(state): State<WebState>,
    who: PageActor,
    Query(q): Query<InboxQuery>,
) -> Response {
    let lang = who.lang;
    let open_only = q.status.as_deref() == Some("open");
    match state.app.list_alerts(&who.actor, open_only).await {
        Ok(alerts) => {
            let template = InboxPage {
                page: Layout::for_actor(&who, lang.t("alerts.title"), Section::Alerts)
                    .at("/alerts"),
                rows: alerts.iter().map(|a| line(lang, a)).collect(),
                open_only,
            };
            render(StatusCode::OK, &template)
        }
        Err(e) => errors::app_error(&who, &e),
    }
}

fn detail_page(
    who: &PageActor,
    status: StatusCode,
    d: &AlertDetail,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Response {
    let lang = who.lang;
    let alert = line(lang, &d.alert);
    let template = DetailPage {
        page: Layout::for_actor(who, lang.t("alerts.detail.title"), Section::Alerts)
            .at(&format!("/alerts/{}", alert.id)),
        csrf: who.csrf().to_string(),
        records: d.alert.record_ids.clone(),
        acknowledged: match (&d.alert.acknowledged_by, d.alert.acknowledged_at) {
            (Some(by), Some(at)) => Some(format!("{by} · {}", local_time(at))),
            _ => None,
        },
        comments: d
            .comments
            .iter()
            .map(|c| CommentLine {
                author: c.author.clone(),
                body: c.body.clone(),
                at: local_time(c.created_at),
            })
            .collect(),
        alert,
        notice,
        error,
    };
    render(status, &template)
}

pub async fn detail(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = match q.done.as_deref() {
        Some("acknowledged") => Some(who.lang.t("alerts.done.acknowledged")),
        Some("commented") => Some(who.lang.t("alerts.done.commented")),
        _ => None,
    };
    match state.app.alert_detail(&who.actor, &id).await {
        Ok(d) => detail_page(&who, StatusCode::OK, &d, notice, None),
        Err(e) => errors::app_error(&who, &e),
    }
}

/// After a refused acknowledgement or comment: the alert again, with the reason.
async fn refused(state: &WebState, who: &PageActor, id: &str, e: AppError) -> Response {
    let lang = who.lang;
    let (status, message) = match &e {
        AppError::Invalid(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            errors
                .iter()
                .map(|f| format!("{}：{}", lang.t("alerts.comment.label"), lang.rule(f)))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        AppError::Conflict("own_alert") => {
            (StatusCode::CONFLICT, lang.t("alerts.error.own").to_string())
        }
        AppError::Conflict(_) => (
            StatusCode::CONFLICT,
            lang.t("alerts.error.acknowledged").to_string(),
        ),
        _ => return errors::app_error(who, &e),
    };
    match state.app.alert_detail(&who.actor, id).await {
        Ok(d) => detail_page(who, status, &d, None, Some(message)),
        Err(e) => errors::app_error(who, &e),
    }
}

pub async fn acknowledge(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<CommentForm>,
) -> Response {
    if let Some(refusal) = who.csrf_refusal(form.csrf.as_deref()) {
        return refusal;
    }
    match state
        .app
        .acknowledge_alert(&who.actor, &id, Some(&form.comment))
        .await
    {
        Ok(d) => Redirect::to(&format!("/alerts/{}?done=acknowledged", d.alert.id)).into_response(),
        Err(e) => refused(&state, &who, &id, e).await,
    }
}

pub async fn comment(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<CommentForm>,
) -> Response {
    if let Some(refusal) = who.csrf_refusal(form.csrf.as_deref()) {
        return refusal;
    }
    match state
        .app
        .comment_alert(&who.actor, &id, &form.comment)
        .await
    {
        Ok(d) => Redirect::to(&format!("/alerts/{}?done=commented", d.alert.id)).into_response(),
        Err(e) => refused(&state, &who, &id, e).await,
    }
}
