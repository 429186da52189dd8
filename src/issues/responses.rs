//! Answering an issue: a post to its thread, which moves it to `responded`.

use entity::{IssueStatus, issue_response, raised_issue};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, QuerySelect, Set};
use serde_json::json;
use uuid::Uuid;

use super::events;
use super::queries::record_status;
use super::types::{ResponseIn, ResponseOut};
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
use crate::papers::{Evidence, NewFile};

/// Answers an issue (the region's RPD staff). The first response moves an
/// open or acknowledged issue to `responded` and fixes its time to first
/// response; a response to a re-opened issue moves it to `responded` again.
/// Every response is kept in the thread and raises the issue's version. A
/// closed issue takes no more responses (409), even one closed while this
/// response was being posted.
pub async fn respond(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: ResponseIn,
) -> ApiResult<ResponseOut> {
    respond_with_evidence(state, caller, id, input, Vec::new()).await
}

/// Answers an issue as [`respond`] does, with evidence papers sent in the
/// same form, written in the answer's own transaction (all or nothing) and
/// dated as the answer is, which is how they are shown beside it.
pub async fn respond_with_evidence(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: ResponseIn,
    files: Vec<NewFile>,
) -> ApiResult<ResponseOut> {
    let (_, access) =
        access::load_visible::<raised_issue::Entity>(&state.db, id, Some(caller)).await?;
    access.require(ForumAction::RespondToIssue)?;
    Validator::default()
        .rule::<limits::ResponseBody>(&input.body, "body")
        .finish()?;
    let mut evidence = Evidence::place(state, files).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    // The issue's row is locked for the rest of the transaction: concurrent
    // responses queue here, each seeing the status and first response that
    // the one before it left, and a close committed meanwhile is seen (while
    // a close waiting behind this lock finds the version raised, and is 409).
    let issue = raised_issue::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found("issue"))?;
    if issue.status == IssueStatus::Closed {
        return Err(ApiError::Conflict(
            "this issue is closed; it takes no more responses".into(),
        ));
    }
    let response = issue_response::ActiveModel {
        id: Set(Uuid::now_v7()),
        issue_id: Set(id),
        author_id: Set(Some(caller.id())),
        body: Set(input.body.trim().to_string()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    evidence
        .record(&txn, state, caller.id(), issue.forum_id, id, now)
        .await?;
    let from = issue.status;
    let first = issue.first_response_at.is_none();
    let moves = from.can_become(IssueStatus::Responded);
    let mut changes = issue.clone().into_active_model();
    if first {
        let days = (now.date_naive() - issue.created_at.date_naive()).num_days();
        changes.first_response_at = Set(Some(now));
        changes.days_to_first_response = Set(Some(i32::try_from(days).unwrap_or(i32::MAX)));
        changes.answered_within_due_date = Set(Some(now.date_naive() <= issue.response_due_on));
    }
    if moves {
        changes.status = Set(IssueStatus::Responded);
    }
    // The thread is part of the issue as it is read, so every response
    // raises its version, whether or not the issue's own columns change.
    let updated = if changes.is_changed() {
        versioning::save::<raised_issue::Entity>(&txn, &issue, changes, &IfMatch::none(), now)
            .await?
            .into_inner()
    } else {
        versioning::touch::<raised_issue::Entity>(&txn, &issue, &IfMatch::none(), now).await?
    };
    counters::issue_changed(&txn, &issue, &updated).await?;
    let told = events::about(Kind::IssueResponded, &updated, Some(caller.id()));
    crate::kernel::events::emit(&txn, now, told).await?;
    if moves {
        record_status(
            &txn,
            id,
            Some(from),
            IssueStatus::Responded,
            None,
            caller.id(),
            now,
        )
        .await?;
    }
    AuditEvent::by(caller.id(), "issue.responded", EntityKind::Issue, id)
        .forum(issue.forum_id)
        .changes(json!({
            "response_id": response.id,
            "first_response": first,
            "status": moves.then(|| json!({"from": from, "to": IssueStatus::Responded})),
            "version": updated.version,
        }))
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    evidence.keep();
    Ok(ResponseOut::new(
        response,
        Some(caller.user.display_name.clone()),
    ))
}
