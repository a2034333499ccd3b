//! The crawler: every demo account (so every default role) signs in through `/login` on
//! every backend and walks the staff web app breadth-first from `/`, in Chinese and then
//! in English, following every same-site `<a href>` and `<form method=get>` (submitted
//! with its default values) and loading every stylesheet, script and icon a page names.
//! Nothing in it names a page: a page added later is crawled as soon as something links
//! to it.
//!
//! On every answer it checks, against an oracle built from the role's policy
//! (`default_roles()`), each customer's place and `RolePolicy::allows_record` /
//! `field_level` — not from the application's own code path:
//!
//! - no clear personal value (catalog sensitivity ≥ Personal) that the role sees masked,
//!   hidden or not at all (customer out of scope), nor eight digits in a row of such a
//!   mobile or ID number; no mask form of a hidden field or of a customer out of scope;
//! - every link answers 200, directly or through redirects that stay on the site and do
//!   not end at the sign-in page: a link the role may not follow (403), a dead one (404)
//!   or a failing one (500) is a bug of the page that links to it;
//! - every HTML page answers `Cache-Control: no-store` and is in the crawl's language;
//!   one that shows customer data carries the watermark naming the viewer;
//! - every POST form's target is a route the role may use, decided by [`POST_TARGETS`]
//!   (a form posting anywhere else fails the test until the route is classified there),
//!   and carries the CSRF token. POST forms are never submitted: they change data.
//!
//! Query strings are kept, but at most [`MAX_PER_PATTERN`] URLs of one shape (the path
//! with its ids replaced, and the names of the query's parameters) are visited, so paging
//! and filter links cannot explode; a URL without a query is always visited, so every
//! customer page that is linked is crawled. `/logout` is never followed; a language switch
//! to the crawl's own language is followed once, and the first one to the other language
//! starts the second crawl.
//!
//! Positive controls keep the test from passing on an empty crawl: each account visits a
//! minimum of pages, every role that views customers reaches the detail page of every
//! customer in its scope, the general manager sees masked mobiles, and the scanner itself
//! is shown to flag planted values.

mod common;
mod crawl;

use axum::http::{header, StatusCode};
use common::alerts::{add_customers, plant};
use common::browser::{html_forms, Browser, Page, HOST};
use common::world::{subject_of, world, World};
use common::{on_every_backend, TestApp};
use dealervault_demo::DEMO_ACCOUNTS;
use dealervault_domain::access::{RecordPlace, ScopeLevel};
use dealervault_domain::catalog::{Entity, FieldKind, Sensitivity, CUSTOMER_FIELDS};
use dealervault_domain::mask::MaskRule;
use dealervault_policy::{default_roles, Action, Effect, FieldLevel, RolePolicy, Subject};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::time::Instant;

use crawl::html::*;
use crawl::oracle::*;
use crawl::scanner::*;
use crawl::targets::*;
use crawl::urls::*;

/// Shorter values (a two-character name, a gender code) may well occur in a page for
/// other reasons; the scans skip them (as `ui_leaks` does).
const MIN_CHARS: usize = 4;
/// A run this long of a concealed mobile or ID number is more than any mask keeps in one
/// piece (`138****1234` keeps at most four digits together).
const WINDOW: usize = 8;
/// At most this many URLs of one shape with a query string (`/customers?page&sort`,
/// `/audit?actor`, ...).
const MAX_PER_PATTERN: usize = 8;
/// Redirects followed for one link before giving up.
const MAX_REDIRECTS: usize = 5;
/// Every account reaches at least this many HTML pages in each language.
const MIN_PAGES_PER_LANG: usize = 4;
/// Customers sales01 gets on top of the loaded ones, so that the lists of sales01, its
/// manager and its store run to a second page.
const EXTRA_FOR_SALES01: u64 = 18;
/// Most failures listed in the panic message.
const MAX_REPORTED: usize = 40;

// ---------------------------------------------------------------------------------------
// The crawl.

/// Who is crawling, and what the oracle says they may see.
struct Who<'w> {
    backend: &'static str,
    username: &'static str,
    display_name: &'static str,
    policy: RolePolicy,
    subject: Subject,
    world: &'w World,
    in_scope: BTreeSet<String>,
    scanner: Scanner,
}

