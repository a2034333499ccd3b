//! What a change to a role opens up and what it closes: the administrator confirms the
//! first list before a change is saved, and the audit event names both.

use crate::grant::{Action, Effect, ExportRight, FieldLevel, FieldRule};
use crate::role_policy::RolePolicy;
use dealervault_domain::access::ScopeLevel;
use dealervault_domain::catalog::Entity;
use serde::Serialize;

/// One difference between two versions of a role, described by what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Difference {
    /// The widest allowed scope of an action changed (`None`: not allowed at all).
    Allow {
        entity: Entity,
        action: Action,
        from: Option<ScopeLevel>,
        to: Option<ScopeLevel>,
    },
    /// The widest denied scope of an action changed (`None`: no deny).
    Deny {
        entity: Entity,
        action: Action,
        from: Option<ScopeLevel>,
        to: Option<ScopeLevel>,
    },
    /// A field's level changed.
    Field {
        entity: Entity,
        field: String,
        from: FieldLevel,
        to: FieldLevel,
    },
    /// A field's export right changed.
    Export {
        entity: Entity,
        field: String,
        from: ExportRight,
        to: ExportRight,
    },
    /// Whether holders must sign in with a second step. Kept beside the policy rather
    /// than in it (it is about signing in, not about data), but reviewed and audited
    /// with the rest of a role's change; [`differences`] never yields it.
    Mfa { from: bool, to: bool },
}

impl Difference {
    /// Whether the difference lets the role do or see more than before.
    pub fn opens(&self) -> bool {
        match self {
            Difference::Allow { from, to, .. } => to > from,
            // A narrower deny (or none) denies less.
            Difference::Deny { from, to, .. } => to < from,
            Difference::Field { from, to, .. } => to > from,
            Difference::Export { from, to, .. } => to > from,
            // No longer requiring the second step lets a stolen password do more.
            Difference::Mfa { from, to } => *from && !*to,
        }
    }

    /// A short name of what changed, for the audit event (names, never values):
    /// `grant:customer.view`, `deny:customer.export`, `field:customer.mobile`,
    /// `export:customer.mobile`, `mfa`.
    pub fn item(&self) -> String {
        match self {
            Difference::Allow { entity, action, .. } => {
                format!("grant:{}.{}", entity.code(), action.code())
            }
            Difference::Deny { entity, action, .. } => {
                format!("deny:{}.{}", entity.code(), action.code())
            }
            Difference::Field { entity, field, .. } => format!("field:{}.{field}", entity.code()),
            Difference::Export { entity, field, .. } => {
                format!("export:{}.{field}", entity.code())
            }
            Difference::Mfa { .. } => "mfa".to_string(),
        }
    }
}

