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

pub(super) const SALES_FLOOR: &str = "upgrade.sales_floor_rights";

fn on_the_floor(entity: Entity) -> bool {
    matches!(entity, Entity::Lead | Entity::FollowUp | Entity::Vehicle)
}

/// Gives the built-in roles of an older installation their default rights on leads,
/// follow-ups and stock, where they hold none yet.
pub async fn grant_sales_floor_rights(store: &Store, clock: &Clock) -> Result<(), AppError> {
    let mut tx = store.write().await?;
    if tx.setting(SALES_FLOOR).await?.is_some() {
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
    tx.put_setting(SALES_FLOOR, "done").await?;
    if !changed.is_empty() {
        let mut ev = system_event(now, "role.edit", "role", changed);
        ev.reason = Some("default rights on leads, follow-ups and stock".into());
        append(&mut tx, ev).await?;
    }
    tx.commit().await?;
    Ok(())
}
