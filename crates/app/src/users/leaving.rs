//! Staff leaving: freezing an account at once (a dismissal, or the end of a notice
//! period), and the departure-risk report a manager reads before and after. Who may:
//! the administrator for any account; the store's manager — who may hand the store's
//! customers over (customer `assign` store-wide) — for the staff of their store. Nobody
//! for themselves. An account out of the actor's reach answers like a missing one.

use super::handover::{hand_over, heirs, HandedOver, HandoverInput};
use super::{summary, UserSummary};
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::error::AppError;
use crate::App;
use dealervault_audit::{AuditEvent, Outcome};
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::UserId;
use dealervault_domain::values::Reason;
use dealervault_policy::Action;
use dealervault_store::{Tx, UserRow};

/// `POST /api/v1/users/{id}/freeze`.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FreezeInput {
    /// Why, for the audit log (no phone or ID number).
    #[serde(default)]
    pub reason: String,
    /// Who takes the person's customers and open leads; by default, round-robin over
    /// their team's colleagues of the same role.
    #[serde(default)]
    pub handover: Option<HandoverInput>,
}

/// A frozen account and what was handed over.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Frozen {
    pub account: UserSummary,
    pub handed_over: HandedOver,
}

impl App {
    /// Freezes the account at once (a dismissal): status `frozen`, every session and API
    /// token ended (a live token fails on its next request), sign-in refused with
    /// `account_frozen`, the book handed over — all in one transaction, recorded as
    /// `user.freeze` with the reason and every record that changed owner.
    pub async fn freeze_account(
        &self,
        actor: &Actor,
        user_id: &str,
        input: &FreezeInput,
    ) -> Result<Frozen, AppError> {
        let (mut tx, user, mut ev) = self
            .staff_to_change(actor, user_id, "user.freeze", "cannot_freeze_self")
            .await?;
        let reason = match Reason::parse("reason", &input.reason) {
            Ok(r) => r,
            Err(e) => return Err(self.abandon(tx, ev, AppError::Invalid(vec![e])).await),
        };
        let rule = input
            .handover
            .clone()
            .unwrap_or(HandoverInput::RoundRobinTeam);
        let heirs = match heirs(&mut tx, &user, &rule).await {
            Ok(h) => h,
            Err(e) => return Err(self.abandon(tx, ev, e).await),
        };
        let now = self.clock().now_ms();
        let handed_over = freeze_and_hand_over(
            &mut tx,
            &user,
            reason.as_str(),
            &heirs,
            Some(&actor.user_id),
            now,
        )
        .await?;
        ev.outcome = Outcome::Allowed;
        ev.fields = vec!["status".into(), "owner_id".into()];
        ev.reason = Some(reason.into_string());
        ev.record_ids.extend(handed_over.record_ids.iter().cloned());
        let seq = append(&mut tx, ev).await?;
        let frozen = tx.user_by_id(&user.id).await?.ok_or(AppError::Integrity)?;
        let account = summary(&mut tx, &frozen).await?;
        commit(self, tx, seq).await?;
        Ok(Frozen {
            account,
            handed_over,
        })
    }

    /// Whether the actor's last day is set and not yet past (the store's calendar): their
    /// notice period, when exports are refused and reveals are fewer.
    pub(crate) async fn in_notice_period(
        &self,
        tx: &mut Tx,
        actor: &Actor,
    ) -> Result<bool, AppError> {
        let today = self.clock().local_now().date().to_string();
        Ok(tx
            .user_leaving_on(&actor.user_id)
            .await?
            .is_some_and(|last_day| today <= last_day))
    }

    /// Opens the writer on an account the actor manages and that is not their own: the
    /// account, and the use case's event (denied until it allows it). Out of reach or
    /// one's own, the refusal is recorded and returned (`on_self` is the conflict's code).
    pub(super) async fn staff_to_change(
        &self,
        actor: &Actor,
        user_id: &str,
        verb: &'static str,
        on_self: &'static str,
    ) -> Result<(Tx, UserRow, AuditEvent), AppError> {
        let mut tx = self.store().write().await?;
        let Some(user) = self.staff_in_reach(&mut tx, actor, user_id).await? else {
            drop(tx);
            return Err(self.out_of_reach(actor, verb, user_id).await);
        };
        let mut ev = event(self, actor, verb, Entity::User, Outcome::Denied);
        ev.record_ids = vec![user.id.to_string()];
        if user.id == actor.user_id {
            return Err(self.abandon(tx, ev, AppError::Conflict(on_self)).await);
        }
        Ok((tx, user, ev))
    }

    /// The account if the actor manages its holder: the administrator anyone, a store
    /// manager the staff of their store.
    pub(super) async fn staff_in_reach(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        user_id: &str,
    ) -> Result<Option<UserRow>, AppError> {
        let Some(id) = UserId::parse(user_id) else {
            return Ok(None);
        };
        let Some(user) = tx.user_by_id(&id).await? else {
            return Ok(None);
        };
        let administrator = actor.may(Entity::User, Action::Edit);
        let store_manager =
            actor.manages_store() && user.store_id == actor.subject.position.store_id;
        Ok((administrator || store_manager).then_some(user))
    }

    /// Records an attempt on an account the actor does not manage: 403 for those who
    /// manage nobody, 404 (like a missing account) for a manager reaching outside.
    pub(super) async fn out_of_reach(&self, actor: &Actor, verb: &str, user_id: &str) -> AppError {
        let manages = actor.may(Entity::User, Action::Edit) || actor.manages_store();
        let mut ev = event(self, actor, verb, Entity::User, Outcome::Denied);
        ev.record_ids = UserId::parse(user_id)
            .map(|id| id.to_string())
            .into_iter()
            .collect();
        refuse(
            self,
            ev,
            if manages {
                AppError::NotFound
            } else {
                AppError::Forbidden
            },
        )
        .await
    }
}

/// Freezes `user` (sessions and tokens ended) and hands their book to `heirs`: also for
/// an access review's removal (`reviews/decide.rs`).
pub(crate) async fn freeze_and_hand_over(
    tx: &mut Tx,
    user: &UserRow,
    reason: &str,
    heirs: &[UserId],
    by: Option<&UserId>,
    now: i64,
) -> Result<HandedOver, AppError> {
    tx.freeze_user(&user.id, reason, now).await?;
    tx.delete_user_sessions(&user.id).await?;
    hand_over(tx, user, heirs, by, now).await
}
