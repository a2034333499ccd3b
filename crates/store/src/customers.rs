//! Customers: scoped reads, the bulk loader, and the unscoped lookups the gate needs.
//!
//! `store_code` is not a column of `customers`: reads join `stores`. Stores are a handful
//! of rows, so the join is a cached primary-key lookup, and the code keeps a single home
//! (renaming a store never leaves stale copies on a million customer rows).

use crate::connect::Backend;
use crate::customer_filter::{push_query, push_scope, CustomerQuery, PageRequest};
use crate::error::StoreError;
use crate::rows::from_row;
use crate::sql::{bind_params, values_rows, Param, Sql};
use crate::tx::{on_tx, on_tx_atomic, Tx};
use dealervault_domain::access::{RecordPlace, RowFilter};
use dealervault_domain::customer::CustomerRecord;
use dealervault_domain::ids::{CustomerId, DepartmentId, StoreId, TeamId, UserId};

/// One page of customers and the number of rows the filter and search match in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerPage {
    pub items: Vec<CustomerRecord>,
    pub total: u64,
}

const INSERT_COLUMNS: &str = "id, store_id, owner_id, name, mobile, id_number, email, address, \
                              wechat, birth_date, gender, source, notes, created_at, updated_at";
const INSERT_COLUMN_COUNT: usize = 15;
/// 500 rows x 15 columns = 7,500 parameters per statement: far below SQLite's 32,766 and
/// PostgreSQL's 65,535, and large enough that a million rows take ~2,000 statements.
const INSERT_CHUNK: usize = 500;

/// The store code comes from a scalar subquery, not a join: with a join SQLite loaded every
/// in-scope row before sorting (0.75 s for a department of 750,000 customers), while the
/// subquery runs only for the rows of the page (2 ms).
const SELECT: &str = "SELECT c.id, c.store_id, \
                      (SELECT s.code FROM stores s WHERE s.id = c.store_id) AS store_code, \
                      c.owner_id, c.name, c.mobile, c.id_number, c.email, c.address, c.wechat, \
                      c.birth_date, c.gender, c.source, c.notes, c.created_at, c.updated_at \
                      FROM customers c";

/// Binds a record's columns in `INSERT_COLUMNS` order.
macro_rules! bind_customer {
    ($query:expr, $r:expr) => {{
        let r: &CustomerRecord = $r;
        $query
            .bind(r.id.as_str())
            .bind(r.store_id.as_str())
            .bind(r.owner_id.as_str())
            .bind(&r.name)
            .bind(&r.mobile)
            .bind(r.id_number.as_deref())
            .bind(r.email.as_deref())
            .bind(r.address.as_deref())
            .bind(r.wechat.as_deref())
            .bind(r.birth_date.as_deref())
            .bind(&r.gender)
            .bind(&r.source)
            .bind(r.notes.as_deref())
            .bind(r.created_at)
            .bind(r.updated_at)
    }};
}

/// `CustomerRecord` belongs to `domain`; this wrapper lets sqlx decode it.
struct CustomerRow(CustomerRecord);

from_row!(CustomerRow, |row| CustomerRow(CustomerRecord {
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
    gender: row.try_get("gender")?,
    source: row.try_get("source")?,
    notes: row.try_get("notes")?,
    created_at: row.try_get("created_at")?,
    updated_at: row.try_get("updated_at")?,
}));

impl Tx {
    /// `record.store_code` is not stored; it is read back from the store.
    pub async fn insert_customer(&mut self, record: &CustomerRecord) -> Result<(), StoreError> {
        let sql = insert_sql(self.backend(), 1);
        on_tx_atomic!(self, c => {
            bind_customer!(sqlx::query(&sql), record).execute(&mut **c).await.map(drop)
        })?;
        Ok(())
    }

    /// Multi-row inserts inside the caller's transaction: the path for loading demo data.
    /// Unlike the single insert, a failure here leaves a PostgreSQL transaction aborted
    /// (a savepoint per chunk would cost the bulk path for no use): drop the transaction.
    pub async fn insert_customers(&mut self, records: &[CustomerRecord]) -> Result<(), StoreError> {
        let full_chunk_sql = insert_sql(self.backend(), INSERT_CHUNK);
        for chunk in records.chunks(INSERT_CHUNK) {
            let last_chunk_sql;
            let sql = if chunk.len() == INSERT_CHUNK {
                &full_chunk_sql
            } else {
                last_chunk_sql = insert_sql(self.backend(), chunk.len());
                &last_chunk_sql
            };
            on_tx!(self, c => {
                let mut query = sqlx::query(sql);
                for r in chunk {
                    query = bind_customer!(query, r);
                }
                query.execute(&mut **c).await.map(drop)
            })?;
        }
        Ok(())
    }

    /// Writes every governed field and `updated_at`; owner, store and creation time stay.
    pub async fn update_customer(&mut self, r: &CustomerRecord) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE customers SET name = $2, mobile = $3, id_number = $4, \
                           email = $5, address = $6, wechat = $7, birth_date = $8, gender = $9, \
                           source = $10, notes = $11, updated_at = $12 WHERE id = $1";
        let n = on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(r.id.as_str())
            .bind(&r.name)
            .bind(&r.mobile)
            .bind(r.id_number.as_deref())
            .bind(r.email.as_deref())
            .bind(r.address.as_deref())
            .bind(r.wechat.as_deref())
            .bind(r.birth_date.as_deref())
            .bind(&r.gender)
            .bind(&r.source)
            .bind(r.notes.as_deref())
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
    ) -> Result<Option<CustomerRecord>, StoreError> {
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

    pub async fn customers(
        &mut self,
        filter: &RowFilter,
        query: &CustomerQuery,
        page: &PageRequest,
    ) -> Result<CustomerPage, StoreError> {
        let mut conditions = Sql::new(" WHERE ");
        push_scope(&mut conditions, filter);
        push_query(&mut conditions, query);

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

    /// Unscoped: duplicate detection must see customers the actor cannot, to refuse a
    /// second record without revealing the first one's contents.
    pub async fn customer_by_mobile(
        &mut self,
        mobile: &str,
    ) -> Result<Option<(CustomerId, UserId)>, StoreError> {
        const SQL: &str = "SELECT id, owner_id FROM customers WHERE mobile = $1";
        let row: Option<(String, String)> =
            on_tx!(self, c => sqlx::query_as(SQL).bind(mobile).fetch_optional(&mut **c).await)?;
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
}

fn insert_sql(backend: Backend, rows: usize) -> String {
    format!(
        "INSERT INTO customers ({INSERT_COLUMNS}) VALUES {}",
        values_rows(backend, rows, INSERT_COLUMN_COUNT)
    )
}
