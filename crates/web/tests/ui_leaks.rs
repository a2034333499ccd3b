//! The authorization leak checks on the page path: every demo account (so every default
//! role) signs in through `/login` and browses every customer's pages on every backend.
//! What each page may show comes from the role's policy and the record's place, decided
//! grant by grant, against the records as stored:
//!
//! - a customer in scope: its detail and edit pages carry no clear value of a field the
//!   role sees masked or not at all, and carry the watermark naming the viewer;
//! - a customer out of scope: every page answers exactly like a missing id, byte for byte;
//! - a role without customer access: 403 everywhere;
//! - the list, page by page: exactly the customers in scope, nothing of the others, no
//!   clear value of a masked or hidden field of anyone;
//! - a reveal shows the one value once, and the next plain view is masked again;
//! - every page with customer data answers `Cache-Control: no-store`.

mod common;

use axum::http::{header, StatusCode};
use common::browser::{html_forms, shows, Browser, Page};
use common::world::{subject_of, world, World, MISSING_ID};
use common::{on_every_backend, TestApp};
use dealervault_demo::DEMO_ACCOUNTS;
use dealervault_domain::access::RecordPlace;
use dealervault_domain::catalog::{governed_fields, Entity, Sensitivity, CUSTOMER_FIELDS};
use dealervault_domain::customer::CustomerRecord;
use dealervault_policy::{default_roles, Action, FieldLevel, RolePolicy, Subject};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// The personal fields: their clear values must not appear where the role's level makes
/// them hidden or masked.
fn personal() -> Vec<&'static str> {
    CUSTOMER_FIELDS
        .iter()
        .filter(|f| f.sensitivity >= Sensitivity::Personal)
        .map(|f| f.name)
        .collect()
}
/// Shorter values (a two-character name, a gender code) may well occur in a page for
/// other reasons; the page-wide scans skip them. The per-row checks below do not.
const MIN_CHARS: usize = 4;
/// The governed fields the list shows as columns, in order, when the role sees them.
const LIST_COLUMNS: [&str; 4] = ["name", "mobile", "gender", "source"];
const PER_PAGE: usize = 20;
/// Customers sales01 adds through the API before the checks, so that the lists of
/// sales01, its manager and its store run to a second page.
const EXTRA_FOR_SALES01: u64 = 18;
const REASON: &str = "电话回访";

/// sales01 creates `EXTRA_FOR_SALES01` fresh customers with every field filled in.
async fn add_customers(t: &TestApp) {
    let token = t.login("sales01").await;
    for n in 1..=EXTRA_FOR_SALES01 {
        let c = t.fresh_customer(n);
        let mut body = Map::new();
        let fields = [
            ("name", Some(c.name)),
            ("mobile", Some(c.mobile)),
            ("id_number", Some(c.id_number)),
            ("email", c.email),
            ("address", Some(c.address)),
            ("wechat", c.wechat),
            ("birth_date", Some(c.birth_date)),
            ("gender", Some(c.gender.to_string())),
            ("source", Some(c.source.to_string())),
            ("notes", c.notes),
        ];
        for (field, value) in fields {
            if let Some(value) = value {
                body.insert(field.to_string(), Value::String(value));
            }
        }
        let (status, json, _) = t
            .post("/api/v1/customers", Some(&token), Value::Object(body))
            .await;
        assert_eq!(status, StatusCode::CREATED, "[{}] {json}", t.backend());
    }
}

/// Who is looking, and what the policy says they may see.
struct Viewer<'w> {
    backend: &'static str,
    username: &'static str,
    display_name: &'static str,
    policy: RolePolicy,
    subject: Subject,
    world: &'w World,
    /// The customers the role may view.
    in_scope: Vec<&'w CustomerRecord>,
}

