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

use axum::http::{header, StatusCode};
use common::alerts::{add_customers, plant};
use common::browser::{html_forms, Browser, Page, HOST};
use common::world::{subject_of, world, World};
use common::{on_every_backend, TestApp};
use dealervault_demo::DEMO_ACCOUNTS;
use dealervault_domain::access::RecordPlace;
use dealervault_domain::catalog::{Entity, FieldKind, Sensitivity, CUSTOMER_FIELDS};
use dealervault_domain::mask::MaskRule;
use dealervault_policy::{default_roles, Action, FieldLevel, RolePolicy, Subject};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::time::Instant;

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

/// What a POST form's target requires.
#[derive(Debug, Clone, Copy)]
enum Need {
    /// Anyone, signed in or not (the sign-in form).
    Anyone,
    /// Any signed-in person (sign out, change one's own password).
    SignedIn,
    /// The action on the entity; for `/customers/{id}/…` also on that customer.
    Grant(Entity, Action),
}

/// Every POST route of the staff web app (`ui.rs`, `ui/customers.rs`) and what the
/// handler's use case checks. A page with a form posting anywhere else fails the crawl:
/// classify the new route here.
const POST_TARGETS: &[(&str, Need)] = &[
    ("/login", Need::Anyone),
    ("/logout", Need::SignedIn),
    ("/password", Need::SignedIn),
    // The search form: a post, so that names and numbers stay out of URLs.
    ("/customers", Need::Grant(Entity::Customer, Action::View)),
    (
        "/customers/new",
        Need::Grant(Entity::Customer, Action::Create),
    ),
    (
        "/customers/{id}/edit",
        Need::Grant(Entity::Customer, Action::Edit),
    ),
    (
        "/customers/{id}/reveal",
        Need::Grant(Entity::Customer, Action::Reveal),
    ),
    // `App::change_account` checks user × edit for all three.
    (
        "/admin/users/{id}/disable",
        Need::Grant(Entity::User, Action::Edit),
    ),
    (
        "/admin/users/{id}/enable",
        Need::Grant(Entity::User, Action::Edit),
    ),
    (
        "/admin/users/{id}/role",
        Need::Grant(Entity::User, Action::Edit),
    ),
    (
        "/alerts/{id}/acknowledge",
        Need::Grant(Entity::Alert, Action::Edit),
    ),
    (
        "/alerts/{id}/comments",
        Need::Grant(Entity::Alert, Action::Edit),
    ),
    (
        "/admin/alerts/rules/{kind}",
        Need::Grant(Entity::Settings, Action::Edit),
    ),
    (
        "/admin/alerts/webhook",
        Need::Grant(Entity::Settings, Action::Edit),
    ),
    (
        "/admin/alerts/email",
        Need::Grant(Entity::Settings, Action::Edit),
    ),
    (
        "/admin/alerts/stores/{code}",
        Need::Grant(Entity::Settings, Action::Edit),
    ),
    (
        "/admin/honeytokens",
        Need::Grant(Entity::Settings, Action::Create),
    ),
    (
        "/admin/honeytokens/{id}/retire",
        Need::Grant(Entity::Settings, Action::Delete),
    ),
    ("/admin/users", Need::Grant(Entity::User, Action::Create)),
    (
        "/admin/org",
        Need::Grant(Entity::Organisation, Action::Create),
    ),
    // A move and a password reset are `App::change_account` / `reset_password`: user × edit.
    (
        "/admin/users/{id}/unit",
        Need::Grant(Entity::User, Action::Edit),
    ),
    (
        "/admin/users/{id}/password",
        Need::Grant(Entity::User, Action::Edit),
    ),
    ("/admin/roles", Need::Grant(Entity::Role, Action::Create)),
    (
        "/admin/settings",
        Need::Grant(Entity::Settings, Action::Edit),
    ),
    // The editor's live preview and review only read (role × view); the save edits.
    (
        "/admin/roles/{code}/preview",
        Need::Grant(Entity::Role, Action::View),
    ),
    (
        "/admin/roles/{code}/review",
        Need::Grant(Entity::Role, Action::View),
    ),
    (
        "/admin/roles/{code}",
        Need::Grant(Entity::Role, Action::Edit),
    ),
];

