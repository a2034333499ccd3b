//! The administrator's alert pages: `/admin/alerts` (the rules, one form per rule; the
//! webhook, whose secret is never shown back; e-mail by SMTP, whose password is never
//! shown back either; each store's business hours and networks)
//! and `/admin/honeytokens` (plant a decoy customer, list and retire them, with no
//! customer data). Every form carries the CSRF token and calls the same use cases as the
//! API.

use super::choice::Choice;
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
use dealervault_app::alerts::rules::{RuleAction, Severity};
use dealervault_app::alerts::{
    AlertRuleUpdate, AlertRuleView, EmailUpdate, EmailView, HoneytokenView, MailLang, SmtpSecurity,
    StoreAlertSettingsView, WebhookView,
};
use dealervault_app::AppError;
use serde::Deserialize;

#[derive(Debug, Clone)]
pub struct RuleLine {
    pub kind: String,
    pub label: &'static str,
    pub desc: &'static str,
    pub enabled: bool,
    pub threshold: i64,
    pub window_minutes: i64,
    pub severities: Vec<Choice>,
    pub actions: Vec<Choice>,
}

#[derive(Debug, Clone)]
pub struct StoreLine {
    pub store: String,
    pub open: String,
    pub close: String,
    pub timezone: String,
    pub networks: String,
}

/// The e-mail section: the settings (no password), with the choices of each select.
#[derive(Debug, Clone)]
pub struct EmailSection {
    pub view: EmailView,
    pub recipients: String,
    pub securities: Vec<Choice>,
    pub severities: Vec<Choice>,
    pub langs: Vec<Choice>,
}

#[derive(Debug, Template)]
#[template(path = "alerts/admin.html")]
pub struct AdminPage {
    pub page: Layout,
    pub csrf: String,
    pub rules: Vec<RuleLine>,
    pub webhook: WebhookView,
    pub email: EmailSection,
    pub stores: Vec<StoreLine>,
    pub notice: Option<&'static str>,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct HoneytokenLine {
    pub id: String,
    pub store: String,
    pub owner: String,
    pub planted_by: String,
    pub planted_at: String,
    pub retired: Option<String>,
}

#[derive(Debug, Template)]
#[template(path = "alerts/honeytokens.html")]
pub struct HoneytokensPage {
    pub page: Layout,
    pub csrf: String,
    pub rows: Vec<HoneytokenLine>,
    pub stores: Vec<String>,
    pub notice: Option<&'static str>,
    pub error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct RuleForm {
    csrf: Option<String>,
    enabled: Option<String>,
    #[serde(default)]
    threshold: String,
    #[serde(default)]
    window_minutes: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    action: String,
}

#[derive(Debug, Deserialize)]
pub struct WebhookForm {
    csrf: Option<String>,
    #[serde(default)]
    url: String,
    #[serde(default)]
    secret: String,
}

#[derive(Debug, Deserialize)]
pub struct EmailForm {
    csrf: Option<String>,
    #[serde(default)]
    host: String,
    #[serde(default)]
    port: String,
    #[serde(default)]
    security: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    recipients: String,
    #[serde(default)]
    min_severity: String,
    #[serde(default)]
    lang: String,
}

#[derive(Debug, Deserialize)]
pub struct StoreForm {
    csrf: Option<String>,
    #[serde(default)]
    open: String,
    #[serde(default)]
    close: String,
    #[serde(default)]
    networks: String,
}

#[derive(Debug, Deserialize)]
pub struct PlantForm {
    csrf: Option<String>,
    #[serde(default)]
    store: String,
    #[serde(default)]
    owner: String,
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

fn rule_line(lang: Lang, r: &AlertRuleView) -> RuleLine {
    RuleLine {
        label: lang.t(&format!("alerts.kind.{}", r.kind)),
        desc: lang.t(&format!("alerts.kind.{}.desc", r.kind)),
        kind: r.kind.clone(),
        enabled: r.enabled,
        threshold: r.threshold,
        window_minutes: r.window_secs / 60,
        severities: Choice::list(
            lang,
            "alerts.severity",
            Severity::ALL.iter().map(|s| s.code()),
            &r.severity,
        ),
        // Failed logins are made by whoever types a username: no action on the account.
        actions: Choice::list(
            lang,
            "alerts.action",
            RuleAction::ALL
                .iter()
                .filter(|a| r.kind != "failed_logins" || **a == RuleAction::None)
                .map(|a| a.code()),
            &r.action,
        ),
    }
}

fn email_section(lang: Lang, view: EmailView) -> EmailSection {
    EmailSection {
        recipients: view.recipients.join("\n"),
        securities: Choice::list(
            lang,
            "alerts.admin.email.security",
            SmtpSecurity::ALL.iter().map(|s| s.code()),
            &view.security,
        ),
        severities: Choice::list(
            lang,
            "alerts.severity",
            Severity::ALL.iter().map(|s| s.code()),
            &view.min_severity,
        ),
        langs: Choice::list(
            lang,
            "alerts.admin.email.lang",
            MailLang::ALL.iter().map(|l| l.code()),
            &view.lang,
        ),
        view,
    }
}

fn store_line(s: &StoreAlertSettingsView) -> StoreLine {
    StoreLine {
        store: s.store.clone(),
        open: s.open.clone(),
        close: s.close.clone(),
        timezone: s.timezone.clone(),
        networks: s.networks.join("\n"),
    }
}

/// A refusal in words: the field and its rule for bad input, else the generic reason.
fn reason(lang: Lang, e: &AppError) -> Option<(StatusCode, String)> {
    match e {
        AppError::Invalid(errors) => Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            errors
                .iter()
                .map(|f| format!("{}：{}", f.field, lang.rule(f)))
                .collect::<Vec<_>>()
                .join(" "),
        )),
        AppError::NotFound => Some((
            StatusCode::NOT_FOUND,
            lang.t("error.not_found.title").into(),
        )),
        AppError::Conflict(_) => Some((StatusCode::CONFLICT, lang.t("error.conflict.desc").into())),
        _ => None,
    }
}

