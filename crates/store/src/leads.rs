//! Leads as kept: contact fields sealed under the lead's own data key (`lead_keys`), a
//! blind index of the mobile for duplicate checks and conversion, plain codes, amounts
//! and times. A lead without an owner is in its store's public pool.

use crate::customer_filter::push_scope_on;
use crate::error::StoreError;
use crate::rows::from_row;
use crate::sql::{bind_params, Param, Sql};
use crate::tx::{on_tx, on_tx_all_or_nothing, Tx};
use dealervault_domain::access::RowFilter;
use dealervault_domain::ids::{CustomerId, LeadId, StoreId, UserId};
use dealervault_domain::sales::LeadStatus;
use std::fmt;

/// A lead as kept.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedLead {
    pub id: LeadId,
    pub store_id: StoreId,
    /// Read from `stores`; ignored on write.
    pub store_code: String,
    /// `None`: in the store's pool.
    pub owner_id: Option<UserId>,
    pub status: String,
    /// The furthest funnel stage reached (never `lost`). Read as stored; on write the
    /// store sets it from this and `status` (see [`reached`]), so callers that move a
    /// lead need not know it exists.
    pub reached: String,
    pub lost_reason: Option<String>,
    pub name: Vec<u8>,
    pub mobile: Vec<u8>,
    pub mobile_index: Vec<u8>,
    pub wechat: Option<Vec<u8>>,
    pub notes: Option<Vec<u8>>,
    pub source: String,
    pub intended_model: String,
    /// Fen.
    pub budget: Option<i64>,
    pub customer_id: Option<CustomerId>,
    pub next_follow_up_at: Option<i64>,
    pub worked_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// The wrapped data key (`lead_keys`); `None` once erased.
    pub data_key: Option<Vec<u8>>,
}

impl SealedLead {
    /// The envelope of a sealed field by catalog name; `None` for an absent value or a
    /// field that is not sealed.
    pub fn sealed(&self, field: &str) -> Option<&[u8]> {
        match field {
            "name" => Some(&self.name),
            "mobile" => Some(&self.mobile),
            "wechat" => self.wechat.as_deref(),
            "notes" => self.notes.as_deref(),
            _ => None,
        }
    }

    /// Sets a sealed field by catalog name; `name` and `mobile` are required, so `None`
    /// leaves them as they are.
    pub fn set_sealed(&mut self, field: &str, envelope: Option<Vec<u8>>) {
        match (field, envelope) {
            ("name", Some(e)) => self.name = e,
            ("mobile", Some(e)) => self.mobile = e,
            ("wechat", e) => self.wechat = e,
            ("notes", e) => self.notes = e,
            _ => {}
        }
    }
}

