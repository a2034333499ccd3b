//! Logging in: one login after another through the API against the bare Argon2id
//! verification of the same stored hash, one at a time; then whether a flood of logins
//! lets the lists keep their latency.

use super::{alternate, check_errors, Bench, LOAD_SHARE};
use crate::dataset::{self, OWNERS};
use crate::drive::{closed_loop, fixed_rate, job, Job, CONCURRENCY};
use crate::report::Outcome;
use crate::requests::{send, Mix, Op};
use crate::servers::password_hash;
use anyhow::{bail, Result};
use argon2::password_hash::PasswordHash;
use argon2::{Argon2, PasswordVerifier};
use rand::Rng;
use secrecy::ExposeSecret;
use serde_json::json;
use std::sync::Arc;

/// A login costs at most this much more than the hash alone.
const LOGIN_OVER_HASH: f64 = 1.15;
/// Under a login flood the list's p99 may grow at most this much.
const FLOOD_P99_FACTOR: f64 = 2.0;

pub async fn run(bench: &Bench) -> Result<Outcome> {
    let Some(sides) = &bench.sqlite else {
        bail!("the SQLite sides are not set up");
    };
    let base = sides.secured.base.clone();
    let http = bench.http.clone();
    let usernames: Arc<Vec<String>> = Arc::new(
        sides
            .secured
            .org
            .owners
            .iter()
            .map(|(id, ..)| dataset::username(&sides.secured.org, id).to_string())
            .collect(),
    );
    let login: Job = job(move || {
        let username = &usernames[rand::thread_rng().gen_range(0..usernames.len())];
        let request = http.post(format!("{base}/api/v1/auth/login")).json(
            &json!({ "username": username, "password": dataset::password().expose_secret() }),
        );
        send(request)
    });
    let stored = Arc::new(password_hash(sides.secured.app.store(), "bench001").await?);
    let raw_hash: Job = job(move || {
        let stored = stored.clone();
        async move {
            tokio::task::spawn_blocking(move || {
                let parsed = PasswordHash::new(&stored).map_err(|e| e.to_string())?;
                Argon2::default()
                    .verify_password(dataset::password().expose_secret().as_bytes(), &parsed)
                    .map_err(|e| e.to_string())
            })
            .await
            .map_err(|e| e.to_string())?
        }
    });

    // One at a time on both sides: the time of a login against the time of its hash.
    let client = &bench.client;
    let (s, p) = alternate(
        bench.settings.round(),
        |d| {
            let login = login.clone();
            async move {
                Ok(client
                    .run(async move { closed_loop(&login, 1, d).await })
                    .await)
            }
        },
        |d| {
            let raw_hash = raw_hash.clone();
            async move {
                Ok(client
                    .run(async move { closed_loop(&raw_hash, 1, d).await })
                    .await)
            }
        },
    )
    .await?;
    let mut o = Outcome::new("login", s.ops_per_sec(), p.ops_per_sec())
        .latency(s.quantile_ms(0.5), s.quantile_ms(0.99));
    check_errors(&mut o, "login", &s);

    // The lists' latency at 70% of their capacity, quiet and then under a login flood.
    let list = sides.secured_side.job(&bench.http, &Mix::only(Op::List));
    let capacity = bench.capacity(&list, bench.settings.round()).await;
    let rate = capacity.ops_per_sec() * LOAD_SHARE;
    let quiet = bench.latency(&list, rate).await;
    let duration = bench.settings.measure();
    let (flooded, flood) = client
        .run(async move {
            tokio::join!(
                fixed_rate(&list, rate, duration),
                closed_loop(&login, CONCURRENCY, duration)
            )
        })
        .await;
    check_errors(&mut o, "list (quiet)", &quiet);
    check_errors(&mut o, "list (login flood)", &flooded);
    check_errors(&mut o, "login (flood)", &flood);
    let growth = flooded.quantile_ms(0.99) / quiet.quantile_ms(0.99).max(0.001);
    o.note(format!(
        "list p99 at {rate:.0}/s: {:.2} ms quiet, {:.2} ms under {:.1} logins/s from {CONCURRENCY} clients ({growth:.2}x); {OWNERS} accounts",
        quiet.quantile_ms(0.99),
        flooded.quantile_ms(0.99),
        flood.ops_per_sec()
    ));
    let met = o.ratio >= 1.0 / LOGIN_OVER_HASH && growth <= FLOOD_P99_FACTOR;
    Ok(o.goal("login <= 1.15 x hash; list p99 <= 2x under flood", met))
}
