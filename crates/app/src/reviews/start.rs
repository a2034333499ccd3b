//! Starting a quarter's campaign: by the administrator or the auditor (for the current
//! quarter, with a due date of their choosing), or by the sweep on the quarter's first
//! day. Either way one item per active account, each with its snapshot and its
//! reviewer, in one transaction with the event.

use super::quarter::Quarter;
use super::reviewers::Staff;
use super::rights::RightsSnapshot;
use super::{oversees, Directory, ReviewView};
use crate::actor::Actor;
use crate::audit_trail::{append, commit, event, system_event};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::{AccessReviewId, ReviewItemId, UserId};
use dealervault_domain::values::parse_date_within;
use dealervault_store::{AccessReviewRow, ReviewItemRow, Tx, QUARTER_CONSTRAINT};
use time::{Date, Duration, UtcOffset};

/// `POST /api/v1/access-reviews`.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartReviewInput {
    /// The current quarter, `YYYY-Qn` (e.g. `2026-Q4`).
    #[serde(default)]
    pub quarter: String,
    /// The last day for decisions, `YYYY-MM-DD`: after today and within 90 days; by
    /// default 14 days after today.
    #[serde(default)]
    pub due_on: Option<String>,
}

/// Days reviewers get by default, and at most.
pub(super) const DEFAULT_DAYS: i64 = 14;
const MAX_DAYS: i64 = 90;

/// The instant `day` ends in the stores' calendar, in unix milliseconds.
pub(super) fn end_of(day: Date, offset: UtcOffset) -> i64 {
    (day + Duration::days(1))
        .midnight()
        .assume_offset(offset)
        .unix_timestamp()
        .saturating_mul(1000)
}

/// What a new campaign is.
struct NewCampaign<'a> {
    quarter: Quarter,
    due_on: Date,
    offset: UtcOffset,
    by: Option<&'a UserId>,
    now: i64,
}

