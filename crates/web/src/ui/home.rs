//! `/`: each role's home. Staff who work with customers get shortcuts to them; the
//! administrator and the auditor, who by design see no customer data, get a page that
//! says what their role is for, and no customer menus at all.

use super::alerts::{line, AlertLine};
use super::errors::render;
use super::layout::{Layout, Section};
use super::session::PageActor;
use crate::WebState;
use askama::Template;
use axum::extract::State;
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
    /// A manager's customers per person in scope (counts only).
    pub figures: Option<Figures>,
    /// Open alerts about people in the reader's scope: how many, and the newest few.
    pub alerts: Option<(usize, Vec<AlertLine>)>,
    /// Export requests waiting for the reader's decision (none: no card).
    pub exports_awaiting: Option<usize>,
    /// Access review items waiting for the reader's decision (none: no card).
    pub reviews_awaiting: Option<usize>,
    /// The store manager's staff serving a notice period or frozen with a book still in
    /// their hands (none: no card).
    pub staff_notes: Vec<StaffNote>,
}

/// A line of the store manager's staff card.
#[derive(Debug, Clone)]
pub struct StaffNote {
    pub id: String,
    pub name: String,
    /// The last day, or "still holds N customers, M leads".
    pub text: String,
    pub urgent: bool,
}

/// Who is leaving, and which frozen accounts still hold customers or leads (an
/// automatic freeze with nobody in the team to take over leaves the book for the
/// manager): for store managers only.
async fn staff_notes(state: &WebState, who: &PageActor) -> Vec<StaffNote> {
    let lang = who.lang;
    let actor = &who.actor;
    if !actor.manages_store() {
        return vec![];
    }
    let Ok(staff) = state.app.staff(actor).await else {
        return vec![];
    };
    staff
        .into_iter()
        .filter_map(|m| {
            let frozen = m.account.status == "frozen";
            let text = if frozen && m.has_book() {
                lang.t("home.staff.book_left")
                    .replacen("{}", &m.customers.to_string(), 1)
                    .replacen("{}", &(m.open_leads + m.open_follow_ups).to_string(), 1)
            } else if !frozen && m.account.status == "active" {
                lang.t1("home.staff.leaving", m.leaving_on.as_deref()?)
            } else {
                return None;
            };
            Some(StaffNote {
                id: m.account.id,
                name: m.account.display_name,
                text,
                urgent: frozen,
            })
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct Figures {
    pub scope: &'static str,
    pub total: i64,
    /// (name, customers, share of the largest in percent, for the bar).
    pub owners: Vec<(String, i64, i64)>,
}

/// The newest open alerts a manager's home shows.
const HOME_ALERTS: usize = 5;

/// The cards of the pages a role may open, beside the customer pages (shown to every
/// role, below the customer cards of those who have them).
fn capabilities(who: &PageActor) -> Vec<Capability> {
    let (actor, lang) = (&who.actor, who.lang);
    let mut caps = Vec::new();
    if actor.may(Entity::Vehicle, Action::View) {
        caps.push(Capability {
            href: "/vehicles",
            title: lang.t("cap.stock"),
            desc: lang.t("cap.stock.desc"),
            action: lang.t("cap.stock.go"),
        });
    }
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
    if actor.may(Entity::Settings, Action::Edit) {
        for (href, key) in [
            ("/admin/alerts", "cap.alert_admin"),
            ("/admin/honeytokens", "cap.honeytokens"),
        ] {
            caps.push(Capability {
                href,
                title: lang.t(key),
                desc: lang.t(&format!("{key}.desc")),
                action: lang.t(&format!("{key}.go")),
            });
        }
    }
    // Those who oversee the access reviews (`App::start_access_review` decides), and the
    // managers who review their staff (the navigation has no room for them).
    if dealervault_app::reviews::oversees(actor) || actor.may(Entity::Customer, Action::Assign) {
        caps.push(Capability {
            href: "/reviews",
            title: lang.t("cap.reviews"),
            desc: lang.t("cap.reviews.desc"),
            action: lang.t("cap.reviews.go"),
        });
    }
    if actor.may(Entity::AuditLog, Action::View) {
        caps.push(Capability {
            href: "/audit",
            title: lang.t("cap.audit"),
            desc: lang.t("cap.audit.desc"),
            action: lang.t("cap.audit.go"),
        });
        caps.push(Capability {
            href: "/audit/trace",
            title: lang.t("trace.title"),
            desc: lang.t("trace.link.desc"),
            action: lang.t("trace.submit"),
        });
    }
    caps
}

/// A manager's figures, in words and bar widths.
async fn figures(state: &WebState, who: &PageActor) -> Option<Figures> {
    let lang = who.lang;
    // A failure here costs the home page its figures, not the page itself.
    let f = state.app.team_figures(&who.actor).await.ok()??;
    let largest = f.owners.first().map_or(1, |o| o.customers.max(1));
    Some(Figures {
        scope: lang.t(&format!("perm.scope.{}", f.scope.code())),
        total: f.total,
        owners: f
            .owners
            .into_iter()
            .map(|o| (o.owner, o.customers, o.customers * 100 / largest))
            .collect(),
    })
}

async fn open_alerts(state: &WebState, who: &PageActor) -> Option<(usize, Vec<AlertLine>)> {
    if !who.actor.may(Entity::Alert, Action::View) {
        return None;
    }
    let open = state.app.list_alerts(&who.actor, true).await.ok()?;
    let newest = open
        .iter()
        .take(HOME_ALERTS)
        .map(|a| line(who.lang, a))
        .collect();
    Some((open.len(), newest))
}

pub async fn show(State(state): State<WebState>, who: PageActor) -> Response {
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
    } else if actor.may(Entity::Vehicle, Action::View) {
        // The stock card below says what the role is for.
        None
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
        // Those who assign customers — the managers — see how they are spread.
        figures: if actor.may(Entity::Customer, Action::Assign) {
            figures(&state, &who).await
        } else {
            None
        },
        alerts: open_alerts(&state, &who).await,
        exports_awaiting: (who.exports_awaiting > 0).then_some(who.exports_awaiting),
        staff_notes: staff_notes(&state, &who).await,
        reviews_awaiting: (who.reviews_awaiting > 0).then_some(who.reviews_awaiting),
    };
    render(StatusCode::OK, &template)
}
