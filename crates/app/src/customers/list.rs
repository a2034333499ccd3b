use super::view::{CustomerView, FieldPlan};
use crate::actor::Actor;
use crate::audit_trail::{append, event};
use crate::error::AppError;
use crate::settings::Settings;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::values::{IdNumber, Mobile};
use dealervault_policy::{Action, FieldLevel};
use dealervault_store::{CustomerQuery, CustomerSort, PageRequest};

/// A list request as it arrives; every part optional.
#[derive(Debug, Clone, Default)]
pub struct CustomerListQuery {
    pub q: Option<String>,
    pub mobile: Option<String>,
    pub id_number: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
    pub sort: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CustomerPage {
    pub items: Vec<CustomerView>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

pub const MAX_PER_PAGE: u32 = 100;
const MAX_QUERY_CHARS: usize = 50;

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl App {
    pub async fn list_customers(
        &self,
        actor: &Actor,
        query: CustomerListQuery,
    ) -> Result<CustomerPage, AppError> {
        let filter = self
            .customer_filter(actor, Action::View, "customer.list")
            .await?;
        let mut tx = self.store().write().await?;
        let plan = FieldPlan::of(actor, &Settings::load(&mut tx).await?);

        // A search on a field the role cannot see would be an oracle for its values.
        let mut searched = Vec::new();
        let mut searchable = |field: &'static str| {
            searched.push(format!("search:{field}"));
            if plan.level(field) > FieldLevel::Hidden {
                Ok(())
            } else {
                Err(AppError::Forbidden)
            }
        };
        let mobile = match non_empty(&query.mobile) {
            Some(m) => {
                searchable("mobile")?;
                Some(
                    Mobile::parse("mobile", m)
                        .map_err(|e| AppError::Invalid(vec![e]))?
                        .as_str()
                        .to_string(),
                )
            }
            None => None,
        };
        let id_number = match non_empty(&query.id_number) {
            Some(n) => {
                searchable("id_number")?;
                Some(
                    IdNumber::parse("id_number", n)
                        .map_err(|e| AppError::Invalid(vec![e]))?
                        .as_str()
                        .to_string(),
                )
            }
            None => None,
        };
        let q = match non_empty(&query.q) {
            Some(q) if q.chars().count() > MAX_QUERY_CHARS => {
                return Err(AppError::invalid(
                    "q",
                    Rule::TooLong {
                        max: MAX_QUERY_CHARS,
                    },
                ))
            }
            Some(q) => {
                searchable("name")?;
                Some(q.to_string())
            }
            None => None,
        };
        let sort = match query.sort.as_deref().map(str::trim) {
            None | Some("") | Some("updated_desc") => CustomerSort::UpdatedDesc,
            Some("created_desc") => CustomerSort::CreatedDesc,
            Some("created_asc") => CustomerSort::CreatedAsc,
            Some(_) => return Err(AppError::invalid("sort", Rule::UnknownValue)),
        };
        let page = query.page.unwrap_or(1).max(1);
        let per_page = query.per_page.unwrap_or(20).clamp(1, MAX_PER_PAGE);
        let request = PageRequest {
            limit: per_page,
            offset: u64::from(page - 1) * u64::from(per_page),
            sort,
        };
        let search = CustomerQuery {
            q,
            search_notes: plan.level("notes") > FieldLevel::Hidden,
            mobile,
            id_number,
        };

        let found = tx.customers(&filter, &search, &request).await?;
        let owners: Vec<_> = found.items.iter().map(|c| c.owner_id.clone()).collect();
        let names = tx.user_display_names(&owners).await?;
        let items: Vec<CustomerView> = found
            .items
            .iter()
            .map(|c| plan.render(c, names.get(&c.owner_id).cloned().unwrap_or_default()))
            .collect();

        let mut ev = event(
            self,
            actor,
            "customer.list",
            Entity::Customer,
            Outcome::Allowed,
        );
        ev.record_ids = items.iter().map(|c| c.id.clone()).collect();
        ev.fields = plan.visible();
        ev.fields.extend(searched);
        append(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(CustomerPage {
            items,
            total: found.total,
            page,
            per_page,
        })
    }
}
