//! Moving an issue along its state machine: acknowledging, closing and
//! re-opening. (Responding is a post to its thread, in `responses`.)

use axum::extract::State;
use entity::{IssueStatus, raised_issue};
use sea_orm::IntoActiveModel;
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::{commitment_ids_of, record_status};
use super::types::{IssueChange, IssueOut};
use crate::counters;
use crate::http::extract::{Json, Path};
use crate::http::responses::Tagged;
use crate::kernel::access::AuthUser;
use crate::kernel::access::ForumAction;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::{self, Event, Kind};
use crate::kernel::limits;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(change_issue))
}

/// Move an issue along: acknowledge it (the region's RPD staff), close it when
/// satisfied, or re-open a responded one with a `reason` (the raiser, the
/// secretary or chair). Other moves are 409. Re-opening keeps the due date.
///
/// The move is made only from the state (and version) read: of two
/// concurrent moves one wins and the other is 409, naming the state it found.
/// With `If-Match`, a move of a version other than the one sent is 412.
#[utoipa::path(
    patch,
    path = "/issues/{id}",
    tag = "issues",
    params(("id" = Uuid, Path, description = "Issue id"), IfMatch),
    request_body = IssueChange,
    responses(
        (status = 200, description = "The issue as it now is", body = IssueOut,
         headers(("ETag" = String, description = "The issue's version now"))),
        (status = 404, description = "No such issue, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "Not a move the issue can make, or it changed meanwhile", body = crate::http::problem::Problem),
        (status = 412, description = "If-Match is stale", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn change_issue(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(change): Json<IssueChange>,
) -> ApiResult<Tagged<IssueOut>> {
    let (issue, access) = crate::kernel::access::load_visible::<entity::raised_issue::Entity>(
        &state.db,
        id,
        Some(&user),
    )
    .await?;
    access.require(match change.status {
        IssueStatus::Acknowledged | IssueStatus::Responded => ForumAction::RespondToIssue,
        IssueStatus::Open | IssueStatus::Closed => ForumAction::SettleIssue {
            raised_by: issue.raised_by,
        },
    })?;
    let mut v = Validator::default();
    v.check(
        change.status != IssueStatus::Responded,
        "status",
        "an issue is responded to by posting a response",
    );
    match &change.reason {
        Some(reason) => {
            v.rule::<limits::IssueReason>(reason, "reason");
        }
        None => {
            v.check(
                change.status != IssueStatus::Open,
                "reason",
                "is required to re-open an issue",
            );
        }
    }
    v.finish()?;
    if_match.check(issue.version)?;
    let from = issue.status;
    if !from.can_become(change.status) {
        return Err(ApiError::transition(
            "issue",
            from.as_str(),
            change.status.as_str(),
        ));
    }
    let links = commitment_ids_of(&state.db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let now = state.clock.now();
    let mut changes = issue.clone().into_active_model();
    changes.status.set_ne(change.status);
    changes
        .closed_at
        .set_ne((change.status == IssueStatus::Closed).then_some(now));
    let reason = change.reason.map(|r| r.trim().to_string());

    let txn = begin_write(&state.db).await?;
    // Conditional on the version read, and so on the state the move is from.
    let saved = versioning::save::<raised_issue::Entity>(&txn, &issue, changes, &if_match, now)
        .await?
        .into_inner();
    counters::issue_changed(&txn, &issue, &saved).await?;
    let told_as = match change.status {
        IssueStatus::Acknowledged => Some(Kind::IssueAcknowledged),
        IssueStatus::Open => Some(Kind::IssueReopened),
        IssueStatus::Closed => Some(Kind::IssueClosed),
        // Answering is a response (`POST …/responses`), told there.
        IssueStatus::Responded => None,
    };
    if let Some(kind) = told_as {
        let event = Event::issue_moved(kind, &saved, Some(user.id()), reason.as_deref());
        events::emit(&txn, now, event).await?;
    }
    record_status(
        &txn,
        id,
        Some(from),
        change.status,
        reason.clone(),
        user.id(),
        now,
    )
    .await?;
    let out = IssueOut::new(saved, links, now.date_naive());
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "issue.status-changed",
            EntityKind::Issue,
            id,
        )
        .forum(out.forum_id)
        .changes(json!({
            "status": {"from": from, "to": change.status},
            "reason": reason,
            "version": out.version,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(Tagged::new(out.version, out))
}
