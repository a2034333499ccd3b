//! What every saved role must satisfy, whoever edits it: grants only for actions that
//! mean something for their entity, field rules only for catalog fields, and separation
//! of duties — a role that manages accounts or reads the audit log sees no customer
//! data (DESIGN §2), so no edit can turn the administrator into a reader of customers.

use crate::grant::{Action, Effect, FieldLevel, FieldRule, Grant};
use crate::role_policy::RolePolicy;
use dealervault_domain::catalog::{self, Entity};
use std::collections::BTreeMap;

/// The actions that mean something for an entity: what the permission editor offers
/// and what a saved role may hold.
pub fn actions_for(entity: Entity) -> &'static [Action] {
    use Action::*;
    match entity {
        Entity::Customer => &[View, Create, Edit, Delete, Reveal, Export, Assign, History],
        Entity::Lead => &[View, Create, Edit, Reveal, Assign, Claim],
        Entity::FollowUp | Entity::Vehicle | Entity::Deal | Entity::TestDrive => {
            &[View, Create, Edit]
        }
        Entity::User | Entity::Role | Entity::Organisation | Entity::Settings => {
            &[View, Create, Edit, Delete, Assign]
        }
        Entity::AuditLog => &[View, Export],
        Entity::Alert => &[View, Edit],
    }
}

/// The kinds of work that must not meet in one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Duty {
    /// Any access to customers' records or fields, or to the sales floor's (leads,
    /// follow-ups, stock).
    CustomerData,
    /// Managing accounts, roles, the organisation or settings.
    Administration,
    /// Reading the audit log.
    Audit,
}

impl Duty {
    pub fn code(self) -> &'static str {
        match self {
            Duty::CustomerData => "customer_data",
            Duty::Administration => "administration",
            Duty::Audit => "audit",
        }
    }
}

/// Why a role cannot be saved as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyProblem {
    #[error("{action:?} is not an action on {entity:?}")]
    ActionNotApplicable { entity: Entity, action: Action },
    #[error("{entity:?} has no field {field}")]
    UnknownField { entity: Entity, field: String },
    #[error("separation of duties: {0:?} and {1:?} in one role")]
    DutiesMeet(Duty, Duty),
}

impl RolePolicy {
    /// The kinds of work the role's allow grants and visible fields amount to.
    pub fn duties(&self) -> Vec<Duty> {
        let allows = |entity| {
            self.grants
                .iter()
                .any(|g| g.entity == entity && g.effect == Effect::Allow)
        };
        let mut duties = Vec::new();
        if Entity::ALL
            .into_iter()
            .filter(|e| e.is_business())
            .any(allows)
            || self
                .fields
                .iter()
                .any(|f| f.entity.is_business() && f.level > FieldLevel::Hidden)
        {
            duties.push(Duty::CustomerData);
        }
        if [
            Entity::User,
            Entity::Role,
            Entity::Organisation,
            Entity::Settings,
        ]
        .into_iter()
        .any(allows)
        {
            duties.push(Duty::Administration);
        }
        if allows(Entity::AuditLog) {
            duties.push(Duty::Audit);
        }
        duties
    }

    /// The first reason the role cannot be saved, if any.
    pub fn problem(&self) -> Option<PolicyProblem> {
        if let Some(g) = self
            .grants
            .iter()
            .find(|g| !actions_for(g.entity).contains(&g.action))
        {
            return Some(PolicyProblem::ActionNotApplicable {
                entity: g.entity,
                action: g.action,
            });
        }
        if let Some(f) = self
            .fields
            .iter()
            .find(|f| !catalog::governed_fields(f.entity).any(|spec| spec.name == f.field))
        {
            return Some(PolicyProblem::UnknownField {
                entity: f.entity,
                field: f.field.clone(),
            });
        }
        match self.duties()[..] {
            [first, second, ..] => Some(PolicyProblem::DutiesMeet(first, second)),
            _ => None,
        }
    }

    /// The same rights in their one canonical form: one grant per entity, action and
    /// effect at its widest scope (scopes nest, so nothing is lost), one rule per field
    /// (the last one given wins), no rule for a hidden field. Sorted, so that equal
    /// rights are equal JSON.
    pub fn normalised(&self) -> RolePolicy {
        let mut grants: BTreeMap<(usize, Action, bool), Grant> = BTreeMap::new();
        for g in &self.grants {
            let key = (entity_order(g.entity), g.action, g.effect == Effect::Deny);
            let widest = grants.get(&key).map_or(g.scope, |w| w.scope.max(g.scope));
            grants.insert(
                key,
                Grant {
                    scope: widest,
                    ..*g
                },
            );
        }
        let mut fields: BTreeMap<(usize, usize), FieldRule> = BTreeMap::new();
        for f in &self.fields {
            let order = catalog::governed_fields(f.entity)
                .position(|spec| spec.name == f.field)
                .unwrap_or(usize::MAX);
            let rule = FieldRule {
                export_clear: f.export && f.export_clear,
                ..f.clone()
            };
            fields.insert((entity_order(f.entity), order), rule);
        }
        RolePolicy {
            grants: grants.into_values().collect(),
            fields: fields
                .into_values()
                .filter(|f| f.level > FieldLevel::Hidden)
                .collect(),
        }
    }
}

