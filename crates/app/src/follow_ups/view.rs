use super::ENTITY;
use crate::actor::Actor;
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::{LeadId, UserId};
use dealervault_policy::Action;
use dealervault_store::{SealedFollowUp, Tx};
use std::collections::{BTreeMap, HashMap};

/// A follow-up as one actor may see it; `notes` and `next_step` follow its field
/// levels (absent when hidden).
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FollowUpView {
    pub id: String,
    pub lead_id: String,
    /// The lead's name as the actor sees it (masked, clear), when it sees the lead.
    pub lead_name: Option<String>,
    /// `call`, `visit`, `wechat`, `message`.
    pub kind: String,
    /// `sales`, `after_delivery_1d`, `after_delivery_7d`, `after_delivery_30d`.
    pub purpose: String,
    /// `open`, `done`, `cancelled`.
    pub state: String,
    pub due_at: i64,
    pub done_at: Option<i64>,
    pub overdue: bool,
    pub owner_id: String,
    pub owner_name: String,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub fields: BTreeMap<&'static str, Option<String>>,
    pub editable: Vec<String>,
}

impl App {
    /// Renders follow-ups through the actor's plan, with their owners' and (where the
    /// actor sees the lead) their leads' names.
    pub(crate) async fn render_follow_ups(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        rows: &[SealedFollowUp],
    ) -> Result<Vec<FollowUpView>, AppError> {
        let settings = self.settings(tx).await?;
        let plan = FieldPlan::of(actor, Entity::FollowUp, &settings);
        let visible = plan.visible();
        let owners: Vec<UserId> = rows.iter().map(|r| r.owner_id.clone()).collect();
        let names = tx.user_display_names(&owners).await?;
        let leads: Vec<LeadId> = rows.iter().map(|r| r.lead_id.clone()).collect();
        let lead_names = self.lead_names(tx, actor, &leads).await?;
        let now = self.clock().now_ms();
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut values: BTreeMap<&str, Option<String>> = BTreeMap::new();
            let wanted: Vec<&str> = ["notes", "next_step"]
                .into_iter()
                .filter(|f| visible.iter().any(|v| v == f) && row.sealed(f).is_some())
                .collect();
            if !wanted.is_empty() {
                // An erased lead's follow-ups have nothing left to show.
                let Ok(key) = self
                    .vault()
                    .record_key(row.lead_id.as_str(), row.data_key.as_deref())
                else {
                    continue;
                };
                for f in wanted {
                    values.insert(
                        f,
                        key.open_optional(ENTITY, row.id.as_str(), f, row.sealed(f))?,
                    );
                }
            }
            let shown = plan.show(|f| values.get(f).and_then(|v| v.as_deref()));
            out.push(FollowUpView {
                id: row.id.to_string(),
                lead_id: row.lead_id.to_string(),
                lead_name: lead_names.get(&row.lead_id).cloned().flatten(),
                kind: row.kind.clone(),
                purpose: row.purpose.clone(),
                state: row.state.clone(),
                due_at: row.due_at,
                done_at: row.done_at,
                overdue: row.state == "open" && row.due_at < now,
                owner_id: row.owner_id.to_string(),
                owner_name: names.get(&row.owner_id).cloned().unwrap_or_default(),
                fields: shown.values,
                editable: shown.editable,
            });
        }
        Ok(out)
    }

    /// Each lead's name as the actor's lead plan shows it, for the leads it may see
    /// (follow-ups' and test drives' lists name their leads).
    pub(crate) async fn lead_names(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        leads: &[LeadId],
    ) -> Result<HashMap<LeadId, Option<String>>, AppError> {
        let mut out = HashMap::new();
        let Ok(filter) = actor
            .policy
            .row_filter(Entity::Lead, Action::View, &actor.subject)
        else {
            return Ok(out);
        };
        let settings = self.settings(tx).await?;
        let plan = FieldPlan::of(actor, Entity::Lead, &settings);
        let name = ["name".to_string()];
        if !plan.visible().contains(&name[0]) {
            return Ok(out);
        }
        for lead_id in leads {
            if out.contains_key(lead_id) {
                continue;
            }
            let shown = match tx.lead(&filter, lead_id, false).await? {
                Some(lead) => self
                    .open_lead(&lead, &name)?
                    .and_then(|v| plan.show(|f| v.get(f)).values.remove("name").flatten()),
                None => None,
            };
            out.insert(lead_id.clone(), shown);
        }
        Ok(out)
    }
}
