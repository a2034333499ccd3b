//! What every page shares: the top bar (who is signed in, their role and store), the
//! navigation a role may use, the language switch and, on pages with customer data, the
//! watermark.

use super::assets;
use super::i18n::Lang;
use super::session::PageActor;
use super::watermark::Watermark;
use crate::WebState;
use dealervault_domain::catalog::Entity;
use dealervault_policy::Action;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// The part of the top bar that names the signed-in person.
#[derive(Debug, Clone)]
pub struct UserBar {
    pub display_name: String,
    /// The first character of the name, for the avatar.
    pub initial: String,
    pub username: String,
    pub role: String,
    /// "门店 SH01", or the group for group-level staff.
    pub store: String,
    pub csrf: String,
}

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
    /// A count beside the label: the export requests waiting for the reader, and the
    /// access review items (on the reviews entry, or on the home entry of those without
    /// one).
    pub badge: Option<usize>,
}

/// Which navigation entry a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    None,
    Home,
    Customers,
    Leads,
    Pool,
    FollowUps,
    TestDrives,
    Deals,
    Stock,
    Reports,
    Exports,
    Staff,
    Accounts,
    Roles,
    Organisation,
    Settings,
    Audit,
    Alerts,
    AlertAdmin,
    Reviews,
}

/// Where an entry leads, its message key, its section, and the permission it needs
/// (none: everyone signed in).
type NavEntry = (
    &'static str,
    &'static str,
    Section,
    Option<(Entity, Action)>,
);

/// The navigation in order. An entry shows only to those who may use it (the exports
/// entry also to anyone an export request waits for; the access reviews entry to the
/// administrator and the auditor).
const NAV: [NavEntry; 19] = [
    ("/", "nav.home", Section::Home, None),
    (
        "/customers",
        "nav.customers",
        Section::Customers,
        Some((Entity::Customer, Action::View)),
    ),
    (
        "/leads",
        "nav.leads",
        Section::Leads,
        Some((Entity::Lead, Action::View)),
    ),
    (
        "/leads/pool",
        "nav.pool",
        Section::Pool,
        Some((Entity::Lead, Action::Claim)),
    ),
    (
        "/follow-ups",
        "nav.follow_ups",
        Section::FollowUps,
        Some((Entity::FollowUp, Action::View)),
    ),
    (
        "/test-drives",
        "nav.test_drives",
        Section::TestDrives,
        Some((Entity::TestDrive, Action::View)),
    ),
    (
        "/deals",
        "nav.deals",
        Section::Deals,
        Some((Entity::Deal, Action::View)),
    ),
    (
        "/vehicles",
        "nav.stock",
        Section::Stock,
        Some((Entity::Vehicle, Action::View)),
    ),
    // The reports area opens on the funnel; the stock-age report is a tab of it.
    (
        "/reports/funnel",
        "nav.reports",
        Section::Reports,
        Some((Entity::Lead, Action::View)),
    ),
    (
        "/exports",
        "nav.exports",
        Section::Exports,
        Some((Entity::Customer, Action::Export)),
    ),
    // The store manager's staff: shown by `for_actor` to those who may hand the whole
    // store's customers over, as the staff use cases require.
    (
        "/staff",
        "nav.staff",
        Section::Staff,
        Some((Entity::Customer, Action::Assign)),
    ),
    (
        "/admin/users",
        "nav.accounts",
        Section::Accounts,
        Some((Entity::User, Action::View)),
    ),
    (
        "/admin/org",
        "nav.org",
        Section::Organisation,
        Some((Entity::Organisation, Action::View)),
    ),
    (
        "/admin/roles",
        "nav.roles",
        Section::Roles,
        Some((Entity::Role, Action::View)),
    ),
    (
        "/admin/settings",
        "nav.settings",
        Section::Settings,
        Some((Entity::Settings, Action::Edit)),
    ),
    (
        "/audit",
        "nav.audit",
        Section::Audit,
        Some((Entity::AuditLog, Action::View)),
    ),
    (
        "/alerts",
        "nav.alerts",
        Section::Alerts,
        Some((Entity::Alert, Action::View)),
    ),
    (
        "/admin/alerts",
        "nav.alert_admin",
        Section::AlertAdmin,
        Some((Entity::Settings, Action::Edit)),
    ),
    // Shown by `reviews_entry`: the rights it needs are not a grant.
    ("/reviews", "nav.reviews", Section::Reviews, None),
];

/// Whether the access reviews entry shows: to those who oversee the reviews (the
/// administrator and the auditor, as `App::start_access_review` decides), whose bars are
/// short. A manager's bar has no room left in English at 1024 pixels: their open items
/// are a badge on the home entry, whose page carries the card that leads to them.
fn reviews_entry(who: &PageActor) -> bool {
    dealervault_app::reviews::oversees(&who.actor)
}

/// The page frame rendered by `base.html`.
#[derive(Debug, Clone)]
pub struct Layout {
    pub lang: Lang,
    pub title: String,
    pub user: Option<UserBar>,
    pub nav: Vec<NavItem>,
    pub watermark: Option<Watermark>,
    /// Where the language switch returns to.
    pub here: String,
    /// The reminder that two-step sign-in must be set up, and by when.
    pub mfa_notice: Option<String>,
}

