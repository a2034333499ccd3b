//! The message catalog of the stock pages — the vehicle list, detail, forms and the
//! stock-age report (Chinese first, English second).

pub const STOCK_MESSAGES: &[(&str, &str, &str)] = &[
    ("nav.stock", "库存", "Stock"),
    ("perm.entity.vehicle", "车辆库存", "Vehicle stock"),
    ("cap.stock", "车辆库存", "Vehicle stock"),
    ("cap.stock.desc", "按车架号查看在途、在库、已预订和已售车辆，以及库龄报表。", "Vehicles by VIN — in transit, in stock, reserved and sold — and the stock-age report."),
    ("cap.stock.go", "查看库存", "Open the stock"),
    ("stock.title", "库存车辆", "Vehicle stock"),
    ("stock.total", "共 {} 辆", "{} vehicle(s)"),
    ("stock.new", "新车入库", "Add vehicle"),
    ("stock.report", "库龄报表", "Stock age"),
    ("stock.filter.label", "按状态筛选", "Filter by status"),
    ("stock.filter.all", "全部", "All"),
    ("vehicle.status.in_transit", "在途", "In transit"),
    ("vehicle.status.in_stock", "在库", "In stock"),
    ("vehicle.status.reserved", "已预订", "Reserved"),
    ("vehicle.status.sold", "已售", "Sold"),
    ("vehicle.status.delivered", "已交车", "Delivered"),
    ("stock.search.legend", "查找车辆", "Find vehicles"),
    ("stock.search.model", "车型", "Model"),
    ("stock.search.model.placeholder", "如：帕萨特", "e.g. Passat"),
    ("stock.search.vin", "车架号", "VIN"),
    ("stock.search.vin.placeholder", "完整 17 位或后 4–16 位", "All 17 characters or the last 4–16"),
    ("stock.sort.arrived_asc", "库龄最长在前", "Longest in stock first"),
    ("stock.sort.arrived_desc", "最近入库在前", "Newest arrivals first"),
    ("stock.sort.updated_desc", "最近更新在前", "Recently updated first"),
    ("stock.col.days", "库龄", "Days in stock"),
    ("stock.days", "{} 天", "{} d"),
    ("stock.aged", "超 90 天", "Over 90 days"),
    ("stock.empty", "没有符合条件的车辆。", "No vehicles match."),
    ("stock.empty.hint", "换一个状态、车型或车架号试试。", "Try another status, model or VIN."),
    ("stock.detail.title", "车辆详情", "Vehicle details"),
    ("stock.section.vehicle", "车辆信息", "Vehicle"),
    ("stock.section.record", "库存记录", "Stock record"),
    ("stock.moves.title", "变更状态", "Change status"),
    ("stock.moves.none", "当前状态下没有可执行的变更。", "No change is possible from this status."),
    ("stock.move.in_stock", "入库", "Mark in stock"),
    ("stock.move.reserved", "预订", "Reserve"),
    ("stock.move.sold", "售出", "Mark sold"),
    ("stock.move.delivered", "交车", "Mark delivered"),
    ("stock.moved", "状态已更新。", "Status updated."),
    ("stock.saved", "车辆信息已保存。", "Vehicle saved."),
    ("stock.created", "车辆已入库。", "Vehicle added."),
    ("stock.form.new.title", "新车入库", "Add a vehicle"),
    ("stock.form.new.lead", "录入车架号、车型和指导价。选择“在库”时，入库日期记为今天。", "Enter the VIN, model and list price. A vehicle added in stock is dated today."),
    ("stock.form.edit.title", "编辑车辆", "Edit vehicle"),
    ("stock.form.edit.lead", "只能修改您的角色可编辑的字段；车架号不能修改。", "You can change the fields your role may edit; the VIN never changes."),
    ("stock.form.arrival", "到店状态", "Arrival"),
    ("stock.form.price_hint", "单位：元，如 328000 或 328,000.00", "In yuan, e.g. 328000 or 328,000.00"),
    ("stock.exists", "该车架号已在集团库存中。", "This VIN is already in the group's stock."),
    ("stock.changed", "该车辆刚被他人修改，请核对后重试。", "Someone changed this vehicle meanwhile; check and try again."),
    ("stock.report.title", "库龄报表", "Stock age"),
    ("stock.report.lead", "在库和已预订车辆按入库天数统计，截至 {}。只统计数量，不列出车辆。", "Vehicles in stock or reserved, by days since arrival, as of {}. Counts only; no vehicle is listed."),
    ("stock.report.chart", "库龄分布", "Age distribution"),
    ("stock.report.model", "车型", "Model"),
    ("stock.report.total", "合计", "Total"),
    ("stock.report.empty", "目前没有在库车辆。", "No vehicles are in stock."),
    ("stock.report.back", "返回库存", "Back to stock"),
    ("stock.bucket.0-30", "0–30 天", "0–30 days"),
    ("stock.bucket.31-60", "31–60 天", "31–60 days"),
    ("stock.bucket.61-90", "61–90 天", "61–90 days"),
    ("stock.bucket.90+", "90 天以上", "Over 90 days"),
    ("audit.entity.vehicle", "车辆", "Vehicle"),
    ("audit.action.vehicle.list", "浏览库存列表", "Stock list viewed"),
    ("audit.action.vehicle.view", "查看车辆详情", "Vehicle details viewed"),
    ("audit.action.vehicle.create", "新车入库", "Vehicle added"),
    ("audit.action.vehicle.edit", "修改车辆", "Vehicle changed"),
    ("audit.action.vehicle.report", "查看库龄报表", "Stock-age report viewed"),
];

#[cfg(test)]
mod tests {
    use super::super::i18n::Lang;
    use dealervault_app::vehicles::AGE_BUCKETS;
    use dealervault_domain::sales::VehicleStatus;

    /// Keys built at run time, which the scan of `.t("…")` calls cannot see.
    #[test]
    fn every_status_move_and_bucket_has_words() {
        for status in VehicleStatus::ALL {
            for key in [
                format!("vehicle.status.{}", status.code()),
                format!("stock.move.{}", status.code()),
            ] {
                // Nothing moves back into transit: it needs no button.
                if key != "stock.move.in_transit" {
                    assert_ne!(Lang::En.t(&key), "?", "{key}");
                }
            }
        }
        for bucket in AGE_BUCKETS {
            assert_ne!(Lang::Zh.t(&format!("stock.bucket.{bucket}")), "?");
        }
    }
}