/// The pattern of `POST_TARGETS` that `path` matches (`{…}` stands for one segment).
fn post_target(path: &str) -> Option<(&'static str, Need)> {
    let segments: Vec<&str> = path.split('/').collect();
    POST_TARGETS.iter().copied().find(|(pattern, _)| {
        let parts: Vec<&str> = pattern.split('/').collect();
        parts.len() == segments.len()
            && parts.iter().zip(&segments).all(|(p, s)| {
                if p.starts_with('{') {
                    !s.is_empty()
                } else {
                    p == s
                }
            })
    })
}

// ---------------------------------------------------------------------------------------
// The oracle: what a role may see of each customer.

/// What a role must see of one field of one customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Expect {
    /// The customer is out of the role's scope: nothing of it at all.
    OutOfScope,
    /// The field is hidden from the role: nothing of it, not even masked.
    Hidden,
    /// Only the mask form.
    Masked,
    /// In clear.
    Clear,
}

fn expect(policy: &RolePolicy, subject: &Subject, place: &RecordPlace, field: &str) -> Expect {
    if !policy.allows_record(Entity::Customer, Action::View, subject, place) {
        return Expect::OutOfScope;
    }
    match policy.field_level(Entity::Customer, field) {
        FieldLevel::Hidden => Expect::Hidden,
        FieldLevel::Masked => Expect::Masked,
        FieldLevel::Clear | FieldLevel::Editable => Expect::Clear,
    }
}

/// One personal value of one customer and what the role must see of it.
#[derive(Debug, Clone)]
struct Entry {
    customer: String,
    field: &'static str,
    value: String,
    mask: MaskRule,
    expect: Expect,
}