impl Layout {
    /// A page for someone not signed in (the sign-in page, early errors).
    pub fn anonymous(lang: Lang, title: &str) -> Self {
        Self {
            lang,
            title: title.to_string(),
            user: None,
            nav: vec![],
            watermark: None,
            here: "/".into(),
            mfa_notice: None,
        }
    }

    /// A page for a signed-in person.
    pub fn for_actor(who: &PageActor, title: &str, section: Section) -> Self {
        let (actor, lang) = (&who.actor, who.lang);
        let store = match actor.store_code() {
            Some(code) => format!("{} {code}", lang.t("user.store")),
            None => lang.t("user.group").to_string(),
        };
        let awaiting = (who.exports_awaiting > 0).then_some(who.exports_awaiting);
        let reviews = (who.reviews_awaiting > 0).then_some(who.reviews_awaiting);
        let reviews_at = if reviews_entry(who) {
            Section::Reviews
        } else {
            Section::Home
        };
        // A session that may only set up two-step sign-in has nowhere else to go.
        let restricted = actor.mfa_enrolment_required();
        let nav = NAV
            .iter()
            .filter(|_| !restricted)
            .filter(|(_, _, of, needs)| match of {
                Section::Staff => actor.manages_store(),
                Section::Reviews => reviews_entry(who),
                Section::Exports if awaiting.is_some() => true,
                _ => needs.is_none_or(|(entity, action)| actor.may(entity, action)),
            })
            .map(|&(href, key, of, _)| NavItem {
                href,
                label: lang.t(key),
                active: section == of,
                badge: match of {
                    Section::Exports => awaiting,
                    _ if of == reviews_at => reviews,
                    _ => None,
                },
            })
            .collect();
        Self {
            lang,
            title: title.to_string(),
            user: Some(UserBar {
                display_name: actor.display_name().to_string(),
                initial: actor
                    .display_name()
                    .chars()
                    .next()
                    .map(String::from)
                    .unwrap_or_default(),
                username: actor.username().to_string(),
                role: actor.role_name(lang.is_zh()).to_string(),
                store,
                csrf: who.csrf().to_string(),
            }),
            nav,
            watermark: None,
            here: "/".into(),
            mfa_notice: actor
                .mfa_enrol_by()
                .filter(|_| !restricted)
                .map(|by| lang.t1("mfa.banner", local_time(by))),
        }
    }

    /// Leaves out the two-step reminder: for the page it leads to.
    pub fn without_mfa_notice(mut self) -> Self {
        self.mfa_notice = None;
        self
    }

    /// Turns on the watermark: for every page that shows customer data.
    pub fn watermarked(mut self, state: &WebState) -> Self {
        if let Some(user) = &self.user {
            let now = state.app.clock().local_now();
            self.watermark = Some(Watermark::new(&user.display_name, &user.username, now));
        }
        self
    }

    /// Sets the page the language switch returns to.
    pub fn at(mut self, path: &str) -> Self {
        self.here = path.to_string();
        self
    }

    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    pub fn t1(&self, key: &str, arg: impl std::fmt::Display) -> String {
        self.lang.t1(key, arg)
    }

    pub fn html_lang(&self) -> &'static str {
        self.lang.html_lang()
    }

    pub fn is_zh(&self) -> bool {
        self.lang.is_zh()
    }

    /// The language switch link for `code`.
    pub fn lang_href(&self, code: &str) -> String {
        format!(
            "/lang/{code}?next={}",
            super::session::encode_path(&self.here)
        )
    }

    /// Cache-busting suffix for asset URLs.
    pub fn asset_version(&self) -> &'static str {
        assets::version()
    }
}

/// China Standard Time (Asia/Shanghai has no daylight saving).
const CHINA: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// A stored unix-millisecond time as the store shows it: `2026-01-05 14:03`.
pub fn local_time(ms: i64) -> String {
    let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(CHINA);
    minutes(at)
}

/// A stored unix-millisecond time to the second, in China Standard Time:
/// `2026-01-05 14:03:07`.
pub fn local_seconds(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(CHINA)
        .format(format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second]"
        ))
        .unwrap_or_default()
}

/// Midnight at the start of `date` in China Standard Time, in unix milliseconds.
pub fn china_midnight_ms(date: Date) -> i64 {
    PrimitiveDateTime::new(date, Time::MIDNIGHT)
        .assume_offset(CHINA)
        .unix_timestamp()
        .saturating_mul(1000)
}

/// `YYYY-MM-DD HH:MM` of a moment in its own offset.
pub fn minutes(at: OffsetDateTime) -> String {
    at.format(format_description!("[year]-[month]-[day] [hour]:[minute]"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_china_standard_time() {
        // 2026-01-05T06:03:00Z
        assert_eq!(local_time(1_767_592_980_000), "2026-01-05 14:03");
        assert_eq!(local_seconds(1_767_592_987_000), "2026-01-05 14:03:07");
    }

    #[test]
    fn a_day_starts_at_midnight_in_shanghai() {
        // 2026-01-05T00:00+08:00 is 2026-01-04T16:00Z.
        assert_eq!(
            china_midnight_ms(time::macros::date!(2026 - 01 - 05)),
            1_767_542_400_000
        );
    }
}
