//! The two servers under test, each on a real socket: the shipped application (router,
//! gate, vault, audit and the log's followers, as `dealervault serve` runs them) and the
//! plain baseline. Also the thread the load generator runs on, so that its timers are not
//! queued behind the servers' work.

use crate::dataset::{self, OWNERS};
use crate::plain;
use crate::requests::{Caller, Side};
use anyhow::{anyhow, Context, Result};
use axum::Router;
use dealervault_app::{run_followers, App, AppConfig, Clock, Store};
use dealervault_demo::DemoOrg;
use dealervault_store::testing::TestDb;
use dealervault_web::{router, WebConfig};
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::Client;
use secrecy::ExposeSecret;
use serde_json::{json, Value};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use tokio::sync::watch;

/// Callers of the scenarios: the first this many owners (each a login, one hash).
pub const CALLERS: usize = 16;
/// Mobiles and ids each caller knows of its own customers.
const KNOWN_PER_CALLER: usize = 50;

/// Serves `router` on an ephemeral loopback port until `stop` turns true.
async fn listen(router: Router, mut stop: watch::Receiver<bool>) -> Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let served = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = stop.wait_for(|s| *s).await;
        })
        .await;
        if let Err(e) = served {
            eprintln!("server on {addr} failed: {e}");
        }
    });
    Ok(format!("http://{addr}"))
}

/// The application with a database, keys and the demo people, served.
pub struct Secured {
    pub db: TestDb,
    pub app: App,
    pub org: DemoOrg,
    pub base: String,
    stop: watch::Sender<bool>,
    _keys: tempfile::TempDir,
}

impl Secured {
    /// Seeds `db` with the organisation and `customers` sealed customers, then serves it.
    pub async fn start(db: TestDb, customers: u64, label: &str) -> Result<Self> {
        let (keys, vault) = dataset::throwaway_keys()?;
        let clock = Clock::system();
        let org = dataset::seed_people(db.store(), &clock, &vault).await?;
        dataset::load_sealed(db.store(), &clock, &vault, &org, customers, label).await?;
        let config = AppConfig {
            // The benchmark logs in from one address as fast as it can: the limiter would
            // answer 429 and the login scenario would measure the refusal, not the login.
            login_attempts_per_account_per_minute: u32::MAX,
            login_attempts_per_address_per_minute: u32::MAX,
            audit_sink_dir: Some(keys.path().join("audit-sink")),
            ..AppConfig::default()
        };
        let app = App::new(db.store().clone(), Arc::new(vault), clock, config);
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(run_followers(app.clone(), stopped.clone()));
        let base = listen(
            router(
                app.clone(),
                WebConfig {
                    secure_cookies: false,
                },
            ),
            stopped,
        )
        .await?;
        Ok(Self {
            db,
            app,
            org,
            base,
            stop,
            _keys: keys,
        })
    }

    /// Logs the first [`CALLERS`] owners in and learns some of their customers.
    pub async fn side(&self, http: &Client, customers: u64) -> Result<Side> {
        let mut callers = Vec::new();
        for (n, (owner, ..)) in self.org.owners.iter().take(CALLERS).enumerate() {
            let token = login(http, &self.base, dataset::username(&self.org, owner)).await?;
            let header = (
                AUTHORIZATION,
                HeaderValue::from_str(&format!("Bearer {token}"))?,
            );
            callers.push(caller(http, &self.base, header, n, customers).await?);
        }
        Ok(side(&self.base, callers, customers))
    }

    pub async fn stop(self) {
        let _ = self.stop.send(true);
        self.db.teardown().await;
    }
}

/// Logs `username` in through the API; the bearer token.
pub async fn login(http: &Client, base: &str, username: &str) -> Result<String> {
    let answer: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "username": username, "password": dataset::password().expose_secret() }))
        .send()
        .await?
        .error_for_status()
        .with_context(|| format!("login of {username}"))?
        .json()
        .await?;
    answer["token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| anyhow!("no token in the login answer"))
}

/// Caller number `n` with `header`: its mobiles from the generator, ids from a list page.
async fn caller(
    http: &Client,
    base: &str,
    header: (HeaderName, HeaderValue),
    n: usize,
    customers: u64,
) -> Result<Caller> {
    let page: Value = http
        .get(format!(
            "{base}/api/v1/customers?per_page={KNOWN_PER_CALLER}"
        ))
        .header(header.0.clone(), header.1.clone())
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let ids = page["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|c| c["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Ok(Caller {
        header,
        mobiles: dataset::mobiles_of(n, OWNERS, customers, KNOWN_PER_CALLER),
        ids,
    })
}

fn side(base: &str, callers: Vec<Caller>, customers: u64) -> Side {
    Side {
        base: base.to_string(),
        callers,
        // New people come after the loaded ones, so their mobiles are new.
        next_new: Arc::new(AtomicU64::new(customers)),
    }
}

/// The plain baseline with the same organisation and customers, served.
pub struct Plain {
    db: TestDb,
    org: DemoOrg,
    base: String,
    stop: watch::Sender<bool>,
}

impl Plain {
    pub async fn start(db: TestDb, customers: u64) -> Result<Self> {
        // The organisation's set-up wants keys; they guard nothing here and are dropped.
        let (_keys, vault) = dataset::throwaway_keys()?;
        let clock = Clock::system();
        let org = dataset::seed_people(db.store(), &clock, &vault).await?;
        plain::load(db.store(), &clock, &org, customers).await?;
        let (stop, stopped) = watch::channel(false);
        let base = listen(plain::router(db.store().clone(), clock), stopped).await?;
        Ok(Self {
            db,
            org,
            base,
            stop,
        })
    }

    /// The same callers as the secured side, named by owner id.
    pub async fn side(&self, http: &Client, customers: u64) -> Result<Side> {
        let mut callers = Vec::new();
        for (n, (owner, ..)) in self.org.owners.iter().take(CALLERS).enumerate() {
            let header = (
                HeaderName::from_static(plain::OWNER_HEADER),
                HeaderValue::from_str(owner.as_str())?,
            );
            callers.push(caller(http, &self.base, header, n, customers).await?);
        }
        Ok(side(&self.base, callers, customers))
    }

    pub async fn stop(self) {
        let _ = self.stop.send(true);
        self.db.teardown().await;
    }
}

/// A store's password hash of `username`, for the raw-hash baseline of the login scenario.
pub async fn password_hash(store: &Store, username: &str) -> Result<String> {
    let mut tx = store.read().await?;
    let user = tx
        .user_by_username(username)
        .await?
        .ok_or_else(|| anyhow!("no user {username}"))?;
    tx.rollback().await?;
    Ok(user.password_hash)
}

/// A thread with a runtime of its own for the load generator.
#[derive(Debug)]
pub struct ClientThread {
    handle: tokio::runtime::Handle,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ClientThread {
    pub fn start() -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let handle = runtime.handle().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("load-generator".into())
            .spawn(move || {
                let _ = runtime.block_on(stopped);
            })?;
        Ok(Self {
            handle,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Runs `work` on the load generator's thread.
    pub async fn run<F>(&self, work: F) -> F::Output
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match self.handle.spawn(work).await {
            Ok(out) => out,
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
}

impl Drop for ClientThread {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
