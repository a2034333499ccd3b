//! Handing a leaving person's customers, open leads and their follow-ups and booked
//! test drives to colleagues: to one person, or round-robin over the colleagues of their
//! team who hold the same role (their department's when they have no team). Each record's
//! owner change goes into the ownership ledger (`handed_over`), so nothing is left with
//! a frozen owner and every move is on record.

use crate::error::AppError;
use dealervault_domain::error::Rule;
use dealervault_domain::ids::UserId;
use dealervault_store::{OwnedRecord, OwnerChange, Tx, UserRow};

/// How the book is handed over.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum HandoverInput {
    /// Everything to one colleague of the same store.
    ToUser { to_user_id: String },
    /// Round-robin over the team's colleagues of the same role.
    RoundRobinTeam,
}

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
            let refused = || AppError::invalid("handover.to_user_id", Rule::UnknownValue);
            let id = UserId::parse(to_user_id).ok_or_else(refused)?;
            let to = tx.user_by_id(&id).await?.ok_or_else(refused)?;
            if to.id == from.id || to.status != "active" || to.store_id != from.store_id {
                return Err(refused());
            }
            Ok(vec![to.id])
        }
        HandoverInput::RoundRobinTeam => {
            let mut team: Vec<UserRow> = tx
                .users()
                .await?
                .into_iter()
                .filter(|u| {
                    u.id != from.id
                        && u.status == "active"
                        && u.role_id == from.role_id
                        && u.store_id == from.store_id
                        && match &from.team_id {
                            Some(team) => u.team_id.as_ref() == Some(team),
                            None => u.department_id == from.department_id,
                        }
                })
                .collect();
            team.sort_by(|a, b| a.username.cmp(&b.username));
            if team.is_empty() {
                return Err(AppError::Conflict("no_colleague_to_hand_over_to"));
            }
            Ok(team.into_iter().map(|u| u.id).collect())
        }
    }
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
        ledger_from_creation(tx, "customer", &customer, from).await?;
        tx.set_customer_owner(&customer.id, to, now).await?;
        tx.record_owner_change(change(
            "customer",
            customer.id.as_str(),
            &customer,
            to,
            by,
            now,
        ))
        .await?;
        done.customers += 1;
        done.record_ids.push(customer.id.to_string());
    }
    for lead in tx.open_leads_owned_by(&from.id).await? {
        let Some(to) = turn.next() else { break };
        tx.set_lead_owner(&lead.id, to, now).await?;
        let follow_ups = tx.move_open_follow_ups(&lead.id, to, now).await?;
        let drives = tx.pass_booked_test_drives(&lead.id, Some(to), now).await?;
        tx.record_owner_change(change("lead", lead.id.as_str(), &lead, to, by, now))
            .await?;
        done.leads += 1;
        done.follow_ups += u32::try_from(follow_ups.len()).unwrap_or(u32::MAX);
        done.record_ids.push(lead.id.to_string());
        done.record_ids
            .extend(follow_ups.iter().map(ToString::to_string));
        done.record_ids
            .extend(drives.iter().map(ToString::to_string));
    }
    // Tasks on leads that left the funnel (a planned call after an order) go too.
    if let Some(to) = turn.next() {
        let tasks = tx.move_open_follow_ups_of(&from.id, to, now).await?;
        done.follow_ups += u32::try_from(tasks.len()).unwrap_or(u32::MAX);
        done.record_ids.extend(tasks);
    }
    Ok(done)
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
