//! What the public record reads: a forum's approved minutes and upcoming
//! meetings, and a region's commitment changes, answers to issues and
//! funding opportunities.
//! Each is one statement (or two, for what a page's rows carry).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    AgendaItemStatus, MeetingStatus, MinutesStatus, OpportunityState, Visibility, agenda_item,
    commitment, commitment_status_change, forum, issue_response, meeting, minutes, minutes_section,
    opportunity, raised_issue, regional_plan,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::kernel::access::{ForumAccess, may_read};
use crate::kernel::pagination::after_key;
use crate::meetings::withheld_title;

/// The sections of the forum's approved minutes that `access` may read
/// (their own visibility and their item's), as a statement to search in.
pub fn readable_sections(forum_id: Uuid, access: &ForumAccess) -> SelectStatement {
    let readable: Vec<&'static str> = [
        Visibility::Public,
        Visibility::Participants,
        Visibility::Officers,
    ]
    .into_iter()
    .filter(|v| access.may_read(*v))
    .map(|v| v.as_str())
    .collect();
    Query::select()
        .from(minutes_section::Entity)
        .inner_join(
            minutes::Entity,
            Expr::col((minutes::Entity, minutes::Column::Id))
                .equals((minutes_section::Entity, minutes_section::Column::MinutesId)),
        )
        .inner_join(
            meeting::Entity,
            Expr::col((meeting::Entity, meeting::Column::Id))
                .equals((minutes::Entity, minutes::Column::MeetingId)),
        )
        .left_join(
            agenda_item::Entity,
            Expr::col((agenda_item::Entity, agenda_item::Column::Id)).equals((
                minutes_section::Entity,
                minutes_section::Column::AgendaItemId,
            )),
        )
        .and_where(Expr::col((meeting::Entity, meeting::Column::ForumId)).eq(forum_id))
        .and_where(
            Expr::col((minutes::Entity, minutes::Column::Status))
                .eq(MinutesStatus::Approved.as_str()),
        )
        .and_where(
            Expr::col((minutes_section::Entity, minutes_section::Column::Visibility))
                .is_in(readable.clone()),
        )
        .and_where(
            Expr::col((agenda_item::Entity, agenda_item::Column::Id))
                .is_null()
                .or(
                    Expr::col((agenda_item::Entity, agenda_item::Column::Visibility))
                        .is_in(readable),
                ),
        )
        .to_owned()
}

/// These approved minutes, with their meetings, by id.
pub async fn approved_minutes_by_id(
    conn: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<Vec<(minutes::Model, meeting::Model)>, DbErr> {
    let rows = minutes::Entity::find()
        .select_also(meeting::Entity)
        .join(
            JoinType::InnerJoin,
            minutes::Entity::belongs_to(meeting::Entity)
                .from(minutes::Column::MeetingId)
                .to(meeting::Column::Id)
                .into(),
        )
        .filter(minutes::Column::Id.is_in(ids))
        .filter(minutes::Column::Status.eq(MinutesStatus::Approved))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(minutes, meeting)| Some((minutes, meeting?)))
        .collect())
}

/// Approved minutes of the forum, newest approval first, with their meetings.
pub async fn approved_minutes(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    limit: u64,
    before: Option<(DateTime<Utc>, Uuid)>,
) -> Result<Vec<(minutes::Model, meeting::Model)>, DbErr> {
    let mut select = minutes::Entity::find()
        .select_also(meeting::Entity)
        .join(
            JoinType::InnerJoin,
            minutes::Entity::belongs_to(meeting::Entity)
                .from(minutes::Column::MeetingId)
                .to(meeting::Column::Id)
                .into(),
        )
        .filter(meeting::Column::ForumId.eq(forum_id))
        .filter(minutes::Column::Status.eq(MinutesStatus::Approved));
    if let Some((approved_at, id)) = before {
        select = select.filter(
            Expr::tuple([
                Expr::col((minutes::Entity, minutes::Column::ApprovedAt)),
                Expr::col((minutes::Entity, minutes::Column::Id)),
            ])
            .lt(Expr::tuple([Expr::val(approved_at), Expr::val(id)])),
        );
    }
    let rows = select
        .order_by_desc(minutes::Column::ApprovedAt)
        .order_by_desc(minutes::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(minutes, meeting)| Some((minutes, meeting?)))
        .collect())
}

/// The forum's scheduled meetings from `now`, soonest first.
pub async fn upcoming(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    now: DateTime<Utc>,
    limit: u64,
    after: Option<(DateTime<Utc>, Uuid)>,
) -> Result<Vec<meeting::Model>, DbErr> {
    let mut select = meeting::Entity::find()
        .filter(meeting::Column::ForumId.eq(forum_id))
        .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled));
    select = match after {
        Some((starts_at, id)) if starts_at >= now => select.filter(after_key(
            [
                Expr::col((meeting::Entity, meeting::Column::StartsAt)),
                Expr::col((meeting::Entity, meeting::Column::Id)),
            ],
            [starts_at.into(), id.into()],
        )),
        _ => select.filter(meeting::Column::StartsAt.gte(now)),
    };
    select
        .order_by_asc(meeting::Column::StartsAt)
        .order_by_asc(meeting::Column::Id)
        .limit(limit)
        .all(conn)
        .await
}

