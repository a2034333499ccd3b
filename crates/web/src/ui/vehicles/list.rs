//! `/vehicles`: the stock list. VINs and models are no one's personal data, so the
//! search is a plain GET form and every filter lives in the address (links can be
//! shared and bookmarked).

use super::super::errors::{self, render};
use super::super::i18n::Lang;
use super::super::layout::{Layout, Section};
use super::super::pager::{page_number, pager, PageLink};
use super::super::session::encode_path;
use super::super::session::PageActor;
use super::{cell, status_badge, status_label, AGED_DAYS};
use crate::WebState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_app::vehicles::{VehicleListQuery, VehicleView};
use dealervault_app::AppError;
use dealervault_domain::catalog::Entity;
use dealervault_domain::sales::VehicleStatus;
use dealervault_policy::{Action, FieldLevel};
use serde::Deserialize;

const PER_PAGE: u32 = 20;
const SORTS: [&str; 3] = ["arrived_asc", "arrived_desc", "updated_desc"];

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    model: String,
    #[serde(default)]
    vin: String,
    sort: Option<String>,
    page: Option<String>,
}

/// A status chip: a link to the list with that status (or all).
#[derive(Debug, Clone)]
pub struct Chip {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Debug, Clone)]
pub struct SortOption {
    pub code: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub vin: String,
    pub model: String,
    pub trim: String,
    pub colour: String,
    pub status: String,
    pub badge: &'static str,
    pub price: String,
    pub arrived: String,
    pub days: Option<i64>,
    pub aged: bool,
}

#[derive(Debug, Template)]
#[template(path = "vehicles/list.html")]
pub struct ListPage {
    pub page: Layout,
    pub chips: Vec<Chip>,
    pub status: String,
    pub model: String,
    pub vin: String,
    pub model_error: Option<String>,
    pub vin_error: Option<String>,
    pub show_model_search: bool,
    pub sorts: Vec<SortOption>,
    pub rows: Vec<Row>,
    pub total: u64,
    pub current: u32,
    pub pages: u32,
    pub pager: Vec<PageLink>,
    /// The list's query without the page, for the pager's links.
    pub base: String,
    pub searching: bool,
    pub create: bool,
}

impl ListPage {
    pub fn prev(&self) -> Option<u32> {
        (self.current > 1).then(|| self.current - 1)
    }

    pub fn next(&self) -> Option<u32> {
        (self.current < self.pages).then(|| self.current + 1)
    }

    /// The list as it is, at page `n`.
    pub fn page_href(&self, n: impl std::fmt::Display) -> String {
        let joint = if self.base.contains('?') { '&' } else { '?' };
        format!("{}{joint}page={n}", self.base)
    }
}

/// `/vehicles?status=…&model=…&vin=…&sort=…` with the given parts (blank ones left out).
fn href(status: &str, model: &str, vin: &str, sort: &str) -> String {
    let parts: Vec<String> = [
        ("status", status),
        ("model", model),
        ("vin", vin),
        ("sort", sort),
    ]
    .iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| format!("{k}={}", encode_path(v.trim())))
    .collect();
    if parts.is_empty() {
        "/vehicles".to_string()
    } else {
        format!("/vehicles?{}", parts.join("&"))
    }
}

fn row(lang: Lang, v: &VehicleView) -> Row {
    let text = |field: &str| {
        cell(lang, v, field)
            .filter(|c| !c.empty)
            .map(|c| c.text)
            .unwrap_or_default()
    };
    Row {
        id: v.id.clone(),
        vin: v.vin.clone(),
        model: text("model"),
        trim: text("trim"),
        colour: text("colour"),
        status: status_label(lang, &v.status),
        badge: status_badge(&v.status),
        price: text("list_price"),
        arrived: v.arrived_on.clone().unwrap_or_default(),
        days: v.days_in_stock,
        aged: v.days_in_stock.is_some_and(|d| d > AGED_DAYS),
    }
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Query(q): Query<ListQuery>,
) -> Response {
    if !who.actor.may(Entity::Vehicle, Action::View) {
        return errors::app_error(&who, &AppError::Forbidden);
    }
    let lang = who.lang;
    let sort = q
        .sort
        .as_deref()
        .filter(|s| SORTS.contains(s))
        .unwrap_or(SORTS[0]);
    let page = page_number(q.page.as_deref());
    let query = VehicleListQuery {
        status: Some(q.status.clone()),
        model: Some(q.model.clone()),
        vin: Some(q.vin.clone()),
        page: Some(page),
        per_page: Some(PER_PAGE),
        sort: Some(sort.to_string()),
    };
    let (mut model_error, mut vin_error) = (None, None);
    let (items, total, status) = match state.app.list_vehicles(&who.actor, query).await {
        Ok(found) => (found.items, found.total, StatusCode::OK),
        Err(AppError::Invalid(list)) => {
            for e in &list {
                let message = Some(lang.rule(e));
                match e.field {
                    "vin" => vin_error = message,
                    _ => model_error = message,
                }
            }
            (vec![], 0, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => return errors::app_error(&who, &e),
    };
    let current_status = VehicleStatus::ALL
        .iter()
        .map(|s| s.code())
        .find(|c| *c == q.status.trim())
        .unwrap_or_default();
    let chips = std::iter::once(("", lang.t("stock.filter.all").to_string()))
        .chain(
            VehicleStatus::ALL
                .iter()
                .map(|s| (s.code(), status_label(lang, s.code()))),
        )
        .map(|(code, label)| Chip {
            href: href(code, &q.model, &q.vin, sort),
            label,
            current: code == current_status,
        })
        .collect();
    let pages = u32::try_from(total.div_ceil(u64::from(PER_PAGE)))
        .unwrap_or(u32::MAX)
        .max(1);
    let current = page.min(pages);
    let template = ListPage {
        page: Layout::for_actor(&who, lang.t("stock.title"), Section::Stock)
            .at("/vehicles")
            .watermarked(&state),
        chips,
        show_model_search: who.actor.field_level(Entity::Vehicle, "model") >= FieldLevel::Clear,
        sorts: SORTS
            .iter()
            .map(|code| SortOption {
                code,
                label: lang.t(&format!("stock.sort.{code}")),
                selected: *code == sort,
            })
            .collect(),
        rows: items.iter().map(|v| row(lang, v)).collect(),
        total,
        current,
        pages,
        pager: pager(current, pages),
        base: href(current_status, &q.model, &q.vin, sort),
        searching: !(q.model.trim().is_empty() && q.vin.trim().is_empty()),
        create: who.actor.may(Entity::Vehicle, Action::Create),
        status: current_status.to_string(),
        model: q.model,
        vin: q.vin,
        model_error,
        vin_error,
    };
    render(status, &template)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_filters_given() {
        assert_eq!(href("", " ", "", ""), "/vehicles");
        assert_eq!(
            href("in_stock", "帕萨特", "", "arrived_asc"),
            format!(
                "/vehicles?status=in_stock&model={}&sort=arrived_asc",
                encode_path("帕萨特")
            )
        );
    }
}
