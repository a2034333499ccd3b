use super::view::CustomerView;
use crate::actor::Actor;
use crate::audit_trail::{event, record};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::access::RowFilter;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::{CustomerId, UserId};
use dealervault_domain::values::{IdNumber, Mobile, Source};
use dealervault_policy::{Action, FieldLevel};
use dealervault_store::{CustomerQuery, CustomerSort, PageRequest, Tx};

/// A list request as it arrives; every part optional.
#[derive(Debug, Clone, Default)]
pub struct CustomerListQuery {
    pub q: Option<String>,
    pub mobile: Option<String>,
    pub id_number: Option<String>,
    /// Only this owner's customers (a user id).
    pub owner: Option<String>,
    /// Only customers from this source (`walk_in`, `autohome`, …); for roles that see
    /// the source in clear.
    pub source: Option<String>,
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

/// Name/notes search decrypts the rows in scope in chunks of this many.
const SEARCH_CHUNK: u32 = 2_000;
/// More matches than this and the search is too broad to be useful (or cheap).
pub const MAX_SEARCH_MATCHES: usize = 10_000;

impl App {
    pub async fn list_customers(
        &self,
        actor: &Actor,
        query: CustomerListQuery,
    ) -> Result<CustomerPage, AppError> {
        let filter = self
            .row_filter(actor, Entity::Customer, Action::View, "customer.list")
            .await?;
        let mut tx = self.store().read().await?;
        let plan = FieldPlan::of(actor, Entity::Customer, &self.settings(&mut tx).await?);

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
        let mut search = CustomerQuery::default();
        if let Some(m) = non_empty(&query.mobile) {
            searchable("mobile")?;
            let mobile = Mobile::parse("mobile", m).map_err(|e| AppError::Invalid(vec![e]))?;
            search.mobile_index = Some(self.vault().mobile_index(mobile.as_str()));
        }
        if let Some(n) = non_empty(&query.id_number) {
            searchable("id_number")?;
            let id_number =
                IdNumber::parse("id_number", n).map_err(|e| AppError::Invalid(vec![e]))?;
            search.id_number_index = Some(self.vault().id_number_index(id_number.as_str()));
        }
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
        if let Some(owner) = non_empty(&query.owner) {
            searched.push("filter:owner".to_string());
            let owner =
                UserId::parse(owner).ok_or(AppError::invalid("owner", Rule::UnknownValue))?;
            search.owner = Some(owner);
        }
        if let Some(source) = non_empty(&query.source) {
            searched.push("filter:source".to_string());
            // Filtering by a value shows it: only for roles that see it in clear.
            if plan.level("source") < FieldLevel::Clear {
                return Err(AppError::Forbidden);
            }
            let source = Source::parse("source", source).map_err(|e| AppError::Invalid(vec![e]))?;
            search.source = Some(source.code().to_string());
        }
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
        if let Some(q) = q {
            let notes = plan.level("notes") > FieldLevel::Hidden;
            search.ids = Some(self.search_names(&mut tx, &filter, &q, notes).await?);
        }

        let found = tx.customers(&filter, &search, &request).await?;
        let owners: Vec<_> = found.items.iter().map(|c| c.owner_id.clone()).collect();
        let names = tx.user_display_names(&owners).await?;
        let visible = plan.visible();
        let mut items = Vec::with_capacity(found.items.len());
        for sealed in &found.items {
            // An erased customer (its data key destroyed) has nothing left to show.
            if let Some(record) = self.vault().open_customer(sealed, &visible)? {
                items.push(plan.render(
                    &record,
                    names.get(&record.owner_id).cloned().unwrap_or_default(),
                ));
            }
        }

        let mut ev = event(
            self,
            actor,
            "customer.list",
            Entity::Customer,
            Outcome::Allowed,
        );
        ev.record_ids = items.iter().map(|c| c.id.clone()).collect();
        ev.fields = visible;
        ev.fields.extend(searched);
        // Nothing leaves before its trace is durable.
        drop(tx);
        record(self, ev).await?;
        Ok(CustomerPage {
            items,
            total: found.total,
            page,
            per_page,
        })
    }

    /// Ids of the customers in scope whose name (or notes, where the role sees them)
    /// contains `q`. The values are sealed, so this decrypts every row in scope: its cost
    /// grows with the scope (about a microsecond a row), and it leaks nothing beyond the
    /// answer. Substring search over ciphertext would need an n-gram index, which would
    /// leak name fragments to anyone holding the database.
    async fn search_names(
        &self,
        tx: &mut Tx,
        filter: &RowFilter,
        q: &str,
        notes: bool,
    ) -> Result<Vec<CustomerId>, AppError> {
        let needle = q.to_lowercase();
        let matches = |text: &str| text.to_lowercase().contains(&needle);
        let mut hits = Vec::new();
        let mut after: Option<CustomerId> = None;
        loop {
            let rows = tx
                .customer_search_rows(filter, after.as_ref(), SEARCH_CHUNK)
                .await?;
            for row in &rows {
                let id = row.id.as_str();
                let Some(wrapped) = row.data_key.as_deref() else {
                    continue;
                };
                let key = self.vault().unwrap_data_key(id, wrapped)?;
                let mut found = matches(&self.vault().open_one(id, "name", &key, &row.name)?);
                if !found && notes {
                    if let Some(envelope) = row.notes.as_deref() {
                        found = matches(&self.vault().open_one(id, "notes", &key, envelope)?);
                    }
                }
                if found {
                    hits.push(row.id.clone());
                    if hits.len() > MAX_SEARCH_MATCHES {
                        return Err(AppError::invalid("q", Rule::TooBroad));
                    }
                }
            }
            if rows.len() < SEARCH_CHUNK as usize {
                return Ok(hits);
            }
            after = rows.last().map(|r| r.id.clone());
        }
    }
}
