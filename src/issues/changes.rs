//! Moving an issue along its state machine: acknowledging, closing and
//! re-opening. (Responding is a post to its thread, in `responses`.)

use entity::{IssueStatus, raised_issue};
use sea_orm::IntoActiveModel;
use serde_json::json;
use uuid::Uuid;

use super::events;
use super::queries::{read_one, record_status};
use super::types::{IssueChange, IssueOut};
use crate::counters;
use crate::kernel::access::{self, AuthUser, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::Kind;
use crate::kernel::limits;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

/// Moves an issue along: acknowledging it (the region's RPD staff),
/// closing it when satisfied, or re-opening a responded one with a reason
/// (the raiser, the secretary or chair). Other moves are 409; re-opening
/// keeps the due date. The move is made only from the state (and version)
/// read: of two concurrent moves one wins and the other is 409, and with
/// `If-Match` a move of another version is 412.
pub async fn change(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    change: IssueChange,
    if_match: &IfMatch,
) -> ApiResult<IssueOut> {
    let (issue, access) =
        access::load_visible::<raised_issue::Entity>(&state.db, id, Some(caller)).await?;
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
    // Its names and links, which a move of its status leaves as they are.
    let read = read_one(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("issue"))?;
    let (names, links) = (read.record.names, read.commitment_ids);
    let now = state.clock.now();
    let mut changes = issue.clone().into_active_model();
    changes.status.set_ne(change.status);
    changes
        .closed_at
        .set_ne((change.status == IssueStatus::Closed).then_some(now));
    let reason = change.reason.map(|r| r.trim().to_string());

    let txn = begin_write(&state.db).await?;
    // Conditional on the version read, and so on the state the move is from.
    let saved = versioning::save::<raised_issue::Entity>(&txn, &issue, changes, if_match, now)
        .await?
        .into_inner();
    counters::issue_changed(&txn, &issue, &saved).await?;
    let told_as = match change.status {
        IssueStatus::Acknowledged => Some(Kind::IssueAcknowledged),
        IssueStatus::Open => Some(Kind::IssueReopened),
        IssueStatus::Closed => Some(Kind::IssueClosed),
        // Answering is a response (`respond`), told there.
        IssueStatus::Responded => None,
    };
    if let Some(kind) = told_as {
        let event = events::moved(kind, &saved, Some(caller.id()), reason.as_deref());
        crate::kernel::events::emit(&txn, now, event).await?;
    }
    record_status(
        &txn,
        id,
        Some(from),
        change.status,
        reason.clone(),
        caller.id(),
        now,
    )
    .await?;
    let out = IssueOut::new(saved, names, links, now.date_naive());
    AuditEvent::by(caller.id(), "issue.status-changed", EntityKind::Issue, id)
        .forum(out.forum_id)
        .changes(json!({
            "status": {"from": from, "to": change.status},
            "reason": reason,
            "version": out.version,
        }))
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(out)
}
