//! `/admin/users`: the staff accounts, for the roles that may view them (the system
//! administrator). Each row has small form posts, each with the CSRF token, to disable or
//! enable the account and to change its role; they call `App::change_account`, like the
//! API. None of it touches customers.

mod detail;
mod new;
mod one_time;
mod org;
mod units;

use super::errors::{self, render};
use super::layout::{Layout, Section};
use super::session::PageActor;
use crate::WebState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::roles::RoleSummary;
use dealervault_app::users::{AccountChange, OrgUnit, UserSummary};
use dealervault_app::AppError;
use dealervault_domain::catalog::Entity;
use dealervault_policy::Action;
use serde::Deserialize;

/// A role as an option of the role select.
#[derive(Debug, Clone)]
pub struct RoleOption {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

/// One account as a table row.
#[derive(Debug, Clone)]
pub struct AccountRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub store: String,
    /// Department and team, when the account sits in one.
    pub place: Option<String>,
    pub active: bool,
    pub status: &'static str,
    /// The signed-in administrator's own account: no buttons (disabling oneself is
    /// refused, and a role change could lock the last administrator out).
    pub me: bool,
    pub roles: Vec<RoleOption>,
}

#[derive(Debug, Template)]
#[template(path = "accounts.html")]
pub struct AccountsPage {
    pub page: Layout,
    pub csrf: String,
    pub rows: Vec<AccountRow>,
    /// The role may change accounts: the row forms are shown.
    pub can_edit: bool,
    /// The role may also see the roles: the role select is shown.
    pub can_change_role: bool,
    pub can_create: bool,
    pub notice: Option<String>,
    pub alert: Option<&'static str>,
}

/// What the last change did, carried over the redirect after it.
#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
    id: Option<String>,
}

/// A disable or enable button's form.
#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    csrf: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    csrf: Option<String>,
    #[serde(default)]
    role: String,
}

pub fn routes() -> axum::Router<WebState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/admin/users", get(show).post(new::create))
        .route("/admin/users/new", get(new::show))
        .route("/admin/org", get(org::show).post(org::add))
        .route("/admin/users/{id}/disable", post(disable))
        .route("/admin/users/{id}/enable", post(enable))
        .route("/admin/users/{id}/role", post(change_role))
        .route("/admin/users/{id}", get(detail::show))
        .route("/admin/users/{id}/unit", post(detail::move_unit))
        .route("/admin/users/{id}/password", post(detail::reset_password))
        .route("/admin/users/{id}/mfa/reset", post(detail::reset_mfa))
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Query(q): Query<DoneQuery>,
) -> Response {
    page(&state, &who, StatusCode::OK, Some(q), None).await
}

/// The page, after a change (`done`) or with the alert of a refused one.
async fn page(
    state: &WebState,
    who: &PageActor,
    status: StatusCode,
    done: Option<DoneQuery>,
    alert: Option<&'static str>,
) -> Response {
    let lang = who.lang;
    let users = match state.app.list_users(&who.actor).await {
        Ok(users) => users,
        Err(e) => return errors::app_error(who, &e),
    };
    let can_edit = who.actor.may(Entity::User, Action::Edit);
    let roles = if who.actor.may(Entity::Role, Action::View) {
        match state.app.list_roles(&who.actor).await {
            Ok(roles) => roles,
            Err(e) => return errors::app_error(who, &e),
        }
    } else {
        vec![]
    };
    let units = match state.app.org_units(&who.actor).await {
        Ok(units) => units,
        Err(e) => return errors::app_error(who, &e),
    };
    let notice = done.and_then(|d| notice(who, &users, &d));
    let rows = users
        .iter()
        .map(|u| row(who, u, &roles, &units, can_edit))
        .collect();
    let template = AccountsPage {
        page: Layout::for_actor(who, lang.t("accounts.title"), Section::Accounts)
            .at("/admin/users"),
        csrf: who.csrf().to_string(),
        rows,
        can_edit,
        can_change_role: can_edit && !roles.is_empty(),
        can_create: who.actor.may(Entity::User, Action::Create) && !roles.is_empty(),
        notice,
        alert,
    };
    render(status, &template)
}

