//! A vehicle's fields as a client sends them, and as they are checked: VIN with its
//! check digit, status codes, one-line labels of bounded length, amounts in fen. Every
//! refused field is reported at once.

use dealervault_domain::error::{FieldError, Rule};
use dealervault_domain::sales::VehicleStatus;
use dealervault_domain::values::{Fen, Label, Terms, Vin};
use dealervault_store::VehicleRow;
use std::fmt;

/// An amount as it arrives: whole fen from the API (a JSON number), yuan as typed into
/// a form (text).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(untagged)]
pub enum Amount {
    Fen(i64),
    Yuan(String),
}

/// Fields as they arrive; absent means "not given / unchanged". Trim, colour and
/// location are cleared with an empty text; cost price and supplier terms with `None`.
#[derive(Clone, Default)]
pub struct VehicleInput {
    /// Only when creating: a vehicle keeps its VIN.
    pub vin: Option<String>,
    pub status: Option<String>,
    pub model: Option<String>,
    pub trim: Option<String>,
    pub colour: Option<String>,
    pub location: Option<String>,
    pub list_price: Option<Amount>,
    pub cost_price: Option<Option<Amount>>,
    pub supplier_terms: Option<Option<String>>,
}

// What a client typed stays out of logs: only which fields were given.
impl fmt::Debug for VehicleInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.given()).finish()
    }
}

impl VehicleInput {
    /// The names of the fields given, VIN and status included.
    pub fn given(&self) -> Vec<&'static str> {
        let present = [
            ("vin", self.vin.is_some()),
            ("status", self.status.is_some()),
            ("model", self.model.is_some()),
            ("trim", self.trim.is_some()),
            ("colour", self.colour.is_some()),
            ("location", self.location.is_some()),
            ("list_price", self.list_price.is_some()),
            ("cost_price", self.cost_price.is_some()),
            ("supplier_terms", self.supplier_terms.is_some()),
        ];
        present
            .into_iter()
            .filter(|(_, given)| *given)
            .map(|(name, _)| name)
            .collect()
    }
}

/// Checked values of the fields given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct VehicleChanges {
    pub vin: Option<Vin>,
    pub status: Option<VehicleStatus>,
    pub model: Option<String>,
    pub trim: Option<String>,
    pub colour: Option<String>,
    pub location: Option<String>,
    pub list_price: Option<Fen>,
    pub cost_price: Option<Option<Fen>>,
    pub supplier_terms: Option<Option<String>>,
}

/// The value, or `None` with its refusal noted.
fn keep<T>(errors: &mut Vec<FieldError>, checked: Result<T, FieldError>) -> Option<T> {
    checked.map_err(|e| errors.push(e)).ok()
}

impl Amount {
    pub(crate) fn to_fen(&self, field: &'static str) -> Result<Fen, FieldError> {
        match self {
            Amount::Fen(fen) => {
                Fen::from_fen(*fen).ok_or_else(|| FieldError::new(field, Rule::InvalidAmount))
            }
            Amount::Yuan(text) => Fen::parse_yuan(field, text),
        }
    }
}

/// An optional label: blank clears it.
fn label(field: &'static str, text: &str) -> Result<String, FieldError> {
    if text.trim().is_empty() {
        Ok(String::new())
    } else {
        Label::parse(field, text).map(|l| l.as_str().to_string())
    }
}

impl VehicleChanges {
    /// Every given field checked; all refusals together.
    pub(crate) fn parse(input: &VehicleInput) -> Result<Self, Vec<FieldError>> {
        match Self::checked(input) {
            (changes, errors) if errors.is_empty() => Ok(changes),
            (_, errors) => Err(errors),
        }
    }

    /// A new vehicle: VIN, model and list price required; it arrives in transit or
    /// straight into stock (in stock when not said).
    pub(crate) fn for_create(input: &VehicleInput) -> Result<Self, Vec<FieldError>> {
        let (mut changes, mut errors) = Self::checked(input);
        for (field, given) in [
            ("vin", input.vin.is_some()),
            ("model", input.model.is_some()),
            ("list_price", input.list_price.is_some()),
        ] {
            if !given {
                errors.push(FieldError::new(field, Rule::Required));
            }
        }
        let start = changes.status.unwrap_or(VehicleStatus::InStock);
        if !matches!(start, VehicleStatus::InTransit | VehicleStatus::InStock) {
            errors.push(FieldError::new("status", Rule::NotAllowedNow));
        }
        changes.status = Some(start);
        if errors.is_empty() {
            Ok(changes)
        } else {
            Err(errors)
        }
    }

