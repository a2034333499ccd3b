use super::{RoleDetail, RoleSummary};
use crate::actor::Actor;
use crate::error::AppError;
use crate::App;
use dealervault_domain::catalog::Entity;
use dealervault_policy::Action;
use dealervault_store::Tx;

/// Every role by code with its names, unchecked: for use cases that decided already.
pub(crate) async fn role_summaries(tx: &mut Tx) -> Result<Vec<RoleSummary>, AppError> {
    Ok(tx
        .roles()
        .await?
        .into_iter()
        .map(|r| RoleSummary {
            code: r.code,
            name_zh: r.name_zh,
            name_en: r.name_en,
        })
        .collect())
}

impl App {
    /// Every role, by code, with its names: what an account's role may be changed to.
    /// Needs the right to view roles; a refusal is recorded.
    pub async fn list_roles(&self, actor: &Actor) -> Result<Vec<RoleSummary>, AppError> {
        self.permit(actor, Entity::Role, Action::View, "role.list")
            .await?;
        let mut tx = self.store().read().await?;
        role_summaries(&mut tx).await
    }

    /// Every role with its rights and how many accounts hold it.
    pub async fn role_details(&self, actor: &Actor) -> Result<Vec<RoleDetail>, AppError> {
        self.permit(actor, Entity::Role, Action::View, "role.list")
            .await?;
        let mut tx = self.store().read().await?;
        let counts = tx.role_member_counts().await?;
        Ok(tx
            .roles()
            .await?
            .into_iter()
            .map(|row| {
                let members = counts
                    .iter()
                    .find(|(id, _)| *id == row.id)
                    .map_or(0, |(_, n)| *n);
                RoleDetail::of(row, members)
            })
            .collect())
    }

    /// One role by code, with its rights.
    pub async fn role_detail(&self, actor: &Actor, code: &str) -> Result<RoleDetail, AppError> {
        self.permit(actor, Entity::Role, Action::View, "role.view")
            .await?;
        let mut tx = self.store().read().await?;
        load(&mut tx, code).await
    }
}

pub(super) async fn load(tx: &mut Tx, code: &str) -> Result<RoleDetail, AppError> {
    let row = tx.role_by_code(code).await?.ok_or(AppError::NotFound)?;
    let members = tx
        .role_member_counts()
        .await?
        .into_iter()
        .find(|(id, _)| *id == row.id)
        .map_or(0, |(_, n)| n);
    Ok(RoleDetail::of(row, members))
}
