//! Papers of the meeting: uploaded for the meeting or one of its items
//! (a `multipart/form-data` form: the token first, then the paper's title
//! and item, then its file, which is streamed to the papers' own limits —
//! too large, or not a kind taken, is told beside the file field, with the
//! title as typed), downloaded one by one or as the meeting's pack.

use axum::extract::multipart::Field;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use uuid::Uuid;

use super::view::Forms;
use super::{At, back_to, refused, require_meeting};
use crate::http::{paper_download::send, paper_pack::send_pack};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::kernel::storage;
use crate::papers::{self, AttachedTo, NewFile, NewPaper};
use crate::web::error::{PageResult, id_in_path};
use crate::web::session::{CheckedMultipart, Visitor};

/// The most a text field of the form may hold (a title is far shorter).
const TEXT_BYTES: usize = 10_000;

/// The upload form as read: its text as typed, and its file — or why the
/// file was not taken.
#[derive(Default)]
struct Sent {
    title: String,
    item: String,
    file: Option<NewFile>,
    refused: Option<ApiError>,
}

async fn text_of(field: &mut Field<'_>) -> Result<String, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|err| ApiError::BadRequest(format!("the form could not be read: {err}")))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > TEXT_BYTES {
            return Err(ApiError::BadRequest(
                "a field of the form is too long".into(),
            ));
        }
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Reads the form; a file refused (413, 415, empty) stops the reading
/// there — it comes last, so what was typed is all kept.
async fn read(mut multipart: Multipart, max: u64) -> Result<Sent, ApiError> {
    let mut sent = Sent::default();
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|err| ApiError::BadRequest(format!("the form could not be read: {err}")))?
    {
        match field.name().unwrap_or_default() {
            "title" => sent.title = text_of(&mut field).await?,
            "agenda_item_id" => sent.item = text_of(&mut field).await?,
            "file" => {
                let given = field.file_name().map(str::to_string);
                // A browser sends an empty part when no file was chosen.
                if given.as_deref().unwrap_or_default().is_empty() {
                    continue;
                }
                match storage::spool(&mut field, given.as_deref().unwrap_or(""), max).await {
                    Ok(spooled) => {
                        sent.file = Some(NewFile {
                            spooled,
                            name: given,
                        });
                    }
                    Err(error) => {
                        sent.refused = Some(error);
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(sent)
}

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
    let sent = read(multipart, state.paper_max_bytes).await?;
    let typed = (sent.title.clone(), sent.item.clone());
    let outcome = match sent.refused {
        Some(error) => Err(error),
        None => {
            let agenda_item_id = match sent.item.trim() {
                "" => Ok(None),
                given => given
                    .parse::<Uuid>()
                    .map(Some)
                    .map_err(|_| ApiError::invalid("agenda_item_id", "is not an id")),
            };
            match agenda_item_id {
                Ok(agenda_item_id) => {
                    let input = NewPaper {
                        title: sent.title,
                        description: String::new(),
                        agenda_item_id,
                        visibility: None,
                        visibility_reason: None,
                        file: sent.file,
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
