//! `/forums/{id}/meetings`: the forum's meetings for its participants —
//! those to come, soonest first, and those of the past year, latest first,
//! each list a page at a time and each linked to its page — and, for its
//! officers, ways to schedule one or a series.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use entity::MeetingStatus;
use serde::Deserialize;
use uuid::Uuid;

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
    /// Each list's way back to its first page and on to its next, as the
    /// pagination component takes them.
    upcoming_pages: Pages,
    past_pages: Pages,
}

type Pages = (Option<(String, String)>, Option<(String, String)>);

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
    /// Where each list's page starts: the `next_cursor` of its previous.
    later: Option<String>,
    earlier: Option<String>,
}

impl ListQuery {
    /// This page's address with one list's page moved (`None`: its first).
    fn address(&self, forum_id: Uuid, list: &str, cursor: Option<&str>) -> String {
        let (later, earlier) = match list {
            "later" => (cursor, self.earlier.as_deref()),
            _ => (self.later.as_deref(), cursor),
        };
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(later) = later {
            query.append_pair("later", later);
        }
        if let Some(earlier) = earlier {
            query.append_pair("earlier", earlier);
        }
        let anchor = if list == "later" { "upcoming" } else { "past" };
        format!("/forums/{forum_id}/meetings?{}#{anchor}", query.finish())
    }

    /// A list's links to its first page (when not on it) and its next.
    fn pages(&self, forum_id: Uuid, text: &Text, list: &str, next_cursor: Option<String>) -> Pages {
        let on = if list == "later" {
            &self.later
        } else {
            &self.earlier
        };
        let first = on.as_ref().map(|_| {
            let label = text.get(&format!("scheduling-first-{list}"));
            (self.address(forum_id, list, None), label)
        });
        let next = next_cursor.map(|cursor| {
            let label = text.get(&format!("scheduling-next-{list}"));
            (self.address(forum_id, list, Some(&cursor)), label)
        });
        (first, next)
    }
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
    let upcoming = MeetingQuery {
        limit: Some(LISTED),
        cursor: query.later.clone(),
        from: Some(now),
        to: None,
        status: None,
        latest_first: false,
        q: None,
    };
    let upcoming = meetings::list(&state, caller, forum_id, upcoming).await?;
    let past = MeetingQuery {
        limit: Some(LISTED),
        cursor: query.earlier.clone(),
        from: Some(now - Duration::days(365)),
        to: Some(now),
        status: None,
        latest_first: true,
        q: None,
    };
    let past = meetings::list(&state, caller, forum_id, past).await?;
    let access = ForumAccess::load(&state.db, forum_id, Some(caller)).await?;
    let text = Text::default();
    let officer = access.allows(ForumAction::RunMeetings);
    Ok(MeetingsPage {
        page: visitor.page(),
        forum_id: forum_id.to_string(),
        forum_name: access.forum.name.clone(),
        may_schedule: officer,
        done: done(&query.done),
        upcoming_pages: query.pages(forum_id, &text, "later", upcoming.next_cursor),
        upcoming: upcoming
            .items
            .into_iter()
            .map(|m| MeetingRow::new(&text, m, officer, now))
            .collect(),
        past_pages: query.pages(forum_id, &text, "earlier", past.next_cursor),
        past: past
            .items
            .into_iter()
            .map(|m| MeetingRow::new(&text, m, officer, now))
            .collect(),
    }
    .into_response())
}
