//! Customers as kept: personal fields sealed, blind indexes for exact lookups, and one
//! wrapped data key per customer in `customer_keys`. The store only persists bytes; the
//! application seals and opens them (`dealervault-vault`).
//!
//! Scoped reads, the bulk loader, the unscoped lookups the gate needs, and the
//! blind-index maintenance of rotations (the wrapped keys themselves: `data_keys`).
//!
//! `store_code` is not a column of `customers`: reads look it up in `stores`. Stores are a
//! handful of rows, so that is a cached primary-key lookup, and the code keeps a single
//! home (renaming a store never leaves stale copies on a million customer rows).

use crate::connect::Backend;
use crate::customer_filter::{push_query, push_scope, CustomerQuery, PageRequest};
use crate::error::StoreError;
use crate::rows::from_row;
use crate::sql::{bind_params, values_rows, Param, Sql};
use crate::tx::{on_tx, on_tx_all_or_nothing, on_tx_atomic, Tx};
use dealervault_domain::access::{RecordPlace, RowBound, RowFilter};
use dealervault_domain::ids::{CustomerId, DepartmentId, StoreId, TeamId, UserId};
use std::fmt;

/// The sealed fields, by catalog name, in column order.
pub const SEALED_FIELDS: [&str; 8] = [
    "name",
    "mobile",
    "id_number",
    "email",
    "address",
    "wechat",
    "birth_date",
    "notes",
];

/// A customer as kept: personal fields sealed, blind indexes, plain internal fields.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedCustomer {
    pub id: CustomerId,
    pub store_id: StoreId,
    /// Read from `stores`; ignored on write.
    pub store_code: String,
    pub owner_id: UserId,
    pub name: Vec<u8>,
    pub mobile: Vec<u8>,
    pub id_number: Option<Vec<u8>>,
    pub email: Option<Vec<u8>>,
    pub address: Option<Vec<u8>>,
    pub wechat: Option<Vec<u8>>,
    pub birth_date: Option<Vec<u8>>,
    pub notes: Option<Vec<u8>>,
    /// Blind index of the mobile number (16 bytes), unique.
    pub mobile_index: Vec<u8>,
    /// Blind index of the ID number (16 bytes).
    pub id_number_index: Option<Vec<u8>>,
    pub gender: String,
    pub source: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// The wrapped data key (customer_keys); None once erased.
    pub data_key: Option<Vec<u8>>,
}

impl SealedCustomer {
    /// The envelope of a sealed field by catalog name (name, mobile, id_number, email,
    /// address, wechat, birth_date, notes); `None` for an absent value or another name.
    pub fn sealed(&self, field: &str) -> Option<&[u8]> {
        match field {
            "name" => Some(&self.name),
            "mobile" => Some(&self.mobile),
            "id_number" => self.id_number.as_deref(),
            "email" => self.email.as_deref(),
            "address" => self.address.as_deref(),
            "wechat" => self.wechat.as_deref(),
            "birth_date" => self.birth_date.as_deref(),
            "notes" => self.notes.as_deref(),
            _ => None,
        }
    }

    /// Sets a sealed field by catalog name. `name` and `mobile` are required: `None` leaves
    /// them as they are. Other names (not in [`SEALED_FIELDS`]) are ignored.
    pub fn set_sealed(&mut self, field: &str, envelope: Option<Vec<u8>>) {
        match field {
            "name" => {
                if let Some(e) = envelope {
                    self.name = e;
                }
            }
            "mobile" => {
                if let Some(e) = envelope {
                    self.mobile = e;
                }
            }
            "id_number" => self.id_number = envelope,
            "email" => self.email = envelope,
            "address" => self.address = envelope,
            "wechat" => self.wechat = envelope,
            "birth_date" => self.birth_date = envelope,
            "notes" => self.notes = envelope,
            _ => {}
        }
    }
}

