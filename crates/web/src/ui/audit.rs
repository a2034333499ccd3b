//! `/audit`: the audit log, for the roles that may read it (the auditor). Filters are a
//! plain GET query — a username, a customer id, an action code and dates hold no personal
//! data of customers — so a filtered view can be bookmarked and linked, which is how each
//! customer id in the table links to "who looked at this customer".
//!
//! The page shows what the log holds: record ids and field names, never values. Reading
//! the log goes through `App::audit_events`, which records the reading itself.

use super::errors::{self, render};
use super::i18n::Lang;
use super::layout::{china_midnight_ms, local_seconds, Layout, Section};
use super::session::PageActor;
use crate::WebState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_app::audit_trail::{AuditFilter, AuditRow};
use dealervault_app::AppError;
use dealervault_domain::catalog::{field, Entity};
use dealervault_domain::ids::CustomerId;
use dealervault_policy::Action;
use serde::Deserialize;
use time::macros::format_description;
use time::Date;

/// Events per page.
const PER_PAGE: u32 = 50;
/// Record ids shown in a row before the rest fold away (a list view records a whole page).
const RECORDS_SHOWN: usize = 3;
/// Characters of an id shown in the table (the random end of a UUIDv7; the start is a
/// timestamp that neighbouring records share).
const SHORT_ID: usize = 8;

/// The actions the use cases record, for the action filter. Each has a label
/// `audit.action.<code>` in the catalog.
pub const ACTIONS: [&str; 22] = [
    "customer.list",
    "customer.view",
    "customer.create",
    "customer.edit",
    "customer.reveal",
    "auth.login",
    "auth.logout",
    "user.list",
    "user.create",
    "user.edit",
    "user.password_change",
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
];

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
    pub since: Option<String>,
    pub until: Option<String>,
}

impl FilterErrors {
    fn any(&self) -> bool {
        self.customer_id.is_some()
            || self.action.is_some()
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

/// `?a=1&b=2`, each value percent-encoded; `""` without pairs.
fn query_string(pairs: &[(&str, &str)]) -> String {
    let encode = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    let joined = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    if joined.is_empty() {
        joined
    } else {
        format!("?{joined}")
    }
}

/// A record id in the table: shortened, the full id in the `title`, and for a customer a
/// link to every event on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRef {
    pub id: String,
    pub short: String,
    /// `/audit?customer_id=…` for a customer's id.
    pub href: Option<String>,
}

impl RecordRef {
    fn new(entity: &str, id: &str) -> Self {
        let chars: Vec<char> = id.chars().collect();
        let short = if chars.len() > SHORT_ID + 1 {
            let tail: String = chars[chars.len() - SHORT_ID..].iter().collect();
            format!("…{tail}")
        } else {
            id.to_string()
        };
        let href = (entity == Entity::Customer.code())
            .then(|| format!("/audit{}", query_string(&[("customer_id", id)])));
        Self {
            id: id.to_string(),
            short,
            href,
        }
    }
}

/// One event as a table row.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub seq: i64,
    pub at: String,
    pub actor: Option<String>,
    /// `/audit?actor=…`, for the other events of the actor's account.
    pub actor_href: Option<String>,
    pub action: String,
    pub action_code: String,
    pub entity: String,
    pub records: Vec<RecordRef>,
    /// Record ids past the first few, folded away.
    pub more_records: Vec<RecordRef>,
    pub fields: String,
    pub reason: Option<String>,
    pub outcome: String,
    /// `badge-success`, `badge-danger` or `badge-warning`.
    pub outcome_class: &'static str,
    pub client_addr: Option<String>,
}