/// Inserts the campaign and an item per active account; its id, or `None` when the
/// quarter has one already (the transaction stays usable).
async fn create(tx: &mut Tx, c: NewCampaign<'_>) -> Result<Option<AccessReviewId>, AppError> {
    let id = AccessReviewId::generate();
    let due_on = c.due_on.to_string();
    let due_at = end_of(c.due_on, c.offset);
    let row = AccessReviewRow {
        id: id.clone(),
        quarter: c.quarter.to_string(),
        started_by: c.by.cloned(),
        started_at: c.now,
        due_on: due_on.clone(),
        due_at,
    };
    match tx.insert_access_review(&row).await {
        Ok(()) => {}
        Err(e) if e.is_conflict_on(QUARTER_CONSTRAINT) => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    let directory = Directory::load(tx).await?;
    let org = &directory.org;
    for staff in org.staff().iter().filter(|s| s.user.status == "active") {
        tx.insert_review_item(&item(&id, staff, org.reviewer_of(staff), &due_on, due_at))
            .await?;
    }
    Ok(Some(id))
}

fn item(
    review: &AccessReviewId,
    staff: &Staff,
    reviewer: Option<UserId>,
    due_on: &str,
    due_at: i64,
) -> ReviewItemRow {
    let user = &staff.user;
    ReviewItemRow {
        id: ReviewItemId::generate(),
        review_id: review.clone(),
        store_id: user.store_id.clone(),
        department_id: user.department_id.clone(),
        team_id: user.team_id.clone(),
        user_id: user.id.clone(),
        role_id: user.role_id.clone(),
        rights: RightsSnapshot::of(&staff.policy).to_json(),
        first_reviewer_id: reviewer.clone(),
        reviewer_id: reviewer,
        due_on: due_on.to_string(),
        due_at,
        escalated_at: None,
        alerted_at: None,
        decision: None,
        comment: String::new(),
        decided_by: None,
        decided_at: None,
    }
}

impl App {
    /// Today's quarter in the stores' calendar, as campaigns name it (`2026-Q4`): the
    /// one a campaign may be started for.
    pub fn current_quarter(&self) -> String {
        Quarter::of(self.clock().local_now().date()).to_string()
    }

    /// Starts the current quarter's campaign by hand: the administrator or the auditor.
    /// Recorded as `access_review.start` (refusals too).
    pub async fn start_access_review(
        &self,
        actor: &Actor,
        input: &StartReviewInput,
    ) -> Result<ReviewView, AppError> {
        let verb = "access_review.start";
        let mut ev = event(self, actor, verb, Entity::User, Outcome::Denied);
        if !oversees(actor) {
            return Err(crate::audit_trail::refuse(self, ev, AppError::Forbidden).await);
        }
        let local = self.clock().local_now();
        let today = local.date();
        let mut errors = vec![];
        let quarter = match Quarter::parse("quarter", &input.quarter) {
            Ok(q) if q == Quarter::of(today) => Some(q),
            // Only the current quarter: a campaign's snapshot is taken now.
            Ok(_) => {
                errors.push(dealervault_domain::FieldError::new(
                    "quarter",
                    Rule::NotAllowedNow,
                ));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let due_on = match input.due_on.as_deref().map(str::trim) {
            None | Some("") => Some(today + Duration::days(DEFAULT_DAYS)),
            Some(s) => {
                let (earliest, latest) =
                    (today + Duration::days(1), today + Duration::days(MAX_DAYS));
                match parse_date_within("due_on", s, earliest, latest) {
                    Ok(d) => Some(d),
                    Err(e) => {
                        errors.push(e);
                        None
                    }
                }
            }
        };
        let (Some(quarter), Some(due_on), true) = (quarter, due_on, errors.is_empty()) else {
            return Err(crate::audit_trail::refuse(self, ev, AppError::Invalid(errors)).await);
        };
        ev.fields = vec!["quarter".into(), "due_on".into()];
        ev.reason = Some(quarter.to_string());
        let now = self.clock().now_ms();
        let mut tx = self.store().write().await?;
        let campaign = NewCampaign {
            quarter,
            due_on,
            offset: local.offset(),
            by: Some(&actor.user_id),
            now,
        };
        let Some(id) = create(&mut tx, campaign).await? else {
            return Err(self
                .abandon(tx, ev, AppError::Conflict("review_exists"))
                .await);
        };
        ev.outcome = Outcome::Allowed;
        ev.record_ids = vec![id.to_string()];
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        self.access_review_view(actor, &id).await
    }

    /// On a quarter's first day, starts its campaign if it has none yet (the sweep):
    /// recorded as the system's `access_review.start`. Returns 1 when it started one.
    pub async fn start_quarter_review(&self) -> Result<usize, AppError> {
        let local = self.clock().local_now();
        let today = local.date();
        let quarter = Quarter::of(today);
        if today != quarter.first_day() {
            return Ok(0);
        }
        let code = quarter.to_string();
        {
            let mut tx = self.store().read().await?;
            if tx.access_review_of_quarter(&code).await?.is_some() {
                return Ok(0);
            }
        }
        let now = self.clock().now_ms();
        let mut tx = self.store().write().await?;
        let campaign = NewCampaign {
            quarter,
            due_on: today + Duration::days(DEFAULT_DAYS),
            offset: local.offset(),
            by: None,
            now,
        };
        // Another server may have started it meanwhile.
        let Some(id) = create(&mut tx, campaign).await? else {
            tx.rollback().await?;
            return Ok(0);
        };
        let mut ev = system_event(
            now,
            "access_review.start",
            Entity::User.code(),
            vec![id.to_string()],
        );
        ev.fields = vec!["quarter".into(), "due_on".into()];
        ev.reason = Some(code);
        let seq = append(&mut tx, ev).await?;
        commit(self, tx, seq).await?;
        Ok(1)
    }
}
