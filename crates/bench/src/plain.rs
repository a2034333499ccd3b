//! The plain baseline: the same schema, the same store queries and the same HTTP routes,
//! with the security layers taken out. Customers are kept in clear (the "blind index" of a
//! mobile is its digits), nothing is sealed, masked or audited, and no policy is asked:
//! the caller names its owner in a header. What the secured path costs beyond this is the
//! price of confidentiality.
//!
//! This exists only in the benchmark program; the shipped binary has no switch like it.

use crate::dataset::{progress, LOAD_BATCH};
use anyhow::Result;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use dealervault_app::{Clock, Store};
use dealervault_demo::{customer_record, DemoOrg, DEMO_SEED};
use dealervault_domain::access::{RowBound, RowFilter};
use dealervault_domain::customer::CustomerRecord;
use dealervault_domain::ids::{CustomerId, StoreId, UserId};
use dealervault_store::{CustomerQuery, PageRequest, SealedCustomer};
use serde::{Deserialize, Serialize};

/// The header that names the caller's owner id: the plain path has no sessions.
pub const OWNER_HEADER: &str = "x-bench-owner";

/// Loads the same `count` customers as the secured side, in clear.
pub async fn load(store: &Store, clock: &Clock, org: &DemoOrg, count: u64) -> Result<()> {
    let bar = progress(count, "plain customers (SQLite)");
    let now = clock.now_ms();
    let mut done = 0;
    while done < count {
        let end = (done + LOAD_BATCH).min(count);
        let rows: Vec<(SealedCustomer, u32)> = (done..end)
            .map(|i| (clear(&customer_record(org, DEMO_SEED, i, now)), 0))
            .collect();
        let mut tx = store.write().await?;
        tx.insert_customers(&rows).await?;
        tx.commit().await?;
        done = end;
        bar.set_position(done);
    }
    bar.finish();
    Ok(())
}

/// The 16-byte lookup key of a clear value: its bytes, cut or padded with zeros.
fn key16(value: &str) -> Vec<u8> {
    let mut key = value.as_bytes().to_vec();
    key.resize(16, 0);
    key
}

/// A record as the plain side keeps it. The schema wants a data key row per customer;
/// the plain side writes one of zeros, so both sides write the same rows.
fn clear(r: &CustomerRecord) -> SealedCustomer {
    let bytes = |v: &Option<String>| v.as_ref().map(|s| s.as_bytes().to_vec());
    SealedCustomer {
        id: r.id.clone(),
        store_id: r.store_id.clone(),
        store_code: r.store_code.clone(),
        owner_id: r.owner_id.clone(),
        name: r.name.as_bytes().to_vec(),
        mobile: r.mobile.as_bytes().to_vec(),
        id_number: bytes(&r.id_number),
        email: bytes(&r.email),
        address: bytes(&r.address),
        wechat: bytes(&r.wechat),
        birth_date: bytes(&r.birth_date),
        notes: bytes(&r.notes),
        mobile_index: key16(&r.mobile),
        id_number_index: r.id_number.as_deref().map(key16),
        gender: r.gender.clone(),
        source: r.source.clone(),
        created_at: r.created_at,
        updated_at: r.updated_at,
        data_key: Some(vec![0; 65]),
    }
}

#[derive(Clone)]
struct Plain {
    store: Store,
    clock: Clock,
}

/// The plain routes, at the same paths as the secured API.
pub fn router(store: Store, clock: Clock) -> Router {
    Router::new()
        .route("/api/v1/customers", get(list).post(create))
        .route("/api/v1/customers/{id}", get(detail).patch(edit))
        .with_state(Plain { store, clock })
}

type Reply<T> = Result<T, (StatusCode, String)>;

