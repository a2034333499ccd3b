//! The alert engine: stateless over the audit log. Each run reads the events after the
//! cursor in batches, decides every enabled rule for the (rule, person) pairs a batch
//! touches with counts over the log in the rule's window, raises what crosses a
//! threshold, and moves the cursor in the same transaction. The cursor moves only if it
//! still stands where this run found it, so two servers never both raise an alert, and a
//! restart carries on where the last commit left off.

use super::rules::{
    in_notice_period, is_off_hours, is_outside, local_day, local_minute, zone_offset, Cidr,
    RuleAction, RuleKind,
};
use super::{raise, Raise};
use crate::error::AppError;
use crate::App;
use dealervault_domain::ids::{StoreId, UserId};
use dealervault_store::{AlertRuleRow, AuditRow, EventCount, Tx, UserRow};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Events per transaction.
const BATCH: u32 = 500;

/// Business hours a store has until its own are set: 08:00–21:00.
pub const DEFAULT_OPEN_MINUTE: i64 = 8 * 60;
pub const DEFAULT_CLOSE_MINUTE: i64 = 21 * 60;

/// An enabled rule as the engine uses it.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub kind: RuleKind,
    pub threshold: i64,
    pub window_ms: i64,
    pub severity: String,
    pub action: RuleAction,
}

impl Rule {
    pub(crate) fn from_row(row: &AlertRuleRow) -> Option<Self> {
        Some(Self {
            kind: RuleKind::parse(&row.kind)?,
            threshold: row.threshold,
            window_ms: row.window_secs.saturating_mul(1000),
            severity: row.severity.clone(),
            action: RuleAction::parse(&row.action)?,
        })
    }
}

/// A store's hours, zone and networks.
#[derive(Debug, Clone)]
struct StorePlace {
    offset: time::UtcOffset,
    open: i64,
    close: i64,
    networks: Vec<Cidr>,
}

/// What the batch knows of the people and stores it meets.
struct Context {
    stores: HashMap<StoreId, StorePlace>,
    users: HashMap<String, Option<(UserRow, Option<String>)>>,
    honeytokens: HashSet<String>,
}

impl Context {
    async fn load(tx: &mut Tx) -> Result<Self, AppError> {
        let settings: HashMap<StoreId, _> = tx
            .store_alert_settings()
            .await?
            .into_iter()
            .map(|s| (s.store_id.clone(), s))
            .collect();
        let stores = tx
            .stores()
            .await?
            .into_iter()
            .map(|s| {
                let own = settings.get(&s.id);
                let place = StorePlace {
                    offset: zone_offset(&s.timezone),
                    open: own.map_or(DEFAULT_OPEN_MINUTE, |o| o.open_minute),
                    close: own.map_or(DEFAULT_CLOSE_MINUTE, |o| o.close_minute),
                    networks: own
                        .map(|o| o.networks.iter().filter_map(|n| Cidr::parse(n)).collect())
                        .unwrap_or_default(),
                };
                (s.id, place)
            })
            .collect();
        let honeytokens = tx.live_honeytoken_ids().await?.into_iter().collect();
        Ok(Self {
            stores,
            users: HashMap::new(),
            honeytokens,
        })
    }

    /// The account behind an actor id and its last day, when it exists.
    async fn user(
        &mut self,
        tx: &mut Tx,
        id: &str,
    ) -> Result<Option<(UserRow, Option<String>)>, AppError> {
        if let Some(found) = self.users.get(id) {
            return Ok(found.clone());
        }
        let uid = UserId::from_stored(id.to_string());
        let found = match tx.user_by_id(&uid).await? {
            Some(user) => {
                let leaving = tx.user_leaving_on(&uid).await?;
                Some((user, leaving))
            }
            None => None,
        };
        self.users.insert(id.to_string(), found.clone());
        Ok(found)
    }

    fn place(&self, user: &UserRow) -> Option<&StorePlace> {
        user.store_id.as_ref().and_then(|s| self.stores.get(s))
    }

    /// Whether one event counts for `kind`, given who did it.
    fn event_counts(
        &self,
        kind: RuleKind,
        rule: &Rule,
        user: &(UserRow, Option<String>),
        ev: &AuditRow,
    ) -> bool {
        if !kind.looks_at(&ev.action, &ev.outcome) {
            return false;
        }
        let place = self.place(&user.0);
        match kind {
            RuleKind::OffHours => {
                place.is_some_and(|p| is_off_hours(local_minute(ev.at, p.offset), p.open, p.close))
            }
            RuleKind::OutsideNetwork => {
                place.is_some_and(|p| is_outside(ev.client_addr.as_deref(), &p.networks))
            }
            RuleKind::NoticePeriod => {
                let offset = place.map_or(zone_offset(""), |p| p.offset);
                in_notice_period(user.1.as_deref(), &local_day(ev.at, offset))
            }
            RuleKind::LargeExport => ev.record_ids.len() as i64 >= rule.threshold,
            RuleKind::Honeytoken => ev.record_ids.iter().any(|r| self.honeytokens.contains(r)),
            _ => true,
        }
    }
}

/// One (rule, person) pair a batch touched: the newest event of it anchors the window.
struct Touched {
    last_at: i64,
    last_seq: i64,
    /// Export size, for `large_export` (decided per event).
    largest: i64,
    records: Vec<String>,
}

