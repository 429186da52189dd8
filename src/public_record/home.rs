//! The front page of the public record: every region, its forum, and the
//! forum's next meeting. Three statements, whatever the number of regions.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{MeetingStatus, forum, meeting, region};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use uuid::Uuid;

use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;
use crate::regions;

/// A region as the front page shows it.
#[derive(Debug)]
pub struct RegionSummary {
    pub region: region::Model,
    pub forum: Option<ForumSummary>,
}

/// A region's forum, and its next meeting if one is scheduled.
#[derive(Debug)]
pub struct ForumSummary {
    pub id: Uuid,
    pub name: String,
    pub next_meeting: Option<NextMeeting>,
}

#[derive(Debug)]
pub struct NextMeeting {
    pub id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
}

/// Every region by name, with its forum and the forum's next scheduled
/// meeting (anyone may read them).
pub async fn regions_at_a_glance(state: &AppState) -> ApiResult<Vec<RegionSummary>> {
    let now = state.clock.now();
    let regions = regions::all(&state.db).await?;
    let forums = forum::Entity::find().all(&state.db).await?;
    let next = next_meetings(state, now).await?;
    let mut by_region: HashMap<Uuid, forum::Model> =
        forums.into_iter().map(|f| (f.region_id, f)).collect();
    Ok(regions
        .into_iter()
        .map(|region| {
            let forum = by_region.remove(&region.id).map(|f| ForumSummary {
                next_meeting: next.get(&f.id).map(|m| NextMeeting {
                    id: m.id,
                    title: m.title.clone(),
                    starts_at: m.starts_at,
                }),
                id: f.id,
                name: f.name,
            });
            RegionSummary { region, forum }
        })
        .collect())
}

/// The first scheduled meeting from `now` of each forum that has one: the
/// meetings that start at their forum's earliest start to come (one
/// statement, a grouped subquery).
async fn next_meetings(
    state: &AppState,
    now: DateTime<Utc>,
) -> ApiResult<HashMap<Uuid, meeting::Model>> {
    let earliest = meeting::Entity::find()
        .select_only()
        .column(meeting::Column::ForumId)
        .column_as(meeting::Column::StartsAt.min(), "starts_at")
        .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled))
        .filter(meeting::Column::StartsAt.gte(now))
        .group_by(meeting::Column::ForumId)
        .into_query();
    let rows = meeting::Entity::find()
        .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled))
        .filter(
            Expr::tuple([
                Expr::col((meeting::Entity, meeting::Column::ForumId)),
                Expr::col((meeting::Entity, meeting::Column::StartsAt)),
            ])
            .in_subquery(earliest),
        )
        .order_by_asc(meeting::Column::Id)
        .all(&state.db)
        .await?;
    let mut next = HashMap::new();
    for row in rows {
        next.entry(row.forum_id).or_insert(row);
    }
    Ok(next)
}
