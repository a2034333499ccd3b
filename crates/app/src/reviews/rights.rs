//! A role's rights as an access review snapshots them and the report lists them: read
//! from the role's policy (`RolePolicy::row_rights`, `field_sights`), never restated.

use dealervault_policy::{FieldLevel, RolePolicy};
use serde::{Deserialize, Serialize};

/// What an account could do when its review began: the rows it reached and the fields it
/// saw. Names only: no value of any record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RightsSnapshot {
    /// Every entity × action the role may take, at its widest.
    pub rows: Vec<RowScope>,
    /// Fields seen in clear (or written), as `entity.field`.
    pub clear: Vec<String>,
    /// Fields seen masked, as `entity.field`.
    pub masked: Vec<String>,
}

/// One entity × action and how far it reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RowScope {
    /// `customer`, `lead`, `user`, …
    pub entity: String,
    /// `view`, `export`, `assign`, …
    pub action: String,
    /// `own`, `team`, `department`, `store` or `group`.
    pub scope: String,
    /// The widest deny carved out of it, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub except: Option<String>,
}

/// Every entity × action the role may take, at its widest, as codes.
pub(crate) fn row_scopes(policy: &RolePolicy) -> Vec<RowScope> {
    policy
        .row_rights()
        .into_iter()
        .map(|r| RowScope {
            entity: r.entity.code().to_string(),
            action: r.action.code().to_string(),
            scope: r.scope.code().to_string(),
            except: r.except.map(|s| s.code().to_string()),
        })
        .collect()
}

impl RightsSnapshot {
    pub(crate) fn of(policy: &RolePolicy) -> Self {
        let (mut clear, mut masked) = (vec![], vec![]);
        for sight in policy.field_sights() {
            let name = format!("{}.{}", sight.entity.code(), sight.field);
            if sight.level >= FieldLevel::Clear {
                clear.push(name);
            } else {
                masked.push(name);
            }
        }
        Self {
            rows: row_scopes(policy),
            clear,
            masked,
        }
    }

    pub(crate) fn to_json(&self) -> String {
        // Plain strings and lists: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A stored snapshot; one that does not parse reads as empty.
    pub(crate) fn from_json(json: &str) -> Self {
        serde_json::from_str(json).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealervault_policy::default_roles;

    #[test]
    fn a_snapshot_follows_the_policy_and_survives_storage() {
        let policy = default_roles()
            .into_iter()
            .find(|r| r.code == "sales_consultant")
            .map(|r| r.policy)
            .unwrap_or_default();
        let s = RightsSnapshot::of(&policy);
        assert!(s.clear.contains(&"customer.name".to_string()));
        assert!(s.masked.contains(&"customer.mobile".to_string()));
        assert!(s
            .rows
            .iter()
            .any(|r| r.entity == "customer" && r.action == "view" && r.scope == "own"));
        assert_eq!(RightsSnapshot::from_json(&s.to_json()), s);
        assert_eq!(
            RightsSnapshot::from_json("nonsense"),
            RightsSnapshot::default()
        );
    }
}
