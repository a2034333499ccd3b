//! The events of the log as table rows: ids shortened and linked, codes in words.

use super::super::i18n::Lang;
use super::super::layout::local_seconds;
use dealervault_app::audit_trail::AuditRow;
use dealervault_domain::catalog::{field, Entity};

/// Record ids shown in a row before the rest fold away (a list view records a whole page).
const RECORDS_SHOWN: usize = 3;
/// Characters of an id shown in the table (the random end of a UUIDv7; the start is a
/// timestamp that neighbouring records share).
const SHORT_ID: usize = 8;

/// Percent-encodes everything but unreserved characters: safe in a query value and in a
/// path segment alike.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `?a=1&b=2`, each value percent-encoded; `""` without pairs.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
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

/// The activity timeline of the account named `username`.
pub fn timeline_href(username: &str) -> String {
    format!("/audit/people/{}", encode(username))
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
    pub fn new(entity: &str, id: &str) -> Self {
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
    pub fn of(lang: Lang, row: AuditRow) -> Self {
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

#[cfg(test)]
mod tests {
    use super::*;

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
