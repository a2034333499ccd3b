//! The demo's vehicle stock: two dozen vehicles per store, of models a Chinese 4S group
//! sells, with VINs whose check digits are right, cost prices 8–12% under the list
//! price, every status, and arrivals spread over the last 150 days so that every bucket
//! of the stock-age report has vehicles. Written straight to the store, like the rest of
//! the demo's set-up: there is no actor to go through the gate for.

use dealervault_app::{AppError, Clock};
use dealervault_domain::ids::{StoreId, VehicleId};
use dealervault_domain::sales::VehicleStatus;
use dealervault_domain::values::check_digit;
use dealervault_store::{Tx, VehicleRow};
use std::time::Duration;

/// Vehicles per store.
pub const VEHICLES_PER_STORE: usize = 24;
/// Arrivals reach back this many days.
const OLDEST_DAYS: u64 = 149;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// A trim and its list price in yuan.
type Trim = (&'static str, i64);

/// (world manufacturer identifier and descriptor: 8 VIN characters, model, trims).
const MODELS: &[(&str, &str, &[Trim])] = &[
    (
        "LSVAU218",
        "大众 帕萨特",
        &[("330TSI 精英版", 219_900), ("380TSI 豪华版", 259_900)],
    ),
    (
        "LSVXZ25N",
        "大众 途观L",
        &[
            ("330TSI 两驱智享版", 229_800),
            ("380TSI 四驱R-Line", 289_800),
        ],
    ),
    (
        "LSVUE6E2",
        "大众 ID.4 X",
        &[("纯净智享版", 199_900), ("长续航 PRO", 239_900)],
    ),
    (
        "LSGUD84L",
        "别克 GL8",
        &[
            ("ES陆尊 653T 舒适型", 329_900),
            ("艾维亚 652T 尊贵型", 469_900),
        ],
    ),
    (
        "LVGBE40K",
        "丰田 凯美瑞",
        &[("2.0E 精英版", 179_800), ("双擎 2.5HG 豪华版", 229_800)],
    ),
    ("LHGCY168", "本田 雅阁", &[("260TURBO 精英版", 179_800)]),
];

const COLOURS: &[&str] = &["极地白", "曜石黑", "星空蓝", "月光银", "宝石红"];

const TERMS: &[Option<&str>] = &[
    Some("厂家季度返利 2%，提车后 30 天内付清"),
    None,
    Some("库存融资 90 天免息，超期按月 0.5% 计息"),
];

/// The status of the `i`th vehicle of a store: a few on the way, most on the lot, some
/// reserved, sold or delivered.
fn status(i: usize) -> VehicleStatus {
    match i % 8 {
        0 => VehicleStatus::InTransit,
        5 => VehicleStatus::Reserved,
        6 => VehicleStatus::Sold,
        7 => VehicleStatus::Delivered,
        _ => VehicleStatus::InStock,
    }
}

/// A VIN of `prefix` (8 characters), model year 2025 (`S`), plant `A` and `serial`, with
/// its check digit.
pub fn demo_vin(prefix: &str, serial: u32) -> String {
    let body = format!("{prefix}0SA{:06}", serial % 1_000_000);
    let mut bytes: [u8; 17] = body.as_bytes().try_into().unwrap_or([b'0'; 17]);
    bytes[8] = check_digit(&bytes).unwrap_or(b'0');
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The `i`th vehicle of the `n`th store.
fn vehicle(clock: &Clock, store_id: &StoreId, n: usize, i: usize) -> VehicleRow {
    let (prefix, model, trims) = MODELS[(i + n * 3) % MODELS.len()];
    let (trim, list_yuan) = trims[i % trims.len()];
    let list_price = list_yuan * 100;
    let status = status(i);
    // Spread evenly over the last 150 days, newest first.
    let days_ago = i as u64 * OLDEST_DAYS / (VEHICLES_PER_STORE as u64 - 1);
    let arrived = clock.local_now() - Duration::from_secs(days_ago * 24 * 60 * 60);
    let created_at = clock.now_ms() - days_ago as i64 * DAY_MS;
    VehicleRow {
        id: VehicleId::generate(),
        store_id: store_id.clone(),
        store_code: String::new(),
        vin: demo_vin(prefix, (n * 1000 + i) as u32),
        status: status.code().to_string(),
        model: model.to_string(),
        trim: trim.to_string(),
        colour: COLOURS[(i + n) % COLOURS.len()].to_string(),
        location: format!("{}区-{:02}", ["A", "B", "C"][i % 3], i + 1),
        list_price,
        cost_price: Some(list_price * (92 - (i as i64 % 5)) / 100),
        supplier_terms: TERMS[i % TERMS.len()].map(str::to_string),
        arrived_on: (status != VehicleStatus::InTransit).then(|| arrived.date().to_string()),
        created_at,
        updated_at: created_at,
    }
}

/// Puts each store's stock in, inside the caller's transaction.
pub(crate) async fn seed_stock(
    tx: &mut Tx,
    clock: &Clock,
    stores: &[StoreId],
) -> Result<(), AppError> {
    for (n, store_id) in stores.iter().enumerate() {
        for i in 0..VEHICLES_PER_STORE {
            tx.insert_vehicle(&vehicle(clock, store_id, n, i)).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealervault_domain::values::Vin;
    use std::collections::BTreeSet;

    #[test]
    fn vins_are_valid_and_unique_and_costs_under_list() {
        let clock = Clock::manual(1_767_592_980_000);
        let mut vins = BTreeSet::new();
        for n in 0..2 {
            let store = StoreId::from_stored(format!("s{n}"));
            for i in 0..VEHICLES_PER_STORE {
                let v = vehicle(&clock, &store, n, i);
                assert!(Vin::parse("vin", &v.vin).is_ok(), "{}", v.vin);
                assert!(vins.insert(v.vin.clone()));
                let cost = v.cost_price.expect("a cost price");
                assert!(cost * 100 >= v.list_price * 88 && cost * 100 <= v.list_price * 92);
                assert_eq!(v.arrived_on.is_none(), v.status == "in_transit");
            }
        }
    }

    #[test]
    fn arrivals_fill_every_bucket_of_the_report() {
        let ages: Vec<u64> = (0..VEHICLES_PER_STORE)
            .filter(|i| matches!(status(*i), VehicleStatus::InStock | VehicleStatus::Reserved))
            .map(|i| i as u64 * OLDEST_DAYS / (VEHICLES_PER_STORE as u64 - 1))
            .collect();
        for (low, high) in [(0, 30), (31, 60), (61, 90), (91, 150)] {
            assert!(
                ages.iter().any(|d| (low..=high).contains(d)),
                "{low}–{high}: {ages:?}"
            );
        }
    }
}
