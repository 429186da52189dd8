//! What each write does to the counters. Each function runs in the write's
//! own transaction, after the write itself: a write that fails rolls its
//! counter changes back with it.

use chrono::NaiveDate;
use entity::{
    ActionStatus, IssueStatus, Theme, action_commitment, action_item, commitment, raised_issue,
    raised_issue_commitment,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::{Counter, Part, Tally, month_of, statement};

/// What a linked action contributes to its commitments' counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionFacts {
    pub status: ActionStatus,
    pub due_on: Option<NaiveDate>,
}

impl ActionFacts {
    pub fn of(action: &action_item::Model) -> Self {
        Self {
            status: action.status,
            due_on: action.due_on,
        }
    }

    /// Overdue once its due date has passed: dated, neither done nor cancelled.
    fn open_due(self) -> Option<NaiveDate> {
        self.due_on
            .filter(|_| !matches!(self.status, ActionStatus::Done | ActionStatus::Cancelled))
    }

    fn count(self, tally: &mut Tally, commitment_id: Uuid, n: i64) {
        let id = Part::Id(commitment_id);
        tally.add(
            Counter::ActionStatuses,
            vec![id.clone(), Part::Text(self.status.as_str())],
            n,
        );
        if let Some(due) = self.open_due() {
            tally.add(
                Counter::OpenActionMonths,
                vec![id.clone(), Part::Date(month_of(due))],
                n,
            );
            tally.add(Counter::OpenActionDays, vec![id, Part::Date(due)], n);
        }
    }
}

/// Counts (`sign` 1) or uncounts (-1) links between an action and
/// commitments. The commitments are read with a shared lock: a change of
/// their theme waits for this transaction, and then sees its links.
pub async fn actions_linked(
    conn: &impl ConnectionTrait,
    action_id: Uuid,
    facts: ActionFacts,
    commitment_ids: &[Uuid],
    sign: i64,
) -> Result<(), DbErr> {
    if commitment_ids.is_empty() {
        return Ok(());
    }
    let mut tally = Tally::default();
    for id in commitment_ids {
        facts.count(&mut tally, *id, sign);
    }
    let themes: Vec<(Uuid, Theme)> = commitment::Entity::find()
        .select_only()
        .column(commitment::Column::PlanId)
        .column(commitment::Column::Theme)
        .filter(commitment::Column::Id.is_in(commitment_ids.iter().copied()))
        .order_by_asc(commitment::Column::Id)
        .lock_shared()
        .into_tuple()
        .all(conn)
        .await?;
    for (plan_id, theme) in themes {
        theme_link(conn, &mut tally, action_id, plan_id, theme, sign).await?;
    }
    tally.write(conn).await
}

/// An action's status or due date changed: its links move between counts.
/// Called after the action's conditional update, whose row lock keeps any
/// link or unlink of it waiting until this transaction ends.
pub async fn action_changed(
    conn: &impl ConnectionTrait,
    action_id: Uuid,
    before: ActionFacts,
    after: ActionFacts,
) -> Result<(), DbErr> {
    if before == after {
        return Ok(());
    }
    let mut tally = Tally::default();
    for commitment_id in linked_commitments(conn, action_id).await? {
        before.count(&mut tally, commitment_id, -1);
        after.count(&mut tally, commitment_id, 1);
    }
    tally.write(conn).await
}

async fn linked_commitments(
    conn: &impl ConnectionTrait,
    action_id: Uuid,
) -> Result<Vec<Uuid>, DbErr> {
    action_commitment::Entity::find()
        .select_only()
        .column(action_commitment::Column::CommitmentId)
        .filter(action_commitment::Column::ActionId.eq(action_id))
        .into_tuple()
        .all(conn)
        .await
}

