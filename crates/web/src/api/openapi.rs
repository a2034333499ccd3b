//! The OpenAPI 3 document of the JSON API, generated from the handlers' annotations so
//! that it cannot drift from the routes.

use super::error::{ErrorBody, ErrorDetail, FieldIssue};
use super::{
    access_reviews, alert_admin, alerts, audit, auth, customers, deals, exports, follow_ups, leads,
    me, mfa, reports, roles, settings, staff, test_drives, users, vehicles,
};
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "DealerVault API",
        description = "Customer data behind a security boundary. Log in with \
                       `POST /api/v1/auth/login`, then send `Authorization: Bearer <token>`. \
                       Every error answers `{\"error\": {\"code\", \"message\"}}`; a record \
                       outside the caller's scope answers exactly like a missing one (404). \
                       Masked values contain `*`; a field hidden from the caller's role is \
                       absent from the object.",
        license(name = "AGPL-3.0-only"),
    ),
    paths(
        auth::login,
        auth::logout,
        auth::change_password,
        mfa::status,
        mfa::setup,
        mfa::confirm,
        mfa::regenerate,
        me::me,
        customers::list,
        customers::create,
        customers::detail,
        customers::edit,
        customers::reveal,
        customers::ownership,
        customers::access_history,
        leads::list,
        leads::pool,
        leads::create,
        leads::detail,
        leads::edit,
        leads::status,
        leads::reveal,
        leads::claim,
        leads::assign,
        leads::release,
        leads::convert,
        leads::rules,
        leads::save_rules,
        follow_ups::list,
        follow_ups::create,
        follow_ups::complete,
        deals::list,
        deals::detail,
        deals::quote,
        deals::order,
        deals::allocate,
        deals::pay,
        deals::deliver,
        deals::cancel,
        exports::request,
        exports::list,
        exports::detail,
        exports::approve,
        exports::reject,
        exports::download,
        exports::rules,
        exports::save_rules,
        exports::trace,
        test_drives::day,
        test_drives::of_lead,
        test_drives::book,
        test_drives::detail,
        test_drives::complete,
        test_drives::cancel,
        vehicles::list,
        vehicles::create,
        vehicles::detail,
        vehicles::edit,
        vehicles::stock_age,
        reports::funnel,
        audit::list,
        audit::timeline,
        roles::list,
        roles::create,
        roles::detail,
        roles::update,
        roles::preview,
        settings::show,
        settings::update,
        users::list,
        users::create,
        users::change,
        users::reset_password,
        users::org_units,
        users::add_org_unit,
        users::disable,
        users::enable,
        users::freeze,
        users::resignation,
        users::risk_report,
        staff::list,
        staff::detail,
        staff::hand_over,
        mfa::account,
        mfa::reset,
        alerts::list,
        alerts::detail,
        alerts::acknowledge,
        alerts::comment,
        alert_admin::rules,
        alert_admin::update_rules,
        alert_admin::webhook,
        alert_admin::set_webhook,
        alert_admin::email,
        alert_admin::set_email,
        alert_admin::stores,
        alert_admin::set_store,
        alert_admin::honeytokens,
        alert_admin::plant,
        alert_admin::retire,
        access_reviews::start,
        access_reviews::list,
        access_reviews::detail,
        access_reviews::decide,
        access_reviews::report,
        document,
    ),
    components(schemas(ErrorBody, ErrorDetail, FieldIssue)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sessions and the caller's account; two-step sign-in (TOTP, RFC 6238) with recovery codes"),
        (name = "customers", description = "Customers, scoped, masked and audited"),
        (name = "leads", description = "Leads and the public pool (公海): scoped, masked, audited; ownership ledger"),
        (name = "follow-ups", description = "Follow-ups on leads: planned, logged, completed"),
        (name = "deals", description = "Quotes and orders (报价/订单) on leads: price, discount, accessories, insurance, financing and trade-in; contract, deposit and payments, the vehicle allocated from stock, delivery. Amounts are integer fen under the field's own name; hidden fields are absent"),
        (name = "test-drives", description = "Test drives (试驾): a stock vehicle booked for a slot, the driver's licence number (sealed, masked like an ID number), the signed waiver, feedback"),
        (name = "exports", description = "Customer exports (导出): a request with a purpose, the store's approval chain (nobody approves their own; undecided requests expire), a watermarked, fingerprinted file downloadable by its requester a few times within a window, and leak tracing for the auditor"),
        (name = "vehicles", description = "The vehicle stock by VIN and its stock-age report. Amounts are integer fen (分, 1/100 yuan) under the field's own name: `list_price: 32800000` is ¥328,000.00; a role that sees an amount only masked gets the string `******`"),
        (name = "reports", description = "Counts over the caller's scope, no personal data: the funnel conversion report"),
        (name = "audit", description = "The hash-chained audit log (auditor)"),
        (name = "roles", description = "Roles and their rights: the permission matrix (system administrator)"),
        (name = "settings", description = "Site settings: reveal quota, mask rule, session timeouts, password policy (system administrator)"),
        (name = "users", description = "Account administration (system administrator)"),
        (name = "alerts", description = "Anomaly alerts (auditor, general and sales managers)"),
        (name = "alert administration", description = "Alert rules, webhook, e-mail, store hours and networks, honeytokens (system administrator)"),
        (name = "access reviews", description = "Quarterly access reviews (权限复核): a campaign per quarter, each active account kept or removed by its direct manager (removal freezes it and hands its book over), overdue items escalated to the store manager and then alerted to the auditor; and the \"who can see what\" report of every role's field levels, row scopes and holders. No customer data"),
        (name = "meta", description = "This document"),
    )
)]
#[derive(Debug)]
pub struct ApiDoc;

/// The `bearer` security scheme the protected paths name.
#[derive(Debug)]
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("opaque")
                    .build(),
            ),
        );
    }
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "OpenAPI 3 document", content_type = "application/json", body = Object))
)]
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
