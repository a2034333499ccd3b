//! `/leads/{id}/quotes/new`: the quote form of a lead. Amounts are typed in yuan; a
//! refused quote comes back with every value kept and each reason beside its input.

use super::super::choice::Choice;
use super::super::errors::{self, render};
use super::super::form_errors::FormErrors;
use super::super::i18n::Lang;
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::label;
use crate::WebState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use dealervault_app::deals::{QuoteInput, Whole};
use dealervault_app::vehicles::Amount;
use dealervault_app::AppError;
use dealervault_domain::catalog::Entity;
use dealervault_domain::sales::{Financing, InsurancePlan, LOAN_TERMS};
use dealervault_policy::FieldLevel;
use serde::Deserialize;

/// The form as typed. Not `Debug`: it is what a person typed.
#[derive(Deserialize, Default, Clone)]
pub struct QuoteForm {
    csrf: Option<String>,
    #[serde(default)]
    model: String,
    #[serde(default)]
    price: String,
    #[serde(default)]
    discount: String,
    #[serde(default)]
    accessories: String,
    #[serde(default)]
    accessories_price: String,
    #[serde(default)]
    insurance_plan: String,
    #[serde(default)]
    insurance_premium: String,
    #[serde(default)]
    financing: String,
    #[serde(default)]
    loan_amount: String,
    #[serde(default)]
    loan_term_months: String,
    #[serde(default)]
    trade_in: String,
    #[serde(default)]
    trade_in_value: String,
}

impl std::fmt::Debug for QuoteForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("QuoteForm(..)")
    }
}

impl QuoteForm {
    fn value(&self, name: &str) -> &str {
        match name {
            "model" => &self.model,
            "price" => &self.price,
            "discount" => &self.discount,
            "accessories" => &self.accessories,
            "accessories_price" => &self.accessories_price,
            "insurance_premium" => &self.insurance_premium,
            "loan_amount" => &self.loan_amount,
            "trade_in" => &self.trade_in,
            "trade_in_value" => &self.trade_in_value,
            _ => "",
        }
    }

    /// What the use case gets: blank amounts are left out (zero), the rest as typed.
    fn input(&self) -> QuoteInput {
        let amount =
            |text: &str| Some(Amount::Yuan(text.to_string())).filter(|_| !text.trim().is_empty());
        let text = |t: &str| Some(t.to_string()).filter(|t| !t.trim().is_empty());
        let loan = self.financing == Financing::Loan.code();
        QuoteInput {
            model: text(&self.model),
            price: Some(Amount::Yuan(self.price.clone())),
            discount: amount(&self.discount),
            accessories: text(&self.accessories),
            accessories_price: amount(&self.accessories_price),
            insurance_plan: text(&self.insurance_plan),
            insurance_premium: amount(&self.insurance_premium),
            financing: text(&self.financing),
            loan_amount: amount(&self.loan_amount).filter(|_| loan),
            loan_term_months: text(&self.loan_term_months)
                .filter(|_| loan)
                .map(Whole::Text),
            trade_in: text(&self.trade_in),
            trade_in_value: amount(&self.trade_in_value),
        }
    }
}

/// One input of the form: typed text, an amount in yuan, or a choice.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub amount: bool,
    pub required: bool,
    /// A select's options; empty for a text box.
    pub choices: Vec<Choice>,
    pub error: Option<String>,
}

/// The form's inputs in three groups, in the order the sales desk fills them in.
const GROUPS: [(&str, &[&str]); 3] = [
    ("quote.section.vehicle", &["model", "price", "discount"]),
    (
        "quote.section.extras",
        &[
            "accessories",
            "accessories_price",
            "insurance_plan",
            "insurance_premium",
        ],
    ),
    (
        "quote.section.finance",
        &[
            "financing",
            "loan_amount",
            "loan_term_months",
            "trade_in",
            "trade_in_value",
        ],
    ),
];