impl Viewer<'_> {
    fn level(&self, field: &str) -> FieldLevel {
        self.policy.field_level(Entity::Customer, field)
    }

    fn may(&self, action: Action) -> bool {
        self.policy.may(Entity::Customer, action)
    }

    fn allows(&self, action: Action, place: &RecordPlace) -> bool {
        self.policy
            .allows_record(Entity::Customer, action, &self.subject, place)
    }

    fn cell(&self, what: &str) -> String {
        format!("[{}] {} × {what}", self.backend, self.username)
    }

    /// The personal fields the role sees masked or not at all.
    fn concealed(&self) -> impl Iterator<Item = &'static str> + '_ {
        personal()
            .into_iter()
            .filter(|f| self.level(f) <= FieldLevel::Masked)
    }

    /// A page with customer data: not cached, watermarked with the viewer's name.
    fn assert_personal_page(&self, page: &Page, cell: &str) {
        assert_eq!(
            page.header(header::CACHE_CONTROL),
            Some("no-store"),
            "{cell}: cacheable"
        );
        assert!(
            page.body.contains("class=\"watermark\""),
            "{cell}: no watermark"
        );
        let mark = format!("<span>{} {} ", self.display_name, self.username);
        assert!(
            page.body.contains(&mark),
            "{cell}: the watermark does not name the viewer"
        );
    }

    /// No clear value (of `MIN_CHARS` or more) of a field the role sees masked or not at
    /// all, for `record`, anywhere in the page; `except` names a field just revealed.
    fn assert_concealed(
        &self,
        html: &str,
        record: &CustomerRecord,
        except: Option<&str>,
        cell: &str,
    ) {
        for field in self.concealed().filter(|f| Some(*f) != except) {
            if let Some(value) = long(record.governed(field)) {
                assert!(
                    !shows(html, value),
                    "{cell}: {field} of {} ({:?}) shown in clear",
                    record.id,
                    self.level(field)
                );
            }
        }
    }
}

/// A value long enough for the page-wide scans.
fn long(value: Option<&str>) -> Option<&str> {
    value.filter(|v| v.chars().count() >= MIN_CHARS)
}

/// The row of `field` on a detail or edit page (`data-field="…"` up to the next row).
fn field_row<'a>(html: &'a str, field: &str) -> Option<&'a str> {
    let start = html.find(&format!("data-field=\"{field}\""))?;
    let rest = &html[start..];
    let end = rest
        .find("<div class=\"field-row\"")
        .or_else(|| rest.find("</dl>"))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The `<h1>` of a page.
fn heading(html: &str) -> &str {
    let start = html.find("<h1>").map_or(0, |i| i + "<h1>".len());
    let end = html[start..]
        .find("</h1>")
        .map_or(html.len(), |i| start + i);
    &html[start..end]
}

