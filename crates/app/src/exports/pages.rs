//! What the export pages need beside the use cases: the roles a step of the store's
//! chain may name, for the rules page's selects.

use crate::actor::Actor;
use crate::error::AppError;
use crate::roles::{role_summaries, RoleSummary};
use crate::App;

impl App {
    /// Every role with its names, for choosing the approver of a step of the store's
    /// export chain; for those who may read the chain (`export_rules`), refused (and
    /// recorded) as it is.
    pub async fn export_rule_roles(&self, actor: &Actor) -> Result<Vec<RoleSummary>, AppError> {
        self.export_rules(actor).await?;
        let mut tx = self.store().read().await?;
        role_summaries(&mut tx).await
    }
}
