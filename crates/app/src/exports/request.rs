//! Asking for an export: the rows in the requester's export scope are counted, the
//! fields checked against what the role may export, and the store's chain gives the
//! request its steps. A person in their notice period asks in vain (recorded).

use super::chain::rules_of;
use super::input::{ExportInput, ParsedExport};
use super::{approver, ExportView};
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::{governed_fields, Entity};
use dealervault_domain::exports::Request;
use dealervault_domain::ids::ExportId;
use dealervault_policy::{Action, FieldLevel};
use dealervault_store::{
    ChainStepRow, CustomerQuery, ExportRow, PageRequest, Tx, FINGERPRINT_CONSTRAINT,
};

const HOUR_MS: i64 = 3_600_000;

impl App {
    pub async fn request_export(
        &self,
        actor: &Actor,
        input: &ExportInput,
    ) -> Result<ExportView, AppError> {
        let verb = "export.request";
        let filter = self
            .row_filter(actor, Entity::Customer, Action::Export, verb)
            .await?;
        let mut tx = self.store().write().await?;
        let mut ev = event(self, actor, verb, Entity::Customer, Outcome::Denied);
        let Some(store) = actor.subject.position.store_id.clone() else {
            return Err(self.abandon(tx, ev, AppError::Forbidden).await);
        };
        if self.in_notice_period(&mut tx, actor).await? {
            return Err(self
                .abandon(tx, ev, AppError::Refused("notice_period"))
                .await);
        }
        let plan = FieldPlan::of(actor, Entity::Customer, &self.settings(&mut tx).await?);
        let exportable = exportable_fields(actor, &plan);
        let parsed = match input.parse(&exportable) {
            Ok(p) => p,
            Err(errors) => return Err(self.abandon(tx, ev, AppError::Invalid(errors)).await),
        };
        // Filtering by a value shows it: only for roles that see it in clear.
        if parsed.filter.source.is_some() && plan.level("source") < FieldLevel::Clear {
            return Err(self.abandon(tx, ev, AppError::Forbidden).await);
        }
        let rows = tx
            .customers(
                &filter,
                &query_of(&parsed),
                &PageRequest {
                    limit: 0,
                    ..PageRequest::default()
                },
            )
            .await?
            .total;
        let rules = rules_of(&mut tx, &store).await?;
        let steps = rules.chain().steps_for(rows, &approver(actor));
        let status = Request::initial_status(&steps);
        let now = self.clock().now_ms();
        let approved = status == dealervault_domain::exports::ExportStatus::Approved;
        let mut row = ExportRow {
            id: ExportId::generate(),
            store_id: store,
            department_id: actor.subject.position.department_id.clone(),
            requested_by: actor.user_id.clone(),
            entity: "customers".into(),
            filter: serde_json::to_string(&parsed.filter).unwrap_or_else(|_| "{}".into()),
            fields: parsed.fields.join(","),
            format: parsed.format.code().into(),
            purpose: parsed.purpose.as_str().into(),
            row_count: i64::try_from(rows).unwrap_or(i64::MAX),
            status: status.code().into(),
            fingerprint: 0,
            decide_by: now + i64::from(rules.decide_hours) * HOUR_MS,
            max_downloads: i64::from(rules.max_downloads),
            download_hours: i64::from(rules.download_hours),
            download_until: approved.then(|| now + i64::from(rules.download_hours) * HOUR_MS),
            downloads: 0,
            file_rows: None,
            file_chunks: None,
            file_bytes: None,
            generated_at: None,
            created_at: now,
            updated_at: now,
        };
        let step_rows: Vec<ChainStepRow> = steps
            .iter()
            .map(|s| ChainStepRow {
                role_code: s.role.clone(),
                same_department: s.same_department,
                min_rows: i64::try_from(s.min_rows).unwrap_or(0),
            })
            .collect();
        insert_with_fresh_fingerprint(&mut tx, &mut row, &step_rows).await?;
        ev.outcome = Outcome::Allowed;
        ev.record_ids = vec![row.id.to_string()];
        ev.fields = parsed.fields.iter().map(|f| f.to_string()).collect();
        ev.reason = Some(row.purpose.clone());
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        self.export_as_now(actor, &row.id).await
    }

    /// The fields the actor may export, in catalog order: what the request form offers.
    pub async fn exportable_customer_fields(
        &self,
        actor: &Actor,
    ) -> Result<Vec<&'static str>, AppError> {
        let mut tx = self.store().read().await?;
        let plan = FieldPlan::of(actor, Entity::Customer, &self.settings(&mut tx).await?);
        Ok(exportable_fields(actor, &plan))
    }
}

/// The fields the actor may export: shown to them at all, exportable by the catalog,
/// and marked exportable on their role.
pub(crate) fn exportable_fields(actor: &Actor, plan: &FieldPlan) -> Vec<&'static str> {
    governed_fields(Entity::Customer)
        .filter(|f| f.exportable && plan.level(f.name) > FieldLevel::Hidden)
        .filter(|f| {
            actor
                .policy
                .field_rule(Entity::Customer, f.name)
                .is_some_and(|r| r.export)
        })
        .map(|f| f.name)
        .collect()
}

pub(crate) fn query_of(parsed: &ParsedExport) -> CustomerQuery {
    query_of_filter(&parsed.filter)
}

pub(crate) fn query_of_filter(filter: &super::input::ParsedFilter) -> CustomerQuery {
    CustomerQuery {
        owner: filter.owner.clone(),
        source: filter.source.clone(),
        ..CustomerQuery::default()
    }
}

/// A fingerprint is random and unique: a clash (one in four billion per pair) draws
/// again.
async fn insert_with_fresh_fingerprint(
    tx: &mut Tx,
    row: &mut ExportRow,
    steps: &[ChainStepRow],
) -> Result<(), AppError> {
    for _ in 0..5 {
        row.fingerprint = i64::from(rand::random::<u32>());
        match tx.insert_export(row, steps).await {
            Err(e) if e.is_conflict_on(FINGERPRINT_CONSTRAINT) => continue,
            other => return other.map_err(AppError::from),
        }
    }
    Err(AppError::Conflict("fingerprint_exhausted"))
}
