//! The message catalog of the reports area — the funnel conversion report and the tabs
//! between reports (Chinese first, English second). The stock-age report's own strings
//! stay with the stock pages (`i18n_stock.rs`).

pub const REPORT_MESSAGES: &[(&str, &str, &str)] = &[
    ("nav.reports", "报表", "Reports"),
    ("reports.funnel", "转化漏斗", "Funnel"),
    ("funnel.title", "线索转化漏斗", "Lead funnel"),
    ("funnel.lead", "所选时间段内新建的线索，按到达过的最远阶段统计：战败的线索仍计入其战败前到达的阶段。只统计数量，不列出客户。", "Leads created in the period, counted at the furthest stage they reached: a lost lead still counts at the stages it reached before it was lost. Counts only; no customer is listed."),
    ("funnel.period", "统计时间段", "Period"),
    ("funnel.from", "开始日期", "From"),
    ("funnel.to", "结束日期", "To"),
    ("funnel.show", "查看", "Show"),
    ("funnel.period.hint", "按线索创建日期（北京时间）统计，含首尾两天；开始日期不能晚于结束日期，最长 366 天。默认最近 30 天。", "By the day each lead was created (China time), both days included; the start may not be after the end, and a period is at most 366 days. Default: the last 30 days."),
    ("funnel.empty", "这段时间没有新建线索。", "No leads were created in this period."),
    ("funnel.empty.hint", "换一个时间段试试。", "Try another period."),
    ("funnel.leads", "线索数", "Leads"),
    ("funnel.to_order", "下单率", "Order rate"),
    ("funnel.to_delivery", "交车率", "Delivery rate"),
    ("funnel.chart", "各阶段线索数", "Leads by stage"),
    ("funnel.chart.hint", "条后为数量及占全部线索的比例。", "After each bar: the number of leads and their share of all leads."),
    ("funnel.by_source", "按来源", "By source"),
    ("funnel.by_owner", "按销售顾问", "By salesperson"),
    ("funnel.col.source", "来源", "Source"),
    ("funnel.col.owner", "销售顾问", "Salesperson"),
    ("funnel.pool", "公海", "Pool"),
    ("funnel.total", "合计", "Total"),
    ("audit.action.lead.report", "查看转化漏斗报表", "Funnel report viewed"),
];

#[cfg(test)]
mod tests {
    use super::super::i18n::Lang;
    use dealervault_domain::sales::LeadStatus;

    /// Keys built at run time, which the scan of `.t("…")` calls cannot see.
    #[test]
    fn run_time_keys_exist() {
        for stage in LeadStatus::STAGES {
            let key = format!("lead_status.{}", stage.code());
            assert_ne!(Lang::En.t(&key), key, "{key}");
        }
        for key in ["reports.funnel", "stock.report", "audit.action.lead.report"] {
            assert_ne!(Lang::Zh.t(key), key, "{key}");
        }
    }
}
