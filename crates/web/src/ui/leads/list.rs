//! `/leads` (the leads in one's scope) and `/leads/pool` (the public pool): one table,
//! status chips and an overdue filter as plain links, paging; on `/leads`, a search by
//! part of the name, posted so that names stay out of addresses and logs.

use super::super::errors::{self, render};
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::Row;
use crate::WebState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use dealervault_app::leads::{LeadListQuery, LeadPage};
use dealervault_domain::catalog::Entity;
use dealervault_policy::{Action, FieldLevel};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    status: Option<String>,
    due: Option<String>,
    page: Option<u32>,
    notice: Option<String>,
}

/// A filter link: its label, where it goes, whether it is the current one.
#[derive(Debug, Clone)]
pub struct Chip {
    pub label: String,
    pub href: String,
    pub active: bool,
}

#[derive(Debug, Template)]
#[template(path = "leads/list.html")]
pub struct ListPage {
    pub page: Layout,
    pub csrf: String,
    pub pool: bool,
    pub heading: &'static str,
    pub total: u64,
    pub rows: Vec<Row>,
    pub chips: Vec<Chip>,
    pub can_create: bool,
    pub can_claim: bool,
    pub can_see_pool: bool,
    pub can_see_mine: bool,
    pub can_set_rules: bool,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub notice: Option<&'static str>,
    /// The name searched for, shown back in the search box.
    pub q: String,
    pub can_search: bool,
}

/// The name search. Not `Debug`: it is part of a person's name.
#[derive(Deserialize)]
pub struct SearchForm {
    csrf: Option<String>,
    #[serde(default)]
    q: String,
}

/// A search shows its matches on one page.
const SEARCH_PAGE: u32 = 100;

const FILTERS: [&str; 6] = ["open", "new", "contacted", "quoted", "lost", "overdue"];

pub async fn mine(state: State<WebState>, who: PageActor, q: Query<ListParams>) -> Response {
    list(state, who, q, false, String::new()).await
}

pub async fn pool(state: State<WebState>, who: PageActor, q: Query<ListParams>) -> Response {
    list(state, who, q, true, String::new()).await
}

pub async fn search(
    state: State<WebState>,
    who: PageActor,
    Form(form): Form<SearchForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let q = form.q.trim().to_string();
    list(state, who, Query(ListParams::default()), false, q).await
}

async fn list(
    State(state): State<WebState>,
    who: PageActor,
    Query(params): Query<ListParams>,
    pool: bool,
    q: String,
) -> Response {
    let lang = who.lang;
    let searching = !q.is_empty();
    let query = LeadListQuery {
        status: params
            .status
            .clone()
            .filter(|s| s != "overdue" && !s.is_empty()),
        due: params.due.clone(),
        page: params.page,
        per_page: Some(if searching { SEARCH_PAGE } else { 20 }),
        q: Some(q.clone()),
        ..LeadListQuery::default()
    };
    let result = if pool {
        state.app.list_pool(&who.actor, query).await
    } else {
        state.app.list_leads(&who.actor, query).await
    };
    let found: LeadPage = match result {
        Ok(found) => found,
        Err(e) => return errors::app_error(&who, &e),
    };
    let base = if pool { "/leads/pool" } else { "/leads" };
    let current = params
        .due
        .as_deref()
        .map(|_| "overdue")
        .or(params.status.as_deref())
        .unwrap_or("");
    let mut chips = vec![Chip {
        label: lang.t("leads.filter.all").to_string(),
        href: base.to_string(),
        active: current.is_empty(),
    }];
    chips.extend(
        FILTERS
            .iter()
            .filter(|f| !pool || **f != "overdue")
            .map(|f| Chip {
                label: lang.t(&format!("leads.filter.{f}")).to_string(),
                href: if *f == "overdue" {
                    format!("{base}?due=overdue")
                } else {
                    format!("{base}?status={f}")
                },
                active: current == *f,
            }),
    );
    let filter_query = chips
        .iter()
        .find(|c| c.active)
        .and_then(|c| c.href.split_once('?').map(|(_, q)| format!("{q}&")))
        .unwrap_or_default();
    let page_link = |n: u32| format!("{base}?{filter_query}page={n}");
    let last = found.total.div_ceil(u64::from(found.per_page)).max(1);
    let now = state.app.clock().now_ms();
    let actor = &who.actor;
    let section = if pool { Section::Pool } else { Section::Leads };
    let title = if pool { "pool.title" } else { "leads.title" };
    let page = ListPage {
        page: Layout::for_actor(&who, lang.t(title), section)
            .at(base)
            .watermarked(&state),
        csrf: who.csrf().to_string(),
        pool,
        heading: lang.t(title),
        total: found.total,
        rows: found.items.iter().map(|v| Row::of(lang, v, now)).collect(),
        chips,
        can_create: !pool && actor.may(Entity::Lead, Action::Create),
        can_claim: pool,
        can_see_pool: actor.may(Entity::Lead, Action::Claim),
        can_see_mine: actor.may(Entity::Lead, Action::View),
        // The store's rules are for whoever assigns leads store-wide.
        can_set_rules: actor.may_store_wide(Entity::Lead, Action::Assign),
        prev: (found.page > 1).then(|| page_link(found.page - 1)),
        next: (u64::from(found.page) < last).then(|| page_link(found.page + 1)),
        notice: match params.notice.as_deref() {
            Some("claimed") => Some(lang.t("leads.notice.claimed")),
            Some("released") => Some(lang.t("leads.notice.released")),
            _ => None,
        },
        can_search: !pool && actor.field_level(Entity::Lead, "name") >= FieldLevel::Clear,
        q,
    };
    render(StatusCode::OK, &page)
}