impl fmt::Debug for SealedLead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealedLead")
            .field("id", &self.id)
            .field("store_code", &self.store_code)
            .field("owner_id", &self.owner_id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// Which leads a list shows, within the row filter; every term optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeadQuery {
    /// Only leads in the pool (no owner) — or, `false`, only owned ones.
    pub in_pool: Option<bool>,
    pub statuses: Vec<String>,
    pub source: Option<String>,
    pub owner: Option<UserId>,
    pub mobile_index: Option<Vec<u8>>,
    /// Only leads whose next follow-up is due before this time.
    pub due_before: Option<i64>,
    /// Only these leads (what a name search found); none matches an empty list.
    pub ids: Option<Vec<LeadId>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeadPage {
    pub items: Vec<SealedLead>,
    pub total: u64,
}

/// Statuses of leads still being worked: the pool's automatic return looks only at these.
pub const OPEN_LEAD_STATUSES: [&str; 5] = ["new", "contacted", "visited", "test_drive", "quoted"];

const COLUMNS: &str = "id, store_id, owner_id, status, lost_reason, name, mobile, mobile_index, \
                       wechat, notes, source, intended_model, budget, customer_id, \
                       next_follow_up_at, worked_at, created_at, updated_at, reached";

pub(crate) const SELECT: &str = "SELECT l.id, l.store_id, \
                      (SELECT s.code FROM stores s WHERE s.id = l.store_id) AS store_code, \
                      l.owner_id, l.status, l.lost_reason, l.name, l.mobile, l.mobile_index, \
                      l.wechat, l.notes, l.source, l.intended_model, l.budget, l.customer_id, \
                      l.next_follow_up_at, l.worked_at, l.created_at, l.updated_at, l.reached, \
                      (SELECT k.wrapped FROM lead_keys k WHERE k.lead_id = l.id) AS data_key \
                      FROM leads l";

pub(crate) struct LeadRow(pub(crate) SealedLead);

from_row!(LeadRow, |row| LeadRow(SealedLead {
    id: LeadId::from_stored(row.try_get("id")?),
    store_id: StoreId::from_stored(row.try_get("store_id")?),
    store_code: row.try_get("store_code")?,
    owner_id: row
        .try_get::<Option<String>, _>("owner_id")?
        .map(UserId::from_stored),
    status: row.try_get("status")?,
    reached: row.try_get("reached")?,
    lost_reason: row.try_get("lost_reason")?,
    name: row.try_get("name")?,
    mobile: row.try_get("mobile")?,
    mobile_index: row.try_get("mobile_index")?,
    wechat: row.try_get("wechat")?,
    notes: row.try_get("notes")?,
    source: row.try_get("source")?,
    intended_model: row.try_get("intended_model")?,
    budget: row.try_get("budget")?,
    customer_id: row
        .try_get::<Option<String>, _>("customer_id")?
        .map(CustomerId::from_stored),
    next_follow_up_at: row.try_get("next_follow_up_at")?,
    worked_at: row.try_get("worked_at")?,
    created_at: row.try_get("created_at")?,
    updated_at: row.try_get("updated_at")?,
    data_key: row.try_get("data_key")?,
}));

/// A lead to return to the pool: not worked for longer than its store allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleLead {
    pub id: LeadId,
    pub store_id: StoreId,
    pub owner_id: UserId,
}

