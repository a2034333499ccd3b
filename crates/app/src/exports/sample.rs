//! The preview an approver decides on: a few of the rows the requester would export,
//! drawn with the requester's rights as they are now, every personal field masked
//! whatever the requester's level — enough to see what kind of list it is, not a copy.

use super::input::ParsedFilter;
use super::request::query_of_filter;
use crate::actor::subject_of;
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_domain::catalog::{self, Entity, Sensitivity};
use dealervault_policy::{Action, RolePolicy};
use dealervault_store::{ExportRow, Tx};
use std::collections::BTreeMap;

const SAMPLE_ROWS: u32 = 3;

/// The sample and the ids of the customers it shows (for the audit event).
pub(super) async fn masked_sample(
    app: &App,
    tx: &mut Tx,
    row: &ExportRow,
) -> Result<(Vec<BTreeMap<String, String>>, Vec<String>), AppError> {
    let Some(user) = tx.user_by_id(&row.requested_by).await? else {
        return Ok((Vec::new(), Vec::new()));
    };
    let policy = match tx.role_by_id(&user.role_id).await? {
        Some(role) => RolePolicy::from_json(&role.policy).unwrap_or_default(),
        None => RolePolicy::default(),
    };
    let subject = subject_of(&user);
    let Ok(filter) = policy.row_filter(Entity::Customer, Action::Export, &subject) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let parsed: ParsedFilter = serde_json::from_str(&row.filter).unwrap_or_default();
    let plan = FieldPlan::for_policy(&policy, Entity::Customer, &app.settings(tx).await?);
    let fields: Vec<String> = row.fields.split(',').map(str::to_string).collect();
    let sealed = tx
        .customers_after(&filter, &query_of_filter(&parsed), None, SAMPLE_ROWS)
        .await?;
    let mut sample = Vec::new();
    let mut seen = Vec::new();
    for customer in &sealed {
        let Some(record) = app.vault().open_customer(customer, &fields)? else {
            continue;
        };
        let mut cells = BTreeMap::new();
        for name in &fields {
            let Some(spec) = catalog::field(Entity::Customer, name) else {
                continue;
            };
            let value = record.governed(name).unwrap_or_default();
            let shown = if spec.sensitivity >= Sensitivity::Personal {
                plan.mask_rule(spec).apply(value)
            } else {
                value.to_string()
            };
            cells.insert(name.clone(), shown);
        }
        seen.push(record.id.to_string());
        sample.push(cells);
    }
    Ok((sample, seen))
}