/// Every customer id a page links to (`/customers/{uuid}`).
fn linked_ids(html: &str) -> BTreeSet<String> {
    html.match_indices("/customers/")
        .filter_map(|(at, m)| html.get(at + m.len()..at + m.len() + 36))
        .filter(|id| id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
        .map(str::to_string)
        .collect()
}

/// N of `共 N 位客户` on a list page.
fn list_total(html: &str) -> Option<usize> {
    let end = html.find(" 位客户")?;
    let digits = html[..end].rsplit(|c: char| !c.is_ascii_digit()).next()?;
    digits.parse().ok()
}

/// Each row of the list table: the customer id and the cells of the governed columns.
fn list_rows(html: &str, columns: usize) -> Vec<(String, Vec<&str>)> {
    let Some(tbody) = html.split("<tbody>").nth(1) else {
        return vec![];
    };
    let tbody = tbody.split("</tbody>").next().unwrap_or_default();
    let marker = "class=\"row-link\" href=\"/customers/";
    tbody
        .split("<tr>")
        .skip(1)
        .map(|tr| {
            let id = tr
                .find(marker)
                .map(|at| &tr[at + marker.len()..])
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_default()
                .to_string();
            (id, tr.split("</td>").take(columns).collect())
        })
        .collect()
}

/// `GET /customers` page by page.
async fn check_list(b: &mut Browser<'_>, v: &Viewer<'_>) {
    let cell = v.cell("list");
    let page = b.get("/customers").await;
    if !v.may(Action::View) {
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{cell}");
        assert!(v.in_scope.is_empty(), "{cell}");
        assert_nothing_of(
            &page.body,
            v.world.customers.iter().map(|(r, _)| r),
            &[],
            &cell,
        );
        return;
    }
    assert_eq!(page.status, StatusCode::OK, "{cell}");
    let expected: BTreeSet<String> = v.in_scope.iter().map(|r| r.id.to_string()).collect();
    assert_eq!(
        list_total(&page.body),
        Some(expected.len()),
        "{cell}: the total"
    );
    let out_of_scope: Vec<&CustomerRecord> = v
        .world
        .customers
        .iter()
        .filter(|(_, p)| !v.allows(Action::View, p))
        .map(|(r, _)| r)
        .collect();
    let columns: Vec<&str> = LIST_COLUMNS
        .into_iter()
        .filter(|f| v.level(f) > FieldLevel::Hidden)
        .collect();
    let pages = expected.len().div_ceil(PER_PAGE).max(1);
    let mut seen = BTreeSet::new();
    for n in 1..=pages {
        let cell = v.cell(&format!("list page {n}"));
        let page = if n == 1 {
            page.clone()
        } else {
            b.get(&format!("/customers?page={n}")).await
        };
        assert_eq!(page.status, StatusCode::OK, "{cell}");
        v.assert_personal_page(&page, &cell);
        let html = &page.body;

        // Only customers in scope, each once, at most a page of them.
        let rows = list_rows(html, columns.len());
        let ids: BTreeSet<String> = rows.iter().map(|(id, _)| id.clone()).collect();
        assert_eq!(ids.len(), rows.len(), "{cell}: a customer twice");
        assert!(
            (1..=PER_PAGE).contains(&rows.len()),
            "{cell}: {} rows",
            rows.len()
        );
        assert!(
            linked_ids(html).is_subset(&expected),
            "{cell}: links to a customer out of scope"
        );
        assert!(ids.is_disjoint(&seen), "{cell}: rows of an earlier page");
        seen.extend(ids);

        // No clear value of a masked or hidden field, of anyone.
        for (record, _) in &v.world.customers {
            v.assert_concealed(html, record, None, &cell);
        }
        // Nothing at all of a customer out of scope.
        assert_nothing_of(html, out_of_scope.iter().copied(), &v.in_scope, &cell);

        // Each row: clear columns in clear, masked ones not.
        for (id, cells) in &rows {
            let record = v
                .in_scope
                .iter()
                .find(|r| r.id.as_str() == id)
                .unwrap_or_else(|| panic!("{cell}: row {id} is out of scope"));
            assert_eq!(cells.len(), columns.len(), "{cell}: row {id}");
            for (field, td) in columns.iter().zip(cells) {
                let value = record.governed(field).unwrap_or_default();
                if !personal().contains(field) || value.is_empty() {
                    continue;
                }
                let cell = format!("{cell} × {id} × {field}");
                match v.level(field) {
                    FieldLevel::Hidden => unreachable!("hidden fields are no column"),
                    FieldLevel::Masked => {
                        assert!(td.contains("pill-masked"), "{cell}: not marked masked");
                        assert!(!shows(td, value), "{cell}: shown in clear");
                    }
                    FieldLevel::Clear | FieldLevel::Editable => {
                        assert!(shows(td, value), "{cell}: clear value missing: {td}");
                    }
                }
            }
        }
    }
    assert_eq!(seen, expected, "{cell}: the pages together");
}

/// No value (of `MIN_CHARS` or more, any governed field, the id, the store) of any of
/// `records` in `html`, except values that customers in scope share.
fn assert_nothing_of<'r>(
    html: &str,
    records: impl Iterator<Item = &'r CustomerRecord>,
    in_scope: &[&CustomerRecord],
    cell: &str,
) {
    // A choice code (a source, a gender) names nobody: every one of them is an option of
    // the list's filter select.
    let choice = |value: &str| {
        dealervault_domain::values::Source::ALL
            .iter()
            .map(|s| s.code())
            .chain(
                dealervault_domain::values::Gender::ALL
                    .iter()
                    .map(|g| g.code()),
            )
            .any(|code| code == value)
    };
    let shared = |value: &str| {
        choice(value)
            || in_scope.iter().any(|r| {
                r.store_code == value
                    || governed_fields(Entity::Customer).any(|f| r.governed(f.name) == Some(value))
            })
    };
    for record in records {
        let id = record.id.to_string();
        let mut values: Vec<(&str, &str)> = governed_fields(Entity::Customer)
            .filter_map(|f| long(record.governed(f.name)).map(|v| (f.name, v)))
            .collect();
        values.push(("id", &id));
        values.push(("store", &record.store_code));
        for (field, value) in values {
            if value.chars().count() < MIN_CHARS || shared(value) {
                continue;
            }
            assert!(
                !shows(html, value),
                "{cell}: {field} of {id}, a customer out of scope, is in the page"
            );
        }
    }
}

/// The answers for a well-formed id that names no customer.
struct Missing {
    detail: Page,
    edit: Page,
    reveal: Page,
}

async fn missing(b: &mut Browser<'_>, csrf: &str) -> Missing {
    let path = format!("/customers/{MISSING_ID}");
    Missing {
        detail: b.get(&path).await,
        edit: b.get(&format!("{path}/edit")).await,
        reveal: b
            .post(
                &format!("{path}/reveal"),
                &[("csrf", csrf), ("field", "mobile"), ("reason", REASON)],
            )
            .await,
    }
}

/// Out of scope reads exactly as missing: same status, same bytes.
fn assert_as_missing(page: &Page, missing: &Page, cell: &str) {
    assert_eq!(page.status, StatusCode::NOT_FOUND, "{cell}");
    assert_eq!(
        missing.status,
        StatusCode::NOT_FOUND,
        "{cell}: the missing id"
    );
    assert_eq!(
        page.body, missing.body,
        "{cell}: out of scope must read as missing"
    );
}

