//! The test-drive pages on the page path, on every backend: a salesperson books a car
//! from the lead's page (a bad licence is refused on that page), completes the drive on
//! its page (not without the waiver), and finds it on the store's schedule; the licence
//! never appears in clear in any page, customer care reads the feedback without it, and
//! another store's salesperson finds nothing.

mod common;

use axum::http::StatusCode;
use common::browser::shows;
use common::{on_every_backend, TestApp};
use serde_json::json;

/// The value of the first option of the select named `name`.
fn first_option(html: &str, name: &str) -> String {
    let select = html.find(&format!(r#"name="{name}""#)).expect("the select");
    let marker = r#"<option value=""#;
    let at = html[select..].find(marker).expect("an option") + select + marker.len();
    html[at..].split('"').next().unwrap_or_default().to_string()
}

async fn lead(t: &TestApp) -> String {
    let token = t.login("sales01").await;
    let body = json!({"name": "页面试驾客户", "mobile": t.fresh_customer(700).mobile, "source": "walk_in"});
    let (status, json, _) = t.post("/api/v1/leads?assign=me", Some(&token), body).await;
    assert_eq!(status, StatusCode::CREATED, "[{}] {json}", t.backend());
    json["id"].as_str().expect("id").to_string()
}

#[tokio::test]
async fn a_test_drive_is_booked_completed_and_scheduled_through_the_pages() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let lead = lead(&t).await;
        let licence = t.fresh_customer(700).id_number;
        let mut browser = t.browser();
        browser.login("sales01").await;
        let page = browser.get(&format!("/leads/{lead}")).await;
        assert_eq!(page.status, StatusCode::OK, "[{b}]");
        assert!(
            page.body
                .contains(&format!(r#"action="/leads/{lead}/test-drives""#)),
            "[{b}] the booking form"
        );
        let car = first_option(&page.body, "vehicle_id");
        let csrf = page.csrf();
        let book = format!("/leads/{lead}/test-drives");

        let mut form = vec![
            ("csrf", csrf.as_str()),
            ("vehicle_id", car.as_str()),
            ("starts_at", "2030-06-01T10:00"),
            ("duration_minutes", "60"),
            ("licence_number", "110105194912310020"),
        ];
        let refused = browser.post(&book, &form).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(
            refused.body.contains("alert-error"),
            "[{b}] the refusal is shown"
        );
        form[4] = ("licence_number", licence.as_str());
        let booked = browser.post(&book, &form).await;
        assert_eq!(
            booked.status,
            StatusCode::SEE_OTHER,
            "[{b}] {}",
            booked.body
        );
        let drive = booked.location().to_string();
        assert!(
            drive.starts_with("/test-drives/") && drive.ends_with("?done=booked"),
            "[{b}] {drive}"
        );
        let page = browser.get(&drive).await;
        assert_eq!(page.status, StatusCode::OK, "[{b}]");
        assert!(!shows(&page.body, &licence), "[{b}] licence in clear");
        assert!(
            page.body.contains(&format!(
                "{}***************{}",
                &licence[..1],
                &licence[16..]
            )),
            "[{b}] masked licence"
        );
        let id = drive
            .trim_start_matches("/test-drives/")
            .trim_end_matches("?done=booked")
            .to_string();

        let complete = format!("/test-drives/{id}/complete");
        let csrf = page.csrf();
        let feedback = "页面试驾反馈：喜欢天窗";
        let no_waiver = browser
            .post(&complete, &[("csrf", &csrf), ("feedback", feedback)])
            .await;
        assert_eq!(no_waiver.status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let done = browser
            .post(
                &complete,
                &[
                    ("csrf", &csrf),
                    ("feedback", feedback),
                    ("waiver_signed", "1"),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "[{b}] {}", done.body);
        let page = browser.get(&format!("/leads/{lead}")).await;
        assert!(
            shows(&page.body, feedback),
            "[{b}] the lead page lists the drive"
        );
        let schedule = browser.get("/test-drives?day=2030-06-01").await;
        assert_eq!(schedule.status, StatusCode::OK, "[{b}]");
        assert!(
            schedule.body.contains(&format!("/test-drives/{id}")),
            "[{b}] on the schedule"
        );
        assert!(!shows(&schedule.body, &licence), "[{b}]");

        // Customer care: the feedback, not the licence in any form.
        let mut care = t.browser();
        care.login("crm01").await;
        let page = care.get(&format!("/test-drives/{id}")).await;
        assert_eq!(page.status, StatusCode::OK, "[{b}]");
        assert!(shows(&page.body, feedback), "[{b}]");
        assert!(
            !page.body.contains(r#"data-field="licence_number""#),
            "[{b}] hidden licence shown"
        );
        assert!(
            !page.body.contains("***************"),
            "[{b}] not even masked"
        );
        // Another store's salesperson: exactly a missing page.
        let mut other = t.browser();
        other.login("sales11").await;
        let page = other.get(&format!("/test-drives/{id}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "[{b}]");
        t
    })
    .await;
}
