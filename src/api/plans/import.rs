//! The JSON face of importing commitments from a spreadsheet: the body
//! read as CSV, within the import's own size limit.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::extract::{Json, Path, Query};
use crate::kernel::access::AuthUser;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::plans::{self, ImportOut, ImportQuery, MAX_IMPORT_BYTES};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_commitments))
        .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES))
}

/// The spreadsheet sent: `text/csv` (415 otherwise), within the import's
/// limit (413, told that limit rather than a JSON body's).
fn spreadsheet(headers: &HeaderMap, body: Result<Bytes, BytesRejection>) -> ApiResult<Bytes> {
    let is_csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("text/csv"));
    if !is_csv {
        return Err(ApiError::UnsupportedMediaType(
            "send the commitments as text/csv".into(),
        ));
    }
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge(format!(
                "the file is larger than {} MiB, the most one import takes; split it",
                MAX_IMPORT_BYTES / (1024 * 1024)
            ))
        } else {
            ApiError::BadRequest(rejection.body_text())
        }
    })
}

/// Import commitments from a spreadsheet (the region's RPD staff, admins).
///
/// The body is `text/csv` (UTF-8; up to 16 MiB) with a header row naming
/// the columns of the commitments export — `reference`, `theme`,
/// `firmness`, `text` required; `id`, `status`, `target`, `due_on`
/// optional. Rows are matched on `reference` within the plan: a new
/// reference adds a commitment (status `not-started` unless given), a known
/// one is updated where it differs (an empty `status` leaves it as it is).
/// A status changed by an import is written to the commitment's history
/// with the import named as the note. Every row is checked before anything
/// is written: bad rows are answered in one 422 naming each row, column and
/// problem, and nothing is written. With `dry_run=true` the answer says
/// what would change. A superseded plan takes no import (409).
#[utoipa::path(
    post,
    path = "/plans/{id}/commitments/import",
    tag = "commitments",
    params(("id" = Uuid, Path, description = "Plan id"), ImportQuery),
    request_body(content = String, content_type = "text/csv",
                 description = "The commitments, as the commitments export writes them"),
    responses(
        (status = 200, description = "What the import did (or, dry, would do)", body = ImportOut),
        (status = 404, description = "No such plan"),
        (status = 409, description = "The plan is superseded, or a commitment changed during the import"),
        (status = 413, description = "The file is larger than 16 MiB"),
        (status = 415, description = "The body is not text/csv"),
        (status = 422, description = "Bad rows: each with its row, column and problem"),
    ),
    security(("bearer" = []))
)]
async fn import_commitments(
    State(state): State<AppState>,
    user: AuthUser,
    Path(plan_id): Path<Uuid>,
    Query(query): Query<ImportQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<ImportOut>> {
    let csv = spreadsheet(&headers, body)?;
    Ok(Json(
        plans::import_commitments(&state, &user, plan_id, &csv, query.dry_run).await?,
    ))
}
