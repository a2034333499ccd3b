//! Extractors whose every refusal is an [`ApiError`]: the bearer actor, JSON bodies,
//! query strings and path segments. axum's own extractors answer in plain text, and
//! serde's messages may quote the values a client sent; these answer in the API's error
//! shape and name fields, never values.

use super::error::{ApiError, FieldIssue};
use crate::{client_context, WebState};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use dealervault_app::AppError;
use dealervault_app::{Actor, RequestContext};
use serde::de::DeserializeOwned;

/// The person behind `Authorization: Bearer <token>`, re-checked on every request, who
/// may use the API: an account still on a one-time password is refused (403
/// `password_change_required`) until it has changed it, and a session that may only set
/// up two-step sign-in (403 `mfa_enrolment_required`) until it has.
#[derive(Debug, Clone)]
pub struct ApiActor(pub Actor);

/// Any live session, including one that must change its password or set up two-step
/// sign-in first: only for those two, signing out and describing the caller.
#[derive(Debug, Clone)]
pub struct ApiSession(pub Actor);

/// The token of an `Authorization: Bearer` header, if there is one.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

impl FromRequestParts<WebState> for ApiSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, ApiError> {
        let token = bearer_token(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        let actor = state.app.authenticate(token, client_context(parts)).await?;
        Ok(ApiSession(actor))
    }
}

impl FromRequestParts<WebState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, ApiError> {
        let ApiSession(actor) = ApiSession::from_request_parts(parts, state).await?;
        if actor.must_change_password() {
            return Err(AppError::PasswordChangeRequired.into());
        }
        if actor.mfa_enrolment_required() {
            return Err(AppError::MfaEnrolmentRequired.into());
        }
        Ok(ApiActor(actor))
    }
}

/// The request facts recorded with an unauthenticated use case (a login).
#[derive(Debug, Clone)]
pub struct ClientContext(pub RequestContext);

impl<S: Send + Sync> FromRequestParts<S> for ClientContext {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        Ok(ClientContext(client_context(parts)))
    }
}

/// A JSON request body, read within the body limit and parsed strictly.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(req.headers()) {
            return Err(ApiError::unsupported_media_type());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::payload_too_large(super::BODY_LIMIT_BYTES)
            } else {
                ApiError::bad_request("无法读取请求体 / The request body could not be read")
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

const MALFORMED: &str = "请求体不是有效的 JSON / The request body is not valid JSON";

/// Parses a whole body as one JSON value of type `T`. Syntax errors are 400; a
/// well-formed body of the wrong shape is 422 naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Every request body of this API is an object. serde would also fill a struct from an
    // array, by position, which no client means to do.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(
            match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
                Ok(_) => ApiError::invalid(vec![FieldIssue {
                    field: "body".to_string(),
                    rule: "wrong_type".to_string(),
                    max: None,
                    min: None,
                }]),
                Err(_) => ApiError::bad_request(MALFORMED),
            },
        );
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                ApiError::invalid(vec![data_issue(&path, &inner.to_string())])
            }
            _ => ApiError::bad_request(MALFORMED),
        }
    })?;
    de.end().map_err(|_| ApiError::bad_request(MALFORMED))?;
    Ok(value)
}

/// Turns serde's description of a shape error into a field and a rule. Only the
/// backquoted field name of `unknown field`/`missing field` is taken from the message,
/// and only if it looks like a field name: the rest of the message may quote a value.
fn data_issue(path: &str, message: &str) -> FieldIssue {
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .filter(|name| looks_like_field(name))
            .map(str::to_string)
    };
    // The path names the object the error was found in, or (for an unknown key) the key.
    let under = |name: String| {
        if path == "." || path == name || !looks_like_path(path) {
            name
        } else if path.ends_with(&format!(".{name}")) {
            path.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    let (field, rule) = if let Some(name) = named("unknown field `") {
        (under(name), "unknown_field")
    } else if message.starts_with("unknown field") {
        (under("(unknown)".to_string()), "unknown_field")
    } else if let Some(name) = named("missing field `") {
        (under(name), "required")
    } else if path == "." {
        ("body".to_string(), "wrong_type")
    } else if looks_like_path(path) {
        (path.to_string(), "wrong_type")
    } else {
        ("body".to_string(), "wrong_type")
    };
    FieldIssue {
        field,
        rule: rule.to_string(),
        max: None,
        min: None,
    }
}

fn looks_like_field(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn looks_like_path(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'[' | b']'))
}

/// A query string. Parameters arrive as text (`?page=` is the same as no `page`) and
/// are converted by the handler with [`number`], so a bad one is named in the answer.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|Query(q)| ApiQuery(q))
            .map_err(|_| ApiError::bad_request("查询参数无效 / Invalid query parameters"))
    }
}

/// An optional text parameter: absent or blank is `None`.
pub fn text(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// An optional numeric parameter: absent or blank is `None`, anything else must parse.
pub fn number<N: std::str::FromStr>(
    name: &str,
    value: Option<&str>,
) -> Result<Option<N>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| ApiError::bad_parameter(name, "not_a_number")),
    }
}

/// One path segment, e.g. a record id.
#[derive(Debug, Clone)]
pub struct ApiPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ApiPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(id)| ApiPath(id))
            .map_err(|_| ApiError::not_found())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        age: Option<u32>,
    }

    fn issue(bytes: &str) -> (StatusCode, Vec<FieldIssue>) {
        let e = parse_json::<Body>(bytes.as_bytes()).expect_err("should be refused");
        (e.status(), e.fields().to_vec())
    }

    #[test]
    fn syntax_errors_are_bad_requests() {
        for body in [
            "{",
            "",
            "[1, 2",
            "{\"name\": }",
            "{\"name\": \"a\"} trailing",
        ] {
            assert_eq!(issue(body).0, StatusCode::BAD_REQUEST, "{body}");
        }
    }

    #[test]
    fn shape_errors_name_the_field_not_the_value() {
        let (status, fields) = issue(r#"{"name": "a", "age": "13800138000"}"#);
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            (fields[0].field.as_str(), fields[0].rule.as_str()),
            ("age", "wrong_type")
        );
        let (status, fields) = issue(r#"{"name": "a", "colour": 1}"#);
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            (fields[0].field.as_str(), fields[0].rule.as_str()),
            ("colour", "unknown_field")
        );
        assert_eq!(issue("[1, 2]").1[0].field, "body");
        let unknown = data_issue(".", "unknown field `colour`, expected `name` or `age`");
        assert_eq!(
            (unknown.field.as_str(), unknown.rule.as_str()),
            ("colour", "unknown_field")
        );
        let odd = data_issue(".", "unknown field `13800138000 x`, expected `name`");
        assert_eq!(odd.field, "(unknown)");
        let missing = data_issue(".", "missing field `name`");
        assert_eq!(
            (missing.field.as_str(), missing.rule.as_str()),
            ("name", "required")
        );
        let typed = data_issue("age", "invalid type: string \"13800138000\", expected u32");
        assert_eq!(
            (typed.field.as_str(), typed.rule.as_str()),
            ("age", "wrong_type")
        );
    }

    #[test]
    fn bearer_tokens_are_read_case_insensitively() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, "bearer abc".parse().expect("header"));
        assert_eq!(bearer_token(&headers), Some("abc"));
        headers.insert(AUTHORIZATION, "Basic abc".parse().expect("header"));
        assert_eq!(bearer_token(&headers), None);
        headers.insert(AUTHORIZATION, "Bearer ".parse().expect("header"));
        assert_eq!(bearer_token(&headers), None);
    }
}