fn entity_order(entity: Entity) -> usize {
    Entity::ALL
        .iter()
        .position(|e| *e == entity)
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::default_roles;
    use dealervault_domain::access::ScopeLevel;

    #[test]
    fn every_default_role_is_valid_and_already_normal() {
        for role in default_roles() {
            assert_eq!(role.policy.problem(), None, "{}", role.code);
            assert!(role.policy.duties().len() <= 1, "{}", role.code);
            let normal = role.policy.normalised();
            assert_eq!(normal.normalised(), normal, "{}", role.code);
            assert!(
                crate::change::differences(&role.policy, &normal).is_empty(),
                "{}",
                role.code
            );
        }
    }

    #[test]
    fn the_administrator_cannot_be_given_customer_data() {
        let admin = default_roles()
            .into_iter()
            .find(|r| r.code == "system_admin")
            .expect("admin role");
        let mut with_view = admin.policy.clone();
        with_view.grants.push(Grant::allow(
            Entity::Customer,
            Action::View,
            ScopeLevel::Own,
        ));
        assert_eq!(
            with_view.problem(),
            Some(PolicyProblem::DutiesMeet(
                Duty::CustomerData,
                Duty::Administration
            ))
        );
        // A visible field alone is customer data too.
        let mut with_field = admin.policy.clone();
        with_field.fields.push(FieldRule {
            entity: Entity::Customer,
            field: "name".into(),
            level: FieldLevel::Masked,
            export: false,
            export_clear: false,
        });
        assert!(matches!(
            with_field.problem(),
            Some(PolicyProblem::DutiesMeet(..))
        ));
        // A deny grant gives nothing, so it is no duty.
        let mut with_deny = admin.policy.clone();
        with_deny.grants.push(Grant::deny(
            Entity::Customer,
            Action::View,
            ScopeLevel::Group,
        ));
        assert_eq!(with_deny.problem(), None);
    }

    #[test]
    fn the_auditor_cannot_be_given_customers_or_administration() {
        let auditor = RolePolicy {
            grants: vec![Grant::allow(
                Entity::AuditLog,
                Action::View,
                ScopeLevel::Group,
            )],
            fields: vec![],
        };
        for extra in [
            Entity::Customer,
            Entity::Lead,
            Entity::FollowUp,
            Entity::Vehicle,
            Entity::Deal,
            Entity::User,
        ] {
            let mut p = auditor.clone();
            p.grants
                .push(Grant::allow(extra, Action::View, ScopeLevel::Own));
            assert!(matches!(p.problem(), Some(PolicyProblem::DutiesMeet(..))));
        }
    }

    #[test]
    fn meaningless_grants_and_unknown_fields_are_refused() {
        let p = RolePolicy {
            grants: vec![Grant::allow(
                Entity::AuditLog,
                Action::Delete,
                ScopeLevel::Group,
            )],
            fields: vec![],
        };
        assert!(matches!(
            p.problem(),
            Some(PolicyProblem::ActionNotApplicable { .. })
        ));
        let p = RolePolicy {
            grants: vec![],
            fields: vec![FieldRule {
                entity: Entity::Customer,
                field: "salary".into(),
                level: FieldLevel::Clear,
                export: false,
                export_clear: false,
            }],
        };
        assert!(matches!(
            p.problem(),
            Some(PolicyProblem::UnknownField { .. })
        ));
    }

    #[test]
    fn normalising_keeps_the_widest_scope_and_drops_hidden_rules() {
        let p = RolePolicy {
            grants: vec![
                Grant::allow(Entity::Customer, Action::View, ScopeLevel::Own),
                Grant::allow(Entity::Customer, Action::View, ScopeLevel::Store),
                Grant::deny(Entity::Customer, Action::View, ScopeLevel::Own),
            ],
            fields: vec![
                FieldRule {
                    entity: Entity::Customer,
                    field: "mobile".into(),
                    level: FieldLevel::Hidden,
                    export: true,
                    export_clear: false,
                },
                FieldRule {
                    entity: Entity::Customer,
                    field: "name".into(),
                    level: FieldLevel::Clear,
                    export: false,
                    export_clear: false,
                },
            ],
        };
        let n = p.normalised();
        assert_eq!(
            n.grants,
            vec![
                Grant::allow(Entity::Customer, Action::View, ScopeLevel::Store),
                Grant::deny(Entity::Customer, Action::View, ScopeLevel::Own),
            ]
        );
        assert_eq!(n.fields.len(), 1);
        assert_eq!(n.fields[0].field, "name");
        assert!(crate::change::differences(&p, &n)
            .iter()
            .all(|d| !d.opens()));
    }
}