impl Who<'_> {
    fn cell(&self, what: &str) -> String {
        format!("[{}] {} × {what}", self.backend, self.username)
    }

    /// Whether the role may post to `path`, per `POST_TARGETS`; `Err` for a route the
    /// table does not know.
    fn may_post(&self, path: &str) -> Result<bool, String> {
        let Some((pattern, need)) = post_target(path) else {
            return Err(format!(
                "a form posts to {path}, which POST_TARGETS in tests/crawl/targets.rs does not \
                 classify: add the route with the permission its handler checks"
            ));
        };
        Ok(match need {
            Need::Anyone | Need::SignedIn => true,
            Need::ManagesStaff => {
                self.policy.may(Entity::User, Action::Edit)
                    || self
                        .policy
                        .widest(Entity::Customer, Action::Assign, Effect::Allow)
                        .is_some_and(|scope| scope >= ScopeLevel::Store)
            }
            Need::Grant(entity, action) => {
                let mut may = self.policy.may(entity, action);
                if pattern.starts_with("/customers/{id}") {
                    let id = path.split('/').nth(2).unwrap_or_default();
                    may &= self.world.customers.iter().any(|(r, place)| {
                        r.id.as_str() == id
                            && self
                                .policy
                                .allows_record(entity, action, &self.subject, place)
                    });
                }
                may
            }
        })
    }
}

/// What one account's crawl found.
#[derive(Debug, Default)]
struct Tally {
    /// HTML pages per language.
    pages: BTreeMap<&'static str, usize>,
    resources: usize,
    /// URLs left out by `MAX_PER_PATTERN`.
    capped: usize,
    /// Customers whose detail page was crawled.
    details: BTreeSet<String>,
    /// Pages showing customer data.
    with_customer_data: usize,
    /// Pages showing a masked value, per field.
    masked: BTreeMap<&'static str, usize>,
    post_targets: BTreeSet<String>,
    failures: Vec<String>,
}

/// Follows redirects from `url`; the final URL and answer. Fails (into `tally`) for a
/// redirect that leaves the site or loops.
async fn fetch(
    b: &mut Browser<'_>,
    who: &Who<'_>,
    url: &str,
    tally: &mut Tally,
) -> Option<(String, Page)> {
    let mut url = url.to_string();
    for _ in 0..=MAX_REDIRECTS {
        let page = b.get(&url).await;
        if !page.status.is_redirection() {
            return Some((url, page));
        }
        match resolve(&url, page.location()) {
            Some(next) => url = next,
            None => {
                tally.failures.push(who.cell(&format!(
                    "{url}: redirects off the site, to {:?}",
                    page.location()
                )));
                return None;
            }
        }
    }
    tally
        .failures
        .push(who.cell(&format!("{url}: more than {MAX_REDIRECTS} redirects")));
    None
}

/// The frontier of one crawl.
#[derive(Debug, Default)]
struct Frontier {
    queue: VecDeque<(String, String)>,
    seen: HashSet<String>,
    per_shape: HashMap<String, usize>,
    left_out: HashSet<String>,
}

impl Frontier {
    /// Queues `url` (found on `from`) unless it was seen, or its shape is used up.
    fn push(&mut self, url: String, from: &str, tally: &mut Tally) {
        if self.seen.contains(&url) {
            return;
        }
        if url.contains('?') {
            let n = self.per_shape.entry(shape(&url)).or_default();
            if *n >= MAX_PER_PATTERN {
                if self.left_out.insert(url) {
                    tally.capped += 1;
                }
                return;
            }
            *n += 1;
        }
        self.seen.insert(url.clone());
        self.queue.push_back((url, from.to_string()));
    }
}

/// `lang`'s value of `<html lang>`.
fn html_lang(lang: &str) -> &'static str {
    if lang == "zh" {
        "zh-CN"
    } else {
        "en"
    }
}

