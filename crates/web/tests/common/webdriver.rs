//! A real browser for the page tests: headless Chromium driven over WebDriver by a
//! `chromedriver` child process, and a [`TestApp`](super::TestApp)'s router served on a
//! loopback socket for it to load.
//!
//! Without `chromedriver` or Chromium the suite prints `skipped: ...` and passes, except
//! under `CI=true`, where a missing browser fails it (as a missing PostgreSQL fails the
//! database suites). `CHROMEDRIVER` and `CHROME_BIN` name the binaries; otherwise
//! `chromedriver` is looked up on `PATH` and Chromium at `/usr/bin/chromium`, then on `PATH`.

use axum::Router;
use base64::Engine;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long chromedriver may take to listen, and to stop.
const DRIVER_PATIENCE: Duration = Duration::from_secs(10);

/// An executable file at `path`.
fn is_executable(path: &Path) -> bool {
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// The first of `names` found on `PATH`.
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| is_executable(candidate))
}

/// `env` if set (it must then be executable), else what `fallback` finds `where_else`.
fn locate(
    env: &str,
    where_else: &str,
    fallback: impl FnOnce() -> Option<PathBuf>,
) -> Result<PathBuf, String> {
    match std::env::var_os(env) {
        Some(path) if is_executable(Path::new(&path)) => Ok(PathBuf::from(path)),
        Some(path) => Err(format!(
            "{env}={} is not an executable",
            Path::new(&path).display()
        )),
        None => {
            fallback().ok_or_else(|| format!("{env} is not set and there is none {where_else}"))
        }
    }
}

/// chromedriver and the Chromium binary it should start.
fn binaries() -> Result<(PathBuf, PathBuf), String> {
    let driver =
        locate("CHROMEDRIVER", "on PATH", || on_path(&["chromedriver"])).map_err(|why| {
            format!("no chromedriver ({why}; Debian: apt-get install chromium-driver)")
        })?;
    let chrome = locate("CHROME_BIN", "at /usr/bin/chromium or on PATH", || {
        let debian = PathBuf::from("/usr/bin/chromium");
        if is_executable(&debian) {
            Some(debian)
        } else {
            on_path(&["chromium", "chromium-browser", "google-chrome"])
        }
    })
    .map_err(|why| format!("no Chromium ({why}; Debian: apt-get install chromium)"))?;
    Ok((driver, chrome))
}

/// Says why the browser tests cannot run: a failure under `CI=true`, otherwise one
/// `skipped:` line per test binary on stderr (written past the test harness's capture, so
/// it shows).
fn skip_or_fail(why: &str) {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("browser tests cannot run and CI=true: {why}");
    }
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        let _ = writeln!(std::io::stderr().lock(), "skipped: browser tests: {why}");
    });
}

/// The chromedriver child process. Dropping it asks chromedriver to shut down (which ends
/// its sessions and so quits Chromium), and kills it if it has not gone in time.
#[derive(Debug)]
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(binary: &Path) -> Driver {
        // A port nobody holds right now; chromedriver binds it a moment later.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", binary.display()));
        let mut driver = Driver { child, port };
        let deadline = Instant::now() + DRIVER_PATIENCE;
        while TcpStream::connect(driver.addr()).is_err() {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("chromedriver exited at start: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {port}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
        driver
    }

    fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Ok(mut stream) = TcpStream::connect_timeout(&self.addr(), Duration::from_secs(1)) {
            let _ = stream.set_read_timeout(Some(DRIVER_PATIENCE));
            let _ = stream.write_all(
                b"GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            );
            let _ = stream.read_to_end(&mut Vec::new());
        }
        let deadline = Instant::now() + DRIVER_PATIENCE;
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A chromedriver command of Chromium's own: one DevTools protocol call.
#[derive(Debug)]
struct DevTools {
    method: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/goog/cdp/execute"))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        let body = json!({"cmd": self.method, "params": self.params});
        (axum::http::Method::POST, Some(body.to_string()))
    }
}

/// One headless Chromium session. Field order matters: the client goes first, then the
/// driver that owns the browser.
#[derive(Debug)]
pub struct Chrome {
    pub client: Client,
    driver: Driver,
}

impl Chrome {
    /// Starts chromedriver and opens a session, or returns `None` after saying why the
    /// browser tests are skipped (panics instead under `CI=true`).
    pub async fn launch() -> Option<Chrome> {
        let (driver_bin, chrome_bin) = match binaries() {
            Ok(found) => found,
            Err(why) => {
                skip_or_fail(&why);
                return None;
            }
        };
        let driver = Driver::start(&driver_bin);
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chrome_bin,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--no-first-run",
                    "--disable-extensions",
                    "--window-size=1280,800",
                ],
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("an object literal")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://{}", driver.addr()))
            .await
            .unwrap_or_else(|e| panic!("open a Chromium session ({}): {e}", chrome_bin.display()));
        Some(Chrome { client, driver })
    }

    /// Makes the page's viewport exactly `width` × `height` CSS pixels, as a screen of
    /// that size would (media queries included), whatever the window's frame takes.
    pub async fn set_viewport(&self, width: u32, height: u32) {
        self.devtools(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        )
        .await;
        let inner = self
            .client
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await
            .expect("read the viewport");
        assert_eq!(
            (inner[0].as_u64(), inner[1].as_u64()),
            (Some(u64::from(width)), Some(u64::from(height))),
            "the viewport"
        );
    }

    /// Renders the page as for printing (`true`) or for the screen again (`false`).
    pub async fn emulate_print(&self, print: bool) {
        let media = if print { "print" } else { "" };
        self.devtools("Emulation.setEmulatedMedia", json!({"media": media}))
            .await;
    }

    /// One call of the DevTools protocol; its answer.
    async fn devtools(&self, method: &'static str, params: Value) -> Value {
        self.client
            .issue_cmd(DevTools { method, params })
            .await
            .unwrap_or_else(|e| panic!("DevTools {method}: {e}"))
    }

    /// A PNG of the whole page, beyond the viewport's bottom edge, at the viewport's width.
    pub async fn full_page_png(&self) -> Vec<u8> {
        let size = self
            .client
            .execute(
                "return [window.innerWidth, Math.max(document.documentElement.scrollHeight, \
                 document.body ? document.body.scrollHeight : 0, window.innerHeight)];",
                vec![],
            )
            .await
            .expect("measure the page");
        let answer = self
            .devtools(
                "Page.captureScreenshot",
                json!({
                    "format": "png",
                    "captureBeyondViewport": true,
                    "clip": {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1},
                }),
            )
            .await;
        let data = answer["data"].as_str().expect("base64 PNG data");
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .expect("a base64 PNG")
    }

    /// Ends the session (Chromium quits) and then chromedriver.
    pub async fn close(self) {
        let Chrome { client, driver } = self;
        client.close().await.expect("end the WebDriver session");
        drop(driver);
    }
}

/// A router served on a loopback socket, as `dealervault serve` serves it (with the
/// client's address for the audit log); stops when dropped.
#[derive(Debug)]
pub struct Served {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Served {
    pub async fn start(router: Router) -> Served {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        let task = tokio::spawn(async move {
            axum::serve(listener, service).await.expect("serve");
        });
        Served { addr, task }
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}