/// Every difference from `old` to `new`, openings and closings alike, in a stable order
/// (entities and actions in declaration order, then fields).
pub fn differences(old: &RolePolicy, new: &RolePolicy) -> Vec<Difference> {
    let mut out = Vec::new();
    for entity in Entity::ALL {
        for action in Action::ALL {
            for effect in [Effect::Allow, Effect::Deny] {
                let (from, to) = (
                    old.widest(entity, action, effect),
                    new.widest(entity, action, effect),
                );
                if from != to {
                    out.push(match effect {
                        Effect::Allow => Difference::Allow {
                            entity,
                            action,
                            from,
                            to,
                        },
                        Effect::Deny => Difference::Deny {
                            entity,
                            action,
                            from,
                            to,
                        },
                    });
                }
            }
        }
    }
    let mut fields: Vec<(Entity, &str)> = old
        .fields
        .iter()
        .chain(&new.fields)
        .map(|f| (f.entity, f.field.as_str()))
        .collect();
    fields.sort_by_key(|(e, f)| (Entity::ALL.iter().position(|x| x == e), *f));
    fields.dedup();
    for (entity, field) in fields {
        let (from, to) = (
            old.field_level(entity, field),
            new.field_level(entity, field),
        );
        if from != to {
            out.push(Difference::Field {
                entity,
                field: field.to_string(),
                from,
                to,
            });
        }
        let exports = |p: &RolePolicy| {
            p.field_rule(entity, field)
                .map_or(ExportRight::None, FieldRule::export_right)
        };
        if exports(old) != exports(new) {
            out.push(Difference::Export {
                entity,
                field: field.to_string(),
                from: exports(old),
                to: exports(new),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grant::{FieldRule, Grant};

    fn customer_rule(field: &str, level: FieldLevel, export: bool) -> FieldRule {
        FieldRule {
            entity: Entity::Customer,
            field: field.into(),
            level,
            export,
            export_clear: false,
        }
    }

    #[test]
    fn lifting_the_second_step_opens_and_requiring_it_closes() {
        let off = Difference::Mfa {
            from: true,
            to: false,
        };
        let on = Difference::Mfa {
            from: false,
            to: true,
        };
        assert!(off.opens());
        assert!(!on.opens());
        assert_eq!(off.item(), "mfa");
    }

    #[test]
    fn identical_policies_differ_in_nothing() {
        for role in crate::default_roles() {
            assert!(differences(&role.policy, &role.policy).is_empty());
        }
    }

    #[test]
    fn a_wider_scope_opens_and_a_narrower_closes() {
        let own = RolePolicy {
            grants: vec![Grant::allow(
                Entity::Customer,
                Action::View,
                ScopeLevel::Own,
            )],
            fields: vec![],
        };
        let store = RolePolicy {
            grants: vec![Grant::allow(
                Entity::Customer,
                Action::View,
                ScopeLevel::Store,
            )],
            fields: vec![],
        };
        let d = differences(&own, &store);
        assert_eq!(d.len(), 1);
        assert!(d[0].opens());
        assert_eq!(d[0].item(), "grant:customer.view");
        assert!(!differences(&store, &own)[0].opens());
        // Removing the grant altogether closes it.
        let none = differences(&own, &RolePolicy::default());
        assert_eq!(
            none,
            vec![Difference::Allow {
                entity: Entity::Customer,
                action: Action::View,
                from: Some(ScopeLevel::Own),
                to: None
            }]
        );
        assert!(!none[0].opens());
    }

    #[test]
    fn lifting_a_deny_opens() {
        let allow = Grant::allow(Entity::Customer, Action::Export, ScopeLevel::Store);
        let denied = RolePolicy {
            grants: vec![
                allow,
                Grant::deny(Entity::Customer, Action::Export, ScopeLevel::Store),
            ],
            fields: vec![],
        };
        let lifted = RolePolicy {
            grants: vec![allow],
            fields: vec![],
        };
        let d = differences(&denied, &lifted);
        assert_eq!(d.len(), 1);
        assert!(d[0].opens());
        assert_eq!(d[0].item(), "deny:customer.export");
        assert!(!differences(&lifted, &denied)[0].opens());
    }

    #[test]
    fn field_levels_and_export_rights_are_compared_field_by_field() {
        let old = RolePolicy {
            grants: vec![],
            fields: vec![
                customer_rule("mobile", FieldLevel::Masked, false),
                customer_rule("notes", FieldLevel::Editable, true),
            ],
        };
        let new = RolePolicy {
            grants: vec![],
            fields: vec![
                customer_rule("mobile", FieldLevel::Clear, true),
                customer_rule("notes", FieldLevel::Editable, true),
                customer_rule("email", FieldLevel::Masked, false),
            ],
        };
        let d = differences(&old, &new);
        let items: Vec<_> = d.iter().map(|d| (d.item(), d.opens())).collect();
        assert_eq!(
            items,
            vec![
                ("field:customer.email".to_string(), true),
                ("field:customer.mobile".to_string(), true),
                ("export:customer.mobile".to_string(), true),
            ]
        );
    }

    #[test]
    fn an_export_in_clear_is_more_than_one_as_shown() {
        let as_shown = RolePolicy {
            grants: vec![],
            fields: vec![customer_rule("mobile", FieldLevel::Masked, true)],
        };
        let mut clear = as_shown.clone();
        clear.fields[0].export_clear = true;
        let d = differences(&as_shown, &clear);
        assert_eq!(d.len(), 1);
        assert!(d[0].opens(), "{d:?}");
        assert_eq!(d[0].item(), "export:customer.mobile");
        assert!(!differences(&clear, &as_shown)[0].opens());
        assert!(
            differences(&as_shown, &clear.normalised())[0].opens(),
            "normalising keeps it"
        );
        let mut no_export = clear.clone();
        no_export.fields[0].export = false;
        assert!(
            !no_export.normalised().fields[0].export_clear,
            "clear needs export"
        );
    }
}
