//! `/deals/{id}`: one deal — its terms, the order, payments and balance — with a form
//! for each step the viewer may take now.

use super::super::choice::Choice;
use super::super::done::Done;
use super::super::errors::{self, render};
use super::super::layout::{local_time, Layout, Section};
use super::super::session::PageActor;
use super::{heading, label, money, state_label, text};
use crate::WebState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_app::deals::DealView;
use dealervault_app::vehicles::VehicleListQuery;
use dealervault_domain::catalog::Entity;
use dealervault_domain::sales::{PaymentKind, PaymentMethod, VehicleStatus};
use dealervault_policy::Action;

/// The terms of the quote, in catalog order; the rest belongs to the order.
const TERMS: [&str; 13] = [
    "model",
    "price",
    "discount",
    "accessories",
    "accessories_price",
    "insurance_plan",
    "insurance_premium",
    "financing",
    "loan_amount",
    "loan_term_months",
    "trade_in",
    "trade_in_value",
    "total",
];
const ORDER: [&str; 4] = ["contract_number", "deposit", "delivery_date", "paid"];

/// One payment as a row: date, kind, method, amount.
#[derive(Debug, Clone)]
pub struct PaymentLine {
    pub received_on: String,
    pub kind: String,
    pub method: String,
    pub amount: String,
}

#[derive(Debug, Template)]
#[template(path = "deals/detail.html")]
pub struct DetailPage {
    pub page: Layout,
    pub csrf: String,
    pub id: String,
    pub heading: String,
    pub state_code: String,
    pub state: String,
    pub terms: Vec<(&'static str, String)>,
    pub order: Vec<(&'static str, String)>,
    pub vehicle: Option<(String, String)>,
    pub balance: Option<String>,
    pub payments: Option<Vec<PaymentLine>>,
    pub record: Vec<(&'static str, String)>,
    pub lead_link: Option<String>,
    pub can: Vec<String>,
    pub vehicles: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub methods: Vec<Choice>,
    pub notice: Option<String>,
    pub alert: Option<String>,
}

impl DetailPage {
    pub fn may(&self, action: &str) -> bool {
        self.can.iter().any(|a| a == action)
    }
}

/// What happened just before this rendering.
#[derive(Debug, Default)]
pub struct Outcome {
    pub notice: Option<String>,
    pub alert: Option<String>,
}

/// Free vehicles of the viewer's stock (in stock first, then in transit), as options.
async fn free_vehicles(state: &WebState, who: &PageActor) -> Vec<Choice> {
    let mut choices = Vec::new();
    for status in [VehicleStatus::InStock, VehicleStatus::InTransit] {
        let query = VehicleListQuery {
            status: Some(status.code().to_string()),
            per_page: Some(100),
            ..VehicleListQuery::default()
        };
        if let Ok(page) = state.app.list_vehicles(&who.actor, query).await {
            choices.extend(page.items.into_iter().map(|v| {
                let model = v.model.clone().flatten().unwrap_or_default();
                let colour = v.colour.clone().flatten().unwrap_or_default();
                let words = format!(
                    "{} · {model} {colour} · {}",
                    v.vin,
                    who.lang.code_label("vehicle.status", &v.status)
                );
                Choice::owned(v.id, words, false)
            }));
        }
    }
    choices
}

async fn build(state: &WebState, who: &PageActor, view: DealView, outcome: Outcome) -> DetailPage {
    let lang = who.lang;
    let rows = |names: &[&'static str]| {
        names
            .iter()
            .filter_map(|n| text(lang, &view, n).map(|t| (label(lang, n), t)))
            .collect::<Vec<_>>()
    };
    let mut record = vec![
        (label(lang, "store_code"), view.store_code.clone()),
        (label(lang, "created_at"), local_time(view.created_at)),
        (label(lang, "updated_at"), local_time(view.updated_at)),
    ];
    if let Some(at) = view.ordered_at {
        record.push((label(lang, "ordered_at"), local_time(at)));
    }
    if let Some(at) = view.delivered_at {
        record.push((label(lang, "delivered_at"), local_time(at)));
    }
    let allocating = view.actions.iter().any(|a| a == "order" || a == "allocate");
    let vehicles = if allocating {
        free_vehicles(state, who).await
    } else {
        Vec::new()
    };
    let payments = view.payments.as_ref().map(|list| {
        list.iter()
            .map(|p| PaymentLine {
                received_on: p.received_on.clone(),
                kind: lang.code_label("payment_kind", &p.kind),
                method: lang.code_label("payment_method", &p.method),
                amount: money(p.amount),
            })
            .collect()
    });
    let path = format!("/deals/{}", view.id);
    DetailPage {
        page: Layout::for_actor(who, lang.t("deal.title"), Section::Deals)
            .at(&path)
            .watermarked(state),
        csrf: who.csrf().to_string(),
        id: view.id.clone(),
        heading: heading(lang, &view),
        state_code: view.state.clone(),
        state: state_label(lang, &view.state),
        terms: rows(&TERMS),
        order: rows(&ORDER),
        vehicle: view.vehicle_id.clone().zip(view.vin.clone()),
        balance: view.balance().map(money),
        payments,
        record,
        lead_link: who
            .actor
            .may(Entity::Lead, Action::View)
            .then(|| format!("/leads/{}", view.lead_id)),
        can: view.actions.clone(),
        vehicles,
        kinds: Choice::list(
            lang,
            "payment_kind",
            PaymentKind::ALL.iter().map(|k| k.code()),
            "payment",
        ),
        methods: Choice::list(
            lang,
            "payment_method",
            PaymentMethod::ALL.iter().map(|m| m.code()),
            "transfer",
        ),
        notice: outcome.notice,
        alert: outcome.alert,
    }
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let notice = done.notice(who.lang, "deal");
    let outcome = Outcome {
        notice,
        ..Outcome::default()
    };
    page(&state, &who, &id, StatusCode::OK, outcome).await
}

/// The deal page with `outcome`, or the error page if the deal cannot be shown.
pub async fn page(
    state: &WebState,
    who: &PageActor,
    id: &str,
    status: StatusCode,
    outcome: Outcome,
) -> Response {
    match state.app.deal(&who.actor, id).await {
        Ok(view) => render(status, &build(state, who, view, outcome).await),
        Err(e) => errors::app_error(who, &e),
    }
}
