//! A first draft of a held meeting's minutes, composed from what the
//! meeting recorded: the organisations represented, its matters arising,
//! and a section for each agenda item with its outcome. Each item's section
//! has the item's visibility, so confidential business is minuted for
//! those who may read it and withheld from everyone else.

use chrono_tz::Europe::London;
use entity::{
    Attendance, MeetingStatus, Visibility, agenda_item, meeting, meeting_attendance, organisation,
};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::sections::Section;
use super::types::MinutesOut;
use super::write::first_draft;
use crate::kernel::access::{self, AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::kernel::versioning::IfMatch;
use crate::meetings::matters_arising::{MatterOut, matters};
use crate::meetings::{OutcomeOut, held_agenda};

/// Drafts a held meeting's minutes from its record (its officers): the
/// organisations represented (from attendance), matters arising, and one
/// section for each agenda item with its decision and votes, with the
/// item's visibility, as the first version of the minutes. Only for a held
/// meeting with no minutes yet (409 otherwise).
pub async fn draft_from_agenda(
    state: &AppState,
    caller: &AuthUser,
    meeting_id: Uuid,
) -> ApiResult<MinutesOut> {
    let (meeting, access) =
        access::load_visible::<meeting::Entity>(&state.db, meeting_id, Some(caller)).await?;
    access.require(ForumAction::DraftMinutes)?;
    if meeting.status != MeetingStatus::Held {
        return Err(ApiError::Conflict(
            "minutes are drafted from the agenda once the meeting has been held".into(),
        ));
    }
    let present = Query::select()
        .column(meeting_attendance::Column::OrganisationId)
        .from(meeting_attendance::Entity)
        .and_where(meeting_attendance::Column::MeetingId.eq(meeting_id))
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
    // Matters arising as the public reads them: their sections are public.
    let public = ForumAccess::load(&state.db, meeting.forum_id, None).await?;
    let arising = matters(&state.db, meeting_id, &public).await?.items;
    let agenda = held_agenda(&state.db, meeting_id).await?;
    let written = compose(&meeting, &organisations, &arising, &agenda);
    first_draft(
        state,
        caller,
        &access,
        &IfMatch::none(),
        meeting_id,
        written,
    )
    .await
}

fn free(heading: &str, body: String) -> Section {
    Section {
        agenda_item_id: None,
        heading: heading.to_string(),
        body,
        visibility: Visibility::Public,
        visibility_reason: None,
    }
}

fn compose(
    meeting: &meeting::Model,
    organisations: &[String],
    arising: &[MatterOut],
    agenda: &[(agenda_item::Model, Option<OutcomeOut>)],
) -> Vec<Section> {
    let when = meeting
        .starts_at
        .with_timezone(&London)
        .format("%A %-d %B %Y, %H:%M %Z");
    let mut opening = format!("{when}");
    if let Some(place) = &meeting.location {
        opening.push_str(&format!(", {place}"));
    }
    let mut sections = vec![free("", opening)];
    let present = if organisations.is_empty() {
        "No attendance was recorded.".to_string()
    } else {
        organisations
            .iter()
            .map(|name| format!("- {name}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    sections.push(free("Present", present));
    let taken_up: Vec<String> = arising
        .iter()
        .filter(|m| m.dropped_at.is_none())
        .map(|matter| match &matter.status {
            Some(status) => format!("- {} ({status})", matter.title),
            None => format!("- {}", matter.title),
        })
        .collect();
    if !taken_up.is_empty() {
        sections.push(free("Matters arising", taken_up.join("\n")));
    }
    for (n, (item, outcome)) in agenda.iter().enumerate() {
        let mut body = String::new();
        if let Some(outcome) = outcome {
            body.push_str(&outcome.decision);
            if let Some(votes) = outcome.votes {
                body.push_str(&format!(
                    "\n\nVotes: {} for, {} against, {} abstaining.",
                    votes.r#for, votes.against, votes.abstain
                ));
            }
        }
        sections.push(Section {
            agenda_item_id: Some(item.id),
            heading: format!("{}. {}", n + 1, item.title),
            body,
            visibility: item.visibility,
            visibility_reason: item.visibility_reason.clone(),
        });
    }
    sections
}
