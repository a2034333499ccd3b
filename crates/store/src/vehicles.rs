//! The vehicle stock: one row per VIN, plain columns (a vehicle holds no personal data;
//! its cost price and supplier terms are kept from other roles by field levels, not by
//! sealing). Reads go through the same row-filter SQL as customers.
//!
//! Vehicles have no owner, so the table has no `owner_id` column; the scoped reads see it
//! through [`SCOPED`], which adds a NULL one. A filter narrower than the store (own, team,
//! department) then matches no vehicle, and a store or group filter works as for
//! customers, with one piece of SQL for both.

use crate::customer_filter::push_scope_on;
use crate::error::StoreError;
use crate::rows::from_row;
use crate::sql::{bind_params, Param, Sql};
use crate::tx::{on_tx, on_tx_atomic, Tx};
use dealervault_domain::access::RowFilter;
use dealervault_domain::ids::{StoreId, VehicleId};

/// The vehicles table under alias `v`, with the `owner_id` (always NULL) that the row
/// filter's owner, team and department bounds look at. Both databases flatten this
/// subquery, so the `(store_id, status, arrived_on)` index serves it.
const SCOPED: &str = "(SELECT vehicles.*, CAST(NULL AS TEXT) AS owner_id FROM vehicles) v";

const COLUMNS: &str = "v.id, v.store_id, \
                       (SELECT s.code FROM stores s WHERE s.id = v.store_id) AS store_code, \
                       v.vin, v.status, v.model, v.trim, v.colour, v.location, v.list_price, \
                       v.cost_price, v.supplier_terms, v.arrived_on, v.created_at, v.updated_at";

/// The unique key a second vehicle with the same VIN breaks, on both backends.
pub const VIN_CONSTRAINT: &str = "vehicles_vin_key";

/// A vehicle as kept. Amounts are fen; `arrived_on` is the local date (`YYYY-MM-DD`) it
/// came into stock, `None` while in transit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VehicleRow {
    pub id: VehicleId,
    pub store_id: StoreId,
    /// Read from `stores`; ignored on write.
    pub store_code: String,
    pub vin: String,
    pub status: String,
    pub model: String,
    pub trim: String,
    pub colour: String,
    pub location: String,
    pub list_price: i64,
    pub cost_price: Option<i64>,
    pub supplier_terms: Option<String>,
    pub arrived_on: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

from_row!(VehicleRow, |row| VehicleRow {
    id: VehicleId::from_stored(row.try_get("id")?),
    store_id: StoreId::from_stored(row.try_get("store_id")?),
    store_code: row.try_get("store_code")?,
    vin: row.try_get("vin")?,
    status: row.try_get("status")?,
    model: row.try_get("model")?,
    trim: row.try_get("trim")?,
    colour: row.try_get("colour")?,
    location: row.try_get("location")?,
    list_price: row.try_get("list_price")?,
    cost_price: row.try_get("cost_price")?,
    supplier_terms: row.try_get("supplier_terms")?,
    arrived_on: row.try_get("arrived_on")?,
    created_at: row.try_get("created_at")?,
    updated_at: row.try_get("updated_at")?,
});

/// How a VIN is looked for: the whole VIN, or its last characters (dealers read the
/// last six off a windscreen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VinSearch {
    Exact(String),
    /// Characters of the VIN alphabet only (checked by the caller), so no `LIKE`
    /// wildcard can slip in.
    Suffix(String),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum VehicleSort {
    /// Longest in stock first; vehicles still in transit last.
    #[default]
    ArrivedAsc,
    ArrivedDesc,
    UpdatedDesc,
}

impl VehicleSort {
    /// Portable NULLS LAST (`arrived_on IS NULL` sorts false first), and the id breaks
    /// ties so pages never overlap.
    fn order_by(self) -> &'static str {
        match self {
            VehicleSort::ArrivedAsc => "(v.arrived_on IS NULL), v.arrived_on ASC, v.id ASC",
            VehicleSort::ArrivedDesc => "(v.arrived_on IS NULL), v.arrived_on DESC, v.id DESC",
            VehicleSort::UpdatedDesc => "v.updated_at DESC, v.id DESC",
        }
    }
}

