use super::view::LeadView;
use crate::actor::Actor;
use crate::audit_trail::{event, record};
use crate::error::AppError;
use crate::field_plan::FieldPlan;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::access::RowFilter;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::{LeadId, UserId};
use dealervault_domain::sales::LeadStatus;
use dealervault_domain::values::{Mobile, Source};
use dealervault_policy::{Action, FieldLevel};
use dealervault_store::{LeadQuery, SealedLead, Tx, OPEN_LEAD_STATUSES};

/// A lead list request as it arrives; every part optional.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct LeadListQuery {
    /// A status code, or `open` for every status still being worked.
    pub status: Option<String>,
    pub source: Option<String>,
    /// Only this owner's leads (a user id).
    pub owner: Option<String>,
    pub mobile: Option<String>,
    /// Part of the name (for roles that see names in clear).
    pub q: Option<String>,
    /// `overdue`: the next follow-up is past due.
    pub due: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LeadPage {
    pub items: Vec<LeadView>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

pub const MAX_PER_PAGE: u32 = 100;
const MAX_QUERY_CHARS: usize = 50;
/// A name search reads the leads in scope this many at a time.
const SEARCH_CHUNK: u32 = 500;
/// More matches than this and the search is too broad to be useful.
const MAX_SEARCH_MATCHES: usize = 2_000;

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl App {
    /// The leads in the actor's scope (its own, its team's… as the role says).
    pub async fn list_leads(
        &self,
        actor: &Actor,
        query: LeadListQuery,
    ) -> Result<LeadPage, AppError> {
        let filter = self
            .row_filter(actor, Entity::Lead, Action::View, "lead.list")
            .await?;
        self.lead_page(actor, filter, query, false).await
    }

    /// The store's public pool as the actor may see it: leads without an owner within
    /// the scope of its `claim` grant, contact data masked whatever its field levels.
    pub async fn list_pool(
        &self,
        actor: &Actor,
        query: LeadListQuery,
    ) -> Result<LeadPage, AppError> {
        let filter = self
            .row_filter(actor, Entity::Lead, Action::Claim, "lead.pool")
            .await?;
        self.lead_page(actor, filter, query, true).await
    }

    async fn lead_page(
        &self,
        actor: &Actor,
        filter: RowFilter,
        query: LeadListQuery,
        pool: bool,
    ) -> Result<LeadPage, AppError> {
        let mut tx = self.store().read().await?;
        let settings = self.settings(&mut tx).await?;
        let mut plan = FieldPlan::of(actor, Entity::Lead, &settings);
        if pool {
            plan = plan.for_pool();
        }
        let mut search = LeadQuery {
            in_pool: pool.then_some(true),
            ..LeadQuery::default()
        };
        let mut errors = Vec::new();
        match given(&query.status) {
            Some("open") => search.statuses = OPEN_LEAD_STATUSES.map(String::from).to_vec(),
            Some(code) => match LeadStatus::parse("status", code) {
                Ok(s) => search.statuses = vec![s.code().to_string()],
                Err(e) => errors.push(e),
            },
            None => {}
        }
        if let Some(code) = given(&query.source) {
            // Filtering by a value shows it: only for roles that see the source.
            if plan.level("source") == FieldLevel::Hidden {
                return Err(AppError::Forbidden);
            }
            match Source::parse("source", code) {
                Ok(s) => search.source = Some(s.code().to_string()),
                Err(e) => errors.push(e),
            }
        }
        if let Some(m) = given(&query.mobile) {
            if plan.level("mobile") == FieldLevel::Hidden {
                return Err(AppError::Forbidden);
            }
            match Mobile::parse("mobile", m) {
                Ok(m) => search.mobile_index = Some(self.vault().mobile_index(m.as_str())),
                Err(e) => errors.push(e),
            }
        }
        if let Some(owner) = given(&query.owner) {
            search.owner = Some(
                UserId::parse(owner)
                    .ok_or_else(|| AppError::invalid("owner", Rule::UnknownValue))?,
            );
        }
        if given(&query.due) == Some("overdue") {
            search.due_before = Some(self.clock().now_ms());
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        if let Some(q) = given(&query.q) {
            // A search on names shown masked (the pool's) would be an oracle for them.
            if plan.level("name") < FieldLevel::Clear {
                return Err(AppError::Forbidden);
            }
            if q.chars().count() > MAX_QUERY_CHARS {
                let max = MAX_QUERY_CHARS;
                return Err(AppError::invalid("q", Rule::TooLong { max }));
            }
            search.ids = Some(self.search_lead_names(&mut tx, &filter, &search, q).await?);
        }
        let page = query.page.unwrap_or(1).max(1);
        let per_page = query.per_page.unwrap_or(20).clamp(1, MAX_PER_PAGE);
        let offset = u64::from(page - 1) * u64::from(per_page);
        let found = tx.leads(&filter, &search, per_page, offset).await?;
        let visible = plan.visible();
        let items = self
            .render_leads(&mut tx, &plan, &found.items, &visible)
            .await?;

        let verb = if pool { "lead.pool" } else { "lead.list" };
        let mut ev = event(self, actor, verb, Entity::Lead, Outcome::Allowed);
        ev.record_ids = items.iter().map(|l| l.id.clone()).collect();
        ev.fields = visible;
        drop(tx);
        record(self, ev).await?;
        Ok(LeadPage {
            items,
            total: found.total,
            page,
            per_page,
        })
    }

    /// Ids of the leads in scope, matching the other terms of `search`, whose name
    /// contains `q` (any case). Names are sealed, so the leads in scope are opened a
    /// chunk at a time; a store's leads number in the thousands, not the millions.
    async fn search_lead_names(
        &self,
        tx: &mut Tx,
        filter: &RowFilter,
        search: &LeadQuery,
        q: &str,
    ) -> Result<Vec<LeadId>, AppError> {
        let needle = q.to_lowercase();
        let name = ["name".to_string()];
        let mut hits = Vec::new();
        let mut offset = 0;
        loop {
            let chunk = tx.leads(filter, search, SEARCH_CHUNK, offset).await?;
            for lead in &chunk.items {
                let Some(values) = self.open_lead(lead, &name)? else {
                    continue;
                };
                if values
                    .get("name")
                    .is_some_and(|n| n.to_lowercase().contains(&needle))
                {
                    hits.push(lead.id.clone());
                    if hits.len() > MAX_SEARCH_MATCHES {
                        return Err(AppError::invalid("q", Rule::TooBroad));
                    }
                }
            }
            offset += u64::from(SEARCH_CHUNK);
            if offset >= chunk.total {
                return Ok(hits);
            }
        }
    }

    /// Renders stored leads through `plan`, with their owners' names; an erased lead has
    /// nothing left to show and is left out.
    pub(crate) async fn render_leads(
        &self,
        tx: &mut Tx,
        plan: &FieldPlan,
        leads: &[SealedLead],
        visible: &[String],
    ) -> Result<Vec<LeadView>, AppError> {
        let owners: Vec<UserId> = leads.iter().filter_map(|l| l.owner_id.clone()).collect();
        let names = tx.user_display_names(&owners).await?;
        let mut items = Vec::with_capacity(leads.len());
        for lead in leads {
            if let Some(values) = self.open_lead(lead, visible)? {
                let owner = lead.owner_id.as_ref().and_then(|o| names.get(o).cloned());
                items.push(plan.render_lead(lead, &values, owner));
            }
        }
        Ok(items)
    }
}
