//! The export pages on the page path, on every backend: who reaches which page (the
//! request form only with the customer export right, the rules only for the store's
//! manager, leak tracing only for the auditor), forms refused without their token, a
//! refused request form that keeps what was typed, the store's rules edited with refusals
//! by field, and a whole export through the pages — sales01 asks, salesmgr01 is told and
//! previews masked rows (no mobile in clear anywhere in the page), approves, gm01
//! approves, sales01 downloads the watermarked CSV from the page's link, and the auditor
//! uploads that file to leak tracing and is shown the export.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::browser::{encode, shows, Browser, Page, HOST};
use common::{on_every_backend, TestApp, TestResponse};
use dealervault_demo::DEMO_PASSWORD;
use dealervault_exportfile::read_leaked;

/// The fields the flow asks for.
const FIELDS: [&str; 3] = ["name", "mobile", "source"];
const PURPOSE: &str = "季度回访 quarterly calls";

/// Whether `text` holds eleven digits in a row starting with 1 (a mainland mobile in
/// clear), as a run of its own or inside a longer one.
fn has_clear_mobile(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let run = &bytes[start..i];
        if run.len() >= 11 && run[..=run.len() - 11].contains(&b'1') {
            return true;
        }
    }
    false
}

/// `text` without anything shaped like a UUID (record ids in links and forms): the
/// hexadecimal digits of an id may run eleven long by chance, a mobile never hides there.
fn without_ids(text: &str) -> String {
    let is_id = |w: &[u8]| {
        w.len() == 36
            && w.iter().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => *c == b'-',
                _ => c.is_ascii_hexdigit(),
            })
    };
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if i + 36 <= bytes.len() && is_id(&bytes[i..i + 36]) {
            i += 36;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The masked mobiles (`138****5678`) in `text`.
fn masked_mobiles(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(11)
        .map(|w| w.iter().collect::<String>())
        .filter(|w| common::is_masked_mobile(w))
        .collect()
}

/// A signed-in browser that also sends what `Browser` does not: raw bytes and uploads.
struct Session<'a> {
    t: &'a TestApp,
    cookie: String,
}

impl<'a> Session<'a> {
    async fn login(t: &'a TestApp, username: &str) -> Session<'a> {
        let form = encode(&[
            ("username", username),
            ("password", DEMO_PASSWORD),
            ("next", "/"),
        ]);
        let request = Request::builder()
            .method(Method::POST)
            .uri("/login")
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .expect("a request");
        let r = t.send(request).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{}] login", t.backend());
        let cookie = r
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("dv_session="))
            .and_then(|v| v.split(';').next())
            .expect("a session cookie")
            .to_string();
        Session { t, cookie }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        kind: Option<&str>,
        body: Vec<u8>,
    ) -> TestResponse {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, HOST)
            .header(header::COOKIE, &self.cookie);
        if let Some(kind) = kind {
            request = request.header(header::CONTENT_TYPE, kind);
        }
        self.t
            .send(request.body(Body::from(body)).expect("a request"))
            .await
    }

    async fn get(&self, path: &str) -> TestResponse {
        self.send(Method::GET, path, None, Vec::new()).await
    }

    /// The CSRF token of the first form of the page at `path`.
    async fn csrf(&self, path: &str) -> String {
        let r = self.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "[{}] {path}", self.t.backend());
        Page {
            status: r.status,
            headers: r.headers,
            body: String::from_utf8_lossy(&r.body).into_owned(),
        }
        .csrf()
    }

    /// `multipart/form-data` with the token (when given) and one file.
    async fn upload(
        &self,
        path: &str,
        csrf: Option<&str>,
        name: &str,
        file: &[u8],
    ) -> (StatusCode, String) {
        let boundary = "dv-test-boundary-5f0c1e";
        let mut body = Vec::new();
        if let Some(token) = csrf {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let kind = format!("multipart/form-data; boundary={boundary}");
        let r = self.send(Method::POST, path, Some(&kind), body).await;
        (r.status, String::from_utf8_lossy(&r.body).into_owned())
    }
}

