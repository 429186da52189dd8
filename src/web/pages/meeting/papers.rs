//! Papers of the meeting: uploaded for the meeting or one of its items
//! (a `multipart/form-data` form: the token first, then the paper's title
//! and item, then its file, read as `web::uploads` reads such forms),
//! downloaded one by one or as the meeting's pack.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use uuid::Uuid;

use super::view::Forms;
use super::{At, back_to, refused, require_meeting};
use crate::http::{paper_download::send, paper_pack::send_pack};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::papers::{self, AttachedTo, NewPaper};
use crate::web::error::{PageResult, id_in_path};
use crate::web::session::{CheckedMultipart, Visitor};
use crate::web::uploads;

pub async fn upload(
    State(state): State<AppState>,
    Path((forum, meeting)): Path<(String, String)>,
    CheckedMultipart { visitor, multipart }: CheckedMultipart,
) -> PageResult<Response> {
    let at = At::parse(&forum, &meeting)?;
    let caller = visitor.signed_in(&at.href())?;
    require_meeting(&state, caller, &at).await?;
    // Leave first: no file is written for someone who may not add one.
    let leave = papers::upload_to(&state, caller, AttachedTo::Meeting(at.meeting)).await?;
    let mut sent = uploads::read(multipart, "file", state.paper_max_bytes).await?;
    let typed = (sent.text("title"), sent.text("agenda_item_id"));
    let outcome = match sent.refused {
        Some(error) => Err(error),
        None => {
            let agenda_item_id = match typed.1.trim() {
                "" => Ok(None),
                given => given
                    .parse::<Uuid>()
                    .map(Some)
                    .map_err(|_| ApiError::invalid("agenda_item_id", "is not an id")),
            };
            match agenda_item_id {
                Ok(agenda_item_id) => {
                    let input = NewPaper {
                        title: typed.0.clone(),
                        description: String::new(),
                        agenda_item_id,
                        visibility: None,
                        visibility_reason: None,
                        file: sent.files.pop(),
                    };
                    papers::upload(&state, caller, leave, input)
                        .await
                        .map(|_| ())
                }
                Err(error) => Err(error),
            }
        }
    };
    match outcome {
        Ok(()) => Ok(back_to(&at, "paper-added", "papers")),
        Err(
            error @ (ApiError::Validation(_)
            | ApiError::Conflict(_)
            | ApiError::TooLarge(_)
            | ApiError::UnsupportedMediaType(_)),
        ) => {
            let status = crate::http::problem::status(&error);
            let forms = Forms {
                paper: typed,
                paper_error: Some(error),
                ..Forms::empty()
            };
            refused(&state, &visitor, caller, &at, forms, status).await
        }
        Err(other) => Err(other.into()),
    }
}

/// A paper of this meeting, for whoever may read it, as the API sends it.
pub async fn download(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((forum, meeting, paper)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> PageResult<Response> {
    let at = At::parse(&forum, &meeting)?;
    let paper = id_in_path(&paper)?;
    let caller = visitor.caller.as_ref();
    let found = papers::get(&state, caller, paper).await?;
    if found.meeting_id != Some(at.meeting) {
        return Err(ApiError::not_found("paper").into());
    }
    let file = papers::paper_file(&state, caller, paper).await?;
    Ok(send(&state, &headers, file)?)
}

/// The meeting's pack: its agenda and the papers the reader may read.
pub async fn pack(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((forum, meeting)): Path<(String, String)>,
) -> PageResult<Response> {
    let at = At::parse(&forum, &meeting)?;
    let pack = papers::pack(&state, visitor.caller.as_ref(), at.meeting).await?;
    Ok(send_pack(state, pack))
}