// Envelopes are not personal data in the clear, but blind indexes link records and none
// of it helps a log reader: ids only.
impl fmt::Debug for SealedCustomer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealedCustomer")
            .field("id", &self.id)
            .field("store_code", &self.store_code)
            .field("owner_id", &self.owner_id)
            .finish_non_exhaustive()
    }
}

/// One page of customers and the number of rows the filter and search match in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerPage {
    pub items: Vec<SealedCustomer>,
    pub total: u64,
}

/// What a name or notes search needs of a customer: the two envelopes and the key to open
/// them.
#[derive(Clone, PartialEq, Eq)]
pub struct SearchRow {
    pub id: CustomerId,
    pub name: Vec<u8>,
    pub notes: Option<Vec<u8>>,
    /// None once erased.
    pub data_key: Option<Vec<u8>>,
}

impl fmt::Debug for SearchRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchRow")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

const INSERT_COLUMNS: &str = "id, store_id, owner_id, name, mobile, id_number, email, address, \
                              wechat, birth_date, notes, mobile_index, id_number_index, gender, \
                              source, created_at, updated_at";
const INSERT_COLUMN_COUNT: usize = 17;
const KEY_COLUMNS: &str = "customer_id, store_id, kek_version, wrapped, created_at";
const KEY_COLUMN_COUNT: usize = 5;
/// 500 rows x 17 columns = 8,500 parameters per statement: far below SQLite's 32,766 and
/// PostgreSQL's 65,535, and large enough that a million rows take ~2,000 statements per
/// table.
const INSERT_CHUNK: usize = 500;

/// The store code and the data key come from scalar subqueries, not joins: with a join
/// SQLite loaded every in-scope row before sorting (0.75 s for a department of 750,000
/// customers; 2.5 s with a LEFT JOIN on `customer_keys`), while a subquery runs only for
/// the rows of the page (2 ms). An erased customer has no key row: `data_key` is NULL.
const SELECT: &str = "SELECT c.id, c.store_id, \
                      (SELECT s.code FROM stores s WHERE s.id = c.store_id) AS store_code, \
                      c.owner_id, c.name, c.mobile, c.id_number, c.email, c.address, c.wechat, \
                      c.birth_date, c.notes, c.mobile_index, c.id_number_index, c.gender, \
                      c.source, c.created_at, c.updated_at, \
                      (SELECT k.wrapped FROM customer_keys k WHERE k.customer_id = c.id) \
                      AS data_key \
                      FROM customers c";

/// `SELECT` for walking many rows to write them out: the sealed fields and the data key,
/// without the store's code, the ID number's blind index or the times, which a file does
/// not show (they come back empty or zero). Fewer values per row is most of the cost of
/// a row read through the SQLite driver, which copies every value of every row.
const WALK_SELECT: &str = "SELECT c.id, c.store_id, '' AS store_code, c.owner_id, c.name, \
                           c.mobile, c.id_number, c.email, c.address, c.wechat, \
                           c.birth_date, c.notes, c.mobile_index, \
                           NULL AS id_number_index, c.gender, c.source, \
                           CAST(0 AS BIGINT) AS created_at, CAST(0 AS BIGINT) AS updated_at, \
                           (SELECT k.wrapped FROM customer_keys k WHERE k.customer_id = c.id) \
                           AS data_key \
                           FROM customers c";

/// Binds a customer's columns in `INSERT_COLUMNS` order.
macro_rules! bind_customer {
    ($query:expr, $r:expr) => {{
        let r: &SealedCustomer = $r;
        $query
            .bind(r.id.as_str())
            .bind(r.store_id.as_str())
            .bind(r.owner_id.as_str())
            .bind(r.name.as_slice())
            .bind(r.mobile.as_slice())
            .bind(r.id_number.as_deref())
            .bind(r.email.as_deref())
            .bind(r.address.as_deref())
            .bind(r.wechat.as_deref())
            .bind(r.birth_date.as_deref())
            .bind(r.notes.as_deref())
            .bind(r.mobile_index.as_slice())
            .bind(r.id_number_index.as_deref())
            .bind(r.gender.as_str())
            .bind(r.source.as_str())
            .bind(r.created_at)
            .bind(r.updated_at)
    }};
}

