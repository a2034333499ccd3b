//! The demo's export history, through the real use cases on SH01's chain (the sales
//! manager, then the general manager): one export approved and downloaded (a file with
//! a manifest, for the auditor to trace a leak against), one rejected, and one waiting
//! for the sales manager — the notice on his home page.

use super::{Floor, HOUR_MS};
use dealervault_app::exports::{DecisionInput, ExportFilterInput, ExportInput};
use dealervault_app::AppError;

fn input(fields: &[&str], format: &str, purpose: &str) -> ExportInput {
    ExportInput {
        entity: "customers".into(),
        filter: ExportFilterInput::default(),
        fields: fields.iter().map(|f| f.to_string()).collect(),
        format: format.into(),
        purpose: purpose.into(),
    }
}

fn comment(text: &str) -> DecisionInput {
    DecisionInput {
        comment: Some(text.into()),
    }
}

pub(super) async fn play_exports(floor: &mut Floor) -> Result<(), AppError> {
    let sales01 = floor.actor("sales01").await?;
    let wanted = input(
        &["name", "mobile", "source"],
        "csv",
        "车展邀约名单 invitations for the auto show",
    );
    let shown = floor.app.request_export(&sales01, &wanted).await?;
    floor.at(floor.clock.now_ms() + HOUR_MS);
    let salesmgr01 = floor.actor("salesmgr01").await?;
    floor
        .app
        .approve_export(&salesmgr01, &shown.id, &comment("同意，仅限本次车展使用"))
        .await?;
    floor.at(floor.clock.now_ms() + HOUR_MS);
    let gm01 = floor.actor("gm01").await?;
    floor
        .app
        .approve_export(&gm01, &shown.id, &comment("同意"))
        .await?;
    floor.at(floor.clock.now_ms() + HOUR_MS);
    let sales01 = floor.actor("sales01").await?;
    floor.app.download_export(&sales01, &shown.id).await?;

    let sales03 = floor.actor("sales03").await?;
    let backup = input(&[], "xlsx", "个人备份 personal backup");
    let refused = floor.app.request_export(&sales03, &backup).await?;
    let salesmgr01 = floor.actor("salesmgr01").await?;
    let no = comment("客户资料不得个人备份 customer data is not for personal backups");
    floor
        .app
        .reject_export(&salesmgr01, &refused.id, &no)
        .await?;

    let sales02 = floor.actor("sales02").await?;
    let calls = input(&["name", "mobile"], "csv", "季度回访 quarterly calls");
    floor.app.request_export(&sales02, &calls).await?;
    Ok(())
}
