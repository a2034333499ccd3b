use dealervault_domain::access::ScopeLevel;
use dealervault_domain::catalog::Entity;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    View,
    Create,
    Edit,
    Delete,
    Reveal,
    Export,
    Assign,
    /// Read who accessed a record (its access history in the audit log).
    History,
    /// Take an unowned record from the store's public pool (公海): the scope says whose
    /// pool the role sees, always with contact data masked until claimed.
    Claim,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::View,
        Action::Create,
        Action::Edit,
        Action::Delete,
        Action::Reveal,
        Action::Export,
        Action::Assign,
        Action::History,
        Action::Claim,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::View => "view",
            Action::Create => "create",
            Action::Edit => "edit",
            Action::Delete => "delete",
            Action::Reveal => "reveal",
            Action::Export => "export",
            Action::Assign => "assign",
            Action::History => "history",
            Action::Claim => "claim",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    Allow,
    Deny,
}

/// One line of a role: `effect` `action` on `entity` within `scope`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    pub entity: Entity,
    pub action: Action,
    pub scope: ScopeLevel,
    pub effect: Effect,
}

impl Grant {
    pub fn allow(entity: Entity, action: Action, scope: ScopeLevel) -> Self {
        Self {
            entity,
            action,
            scope,
            effect: Effect::Allow,
        }
    }

    pub fn deny(entity: Entity, action: Action, scope: ScopeLevel) -> Self {
        Self {
            entity,
            action,
            scope,
            effect: Effect::Deny,
        }
    }
}

/// How much of a field a role sees, from nothing to writing it. Ordered: each level
/// includes the ones below it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum FieldLevel {
    #[default]
    Hidden,
    Masked,
    Clear,
    Editable,
}

impl FieldLevel {
    pub const ALL: [FieldLevel; 4] = [
        FieldLevel::Hidden,
        FieldLevel::Masked,
        FieldLevel::Clear,
        FieldLevel::Editable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FieldLevel::Hidden => "hidden",
            FieldLevel::Masked => "masked",
            FieldLevel::Clear => "clear",
            FieldLevel::Editable => "editable",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// A role's rule for one field: its level and whether it may leave in an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldRule {
    pub entity: Entity,
    pub field: String,
    pub level: FieldLevel,
    /// The field may leave in an export, as the role sees it (a masked field masked).
    #[serde(default)]
    pub export: bool,
    /// With `export`: the field leaves in clear even where the role sees it masked (the
    /// list a store hands to its SMS provider). Without `export` it means nothing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub export_clear: bool,
}

/// How a field may leave in an export, from nothing to everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportRight {
    None,
    AsShown,
    Clear,
}

impl ExportRight {
    pub const ALL: [ExportRight; 3] = [ExportRight::None, ExportRight::AsShown, ExportRight::Clear];

    pub fn code(self) -> &'static str {
        match self {
            ExportRight::None => "none",
            ExportRight::AsShown => "as_shown",
            ExportRight::Clear => "clear",
        }
    }
}

impl FieldRule {
    pub fn export_right(&self) -> ExportRight {
        match (self.export, self.export_clear) {
            (false, _) => ExportRight::None,
            (true, false) => ExportRight::AsShown,
            (true, true) => ExportRight::Clear,
        }
    }
}