#[derive(Debug, Template)]
#[template(path = "deals/quote.html")]
pub struct QuotePage {
    pub page: Layout,
    pub csrf: String,
    pub lead_id: String,
    pub lead_name: String,
    pub groups: Vec<(&'static str, Vec<Input>)>,
    pub alert: Option<String>,
}

/// A select's options, the typed one chosen.
fn choices(lang: Lang, name: &str, form: &QuoteForm) -> Vec<Choice> {
    match name {
        "insurance_plan" => Choice::list(
            lang,
            "insurance_plan",
            InsurancePlan::ALL.iter().map(|p| p.code()),
            &form.insurance_plan,
        ),
        "financing" => Choice::list(
            lang,
            "financing",
            Financing::ALL.iter().map(|f| f.code()),
            &form.financing,
        ),
        "loan_term_months" => std::iter::once(Choice::owned(
            String::new(),
            "—".into(),
            form.loan_term_months.is_empty(),
        ))
        .chain(LOAN_TERMS.iter().map(|m| {
            let code = m.to_string();
            let selected = form.loan_term_months == code;
            Choice::owned(code, lang.t1("quote.months", m), selected)
        }))
        .collect(),
        _ => Vec::new(),
    }
}

async fn page(
    state: &WebState,
    who: &PageActor,
    lead_id: &str,
    form: &QuoteForm,
    errors: &FormErrors,
    status: StatusCode,
    alert: Option<String>,
) -> Response {
    let lang = who.lang;
    let detail = match state.app.lead_detail(&who.actor, lead_id).await {
        Ok(d) if d.may_edit => d,
        Ok(_) => return errors::app_error(who, &AppError::Forbidden),
        Err(e) => return errors::app_error(who, &e),
    };
    let writes = |name: &str| who.actor.field_level(Entity::Deal, name) >= FieldLevel::Editable;
    let model = if form.model.is_empty() {
        detail
            .lead
            .field("intended_model")
            .flatten()
            .unwrap_or_default()
            .to_string()
    } else {
        form.model.clone()
    };
    let groups = GROUPS
        .iter()
        .map(|(title, names)| {
            let inputs = names
                .iter()
                .filter(|n| writes(n))
                .map(|name| Input {
                    name,
                    label: label(lang, name),
                    value: if *name == "model" {
                        model.clone()
                    } else {
                        form.value(name).to_string()
                    },
                    amount: name.ends_with("price")
                        || name.ends_with("_value")
                        || matches!(*name, "discount" | "insurance_premium" | "loan_amount"),
                    required: matches!(*name, "model" | "price"),
                    choices: choices(lang, name, form),
                    error: errors.get(name).map(str::to_string),
                })
                .collect();
            (lang.t(title), inputs)
        })
        .collect();
    let page = QuotePage {
        page: Layout::for_actor(who, lang.t("quote.title"), Section::Leads)
            .at(&format!("/leads/{lead_id}/quotes/new"))
            .watermarked(state),
        csrf: who.csrf().to_string(),
        lead_id: lead_id.to_string(),
        lead_name: detail
            .lead
            .field("name")
            .flatten()
            .unwrap_or("—")
            .to_string(),
        groups,
        alert,
    };
    render(status, &page)
}

pub async fn new(
    State(state): State<WebState>,
    who: PageActor,
    Path(lead_id): Path<String>,
) -> Response {
    let form = QuoteForm::default();
    page(
        &state,
        &who,
        &lead_id,
        &form,
        &FormErrors::default(),
        StatusCode::OK,
        None,
    )
    .await
}

pub async fn create(
    State(state): State<WebState>,
    who: PageActor,
    Path(lead_id): Path<String>,
    Form(form): Form<QuoteForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let lang = who.lang;
    match state
        .app
        .create_quote(&who.actor, &lead_id, &form.input())
        .await
    {
        Ok(view) => Redirect::to(&format!("/deals/{}?done=quoted", view.id)).into_response(),
        Err(AppError::Invalid(refused)) => {
            let errors = FormErrors::of(lang, &refused);
            let alert = refused
                .iter()
                .find(|e| e.field == "status")
                .map(|e| lang.rule(e))
                .or_else(|| Some(lang.t("form.fix").to_string()));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&state, &who, &lead_id, &form, &errors, status, alert).await
        }
        Err(e) => errors::app_error(&who, &e),
    }
}
