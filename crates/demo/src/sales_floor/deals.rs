//! The deals of the demo's sales floor: quotes priced from the store's own stock,
//! orders that reserve a car, the balance paid at finance and the car handed over, each
//! through the real use cases, so stock, leads, deals and customer-care calls agree.

use dealervault_app::deals::{OrderInput, PaymentInput, QuoteInput, Whole};
use dealervault_app::vehicles::{Amount, VehicleListQuery, VehicleView};
use dealervault_app::{Actor, App, AppError};

/// A free car of the actor's store for a lead interested in `model`: one of that model
/// if the lot has it, else the longest in stock.
async fn car_for(app: &App, actor: &Actor, model: &str) -> Result<Option<VehicleView>, AppError> {
    let query = |model: Option<&str>| VehicleListQuery {
        status: Some("in_stock".into()),
        model: model.map(str::to_string),
        per_page: Some(1),
        ..VehicleListQuery::default()
    };
    let matching = app.list_vehicles(actor, query(Some(model))).await?;
    let page = match matching.items.is_empty() {
        true => app.list_vehicles(actor, query(None)).await?,
        false => matching,
    };
    Ok(page.items.into_iter().next())
}

/// Quotes the lead a car of the stock: its list price less a discount, with insurance,
/// and every other deal on a loan. The deal's id.
pub(crate) async fn quote(
    app: &App,
    actor: &Actor,
    lead: &str,
    model: &str,
    n: usize,
) -> Result<Option<String>, AppError> {
    let Some(car) = car_for(app, actor, model).await? else {
        return Ok(None);
    };
    let list_price = match car.list_price.clone().flatten() {
        Some(dealervault_app::vehicles::Money::Fen(fen)) => fen,
        _ => return Ok(None),
    };
    let loan = n % 2 == 0;
    let input = QuoteInput {
        model: car.model.clone().flatten(),
        price: Some(Amount::Fen(list_price)),
        discount: Some(Amount::Fen(800_000 + (n as i64 % 4) * 200_000)),
        accessories: Some("脚垫、贴膜、行车记录仪".into()),
        accessories_price: Some(Amount::Fen(350_000)),
        insurance_plan: Some("comprehensive".into()),
        insurance_premium: Some(Amount::Fen(650_000)),
        financing: Some(if loan { "loan" } else { "cash" }.into()),
        loan_amount: loan.then_some(Amount::Fen(list_price / 2)),
        loan_term_months: loan.then_some(Whole::Number(36)),
        trade_in: None,
        trade_in_value: None,
    };
    Ok(Some(app.create_quote(actor, lead, &input).await?.id))
}

/// Signs the quote with a deposit, reserving a free car of the quoted model.
pub(crate) async fn order(
    app: &App,
    actor: &Actor,
    deal: &str,
    contract_number: String,
    delivery_date: String,
) -> Result<(), AppError> {
    let quoted = app.deal(actor, deal).await?;
    let model = quoted.field("model").flatten().unwrap_or_default();
    let car = car_for(app, actor, &model).await?;
    let input = OrderInput {
        contract_number,
        deposit: Some(Amount::Fen(500_000)),
        deposit_method: Some("wechat_pay".into()),
        delivery_date: Some(delivery_date),
        vehicle_id: car.map(|c| c.id),
    };
    app.place_order(actor, deal, &input).await.map(drop)
}

/// Finance records the rest: the loan from the lender, the balance by transfer.
pub(crate) async fn settle(app: &App, finance: &Actor, deal: &str) -> Result<(), AppError> {
    let view = app.deal(finance, deal).await?;
    let number = |name| {
        view.field(name)
            .flatten()
            .and_then(|v| v.parse::<i64>().ok())
    };
    let loan = number("loan_amount").unwrap_or(0);
    let owed = view.balance().unwrap_or(0);
    let payments = [
        ("loan", "lender", loan),
        ("payment", "transfer", owed - loan),
    ];
    for (kind, method, amount) in payments.into_iter().filter(|(_, _, a)| *a > 0) {
        let input = PaymentInput {
            kind: kind.into(),
            method: method.into(),
            amount: Amount::Fen(amount),
            received_on: None,
        };
        app.record_payment(finance, deal, &input).await?;
    }
    Ok(())
}