/// The detail page of a customer in scope.
fn check_detail_shown(v: &Viewer<'_>, page: &Page, record: &CustomerRecord, cell: &str) {
    assert_eq!(page.status, StatusCode::OK, "{cell}");
    v.assert_personal_page(page, cell);
    let html = &page.body;
    v.assert_concealed(html, record, None, cell);
    for field in personal() {
        let value = record.governed(field).unwrap_or_default();
        let row = field_row(html, field);
        let cell = format!("{cell} × {field}");
        match v.level(field) {
            FieldLevel::Hidden => assert!(row.is_none(), "{cell}: hidden field rendered"),
            FieldLevel::Masked => {
                let row = row.unwrap_or_else(|| panic!("{cell}: masked field absent"));
                if !value.is_empty() {
                    assert!(!shows(row, value), "{cell}: shown in clear");
                    assert!(row.contains("pill-masked"), "{cell}: not marked masked");
                }
            }
            FieldLevel::Clear | FieldLevel::Editable => {
                let row = row.unwrap_or_else(|| panic!("{cell}: clear field absent"));
                if !value.is_empty() {
                    assert!(shows(row, value), "{cell}: clear value missing: {row}");
                }
            }
        }
    }
    if v.level("name") <= FieldLevel::Masked {
        assert!(
            !shows(heading(html), &record.name),
            "{cell}: name in clear in the heading"
        );
    }
}

/// The edit page of a customer in scope that the role may edit.
fn check_edit_shown(v: &Viewer<'_>, page: &Page, record: &CustomerRecord, cell: &str) {
    assert_eq!(page.status, StatusCode::OK, "{cell}");
    v.assert_personal_page(page, cell);
    let html = &page.body;
    v.assert_concealed(html, record, None, cell);
    for field in personal() {
        let value = record.governed(field).unwrap_or_default();
        let input = html.contains(&format!("name=\"{field}\""));
        let cell = format!("{cell} × {field}");
        match v.level(field) {
            FieldLevel::Hidden => {
                assert!(!input, "{cell}: an input for a hidden field");
                assert!(
                    field_row(html, field).is_none(),
                    "{cell}: hidden field rendered"
                );
            }
            FieldLevel::Masked => {
                assert!(!input, "{cell}: an input for a masked field");
                let row =
                    field_row(html, field).unwrap_or_else(|| panic!("{cell}: masked field absent"));
                if !value.is_empty() {
                    assert!(!shows(row, value), "{cell}: shown in clear");
                }
            }
            FieldLevel::Clear => {}
            FieldLevel::Editable => assert!(input, "{cell}: no input for an editable field"),
        }
    }
}

