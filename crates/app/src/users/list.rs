use super::{summary, UserSummary};
use crate::actor::Actor;
use crate::error::AppError;
use crate::App;
use dealervault_domain::catalog::Entity;
use dealervault_policy::Action;

impl App {
    pub async fn list_users(&self, actor: &Actor) -> Result<Vec<UserSummary>, AppError> {
        self.permit(actor, Entity::User, Action::View, "user.list")
            .await?;
        let mut tx = self.store().read().await?;
        let mut out = Vec::new();
        for user in tx.users().await? {
            out.push(summary(&mut tx, &user).await?);
        }
        Ok(out)
    }
}
