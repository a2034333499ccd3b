//! `/staff/{id}/handover`: the handover chosen one by one. The person's customers and
//! open leads are listed through the same lists as everywhere (the manager's own field
//! plan, audited as such), a page at a time, each with a colleague to pick; what is left
//! on "keep" stays for later. The same address takes the detail page's whole-book
//! handover (to one colleague, or round-robin).

use super::super::customers::Cell;
use super::super::errors::{self, render};
use super::super::i18n::Lang;
use super::super::layout::{local_time, Layout, Section};
use super::super::pager::{page_number, pager, PageLink};
use super::super::session::PageActor;
use super::detail::{self, moved, ColleagueOption, RuleFields, Typed};
use crate::WebState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::customers::CustomerListQuery;
use dealervault_app::leads::LeadListQuery;
use dealervault_app::users::{Assignment, HandedOver, HandoverEntity, HandoverInput};
use dealervault_app::AppError;
use serde::Deserialize;

/// Records on one page of the wizard.
const PER_PAGE: u32 = 25;

#[derive(Debug, Clone)]
pub struct Row {
    /// The select's name: `customer:ID` or `lead:ID`.
    pub key: String,
    pub name: String,
    pub mobile: String,
    pub mobile_masked: bool,
    pub detail: String,
}

#[derive(Debug, Template)]
#[template(path = "staff/handover.html")]
pub struct HandoverPage {
    pub page: Layout,
    pub csrf: String,
    pub id: String,
    pub name: String,
    pub tab: &'static str,
    pub rows: Vec<Row>,
    pub customers_total: i64,
    pub leads_total: i64,
    pub colleagues: Vec<ColleagueOption>,
    pub current: u32,
    pub pages: u32,
    pub pager: Vec<PageLink>,
    pub notice: Option<String>,
    pub alert: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct WizardQuery {
    tab: Option<String>,
    page: Option<String>,
    done: Option<String>,
    #[serde(default)]
    c: u32,
    #[serde(default)]
    l: u32,
}

fn tab_of(s: Option<&str>) -> &'static str {
    match s {
        Some("leads") => "leads",
        _ => "customers",
    }
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Query(q): Query<WizardQuery>,
) -> Response {
    let notice = (q.done.as_deref() == Some("handed"))
        .then(|| moved(who.lang, "staff.done.handed", q.c, q.l, 0));
    let tab = tab_of(q.tab.as_deref());
    let current = page_number(q.page.as_deref());
    wizard(
        &state,
        &who,
        &id,
        tab,
        current,
        StatusCode::OK,
        notice,
        None,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn wizard(
    state: &WebState,
    who: &PageActor,
    id: &str,
    tab: &'static str,
    current: u32,
    status: StatusCode,
    notice: Option<String>,
    alert: Option<String>,
) -> Response {
    let lang = who.lang;
    let app = &state.app;
    let detail = match app.staff_detail(&who.actor, id).await {
        Ok(detail) => detail,
        Err(e) => return errors::app_error(who, &e),
    };
    let member = &detail.member;
    let (rows, total) = match tab {
        "leads" => {
            let query = LeadListQuery {
                status: Some("open".into()),
                owner: Some(member.account.id.clone()),
                page: Some(current),
                per_page: Some(PER_PAGE),
                ..LeadListQuery::default()
            };
            match app.list_leads(&who.actor, query).await {
                Ok(found) => (lead_rows(lang, &found.items), found.total),
                Err(e) => return errors::app_error(who, &e),
            }
        }
        _ => {
            let query = CustomerListQuery {
                owner: Some(member.account.id.clone()),
                page: Some(current),
                per_page: Some(PER_PAGE),
                ..CustomerListQuery::default()
            };
            match app.list_customers(&who.actor, query).await {
                Ok(found) => (customer_rows(lang, &found.items), found.total),
                Err(e) => return errors::app_error(who, &e),
            }
        }
    };
    let pages = u32::try_from(total.div_ceil(u64::from(PER_PAGE)))
        .unwrap_or(u32::MAX)
        .max(1);
    let colleagues = ColleagueOption::all(lang, &detail.colleagues);
    let name = member.account.display_name.clone();
    let page = HandoverPage {
        page: Layout::for_actor(who, lang.t("staff.pick.title"), Section::Staff)
            .at(&format!("/staff/{id}/handover"))
            .watermarked(state),
        csrf: who.csrf().to_string(),
        id: member.account.id.clone(),
        name,
        tab,
        rows,
        customers_total: member.customers,
        leads_total: member.open_leads,
        colleagues,
        current,
        pages,
        pager: pager(current, pages),
        notice,
        alert,
    };
    render(status, &page)
}

fn customer_rows(lang: Lang, items: &[dealervault_app::customers::CustomerView]) -> Vec<Row> {
    items
        .iter()
        .map(|c| {
            let name = Cell::of(lang, c, "name")
                .map(|c| c.text)
                .unwrap_or_default();
            let mobile = Cell::of(lang, c, "mobile");
            Row {
                key: format!("customer:{}", c.id),
                name,
                mobile_masked: mobile.as_ref().is_some_and(|m| m.masked),
                mobile: mobile.map(|m| m.text).unwrap_or_default(),
                detail: format!(
                    "{} {}",
                    lang.t("staff.pick.since"),
                    local_time(c.created_at)
                ),
            }
        })
        .collect()
}

fn lead_rows(lang: Lang, items: &[dealervault_app::leads::LeadView]) -> Vec<Row> {
    use super::super::leads::{status, text};
    items
        .iter()
        .map(|l| {
            let mobile = text(lang, l, "mobile");
            let model = text(lang, l, "intended_model").map(|(t, _)| t);
            Row {
                key: format!("lead:{}", l.id),
                name: text(lang, l, "name").map(|(t, _)| t).unwrap_or_default(),
                mobile_masked: mobile.as_ref().is_some_and(|(_, masked)| *masked),
                mobile: mobile.map(|(t, _)| t).unwrap_or_default(),
                detail: [Some(status(lang, &l.status)), model]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
            }
        })
        .collect()
}

/// The picks of a one-by-one page: `customer:ID` / `lead:ID` → a colleague's id; the
/// records left on "keep" are not named.
fn assignments(pairs: &[(String, String)]) -> Vec<Assignment> {
    pairs
        .iter()
        .filter(|(_, to)| !to.trim().is_empty())
        .filter_map(|(key, to)| {
            let (entity, id) = key.split_once(':')?;
            let entity = match entity {
                "customer" => HandoverEntity::Customer,
                "lead" => HandoverEntity::Lead,
                _ => return None,
            };
            Some(Assignment {
                entity,
                id: id.to_string(),
                to_user_id: to.trim().to_string(),
            })
        })
        .collect()
}

pub async fn submit(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if let Some(refused) = who.csrf_refusal(field("csrf")) {
        return refused;
    }
    let lang = who.lang;
    if field("rule") == Some("one_by_one") {
        let tab = tab_of(field("tab"));
        let current = page_number(field("page"));
        let chosen = assignments(&pairs);
        if chosen.is_empty() {
            let alert = Some(lang.t("staff.pick.none").to_string());
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return wizard(&state, &who, &id, tab, current, status, None, alert).await;
        }
        let input = HandoverInput::OneByOne {
            assignments: chosen,
        };
        return match state.app.hand_over_now(&who.actor, &id, &input).await {
            Ok(h) => Redirect::to(&format!(
                "/staff/{id}/handover?tab={tab}&done=handed&c={}&l={}",
                h.customers, h.leads
            ))
            .into_response(),
            Err(AppError::Invalid(_)) => {
                // A record handed over meanwhile, or a colleague gone: the page again,
                // as it is now.
                let alert = Some(lang.t("staff.pick.stale").to_string());
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                wizard(&state, &who, &id, tab, current, status, None, alert).await
            }
            Err(e) => errors::app_error(&who, &e),
        };
    }
    let rule = RuleFields {
        rule: field("rule").unwrap_or_default().to_string(),
        to_user_id: field("to_user_id").unwrap_or_default().to_string(),
    };
    let input = match rule.parse(lang) {
        Ok(input) => input,
        Err(errors) => {
            let outcome = detail::Outcome {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                alert: Some(lang.t("form.fix").to_string()),
                errors,
                ..detail::Outcome::default()
            };
            return detail::page(&state, &who, &id, outcome).await;
        }
    };
    match state.app.hand_over_now(&who.actor, &id, &input).await {
        Ok(HandedOver {
            customers,
            leads,
            follow_ups,
            ..
        }) => Redirect::to(&format!(
            "/staff/{id}?done=handed&c={customers}&l={leads}&f={follow_ups}"
        ))
        .into_response(),
        Err(e) => detail::refused(&state, &who, &id, e, Typed::default()).await,
    }
}
