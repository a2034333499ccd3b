//! Staff (员工): the store manager's list of their store's accounts with the size of
//! each book, and one person's page — record a resignation, freeze at once, hand the
//! book over (to one colleague, round-robin over the team, or one by one), read the
//! departure-risk report. The administrator reaches a person's page from the account
//! page (freeze and resignation; the customers themselves stay out of their sight).
//! Every page calls the same use cases as the JSON API.

mod detail;
mod handover;
mod list;
mod risk;

use super::i18n::Lang;
use super::reviews::place_text;
use crate::WebState;
use axum::routing::{get, post};
use axum::Router;
use dealervault_app::users::StaffMember;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/staff", get(list::show))
        .route("/staff/{id}", get(detail::show))
        .route("/staff/{id}/resignation", post(detail::resign))
        .route("/staff/{id}/freeze", post(detail::freeze))
        .route(
            "/staff/{id}/handover",
            get(handover::show).post(handover::submit),
        )
        .route("/staff/{id}/risk", get(risk::show))
}

/// Where a person stands: at work, serving a notice period, frozen or disabled.
#[derive(Debug, Clone)]
pub struct Standing {
    pub code: &'static str,
    pub label: String,
    pub badge: &'static str,
}

impl Standing {
    pub fn of(lang: Lang, member: &StaffMember) -> Self {
        let (code, badge) = match member.account.status.as_str() {
            "frozen" => ("frozen", "badge-danger"),
            "active" if member.leaving_on.is_some() => ("leaving", "badge-warning"),
            "active" => ("active", "badge-success"),
            _ => ("disabled", "badge-muted"),
        };
        let mut label = lang.t(&format!("staff.standing.{code}")).to_string();
        if let (Some(day), "leaving") = (&member.leaving_on, code) {
            label = format!("{label} · {day}");
        }
        Self { code, label, badge }
    }
}

/// A member of staff as the list and their page show them.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub username: String,
    pub role: String,
    pub place: String,
    pub standing: Standing,
    pub customers: i64,
    pub open_leads: i64,
    pub open_follow_ups: i64,
}

impl Person {
    pub fn of(lang: Lang, member: &StaffMember) -> Self {
        Self {
            id: member.account.id.clone(),
            name: member.account.display_name.clone(),
            username: member.account.username.clone(),
            role: member.role.name(lang.is_zh()).to_string(),
            place: place_text(lang, &member.place),
            standing: Standing::of(lang, member),
            customers: member.customers,
            open_leads: member.open_leads,
            open_follow_ups: member.open_follow_ups,
        }
    }
}
