//! A store's export rules: its approval chain, how long a request waits for a decision,
//! and how long and how often an approved file may be downloaded. A store that never set
//! them has the built-in rules: the general manager decides every export.

use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::{FieldError, Rule};
use dealervault_domain::exports::{ApprovalChain, ApprovalStep};
use dealervault_domain::ids::StoreId;
use dealervault_policy::Action;
use dealervault_store::{ChainStepRow, ExportChainRow, Tx};

/// A store's export rules as the use cases read them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ExportRules {
    /// Exports of up to this many rows need no approval (0: every export does).
    pub direct_up_to: u64,
    /// A request not decided within this many hours expires (1–720).
    pub decide_hours: u32,
    /// An approved file may be downloaded within this many hours (1–720)…
    pub download_hours: u32,
    /// …this many times (1–10).
    pub max_downloads: u32,
    pub steps: Vec<ExportStepRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ExportStepRule {
    /// The role code of the step's approver.
    pub role: String,
    /// The approver must be in the requester's department (a department head).
    pub same_department: bool,
    /// The step applies to exports of at least this many rows.
    pub min_rows: u64,
}

impl Default for ExportRules {
    fn default() -> Self {
        Self {
            direct_up_to: 0,
            decide_hours: 72,
            download_hours: 24,
            max_downloads: 3,
            steps: vec![ExportStepRule {
                role: "general_manager".into(),
                same_department: false,
                min_rows: 0,
            }],
        }
    }
}

/// At most this many steps: more would be a committee, not a chain.
pub const MAX_STEPS: usize = 4;

impl ExportRules {
    pub(crate) fn chain(&self) -> ApprovalChain {
        ApprovalChain {
            direct_up_to: self.direct_up_to,
            steps: self
                .steps
                .iter()
                .map(|s| ApprovalStep {
                    role: s.role.clone(),
                    same_department: s.same_department,
                    min_rows: s.min_rows,
                })
                .collect(),
        }
    }

    fn from_row(row: ExportChainRow) -> Self {
        let count = |v: i64| u32::try_from(v).unwrap_or(1);
        Self {
            direct_up_to: u64::try_from(row.direct_up_to).unwrap_or(0),
            decide_hours: count(row.decide_hours),
            download_hours: count(row.download_hours),
            max_downloads: count(row.max_downloads),
            steps: row
                .steps
                .into_iter()
                .map(|s| ExportStepRule {
                    role: s.role_code,
                    same_department: s.same_department,
                    min_rows: u64::try_from(s.min_rows).unwrap_or(0),
                })
                .collect(),
        }
    }

    /// Checks the ranges and that every step names an existing role.
    fn check(&self, roles: &[String]) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let within = |v: u32, max: u32| (1..=max).contains(&v);
        if !within(self.decide_hours, 720) {
            errors.push(FieldError::new(
                "decide_hours",
                Rule::OutOfRange { min: 1, max: 720 },
            ));
        }
        if !within(self.download_hours, 720) {
            errors.push(FieldError::new(
                "download_hours",
                Rule::OutOfRange { min: 1, max: 720 },
            ));
        }
        if !within(self.max_downloads, 10) {
            errors.push(FieldError::new(
                "max_downloads",
                Rule::OutOfRange { min: 1, max: 10 },
            ));
        }
        if self.direct_up_to > 1_000_000 {
            errors.push(FieldError::new(
                "direct_up_to",
                Rule::OutOfRange {
                    min: 0,
                    max: 1_000_000,
                },
            ));
        }
        if self.steps.len() > MAX_STEPS {
            errors.push(FieldError::new(
                "steps",
                Rule::OutOfRange {
                    min: 0,
                    max: MAX_STEPS,
                },
            ));
        }
        if self.steps.iter().any(|s| !roles.contains(&s.role)) {
            errors.push(FieldError::new("steps", Rule::UnknownValue));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

pub(crate) async fn rules_of(tx: &mut Tx, store: &StoreId) -> Result<ExportRules, AppError> {
    Ok(tx
        .export_chain(store)
        .await?
        .map(ExportRules::from_row)
        .unwrap_or_default())
}

impl App {
    /// The export rules of the actor's store; for those who may export store-wide.
    pub async fn export_rules(&self, actor: &Actor) -> Result<ExportRules, AppError> {
        let store = self.export_rules_store(actor, "export.rules").await?;
        let mut tx = self.store().read().await?;
        rules_of(&mut tx, &store).await
    }

    /// Saves the export rules of the actor's store, recorded as `export.configure` with
    /// the names of what changed.
    pub async fn save_export_rules(
        &self,
        actor: &Actor,
        rules: &ExportRules,
    ) -> Result<ExportRules, AppError> {
        let store = self.export_rules_store(actor, "export.configure").await?;
        let mut tx = self.store().write().await?;
        let roles: Vec<String> = tx.roles().await?.into_iter().map(|r| r.code).collect();
        let mut ev = event(
            self,
            actor,
            "export.configure",
            Entity::Customer,
            Outcome::Denied,
        );
        ev.record_ids = vec![store.to_string()];
        if let Err(errors) = rules.check(&roles) {
            return Err(self.abandon(tx, ev, AppError::Invalid(errors)).await);
        }
        let before = rules_of(&mut tx, &store).await?;
        let wide = |v: u32| i64::from(v);
        tx.save_export_chain(&ExportChainRow {
            store_id: store.clone(),
            direct_up_to: i64::try_from(rules.direct_up_to).unwrap_or(i64::MAX),
            decide_hours: wide(rules.decide_hours),
            download_hours: wide(rules.download_hours),
            max_downloads: wide(rules.max_downloads),
            steps: rules
                .steps
                .iter()
                .map(|s| ChainStepRow {
                    role_code: s.role.clone(),
                    same_department: s.same_department,
                    min_rows: i64::try_from(s.min_rows).unwrap_or(i64::MAX),
                })
                .collect(),
            updated_at: self.clock().now_ms(),
        })
        .await?;
        ev.fields = changed(&before, rules);
        ev.outcome = Outcome::Allowed;
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        Ok(rules.clone())
    }

    /// The actor's store, when they may export across it (the store's manager).
    async fn export_rules_store(&self, actor: &Actor, verb: &str) -> Result<StoreId, AppError> {
        match actor.subject.position.store_id.clone() {
            Some(store) if actor.may_store_wide(Entity::Customer, Action::Export) => Ok(store),
            _ => {
                let ev = event(self, actor, verb, Entity::Customer, Outcome::Denied);
                Err(refuse(self, ev, AppError::Forbidden).await)
            }
        }
    }
}

/// The names of the rules that differ, for the audit event.
fn changed(before: &ExportRules, after: &ExportRules) -> Vec<String> {
    let mut out = Vec::new();
    let mut note = |name: &str, differs: bool| {
        if differs {
            out.push(name.to_string());
        }
    };
    note("direct_up_to", before.direct_up_to != after.direct_up_to);
    note("decide_hours", before.decide_hours != after.decide_hours);
    note(
        "download_hours",
        before.download_hours != after.download_hours,
    );
    note("max_downloads", before.max_downloads != after.max_downloads);
    note("steps", before.steps != after.steps);
    out
}
