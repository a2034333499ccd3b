//! A reviewer's decision on an item: `keep`, or `remove` — which freezes the account at
//! once (sessions and API tokens ended) and hands its book round-robin over its team, as
//! a dismissal does, in the decision's transaction. Decided once, by the item's current
//! reviewer only; items out of the caller's reach answer like missing ones.

use super::in_reach;
use super::ReviewItemView;
use crate::actor::Actor;
use crate::audit_trail::{append_all, commit, event};
use crate::error::AppError;
use crate::users::{freeze_and_hand_over, heirs, HandoverInput};
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::{FieldError, Rule};
use dealervault_domain::ids::ReviewItemId;
use dealervault_domain::values::Reason;
use dealervault_store::{Tx, UserRow};

/// `POST /api/v1/access-reviews/items/{id}/decision`.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewDecisionInput {
    /// `keep` or `remove`.
    #[serde(default)]
    pub decision: String,
    /// Why; required to remove. Kept with the item and in the audit log, so it may not
    /// carry a phone or ID number.
    #[serde(default)]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Keep,
    Remove,
}

impl Decision {
    fn code(self) -> &'static str {
        match self {
            Decision::Keep => "keep",
            Decision::Remove => "remove",
        }
    }
}

impl ReviewDecisionInput {
    /// The decision and its comment, every refused part at once.
    fn parse(&self) -> Result<(Decision, String), Vec<FieldError>> {
        let decision = match self.decision.trim() {
            "keep" => Ok(Decision::Keep),
            "remove" => Ok(Decision::Remove),
            "" => Err(FieldError::new("decision", Rule::Required)),
            _ => Err(FieldError::new("decision", Rule::UnknownValue)),
        };
        let typed = self.comment.as_deref().unwrap_or_default();
        let comment = match (&decision, typed.trim().is_empty()) {
            (Ok(Decision::Remove), _) | (_, false) => {
                Reason::parse("comment", typed).map(Reason::into_string)
            }
            _ => Ok(String::new()),
        };
        match (decision, comment) {
            (Ok(d), Ok(c)) => Ok((d, c)),
            (d, c) => Err([d.err(), c.err()].into_iter().flatten().collect()),
        }
    }
}

impl App {
    /// Records the reviewer's decision; a removal freezes the account and hands its book
    /// over in the same transaction. Recorded as `access_review.decide` (refusals too),
    /// and a removal also as `user.freeze` naming every record that changed owner.
    pub async fn decide_review_item(
        &self,
        actor: &Actor,
        id: &str,
        input: &ReviewDecisionInput,
    ) -> Result<ReviewItemView, AppError> {
        let verb = "access_review.decide";
        let Some(id) = ReviewItemId::parse(id) else {
            return Err(self.not_found(actor, verb, Entity::User, None).await);
        };
        let mut tx = self.store().write().await?;
        let item = match tx.review_item(&id).await? {
            Some(item) if in_reach(actor, &item) => item,
            _ => {
                drop(tx);
                return Err(self
                    .not_found(actor, verb, Entity::User, Some(id.to_string()))
                    .await);
            }
        };
        let mut ev = event(self, actor, verb, Entity::User, Outcome::Denied);
        ev.record_ids = vec![item.id.to_string(), item.user_id.to_string()];
        if item.reviewer_id.as_ref() != Some(&actor.user_id) || item.user_id == actor.user_id {
            return Err(self
                .abandon(tx, ev, AppError::Refused("not_the_reviewer"))
                .await);
        }
        if item.decided_at.is_some() {
            return Err(self
                .abandon(tx, ev, AppError::Conflict("review_item_decided"))
                .await);
        }
        let (decision, comment) = match input.parse() {
            Ok(parsed) => parsed,
            Err(errors) => return Err(self.abandon(tx, ev, AppError::Invalid(errors)).await),
        };
        let quarter = tx
            .access_review(&item.review_id)
            .await?
            .map(|r| r.quarter)
            .unwrap_or_default();
        let now = self.clock().now_ms();
        let mut freeze_ev = None;
        let mut handed_over = None;
        if decision == Decision::Remove {
            let user = tx
                .user_by_id(&item.user_id)
                .await?
                .ok_or(AppError::Integrity)?;
            if user.status != "frozen" {
                let heirs = match heirs(&mut tx, &user, &HandoverInput::RoundRobinTeam).await {
                    Ok(h) => h,
                    // Nobody to take the book: refused only when there is a book.
                    Err(e) if has_book(&mut tx, &user).await? => {
                        return Err(self.abandon(tx, ev, e).await)
                    }
                    Err(_) => vec![],
                };
                let reason = format!("access review {quarter}");
                let moved = freeze_and_hand_over(
                    &mut tx,
                    &user,
                    &reason,
                    &heirs,
                    Some(&actor.user_id),
                    now,
                )
                .await?;
                let mut fev = event(self, actor, "user.freeze", Entity::User, Outcome::Allowed);
                fev.record_ids = vec![user.id.to_string()];
                fev.record_ids.extend(moved.record_ids.iter().cloned());
                fev.fields = vec!["status".into(), "owner_id".into()];
                fev.reason = Some(reason);
                freeze_ev = Some(fev);
                handed_over = Some(moved);
            }
        }
        if !tx
            .decide_review_item(&item.id, &actor.user_id, decision.code(), &comment, now)
            .await?
        {
            return Err(self
                .abandon(tx, ev, AppError::Conflict("review_item_decided"))
                .await);
        }
        ev.outcome = Outcome::Allowed;
        ev.fields = vec!["decision".into(), "comment".into()];
        ev.reason = Some(if comment.is_empty() {
            decision.code().to_string()
        } else {
            format!("{}: {comment}", decision.code())
        });
        let events = std::iter::once(ev).chain(freeze_ev).collect();
        let seq = append_all(&mut tx, events).await?;
        commit(self, tx, seq).await?;
        let mut view = self.review_item_view(actor, &item.id).await?;
        view.handed_over = handed_over;
        Ok(view)
    }
}

/// Whether the account still holds customers or open leads that someone must take
/// (counted, not read).
async fn has_book(tx: &mut Tx, user: &UserRow) -> Result<bool, AppError> {
    Ok(tx
        .staff_book(&user.id)
        .await?
        .is_some_and(|book| book.customers + book.open_leads > 0))
}
