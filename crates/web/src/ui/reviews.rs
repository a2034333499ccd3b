//! Access reviews (权限复核): the reviewer's list of accounts to keep or remove (one form
//! per account, two buttons, no script needed), the administrator's and auditor's start
//! form and campaign progress, a campaign's items, and the "who can see what" report
//! with its CSV. Every page calls the same use cases as the JSON API.

mod campaign;
mod decide;
mod index;
mod report;

use super::i18n::Lang;
use crate::WebState;
use axum::routing::{get, post};
use axum::Router;
use dealervault_app::reviews::{PlaceView, ReviewItemView, RightsSnapshot, RowScope};
use dealervault_domain::catalog::Entity;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/reviews", get(index::show).post(index::start))
        .route("/reviews/report", get(report::show))
        .route("/reviews/report.csv", get(report::csv))
        .route("/reviews/{id}", get(campaign::show))
        .route("/reviews/items/{id}/decision", post(decide::decide))
}

/// Where an account sits, in words: store · department · team, or the group.
pub fn place_text(lang: Lang, p: &PlaceView) -> String {
    let zh = lang.is_zh();
    let pick = |z: &Option<String>, e: &Option<String>| if zh { z.clone() } else { e.clone() };
    let parts: Vec<String> = [
        pick(&p.store_zh, &p.store_en),
        pick(&p.department_zh, &p.department_en),
        p.team.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        lang.t("user.group").to_string()
    } else {
        parts.join(" · ")
    }
}

/// A snapshot's rights in words: per entity the actions and how far each reaches, and
/// the fields seen in clear and masked.
#[derive(Debug, Clone, Default)]
pub struct RightsLines {
    /// (entity, "view: own · edit: own …").
    pub rows: Vec<(String, String)>,
    pub clear: Vec<String>,
    pub masked: Vec<String>,
}

/// Row scopes in words, one line per entity: (entity, "view own · edit own …").
pub fn rows_text(lang: Lang, scopes: &[RowScope]) -> Vec<(String, String)> {
    let mut rows: Vec<(String, Vec<String>)> = vec![];
    for scope in scopes {
        let entity = lang.code_label("perm.entity", &scope.entity);
        let mut text = format!(
            "{} {}",
            lang.code_label("perm.action", &scope.action),
            lang.code_label("perm.scope", &scope.scope)
        );
        if let Some(except) = &scope.except {
            text.push_str(&lang.t1("reviews.except", lang.code_label("perm.scope", except)));
        }
        match rows.iter_mut().find(|(e, _)| *e == entity) {
            Some((_, actions)) => actions.push(text),
            None => rows.push((entity, vec![text])),
        }
    }
    rows.into_iter()
        .map(|(e, actions)| (e, actions.join(" · ")))
        .collect()
}

pub fn rights_lines(lang: Lang, r: &RightsSnapshot) -> RightsLines {
    let label = |name: &String| -> String {
        let (entity, field) = name.split_once('.').unwrap_or(("", name));
        match Entity::from_code(entity) {
            Some(e) if e == Entity::Customer => lang.label_of(e, field).to_string(),
            Some(e) => format!(
                "{}·{}",
                lang.code_label("perm.entity", entity),
                lang.label_of(e, field)
            ),
            None => name.clone(),
        }
    };
    RightsLines {
        rows: rows_text(lang, &r.rows),
        clear: r.clear.iter().map(label).collect(),
        masked: r.masked.iter().map(label).collect(),
    }
}

/// An item as a card of the reviewer's list or a row of a campaign's table.
#[derive(Debug, Clone)]
pub struct ItemCard {
    pub id: String,
    pub quarter: String,
    pub name: String,
    pub username: String,
    pub role: String,
    pub place: String,
    /// The account's status when it is not active any more, in words.
    pub inactive: Option<String>,
    pub status_code: String,
    pub status: String,
    pub badge: &'static str,
    pub reviewer: String,
    pub due_on: String,
    pub overdue: bool,
    pub escalated: bool,
    /// What changed since the snapshot, in words.
    pub changed: Vec<&'static str>,
    pub rights: RightsLines,
    pub decided: Option<String>,
    pub comment: String,
    pub may_decide: bool,
    /// A refused decision on this card: the words, and the comment as typed.
    pub error: Option<String>,
    pub typed: String,
}

pub fn card(lang: Lang, v: &ReviewItemView) -> ItemCard {
    let mut changed = vec![];
    if v.changed.role {
        changed.push(lang.t("reviews.changed.role"));
    }
    if v.changed.place {
        changed.push(lang.t("reviews.changed.place"));
    }
    if v.changed.rights && !v.changed.role {
        changed.push(lang.t("reviews.changed.rights"));
    }
    let badge = match v.status.as_str() {
        "kept" => "badge-success",
        "removed" => "badge-danger",
        _ if v.overdue => "badge-overdue",
        _ => "badge-warning",
    };
    let decided = v.decided_by.as_ref().map(|by| {
        let at = v
            .decided_at
            .map(super::layout::local_time)
            .unwrap_or_default();
        format!("{} {} · {at}", by.display_name, by.username)
    });
    ItemCard {
        id: v.id.clone(),
        quarter: v.quarter.clone(),
        name: v.account.display_name.clone(),
        username: v.account.username.clone(),
        role: if lang.is_zh() {
            v.role.name_zh.clone()
        } else {
            v.role.name_en.clone()
        },
        place: place_text(lang, &v.place),
        inactive: (v.account_status != "active")
            .then(|| lang.code_label("reviews.account", &v.account_status)),
        status_code: v.status.clone(),
        status: lang.code_label("reviews.status", &v.status),
        badge,
        reviewer: v.reviewer.as_ref().map_or_else(
            || lang.t("reviews.reviewer.none").to_string(),
            |r| format!("{} {}", r.display_name, r.username),
        ),
        due_on: v.due_on.clone(),
        overdue: v.overdue,
        escalated: v.escalated_at.is_some(),
        changed,
        rights: rights_lines(lang, &v.rights),
        decided,
        comment: v.comment.clone(),
        may_decide: v.may_decide,
        error: None,
        typed: String::new(),
    }
}
