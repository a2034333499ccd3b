use super::view::FollowUpView;
use crate::actor::Actor;
use crate::audit_trail::{event, record};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_policy::Action;
use dealervault_store::FollowUpQuery;
use time::{Duration, Time};

/// Which follow-ups: `today` (open and due by the end of today, overdue included),
/// `overdue`, `open` (every open one), `done`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct FollowUpListQuery {
    pub when: Option<String>,
}

/// A list shows at most this many, soonest due first.
const LIMIT: u32 = 200;

impl App {
    pub async fn list_follow_ups(
        &self,
        actor: &Actor,
        query: FollowUpListQuery,
    ) -> Result<Vec<FollowUpView>, AppError> {
        let filter = self
            .row_filter(actor, Entity::FollowUp, Action::View, "follow_up.list")
            .await?;
        let now = self.clock().now_ms();
        let end_of_today = self.clock().local_now().replace_time(Time::MIDNIGHT) + Duration::DAY;
        let end_of_today = (end_of_today.unix_timestamp_nanos() / 1_000_000) as i64;
        let mut search = FollowUpQuery::default();
        match query.when.as_deref().unwrap_or("today") {
            "today" => {
                search.state = Some("open".into());
                search.due_before = Some(end_of_today);
            }
            "overdue" => {
                search.state = Some("open".into());
                search.due_before = Some(now);
            }
            "open" => search.state = Some("open".into()),
            "done" => search.state = Some("done".into()),
            _ => return Err(AppError::invalid("when", Rule::UnknownValue)),
        }
        let mut tx = self.store().read().await?;
        let rows = tx.follow_ups(&filter, &search, LIMIT).await?;
        let items = self.render_follow_ups(&mut tx, actor, &rows).await?;
        let mut ev = event(
            self,
            actor,
            "follow_up.list",
            Entity::FollowUp,
            Outcome::Allowed,
        );
        ev.record_ids = items.iter().map(|f| f.id.clone()).collect();
        ev.fields = items
            .first()
            .map(|f| f.fields.keys().map(|k| k.to_string()).collect())
            .unwrap_or_default();
        drop(tx);
        record(self, ev).await?;
        Ok(items)
    }
}
