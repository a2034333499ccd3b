//! `/audit/trace`: the auditor uploads a leaked file and learns which export(s) it most
//! likely came from — the export, who asked for it and when, how sure the match is, and
//! whether the file still carried the watermark and the fingerprint. The file is only
//! compared (`App::trace_leak`): never kept, no value of it shown.

use super::super::errors::{self, render};
use super::super::layout::{local_time, Layout, Section};
use super::super::session::PageActor;
use crate::WebState;
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_app::exports::{TraceCandidate, TraceReport};
use dealervault_app::AppError;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::{FieldError, Rule};
use dealervault_policy::Action;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// One export the file may have come from.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub export_id: String,
    pub requester: String,
    pub username: String,
    pub requested_at: String,
    pub confidence: String,
    pub rows_matched: usize,
    pub watermark: bool,
    pub fingerprint: bool,
}

#[derive(Debug, Template)]
#[template(path = "exports/trace.html")]
pub struct TracePage {
    pub page: Layout,
    pub csrf: String,
    /// Why the file could not be read.
    pub error: Option<String>,
    /// Rows in the file and the candidates, best first, after an upload.
    pub report: Option<(usize, Vec<Candidate>)>,
}

/// 0–1 as a percentage, one decimal at most: `97.5%`, `100%`.
fn percent(confidence: f64) -> String {
    let tenths = (confidence * 1000.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}%")
    } else {
        format!("{tenths:.1}%")
    }
}

/// An RFC 3339 time as the store shows it.
fn shown_time(rfc3339: &str) -> String {
    OffsetDateTime::parse(rfc3339, &Rfc3339)
        .map(|t| local_time(t.unix_timestamp().saturating_mul(1000)))
        .unwrap_or_else(|_| rfc3339.to_string())
}

fn candidate(c: &TraceCandidate) -> Candidate {
    Candidate {
        export_id: c.export_id.clone(),
        requester: c.requested_by_name.clone(),
        username: c.requested_by.clone(),
        requested_at: shown_time(&c.requested_at),
        confidence: percent(c.confidence),
        rows_matched: c.rows_matched,
        watermark: c.watermark,
        fingerprint: c.fingerprint,
    }
}

fn page(who: &PageActor, error: Option<String>, report: Option<&TraceReport>) -> TracePage {
    TracePage {
        page: Layout::for_actor(who, who.lang.t("trace.title"), Section::Audit).at("/audit/trace"),
        csrf: who.csrf().to_string(),
        error,
        report: report.map(|r| (r.rows_in_file, r.candidates.iter().map(candidate).collect())),
    }
}

/// Only those who read the audit log trace leaks (`App::trace_leak` checks the same).
fn may_trace(who: &PageActor) -> bool {
    who.actor.may(Entity::AuditLog, Action::View)
}

pub async fn show(who: PageActor) -> Response {
    if !may_trace(&who) {
        return errors::app_error(&who, &AppError::Forbidden);
    }
    render(StatusCode::OK, &page(&who, None, None))
}

/// What the upload held: whether its token matched, and the file (or why not).
enum Upload {
    NoToken,
    File(Vec<u8>),
    /// The file could not be read to its end: too large, or cut short.
    Unreadable(Rule),
}

/// Reads the form's parts in order: the token must come before the file (as the page
/// sends them), so that no file is read for a post without it.
async fn read_upload(who: &PageActor, multipart: &mut Multipart) -> Upload {
    let mut token = false;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // Too large to read even the token: saying so does nothing, so needs none.
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Upload::Unreadable(Rule::FileTooLarge)
            }
            Err(_) => break,
        };
        match field.name() {
            Some("csrf") => {
                let given = field.text().await.unwrap_or_default();
                token = who.csrf_refusal(Some(&given)).is_none();
            }
            Some("file") if token => {
                return match field.bytes().await {
                    Ok(bytes) => Upload::File(bytes.to_vec()),
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        Upload::Unreadable(Rule::FileTooLarge)
                    }
                    Err(_) => Upload::Unreadable(Rule::CorruptFile),
                };
            }
            Some("file") => return Upload::NoToken,
            _ => {}
        }
    }
    if token {
        Upload::File(Vec::new())
    } else {
        Upload::NoToken
    }
}

pub async fn upload(
    State(state): State<WebState>,
    who: PageActor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    // A post that is no upload carries no token the page gave.
    let Ok(mut multipart) = multipart else {
        return errors::csrf_refused(&who);
    };
    let bytes = match read_upload(&who, &mut multipart).await {
        Upload::NoToken => return errors::csrf_refused(&who),
        Upload::Unreadable(rule) => {
            if !may_trace(&who) {
                return errors::app_error(&who, &AppError::Forbidden);
            }
            let status = if rule == Rule::FileTooLarge {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let error = Some(who.lang.rule(&FieldError::new("file", rule)));
            return render(status, &page(&who, error, None));
        }
        Upload::File(bytes) => bytes,
    };
    match state.app.trace_leak(&who.actor, &bytes).await {
        Ok(report) => render(StatusCode::OK, &page(&who, None, Some(&report))),
        Err(AppError::Invalid(list)) => {
            let error = list.first().map(|e| who.lang.rule(e));
            render(StatusCode::UNPROCESSABLE_ENTITY, &page(&who, error, None))
        }
        Err(e) => errors::app_error(&who, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_reads_as_a_percentage() {
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.975), "97.5%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.3333), "33.3%");
    }

    #[test]
    fn times_are_shown_in_the_store_s_zone() {
        assert_eq!(shown_time("2026-01-05T06:03:00Z"), "2026-01-05 14:03");
        assert_eq!(shown_time("soon"), "soon");
    }
}
