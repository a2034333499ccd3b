use crate::error::{FieldError, Rule};
use crate::values::choice;

choice!(
    /// Where a vehicle of the stock stands.
    VehicleStatus {
        InTransit = "in_transit",
        InStock = "in_stock",
        Reserved = "reserved",
        Sold = "sold",
        Delivered = "delivered",
    }
);

impl VehicleStatus {
    /// The moves stock allows: arrival, reservation for an order (also of a car still
    /// on its way, as Chinese dealers sell from the pipeline), release of a reservation,
    /// sale and delivery.
    pub fn moves(self) -> &'static [VehicleStatus] {
        use VehicleStatus::*;
        match self {
            InTransit => &[InStock, Reserved],
            InStock => &[Reserved],
            Reserved => &[InStock, Sold],
            Sold => &[Delivered],
            Delivered => &[],
        }
    }

    pub fn move_to(self, to: VehicleStatus) -> Result<VehicleStatus, FieldError> {
        if self.moves().contains(&to) {
            Ok(to)
        } else {
            Err(FieldError::new("status", Rule::NotAllowedNow))
        }
    }

    /// Free to be allocated to a new order.
    pub fn is_available(self) -> bool {
        matches!(self, VehicleStatus::InTransit | VehicleStatus::InStock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use VehicleStatus::*;

    #[test]
    fn stock_moves_follow_the_table() {
        assert_eq!(InTransit.move_to(InStock), Ok(InStock));
        assert_eq!(Reserved.move_to(InStock), Ok(InStock));
        assert_eq!(Sold.move_to(Delivered), Ok(Delivered));
        for (from, to) in [
            (InStock, Sold),
            (Delivered, InStock),
            (Sold, InStock),
            (InStock, InStock),
        ] {
            assert_eq!(
                from.move_to(to).map_err(|e| e.rule),
                Err(Rule::NotAllowedNow),
                "{from:?} -> {to:?}"
            );
        }
        assert!(InTransit.is_available() && !Reserved.is_available());
    }
}
