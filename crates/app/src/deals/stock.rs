//! The vehicle side of a deal: allocating a car of the store's stock to an order
//! (reserved), giving it back when the order is called off or another car is chosen,
//! and handing it over. The moves follow `VehicleStatus::moves`; each write only lands
//! if the vehicle is unchanged since it was read, in the deal's own transaction.

use crate::error::AppError;
use dealervault_domain::access::{RowBound, RowFilter};
use dealervault_domain::error::Rule;
use dealervault_domain::ids::{StoreId, VehicleId};
use dealervault_domain::sales::VehicleStatus;
use dealervault_store::{Tx, VehicleRow};

/// The deal's store: the only stock its orders draw from. Built here, not from a
/// grant, because the actor's right is on the deal; the vehicle follows the deal.
fn store_stock(store: &StoreId) -> RowFilter {
    RowFilter::decided(RowBound::Store(store.clone()), None)
}

/// Moves `vehicle` through `steps` in order (a delivery passes through `sold`), or
/// refuses with `field` named.
async fn move_vehicle(
    tx: &mut Tx,
    mut vehicle: VehicleRow,
    steps: &[VehicleStatus],
    field: &'static str,
    now: i64,
) -> Result<(), AppError> {
    let read_at = vehicle.updated_at;
    let mut status =
        VehicleStatus::parse("status", &vehicle.status).map_err(|_| AppError::Integrity)?;
    for step in steps {
        status = status
            .move_to(*step)
            .map_err(|_| AppError::invalid(field, Rule::NotAllowedNow))?;
    }
    vehicle.status = status.code().to_string();
    vehicle.updated_at = now.max(read_at + 1);
    if tx.update_vehicle(&vehicle, read_at).await? {
        Ok(())
    } else {
        Err(AppError::Conflict("vehicle_changed"))
    }
}

/// Reserves a vehicle of `store` that is free (in transit or in stock) for an order.
pub(super) async fn reserve(
    tx: &mut Tx,
    store: &StoreId,
    id: &str,
    now: i64,
) -> Result<VehicleId, AppError> {
    let field = "vehicle_id";
    let Some(id) = VehicleId::parse(id) else {
        return Err(AppError::invalid(field, Rule::UnknownValue));
    };
    let vehicle = tx
        .vehicle(&store_stock(store), &id)
        .await?
        .ok_or_else(|| AppError::invalid(field, Rule::UnknownValue))?;
    move_vehicle(tx, vehicle, &[VehicleStatus::Reserved], field, now).await?;
    Ok(id)
}

/// Gives a reserved vehicle back to stock.
pub(super) async fn release(
    tx: &mut Tx,
    store: &StoreId,
    id: &VehicleId,
    now: i64,
) -> Result<(), AppError> {
    move_allocated(tx, store, id, &[VehicleStatus::InStock], now).await
}

/// Hands the reserved vehicle over: sold, then delivered.
pub(super) async fn hand_over(
    tx: &mut Tx,
    store: &StoreId,
    id: &VehicleId,
    now: i64,
) -> Result<(), AppError> {
    let steps = [VehicleStatus::Sold, VehicleStatus::Delivered];
    move_allocated(tx, store, id, &steps, now).await
}

/// Moves the vehicle an order holds; it must still be there.
async fn move_allocated(
    tx: &mut Tx,
    store: &StoreId,
    id: &VehicleId,
    steps: &[VehicleStatus],
    now: i64,
) -> Result<(), AppError> {
    let vehicle = tx
        .vehicle(&store_stock(store), id)
        .await?
        .ok_or(AppError::Integrity)?;
    move_vehicle(tx, vehicle, steps, "vehicle_id", now).await
}
