use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::settings::Settings;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::{field, Entity, FieldKind};
use dealervault_domain::error::Rule;
use dealervault_domain::ids::CustomerId;
use dealervault_domain::values::Reason;
use dealervault_policy::{Action, FieldLevel};
use dealervault_store::Tx;

/// A field shown in clear once, with what is left of today's quota.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Revealed {
    pub value: Option<String>,
    pub remaining_today: i64,
}

impl App {
    /// Shows one masked field in clear, for a stated reason, within a daily quota. Every
    /// reveal is an audit event naming the field and the reason.
    pub async fn reveal_customer_field(
        &self,
        actor: &Actor,
        id: &str,
        field_name: &str,
        reason: &str,
    ) -> Result<Revealed, AppError> {
        let filter = self
            .row_filter(actor, Entity::Customer, Action::Reveal, "customer.reveal")
            .await?;
        let spec = field(Entity::Customer, field_name)
            .filter(|f| f.kind == FieldKind::Governed)
            .ok_or_else(|| AppError::invalid("field", Rule::UnknownValue))?;
        let reason = Reason::parse("reason", reason).map_err(|e| AppError::Invalid(vec![e]))?;
        let Some(customer_id) = CustomerId::parse(id) else {
            return Err(self.customer_not_found(actor, "customer.reveal", id).await);
        };
        let mut tx = self.store().write().await?;
        // In scope first (an out-of-scope record reads as missing whatever the field),
        // then the field's level, and only then is anything decrypted.
        let Some(sealed) = tx.customer(&filter, &customer_id).await? else {
            drop(tx);
            return Err(self.customer_not_found(actor, "customer.reveal", id).await);
        };
        let settings = self.settings(&mut tx).await?;
        let plan = FieldPlan::of(actor, Entity::Customer, &settings);
        let mut ev = event(
            self,
            actor,
            "customer.reveal",
            Entity::Customer,
            Outcome::Denied,
        );
        ev.record_ids = vec![customer_id.to_string()];
        ev.fields = vec![spec.name.to_string()];
        ev.reason = Some(reason.into_string());
        if plan.level(spec.name) == FieldLevel::Hidden {
            drop(tx);
            return Err(refuse(self, ev, AppError::FieldNotRevealable(spec.name)).await);
        }
        let remaining = match self.take_reveal(&mut tx, actor, &settings).await {
            Ok(remaining) => remaining,
            Err(e) => {
                drop(tx);
                return Err(refuse(self, ev, e).await);
            }
        };
        let field = [spec.name.to_string()];
        let Some(record) = self.vault().open_customer(&sealed, &field)? else {
            drop(tx);
            return Err(self.customer_not_found(actor, "customer.reveal", id).await);
        };
        ev.outcome = Outcome::Allowed;
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        Ok(Revealed {
            value: record.governed(spec.name).map(str::to_string),
            remaining_today: remaining,
        })
    }
}

/// In a notice period the daily reveal quota is divided by this.
pub const NOTICE_QUOTA_DIVISOR: i64 = 5;

impl App {
    /// Counts one reveal against the actor's quota for today (in the store's zone), in
    /// the reveal's own transaction; how many are left, or the refusal when none are.
    pub(crate) async fn take_reveal(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        settings: &Settings,
    ) -> Result<i64, AppError> {
        let day = self.clock().local_now().date().to_string();
        let used = tx.reveal_count(&actor.user_id, &day).await?;
        // Someone on their way out reveals a fifth as much (at least one a day).
        let quota = if self.in_notice_period(tx, actor).await? {
            (settings.reveal_daily_quota / NOTICE_QUOTA_DIVISOR).max(1)
        } else {
            settings.reveal_daily_quota
        };
        if used >= quota {
            return Err(AppError::RevealQuotaExceeded { quota });
        }
        tx.add_reveal(&actor.user_id, &day).await?;
        Ok(quota - used - 1)
    }
}
