//! Uploading a paper: a streamed `multipart/form-data` request.

use axum::extract::multipart::Field;
use axum::extract::{Multipart, State};
use entity::{MeetingStatus, Visibility, agenda_item, paper, paper_version};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::json;
use uuid::Uuid;

use super::holder::Attached;
use super::quota;
use super::types::{PaperOut, PaperUpload};
use super::visibility_of;
use crate::http::extract::Path;
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::state::AppState;
use crate::kernel::storage::{self, Spooled};
use crate::kernel::validation::Validator;
use crate::meetings::{MeetingLock, check_visibility_at, lock_meeting};

/// The most a form's text field may hold.
const TEXT_FIELD_BYTES: usize = 20_000;

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

/// A file name safe to give back: no directories, no control characters,
/// at most 150 characters, and the extension of the kind the bytes are.
pub fn safe_file_name(given: Option<&str>, extension: &str) -> String {
    let base = given
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let cleaned: String = base
        .chars()
        // Control characters, and the marks that reverse how a name reads
        // ("report\u{202e}fdp.exe" shows as "reportexe.pdf").
        .filter(|c| !c.is_control() && !matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .chars()
        .take(150)
        .collect();
    let stem = match cleaned.rsplit_once('.') {
        Some((stem, ext)) if same_extension(ext, extension) => {
            return format!("{stem}.{extension}");
        }
        Some((stem, _)) => stem.trim().to_string(),
        None => cleaned,
    };
    let stem = if stem.is_empty() {
        "paper".to_string()
    } else {
        stem
    };
    format!("{stem}.{extension}")
}

fn same_extension(given: &str, kind: &str) -> bool {
    let given = given.to_ascii_lowercase();
    given == kind || (kind == "jpg" && given == "jpeg") || (kind == "md" && given == "markdown")
}

/// The form as read: its text fields, and its file spooled.
#[derive(Default)]
pub(super) struct Form {
    pub reason: Option<String>,
    pub file: Option<(Spooled, String)>,
    title: Option<String>,
    description: Option<String>,
    agenda_item_id: Option<String>,
    visibility: Option<String>,
    visibility_reason: Option<String>,
}

/// The fields of an upload, and of a replacement.
const UPLOAD_FIELDS: &[&str] = &[
    "title",
    "description",
    "agenda_item_id",
    "visibility",
    "visibility_reason",
    "file",
];
pub(super) const REPLACEMENT_FIELDS: &[&str] = &["reason", "file"];

/// Reads the form, spooling its file; a field not in `fields` is 422.
pub(super) async fn read_form(
    multipart: &mut Multipart,
    max: u64,
    fields: &[&str],
) -> ApiResult<Form> {
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
        match name.as_str() {
            "file" => {
                if form.file.is_some() {
                    return Err(ApiError::invalid("file", "send one file per paper"));
                }
                let given = field.file_name().map(str::to_string);
                let spooled =
                    storage::spool(&mut field, given.as_deref().unwrap_or(""), max).await?;
                let name = safe_file_name(given.as_deref(), spooled.kind.extension);
                form.file = Some((spooled, name));
            }
            "title" => form.title = Some(text(&mut field, "title").await?),
            "description" => form.description = Some(text(&mut field, "description").await?),
            "agenda_item_id" => {
                form.agenda_item_id = Some(text(&mut field, "agenda_item_id").await?)
            }
            "visibility" => form.visibility = Some(text(&mut field, "visibility").await?),
            "visibility_reason" => {
                form.visibility_reason = Some(text(&mut field, "visibility_reason").await?);
            }
            "reason" => form.reason = Some(text(&mut field, "reason").await?),
            _ => {}
        }
    }
    Ok(form)
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
        (status = 400, description = "The form could not be read", body = crate::http::problem::Problem),
        (status = 403, description = "Only the forum's officers upload papers", body = crate::http::problem::Problem),
        (status = 404, description = "No such meeting, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "The meeting was cancelled", body = crate::http::problem::Problem),
        (status = 413, description = "The file is larger than a paper may be, or would take the forum's papers past its storage limit", body = crate::http::problem::Problem),
        (status = 415, description = "The file's contents are not of an accepted kind", body = crate::http::problem::Problem),
        (status = 422, description = "A bad or missing field (an item of another meeting, an empty file…)", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn upload_paper(
    State(state): State<AppState>,
    user: AuthUser,
    Path(meeting_id): Path<Uuid>,
    multipart: Multipart,
) -> ApiResult<Created<PaperOut>> {
    let attached = Attached::meeting(&state.db, meeting_id, None, Some(&user)).await?;
    if !attached.may_list() {
        return Err(ApiError::not_found("meeting"));
    }
    create(
        &state,
        &user,
        attached,
        Target::Meeting(meeting_id),
        multipart,
    )
    .await
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
        (status = 400, description = "The form could not be read", body = crate::http::problem::Problem),
        (status = 403, description = "Not one who raises or answers the forum's issues", body = crate::http::problem::Problem),
        (status = 404, description = "No such issue, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "The issue is closed", body = crate::http::problem::Problem),
        (status = 413, description = "The file is larger than a paper may be, or would take the forum's papers past its storage limit", body = crate::http::problem::Problem),
        (status = 415, description = "The file's contents are not of an accepted kind", body = crate::http::problem::Problem),
        (status = 422, description = "A bad or missing field", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn upload_issue_paper(
    State(state): State<AppState>,
    user: AuthUser,
    Path(issue_id): Path<Uuid>,
    multipart: Multipart,
) -> ApiResult<Created<PaperOut>> {
    let attached = Attached::issue(&state.db, issue_id, Some(&user)).await?;
    if !attached.may_list() {
        return Err(ApiError::not_found("issue"));
    }
    create(&state, &user, attached, Target::Issue(issue_id), multipart).await
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
        (status = 400, description = "The form could not be read", body = crate::http::problem::Problem),
        (status = 403, description = "Only the region's RPD staff and admins keep its plan", body = crate::http::problem::Problem),
        (status = 404, description = "No such plan", body = crate::http::problem::Problem),
        (status = 413, description = "The file is larger than a paper may be, or would take the forum's papers past its storage limit", body = crate::http::problem::Problem),
        (status = 415, description = "The file's contents are not of an accepted kind", body = crate::http::problem::Problem),
        (status = 422, description = "A bad or missing field", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn upload_plan_paper(
    State(state): State<AppState>,
    user: AuthUser,
    Path(plan_id): Path<Uuid>,
    multipart: Multipart,
) -> ApiResult<Created<PaperOut>> {
    let attached = Attached::plan(&state.db, plan_id, Some(&user)).await?;
    create(&state, &user, attached, Target::Plan(plan_id), multipart).await
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
        (status = 400, description = "The form could not be read", body = crate::http::problem::Problem),
        (status = 403, description = "Not one of the forum's officers or the region's RPD staff", body = crate::http::problem::Problem),
        (status = 404, description = "No such consultation, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "The consultation was withdrawn", body = crate::http::problem::Problem),
        (status = 413, description = "The file is larger than a paper may be, or would take the forum's papers past its storage limit", body = crate::http::problem::Problem),
        (status = 415, description = "The file's contents are not of an accepted kind", body = crate::http::problem::Problem),
        (status = 422, description = "A bad or missing field", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn upload_consultation_paper(
    State(state): State<AppState>,
    user: AuthUser,
    Path(consultation_id): Path<Uuid>,
    multipart: Multipart,
) -> ApiResult<Created<PaperOut>> {
    let attached = Attached::consultation(&state.db, consultation_id, Some(&user)).await?;
    if !attached.may_list() {
        return Err(ApiError::not_found("consultation"));
    }
    let target = Target::Consultation(consultation_id);
    create(&state, &user, attached, target, multipart).await
}

/// 409 when the consultation (share-locked for the rest of the
/// transaction) was withdrawn, or, for a deletion, submitted: what was sent
/// is kept.
pub(super) async fn require_consultation_open(
    txn: &sea_orm::DatabaseTransaction,
    consultation_id: Uuid,
    deleting: bool,
) -> ApiResult<()> {
    use entity::ConsultationStatus::{Submitted, Withdrawn};
    let consultation = crate::consultations::lock_consultation(txn, consultation_id).await?;
    if consultation.status == Withdrawn || (deleting && consultation.status == Submitted) {
        return Err(ApiError::Conflict(format!(
            "the consultation is {}: its papers are kept as they were",
            consultation.status.as_str()
        )));
    }
    Ok(())
}

/// What a new paper is attached to.
#[derive(Clone, Copy)]
enum Target {
    Meeting(Uuid),
    Issue(Uuid),
    Plan(Uuid),
    Consultation(Uuid),
}

async fn create(
    state: &AppState,
    user: &AuthUser,
    attached: Attached,
    target: Target,
    mut multipart: Multipart,
) -> ApiResult<Created<PaperOut>> {
    attached.require_write()?;
    attached.require_open(false)?;
    let form = read_form(&mut multipart, state.paper_max_bytes, UPLOAD_FIELDS).await?;

    let mut v = Validator::default();
    let title = form.title.unwrap_or_default();
    v.rule::<limits::PaperTitle>(&title, "title");
    let description = form.description.unwrap_or_default();
    v.rule::<limits::PaperDescription>(&description, "description");
    let item_id = match form.agenda_item_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(given) => {
            let parsed = given.parse::<Uuid>().ok();
            v.check(parsed.is_some(), "agenda_item_id", "is not an id");
            parsed
        }
    };
    let item = match (item_id, target) {
        (Some(id), Target::Meeting(meeting_id)) => agenda_item::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .filter(|i| i.meeting_id == meeting_id),
        _ => None,
    };
    v.check(
        item_id.is_none() || item.is_some(),
        "agenda_item_id",
        "is not an item of this meeting's agenda",
    );
    let visibility = match form.visibility.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(given) => {
            let parsed: Option<Visibility> = serde_json::from_value(json!(given)).ok();
            v.check(
                parsed.is_some(),
                "visibility",
                "must be public, participants or officers",
            );
            parsed
        }
    };
    let inherited = match &item {
        Some(item) => (item.visibility, item.visibility_reason.clone()),
        None => attached.inherited(),
    };
    let reason = match visibility {
        Some(visibility) => {
            v.check(
                visibility.narrower(inherited.0) == visibility,
                "visibility",
                &format!(
                    "cannot be more open than what the paper is attached to ({})",
                    inherited.0.as_str()
                ),
            );
            check_visibility_at(
                &mut v,
                visibility,
                form.visibility_reason.as_deref(),
                "visibility_reason",
            )
        }
        None => None,
    };
    v.check(form.file.is_some(), "file", "is required");
    v.finish()?;
    let Some((mut spooled, file_name)) = form.file else {
        return Err(ApiError::invalid("file", "is required"));
    };

    let placed = state.paper_store.place(&mut spooled).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    if let Target::Meeting(meeting_id) = target {
        // Share-locked: a meeting cancelled meanwhile takes no paper.
        let meeting = lock_meeting(&txn, meeting_id, MeetingLock::Share).await?;
        if meeting.status == MeetingStatus::Cancelled {
            return Err(ApiError::Conflict(
                "this meeting was cancelled; its papers are as they were".into(),
            ));
        }
    }
    if let Target::Consultation(consultation_id) = target {
        // Share-locked: a consultation withdrawn meanwhile takes no paper.
        require_consultation_open(&txn, consultation_id, false).await?;
    }
    let size = i64::try_from(spooled.size).unwrap_or(i64::MAX);
    if let Some(forum_id) = attached.forum_id() {
        quota::reserve(&txn, forum_id, size, state.forum_storage_limit_bytes).await?;
    }
    let content_id = placed.record(&txn, &mut spooled, now).await?;
    let (meeting_id, issue_id, plan_id, consultation_id) = match target {
        Target::Meeting(id) => (Some(id), None, None, None),
        Target::Issue(id) => (None, Some(id), None, None),
        Target::Plan(id) => (None, None, Some(id), None),
        Target::Consultation(id) => (None, None, None, Some(id)),
    };
    let created = paper::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(attached.forum_id()),
        meeting_id: Set(meeting_id),
        agenda_item_id: Set(item_id),
        issue_id: Set(issue_id),
        plan_id: Set(plan_id),
        consultation_id: Set(consultation_id),
        title: Set(title.trim().to_string()),
        description: Set(description.trim().to_string()),
        visibility: Set(visibility),
        visibility_reason: Set(reason),
        current_version: Set(1),
        content_id: Set(content_id),
        file_name: Set(file_name.clone()),
        content_type: Set(spooled.kind.media_type.to_string()),
        size: Set(size),
        sha256: Set(spooled.sha256.clone()),
        version: Set(1),
        uploaded_by: Set(Some(user.id())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    paper_version::ActiveModel {
        id: Set(Uuid::now_v7()),
        paper_id: Set(created.id),
        number: Set(1),
        content_id: Set(content_id),
        file_name: Set(file_name),
        content_type: Set(created.content_type.clone()),
        size: Set(size),
        sha256: Set(created.sha256.clone()),
        reason: Set(None),
        uploaded_by: Set(Some(user.id())),
        uploaded_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "paper.uploaded",
            EntityKind::Paper,
            created.id,
        )
        .forum_of(created.forum_id)
        .changes(json!({
            "meeting_id": meeting_id,
            "agenda_item_id": item_id,
            "issue_id": issue_id,
            "plan_id": plan_id,
            "consultation_id": consultation_id,
            "size": size,
            "sha256": created.sha256,
            "content_type": created.content_type,
        })),
    )
    .await?;
    txn.commit().await?;
    placed.keep();
    let shown = visibility_of(&created, inherited);
    let version = created.version;
    let out = PaperOut::new(created, shown);
    Ok(Created::at(format!("/api/v1/papers/{}", out.id), out).tagged(version))
}

#[cfg(test)]
mod tests {
    use super::safe_file_name;

    #[test]
    fn file_names_lose_their_paths_and_take_their_kind_s_extension() {
        assert_eq!(
            safe_file_name(Some("../../etc/passwd"), "txt"),
            "passwd.txt"
        );
        assert_eq!(
            safe_file_name(Some("C:\\Users\\sam\\Briefing Q3.PDF"), "pdf"),
            "Briefing Q3.pdf"
        );
        assert_eq!(safe_file_name(Some("photo.jpeg"), "jpg"), "photo.jpg");
        assert_eq!(
            safe_file_name(Some("report.pdf.exe"), "pdf"),
            "report.pdf.pdf"
        );
        assert_eq!(safe_file_name(Some("\u{202e}gpj.exe"), "png"), "gpj.png");
        assert_eq!(safe_file_name(Some(".htaccess"), "txt"), "htaccess.txt");
        assert_eq!(safe_file_name(None, "pdf"), "paper.pdf");
        assert_eq!(
            safe_file_name(Some("Adroddiad – Cymraeg.odt"), "odt"),
            "Adroddiad – Cymraeg.odt"
        );
    }
}
