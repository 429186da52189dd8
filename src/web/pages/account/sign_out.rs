//! `/sign-out`: ends the browser's session — the same operation as the
//! API's logout, so the session is over for every face — and forgets its
//! cookie.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth;
use crate::kernel::state::AppState;
use crate::web::error::PageResult;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, SetCookies, Visitor, ended_session_cookie};

/// For someone who came to the address rather than the header's button.
#[derive(Template, WebTemplate)]
#[template(path = "sign_out.html")]
pub struct SignOutPage {
    page: Page,
    csrf_token: String,
}

pub async fn show(visitor: Visitor) -> Response {
    if visitor.caller.is_none() {
        return Redirect::to("/").into_response();
    }
    SignOutPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
    }
    .into_response()
}

#[derive(serde::Deserialize)]
pub struct NoFields {}

pub async fn submit(
    State(state): State<AppState>,
    CheckedForm { visitor, .. }: CheckedForm<NoFields>,
) -> PageResult<Response> {
    if let Some(caller) = &visitor.caller {
        auth::logout(&state, caller).await?;
    }
    Ok((
        SetCookies(vec![ended_session_cookie(visitor.secure)]),
        Redirect::to("/sign-in?signed-out=1"),
    )
        .into_response())
}
