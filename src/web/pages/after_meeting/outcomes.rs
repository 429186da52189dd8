//! `/forums/{id}/meetings/{meeting_id}/outcomes`: the held meeting's
//! agenda, item by item, with what was decided on each (and the votes), the
//! items carried over, and a way to record each one's outcome.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use entity::{AgendaItemStatus, MeetingStatus};
use serde::Deserialize;

use super::OfficersMeeting;
use crate::kernel::state::AppState;
use crate::meetings;
use crate::web::error::PageResult;
use crate::web::format;
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::Visitor;

#[derive(Template, WebTemplate)]
#[template(path = "after_meeting_outcomes.html")]
pub struct OutcomesPage {
    page: Page,
    forum_name: String,
    meeting_title: String,
    when: String,
    meeting_href: String,
    attendance_href: String,
    actions_href: String,
    held: bool,
    /// The title of the item whose outcome was just saved.
    saved: Option<String>,
    items: Vec<ItemRow>,
}

struct ItemRow {
    title: String,
    href: String,
    decision: Vec<String>,
    votes: Option<String>,
    carried_over: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SavedQuery {
    saved: String,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((forum, meeting)): Path<(String, String)>,
    Query(query): Query<SavedQuery>,
) -> PageResult<OutcomesPage> {
    let caller = visitor.signed_in(&format!("/forums/{forum}/meetings/{meeting}/outcomes"))?;
    let found = OfficersMeeting::load(&state, caller, &forum, &meeting).await?;
    let text = Text::default();
    let agenda = meetings::agenda(&state, caller, found.meeting.id).await?;
    let items: Vec<ItemRow> = agenda
        .items
        .into_iter()
        .filter(|i| i.status == AgendaItemStatus::Accepted)
        .map(|i| ItemRow {
            href: found.href(&format!("outcomes/{}", i.id)),
            decision: i
                .outcome
                .as_ref()
                .map(|o| format::paragraphs(&o.decision))
                .unwrap_or_default(),
            votes: i.outcome.as_ref().and_then(|o| o.votes).map(|v| {
                text.with(
                    "outcomes-votes",
                    &[
                        ("for", v.r#for.to_string()),
                        ("against", v.against.to_string()),
                        ("abstain", v.abstain.to_string()),
                    ],
                )
            }),
            carried_over: i.carried_over,
            title: i.title,
        })
        .collect();
    let saved = query
        .saved
        .parse::<uuid::Uuid>()
        .ok()
        .and_then(|id| items.iter().find(|i| i.href.ends_with(&id.to_string())))
        .map(|i| i.title.clone());
    Ok(OutcomesPage {
        page: visitor.page(),
        forum_name: found.access.forum.name.clone(),
        meeting_title: found.meeting.title.clone(),
        when: format::date_time(found.meeting.starts_at),
        meeting_href: found.meeting_href(),
        attendance_href: found.href("attendance"),
        actions_href: format!("/forums/{}/actions", found.forum_id()),
        held: found.meeting.status == MeetingStatus::Held,
        saved,
        items,
    })
}
