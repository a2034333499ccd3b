//! Reading campaigns: the list with its counts, a campaign with the items in the
//! caller's reach, the items waiting for the caller (the reviewer's list, the badge and
//! the home card). Accounts, roles and places only: nothing here is a customer's.

use super::rights::RightsSnapshot;
use super::{
    oversees, AccountRef, ChangedSince, Directory, Progress, ReviewDetail, ReviewItemView,
    ReviewList, ReviewView, StoreProgress,
};
use crate::actor::Actor;
use crate::error::AppError;
use crate::App;
use dealervault_domain::ids::{AccessReviewId, ReviewItemId};
use dealervault_store::{AccessReviewRow, ReviewItemRow, ReviewProgressRow, Tx};

impl Progress {
    fn add(&mut self, row: &ReviewProgressRow) {
        self.total += row.total;
        self.decided += row.decided;
        self.open += row.total - row.decided;
        self.removed += row.removed;
        self.escalated += row.escalated;
        self.overdue += row.overdue;
    }

    fn of_items(items: &[ReviewItemRow]) -> Self {
        let mut p = Progress::default();
        for i in items {
            p.add(&ReviewProgressRow {
                store_id: None,
                total: 1,
                decided: i64::from(i.decided_at.is_some()),
                removed: i64::from(i.decision.as_deref() == Some("remove")),
                escalated: i64::from(i.escalated_at.is_some()),
                overdue: i64::from(i.alerted_at.is_some()),
            });
        }
        p
    }
}

impl App {
    /// The campaigns: every one, with counts per store, for the administrator and the
    /// auditor; for anyone else those with items in their reach, counted over those.
    pub async fn list_access_reviews(&self, actor: &Actor) -> Result<ReviewList, AppError> {
        let mut tx = self.store().read().await?;
        let directory = Directory::load(&mut tx).await?;
        let mut items = vec![];
        for row in tx.access_reviews().await? {
            if let Some(view) = review_view(&mut tx, &directory, actor, &row).await? {
                items.push(view);
            }
        }
        Ok(ReviewList { items })
    }

    /// One campaign and its items in the caller's reach; a campaign with none answers
    /// like a missing one.
    pub async fn access_review(&self, actor: &Actor, id: &str) -> Result<ReviewDetail, AppError> {
        let id = AccessReviewId::parse(id).ok_or(AppError::NotFound)?;
        let mut tx = self.store().read().await?;
        let row = tx.access_review(&id).await?.ok_or(AppError::NotFound)?;
        let directory = Directory::load(&mut tx).await?;
        let review = review_view(&mut tx, &directory, actor, &row)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = self.clock().now_ms();
        let items = reach(&mut tx, actor, &row.id)
            .await?
            .iter()
            .map(|i| item_view(&directory, actor, &row, i, now))
            .collect();
        Ok(ReviewDetail { review, items })
    }

    /// The campaign as the caller sees it, after their own change.
    pub(super) async fn access_review_view(
        &self,
        actor: &Actor,
        id: &AccessReviewId,
    ) -> Result<ReviewView, AppError> {
        let mut tx = self.store().read().await?;
        let row = tx.access_review(id).await?.ok_or(AppError::Integrity)?;
        let directory = Directory::load(&mut tx).await?;
        review_view(&mut tx, &directory, actor, &row)
            .await?
            .ok_or(AppError::Integrity)
    }

    /// Every open item the caller is to decide, the earliest due first.
    pub async fn review_items_awaiting(
        &self,
        actor: &Actor,
    ) -> Result<Vec<ReviewItemView>, AppError> {
        let mut tx = self.store().read().await?;
        let items = tx.review_items_awaiting(&actor.user_id).await?;
        if items.is_empty() {
            return Ok(vec![]);
        }
        let directory = Directory::load(&mut tx).await?;
        let campaigns = tx.access_reviews().await?;
        let now = self.clock().now_ms();
        Ok(items
            .iter()
            .filter_map(|i| {
                let campaign = campaigns.iter().find(|c| c.id == i.review_id)?;
                Some(item_view(&directory, actor, campaign, i, now))
            })
            .collect())
    }

