//! `/forums/{id}/actions/{action_id}`: one action as its forum's
//! participants read it — what it is, who owns it, when it is due, where
//! it was agreed, the commitments it serves and its progress log — and,
//! for whoever may change it (officers, the people of the organisation
//! that owns it), one form to log progress and move its status, and the
//! commitments of the region's plan to link it to.

mod links;
mod save;
mod show;

use axum::Router;
use axum::routing::{get, post};
use entity::ActionStatus;
use uuid::Uuid;

use crate::actions::{self, ActionDetail};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::web::components::Tag;
use crate::web::error::{PageError, id_in_path};
use crate::web::forms::{Field, Kind};
use crate::web::i18n::Text;

const ACTION: &str = "/forums/{id}/actions/{action_id}";

/// How many notes of the log the page shows, newest first.
const LOG_SHOWN: u64 = 50;

/// How many commitments a search shows.
const FOUND_SHOWN: u64 = 20;

/// The action page's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(ACTION, get(show::show).post(save::save))
        .route(
            &format!("{ACTION}/commitments/{{commitment_id}}/link"),
            post(links::link),
        )
        .route(
            &format!("{ACTION}/commitments/{{commitment_id}}/unlink"),
            post(links::unlink),
        )
}

/// The action page's address.
pub fn action_href(forum: Uuid, action: Uuid) -> String {
    format!("/forums/{forum}/actions/{action}")
}

/// The action of the address as its operations read it to this caller:
/// one of another forum (or not theirs to see) is not found here.
async fn action_at(
    state: &AppState,
    caller: &AuthUser,
    (forum, action): &(String, String),
) -> Result<ActionDetail, PageError> {
    let (forum, action) = (id_in_path(forum)?, id_in_path(action)?);
    let detail = actions::detail(state, caller, action, LOG_SHOWN).await?;
    if detail.action.forum_id != forum {
        return Err(ApiError::not_found("action").into());
    }
    Ok(detail)
}

/// A field of this page, labelled by its own message (`action-field-…`).
fn field(text: &Text, name: &'static str, kind: Kind) -> Field {
    let mut field = Field::plain(text, name, kind);
    field.label = text.get(&format!("action-field-{}", name.replace('_', "-")));
    field
}

/// Where an action stands, as a tag of the design system's colours.
fn status_tag(text: &Text, status: ActionStatus) -> Tag {
    let colour = match status {
        ActionStatus::Open => "govuk-tag--blue",
        ActionStatus::InProgress => "govuk-tag--light-blue",
        ActionStatus::Blocked => "govuk-tag--orange",
        ActionStatus::Done => "govuk-tag--green",
        ActionStatus::Cancelled => "govuk-tag--grey",
    };
    Tag {
        text: status_words(text, status),
        classes: Some(colour.to_string()),
    }
}

fn status_words(text: &Text, status: ActionStatus) -> String {
    text.get(&format!("forum-actions-status-{}", status.as_str()))
}

/// The page again after a form did `what` (post-redirect-get), with the
/// search it was showing.
fn back_to(href: &str, what: &str, q: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("done", what);
    if !q.trim().is_empty() {
        query.append_pair("q", q.trim());
    }
    format!("{href}?{}", query.finish())
}

/// What a form did, for the page's success banner: the message id.
fn done(what: &str) -> Option<&'static str> {
    match what {
        "logged" => Some("action-done-logged"),
        "linked" => Some("action-done-linked"),
        "unlinked" => Some("action-done-unlinked"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    /// Every label, option, status and banner these pages word by a
    /// variable is a message of the resources (Fluent would show the id).
    #[test]
    fn every_message_the_action_page_asks_for_by_name_exists() {
        let text = Text::default();
        let mut words = Vec::new();
        for status in ActionStatus::iter() {
            words.push(status_tag(&text, status).text);
            for f in show::progress_form(&text, status, &Default::default()).fields {
                words.push(f.label.clone());
                words.extend(f.hint.clone());
                words.extend(f.choices.iter().map(|c| c.label.clone()));
            }
        }
        words.extend(
            ["logged", "linked", "unlinked"]
                .into_iter()
                .filter_map(done)
                .map(|id| text.get(id)),
        );
        let unworded: Vec<&String> = words
            .iter()
            .filter(|w| w.is_empty() || w.contains("action-") || w.contains("forum-actions-"))
            .collect();
        assert!(unworded.is_empty(), "no message for {unworded:?}");
    }
}
