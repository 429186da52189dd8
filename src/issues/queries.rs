//! The queries the issues' operations share, and the figures the
//! accountability report reads of them.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{IssueStatus, commitment, issue_status_change, raised_issue, raised_issue_commitment};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait,
    JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select,
    SelectModel, Selector, Set,
};
use uuid::Uuid;

use super::types::{IssueQuery, IssueRow, Responsiveness};
use crate::kernel::error::ApiResult;
use crate::kernel::names::{People, organisation_name, person_name};
use crate::kernel::pagination::after_key;
use crate::plans::with_linked_ids;

/// Issues read with the names beside their ids and the commitments each is
/// linked to, in the same statement. Only the forum's participants read
/// issues, so people's names are shown.
pub fn listed(
    select: Select<raised_issue::Entity>,
    backend: DbBackend,
) -> Selector<SelectModel<IssueRow>> {
    let col = |c: raised_issue::Column| (raised_issue::Entity, c);
    let select = select
        .column_as(
            person_name(
                col(raised_issue::Column::RaisedBy),
                People::of_participants(),
            ),
            "raised_by_name",
        )
        .column_as(
            organisation_name(col(raised_issue::Column::RaisedForOrganisationId)),
            "raised_by_organisation_name",
        );
    with_linked_ids::<_, raised_issue_commitment::Entity, _>(
        select,
        backend,
        raised_issue::Column::Id,
        raised_issue_commitment::Column::IssueId,
        raised_issue_commitment::Column::CommitmentId,
    )
}

/// One issue as lists read it (one statement), if there is one.
pub async fn read_one(conn: &impl ConnectionTrait, id: Uuid) -> ApiResult<Option<IssueRow>> {
    Ok(listed(
        raised_issue::Entity::find_by_id(id),
        conn.get_database_backend(),
    )
    .one(conn)
    .await?)
}

