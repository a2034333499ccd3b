//! Rights that arrive with a new version, for installations made before it. New
//! installations get them from `policy::default_roles` (and are marked as having them);
//! an older one gets the same rights added to its built-in roles, once, at the next
//! start. A site setting remembers each upgrade, so a right an administrator later takes
//! away stays away.

use crate::audit_trail::{append, system_event};
use crate::clock::Clock;
use crate::error::AppError;
use dealervault_domain::catalog::Entity;
use dealervault_policy::{default_roles, RolePolicy};
use dealervault_store::Store;

/// The rights that arrived with a version: the site setting that remembers the upgrade,
/// the entities whose default rights it brings, and the audit event's reason.
pub(super) const UPGRADES: [(&str, &[Entity], &str); 2] = [
    (
        "upgrade.sales_floor_rights",
        &[Entity::Lead, Entity::FollowUp, Entity::Vehicle],
        "default rights on leads, follow-ups and stock",
    ),
    (
        "upgrade.deal_rights",
        &[Entity::Deal],
        "default rights on quotes and orders",
    ),
];

/// Gives the built-in roles of an older installation the default rights each upgrade
/// brings, once per upgrade, where they hold none on its entities yet.
pub async fn grant_new_default_rights(store: &Store, clock: &Clock) -> Result<(), AppError> {
    for (setting, entities, reason) in UPGRADES {
        grant_once(store, clock, setting, entities, reason).await?;
    }
    Ok(())
}

async fn grant_once(
    store: &Store,
    clock: &Clock,
    setting: &str,
    entities: &[Entity],
    reason: &str,
) -> Result<(), AppError> {
    let on_the_floor = |entity: Entity| entities.contains(&entity);
    let mut tx = store.write().await?;
    if tx.setting(setting).await?.is_some() {
        return Ok(());
    }
    let now = clock.now_ms();
    let templates = default_roles();
    let mut changed = Vec::new();
    for row in tx.roles().await?.into_iter().filter(|r| r.builtin) {
        let Some(template) = templates.iter().find(|t| t.code == row.code) else {
            continue;
        };
        let Ok(mut policy) = RolePolicy::from_json(&row.policy) else {
            continue;
        };
        let holds = policy.grants.iter().any(|g| on_the_floor(g.entity))
            || policy.fields.iter().any(|f| on_the_floor(f.entity));
        let grants = template
            .policy
            .grants
            .iter()
            .filter(|g| on_the_floor(g.entity));
        if holds || grants.clone().next().is_none() {
            continue;
        }
        policy.grants.extend(grants.copied());
        policy.fields.extend(
            template
                .policy
                .fields
                .iter()
                .filter(|f| on_the_floor(f.entity))
                .cloned(),
        );
        tx.update_role_policy(&row.id, &policy.normalised().to_json(), now)
            .await?;
        changed.push(row.id.to_string());
    }
    tx.put_setting(setting, "done").await?;
    if !changed.is_empty() {
        let mut ev = system_event(now, "role.edit", "role", changed);
        ev.reason = Some(reason.into());
        append(&mut tx, ev).await?;
    }
    tx.commit().await?;
    Ok(())
}
