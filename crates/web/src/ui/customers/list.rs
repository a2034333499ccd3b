//! `/customers`: the list, paged and sorted. Searching is a form post, so that names,
//! mobile numbers and ID numbers typed into it never land in the address bar, the
//! browser history or an access log.

use super::super::errors::{self, render};
use super::super::i18n::{Lang, SOURCE_CODES};
use super::super::layout::{local_time, Layout, Section};
use super::super::pager::{page_number, pager, PageLink};
use super::super::session::PageActor;
use super::Cell;
use crate::WebState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use dealervault_app::customers::{CustomerListQuery, CustomerView, OwnerFigure};
use dealervault_app::AppError;
use dealervault_domain::catalog::Entity;
use dealervault_policy::{Action, FieldLevel};
use serde::Deserialize;

const PER_PAGE: u32 = 20;
const SORTS: [&str; 3] = ["updated_desc", "created_desc", "created_asc"];
/// Governed fields shown as list columns (when the role sees them): enough to tell
/// customers apart, nothing more.
const COLUMNS: [&str; 4] = ["name", "mobile", "gender", "source"];

/// Paging and sorting by link (no search terms).
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    page: Option<String>,
    sort: Option<String>,
}

/// The search form. Also carries paging and sorting while a search is on.
#[derive(Debug, Default, Deserialize)]
pub struct SearchForm {
    csrf: Option<String>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    mobile: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    source: String,
    sort: Option<String>,
    page: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub cells: Vec<Cell>,
    pub owner: String,
    pub updated: String,
}

/// An option of a filter select (`""`: any).
#[derive(Debug, Clone)]
pub struct FilterOption {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Clone)]
pub struct SortOption {
    pub code: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(Debug, Template)]
#[template(path = "customers/list.html")]
pub struct ListPage {
    pub page: Layout,
    pub csrf: String,
    pub q: String,
    pub mobile: String,
    pub id_number: String,
    pub sort: String,
    /// Filter by owner (roles that see more than their own customers).
    pub owners: Vec<FilterOption>,
    /// Filter by source (roles that see it in clear).
    pub sources: Vec<FilterOption>,
    pub q_error: Option<String>,
    pub mobile_error: Option<String>,
    pub id_number_error: Option<String>,
    pub show_mobile_search: bool,
    pub show_id_number_search: bool,
    pub sorts: Vec<SortOption>,
    pub columns: Vec<&'static str>,
    pub owner_label: &'static str,
    pub updated_label: &'static str,
    pub rows: Vec<Row>,
    pub total: u64,
    pub current: u32,
    pub pages: u32,
    pub pager: Vec<PageLink>,
    /// Search terms are set: the pager submits the search form instead of linking.
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
}

#[derive(Default)]
struct Criteria {
    q: String,
    mobile: String,
    id_number: String,
    owner: String,
    source: String,
    sort: String,
    page: u32,
}

impl Criteria {
    /// Search terms or filters are set: the pager then posts the search form.
    fn searching(&self) -> bool {
        [
            &self.q,
            &self.mobile,
            &self.id_number,
            &self.owner,
            &self.source,
        ]
        .iter()
        .any(|s| !s.trim().is_empty())
    }
}

fn sort_code(s: Option<&str>) -> String {
    s.filter(|s| SORTS.contains(s))
        .unwrap_or(SORTS[0])
        .to_string()
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Query(q): Query<ListQuery>,
) -> Response {
    let criteria = Criteria {
        sort: sort_code(q.sort.as_deref()),
        page: page_number(q.page.as_deref()),
        ..Criteria::default()
    };
    list(&state, &who, criteria).await
}

pub async fn search(
    State(state): State<WebState>,
    who: PageActor,
    Form(form): Form<SearchForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let criteria = Criteria {
        sort: sort_code(form.sort.as_deref()),
        page: page_number(form.page.as_deref()),
        q: form.q,
        mobile: form.mobile,
        id_number: form.id_number,
        owner: form.owner,
        source: form.source,
    };
    list(&state, &who, criteria).await
}

