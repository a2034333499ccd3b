//! `/audit`: the audit log, for the roles that may read it (the auditor). Filters are a
//! plain GET query — a username, a customer id, an action code and dates hold no personal
//! data of customers — so a filtered view can be bookmarked and linked, which is how each
//! customer id in the table links to "who looked at this customer".
//!
//! The page shows what the log holds: record ids and field names, never values. Reading
//! the log goes through `App::audit_events`, which records the reading itself.

use super::choice::Choice;
use super::errors::{self, render};
use super::i18n::Lang;
use super::layout::{china_midnight_ms, Layout, Section};
use super::session::PageActor;
use crate::WebState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_app::audit_trail::{AuditFilter, AuditRow};
use dealervault_app::AppError;
use dealervault_domain::catalog::Entity;
use dealervault_domain::ids::CustomerId;
use dealervault_policy::Action;
use serde::Deserialize;
use time::macros::format_description;

mod rows;
mod timeline;

use rows::query_string;
use rows::EventRow;
use time::Date;
pub use timeline::show as timeline;

/// Events per page.
const PER_PAGE: u32 = 50;

/// The actions the use cases record, for the action filter. Each has a label
/// `audit.action.<code>` in the catalog.
pub const ACTIONS: [&str; 83] = [
    "customer.list",
    "customer.view",
    "customer.create",
    "customer.edit",
    "customer.reveal",
    "customer.history",
    "customer.ownership",
    "lead.list",
    "lead.pool",
    "lead.view",
    "lead.create",
    "lead.edit",
    "lead.reveal",
    "lead.claim",
    "lead.assign",
    "lead.release",
    "lead.return",
    "lead.convert",
    "lead.rules",
    "lead.report",
    "follow_up.create",
    "follow_up.complete",
    "follow_up.list",
    "test_drive.list",
    "test_drive.view",
    "test_drive.create",
    "test_drive.complete",
    "test_drive.cancel",
    "test_drive.no_show",
    "vehicle.list",
    "vehicle.view",
    "vehicle.create",
    "vehicle.edit",
    "vehicle.report",
    "deal.list",
    "deal.view",
    "deal.quote",
    "deal.order",
    "deal.allocate",
    "deal.pay",
    "deal.deliver",
    "deal.cancel",
    "export.list",
    "export.view",
    "export.request",
    "export.approve",
    "export.reject",
    "export.download",
    "export.expire",
    "export.rules",
    "export.configure",
    "export.trace",
    "auth.login",
    "auth.logout",
    "auth.mfa_challenge",
    "auth.mfa_setup",
    "auth.mfa_enrol",
    "auth.mfa_recovery_used",
    "auth.mfa_recovery_regenerate",
    "user.list",
    "user.create",
    "user.edit",
    "user.password_change",
    "user.freeze",
    "user.resign",
    "user.handover",
    "user.risk_report",
    "user.mfa_reset",
    "role.list",
    "audit.view",
    "system.install",
    "alert.raise",
    "alert.list",
    "alert.view",
    "alert.acknowledge",
    "alert.comment",
    "alert.configure",
    "honeytoken.plant",
    "honeytoken.retire",
    "access_review.start",
    "access_review.decide",
    "access_review.escalate",
    "access_report.view",
];

/// The outcomes an event can have, for the outcome filter; each has a label
/// `audit.outcome.<code>`.
pub const OUTCOMES: [&str; 3] = ["allowed", "denied", "failed"];

/// The filters as typed. All optional; blank is the same as absent.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    customer_id: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    since: String,
    #[serde(default)]
    until: String,
    before_seq: Option<String>,
}

impl AuditQuery {
    fn trimmed(self) -> Self {
        Self {
            actor: self.actor.trim().to_string(),
            customer_id: self.customer_id.trim().to_string(),
            action: self.action.trim().to_string(),
            outcome: self.outcome.trim().to_string(),
            since: self.since.trim().to_string(),
            until: self.until.trim().to_string(),
            before_seq: self.before_seq,
        }
    }

    /// The filters as query pairs (without the paging position), for links.
    fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("actor", self.actor.as_str()),
            ("customer_id", self.customer_id.as_str()),
            ("action", self.action.as_str()),
            ("outcome", self.outcome.as_str()),
            ("since", self.since.as_str()),
            ("until", self.until.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect()
    }

    fn any(&self) -> bool {
        !self.pairs().is_empty()
    }
}

/// Why a filter could not be used, next to its input.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FilterErrors {
    pub customer_id: Option<String>,
    pub action: Option<String>,
    pub outcome: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
}

