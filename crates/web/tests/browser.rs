//! The staff UI in a real browser: headless Chromium driven over WebDriver
//! (`chromedriver`), loading the real router from a loopback socket, on SQLite (the
//! in-process suites cover both backends). It types, clicks and submits as a person would,
//! and photographs every page each role's navigation offers at 1280×800 and 1024×768 into
//! `<target>/screenshots/`, checking on each that nothing overflows sideways, no message
//! shows untranslated, customer pages carry the watermark and no error page appears; the
//! same checks run on the same pages in English (longer words), without screenshots.
//!
//! Without chromedriver or Chromium these tests print `skipped: ...` and pass, except under
//! `CI=true`, where they fail (see `common/webdriver.rs`).

mod common;

use common::browser::encode;
use common::webdriver::{Chrome, Served};
use common::world::world;
use common::{is_masked_mobile, TestApp, CUSTOMERS_PER_SALESPERSON};
use dealervault_demo::{DEMO_PASSWORD, DEMO_REVEAL_QUOTA};
use dealervault_store::testing::TestDb;
use fantoccini::elements::Element;
use fantoccini::Locator;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A laptop and a tablet held sideways: every page is checked and photographed at both.
const SIZES: [(u32, u32); 2] = [(1280, 800), (1024, 768)];

/// The accounts photographed, one of each kind of page set.
const ACCOUNTS: [&str; 7] = [
    "sales01",
    "salesmgr01",
    "gm01",
    "service01",
    "finance01",
    "admin",
    "auditor",
];

/// How long a page may take to load after a click.
const PAGE_PATIENCE: Duration = Duration::from_secs(20);

/// One browser test at a time: each starts a Chromium of its own, and CI has two cores.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// What the page tells about itself, read in the browser: layout, leftover message keys,
/// error page, watermark.
const INSPECT: &str = r#"
const doc = document.documentElement;
// A missing message renders as "?" (`Lang::t`); a key leaking through looks like
// `nav.home`; an unfilled placeholder as `{}`. Codes shown on purpose beside their
// words (an audit event's `customer.view`) sit in <code>.
const key = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
const leftovers = (text, code) =>
  text.split(/\s+/).filter(w => w === "?" || w.includes("{}") || (!code && key.test(w)));
