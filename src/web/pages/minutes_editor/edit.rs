//! `/forums/{id}/minutes/{meeting_id}/edit` and the forms it posts: save
//! (or add and remove a section, which save nothing), draft from the
//! agenda, approve. A refused save shows the form as typed with the
//! operation's errors on its fields; a stale one shows who changed the
//! minutes and when, their text beside the person's own, and saves the
//! merge at the new version.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use entity::MinutesStatus;
use serde::Deserialize;
use uuid::Uuid;

use super::form::{Editor, EditorForm};
use super::view::EditPage;
use super::{minutes_path, not_here, place};
use crate::kernel::access::AuthUser;
use crate::kernel::audit::EntityKind;
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::kernel::versioning::{IfMatch, tag};
use crate::minutes::{self, Editing, MinutesOut};
use crate::web::conflict::{Conflict, Part, is_stale};
use crate::web::error::{PageError, PageResult};
use crate::web::i18n::Text;
use crate::web::session::{CheckedForm, Visitor};

/// The minutes as their editor reads them, at this forum's address only.
async fn editing_here(
    state: &AppState,
    caller: &AuthUser,
    forum: Uuid,
    meeting: Uuid,
) -> PageResult<Editing> {
    let editing = minutes::editing(state, caller, meeting).await?;
    if editing.meeting.forum_id != forum {
        return Err(not_here());
    }
    Ok(editing)
}

