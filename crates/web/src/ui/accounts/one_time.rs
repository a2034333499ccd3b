//! The page that shows a one-time password, once: after creating an account or
//! resetting its password. It is never stored in clear and never shown again.

use super::super::errors::render;
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use dealervault_app::users::UserSummary;
use secrecy::{ExposeSecret, SecretString};

#[derive(Debug, Template)]
#[template(path = "accounts/one_time.html")]
pub struct OneTimePasswordPage {
    pub page: Layout,
    pub heading: &'static str,
    pub username: String,
    pub display_name: String,
    pub id: String,
    pub password: String,
}

impl OneTimePasswordPage {
    pub fn render(
        who: &PageActor,
        status: StatusCode,
        user: &UserSummary,
        password: &SecretString,
        heading: &'static str,
    ) -> Response {
        let template = Self {
            page: Layout::for_actor(who, heading, Section::Accounts),
            heading,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            id: user.id.clone(),
            password: password.expose_secret().to_string(),
        };
        render(status, &template)
    }
}
