//! Quotes and orders through the API, on every backend: a lead quoted, signed, paid and
//! delivered (vehicle, lead and customer-care calls following), every refusal along the
//! way writing nothing, cancellation giving the vehicle back, and who sees which terms.

mod common;

use axum::http::StatusCode;
use common::{assert_error_shape, on_every_backend, TestApp};
use serde_json::{json, Value};

/// A lead of `username`'s, with a fresh mobile.
async fn lead(t: &TestApp, token: &str, n: u64) -> String {
    let body = json!({
        "name": "成交测试",
        "mobile": t.fresh_customer(n).mobile,
        "source": "walk_in",
        "intended_model": "帕萨特",
    });
    let (status, json, _) = t.post("/api/v1/leads?assign=me", Some(token), body).await;
    assert_eq!(status, StatusCode::CREATED, "[{}] {json}", t.backend());
    json["id"].as_str().expect("id").to_string()
}

fn quote_body() -> Value {
    json!({
        "price": 18_990_000,
        "discount": "12,000",
        "accessories": "脚垫、贴膜、行车记录仪",
        "accessories_price": 350_000,
        "insurance_plan": "comprehensive",
        "insurance_premium": 682_000,
        "financing": "loan",
        "loan_amount": 10_000_000,
        "loan_term_months": 36,
        "trade_in": "2015 款卡罗拉",
        "trade_in_value": 4_000_000,
    })
}

/// 189,900 − 12,000 + 3,500 + 6,820 − 40,000 yuan.
const TOTAL: i64 = 14_822_000;

