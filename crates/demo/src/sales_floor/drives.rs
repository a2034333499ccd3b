//! The demo's test drives: a car of the lead's store in stock, booked for the moment the
//! story plays it, then driven (waiver signed, feedback) or missed; and one booking
//! ahead, for the day after the demo's last.

use crate::fake;
use dealervault_app::test_drives::{TestDriveBooking, TestDriveCancel, TestDriveOutcome};
use dealervault_app::vehicles::VehicleListQuery;
use dealervault_app::{Actor, App, AppError};
use dealervault_domain::sales::VehicleStatus;

/// How a drive in a lead's story ends.
#[derive(Debug, Clone, Copy)]
pub(super) enum Drive {
    Done,
    NoShow,
    /// Booked ahead, not driven yet.
    Ahead,
}

const FEEDBACK: [&str; 3] = [
    "动力顺畅，隔音好，想再比较一下顶配",
    "家人觉得后排宽敞，关注金融方案",
    "底盘扎实，对油耗满意，等周末带爱人再看",
];

/// Books a car of the lead's store in stock at `starts_at` (`YYYY-MM-DDTHH:MM`), the
/// first one free then, and ends the drive as `how` says. The licence is the lead's
/// person's ID number. A lead that cannot be booked (closed, taken back to the pool, no
/// car free) keeps its story without a drive.
pub(super) async fn drive(
    app: &App,
    actor: &Actor,
    lead: &str,
    person: u64,
    starts_at: String,
    how: Drive,
    n: usize,
) -> Result<(), AppError> {
    let Ok(detail) = app.lead_detail(actor, lead).await else {
        return Ok(());
    };
    let query = VehicleListQuery {
        status: Some(VehicleStatus::InStock.code().to_string()),
        per_page: Some(100),
        ..VehicleListQuery::default()
    };
    let cars = app.list_vehicles(actor, query).await?.items;
    let licence = fake::customer(super::PEOPLE_SEED, person).id_number;
    let mut booked = None;
    for car in cars
        .iter()
        .filter(|c| c.store_code == detail.lead.store_code)
    {
        let booking = TestDriveBooking {
            vehicle_id: car.id.clone(),
            starts_at: starts_at.clone(),
            duration_minutes: Some(if n % 2 == 0 { 30 } else { 60 }),
            licence_number: licence.clone(),
        };
        match app.book_test_drive(actor, lead, &booking).await {
            Ok(view) => {
                booked = Some(view.id);
                break;
            }
            Err(AppError::Conflict(_)) => continue,
            Err(AppError::NotFound | AppError::Invalid(_)) => return Ok(()),
            Err(e) => return Err(e),
        }
    }
    let Some(id) = booked else {
        return Ok(());
    };
    match how {
        Drive::Done => {
            let outcome = TestDriveOutcome {
                feedback: Some(FEEDBACK[n % FEEDBACK.len()].to_string()),
                waiver_signed: true,
            };
            app.complete_test_drive(actor, &id, &outcome).await?;
        }
        Drive::NoShow => {
            let cancel = TestDriveCancel { no_show: true };
            app.cancel_test_drive(actor, &id, &cancel).await?;
        }
        Drive::Ahead => {}
    }
    Ok(())
}

/// The moment of `ms` as a form types it, in the store's time.
pub(super) fn minute_of(ms: i64) -> String {
    let at = dealervault_app::to_local(ms);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute()
    )
}
