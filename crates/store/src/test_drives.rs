//! Test drives as kept: the licence number and the feedback sealed under the data key of
//! the drive's lead (erasing the lead's key erases them too); the vehicle's VIN and model
//! read along from the stock.

use crate::customer_filter::push_scope_on;
use crate::error::StoreError;
use crate::rows::from_row;
use crate::sql::{bind_params, Param, Sql};
use crate::tx::{on_tx, Tx};
use dealervault_domain::access::RowFilter;
use dealervault_domain::ids::{LeadId, StoreId, TestDriveId, UserId, VehicleId};
use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct SealedTestDrive {
    pub id: TestDriveId,
    pub store_id: StoreId,
    /// Read from `stores`; ignored on write.
    pub store_code: String,
    pub lead_id: LeadId,
    pub vehicle_id: VehicleId,
    /// Read from `vehicles`; ignored on write.
    pub vin: String,
    /// Read from `vehicles`; ignored on write.
    pub model: String,
    pub owner_id: UserId,
    /// `booked`, `done`, `cancelled` or `no_show`.
    pub state: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub licence_number: Vec<u8>,
    pub waiver_signed: bool,
    pub feedback: Option<Vec<u8>>,
    pub done_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The lead's wrapped data key; read only, `None` once the lead was erased.
    pub data_key: Option<Vec<u8>>,
}

impl SealedTestDrive {
    pub fn sealed(&self, field: &str) -> Option<&[u8]> {
        match field {
            "licence_number" => Some(&self.licence_number),
            "feedback" => self.feedback.as_deref(),
            _ => None,
        }
    }
}

impl fmt::Debug for SealedTestDrive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealedTestDrive")
            .field("id", &self.id)
            .field("lead_id", &self.lead_id)
            .field("vehicle_id", &self.vehicle_id)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// Which test drives a list shows, within the row filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestDriveQuery {
    pub lead: Option<LeadId>,
    pub vehicle: Option<VehicleId>,
    /// Only those starting in `[from, until)` (a local day).
    pub starts_within: Option<(i64, i64)>,
}

const SELECT: &str = "SELECT t.id, t.store_id, \
                      (SELECT s.code FROM stores s WHERE s.id = t.store_id) AS store_code, \
                      t.lead_id, t.vehicle_id, v.vin, v.model, t.owner_id, t.state, \
                      t.starts_at, t.ends_at, t.licence_number, t.waiver_signed, t.feedback, \
                      t.done_at, t.created_at, t.updated_at, \
                      (SELECT k.wrapped FROM lead_keys k WHERE k.lead_id = t.lead_id) AS data_key \
                      FROM test_drives t JOIN vehicles v ON v.id = t.vehicle_id";

struct TestDriveRow(SealedTestDrive);

from_row!(TestDriveRow, |row| TestDriveRow(SealedTestDrive {
    id: TestDriveId::from_stored(row.try_get("id")?),
    store_id: StoreId::from_stored(row.try_get("store_id")?),
    store_code: row.try_get("store_code")?,
    lead_id: LeadId::from_stored(row.try_get("lead_id")?),
    vehicle_id: VehicleId::from_stored(row.try_get("vehicle_id")?),
    vin: row.try_get("vin")?,
    model: row.try_get("model")?,
    owner_id: UserId::from_stored(row.try_get("owner_id")?),
    state: row.try_get("state")?,
    starts_at: row.try_get("starts_at")?,
    ends_at: row.try_get("ends_at")?,
    licence_number: row.try_get("licence_number")?,
    waiver_signed: row.try_get("waiver_signed")?,
    feedback: row.try_get("feedback")?,
    done_at: row.try_get("done_at")?,
    created_at: row.try_get("created_at")?,
    updated_at: row.try_get("updated_at")?,
    data_key: row.try_get("data_key")?,
}));

