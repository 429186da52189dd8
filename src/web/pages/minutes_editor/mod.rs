//! The officers' minutes pages: the editor of a meeting's minutes
//! (`/forums/{id}/minutes/{meeting_id}/edit`: drafting from the agenda,
//! sections with their visibility, stale saves merged, the chair's
//! approval) and their versions compared (`…/revisions`). Each calls the
//! operation of `crate::minutes` the API calls.

pub mod edit;
mod form;
mod form_errors;
pub mod revisions;
mod view;

use uuid::Uuid;

use crate::kernel::error::ApiError;
use crate::web::error::{PageError, PageResult, id_in_path};

/// The forum and meeting of a page's address.
fn place(forum: &str, meeting: &str) -> PageResult<(Uuid, Uuid)> {
    Ok((id_in_path(forum)?, id_in_path(meeting)?))
}

/// A meeting of another forum is not at this forum's address.
fn not_here() -> PageError {
    ApiError::NotFound("no such meeting in this forum".into()).into()
}

/// The address of the meeting's public minutes, under which these pages are.
fn minutes_path(forum: Uuid, meeting: Uuid) -> String {
    format!("/forums/{forum}/minutes/{meeting}")
}
