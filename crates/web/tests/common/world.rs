//! The ground truth of the authorization checks, read from the store beneath the gate:
//! every customer with its place in the organisation, and who each account is to the
//! policy.

use super::TestApp;
use axum::http::StatusCode;
use dealervault_domain::access::{Position, RecordPlace, RowBound, RowFilter};
use dealervault_domain::catalog::{governed_fields, Entity};
use dealervault_domain::customer::CustomerRecord;
use dealervault_domain::ids::UserId;
use dealervault_policy::{Action, RolePolicy, Subject};
use dealervault_store::{CustomerQuery, PageRequest};

/// A well-formed id that names no customer.
pub const MISSING_ID: &str = "01900000-0000-7000-8000-000000000000";

pub struct World {
    pub customers: Vec<(CustomerRecord, RecordPlace)>,
}

/// Every customer in the database with its place. Lifts the daily reveal quota first:
/// the checks reveal far more than a day's worth (the quota's own tests live elsewhere).
pub async fn world(t: &TestApp) -> World {
    let mut w = t.app.store().write().await.expect("write");
    w.put_setting(dealervault_app::settings::REVEAL_DAILY_QUOTA, "100000")
        .await
        .expect("quota");
    w.commit().await.expect("commit");
    let mut tx = t.app.store().read().await.expect("read");
    let all = RowFilter::decided(RowBound::Group, None);
    let page = PageRequest {
        limit: 1000,
        ..PageRequest::default()
    };
    let records = tx
        .customers(&all, &CustomerQuery::default(), &page)
        .await
        .expect("customers")
        .items;
    let places = tx.customer_places().await.expect("places");
    // The ground truth in clear: every sealed field opened with the installation's keys.
    let every_field: Vec<String> = governed_fields(Entity::Customer)
        .map(|f| f.name.to_string())
        .collect();
    let customers = records
        .into_iter()
        .map(|sealed| {
            let r = t
                .app
                .vault()
                .open_customer(&sealed, &every_field)
                .expect("open")
                .expect("not erased");
            let place = places
                .iter()
                .find(|(id, _)| *id == r.id)
                .map(|(_, p)| p.clone())
                .expect("a place");
            (r, place)
        })
        .collect();
    World { customers }
}

/// Who the account is to the policy: its role and its seat.
pub async fn subject_of(t: &TestApp, username: &str) -> (RolePolicy, Subject) {
    let mut tx = t.app.store().read().await.expect("read");
    let user = tx
        .user_by_username(username)
        .await
        .expect("query")
        .expect("account");
    let role = tx
        .role_by_id(&user.role_id)
        .await
        .expect("query")
        .expect("role");
    let policy = RolePolicy::from_json(&role.policy).expect("policy");
    let subject = Subject {
        user_id: UserId::from_stored(user.id.to_string()),
        position: Position {
            store_id: user.store_id,
            department_id: user.department_id,
            team_id: user.team_id,
        },
    };
    (policy, subject)
}

/// Where a record owned by the account sits: its owner, team, department and store.
pub async fn place_of(t: &TestApp, username: &str) -> RecordPlace {
    let (_, subject) = subject_of(t, username).await;
    RecordPlace {
        owner_id: subject.user_id.clone(),
        owner_team_id: subject.position.team_id.clone(),
        owner_department_id: subject.position.department_id.clone(),
        store_id: subject.position.store_id.clone().expect("a store"),
    }
}

/// What a request needing `action` on a record of `entity` at `place` answers: 403
/// without the right at all, 404 when the role's grants do not reach the record, else
/// `ok`.
pub fn expected_status(
    policy: &RolePolicy,
    subject: &Subject,
    entity: Entity,
    action: Action,
    place: &RecordPlace,
    ok: StatusCode,
) -> StatusCode {
    if !policy.may(entity, action) {
        StatusCode::FORBIDDEN
    } else if policy.allows_record(entity, action, subject, place) {
        ok
    } else {
        StatusCode::NOT_FOUND
    }
}
