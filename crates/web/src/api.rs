//! The JSON API, version 1: bearer-token sessions, customers through the gate, the audit
//! log for the auditor and account administration. Every answer that is not a success
//! has the shape `{"error": {"code", "message"}}` (see [`error`]); the OpenAPI document
//! at `/api/v1/openapi.json` is generated from the handlers below.

mod access_reviews;
mod alert_admin;
mod alerts;
mod audit;
mod auth;
mod customers;
mod deals;
pub mod error;
pub(crate) mod exports;
pub mod extract;
mod fallback;
mod field_rules;
mod follow_ups;
mod leads;
mod me;
mod mfa;
pub mod openapi;
mod reports;
mod roles;
mod settings;
mod staff;
mod test_drives;
mod users;
mod vehicles;

pub use error::{ApiError, ErrorBody};
pub use extract::{ApiActor, ApiJson, ApiQuery};

use crate::WebState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get, post, put};
use axum::Router;

/// No API request needs more: a customer record is a few hundred bytes.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// A leaked file sent for tracing: the reader's own limit.
pub const TRACE_LIMIT_BYTES: usize = 64 * 1024 * 1024;

/// Every route under `/api`.
pub fn routes() -> Router<WebState> {
    let v1 = Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/password", post(auth::change_password))
        .route("/auth/mfa", get(mfa::status))
        .route("/auth/mfa/setup", post(mfa::setup))
        .route("/auth/mfa/confirm", post(mfa::confirm))
        .route("/auth/mfa/recovery-codes", post(mfa::regenerate))
        .route("/users/{id}/mfa", get(mfa::account))
        .route("/users/{id}/mfa/reset", post(mfa::reset))
        .route("/me", get(me::me))
        .route("/customers", get(customers::list).post(customers::create))
        .route(
            "/customers/{id}",
            get(customers::detail).patch(customers::edit),
        )
        .route("/customers/{id}/reveal", post(customers::reveal))
        .route("/customers/{id}/ownership", get(customers::ownership))
        .route(
            "/customers/{id}/access-history",
            get(customers::access_history),
        )
        .route("/leads", get(leads::list).post(leads::create))
        .route("/leads/pool", get(leads::pool))
        .route("/leads/{id}", get(leads::detail).patch(leads::edit))
        .route("/leads/{id}/status", post(leads::status))
        .route("/leads/{id}/reveal", post(leads::reveal))
        .route("/leads/{id}/claim", post(leads::claim))
        .route("/leads/{id}/assign", post(leads::assign))
        .route("/leads/{id}/release", post(leads::release))
        .route("/leads/{id}/convert", post(leads::convert))
        .route("/leads/{id}/follow-ups", post(follow_ups::create))
        .route("/lead-rules", get(leads::rules).put(leads::save_rules))
        .route("/follow-ups", get(follow_ups::list))
        .route("/follow-ups/{id}/complete", post(follow_ups::complete))
        .route("/leads/{id}/quotes", post(deals::quote))
        .route("/deals", get(deals::list))
        .route("/deals/{id}", get(deals::detail))
        .route("/deals/{id}/order", post(deals::order))
        .route("/deals/{id}/allocate", post(deals::allocate))
        .route("/deals/{id}/payments", post(deals::pay))
        .route("/deals/{id}/deliver", post(deals::deliver))
        .route("/deals/{id}/cancel", post(deals::cancel))
        .route(
            "/leads/{id}/test-drives",
            get(test_drives::of_lead).post(test_drives::book),
        )
        .route("/test-drives", get(test_drives::day))
        .route("/test-drives/{id}", get(test_drives::detail))
        .route("/test-drives/{id}/complete", post(test_drives::complete))
        .route("/test-drives/{id}/cancel", post(test_drives::cancel))
        .route("/exports", get(exports::list).post(exports::request))
        .route(
            "/exports/trace",
            post(exports::trace).layer(DefaultBodyLimit::max(TRACE_LIMIT_BYTES)),
        )
        .route("/exports/{id}", get(exports::detail))
        .route("/exports/{id}/approve", post(exports::approve))
        .route("/exports/{id}/reject", post(exports::reject))
        .route("/exports/{id}/download", get(exports::download))
        .route(
            "/export-rules",
            get(exports::rules).put(exports::save_rules),
        )
        .route("/vehicles", get(vehicles::list).post(vehicles::create))
        .route(
            "/vehicles/{id}",
            get(vehicles::detail).patch(vehicles::edit),
        )
        .route("/reports/stock-age", get(vehicles::stock_age))
        .route("/reports/funnel", get(reports::funnel))
        .route("/audit", get(audit::list))
        .route("/audit/people/{username}", get(audit::timeline))
        .route("/roles", get(roles::list).post(roles::create))
        .route("/roles/preview", post(roles::preview))
        .route("/roles/{code}", get(roles::detail).put(roles::update))
        .route("/settings", get(settings::show).put(settings::update))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}", axum::routing::patch(users::change))
        .route("/users/{id}/reset-password", post(users::reset_password))
        .route(
            "/org-units",
            get(users::org_units).post(users::add_org_unit),
        )
        .route("/users/{id}/disable", post(users::disable))
        .route("/users/{id}/enable", post(users::enable))
        .route("/users/{id}/freeze", post(users::freeze))
        .route("/users/{id}/resignation", post(users::resignation))
        .route("/users/{id}/risk-report", get(users::risk_report))
        .route("/users/{id}/handover", post(staff::hand_over))
        .route("/staff", get(staff::list))
        .route("/staff/{id}", get(staff::detail))
        .route("/alerts", get(alerts::list))
        .route("/alerts/{id}", get(alerts::detail))
        .route("/alerts/{id}/acknowledge", post(alerts::acknowledge))
        .route("/alerts/{id}/comments", post(alerts::comment))
        .route(
            "/alert-rules",
            get(alert_admin::rules).put(alert_admin::update_rules),
        )
        .route(
            "/alert-webhook",
            get(alert_admin::webhook).put(alert_admin::set_webhook),
        )
        .route(
            "/alert-email",
            get(alert_admin::email).put(alert_admin::set_email),
        )
        .route("/alert-stores", get(alert_admin::stores))
        .route("/alert-stores/{code}", put(alert_admin::set_store))
        .route(
            "/honeytokens",
            get(alert_admin::honeytokens).post(alert_admin::plant),
        )
        .route("/honeytokens/{id}/retire", post(alert_admin::retire))
        .route(
            "/access-reviews",
            get(access_reviews::list).post(access_reviews::start),
        )
        .route("/access-reviews/{id}", get(access_reviews::detail))
        .route(
            "/access-reviews/items/{id}/decision",
            post(access_reviews::decide),
        )
        .route("/access-report", get(access_reviews::report))
        .route("/openapi.json", get(openapi::document));
    Router::new()
        .nest("/api/v1", v1)
        .route("/api", any(fallback::unknown_route))
        .route("/api/", any(fallback::unknown_route))
        .route("/api/{*rest}", any(fallback::unknown_route))
        .layer(axum::middleware::from_fn(fallback::shape_errors))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
}