/// Checks one answer to a link found on `from`; returns its outlinks when it is a page.
fn check_answer(
    who: &Who<'_>,
    lang: &'static str,
    url: &str,
    from: &str,
    page: &Page,
    tally: &mut Tally,
) -> Option<Outlinks> {
    let cell = |what: &str| who.cell(&format!("{lang} {url} (linked from {from}): {what}"));
    if page.status != StatusCode::OK {
        tally.failures.push(cell(&format!(
            "answers {} to a link the app showed the role",
            page.status
        )));
        return None;
    }
    if path_of(url) == "/login" {
        tally
            .failures
            .push(cell("a link sends a signed-in person to the sign-in page"));
        return None;
    }
    // What of the customers the answer holds: leaks, and what the role may see.
    let mut shown = BTreeSet::new();
    for hit in who.scanner.scan(&page.body) {
        match hit {
            Hit::Leak {
                customer,
                field,
                expect,
                what,
            } => tally.failures.push(cell(&format!(
                "{what} of {field} of customer {customer} is in the answer, which the \
                 role may see {}",
                match expect {
                    Expect::OutOfScope => "nothing of (out of scope)",
                    Expect::Hidden => "not at all (hidden)",
                    Expect::Masked => "only masked",
                    Expect::Clear => unreachable!("clear values are no leak"),
                }
            ))),
            Hit::Shown { field, masked } => {
                shown.insert((field, masked));
            }
        }
    }
    let html = page
        .header(header::CONTENT_TYPE)
        .is_some_and(|t| t.starts_with("text/html"));
    if !html {
        tally.resources += 1;
        return None;
    }
    *tally.pages.entry(lang).or_default() += 1;
    if let Some(id) = customer_detail(url) {
        tally.details.insert(id.to_string());
    }
    if page.header(header::CACHE_CONTROL) != Some("no-store") {
        tally.failures.push(cell("no `Cache-Control: no-store`"));
    }
    let expected_lang = format!("<html lang=\"{}\">", html_lang(lang));
    if !page.body.contains(&expected_lang) {
        tally.failures.push(cell("not in the crawl's language"));
    }
    if !shown.is_empty() {
        tally.with_customer_data += 1;
        let mark = format!("<span>{} {} ", who.display_name, who.username);
        if !page.body.contains("class=\"watermark\"") || !page.body.contains(&mark) {
            tally.failures.push(cell(
                "shows customer data without the watermark naming the viewer",
            ));
        }
    }
    for (field, masked) in shown {
        if masked {
            *tally.masked.entry(field).or_default() += 1;
        }
    }
    Some(outlinks(&page.body))
}

/// One crawl in `lang` from `/`; returns the first link found to the other language.
async fn crawl(
    b: &mut Browser<'_>,
    who: &Who<'_>,
    lang: &'static str,
    tally: &mut Tally,
) -> Option<String> {
    let mut frontier = Frontier::default();
    let mut other_lang: Option<String> = None;
    let mut own_lang_followed = false;
    frontier.push("/".into(), "(start)", tally);
    while let Some((url, from)) = frontier.queue.pop_front() {
        let Some((to, page)) = fetch(b, who, &url, tally).await else {
            continue;
        };
        if to != url && !frontier.seen.insert(to.clone()) {
            // Redirected to a page crawled (or queued) already: only the answer counts.
            if page.status != StatusCode::OK {
                tally.failures.push(who.cell(&format!(
                    "{lang} {url} (linked from {from}): redirects to {to}, which answers {}",
                    page.status
                )));
            }
            continue;
        }
        let url = to;
        let Some(out) = check_answer(who, lang, &url, &from, &page, tally) else {
            continue;
        };
        for href in out.links.iter().chain(&out.resources) {
            let Some(target) = resolve(&url, href) else {
                continue;
            };
            let path = path_of(&target);
            if path == "/logout" {
                continue;
            }
            if let Some(code) = path.strip_prefix("/lang/") {
                if code == lang {
                    // A switch to the language already on: followed once.
                    if !own_lang_followed {
                        own_lang_followed = true;
                        frontier.push(target, &url, tally);
                    }
                } else if other_lang.is_none() {
                    other_lang = Some(target);
                }
                continue;
            }
            frontier.push(target, &url, tally);
        }
        for form in &out.forms {
            let action = match form.action.as_deref() {
                None | Some("") => url.clone(),
                Some(a) => match resolve(&url, a) {
                    Some(a) => a,
                    None => {
                        tally.failures.push(
                            who.cell(&format!("{lang} {url}: a form posts off the site, to {a}")),
                        );
                        continue;
                    }
                },
            };
            if form.method == "post" {
                let path = path_of(&action).to_string();
                match who.may_post(&path) {
                    Ok(true) => {}
                    Ok(false) => tally.failures.push(who.cell(&format!(
                        "{lang} {url}: a form posts to {path}, which the role may not use"
                    ))),
                    Err(e) => tally.failures.push(who.cell(&format!("{lang} {url}: {e}"))),
                }
                let public = matches!(post_target(&path), Some((_, Need::Anyone)));
                if !public
                    && !form
                        .fields
                        .iter()
                        .any(|(n, v)| n == "csrf" && !v.is_empty())
                {
                    tally.failures.push(who.cell(&format!(
                        "{lang} {url}: the form posting to {path} has no CSRF token"
                    )));
                }
                tally.post_targets.insert(shape(&path));
            } else {
                let pairs: Vec<(&str, &str)> = form
                    .fields
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                let base = path_of(&action);
                let target = if pairs.is_empty() {
                    base.to_string()
                } else {
                    format!("{base}?{}", form_encode(&pairs))
                };
                frontier.push(target, &url, tally);
            }
        }
    }
    other_lang
}