/// A stock list request: every filter optional, all given ones must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VehicleQuery {
    pub status: Option<String>,
    /// Lower-case text the model must contain.
    pub model: Option<String>,
    pub vin: Option<VinSearch>,
    pub sort: VehicleSort,
    pub limit: u32,
    pub offset: u64,
}

impl Default for VehicleQuery {
    fn default() -> Self {
        Self {
            status: None,
            model: None,
            vin: None,
            sort: VehicleSort::default(),
            limit: 50,
            offset: 0,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VehiclePage {
    pub items: Vec<VehicleRow>,
    pub total: u64,
}

/// Vehicles on the lot (in stock or reserved) of one model, by days since arrival:
/// 0–30, 31–60, 61–90 and more than 90.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockAgeRow {
    pub model: String,
    pub buckets: [u64; 4],
}

/// `%`, `_` and the escape character itself, escaped for `LIKE … ESCAPE '\'`.
fn like_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// ` WHERE <scope> AND <filters>` of a list.
fn conditions(filter: &RowFilter, query: &VehicleQuery) -> Sql {
    let mut sql = Sql::new(" WHERE ");
    push_scope_on(&mut sql, "v", filter);
    if let Some(status) = &query.status {
        sql.push(" AND v.status = ").bind_text(status);
    }
    if let Some(model) = &query.model {
        sql.push(" AND LOWER(v.model) LIKE ")
            .bind(Param::Text(format!("%{}%", like_escaped(model))))
            .push(" ESCAPE '\\'");
    }
    match &query.vin {
        Some(VinSearch::Exact(vin)) => {
            sql.push(" AND v.vin = ").bind_text(vin);
        }
        Some(VinSearch::Suffix(tail)) => {
            sql.push(" AND v.vin LIKE ")
                .bind(Param::Text(format!("%{}", like_escaped(tail))))
                .push(" ESCAPE '\\'");
        }
        None => {}
    }
    sql
}

impl Tx {
    /// Inserts a vehicle. A VIN already in stock (in any store) is
    /// `Conflict(VIN_CONSTRAINT)`, and leaves the transaction usable.
    pub async fn insert_vehicle(&mut self, r: &VehicleRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO vehicles (id, store_id, vin, status, model, trim, \
                           colour, location, list_price, cost_price, supplier_terms, \
                           arrived_on, created_at, updated_at) \
                           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
        on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(r.id.as_str())
            .bind(r.store_id.as_str())
            .bind(r.vin.as_str())
            .bind(r.status.as_str())
            .bind(r.model.as_str())
            .bind(r.trim.as_str())
            .bind(r.colour.as_str())
            .bind(r.location.as_str())
            .bind(r.list_price)
            .bind(r.cost_price)
            .bind(r.supplier_terms.as_deref())
            .bind(r.arrived_on.as_deref())
            .bind(r.created_at)
            .bind(r.updated_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    /// The vehicle if it exists and lies within `filter`; `None` tells neither apart.
    pub async fn vehicle(
        &mut self,
        filter: &RowFilter,
        id: &VehicleId,
    ) -> Result<Option<VehicleRow>, StoreError> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM {SCOPED} WHERE v.id = "));
        sql.bind_text(id.as_str()).push(" AND ");
        push_scope_on(&mut sql, "v", filter);
        let row: Option<VehicleRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_optional(&mut **c).await
        })?;
        Ok(row)
    }

    /// One page of the vehicles within `filter` that match `query`, and how many match.
    pub async fn vehicles(
        &mut self,
        filter: &RowFilter,
        query: &VehicleQuery,
    ) -> Result<VehiclePage, StoreError> {
        let conditions = conditions(filter, query);
        let count_sql = format!("SELECT COUNT(*) FROM {SCOPED}{}", conditions.text);
        let total: i64 = on_tx!(self, c => {
            bind_params!(sqlx::query_scalar(&count_sql), &conditions.params).fetch_one(&mut **c).await
        })?;
        let total = u64::try_from(total).unwrap_or(0);
        if total == 0 || query.limit == 0 || query.offset >= total {
            return Ok(VehiclePage {
                items: Vec::new(),
                total,
            });
        }
        let mut sql = Sql {
            text: format!(
                "SELECT {COLUMNS} FROM {SCOPED}{} ORDER BY {} LIMIT ",
                conditions.text,
                query.sort.order_by()
            ),
            params: conditions.params,
        };
        sql.bind(Param::Int(i64::from(query.limit)))
            .push(" OFFSET ")
            .bind(Param::Int(i64::try_from(query.offset).unwrap_or(i64::MAX)));
        let items: Vec<VehicleRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        Ok(VehiclePage { items, total })
    }

    /// Writes the changeable columns (model to supplier terms, status, arrival date,
    /// `updated_at`) if the row still has the `updated_at` it was read with. `false`
    /// when someone changed it meanwhile (or it is gone): nothing is written then.
    pub async fn update_vehicle(
        &mut self,
        r: &VehicleRow,
        read_at: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE vehicles SET status = $3, model = $4, trim = $5, \
                           colour = $6, location = $7, list_price = $8, cost_price = $9, \
                           supplier_terms = $10, arrived_on = $11, updated_at = $12 \
                           WHERE id = $1 AND updated_at = $2";
        let n = on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(r.id.as_str())
            .bind(read_at)
            .bind(r.status.as_str())
            .bind(r.model.as_str())
            .bind(r.trim.as_str())
            .bind(r.colour.as_str())
            .bind(r.location.as_str())
            .bind(r.list_price)
            .bind(r.cost_price)
            .bind(r.supplier_terms.as_deref())
            .bind(r.arrived_on.as_deref())
            .bind(r.updated_at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Vehicles on the lot within `filter`, per model, in the four age buckets. The
    /// bounds are local dates (`YYYY-MM-DD`, which compare as text): `since[0]` is 30
    /// days before today, `since[1]` 60 and `since[2]` 90. Counts only.
    pub async fn stock_age(
        &mut self,
        filter: &RowFilter,
        since: [&str; 3],
    ) -> Result<Vec<StockAgeRow>, StoreError> {
        let mut sql = Sql::new("SELECT v.model, ");
        sql.push("CAST(SUM(CASE WHEN v.arrived_on >= ")
            .bind_text(since[0])
            .push(" THEN 1 ELSE 0 END) AS BIGINT), ");
        for pair in since.windows(2) {
            sql.push("CAST(SUM(CASE WHEN v.arrived_on < ")
                .bind_text(pair[0])
                .push(" AND v.arrived_on >= ")
                .bind_text(pair[1])
                .push(" THEN 1 ELSE 0 END) AS BIGINT), ");
        }
        sql.push("CAST(SUM(CASE WHEN v.arrived_on < ")
            .bind_text(since[2])
            .push(&format!(
                " THEN 1 ELSE 0 END) AS BIGINT) FROM {SCOPED} WHERE "
            ));
        push_scope_on(&mut sql, "v", filter);
        sql.push(
            " AND v.status IN ('in_stock', 'reserved') AND v.arrived_on IS NOT NULL \
             GROUP BY v.model ORDER BY v.model",
        );
        type Counts = (String, i64, i64, i64, i64);
        let rows: Vec<Counts> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok(rows
            .into_iter()
            .map(|(model, a, b, c, d)| StockAgeRow {
                model,
                buckets: [n(a), n(b), n(c), n(d)],
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealervault_domain::access::RowBound;

    #[test]
    fn filters_are_bound_and_wildcards_escaped() {
        let filter = RowFilter::decided(RowBound::Store(StoreId::from_stored("s1".into())), None);
        let query = VehicleQuery {
            status: Some("in_stock".into()),
            model: Some("50%_off".into()),
            vin: Some(VinSearch::Suffix("183294".into())),
            ..VehicleQuery::default()
        };
        let sql = conditions(&filter, &query);
        assert_eq!(
            sql.text,
            " WHERE ((v.store_id = $1)) AND v.status = $2 AND LOWER(v.model) LIKE $3 \
             ESCAPE '\\' AND v.vin LIKE $4 ESCAPE '\\'"
        );
        assert!(matches!(&sql.params[2], Param::Text(p) if p == "%50\\%\\_off%"));
        assert!(matches!(&sql.params[3], Param::Text(p) if p == "%183294"));
    }
}