impl FilterErrors {
    fn any(&self) -> bool {
        self.customer_id.is_some()
            || self.action.is_some()
            || self.outcome.is_some()
            || self.since.is_some()
            || self.until.is_some()
    }
}

/// A `YYYY-MM-DD` date as a date input sends it.
fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]")).ok()
}

/// The use case's filter for the typed one (dates are whole days in Asia/Shanghai; the
/// end date is included), or the errors to show.
fn to_filter(lang: Lang, q: &AuditQuery) -> Result<AuditFilter, FilterErrors> {
    let mut errors = FilterErrors::default();
    let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let customer_id = match q.customer_id.as_str() {
        "" => None,
        s => match CustomerId::parse(s) {
            Some(id) => Some(id.to_string()),
            None => {
                errors.customer_id = Some(lang.t("audit.error.customer_id").to_string());
                None
            }
        },
    };
    let action = match q.action.as_str() {
        "" => None,
        s if ACTIONS.contains(&s) => Some(s.to_string()),
        _ => {
            errors.action = Some(lang.t("rule.unknown_value").to_string());
            None
        }
    };
    let outcome = match q.outcome.as_str() {
        "" => None,
        s if OUTCOMES.contains(&s) => Some(s.to_string()),
        _ => {
            errors.outcome = Some(lang.t("rule.unknown_value").to_string());
            None
        }
    };
    let day = |s: &str, slot: &mut Option<String>| match s {
        "" => None,
        s => {
            let date = parse_date(s);
            if date.is_none() {
                *slot = Some(lang.t("rule.invalid_date").to_string());
            }
            date
        }
    };
    let since_day = day(&q.since, &mut errors.since);
    let until_day = day(&q.until, &mut errors.until);
    if let (Some(from), Some(to)) = (since_day, until_day) {
        if to < from {
            errors.until = Some(lang.t("audit.error.range").to_string());
        }
    }
    if errors.any() {
        return Err(errors);
    }
    Ok(AuditFilter {
        actor: text(&q.actor),
        customer_id,
        action,
        outcome,
        since: since_day.map(china_midnight_ms),
        // The store's bound is exclusive: up to the midnight that ends the day.
        until: until_day.and_then(Date::next_day).map(china_midnight_ms),
        before_seq: q
            .before_seq
            .as_deref()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .filter(|seq| *seq > 0),
        // One more than a page, to know whether an older page exists.
        limit: Some(PER_PAGE + 1),
    })
}

#[derive(Debug, Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub page: Layout,
    pub q: AuditQuery,
    pub errors: FilterErrors,
    pub actions: Vec<Choice>,
    pub outcomes: Vec<Choice>,
    pub rows: Vec<EventRow>,
    /// The filters are usable (no errors): the table (or its empty state) is shown.
    pub searched: bool,
    /// Filters are set: offer to clear them.
    pub filtered: bool,
    /// The customer whose events are shown, when filtering by one.
    pub customer_banner: Option<String>,
    /// The person's activity timeline, when filtering by one.
    pub actor_timeline: Option<String>,
    /// The link to the next, older page.
    pub older: Option<String>,
    /// The link back to the newest page, when paging.
    pub newest: Option<String>,
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Query(query): Query<AuditQuery>,
) -> Response {
    if !who.actor.may(Entity::AuditLog, Action::View) {
        // The use case refuses, and records the attempt.
        let probe = AuditFilter {
            limit: Some(1),
            ..AuditFilter::default()
        };
        let e = match state.app.audit_events(&who.actor, probe).await {
            Err(e) => e,
            Ok(_) => AppError::Forbidden,
        };
        return errors::app_error(&who, &e);
    }
    let lang = who.lang;
    let q = query.trimmed();
    let (status, rows, errors, filter) = match to_filter(lang, &q) {
        Ok(filter) => match state.app.audit_events(&who.actor, filter.clone()).await {
            Ok(rows) => (StatusCode::OK, rows, FilterErrors::default(), Some(filter)),
            Err(e) => return errors::app_error(&who, &e),
        },
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, vec![], errors, None),
    };
    let page = build(&who, q, rows, errors, filter.as_ref());
    render(status, &page)
}