    /// How many open items wait for the caller: the navigation's badge.
    pub async fn reviews_awaiting(&self, actor: &Actor) -> Result<usize, AppError> {
        let mut tx = self.store().read().await?;
        let n = tx.count_review_items_awaiting(&actor.user_id).await?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// One item as the caller sees it now (after their decision).
    pub(super) async fn review_item_view(
        &self,
        actor: &Actor,
        id: &ReviewItemId,
    ) -> Result<ReviewItemView, AppError> {
        let mut tx = self.store().read().await?;
        let item = tx.review_item(id).await?.ok_or(AppError::Integrity)?;
        let campaign = tx
            .access_review(&item.review_id)
            .await?
            .ok_or(AppError::Integrity)?;
        let directory = Directory::load(&mut tx).await?;
        let now = self.clock().now_ms();
        Ok(item_view(&directory, actor, &campaign, &item, now))
    }
}

/// The items of a campaign in the actor's reach.
async fn reach(
    tx: &mut Tx,
    actor: &Actor,
    review: &AccessReviewId,
) -> Result<Vec<ReviewItemRow>, AppError> {
    if oversees(actor) {
        return Ok(tx.review_items(review).await?);
    }
    let store = actor
        .may_store_wide(
            dealervault_domain::catalog::Entity::Customer,
            dealervault_policy::Action::Assign,
        )
        .then_some(actor.subject.position.store_id.as_ref())
        .flatten();
    // The query is `in_reach` in SQL, so a campaign's other items are never loaded.
    Ok(tx
        .review_items_in_reach(review, &actor.user_id, store)
        .await?)
}

/// The campaign with its counts, or `None` when nothing of it is in the actor's reach.
async fn review_view(
    tx: &mut Tx,
    directory: &Directory,
    actor: &Actor,
    row: &AccessReviewRow,
) -> Result<Option<ReviewView>, AppError> {
    let (progress, stores) = if oversees(actor) {
        let rows = tx.review_progress(&row.id).await?;
        let mut total = Progress::default();
        let mut stores = vec![];
        for r in &rows {
            total.add(r);
            let mut progress = Progress::default();
            progress.add(r);
            let store = directory.store(r.store_id.as_ref());
            stores.push(StoreProgress {
                store_code: store.map(|s| s.code.clone()),
                store_zh: store.map(|s| s.name_zh.clone()),
                store_en: store.map(|s| s.name_en.clone()),
                progress,
            });
        }
        (total, stores)
    } else {
        let items = reach(tx, actor, &row.id).await?;
        if items.is_empty() {
            return Ok(None);
        }
        (Progress::of_items(&items), vec![])
    };
    Ok(Some(ReviewView {
        id: row.id.to_string(),
        quarter: row.quarter.clone(),
        started_at: row.started_at,
        started_by: row
            .started_by
            .as_ref()
            .map(|id| directory.account(id).username),
        due_on: row.due_on.clone(),
        progress,
        stores,
    }))
}

/// One item in words, with what changed since its snapshot.
pub(super) fn item_view(
    directory: &Directory,
    actor: &Actor,
    campaign: &AccessReviewRow,
    i: &ReviewItemRow,
    now: i64,
) -> ReviewItemView {
    let rights = RightsSnapshot::from_json(&i.rights);
    let current = directory.org.get(&i.user_id);
    let changed = current.map_or(ChangedSince::default(), |s| ChangedSince {
        role: s.user.role_id != i.role_id,
        place: s.user.store_id != i.store_id
            || s.user.department_id != i.department_id
            || s.user.team_id != i.team_id,
        rights: RightsSnapshot::of(&s.policy) != rights,
    });
    let open = i.decided_at.is_none();
    let status = match i.decision.as_deref() {
        Some("keep") => "kept",
        Some("remove") => "removed",
        _ => "open",
    };
    let account = |id: &Option<dealervault_domain::ids::UserId>| -> Option<AccountRef> {
        id.as_ref().map(|id| directory.account(id))
    };
    ReviewItemView {
        id: i.id.to_string(),
        review_id: campaign.id.to_string(),
        quarter: campaign.quarter.clone(),
        account: directory.account(&i.user_id),
        account_status: current.map(|s| s.user.status.clone()).unwrap_or_default(),
        role: directory.role(&i.role_id),
        place: directory.place(
            i.store_id.as_ref(),
            i.department_id.as_ref(),
            i.team_id.as_ref(),
        ),
        rights,
        reviewer: account(&i.reviewer_id),
        due_on: i.due_on.clone(),
        overdue: open && now >= i.due_at,
        escalated_at: i.escalated_at,
        status: status.to_string(),
        comment: i.comment.clone(),
        decided_by: account(&i.decided_by),
        decided_at: i.decided_at,
        changed,
        may_decide: open
            && i.reviewer_id.as_ref() == Some(&actor.user_id)
            && i.user_id != actor.user_id,
        handed_over: None,
    }
}
