use super::may_move;
use super::view::VehicleView;
use crate::actor::Actor;
use crate::audit_trail::{event, record};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::{FieldError, Rule};
use dealervault_domain::sales::VehicleStatus;
use dealervault_domain::values::Vin;
use dealervault_policy::{Action, FieldLevel};
use dealervault_store::{VehicleQuery, VehicleSort, VinSearch};

/// A stock list request as it arrives; every part optional, blank as absent.
#[derive(Debug, Clone, Default)]
pub struct VehicleListQuery {
    /// One status code.
    pub status: Option<String>,
    /// Text the model contains (any case).
    pub model: Option<String>,
    /// A whole VIN, or its last 4 to 16 characters.
    pub vin: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
    /// `arrived_asc` (longest in stock first, the default), `arrived_desc` or
    /// `updated_desc`.
    pub sort: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct VehiclePage {
    pub items: Vec<VehicleView>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

pub const MAX_PER_PAGE: u32 = 100;
const MAX_MODEL_CHARS: usize = 50;
/// Fewer characters of a VIN match too many vehicles to mean one.
const MIN_VIN_SUFFIX: usize = 4;

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A VIN or its tail: upper-cased, VIN alphabet only (so nothing of it is a wildcard).
fn vin_search(text: &str) -> Result<VinSearch, FieldError> {
    let tail = text.to_ascii_uppercase();
    if tail.len() == 17 {
        return Vin::parse("vin", &tail).map(|v| VinSearch::Exact(v.as_str().to_string()));
    }
    let alphabet = |c: char| c.is_ascii_alphanumeric() && !matches!(c, 'I' | 'O' | 'Q');
    if !tail.chars().all(alphabet) || tail.len() > 17 {
        return Err(FieldError::new("vin", Rule::InvalidVin));
    }
    if tail.len() < MIN_VIN_SUFFIX {
        return Err(FieldError::new(
            "vin",
            Rule::TooShort {
                min: MIN_VIN_SUFFIX,
            },
        ));
    }
    Ok(VinSearch::Suffix(tail))
}

impl App {
    pub async fn list_vehicles(
        &self,
        actor: &Actor,
        query: VehicleListQuery,
    ) -> Result<VehiclePage, AppError> {
        let filter = self
            .row_filter(actor, Entity::Vehicle, Action::View, "vehicle.list")
            .await?;
        let mut tx = self.store().read().await?;
        let plan = FieldPlan::of(actor, Entity::Vehicle, &self.settings(&mut tx).await?);

        let page = query.page.unwrap_or(1).max(1);
        let per_page = query.per_page.unwrap_or(20).clamp(1, MAX_PER_PAGE);
        let mut search = VehicleQuery {
            limit: per_page,
            offset: u64::from(page - 1) * u64::from(per_page),
            ..VehicleQuery::default()
        };
        let mut searched = Vec::new();
        let mut errors = Vec::new();
        if let Some(status) = non_empty(&query.status) {
            searched.push("filter:status".to_string());
            match VehicleStatus::parse("status", status) {
                Ok(s) => search.status = Some(s.code().to_string()),
                Err(e) => errors.push(e),
            }
        }
        if let Some(model) = non_empty(&query.model) {
            searched.push("search:model".to_string());
            // A search on a field the role cannot see would be an oracle for its values.
            if plan.level("model") < FieldLevel::Clear {
                let mut ev = event(
                    self,
                    actor,
                    "vehicle.list",
                    Entity::Vehicle,
                    Outcome::Denied,
                );
                ev.fields = searched;
                return Err(self.abandon(tx, ev, AppError::Forbidden).await);
            }
            if model.chars().count() > MAX_MODEL_CHARS {
                errors.push(FieldError::new(
                    "model",
                    Rule::TooLong {
                        max: MAX_MODEL_CHARS,
                    },
                ));
            }
            search.model = Some(model.to_lowercase());
        }
        if let Some(vin) = non_empty(&query.vin) {
            searched.push("search:vin".to_string());
            match vin_search(vin) {
                Ok(v) => search.vin = Some(v),
                Err(e) => errors.push(e),
            }
        }
        search.sort = match query.sort.as_deref().map(str::trim) {
            None | Some("") | Some("arrived_asc") => VehicleSort::ArrivedAsc,
            Some("arrived_desc") => VehicleSort::ArrivedDesc,
            Some("updated_desc") => VehicleSort::UpdatedDesc,
            Some(_) => {
                errors.push(FieldError::new("sort", Rule::UnknownValue));
                VehicleSort::ArrivedAsc
            }
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }

        let found = tx.vehicles(&filter, &search).await?;
        drop(tx);
        let today = self.today();
        let moves = may_move(actor);
        let items: Vec<VehicleView> = found
            .items
            .iter()
            .map(|row| plan.render_vehicle(row, today, moves))
            .collect();
        let mut ev = event(
            self,
            actor,
            "vehicle.list",
            Entity::Vehicle,
            Outcome::Allowed,
        );
        ev.record_ids = items.iter().map(|v| v.id.clone()).collect();
        ev.fields = plan.visible();
        ev.fields.extend(searched);
        // Nothing leaves before its trace is durable.
        record(self, ev).await?;
        Ok(VehiclePage {
            items,
            total: found.total,
            page,
            per_page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vin_is_searched_whole_or_by_its_tail() {
        assert_eq!(
            vin_search("lsvau218xn2183294"),
            Ok(VinSearch::Exact("LSVAU218XN2183294".into()))
        );
        assert_eq!(vin_search("183294"), Ok(VinSearch::Suffix("183294".into())));
        let rule = |s| vin_search(s).map_err(|e| e.rule);
        assert_eq!(rule("LSVAU2180N2183294"), Err(Rule::InvalidVin));
        assert_eq!(rule("18%"), Err(Rule::InvalidVin));
        assert_eq!(rule("O83294"), Err(Rule::InvalidVin));
        assert_eq!(rule("294"), Err(Rule::TooShort { min: 4 }));
    }
}
