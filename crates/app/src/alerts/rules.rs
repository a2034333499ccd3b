//! The rule kinds and the pure predicates they are decided on: which events a rule
//! looks at, business hours in a store's zone, allowed networks. No I/O.

use dealervault_audit::Outcome;
use std::net::IpAddr;
use time::{OffsetDateTime, UtcOffset};

/// Actions that touch customers' personal data.
pub const PERSONAL_DATA_ACTIONS: [&str; 9] = [
    "customer.list",
    "customer.view",
    "customer.reveal",
    "customer.edit",
    "customer.create",
    "customer.export",
    "customer.sync",
    // Asking for an export and fetching its file are moves of customer data too.
    "export.request",
    "export.download",
];

/// What a customer list or detail view records: the records a person has seen.
pub const SEEING_ACTIONS: [&str; 2] = ["customer.list", "customer.view"];

/// Actions on one named customer. A list appearance does not count for honeytokens:
/// a decoy sits in its owner's list and in every manager's list above it, so every list
/// page of those people would fire; opening, revealing, editing, exporting or syncing
/// the decoy is what nobody has a reason to do.
pub const HONEYTOKEN_ACTIONS: [&str; 5] = [
    "customer.view",
    "customer.reveal",
    "customer.edit",
    "customer.export",
    "customer.sync",
];

pub const EXPORT_ACTION: &str = "customer.export";
pub const EXPORT_REQUEST_ACTION: &str = "export.request";
pub const LOGIN_ACTION: &str = "auth.login";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleKind {
    BulkView,
    BulkReveal,
    OffHours,
    OutsideNetwork,
    LargeExport,
    FrequentExports,
    RefusedAttempts,
    FailedLogins,
    NoticePeriod,
    Honeytoken,
    /// An access review item nobody decided in time, with nobody left to escalate it to
    /// (`reviews/escalate.rs`). Raised by the reviews' sweep, not by the log's events.
    AccessReviewOverdue,
}

