//! A deal's terms as a client sends them, and as they are checked: amounts in fen (or
//! yuan typed into a form), codes from the domain's choices, dates in a window around
//! today. Every refused field is reported at once.

use crate::vehicles::Amount;
use dealervault_domain::error::{FieldError, Rule};
use dealervault_domain::sales::{
    ContractNumber, DealAmounts, Financing, InsurancePlan, PaymentKind, PaymentMethod, LOAN_TERMS,
};
use dealervault_domain::values::{parse_date_within, Fen, Label, Terms};
use time::{Date, Duration};

/// A whole number as it arrives: a JSON number, or digits typed into a form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum Whole {
    Number(i64),
    Text(String),
}

/// A quote (报价) as a form or an API client sends it. Amounts are integer fen in JSON
/// (`18990000` is ¥189,900.00) or yuan as text.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteInput {
    /// The model quoted; the lead's model of interest when not given.
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub price: Option<Amount>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub discount: Option<Amount>,
    /// Accessories (精品) included, as one line of text.
    #[serde(default)]
    pub accessories: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub accessories_price: Option<Amount>,
    /// `none` (default), `compulsory` or `comprehensive`.
    #[serde(default)]
    pub insurance_plan: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub insurance_premium: Option<Amount>,
    /// `cash` (default) or `loan`.
    #[serde(default)]
    pub financing: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub loan_amount: Option<Amount>,
    /// 12, 24, 36, 48 or 60.
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub loan_term_months: Option<Whole>,
    /// The customer's old car taken in part exchange (置换), as one line of text.
    #[serde(default)]
    pub trade_in: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub trade_in_value: Option<Amount>,
}

/// Turning a quote into an order (签约).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderInput {
    pub contract_number: String,
    /// The deposit (定金) taken at signing, if any.
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub deposit: Option<Amount>,
    /// How the deposit was paid; see `PaymentInput::method`.
    #[serde(default)]
    pub deposit_method: Option<String>,
    /// The planned delivery date, `YYYY-MM-DD`, within the coming year.
    #[serde(default)]
    pub delivery_date: Option<String>,
    /// A vehicle of the store's stock to allocate now (it can also come later).
    #[serde(default)]
    pub vehicle_id: Option<String>,
}

/// A payment received on an order.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentInput {
    /// `deposit`, `payment` or `loan`.
    pub kind: String,
    /// `cash`, `card`, `transfer`, `wechat_pay`, `alipay` or `lender`.
    pub method: String,
    #[schema(value_type = i64)]
    pub amount: Amount,
    /// `YYYY-MM-DD`, within the last year; today when not given.
    #[serde(default)]
    pub received_on: Option<String>,
}

/// The vehicle to allocate to an order.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationInput {
    pub vehicle_id: String,
}

/// A quote's terms, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QuoteTerms {
    pub model: String,
    pub amounts: DealAmounts,
    pub total: Fen,
    pub accessories: String,
    pub insurance_plan: InsurancePlan,
    pub financing: Financing,
    /// Amount and term, for a loan.
    pub loan: Option<(Fen, i64)>,
    pub trade_in: String,
    /// The fields the client gave (what must be editable for the actor).
    pub given: Vec<&'static str>,
}

/// An order's terms, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrderTerms {
    pub contract_number: ContractNumber,
    pub deposit: Option<(Fen, PaymentMethod)>,
    pub delivery_date: Option<Date>,
}

/// A payment, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Payment {
    pub kind: PaymentKind,
    pub method: PaymentMethod,
    pub amount: Fen,
    pub received_on: Date,
}

/// The value, or `None` with its refusal noted.
fn keep<T>(errors: &mut Vec<FieldError>, checked: Result<T, FieldError>) -> Option<T> {
    checked.map_err(|e| errors.push(e)).ok()
}

fn blank(text: &Option<String>) -> bool {
    text.as_deref().is_none_or(|t| t.trim().is_empty())
}

/// An optional amount: absent or blank text is zero.
fn amount_or_zero(field: &'static str, given: &Option<Amount>) -> Result<Fen, FieldError> {
    match given {
        None => Ok(Fen::ZERO),
        Some(Amount::Yuan(text)) if text.trim().is_empty() => Ok(Fen::ZERO),
        Some(a) => a.to_fen(field),
    }
}

/// A positive amount.
fn required_amount(field: &'static str, given: &Option<Amount>) -> Result<Fen, FieldError> {
    match given {
        None => Err(FieldError::new(field, Rule::Required)),
        Some(Amount::Yuan(text)) if text.trim().is_empty() => {
            Err(FieldError::new(field, Rule::Required))
        }
        Some(a) => a.to_fen(field).and_then(|fen| positive(field, fen)),
    }
}

fn positive(field: &'static str, fen: Fen) -> Result<Fen, FieldError> {
    if fen > Fen::ZERO {
        Ok(fen)
    } else {
        Err(FieldError::new(field, Rule::InvalidAmount))
    }
}

