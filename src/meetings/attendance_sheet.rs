//! The attendance sheet: a meeting's list of who came and who sent
//! apologies, beside everyone who takes part in its forum — what the
//! secretary ticks, and what the figures are computed from.

use std::collections::HashMap;

use entity::{Attendance, forum_role, meeting, meeting_attendance};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::queries::with_attendance;
use super::types::MeetingOut;
use crate::kernel::access::{self, AuthUser, ForumAction};
use crate::kernel::error::ApiResult;
use crate::kernel::names::people_with_organisations;
use crate::kernel::state::AppState;

/// One person on the sheet, with what was recorded of them, if anything.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SheetEntry {
    pub user_id: Uuid,
    pub display_name: String,
    pub organisation_id: Option<Uuid>,
    pub organisation_name: Option<String>,
    pub attendance: Option<Attendance>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttendanceSheet {
    pub meeting: MeetingOut,
    /// The forum's people, and anyone recorded who no longer takes part,
    /// ordered by organisation (those of none last), then name.
    pub people: Vec<SheetEntry>,
}

/// The attendance sheet of a meeting (the forum's participants; 404 to
/// anyone else).
pub async fn attendance_sheet(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
) -> ApiResult<AttendanceSheet> {
    let (meeting, access) =
        access::load_visible::<meeting::Entity>(&state.db, id, Some(caller)).await?;
    access.require(ForumAction::ReadParticipantRecords)?;
    let recorded: HashMap<Uuid, Attendance> = meeting_attendance::Entity::find()
        .filter(meeting_attendance::Column::MeetingId.eq(id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.user_id, a.attendance))
        .collect();
    let roles = forum_role::Entity::find()
        .filter(forum_role::Column::ForumId.eq(meeting.forum_id))
        .order_by_asc(forum_role::Column::UserId)
        .all(&state.db)
        .await?;
    let mut ids: Vec<Uuid> = roles.iter().map(|r| r.user_id).collect();
    ids.extend(
        recorded
            .keys()
            .filter(|id| !roles.iter().any(|r| r.user_id == **id)),
    );
    let people = people_with_organisations(&state.db, ids).await?;
    let mut sheet: Vec<SheetEntry> = people
        .into_values()
        .map(|p| SheetEntry {
            attendance: recorded.get(&p.record.id).copied(),
            user_id: p.record.id,
            display_name: p.record.display_name.clone(),
            organisation_id: p.record.organisation_id,
            organisation_name: p.names.one_name.clone(),
        })
        .collect();
    sheet.sort_by(|a, b| {
        (
            a.organisation_name.is_none(),
            &a.organisation_name,
            &a.display_name,
            a.user_id,
        )
            .cmp(&(
                b.organisation_name.is_none(),
                &b.organisation_name,
                &b.display_name,
                b.user_id,
            ))
    });
    Ok(AttendanceSheet {
        meeting: with_attendance(&state.db, meeting).await?,
        people: sheet,
    })
}
