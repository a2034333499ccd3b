//! `/staff`: the store manager's staff, each with where they stand and how much of the
//! store's business is in their hands.

use super::super::errors::{self, render};
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::{place, Standing};
use crate::WebState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub name: String,
    pub username: String,
    pub role: String,
    pub place: String,
    pub standing: Standing,
    pub customers: i64,
    pub open_leads: i64,
    pub open_follow_ups: i64,
    /// The reader's own account: nothing to do about it here.
    pub me: bool,
}

#[derive(Debug, Template)]
#[template(path = "staff/list.html")]
pub struct ListPage {
    pub page: Layout,
    pub rows: Vec<Row>,
}

pub async fn show(State(state): State<WebState>, who: PageActor) -> Response {
    let lang = who.lang;
    let members = match state.app.staff(&who.actor).await {
        Ok(members) => members,
        Err(e) => return errors::app_error(&who, &e),
    };
    let me = who.actor.user_id().to_string();
    let rows = members
        .iter()
        .map(|m| Row {
            id: m.account.id.clone(),
            name: m.account.display_name.clone(),
            username: m.account.username.clone(),
            role: m.role_name.in_lang(lang.is_zh()).to_string(),
            place: place(lang, m),
            standing: Standing::of(lang, m),
            customers: m.customers,
            open_leads: m.open_leads,
            open_follow_ups: m.open_follow_ups,
            me: m.account.id == me,
        })
        .collect();
    let page = ListPage {
        page: Layout::for_actor(&who, lang.t("staff.title"), Section::Staff).at("/staff"),
        rows,
    };
    render(StatusCode::OK, &page)
}
