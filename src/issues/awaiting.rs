//! "Awaiting your answer": the issues the forums of a member of the RPD's
//! team have raised and not yet had answered (open, acknowledged, or
//! re-opened), soonest due first — so the overdue come first — a bounded
//! list and how many there are in all, in three statements whatever the
//! number of issues.

use entity::{ForumRole, IssueStatus, forum, forum_role, raised_issue};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use super::queries::{listed, oldest_due_first};
use super::types::IssueOut;
use crate::kernel::access::AuthUser;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;

/// At most this many issues are listed; the rest are counted.
pub const AWAITING_SHOWN: u64 = 50;

/// An issue awaiting an answer, and the forum it is of.
pub struct AwaitingIssue {
    pub issue: IssueOut,
    pub forum_name: String,
}

pub struct Awaiting {
    /// The forums whose issues these are (those the caller answers for).
    pub forums: Vec<(Uuid, String)>,
    /// Soonest due first, at most [`AWAITING_SHOWN`].
    pub issues: Vec<AwaitingIssue>,
    /// How many await an answer in all.
    pub total: u64,
}

/// The states in which an issue awaits the RPD's team's answer.
const AWAITING: [IssueStatus; 2] = [IssueStatus::Open, IssueStatus::Acknowledged];

/// The forums whose issues the caller answers: those they are the RPD
/// staff of, or every forum for an admin.
fn answered_by(caller: &AuthUser) -> Select<forum::Entity> {
    let all = forum::Entity::find().order_by_asc(forum::Column::Name);
    if caller.user.is_admin {
        return all;
    }
    all.filter(
        forum::Column::Id.in_subquery(
            Query::select()
                .column(forum_role::Column::ForumId)
                .from(forum_role::Entity)
                .and_where(forum_role::Column::UserId.eq(caller.id()))
                .and_where(forum_role::Column::Role.eq(ForumRole::RpdStaff))
                .to_owned(),
        ),
    )
}

/// The issues awaiting the caller's answer (the region's RPD staff, and
/// admins); 403 to anyone who answers for no forum.
pub async fn awaiting_answer(state: &AppState, caller: &AuthUser) -> ApiResult<Awaiting> {
    let forums: Vec<(Uuid, String)> = answered_by(caller)
        .select_only()
        .column(forum::Column::Id)
        .column(forum::Column::Name)
        .into_tuple()
        .all(&state.db)
        .await?;
    if forums.is_empty() {
        return Err(ApiError::Forbidden(
            "only the region's RPD staff answer the issues its forum raises".into(),
        ));
    }
    let ids: Vec<Uuid> = forums.iter().map(|(id, _)| *id).collect();
    let awaiting = || {
        raised_issue::Entity::find()
            .filter(raised_issue::Column::ForumId.is_in(ids.clone()))
            .filter(raised_issue::Column::Status.is_in(AWAITING))
    };
    let today = state.clock.now().date_naive();
    let backend = state.db.get_database_backend();
    let rows = listed(oldest_due_first(awaiting()).limit(AWAITING_SHOWN), backend)
        .all(&state.db)
        .await?;
    let total = awaiting().count(&state.db).await?;
    let name_of = |forum_id: Uuid| {
        forums
            .iter()
            .find(|(id, _)| *id == forum_id)
            .map(|(_, name)| name.clone())
            .unwrap_or_default()
    };
    let issues = rows
        .into_iter()
        .map(|row| {
            let issue = IssueOut::listed(row, today);
            AwaitingIssue {
                forum_name: name_of(issue.forum_id),
                issue,
            }
        })
        .collect();
    Ok(Awaiting {
        forums,
        issues,
        total,
    })
}
