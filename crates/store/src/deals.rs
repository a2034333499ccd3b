//! Deals as kept: plain columns (a deal holds business terms, not personal data), read
//! through the same row filter as leads, by the deal's owner and store. Payments are
//! their own rows; a deal carries their sum.

use crate::customer_filter::push_scope_on;
use crate::error::StoreError;
use crate::rows::from_row;
use crate::sql::{bind_params, Param, Sql};
use crate::tx::{on_tx, on_tx_atomic, Tx};
use dealervault_domain::access::RowFilter;
use dealervault_domain::ids::{DealId, LeadId, PaymentId, StoreId, UserId, VehicleId};

/// The unique key a second deal with a store's contract number breaks.
pub const CONTRACT_CONSTRAINT: &str = "deals_store_id_contract_number_key";
/// The unique key a second live order on one vehicle breaks.
pub const ALLOCATION_CONSTRAINT: &str = "deals_vehicle_id_key";

/// A deal as kept. Amounts are fen; `delivery_date` a local `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DealRow {
    pub id: DealId,
    pub store_id: StoreId,
    /// Read from `stores`; ignored on write.
    pub store_code: String,
    pub lead_id: LeadId,
    pub owner_id: UserId,
    pub state: String,
    pub model: String,
    pub price: i64,
    pub discount: i64,
    pub accessories: String,
    pub accessories_price: i64,
    pub insurance_plan: String,
    pub insurance_premium: i64,
    pub financing: String,
    pub loan_amount: Option<i64>,
    pub loan_term_months: Option<i64>,
    pub trade_in: String,
    pub trade_in_value: i64,
    pub total: i64,
    pub contract_number: Option<String>,
    pub deposit: Option<i64>,
    pub delivery_date: Option<String>,
    pub vehicle_id: Option<VehicleId>,
    /// Read from `vehicles`; ignored on write.
    pub vin: Option<String>,
    /// The sum of the deal's payments; read only.
    pub paid: i64,
    pub ordered_at: Option<i64>,
    pub delivered_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A payment received on an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRow {
    pub id: PaymentId,
    pub deal_id: DealId,
    pub kind: String,
    pub method: String,
    pub amount: i64,
    pub received_on: String,
    pub recorded_by: UserId,
    pub created_at: i64,
}

from_row!(DealRow, |row| DealRow {
    id: DealId::from_stored(row.try_get("id")?),
    store_id: StoreId::from_stored(row.try_get("store_id")?),
    store_code: row.try_get("store_code")?,
    lead_id: LeadId::from_stored(row.try_get("lead_id")?),
    owner_id: UserId::from_stored(row.try_get("owner_id")?),
    state: row.try_get("state")?,
    model: row.try_get("model")?,
    price: row.try_get("price")?,
    discount: row.try_get("discount")?,
    accessories: row.try_get("accessories")?,
    accessories_price: row.try_get("accessories_price")?,
    insurance_plan: row.try_get("insurance_plan")?,
    insurance_premium: row.try_get("insurance_premium")?,
    financing: row.try_get("financing")?,
    loan_amount: row.try_get("loan_amount")?,
    loan_term_months: row.try_get("loan_term_months")?,
    trade_in: row.try_get("trade_in")?,
    trade_in_value: row.try_get("trade_in_value")?,
    total: row.try_get("total")?,
    contract_number: row.try_get("contract_number")?,
    deposit: row.try_get("deposit")?,
    delivery_date: row.try_get("delivery_date")?,
    vehicle_id: row
        .try_get::<Option<String>, _>("vehicle_id")?
        .map(VehicleId::from_stored),
    vin: row.try_get("vin")?,
    paid: row.try_get("paid")?,
    ordered_at: row.try_get("ordered_at")?,
    delivered_at: row.try_get("delivered_at")?,
    created_at: row.try_get("created_at")?,
    updated_at: row.try_get("updated_at")?,
});

from_row!(PaymentRow, |row| PaymentRow {
    id: PaymentId::from_stored(row.try_get("id")?),
    deal_id: DealId::from_stored(row.try_get("deal_id")?),
    kind: row.try_get("kind")?,
    method: row.try_get("method")?,
    amount: row.try_get("amount")?,
    received_on: row.try_get("received_on")?,
    recorded_by: UserId::from_stored(row.try_get("recorded_by")?),
    created_at: row.try_get("created_at")?,
});

/// Which deals a list shows, within the row filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DealQuery {
    pub lead: Option<LeadId>,
    pub state: Option<String>,
    pub limit: u32,
}

const SELECT: &str = "SELECT d.*, \
                      (SELECT s.code FROM stores s WHERE s.id = d.store_id) AS store_code, \
                      (SELECT v.vin FROM vehicles v WHERE v.id = d.vehicle_id) AS vin, \
                      CAST(COALESCE((SELECT SUM(p.amount) FROM deal_payments p \
                       WHERE p.deal_id = d.id), 0) AS BIGINT) AS paid \
                      FROM deals d";