/// Binds a customer's key row in `KEY_COLUMNS` order; `$wrapped` is checked beforehand.
macro_rules! bind_key {
    ($query:expr, $r:expr, $kek_version:expr, $wrapped:expr) => {{
        let r: &SealedCustomer = $r;
        let wrapped: &[u8] = $wrapped;
        $query
            .bind(r.id.as_str())
            .bind(r.store_id.as_str())
            .bind(i64::from($kek_version))
            .bind(wrapped)
            .bind(r.created_at)
    }};
}

struct CustomerRow(SealedCustomer);

from_row!(CustomerRow, |row| CustomerRow(SealedCustomer {
    id: CustomerId::from_stored(row.try_get("id")?),
    store_id: StoreId::from_stored(row.try_get("store_id")?),
    store_code: row.try_get("store_code")?,
    owner_id: UserId::from_stored(row.try_get("owner_id")?),
    name: row.try_get("name")?,
    mobile: row.try_get("mobile")?,
    id_number: row.try_get("id_number")?,
    email: row.try_get("email")?,
    address: row.try_get("address")?,
    wechat: row.try_get("wechat")?,
    birth_date: row.try_get("birth_date")?,
    notes: row.try_get("notes")?,
    mobile_index: row.try_get("mobile_index")?,
    id_number_index: row.try_get("id_number_index")?,
    gender: row.try_get("gender")?,
    source: row.try_get("source")?,
    created_at: row.try_get("created_at")?,
    updated_at: row.try_get("updated_at")?,
    data_key: row.try_get("data_key")?,
}));

from_row!(SearchRow, |row| SearchRow {
    id: CustomerId::from_stored(row.try_get("id")?),
    name: row.try_get("name")?,
    notes: row.try_get("notes")?,
    data_key: row.try_get("data_key")?,
});

/// A new customer's wrapped data key: required, since a customer inserted without one
/// could never be read.
fn new_data_key(customer: &SealedCustomer) -> Result<&[u8], StoreError> {
    customer
        .data_key
        .as_deref()
        .ok_or_else(|| StoreError::Other("customer_keys: a new customer needs its data key".into()))
}

impl Tx {
    /// Inserts the customer and its wrapped data key (`customer.data_key`, required), wrapped
    /// under KEK `kek_version`. Both rows or neither: a duplicate `mobile_index` is
    /// `Conflict("customers_mobile_key")`, a duplicate id `Conflict("customers_pkey")`, and
    /// either leaves the transaction usable. `customer.store_code` is not stored.
    pub async fn insert_customer(
        &mut self,
        customer: &SealedCustomer,
        kek_version: u32,
    ) -> Result<(), StoreError> {
        let wrapped = new_data_key(customer)?;
        let customer_sql = insert_sql(self.backend(), 1);
        let key_sql = insert_keys_sql(self.backend(), 1);
        on_tx_all_or_nothing!(self, c => async {
            bind_customer!(sqlx::query(&customer_sql), customer)
                .execute(&mut **c)
                .await?;
            bind_key!(sqlx::query(&key_sql), customer, kek_version, wrapped)
                .execute(&mut **c)
                .await?;
            Ok::<(), sqlx::Error>(())
        }
        .await)?;
        Ok(())
    }

