//! Quotes and orders (报价/订单): the deal list, the quote form of a lead, and the deal
//! page with its steps (sign, allocate a vehicle, record payments, deliver, cancel).
//! Every page calls the same use cases as the JSON API.

mod actions;
mod detail;
mod list;
mod quote;

use super::i18n::Lang;
use crate::WebState;
use axum::routing::{get, post};
use axum::Router;
use dealervault_app::deals::DealView;
use dealervault_domain::values::Fen;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/deals", get(list::show))
        .route("/leads/{id}/quotes/new", get(quote::new))
        .route("/leads/{id}/quotes", post(quote::create))
        .route("/deals/{id}", get(detail::show))
        .route("/deals/{id}/order", post(actions::order))
        .route("/deals/{id}/allocate", post(actions::allocate))
        .route("/deals/{id}/payments", post(actions::pay))
        .route("/deals/{id}/deliver", post(actions::deliver))
        .route("/deals/{id}/cancel", post(actions::cancel))
}

/// Governed fields that hold fen.
const AMOUNTS: [&str; 9] = [
    "price",
    "discount",
    "accessories_price",
    "insurance_premium",
    "loan_amount",
    "trade_in_value",
    "total",
    "deposit",
    "paid",
];

/// Coded fields, by the catalog prefix of their words.
const CODED: [(&str, &str); 2] = [
    ("insurance_plan", "insurance_plan"),
    ("financing", "financing"),
];

/// Fen as `¥189,900.00`.
pub fn money(fen: i64) -> String {
    Fen::from_fen(fen).map_or_else(|| fen.to_string(), |f| format!("¥{f}"))
}

/// A shown deal value in words, `None` when hidden: amounts in yuan, codes
/// translated, the loan term in months; masked values as they are.
pub fn text(lang: Lang, view: &DealView, name: &str) -> Option<String> {
    let value = view.field(name)?;
    let masked = view.masked.iter().any(|m| m == name);
    Some(match value {
        None => lang.t("value.empty").to_string(),
        Some(v) if masked => v,
        Some(v) if AMOUNTS.contains(&name) => v.parse().map_or(v, money),
        Some(v) if name == "loan_term_months" => lang.t1("quote.months", v),
        Some(v) => match CODED.iter().find(|(field, _)| *field == name) {
            Some((_, prefix)) => lang.code_label(prefix, &v),
            None => v,
        },
    })
}

pub fn label(lang: Lang, name: &str) -> &'static str {
    lang.label_of_deal(name)
}

/// The deal's state in words.
pub fn state_label(lang: Lang, code: &str) -> String {
    lang.code_label("deal.state", code)
}

/// What the deal is called in lists and headings: its contract number once signed,
/// else its model.
pub fn heading(lang: Lang, view: &DealView) -> String {
    view.field("contract_number")
        .flatten()
        .or_else(|| view.field("model").flatten())
        .unwrap_or_else(|| lang.t("deal.title").to_string())
}