fn failed(e: impl std::fmt::Display) -> (StatusCode, String) {
    (StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

fn owner(headers: &HeaderMap) -> Reply<UserId> {
    headers
        .get(OWNER_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|v| UserId::from_stored(v.to_string()))
        .ok_or((StatusCode::BAD_REQUEST, "no owner".into()))
}

pub(crate) fn own(owner: &UserId) -> RowFilter {
    RowFilter::decided(RowBound::Owner(owner.clone()), None)
}

#[derive(Deserialize)]
struct ListParams {
    mobile: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// Every field in clear, as the plain side answers.
#[derive(Serialize)]
struct ClearCustomer {
    id: String,
    name: String,
    mobile: String,
    id_number: Option<String>,
    email: Option<String>,
    address: Option<String>,
    wechat: Option<String>,
    birth_date: Option<String>,
    gender: String,
    source: String,
    notes: Option<String>,
    owner_id: String,
    owner_name: String,
    store_code: String,
    created_at: i64,
    updated_at: i64,
}

#[derive(Serialize)]
struct ClearPage {
    items: Vec<ClearCustomer>,
    total: u64,
    page: u32,
    per_page: u32,
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn shown(c: SealedCustomer, owner_name: String) -> ClearCustomer {
    let opt = |v: Option<Vec<u8>>| v.as_deref().map(text);
    ClearCustomer {
        id: c.id.to_string(),
        name: text(&c.name),
        mobile: text(&c.mobile),
        id_number: opt(c.id_number),
        email: opt(c.email),
        address: opt(c.address),
        wechat: opt(c.wechat),
        birth_date: opt(c.birth_date),
        gender: c.gender,
        source: c.source,
        notes: opt(c.notes),
        owner_id: c.owner_id.to_string(),
        owner_name,
        store_code: c.store_code,
        created_at: c.created_at,
        updated_at: c.updated_at,
    }
}

async fn list(
    State(plain): State<Plain>,
    headers: HeaderMap,
    Query(params): Query<ListParams>,
) -> Reply<Json<ClearPage>> {
    let owner = owner(&headers)?;
    let page = params.page.unwrap_or(1).max(1);
    let per_page = params.per_page.unwrap_or(20).clamp(1, 100);
    let query = CustomerQuery {
        mobile_index: params.mobile.as_deref().map(key16),
        ..CustomerQuery::default()
    };
    let request = PageRequest {
        limit: per_page,
        offset: u64::from(page - 1) * u64::from(per_page),
        ..PageRequest::default()
    };
    let mut tx = plain.store.read().await.map_err(failed)?;
    let found = tx
        .customers(&own(&owner), &query, &request)
        .await
        .map_err(failed)?;
    let owners: Vec<UserId> = found.items.iter().map(|c| c.owner_id.clone()).collect();
    let names = tx.user_display_names(&owners).await.map_err(failed)?;
    tx.rollback().await.map_err(failed)?;
    let items = found
        .items
        .into_iter()
        .map(|c| {
            let name = names.get(&c.owner_id).cloned().unwrap_or_default();
            shown(c, name)
        })
        .collect();
    Ok(Json(ClearPage {
        items,
        total: found.total,
        page,
        per_page,
    }))
}

async fn detail(
    State(plain): State<Plain>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Reply<Json<ClearCustomer>> {
    let owner = owner(&headers)?;
    let mut tx = plain.store.read().await.map_err(failed)?;
    let found = tx
        .customer(&own(&owner), &CustomerId::from_stored(id))
        .await
        .map_err(failed)?
        .ok_or((StatusCode::NOT_FOUND, "not found".into()))?;
    let names = tx
        .user_display_names(std::slice::from_ref(&found.owner_id))
        .await
        .map_err(failed)?;
    tx.rollback().await.map_err(failed)?;
    let name = names.get(&found.owner_id).cloned().unwrap_or_default();
    Ok(Json(shown(found, name)))
}

/// What the benchmark sends to create or change a customer.
#[derive(Deserialize)]
struct Input {
    name: Option<String>,
    mobile: Option<String>,
    id_number: Option<String>,
    email: Option<String>,
    address: Option<String>,
    wechat: Option<String>,
    birth_date: Option<String>,
    gender: Option<String>,
    source: Option<String>,
    notes: Option<String>,
}

async fn create(
    State(plain): State<Plain>,
    headers: HeaderMap,
    Json(input): Json<Input>,
) -> Reply<(StatusCode, Json<ClearCustomer>)> {
    let owner = owner(&headers)?;
    let now = plain.clock.now_ms();
    let mut tx = plain.store.write().await.map_err(failed)?;
    let user = tx
        .user_by_id(&owner)
        .await
        .map_err(failed)?
        .ok_or((StatusCode::BAD_REQUEST, "unknown owner".into()))?;
    let store_id: StoreId = user
        .store_id
        .ok_or((StatusCode::BAD_REQUEST, "owner has no store".into()))?;
    let store_code = tx
        .store_code(&store_id)
        .await
        .map_err(failed)?
        .unwrap_or_default();
    let record = CustomerRecord {
        id: CustomerId::generate(),
        store_id,
        store_code,
        owner_id: owner,
        name: input.name.unwrap_or_default(),
        mobile: input.mobile.unwrap_or_default(),
        id_number: input.id_number,
        email: input.email,
        address: input.address,
        wechat: input.wechat,
        birth_date: input.birth_date,
        gender: input.gender.unwrap_or_else(|| "unknown".into()),
        source: input.source.unwrap_or_else(|| "other".into()),
        notes: input.notes,
        created_at: now,
        updated_at: now,
    };
    let row = clear(&record);
    tx.insert_customer(&row, 0).await.map_err(failed)?;
    tx.commit().await.map_err(failed)?;
    Ok((StatusCode::CREATED, Json(shown(row, user.display_name))))
}

async fn edit(
    State(plain): State<Plain>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(input): Json<Input>,
) -> Reply<Json<ClearCustomer>> {
    let owner = owner(&headers)?;
    let mut tx = plain.store.write().await.map_err(failed)?;
    let mut row = tx
        .customer(&own(&owner), &CustomerId::from_stored(id))
        .await
        .map_err(failed)?
        .ok_or((StatusCode::NOT_FOUND, "not found".into()))?;
    if let Some(notes) = input.notes {
        row.notes = Some(notes.into_bytes());
    }
    row.updated_at = plain.clock.now_ms();
    tx.update_customer(&row).await.map_err(failed)?;
    tx.commit().await.map_err(failed)?;
    Ok(Json(shown(row, String::new())))
}