    /// Multi-row inserts of customers and their keys (each with the version of the KEK that
    /// wrapped it) inside the caller's transaction: the path for loading demo data. Every
    /// customer must carry its data key; that is checked before anything is written. Unlike
    /// the single insert, a failure in the database leaves the transaction half-written
    /// (and, on PostgreSQL, aborted): a savepoint per chunk would cost the bulk path for no
    /// use, so drop the transaction.
    pub async fn insert_customers(
        &mut self,
        customers: &[(SealedCustomer, u32)],
    ) -> Result<(), StoreError> {
        let keys = customers
            .iter()
            .map(|(c, _)| new_data_key(c))
            .collect::<Result<Vec<_>, _>>()?;
        let full_customers_sql = insert_sql(self.backend(), INSERT_CHUNK);
        let full_keys_sql = insert_keys_sql(self.backend(), INSERT_CHUNK);
        for (chunk, chunk_keys) in customers
            .chunks(INSERT_CHUNK)
            .zip(keys.chunks(INSERT_CHUNK))
        {
            let (last_customers_sql, last_keys_sql);
            let (customers_sql, keys_sql) = if chunk.len() == INSERT_CHUNK {
                (&full_customers_sql, &full_keys_sql)
            } else {
                last_customers_sql = insert_sql(self.backend(), chunk.len());
                last_keys_sql = insert_keys_sql(self.backend(), chunk.len());
                (&last_customers_sql, &last_keys_sql)
            };
            on_tx!(self, c => {
                let mut query = sqlx::query(customers_sql);
                for (r, _) in chunk {
                    query = bind_customer!(query, r);
                }
                query.execute(&mut **c).await.map(drop)
            })?;
            on_tx!(self, c => {
                let mut query = sqlx::query(keys_sql);
                for ((r, kek_version), wrapped) in chunk.iter().zip(chunk_keys) {
                    query = bind_key!(query, r, *kek_version, wrapped);
                }
                query.execute(&mut **c).await.map(drop)
            })?;
        }
        Ok(())
    }

