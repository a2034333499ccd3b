//! The README's first command, end to end: the real binary creates the demo, serves it,
//! and every SPEC account can log in through the API and through the login page. Also
//! what the other commands promise about an existing installation.

mod common;

use common::{agent, dealervault, free_port, run, Server};
use serde_json::{json, Value};
use std::path::Path;

const ACCOUNTS: [&str; 12] = [
    "admin",
    "auditor",
    "gm01",
    "salesmgr01",
    "sales01",
    "sales02",
    "sales03",
    "sales11",
    "service01",
    "finance01",
    "crm01",
    "insurance01",
];

/// Serves the demo, its log (at the default level) going to `log`.
fn serve_demo(dir: &Path, port: u16, log: &Path) -> Server {
    let listen = format!("127.0.0.1:{port}");
    let mut cmd = dealervault(&[
        "demo",
        "--data-dir",
        dir.to_str().expect("utf-8"),
        "--listen",
        &listen,
        "--customers",
        "400",
    ]);
    cmd.env("DEALERVAULT_LOG", "info");
    Server::start(cmd, port, log)
}

#[test]
fn the_demo_serves_and_every_spec_account_logs_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("demo");
    let log = dir.path().join("server.log");
    let port = free_port();
    let server = serve_demo(&data, port, &log);
    let base = format!("http://127.0.0.1:{port}");
    let http = agent();

    for username in ACCOUNTS {
        // Through the API.
        let mut r = http
            .post(&format!("{base}/api/v1/auth/login"))
            .send_json(json!({"username": username, "password": "Demo#2026"}))
            .expect("login");
        assert_eq!(r.status(), 200, "{username} API login");
        let login: Value = r.body_mut().read_json().expect("json");
        let token = login["token"].as_str().expect("token");
        let mut r = http
            .get(&format!("{base}/api/v1/me"))
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .expect("me");
        let me: Value = r.body_mut().read_json().expect("json");
        assert_eq!(me["username"], username);

        // Through the login page, as a browser does: a session cookie, then the home page.
        let r = http
            .post(&format!("{base}/login"))
            .send_form([
                ("username", username),
                ("password", "Demo#2026"),
                ("next", "/"),
            ])
            .expect("form login");
        assert!(
            r.status().is_redirection(),
            "{username} page login answered {}",
            r.status()
        );
        let cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("dv_session="))
            .expect("a session cookie")
            .to_string();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        let session = cookie.split(';').next().expect("name=value");
        let mut home = http
            .get(&format!("{base}/"))
            .header("Cookie", session)
            .call()
            .expect("home");
        assert_eq!(home.status(), 200, "{username} home page");
        let html = home.body_mut().read_to_string().expect("html");
        assert!(html.contains(username), "{username}'s home page names them");
    }

    // Each salesperson owns at least 50 demo customers, masked by default.
    let mut r = http
        .post(&format!("{base}/api/v1/auth/login"))
        .send_json(json!({"username": "sales01", "password": "Demo#2026"}))
        .expect("login");
    let token = r.body_mut().read_json::<Value>().expect("json")["token"]
        .as_str()
        .expect("token")
        .to_string();
    let mut r = http
        .get(&format!("{base}/api/v1/customers"))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .expect("list");
    let page: Value = r.body_mut().read_json().expect("json");
    assert!(page["total"].as_u64().expect("total") >= 50, "{page}");
    assert!(page["items"][0]["mobile"]
        .as_str()
        .expect("mobile")
        .contains('*'));

    // Reveal a mobile, then search by it (a query string): the log keeps neither.
    let id = page["items"][0]["id"].as_str().expect("id");
    let mut r = http
        .post(&format!("{base}/api/v1/customers/{id}/reveal"))
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(json!({"field": "mobile", "reason": "回访确认"}))
        .expect("reveal");
    let mobile = r.body_mut().read_json::<Value>().expect("json")["value"]
        .as_str()
        .expect("mobile")
        .to_string();
    let r = http
        .get(&format!("{base}/api/v1/customers?mobile={mobile}"))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .expect("search");
    assert_eq!(r.status(), 200);
    drop(server);
    let logged = std::fs::read_to_string(&log).expect("log");
    assert!(
        logged.contains("listening"),
        "the log is being written: {logged}"
    );
    assert!(!logged.contains(&mobile), "a mobile number reached the log");
    assert!(!logged.contains(&token), "a session token reached the log");
    assert!(!logged.contains("Demo#2026"), "a password reached the log");
}

#[test]
fn installations_keep_to_their_kind_and_the_chain_verifies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo");
    let demo = demo.to_str().expect("utf-8");
    let created = run(&[
        "demo",
        "--data-dir",
        demo,
        "--customers",
        "100",
        "--no-serve",
    ]);
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    // Re-running reuses the data.
    assert!(run(&["demo", "--data-dir", demo, "--no-serve"])
        .status
        .success());
    // `init` refuses a directory that already holds an installation.
    assert!(!run(&["init", "--data-dir", demo]).status.success());
    let verify = run(&["audit", "verify", "--data-dir", demo]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );

    let real = dir.path().join("real");
    let real = real.to_str().expect("utf-8");
    let init = run(&["init", "--data-dir", real]);
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let out = String::from_utf8_lossy(&init.stdout);
    assert!(out.contains("One-time password:"), "{out}");
    // The demo never touches a real installation.
    let refused = run(&["demo", "--data-dir", real, "--no-serve"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("init"));
    assert!(run(&["migrate", "--data-dir", real]).status.success());
}