/// Signs `username` in and crawls the site in Chinese, then in English.
async fn crawl_account(b: &mut Browser<'_>, who: &Who<'_>) -> Tally {
    let mut tally = Tally::default();
    b.login(who.username).await;
    let Some(switch) = crawl(b, who, "zh", &mut tally).await else {
        tally
            .failures
            .push(who.cell("no page links to the English version"));
        return tally;
    };
    // The switch itself: a redirect back into the site, now in English.
    if let Some((url, page)) = fetch(b, who, &switch, &mut tally).await {
        check_answer(who, "en", &url, "(the language switch)", &page, &mut tally);
    }
    let back = crawl(b, who, "en", &mut tally).await;
    match back {
        Some(back) => {
            if let Some((url, page)) = fetch(b, who, &back, &mut tally).await {
                check_answer(who, "zh", &url, "(the language switch)", &page, &mut tally);
            }
        }
        None => tally
            .failures
            .push(who.cell("no page links back to the Chinese version")),
    }
    tally
}

/// The demo's alert pages need an alert: a honeytoken in sales01's book, opened.
async fn raise_an_alert(t: &TestApp) {
    let admin = t.login("admin").await;
    let decoy = plant(t, &admin, "SH01", "sales01").await;
    let sales01 = t.login("sales01").await;
    let (status, json, _) = t
        .get(&format!("/api/v1/customers/{decoy}"), Some(&sales01))
        .await;
    assert_eq!(status, StatusCode::OK, "[{}] {json}", t.backend());
    t.app
        .evaluate_alerts()
        .await
        .expect("evaluate the alert rules");
}

/// The access review pages need a campaign: the auditor starts the quarter's, so that
/// every reviewer has items and decision forms to crawl.
async fn start_a_review(t: &TestApp) {
    let auditor = t.login("auditor").await;
    let quarter = t.app.current_quarter();
    let body = serde_json::json!({ "quarter": quarter });
    let (status, json, _) = t.post("/api/v1/access-reviews", Some(&auditor), body).await;
    assert_eq!(status, StatusCode::CREATED, "[{}] {json}", t.backend());
}

/// The export pages need a request: sales01 asks, and it waits for the sales manager
/// (whose page of it shows the masked sample).
async fn ask_for_an_export(t: &TestApp) {
    let sales01 = t.login("sales01").await;
    let body = serde_json::json!({
        "entity": "customers",
        "fields": ["name", "mobile", "source"],
        "format": "csv",
        "purpose": "巡检 crawl",
    });
    let (status, json, _) = t.post("/api/v1/exports", Some(&sales01), body).await;
    assert_eq!(status, StatusCode::CREATED, "[{}] {json}", t.backend());
}

