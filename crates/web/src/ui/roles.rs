//! `/admin/roles`: roles and the permission editor, for the system administrator. The
//! editor is a matrix of entity × action (widest allowed and denied scope per cell) and
//! a table of customer fields (level and export right), with a live preview of an
//! invented customer as the role would see it, and a review page listing what a change
//! opens up before it is saved. Everything goes through the same use cases as the API;
//! no page here shows a real customer.

mod editor;
mod form;
mod list;

use super::choice::Choice;
use super::i18n::Lang;
use crate::WebState;
use axum::routing::{get, post};
use axum::Router;
use dealervault_domain::access::ScopeLevel;
use dealervault_policy::change::Difference;
use dealervault_policy::ExportRight;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/admin/roles", get(list::show).post(list::create))
        .route("/admin/roles/{code}", get(editor::show).post(editor::save))
        .route("/admin/roles/{code}/preview", post(editor::preview))
        .route("/admin/roles/{code}/review", post(editor::review))
}

/// A scope in words, or "none".
fn scope_label(lang: Lang, scope: Option<ScopeLevel>) -> &'static str {
    match scope {
        Some(s) => lang.t(&format!("perm.scope.{}", s.code())),
        None => lang.t("perm.scope.none"),
    }
}

/// The options of a scope select: none, then own … group.
fn scope_choices(lang: Lang, selected: Option<ScopeLevel>) -> Vec<Choice> {
    let none = Choice {
        code: "".into(),
        label: lang.t("perm.scope.none").into(),
        selected: selected.is_none(),
    };
    let scopes = Choice::list(
        lang,
        "perm.scope",
        ScopeLevel::ALL.map(ScopeLevel::code),
        selected.map_or("", ScopeLevel::code),
    );
    std::iter::once(none).chain(scopes).collect()
}

/// One difference in words: what, and from → to.
#[derive(Debug, Clone)]
pub struct DifferenceLine {
    pub what: String,
    pub from: String,
    pub to: String,
    pub opens: bool,
}

impl DifferenceLine {
    fn of(lang: Lang, d: &Difference) -> Self {
        let entity =
            |e: dealervault_domain::catalog::Entity| lang.t(&format!("perm.entity.{}", e.code()));
        let action = |a: dealervault_policy::Action| lang.t(&format!("perm.action.{}", a.code()));
        let level = |l: dealervault_policy::FieldLevel| lang.t(&format!("perm.level.{}", l.code()));
        let export = |r: ExportRight| lang.t(&format!("perm.export.{}", r.code()));
        let (what, from, to) = match d {
            Difference::Allow {
                entity: e,
                action: a,
                from,
                to,
            } => (
                format!("{} · {}", entity(*e), action(*a)),
                scope_label(lang, *from).to_string(),
                scope_label(lang, *to).to_string(),
            ),
            Difference::Deny {
                entity: e,
                action: a,
                from,
                to,
            } => (
                lang.t1(
                    "perm.diff.deny",
                    format_args!("{} · {}", entity(*e), action(*a)),
                ),
                scope_label(lang, *from).to_string(),
                scope_label(lang, *to).to_string(),
            ),
            Difference::Field {
                entity: e,
                field,
                from,
                to,
            } => (
                format!("{} · {}", entity(*e), lang.label_of(*e, field)),
                level(*from).to_string(),
                level(*to).to_string(),
            ),
            Difference::Export {
                entity: e,
                field,
                from,
                to,
            } => (
                lang.t1(
                    "perm.diff.export",
                    format_args!("{} · {}", entity(*e), lang.label_of(*e, field)),
                ),
                export(*from).to_string(),
                export(*to).to_string(),
            ),
            Difference::Mfa { from, to } => {
                let mark = |on: bool| lang.t(if on { "perm.mfa.on" } else { "perm.mfa.off" });
                (
                    lang.t("perm.diff.mfa").to_string(),
                    mark(*from).to_string(),
                    mark(*to).to_string(),
                )
            }
        };
        Self {
            what,
            from,
            to,
            opens: d.opens(),
        }
    }
}