async fn quote(t: &TestApp, token: &str, lead: &str) -> Value {
    let (status, json, _) = t
        .post(
            &format!("/api/v1/leads/{lead}/quotes"),
            Some(token),
            quote_body(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "[{}] {json}", t.backend());
    json
}

async fn lead_status(t: &TestApp, token: &str, lead: &str) -> String {
    let (_, json, _) = t.get(&format!("/api/v1/leads/{lead}"), Some(token)).await;
    json["lead"]["status"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn vehicle_status(t: &TestApp, token: &str, id: &str) -> String {
    let (_, json, _) = t.get(&format!("/api/v1/vehicles/{id}"), Some(token)).await;
    json["status"].as_str().unwrap_or_default().to_string()
}

/// Free vehicles of the caller's store, in stock.
async fn in_stock(t: &TestApp, token: &str) -> Vec<String> {
    let (status, json, _) = t
        .get("/api/v1/vehicles?status=in_stock&per_page=50", Some(token))
        .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|v| v["id"].as_str().expect("id").to_string())
        .collect()
}

async fn deal_count(t: &TestApp, token: &str, lead: &str) -> usize {
    let (_, json, _) = t
        .get(&format!("/api/v1/deals?lead_id={lead}"), Some(token))
        .await;
    json.as_array().map_or(0, Vec::len)
}

/// The refused request's error code and the fields it names.
fn refusal(b: &str, status: StatusCode, json: &Value) -> (String, Vec<String>) {
    let code = assert_error_shape(b, status, json);
    let fields = json["error"]["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|i| i["field"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    (code, fields)
}

fn today_plus(days: i64) -> String {
    let now = time::OffsetDateTime::now_utc() + time::Duration::hours(8);
    (now.date() + time::Duration::days(days)).to_string()
}

#[tokio::test]
async fn a_lead_is_quoted_signed_paid_and_delivered() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales01 = t.login("sales01").await;
        let lead_id = lead(&t, &sales01, 1).await;

        // Bad quotes: each names its field, and nothing is written.
        let path = format!("/api/v1/leads/{lead_id}/quotes");
        for (body, field) in [
            (json!({"price": 10_000, "discount": 20_000}), "discount"),
            (json!({"price": "12万"}), "price"),
            (json!({"price": -5}), "price"),
            (json!({}), "price"),
            (
                json!({"price": 100_000, "financing": "loan", "loan_amount": 1, "loan_term_months": 7}),
                "loan_term_months",
            ),
            (json!({"price": 100_000, "insurance_plan": "gold"}), "insurance_plan"),
            (json!({"price": 100_000, "trade_in_value": 200_000}), "trade_in_value"),
        ] {
            let (status, json, _) = t.post(&path, Some(&sales01), body.clone()).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {body}: {json}");
            let (code, fields) = refusal(b, status, &json);
            assert_eq!(code, "invalid_input", "[{b}] {json}");
            assert!(fields.iter().any(|f| f == field), "[{b}] {body}: {json}");
        }
        assert_eq!(deal_count(&t, &sales01, &lead_id).await, 0, "[{b}]");
        assert_eq!(lead_status(&t, &sales01, &lead_id).await, "new");

        let quoted = quote(&t, &sales01, &lead_id).await;
        let deal = quoted["id"].as_str().expect("id").to_string();
        assert_eq!(quoted["state"], "quoted");
        assert_eq!(quoted["total"], TOTAL, "[{b}] {quoted}");
        assert_eq!(quoted["model"], "帕萨特", "[{b}] the lead's model by default");
        assert_eq!(lead_status(&t, &sales01, &lead_id).await, "quoted");

        // Bad orders: nothing is written, the vehicle stays free.
        let vehicles = in_stock(&t, &sales01).await;
        let (car, other_car) = (&vehicles[0], &vehicles[1]);
        let order_path = format!("/api/v1/deals/{deal}/order");
        for (body, field) in [
            (json!({"contract_number": "合同一号"}), "contract_number"),
            (
                json!({"contract_number": "SH01-T-001", "delivery_date": "2020-01-01"}),
                "delivery_date",
            ),
            (
                json!({"contract_number": "SH01-T-001", "deposit": 500_000}),
                "deposit_method",
            ),
            (
                json!({"contract_number": "SH01-T-001", "deposit": TOTAL + 1, "deposit_method": "cash"}),
                "deposit",
            ),
            (
                json!({"contract_number": "SH01-T-001", "vehicle_id": "0190a3b4-0000-7000-8000-000000000000"}),
                "vehicle_id",
            ),
        ] {
            let (status, json, _) = t.post(&order_path, Some(&sales01), body.clone()).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {body}: {json}");
            let (_, fields) = refusal(b, status, &json);
            assert!(fields.iter().any(|f| f == field), "[{b}] {body}: {json}");
        }
        let (_, unchanged, _) = t.get(&format!("/api/v1/deals/{deal}"), Some(&sales01)).await;
        assert_eq!(unchanged["state"], "quoted", "[{b}] {unchanged}");
        assert_eq!(vehicle_status(&t, &sales01, car).await, "in_stock");

        let body = json!({
            "contract_number": "sh01-t-001",
            "deposit": 500_000,
            "deposit_method": "wechat_pay",
            "delivery_date": today_plus(10),
            "vehicle_id": car,
        });
        let (status, ordered, _) = t.post(&order_path, Some(&sales01), body).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {ordered}");
        assert_eq!(ordered["state"], "ordered");
        assert_eq!(ordered["contract_number"], "SH01-T-001");
        assert_eq!(ordered["paid"], 500_000);
        assert_eq!(ordered["vin"].as_str().map(str::len), Some(17));
        assert_eq!(vehicle_status(&t, &sales01, car).await, "reserved");
        assert_eq!(lead_status(&t, &sales01, &lead_id).await, "ordered");

        // A second quote of the lead cannot take the same contract number or car.
        let second_lead = lead(&t, &sales01, 2).await;
        let second = quote(&t, &sales01, &second_lead).await;
        let second_order = format!("/api/v1/deals/{}/order", second["id"].as_str().expect("id"));
        let (status, json, _) = t
            .post(&second_order, Some(&sales01), json!({"contract_number": "SH01-T-001"}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "[{b}] {json}");
        assert_eq!(assert_error_shape(b, status, &json), "contract_exists");
        let (status, json, _) = t
            .post(
                &second_order,
                Some(&sales01),
                json!({"contract_number": "SH01-T-002", "vehicle_id": car}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] reserved car: {json}");
        assert_eq!(lead_status(&t, &sales01, &second_lead).await, "quoted");

        // Delivery waits for the money.
        let deliver = format!("/api/v1/deals/{deal}/deliver");
        let (status, json, _) = t.post(&deliver, Some(&sales01), json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
        assert_eq!(refusal(b, status, &json).1, vec!["paid".to_string()]);

        // Payments are finance's: a salesperson sees them but does not record them.
        let pay = format!("/api/v1/deals/{deal}/payments");
        let payment = json!({"kind": "payment", "method": "transfer", "amount": TOTAL - 10_500_000});
        let (status, json, _) = t.post(&pay, Some(&sales01), payment.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] {json}");
        assert_eq!(assert_error_shape(b, status, &json), "field_not_editable");
        let finance = t.login("finance01").await;
        let too_much = json!({"kind": "loan", "method": "lender", "amount": TOTAL});
        let (status, json, _) = t.post(&pay, Some(&finance), too_much).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");
        assert_eq!(refusal(b, status, &json).1, vec!["amount".to_string()]);
        let (status, json, _) = t.post(&pay, Some(&finance), payment).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        let loan = json!({"kind": "loan", "method": "lender", "amount": 10_000_000, "received_on": today_plus(0)});
        let (status, paid, _) = t.post(&pay, Some(&finance), loan).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {paid}");
        assert_eq!(paid["paid"], TOTAL, "[{b}] {paid}");
        assert_eq!(paid["payments"].as_array().map(Vec::len), Some(3));

        // Delivered: vehicle, lead and customer care follow.
        let (status, delivered, _) = t.post(&deliver, Some(&sales01), json!({})).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {delivered}");
        assert_eq!(delivered["state"], "delivered");
        assert!(delivered["actions"].as_array().is_some_and(Vec::is_empty));
        assert_eq!(vehicle_status(&t, &sales01, car).await, "delivered");
        assert_eq!(vehicle_status(&t, &sales01, other_car).await, "in_stock");
        assert_eq!(lead_status(&t, &sales01, &lead_id).await, "delivered");
        let crm = t.login("crm01").await;
        let (status, calls, _) = t.get("/api/v1/follow-ups?when=open", Some(&crm)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {calls}");
        let mut purposes: Vec<&str> = calls
            .as_array()
            .expect("list")
            .iter()
            .filter(|f| f["lead_id"] == lead_id.as_str())
            .filter_map(|f| f["purpose"].as_str())
            .collect();
        purposes.sort_unstable();
        assert_eq!(
            purposes,
            ["after_delivery_1d", "after_delivery_30d", "after_delivery_7d"],
            "[{b}] {calls}"
        );
        let (status, json, _) = t
            .post(&format!("/api/v1/deals/{deal}/cancel"), Some(&sales01), json!({}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {json}");

        // The funnel report counts the delivery (its second lead stays quoted).
        let (status, funnel, _) = t.get("/api/v1/reports/funnel", Some(&sales01)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {funnel}");
        let reached = |stage: &str| {
            funnel["total"]["stages"]
                .as_array()
                .and_then(|s| s.iter().find(|c| c["stage"] == stage))
                .and_then(|c| c["reached"].as_u64())
        };
        assert_eq!(reached("quoted"), Some(2), "[{b}] {funnel}");
        assert_eq!(reached("ordered"), Some(1), "[{b}] {funnel}");
        assert_eq!(reached("delivered"), Some(1), "[{b}] {funnel}");

        // Insurance sees what it sells on, nothing of price or finance.
        let insurance = t.login("insurance01").await;
        let (status, seen, _) = t.get(&format!("/api/v1/deals/{deal}"), Some(&insurance)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {seen}");
        for shown in ["model", "insurance_plan", "insurance_premium", "delivery_date"] {
            assert!(seen.get(shown).is_some(), "[{b}] {shown}: {seen}");
        }
        for hidden in ["price", "discount", "financing", "loan_amount", "paid", "total", "payments"] {
            assert!(seen.get(hidden).is_none(), "[{b}] {hidden}: {seen}");
        }
        t
    })
    .await;
}

#[tokio::test]
async fn a_cancelled_order_gives_back_its_vehicle_and_the_lead_negotiates_again() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let sales02 = t.login("sales02").await;
        let lead_id = lead(&t, &sales02, 3).await;
        let deal = quote(&t, &sales02, &lead_id).await["id"]
            .as_str()
            .expect("id")
            .to_string();
        let car = in_stock(&t, &sales02).await.remove(0);
        let body = json!({"contract_number": "SH01-C-9", "vehicle_id": car});
        let (status, json, _) = t
            .post(&format!("/api/v1/deals/{deal}/order"), Some(&sales02), body)
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        assert_eq!(vehicle_status(&t, &sales02, &car).await, "reserved");

        // Others in the store do not see it; the sales manager and the GM do.
        for (user, expected) in [
            ("sales01", StatusCode::NOT_FOUND),
            ("sales11", StatusCode::NOT_FOUND),
            ("service01", StatusCode::FORBIDDEN),
            ("salesmgr01", StatusCode::OK),
            ("gm01", StatusCode::OK),
        ] {
            let token = t.login(user).await;
            let (status, json, _) = t.get(&format!("/api/v1/deals/{deal}"), Some(&token)).await;
            assert_eq!(status, expected, "[{b}] {user}: {json}");
        }

        let (status, json, _) = t
            .post(
                &format!("/api/v1/deals/{deal}/cancel"),
                Some(&sales02),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {json}");
        assert_eq!(json["state"], "cancelled");
        assert_eq!(vehicle_status(&t, &sales02, &car).await, "in_stock");
        assert_eq!(lead_status(&t, &sales02, &lead_id).await, "quoted");
        t
    })
    .await;
}
