//! `/account/mfa`: the signed-in person's two-step sign-in — where they stand, setting it
//! up (the key shown once, as a QR code and as text, confirmed with a code), the ten
//! recovery codes (shown once), and new ones for a current code. Open to a session that
//! may do nothing else yet; every post checks the session's CSRF token.

use super::errors::{self, render};
use super::layout::{local_time, Layout, Section};
use super::session::{EnrolSession, PageActor};
use crate::WebState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use dealervault_app::auth::{MfaStatus, FEW_RECOVERY_CODES};
use dealervault_app::AppError;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use secrecy::ExposeSecret;
use serde::Deserialize;

#[derive(Debug, Template)]
#[template(path = "account/mfa.html")]
pub struct MfaPage {
    pub page: Layout,
    pub csrf: String,
    pub status: MfaStatus,
    /// The session may do nothing else until this is set up.
    pub restricted: bool,
    /// "Set it up before …", in the store's time.
    pub deadline: Option<String>,
    /// Few recovery codes are left (the count), to be made anew.
    pub few_left: Option<i64>,
    pub alert: Option<String>,
}

#[derive(Template)]
#[template(path = "account/mfa_setup.html")]
pub struct SetupPage {
    pub page: Layout,
    pub csrf: String,
    pub username: String,
    /// The QR code of the `otpauth://` URI, an inline SVG (no style, no script).
    pub qr: String,
    /// The key in base32, in groups of four for typing.
    pub secret: String,
}

// The page carries the key: never printed.
impl std::fmt::Debug for SetupPage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SetupPage(..)")
    }
}

#[derive(Template)]
#[template(path = "account/recovery_codes.html")]
pub struct CodesPage {
    pub page: Layout,
    pub lead: &'static str,
    pub codes: Vec<String>,
}

impl std::fmt::Debug for CodesPage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CodesPage(..)")
    }
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    csrf: Option<String>,
}

/// A form with a code from the app. Not `Debug`: it holds a code.
#[derive(Deserialize)]
pub struct CodeForm {
    csrf: Option<String>,
    #[serde(default)]
    code: String,
}

fn layout(who: &PageActor, title: &str) -> Layout {
    Layout::for_actor(who, title, Section::None)
        .at("/account/mfa")
        .without_mfa_notice()
}

/// The QR code of `uri` as inline SVG: dark modules as one path, light background,
/// sizes in attributes only, so the page's CSP (no inline style) holds.
pub fn qr_svg(uri: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(uri.as_bytes(), EcLevel::M).ok()?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(216, 216)
        .quiet_zone(true)
        .build();
    // The XML prolog and the namespace mean nothing inside HTML.
    let at = image.find("<svg")?;
    let label = label.replace(['"', '<', '>', '&'], "");
    Some(
        image[at..]
            .replacen(r#" xmlns="http://www.w3.org/2000/svg""#, "", 1)
            .replacen(
                "<svg ",
                &format!(r#"<svg class="qr-code" role="img" aria-label="{label}" "#),
                1,
            ),
    )
}

/// `ABCDEFGH…` as `ABCD EFGH …`.
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

async fn status_page(
    state: &WebState,
    who: &PageActor,
    http: StatusCode,
    alert: Option<String>,
) -> Response {
    let lang = who.lang;
    let status = match state.app.mfa_status(&who.actor).await {
        Ok(s) => s,
        Err(e) => return errors::app_error(who, &e),
    };
    let few_left =
        Some(status.recovery_codes_left).filter(|n| status.enabled && *n <= FEW_RECOVERY_CODES);
    let template = MfaPage {
        page: layout(who, lang.t("mfa.title")),
        csrf: who.csrf().to_string(),
        restricted: who.actor.mfa_enrolment_required(),
        deadline: status.enrol_by.filter(|_| !status.enabled).map(local_time),
        few_left,
        alert,
        status,
    };
    render(http, &template)
}

fn codes_page(who: &PageActor, lead: &'static str, codes: Vec<String>) -> Response {
    let template = CodesPage {
        page: layout(who, who.lang.t("mfa.codes.title")),
        lead: who.lang.t(lead),
        codes,
    };
    render(StatusCode::OK, &template)
}

pub async fn show(State(state): State<WebState>, EnrolSession(who): EnrolSession) -> Response {
    status_page(&state, &who, StatusCode::OK, None).await
}

/// A refusal on the status page, in words.
async fn refused(state: &WebState, who: &PageActor, e: AppError) -> Response {
    let lang = who.lang;
    let (http, key) = match e {
        AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "mfa.error.code"),
        AppError::Conflict("mfa_already_enabled") => (StatusCode::CONFLICT, "mfa.error.enabled"),
        AppError::Conflict("mfa_not_pending") => (StatusCode::CONFLICT, "mfa.error.not_pending"),
        AppError::Conflict("mfa_not_enabled") => (StatusCode::CONFLICT, "mfa.error.not_enabled"),
        e => return errors::app_error(who, &e),
    };
    status_page(state, who, http, Some(lang.t(key).to_string())).await
}

pub async fn setup(
    State(state): State<WebState>,
    EnrolSession(who): EnrolSession,
    Form(form): Form<TokenForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    let lang = who.lang;
    let setup = match state.app.begin_mfa_setup(&who.actor).await {
        Ok(s) => s,
        Err(e) => return refused(&state, &who, e).await,
    };
    let Some(qr) = qr_svg(
        setup.otpauth_uri.expose_secret(),
        lang.t("mfa.setup.qr_label"),
    ) else {
        return errors::app_error(&who, &AppError::Integrity);
    };
    let template = SetupPage {
        page: layout(&who, lang.t("mfa.setup.title")),
        csrf: who.csrf().to_string(),
        username: who.actor.username().to_string(),
        qr,
        secret: grouped(setup.secret.expose_secret()),
    };
    render(StatusCode::OK, &template)
}

pub async fn confirm(
    State(state): State<WebState>,
    EnrolSession(who): EnrolSession,
    Form(form): Form<CodeForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    match state.app.confirm_mfa(&who.actor, &form.code).await {
        Ok(codes) => codes_page(&who, "mfa.codes.enabled", codes),
        Err(e) => refused(&state, &who, e).await,
    }
}

pub async fn regenerate(
    State(state): State<WebState>,
    EnrolSession(who): EnrolSession,
    Form(form): Form<CodeForm>,
) -> Response {
    if let Some(refused) = who.csrf_refusal(form.csrf.as_deref()) {
        return refused;
    }
    match state
        .app
        .regenerate_recovery_codes(&who.actor, &form.code)
        .await
    {
        Ok(codes) => codes_page(&who, "mfa.codes.renewed", codes),
        Err(e) => refused(&state, &who, e).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_inline_svg_without_style_or_prolog() {
        let svg = qr_svg(
            "otpauth://totp/DealerVault%3Agm01?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=DealerVault",
            "二维码 \"x\"",
        )
        .expect("a QR code");
        assert!(
            svg.starts_with(r#"<svg class="qr-code" role="img" aria-label="二维码 x" "#),
            "{svg}"
        );
        assert!(svg.ends_with("</svg>"), "{svg}");
        assert!(!svg.contains("<?xml"));
        assert!(
            !svg.contains("http"),
            "nothing that looks like an outside resource"
        );
        assert!(!svg.contains("style"));
        assert!(!svg.contains("script"));
        assert!(svg.contains("<path"), "dark modules drawn");
    }

    #[test]
    fn keys_are_grouped_for_typing() {
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