/// Every personal field (sensitivity ≥ Personal) of every customer, decided for the role.
fn entries(world: &World, policy: &RolePolicy, subject: &Subject) -> Vec<Entry> {
    let personal = CUSTOMER_FIELDS
        .iter()
        .filter(|f| f.kind == FieldKind::Governed && f.sensitivity >= Sensitivity::Personal);
    let mut out = vec![];
    for (record, place) in &world.customers {
        for spec in personal.clone() {
            let Some(value) = record.governed(spec.name).filter(|v| !v.is_empty()) else {
                continue;
            };
            out.push(Entry {
                customer: record.id.to_string(),
                field: spec.name,
                value: value.to_string(),
                mask: spec.mask,
                expect: expect(policy, subject, place, spec.name),
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// The scanner: many needles, one pass over a page.

/// Many byte strings (of four bytes or more) looked for in one pass: a bitmap of their
/// first two bytes rules out most positions, a map of their first four finds candidates.
#[derive(Debug)]
struct Needles<L> {
    first_two: Vec<bool>,
    heads: HashMap<[u8; 4], Vec<usize>>,
    patterns: Vec<(Vec<u8>, L)>,
}

impl<L> Needles<L> {
    fn new() -> Self {
        Self {
            first_two: vec![false; 1 << 16],
            heads: HashMap::new(),
            patterns: vec![],
        }
    }

    fn add(&mut self, pattern: &str, label: L) {
        let bytes = pattern.as_bytes();
        assert!(
            bytes.len() >= 4,
            "a needle of four bytes or more: {pattern:?}"
        );
        let i = self.patterns.len();
        self.first_two[usize::from(u16::from_be_bytes([bytes[0], bytes[1]]))] = true;
        let head = [bytes[0], bytes[1], bytes[2], bytes[3]];
        self.heads.entry(head).or_default().push(i);
        self.patterns.push((bytes.to_vec(), label));
    }

    /// The labels of the needles in `hay`, each once.
    fn find(&self, hay: &[u8]) -> Vec<&L> {
        let mut found = BTreeSet::new();
        for i in 0..hay.len().saturating_sub(3) {
            if !self.first_two[usize::from(u16::from_be_bytes([hay[i], hay[i + 1]]))] {
                continue;
            }
            let head = [hay[i], hay[i + 1], hay[i + 2], hay[i + 3]];
            for &p in self.heads.get(&head).into_iter().flatten() {
                if hay[i..].starts_with(&self.patterns[p].0) {
                    found.insert(p);
                }
            }
        }
        found.into_iter().map(|p| &self.patterns[p].1).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Hit {
    /// Something of a value the role must not see like this.
    Leak {
        customer: String,
        field: &'static str,
        expect: Expect,
        what: &'static str,
    },
    /// A value the role may see, as it may see it.
    Shown { field: &'static str, masked: bool },
}

/// What one role may find in a page.
#[derive(Debug)]
struct Scanner {
    /// Whole values and mask forms, over the page as it is.
    whole: Needles<Hit>,
    /// Runs of `WINDOW` characters of concealed mobiles and ID numbers, over the page
    /// with its long hex ids blanked out.
    runs: Needles<Hit>,
}

/// A mask form that says something of its value: not all stars, and long enough.
fn telling(mask: &str) -> bool {
    mask.chars().count() >= MIN_CHARS && mask.chars().any(|c| c != '*')
}

impl Scanner {
    fn new(entries: &[Entry]) -> Self {
        // What the role may see somewhere: the values it sees in clear, and the mask
        // forms it sees. A needle found in one of these is no evidence of a leak. Clear
        // values and runs of them are excused by clear values only, so that a mask rule
        // that keeps too much is caught too.
        let mut clear: Vec<String> = vec![];
        let mut masks: Vec<String> = vec![];
        for e in entries {
            match e.expect {
                Expect::Clear => {
                    clear.extend(html_forms(&e.value));
                    masks.extend(html_forms(&e.mask.apply(&e.value)));
                }
                Expect::Masked => masks.extend(html_forms(&e.mask.apply(&e.value))),
                Expect::Hidden | Expect::OutOfScope => {}
            }
        }
        // A mask form that several different values share (every Shanghai address
        // masks to the same `上海市…`) names nobody: it is no evidence of a leak.
        let mut sharing: HashMap<(&str, String), HashSet<&str>> = HashMap::new();
        for e in entries {
            sharing
                .entry((e.field, e.mask.apply(&e.value)))
                .or_default()
                .insert(e.value.as_str());
        }
        let names_one = |field: &str, mask: &str| {
            sharing
                .get(&(field, mask.to_string()))
                .is_some_and(|values| values.len() == 1)
        };
        let seen_clear = |needle: &str| clear.iter().any(|a| a.contains(needle));
        let seen_masked = |needle: &str| seen_clear(needle) || masks.iter().any(|a| a == needle);
        let mut whole = Needles::new();
        let mut runs = Needles::new();
        for e in entries {
            let leak = |what| Hit::Leak {
                customer: e.customer.clone(),
                field: e.field,
                expect: e.expect,
                what,
            };
            let long = e.value.chars().count() >= MIN_CHARS;
            let mask = e.mask.apply(&e.value);
            match e.expect {
                Expect::Clear if long => {
                    for form in html_forms(&e.value) {
                        whole.add(
                            &form,
                            Hit::Shown {
                                field: e.field,
                                masked: false,
                            },
                        );
                    }
                }
                Expect::Clear => {}
                Expect::Masked | Expect::Hidden | Expect::OutOfScope => {
                    if e.expect == Expect::Masked && telling(&mask) {
                        for form in html_forms(&mask) {
                            whole.add(
                                &form,
                                Hit::Shown {
                                    field: e.field,
                                    masked: true,
                                },
                            );
                        }
                    }
                    if long {
                        for form in html_forms(&e.value) {
                            if !seen_clear(&form) {
                                whole.add(&form, leak("the clear value"));
                            }
                        }
                    }
                    if e.expect != Expect::Masked && telling(&mask) && names_one(e.field, &mask) {
                        for form in html_forms(&mask) {
                            if !seen_masked(&form) {
                                whole.add(&form, leak("the mask form"));
                            }
                        }
                    }
                    if matches!(e.mask, MaskRule::Mobile | MaskRule::IdNumber { .. }) {
                        let chars: Vec<char> = e.value.chars().collect();
                        for run in chars.windows(WINDOW) {
                            let run: String = run.iter().collect();
                            if !seen_clear(&run) {
                                runs.add(&run, leak("eight characters in a row of the value"));
                            }
                        }
                    }
                }
            }
        }
        Self { whole, runs }
    }

    /// Everything of the role's customers found in `body`, each once.
    fn scan(&self, body: &str) -> BTreeSet<Hit> {
        let blanked = blank_hex_ids(body);
        self.whole
            .find(body.as_bytes())
            .into_iter()
            .chain(self.runs.find(blanked.as_bytes()))
            .cloned()
            .collect()
    }
}

/// `body` with every run of 32 or more hex digits and dashes (record ids, hashes, tokens)
/// replaced by spaces, so that digits inside them do not pass for part of a mobile.
fn blank_hex_ids(body: &str) -> String {
    let is_hex = |b: u8| b.is_ascii_hexdigit() || b == b'-';
    let bytes = body.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i < bytes.len() {
        if !is_hex(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_hex(bytes[i]) {
            i += 1;
        }
        if i - start >= 32 {
            out[start..i].fill(b' ');
        }
    }
    // Only ASCII bytes were replaced, by ASCII: still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// A little HTML: tags and their attributes, the way the templates write them.

#[derive(Debug, Clone)]
struct Tag {
    /// Lower case; `/form` for a closing tag.
    name: String,
    attrs: Vec<(String, String)>,
    /// Byte offset just past the tag's `>`.
    end: usize,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn has(&self, name: &str) -> bool {
        self.attrs.iter().any(|(n, _)| n == name)
    }
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;` and numeric references decoded.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(semi) = rest.find(';').filter(|i| *i <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every tag of `html`, in order, with its attributes decoded. Comments are skipped.
fn tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        i += at + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(html.len(), |e| i + e + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == start {
            continue; // `<!DOCTYPE`, a stray `<`
        }
        let mut name = html[start..i].to_ascii_lowercase();
        if closing {
            name.insert(0, '/');
        }
        let mut attrs = vec![];
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                i += 1;
                break;
            }
            let start = i;
            while i < bytes.len() && !b" \t\r\n=>/".contains(&bytes[i]) {
                i += 1;
            }
            let attr = html[start..i].to_ascii_lowercase();
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                match bytes.get(i) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let end = html[i + 1..]
                            .find(char::from(q))
                            .map_or(html.len(), |e| i + 1 + e);
                        value = unescape(&html[i + 1..end]);
                        i = end + 1;
                    }
                    _ => {
                        let start = i;
                        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>'
                        {
                            i += 1;
                        }
                        value = unescape(&html[start..i]);
                    }
                }
            }
            if !attr.is_empty() {
                attrs.push((attr, value));
            }
        }
        out.push(Tag {
            name,
            attrs,
            end: i.min(html.len()),
        });
    }
    out
}

/// One form of a page: its method (lower case), its target as written, its fields with
/// their default values (what submitting it untouched sends).
#[derive(Debug, Clone)]
struct Form {
    method: String,
    action: Option<String>,
    fields: Vec<(String, String)>,
}

/// What a page points at.
#[derive(Debug, Default)]
struct Outlinks {
    /// `<a href>`, as written.
    links: Vec<String>,
    /// Stylesheets, scripts, icons and images, as written.
    resources: Vec<String>,
    forms: Vec<Form>,
}

fn outlinks(html: &str) -> Outlinks {
    let tags = tags(html);
    let mut out = Outlinks::default();
    let mut form: Option<Form> = None;
    // The select being read: its name, and its first and its selected option.
    let mut select: Option<(String, Option<String>, Option<String>)> = None;
    for (n, tag) in tags.iter().enumerate() {
        match tag.name.as_str() {
            "a" => out.links.extend(tag.attr("href").map(str::to_string)),
            "link" => out.resources.extend(tag.attr("href").map(str::to_string)),
            "script" | "img" => out.resources.extend(tag.attr("src").map(str::to_string)),
            "form" => {
                form = Some(Form {
                    method: tag.attr("method").unwrap_or("get").to_ascii_lowercase(),
                    action: tag.attr("action").map(str::to_string),
                    fields: vec![],
                });
            }
            "/form" => out.forms.extend(form.take()),
            "input" => {
                let (Some(form), Some(name)) = (form.as_mut(), tag.attr("name")) else {
                    continue;
                };
                let kind = tag.attr("type").unwrap_or("text").to_ascii_lowercase();
                let sent = match kind.as_str() {
                    "submit" | "button" | "image" | "reset" | "file" => false,
                    "checkbox" | "radio" => tag.has("checked"),
                    _ => true,
                };
                if sent {
                    let default = if matches!(kind.as_str(), "checkbox" | "radio") {
                        "on"
                    } else {
                        ""
                    };
                    let value = tag.attr("value").unwrap_or(default);
                    form.fields.push((name.to_string(), value.to_string()));
                }
            }
            "textarea" => {
                let (Some(form), Some(name)) = (form.as_mut(), tag.attr("name")) else {
                    continue;
                };
                let text = html[tag.end..]
                    .split("</textarea>")
                    .next()
                    .unwrap_or_default();
                form.fields.push((name.to_string(), unescape(text)));
            }
            "select" => {
                select = tag.attr("name").map(|n| (n.to_string(), None, None));
            }
            "option" => {
                if let Some((_, first, selected)) = select.as_mut() {
                    let value = tag.attr("value").map(str::to_string).unwrap_or_else(|| {
                        // No value: the option's text (up to the next tag).
                        let end = tags.get(n + 1).map_or(html.len(), |t| {
                            html[..t.end].rfind('<').unwrap_or(tag.end).max(tag.end)
                        });
                        unescape(html[tag.end..end].trim())
                    });
                    if first.is_none() {
                        *first = Some(value.clone());
                    }
                    if tag.has("selected") && selected.is_none() {
                        *selected = Some(value);
                    }
                }
            }
            "/select" => {
                if let (Some(form), Some((name, first, selected))) = (form.as_mut(), select.take())
                {
                    if let Some(value) = selected.or(first) {
                        form.fields.push((name, value));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// URLs.

/// A link's same-site target resolved against `base` (a path with its query), without
/// its fragment. `None` for an in-page anchor, another site or another scheme.
fn resolve(base: &str, href: &str) -> Option<String> {
    let href = href.trim();
    let href = href.split('#').next().unwrap_or_default();
    if href.is_empty() {
        return None;
    }
    let local = |rest: &str| -> Option<String> {
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        (host == HOST).then(|| {
            if path.is_empty() {
                "/".into()
            } else {
                path.to_string()
            }
        })
    };
    if let Some(rest) = href.strip_prefix("//") {
        return local(rest);
    }
    let scheme_end = href.find(':').filter(|i| {
        href[..*i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    if let Some(i) = scheme_end {
        return match &href[..i] {
            "http" | "https" => href[i + 1..].strip_prefix("//").and_then(local),
            _ => None,
        };
    }
    let base_path = base.split('?').next().unwrap_or("/");
    Some(if href.starts_with('/') {
        href.to_string()
    } else if href.starts_with('?') {
        format!("{base_path}{href}")
    } else {
        let dir = &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{href}")
    })
}

/// A form's fields as a browser puts them in a query: `application/x-www-form-urlencoded`,
/// spaces as `+`.
fn form_encode(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b' ' => "+".to_string(),
                b if b.is_ascii_alphanumeric() || b"*-._".contains(&b) => char::from(b).to_string(),
                b => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn path_of(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

/// An id in a path: a UUID, a long hex or decimal number.
fn looks_like_id(segment: &str) -> bool {
    segment.len() >= 8
        && segment.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        && segment.chars().any(|c| c.is_ascii_digit())
}

/// The shape of a URL: its path with ids replaced, and the names of its query's
/// parameters (`/customers?page&sort`).
fn shape(url: &str) -> String {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path: Vec<&str> = path
        .split('/')
        .map(|s| if looks_like_id(s) { "{id}" } else { s })
        .collect();
    let keys: BTreeSet<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split('=').next().unwrap_or_default())
        .collect();
    let path = path.join("/");
    if keys.is_empty() {
        path
    } else {
        format!("{path}?{}", keys.into_iter().collect::<Vec<_>>().join("&"))
    }
}

/// The customer id of `/customers/{id}` (the detail page), if `url` is one.
fn customer_detail(url: &str) -> Option<&str> {
    let id = path_of(url).strip_prefix("/customers/")?;
    (looks_like_id(id) && !id.contains('/')).then_some(id)
}

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
                "a form posts to {path}, which POST_TARGETS in tests/ui_crawl.rs does not \
                 classify: add the route with the permission its handler checks"
            ));
        };
        Ok(match need {
            Need::Anyone | Need::SignedIn => true,
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

// ---------------------------------------------------------------------------------------
// The crawler's own parts, without a backend.

fn entry(
    customer: &str,
    field: &'static str,
    value: &str,
    mask: MaskRule,
    expect: Expect,
) -> Entry {
    Entry {
        customer: customer.into(),
        field,
        value: value.into(),
        mask,
        expect,
    }
}

#[test]
fn the_scanner_flags_planted_values_and_only_them() {
    let entries = [
        entry(
            "a",
            "mobile",
            "13812345678",
            MaskRule::Mobile,
            Expect::Masked,
        ),
        entry("a", "name", "欧阳娜娜", MaskRule::Name, Expect::Clear),
        entry(
            "a",
            "address",
            "上海市浦东新区A&B's路1号",
            MaskRule::Address,
            Expect::Masked,
        ),
        entry(
            "b",
            "mobile",
            "13987654321",
            MaskRule::Mobile,
            Expect::OutOfScope,
        ),
        entry(
            "b",
            "email",
            "zhangwei@example.com",
            MaskRule::Email,
            Expect::OutOfScope,
        ),
        entry(
            "c",
            "email",
            "lina@example.org",
            MaskRule::Email,
            Expect::Hidden,
        ),
    ];
    let scanner = Scanner::new(&entries);
    let leaks = |html: &str| -> Vec<(String, &'static str, &'static str)> {
        scanner
            .scan(html)
            .into_iter()
            .filter_map(|h| match h {
                Hit::Leak {
                    customer,
                    field,
                    what,
                    ..
                } => Some((customer, field, what)),
                Hit::Shown { .. } => None,
            })
            .collect()
    };
    // What the role may see, as it may see it: nothing flagged, both seen.
    let fine = "<td>欧阳娜娜</td><td><span class=\"pill-masked\">138****5678</span></td>\
                <td>上海市****</td><p>01900000-0000-7000-8000-000381234567</p>";
    assert!(leaks(fine).is_empty(), "{:?}", leaks(fine));
    let shown = scanner.scan(fine);
    assert!(shown.iter().any(|h| matches!(
        h,
        Hit::Shown {
            field: "mobile",
            masked: true
        }
    )));
    assert!(shown.iter().any(|h| matches!(
        h,
        Hit::Shown {
            field: "name",
            masked: false
        }
    )));

    // A clear mobile the role sees masked; one out of scope; a partial mask.
    assert_eq!(
        leaks("<td>13812345678</td>"),
        vec![
            (
                "a".into(),
                "mobile",
                "eight characters in a row of the value"
            ),
            ("a".into(), "mobile", "the clear value"),
        ]
    );
    assert!(leaks("<p>tel 13987654321.</p>").contains(&("b".into(), "mobile", "the clear value")));
    assert_eq!(
        leaks("<p>138123456**</p>"),
        vec![(
            "a".into(),
            "mobile",
            "eight characters in a row of the value"
        )]
    );
    // The mask form of a customer out of scope, or of a hidden field.
    assert_eq!(
        leaks("<p>139****4321</p>"),
        vec![("b".into(), "mobile", "the mask form")]
    );
    assert_eq!(
        leaks("<p>l****@example.org</p>"),
        vec![("c".into(), "email", "the mask form")]
    );
    // HTML-escaped, as a template writes it.
    assert_eq!(
        leaks("<input value=\"上海市浦东新区A&amp;B&#39;s路1号\">"),
        vec![("a".into(), "address", "the clear value")]
    );
}

#[test]
fn links_and_forms_are_read_like_a_browser() {
    let html = r##"<!DOCTYPE html><html lang="zh-CN"><head>
<link rel="stylesheet" href="/assets/app.css?v=1"><script src="/assets/app.js?v=1" defer></script></head>
<body><a class="skip-link" href="#main">skip</a><a href="/customers?page=2&amp;sort=name">2</a>
<!-- <a href="/commented-out"> -->
<form method="get" action="/audit"><input name="actor" type="search" value="">
<select name="action"><option value="">all</option><option value="customer.view" selected>view</option></select>
<select name="outcome"><option value="">all</option><option value="denied">denied</option></select>
<input type="checkbox" name="open"><input type="checkbox" name="mine" checked>
<textarea name="note">a &amp; b</textarea><button type="submit" name="go">go</button></form>
<form method="post" action="/logout"><input type="hidden" name="csrf" value="t0k"></form>
<form><input name="q" value="x"></form>
</body></html>"##;
    let out = outlinks(html);
    assert_eq!(out.links, ["#main", "/customers?page=2&sort=name"]);
    assert_eq!(out.resources, ["/assets/app.css?v=1", "/assets/app.js?v=1"]);
    assert_eq!(out.forms.len(), 3);
    let audit = &out.forms[0];
    assert_eq!(audit.method, "get");
    assert_eq!(
        audit.fields,
        [
            ("actor", ""),
            ("action", "customer.view"),
            ("outcome", ""),
            ("mine", "on"),
            ("note", "a & b"),
        ]
        .map(|(n, v)| (n.to_string(), v.to_string()))
    );
    assert_eq!(out.forms[1].method, "post");
    assert_eq!(
        out.forms[1].fields,
        [("csrf".to_string(), "t0k".to_string())]
    );
    assert_eq!(out.forms[2].method, "get");
    assert_eq!(out.forms[2].action, None);

    assert_eq!(
        form_encode(&[("actor", "王 丽"), ("customer_id", "a-b.c*d&e")]),
        "actor=%E7%8E%8B+%E4%B8%BD&customer_id=a-b.c*d%26e"
    );
    assert_eq!(resolve("/customers/x", "#top"), None);
    assert_eq!(
        resolve("/a/b?c=1", "?page=2#x").as_deref(),
        Some("/a/b?page=2")
    );
    assert_eq!(resolve("/a/b", "c/d").as_deref(), Some("/a/c/d"));
    assert_eq!(resolve("/", "http://dv.test/x?y").as_deref(), Some("/x?y"));
    assert_eq!(resolve("/", "//dv.test").as_deref(), Some("/"));
    assert_eq!(resolve("/", "https://example.com/x"), None);
    assert_eq!(resolve("/", "mailto:a@b.c"), None);
    assert_eq!(
        shape("/customers/01900000-0000-7000-8000-000000000000/edit"),
        "/customers/{id}/edit"
    );
    assert_eq!(shape("/customers?sort=name&page=3"), "/customers?page&sort");
    assert_eq!(
        shape("/audit/people/sales01?days=7"),
        "/audit/people/sales01?days"
    );
    assert_eq!(
        customer_detail("/customers/01900000-0000-7000-8000-000000000000"),
        Some("01900000-0000-7000-8000-000000000000")
    );
    assert_eq!(customer_detail("/customers/new"), None);

    assert!(matches!(
        post_target("/customers/0190/reveal"),
        Some((_, Need::Grant(Entity::Customer, Action::Reveal)))
    ));
    assert!(post_target("/customers/0190/delete").is_none());
    assert!(post_target("/customers//reveal").is_none());
}
