//! `/forums/{id}/meetings/{meeting_id}`: one meeting as a reader of it sees
//! it — its details, its agenda as they may read it, its papers, its RSVPs
//! — and, for its officers, the agenda's making: items added and edited,
//! put in order, proposals accepted or declined, matters arising brought
//! up to date or dropped, papers uploaded. Each form is the operation the
//! API calls; each refusal is shown on the form that was sent, with what
//! was typed.

mod conflict;
mod items;
mod items_form;
mod matters;
mod order;
mod papers;
mod proposals;
mod rsvp;
mod show;
mod view;

pub(crate) use view::region_commitments;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use uuid::Uuid;

use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::web::error::{PageError, id_in_path};

/// The meeting pages' routes.
pub fn routes() -> Router<AppState> {
    const MEETING: &str = "/forums/{id}/meetings/{meeting_id}";
    Router::new()
        .route(MEETING, get(show::show))
        .route(&format!("{MEETING}/items"), post(items::add))
        .route(
            &format!("{MEETING}/items/{{item_id}}"),
            get(items::edit).post(items::save),
        )
        .route(
            &format!("{MEETING}/items/{{item_id}}/decision"),
            post(proposals::decide),
        )
        .route(&format!("{MEETING}/order"), post(order::reorder))
        .route(&format!("{MEETING}/rsvp"), post(rsvp::answer))
        .route(
            &format!("{MEETING}/matters/refresh"),
            post(matters::refresh),
        )
        .route(
            &format!("{MEETING}/matters/{{entry_id}}/drop"),
            post(matters::drop_entry),
        )
        // The file is capped by the papers' own limit as it streams in
        // (shown on the form), not by the pages' body limit.
        .route(
            &format!("{MEETING}/papers"),
            post(papers::upload).layer(DefaultBodyLimit::disable()),
        )
        .route(
            &format!("{MEETING}/papers/{{paper_id}}"),
            get(papers::download),
        )
        .route(&format!("{MEETING}/pack"), get(papers::pack))
}

/// The forum and meeting an address names.
pub(super) struct At {
    pub forum: Uuid,
    pub meeting: Uuid,
}

impl At {
    pub fn parse(forum: &str, meeting: &str) -> Result<Self, PageError> {
        Ok(Self {
            forum: id_in_path(forum)?,
            meeting: id_in_path(meeting)?,
        })
    }

    /// The meeting page's own address.
    pub fn href(&self) -> String {
        format!("/forums/{}/meetings/{}", self.forum, self.meeting)
    }

    /// Another forum's meeting is not at this forum's address.
    pub fn require_forum(&self, forum_id: Uuid) -> Result<(), PageError> {
        if forum_id == self.forum {
            Ok(())
        } else {
            Err(ApiError::not_found("meeting").into())
        }
    }
}

/// What a form did, for the success banner: the message id.
pub(super) fn done(what: &str) -> Option<&'static str> {
    Some(match what {
        "item-added" => "meeting-done-item-added",
        "item-proposed" => "meeting-done-item-proposed",
        "item-saved" => "meeting-done-item-saved",
        "moved" => "meeting-done-moved",
        "accepted" => "meeting-done-accepted",
        "declined" => "meeting-done-declined",
        "matters-refreshed" => "meeting-done-matters-refreshed",
        "matter-dropped" => "meeting-done-matter-dropped",
        "paper-added" => "meeting-done-paper-added",
        "rsvp" => "rsvp-done",
        _ => return None,
    })
}

/// Back to the meeting page after a form did what it asked, saying so
/// (post, redirect, get: a reload does not send it again).
pub(super) fn back_to(at: &At, what: &str, anchor: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    axum::response::Redirect::to(&format!("{}?done={what}#{anchor}", at.href())).into_response()
}

/// The meeting page again, with a form's refusal shown, answered with the
/// status the API gives the same refusal.
pub(super) async fn refused(
    state: &AppState,
    visitor: &crate::web::session::Visitor,
    caller: &crate::kernel::access::AuthUser,
    at: &At,
    forms: view::Forms,
    status: axum::http::StatusCode,
) -> crate::web::error::PageResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let page = view::meeting_page(state, visitor, caller, at, forms).await?;
    Ok((status, page).into_response())
}

/// The meeting, checked to be of the forum its address names, before a
/// form acts on it (404 to whoever may not read it, as the API answers).
pub(super) async fn require_meeting(
    state: &AppState,
    caller: &crate::kernel::access::AuthUser,
    at: &At,
) -> Result<crate::meetings::MeetingOut, PageError> {
    let meeting = crate::meetings::get(state, caller, at.meeting).await?;
    at.require_forum(meeting.forum_id)?;
    Ok(meeting)
}

/// A refusal that is not a field's, as the page says it.
pub(crate) fn told(error: &ApiError) -> String {
    let detail = match error {
        ApiError::Validation(errors) => errors
            .iter()
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("; "),
        other => other.detail(),
    };
    let mut chars = detail.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => detail,
    }
}