async fn signed_in<'a>(t: &'a TestApp, username: &str) -> Browser<'a> {
    let mut b = t.browser();
    b.login(username).await;
    b
}

/// The paths the navigation bar of `html` links to.
fn nav(html: &str) -> Vec<String> {
    let Some(start) = html.find(r#"<nav class="mainnav""#) else {
        return Vec::new();
    };
    let end = html[start..]
        .find("</nav>")
        .map_or(html.len(), |e| start + e);
    html[start..end]
        .split(r#"<a href=""#)
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

/// Posts the request form as sales01 would fill it in; the answer.
async fn request_through_the_form(b: &mut Browser<'_>, fields: &[&str], purpose: &str) -> Page {
    let form = b.get("/exports/new").await;
    let csrf = form.csrf();
    let mut pairs = vec![("csrf", csrf.as_str())];
    pairs.extend(fields.iter().map(|f| ("fields", *f)));
    pairs.extend([("format", "csv"), ("purpose", purpose), ("source", "")]);
    b.post("/exports", &pairs).await
}

#[tokio::test]
async fn each_export_page_is_for_the_roles_it_serves() {
    on_every_backend(|t| async move {
        let b = t.backend();
        // A consultant asks; the rules and leak tracing are not theirs.
        let mut sales01 = signed_in(&t, "sales01").await;
        let list = sales01.get("/exports").await;
        assert_eq!(list.status, StatusCode::OK, "[{b}]");
        assert!(
            nav(&list.body).contains(&"/exports".to_string()),
            "[{b}] in the navigation"
        );
        assert!(
            list.body.contains(r#"href="/exports/new""#),
            "[{b}] the request button"
        );
        assert!(
            !list.body.contains(r#"href="/exports/rules""#),
            "[{b}] no rules link"
        );
        assert!(
            list.body.contains("您还没有提交过导出申请"),
            "[{b}] {}",
            list.body
        );
        let form = sales01.get("/exports/new").await;
        assert_eq!(form.status, StatusCode::OK, "[{b}]");
        for field in FIELDS {
            assert!(
                form.body
                    .contains(&format!(r#"name="fields" value="{field}" checked"#)),
                "[{b}] {field} offered and checked"
            );
        }
        assert!(
            form.body.contains(r#"name="format" value="csv" checked"#),
            "[{b}]"
        );
        assert!(form.body.contains(r#"name="purpose""#), "[{b}]");
        assert!(
            form.body.contains("审计日志"),
            "[{b}] the purpose is said to be audited"
        );
        for refused in ["/exports/rules", "/audit/trace"] {
            assert_eq!(
                sales01.get(refused).await.status,
                StatusCode::FORBIDDEN,
                "[{b}] {refused}"
            );
        }

        // The general manager sets the rules: SH01's chain, sales manager then himself.
        let mut gm01 = signed_in(&t, "gm01").await;
        let list = gm01.get("/exports").await;
        assert!(
            list.body.contains(r#"href="/exports/rules""#),
            "[{b}] the rules link"
        );
        let rules = gm01.get("/exports/rules").await;
        assert_eq!(rules.status, StatusCode::OK, "[{b}]");
        assert!(rules.body.contains(r#"name="step_0_role""#), "[{b}]");
        assert!(
            rules
                .body
                .contains(r#"<option value="sales_manager" selected>"#),
            "[{b}] {}",
            rules.body
        );
        assert!(
            rules
                .body
                .contains(r#"<option value="general_manager" selected>"#),
            "[{b}]"
        );
        let mut salesmgr01 = signed_in(&t, "salesmgr01").await;
        assert_eq!(
            salesmgr01.get("/exports/rules").await.status,
            StatusCode::FORBIDDEN,
            "[{b}] the department's manager does not set the store's rules"
        );

        // No export right: no entry, no form, no request.
        let mut finance01 = signed_in(&t, "finance01").await;
        let home = finance01.get("/").await;
        assert!(
            !nav(&home.body).contains(&"/exports".to_string()),
            "[{b}] {:?}",
            nav(&home.body)
        );
        assert_eq!(
            finance01.get("/exports/new").await.status,
            StatusCode::FORBIDDEN,
            "[{b}]"
        );
        let csrf = home.csrf();
        let posted = finance01
            .post(
                "/exports",
                &[
                    ("csrf", &csrf),
                    ("fields", "name"),
                    ("format", "csv"),
                    ("purpose", PURPOSE),
                ],
            )
            .await;
        assert_eq!(posted.status, StatusCode::FORBIDDEN, "[{b}]");

        // Only the auditor traces leaks, from the audit page.
        let mut auditor = signed_in(&t, "auditor").await;
        assert!(
            !nav(&auditor.get("/").await.body).contains(&"/exports".to_string()),
            "[{b}]"
        );
        let audit = auditor.get("/audit").await;
        assert!(
            audit.body.contains(r#"href="/audit/trace""#),
            "[{b}] linked from the audit page"
        );
        let trace = auditor.get("/audit/trace").await;
        assert_eq!(trace.status, StatusCode::OK, "[{b}]");
        assert!(
            trace.body.contains(r#"enctype="multipart/form-data""#),
            "[{b}]"
        );
        assert!(trace.body.contains(r#"type="file""#), "[{b}]");
        for who in ["gm01", "finance01", "admin"] {
            let mut other = signed_in(&t, who).await;
            assert_eq!(
                other.get("/audit/trace").await.status,
                StatusCode::FORBIDDEN,
                "[{b}] {who}"
            );
        }

        // In English, the navigation keeps a short word.
        let english = gm01.get("/lang/en?next=/exports").await;
        assert_eq!(english.status, StatusCode::SEE_OTHER, "[{b}]");
        let list = gm01.get("/exports").await;
        assert!(list.body.contains(r#"<html lang="en">"#), "[{b}]");
        assert!(list.body.contains(">Exports<"), "[{b}] the English entry");
        t
    })
    .await;
}

#[tokio::test]
async fn every_export_form_needs_its_token() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let mut sales01 = signed_in(&t, "sales01").await;
        let cases: [(&str, Vec<(&str, &str)>); 4] = [
            (
                "/exports",
                vec![("fields", "name"), ("format", "csv"), ("purpose", PURPOSE)],
            ),
            ("/exports/rules", vec![("decide_hours", "24")]),
            (
                "/exports/0190a6a0-0000-7000-8000-000000000000/approve",
                vec![("comment", "ok")],
            ),
            (
                "/exports/0190a6a0-0000-7000-8000-000000000000/reject",
                vec![("comment", "no")],
            ),
        ];
        for (path, form) in cases {
            let page = sales01.post(path, &form).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "[{b}] {path}");
            let mut forged = form.clone();
            forged.push(("csrf", "forged"));
            assert_eq!(
                sales01.post(path, &forged).await.status,
                StatusCode::FORBIDDEN,
                "[{b}] {path}"
            );
        }
        let (_, list, _) = t
            .get("/api/v1/exports", Some(&t.login("sales01").await))
            .await;
        assert_eq!(
            list["mine"].as_array().map(Vec::len),
            Some(0),
            "[{b}] nothing requested"
        );

        let auditor = Session::login(&t, "auditor").await;
        let (status, _) = auditor
            .upload("/audit/trace", None, "leak.csv", b"a,b\n1,2\n")
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "[{b}] an upload without the token"
        );
        let (status, _) = auditor
            .upload("/audit/trace", Some("forged"), "leak.csv", b"a,b\n1,2\n")
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] a forged token");
        let r = auditor
            .send(
                Method::POST,
                "/audit/trace",
                Some("application/x-www-form-urlencoded"),
                b"file=x".to_vec(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "[{b}] not an upload");
        t
    })
    .await;
}

#[tokio::test]
async fn a_refused_request_form_keeps_what_was_typed() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let mut sales01 = signed_in(&t, "sales01").await;
        let none = request_through_the_form(&mut sales01, &[], PURPOSE).await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(
            none.body.contains("请至少选择一个字段"),
            "[{b}] {}",
            none.body
        );
        assert!(shows(&none.body, PURPOSE), "[{b}] the purpose kept");

        let blank = request_through_the_form(&mut sales01, &["name"], " ").await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(
            blank.body.contains("此项为必填项"),
            "[{b}] the purpose is required"
        );
        assert!(
            blank.body.contains(r#"value="name" checked"#),
            "[{b}] name stays checked"
        );
        assert!(
            blank.body.contains(r#"name="fields" value="mobile">"#),
            "[{b}] mobile stays unchecked"
        );

        let leaky =
            request_through_the_form(&mut sales01, &["name"], "给 138 1234 5678 的客户").await;
        assert_eq!(leaky.status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(
            leaky.body.contains("请不要填写手机号或身份证号"),
            "[{b}] {}",
            leaky.body
        );
        assert!(leaky.body.contains("has-error"), "[{b}] beside the purpose");

        let (_, list, _) = t
            .get("/api/v1/exports", Some(&t.login("sales01").await))
            .await;
        assert_eq!(
            list["mine"].as_array().map(Vec::len),
            Some(0),
            "[{b}] nothing requested"
        );
        t
    })
    .await;
}

#[tokio::test]
async fn the_general_manager_edits_the_store_s_chain() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let mut gm01 = signed_in(&t, "gm01").await;
        let csrf = gm01.get("/exports/rules").await.csrf();
        let base = |decide: &'static str, downloads: &'static str| {
            vec![
                ("direct_up_to", "0"),
                ("decide_hours", decide),
                ("download_hours", "24"),
                ("max_downloads", downloads),
                ("step_0_role", "sales_manager"),
                ("step_0_same_department", "on"),
                ("step_0_min_rows", "0"),
                ("step_1_role", "general_manager"),
                ("step_1_min_rows", ""),
                ("step_2_role", ""),
                ("step_2_min_rows", "500"),
            ]
        };
        let mut form = base("0", "two");
        form.push(("csrf", &csrf));
        let refused = gm01.post("/exports/rules", &form).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(refused.body.contains("请输入不小于 0 的整数"), "[{b}] {}", refused.body);
        assert!(shows(&refused.body, r#"value="two""#), "[{b}] kept as typed");

        let mut form = base("0", "2");
        form.push(("csrf", &csrf));
        let refused = gm01.post("/exports/rules", &form).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(refused.body.contains("须在 1–720 范围内"), "[{b}] {}", refused.body);

        let mut form = base("48", "2");
        form.push(("csrf", &csrf));
        let saved = gm01.post("/exports/rules", &form).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "[{b}] {}", saved.body);
        assert_eq!(saved.location(), "/exports/rules?saved=1", "[{b}]");
        let page = gm01.get(saved.location()).await;
        assert!(page.body.contains("导出审批规则已保存"), "[{b}]");
        assert!(page.body.contains(r#"name="decide_hours" type="number" min="1" max="720" inputmode="numeric" value="48""#), "[{b}]");
        assert!(page.body.contains(r#"name="max_downloads" type="number" min="1" max="10" inputmode="numeric" value="2""#), "[{b}]");
        assert!(page.body.contains(r#"name="step_0_same_department" value="on" checked"#), "[{b}]");
        assert!(
            !page.body.contains(r#"name="step_2_same_department" value="on" checked"#),
            "[{b}] the empty row ignored"
        );
        // A request made now takes the new rules.
        let mut sales01 = signed_in(&t, "sales01").await;
        let made = request_through_the_form(&mut sales01, &["name"], PURPOSE).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "[{b}]");
        let (_, list, _) = t.get("/api/v1/exports", Some(&t.login("sales01").await)).await;
        assert_eq!(list["mine"][0]["downloads_left"], 2, "[{b}] {list}");
        t
    })
    .await;
}

#[tokio::test]
async fn an_export_goes_from_request_to_approval_download_and_trace_through_the_pages() {
    on_every_backend(|t| async move {
        let b = t.backend();
        // sales01 asks.
        let mut sales01 = signed_in(&t, "sales01").await;
        let asked = request_through_the_form(&mut sales01, &FIELDS, PURPOSE).await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER, "[{b}] {}", asked.body);
        let location = asked.location().to_string();
        assert!(location.ends_with("?done=requested"), "[{b}] {location}");
        let id = location
            .trim_start_matches("/exports/")
            .trim_end_matches("?done=requested")
            .to_string();
        let page = sales01.get(&location).await;
        assert_eq!(page.status, StatusCode::OK, "[{b}]");
        assert!(page.body.contains("导出申请已提交"), "[{b}] the notice");
        assert!(page.body.contains(r#"data-status="pending""#), "[{b}]");
        assert!(shows(&page.body, PURPOSE), "[{b}]");
        assert!(
            page.body.contains("销售经理") && page.body.contains("总经理"),
            "[{b}] the chain"
        );
        assert!(
            page.body.contains(r#"class="chain-step chain-waiting""#)
                && page.body.contains(r#"class="chain-step chain-later""#),
            "[{b}] the sales manager's turn, then the general manager's"
        );
        assert!(
            !page.body.contains("/download"),
            "[{b}] nothing to download yet"
        );
        assert!(
            !page.body.contains("/approve"),
            "[{b}] nobody decides their own"
        );
        let mine = sales01.get("/exports").await;
        assert!(
            mine.body.contains(&format!(r#"href="/exports/{id}""#)),
            "[{b}]"
        );

        // Deciding out of turn is refused beside the request.
        let csrf = page.csrf();
        let own = sales01
            .post(&format!("/exports/{id}/approve"), &[("csrf", &csrf)])
            .await;
        assert_eq!(own.status, StatusCode::FORBIDDEN, "[{b}]");
        assert!(
            own.body.contains("不能审批自己的申请"),
            "[{b}] {}",
            own.body
        );
        let mut gm01 = signed_in(&t, "gm01").await;
        let gm_page = gm01.get(&format!("/exports/{id}")).await;
        assert_eq!(
            gm_page.status,
            StatusCode::OK,
            "[{b}] the general manager sees it"
        );
        assert!(
            !gm_page.body.contains("/approve"),
            "[{b}] not his turn: no forms"
        );
        let early = gm01
            .post(
                &format!("/exports/{id}/approve"),
                &[("csrf", &gm_page.csrf())],
            )
            .await;
        assert_eq!(early.status, StatusCode::FORBIDDEN, "[{b}]");
        assert!(early.body.contains("该申请当前不由您审批"), "[{b}]");
        let mut sales02 = signed_in(&t, "sales02").await;
        assert_eq!(
            sales02.get(&format!("/exports/{id}")).await.status,
            StatusCode::NOT_FOUND,
            "[{b}]"
        );

        // salesmgr01 is told, on the home page and in the navigation, and previews it.
        let mut salesmgr01 = signed_in(&t, "salesmgr01").await;
        let home = salesmgr01.get("/").await;
        assert!(home.body.contains("home-exports"), "[{b}] the home card");
        assert!(home.body.contains("有 1 个导出申请等待您审批"), "[{b}]");
        assert!(
            home.body.contains(r#"<span class="nav-badge""#),
            "[{b}] the badge"
        );
        let list = salesmgr01.get("/exports").await;
        let awaiting = list
            .body
            .find(r#"id="exports-awaiting""#)
            .expect("the awaiting table");
        assert!(
            list.body[awaiting..].contains(&format!(r#"href="/exports/{id}""#)),
            "[{b}] awaiting the sales manager"
        );
        let preview = salesmgr01.get(&format!("/exports/{id}")).await;
        assert_eq!(preview.status, StatusCode::OK, "[{b}]");
        assert!(preview.body.contains("export-sample"), "[{b}] the sample");
        assert!(
            preview.body.contains(r#"class="watermark""#),
            "[{b}] watermarked"
        );
        assert!(
            preview.body.contains(" salesmgr01 20"),
            "[{b}] naming the viewer"
        );
        assert!(
            !masked_mobiles(&preview.body).is_empty(),
            "[{b}] masked mobiles shown"
        );
        assert!(
            !has_clear_mobile(&without_ids(&preview.body)),
            "[{b}] a mobile in clear in the approver's page"
        );
        assert!(
            preview
                .body
                .contains(&format!(r#"action="/exports/{id}/approve""#)),
            "[{b}]"
        );
        assert!(
            preview
                .body
                .contains(&format!(r#"action="/exports/{id}/reject""#)),
            "[{b}]"
        );
        let approved = salesmgr01
            .post(
                &format!("/exports/{id}/approve"),
                &[("csrf", &preview.csrf()), ("comment", "同意，季度回访")],
            )
            .await;
        assert_eq!(
            approved.status,
            StatusCode::SEE_OTHER,
            "[{b}] {}",
            approved.body
        );
        assert_eq!(
            approved.location(),
            format!("/exports/{id}?done=approved"),
            "[{b}]"
        );
        let after = salesmgr01.get(approved.location()).await;
        assert!(after.body.contains("您已同意该导出申请"), "[{b}]");
        assert!(
            after.body.contains("同意，季度回访"),
            "[{b}] the comment in the chain"
        );
        assert!(!after.body.contains("/approve"), "[{b}] decided");

        // Then the general manager.
        let gm_page = gm01.get(&format!("/exports/{id}")).await;
        assert!(gm_page.body.contains("export-sample"), "[{b}] now his turn");
        let approved = gm01
            .post(
                &format!("/exports/{id}/approve"),
                &[("csrf", &gm_page.csrf())],
            )
            .await;
        assert_eq!(
            approved.status,
            StatusCode::SEE_OTHER,
            "[{b}] {}",
            approved.body
        );

        // sales01 downloads from the page's link.
        let page = sales01.get(&format!("/exports/{id}")).await;
        let link = format!("/exports/{id}/download");
        assert!(
            page.body.contains(&format!(r#"href="{link}""#)),
            "[{b}] the download button"
        );
        assert!(page.body.contains(r#"data-status="approved""#), "[{b}]");
        let session = Session::login(&t, "sales01").await;
        let file = session.get(&link).await;
        assert_eq!(file.status, StatusCode::OK, "[{b}]");
        assert!(
            file.header("content-disposition")
                .is_some_and(|d| d.starts_with("attachment")),
            "[{b}]"
        );
        let bytes = file.body.to_vec();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "[{b}] a BOM for Excel");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains("机密") && text.contains("王丽 (sales01)"),
            "[{b}] the watermark: {text}"
        );
        assert_eq!(
            read_leaked(&bytes).expect("reads back").export_ids,
            std::slice::from_ref(&id),
            "[{b}]"
        );
        let page = sales01.get(&format!("/exports/{id}")).await;
        assert!(page.body.contains(r#"data-status="ready""#), "[{b}]");

        // The auditor traces the file back to the export.
        let auditor = Session::login(&t, "auditor").await;
        let csrf = auditor.csrf("/audit/trace").await;
        let (status, html) = auditor
            .upload("/audit/trace", Some(&csrf), "客户名单.csv", &bytes)
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {html}");
        assert!(
            html.contains(&format!(r#"data-export="{id}""#)),
            "[{b}] the export named: {html}"
        );
        let row = &html[html.find("data-export=").expect("a candidate")..];
        let confidence: f64 = row
            .split("<strong>")
            .nth(1)
            .and_then(|s| s.split('%').next())
            .and_then(|n| n.parse().ok())
            .expect("a percentage");
        assert!(confidence >= 90.0, "[{b}] a sure match: {confidence}%");
        assert_eq!(
            row.split("</tr>")
                .next()
                .unwrap_or_default()
                .matches("找到")
                .count(),
            2,
            "[{b}] watermark and fingerprint found"
        );
        assert!(
            !has_clear_mobile(&without_ids(&html)),
            "[{b}] no value of the file shown"
        );

        // A picture, an empty file, a stranger's spreadsheet.
        let png =
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
        let (status, html) = auditor
            .upload("/audit/trace", Some(&csrf), "photo.png", png)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(html.contains("不是表格或 CSV 文件"), "[{b}] {html}");
        let (status, html) = auditor
            .upload("/audit/trace", Some(&csrf), "empty.csv", b"")
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(html.contains("文件是空的"), "[{b}] {html}");
        let (status, html) = auditor
            .upload(
                "/audit/trace",
                Some(&csrf),
                "other.csv",
                "姓名,城市\n李雷,杭州\n韩梅梅,宁波\n".as_bytes(),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {html}");
        assert!(html.contains("没有导出与该文件匹配"), "[{b}] {html}");
        t
    })
    .await;
}

#[tokio::test]
async fn a_rejected_export_gives_no_file_and_says_why() {
    on_every_backend(|t| async move {
        let b = t.backend();
        let mut sales01 = signed_in(&t, "sales01").await;
        let asked = request_through_the_form(&mut sales01, &["name"], PURPOSE).await;
        let id = asked
            .location()
            .trim_start_matches("/exports/")
            .trim_end_matches("?done=requested")
            .to_string();
        let mut salesmgr01 = signed_in(&t, "salesmgr01").await;
        let page = salesmgr01.get(&format!("/exports/{id}")).await;
        let rejected = salesmgr01
            .post(
                &format!("/exports/{id}/reject"),
                &[("csrf", &page.csrf()), ("comment", "范围过大，请缩小")],
            )
            .await;
        assert_eq!(
            rejected.status,
            StatusCode::SEE_OTHER,
            "[{b}] {}",
            rejected.body
        );
        let again = salesmgr01
            .post(&format!("/exports/{id}/approve"), &[("csrf", &page.csrf())])
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "[{b}]");
        assert!(
            again.body.contains("该申请已有审批结果"),
            "[{b}] {}",
            again.body
        );

        let page = sales01.get(&format!("/exports/{id}")).await;
        assert!(page.body.contains(r#"data-status="rejected""#), "[{b}]");
        assert!(page.body.contains("范围过大，请缩小"), "[{b}] the reason");
        assert!(
            page.body.contains(r#"class="chain-step chain-undecided""#),
            "[{b}] the general manager never decided"
        );
        assert!(!page.body.contains("/download"), "[{b}]");
        let refused = sales01.get(&format!("/exports/{id}/download")).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "[{b}]");
        assert!(
            refused.body.contains("申请尚未批准"),
            "[{b}] {}",
            refused.body
        );
        assert!(
            refused
                .header(header::CONTENT_TYPE)
                .is_some_and(|c| c.starts_with("text/html")),
            "[{b}] the page, not a file"
        );
        t
    })
    .await;
}

#[test]
fn the_page_scans_find_what_they_look_for() {
    assert!(has_clear_mobile("手机 13812345678。"));
    assert!(has_clear_mobile("x913812345678"), "inside a longer run");
    assert!(!has_clear_mobile("138****5678 2026-01-05 14:03"));
    assert!(!has_clear_mobile("23812345678"), "not a mainland mobile");
    assert!(!has_clear_mobile("1381234567"), "ten digits");
    assert!(
        !has_clear_mobile(&without_ids(
            "/exports/019ad3c1-7e2b-7c4a-9f1e-123456789012"
        )),
        "an id's digits"
    );
    assert_eq!(masked_mobiles("<td>138****5678</td>"), ["138****5678"]);
    assert!(masked_mobiles("13812345678").is_empty());
}

/// Past the upload limit (64 MiB and the form around it), the page says the file is too
/// large, whoever's it is: the web layer alone decides this (SQLite suffices).
#[tokio::test]
async fn a_file_past_the_limit_is_refused_on_the_page() {
    let t = TestApp::spawn(dealervault_store::testing::TestDb::sqlite().await).await;
    let huge = vec![b'a'; 66 * 1024 * 1024];
    let auditor = Session::login(&t, "auditor").await;
    let csrf = auditor.csrf("/audit/trace").await;
    let (status, html) = auditor
        .upload("/audit/trace", Some(&csrf), "huge.csv", &huge)
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(html.contains("文件太大"), "{html}");
    let gm01 = Session::login(&t, "gm01").await;
    let (status, _) = gm01.upload("/audit/trace", None, "huge.csv", &huge).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not the auditor's page");
    t.teardown().await;
}