fn build(
    who: &PageActor,
    q: AuditQuery,
    mut rows: Vec<AuditRow>,
    errors: FilterErrors,
    filter: Option<&AuditFilter>,
) -> AuditPage {
    let lang = who.lang;
    let filters = q.pairs();
    let more = rows.len() > PER_PAGE as usize;
    rows.truncate(PER_PAGE as usize);
    let older = rows.last().filter(|_| more).map(|last| {
        let seq = last.seq.to_string();
        let mut pairs = filters.clone();
        pairs.push(("before_seq", seq.as_str()));
        format!("/audit{}", query_string(&pairs))
    });
    let paging = filter.and_then(|f| f.before_seq).is_some();
    let newest = paging.then(|| format!("/audit{}", query_string(&filters)));
    let mut here_pairs = filters.clone();
    let before = filter.and_then(|f| f.before_seq).map(|s| s.to_string());
    if let Some(seq) = &before {
        here_pairs.push(("before_seq", seq.as_str()));
    }
    let here = format!("/audit{}", query_string(&here_pairs));
    let customer_banner = filter
        .and_then(|f| f.customer_id.as_deref())
        .map(|id| lang.t1("audit.customer.banner", id));
    let actor_timeline = filter
        .and_then(|f| f.actor.as_deref())
        .map(rows::timeline_href);
    let actions = Choice::list(lang, "audit.action", ACTIONS, &q.action);
    let outcomes = Choice::list(lang, "audit.outcome", OUTCOMES, &q.outcome);
    AuditPage {
        page: Layout::for_actor(who, lang.t("audit.title"), Section::Audit).at(&here),
        filtered: q.any(),
        searched: filter.is_some(),
        rows: rows.into_iter().map(|r| EventRow::of(lang, r)).collect(),
        customer_banner,
        actor_timeline,
        older,
        newest,
        actions,
        outcomes,
        errors,
        q,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entities events name, each with a label `audit.entity.<code>`.
    const ENTITIES: [&str; 12] = [
        "customer",
        "lead",
        "follow_up",
        "test_drive",
        "deal",
        "vehicle",
        "user",
        "role",
        "organisation",
        "settings",
        "audit_log",
        "alert",
    ];

    fn query(pairs: &[(&str, &str)]) -> AuditQuery {
        let mut q = AuditQuery::default();
        for (k, v) in pairs {
            let v = (*v).to_string();
            match *k {
                "actor" => q.actor = v,
                "customer_id" => q.customer_id = v,
                "action" => q.action = v,
                "outcome" => q.outcome = v,
                "since" => q.since = v,
                "until" => q.until = v,
                _ => q.before_seq = Some(v),
            }
        }
        q
    }

    #[test]
    fn every_action_entity_and_outcome_has_words() {
        // Any catalog: each group of pages keeps its actions' words beside its own.
        let known = |key: String| Lang::En.t(&key) != "?";
        for code in ACTIONS {
            assert!(known(format!("audit.action.{code}")), "{code}");
        }
        for code in ENTITIES {
            assert!(known(format!("audit.entity.{code}")), "{code}");
        }
        for code in OUTCOMES {
            assert!(known(format!("audit.outcome.{code}")), "{code}");
        }
        for e in Entity::ALL {
            assert!(ENTITIES.contains(&e.code()), "{e:?}");
        }
    }

    #[test]
    fn dates_are_whole_days_in_shanghai() {
        let q = query(&[
            ("since", "2026-01-05"),
            ("until", "2026-01-05"),
            ("actor", "sales01"),
            ("before_seq", "40"),
        ]);
        let f = to_filter(Lang::Zh, &q).expect("valid filters");
        // 2026-01-05T00:00+08:00 and the midnight after it.
        assert_eq!(f.since, Some(1_767_542_400_000));
        assert_eq!(f.until, Some(1_767_542_400_000 + 86_400_000));
        assert_eq!(f.actor.as_deref(), Some("sales01"));
        assert_eq!(f.before_seq, Some(40));
        assert_eq!(f.limit, Some(PER_PAGE + 1));
        assert_eq!(f.customer_id, None);
    }

    #[test]
    fn bad_filters_are_named_next_to_their_inputs() {
        let q = query(&[
            ("since", "2026-02-30"),
            ("customer_id", "abc"),
            ("action", "drop.table"),
            ("outcome", "maybe"),
        ]);
        let e = to_filter(Lang::Zh, &q).err().unwrap_or_default();
        assert!(e.since.is_some() && e.customer_id.is_some() && e.action.is_some());
        assert!(e.outcome.is_some());
        assert_eq!(e.until, None);
        let q = query(&[("since", "2026-01-06"), ("until", "2026-01-05")]);
        let e = to_filter(Lang::En, &q).err().unwrap_or_default();
        assert_eq!(
            e.until.as_deref(),
            Some("The end date must not be before the start date.")
        );
        // A nonsensical paging position starts from the newest event.
        let f = to_filter(Lang::Zh, &query(&[("before_seq", "-3")])).expect("valid");
        assert_eq!(f.before_seq, None);
    }
}
