use crate::error::{FieldError, Rule};
use crate::values::{choice, Fen};

choice!(
    /// Where a deal stands: a quote (报价) the customer is weighing, an order (订单)
    /// signed with a contract, a car handed over, or a deal called off.
    DealState {
        Quoted = "quoted",
        Ordered = "ordered",
        Delivered = "delivered",
        Cancelled = "cancelled",
    }
);

choice!(
    /// The insurance sold with the car: none, the compulsory traffic insurance (交强险)
    /// only, or that with commercial cover (商业险).
    InsurancePlan {
        None = "none",
        Compulsory = "compulsory",
        Comprehensive = "comprehensive",
    }
);

choice!(
    /// How the car is paid for: in full, or with a car loan (车贷).
    Financing {
        Cash = "cash",
        Loan = "loan",
    }
);

choice!(
    /// What a payment on an order is: the deposit (定金), a further payment by the
    /// customer, or the loan paid out by the lender.
    PaymentKind {
        Deposit = "deposit",
        Payment = "payment",
        Loan = "loan",
    }
);

choice!(
    /// How a payment came in.
    PaymentMethod {
        Cash = "cash",
        Card = "card",
        Transfer = "transfer",
        WechatPay = "wechat_pay",
        Alipay = "alipay",
        Lender = "lender",
    }
);

impl DealState {
    /// A quote becomes an order; an order is delivered; a quote or an undelivered
    /// order may be called off.
    pub fn moves(self) -> &'static [DealState] {
        use DealState::*;
        match self {
            Quoted => &[Ordered, Cancelled],
            Ordered => &[Delivered, Cancelled],
            Delivered | Cancelled => &[],
        }
    }

    /// The move, or a refusal naming the `state` field.
    pub fn move_to(self, to: DealState) -> Result<DealState, FieldError> {
        if self.moves().contains(&to) {
            Ok(to)
        } else {
            Err(FieldError::new("state", Rule::NotAllowedNow))
        }
    }
}

/// Loan terms a lender offers, in months.
pub const LOAN_TERMS: [u16; 5] = [12, 24, 36, 48, 60];

/// The money of a quote. The total the customer pays is the vehicle's price less the
/// discount, plus accessories and the insurance premium, less what their old car is
/// taken in for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DealAmounts {
    pub price: Fen,
    pub discount: Fen,
    pub accessories_price: Fen,
    pub insurance_premium: Fen,
    pub trade_in_value: Fen,
}

impl DealAmounts {
    /// The total, or a refusal naming the amount that makes it impossible: a discount
    /// above the price, or a trade-in worth more than the rest of the deal.
    pub fn total(&self) -> Result<Fen, FieldError> {
        let refuse = |field| FieldError::new(field, Rule::InvalidAmount);
        let net = self.price.minus(self.discount).ok_or(refuse("discount"))?;
        let gross = net
            .plus(self.accessories_price)
            .and_then(|g| g.plus(self.insurance_premium))
            .ok_or(refuse("price"))?;
        gross
            .minus(self.trade_in_value)
            .ok_or(refuse("trade_in_value"))
    }
}

/// A sales contract number (合同编号) as printed on the contract: 4 to 32 letters,
/// digits and dashes, kept in upper case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractNumber(String);

impl ContractNumber {
    pub fn parse(field: &'static str, input: &str) -> Result<Self, FieldError> {
        let text = input.trim().to_ascii_uppercase();
        let len = text.chars().count();
        if len == 0 {
            return Err(FieldError::new(field, Rule::Required));
        }
        if !text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(FieldError::new(field, Rule::InvalidCharacters));
        }
        if len < 4 {
            return Err(FieldError::new(field, Rule::TooShort { min: 4 }));
        }
        if len > 32 {
            return Err(FieldError::new(field, Rule::TooLong { max: 32 }));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(y: i64) -> Fen {
        Fen::from_fen(y * 100).expect("in range")
    }

    #[test]
    fn the_total_adds_and_takes_off_in_fen() {
        let amounts = DealAmounts {
            price: yuan(189_900),
            discount: yuan(12_000),
            accessories_price: yuan(3_500),
            insurance_premium: yuan(6_820),
            trade_in_value: yuan(40_000),
        };
        assert_eq!(amounts.total(), Ok(yuan(148_220)));
    }

    #[test]
    fn impossible_totals_name_the_amount_at_fault() {
        let over_discount = DealAmounts {
            price: yuan(100),
            discount: yuan(101),
            ..DealAmounts::default()
        };
        assert_eq!(
            over_discount.total(),
            Err(FieldError::new("discount", Rule::InvalidAmount))
        );
        let over_trade_in = DealAmounts {
            price: yuan(100),
            trade_in_value: yuan(150),
            ..DealAmounts::default()
        };
        assert_eq!(
            over_trade_in.total(),
            Err(FieldError::new("trade_in_value", Rule::InvalidAmount))
        );
        let beyond = DealAmounts {
            price: Fen::MAX,
            accessories_price: yuan(1),
            ..DealAmounts::default()
        };
        assert_eq!(
            beyond.total(),
            Err(FieldError::new("price", Rule::InvalidAmount))
        );
    }

    #[test]
    fn deals_move_from_quote_to_order_to_delivery() {
        use DealState::*;
        assert_eq!(Quoted.move_to(Ordered), Ok(Ordered));
        assert_eq!(Ordered.move_to(Delivered), Ok(Delivered));
        for (from, to) in [
            (Quoted, Delivered),
            (Delivered, Cancelled),
            (Cancelled, Ordered),
        ] {
            assert_eq!(
                from.move_to(to),
                Err(FieldError::new("state", Rule::NotAllowedNow))
            );
        }
    }

    #[test]
    fn contract_numbers_are_short_codes() {
        assert_eq!(
            ContractNumber::parse("c", " sh01-2026-0001 ").map(|c| c.0),
            Ok("SH01-2026-0001".to_string())
        );
        assert!(ContractNumber::parse("c", "合同1").is_err());
        assert!(ContractNumber::parse("c", "A1").is_err());
        assert!(ContractNumber::parse("c", "").is_err());
        assert!(ContractNumber::parse("c", &"A".repeat(33)).is_err());
    }
}