impl Tx {
    pub async fn insert_test_drive(&mut self, t: &SealedTestDrive) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO test_drives (id, store_id, lead_id, vehicle_id, \
                           owner_id, state, starts_at, ends_at, licence_number, \
                           waiver_signed, feedback, done_at, created_at, updated_at) \
                           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
        on_tx!(self, c => sqlx::query(SQL)
            .bind(t.id.as_str())
            .bind(t.store_id.as_str())
            .bind(t.lead_id.as_str())
            .bind(t.vehicle_id.as_str())
            .bind(t.owner_id.as_str())
            .bind(t.state.as_str())
            .bind(t.starts_at)
            .bind(t.ends_at)
            .bind(t.licence_number.as_slice())
            .bind(t.waiver_signed)
            .bind(t.feedback.as_deref())
            .bind(t.done_at)
            .bind(t.created_at)
            .bind(t.updated_at)
            .execute(&mut **c)
            .await
            .map(drop))?;
        Ok(())
    }

    /// Writes the state, the waiver, the feedback and the times: what completing,
    /// cancelling or missing a drive changes.
    pub async fn update_test_drive(&mut self, t: &SealedTestDrive) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE test_drives SET state = $2, waiver_signed = $3, \
                           feedback = $4, done_at = $5, updated_at = $6 WHERE id = $1";
        let n = on_tx!(self, c => sqlx::query(SQL)
            .bind(t.id.as_str())
            .bind(t.state.as_str())
            .bind(t.waiver_signed)
            .bind(t.feedback.as_deref())
            .bind(t.done_at)
            .bind(t.updated_at)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected()))?;
        StoreError::expect_one(n, "test_drives")
    }

    /// The test drive if it exists and lies within `filter`.
    pub async fn test_drive(
        &mut self,
        filter: &RowFilter,
        id: &TestDriveId,
    ) -> Result<Option<SealedTestDrive>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE t.id = ")
            .bind_text(id.as_str())
            .push(" AND ");
        push_scope_on(&mut sql, "t", filter);
        let row: Option<TestDriveRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_optional(&mut **c).await
        })?;
        Ok(row.map(|r| r.0))
    }

    /// Up to `limit` test drives within `filter` matching `query`, by start time.
    pub async fn test_drives(
        &mut self,
        filter: &RowFilter,
        query: &TestDriveQuery,
        limit: u32,
    ) -> Result<Vec<SealedTestDrive>, StoreError> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE ");
        push_scope_on(&mut sql, "t", filter);
        if let Some(lead) = &query.lead {
            sql.push(" AND t.lead_id = ").bind_text(lead.as_str());
        }
        if let Some(vehicle) = &query.vehicle {
            sql.push(" AND t.vehicle_id = ").bind_text(vehicle.as_str());
        }
        if let Some((from, until)) = query.starts_within {
            sql.push(" AND t.starts_at >= ")
                .bind(Param::Int(from))
                .push(" AND t.starts_at < ")
                .bind(Param::Int(until));
        }
        sql.push(" ORDER BY t.starts_at, t.id LIMIT ")
            .bind(Param::Int(i64::from(limit)));
        let rows: Vec<TestDriveRow> = on_tx!(self, c => {
            bind_params!(sqlx::query_as(&sql.text), &sql.params).fetch_all(&mut **c).await
        })?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Whether the vehicle is held (booked or driven) for any moment of
    /// `[starts_at, ends_at)`. It first locks the vehicle's row until the transaction
    /// ends (an update that changes nothing: SQLite has no `FOR UPDATE`), so that two
    /// bookings of one car on PostgreSQL cannot both pass the check; SQLite's single
    /// writer already serialises them.
    pub async fn vehicle_is_held(
        &mut self,
        vehicle: &VehicleId,
        starts_at: i64,
        ends_at: i64,
    ) -> Result<bool, StoreError> {
        const LOCK: &str = "UPDATE vehicles SET updated_at = updated_at WHERE id = $1";
        on_tx!(self, c => sqlx::query(LOCK)
            .bind(vehicle.as_str())
            .execute(&mut **c)
            .await
            .map(drop))?;
        const SQL: &str = "SELECT COUNT(*) FROM test_drives WHERE vehicle_id = $1 \
                           AND state IN ('booked', 'done') AND starts_at < $3 AND ends_at > $2";
        let n: i64 = on_tx!(self, c => sqlx::query_scalar(SQL)
            .bind(vehicle.as_str())
            .bind(starts_at)
            .bind(ends_at)
            .fetch_one(&mut **c)
            .await)?;
        Ok(n > 0)
    }

    /// Hands the lead's booked drives to its new owner, or cancels them when the lead
    /// goes to the pool (`owner` `None`); their ids.
    pub async fn pass_booked_test_drives(
        &mut self,
        lead: &LeadId,
        owner: Option<&UserId>,
        at: i64,
    ) -> Result<Vec<TestDriveId>, StoreError> {
        const MOVE: &str = "UPDATE test_drives SET owner_id = $3, updated_at = $2 \
                            WHERE lead_id = $1 AND state = 'booked' RETURNING id";
        const CANCEL: &str = "UPDATE test_drives SET state = 'cancelled', updated_at = $2 \
                              WHERE lead_id = $1 AND state = 'booked' RETURNING id";
        let ids: Vec<String> = on_tx!(self, c => {
            match owner {
                Some(owner) => sqlx::query_scalar(MOVE)
                    .bind(lead.as_str())
                    .bind(at)
                    .bind(owner.as_str())
                    .fetch_all(&mut **c)
                    .await,
                None => sqlx::query_scalar(CANCEL)
                    .bind(lead.as_str())
                    .bind(at)
                    .fetch_all(&mut **c)
                    .await,
            }
        })?;
        Ok(ids.into_iter().map(TestDriveId::from_stored).collect())
    }
}
