//! `/deals`: the quotes and orders the viewer may see, by state.

use super::super::errors::{self, render};
use super::super::layout::{local_time, Layout, Section};
use super::super::session::PageActor;
use super::{heading, state_label, text};
use crate::WebState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_app::deals::DealListQuery;
use dealervault_domain::sales::DealState;

/// One deal as a row.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub heading: String,
    pub state_code: String,
    pub state: String,
    pub model: String,
    pub total: String,
    pub delivery_date: String,
    pub updated: String,
}

/// A state tab: label, link, whether current.
#[derive(Debug, Clone)]
pub struct Tab {
    pub label: String,
    pub href: String,
    pub active: bool,
}

#[derive(Debug, Template)]
#[template(path = "deals/list.html")]
pub struct ListPage {
    pub page: Layout,
    pub tabs: Vec<Tab>,
    pub rows: Vec<Row>,
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Query(query): Query<DealListQuery>,
) -> Response {
    let lang = who.lang;
    let views = match state.app.deals(&who.actor, &query).await {
        Ok(views) => views,
        Err(e) => return errors::app_error(&who, &e),
    };
    let shown = |v, name| text(lang, v, name).unwrap_or_default();
    let rows = views
        .iter()
        .map(|v| Row {
            id: v.id.clone(),
            heading: heading(lang, v),
            state_code: v.state.clone(),
            state: state_label(lang, &v.state),
            model: shown(v, "model"),
            total: shown(v, "total"),
            delivery_date: shown(v, "delivery_date"),
            updated: local_time(v.updated_at),
        })
        .collect();
    let current = query.state.clone().unwrap_or_default();
    let tabs = std::iter::once(("", lang.t("deals.tab.all").to_string()))
        .chain(DealState::ALL.iter().map(|s| {
            (
                s.code(),
                lang.t(&format!("deals.tab.{}", s.code())).to_string(),
            )
        }))
        .map(|(code, label)| Tab {
            label,
            href: if code.is_empty() {
                "/deals".to_string()
            } else {
                format!("/deals?state={code}")
            },
            active: current == code,
        })
        .collect();
    let page = ListPage {
        page: Layout::for_actor(&who, lang.t("deals.title"), Section::Deals)
            .at("/deals")
            .watermarked(&state),
        tabs,
        rows,
    };
    render(StatusCode::OK, &page)
}
