//! The message catalog of the sales floor's pages: leads, the public pool, follow-ups
//! and a store's lead rules (Chinese first, English second).

pub const SALES_MESSAGES: &[(&str, &str, &str)] = &[
    ("nav.leads", "线索", "Leads"),
    ("nav.pool", "公海", "Pool"),
    ("nav.follow_ups", "跟进", "Follow-ups"),
    ("leads.title", "线索", "Leads"),
    ("leads.total", "共 {} 条线索", "{} lead(s)"),
    ("leads.new", "新建线索", "New lead"),
    ("leads.new.lead", "记录来电、到店或平台来的意向客户。手机号只存密文，重复的线索会被拒绝。", "Record a prospect from a call, a visit or a car platform. The mobile is stored encrypted; a duplicate lead is refused."),
    ("leads.new.submit", "创建线索", "Create lead"),
    ("leads.in_pool", "公海", "Pool"),
    ("leads.empty", "没有符合条件的线索", "No leads match"),
    ("leads.filter.label", "按状态筛选", "Filter by status"),
    ("leads.filter.all", "全部", "All"),
    ("leads.filter.open", "跟进中", "Open"),
    ("leads.filter.new", "新线索", "New"),
    ("leads.filter.contacted", "已联系", "Contacted"),
    ("leads.filter.quoted", "已报价", "Quoted"),
    ("leads.filter.lost", "战败", "Lost"),
    ("leads.filter.overdue", "跟进逾期", "Overdue"),
    ("leads.col.name", "姓名", "Name"),
    ("leads.col.mobile", "手机号", "Mobile"),
    ("leads.col.status", "状态", "Status"),
    ("leads.col.model", "意向车型", "Model"),
    ("leads.col.source", "来源", "Source"),
    ("leads.col.owner", "负责人", "Owner"),
    ("leads.col.next", "下次跟进", "Next follow-up"),
    ("leads.col.actions", "操作", "Actions"),
    ("leads.claim", "领取", "Claim"),
    ("leads.claim_limit", "今日领取已达上限（每日 {} 条）。", "You have claimed today's limit ({} a day)."),
    ("leads.notice.claimed", "已领取，线索已转到您名下。", "Claimed: the lead is yours now."),
    ("leads.notice.released", "已放回公海。", "Put back in the pool."),
    ("pool.title", "公海", "Public pool"),
    ("pool.lead", "无人跟进的线索，领取后才能看到完整联系方式", "Leads nobody is working; contact details show once claimed"),
    ("pool.detail", "公海线索：领取后才能查看联系方式和跟进", "A pool lead: claim it to see contact details and follow it up"),
    ("leads.search.name", "按姓名查找", "Find by name"),
    ("leads.search.placeholder", "姓名的一部分", "Part of the name"),
    ("lead_status.new", "新线索", "New"),
    ("lead_status.contacted", "已联系", "Contacted"),
    ("lead_status.visited", "已到店", "Visited"),
    ("lead_status.test_drive", "已试驾", "Test drive"),
    ("lead_status.quoted", "已报价", "Quoted"),
    ("lead_status.ordered", "已下单", "Ordered"),
    ("lead_status.delivered", "已交车", "Delivered"),
    ("lead_status.lost", "战败", "Lost"),
    ("lost_reason.bought_elsewhere", "已在他处购车", "Bought elsewhere"),
    ("lost_reason.price", "价格原因", "Price"),
    ("lost_reason.not_interested", "不再有意向", "No longer interested"),
    ("lost_reason.unreachable", "无法联系", "Unreachable"),
    ("lost_reason.financing", "贷款未通过", "Financing"),
    ("lost_reason.other", "其他", "Other"),
    ("follow_up_kind.call", "电话", "Call"),
    ("follow_up_kind.visit", "到店", "Visit"),
    ("follow_up_kind.wechat", "微信", "WeChat"),
    ("follow_up_kind.message", "短信", "Text message"),
    ("follow_up_state.open", "待跟进", "Open"),
    ("follow_up_state.done", "已完成", "Done"),
    ("follow_up_state.cancelled", "已取消", "Cancelled"),
    ("follow_up_purpose.sales", "销售跟进", "Sales"),
    ("follow_up_purpose.after_delivery_1d", "交车次日回访", "Day after delivery"),
    ("follow_up_purpose.after_delivery_7d", "交车7天回访", "Week after delivery"),
    ("follow_up_purpose.after_delivery_30d", "交车30天回访", "Month after delivery"),
    ("ledger.created", "创建", "Created"),
    ("ledger.assigned", "分配", "Assigned"),
    ("ledger.claimed", "从公海领取", "Claimed from the pool"),
    ("ledger.returned", "超时未跟进，自动回收公海", "Returned to the pool (not followed up)"),
    ("ledger.handed_over", "交接", "Handed over"),
    ("ledger.released", "放回公海", "Released to the pool"),
    ("ledger.system", "系统", "System"),
    ("lead.title", "线索详情", "Lead"),
    ("lead.edit", "编辑线索", "Edit lead"),
    ("lead.convert", "转为客户", "Make customer"),
    ("lead.customer", "查看客户", "Open customer"),
    ("lead.release", "放回公海", "Release to pool"),
    ("lead.section.person", "联系人与意向", "Person and interest"),
    ("lead.section.stage", "推进阶段", "Move along"),
    ("lead.section.follow_ups", "跟进记录", "Follow-ups"),
    ("lead.section.ledger", "归属记录", "Ownership"),
    ("lead.move_to", "推进到", "Move to"),
    ("lead.lost_reason_if_lost", "战败原因（选战败时必填）", "Reason (when lost)"),
    ("lead.move", "更新状态", "Update status"),
    ("lead.assign", "分配线索", "Assign"),
    ("lead.assign_to", "分配给", "Assign to"),
    ("lead.assign.me", "我自己", "Me"),
    ("lead.assign.pool", "放入公海", "The pool"),
    ("lead.assign.rule", "按门店分配规则", "The store's rule"),
    ("lead.assign.refused", "不能分配给此人", "Cannot assign to this person"),
    ("lead.done.created", "线索已创建。", "Lead created."),
    ("lead.done.saved", "已保存。", "Saved."),
    ("lead.done.moved", "状态已更新。", "Status updated."),
    ("lead.done.claimed", "已领取，线索已转到您名下。", "Claimed: the lead is yours now."),
    ("lead.done.assigned", "已分配。", "Assigned."),
    ("lead.done.converted", "已转为新客户。", "A new customer was created from the lead."),
    ("lead.done.linked", "该手机号已是您的客户，已关联。", "This mobile is already your customer: linked."),
    ("lead.done.followed_up", "跟进已记录。", "Follow-up recorded."),
    ("lead.conflict.lead_exists", "本店已有该手机号的跟进中线索。", "An open lead with this mobile already exists in the store."),
    ("lead.conflict.customer_exists_elsewhere", "该手机号已是本店其他顾问的客户，请联系销售经理。", "This mobile belongs to another consultant's customer; ask your sales manager."),
    ("lead.conflict.customer_exists", "该客户已存在。", "The customer already exists."),
    ("follow_up.kind", "方式", "Channel"),
    ("follow_up.due_at", "计划时间", "Due"),
    ("follow_up.notes", "跟进记录", "Notes"),
    ("follow_up.next_step", "下一步", "Next step"),
    ("follow_up.next_due_at", "下次跟进时间（可选）", "Next follow-up (optional)"),
    ("follow_up.done_now", "刚刚已完成", "Just done"),
    ("follow_ups.title", "跟进任务", "Follow-ups"),
    ("follow_ups.lead", "今天要打的电话、要回的微信，逾期的排在最前", "Today's calls and messages, overdue first"),
    ("follow_ups.empty", "暂无跟进", "Nothing to follow up"),
    ("follow_ups.overdue", "已逾期", "Overdue"),
    ("follow_ups.complete", "完成", "Done"),
    ("follow_ups.completed", "跟进已完成。", "Follow-up done."),
    ("follow_ups.new", "新增跟进", "New follow-up"),
    ("follow_ups.add", "保存跟进", "Save follow-up"),
    ("follow_ups.lead_hidden", "（线索）", "(lead)"),
    ("follow_ups.col.lead", "线索", "Lead"),
    ("follow_ups.col.purpose", "类型", "Purpose"),
    ("follow_ups.tab.today", "今日", "Today"),
    ("follow_ups.tab.overdue", "逾期", "Overdue"),
    ("follow_ups.tab.open", "全部待办", "All open"),
    ("follow_ups.tab.done", "已完成", "Done"),
    ("rules.title", "线索规则", "Lead rules"),
    ("rules.lead", "本店新线索如何分配、公海每人每天可领取多少条、多少天未跟进自动回收公海。", "How this store hands out new leads, how many pool leads a person may claim a day, and after how many days without work a lead returns to the pool."),
    ("rules.assignment", "新线索分配方式", "New leads go"),
    ("rules.assignment.manual", "进入公海，由经理分配或顾问领取", "To the pool, for a manager or a claim"),
    ("rules.assignment.round_robin", "顾问轮流分配", "Round-robin among consultants"),
    ("rules.assignment.by_model", "按车型分配", "By model line"),
    ("rules.claims_per_day", "每人每天可领取（条）", "Claims per person per day"),
    ("rules.return_after_days", "未跟进自动回收（天）", "Back to the pool after (days)"),
    ("rules.model_lines", "按车型分配", "Model lines"),
    ("rules.model_lines.hint", "意向车型包含所填文字的新线索分给该顾问；留空不参与。", "New leads whose model of interest contains the text go to that consultant; leave blank to skip."),
    ("rules.model.placeholder", "例如：途观", "e.g. Tiguan"),
    ("rules.saved", "线索规则已保存。", "Lead rules saved."),
    ("form.field", "字段", "Field"),
];