fn loan_term(given: &Option<Whole>) -> Result<i64, FieldError> {
    let field = "loan_term_months";
    let months = match given {
        None => return Err(FieldError::new(field, Rule::Required)),
        Some(Whole::Number(n)) => *n,
        Some(Whole::Text(t)) if t.trim().is_empty() => {
            return Err(FieldError::new(field, Rule::Required))
        }
        Some(Whole::Text(t)) => t
            .trim()
            .parse()
            .map_err(|_| FieldError::new(field, Rule::UnknownValue))?,
    };
    if LOAN_TERMS.iter().any(|t| i64::from(*t) == months) {
        Ok(months)
    } else {
        Err(FieldError::new(field, Rule::UnknownValue))
    }
}

fn optional_label(field: &'static str, text: &Option<String>) -> Result<String, FieldError> {
    if blank(text) {
        Ok(String::new())
    } else {
        Terms::parse(field, text.as_deref().unwrap_or_default()).map(|t| t.as_str().to_string())
    }
}

impl QuoteInput {
    /// Every field checked; `default_model` is the lead's model of interest.
    pub(crate) fn parse(&self, default_model: &str) -> Result<QuoteTerms, Vec<FieldError>> {
        let mut errors = Vec::new();
        let model_text = if blank(&self.model) {
            default_model
        } else {
            self.model.as_deref().unwrap_or_default()
        };
        let model = keep(
            &mut errors,
            Label::parse("model", model_text).map(|l| l.as_str().to_string()),
        );
        let price = keep(&mut errors, required_amount("price", &self.price));
        let discount = keep(&mut errors, amount_or_zero("discount", &self.discount));
        let accessories = keep(
            &mut errors,
            optional_label("accessories", &self.accessories),
        );
        let accessories_price = keep(
            &mut errors,
            amount_or_zero("accessories_price", &self.accessories_price),
        );
        let insurance_plan = match &self.insurance_plan {
            Some(code) if !code.trim().is_empty() => {
                keep(&mut errors, InsurancePlan::parse("insurance_plan", code))
            }
            _ => Some(InsurancePlan::None),
        };
        let insurance_premium = keep(
            &mut errors,
            amount_or_zero("insurance_premium", &self.insurance_premium),
        );
        let financing = match &self.financing {
            Some(code) if !code.trim().is_empty() => {
                keep(&mut errors, Financing::parse("financing", code))
            }
            _ => Some(Financing::Cash),
        };
        let loan = match financing {
            Some(Financing::Loan) => {
                let amount = keep(
                    &mut errors,
                    required_amount("loan_amount", &self.loan_amount),
                );
                let term = keep(&mut errors, loan_term(&self.loan_term_months));
                amount.zip(term).map(Some)
            }
            _ => Some(None),
        };
        let trade_in = keep(&mut errors, optional_label("trade_in", &self.trade_in));
        let trade_in_value = keep(
            &mut errors,
            amount_or_zero("trade_in_value", &self.trade_in_value),
        );
        let (
            Some(model),
            Some(price),
            Some(discount),
            Some(accessories),
            Some(accessories_price),
            Some(insurance_plan),
            Some(insurance_premium),
            Some(financing),
            Some(loan),
            Some(trade_in),
            Some(trade_in_value),
        ) = (
            model,
            price,
            discount,
            accessories,
            accessories_price,
            insurance_plan,
            insurance_premium,
            financing,
            loan,
            trade_in,
            trade_in_value,
        )
        else {
            return Err(errors);
        };
        let amounts = DealAmounts {
            price,
            discount,
            accessories_price,
            insurance_premium,
            trade_in_value,
        };
        let total = amounts.total().map_err(|e| vec![e])?;
        if loan.is_some_and(|(amount, _)| amount > total) {
            return Err(vec![FieldError::new("loan_amount", Rule::InvalidAmount)]);
        }
        Ok(QuoteTerms {
            model,
            amounts,
            total,
            accessories,
            insurance_plan,
            financing,
            loan,
            trade_in,
            given: self.given(),
        })
    }

    fn given(&self) -> Vec<&'static str> {
        let present = [
            ("model", !blank(&self.model)),
            ("price", self.price.is_some()),
            ("discount", self.discount.is_some()),
            ("accessories", !blank(&self.accessories)),
            ("accessories_price", self.accessories_price.is_some()),
            ("insurance_plan", !blank(&self.insurance_plan)),
            ("insurance_premium", self.insurance_premium.is_some()),
            ("financing", !blank(&self.financing)),
            ("loan_amount", self.loan_amount.is_some()),
            ("loan_term_months", self.loan_term_months.is_some()),
            ("trade_in", !blank(&self.trade_in)),
            ("trade_in_value", self.trade_in_value.is_some()),
        ];
        present
            .into_iter()
            .filter(|(_, given)| *given)
            .map(|(name, _)| name)
            .collect()
    }
}