impl EventRow {
    fn of(lang: Lang, row: AuditRow) -> Self {
        let mut records: Vec<RecordRef> = row
            .record_ids
            .iter()
            .map(|id| RecordRef::new(&row.entity, id))
            .collect();
        let more_records = records.split_off(records.len().min(RECORDS_SHOWN));
        let fields = row
            .fields
            .iter()
            .map(|name| field_label(lang, &row.entity, name))
            .collect::<Vec<_>>()
            .join(if lang.is_zh() { "、" } else { ", " });
        let outcome_class = match row.outcome.as_str() {
            "allowed" => "badge-success",
            "denied" => "badge-danger",
            _ => "badge-warning",
        };
        // Only an account's name filters: `system` (installation steps) is no account.
        let actor_href = row
            .actor_username
            .as_deref()
            .filter(|_| row.actor_id.is_some())
            .map(|name| format!("/audit{}", query_string(&[("actor", name)])));
        Self {
            seq: row.seq,
            at: local_seconds(row.at),
            actor: row.actor_username,
            actor_href,
            action: lang.code_label("audit.action", &row.action),
            action_code: row.action,
            entity: lang.code_label("audit.entity", &row.entity),
            records,
            more_records,
            fields,
            reason: row.reason.filter(|r| !r.trim().is_empty()),
            outcome: lang.code_label("audit.outcome", &row.outcome),
            outcome_class,
            client_addr: row.client_addr,
        }
    }
}

/// A recorded field name in words: a customer field by the field catalog, an account
/// field by the message catalog, anything else as recorded.
fn field_label(lang: Lang, entity: &str, name: &str) -> String {
    if entity == Entity::Customer.code() && field(Entity::Customer, name).is_some() {
        lang.field_label(name).to_string()
    } else {
        lang.code_label("audit.field", name)
    }
}

/// One option of the action filter.
#[derive(Debug, Clone)]
pub struct ActionOption {
    pub code: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub page: Layout,
    pub q: AuditQuery,
    pub errors: FilterErrors,
    pub actions: Vec<ActionOption>,
    pub rows: Vec<EventRow>,
    /// The filters are usable (no errors): the table (or its empty state) is shown.
    pub searched: bool,
    /// Filters are set: offer to clear them.
    pub filtered: bool,
    /// The customer whose events are shown, when filtering by one.
    pub customer_banner: Option<String>,
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
    let actions = ACTIONS
        .iter()
        .map(|code| ActionOption {
            code,
            label: lang.code_label("audit.action", code),
            selected: *code == q.action,
        })
        .collect();
    AuditPage {
        page: Layout::for_actor(who, lang.t("audit.title"), Section::Audit).at(&here),
        filtered: q.any(),
        searched: filter.is_some(),
        rows: rows.into_iter().map(|r| EventRow::of(lang, r)).collect(),
        customer_banner,
        older,
        newest,
        actions,
        errors,
        q,
    }
}

#[cfg(test)]
mod tests {
    use super::super::i18n::MESSAGES;
    use super::*;

    /// The entities events name, each with a label `audit.entity.<code>`.
    const ENTITIES: [&str; 7] = [
        "customer",
        "user",
        "role",
        "organisation",
        "settings",
        "audit_log",
        "alert",
    ];

    /// The outcomes of an event, each with a label `audit.outcome.<code>`.
    const OUTCOMES: [&str; 3] = ["allowed", "denied", "failed"];

    fn query(pairs: &[(&str, &str)]) -> AuditQuery {
        let mut q = AuditQuery::default();
        for (k, v) in pairs {
            let v = (*v).to_string();
            match *k {
                "actor" => q.actor = v,
                "customer_id" => q.customer_id = v,
                "action" => q.action = v,
                "since" => q.since = v,
                "until" => q.until = v,
                _ => q.before_seq = Some(v),
            }
        }
        q
    }

    #[test]
    fn every_action_entity_and_outcome_has_words() {
        let known = |key: String| MESSAGES.iter().any(|(k, _, _)| *k == key);
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
        ]);
        let e = to_filter(Lang::Zh, &q).err().unwrap_or_default();
        assert!(e.since.is_some() && e.customer_id.is_some() && e.action.is_some());
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

    #[test]
    fn ids_are_shortened_and_customers_linked() {
        let id = "01900000-0000-7000-8000-0000abcdef12";
        let r = RecordRef::new("customer", id);
        assert_eq!(r.short, "…abcdef12");
        assert_eq!(r.id, id);
        assert_eq!(
            r.href.as_deref(),
            Some(format!("/audit?customer_id={id}").as_str())
        );
        assert_eq!(RecordRef::new("user", id).href, None);
        assert_eq!(RecordRef::new("user", "short").short, "short");
    }

    #[test]
    fn links_keep_the_filters_encoded() {
        assert_eq!(query_string(&[]), "");
        assert_eq!(
            query_string(&[("actor", "a b&c"), ("action", "customer.view")]),
            "?actor=a%20b%26c&action=customer.view"
        );
    }
}
