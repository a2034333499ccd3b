//! Rights that arrive with a new version reach the built-in roles of an older
//! installation once: each upgrade on its own entities, and a right an administrator
//! takes away afterwards stays away. On every backend.

mod common;

use axum::http::StatusCode;
use common::{on_every_backend, TestApp};
use dealervault_app::setup::grant_new_default_rights;
use dealervault_domain::catalog::Entity;
use dealervault_policy::RolePolicy;

/// Each upgrade: its setting, the entities it brings rights on, and a list a sales
/// consultant may read once it has run.
const UPGRADES: [(&str, &[Entity], &str); 3] = [
    (
        "upgrade.sales_floor_rights",
        &[Entity::Lead, Entity::FollowUp, Entity::Vehicle],
        "/api/v1/leads",
    ),
    (
        "upgrade.test_drive_rights",
        &[Entity::TestDrive],
        "/api/v1/test-drives",
    ),
    ("upgrade.deal_rights", &[Entity::Deal], "/api/v1/deals"),
];

/// Takes the rights on `entities` from the built-in roles (or only from `only`).
async fn strip(t: &TestApp, entities: &[Entity], only: Option<&str>) {
    let mut tx = t.app.store().write().await.expect("write");
    let roles = tx.roles().await.expect("roles");
    for row in roles
        .iter()
        .filter(|r| r.builtin && only.is_none_or(|code| r.code == code))
    {
        let mut policy = RolePolicy::from_json(&row.policy).expect("policy");
        policy.grants.retain(|g| !entities.contains(&g.entity));
        policy.fields.retain(|f| !entities.contains(&f.entity));
        tx.update_role_policy(&row.id, &policy.to_json(), 1)
            .await
            .expect("update");
    }
    tx.commit().await.expect("commit");
}

async fn probe(t: &TestApp, path: &str) -> StatusCode {
    let token = t.login("sales01").await;
    t.get(path, Some(&token)).await.0
}

#[tokio::test]
async fn each_upgrade_grants_its_default_rights_once() {
    on_every_backend(|t| async move {
        let b = t.backend();
        for (setting, entities, path) in UPGRADES {
            // As an installation from before the upgrade: no rights, no record of it.
            strip(&t, entities, None).await;
            let mut tx = t.app.store().write().await.expect("write");
            tx.delete_setting(setting).await.expect("delete");
            tx.commit().await.expect("commit");
            assert_eq!(
                probe(&t, path).await,
                StatusCode::FORBIDDEN,
                "[{b}] {setting}"
            );

            let upgrade = grant_new_default_rights(t.app.store(), t.app.clock());
            upgrade.await.expect("upgrade");
            assert_eq!(probe(&t, path).await, StatusCode::OK, "[{b}] {setting}");

            // Taken away again by an administrator, the right stays away.
            strip(&t, entities, Some("sales_consultant")).await;
            let upgrade = grant_new_default_rights(t.app.store(), t.app.clock());
            upgrade.await.expect("upgrade");
            assert_eq!(
                probe(&t, path).await,
                StatusCode::FORBIDDEN,
                "[{b}] {setting}"
            );
        }
        t
    })
    .await;
}
