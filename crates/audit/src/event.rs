use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The action was allowed and carried out.
    Allowed,
    /// The policy refused it (or the record was out of scope).
    Denied,
    /// The action was allowed but failed (a wrong password, a conflict).
    Failed,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Outcome::Allowed, Outcome::Denied, Outcome::Failed]
            .into_iter()
            .find(|o| o.code() == s)
    }
}

/// One movement of data: who did what to which records, touching which fields (names,
/// never values), why, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Unix milliseconds, UTC.
    pub at: i64,
    pub actor_id: Option<String>,
    pub actor_username: Option<String>,
    /// `entity.verb`, e.g. `customer.view`, `auth.login`.
    pub action: String,
    pub entity: String,
    pub record_ids: Vec<String>,
    pub fields: Vec<String>,
    pub reason: Option<String>,
    pub outcome: Outcome,
    pub client_addr: Option<String>,
}