impl Tx {
    /// Inserts a deal. A contract number the store already used is
    /// `Conflict(CONTRACT_CONSTRAINT)`, and leaves the transaction usable.
    pub async fn insert_deal(&mut self, d: &DealRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO deals (id, store_id, lead_id, owner_id, state, model, \
                           price, discount, accessories, accessories_price, insurance_plan, \
                           insurance_premium, financing, loan_amount, loan_term_months, \
                           trade_in, trade_in_value, total, contract_number, deposit, \
                           delivery_date, vehicle_id, ordered_at, delivered_at, created_at, \
                           updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                           $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, \
                           $25, $26)";
        on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(d.id.as_str())
            .bind(d.store_id.as_str())
            .bind(d.lead_id.as_str())
            .bind(d.owner_id.as_str())
            .bind(d.state.as_str())
            .bind(d.model.as_str())
            .bind(d.price)
            .bind(d.discount)
            .bind(d.accessories.as_str())
            .bind(d.accessories_price)
            .bind(d.insurance_plan.as_str())
            .bind(d.insurance_premium)
            .bind(d.financing.as_str())
            .bind(d.loan_amount)
            .bind(d.loan_term_months)
            .bind(d.trade_in.as_str())
            .bind(d.trade_in_value)
            .bind(d.total)
            .bind(d.contract_number.as_deref())
            .bind(d.deposit)
            .bind(d.delivery_date.as_deref())
            .bind(d.vehicle_id.as_ref().map(VehicleId::as_str))
            .bind(d.ordered_at)
            .bind(d.delivered_at)
            .bind(d.created_at)
            .bind(d.updated_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Writes what an order changes: state, contract, deposit, delivery date, vehicle,
    /// times. A contract number or a vehicle already taken is a `Conflict` naming
    /// [`CONTRACT_CONSTRAINT`] or [`ALLOCATION_CONSTRAINT`], leaving the transaction
    /// usable.
    pub async fn update_deal(&mut self, d: &DealRow) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE deals SET state = $2, contract_number = $3, deposit = $4, \
                           delivery_date = $5, vehicle_id = $6, ordered_at = $7, \
                           delivered_at = $8, updated_at = $9 WHERE id = $1";
        let n = on_tx_atomic!(self, c => sqlx::query(SQL)
            .bind(d.id.as_str())
            .bind(d.state.as_str())
            .bind(d.contract_number.as_deref())
            .bind(d.deposit)
            .bind(d.delivery_date.as_deref())
            .bind(d.vehicle_id.as_ref().map(VehicleId::as_str))
            .bind(d.ordered_at)
            .bind(d.delivered_at)
            .bind(d.updated_at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "deals")
    }

    /// The deal if it exists and lies within `filter`; `None` tells neither apart.
    pub async fn deal(
        &mut self,
        filter: &RowFilter,
        id: &DealId,
    ) -> Result<Option<DealRow>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE d.id = ")
            .bind_text(id.as_str())
            .push(" AND ");
        push_scope_on(&mut sql, "d", filter);
        let row: Option<DealRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_optional(&mut **c).await
        })?;
        Ok(row)
    }

    /// The deal by id, whatever the scope: for reading back a deal the caller has just
    /// written within its own scope.
    pub async fn deal_unscoped(&mut self, id: &DealId) -> Result<Option<DealRow>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE d.id = ").bind_text(id.as_str());
        let row: Option<DealRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_optional(&mut **c).await
        })?;
        Ok(row)
    }

    /// Up to `query.limit` deals within `filter`, the latest changed first.
    pub async fn deals(
        &mut self,
        filter: &RowFilter,
        query: &DealQuery,
    ) -> Result<Vec<DealRow>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE ");
        push_scope_on(&mut sql, "d", filter);
        if let Some(lead) = &query.lead {
            sql.push(" AND d.lead_id = ").bind_text(lead.as_str());
        }
        if let Some(state) = &query.state {
            sql.push(" AND d.state = ").bind_text(state);
        }
        sql.push(" ORDER BY d.updated_at DESC, d.id DESC LIMIT ")
            .bind(Param::Int(i64::from(query.limit)));
        let rows: Vec<DealRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        Ok(rows)
    }

    /// How many of the lead's deals are signed and not yet delivered or called off.
    pub async fn live_orders_of_lead(&mut self, lead: &LeadId) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM deals WHERE lead_id = $1 AND state = 'ordered'";
        let n: i64 = on_tx!(self, c => sqlx::query_scalar(SQL)
            .bind(lead.as_str())
            .fetch_one(&mut **c)
            .await)?;
        Ok(n)
    }

    pub async fn insert_payment(&mut self, p: &PaymentRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO deal_payments (id, deal_id, kind, method, amount, \
                           received_on, recorded_by, created_at) \
                           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        on_tx!(self, c => sqlx::query(SQL)
            .bind(p.id.as_str())
            .bind(p.deal_id.as_str())
            .bind(p.kind.as_str())
            .bind(p.method.as_str())
            .bind(p.amount)
            .bind(p.received_on.as_str())
            .bind(p.recorded_by.as_str())
            .bind(p.created_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    /// The deal's payments, oldest first.
    pub async fn payments(&mut self, deal: &DealId) -> Result<Vec<PaymentRow>, StoreError> {
        const SQL: &str = "SELECT * FROM deal_payments WHERE deal_id = $1 \
                           ORDER BY created_at, id";
        let rows: Vec<PaymentRow> = on_tx!(self, c => sqlx::query_as(SQL)
            .bind(deal.as_str())
            .fetch_all(&mut **c)
            .await)?;
        Ok(rows)
    }
}
