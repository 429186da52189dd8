//! Saving the attendance page: the boxes ticked become the attendance
//! list (apologies sent before are kept for whoever is not ticked), made
//! from the meeting's version the page was shown.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use entity::Attendance;
use serde::Deserialize;
use uuid::Uuid;

use super::OfficersMeeting;
use super::attendance::{AttendancePage, attendance_page};
use crate::kernel::audit::EntityKind;
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::kernel::versioning::{IfMatch, tag};
use crate::meetings::{self, AttendanceIn};
use crate::web::conflict::changed_by;
use crate::web::error::PageResult;
use crate::web::forms::Form;
use crate::web::i18n::Text;
use crate::web::session::{CheckedForm, Visitor};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AttendanceForm {
    version: i32,
    attended: Vec<String>,
}

pub async fn save(
    State(state): State<AppState>,
    Path((forum, meeting)): Path<(String, String)>,
    CheckedForm {
        visitor,
        form: input,
    }: CheckedForm<AttendanceForm>,
) -> PageResult<Response> {
    let back = format!("/forums/{forum}/meetings/{meeting}/attendance");
    let caller = visitor.signed_in(&back)?;
    let found = OfficersMeeting::load(&state, caller, &forum, &meeting).await?;
    let sheet = meetings::attendance_sheet(&state, caller, found.meeting.id).await?;
    let mut attended = Vec::new();
    for value in &input.attended {
        match value.parse::<Uuid>() {
            Ok(id) if !attended.contains(&id) => attended.push(id),
            Ok(_) => {}
            Err(_) => {
                let error = ApiError::invalid("attended", "names someone who is not on the list");
                return refused(&state, &visitor, found, input.attended, error).await;
            }
        }
    }
    let mut entries: Vec<serde_json::Value> = attended
        .iter()
        .map(|id| serde_json::json!({"user_id": id, "attendance": Attendance::Attended}))
        .collect();
    // Apologies were sent before the meeting: ticking someone as there
    // replaces theirs, and the others' stay.
    entries.extend(
        sheet
            .people
            .iter()
            .filter(|p| p.attendance == Some(Attendance::Apologies))
            .filter(|p| !attended.contains(&p.user_id))
            .map(
                |p| serde_json::json!({"user_id": p.user_id, "attendance": Attendance::Apologies}),
            ),
    );
    let list: AttendanceIn = serde_json::from_value(serde_json::json!({ "entries": entries }))
        .map_err(|err| ApiError::Internal(err.to_string()))?;
    let if_match = IfMatch::parse(&tag(input.version))?;
    match meetings::record_attendance(&state, caller, found.meeting.id, list, &if_match).await {
        Ok(_) => Ok(Redirect::to(&format!("{back}?done=saved")).into_response()),
        // The meeting changed since the page was shown (perhaps another
        // list was saved): nothing is replaced. The page says who, shows
        // the list as it is now beside the boxes as ticked, and carries the
        // new version, so saving again saves the merge.
        Err(ApiError::PreconditionFailed(_)) => {
            let text = Text::default();
            let who = changed_by(&state, EntityKind::Meeting, found.meeting.id).await?;
            let error = ApiError::Conflict(who.clone());
            let empty = Form::new(&text, vec![]);
            let ticked = Some((input.attended, error));
            let (status, page) = attendance_page(&state, &visitor, found, ticked, empty).await?;
            let page = AttendancePage {
                changed_by: Some(who),
                ..page
            };
            Ok((status, page).into_response())
        }
        Err(error) => refused(&state, &visitor, found, input.attended, error).await,
    }
}

/// The page again, the boxes as they were sent, the refusal shown.
async fn refused(
    state: &AppState,
    visitor: &Visitor,
    found: OfficersMeeting,
    ticked: Vec<String>,
    error: ApiError,
) -> PageResult<Response> {
    let empty = Form::new(&Text::default(), vec![]);
    let (status, page) =
        attendance_page(state, visitor, found, Some((ticked, error)), empty).await?;
    Ok((status, page).into_response())
}