async fn admin_page(
    state: &WebState,
    who: &PageActor,
    status: StatusCode,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Response {
    let lang = who.lang;
    let app = &state.app;
    let loaded = async {
        Ok::<_, AppError>((
            app.alert_rules(&who.actor).await?,
            app.alert_webhook(&who.actor).await?,
            app.alert_email(&who.actor).await?,
            app.store_alert_settings(&who.actor).await?,
        ))
    };
    let (rules, webhook, email, stores) = match loaded.await {
        Ok(v) => v,
        Err(e) => return errors::app_error(who, &e),
    };
    let template = AdminPage {
        page: Layout::for_actor(who, lang.t("alerts.admin.title"), Section::AlertAdmin)
            .at("/admin/alerts"),
        csrf: who.csrf().to_string(),
        rules: rules.iter().map(|r| rule_line(lang, r)).collect(),
        webhook,
        email: email_section(lang, email),
        stores: stores.iter().map(store_line).collect(),
        notice,
        error,
    };
    render(status, &template)
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.done.is_some().then(|| who.lang.t("alerts.admin.saved"));
    admin_page(&state, &who, StatusCode::OK, notice, None).await
}

/// Goes back to the page after a change, or shows it with the reason of a refusal.
async fn after(state: &WebState, who: &PageActor, result: Result<(), AppError>) -> Response {
    match result {
        Ok(()) => Redirect::to("/admin/alerts?done=saved").into_response(),
        Err(e) => match reason(who.lang, &e) {
            Some((status, message)) => admin_page(state, who, status, None, Some(message)).await,
            None => errors::app_error(who, &e),
        },
    }
}

pub async fn save_rule(
    State(state): State<WebState>,
    who: PageActor,
    Path(kind): Path<String>,
    Form(form): Form<RuleForm>,
) -> Response {
    if let Some(refusal) = who.csrf_refusal(form.csrf.as_deref()) {
        return refusal;
    }
    let number = |v: &str, field: &'static str| {
        v.trim()
            .parse::<i64>()
            .map_err(|_| AppError::invalid(field, dealervault_domain::error::Rule::UnknownValue))
    };
    let result = async {
        let update = AlertRuleUpdate {
            kind,
            enabled: Some(form.enabled.is_some()),
            threshold: Some(number(&form.threshold, "threshold")?),
            window_secs: Some(number(&form.window_minutes, "window_secs")?.saturating_mul(60)),
            severity: Some(form.severity),
            action: Some(form.action),
        };
        state
            .app
            .update_alert_rules(&who.actor, &[update])
            .await
            .map(drop)
    };
    let result = result.await;
    after(&state, &who, result).await
}

pub async fn save_webhook(
    State(state): State<WebState>,
    who: PageActor,
    Form(form): Form<WebhookForm>,
) -> Response {
    if let Some(refusal) = who.csrf_refusal(form.csrf.as_deref()) {
        return refusal;
    }
    let secret = Some(form.secret.as_str()).filter(|s| !s.trim().is_empty());
    let result = state
        .app
        .set_alert_webhook(&who.actor, &form.url, secret)
        .await
        .map(drop);
    after(&state, &who, result).await
}

