use crate::values::choice;

choice!(
    /// Where an export request stands. `pending` until every step of its chain approved
    /// (or one rejected, or its time ran out); an approved export becomes `ready` once its
    /// file is generated, and `downloaded` once its downloads are used up.
    ExportStatus {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
        Expired = "expired",
        Ready = "ready",
        Downloaded = "downloaded",
    }
);

choice!(
    /// The file asked for: CSV (UTF-8 with a byte-order mark, so Excel reads Chinese
    /// right) or XLSX.
    ExportFormat {
        Csv = "csv",
        Xlsx = "xlsx",
    }
);

impl ExportStatus {
    /// The moves a request makes; every other is refused.
    pub fn moves(self) -> &'static [ExportStatus] {
        use ExportStatus::*;
        match self {
            Pending => &[Approved, Rejected, Expired],
            Approved => &[Ready, Expired],
            Ready => &[Downloaded, Expired],
            Rejected | Expired | Downloaded => &[],
        }
    }

    pub fn may_become(self, to: ExportStatus) -> bool {
        self.moves().contains(&to)
    }

    /// No decision, generation or download will ever change it.
    pub fn is_final(self) -> bool {
        self.moves().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::ExportStatus::*;

    #[test]
    fn requests_move_forward_only() {
        assert!(Pending.may_become(Approved));
        assert!(Approved.may_become(Ready));
        assert!(Ready.may_become(Downloaded));
        assert!(Ready.may_become(Expired));
        assert!(!Rejected.may_become(Approved));
        assert!(!Downloaded.may_become(Ready));
        assert!(!Pending.may_become(Ready), "no file before approval");
        assert!([Rejected, Expired, Downloaded].iter().all(|s| s.is_final()));
    }
}
