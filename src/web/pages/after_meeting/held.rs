//! Marking a meeting held: the meeting's change of status
//! (`scheduled → held`), from the version the secretary saw. Outcomes are
//! recorded once it is.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use entity::MeetingStatus;
use serde::Deserialize;

use super::OfficersMeeting;
use super::attendance::attendance_page;
use crate::kernel::audit::EntityKind;
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::kernel::versioning::{IfMatch, tag};
use crate::meetings::{self, MeetingPatch};
use crate::web::conflict::changed_by;
use crate::web::error::PageResult;
use crate::web::forms::{Field, Form, Kind};
use crate::web::i18n::Text;
use crate::web::session::CheckedForm;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct HeldForm {
    version: i32,
}

pub async fn mark(
    State(state): State<AppState>,
    Path((forum, meeting)): Path<(String, String)>,
    CheckedForm {
        visitor,
        form: input,
    }: CheckedForm<HeldForm>,
) -> PageResult<Response> {
    let back = format!("/forums/{forum}/meetings/{meeting}/attendance");
    let caller = visitor.signed_in(&back)?;
    let found = OfficersMeeting::load(&state, caller, &forum, &meeting).await?;
    let patch = MeetingPatch {
        status: Some(MeetingStatus::Held),
        ..MeetingPatch::default()
    };
    let if_match = IfMatch::parse(&tag(input.version))?;
    let error = match meetings::change(&state, caller, found.meeting.id, patch, &if_match).await {
        Ok(_) => return Ok(Redirect::to(&format!("{back}?done=held")).into_response()),
        // Someone changed the meeting since the page was shown: say who,
        // and show it as it is now.
        Err(ApiError::PreconditionFailed(_)) => {
            let who = changed_by(&state, EntityKind::Meeting, found.meeting.id).await?;
            ApiError::Conflict(who)
        }
        Err(other) => other,
    };
    let text = Text::default();
    let field = Field::plain(&text, "held", Kind::Text);
    let field = Field {
        label: text.get("attendance-mark-held"),
        ..field
    };
    let mut held_form = Form::new(&text, vec![field]);
    let status = held_form.refuse(error)?;
    let empty = Form::new(&text, vec![]);
    let (_, page) = attendance_page(&state, &visitor, found, None, empty).await?;
    Ok((
        status,
        super::attendance::AttendancePage { held_form, ..page },
    )
        .into_response())
}
