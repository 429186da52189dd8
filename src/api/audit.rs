//! `GET /audit`.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::audit_trail::{self, AuditEventOut, AuditQuery};
use crate::http::extract::{Json, Query};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::pagination::Page;
use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit_events))
}

/// The audit trail, newest first.
///
/// Admins read all of it. A forum's secretary, chair and RPD staff read their
/// own forum's trail by giving `forum_id`; RPD staff see the changes of an
/// agenda item they may not read only as `{"withheld": "Withheld: <reason>"}`.
#[utoipa::path(
    get,
    path = "/audit",
    tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of audit events, newest first", body = Page<AuditEventOut>),
    ),
    security(("bearer" = []))
)]
async fn list_audit_events(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<Page<AuditEventOut>>> {
    Ok(Json(audit_trail::read(&state, &user, query).await?))
}
