//! The deal page's steps, each a form post that calls one use case: back to the deal
//! after a redirect when it worked, the deal page with the refusal when it did not.

use super::super::errors;
use super::super::i18n::Lang;
use super::super::session::PageActor;
use super::detail::{page, Outcome};
use super::label;
use crate::WebState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::deals::{AllocationInput, DealView, OrderInput, PaymentInput};
use dealervault_app::vehicles::Amount;
use dealervault_app::AppError;
use serde::Deserialize;
use std::future::Future;

/// Every step's form: the token and whatever the step needs.
#[derive(Debug, Deserialize)]
pub struct StepForm {
    csrf: Option<String>,
    #[serde(default)]
    contract_number: String,
    #[serde(default)]
    deposit: String,
    #[serde(default)]
    deposit_method: String,
    #[serde(default)]
    delivery_date: String,
    #[serde(default)]
    vehicle_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    received_on: String,
}

/// The words for a refused input of the deal page's forms.
fn input_label(lang: Lang, field: &str) -> &'static str {
    match field {
        "deposit_method" => lang.t("deal.deposit_method"),
        "vehicle_id" => lang.t("deal.vehicle"),
        "kind" => lang.t("deal.payment.kind"),
        "method" => lang.t("deal.payment.method"),
        "amount" => lang.t("deal.payment.amount"),
        "received_on" => lang.t("deal.payment.received_on"),
        other => label(lang, other),
    }
}

/// Checks the token, runs the step, and answers.
async fn step<F, Fut>(
    state: &WebState,
    who: &PageActor,
    id: &str,
    form: &StepForm,
    done: &str,
    call: F,
) -> Response
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<DealView, AppError>>,
{
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let lang = who.lang;
    let e = match call().await {
        Ok(_) => return Redirect::to(&format!("/deals/{id}?done={done}")).into_response(),
        Err(e) => e,
    };
    let label = |field: &str| input_label(lang, field);
    let Some(alert) = errors::refusal_alert(lang, &e, label, "deal") else {
        return errors::app_error(who, &e);
    };
    let outcome = Outcome {
        alert: Some(alert),
        ..Outcome::default()
    };
    page(state, who, id, errors::status_of(&e), outcome).await
}

fn given(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

pub async fn order(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Response {
    let input = OrderInput {
        contract_number: form.contract_number.clone(),
        deposit: given(&form.deposit).map(Amount::Yuan),
        deposit_method: given(&form.deposit_method),
        delivery_date: given(&form.delivery_date),
        vehicle_id: given(&form.vehicle_id),
    };
    let call = || state.app.place_order(&who.actor, &id, &input);
    step(&state, &who, &id, &form, "ordered", call).await
}

pub async fn allocate(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Response {
    let input = AllocationInput {
        vehicle_id: form.vehicle_id.clone(),
    };
    let call = || state.app.allocate_vehicle(&who.actor, &id, &input);
    step(&state, &who, &id, &form, "allocated", call).await
}

pub async fn pay(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Response {
    let input = PaymentInput {
        kind: form.kind.clone(),
        method: form.method.clone(),
        amount: Amount::Yuan(form.amount.clone()),
        received_on: given(&form.received_on),
    };
    let call = || state.app.record_payment(&who.actor, &id, &input);
    step(&state, &who, &id, &form, "paid", call).await
}

pub async fn deliver(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Response {
    let call = || state.app.deliver_order(&who.actor, &id);
    step(&state, &who, &id, &form, "delivered", call).await
}

pub async fn cancel(
    State(state): State<WebState>,
    who: PageActor,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Response {
    let call = || state.app.cancel_deal(&who.actor, &id);
    step(&state, &who, &id, &form, "cancelled", call).await
}