#[cfg(test)]
mod tests {
    use super::SALES_MESSAGES;
    use dealervault_domain::sales::{FollowUpKind, FollowUpPurpose, LeadStatus, LostReason};

    fn has(key: &str) -> bool {
        SALES_MESSAGES.iter().any(|(k, _, _)| *k == key)
    }

    #[test]
    fn every_code_of_the_domain_has_words() {
        let codes = LeadStatus::ALL
            .iter()
            .map(|s| format!("lead_status.{}", s.code()))
            .chain(
                LostReason::ALL
                    .iter()
                    .map(|r| format!("lost_reason.{}", r.code())),
            )
            .chain(
                FollowUpKind::ALL
                    .iter()
                    .map(|k| format!("follow_up_kind.{}", k.code())),
            )
            .chain(
                FollowUpPurpose::ALL
                    .iter()
                    .map(|p| format!("follow_up_purpose.{}", p.code())),
            )
            .chain(
                [
                    "created",
                    "assigned",
                    "claimed",
                    "returned",
                    "handed_over",
                    "released",
                ]
                .map(|r| format!("ledger.{r}")),
            )
            .chain(
                [
                    "moved",
                    "claimed",
                    "assigned",
                    "linked",
                    "converted",
                    "followed_up",
                    "created",
                    "saved",
                ]
                .map(|d| format!("lead.done.{d}")),
            )
            .chain(
                [
                    "lead_exists",
                    "customer_exists_elsewhere",
                    "customer_exists",
                ]
                .map(|c| format!("lead.conflict.{c}")),
            );
        for key in codes {
            assert!(has(&key), "{key} has no words");
        }
    }
}
