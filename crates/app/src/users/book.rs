//! A member of staff's book — their customers, open leads and open follow-ups — as the
//! store manager sees it on the staff pages (how much, never which), and handing it over
//! before they leave or after an automatic freeze left it behind. Counts only: the
//! one-by-one wizard lists the records themselves through the customer and lead lists,
//! under the manager's own field plan.

use super::handover::{hand_over, hand_over_chosen, heirs, teammates, HandedOver, HandoverInput};
use super::{summary, UserSummary};
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, refuse};
use crate::error::AppError;
use crate::org_names::{OrgNames, PlaceView, RoleRef};
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_store::{StaffBook, Tx, UserRow};

/// One account on the staff pages.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct StaffMember {
    pub account: UserSummary,
    pub role: RoleRef,
    pub place: PlaceView,
    /// The last day of a recorded resignation (`YYYY-MM-DD`).
    pub leaving_on: Option<String>,
    /// When the account was frozen (unix ms), and why.
    pub frozen_at: Option<i64>,
    pub freeze_reason: Option<String>,
    pub customers: i64,
    pub open_leads: i64,
    pub open_follow_ups: i64,
}

impl StaffMember {
    /// Whether anything is still in the person's hands.
    pub fn has_book(&self) -> bool {
        self.customers + self.open_leads + self.open_follow_ups > 0
    }
}

/// A colleague who may take over part of a book: active, of the same store.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Colleague {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: RoleRef,
    /// Of the person's own team (their department's, without a team) and role: the
    /// round-robin takes these.
    pub teammate: bool,
}

/// One member of staff with the colleagues who could take their book.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct StaffDetail {
    pub member: StaffMember,
    pub colleagues: Vec<Colleague>,
}

impl App {
    /// The store manager's staff list: every account of their store with its book.
    pub async fn staff(&self, actor: &Actor) -> Result<Vec<StaffMember>, AppError> {
        let store = match &actor.subject.position.store_id {
            Some(store) if actor.manages_store() => store,
            _ => {
                let ev = event(self, actor, "user.list", Entity::User, Outcome::Denied);
                return Err(refuse(self, ev, AppError::Forbidden).await);
            }
        };
        let mut tx = self.store().read().await?;
        let books = tx.staff_books(store).await?;
        let users = tx.users().await?;
        let names = OrgNames::load(&mut tx).await?;
        let mut out = Vec::with_capacity(books.len());
        for book in books {
            if let Some(user) = users.iter().find(|u| u.id == book.user_id) {
                out.push(member(&mut tx, &names, user, book).await?);
            }
        }
        Ok(out)
    }

    /// One account the actor manages (the administrator anyone, a store manager their
    /// store's staff), with the colleagues who could take their book.
    pub async fn staff_detail(
        &self,
        actor: &Actor,
        user_id: &str,
    ) -> Result<StaffDetail, AppError> {
        let mut tx = self.store().read().await?;
        let Some(user) = self.staff_in_reach(&mut tx, actor, user_id).await? else {
            drop(tx);
            return Err(self.out_of_reach(actor, "user.list", user_id).await);
        };
        let book = tx.staff_book(&user.id).await?.ok_or(AppError::Integrity)?;
        let names = OrgNames::load(&mut tx).await?;
        let colleagues = colleagues(&mut tx, &names, &user).await?;
        let member = member(&mut tx, &names, &user, book).await?;
        Ok(StaffDetail { member, colleagues })
    }

    /// Hands (part of) a person's book over now, without freezing them: everything to
    /// one colleague, round-robin over the team, or record by record. Also for a frozen
    /// account whose book the automatic freeze could not place. Recorded as
    /// `user.handover` naming every record that moved.
    pub async fn hand_over_now(
        &self,
        actor: &Actor,
        user_id: &str,
        input: &HandoverInput,
    ) -> Result<HandedOver, AppError> {
        let (mut tx, user, mut ev) = self
            .staff_to_change(actor, user_id, "user.handover", "cannot_change_self")
            .await?;
        let now = self.clock().now_ms();
        let by = Some(&actor.user_id);
        let moved = match input {
            HandoverInput::OneByOne { assignments } => {
                hand_over_chosen(&mut tx, &user, assignments, by, now).await
            }
            rule => match heirs(&mut tx, &user, rule).await {
                Ok(heirs) => hand_over(&mut tx, &user, &heirs, by, now).await,
                Err(e) => Err(e),
            },
        };
        let moved = match moved {
            Ok(moved) => moved,
            Err(e) => return Err(self.abandon(tx, ev, e).await),
        };
        ev.outcome = Outcome::Allowed;
        ev.fields = vec!["owner_id".into()];
        ev.record_ids.extend(moved.record_ids.iter().cloned());
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        Ok(moved)
    }
}

async fn member(
    tx: &mut Tx,
    names: &OrgNames,
    user: &UserRow,
    book: StaffBook,
) -> Result<StaffMember, AppError> {
    Ok(StaffMember {
        account: summary(tx, user).await?,
        role: names.role(&user.role_id),
        place: names.place(
            user.store_id.as_ref(),
            user.department_id.as_ref(),
            user.team_id.as_ref(),
        ),
        leaving_on: book.leaving_on,
        frozen_at: book.frozen_at,
        freeze_reason: book.freeze_reason,
        customers: book.customers,
        open_leads: book.open_leads,
        open_follow_ups: book.open_follow_ups,
    })
}

/// Active colleagues of `user`'s store, teammates of the same role first.
async fn colleagues(
    tx: &mut Tx,
    names: &OrgNames,
    user: &UserRow,
) -> Result<Vec<Colleague>, AppError> {
    if user.store_id.is_none() {
        return Ok(vec![]);
    }
    let mut out: Vec<Colleague> = tx
        .users()
        .await?
        .into_iter()
        .filter(|u| u.id != user.id && u.status == "active" && u.store_id == user.store_id)
        .map(|u| Colleague {
            teammate: teammates(user, &u),
            role: names.role(&u.role_id),
            id: u.id.to_string(),
            username: u.username,
            display_name: u.display_name,
        })
        .collect();
    out.sort_by(|a, b| {
        b.teammate
            .cmp(&a.teammate)
            .then(a.username.cmp(&b.username))
    });
    Ok(out)
}
