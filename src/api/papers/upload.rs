//! Uploads: a streamed `multipart/form-data` form, read here — its text
//! fields typed, its file spooled as it comes (413 past the limit, 415 for
//! a kind not accepted) — once the operation has said the caller may.

use std::collections::HashMap;

use axum::extract::multipart::Field;
use axum::extract::{Multipart, State};
use entity::Visibility;
use serde_json::json;
use uuid::Uuid;

use crate::http::extract::Path;
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::links::api_path;
use crate::kernel::state::AppState;
use crate::kernel::storage;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::IfMatch;
use crate::papers::{
    self, AttachedTo, NewFile, NewPaper, NewVersion, PaperOut, PaperReplacement, PaperUpload,
};

/// The most a form's text field may hold.
const TEXT_FIELD_BYTES: usize = 20_000;

/// The fields of an upload, and of a replacement.
const UPLOAD_FIELDS: &[&str] = &[
    "title",
    "description",
    "agenda_item_id",
    "visibility",
    "visibility_reason",
    "file",
];
const REPLACEMENT_FIELDS: &[&str] = &["reason", "file"];

/// Reads a text field, refusing one longer than a form's text may be.
async fn text(field: &mut Field<'_>, name: &str) -> ApiResult<String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|err| ApiError::BadRequest(format!("the form could not be read: {err}")))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > TEXT_FIELD_BYTES {
            return Err(ApiError::invalid(name, "is too long"));
        }
    }
    String::from_utf8(bytes).map_err(|_| ApiError::invalid(name, "is not UTF-8 text"))
}

/// The form as read: its text fields, and its file spooled.
#[derive(Default)]
struct Form {
    texts: HashMap<String, String>,
    file: Option<NewFile>,
}

impl Form {
    /// A text field, trimmed; `None` when it is absent or blank.
    fn given(&self, name: &str) -> Option<&str> {
        self.texts
            .get(name)
            .map(|text| text.trim())
            .filter(|text| !text.is_empty())
    }
}

/// Reads the form, spooling its file; a field not in `fields` is 422.
async fn read_form(mut multipart: Multipart, max: u64, fields: &[&str]) -> ApiResult<Form> {
    let mut form = Form::default();
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|err| ApiError::BadRequest(format!("the form could not be read: {err}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        if !fields.contains(&name.as_str()) {
            return Err(ApiError::invalid(
                &name,
                format!("is not a field of this form ({})", fields.join(", ")),
            ));
        }
        if name == "file" {
            if form.file.is_some() {
                return Err(ApiError::invalid("file", "send one file per paper"));
            }
            let given = field.file_name().map(str::to_string);
            let spooled = storage::spool(&mut field, given.as_deref().unwrap_or(""), max).await?;
            form.file = Some(NewFile {
                spooled,
                name: given,
            });
        } else {
            let value = text(&mut field, &name).await?;
            form.texts.insert(name, value);
        }
    }
    Ok(form)
}

/// An upload's form, typed (422 for an agenda item that is not an id or a
/// visibility that is not one).
async fn new_paper(multipart: Multipart, max: u64) -> ApiResult<NewPaper> {
    let mut form = read_form(multipart, max, UPLOAD_FIELDS).await?;
    let mut v = Validator::default();
    let agenda_item_id = form.given("agenda_item_id").map(|given| {
        let parsed = given.parse::<Uuid>().ok();
        v.check(parsed.is_some(), "agenda_item_id", "is not an id");
        parsed
    });
    let visibility = form.given("visibility").map(|given| {
        let parsed: Option<Visibility> = serde_json::from_value(json!(given)).ok();
        v.check(
            parsed.is_some(),
            "visibility",
            "must be public, participants or officers",
        );
        parsed
    });
    v.finish()?;
    let mut take = |name: &str| form.texts.remove(name);
    Ok(NewPaper {
        title: take("title").unwrap_or_default(),
        description: take("description").unwrap_or_default(),
        agenda_item_id: agenda_item_id.flatten(),
        visibility: visibility.flatten(),
        visibility_reason: take("visibility_reason"),
        file: form.file,
    })
}

