//! A first draft of a held meeting's minutes, composed from what the
//! meeting recorded: the organisations represented, its matters arising,
//! and each agenda item with its outcome. Minutes are public once
//! approved, so the draft tells only public business; confidential items
//! appear as withheld, with their reason.

use axum::extract::State;
use axum::response::Response;
use chrono_tz::Europe::London;
use entity::{Attendance, MeetingStatus, meeting, meeting_attendance, organisation};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::routes::first_draft;
use crate::access::{ForumAccess, ForumAction};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::Path;
use crate::meetings::matters_arising::{MatterOut, matters};
use crate::meetings::{OutcomeOut, load_visible, public_agenda};
use crate::state::AppState;
use crate::versioning::IfMatch;

/// Draft a held meeting's minutes from its record (its officers).
///
/// Composes markdown — the organisations represented (from attendance),
/// matters arising, and each agenda item with its decision and votes — as
/// the first version of the minutes, which the secretary then edits as
/// usual. Only for a held meeting with no minutes yet (409 otherwise).
/// Confidential items appear only as withheld, with their reason.
#[utoipa::path(
    post,
    path = "/meetings/{id}/minutes/draft-from-agenda",
    tag = "minutes",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 201, description = "The first draft", body = crate::minutes::types::MinutesOut,
         headers(("Location" = String, description = "The minutes' URL"),
                 ("ETag" = String, description = "The minutes' version"))),
        (status = 403, description = "Only the forum's officers draft minutes", body = crate::error::Problem),
        (status = 404, description = "No such meeting, or not yours to see", body = crate::error::Problem),
        (status = 409, description = "The meeting is not held, or has minutes already", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn draft_from_agenda(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let (meeting, access) = load_visible(&state.db, id, Some(&user)).await?;
    access.require(ForumAction::DraftMinutes)?;
    if meeting.status != MeetingStatus::Held {
        return Err(ApiError::Conflict(
            "minutes are drafted from the agenda once the meeting has been held".into(),
        ));
    }
    let present = Query::select()
        .column(meeting_attendance::Column::OrganisationId)
        .from(meeting_attendance::Entity)
        .and_where(meeting_attendance::Column::MeetingId.eq(id))
        .and_where(meeting_attendance::Column::Attendance.eq(Attendance::Attended))
        .to_owned();
    let organisations: Vec<String> = organisation::Entity::find()
        .filter(organisation::Column::Id.in_subquery(present))
        .order_by_asc(organisation::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| o.name)
        .collect();
    // As the public reads it: the minutes will be public once approved.
    let public = ForumAccess::load(&state.db, meeting.forum_id, None).await?;
    let arising = matters(&state.db, id, &public).await?.items;
    let agenda = public_agenda(&state.db, id).await?;
    let body = compose(&meeting, &organisations, &arising, &agenda);
    first_draft(&state, &user, &IfMatch::none(), id, body).await
}

fn compose(
    meeting: &meeting::Model,
    organisations: &[String],
    arising: &[MatterOut],
    agenda: &[(String, Option<OutcomeOut>)],
) -> String {
    let when = meeting
        .starts_at
        .with_timezone(&London)
        .format("%A %-d %B %Y, %H:%M %Z");
    let mut text = format!("# {}\n\n{when}", meeting.title);
    if let Some(place) = &meeting.location {
        text.push_str(&format!(", {place}"));
    }
    text.push_str("\n\n## Present\n\n");
    if organisations.is_empty() {
        text.push_str("No attendance was recorded.\n");
    }
    for name in organisations {
        text.push_str(&format!("- {name}\n"));
    }
    let taken_up: Vec<&MatterOut> = arising.iter().filter(|m| m.dropped_at.is_none()).collect();
    if !taken_up.is_empty() {
        text.push_str("\n## Matters arising\n\n");
        for matter in taken_up {
            let mut line = format!("- {}", matter.title);
            if let Some(status) = &matter.status {
                line.push_str(&format!(" ({status})"));
            }
            text.push_str(&line);
            text.push('\n');
        }
    }
    text.push_str("\n## Agenda\n");
    for (n, (title, outcome)) in agenda.iter().enumerate() {
        text.push_str(&format!("\n### {}. {title}\n", n + 1));
        if let Some(outcome) = outcome {
            text.push_str(&format!("\n{}\n", outcome.decision));
            if let Some(votes) = outcome.votes {
                text.push_str(&format!(
                    "\nVotes: {} for, {} against, {} abstaining.\n",
                    votes.r#for, votes.against, votes.abstain
                ));
            }
        }
    }
    text
}
