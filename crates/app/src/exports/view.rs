//! An export request as its requester and approvers see it: who asked, for what, how
//! many rows, where the chain stands, and what the reader may do with it now.

use dealervault_domain::ids::UserId;
use dealervault_store::{ApprovalRow, ExportRow};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ExportView {
    pub id: String,
    /// `pending`, `approved`, `rejected`, `expired`, `ready` or `downloaded`.
    pub status: String,
    pub entity: String,
    pub format: String,
    pub fields: Vec<String>,
    /// The filter as parsed: `owner` (a user id) and `source`, when given.
    #[schema(value_type = Object)]
    pub filter: serde_json::Value,
    pub purpose: String,
    /// Rows in the requester's scope when the request was made.
    pub row_count: u64,
    pub requested_by: String,
    pub requested_by_name: String,
    /// Unix milliseconds.
    pub requested_at: i64,
    /// Undecided after this (unix ms), the request expires.
    pub decide_by: i64,
    /// Once approved: downloads possible until then (unix ms).
    pub download_until: Option<i64>,
    pub downloads_left: u32,
    /// Rows the generated file holds (the scope at generation time).
    pub file_rows: Option<u64>,
    pub approvals: Vec<ApprovalView>,
    /// The reader is the approver the request waits for.
    pub awaiting_you: bool,
    /// The reader asked for it and may download it now.
    pub can_download: bool,
    /// For approvers: a few rows as the file would show them, every personal field
    /// masked whatever the requester's level (a preview, not a copy).
    pub sample: Vec<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ApprovalView {
    pub position: u32,
    /// The role code the step's approver holds.
    pub role: String,
    pub role_name_zh: String,
    pub role_name_en: String,
    /// The approver must be in the requester's department.
    pub same_department: bool,
    /// `waiting`, `approved` or `rejected`.
    pub status: String,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<i64>,
    pub comment: String,
}

/// The exports page: one's own requests and those waiting for one's decision.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct ExportList {
    /// Every request the reader may see, newest first (the three lists below together).
    pub items: Vec<ExportView>,
    pub mine: Vec<ExportView>,
    pub awaiting_me: Vec<ExportView>,
    /// Requests of the store one decided or may decide later, newest first.
    pub others: Vec<ExportView>,
}

/// What a view needs besides the rows: names, and what the reader may do.
pub(crate) struct ViewContext<'a> {
    pub names: &'a HashMap<UserId, String>,
    pub roles: &'a BTreeMap<String, (String, String)>,
    pub awaiting_you: bool,
    pub can_download: bool,
    pub status: &'a str,
}

pub(crate) fn render(row: &ExportRow, approvals: &[ApprovalRow], ctx: &ViewContext) -> ExportView {
    let name = |id: &UserId| ctx.names.get(id).cloned().unwrap_or_default();
    ExportView {
        id: row.id.to_string(),
        status: ctx.status.to_string(),
        entity: row.entity.clone(),
        format: row.format.clone(),
        fields: row
            .fields
            .split(',')
            .filter(|f| !f.is_empty())
            .map(str::to_string)
            .collect(),
        filter: serde_json::from_str(&row.filter).unwrap_or(serde_json::Value::Null),
        purpose: row.purpose.clone(),
        row_count: u64::try_from(row.row_count).unwrap_or(0),
        requested_by: row.requested_by.to_string(),
        requested_by_name: name(&row.requested_by),
        requested_at: row.created_at,
        decide_by: row.decide_by,
        download_until: row.download_until,
        downloads_left: u32::try_from(row.max_downloads - row.downloads).unwrap_or(0),
        file_rows: row.file_rows.and_then(|n| u64::try_from(n).ok()),
        approvals: approvals
            .iter()
            .map(|a| {
                let (zh, en) = ctx.roles.get(&a.role_code).cloned().unwrap_or_default();
                ApprovalView {
                    position: u32::try_from(a.position).unwrap_or(0),
                    role: a.role_code.clone(),
                    role_name_zh: zh,
                    role_name_en: en,
                    same_department: a.same_department,
                    status: a.decision.clone().unwrap_or_else(|| "waiting".into()),
                    decided_by_name: a.decided_by.as_ref().map(name),
                    decided_at: a.decided_at,
                    comment: a.comment.clone(),
                }
            })
            .collect(),
        awaiting_you: ctx.awaiting_you,
        can_download: ctx.can_download,
        sample: Vec::new(),
    }
}