impl OrderInput {
    /// Every field checked against `today` (the store's date).
    pub(crate) fn parse(&self, today: Date) -> Result<OrderTerms, Vec<FieldError>> {
        let mut errors = Vec::new();
        let contract_number = keep(
            &mut errors,
            ContractNumber::parse("contract_number", &self.contract_number),
        );
        let deposit = match &self.deposit {
            Some(given) if !matches!(given, Amount::Yuan(t) if t.trim().is_empty()) => {
                let amount = keep(
                    &mut errors,
                    given.to_fen("deposit").and_then(|f| positive("deposit", f)),
                );
                let method = keep(
                    &mut errors,
                    PaymentMethod::parse(
                        "deposit_method",
                        self.deposit_method.as_deref().unwrap_or_default(),
                    ),
                );
                amount.zip(method).map(Some)
            }
            _ => Some(None),
        };
        let delivery_date = if blank(&self.delivery_date) {
            Some(None)
        } else {
            let latest = today + Duration::days(366);
            keep(
                &mut errors,
                parse_date_within(
                    "delivery_date",
                    self.delivery_date.as_deref().unwrap_or_default(),
                    today,
                    latest,
                ),
            )
            .map(Some)
        };
        match (contract_number, deposit, delivery_date) {
            (Some(contract_number), Some(deposit), Some(delivery_date)) if errors.is_empty() => {
                Ok(OrderTerms {
                    contract_number,
                    deposit,
                    delivery_date,
                })
            }
            _ => Err(errors),
        }
    }
}

impl PaymentInput {
    /// Every field checked against `today` (the store's date).
    pub(crate) fn parse(&self, today: Date) -> Result<Payment, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = keep(&mut errors, PaymentKind::parse("kind", &self.kind));
        let method = keep(&mut errors, PaymentMethod::parse("method", &self.method));
        let amount = keep(
            &mut errors,
            self.amount
                .to_fen("amount")
                .and_then(|f| positive("amount", f)),
        );
        let received_on = if blank(&self.received_on) {
            Some(today)
        } else {
            keep(
                &mut errors,
                parse_date_within(
                    "received_on",
                    self.received_on.as_deref().unwrap_or_default(),
                    today - Duration::days(366),
                    today,
                ),
            )
        };
        match (kind, method, amount, received_on) {
            (Some(kind), Some(method), Some(amount), Some(received_on)) => Ok(Payment {
                kind,
                method,
                amount,
                received_on,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn quote() -> QuoteInput {
        QuoteInput {
            price: Some(Amount::Fen(18_990_000)),
            discount: Some(Amount::Yuan("12,000".into())),
            financing: Some("loan".into()),
            loan_amount: Some(Amount::Fen(10_000_000)),
            loan_term_months: Some(Whole::Text("36".into())),
            ..QuoteInput::default()
        }
    }

    #[test]
    fn a_quote_totals_its_terms() {
        let terms = quote().parse("帕萨特").expect("valid");
        assert_eq!(terms.model, "帕萨特");
        assert_eq!(terms.total.fen(), 17_790_000);
        assert_eq!(
            terms.loan.map(|(a, t)| (a.fen(), t)),
            Some((10_000_000, 36))
        );
        assert_eq!(
            terms.given,
            vec![
                "price",
                "discount",
                "financing",
                "loan_amount",
                "loan_term_months"
            ]
        );
    }

    #[test]
    fn every_bad_quote_field_is_reported_at_once() {
        let bad = QuoteInput {
            price: Some(Amount::Yuan("-5".into())),
            insurance_plan: Some("gold".into()),
            financing: Some("loan".into()),
            loan_term_months: Some(Whole::Number(7)),
            ..QuoteInput::default()
        };
        let fields: Vec<_> = bad
            .parse("")
            .expect_err("invalid")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                "model",
                "price",
                "insurance_plan",
                "loan_amount",
                "loan_term_months"
            ]
        );
    }

    #[test]
    fn a_loan_above_the_total_is_refused() {
        let mut q = quote();
        q.loan_amount = Some(Amount::Fen(18_000_000));
        let errors = q.parse("帕萨特").expect_err("too much");
        assert_eq!(errors[0].field, "loan_amount");
    }

    #[test]
    fn orders_and_payments_check_their_dates() {
        let today = date!(2026 - 11 - 30);
        let order = OrderInput {
            contract_number: "SH01-2026-0001".into(),
            deposit: Some(Amount::Yuan("5000".into())),
            deposit_method: Some("wechat_pay".into()),
            delivery_date: Some("2026-12-15".into()),
            vehicle_id: None,
        };
        assert!(order.parse(today).is_ok());
        let past = OrderInput {
            delivery_date: Some("2026-11-01".into()),
            deposit_method: None,
            ..order
        };
        let fields: Vec<_> = past
            .parse(today)
            .expect_err("invalid")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["deposit_method", "delivery_date"]);
        let future = PaymentInput {
            kind: "payment".into(),
            method: "card".into(),
            amount: Amount::Fen(100),
            received_on: Some("2026-12-01".into()),
        };
        assert_eq!(
            future.parse(today).expect_err("future")[0].field,
            "received_on"
        );
    }
}