/// One more (or one fewer) link from an action to a theme of a plan; the
/// theme's distinct actions change when the first arrives or the last goes.
async fn theme_link(
    conn: &impl ConnectionTrait,
    tally: &mut Tally,
    action_id: Uuid,
    plan_id: Uuid,
    theme: Theme,
    n: i64,
) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    let row = conn
        .query_one_raw(statement(
            backend,
            "INSERT INTO report_action_themes (action_id, plan_id, theme, n) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (action_id, plan_id, theme) \
             DO UPDATE SET n = report_action_themes.n + excluded.n RETURNING n",
            vec![
                action_id.into(),
                plan_id.into(),
                theme.as_str().into(),
                n.into(),
            ],
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("an upsert returned no row".into()))?;
    let now: i64 = row.try_get_by_index(0)?;
    let key = vec![Part::Id(plan_id), Part::Text(theme.as_str())];
    match (now - n > 0, now > 0) {
        (false, true) => tally.add(Counter::ThemeActions, key, 1),
        (true, false) => {
            tally.add(Counter::ThemeActions, key, -1);
            // The row is locked by the update above until this transaction
            // ends, so no concurrent link can have counted on it.
            conn.execute_raw(statement(
                backend,
                "DELETE FROM report_action_themes \
                 WHERE action_id = $1 AND plan_id = $2 AND theme = $3 AND n = 0",
                vec![action_id.into(), plan_id.into(), theme.as_str().into()],
            ))
            .await?;
        }
        _ => {}
    }
    Ok(())
}

fn count_commitment(tally: &mut Tally, c: &commitment::Model, n: i64) {
    tally.add(
        Counter::ThemeCommitments,
        vec![
            Part::Id(c.plan_id),
            Part::Text(c.theme.as_str()),
            Part::Text(c.firmness.as_str()),
        ],
        n,
    );
}

pub async fn commitment_added(
    conn: &impl ConnectionTrait,
    c: &commitment::Model,
) -> Result<(), DbErr> {
    let mut tally = Tally::default();
    count_commitment(&mut tally, c, 1);
    tally.write(conn).await
}

/// Commitments added and changed by one import: one tally, written once.
pub async fn commitments_imported(
    conn: &impl ConnectionTrait,
    added: &[commitment::Model],
    changed: &[(commitment::Model, commitment::Model)],
) -> Result<(), DbErr> {
    let mut tally = Tally::default();
    for c in added {
        count_commitment(&mut tally, c, 1);
    }
    for (before, after) in changed {
        count_commitment(&mut tally, before, -1);
        count_commitment(&mut tally, after, 1);
        if before.theme != after.theme {
            commitment_theme_moved(
                conn,
                &mut tally,
                after.id,
                after.plan_id,
                before.theme,
                after.theme,
            )
            .await?;
        }
    }
    tally.write(conn).await
}

/// A commitment's theme or firmness changed. Called after its conditional
/// update, which holds its row: links made meanwhile (which read the
/// commitment with a shared lock) are committed and seen here, or wait.
pub async fn commitment_changed(
    conn: &impl ConnectionTrait,
    before: &commitment::Model,
    after: &commitment::Model,
) -> Result<(), DbErr> {
    let mut tally = Tally::default();
    count_commitment(&mut tally, before, -1);
    count_commitment(&mut tally, after, 1);
    if before.theme != after.theme {
        commitment_theme_moved(
            conn,
            &mut tally,
            after.id,
            after.plan_id,
            before.theme,
            after.theme,
        )
        .await?;
    }
    tally.write(conn).await
}

