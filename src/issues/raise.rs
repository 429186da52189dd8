//! Raising an issue with the RPD's team.

use chrono::Duration;
use entity::{IssuePriority, IssueStatus, raised_issue, raised_issue_commitment};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use uuid::Uuid;

use super::events;
use super::queries::record_status;
use super::types::{IssueIn, IssueNames, IssueOut};
use crate::actions::check_meeting;
use crate::counters;
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::ApiResult;
use crate::kernel::events::Kind;
use crate::kernel::limits;
use crate::kernel::names::{Names, People};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::papers::{Evidence, NewFile};
use crate::plans::require_own_region;

/// Raises an issue with the RPD's team (members, secretary, chair). The
/// response is due the forum's `issue_response_days` after today; linked
/// commitments must be the region's (422 otherwise).
pub async fn raise(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    input: IssueIn,
) -> ApiResult<IssueOut> {
    raise_with_evidence(state, caller, forum_id, input, Vec::new()).await
}

/// Raises an issue as [`raise`] does, with evidence papers sent in the
/// same form: the issue and its evidence are written in one transaction,
/// so a file refused there (the forum's storage full) leaves no issue
/// behind, and an issue refused leaves no file.
pub async fn raise_with_evidence(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    input: IssueIn,
    files: Vec<NewFile>,
) -> ApiResult<IssueOut> {
    let access = ForumAccess::load(&state.db, forum_id, Some(caller)).await?;
    access.require(ForumAction::RaiseIssue)?;
    let mut v = Validator::default();
    v.rule::<limits::IssueTitle>(&input.title, "title")
        .rule::<limits::IssueBody>(&input.body, "body");
    v.finish()?;
    check_meeting(&state.db, forum_id, input.meeting_id).await?;
    let commitment_ids = require_own_region(
        &state.db,
        &access.forum,
        &input.commitment_ids,
        "commitment_ids",
    )
    .await?;
    let mut evidence = Evidence::place(state, files).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let due = now.date_naive() + Duration::days(i64::from(access.forum.issue_response_days));
    let issue = raised_issue::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id),
        title: Set(input.title.trim().to_string()),
        body: Set(input.body.trim().to_string()),
        priority: Set(input.priority.unwrap_or(IssuePriority::Normal)),
        raised_by: Set(Some(caller.id())),
        raised_for_organisation_id: Set(caller.user.organisation_id),
        meeting_id: Set(input.meeting_id),
        status: Set(IssueStatus::Open),
        response_due_on: Set(due),
        first_response_at: Set(None),
        days_to_first_response: Set(None),
        answered_within_due_date: Set(None),
        closed_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    if !commitment_ids.is_empty() {
        raised_issue_commitment::Entity::insert_many(commitment_ids.iter().map(|c| {
            raised_issue_commitment::ActiveModel {
                issue_id: Set(issue.id),
                commitment_id: Set(*c),
                created_at: Set(now),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    evidence
        .record(&txn, state, caller.id(), forum_id, issue.id, now)
        .await?;
    record_status(
        &txn,
        issue.id,
        None,
        IssueStatus::Open,
        None,
        caller.id(),
        now,
    )
    .await?;
    counters::issue_raised(&txn, &issue, &commitment_ids).await?;
    let told = events::about(Kind::IssueRaised, &issue, Some(caller.id()));
    crate::kernel::events::emit(&txn, now, told).await?;
    let names = Names::load(
        &txn,
        People::of_participants(),
        [issue.raised_by],
        [issue.raised_for_organisation_id],
    )
    .await?;
    let names = IssueNames::among(&names, &issue);
    let out = IssueOut::new(issue, names, commitment_ids, now.date_naive());
    AuditEvent::by(caller.id(), "issue.raised", EntityKind::Issue, out.id)
        .forum(forum_id)
        .changes(audit::snapshot(&out)?)
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    evidence.keep();
    Ok(out)
}