impl Tx {
    /// Inserts the lead and its wrapped data key (required), both or neither.
    pub async fn insert_lead(
        &mut self,
        lead: &SealedLead,
        kek_version: u32,
    ) -> Result<(), StoreError> {
        let wrapped = lead
            .data_key
            .as_deref()
            .ok_or_else(|| StoreError::Other("lead_keys: a new lead needs its data key".into()))?;
        let lead_sql = format!(
            "INSERT INTO leads ({COLUMNS}) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
             $19)"
        );
        let reached = reached(lead)?;
        const KEY_SQL: &str = "INSERT INTO lead_keys (lead_id, store_id, kek_version, wrapped, \
                               created_at) VALUES ($1, $2, $3, $4, $5)";
        on_tx_all_or_nothing!(self, c => async {
            sqlx::query(&lead_sql)
                .bind(lead.id.as_str())
                .bind(lead.store_id.as_str())
                .bind(lead.owner_id.as_ref().map(UserId::as_str))
                .bind(lead.status.as_str())
                .bind(lead.lost_reason.as_deref())
                .bind(lead.name.as_slice())
                .bind(lead.mobile.as_slice())
                .bind(lead.mobile_index.as_slice())
                .bind(lead.wechat.as_deref())
                .bind(lead.notes.as_deref())
                .bind(lead.source.as_str())
                .bind(lead.intended_model.as_str())
                .bind(lead.budget)
                .bind(lead.customer_id.as_ref().map(CustomerId::as_str))
                .bind(lead.next_follow_up_at)
                .bind(lead.worked_at)
                .bind(lead.created_at)
                .bind(lead.updated_at)
                .bind(reached)
                .execute(&mut **c)
                .await?;
            sqlx::query(KEY_SQL)
                .bind(lead.id.as_str())
                .bind(lead.store_id.as_str())
                .bind(i64::from(kek_version))
                .bind(wrapped)
                .bind(lead.created_at)
                .execute(&mut **c)
                .await?;
            Ok::<(), sqlx::Error>(())
        }
        .await)?;
        Ok(())
    }

    /// Writes everything but the id, store, creation time and data key.
    pub async fn update_lead(&mut self, lead: &SealedLead) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE leads SET owner_id = $2, status = $3, lost_reason = $4, \
                           name = $5, mobile = $6, mobile_index = $7, wechat = $8, notes = $9, \
                           source = $10, intended_model = $11, budget = $12, customer_id = $13, \
                           next_follow_up_at = $14, worked_at = $15, updated_at = $16, \
                           reached = $17 WHERE id = $1";
        let reached = reached(lead)?;
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(lead.id.as_str())
            .bind(lead.owner_id.as_ref().map(UserId::as_str))
            .bind(lead.status.as_str())
            .bind(lead.lost_reason.as_deref())
            .bind(lead.name.as_slice())
            .bind(lead.mobile.as_slice())
            .bind(lead.mobile_index.as_slice())
            .bind(lead.wechat.as_deref())
            .bind(lead.notes.as_deref())
            .bind(lead.source.as_str())
            .bind(lead.intended_model.as_str())
            .bind(lead.budget)
            .bind(lead.customer_id.as_ref().map(CustomerId::as_str))
            .bind(lead.next_follow_up_at)
            .bind(lead.worked_at)
            .bind(lead.updated_at)
            .bind(reached)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "leads")
    }

    /// Puts the lead back in its store's pool, with no follow-up planned.
    pub async fn return_lead_to_pool(&mut self, id: &LeadId, at: i64) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE leads SET owner_id = NULL, next_follow_up_at = NULL,                            updated_at = $2 WHERE id = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "leads")
    }

    /// The lead if it exists and lies within `filter` (`pool`: and has no owner); `None`
    /// tells neither apart.
    pub async fn lead(
        &mut self,
        filter: &RowFilter,
        id: &LeadId,
        pool: bool,
    ) -> Result<Option<SealedLead>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE l.id = ")
            .bind_text(id.as_str())
            .push(" AND ");
        push_scope_on(&mut sql, "l", filter);
        if pool {
            sql.push(" AND l.owner_id IS NULL");
        }
        let row: Option<LeadRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_optional(&mut **c).await
        })?;
        Ok(row.map(|r| r.0))
    }

    /// One page of the leads within `filter` matching `query`, most recently updated
    /// first, with the number matching in all.
    pub async fn leads(
        &mut self,
        filter: &RowFilter,
        query: &LeadQuery,
        limit: u32,
        offset: u64,
    ) -> Result<LeadPage, StoreError> {
        let mut conditions = Sql::new(" WHERE ");
        push_scope_on(&mut conditions, "l", filter);
        push_lead_query(&mut conditions, query);
        let count_sql = format!("SELECT COUNT(*) FROM leads l{}", conditions.text);
        let total: i64 = on_tx!(self, c => {
            bind_params!(sqlx::query_scalar(&count_sql), &conditions.params).fetch_one(&mut **c).await
        })?;
        let total = u64::try_from(total).unwrap_or(0);
        if total == 0 || limit == 0 || offset >= total {
            return Ok(LeadPage {
                items: Vec::new(),
                total,
            });
        }
        let mut sql = Sql {
            text: format!(
                "{SELECT}{} ORDER BY l.updated_at DESC, l.id DESC LIMIT ",
                conditions.text
            ),
            params: conditions.params,
        };
        sql.bind(Param::Int(i64::from(limit)))
            .push(" OFFSET ")
            .bind(Param::Int(i64::try_from(offset).unwrap_or(i64::MAX)));
        let rows: Vec<LeadRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        Ok(LeadPage {
            items: rows.into_iter().map(|r| r.0).collect(),
            total,
        })
    }

    /// Unscoped, for what a follow-up's completion does to its lead (the person who
    /// makes an after-delivery call may not see the lead itself). Never hand it out.
    pub async fn lead_unscoped(&mut self, id: &LeadId) -> Result<Option<SealedLead>, StoreError> {
        let sql = format!("{SELECT} WHERE l.id = $1");
        let row: Option<LeadRow> = on_tx!(self, c => {
            sqlx::query_as(&sql).bind(id.as_str()).fetch_optional(&mut **c).await
        })?;
        Ok(row.map(|r| r.0))
    }

    /// Unscoped, for the duplicate check: the store's open leads with this mobile's blind
    /// index (candidates, to be confirmed by decrypting). Never hand them to the actor.
    pub async fn open_leads_by_mobile_index(
        &mut self,
        store: &StoreId,
        mobile_index: &[u8],
    ) -> Result<Vec<SealedLead>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE l.store_id = ")
            .bind_text(store.as_str())
            .push(" AND l.mobile_index = ")
            .bind(Param::Bytes(mobile_index.to_vec()))
            .push(" AND l.status IN ")
            .bind_list(OPEN_LEAD_STATUSES.map(|s| Param::Text(s.into())));
        let rows: Vec<LeadRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Owned open leads nobody has worked since their store's `return_after_days` (7
    /// for a store that never set it) before `now`, oldest first, at most `limit`.
    pub async fn stale_leads(
        &mut self,
        now: i64,
        limit: u32,
    ) -> Result<Vec<StaleLead>, StoreError> {
        let mut sql = Sql::new(
            "SELECT l.id, l.store_id, l.owner_id FROM leads l \
             WHERE l.owner_id IS NOT NULL AND l.worked_at < ",
        );
        sql.bind(Param::Int(now))
            .push(
                " - 86400000 * COALESCE((SELECT s.return_after_days FROM store_sales_settings s \
                 WHERE s.store_id = l.store_id), 7) AND l.status IN ",
            )
            .bind_list(OPEN_LEAD_STATUSES.map(|s| Param::Text(s.into())))
            .push(" ORDER BY l.worked_at LIMIT ")
            .bind(Param::Int(i64::from(limit)));
        let rows: Vec<(String, String, String)> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, store, owner)| StaleLead {
                id: LeadId::from_stored(id),
                store_id: StoreId::from_stored(store),
                owner_id: UserId::from_stored(owner),
            })
            .collect())
    }

    /// Leads per status under `filter`, for the funnel figures (no lead row is read).
    pub async fn lead_counts_by_status(
        &mut self,
        filter: &RowFilter,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let mut conditions = Sql::new(" WHERE ");
        push_scope_on(&mut conditions, "l", filter);
        let sql = format!(
            "SELECT l.status, COUNT(*) FROM leads l{} GROUP BY l.status",
            conditions.text
        );
        Ok(on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql), &conditions.params).fetch_all(&mut **c).await
        })?)
    }
}

