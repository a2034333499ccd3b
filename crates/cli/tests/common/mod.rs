//! The real `dealervault` binary, end to end: commands run with a time limit, a server
//! that is killed when the test ends whichever way it ends, and a small API client.
//!
//! Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use dealervault_demo::DEMO_PASSWORD;
use serde_json::{json, Value};
use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_dealervault");

/// No command of these tests takes longer; one that does is stuck, and fails the test.
pub const COMMAND_LIMIT: Duration = Duration::from_secs(90);

/// The binary with `args`, isolated from the environment of whoever runs the tests.
pub fn dealervault(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args);
    for var in [
        "DEALERVAULT_DATA_DIR",
        "DEALERVAULT_LISTEN",
        "DEALERVAULT_DATABASE_URL",
        "DEALERVAULT_MASTER_KEY_FILE",
        "DEALERVAULT_LOG_FORMAT",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("DEALERVAULT_LOG", "warn");
    cmd
}

/// Runs `cmd` to its end, or kills it and fails the test after `limit`.
pub fn output_within(mut cmd: Command, limit: Duration) -> Output {
    let what = format!("{cmd:?}");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start dealervault");
    // Drained on threads, so a chatty command never blocks on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for dealervault") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().expect("stdout"),
        stderr: stderr.join().expect("stderr"),
    }
}

pub fn run(args: &[&str]) -> Output {
    output_within(dealervault(args), COMMAND_LIMIT)
}

/// Runs a command that must succeed; returns its stdout.
pub fn run_ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "dealervault {args:?} failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn utf8(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// A running server, killed when the test ends whichever way it ends.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Server {
    /// Starts `cmd` (a `serve` or `demo` that listens on 127.0.0.1:`port`), its log going
    /// to `log`, and waits until `/healthz` answers; fails if it exits or takes too long.
    pub fn start(mut cmd: Command, port: u16, log: &Path) -> Server {
        let log_file = std::fs::File::create(log).expect("log file");
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("start the server");
        let mut server = Server { child, port };
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if healthy(port) {
                return server;
            }
            if let Some(status) = server.child.try_wait().expect("wait") {
                panic!(
                    "the server exited ({status}) before it answered: {}",
                    std::fs::read_to_string(log).unwrap_or_default()
                );
            }
            assert!(
                Instant::now() < deadline,
                "the server did not answer /healthz in time"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Kills the server (SIGKILL: nothing is flushed or checkpointed on the way out).
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

pub fn healthy(port: u16) -> bool {
    agent()
        .get(&format!("http://127.0.0.1:{port}/healthz"))
        .call()
        .is_ok_and(|mut r| {
            r.status() == 200 && r.body_mut().read_to_string().is_ok_and(|b| b == "ok")
        })
}

/// One HTTP answer: status and body as text.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }
}

/// The JSON API of a server on 127.0.0.1.
#[derive(Debug)]
pub struct Api {
    http: ureq::Agent,
    base: String,
}

fn answer(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<Answer, String> {
    let mut r = result.map_err(|e| e.to_string())?;
    let status = r.status().as_u16();
    let body = r.body_mut().read_to_string().map_err(|e| e.to_string())?;
    Ok(Answer { status, body })
}

impl Api {
    pub fn new(port: u16) -> Self {
        Self {
            http: agent(),
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Signs in a demo account; returns its bearer token.
    pub fn login(&self, username: &str) -> String {
        let a = self
            .try_post(
                None,
                "/api/v1/auth/login",
                &json!({"username": username, "password": DEMO_PASSWORD}),
            )
            .expect("login");
        assert_eq!(a.status, 200, "{username} login: {}", a.body);
        a.json()["token"].as_str().expect("token").to_string()
    }

    pub fn try_get(&self, token: &str, path: &str) -> Result<Answer, String> {
        answer(
            self.http
                .get(&format!("{}{path}", self.base))
                .header("Authorization", &format!("Bearer {token}"))
                .call(),
        )
    }

    pub fn try_post(
        &self,
        token: Option<&str>,
        path: &str,
        body: &Value,
    ) -> Result<Answer, String> {
        let mut request = self.http.post(&format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        answer(request.send_json(body))
    }

    pub fn get(&self, token: &str, path: &str) -> Answer {
        self.try_get(token, path)
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    pub fn post(&self, token: &str, path: &str, body: &Value) -> Answer {
        self.try_post(Some(token), path, body)
            .unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    /// The raw agent and base URL, for requests outside the JSON API.
    pub fn http(&self) -> (&ureq::Agent, &str) {
        (&self.http, &self.base)
    }
}