pub async fn save_email(
    State(state): State<WebState>,
    who: PageActor,
    Form(form): Form<EmailForm>,
) -> Response {
    if let Some(refusal) = who.csrf_refusal(form.csrf.as_deref()) {
        return refusal;
    }
    let result = async {
        let port = match form.port.trim() {
            "" => None,
            p => Some(p.parse::<i64>().map_err(|_| {
                AppError::invalid(
                    "port",
                    dealervault_domain::error::Rule::OutOfRange { min: 1, max: 65535 },
                )
            })?),
        };
        let some = |s: String| Some(s).filter(|s| !s.trim().is_empty());
        let update = EmailUpdate {
            host: form.host,
            port,
            security: some(form.security),
            username: some(form.username),
            password: some(form.password),
            from: form.from,
            recipients: form.recipients,
            min_severity: some(form.min_severity),
            lang: some(form.lang),
        };
        state
            .app
            .set_alert_email(&who.actor, &update)
            .await
            .map(drop)
    };
    let result = result.await;
    after(&state, &who, result).await
}

pub async fn save_store(
    State(state): State<WebState>,
    who: PageActor,
    Path(code): Path<String>,
    Form(form): Form<StoreForm>,
) -> Response {
    if let Some(refusal) = who.csrf_refusal(form.csrf.as_deref()) {
        return refusal;
    }
    let networks: Vec<String> = form
        .networks
        .split([',', '\n', '\r', ' '])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    let result = state
        .app
        .set_store_alert_settings(&who.actor, &code, &form.open, &form.close, &networks)
        .await
        .map(drop);
    after(&state, &who, result).await
}

async fn honeytokens_page(
    state: &WebState,
    who: &PageActor,
    status: StatusCode,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Response {
    let lang = who.lang;
    let loaded = async {
        Ok::<_, AppError>((
            state.app.list_honeytokens(&who.actor).await?,
            state.app.store_alert_settings(&who.actor).await?,
        ))
    };
    let (rows, stores) = match loaded.await {
        Ok(v) => v,
        Err(e) => return errors::app_error(who, &e),
    };
    let line = |h: &HoneytokenView| HoneytokenLine {
        id: h.customer_id.clone(),
        store: h.store.clone(),
        owner: h.owner.clone(),
        planted_by: h.planted_by.clone(),
        planted_at: local_time(h.planted_at),
        retired: h.retired_at.map(local_time),
    };
    let template = HoneytokensPage {
        page: Layout::for_actor(who, lang.t("honeytokens.title"), Section::AlertAdmin)
            .at("/admin/honeytokens"),
        csrf: who.csrf().to_string(),
        rows: rows.iter().map(line).collect(),
        stores: stores.into_iter().map(|s| s.store).collect(),
        notice,
        error,
    };
    render(status, &template)
}

pub async fn honeytokens(
    State(state): State<WebState>,
    who: PageActor,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = match q.done.as_deref() {
        Some("planted") => Some(who.lang.t("honeytokens.done.planted")),
        Some("retired") => Some(who.lang.t("honeytokens.done.retired")),
        _ => None,
    };
    honeytokens_page(&state, &who, StatusCode::OK, notice, None).await
}

async fn after_honeytoken(
    state: &WebState,
    who: &PageActor,
    result: Result<(), AppError>,
    done: &str,
) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/admin/honeytokens?done={done}")).into_response(),
        Err(e) => match reason(who.lang, &e) {
            Some((status, message)) => {
                honeytokens_page(state, who, status, None, Some(message)).await
            }
            None => errors::app_error(who, &e),
        },
    }
}

pub async fn plant(
    State(state): State<WebState>,
    who: PageActor,
    Form(form): Form<PlantForm>,
) -> Response {
    if let Some(refusal) = who.csrf_refusal(form.csrf.as_deref()) {
        return refusal;
    }
    let result = state
        .app
        .plant_honeytoken(&who.actor, &form.store, &form.owner)
        .await
        .map(drop);
    after_honeytoken(&state, &who, result, "planted").await
}

pub async fn retire(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Some(refusal) = who.csrf_refusal(form.csrf.as_deref()) {
        return refusal;
    }
    let result = state.app.retire_honeytoken(&who.actor, &id).await;
    after_honeytoken(&state, &who, result, "retired").await
}