/// Checks that the caller may add a paper to `to`, reads the form, and adds it.
async fn upload(
    state: &AppState,
    user: &AuthUser,
    to: AttachedTo,
    multipart: Multipart,
) -> ApiResult<Created<PaperOut>> {
    let leave = papers::upload_to(state, user, to).await?;
    let input = new_paper(multipart, state.paper_max_bytes).await?;
    let out = papers::upload(state, user, leave, input).await?;
    let version = out.version;
    Ok(Created::at(api_path(format_args!("papers/{}", out.id)), out).tagged(version))
}

/// Upload a paper for a meeting or one of its agenda items (the forum's officers).
///
/// A `multipart/form-data` form, streamed: `title`, optional `description`,
/// optional `agenda_item_id` (an item of this meeting), optional
/// `visibility` (narrower than the item's, with `visibility_reason`), and
/// `file`. The file may be at most the server's limit (25 MiB by default;
/// 413 as soon as it passes it) and must be, as its bytes show, a PDF,
/// Word, Excel, PowerPoint, OpenDocument text or spreadsheet, PNG, JPEG or
/// plain text file (415 otherwise; its name and declared type are not
/// trusted). Its SHA-256 is kept and returned.
#[utoipa::path(
    post,
    path = "/meetings/{id}/papers",
    tag = "papers",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body(content = PaperUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The paper", body = PaperOut,
         headers(("Location" = String, description = "The paper's URL"),
                 ("ETag" = String, description = "The paper's version"))),
        (status = 400, description = "The form could not be read"),
        (status = 403, description = "Only the forum's officers upload papers"),
        (status = 404, description = "No such meeting, or not yours to see"),
        (status = 409, description = "The meeting was cancelled"),
        (status = 413, description = "The file is larger than a paper may be, or would take the forum's papers past its storage limit"),
        (status = 415, description = "The file's contents are not of an accepted kind"),
        (status = 422, description = "A bad or missing field (an item of another meeting, an empty file…)"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn upload_paper(
    State(state): State<AppState>,
    user: AuthUser,
    Path(meeting_id): Path<Uuid>,
    multipart: Multipart,
) -> ApiResult<Created<PaperOut>> {
    upload(&state, &user, AttachedTo::Meeting(meeting_id), multipart).await
}

/// Upload evidence for a raised issue (those who raise or answer the
/// forum's issues).
///
/// The form and rules of a meeting's upload, without `agenda_item_id`. A
/// closed issue takes no more (409).
#[utoipa::path(
    post,
    path = "/issues/{id}/papers",
    tag = "papers",
    params(("id" = Uuid, Path, description = "Issue id")),
    request_body(content = PaperUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The paper", body = PaperOut,
         headers(("Location" = String, description = "The paper's URL"),
                 ("ETag" = String, description = "The paper's version"))),
        (status = 400, description = "The form could not be read"),
        (status = 403, description = "Not one who raises or answers the forum's issues"),
        (status = 404, description = "No such issue, or not yours to see"),
        (status = 409, description = "The issue is closed"),
        (status = 413, description = "The file is larger than a paper may be, or would take the forum's papers past its storage limit"),
        (status = 415, description = "The file's contents are not of an accepted kind"),
        (status = 422, description = "A bad or missing field"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn upload_issue_paper(
    State(state): State<AppState>,
    user: AuthUser,
    Path(issue_id): Path<Uuid>,
    multipart: Multipart,
) -> ApiResult<Created<PaperOut>> {
    upload(&state, &user, AttachedTo::Issue(issue_id), multipart).await
}

/// Upload a paper for a region's plan (the region's RPD staff, admins).
///
/// The form and rules of a meeting's upload, without `agenda_item_id`.
#[utoipa::path(
    post,
    path = "/plans/{id}/papers",
    tag = "papers",
    params(("id" = Uuid, Path, description = "Plan id")),
    request_body(content = PaperUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The paper", body = PaperOut,
         headers(("Location" = String, description = "The paper's URL"),
                 ("ETag" = String, description = "The paper's version"))),
        (status = 400, description = "The form could not be read"),
        (status = 403, description = "Only the region's RPD staff and admins keep its plan"),
        (status = 404, description = "No such plan"),
        (status = 413, description = "The file is larger than a paper may be, or would take the forum's papers past its storage limit"),
        (status = 415, description = "The file's contents are not of an accepted kind"),
        (status = 422, description = "A bad or missing field"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn upload_plan_paper(
    State(state): State<AppState>,
    user: AuthUser,
    Path(plan_id): Path<Uuid>,
    multipart: Multipart,
) -> ApiResult<Created<PaperOut>> {
    upload(&state, &user, AttachedTo::Plan(plan_id), multipart).await
}

/// Upload a paper for a consultation — its document, a briefing on it
/// (the forum's officers and the region's RPD staff).
///
/// The form and rules of a meeting's upload, without `agenda_item_id`. Its
/// papers are the forum's participants', and public once the forum's
/// response is submitted. A withdrawn consultation takes no more (409).
#[utoipa::path(
    post,
    path = "/consultations/{id}/papers",
    tag = "papers",
    params(("id" = Uuid, Path, description = "Consultation id")),
    request_body(content = PaperUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The paper", body = PaperOut,
         headers(("Location" = String, description = "The paper's URL"),
                 ("ETag" = String, description = "The paper's version"))),
        (status = 400, description = "The form could not be read"),
        (status = 403, description = "Not one of the forum's officers or the region's RPD staff"),
        (status = 404, description = "No such consultation, or not yours to see"),
        (status = 409, description = "The consultation was withdrawn"),
        (status = 413, description = "The file is larger than a paper may be, or would take the forum's papers past its storage limit"),
        (status = 415, description = "The file's contents are not of an accepted kind"),
        (status = 422, description = "A bad or missing field"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn upload_consultation_paper(
    State(state): State<AppState>,
    user: AuthUser,
    Path(consultation_id): Path<Uuid>,
    multipart: Multipart,
) -> ApiResult<Created<PaperOut>> {
    let to = AttachedTo::Consultation(consultation_id);
    upload(&state, &user, to, multipart).await
}

/// Replace a paper's file (who may add papers there); the one before is kept.
///
/// A `multipart/form-data` form of `file` (the rules of an upload: 413,
/// 415) and `reason`, which is required once the meeting has been held
/// (422 without it). With `If-Match`, a paper changed since is not replaced
/// (412); of two replacements at once, one wins and the other is 409.
#[utoipa::path(
    put,
    path = "/papers/{id}/content",
    tag = "papers",
    params(("id" = Uuid, Path, description = "Paper id"), IfMatch),
    request_body(content = PaperReplacement, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The paper, with its new file", body = PaperOut,
         headers(("ETag" = String, description = "The paper's version now"))),
        (status = 400, description = "The form could not be read"),
        (status = 403, description = "Only the forum's officers replace papers"),
        (status = 404, description = "No such paper, or not yours to read"),
        (status = 409, description = "The meeting was cancelled, or the paper changed meanwhile"),
        (status = 412, description = "If-Match is stale"),
        (status = 413, description = "The file is larger than a paper may be, or would take the forum's papers past its storage limit"),
        (status = 415, description = "The file's contents are not of an accepted kind"),
        (status = 422, description = "No file, or no reason once the meeting is held"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn replace_content(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    multipart: Multipart,
) -> ApiResult<Tagged<PaperOut>> {
    let leave = papers::replacing(&state, &user, id, &if_match).await?;
    let form = read_form(multipart, state.paper_max_bytes, REPLACEMENT_FIELDS).await?;
    let input = NewVersion {
        reason: form.texts.get("reason").cloned(),
        file: form.file,
    };
    let out = papers::replace(&state, &user, leave, input, &if_match).await?;
    Ok(Tagged::new(out.version, out))
}