pub async fn record_status(
    conn: &impl ConnectionTrait,
    issue_id: Uuid,
    from: Option<IssueStatus>,
    to: IssueStatus,
    reason: Option<String>,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    issue_status_change::ActiveModel {
        id: Set(Uuid::now_v7()),
        issue_id: Set(issue_id),
        from_status: Set(from),
        to_status: Set(to),
        reason: Set(reason),
        changed_by: Set(Some(by)),
        changed_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Not answered and past due. The first two terms are the predicate of the
/// partial index of unanswered issues by due date, written as they are
/// there (literals, not bound values) so that both databases see the index
/// applies.
fn unanswered_past_due(today: NaiveDate) -> Condition {
    Condition::all()
        .add(raised_issue::Column::FirstResponseAt.is_null())
        .add(Expr::cust(format!(
            r#""raised_issues"."status" <> '{}'"#,
            IssueStatus::Closed.as_str()
        )))
        .add(raised_issue::Column::ResponseDueOn.lt(today))
}

/// The forum's issues matching the list filters (shared by pages and CSV).
pub fn filtered(
    forum_id: Uuid,
    query: &IssueQuery,
    today: NaiveDate,
) -> Select<raised_issue::Entity> {
    let mut select =
        raised_issue::Entity::find().filter(raised_issue::Column::ForumId.eq(forum_id));
    if let Some(status) = query.status {
        select = select.filter(raised_issue::Column::Status.eq(status));
    }
    if let Some(priority) = query.priority {
        select = select.filter(raised_issue::Column::Priority.eq(priority));
    }
    if let Some(organisation) = query.raised_by_organisation_id {
        select = select.filter(raised_issue::Column::RaisedForOrganisationId.eq(organisation));
    }
    match query.overdue {
        Some(true) => select = select.filter(unanswered_past_due(today)),
        Some(false) => select = select.filter(unanswered_past_due(today).not()),
        None => {}
    }
    if let Some(commitment_id) = query.commitment_id {
        // A commitment's issues are few beside a forum's: read them through
        // the link table and sort those few, rather than walk the forum's
        // whole due-date order in search of them. `FROM links CROSS JOIN
        // issues` makes SQLite take the links first (its documented rule for
        // CROSS JOIN); PostgreSQL plans the plain join by cost.
        QueryTrait::query(&mut select)
            .from_clear()
            .from(raised_issue_commitment::Entity)
            .cross_join(raised_issue::Entity)
            .and_where(
                Expr::col((raised_issue::Entity, raised_issue::Column::Id)).equals((
                    raised_issue_commitment::Entity,
                    raised_issue_commitment::Column::IssueId,
                )),
            )
            .and_where(
                Expr::col((
                    raised_issue_commitment::Entity,
                    raised_issue_commitment::Column::CommitmentId,
                ))
                .eq(commitment_id),
            );
    }
    select
}

/// Keyset condition: rows after `(due, id)` in (due date, id) order.
pub fn after(due: NaiveDate, id: Uuid) -> Expr {
    after_key(
        [
            Expr::col((raised_issue::Entity, raised_issue::Column::ResponseDueOn)),
            Expr::col((raised_issue::Entity, raised_issue::Column::Id)),
        ],
        [due.into(), id.into()],
    )
}

pub fn oldest_due_first(select: Select<raised_issue::Entity>) -> Select<raised_issue::Entity> {
    select
        .order_by_asc(raised_issue::Column::ResponseDueOn)
        .order_by_asc(raised_issue::Column::Id)
}

/// The forum's responsiveness figures: four counts and a median, each a SQL aggregate.
pub async fn responsiveness(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    today: NaiveDate,
) -> Result<Responsiveness, DbErr> {
    let of_forum =
        || raised_issue::Entity::find().filter(raised_issue::Column::ForumId.eq(forum_id));
    let raised = of_forum().count(conn).await?;
    let within = of_forum()
        .filter(raised_issue::Column::AnsweredWithinDueDate.eq(true))
        .count(conn)
        .await?;
    let past_due = of_forum()
        .filter(unanswered_past_due(today))
        .count(conn)
        .await?;
    let answered = of_forum().filter(raised_issue::Column::DaysToFirstResponse.is_not_null());
    let n = answered.clone().count(conn).await?;
    // The middle one or two values, read in order from the database.
    let middle: Vec<Option<i32>> = answered
        .select_only()
        .column(raised_issue::Column::DaysToFirstResponse)
        .order_by_asc(raised_issue::Column::DaysToFirstResponse)
        .offset(n.saturating_sub(1) / 2)
        .limit(if n % 2 == 0 { 2 } else { 1 })
        .into_tuple()
        .all(conn)
        .await?;
    let values: Vec<f64> = middle.into_iter().flatten().map(f64::from).collect();
    let median = (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64);
    Ok(Responsiveness {
        issues_raised: raised,
        answered_within_due_date: within,
        median_days_to_first_response: median,
        open_past_due: past_due,
    })
}

/// Issues not yet closed, per commitment of a plan: one grouped query.
pub async fn open_issues_per_commitment(
    conn: &impl ConnectionTrait,
    plan_id: Uuid,
) -> Result<HashMap<Uuid, u64>, DbErr> {
    let rows: Vec<(Uuid, i64)> = raised_issue_commitment::Entity::find()
        .select_only()
        .column(raised_issue_commitment::Column::CommitmentId)
        .column_as(
            Expr::col((
                raised_issue_commitment::Entity,
                raised_issue_commitment::Column::IssueId,
            ))
            .count(),
            "n",
        )
        .join(
            JoinType::InnerJoin,
            raised_issue_commitment::Entity::belongs_to(raised_issue::Entity)
                .from(raised_issue_commitment::Column::IssueId)
                .to(raised_issue::Column::Id)
                .into(),
        )
        .filter(raised_issue::Column::Status.ne(IssueStatus::Closed))
        .filter(
            raised_issue_commitment::Column::CommitmentId.in_subquery(
                Query::select()
                    .column(commitment::Column::Id)
                    .from(commitment::Entity)
                    .and_where(commitment::Column::PlanId.eq(plan_id))
                    .to_owned(),
            ),
        )
        .group_by(raised_issue_commitment::Column::CommitmentId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(c, n)| (c, u64::try_from(n).unwrap_or(0)))
        .collect())
}