fn edit_path(forum: Uuid, meeting: Uuid) -> String {
    format!("{}/edit", minutes_path(forum, meeting))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditQuery {
    done: String,
}

fn done(what: &str) -> Option<&'static str> {
    match what {
        "saved" => Some("minutes-edit-done-saved"),
        "drafted" => Some("minutes-edit-done-drafted"),
        _ => None,
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((forum, meeting)): Path<(String, String)>,
    Query(query): Query<EditQuery>,
) -> PageResult<Response> {
    let (forum, meeting) = place(&forum, &meeting)?;
    let caller = visitor.signed_in(&edit_path(forum, meeting))?;
    let editing = editing_here(&state, caller, forum, meeting).await?;
    if is_approved(&editing) {
        return Ok(Redirect::to(&minutes_path(forum, meeting)).into_response());
    }
    let editor = Editor::of(&Text::default(), editing.minutes.as_ref(), &editing.agenda);
    let page = EditPage::new(&visitor, &editing, editor).done(done(&query.done));
    Ok((visitor.cookies(), page).into_response())
}

fn is_approved(editing: &Editing) -> bool {
    editing
        .minutes
        .as_ref()
        .is_some_and(|m| m.status == MinutesStatus::Approved)
}

/// Their saved minutes, section by section, as a conflict shows them.
fn parts(minutes: &MinutesOut) -> Vec<Part> {
    minutes
        .sections
        .iter()
        .map(|s| Part::new(s.heading.clone(), &s.body))
        .collect()
}

pub async fn save(
    State(state): State<AppState>,
    Path((forum, meeting)): Path<(String, String)>,
    CheckedForm { visitor, form }: CheckedForm<EditorForm>,
) -> PageResult<Response> {
    let (forum, meeting) = place(&forum, &meeting)?;
    let caller = visitor.signed_in(&edit_path(forum, meeting))?;
    let text = Text::default();
    let editing = editing_here(&state, caller, forum, meeting).await?;
    let mut editor = Editor::typed(&text, &form, &editing.agenda);
    if editor.change(&form.change) {
        return Ok(EditPage::new(&visitor, &editing, editor).into_response());
    }
    let first_draft = editor.version.is_empty();
    let if_match = editor.if_match()?;
    let error = match minutes::write(&state, caller, meeting, editor.input(), &if_match).await {
        Ok(_) => {
            let to = format!("{}?done=saved", edit_path(forum, meeting));
            return Ok(Redirect::to(&to).into_response());
        }
        Err(error) => error,
    };
    // Read again: what was saved since the form was shown.
    let now = editing_here(&state, caller, forum, meeting).await?;
    // A first draft overtaken by someone else's is told as a stale save too:
    // the write then asks for the version (428), or lost the race (409).
    let overtaken = is_stale(&error)
        || (first_draft
            && matches!(
                error,
                ApiError::Conflict(_) | ApiError::PreconditionRequired(_)
            )
            && !is_approved(&now));
    if let (true, Some(theirs)) = (overtaken, &now.minutes) {
        let conflict = Conflict::after(
            &state,
            EntityKind::Minutes,
            theirs.id,
            theirs.version,
            parts(theirs),
        )
        .await?;
        editor.version = theirs.version.to_string();
        let page = EditPage::new(&visitor, &now, editor).conflict(conflict);
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    let status = crate::http::problem::status(&error);
    editor.refuse(&text, error).map_err(PageError::from)?;
    Ok((status, EditPage::new(&visitor, &now, editor)).into_response())
}

#[derive(Deserialize)]
pub struct NoFields {}

/// Drafts the minutes from the meeting's agenda and record.
pub async fn draft(
    State(state): State<AppState>,
    Path((forum, meeting)): Path<(String, String)>,
    CheckedForm { visitor, .. }: CheckedForm<NoFields>,
) -> PageResult<Response> {
    let (forum, meeting) = place(&forum, &meeting)?;
    let caller = visitor.signed_in(&edit_path(forum, meeting))?;
    editing_here(&state, caller, forum, meeting).await?;
    match minutes::draft_from_agenda(&state, caller, meeting).await {
        Ok(_) => {
            let to = format!("{}?done=drafted", edit_path(forum, meeting));
            Ok(Redirect::to(&to).into_response())
        }
        Err(error) => refused(&state, &visitor, caller, (forum, meeting), error).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ApproveForm {
    version: String,
}

/// Approves the minutes as they were shown, and leads to their public page.
pub async fn approve(
    State(state): State<AppState>,
    Path((forum, meeting)): Path<(String, String)>,
    CheckedForm { visitor, form }: CheckedForm<ApproveForm>,
) -> PageResult<Response> {
    let (forum, meeting) = place(&forum, &meeting)?;
    let caller = visitor.signed_in(&edit_path(forum, meeting))?;
    editing_here(&state, caller, forum, meeting).await?;
    // The version shown, so that what is approved is what was read.
    let if_match = match form.version.trim().parse::<i32>() {
        Ok(version) => IfMatch::parse(&tag(version))?,
        Err(_) => IfMatch::parse("\"\"")?,
    };
    match minutes::approve(&state, caller, meeting, &if_match).await {
        Ok(_) => Ok(Redirect::to(&minutes_path(forum, meeting)).into_response()),
        Err(error) => refused(&state, &visitor, caller, (forum, meeting), error).await,
    }
}

/// The editor of the minutes as they now stand, with why a draft or an
/// approval was refused (who changed them and when, when it was stale).
async fn refused(
    state: &AppState,
    visitor: &Visitor,
    caller: &AuthUser,
    (forum, meeting): (Uuid, Uuid),
    error: ApiError,
) -> PageResult<Response> {
    let text = Text::default();
    let now = editing_here(state, caller, forum, meeting).await?;
    let mut editor = Editor::of(&text, now.minutes.as_ref(), &now.agenda);
    let status = match is_stale(&error) {
        true => StatusCode::CONFLICT,
        false => crate::http::problem::status(&error),
    };
    match (&now.minutes, is_stale(&error)) {
        (Some(theirs), true) => {
            let conflict = Conflict::after(
                state,
                EntityKind::Minutes,
                theirs.id,
                theirs.version,
                Vec::new(),
            )
            .await?;
            editor.errors.push(crate::web::components::ErrorLink {
                text: conflict.message,
                href: None,
            });
        }
        _ => editor.refuse(&text, error).map_err(PageError::from)?,
    }
    Ok((status, EditPage::new(visitor, &now, editor)).into_response())
}