    /// The values that passed, and the refusals of the others.
    fn checked(input: &VehicleInput) -> (Self, Vec<FieldError>) {
        let mut errors = Vec::new();
        let changes = Self {
            vin: input
                .vin
                .as_deref()
                .and_then(|v| keep(&mut errors, Vin::parse("vin", v))),
            status: input
                .status
                .as_deref()
                .and_then(|s| keep(&mut errors, VehicleStatus::parse("status", s))),
            model: input.model.as_deref().and_then(|m| {
                keep(
                    &mut errors,
                    Label::parse("model", m).map(|l| l.as_str().to_string()),
                )
            }),
            trim: input
                .trim
                .as_deref()
                .and_then(|t| keep(&mut errors, label("trim", t))),
            colour: input
                .colour
                .as_deref()
                .and_then(|c| keep(&mut errors, label("colour", c))),
            location: input
                .location
                .as_deref()
                .and_then(|l| keep(&mut errors, label("location", l))),
            list_price: input
                .list_price
                .as_ref()
                .and_then(|a| keep(&mut errors, a.to_fen("list_price"))),
            cost_price: match &input.cost_price {
                None => None,
                Some(None) => Some(None),
                Some(Some(a)) => keep(&mut errors, a.to_fen("cost_price")).map(Some),
            },
            supplier_terms: match &input.supplier_terms {
                None => None,
                Some(t) => match t.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    None => Some(None),
                    Some(t) => keep(&mut errors, Terms::parse("supplier_terms", t))
                        .map(|t| Some(t.as_str().to_string())),
                },
            },
        };
        (changes, errors)
    }

    /// The governed fields given (what field levels decide on), in catalog order.
    pub(crate) fn governed(&self) -> Vec<&'static str> {
        [
            ("model", self.model.is_some()),
            ("trim", self.trim.is_some()),
            ("colour", self.colour.is_some()),
            ("location", self.location.is_some()),
            ("list_price", self.list_price.is_some()),
            ("cost_price", self.cost_price.is_some()),
            ("supplier_terms", self.supplier_terms.is_some()),
        ]
        .into_iter()
        .filter(|(_, given)| *given)
        .map(|(name, _)| name)
        .collect()
    }

    /// Writes the governed fields given into `row` (status moves are the caller's).
    pub(crate) fn apply(&self, row: &mut VehicleRow) {
        let set = |slot: &mut String, value: &Option<String>| {
            if let Some(v) = value {
                slot.clone_from(v);
            }
        };
        set(&mut row.model, &self.model);
        set(&mut row.trim, &self.trim);
        set(&mut row.colour, &self.colour);
        set(&mut row.location, &self.location);
        if let Some(price) = self.list_price {
            row.list_price = price.fen();
        }
        if let Some(cost) = self.cost_price {
            row.cost_price = cost.map(Fen::fen);
        }
        if let Some(terms) = &self.supplier_terms {
            row.supplier_terms.clone_from(terms);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(input: &VehicleInput) -> Vec<(&'static str, Rule)> {
        match VehicleChanges::for_create(input) {
            Ok(_) => vec![],
            Err(errors) => errors.into_iter().map(|e| (e.field, e.rule)).collect(),
        }
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let input = VehicleInput {
            vin: Some("LSVAU2180N2183294".into()),
            list_price: Some(Amount::Yuan("1.234".into())),
            cost_price: Some(Some(Amount::Fen(-1))),
            status: Some("sold".into()),
            ..VehicleInput::default()
        };
        assert_eq!(
            rules(&input),
            [
                ("vin", Rule::InvalidVin),
                ("list_price", Rule::InvalidAmount),
                ("cost_price", Rule::InvalidAmount),
                ("model", Rule::Required),
                ("status", Rule::NotAllowedNow),
            ]
        );
    }

    #[test]
    fn a_new_vehicle_starts_in_stock_or_in_transit() {
        let mut input = VehicleInput {
            vin: Some("lsvau218xn2183294".into()),
            model: Some(" 帕萨特 ".into()),
            list_price: Some(Amount::Yuan("¥219,900".into())),
            ..VehicleInput::default()
        };
        let changes = VehicleChanges::for_create(&input).expect("valid");
        assert_eq!(changes.status, Some(VehicleStatus::InStock));
        assert_eq!(changes.model.as_deref(), Some("帕萨特"));
        assert_eq!(changes.list_price.map(Fen::fen), Some(21_990_000));
        assert_eq!(
            changes.vin.as_ref().map(Vin::as_str),
            Some("LSVAU218XN2183294")
        );
        input.status = Some("reserved".into());
        assert_eq!(rules(&input), [("status", Rule::NotAllowedNow)]);
    }

    #[test]
    fn blank_labels_clear_and_long_ones_are_refused() {
        let input = VehicleInput {
            trim: Some(" ".into()),
            colour: Some("白".repeat(61)),
            supplier_terms: Some(Some(String::new())),
            ..VehicleInput::default()
        };
        let errors = VehicleChanges::parse(&input).expect_err("colour too long");
        assert_eq!(
            errors,
            [FieldError::new("colour", Rule::TooLong { max: 60 })]
        );
        let cleared = VehicleChanges::parse(&VehicleInput {
            trim: Some(" ".into()),
            supplier_terms: Some(Some(String::new())),
            ..VehicleInput::default()
        })
        .expect("valid");
        assert_eq!(cleared.trim.as_deref(), Some(""));
        assert_eq!(cleared.supplier_terms, Some(None));
        assert_eq!(cleared.governed(), ["trim", "supplier_terms"]);
    }
}
