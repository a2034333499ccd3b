//! `/`: each role's home. Staff who work with customers get shortcuts to them; the
//! administrator and the auditor, who by design see no customer data, get a page that
//! says what their role is for, and no customer menus at all.

use super::errors::render;
use super::layout::{Layout, Section};
use super::session::PageActor;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_domain::catalog::Entity;
use dealervault_policy::Action;

/// A capability of a role without customer access, as a card on its home page.
#[derive(Debug, Clone)]
pub struct Capability {
    pub title: &'static str,
    pub desc: &'static str,
}

#[derive(Debug, Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub page: Layout,
    pub greeting: String,
    pub csrf: String,
    pub customers: bool,
    pub create: bool,
    /// Heading and text of the role introduction (roles without customer access).
    pub intro: Option<(&'static str, &'static str)>,
    pub caps: Vec<Capability>,
}

pub async fn show(who: PageActor) -> Response {
    let lang = who.lang;
    let actor = &who.actor;
    let customers = actor.may(Entity::Customer, Action::View);
    let create = actor.may(Entity::Customer, Action::Create);
    let mut caps = Vec::new();
    let mut cap = |entity: Entity, title: &'static str, desc: &'static str| {
        if actor.may(entity, Action::View) {
            caps.push(Capability { title, desc });
        }
    };
    cap(Entity::User, lang.t("cap.users"), lang.t("cap.users.desc"));
    cap(Entity::Role, lang.t("cap.roles"), lang.t("cap.roles.desc"));
    cap(
        Entity::Organisation,
        lang.t("cap.org"),
        lang.t("cap.org.desc"),
    );
    cap(
        Entity::Settings,
        lang.t("cap.settings"),
        lang.t("cap.settings.desc"),
    );
    cap(
        Entity::AuditLog,
        lang.t("cap.audit"),
        lang.t("cap.audit.desc"),
    );
    let intro = if customers {
        None
    } else if actor.may(Entity::User, Action::View) {
        Some((lang.t("home.admin.title"), lang.t("home.admin.desc")))
    } else if actor.may(Entity::AuditLog, Action::View) {
        Some((lang.t("home.auditor.title"), lang.t("home.auditor.desc")))
    } else {
        Some((lang.t("home.title"), lang.t("home.none.desc")))
    };
    let page = Layout::for_actor(&who, lang.t("home.title"), Section::Home).at("/");
    let template = HomePage {
        greeting: lang.t1("home.hello", actor.display_name()),
        csrf: who.csrf().to_string(),
        page,
        customers,
        create,
        intro,
        caps,
    };
    render(StatusCode::OK, &template)
}