    /// Writes every sealed field, both blind indexes, gender, source and `updated_at`;
    /// owner, store, creation time and the data key stay. A `mobile_index` another customer
    /// has is `Conflict("customers_mobile_key")`, leaving the transaction usable.
    pub async fn update_customer(&mut self, r: &SealedCustomer) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE customers SET name = $2, mobile = $3, id_number = $4, \
                           email = $5, address = $6, wechat = $7, birth_date = $8, notes = $9, \
                           mobile_index = $10, id_number_index = $11, gender = $12, \
                           source = $13, updated_at = $14 WHERE id = $1";
        let n = on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(r.id.as_str())
            .bind(r.name.as_slice())
            .bind(r.mobile.as_slice())
            .bind(r.id_number.as_deref())
            .bind(r.email.as_deref())
            .bind(r.address.as_deref())
            .bind(r.wechat.as_deref())
            .bind(r.birth_date.as_deref())
            .bind(r.notes.as_deref())
            .bind(r.mobile_index.as_slice())
            .bind(r.id_number_index.as_deref())
            .bind(r.gender.as_str())
            .bind(r.source.as_str())
            .bind(r.updated_at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "customers")
    }

    /// The customer if it exists and lies within `filter`; `None` tells neither apart, so
    /// a caller cannot probe for ids outside its scope.
    pub async fn customer(
        &mut self,
        filter: &RowFilter,
        id: &CustomerId,
    ) -> Result<Option<SealedCustomer>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE c.id = ")
            .bind_text(id.as_str())
            .push(" AND ");
        push_scope(&mut sql, filter);
        let row: Option<CustomerRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_optional(&mut **c).await
        })?;
        Ok(row.map(|r| r.0))
    }

    /// Unscoped, for confirming a blind-index match by decrypting it (duplicate detection
    /// must see customers the actor cannot). Never hand the result to the actor.
    pub async fn sealed_customer_unscoped(
        &mut self,
        id: &CustomerId,
    ) -> Result<Option<SealedCustomer>, StoreError> {
        let sql = format!("{SELECT} WHERE c.id = $1");
        let row: Option<CustomerRow> = on_tx!(self, c => {
            sqlx::query_as(&sql).bind(id.as_str()).fetch_optional(&mut **c).await
        })?;
        Ok(row.map(|r| r.0))
    }

    /// Customers per owner under `filter`, from the per-owner counts (no customer row is
    /// read): a manager's team figures.
    pub async fn customer_counts_by_owner(
        &mut self,
        filter: &RowFilter,
    ) -> Result<Vec<(UserId, i64)>, StoreError> {
        let mut conditions = Sql::new(" WHERE ");
        push_scope(&mut conditions, filter);
        let sql = format!(
            "SELECT c.owner_id, CAST(SUM(c.n) AS BIGINT) FROM customer_counts c{} \
             GROUP BY c.owner_id HAVING SUM(c.n) > 0",
            conditions.text
        );
        let rows: Vec<(String, i64)> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql), &conditions.params).fetch_all(&mut **c).await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, n)| (UserId::from_stored(id), n))
            .collect())
    }

    pub async fn customers(
        &mut self,
        filter: &RowFilter,
        query: &CustomerQuery,
        page: &PageRequest,
    ) -> Result<CustomerPage, StoreError> {
        if query.matches_nothing() {
            return Ok(CustomerPage::default());
        }
        let mut conditions = Sql::new(" WHERE ");
        push_scope(&mut conditions, filter);
        push_query(&mut conditions, self.backend(), query);

        // Without search terms the total is a sum over the per-owner counts (same columns,
        // same filter); a search has to count the rows it matches.
        let count_sql = if query.is_empty() {
            format!(
                "SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) FROM customer_counts c{}",
                conditions.text
            )
        } else {
            format!("SELECT COUNT(*) FROM customers c{}", conditions.text)
        };
        let total: i64 = on_tx!(self, c => {
            bind_params!(sqlx::query_scalar(&count_sql), &conditions.params).fetch_one(&mut **c).await
        })?;
        let total = u64::try_from(total).unwrap_or(0);
        if total == 0 || page.limit == 0 || page.offset >= total {
            return Ok(CustomerPage {
                items: Vec::new(),
                total,
            });
        }

        let mut sql = Sql {
            text: format!(
                "{SELECT}{} ORDER BY {} LIMIT ",
                conditions.text,
                page.sort.order_by()
            ),
            params: conditions.params,
        };
        sql.bind(Param::Int(i64::from(page.limit)))
            .push(" OFFSET ")
            .bind(Param::Int(i64::try_from(page.offset).unwrap_or(i64::MAX)));
        let rows: Vec<CustomerRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        Ok(CustomerPage {
            items: rows.into_iter().map(|r| r.0).collect(),
            total,
        })
    }

    /// The customers within `filter` matching `query`, by id ascending, the first `limit`
    /// after `after`: an export walks its rows this way, a chunk at a time, so the rows
    /// in memory stay few however many it writes. Pass a chunk's last id as the next
    /// `after`; a chunk shorter than `limit` is the last. An owner or store bound walks
    /// its `(owner_id, id)` or `(store_id, id)` index (see `push_keyset`). The rows come
    /// without store code, ID-number index and times (`WALK_SELECT`).
    pub async fn customers_after(
        &mut self,
        filter: &RowFilter,
        query: &CustomerQuery,
        after: Option<&CustomerId>,
        limit: u32,
    ) -> Result<Vec<SealedCustomer>, StoreError> {
        if query.matches_nothing() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(WALK_SELECT);
        sql.push(" WHERE ");
        push_scope(&mut sql, filter);
        push_query(&mut sql, self.backend(), query);
        push_keyset(&mut sql, after, None, limit);
        let rows: Vec<CustomerRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Names, notes and data keys of the customers within `filter`, by id ascending, the
    /// first `limit` after `after`: the application decrypts them chunk by chunk to search
    /// names and notes. Pass the last id of a chunk as the next `after`; a chunk shorter
    /// than `limit` is the last. Erased customers come with `data_key: None`.
    ///
    /// Every chunk is read with range scans whatever the planner knows, so a whole walk
    /// costs about the rows in scope, not their square: an owner or a store bound walks
    /// its `(owner_id, id)` or `(store_id, id)` index, the group the primary key, and a
    /// team or department bound merges the walks of its members (see `merge_owner_walks`).
    pub async fn customer_search_rows(
        &mut self,
        filter: &RowFilter,
        after: Option<&CustomerId>,
        limit: u32,
    ) -> Result<Vec<SearchRow>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        const TEAM: &str = "SELECT id FROM users WHERE team_id = $1";
        const DEPARTMENT: &str = "SELECT id FROM users WHERE department_id = $1";
        let (members_sql, unit) = match filter.within() {
            RowBound::Team(t) => (TEAM, t.as_str()),
            RowBound::Department(d) => (DEPARTMENT, d.as_str()),
            RowBound::Owner(_) | RowBound::Store(_) | RowBound::Group => {
                return self.search_rows(filter, None, after, None, limit).await;
            }
        };
        let owners: Vec<String> = on_tx!(self, c => {
            sqlx::query_scalar(members_sql).bind(unit).fetch_all(&mut **c).await
        })?;
        self.merge_owner_walks(filter, &owners, after, limit).await
    }

    /// A team's or department's chunk as the merge of its members' walks. One query over
    /// all the members cannot be trusted to range-scan: PostgreSQL without statistics
    /// fetches every remaining row of every member and sorts them, for each chunk, which
    /// makes a walk quadratic. Per owner, the `(owner_id, id)` index gives the next rows in
    /// order; once `limit` rows are in hand, later owners are asked only for ids below the
    /// largest, so a chunk reads about `limit × (1 + ln owners)` rows when the owners'
    /// customers interleave, and never more than `limit × owners`. Every query carries the
    /// whole filter, so the merge can only narrow what the filter allows.
    ///
    /// The merge compares ids in Rust: they are canonical UUID text (lowercase hex, hyphens
    /// at fixed places), which sorts the same bytewise as under the database's collation.
    async fn merge_owner_walks(
        &mut self,
        filter: &RowFilter,
        owners: &[String],
        after: Option<&CustomerId>,
        limit: u32,
    ) -> Result<Vec<SearchRow>, StoreError> {
        let wanted = usize::try_from(limit).unwrap_or(usize::MAX);
        let mut rows: Vec<SearchRow> = Vec::new();
        for owner in owners {
            let before = if rows.len() >= wanted {
                rows.last().map(|r| r.id.clone())
            } else {
                None
            };
            let more = self
                .search_rows(filter, Some(owner), after, before.as_ref(), limit)
                .await?;
            if more.is_empty() {
                continue;
            }
            rows.extend(more);
            rows.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
            rows.truncate(wanted);
        }
        Ok(rows)
    }

    /// One keyset read of search rows within `filter` (and of `owner`, if given), ids
    /// between `after` and `before` (both exclusive).
    async fn search_rows(
        &mut self,
        filter: &RowFilter,
        owner: Option<&str>,
        after: Option<&CustomerId>,
        before: Option<&CustomerId>,
        limit: u32,
    ) -> Result<Vec<SearchRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT c.id, c.name, c.notes, \
             (SELECT k.wrapped FROM customer_keys k WHERE k.customer_id = c.id) AS data_key \
             FROM customers c WHERE ",
        );
        push_scope(&mut sql, filter);
        if let Some(owner) = owner {
            sql.push(" AND c.owner_id = ").bind_text(owner);
        }
        push_keyset(&mut sql, after, before, limit);
        let rows: Vec<SearchRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        Ok(rows)
    }

    /// Unscoped: duplicate detection must see customers the actor cannot, to refuse a
    /// second record without revealing the first one's contents. Confirm the match by
    /// opening the candidate's mobile (`sealed_customer_unscoped`).
    pub async fn customer_by_mobile_index(
        &mut self,
        mobile_index: &[u8],
    ) -> Result<Option<(CustomerId, UserId)>, StoreError> {
        const SQL: &str = "SELECT id, owner_id FROM customers WHERE mobile_index = $1";
        let row: Option<(String, String)> = on_tx!(self, c => {
            sqlx::query_as(SQL).bind(mobile_index).fetch_optional(&mut **c).await
        })?;
        Ok(row.map(|(id, owner)| (CustomerId::from_stored(id), UserId::from_stored(owner))))
    }

    /// Every customer with the facts scopes are decided on, for checking the SQL filters
    /// against `RowBound::contains`.
    pub async fn customer_places(&mut self) -> Result<Vec<(CustomerId, RecordPlace)>, StoreError> {
        const SQL: &str = "SELECT c.id, c.owner_id, u.team_id, u.department_id, c.store_id \
                           FROM customers c JOIN users u ON u.id = c.owner_id ORDER BY c.id";
        type Place = (String, String, Option<String>, Option<String>, String);
        let rows: Vec<Place> = on_tx!(self, c => sqlx::query_as(SQL).fetch_all(&mut **c).await)?;
        Ok(rows
            .into_iter()
            .map(|(id, owner, team, department, store)| {
                let place = RecordPlace {
                    owner_id: UserId::from_stored(owner),
                    owner_team_id: team.map(TeamId::from_stored),
                    owner_department_id: department.map(DepartmentId::from_stored),
                    store_id: StoreId::from_stored(store),
                };
                (CustomerId::from_stored(id), place)
            })
            .collect())
    }

    // ---- Blind-index rebuild ----

    /// Every customer, unscoped, by id ascending, the first `limit` after `after`: for
    /// computing blind indexes again under a new key version. Erased customers are
    /// included (with `data_key: None`).
    pub async fn customers_for_reindex(
        &mut self,
        after: Option<&CustomerId>,
        limit: u32,
    ) -> Result<Vec<SealedCustomer>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE (1 = 1)");
        push_keyset(&mut sql, after, None, limit);
        let rows: Vec<CustomerRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Replaces a customer's blind indexes and nothing else (not even `updated_at`: the
    /// customer did not change). A `mobile_index` another customer has is
    /// `Conflict("customers_mobile_key")`, leaving the transaction usable.
    pub async fn set_blind_indexes(
        &mut self,
        id: &CustomerId,
        mobile_index: &[u8],
        id_number_index: Option<&[u8]>,
    ) -> Result<(), StoreError> {
        const SQL: &str =
            "UPDATE customers SET mobile_index = $2, id_number_index = $3 WHERE id = $1";
        let n = on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(id.as_str())
            .bind(mobile_index)
            .bind(id_number_index)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "customers")
    }
}