async fn list(state: &WebState, who: &PageActor, c: Criteria) -> Response {
    if !who.actor.may(Entity::Customer, Action::View) {
        return errors::app_error(who, &AppError::Forbidden);
    }
    let lang = who.lang;
    let query = CustomerListQuery {
        q: Some(c.q.clone()),
        mobile: Some(c.mobile.clone()),
        id_number: Some(c.id_number.clone()),
        owner: Some(c.owner.clone()),
        source: Some(c.source.clone()),
        page: Some(c.page),
        per_page: Some(PER_PAGE),
        sort: Some(c.sort.clone()),
    };
    let mut errors = FieldErrors::default();
    let mut found = state.app.list_customers(&who.actor, query.clone()).await;
    // A page past the end (a stale link) shows the last page instead.
    if let Ok(p) = &found {
        let last = u32::try_from(p.total.div_ceil(u64::from(PER_PAGE))).unwrap_or(u32::MAX);
        if p.items.is_empty() && last >= 1 && c.page > last {
            found = state
                .app
                .list_customers(
                    &who.actor,
                    CustomerListQuery {
                        page: Some(last),
                        ..query
                    },
                )
                .await;
        }
    }
    let (items, total, status) = match found {
        Ok(found) => (found.items, found.total, StatusCode::OK),
        Err(AppError::Invalid(list)) => {
            for e in &list {
                errors.set(e.field, lang.rule(e));
            }
            (vec![], 0, StatusCode::UNPROCESSABLE_ENTITY)
        }
        // With view rights, a refusal means a search on a field this role cannot see.
        Err(AppError::Forbidden) if c.searching() => {
            let msg = lang.t("search.forbidden").to_string();
            if !c.source.trim().is_empty() {
                errors.q = Some(lang.t("search.forbidden_filter").to_string());
            } else if !c.id_number.trim().is_empty() {
                errors.id_number = Some(msg);
            } else if !c.mobile.trim().is_empty() {
                errors.mobile = Some(msg);
            } else {
                errors.q = Some(msg);
            }
            (vec![], 0, StatusCode::FORBIDDEN)
        }
        Err(e) => return errors::app_error(who, &e),
    };
    // The people whose customers the role sees (nobody for own-scope roles).
    let owners = match state.app.team_figures(&who.actor).await {
        Ok(Some(f)) => f.owners,
        _ => vec![],
    };
    let template = build(state, who, c, &items, total, errors, &owners);
    render(status, &template)
}

#[derive(Debug, Default)]
struct FieldErrors {
    q: Option<String>,
    mobile: Option<String>,
    id_number: Option<String>,
}

impl FieldErrors {
    fn set(&mut self, field: &str, message: String) {
        match field {
            "mobile" => self.mobile = Some(message),
            "id_number" => self.id_number = Some(message),
            _ => self.q = Some(message),
        }
    }
}

fn build(
    state: &WebState,
    who: &PageActor,
    c: Criteria,
    items: &[CustomerView],
    total: u64,
    errors: FieldErrors,
    owners: &[OwnerFigure],
) -> ListPage {
    let lang = who.lang;
    let any = |selected: &str| FilterOption {
        code: String::new(),
        label: lang.t("filter.any").to_string(),
        selected: selected.is_empty(),
    };
    let owner_options = std::iter::once(any(&c.owner))
        .chain(owners.iter().map(|o| FilterOption {
            code: o.id.clone(),
            label: o.owner.clone(),
            selected: o.id == c.owner,
        }))
        .collect();
    let source_options = std::iter::once(any(&c.source))
        .chain(SOURCE_CODES.iter().map(|code| FilterOption {
            code: (*code).to_string(),
            label: lang.code_label("source", code),
            selected: *code == c.source,
        }))
        .collect();
    // A column (and a search box) appears only for a field the role sees; the use case
    // refuses a search on a hidden field all the same.
    let sees = |field: &str| who.actor.field_level(Entity::Customer, field) > FieldLevel::Hidden;
    let columns: Vec<&'static str> = COLUMNS.iter().copied().filter(|f| sees(f)).collect();
    let rows = items
        .iter()
        .map(|v| Row {
            id: v.id.clone(),
            cells: columns
                .iter()
                .filter_map(|f| Cell::of(lang, v, f))
                .collect(),
            owner: v.owner_name.clone(),
            updated: local_time(v.updated_at),
        })
        .collect();
    let pages = u32::try_from(total.div_ceil(u64::from(PER_PAGE)))
        .unwrap_or(u32::MAX)
        .max(1);
    let current = c.page.min(pages);
    ListPage {
        page: Layout::for_actor(who, lang.t("customers.title"), Section::Customers)
            .at("/customers")
            .watermarked(state),
        csrf: who.csrf().to_string(),
        searching: c.searching(),
        show_mobile_search: sees("mobile"),
        show_id_number_search: sees("id_number"),
        owners: if owners.is_empty() {
            vec![]
        } else {
            owner_options
        },
        // Filtering by a value shows it: only for roles that see it in clear.
        sources: if who.actor.field_level(Entity::Customer, "source") >= FieldLevel::Clear {
            source_options
        } else {
            vec![]
        },
        sorts: SORTS
            .iter()
            .map(|code| SortOption {
                code,
                label: sort_label(lang, code),
                selected: *code == c.sort,
            })
            .collect(),
        columns: columns.iter().map(|f| lang.field_label(f)).collect(),
        owner_label: lang.field_label("owner_id"),
        updated_label: lang.field_label("updated_at"),
        rows,
        total,
        current,
        pages,
        pager: pager(current, pages),
        create: who.actor.may(Entity::Customer, Action::Create),
        q: c.q,
        mobile: c.mobile,
        id_number: c.id_number,
        sort: c.sort,
        q_error: errors.q,
        mobile_error: errors.mobile,
        id_number_error: errors.id_number,
    }
}

fn sort_label(lang: Lang, code: &str) -> &'static str {
    match code {
        "created_desc" => lang.t("sort.created_desc"),
        "created_asc" => lang.t("sort.created_asc"),
        _ => lang.t("sort.updated_desc"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_input_is_forgiving() {
        assert_eq!(sort_code(Some("created_asc")), "created_asc");
        assert_eq!(sort_code(Some("drop table")), "updated_desc");
    }
}