const untranslated = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  const parent = node.parentElement;
  if (!parent || parent.closest("script, style")) continue;
  for (const w of leftovers(node.textContent, parent.closest("code") !== null)) {
    untranslated.push(`${w} in <${parent.tagName.toLowerCase()}>`);
  }
}
for (const el of document.querySelectorAll("[title], [aria-label], [placeholder], [alt]")) {
  for (const attr of ["title", "aria-label", "placeholder", "alt"]) {
    const value = el.getAttribute(attr);
    if (value !== null) for (const w of leftovers(value)) untranslated.push(`${w} in ${attr} of <${el.tagName.toLowerCase()}>`);
  }
}
for (const w of leftovers(document.title)) untranslated.push(`${w} in <title>`);
// The innermost elements that stick out past the right edge.
const wide = [];
if (doc.scrollWidth > doc.clientWidth) {
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest(".watermark")) continue;
    const r = el.getBoundingClientRect();
    if (r.right > doc.clientWidth + 1 && !Array.from(el.children).some(c => c.getBoundingClientRect().right > doc.clientWidth + 1)) {
      wide.push(`<${el.tagName.toLowerCase()} class="${el.className}"> right=${Math.round(r.right)}`);
    }
  }
}
// Boxes that scroll sideways because their content does not fit (a table in its card).
const scrolling = [];
for (const el of document.body.querySelectorAll("*")) {
  const overflow = getComputedStyle(el).overflowX;
  if ((overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1) {
    scrolling.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ${el.scrollWidth} > ${el.clientWidth}`);
  }
}
return {
  scrolling: scrolling.slice(0, 5),
  scrollWidth: doc.scrollWidth,
  clientWidth: doc.clientWidth,
  innerWidth: window.innerWidth,
  untranslated: untranslated.slice(0, 10),
  wide: wide.slice(0, 5),
  errorPage: document.querySelector(".error-panel, .error-card, .error-status") !== null,
  watermark: document.querySelector(".watermark > span") !== null,
};
"#;

/// Where the screenshots go: `$CARGO_TARGET_DIR/screenshots`, or the workspace's
/// `target/screenshots`.
fn screenshot_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let workspace = workspace.canonicalize().unwrap_or(workspace);
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace.join(dir),
        None => workspace.join("target"),
    };
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("create the screenshot directory");
    dir
}

/// `/admin/users` → `admin-users`; `/` → `home`.
fn slug(path: &str) -> String {
    let slug = path.trim_matches('/').replace('/', "-");
    if slug.is_empty() {
        "home".into()
    } else {
        slug
    }
}

/// A `TestApp` on SQLite served on a loopback port, and a browser to look at it.
struct Rig {
    t: TestApp,
    served: Served,
    chrome: Chrome,
}

impl Rig {
    /// `None` when the browser tests are skipped.
    async fn start() -> Option<Rig> {
        let chrome = Chrome::launch().await?;
        let t = TestApp::spawn(TestDb::sqlite().await).await;
        let served = Served::start(t.router.clone()).await;
        chrome.set_viewport(SIZES[0].0, SIZES[0].1).await;
        Some(Rig { t, served, chrome })
    }

    async fn finish(self) {
        let Rig { t, served, chrome } = self;
        chrome.close().await;
        drop(served);
        t.teardown().await;
    }

    fn client(&self) -> &fantoccini::Client {
        &self.chrome.client
    }

    async fn goto(&self, path: &str) {
        self.client()
            .goto(&self.served.url(path))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    /// Path and query of the page shown.
    async fn here(&self) -> String {
        let url = self.client().current_url().await.expect("the current URL");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        }
    }

    async fn path(&self) -> String {
        let url = self.client().current_url().await.expect("the current URL");
        url.path().to_string()
    }

    async fn script(&self, js: &str) -> Value {
        self.client()
            .execute(js, vec![])
            .await
            .unwrap_or_else(|e| panic!("run a script: {e}"))
    }

    async fn find(&self, css: &str) -> Element {
        match self.client().find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!("no {css} on {}: {e}", self.here().await),
        }
    }

    async fn all(&self, css: &str) -> Vec<Element> {
        self.client()
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("look for {css}: {e}"))
    }

    async fn exists(&self, css: &str) -> bool {
        !self.all(css).await.is_empty()
    }

    /// The visible text of the first `css`, trimmed.
    async fn text(&self, css: &str) -> String {
        let text = self
            .find(css)
            .await
            .text()
            .await
            .expect("an element's text");
        text.trim().to_string()
    }

    /// The current value of a form control.
    async fn value(&self, css: &str) -> String {
        let element = self.find(css).await;
        element
            .prop("value")
            .await
            .expect("a control's value")
            .unwrap_or_default()
    }

    /// Replaces what a text box holds by typing.
    async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        element.clear().await.expect("clear a text box");
        if !text.is_empty() {
            element.send_keys(text).await.expect("type");
        }
    }

    /// Clicks `element` and waits until the page it leads to has loaded.
    async fn click_through(&self, element: Element) {
        self.script("window.dvPreviousPage = true;").await;
        element.click().await.expect("click");
        let deadline = Instant::now() + PAGE_PATIENCE;
        loop {
            let loaded = self
                .client()
                .execute(
                    "return window.dvPreviousPage === undefined \
                     && document.readyState === 'complete';",
                    vec![],
                )
                .await;
            if matches!(loaded, Ok(Value::Bool(true))) {
                return;
            }
            assert!(Instant::now() < deadline, "no new page after a click");
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
    }

    async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.click_through(element).await;
    }

    /// Signs in through the form of the sign-in page, which must be on screen.
    async fn sign_in(&self, username: &str) {
        assert_eq!(self.path().await, "/login", "signing in as {username}");
        self.type_into("#username", username).await;
        self.type_into("#password", DEMO_PASSWORD).await;
        self.click("form[action='/login'] button[type=submit]")
            .await;
        assert_ne!(self.path().await, "/login", "{username} is signed in");
        let chip = self.find(".userchip").await;
        assert_eq!(
            chip.attr("title").await.expect("title").as_deref(),
            Some(username),
            "the top bar names {username}"
        );
    }

    async fn sign_out(&self) {
        // Sign-out sits in the person's menu, behind their name: opening it is no
        // page load.
        self.find(".usermenu > summary")
            .await
            .click()
            .await
            .expect("open the person's menu");
        self.click(".logout-form button[type=submit]").await;
        assert_eq!(self.path().await, "/login");
        assert_eq!(self.text(".alert-info").await, "您已安全退出。");
    }

    /// The paths the navigation bar offers, in order.
    async fn nav(&self) -> Vec<String> {
        let hrefs = self
            .script(
                "return Array.from(document.querySelectorAll('nav.mainnav a'))\
                 .map(a => a.getAttribute('href'));",
            )
            .await;
        hrefs
            .as_array()
            .expect("a list")
            .iter()
            .map(|h| h.as_str().expect("an href").to_string())
            .collect()
    }

    /// Checks the page shown at the current size; what is wrong goes to `problems`,
    /// under `name`.
    async fn inspect(&self, name: &str, customer_data: bool, problems: &mut Vec<String>) {
        let seen = self.script(INSPECT).await;
        let number = |key: &str| seen[key].as_i64().unwrap_or(i64::MAX);
        let listed = |key: &str| seen[key].as_array().is_some_and(|l| !l.is_empty());
        if number("scrollWidth") > number("innerWidth")
            || number("scrollWidth") > number("clientWidth")
        {
            problems.push(format!(
                "{name}: wider than the window ({} > {}): {}",
                number("scrollWidth"),
                number("clientWidth"),
                seen["wide"]
            ));
        }
        if listed("scrolling") {
            problems.push(format!("{name}: scrolls sideways {}", seen["scrolling"]));
        }
        if listed("untranslated") {
            problems.push(format!("{name}: untranslated {}", seen["untranslated"]));
        }
        if seen["errorPage"] != Value::Bool(false) {
            problems.push(format!("{name}: an error page at {}", self.here().await));
        }
        if customer_data && seen["watermark"] != Value::Bool(true) {
            problems.push(format!("{name}: customer data without the watermark"));
        }
    }

    /// Checks the page shown at each size and saves a full-page PNG of it as
    /// `<who>-<page>-<w>x<h>.png`.
    async fn capture(
        &self,
        who: &str,
        page: &str,
        customer_data: bool,
        problems: &mut Vec<String>,
        shots: &mut Vec<PathBuf>,
    ) {
        let dir = screenshot_dir();
        for (width, height) in SIZES {
            self.chrome.set_viewport(width, height).await;
            let name = format!("{who}-{page}-{width}x{height}");
            self.inspect(&name, customer_data, problems).await;
            let png = self.chrome.full_page_png().await;
            assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}: not a PNG");
            let file = dir.join(format!("{name}.png"));
            std::fs::write(&file, png).expect("save a screenshot");
            shots.push(file);
        }
        self.chrome.set_viewport(SIZES[0].0, SIZES[0].1).await;
    }

    /// The same checks on the same pages (path, name) in English, whose words are
    /// longer; no screenshots. Switches back to Chinese after.
    async fn inspect_in_english(
        &self,
        who: &str,
        pages: &[(String, String)],
        problems: &mut Vec<String>,
    ) {
        self.click(".langswitch a[lang='en']").await;
        for (path, page) in pages {
            self.goto(path).await;
            for (width, height) in SIZES {
                self.chrome.set_viewport(width, height).await;
                let name = format!("en-{who}-{page}-{width}x{height}");
                self.inspect(&name, path.starts_with("/customers"), problems)
                    .await;
            }
        }
        self.chrome.set_viewport(SIZES[0].0, SIZES[0].1).await;
        self.click(".langswitch a[lang='zh-CN']").await;
    }
}

/// Names of the customers an account's list holds, from the JSON API (the same gate).
async fn api_names(t: &TestApp, token: &str, q: Option<&str>) -> Vec<String> {
    let path = match q {
        Some(q) => format!("/api/v1/customers?per_page=100&{}", encode(&[("q", q)])),
        None => "/api/v1/customers?per_page=100".to_string(),
    };
    let (status, json, _) = t.get(&path, Some(token)).await;
    assert!(status.is_success(), "{path}: {json}");
    let mut names: Vec<String> = json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["name"].as_str().expect("a name").to_string())
        .collect();
    names.sort();
    names
}

/// The names in the customer table on screen, sorted.
async fn listed_names(rig: &Rig) -> Vec<String> {
    let mut names = Vec::new();
    for link in rig.all("table.table tbody a.row-link").await {
        names.push(link.text().await.expect("a name").trim().to_string());
    }
    names.sort();
    names
}

#[tokio::test]
async fn a_salesperson_searches_reveals_edits_and_signs_out() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(rig) = Rig::start().await else {
        return;
    };
    let t = &rig.t;

    // Signed out, the customer list leads to the sign-in page, and there again after it.
    rig.goto("/customers").await;
    assert_eq!(rig.here().await, "/login?next=/customers");
    rig.sign_in("sales01").await;
    assert_eq!(rig.path().await, "/customers");

    // The list holds exactly the customers the API gives sales01.
    let token = t.login("sales01").await;
    let all = api_names(t, &token, None).await;
    assert_eq!(all.len() as u64, CUSTOMERS_PER_SALESPERSON);
    assert_eq!(listed_names(&rig).await, all);

    // Search by one customer's name: the list narrows to what the API finds for it.
    let first = t.first_customer(&token).await;
    let id = first["id"].as_str().expect("an id").to_string();
    let name = first["name"].as_str().expect("a name").to_string();
    rig.type_into("#q", &name).await;
    rig.click("#search-form button[type=submit]").await;
    let found = listed_names(&rig).await;
    assert!(found.contains(&name), "{name} in {found:?}");
    assert_eq!(found, api_names(t, &token, Some(&name)).await);
    assert_eq!(rig.value("#q").await, name, "the search box keeps the term");
    assert!(
        !rig.here().await.contains("q="),
        "search terms stay out of the address bar"
    );

    // Open the customer.
    let mut link = None;
    for candidate in rig.all("a.row-link").await {
        if candidate.text().await.expect("text").trim() == name {
            link = Some(candidate);
        }
    }
    rig.click_through(link.expect("a link to the customer"))
        .await;
    assert_eq!(rig.path().await, format!("/customers/{id}"));
    assert_eq!(rig.text("h1").await, name);
    assert!(rig.exists(".watermark > span").await);

    // Reveal the mobile: the reason box opens with the focus, the value shows in clear
    // with the reveals left today.
    let mobile_row = "div.field-row[data-field='mobile']";
    let masked = rig.text(&format!("{mobile_row} .pill-masked")).await;
    assert!(is_masked_mobile(&masked), "{masked}");
    assert!(!rig.exists(".alert-warning").await);
    let reason_box = format!("{mobile_row} input[name='reason']");
    assert!(!rig
        .find(&reason_box)
        .await
        .is_displayed()
        .await
        .expect("shown?"));
    rig.find(&format!("{mobile_row} summary"))
        .await
        .click()
        .await
        .expect("open the reveal form");
    assert!(rig
        .find(&reason_box)
        .await
        .is_displayed()
        .await
        .expect("shown?"));
    assert_eq!(
        rig.script("return document.activeElement.id;").await,
        "reason-mobile",
        "the reason box has the focus"
    );
    rig.find(&reason_box)
        .await
        .send_keys("电话回访")
        .await
        .expect("type a reason");
    rig.click(&format!(
        "{mobile_row} form.reveal-form button[type=submit]"
    ))
    .await;
    let clear = rig.text(&format!("{mobile_row} .pill-revealed")).await;
    assert_eq!(
        rig.text(".alert-warning").await,
        format!(
            "已显示「手机号」明文，仅本次显示。 今日剩余查看次数：{}",
            DEMO_REVEAL_QUOTA - 1
        )
    );
    let truth = world(t).await;
    let (record, _) = truth
        .customers
        .iter()
        .find(|(c, _)| c.id.to_string() == id)
        .expect("the customer");
    assert_eq!(clear, record.mobile);
    assert_eq!((&clear[..3], &clear[7..]), (&masked[..3], &masked[7..]));

    // Edit: a blank name is refused beside its field, and nothing else typed is lost.
    rig.click(&format!("a[href='/customers/{id}/edit']")).await;
    assert_eq!(rig.path().await, format!("/customers/{id}/edit"));
    let notes = "试驾后回访：客户偏好白色车身";
    let gender = rig.value("#f-gender").await;
    let source = if rig.value("#f-source").await == "referral" {
        ("campaign", "营销活动")
    } else {
        ("referral", "老客户转介绍")
    };
    rig.type_into("#f-name", "").await;
    rig.type_into("#f-notes", notes).await;
    rig.find("#f-source")
        .await
        .select_by_value(source.0)
        .await
        .expect("choose a source");
    rig.click("form.form-card button[type=submit]").await;
    assert_eq!(rig.path().await, format!("/customers/{id}/edit"));
    assert_eq!(rig.text(".alert-error").await, "请修正标出的字段后重试。");
    assert_eq!(rig.text("#f-name-error").await, "此项为必填项。");
    let name_box = rig.find("#f-name").await;
    assert_eq!(
        name_box
            .attr("aria-invalid")
            .await
            .expect("attr")
            .as_deref(),
        Some("true")
    );
    assert!(rig.exists(".field.has-error #f-name").await);
    assert_eq!(rig.value("#f-name").await, "");
    assert_eq!(rig.value("#f-notes").await, notes);
    assert_eq!(rig.value("#f-source").await, source.0);
    assert_eq!(rig.value("#f-gender").await, gender);

    // Fixed, it is saved and shown.
    let new_name = t.fresh_customer(1).name;
    rig.type_into("#f-name", &new_name).await;
    rig.click("form.form-card button[type=submit]").await;
    assert_eq!(rig.path().await, format!("/customers/{id}"));
    assert_eq!(rig.text(".alert-success").await, "已保存修改。");
    assert_eq!(rig.text("h1").await, new_name);
    assert_eq!(
        rig.text("div.field-row[data-field='notes'] dd").await,
        notes
    );
    assert_eq!(
        rig.text("div.field-row[data-field='source'] dd").await,
        source.1
    );
    let (_, saved, _) = t
        .get(&format!("/api/v1/customers/{id}"), Some(&token))
        .await;
    assert_eq!(
        (&saved["name"], &saved["notes"], &saved["source"]),
        (
            &Value::from(new_name.clone()),
            &Value::from(notes),
            &Value::from(source.0)
        )
    );

    // Signed out, the customer's page leads to the sign-in page again.
    rig.sign_out().await;
    rig.goto(&format!("/customers/{id}")).await;
    assert_eq!(rig.here().await, format!("/login?next=/customers/{id}"));
    let body = rig.text("body").await;
    assert!(!body.contains(&new_name) && !body.contains(&clear));

    rig.finish().await;
}

#[tokio::test]
async fn roles_without_customer_data_have_no_customer_pages() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(rig) = Rig::start().await else {
        return;
    };
    let token = rig.t.login("sales01").await;
    let customer = rig.t.first_customer(&token).await;
    let id = customer["id"].as_str().expect("an id");
    let name = customer["name"].as_str().expect("a name");

    rig.goto("/login").await;
    for username in ["admin", "auditor"] {
        rig.sign_in(username).await;
        assert_eq!(rig.path().await, "/");
        let nav = rig.nav().await;
        assert!(nav.contains(&"/".to_string()), "{username}: {nav:?}");
        assert!(
            nav.iter().all(|href| !href.starts_with("/customers")),
            "{username}: {nav:?}"
        );
        assert!(
            !rig.exists("a[href^='/customers']").await,
            "{username}: no link to customers anywhere on the home page"
        );
        for path in [
            "/customers".to_string(),
            "/customers/new".to_string(),
            format!("/customers/{id}"),
        ] {
            rig.goto(&path).await;
            assert_eq!(rig.path().await, path, "{username}: no redirect");
            assert_eq!(
                rig.text(".error-status").await,
                "状态码 403",
                "{username} {path}"
            );
            assert_eq!(rig.text("h1").await, "无权访问", "{username} {path}");
            assert!(!rig.exists(".watermark").await, "{username} {path}");
            assert!(!rig.text("body").await.contains(name), "{username} {path}");
        }
        rig.sign_out().await;
    }

    rig.finish().await;
}

#[tokio::test]
async fn every_page_of_every_role_fits_both_sizes_and_is_translated() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(rig) = Rig::start().await else {
        return;
    };
    let mut problems = Vec::new();
    let mut shots = Vec::new();

    // The inspection sees what it looks for: a page made wide, a box made to scroll,
    // a message key and a "?" put in.
    rig.goto("/login").await;
    let mut planted = Vec::new();
    rig.script(
        "const wide = document.createElement('div'); wide.style.width = '3000px'; \
         wide.textContent = 'login.heading ?'; document.body.append(wide); \
         const box = document.querySelector('.login-card'); box.style.overflowX = 'auto'; \
         const inner = document.createElement('div'); inner.style.width = '2000px'; \
         box.append(inner);",
    )
    .await;
    rig.capture("planted", "faults", true, &mut planted, &mut Vec::new())
        .await;
    let planted = planted.join("\n");
    for size in SIZES.map(|(w, h)| format!("{w}x{h}")) {
        for fault in [
            format!("planted-faults-{size}: wider than the window"),
            format!("planted-faults-{size}: scrolls sideways"),
            format!(
                "planted-faults-{size}: untranslated [\"login.heading in <div>\",\"? in <div>\"]"
            ),
            format!("planted-faults-{size}: customer data without the watermark"),
        ] {
            assert!(planted.contains(&fault), "{fault} not found in:\n{planted}");
        }
    }
    let _ = std::fs::remove_file(screenshot_dir().join("planted-faults-1280x800.png"));
    let _ = std::fs::remove_file(screenshot_dir().join("planted-faults-1024x768.png"));

    // A campaign of access reviews under way: the managers' navigation carries its entry
    // and badge, the widest bar a manager has, and the review pages are inspected too.
    let auditor = rig.t.login("auditor").await;
    let quarter = rig.t.app.current_quarter();
    let (status, json, _) = rig
        .t
        .post(
            "/api/v1/access-reviews",
            Some(&auditor),
            serde_json::json!({ "quarter": quarter }),
        )
        .await;
    assert_eq!(status, 201, "{json}");

    rig.goto("/login").await;
    rig.capture("anonymous", "login", false, &mut problems, &mut shots)
        .await;
    let login = [("/login".to_string(), "login".to_string())];
    rig.inspect_in_english("anonymous", &login, &mut problems)
        .await;
    for account in ACCOUNTS {
        rig.sign_in(account).await;
        let nav = rig.nav().await;
        assert!(!nav.is_empty(), "{account} has a navigation bar");
        let mut pages = Vec::new();
        for href in &nav {
            rig.goto(href).await;
            assert_eq!(&rig.path().await, href, "{account} stays on {href}");
            let customers = href.starts_with("/customers");
            rig.capture(account, &slug(href), customers, &mut problems, &mut shots)
                .await;
            pages.push((href.clone(), slug(href)));
        }
        // A manager reaches their review list from the home page's card.
        rig.goto("/").await;
        if !nav.iter().any(|href| href == "/reviews") && rig.exists("a.home-reviews").await {
            rig.goto("/reviews").await;
            rig.capture(account, "reviews", false, &mut problems, &mut shots)
                .await;
            pages.push(("/reviews".into(), "reviews".into()));
        }
        // The access reviews' report is a tab of their area, not an entry of its own.
        if nav.iter().any(|href| href == "/reviews") {
            rig.goto("/reviews/report").await;
            rig.capture(account, "reviews-report", false, &mut problems, &mut shots)
                .await;
            pages.push(("/reviews/report".into(), "reviews-report".into()));
        }
        if nav.iter().any(|href| href == "/customers") {
            rig.goto("/customers").await;
            rig.click("table.table tbody a.row-link").await;
            rig.capture(account, "customer-detail", true, &mut problems, &mut shots)
                .await;
            pages.push((rig.path().await, "customer-detail".into()));
            let edit = rig.all(".page-actions a[href$='/edit']").await;
            if let Some(edit) = edit.into_iter().next() {
                rig.click_through(edit).await;
                assert!(rig.path().await.ends_with("/edit"));
                rig.capture(account, "customer-edit", true, &mut problems, &mut shots)
                    .await;
                pages.push((rig.path().await, "customer-edit".into()));
            }
        }
        rig.inspect_in_english(account, &pages, &mut problems).await;
        rig.sign_out().await;
    }

    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // Each account shows at least its home page; sales01 also list, new, detail and edit.
    assert!(shots.len() >= 2 * (1 + ACCOUNTS.len() + 4), "{shots:?}");
    rig.finish().await;
}

#[tokio::test]
async fn a_change_in_the_matrix_editor_shows_in_the_preview_and_applies_to_the_role() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(rig) = Rig::start().await else {
        return;
    };
    let token = rig.t.login("sales01").await;
    let customer = rig.t.first_customer(&token).await;
    let id = customer["id"].as_str().expect("an id").to_string();
    let masked = customer["mobile"].as_str().expect("a mobile").to_string();
    assert!(masked.contains('*'), "masked before: {masked}");
    let w = world(&rig.t).await;
    let clear = w
        .customers
        .iter()
        .find(|(c, _)| c.id.to_string() == id)
        .map(|(c, _)| c.mobile.clone())
        .expect("the customer");
    let mut problems = Vec::new();
    let mut shots = Vec::new();

    rig.goto("/login").await;
    rig.sign_in("admin").await;
    rig.click("nav.mainnav a[href='/admin/roles']").await;
    rig.click("a[href='/admin/roles/sales_consultant']").await;
    rig.capture("admin", "role-editor", false, &mut problems, &mut shots)
        .await;
    assert!(rig.text("#role-preview").await.contains("138****8000"));

    // Mobile in clear: the preview follows without a reload, showing both versions.
    // (Scrolled to the middle first, as a person would: the sticky save bar covers
    // the bottom of the window.)
    let choice = "input[name='level.customer.mobile'][value='clear']";
    rig.script(&format!(
        "document.querySelector(\"{choice}\").scrollIntoView({{block: 'center'}});"
    ))
    .await;
    rig.find(choice).await.click().await.expect("choose clear");
    let deadline = Instant::now() + PAGE_PATIENCE;
    while !rig.text("#role-preview").await.contains("13800138000") {
        assert!(Instant::now() < deadline, "the preview did not follow");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(rig.text("#role-preview").await.contains("修改后"));

    // The review lists what the change opens, then the save applies it.
    rig.click("form.role-editor button.btn-primary").await;
    assert_eq!(rig.path().await, "/admin/roles/sales_consultant/review");
    let review = rig.text("main").await;
    assert!(review.contains("本次修改将开放"), "{review}");
    assert!(review.contains("客户 · 手机号"), "{review}");
    rig.capture("admin", "role-review", false, &mut problems, &mut shots)
        .await;
    rig.click("form[action='/admin/roles/sales_consultant'] button")
        .await;
    assert!(rig.text(".alert-success").await.contains("已保存"));
    rig.sign_out().await;

    // The salesperson's next page shows the mobile in clear, without a reveal.
    rig.sign_in("sales01").await;
    rig.goto(&format!("/customers/{id}")).await;
    let page = rig.text("main").await;
    assert!(page.contains(&clear), "the clear mobile on the page");
    assert!(!page.contains(&masked), "no masked mobile left");
    rig.sign_out().await;

    assert!(problems.is_empty(), "{}", problems.join("\n"));
    rig.finish().await;
}

#[tokio::test]
async fn a_printed_customer_page_keeps_the_watermark() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(rig) = Rig::start().await else {
        return;
    };
    let token = rig.t.login("sales01").await;
    let customer = rig.t.first_customer(&token).await;
    let id = customer["id"].as_str().expect("an id").to_string();
    rig.goto("/login").await;
    rig.sign_in("sales01").await;
    rig.goto(&format!("/customers/{id}")).await;
    let shown = |css: &str| {
        format!(
            "const e = document.querySelector('{css}'); \
             return e !== null && getComputedStyle(e).display !== 'none';"
        )
    };
    rig.chrome.emulate_print(true).await;
    assert_eq!(rig.script(&shown(".watermark")).await, Value::Bool(true));
    assert_eq!(rig.script(&shown(".topbar")).await, Value::Bool(false));
    let text = rig
        .script("return document.querySelector('.watermark span').textContent;")
        .await;
    assert!(
        text.as_str()
            .is_some_and(|t| t.contains("王丽") && t.contains("sales01")),
        "the printed watermark names the viewer: {text}"
    );
    rig.capture(
        "sales01",
        "customer-detail-print",
        true,
        &mut Vec::new(),
        &mut Vec::new(),
    )
    .await;
    rig.chrome.emulate_print(false).await;
    rig.sign_out().await;
    rig.finish().await;
}

/// The badge of the page's heading (a lead's status, a deal's state), in words.
async fn heading_badge(rig: &Rig) -> String {
    rig.text("h1 .badge").await
}

#[tokio::test]
async fn a_lead_goes_through_the_funnel_to_delivery() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(rig) = Rig::start().await else {
        return;
    };
    let t = &rig.t;
    let (mut problems, mut shots) = (Vec::new(), Vec::new());

    // sales01 takes a walk-in's details.
    rig.goto("/leads/new").await;
    rig.sign_in("sales01").await;
    assert_eq!(rig.path().await, "/leads/new");
    let mobile = t.fresh_customer(4242).mobile;
    rig.type_into("#f-name", "韩立").await;
    rig.type_into("#f-mobile", &mobile).await;
    rig.find("#f-source")
        .await
        .select_by_value("walk_in")
        .await
        .expect("choose a source");
    rig.type_into("#f-intended_model", "帕萨特").await;
    rig.click("form.form-card button[type=submit]").await;
    let lead_path = rig.path().await;
    assert!(lead_path.starts_with("/leads/"), "{lead_path}");
    let lead_id = lead_path.trim_start_matches("/leads/").to_string();
    assert_eq!(heading_badge(&rig).await, "新线索");

    // A call that just happened: the lead is contacted.
    rig.find("#fu-kind")
        .await
        .select_by_value("call")
        .await
        .expect("choose a channel");
    rig.find("form[action$='/follow-ups'] input[name='done']")
        .await
        .click()
        .await
        .expect("tick done");
    rig.type_into("#fu-notes", "电话沟通，周末到店").await;
    rig.click("form[action$='/follow-ups'] button[type=submit]")
        .await;
    assert_eq!(heading_badge(&rig).await, "已联系");

    // A test drive of a car on the lot, an hour from now (the slot set as the browser's
    // picker would), then done with the waiver signed.
    let soon = time::OffsetDateTime::now_utc() + time::Duration::hours(8 + 1);
    let slot = format!("{}T{:02}:{:02}", soon.date(), soon.hour(), soon.minute());
    rig.script(&format!(
        "document.querySelector('#td-start').value = '{slot}';"
    ))
    .await;
    rig.type_into("#td-licence", &t.fresh_customer(4242).id_number)
        .await;
    rig.click("form[action$='/test-drives'] button[type=submit]")
        .await;
    assert!(rig.path().await.starts_with("/test-drives/"));
    assert_eq!(rig.text(".alert-success").await, "试驾已预约。");
    rig.capture("sales01", "test-drive", true, &mut problems, &mut shots)
        .await;
    rig.find("input[name='waiver_signed']")
        .await
        .click()
        .await
        .expect("tick the waiver");
    rig.type_into("#td-feedback", "动力满意，后排空间够用")
        .await;
    rig.click("form[action$='/complete'] button[type=submit]")
        .await;
    assert_eq!(
        rig.text(".alert-success").await,
        "试驾已完成，线索已推进到试驾阶段。"
    );
    rig.goto(&lead_path).await;
    assert_eq!(heading_badge(&rig).await, "已试驾");

    // The quote, amounts typed in yuan.
    rig.click("a[href$='/quotes/new']").await;
    rig.capture("sales01", "quote-new", true, &mut problems, &mut shots)
        .await;
    assert_eq!(rig.value("#q-model").await, "帕萨特", "the lead's model");
    rig.type_into("#q-price", "219,900").await;
    rig.type_into("#q-discount", "12000").await;
    rig.type_into("#q-insurance_premium", "6,500.00").await;
    rig.find("#q-insurance_plan")
        .await
        .select_by_value("comprehensive")
        .await
        .expect("choose insurance");
    rig.click("form[action$='/quotes'] button[type=submit]")
        .await;
    let deal_path = rig.path().await;
    assert!(deal_path.starts_with("/deals/"), "{deal_path}");
    assert_eq!(rig.text(".alert-success").await, "报价已保存。");
    assert_eq!(heading_badge(&rig).await, "报价中");
    let terms = rig.text("section.card").await;
    assert!(terms.contains("¥214,400.00"), "the total: {terms}");

    // Signed, with a deposit and the first car the stock offers.
    rig.type_into("#o-contract", "SH01-B-0001").await;
    rig.type_into("#o-deposit", "5,000").await;
    let car = rig
        .script("return document.querySelector('#o-vehicle option:nth-child(2)').value;")
        .await;
    let car = car.as_str().expect("a vehicle to allocate").to_string();
    rig.find("#o-vehicle")
        .await
        .select_by_value(&car)
        .await
        .expect("choose a car");
    rig.click("form[action$='/order'] button[type=submit]")
        .await;
    assert_eq!(rig.text(".alert-success").await, "订单已签订。");
    assert_eq!(heading_badge(&rig).await, "已签约");
    assert!(
        rig.exists("a[href^='/vehicles/']").await,
        "the VIN links the car"
    );
    assert!(
        !rig.exists("form[action$='/payments']").await,
        "payments are finance's"
    );
    rig.capture("sales01", "deal-ordered", true, &mut problems, &mut shots)
        .await;
    rig.sign_out().await;

    // Finance records the balance as the page states it.
    rig.goto(&deal_path).await;
    rig.sign_in("finance01").await;
    let balance = rig.text("div.field-row[data-field='balance'] strong").await;
    assert_eq!(balance, "¥209,400.00");
    rig.capture("finance01", "deal-payment", true, &mut problems, &mut shots)
        .await;
    rig.type_into("#p-amount", &balance).await;
    rig.click("form[action$='/payments'] button[type=submit]")
        .await;
    assert_eq!(rig.text(".alert-success").await, "收款已登记。");
    assert_eq!(
        rig.text("div.field-row[data-field='balance'] strong").await,
        "¥0.00"
    );
    rig.sign_out().await;

    // sales01 hands the car over; customer care's calls are planned.
    rig.goto(&deal_path).await;
    rig.sign_in("sales01").await;
    rig.click("form[action$='/deliver'] button[type=submit]")
        .await;
    assert_eq!(rig.text(".alert-success").await, "已交车，客服回访已安排。");
    assert_eq!(heading_badge(&rig).await, "已交车");
    rig.goto(&lead_path).await;
    assert_eq!(heading_badge(&rig).await, "已交车");
    // Open follow-ups carry their completion form.
    let planned = rig.all("ul.timeline li details.reveal").await.len();
    assert_eq!(planned, 3, "three customer-care calls on the lead");
    rig.capture("sales01", "lead-delivered", true, &mut problems, &mut shots)
        .await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The same story through the API.
    let token = t.login("sales01").await;
    let (_, lead, _) = t
        .get(&format!("/api/v1/leads/{lead_id}"), Some(&token))
        .await;
    assert_eq!(lead["lead"]["status"], "delivered");
    let (_, vehicle, _) = t
        .get(&format!("/api/v1/vehicles/{car}"), Some(&token))
        .await;
    assert_eq!(vehicle["status"], "delivered");
    rig.finish().await;
}
