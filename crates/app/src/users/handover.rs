//! Handing a leaving person's customers, open leads and their follow-ups and booked
//! test drives to colleagues: to one person, round-robin over the colleagues of their
//! team who hold the same role (their department's when they have no team), or chosen
//! one by one. Each record's owner change goes into the ownership ledger
//! (`handed_over`), so nothing is left with a frozen owner and every move is on record.

use crate::error::AppError;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::{CustomerId, LeadId, UserId};
use dealervault_store::{OwnedRecord, OwnerChange, Tx, UserRow};

/// How the book is handed over.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum HandoverInput {
    /// Everything to one colleague of the same store.
    ToUser { to_user_id: String },
    /// Round-robin over the team's colleagues of the same role.
    RoundRobinTeam,
    /// Each named customer or open lead to the colleague chosen for it, now; what is
    /// not named stays until the next handover (the freeze hands over the rest).
    OneByOne { assignments: Vec<Assignment> },
}

/// One record of a one-by-one handover.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub entity: HandoverEntity,
    /// The customer's or lead's id; it must belong to the person handing over.
    pub id: String,
    /// A colleague of the same store.
    pub to_user_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HandoverEntity {
    Customer,
    Lead,
}

/// At most this many records in one one-by-one handover (a page of the wizard is far
/// fewer).
pub const MAX_ASSIGNMENTS: usize = 1_000;

/// What moved, for the event and the answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct HandedOver {
    pub customers: u32,
    pub leads: u32,
    pub follow_ups: u32,
    /// Every record that changed owner (customers, leads, follow-ups, test drives).
    #[serde(skip)]
    pub record_ids: Vec<String>,
}

/// The colleagues who take the book, in turn. Checked before anything is written.
pub(crate) async fn heirs(
    tx: &mut Tx,
    from: &UserRow,
    rule: &HandoverInput,
) -> Result<Vec<UserId>, AppError> {
    match rule {
        HandoverInput::ToUser { to_user_id } => {
            let to = colleague(tx, from, to_user_id)
                .await?
                .ok_or(AppError::invalid("handover.to_user_id", Rule::UnknownValue))?;
            Ok(vec![to])
        }
        // Chosen now, record by record: it cannot stand as a rule for later.
        HandoverInput::OneByOne { .. } => Err(AppError::invalid("handover.rule", Rule::NotAllowed)),
        HandoverInput::RoundRobinTeam => {
            let mut team: Vec<UserRow> = tx
                .users()
                .await?
                .into_iter()
                .filter(|u| u.id != from.id && u.status == "active" && teammates(from, u))
                .collect();
            team.sort_by(|a, b| a.username.cmp(&b.username));
            if team.is_empty() {
                return Err(AppError::Conflict("no_colleague_to_hand_over_to"));
            }
            Ok(team.into_iter().map(|u| u.id).collect())
        }
    }
}

/// Whether `other` holds `of`'s role in `of`'s team (their department, without a team):
/// whom the round-robin hands to.
pub(super) fn teammates(of: &UserRow, other: &UserRow) -> bool {
    other.role_id == of.role_id
        && other.store_id == of.store_id
        && match &of.team_id {
            Some(team) => other.team_id.as_ref() == Some(team),
            None => other.department_id == of.department_id,
        }
}

/// `to_user_id` if it names an active colleague of `from`'s store (not `from`).
async fn colleague(
    tx: &mut Tx,
    from: &UserRow,
    to_user_id: &str,
) -> Result<Option<UserId>, AppError> {
    let Some(id) = UserId::parse(to_user_id) else {
        return Ok(None);
    };
    Ok(tx.user_by_id(&id).await?.and_then(|to| {
        (to.id != from.id && to.status == "active" && to.store_id == from.store_id).then_some(to.id)
    }))
}

/// Moves `from`'s book to `heirs` in turn, with the ledger.
pub(super) async fn hand_over(
    tx: &mut Tx,
    from: &UserRow,
    heirs: &[UserId],
    by: Option<&UserId>,
    now: i64,
) -> Result<HandedOver, AppError> {
    let mut done = HandedOver::default();
    let mut turn = heirs.iter().cycle();
    for customer in tx.customers_owned_by(&from.id).await? {
        let Some(to) = turn.next() else { break };
        move_customer(tx, from, &customer, to, by, now, &mut done).await?;
    }
    for lead in tx.open_leads_owned_by(&from.id).await? {
        let Some(to) = turn.next() else { break };
        move_lead(tx, &lead, to, by, now, &mut done).await?;
    }
    // Tasks on leads that left the funnel (a planned call after an order) go too.
    if let Some(to) = turn.next() {
        let tasks = tx.move_open_follow_ups_of(&from.id, to, now).await?;
        done.follow_ups += u32::try_from(tasks.len()).unwrap_or(u32::MAX);
        done.record_ids.extend(tasks);
    }
    Ok(done)
}