impl App {
    /// Evaluates every event after the cursor; returns how many alerts were raised.
    pub async fn evaluate_alerts(&self) -> Result<usize, AppError> {
        let mut raised = 0;
        loop {
            let (cursor, head) = {
                let mut tx = self.store().read().await?;
                tx.alert_cursor().await?
            };
            if cursor >= head {
                return Ok(raised);
            }
            match self.evaluate_batch(cursor).await? {
                Some(n) => raised += n,
                // Another server took this batch; look again from where it left off.
                None => continue,
            }
        }
    }

    /// One batch after `cursor`, raised in one transaction. `None` when the cursor moved under
    /// us (nothing of ours is committed then).
    async fn evaluate_batch(&self, cursor: i64) -> Result<Option<usize>, AppError> {
        // Counting reads many events, so it runs on a read snapshot: the single writer
        // stays free for the requests' audit appends. Only raising takes the writer.
        let mut tx = self.store().read().await?;
        let events = tx.audit_range(cursor + 1, BATCH).await?;
        let Some(last) = events.last().map(|e| e.seq) else {
            return Ok(Some(0));
        };
        let rules: Vec<Rule> = tx
            .alert_rules()
            .await?
            .iter()
            .filter(|r| r.enabled)
            .filter_map(Rule::from_row)
            .collect();
        let mut ctx = Context::load(&mut tx).await?;
        let mut touched: BTreeMap<(RuleKind, String), Touched> = BTreeMap::new();
        for ev in &events {
            let Some(actor) = ev.actor_id.as_deref() else {
                continue;
            };
            let Some(user) = ctx.user(&mut tx, actor).await? else {
                continue;
            };
            for rule in &rules {
                if !ctx.event_counts(rule.kind, rule, &user, ev) {
                    continue;
                }
                let t = touched
                    .entry((rule.kind, actor.to_string()))
                    .or_insert(Touched {
                        last_at: ev.at,
                        last_seq: ev.seq,
                        largest: 0,
                        records: vec![],
                    });
                t.last_at = t.last_at.max(ev.at);
                t.last_seq = t.last_seq.max(ev.seq);
                t.largest = t.largest.max(ev.record_ids.len() as i64);
                if rule.kind == RuleKind::Honeytoken {
                    t.records.extend(
                        ev.record_ids
                            .iter()
                            .filter(|r| ctx.honeytokens.contains(*r))
                            .cloned(),
                    );
                }
            }
        }
        let mut due = Vec::new();
        for ((kind, actor), t) in touched {
            let Some(rule) = rules.iter().find(|r| r.kind == kind) else {
                continue;
            };
            let Some((user, _)) = ctx.user(&mut tx, &actor).await? else {
                continue;
            };
            let since = t.last_at - rule.window_ms;
            // An alert already open for this person and window: nothing to raise, and no
            // need to count (a heavy viewer's count is the most expensive query here).
            if tx.open_alert_since(kind.code(), &user.id, since).await? {
                continue;
            }
            let (count, records) = self.count(&mut tx, &ctx, rule, &actor, since, &t).await?;
            if count >= rule.threshold {
                due.push((rule, user, since, count, records, t.last_seq));
            }
        }
        tx.rollback().await?;

        let mut tx = self.store().write().await?;
        if !tx.advance_alert_cursor(cursor, last).await? {
            tx.rollback().await?;
            return Ok(None);
        }
        let mut raised = 0;
        for (rule, user, since, count, record_ids, last_seq) in due {
            // Checked again under the writer: an alert raised since the snapshot counts.
            if tx
                .open_alert_since(rule.kind.code(), &user.id, since)
                .await?
            {
                continue;
            }
            raise(
                self,
                &mut tx,
                Raise {
                    rule,
                    subject: &user,
                    count,
                    record_ids,
                    last_seq,
                },
            )
            .await?;
            raised += 1;
        }
        tx.commit().await?;
        Ok(Some(raised))
    }

    /// The rule's count for one person over `[since, t.last_at]`, and the records to
    /// name in the alert.
    async fn count(
        &self,
        tx: &mut Tx,
        ctx: &Context,
        rule: &Rule,
        actor: &str,
        since: i64,
        t: &Touched,
    ) -> Result<(i64, Vec<String>), AppError> {
        let (actions, outcomes) = rule.kind.counted();
        let q = EventCount {
            actor_id: actor,
            actions,
            outcomes,
            since,
            until: t.last_at,
        };
        let count = match rule.kind {
            RuleKind::BulkView => tx.count_distinct_records(&q).await?,
            RuleKind::BulkReveal
            | RuleKind::FrequentExports
            | RuleKind::RefusedAttempts
            | RuleKind::FailedLogins => tx.count_events(&q).await?,
            RuleKind::NoticePeriod => tx.count_events(&q).await?,
            RuleKind::LargeExport => t.largest,
            // Raised by the access reviews' sweep: no event counts for it.
            RuleKind::AccessReviewOverdue => 0,
            RuleKind::Honeytoken => {
                let (n, ids) = tx.honeytoken_events(&q).await?;
                return Ok((n, ids));
            }
            RuleKind::OffHours | RuleKind::OutsideNetwork => {
                let user = ctx.users.get(actor).cloned().flatten();
                let Some(place) = user.as_ref().and_then(|(u, _)| ctx.place(u)) else {
                    return Ok((0, vec![]));
                };
                tx.event_times(&q)
                    .await?
                    .iter()
                    .filter(|(at, addr)| match rule.kind {
                        RuleKind::OffHours => {
                            is_off_hours(local_minute(*at, place.offset), place.open, place.close)
                        }
                        _ => is_outside(addr.as_deref(), &place.networks),
                    })
                    .count() as i64
            }
        };
        Ok((count, t.records.clone()))
    }
}