impl RuleKind {
    pub const ALL: [RuleKind; 11] = [
        RuleKind::BulkView,
        RuleKind::BulkReveal,
        RuleKind::OffHours,
        RuleKind::OutsideNetwork,
        RuleKind::LargeExport,
        RuleKind::FrequentExports,
        RuleKind::RefusedAttempts,
        RuleKind::FailedLogins,
        RuleKind::NoticePeriod,
        RuleKind::Honeytoken,
        RuleKind::AccessReviewOverdue,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RuleKind::BulkView => "bulk_view",
            RuleKind::BulkReveal => "bulk_reveal",
            RuleKind::OffHours => "off_hours",
            RuleKind::OutsideNetwork => "outside_network",
            RuleKind::LargeExport => "large_export",
            RuleKind::FrequentExports => "frequent_exports",
            RuleKind::RefusedAttempts => "refused_attempts",
            RuleKind::FailedLogins => "failed_logins",
            RuleKind::NoticePeriod => "notice_period",
            RuleKind::Honeytoken => "honeytoken",
            RuleKind::AccessReviewOverdue => "access_review_overdue",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether an event (by action and outcome) is one this rule counts. Rules that also
    /// depend on the person's store, calendar or the record (hours, networks, notice,
    /// honeytokens, export size) narrow this down further in the engine.
    pub fn looks_at(self, action: &str, outcome: &str) -> bool {
        let allowed = outcome == Outcome::Allowed.code();
        let personal = PERSONAL_DATA_ACTIONS.contains(&action);
        match self {
            RuleKind::BulkView => allowed && SEEING_ACTIONS.contains(&action),
            RuleKind::BulkReveal => allowed && action == "customer.reveal",
            RuleKind::OffHours | RuleKind::OutsideNetwork | RuleKind::NoticePeriod => {
                allowed && personal
            }
            RuleKind::LargeExport => allowed && action == EXPORT_ACTION,
            RuleKind::FrequentExports => allowed && action == EXPORT_REQUEST_ACTION,
            RuleKind::RefusedAttempts => personal && outcome == Outcome::Denied.code(),
            RuleKind::FailedLogins => {
                action == LOGIN_ACTION
                    && (outcome == Outcome::Failed.code() || outcome == Outcome::Denied.code())
            }
            RuleKind::Honeytoken => HONEYTOKEN_ACTIONS.contains(&action),
            RuleKind::AccessReviewOverdue => false,
        }
    }

    /// The actions and outcomes the rule's count over the window selects in SQL.
    pub fn counted(self) -> (&'static [&'static str], &'static [&'static str]) {
        const ALLOWED: &[&str] = &["allowed"];
        const DENIED: &[&str] = &["denied"];
        const LOGIN_FAILURES: &[&str] = &["failed", "denied"];
        const ANY: &[&str] = &[];
        match self {
            RuleKind::BulkView => (&SEEING_ACTIONS, ALLOWED),
            RuleKind::BulkReveal => (&["customer.reveal"], ALLOWED),
            RuleKind::OffHours | RuleKind::OutsideNetwork | RuleKind::NoticePeriod => {
                (&PERSONAL_DATA_ACTIONS, ALLOWED)
            }
            RuleKind::LargeExport => (&[EXPORT_ACTION], ALLOWED),
            RuleKind::FrequentExports => (&[EXPORT_REQUEST_ACTION], ALLOWED),
            RuleKind::RefusedAttempts => (&PERSONAL_DATA_ACTIONS, DENIED),
            RuleKind::FailedLogins => (&[LOGIN_ACTION], LOGIN_FAILURES),
            RuleKind::Honeytoken => (&HONEYTOKEN_ACTIONS, ANY),
            RuleKind::AccessReviewOverdue => (&[], ALLOWED),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Critical];

    pub fn code(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What happens to the person an alert is about, at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleAction {
    None,
    /// Every session of the person ends: they must sign in again.
    RequireRelogin,
    /// The account is disabled and every session ends.
    Freeze,
}

impl RuleAction {
    pub const ALL: [RuleAction; 3] = [
        RuleAction::None,
        RuleAction::RequireRelogin,
        RuleAction::Freeze,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RuleAction::None => "none",
            RuleAction::RequireRelogin => "require_relogin",
            RuleAction::Freeze => "freeze",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// A store's zone as a fixed offset. Stores are in mainland China (no daylight saving);
/// a zone this table does not know is taken as China Standard Time.
pub fn zone_offset(zone: &str) -> UtcOffset {
    let hours = match zone {
        "UTC" | "Etc/UTC" => 0,
        "Asia/Urumqi" => 6,
        "Asia/Tokyo" | "Asia/Seoul" => 9,
        _ => 8,
    };
    UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// Minute of the day of `at_ms` in `offset`.
pub fn local_minute(at_ms: i64, offset: UtcOffset) -> i64 {
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(at_ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset);
    i64::from(t.hour()) * 60 + i64::from(t.minute())
}

/// `YYYY-MM-DD` of `at_ms` in `offset`.
pub fn local_day(at_ms: i64, offset: UtcOffset) -> String {
    let d = OffsetDateTime::from_unix_timestamp_nanos(i128::from(at_ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset)
        .date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Whether a moment lies outside business hours `[open, close)` (minutes of the day);
/// hours that cross midnight (`open > close`) are understood as such.
pub fn is_off_hours(minute: i64, open: i64, close: i64) -> bool {
    if open <= close {
        !(open..close).contains(&minute)
    } else {
        (close..open).contains(&minute)
    }
}

/// A network in CIDR notation, IPv4 or IPv6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// `10.1.0.0/16`, `2001:db8::/32`; a bare address is a /32 (/128).
    pub fn parse(s: &str) -> Option<Self> {
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (s.trim().parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Self { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        fn bits(ip: IpAddr) -> (u128, u8) {
            match ip {
                IpAddr::V4(v) => (u128::from(u32::from(v)), 32),
                IpAddr::V6(v) => match v.to_ipv4_mapped() {
                    Some(v4) => (u128::from(u32::from(v4)), 32),
                    None => (u128::from(v), 128),
                },
            }
        }
        let (net, width) = bits(self.addr);
        let (host, host_width) = bits(ip);
        if width != host_width {
            return false;
        }
        let prefix = u32::from(self.prefix.min(width));
        if prefix == 0 {
            return true;
        }
        let shift = u32::from(width) - prefix;
        (net >> shift) == (host >> shift)
    }
}

/// Whether `addr` lies outside every one of `networks`. No configured network, or no
/// known address, is never "outside".
pub fn is_outside(addr: Option<&str>, networks: &[Cidr]) -> bool {
    if networks.is_empty() {
        return false;
    }
    match addr.and_then(|a| a.parse::<IpAddr>().ok()) {
        Some(ip) => !networks.iter().any(|n| n.contains(ip)),
        None => false,
    }
}

/// Whether a person whose last day is `leaving_on` is in their notice period on `day`
/// (both `YYYY-MM-DD`, which compare as text).
pub fn in_notice_period(leaving_on: Option<&str>, day: &str) -> bool {
    leaving_on.is_some_and(|last| day <= last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips() {
        for k in RuleKind::ALL {
            assert_eq!(RuleKind::parse(k.code()), Some(k));
        }
        assert_eq!(RuleKind::parse("nope"), None);
        assert_eq!(Severity::parse("critical"), Some(Severity::Critical));
        assert_eq!(RuleAction::parse("freeze"), Some(RuleAction::Freeze));
    }

    #[test]
    fn bulk_view_counts_lists_and_views_that_were_allowed() {
        assert!(RuleKind::BulkView.looks_at("customer.list", "allowed"));
        assert!(RuleKind::BulkView.looks_at("customer.view", "allowed"));
        assert!(!RuleKind::BulkView.looks_at("customer.view", "denied"));
        assert!(!RuleKind::BulkView.looks_at("customer.reveal", "allowed"));
    }

    #[test]
    fn bulk_reveal_counts_reveals() {
        assert!(RuleKind::BulkReveal.looks_at("customer.reveal", "allowed"));
        assert!(!RuleKind::BulkReveal.looks_at("customer.view", "allowed"));
    }

    #[test]
    fn refused_attempts_are_denied_customer_actions() {
        assert!(RuleKind::RefusedAttempts.looks_at("customer.view", "denied"));
        assert!(!RuleKind::RefusedAttempts.looks_at("customer.view", "allowed"));
        assert!(!RuleKind::RefusedAttempts.looks_at("auth.login", "denied"));
    }

    #[test]
    fn failed_logins_are_failed_or_refused_logins() {
        assert!(RuleKind::FailedLogins.looks_at("auth.login", "failed"));
        assert!(RuleKind::FailedLogins.looks_at("auth.login", "denied"));
        assert!(!RuleKind::FailedLogins.looks_at("auth.login", "allowed"));
    }

    #[test]
    fn honeytokens_ignore_list_appearances() {
        assert!(!RuleKind::Honeytoken.looks_at("customer.list", "allowed"));
        for a in HONEYTOKEN_ACTIONS {
            assert!(RuleKind::Honeytoken.looks_at(a, "allowed"), "{a}");
            assert!(RuleKind::Honeytoken.looks_at(a, "denied"), "{a}");
        }
    }

    #[test]
    fn large_export_and_personal_data_rules_look_at_their_actions() {
        assert!(RuleKind::LargeExport.looks_at("customer.export", "allowed"));
        assert!(!RuleKind::LargeExport.looks_at("customer.list", "allowed"));
        for k in [
            RuleKind::OffHours,
            RuleKind::OutsideNetwork,
            RuleKind::NoticePeriod,
        ] {
            assert!(k.looks_at("customer.list", "allowed"));
            assert!(!k.looks_at("auth.login", "allowed"));
            assert!(!k.looks_at("customer.view", "denied"));
        }
    }

    #[test]
    fn off_hours_are_judged_in_the_store_zone() {
        let shanghai = zone_offset("Asia/Shanghai");
        // 2026-01-05T14:00Z is 22:00 in Shanghai: after a 08:30–21:00 day.
        let late = 1_767_621_600_000;
        assert_eq!(local_minute(late, shanghai), 22 * 60);
        assert!(is_off_hours(local_minute(late, shanghai), 510, 1260));
        // 2026-01-05T02:00Z is 10:00 in Shanghai.
        let morning = 1_767_578_400_000;
        assert!(!is_off_hours(local_minute(morning, shanghai), 510, 1260));
        assert_eq!(local_day(late, shanghai), "2026-01-05");
        // A night shift 22:00–06:00 crosses midnight.
        assert!(!is_off_hours(23 * 60, 22 * 60, 6 * 60));
        assert!(is_off_hours(12 * 60, 22 * 60, 6 * 60));
        assert!(!is_off_hours(510, 510, 1260));
        assert!(is_off_hours(1260, 510, 1260));
    }

    #[test]
    fn networks_contain_their_addresses() {
        let nets: Vec<Cidr> = ["10.1.0.0/16", "192.168.5.7", "2001:db8::/32"]
            .iter()
            .filter_map(|s| Cidr::parse(s))
            .collect();
        assert_eq!(nets.len(), 3);
        assert!(!is_outside(Some("10.1.200.3"), &nets));
        assert!(is_outside(Some("10.2.0.1"), &nets));
        assert!(!is_outside(Some("192.168.5.7"), &nets));
        assert!(is_outside(Some("192.168.5.8"), &nets));
        assert!(!is_outside(Some("2001:db8:1::1"), &nets));
        assert!(!is_outside(Some("::ffff:10.1.0.9"), &nets));
        assert!(!is_outside(None, &nets));
        assert!(!is_outside(Some("10.2.0.1"), &[]));
        assert_eq!(Cidr::parse("10.0.0.0/33"), None);
        assert_eq!(Cidr::parse("not-a-net"), None);
        assert!(Cidr::parse("0.0.0.0/0").is_some_and(|c| c.contains([8, 8, 8, 8].into())));
    }

    #[test]
    fn notice_period_runs_to_the_last_day() {
        assert!(in_notice_period(Some("2026-01-31"), "2026-01-05"));
        assert!(in_notice_period(Some("2026-01-31"), "2026-01-31"));
        assert!(!in_notice_period(Some("2026-01-31"), "2026-02-01"));
        assert!(!in_notice_period(None, "2026-01-05"));
    }
}
