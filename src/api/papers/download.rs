//! Downloading a paper: always as an attachment, never for the browser to
//! render; its SHA-256 as a strong `ETag` (304 to `If-None-Match`); one
//! byte range at a time (`Range`, 206; 416 outside the file).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use crate::http::extract::Path;
use crate::http::paper_download::send;
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;
use crate::papers;

/// A paper's file (whoever may read the paper).
///
/// Served as an attachment with its safe name, its kind as decided from its
/// bytes, `X-Content-Type-Options: nosniff`, and its SHA-256 as a strong
/// `ETag` (304 to a matching `If-None-Match`). One `Range` of bytes is
/// answered 206 with `Content-Range` (416 outside the file).
#[utoipa::path(
    get,
    path = "/papers/{id}/content",
    tag = "papers",
    params(
        ("id" = Uuid, Path, description = "Paper id"),
        ("Range" = Option<String>, Header, description = "One byte range, e.g. `bytes=0-1023`"),
        ("If-None-Match" = Option<String>, Header, description = "The ETag of the copy you hold"),
    ),
    responses(
        (status = 200, description = "The file, of the kind its bytes are", content(
             (Vec<u8> = "application/pdf"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
             (Vec<u8> = "application/vnd.oasis.opendocument.text"),
             (Vec<u8> = "application/vnd.oasis.opendocument.spreadsheet"),
             (Vec<u8> = "image/png"),
             (Vec<u8> = "image/jpeg"),
             (String = "text/plain"),
             (String = "text/csv"),
             (String = "text/markdown"),
         ),
         headers(("ETag" = String, description = "The file's SHA-256"),
                 ("Content-Disposition" = String, description = "`attachment` with the file's name"),
                 ("Accept-Ranges" = String, description = "`bytes`"))),
        (status = 206, description = "The range asked for", content(
             (Vec<u8> = "application/pdf"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
             (Vec<u8> = "application/vnd.oasis.opendocument.text"),
             (Vec<u8> = "application/vnd.oasis.opendocument.spreadsheet"),
             (Vec<u8> = "image/png"),
             (Vec<u8> = "image/jpeg"),
             (String = "text/plain"),
             (String = "text/csv"),
             (String = "text/markdown"),
         ),
         headers(("Content-Range" = String, description = "Which bytes, of how many"))),
        (status = 304, description = "Not changed since the ETag sent"),
        (status = 404, description = "No such paper, or not yours to read"),
        (status = 416, description = "The range is outside the file"),
    ),
    security((), ("bearer" = []))
)]
pub(super) async fn paper_content(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let file = papers::paper_file(&state, caller.as_ref(), id).await?;
    send(&state, &headers, file)
}

#[derive(Debug, Deserialize)]
pub(super) struct VersionPath {
    id: Uuid,
    number: i32,
}

/// One version's file, as the paper's is served (whoever may read the paper).
#[utoipa::path(
    get,
    path = "/papers/{id}/versions/{number}/content",
    tag = "papers",
    params(
        ("id" = Uuid, Path, description = "Paper id"),
        ("number" = i32, Path, description = "Version number, from 1"),
        ("Range" = Option<String>, Header, description = "One byte range, e.g. `bytes=0-1023`"),
        ("If-None-Match" = Option<String>, Header, description = "The ETag of the copy you hold"),
    ),
    responses(
        (status = 200, description = "The file, of the kind its bytes are",
         content(
             (Vec<u8> = "application/pdf"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
             (Vec<u8> = "application/vnd.oasis.opendocument.text"),
             (Vec<u8> = "application/vnd.oasis.opendocument.spreadsheet"),
             (Vec<u8> = "image/png"),
             (Vec<u8> = "image/jpeg"),
             (String = "text/plain"),
             (String = "text/csv"),
             (String = "text/markdown"),
         ),
         headers(("ETag" = String, description = "The file's SHA-256"),
                 ("Content-Disposition" = String, description = "`attachment` with the file's name"))),
        (status = 206, description = "The range asked for", content(
             (Vec<u8> = "application/pdf"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
             (Vec<u8> = "application/vnd.oasis.opendocument.text"),
             (Vec<u8> = "application/vnd.oasis.opendocument.spreadsheet"),
             (Vec<u8> = "image/png"),
             (Vec<u8> = "image/jpeg"),
             (String = "text/plain"),
             (String = "text/csv"),
             (String = "text/markdown"),
         ),
         headers(("Content-Range" = String, description = "Which bytes, of how many"))),
        (status = 304, description = "Not changed since the ETag sent"),
        (status = 404, description = "No such paper or version, or not yours to read"),
        (status = 416, description = "The range is outside the file"),
    ),
    security((), ("bearer" = []))
)]
pub(super) async fn version_content(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(path): Path<VersionPath>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let file = papers::version_file(&state, caller.as_ref(), path.id, path.number).await?;
    send(&state, &headers, file)
}
