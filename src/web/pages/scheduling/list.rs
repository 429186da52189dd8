//! `/forums/{id}/meetings`: the forum's meetings for its participants —
//! those to come and those of the past year, each linked to its page —
//! and, for its officers, ways to schedule one or a series.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use entity::MeetingStatus;
use serde::Deserialize;

use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::state::AppState;
use crate::meetings::{self, MeetingOut, MeetingQuery};
use crate::web::error::{PageResult, id_in_path};
use crate::web::format;
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::Visitor;

#[derive(Template, WebTemplate)]
#[template(path = "scheduling_meetings.html")]
pub struct MeetingsPage {
    page: Page,
    forum_id: String,
    forum_name: String,
    may_schedule: bool,
    /// The message id of what was just done, for the success banner.
    done: Option<&'static str>,
    upcoming: Vec<MeetingRow>,
    past: Vec<MeetingRow>,
}

pub struct MeetingRow {
    href: String,
    when: String,
    title: String,
    /// The status, in words, with the tag's colour.
    status: (String, &'static str),
    in_series: bool,
    /// For officers, a meeting still to come: its edit and cancel pages,
    /// and its series' cancel page.
    change: Option<(String, String, Option<String>)>,
}

impl MeetingRow {
    fn new(text: &Text, m: MeetingOut, officer: bool, now: DateTime<Utc>) -> Self {
        let here = format!("/forums/{}/meetings/{}", m.forum_id, m.id);
        let change =
            (officer && m.status == MeetingStatus::Scheduled && m.starts_at > now).then(|| {
                (
                    format!("{here}/edit"),
                    format!("{here}/cancel"),
                    m.series_id
                        .map(|s| format!("/forums/{}/series/{s}/cancel", m.forum_id)),
                )
            });
        let status = m.status.as_str();
        let colour = match status {
            "cancelled" => "govuk-tag--red",
            "held" => "govuk-tag--grey",
            _ => "govuk-tag--blue",
        };
        Self {
            href: here,
            when: format::date_time(m.starts_at),
            title: m.title,
            status: (text.get(&format!("scheduling-status-{status}")), colour),
            in_series: m.series_id.is_some(),
            change,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    done: String,
}

pub(super) fn done(what: &str) -> Option<&'static str> {
    match what {
        "scheduled" => Some("scheduling-done-scheduled"),
        "series" => Some("scheduling-done-series"),
        "changed" => Some("scheduling-done-changed"),
        "following" => Some("scheduling-done-following"),
        "cancelled" => Some("scheduling-done-cancelled"),
        "series-cancelled" => Some("scheduling-done-series-cancelled"),
        _ => None,
    }
}

/// Meetings a page lists, each way.
const LISTED: u64 = 50;

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> PageResult<Response> {
    let forum_id = id_in_path(&id)?;
    let caller = visitor.signed_in(&format!("/forums/{forum_id}/meetings"))?;
    let now = state.clock.now();
    let listed = |from, to| MeetingQuery {
        limit: Some(LISTED),
        cursor: None,
        from: Some(from),
        to,
        status: None,
        q: None,
    };
    let upcoming = meetings::list(&state, caller, forum_id, listed(now, None)).await?;
    let past = meetings::list(
        &state,
        caller,
        forum_id,
        listed(now - Duration::days(365), Some(now)),
    )
    .await?;
    let access = ForumAccess::load(&state.db, forum_id, Some(caller)).await?;
    let text = Text::default();
    let officer = access.allows(ForumAction::RunMeetings);
    Ok(MeetingsPage {
        page: visitor.page(),
        forum_id: forum_id.to_string(),
        forum_name: access.forum.name.clone(),
        may_schedule: officer,
        done: done(&query.done),
        upcoming: upcoming
            .items
            .into_iter()
            .map(|m| MeetingRow::new(&text, m, officer, now))
            .collect(),
        // The latest first.
        past: past
            .items
            .into_iter()
            .rev()
            .map(|m| MeetingRow::new(&text, m, officer, now))
            .collect(),
    }
    .into_response())
}
