//! The forum's polls as its officers run them: a poll put to the forum
//! from an agenda item (`form`, `new`), the poll as its participants read
//! it — with its results once they may be shown — and, for its officers,
//! its closing put later or the poll cancelled (`show`, `changes`), and the
//! forum's polls (`list`). Each form is the operation the API calls; its
//! times are typed on London's clock.

mod changes;
pub mod form;
mod list;
mod new;
mod show;
mod vote;

use axum::Router;
use axum::routing::{get, post};
use entity::PollStatus;
use uuid::Uuid;

use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::polls::{self, PollDetail};
use crate::web::components::Tag;
use crate::web::error::PageError;
use crate::web::forms::{Field, Kind};
use crate::web::i18n::Text;

/// The poll pages' routes.
pub fn routes() -> Router<AppState> {
    const POLL: &str = "/forums/{id}/polls/{poll_id}";
    Router::new()
        .route("/forums/{id}/polls", get(list::show))
        .route(POLL, get(show::show))
        .route(&format!("{POLL}/closes"), post(changes::put_later))
        .route(&format!("{POLL}/cancel"), post(changes::cancel))
        .route(&format!("{POLL}/vote"), post(vote::cast))
        .route(
            "/forums/{id}/meetings/{meeting_id}/items/{item_id}/poll",
            get(new::show).post(new::submit),
        )
}

/// A field of these pages, labelled by its own message (`poll-field-…`).
fn field(text: &Text, name: &'static str, kind: Kind) -> Field {
    let mut field = Field::plain(text, name, kind);
    field.label = text.get(&format!("poll-field-{}", name.replace('_', "-")));
    field
}

/// The poll page's address.
fn poll_href(forum: Uuid, poll: Uuid) -> String {
    format!("/forums/{forum}/polls/{poll}")
}

/// A poll of this forum, as the API reads it to this caller: one of
/// another forum (or not theirs to see) is not found here.
async fn poll_of(
    state: &AppState,
    caller: &AuthUser,
    forum: Uuid,
    poll: Uuid,
) -> Result<PollDetail, PageError> {
    let detail = polls::get(state, caller, poll).await?;
    if detail.poll.forum_id != forum {
        return Err(ApiError::not_found("poll").into());
    }
    Ok(detail)
}

/// Where a poll stands, as a tag of the design system's colours.
fn status_tag(text: &Text, status: PollStatus) -> Tag {
    let colour = match status {
        PollStatus::Upcoming => "govuk-tag--blue",
        PollStatus::Open => "govuk-tag--green",
        PollStatus::Closed => "govuk-tag--grey",
        PollStatus::Cancelled => "govuk-tag--red",
    };
    Tag {
        text: text.get(&format!("poll-status-{}", status.as_str())),
        classes: Some(colour.to_string()),
    }
}

/// What a form did, for the poll page's success banner: the message id.
fn done(what: &str) -> Option<&'static str> {
    match what {
        "created" => Some("poll-done-created"),
        "closes" => Some("poll-done-closes"),
        "cancelled" => Some("poll-done-cancelled"),
        "voted" => Some("poll-done-voted"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    /// Every label, hint, option and status these pages word by a variable
    /// is a message of the resources (Fluent would show the id itself).
    #[test]
    fn every_message_the_pages_ask_for_by_name_exists() {
        let text = Text::default();
        let mut forms = vec![form::poll_form(&text, &form::PollFields::default())];
        forms.extend([
            changes::closes_form(&text, "", ""),
            changes::reason_form(&text, ""),
        ]);
        for kind in entity::PollKind::iter() {
            forms.push(vote::vote_form(&text, (kind, &[]), "", &[]));
        }
        let mut words = Vec::new();
        for form in &forms {
            for f in &form.fields {
                words.push(f.label.clone());
                words.extend(f.hint.clone());
                words.extend(f.choices.iter().map(|c| c.label.clone()));
                words.extend(f.choices.iter().filter_map(|c| c.hint.clone()));
            }
        }
        words.extend(PollStatus::iter().map(|s| status_tag(&text, s).text));
        words.extend(entity::PollKind::iter().map(|k| form::kind_words(&text, k)));
        words.extend(
            ["created", "closes", "cancelled", "voted"]
                .into_iter()
                .filter_map(done)
                .map(|id| text.get(id)),
        );
        assert!(text.get("poll-no-such-message").contains("poll-"));
        let unworded: Vec<&String> = words
            .iter()
            .filter(|w| w.is_empty() || w.contains("poll-"))
            .collect();
        assert!(unworded.is_empty(), "no message for {unworded:?}");
    }
}