/// A meeting's agreed agenda: its titles in order, and when any item of
/// it last changed.
#[derive(Debug, Default)]
pub struct Agenda {
    pub titles: Vec<String>,
    pub changed: Option<DateTime<Utc>>,
}

/// Meeting, title, last change, visibility and its reason.
type AgendaRow = (Uuid, String, DateTime<Utc>, Visibility, Option<String>);

/// The accepted items of each meeting's agenda, in agenda order, as the
/// public may read them.
pub async fn agenda_titles(
    conn: &impl ConnectionTrait,
    meeting_ids: &[Uuid],
) -> Result<HashMap<Uuid, Agenda>, DbErr> {
    if meeting_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let items: Vec<AgendaRow> = agenda_item::Entity::find()
        .select_only()
        .column(agenda_item::Column::MeetingId)
        .column(agenda_item::Column::Title)
        .column(agenda_item::Column::UpdatedAt)
        .column(agenda_item::Column::Visibility)
        .column(agenda_item::Column::VisibilityReason)
        .filter(agenda_item::Column::MeetingId.is_in(meeting_ids.iter().copied()))
        .filter(agenda_item::Column::Status.eq(AgendaItemStatus::Accepted))
        .order_by_asc(agenda_item::Column::MeetingId)
        .order_by_asc(agenda_item::Column::Position)
        .order_by_asc(agenda_item::Column::Id)
        .into_tuple()
        .all(conn)
        .await?;
    let mut agendas: HashMap<Uuid, Agenda> = HashMap::new();
    for (meeting_id, title, updated_at, visibility, reason) in items {
        let agenda = agendas.entry(meeting_id).or_default();
        // The public reads only public business; the rest is shown withheld.
        agenda.titles.push(if may_read(visibility, false, false) {
            title
        } else {
            withheld_title(reason.as_deref())
        });
        agenda.changed = Ord::max(agenda.changed, Some(updated_at));
    }
    Ok(agendas)
}

/// The region's latest commitment status changes, with their commitments.
pub async fn status_changes(
    conn: &impl ConnectionTrait,
    region_id: Uuid,
    limit: u64,
) -> Result<Vec<(commitment_status_change::Model, commitment::Model)>, DbErr> {
    let plans = Query::select()
        .column(regional_plan::Column::Id)
        .from(regional_plan::Entity)
        .and_where(regional_plan::Column::RegionId.eq(region_id))
        .to_owned();
    let rows = commitment_status_change::Entity::find()
        .select_also(commitment::Entity)
        .join(
            JoinType::InnerJoin,
            commitment_status_change::Entity::belongs_to(commitment::Entity)
                .from(commitment_status_change::Column::CommitmentId)
                .to(commitment::Column::Id)
                .into(),
        )
        .filter(commitment::Column::PlanId.in_subquery(plans))
        .order_by_desc(commitment_status_change::Column::ChangedAt)
        .order_by_desc(commitment_status_change::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(change, commitment)| Some((change, commitment?)))
        .collect())
}

/// The latest answers of the region's RPD team to its forum's issues.
pub async fn answers(
    conn: &impl ConnectionTrait,
    region_id: Uuid,
    limit: u64,
) -> Result<Vec<(issue_response::Model, raised_issue::Model)>, DbErr> {
    let forums = Query::select()
        .column(forum::Column::Id)
        .from(forum::Entity)
        .and_where(forum::Column::RegionId.eq(region_id))
        .to_owned();
    let rows = issue_response::Entity::find()
        .select_also(raised_issue::Entity)
        .join(
            JoinType::InnerJoin,
            issue_response::Entity::belongs_to(raised_issue::Entity)
                .from(issue_response::Column::IssueId)
                .to(raised_issue::Column::Id)
                .into(),
        )
        .filter(raised_issue::Column::ForumId.in_subquery(forums))
        .order_by_desc(issue_response::Column::CreatedAt)
        .order_by_desc(issue_response::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(answer, issue)| Some((answer, issue?)))
        .collect())
}

/// The region's latest funding opportunities, newest first, but those withdrawn.
pub async fn opportunities(
    conn: &impl ConnectionTrait,
    region_id: Uuid,
    limit: u64,
) -> Result<Vec<opportunity::Model>, DbErr> {
    opportunity::Entity::find()
        .filter(opportunity::Column::RegionId.eq(region_id))
        .filter(opportunity::Column::Status.ne(OpportunityState::Withdrawn))
        .order_by_desc(opportunity::Column::Id)
        .limit(limit)
        .all(conn)
        .await
}
