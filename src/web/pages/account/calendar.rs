//! `/account/calendar`: the signed-in person's calendar-feed addresses, one
//! for each forum they take part in, to subscribe to from a calendar app;
//! and "make a new address", for when one has been shared by mistake: the
//! old addresses stop working at once. The operations of
//! `/me/calendar-feed`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::kernel::state::AppState;
use crate::meetings::{self, CalendarFeedOut};
use crate::web::error::PageResult;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, Visitor};

const ADDRESS: &str = "/account/calendar";

#[derive(Template, WebTemplate)]
#[template(path = "calendar_feed.html")]
pub struct CalendarFeedPage {
    page: Page,
    csrf_token: String,
    /// Each forum's name and its feed's address.
    forums: Vec<(String, String)>,
    renewed: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Shown {
    done: String,
}

/// A path the server gave (no public address configured) made whole with
/// the address the page was asked for at, as a calendar app needs it.
fn whole(url: String, origin: &str) -> String {
    match url.starts_with('/') {
        true => format!("{origin}{url}"),
        false => url,
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Query(shown): Query<Shown>,
) -> PageResult<Response> {
    let caller = visitor.signed_in(ADDRESS)?;
    let CalendarFeedOut { forums, .. } = meetings::calendar_feed(&state, caller).await?;
    // Cookies are `Secure` exactly when the site is served over HTTPS.
    let scheme = if visitor.secure { "https" } else { "http" };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let origin = format!("{scheme}://{host}");
    let page = CalendarFeedPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        forums: forums
            .into_iter()
            .map(|f| (f.name, whole(f.url, &origin)))
            .collect(),
        renewed: shown.done == "renewed",
    };
    Ok((visitor.cookies(), page).into_response())
}

#[derive(Deserialize, Default)]
pub struct NoFields {}

/// Makes a new address; the old ones stop working.
pub async fn renew(
    State(state): State<AppState>,
    CheckedForm { visitor, .. }: CheckedForm<NoFields>,
) -> PageResult<Response> {
    let caller = visitor.signed_in(ADDRESS)?;
    meetings::rotate_calendar_feed(&state, caller).await?;
    Ok(Redirect::to(&format!("{ADDRESS}?done=renewed")).into_response())
}
