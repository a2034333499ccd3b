//! `/reviews/report` (谁能看到什么): per role, the level of each customer field, the rows it
//! reaches and how many accounts hold it in each store, with a store filter; and the
//! same as a CSV download. For the administrator and the auditor; no customer data.

use super::super::errors::{self, render};
use super::super::i18n::Lang;
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use crate::WebState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use dealervault_app::reviews::{AccessReport, RoleAccess};
use dealervault_app::AppError;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    store: String,
}

/// One cell of the levels table: the level in words, its class, and whether the field
/// may leave in an export.
#[derive(Debug, Clone)]
pub struct Level {
    pub code: String,
    pub text: String,
    pub export: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RoleLine {
    pub code: String,
    pub name: String,
    pub accounts: i64,
    pub holders: Vec<i64>,
    pub levels: Vec<Level>,
    /// (entity, actions and scopes) in words.
    pub rows: Vec<(String, String)>,
}

#[derive(Debug, Template)]
#[template(path = "reviews/report.html")]
pub struct ReportPage {
    pub page: Layout,
    /// (code, name, chosen).
    pub stores: Vec<(String, String, bool)>,
    pub store_error: Option<String>,
    pub columns: Vec<String>,
    pub fields: Vec<String>,
    pub roles: Vec<RoleLine>,
    pub csv_href: String,
}

fn name(lang: Lang, zh: &str, en: &str) -> String {
    if lang.is_zh() { zh } else { en }.to_string()
}

fn column_name(
    lang: Lang,
    code: &Option<String>,
    zh: &Option<String>,
    en: &Option<String>,
) -> String {
    match code {
        None => lang.t("user.group").to_string(),
        Some(code) => format!(
            "{code} {}",
            if lang.is_zh() { zh } else { en }
                .clone()
                .unwrap_or_default()
        ),
    }
}

fn role_line(lang: Lang, r: &RoleAccess) -> RoleLine {
    RoleLine {
        code: r.code.clone(),
        name: name(lang, &r.name_zh, &r.name_en),
        accounts: r.accounts,
        holders: r.holders.iter().map(|h| h.accounts).collect(),
        levels: r
            .fields
            .iter()
            .map(|f| Level {
                code: f.level.clone(),
                text: lang.code_label("perm.level", &f.level),
                export: (f.export != "none")
                    .then(|| lang.code_label("reviews.report.export", &f.export)),
            })
            .collect(),
        rows: super::rows_text(lang, &r.rows),
    }
}

fn store_param(q: &ReportQuery) -> Option<&str> {
    Some(q.store.trim()).filter(|s| !s.is_empty())
}

pub async fn show(
    State(state): State<WebState>,
    who: PageActor,
    Query(q): Query<ReportQuery>,
) -> Response {
    let lang = who.lang;
    let (report, status, store_error) = match state
        .app
        .access_report(&who.actor, store_param(&q), false)
        .await
    {
        Ok(r) => (r, StatusCode::OK, None),
        Err(AppError::Invalid(list)) => {
            let words = list.first().map(|fe| lang.rule(fe));
            // The filter named no store: the whole report, with the refusal beside it.
            match state.app.access_report(&who.actor, None, false).await {
                Ok(r) => (r, StatusCode::UNPROCESSABLE_ENTITY, words),
                Err(e) => return errors::app_error(&who, &e),
            }
        }
        Err(e) => return errors::app_error(&who, &e),
    };
    let chosen = report.store.clone();
    let template = ReportPage {
        page: Layout::for_actor(&who, lang.t("reviews.report.title"), Section::Reviews)
            .at("/reviews/report"),
        stores: report
            .stores
            .iter()
            .map(|s| {
                let code = s.code.clone().unwrap_or_default();
                let chosen = chosen.as_deref() == Some(code.as_str());
                (
                    code,
                    column_name(lang, &s.code, &s.name_zh, &s.name_en),
                    chosen,
                )
            })
            .collect(),
        store_error,
        columns: report
            .columns
            .iter()
            .map(|c| column_name(lang, &c.code, &c.name_zh, &c.name_en))
            .collect(),
        fields: report
            .fields
            .iter()
            .map(|f| name(lang, &f.label_zh, &f.label_en))
            .collect(),
        roles: report.roles.iter().map(|r| role_line(lang, r)).collect(),
        csv_href: match &chosen {
            Some(code) => format!("/reviews/report.csv?store={code}"),
            None => "/reviews/report.csv".to_string(),
        },
    };
    render(status, &template)
}

/// One CSV cell: quoted when it must be, and never read as a formula by a spreadsheet.
fn cell(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// The report as CSV: one line per role, with its holders per column, its level of
/// each customer field and its row scopes (codes, so that a script can read it).
fn to_csv(lang: Lang, report: &AccessReport) -> String {
    let mut head = vec![lang.t("reviews.report.role").to_string(), "code".into()];
    head.extend(
        report
            .columns
            .iter()
            .map(|c| column_name(lang, &c.code, &c.name_zh, &c.name_en)),
    );
    head.extend(report.fields.iter().map(|f| f.field.clone()));
    head.push(lang.t("reviews.report.rows").to_string());
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| {
        let mut l = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
        l.push_str("\r\n");
        l
    };
    out.push_str(&line(head));
    for r in &report.roles {
        let mut cells = vec![name(lang, &r.name_zh, &r.name_en), r.code.clone()];
        cells.extend(r.holders.iter().map(|h| h.accounts.to_string()));
        cells.extend(r.fields.iter().map(|f| match f.export.as_str() {
            "none" => f.level.clone(),
            export => format!("{}+export:{export}", f.level),
        }));
        cells.push(
            r.rows
                .iter()
                .map(|s| match &s.except {
                    Some(except) => format!("{}.{}:{}-{except}", s.entity, s.action, s.scope),
                    None => format!("{}.{}:{}", s.entity, s.action, s.scope),
                })
                .collect::<Vec<_>>()
                .join(" "),
        );
        out.push_str(&line(cells));
    }
    out
}

/// `GET /reviews/report.csv`: the download, recorded as such.
pub async fn csv(
    State(state): State<WebState>,
    who: PageActor,
    Query(q): Query<ReportQuery>,
) -> Response {
    match state
        .app
        .access_report(&who.actor, store_param(&q), true)
        .await
    {
        Ok(report) => {
            let filename = match &report.store {
                Some(code) => format!("access-report-{code}.csv"),
                None => "access-report.csv".to_string(),
            };
            let headers = [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
            ];
            (headers, to_csv(who.lang, &report)).into_response()
        }
        Err(e) => errors::app_error(&who, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=SUM(A1)"), "'=SUM(A1)");
    }
}
