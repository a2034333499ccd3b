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

/// One upgrade: its setting, the entities whose default rights it brings, and what the
/// audit event says.
pub(super) struct Upgrade {
    pub(super) setting: &'static str,
    entities: &'static [Entity],
    reason: &'static str,
}

/// In the order they shipped. Each is judged on its own entities: an installation that
/// had the sales floor before test drives existed gets test drives now, once.
pub(super) const UPGRADES: [Upgrade; 3] = [
    Upgrade {
        setting: "upgrade.sales_floor_rights",
        entities: &[Entity::Lead, Entity::FollowUp, Entity::Vehicle],
        reason: "default rights on leads, follow-ups and stock",
    },
    Upgrade {
        setting: "upgrade.test_drive_rights",
        entities: &[Entity::TestDrive],
        reason: "default rights on test drives",
    },
    Upgrade {
        setting: "upgrade.deal_rights",
        entities: &[Entity::Deal],
        reason: "default rights on quotes and orders",
    },
];

/// Gives the built-in roles of an older installation the default rights each upgrade
/// brings (leads, follow-ups and stock; test drives; deals), once per upgrade, where they
/// hold none on its entities yet.
pub async fn grant_new_default_rights(store: &Store, clock: &Clock) -> Result<(), AppError> {
    for upgrade in &UPGRADES {
        grant_default_rights(store, clock, upgrade).await?;
    }
    Ok(())
}

async fn grant_default_rights(
    store: &Store,
    clock: &Clock,
    upgrade: &Upgrade,
) -> Result<(), AppError> {
    let mut tx = store.write().await?;
    if tx.setting(upgrade.setting).await?.is_some() {
        return Ok(());
    }
    let covered = |entity: Entity| upgrade.entities.contains(&entity);
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
        let holds = policy.grants.iter().any(|g| covered(g.entity))
            || policy.fields.iter().any(|f| covered(f.entity));
        let grants = template.policy.grants.iter().filter(|g| covered(g.entity));
        if holds || grants.clone().next().is_none() {
            continue;
        }
        policy.grants.extend(grants.copied());
        policy.fields.extend(
            template
                .policy
                .fields
                .iter()
                .filter(|f| covered(f.entity))
                .cloned(),
        );
        tx.update_role_policy(&row.id, &policy.normalised().to_json(), now)
            .await?;
        changed.push(row.id.to_string());
    }
    tx.put_setting(upgrade.setting, "done").await?;
    if !changed.is_empty() {
        let mut ev = system_event(now, "role.edit", "role", changed);
        ev.reason = Some(upgrade.reason.into());
        append(&mut tx, ev).await?;
    }
    tx.commit().await?;
    Ok(())
}
