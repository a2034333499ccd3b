//! A role's rights in brief, for people who review them rather than enforce them: the
//! widest rows it reaches for each entity × action it may do, and each governed field it
//! sees, at which level. Read from the same `RolePolicy` the gate decides with, so an
//! access review's snapshot and the "who can see what" report follow every change of a
//! role.

use crate::grant::{Action, Effect, ExportRight, FieldLevel};
use crate::role_policy::RolePolicy;
use dealervault_domain::access::ScopeLevel;
use dealervault_domain::catalog::{governed_fields, Entity};
use serde::{Deserialize, Serialize};

/// One action a role may take on rows of an entity: how far its allow reaches, and the
/// widest deny carved out of it (narrower than the allow: a deny as wide forbids, and the
/// action is not listed at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowRight {
    pub entity: Entity,
    pub action: Action,
    pub scope: ScopeLevel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub except: Option<ScopeLevel>,
}

/// One governed field a role sees (a hidden field is not listed), and how it may leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSight {
    pub entity: Entity,
    pub field: &'static str,
    pub level: FieldLevel,
    pub export: ExportRight,
}

impl RolePolicy {
    /// Every entity × action the role may take, at its widest, in the order of
    /// `Entity::ALL` and `Action::ALL`.
    pub fn row_rights(&self) -> Vec<RowRight> {
        Entity::ALL
            .into_iter()
            .flat_map(|entity| Action::ALL.into_iter().map(move |a| (entity, a)))
            .filter(|(entity, action)| self.may(*entity, *action))
            .filter_map(|(entity, action)| {
                let scope = self.widest(entity, action, Effect::Allow)?;
                Some(RowRight {
                    entity,
                    action,
                    scope,
                    except: self.widest(entity, action, Effect::Deny),
                })
            })
            .collect()
    }

    /// The widest scope of `action` on `entity` the role may use, deny taken into
    /// account (`None`: not at all).
    pub fn effective_scope(&self, entity: Entity, action: Action) -> Option<ScopeLevel> {
        self.may(entity, action)
            .then(|| self.widest(entity, action, Effect::Allow))
            .flatten()
    }

    /// Every governed field of every entity the role sees, in catalog order.
    pub fn field_sights(&self) -> Vec<FieldSight> {
        Entity::ALL
            .into_iter()
            .flat_map(governed_fields)
            .filter_map(|spec| {
                let rule = self.field_rule(spec.entity, spec.name)?;
                (rule.level > FieldLevel::Hidden).then(|| FieldSight {
                    entity: spec.entity,
                    field: spec.name,
                    level: rule.level,
                    export: rule.export_right(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::default_roles;
    use crate::grant::{Action, FieldLevel, Grant};
    use crate::role_policy::RolePolicy;
    use dealervault_domain::access::ScopeLevel;
    use dealervault_domain::catalog::Entity;

    fn role(code: &str) -> RolePolicy {
        default_roles()
            .into_iter()
            .find(|r| r.code == code)
            .map(|r| r.policy)
            .unwrap_or_default()
    }

    #[test]
    fn a_consultant_reaches_their_own_customers_and_sees_contacts_masked() {
        let p = role("sales_consultant");
        let rights = p.row_rights();
        let view = rights
            .iter()
            .find(|r| r.entity == Entity::Customer && r.action == Action::View)
            .copied();
        assert_eq!(
            view.map(|r| (r.scope, r.except)),
            Some((ScopeLevel::Own, None))
        );
        assert!(!rights
            .iter()
            .any(|r| r.entity == Entity::Customer && r.action == Action::Assign));
        let sights = p.field_sights();
        let mobile = sights
            .iter()
            .find(|s| s.entity == Entity::Customer && s.field == "mobile");
        assert_eq!(mobile.map(|s| s.level), Some(FieldLevel::Masked));
    }

    #[test]
    fn the_administrator_and_the_auditor_see_no_field() {
        for code in ["system_admin", "auditor"] {
            let p = role(code);
            assert!(p.field_sights().is_empty(), "{code}");
            assert!(
                p.row_rights().iter().all(|r| !r.entity.is_business()),
                "{code}"
            );
        }
    }

    #[test]
    fn a_deny_narrows_or_removes_the_right() {
        let mut p = RolePolicy {
            grants: vec![
                Grant::allow(Entity::Customer, Action::View, ScopeLevel::Store),
                Grant::deny(Entity::Customer, Action::View, ScopeLevel::Team),
            ],
            fields: vec![],
        };
        assert_eq!(
            p.row_rights().first().map(|r| (r.scope, r.except)),
            Some((ScopeLevel::Store, Some(ScopeLevel::Team)))
        );
        assert_eq!(
            p.effective_scope(Entity::Customer, Action::View),
            Some(ScopeLevel::Store)
        );
        p.grants.push(Grant::deny(
            Entity::Customer,
            Action::View,
            ScopeLevel::Group,
        ));
        assert!(p.row_rights().is_empty());
        assert_eq!(p.effective_scope(Entity::Customer, Action::View), None);
    }
}
