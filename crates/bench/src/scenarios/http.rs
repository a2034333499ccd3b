//! The HTTP scenarios: the secured API against the plain routes (SQLite) or against
//! pgbench (PostgreSQL), then the secured side's latency at 70% of its capacity.

use super::{alternate, check_errors, Bench, Scenario, LOAD_SHARE};
use crate::pgbench::Script;
use crate::report::Outcome;
use crate::requests::{Mix, Op};
use anyhow::{bail, Result};
use dealervault_store::AuditQuery;

/// Goal of the page-of-50 latency at 70% of capacity, in milliseconds.
const LIST_P99_GOAL_MS: f64 = 5.0;

/// The secured and plain sides on SQLite doing `mix`: capacity in alternating rounds,
/// then latency. Also returns the requests the secured side answered.
async fn against_plain(bench: &Bench, name: &'static str, mix: &Mix) -> Result<(Outcome, u64)> {
    let Some(sides) = &bench.sqlite else {
        bail!("the SQLite sides are not set up");
    };
    let secured = &sides.secured_side.job(&bench.http, mix);
    let plain = &sides.plain_side.job(&bench.http, mix);
    let (s, p) = alternate(
        bench.settings.round(),
        |d| async move { Ok(bench.capacity(secured, d).await) },
        |d| async move { Ok(bench.capacity(plain, d).await) },
    )
    .await?;
    let lat = bench.latency(secured, s.ops_per_sec() * LOAD_SHARE).await;
    let mut outcome = Outcome::new(name, s.ops_per_sec(), p.ops_per_sec())
        .latency(lat.quantile_ms(0.5), lat.quantile_ms(0.99));
    check_errors(&mut outcome, "secured", &s);
    check_errors(&mut outcome, "plain", &p);
    check_errors(&mut outcome, "secured (fixed rate)", &lat);
    Ok((outcome, s.done + lat.done))
}

pub async fn list_masked_50(bench: &Bench) -> Result<Outcome> {
    let (o, _) = against_plain(bench, "list_masked_50", &Mix::only(Op::List)).await?;
    let met = o.ratio >= 0.7 && o.p99_ms <= LIST_P99_GOAL_MS;
    Ok(o.goal("ratio >= 0.7, p99 <= 5 ms at 70% load", met))
}

pub async fn mobile_lookup(bench: &Bench) -> Result<Outcome> {
    let (o, _) = against_plain(bench, "mobile_lookup", &Mix::only(Op::Lookup)).await?;
    let met = o.ratio >= 0.7;
    Ok(o.goal("ratio >= 0.7", met))
}

pub async fn create_customer(bench: &Bench) -> Result<Outcome> {
    let (o, _) = against_plain(bench, "create_customer", &Mix::only(Op::Create)).await?;
    let met = o.ratio >= 0.5;
    Ok(o.goal("ratio >= 0.5", met))
}

/// The actions of the mix's requests: each request writes exactly one of them.
const MIX_ACTIONS: [&str; 4] = [
    "customer.list",
    "customer.view",
    "customer.create",
    "customer.edit",
];

pub async fn mixed(bench: &Bench) -> Result<Outcome> {
    let Some(sides) = &bench.sqlite else {
        bail!("the SQLite sides are not set up");
    };
    let store = sides.secured.app.store();
    let events = || async {
        let mut tx = store.read().await?;
        let n = tx
            .audit_count(&AuditQuery {
                actions: MIX_ACTIONS.iter().map(|a| a.to_string()).collect(),
                ..AuditQuery::default()
            })
            .await?;
        tx.rollback().await?;
        anyhow::Ok(n)
    };
    let before = events().await?;
    let (mut o, requests) = against_plain(bench, "mixed", &Mix::dealership()).await?;
    let logged = events().await? - before;
    o.note(format!(
        "{requests} secured requests, {logged} audit events for them"
    ));
    o.fail_if(logged != requests, || {
        format!("{requests} requests wrote {logged} audit events, not one each")
    });
    let met = o.failures.is_empty();
    Ok(o.goal("zero errors, one audit event per request", met))
}

/// The secured API on PostgreSQL against pgbench running the same statements.
pub async fn postgres(bench: &Bench, scenario: Scenario) -> Result<Outcome> {
    let Some(Some(pg)) = &bench.pg else {
        bail!("the PostgreSQL side is not set up");
    };
    let (op, script) = match scenario {
        Scenario::PgList => (Op::List, Script::List),
        Scenario::PgLookup => (Op::Lookup, Script::Lookup),
        _ => (Op::Create, Script::Create),
    };
    let secured = &pg.side.job(&bench.http, &Mix::only(op));
    let (s, p) = alternate(
        bench.settings.round(),
        |d| async move { Ok(bench.capacity(secured, d).await) },
        |d| async move {
            let pgbench = &pg.pgbench;
            tokio::task::block_in_place(|| pgbench.run(script, d))
        },
    )
    .await?;
    let lat = bench.latency(secured, s.ops_per_sec() * LOAD_SHARE).await;
    let mut o = Outcome::new(scenario.name(), s.ops_per_sec(), p.ops_per_sec())
        .latency(lat.quantile_ms(0.5), lat.quantile_ms(0.99));
    check_errors(&mut o, "secured", &s);
    check_errors(&mut o, "secured (fixed rate)", &lat);
    let met = o.ratio >= 0.5;
    Ok(o.goal("ratio >= 0.5 of pgbench", met))
}
