//! `/staff`: the store manager's staff, each with where they stand and how much of the
//! store's business is in their hands.

use super::super::errors::{self, render};
use super::super::layout::{Layout, Section};
use super::super::session::PageActor;
use super::Person;
use crate::WebState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

#[derive(Debug, Template)]
#[template(path = "staff/list.html")]
pub struct ListPage {
    pub page: Layout,
    pub rows: Vec<Person>,
    /// The reader's own id: nothing to do about their own account here.
    pub me: String,
}

pub async fn show(State(state): State<WebState>, who: PageActor) -> Response {
    let lang = who.lang;
    let members = match state.app.staff(&who.actor).await {
        Ok(members) => members,
        Err(e) => return errors::app_error(&who, &e),
    };
    let page = ListPage {
        page: Layout::for_actor(&who, lang.t("staff.title"), Section::Staff).at("/staff"),
        rows: members.iter().map(|m| Person::of(lang, m)).collect(),
        me: who.actor.user_id().to_string(),
    };
    render(StatusCode::OK, &page)
}