/// Moves each named record of `from`'s book to the colleague chosen for it. Every
/// assignment is checked before anything moves: a record that is not `from`'s (or no
/// longer open) or a colleague outside the store refuses the whole handover.
pub(super) async fn hand_over_chosen(
    tx: &mut Tx,
    from: &UserRow,
    assignments: &[Assignment],
    by: Option<&UserId>,
    now: i64,
) -> Result<HandedOver, AppError> {
    let refused = || AppError::invalid("handover.assignments", Rule::UnknownValue);
    if assignments.is_empty() {
        return Err(AppError::invalid("handover.assignments", Rule::Required));
    }
    if assignments.len() > MAX_ASSIGNMENTS {
        return Err(AppError::invalid(
            "handover.assignments",
            Rule::TooLong {
                max: MAX_ASSIGNMENTS,
            },
        ));
    }
    let customers = tx.customers_owned_by(&from.id).await?;
    let leads = tx.open_leads_owned_by(&from.id).await?;
    let mut seen = std::collections::HashSet::new();
    let mut plan = Vec::with_capacity(assignments.len());
    for a in assignments {
        let to = colleague(tx, from, &a.to_user_id)
            .await?
            .ok_or(AppError::invalid("handover.to_user_id", Rule::UnknownValue))?;
        if !seen.insert((a.entity, a.id.as_str())) {
            return Err(refused());
        }
        let record = match a.entity {
            HandoverEntity::Customer => customers
                .iter()
                .position(|c| c.id.as_str() == a.id)
                .map(Chosen::Customer),
            HandoverEntity::Lead => leads
                .iter()
                .position(|l| l.id.as_str() == a.id)
                .map(Chosen::Lead),
        }
        .ok_or_else(refused)?;
        plan.push((record, to));
    }
    let mut done = HandedOver::default();
    for (record, to) in &plan {
        match *record {
            Chosen::Customer(i) => {
                move_customer(tx, from, &customers[i], to, by, now, &mut done).await?;
            }
            Chosen::Lead(i) => move_lead(tx, &leads[i], to, by, now, &mut done).await?,
        }
    }
    Ok(done)
}

/// A checked assignment: the record's place in `from`'s book.
#[derive(Debug, Clone, Copy)]
enum Chosen {
    Customer(usize),
    Lead(usize),
}

async fn move_customer(
    tx: &mut Tx,
    from: &UserRow,
    customer: &OwnedRecord<CustomerId>,
    to: &UserId,
    by: Option<&UserId>,
    now: i64,
    done: &mut HandedOver,
) -> Result<(), AppError> {
    ledger_from_creation(tx, "customer", customer, from).await?;
    tx.set_customer_owner(&customer.id, to, now).await?;
    tx.record_owner_change(change(
        "customer",
        customer.id.as_str(),
        customer,
        to,
        by,
        now,
    ))
    .await?;
    done.customers += 1;
    done.record_ids.push(customer.id.to_string());
    Ok(())
}

/// A lead goes with its open follow-ups and booked test drives.
async fn move_lead(
    tx: &mut Tx,
    lead: &OwnedRecord<LeadId>,
    to: &UserId,
    by: Option<&UserId>,
    now: i64,
    done: &mut HandedOver,
) -> Result<(), AppError> {
    tx.set_lead_owner(&lead.id, to, now).await?;
    let follow_ups = tx.move_open_follow_ups(&lead.id, to, now).await?;
    let drives = tx.pass_booked_test_drives(&lead.id, Some(to), now).await?;
    tx.record_owner_change(change("lead", lead.id.as_str(), lead, to, by, now))
        .await?;
    done.leads += 1;
    done.follow_ups += u32::try_from(follow_ups.len()).unwrap_or(u32::MAX);
    done.record_ids.push(lead.id.to_string());
    done.record_ids
        .extend(follow_ups.iter().map(ToString::to_string));
    done.record_ids
        .extend(drives.iter().map(ToString::to_string));
    Ok(())
}

fn change<'a, Id>(
    entity: &'static str,
    record_id: &'a str,
    record: &'a OwnedRecord<Id>,
    to: &'a UserId,
    by: Option<&'a UserId>,
    now: i64,
) -> OwnerChange<'a> {
    OwnerChange {
        entity,
        record_id,
        store_id: &record.store_id,
        owner_id: Some(to),
        reason: "handed_over",
        changed_by: by,
        at: now,
    }
}

/// A customer's ledger starts at its first change of owner; before handing it over, the
/// spell it was created into is written, so the ledger runs from its creation.
async fn ledger_from_creation<Id: std::fmt::Display>(
    tx: &mut Tx,
    entity: &'static str,
    record: &OwnedRecord<Id>,
    owner: &UserRow,
) -> Result<(), AppError> {
    let id = record.id.to_string();
    if tx.ownership_history(entity, &id).await?.is_empty() {
        tx.record_owner_change(OwnerChange {
            entity,
            record_id: &id,
            store_id: &record.store_id,
            owner_id: Some(&owner.id),
            reason: "created",
            changed_by: None,
            at: record.created_at,
        })
        .await?;
    }
    Ok(())
}