/// The commitment's linked actions leave `from` and join `to`, in one
/// statement each whatever the number of links; a theme's distinct actions
/// change for those whose first link arrives or last link goes.
async fn commitment_theme_moved(
    conn: &impl ConnectionTrait,
    tally: &mut Tally,
    commitment_id: Uuid,
    plan_id: Uuid,
    from: Theme,
    to: Theme,
) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    let linked = "SELECT action_id FROM action_commitments WHERE commitment_id = $3";
    let left = conn
        .query_all_raw(statement(
            backend,
            &format!(
                "UPDATE report_action_themes SET n = n - 1 \
                 WHERE plan_id = $1 AND theme = $2 AND action_id IN ({linked}) RETURNING n"
            ),
            vec![plan_id.into(), from.as_str().into(), commitment_id.into()],
        ))
        .await?;
    let emptied = count_where(&left, |n| n == 0)?;
    if emptied > 0 {
        tally.add(
            Counter::ThemeActions,
            vec![Part::Id(plan_id), Part::Text(from.as_str())],
            -emptied,
        );
        // The rows are locked by the update above until this transaction
        // ends, so no concurrent link can have counted on them.
        conn.execute_raw(statement(
            backend,
            &format!(
                "DELETE FROM report_action_themes \
                 WHERE plan_id = $1 AND theme = $2 AND n = 0 AND action_id IN ({linked})"
            ),
            vec![plan_id.into(), from.as_str().into(), commitment_id.into()],
        ))
        .await?;
    }
    // `WHERE` before `ON CONFLICT` keeps SQLite from reading it as a join's
    // `ON`; the order keeps concurrent writers taking row locks alike.
    let joined = conn
        .query_all_raw(statement(
            backend,
            "INSERT INTO report_action_themes (action_id, plan_id, theme, n) \
             SELECT action_id, $1, $2, 1 FROM action_commitments WHERE commitment_id = $3 \
             ORDER BY action_id \
             ON CONFLICT (action_id, plan_id, theme) \
             DO UPDATE SET n = report_action_themes.n + 1 RETURNING n",
            vec![plan_id.into(), to.as_str().into(), commitment_id.into()],
        ))
        .await?;
    let arrived = count_where(&joined, |n| n == 1)?;
    if arrived > 0 {
        tally.add(
            Counter::ThemeActions,
            vec![Part::Id(plan_id), Part::Text(to.as_str())],
            arrived,
        );
    }
    Ok(())
}

/// How many of the returned counts satisfy `test`.
fn count_where(rows: &[sea_orm::QueryResult], test: impl Fn(i64) -> bool) -> Result<i64, DbErr> {
    let mut matching = 0;
    for row in rows {
        if test(row.try_get_by_index::<i64>(0)?) {
            matching += 1;
        }
    }
    Ok(matching)
}

/// Every figure an issue counts towards.
fn count_issue(tally: &mut Tally, issue: &raised_issue::Model, commitment_ids: &[Uuid], n: i64) {
    let forum = Part::Id(issue.forum_id);
    tally.add(
        Counter::IssueTotals,
        vec![forum.clone(), Part::Text("raised")],
        n,
    );
    if issue.answered_within_due_date == Some(true) {
        tally.add(
            Counter::IssueTotals,
            vec![forum.clone(), Part::Text("answered-within-due-date")],
            n,
        );
    }
    if let Some(days) = issue.days_to_first_response {
        tally.add(
            Counter::ResponseDays,
            vec![forum.clone(), Part::Int(days)],
            n,
        );
    }
    let closed = issue.status == IssueStatus::Closed;
    if issue.first_response_at.is_none() && !closed {
        tally.add(
            Counter::UnansweredIssues,
            vec![forum, Part::Date(issue.response_due_on)],
            n,
        );
    }
    if !closed {
        for id in commitment_ids {
            tally.add(Counter::CommitmentIssues, vec![Part::Id(*id)], n);
        }
    }
}

pub async fn issue_raised(
    conn: &impl ConnectionTrait,
    issue: &raised_issue::Model,
    commitment_ids: &[Uuid],
) -> Result<(), DbErr> {
    let mut tally = Tally::default();
    count_issue(&mut tally, issue, commitment_ids, 1);
    tally.write(conn).await
}

/// An issue was answered or moved; called after its conditional update.
pub async fn issue_changed(
    conn: &impl ConnectionTrait,
    before: &raised_issue::Model,
    after: &raised_issue::Model,
) -> Result<(), DbErr> {
    // Only a move to or from `closed` changes what the links count.
    let links: Vec<Uuid> =
        if (before.status == IssueStatus::Closed) != (after.status == IssueStatus::Closed) {
            raised_issue_commitment::Entity::find()
                .select_only()
                .column(raised_issue_commitment::Column::CommitmentId)
                .filter(raised_issue_commitment::Column::IssueId.eq(after.id))
                .into_tuple()
                .all(conn)
                .await?
        } else {
            Vec::new()
        };
    let mut tally = Tally::default();
    count_issue(&mut tally, before, &links, -1);
    count_issue(&mut tally, after, &links, 1);
    tally.write(conn).await
}
