use super::ENTITY;
use crate::actor::Actor;
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::{LeadId, UserId};
use dealervault_store::{SealedTestDrive, Tx};
use std::collections::BTreeMap;

/// A test drive as one actor may see it; `licence_number` and `feedback` follow its
/// field levels (absent when hidden, the licence masked like an ID number).
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct TestDriveView {
    pub id: String,
    pub lead_id: String,
    /// The lead's name as the actor sees it, when it sees the lead.
    pub lead_name: Option<String>,
    pub vehicle_id: String,
    pub vin: String,
    pub model: String,
    /// `booked`, `done`, `cancelled`, `no_show`.
    pub state: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub waiver_signed: bool,
    pub done_at: Option<i64>,
    pub owner_id: String,
    pub owner_name: String,
    pub store_code: String,
    pub created_at: i64,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub fields: BTreeMap<&'static str, Option<String>>,
    /// Fields shown masked.
    pub masked: Vec<String>,
    /// Fields the actor may change.
    pub editable: Vec<String>,
}

impl TestDriveView {
    pub fn field(&self, name: &str) -> Option<Option<&str>> {
        self.fields.get(name).map(|v| v.as_deref())
    }
}

/// A test drive's page: the drive, and whether the actor may complete or cancel it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TestDriveDetail {
    pub test_drive: TestDriveView,
    pub may_edit: bool,
}

impl App {
    /// Renders test drives through the actor's plan, with their owners' and (where the
    /// actor sees the lead) their leads' names. An erased lead's drives are left out:
    /// nothing of them can be opened.
    pub(crate) async fn render_test_drives(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        rows: &[SealedTestDrive],
    ) -> Result<Vec<TestDriveView>, AppError> {
        let plan = FieldPlan::of(actor, Entity::TestDrive, &self.settings(tx).await?);
        let visible = plan.visible();
        let owners: Vec<UserId> = rows.iter().map(|r| r.owner_id.clone()).collect();
        let names = tx.user_display_names(&owners).await?;
        let leads: Vec<LeadId> = rows.iter().map(|r| r.lead_id.clone()).collect();
        let lead_names = self.lead_names(tx, actor, &leads).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let Ok(key) = self
                .vault()
                .record_key(row.lead_id.as_str(), row.data_key.as_deref())
            else {
                continue;
            };
            let mut values: BTreeMap<&str, Option<String>> = BTreeMap::new();
            for f in ["licence_number", "feedback"] {
                if visible.iter().any(|v| v == f) {
                    values.insert(
                        f,
                        key.open_optional(ENTITY, row.id.as_str(), f, row.sealed(f))?,
                    );
                }
            }
            let shown = plan.show(|f| values.get(f).and_then(|v| v.as_deref()));
            out.push(TestDriveView {
                id: row.id.to_string(),
                lead_id: row.lead_id.to_string(),
                lead_name: lead_names.get(&row.lead_id).cloned().flatten(),
                vehicle_id: row.vehicle_id.to_string(),
                vin: row.vin.clone(),
                model: row.model.clone(),
                state: row.state.clone(),
                starts_at: row.starts_at,
                ends_at: row.ends_at,
                waiver_signed: row.waiver_signed,
                done_at: row.done_at,
                owner_id: row.owner_id.to_string(),
                owner_name: names.get(&row.owner_id).cloned().unwrap_or_default(),
                store_code: row.store_code.clone(),
                created_at: row.created_at,
                fields: shown.values,
                masked: shown.masked,
                editable: shown.editable,
            });
        }
        Ok(out)
    }
}