/// ` AND c.id IS NOT NULL AND c.id > $n ORDER BY c.id LIMIT $m`: a keyset page by id.
/// `c.id IS NOT NULL` always holds; it is what lets the planner use the partial walk
/// indexes `(owner_id, id)` and `(store_id, id)`, which list pages never see.
fn push_keyset(sql: &mut Sql, after: Option<&CustomerId>, before: Option<&CustomerId>, limit: u32) {
    sql.push(" AND c.id IS NOT NULL");
    if let Some(after) = after {
        sql.push(" AND c.id > ").bind_text(after.as_str());
    }
    if let Some(before) = before {
        sql.push(" AND c.id < ").bind_text(before.as_str());
    }
    sql.push(" ORDER BY c.id LIMIT ")
        .bind(Param::Int(i64::from(limit)));
}

fn insert_sql(backend: Backend, rows: usize) -> String {
    format!(
        "INSERT INTO customers ({INSERT_COLUMNS}) VALUES {}",
        values_rows(backend, rows, INSERT_COLUMN_COUNT)
    )
}

fn insert_keys_sql(backend: Backend, rows: usize) -> String {
    format!(
        "INSERT INTO customer_keys ({KEY_COLUMNS}) VALUES {}",
        values_rows(backend, rows, KEY_COLUMN_COUNT)
    )
}
