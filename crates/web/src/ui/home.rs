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

/// A page a role without customer access may use, as a card on its home page. Only pages
/// that exist are listed: the home page never promises what the product lacks.
#[derive(Debug, Clone)]
pub struct Capability {
    pub href: &'static str,
    pub title: &'static str,
    pub desc: &'static str,
    pub action: &'static str,
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

/// The cards of the pages a role may open, beside the customer pages.
fn capabilities(who: &PageActor) -> Vec<Capability> {
    let (actor, lang) = (&who.actor, who.lang);
    let mut caps = Vec::new();
    if actor.may(Entity::User, Action::View) {
        caps.push(Capability {
            href: "/admin/users",
            title: lang.t("cap.users"),
            desc: lang.t("cap.users.desc"),
            action: lang.t("cap.users.go"),
        });
    }
    if actor.may(Entity::Role, Action::View) {
        caps.push(Capability {
            href: "/admin/roles",
            title: lang.t("cap.roles"),
            desc: lang.t("cap.roles.desc"),
            action: lang.t("cap.roles.go"),
        });
    }
    if actor.may(Entity::Settings, Action::Edit) {
        caps.push(Capability {
            href: "/admin/settings",
            title: lang.t("cap.settings"),
            desc: lang.t("cap.settings.desc"),
            action: lang.t("cap.settings.go"),
        });
    }
    if actor.may(Entity::AuditLog, Action::View) {
        caps.push(Capability {
            href: "/audit",
            title: lang.t("cap.audit"),
            desc: lang.t("cap.audit.desc"),
            action: lang.t("cap.audit.go"),
        });
    }
    caps
}

pub async fn show(who: PageActor) -> Response {
    let lang = who.lang;
    let actor = &who.actor;
    let customers = actor.may(Entity::Customer, Action::View);
    let create = actor.may(Entity::Customer, Action::Create);
    let caps = capabilities(&who);
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
