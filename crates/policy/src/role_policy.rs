use crate::grant::{Action, Effect, FieldLevel, FieldRule, Grant};
use crate::subject::{Rounding, Subject};
use dealervault_domain::access::{RecordPlace, RowBound, RowFilter, ScopeLevel};
use dealervault_domain::catalog::Entity;
use serde::{Deserialize, Serialize};

/// What one role may do. Anything not granted is denied; a deny grant beats any allow
/// grant for the records it covers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolePolicy {
    #[serde(default)]
    pub grants: Vec<Grant>,
    #[serde(default)]
    pub fields: Vec<FieldRule>,
}

/// The role has no grant for this action on this entity at all (HTTP 403). A record
/// outside an existing grant's scope is not `Forbidden` but missing (HTTP 404).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the role has no grant for this action")]
pub struct Forbidden;

fn level_of(bound: &RowBound) -> ScopeLevel {
    match bound {
        RowBound::Owner(_) => ScopeLevel::Own,
        RowBound::Team(_) => ScopeLevel::Team,
        RowBound::Department(_) => ScopeLevel::Department,
        RowBound::Store(_) => ScopeLevel::Store,
        RowBound::Group => ScopeLevel::Group,
    }
}

impl RolePolicy {
    fn matching(
        &self,
        entity: Entity,
        action: Action,
        effect: Effect,
    ) -> impl Iterator<Item = &Grant> {
        self.grants
            .iter()
            .filter(move |g| g.entity == entity && g.action == action && g.effect == effect)
    }

    /// The rows `subject` may `action`, as a filter for the store to apply in SQL.
    ///
    /// Scopes nest (own ⊂ team ⊂ department ⊂ store ⊂ group), so the union of the allow
    /// grants is the widest one and the union of the deny grants is the widest deny.
    pub fn row_filter(
        &self,
        entity: Entity,
        action: Action,
        subject: &Subject,
    ) -> Result<RowFilter, Forbidden> {
        let widest = |effect, rounding| {
            self.widest(entity, action, effect)
                .and_then(|scope| subject.bound(scope, rounding))
        };
        let within = widest(Effect::Allow, Rounding::Narrower).ok_or(Forbidden)?;
        let except = widest(Effect::Deny, Rounding::Wider);
        match except {
            Some(deny) if level_of(&deny) >= level_of(&within) => Err(Forbidden),
            _ => Ok(RowFilter::decided(within, except)),
        }
    }

    /// The same decision for one record, taken grant by grant: the reference that the
    /// SQL filter is tested against.
    pub fn allows_record(
        &self,
        entity: Entity,
        action: Action,
        subject: &Subject,
        place: &RecordPlace,
    ) -> bool {
        let covers = |g: &Grant, rounding| {
            subject
                .bound(g.scope, rounding)
                .is_some_and(|b| b.contains(place))
        };
        self.matching(entity, action, Effect::Allow)
            .any(|g| covers(g, Rounding::Narrower))
            && !self
                .matching(entity, action, Effect::Deny)
                .any(|g| covers(g, Rounding::Wider))
    }

    /// The widest scope the role's `effect` grants reach for `action` on `entity`
    /// (`None`: no such grant). Scopes nest, so this is their union.
    pub fn widest(&self, entity: Entity, action: Action, effect: Effect) -> Option<ScopeLevel> {
        self.matching(entity, action, effect).map(|g| g.scope).max()
    }

    /// Whether the role may `action` on `entity` anywhere: for capabilities that are not
    /// about rows (managing accounts, reading the audit log).
    pub fn may(&self, entity: Entity, action: Action) -> bool {
        match (
            self.widest(entity, action, Effect::Allow),
            self.widest(entity, action, Effect::Deny),
        ) {
            (Some(a), Some(d)) => d < a,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// A field's level for this role; fields without a rule are hidden.
    pub fn field_level(&self, entity: Entity, field: &str) -> FieldLevel {
        self.field_rule(entity, field)
            .map_or(FieldLevel::Hidden, |r| r.level)
    }

    pub fn field_rule(&self, entity: Entity, field: &str) -> Option<&FieldRule> {
        self.fields
            .iter()
            .find(|r| r.entity == entity && r.field == field)
    }

    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }
}

#[cfg(test)]
mod tests;