/// The furthest stage `lead` has reached once written: what it had reached and the
/// status it is written with, whichever is further (a lost lead keeps its stage). Set
/// here, on every insert and update, because every status change, whoever makes it,
/// passes through them.
fn reached(lead: &SealedLead) -> Result<&'static str, StoreError> {
    let parse = |code: &str| {
        LeadStatus::parse("status", code)
            .map_err(|_| StoreError::Other(format!("leads: unknown status {code:?}")))
    };
    Ok(parse(&lead.reached)?
        .reached_after(parse(&lead.status)?)
        .code())
}

fn push_lead_query(sql: &mut Sql, query: &LeadQuery) {
    match query.in_pool {
        Some(true) => {
            sql.push(" AND l.owner_id IS NULL");
        }
        Some(false) => {
            sql.push(" AND l.owner_id IS NOT NULL");
        }
        None => {}
    }
    if !query.statuses.is_empty() {
        sql.push(" AND l.status IN ")
            .bind_list(query.statuses.iter().map(|s| Param::Text(s.clone())));
    }
    if let Some(source) = &query.source {
        sql.push(" AND l.source = ").bind_text(source);
    }
    if let Some(owner) = &query.owner {
        sql.push(" AND l.owner_id = ").bind_text(owner.as_str());
    }
    if let Some(index) = &query.mobile_index {
        sql.push(" AND l.mobile_index = ")
            .bind(Param::Bytes(index.clone()));
    }
    if let Some(before) = query.due_before {
        sql.push(" AND l.next_follow_up_at < ")
            .bind(Param::Int(before));
    }
    match query.ids.as_deref() {
        Some([]) => {
            sql.push(" AND 1 = 0");
        }
        Some(ids) => {
            sql.push(" AND l.id IN ")
                .bind_list(ids.iter().map(|id| Param::Text(id.to_string())));
        }
        None => {}
    }
}
