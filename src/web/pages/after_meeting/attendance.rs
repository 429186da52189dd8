//! `/forums/{id}/meetings/{meeting_id}/attendance`: the forum's people by
//! organisation, a box to tick for each who came, the organisations
//! represented as recorded, and (once it has started) marking the meeting
//! held. Saving it is `attendance_save`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use entity::{Attendance, MeetingStatus};
use serde::Deserialize;

use super::OfficersMeeting;
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::meetings::{self, SheetEntry};
use crate::web::error::PageResult;
use crate::web::format;
use crate::web::forms::{Choice, Field, Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::Visitor;

#[derive(Template, WebTemplate)]
#[template(path = "after_meeting_attendance.html")]
pub struct AttendancePage {
    pub(super) page: Page,
    pub(super) csrf_token: String,
    pub(super) forum_name: String,
    pub(super) meeting_title: String,
    pub(super) when: String,
    pub(super) meeting_href: String,
    pub(super) action: String,
    pub(super) held_action: String,
    pub(super) outcomes_href: String,
    pub(super) version: i32,
    /// Whether attendance may be recorded yet (the meeting has started and
    /// is not cancelled), and whether it may be marked held.
    pub(super) open: bool,
    pub(super) may_mark_held: bool,
    pub(super) held: bool,
    pub(super) done: Option<&'static str>,
    pub(super) figures: Vec<(String, String)>,
    pub(super) represented: Vec<String>,
    /// Who the record has as attending, as it is now.
    pub(super) recorded_names: Vec<String>,
    /// Someone else's save since the page was shown: who and when.
    pub(super) changed_by: Option<String>,
    pub(super) groups: Vec<Group>,
    pub(super) form: Form,
    pub(super) held_form: Form,
}

/// The people of one organisation (or of none), each with the index of
/// their box among all the form's boxes.
pub struct Group {
    pub name: String,
    pub people: Vec<(usize, Choice)>,
}

impl AttendancePage {
    pub fn box_id(&self, index: &usize) -> String {
        self.form
            .field("attended")
            .map(|f| f.item_id(index))
            .unwrap_or_default()
    }

    pub fn ticked(&self, value: &str) -> bool {
        self.form
            .field("attended")
            .is_some_and(|f| f.is_chosen(value))
    }

    pub fn has_errors(&self) -> bool {
        self.form.has_errors() || self.held_form.has_errors()
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((forum, meeting)): Path<(String, String)>,
    Query(query): Query<DoneQuery>,
) -> PageResult<Response> {
    let back = format!("/forums/{forum}/meetings/{meeting}/attendance");
    let caller = visitor.signed_in(&back)?;
    let found = OfficersMeeting::load(&state, caller, &forum, &meeting).await?;
    let done = match query.done.as_str() {
        "saved" => Some("attendance-done-saved"),
        "held" => Some("attendance-done-held"),
        _ => None,
    };
    let empty = Form::new(&Text::default(), vec![]);
    let (_, page) = attendance_page(&state, &visitor, found, None, empty).await?;
    Ok(AttendancePage { done, ..page }.into_response())
}

/// The page, with the boxes as the record has them or as they were sent
/// (`ticked`), and the held form's errors if it was the one refused.
pub(super) async fn attendance_page(
    state: &AppState,
    visitor: &Visitor,
    found: OfficersMeeting,
    ticked: Option<(Vec<String>, ApiError)>,
    held_form: Form,
) -> PageResult<(StatusCode, AttendancePage)> {
    let text = Text::default();
    let caller = visitor.signed_in("/")?;
    let sheet = meetings::attendance_sheet(state, caller, found.meeting.id).await?;
    let recorded: Vec<String> = sheet
        .people
        .iter()
        .filter(|p| p.attendance == Some(Attendance::Attended))
        .map(|p| p.user_id.to_string())
        .collect();
    let (checked, refusal) = match ticked {
        Some((ticked, error)) => (ticked, Some(error)),
        None => (recorded, None),
    };
    let groups = groups(&text, &sheet.people);
    let choices = groups
        .iter()
        .flat_map(|g| g.people.iter().map(|(_, c)| c.clone()))
        .collect();
    let field = Field::plain(&text, "attended", Kind::Checkboxes)
        .choices(choices)
        .checked(&checked);
    let mut form = Form::new(
        &text,
        vec![Field {
            label: text.get("attendance-who"),
            ..field
        }],
    );
    let mut status = StatusCode::OK;
    if let Some(error) = refusal {
        status = form.refuse(error)?;
    }
    let meeting = &sheet.meeting;
    let now = state.clock.now();
    let open = meeting.status != MeetingStatus::Cancelled && now >= meeting.starts_at;
    let summary = &meeting.attendance;
    let mut represented: Vec<String> = sheet
        .people
        .iter()
        .filter(|p| p.attendance == Some(Attendance::Attended))
        .filter_map(|p| p.organisation_name.clone())
        .collect();
    represented.sort();
    represented.dedup();
    let recorded_names = sheet
        .people
        .iter()
        .filter(|p| p.attendance == Some(Attendance::Attended))
        .map(|p| p.display_name.clone())
        .collect();
    Ok((
        status,
        AttendancePage {
            page: visitor.page(),
            csrf_token: visitor.csrf_token().to_string(),
            forum_name: found.access.forum.name.clone(),
            meeting_title: meeting.title.clone(),
            when: format::date_time(meeting.starts_at),
            meeting_href: found.meeting_href(),
            action: found.href("attendance"),
            held_action: found.href("held"),
            outcomes_href: found.href("outcomes"),
            version: meeting.version,
            open,
            may_mark_held: open && meeting.status == MeetingStatus::Scheduled,
            held: meeting.status == MeetingStatus::Held,
            done: None,
            figures: vec![
                (
                    text.get("attendance-attended"),
                    summary.attended.to_string(),
                ),
                (
                    text.get("attendance-apologies"),
                    summary.apologies.to_string(),
                ),
                (
                    text.get("attendance-organisations"),
                    summary.organisations_represented.to_string(),
                ),
            ],
            represented,
            recorded_names,
            changed_by: None,
            groups,
            form,
            held_form,
        },
    ))
}

/// The sheet's people by organisation, in its order, each box numbered.
fn groups(text: &Text, people: &[SheetEntry]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for (index, person) in people.iter().enumerate() {
        let name = person
            .organisation_name
            .clone()
            .unwrap_or_else(|| text.get("attendance-no-organisation"));
        let mut choice = Choice::new(person.user_id.to_string(), person.display_name.clone());
        if person.attendance == Some(Attendance::Apologies) {
            choice = choice.hint(text.get("attendance-sent-apologies"));
        }
        match groups.last_mut() {
            Some(group) if group.name == name => group.people.push((index, choice)),
            _ => groups.push(Group {
                name,
                people: vec![(index, choice)],
            }),
        }
    }
    groups
}
