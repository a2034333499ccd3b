//! `/exports`: the requests waiting for the reader's decision first (the in-app notice),
//! then their own, then the store's others they approve for.

use super::super::errors::{self, render};
use super::super::i18n::Lang;
use super::super::layout::{local_time, Layout, Section};
use super::super::session::PageActor;
use super::{format_label, status_badge, status_label};
use crate::WebState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_app::exports::ExportView;
use dealervault_domain::catalog::Entity;
use dealervault_policy::Action;

/// One request as a row of a table.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub requested: String,
    pub requester: String,
    pub purpose: String,
    pub rows: u64,
    pub format: String,
    pub status_code: String,
    pub status: String,
    pub badge: &'static str,
    /// Decide-by while pending, download-by once approved; blank otherwise.
    pub deadline: String,
}

fn row(lang: Lang, v: &ExportView) -> Row {
    let deadline = match v.status.as_str() {
        "pending" => local_time(v.decide_by),
        "approved" | "ready" => v.download_until.map(local_time).unwrap_or_default(),
        _ => String::new(),
    };
    Row {
        id: v.id.clone(),
        requested: local_time(v.requested_at),
        requester: v.requested_by_name.clone(),
        purpose: v.purpose.clone(),
        rows: v.row_count,
        format: format_label(lang, &v.format),
        status_code: v.status.clone(),
        status: status_label(lang, &v.status),
        badge: status_badge(&v.status),
        deadline,
    }
}

/// One table of the page: its heading, a line under it, and its rows.
#[derive(Debug, Clone)]
pub struct Group {
    pub id: &'static str,
    pub title: &'static str,
    pub hint: Option<&'static str>,
    /// The requests waiting for the reader: set apart.
    pub urgent: bool,
    /// Others' requests name who asked.
    pub requester: bool,
    pub rows: Vec<Row>,
    /// Words for an empty table; an empty group without them is left out.
    pub empty: Option<&'static str>,
}

#[derive(Debug, Template)]
#[template(path = "exports/list.html")]
pub struct ListPage {
    pub page: Layout,
    pub groups: Vec<Group>,
    pub can_request: bool,
    pub can_set_rules: bool,
}

pub async fn show(State(state): State<WebState>, who: PageActor) -> Response {
    let lang = who.lang;
    let list = match state.app.list_exports(&who.actor).await {
        Ok(list) => list,
        Err(e) => return errors::app_error(&who, &e),
    };
    let rows = |views: &[ExportView]| views.iter().map(|v| row(lang, v)).collect();
    let actor = &who.actor;
    let can_request = actor.may(Entity::Customer, Action::Export);
    let groups = [
        Group {
            id: "awaiting",
            title: lang.t("exports.awaiting"),
            hint: Some(lang.t("exports.awaiting.hint")),
            urgent: true,
            requester: true,
            rows: rows(&list.awaiting_me),
            empty: None,
        },
        Group {
            id: "mine",
            title: lang.t("exports.mine"),
            hint: None,
            urgent: false,
            requester: false,
            rows: rows(&list.mine),
            empty: can_request.then(|| lang.t("exports.mine.empty")),
        },
        Group {
            id: "others",
            title: lang.t("exports.others"),
            hint: None,
            urgent: false,
            requester: true,
            rows: rows(&list.others),
            empty: None,
        },
    ]
    .into_iter()
    .filter(|g| !g.rows.is_empty() || g.empty.is_some())
    .collect();
    let page = ListPage {
        page: Layout::for_actor(&who, lang.t("exports.title"), Section::Exports).at("/exports"),
        groups,
        can_request,
        // The same test `App::export_rules` makes: the store's manager.
        can_set_rules: actor.store_code().is_some()
            && actor.may_store_wide(Entity::Customer, Action::Export),
    };
    render(StatusCode::OK, &page)
}
