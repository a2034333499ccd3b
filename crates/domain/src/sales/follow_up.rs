use crate::values::choice;

choice!(
    /// How a follow-up reaches the person.
    FollowUpKind {
        Call = "call",
        Visit = "visit",
        Wechat = "wechat",
        Message = "message",
    }
);

choice!(
    /// Why the follow-up exists: selling, or the customer-care calls after a delivery
    /// (客服回访), created by the delivery itself.
    FollowUpPurpose {
        Sales = "sales",
        AfterDelivery1Day = "after_delivery_1d",
        AfterDelivery7Days = "after_delivery_7d",
        AfterDelivery30Days = "after_delivery_30d",
    }
);

impl FollowUpPurpose {
    /// The customer-care calls a delivery schedules, with their delay in hours.
    pub const AFTER_DELIVERY: [(FollowUpPurpose, i64); 3] = [
        (FollowUpPurpose::AfterDelivery1Day, 24),
        (FollowUpPurpose::AfterDelivery7Days, 7 * 24),
        (FollowUpPurpose::AfterDelivery30Days, 30 * 24),
    ];
}