async fn check_customer(
    b: &mut Browser<'_>,
    v: &Viewer<'_>,
    missing: &Missing,
    csrf: &str,
    record: &CustomerRecord,
    place: &RecordPlace,
) {
    let id = record.id.to_string();
    let path = format!("/customers/{id}");
    let cell = |what: &str| v.cell(&format!("{id} × {what}"));

    // The detail page.
    let detail = b.get(&path).await;
    if !v.may(Action::View) {
        assert_eq!(detail.status, StatusCode::FORBIDDEN, "{}", cell("view"));
        assert_nothing_of(&detail.body, std::iter::once(record), &[], &cell("view"));
    } else if v.allows(Action::View, place) {
        check_detail_shown(v, &detail, record, &cell("view"));
    } else {
        assert_as_missing(&detail, &missing.detail, &cell("view"));
    }

    // The edit page.
    let edit = b.get(&format!("{path}/edit")).await;
    let editable =
        governed_fields(Entity::Customer).any(|f| v.level(f.name) == FieldLevel::Editable);
    if !v.may(Action::View) {
        assert_eq!(edit.status, StatusCode::FORBIDDEN, "{}", cell("edit"));
        assert_nothing_of(&edit.body, std::iter::once(record), &[], &cell("edit"));
    } else if !v.allows(Action::View, place) {
        assert_as_missing(&edit, &missing.edit, &cell("edit"));
    } else if v.may(Action::Edit) && editable {
        check_edit_shown(v, &edit, record, &cell("edit"));
    } else {
        assert_eq!(edit.status, StatusCode::FORBIDDEN, "{}", cell("edit"));
        v.assert_concealed(&edit.body, record, None, &cell("edit"));
    }

    // A reveal of the mobile through the page's form: the value once, then masked again.
    let reveal = b
        .post(
            &format!("{path}/reveal"),
            &[("csrf", csrf), ("field", "mobile"), ("reason", REASON)],
        )
        .await;
    let cell_reveal = cell("reveal mobile");
    if !v.may(Action::Reveal) {
        assert_eq!(reveal.status, StatusCode::FORBIDDEN, "{cell_reveal}");
        assert_nothing_of(&reveal.body, std::iter::once(record), &[], &cell_reveal);
    } else if !v.allows(Action::Reveal, place) {
        assert_as_missing(&reveal, &missing.reveal, &cell_reveal);
    } else if v.level("mobile") == FieldLevel::Hidden {
        assert_eq!(reveal.status, StatusCode::FORBIDDEN, "{cell_reveal}");
        v.assert_concealed(&reveal.body, record, None, &cell_reveal);
    } else {
        assert_eq!(
            reveal.status,
            StatusCode::OK,
            "{cell_reveal}: {}",
            reveal.body
        );
        v.assert_personal_page(&reveal, &cell_reveal);
        let times: usize = html_forms(&record.mobile)
            .iter()
            .map(|form| reveal.body.matches(form.as_str()).count())
            .max()
            .unwrap_or_default();
        assert_eq!(times, 1, "{cell_reveal}: the revealed value, once");
        v.assert_concealed(&reveal.body, record, Some("mobile"), &cell_reveal);
        let again = b.get(&path).await;
        check_detail_shown(v, &again, record, &cell("view after the reveal"));
        assert!(
            !shows(&again.body, &record.mobile),
            "{}: the mobile stays in clear",
            cell("view after the reveal")
        );
    }

    // An exact search by mobile finds the customer in scope, and nothing out of it.
    let found = b
        .post("/customers", &[("csrf", csrf), ("mobile", &record.mobile)])
        .await;
    let cell_search = cell("search by mobile");
    // No customer access, or a search on a field the role cannot see: refused.
    if !v.may(Action::View) || v.level("mobile") == FieldLevel::Hidden {
        assert_eq!(found.status, StatusCode::FORBIDDEN, "{cell_search}");
    } else {
        assert_eq!(found.status, StatusCode::OK, "{cell_search}");
        v.assert_personal_page(&found, &cell_search);
        let inside = v.allows(Action::View, place);
        assert_eq!(
            list_total(&found.body),
            Some(usize::from(inside)),
            "{cell_search}"
        );
        assert_eq!(
            linked_ids(&found.body).contains(&id),
            inside,
            "{cell_search}"
        );
        // The typed mobile comes back in its search box; nothing else of the record.
        v.assert_concealed(&found.body, record, Some("mobile"), &cell_search);
        if !inside {
            let mut others = record.clone();
            others.mobile = String::new();
            assert_nothing_of(
                &found.body,
                std::iter::once(&others),
                &v.in_scope,
                &cell_search,
            );
        }
    }
}

async fn check_account(
    t: &TestApp,
    world: &World,
    username: &'static str,
    display_name: &'static str,
) {
    let (policy, subject) = subject_of(t, username).await;
    let in_scope = world
        .customers
        .iter()
        .filter(|(_, p)| policy.allows_record(Entity::Customer, Action::View, &subject, p))
        .map(|(r, _)| r)
        .collect();
    let v = Viewer {
        backend: t.backend(),
        username,
        display_name,
        policy,
        subject,
        world,
        in_scope,
    };
    if v.may(Action::View) {
        assert_eq!(
            v.level("mobile"),
            FieldLevel::Masked,
            "{}: these checks reveal the mobile, which every default role sees masked",
            v.cell("policy")
        );
    }
    let mut b = t.browser();
    b.login(username).await;
    // The top bar's sign-out form carries the session's CSRF token on every page.
    let csrf = b.get("/").await.csrf();
    let missing = missing(&mut b, &csrf).await;
    check_list(&mut b, &v).await;
    for (record, place) in &world.customers {
        check_customer(&mut b, &v, &missing, &csrf, record, place).await;
    }
}

#[tokio::test]
async fn no_page_shows_more_than_the_role_may_see() {
    on_every_backend(|t| async move {
        // Every default role has a demo account, so the checks cover every role.
        let roles: BTreeSet<_> = DEMO_ACCOUNTS.iter().map(|a| a.2).collect();
        assert_eq!(roles.len(), default_roles().len());
        add_customers(&t).await;
        // Nothing below changes a record: one reading serves every account.
        let world = world(&t).await;
        for (username, display_name, ..) in DEMO_ACCOUNTS {
            check_account(&t, &world, username, display_name).await;
        }
        t
    })
    .await;
}
