//! `/reviews/{id}`: a campaign — its counts per store for the administrator and the
//! auditor — and every item in the reader's reach, with its reviewer and decision.

use super::super::done::Done;
use super::super::errors::{self, render};
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::index::{campaign_row, CampaignRow};
use super::{card, ItemCard};
use crate::WebState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;

/// A store's counts, as a row.
#[derive(Debug, Clone)]
pub struct StoreLine {
    pub store: String,
    pub total: i64,
    pub decided: i64,
    pub open: i64,
    pub removed: i64,
    pub escalated: i64,
    pub overdue: i64,
}

#[derive(Debug, Template)]
#[template(path = "reviews/campaign.html")]
pub struct CampaignPage {
    pub page: Layout,
    pub campaign: CampaignRow,
    pub oversees: bool,
    pub stores: Vec<StoreLine>,
    pub items: Vec<ItemCard>,
    pub notice: Option<String>,
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let lang = who.lang;
    let detail = match state.app.access_review(&who.actor, &id).await {
        Ok(d) => d,
        Err(e) => return errors::app_error(&who, &e),
    };
    let stores = detail
        .review
        .stores
        .iter()
        .map(|s| StoreLine {
            store: match (&s.store_code, lang.is_zh()) {
                (None, _) => lang.t("user.group").to_string(),
                (Some(code), true) => format!("{code} {}", s.store_zh.clone().unwrap_or_default()),
                (Some(code), false) => format!("{code} {}", s.store_en.clone().unwrap_or_default()),
            },
            total: s.progress.total,
            decided: s.progress.decided,
            open: s.progress.open,
            removed: s.progress.removed,
            escalated: s.progress.escalated,
            overdue: s.progress.overdue,
        })
        .collect();
    let campaign = campaign_row(lang, &detail.review);
    let title = lang.t1("reviews.campaign.title", &campaign.quarter);
    let template = CampaignPage {
        page: Layout::for_actor(&who, &title, Section::Reviews).at(&format!("/reviews/{id}")),
        campaign,
        oversees: dealervault_app::reviews::oversees(&who.actor),
        stores,
        items: detail.items.iter().map(|v| card(lang, v)).collect(),
        notice: done.notice(lang, "reviews"),
    };
    render(StatusCode::OK, &template)
}