/// The role's name in the page's language, or its code when unknown.
fn role_name(who: &PageActor, roles: &[RoleSummary], code: &str) -> String {
    roles
        .iter()
        .find(|r| r.code == code)
        .map(|r| {
            if who.lang.is_zh() {
                r.name_zh.clone()
            } else {
                r.name_en.clone()
            }
        })
        .unwrap_or_else(|| code.to_string())
}

fn row(
    who: &PageActor,
    u: &UserSummary,
    roles: &[RoleSummary],
    units: &[OrgUnit],
    can_edit: bool,
) -> AccountRow {
    let lang = who.lang;
    let active = u.status == "active";
    AccountRow {
        id: u.id.clone(),
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: role_name(who, roles, &u.role),
        store: match &u.store_code {
            Some(code) => format!("{} {code}", lang.t("user.store")),
            None => lang.t("user.group").to_string(),
        },
        place: units
            .iter()
            .find(|unit| unit.key == u.unit)
            .and_then(|unit| units::within_store(lang, unit)),
        active,
        status: if active {
            lang.t("accounts.status.active")
        } else {
            lang.t("accounts.status.disabled")
        },
        me: u.id == who.actor.user_id().to_string(),
        roles: if can_edit {
            roles
                .iter()
                .map(|r| RoleOption {
                    code: r.code.clone(),
                    name: role_name(who, roles, &r.code),
                    selected: r.code == u.role,
                })
                .collect()
        } else {
            vec![]
        },
    }
}

/// The success banner after a change, naming the account.
fn notice(who: &PageActor, users: &[UserSummary], d: &DoneQuery) -> Option<String> {
    let user = users.iter().find(|u| Some(&u.id) == d.id.as_ref())?;
    let lang = who.lang;
    let named = if lang.is_zh() {
        format!("{}（{}）", user.display_name, user.username)
    } else {
        format!("{} ({})", user.display_name, user.username)
    };
    let message = match d.done.as_deref()? {
        "disabled" => lang.t1("accounts.done.disabled", named),
        "enabled" => lang.t1("accounts.done.enabled", named),
        "role" => lang.t1("accounts.done.role", named),
        _ => return None,
    };
    Some(message)
}

/// Applies a change and goes back to the list with its banner, or shows the list with
/// the reason it was refused.
async fn apply(
    state: &WebState,
    who: &PageActor,
    id: &str,
    change: AccountChange,
    done: &str,
) -> Response {
    match state.app.change_account(&who.actor, id, &[change]).await {
        Ok(user) => {
            Redirect::to(&format!("/admin/users?done={done}&id={}", user.id)).into_response()
        }
        Err(AppError::Conflict("cannot_disable_self")) => {
            page(
                state,
                who,
                StatusCode::CONFLICT,
                None,
                Some(who.lang.t("accounts.error.self")),
            )
            .await
        }
        Err(AppError::NotFound) => {
            page(
                state,
                who,
                StatusCode::NOT_FOUND,
                None,
                Some(who.lang.t("accounts.error.not_found")),
            )
            .await
        }
        Err(AppError::Invalid(_)) => {
            page(
                state,
                who,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(who.lang.t("accounts.error.role")),
            )
            .await
        }
        Err(e) => errors::app_error(who, &e),
    }
}

pub async fn disable(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<ChangeForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    apply(&state, &who, &id, AccountChange::Disable, "disabled").await
}

pub async fn enable(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<ChangeForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    apply(&state, &who, &id, AccountChange::Enable, "enabled").await
}

pub async fn change_role(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let role = AccountChange::Role(form.role.trim().to_string());
    apply(&state, &who, &id, role, "role").await
}