async fn check_account(
    t: &TestApp,
    world: &World,
    username: &'static str,
    display_name: &'static str,
    role: &str,
) -> Tally {
    let (stored, subject) = subject_of(t, username).await;
    let policy = default_roles()
        .into_iter()
        .find(|r| r.code == role)
        .expect("a default role")
        .policy;
    // The oracle reads the default role: the database must hold the same one (compared
    // as sets, so that a canonical order of grants does not matter).
    let grants = |p: &RolePolicy| p.grants.iter().copied().collect::<HashSet<_>>();
    let levels = |p: &RolePolicy| {
        CUSTOMER_FIELDS
            .iter()
            .map(|f| p.field_level(Entity::Customer, f.name))
            .collect::<Vec<_>>()
    };
    assert!(
        grants(&stored) == grants(&policy) && levels(&stored) == levels(&policy),
        "[{}] {username}: the stored role is not the default {role}",
        t.backend()
    );
    let entries = entries(world, &policy, &subject);
    let in_scope = world
        .customers
        .iter()
        .filter(|(_, p)| policy.allows_record(Entity::Customer, Action::View, &subject, p))
        .map(|(r, _)| r.id.to_string())
        .collect();
    let who = Who {
        backend: t.backend(),
        username,
        display_name,
        scanner: Scanner::new(&entries),
        policy,
        subject,
        world,
        in_scope,
    };

    // The scanner is awake: a concealed clear mobile planted in a real page is found.
    let planted = entries
        .iter()
        .find(|e| e.field == "mobile" && e.expect < Expect::Clear)
        .expect("a mobile the role may not see in clear");
    let mut b = t.browser();
    let mut tally = crawl_account(&mut b, &who).await;
    let home = b.get("/").await.body;
    let at = home.find("</main>").unwrap_or(home.len());
    let doctored = format!("{}<p>{}</p>{}", &home[..at], planted.value, &home[at..]);
    assert!(
        !who.scanner
            .scan(&home)
            .iter()
            .any(|h| matches!(h, Hit::Leak { .. })),
        "{}",
        who.cell("the home page as served")
    );
    assert!(
        who.scanner.scan(&doctored).iter().any(
            |h| matches!(h, Hit::Leak { customer, field: "mobile", .. } if *customer == planted.customer)
        ),
        "{}",
        who.cell("the scanner misses a planted clear mobile")
    );

    // Positive controls.
    for lang in ["zh", "en"] {
        let pages = tally.pages.get(lang).copied().unwrap_or_default();
        if pages < MIN_PAGES_PER_LANG {
            tally.failures.push(who.cell(&format!(
                "only {pages} pages crawled in {lang} (at least {MIN_PAGES_PER_LANG} expected)"
            )));
        }
    }
    if who.policy.may(Entity::Customer, Action::View) {
        if who.in_scope.is_empty() {
            tally
                .failures
                .push(who.cell("no customer in scope to crawl"));
        }
        let missed: Vec<&String> = who.in_scope.difference(&tally.details).collect();
        if !missed.is_empty() {
            tally.failures.push(who.cell(&format!(
                "the crawl reached no link to the detail page of {} customers in scope: {missed:?}",
                missed.len()
            )));
        }
        if tally.with_customer_data == 0 {
            tally.failures.push(who.cell("no page with customer data"));
        }
    }
    tally
}

#[tokio::test]
async fn the_crawler_finds_nothing_the_role_may_not_see() {
    on_every_backend(|t| async move {
        let started = Instant::now();
        let roles: BTreeSet<_> = DEMO_ACCOUNTS.iter().map(|a| a.2).collect();
        assert_eq!(
            roles.len(),
            default_roles().len(),
            "every default role has a demo account"
        );
        add_customers(&t, "sales01", 1, EXTRA_FOR_SALES01).await;
        raise_an_alert(&t).await;
        ask_for_an_export(&t).await;
        start_a_review(&t).await;
        // The crawl changes no customer: one reading serves every account.
        let world = world(&t).await;
        let mut failures = vec![];
        let mut report = vec![];
        // Those who read the audit log go last, so that the log they read holds the
        // other crawls (and runs to more than one page).
        let mut accounts = DEMO_ACCOUNTS.to_vec();
        accounts.sort_by_key(|a| {
            default_roles()
                .iter()
                .any(|r| r.code == a.2 && r.policy.may(Entity::AuditLog, Action::View))
        });
        for (username, display_name, role, _) in accounts {
            let tally = check_account(&t, &world, username, display_name, role).await;
            report.push(format!(
                "{username:<12} {:>4} zh + {:>4} en pages, {:>3} with customer data, {:>3} \
                 customer details, {:>2} resources, {:>3} capped, masked {:?}, posts to {:?}",
                tally.pages.get("zh").copied().unwrap_or_default(),
                tally.pages.get("en").copied().unwrap_or_default(),
                tally.with_customer_data,
                tally.details.len(),
                tally.resources,
                tally.capped,
                tally.masked,
                tally.post_targets,
            ));
            if username == "gm01" && tally.masked.get("mobile").copied().unwrap_or_default() == 0 {
                failures.push(format!("[{}] gm01 saw no masked mobile", t.backend()));
            }
            if username == "sales01" && tally.details.is_empty() {
                failures.push(format!("[{}] sales01 reached no customer", t.backend()));
            }
            failures.extend(tally.failures);
        }
        eprintln!(
            "[{}] crawled in {:.1} s:\n  {}",
            t.backend(),
            started.elapsed().as_secs_f64(),
            report.join("\n  ")
        );
        let total = failures.len();
        failures.truncate(MAX_REPORTED);
        assert!(
            failures.is_empty(),
            "{total} failures (first {}):\n{}",
            failures.len(),
            failures.join("\n")
        );
        t
    })
    .await;
}
