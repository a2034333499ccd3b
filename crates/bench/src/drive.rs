//! Load generation: closed-loop rounds find a side's capacity; a fixed request rate
//! measures latency the way users meet it (a slow answer does not slow the arrivals).

use futures_util::future::BoxFuture;
use hdrhistogram::Histogram;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// One unit of work (an HTTP request, a hash, …); `Err` describes a failure.
pub type Job = Arc<dyn Fn() -> BoxFuture<'static, Result<(), String>> + Send + Sync>;

/// Makes a [`Job`] of an async closure.
pub fn job<F, Fut>(f: F) -> Job
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + Send + 'static,
{
    Arc::new(move || Box::pin(f()))
}

/// Concurrent clients of a closed loop: each sends its next request when the last one
/// is answered. The same number on every side and for pgbench.
pub const CONCURRENCY: usize = 8;

/// What a run did: completions, failures and their latencies (microseconds).
#[derive(Debug)]
pub struct Tally {
    pub done: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    pub elapsed: Duration,
    latency: Histogram<u64>,
}

impl Default for Tally {
    fn default() -> Self {
        Self {
            done: 0,
            errors: 0,
            first_error: None,
            elapsed: Duration::ZERO,
            // Microseconds from 1 µs to 10 min, three significant digits.
            latency: Histogram::new_with_bounds(1, 600_000_000, 3)
                .expect("constant histogram bounds are valid"),
        }
    }
}

impl Tally {
    fn record(&mut self, took: Duration, result: Result<(), String>) {
        self.done += 1;
        self.latency.saturating_record(micros(took));
        if let Err(e) = result {
            self.errors += 1;
            self.first_error.get_or_insert(e);
        }
    }

    /// A run measured elsewhere (pgbench): `done` operations in `elapsed`, no latencies.
    pub fn counted(done: u64, elapsed: Duration) -> Self {
        Self {
            done,
            elapsed,
            ..Self::default()
        }
    }

    /// One run that handled `items` in `elapsed` (a whole verification): the items count
    /// as operations, the run's time as one latency.
    pub fn timed(items: u64, elapsed: Duration) -> Self {
        let mut tally = Self::counted(items, elapsed);
        tally.latency.saturating_record(micros(elapsed));
        tally
    }

    /// Adds another run's counts and latencies; elapsed times add up (rounds in sequence).
    pub fn merge(&mut self, other: Tally) {
        self.done += other.done;
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
        self.elapsed += other.elapsed;
        // Both histograms have the same bounds: adding cannot fail.
        let _ = self.latency.add(&other.latency);
    }

    /// Successful operations per second.
    pub fn ops_per_sec(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs == 0.0 {
            return 0.0;
        }
        (self.done - self.errors) as f64 / secs
    }

    /// The latency at quantile `q` (0.5, 0.99), in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        self.latency.value_at_quantile(q) as f64 / 1000.0
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1)
}

/// Runs `job` from `concurrency` clients back to back for `duration`.
pub async fn closed_loop(job: &Job, concurrency: usize, duration: Duration) -> Tally {
    let start = Instant::now();
    let deadline = start + duration;
    let mut clients = JoinSet::new();
    for _ in 0..concurrency {
        let job = job.clone();
        clients.spawn(async move {
            let mut tally = Tally::default();
            while Instant::now() < deadline {
                let sent = Instant::now();
                let result = job().await;
                tally.record(sent.elapsed(), result);
            }
            tally
        });
    }
    let mut total = Tally::default();
    while let Some(joined) = clients.join_next().await {
        match joined {
            Ok(tally) => total.merge(tally),
            Err(e) => total.record(Duration::ZERO, Err(format!("client task failed: {e}"))),
        }
    }
    total.elapsed = start.elapsed();
    total
}

/// Starts `job` `rate` times a second for `duration`, whatever the answers do, and
/// measures each from its start to its answer.
pub async fn fixed_rate(job: &Job, rate: f64, duration: Duration) -> Tally {
    let rate = rate.max(1.0);
    let count = (rate * duration.as_secs_f64()).ceil() as u64;
    let start = tokio::time::Instant::now();
    let mut flying = JoinSet::new();
    let mut total = Tally::default();
    for k in 0..count {
        tokio::time::sleep_until(start + Duration::from_secs_f64(k as f64 / rate)).await;
        let job = job.clone();
        flying.spawn(async move {
            let sent = Instant::now();
            let result = job().await;
            (sent.elapsed(), result)
        });
        while let Some(joined) = flying.try_join_next() {
            collect(&mut total, joined);
        }
    }
    while let Some(joined) = flying.join_next().await {
        collect(&mut total, joined);
    }
    total.elapsed = start.elapsed();
    total
}

fn collect(
    total: &mut Tally,
    joined: Result<(Duration, Result<(), String>), tokio::task::JoinError>,
) {
    match joined {
        Ok((took, result)) => total.record(took, result),
        Err(e) => total.record(Duration::ZERO, Err(format!("request task failed: {e}"))),
    }
}
