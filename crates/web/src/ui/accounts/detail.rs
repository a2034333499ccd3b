//! `/admin/users/{id}`: one account — where it sits, moving it, resetting its password,
//! and its two-step sign-in (reset for a lost phone).

use super::super::errors::{self, render};
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::one_time::OneTimePasswordPage;
use super::units::{label_of, options, UnitOption};
use crate::WebState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::auth::AccountMfa;
use dealervault_app::users::{AccountChange, UserSummary};
use dealervault_app::AppError;
use dealervault_domain::catalog::Entity;
use dealervault_policy::Action;
use serde::Deserialize;

#[derive(Debug, Template)]
#[template(path = "accounts/detail.html")]
pub struct AccountPage {
    pub page: Layout,
    pub csrf: String,
    pub user: UserSummary,
    pub role: String,
    pub unit: String,
    pub units: Vec<UnitOption>,
    pub active: bool,
    /// The signed-in administrator's own account: nothing to change here.
    pub me: bool,
    pub can_edit: bool,
    /// Its two-step sign-in: on, reset (to be set up again) or off.
    pub mfa: AccountMfa,
    pub notice: Option<&'static str>,
    pub alert: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct MoveForm {
    csrf: Option<String>,
    #[serde(default)]
    unit: String,
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    csrf: Option<String>,
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = match q.done.as_deref() {
        Some("moved") => Some(who.lang.t("accounts.done.moved")),
        Some("mfa_reset") => Some(who.lang.t("accounts.done.mfa_reset")),
        _ => None,
    };
    page(&state, &who, &id, StatusCode::OK, notice, None).await
}

async fn page(
    state: &WebState,
    who: &PageActor,
    id: &str,
    status: StatusCode,
    notice: Option<&'static str>,
    alert: Option<String>,
) -> Response {
    let lang = who.lang;
    let (users, units, roles) = match (
        state.app.list_users(&who.actor).await,
        state.app.org_units(&who.actor).await,
        state.app.list_roles(&who.actor).await,
    ) {
        (Ok(u), Ok(o), Ok(r)) => (u, o, r),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return errors::app_error(who, &e),
    };
    let Some(user) = users.into_iter().find(|u| u.id == id) else {
        return errors::app_error(who, &AppError::NotFound);
    };
    let mfa = match state.app.account_mfa(&who.actor, id).await {
        Ok(m) => m,
        Err(e) => return errors::app_error(who, &e),
    };
    let role = roles.iter().find(|r| r.code == user.role).map_or_else(
        || user.role.clone(),
        |r| if lang.is_zh() { &r.name_zh } else { &r.name_en }.clone(),
    );
    let template = AccountPage {
        page: Layout::for_actor(who, &user.display_name, Section::Accounts)
            .at(&format!("/admin/users/{id}")),
        csrf: who.csrf().to_string(),
        role,
        unit: label_of(lang, &units, &user.unit),
        units: options(lang, &units, &user.unit),
        active: user.status == "active",
        me: user.id == who.actor.user_id().to_string(),
        can_edit: who.actor.may(Entity::User, Action::Edit),
        mfa,
        notice,
        alert,
        user,
    };
    render(status, &template)
}

/// The reason a change was refused, on the account's page.
async fn refused(state: &WebState, who: &PageActor, id: &str, e: AppError) -> Response {
    let lang = who.lang;
    let (status, alert) = match e {
        AppError::Conflict("mfa_not_enabled") => {
            (StatusCode::CONFLICT, lang.t("mfa.error.not_enabled"))
        }
        AppError::Conflict(_) => (StatusCode::CONFLICT, lang.t("accounts.self")),
        AppError::Invalid(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t("accounts.error.unit"),
        ),
        e => return errors::app_error(who, &e),
    };
    page(state, who, id, status, None, Some(alert.to_string())).await
}

pub async fn move_unit(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<MoveForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let change = [AccountChange::Move(form.unit.trim().to_string())];
    match state.app.change_account(&who.actor, &id, &change).await {
        Ok(user) => Redirect::to(&format!("/admin/users/{}?done=moved", user.id)).into_response(),
        Err(e) => refused(&state, &who, &id, e).await,
    }
}

pub async fn reset_password(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<TokenForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    match state.app.reset_password(&who.actor, &id).await {
        Ok((user, password)) => OneTimePasswordPage::render(
            &who,
            StatusCode::OK,
            &user,
            &password,
            who.lang.t("accounts.otp.reset"),
        ),
        Err(e) => refused(&state, &who, &id, e).await,
    }
}

/// A lost phone: the account's two-step sign-in is removed and its sessions end.
pub async fn reset_mfa(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<TokenForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    match state.app.reset_mfa(&who.actor, &id).await {
        Ok(()) => Redirect::to(&format!("/admin/users/{id}?done=mfa_reset")).into_response(),
        Err(e) => refused(&state, &who, &id, e).await,
    }
}
