//! Feeds of the public record: a forum's approved minutes and its meetings
//! to come, a region's accountability as it happens (commitments changing
//! status, the RPD's team answering issues), and its funding opportunities.
//! Each is made here as what it says — entries with the records' own ids,
//! so a reader shows each once however often it polls — and written out by
//! a face (`api::public_record` writes Atom).

use chrono::{DateTime, Utc};
use chrono_tz::Europe::London;
use entity::Visibility;
use uuid::Uuid;

use super::lists::require_forum;
use super::queries::{
    agenda_titles, answers, approved_minutes, opportunities, status_changes, upcoming,
};
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::state::AppState;
use crate::minutes::sections;

/// Entries per feed: the newest (or, for meetings, the soonest).
const ENTRIES: u64 = 50;

/// A feed, whatever format writes it.
#[derive(Debug)]
pub struct Feed {
    /// Its lasting id (`urn:convene:…`).
    pub id: String,
    pub title: String,
    /// Who publishes it (Atom requires an author): the forum, or the
    /// region's Probation Service.
    pub author: String,
    /// The feed's own API path.
    pub path: String,
    /// When it last changed, if it has no entries.
    pub since: DateTime<Utc>,
    pub entries: Vec<FeedEntry>,
}

impl Feed {
    /// When it last changed: its newest entry, or `since` when it has none.
    pub fn updated(&self) -> DateTime<Utc> {
        self.entries
            .iter()
            .map(|e| e.updated)
            .max()
            .unwrap_or(self.since)
    }
}

/// One entry of a feed: a record, as the public reads it.
#[derive(Debug)]
pub struct FeedEntry {
    /// The record's own id.
    pub id: Uuid,
    pub title: String,
    pub updated: DateTime<Utc>,
    /// Where the record is read, as an API path.
    pub path: String,
    /// Plain text (minutes' markdown as it is).
    pub text: String,
}

/// A London time, as people in England and Wales read it.
fn london(at: DateTime<Utc>) -> String {
    at.with_timezone(&London)
        .format("%a %-d %b %Y, %H:%M %Z")
        .to_string()
}

/// The forum's approved minutes, newest first, each in full as the public
/// reads it (withheld sections as their reason); 404 for no such forum.
pub async fn minutes_feed(state: &AppState, forum_id: Uuid) -> ApiResult<Feed> {
    let forum = require_forum(&state.db, forum_id).await?;
    let rows = approved_minutes(&state.db, forum_id, ENTRIES, None).await?;
    let ids: Vec<Uuid> = rows.iter().map(|(m, _)| m.id).collect();
    let mut texts = sections::load(&state.db, &ids).await?;
    let items = sections::item_visibility(&state.db, texts.values().flatten()).await?;
    let entries = rows
        .into_iter()
        .map(|(minutes, meeting)| {
            let kept = texts.remove(&minutes.id).unwrap_or_default();
            let shown = sections::as_read(&kept, &items, |v| v == Visibility::Public);
            FeedEntry {
                id: minutes.id,
                title: format!("Minutes: {} ({})", meeting.title, london(meeting.starts_at)),
                updated: minutes.approved_at.unwrap_or(minutes.updated_at),
                path: api_path(format_args!("meetings/{}/minutes", meeting.id)),
                text: sections::render(&shown),
            }
        })
        .collect();
    Ok(Feed {
        id: format!("urn:convene:forum:{forum_id}:minutes"),
        title: format!("{}: approved minutes", forum.name),
        author: forum.name,
        path: api_path(format_args!("forums/{forum_id}/minutes.atom")),
        since: forum.created_at,
        entries,
    })
}

/// The forum's meetings to come, soonest first, with their agreed agendas
/// as the public reads them; 404 for no such forum.
pub async fn meetings_feed(state: &AppState, forum_id: Uuid) -> ApiResult<Feed> {
    let forum = require_forum(&state.db, forum_id).await?;
    let rows = upcoming(&state.db, forum_id, state.clock.now(), ENTRIES, None).await?;
    let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
    let mut agendas = agenda_titles(&state.db, &ids).await?;
    let entries = rows
        .into_iter()
        .map(|meeting| {
            let mut text = format!("Starts: {}\n", london(meeting.starts_at));
            if let Some(place) = &meeting.location {
                text.push_str(&format!("Where: {place}\n"));
            }
            let agenda = agendas.remove(&meeting.id).unwrap_or_default();
            if !agenda.titles.is_empty() {
                text.push_str("\nAgenda:\n");
                for (n, title) in agenda.titles.iter().enumerate() {
                    text.push_str(&format!("{}. {title}\n", n + 1));
                }
            }
            FeedEntry {
                id: meeting.id,
                title: format!("{} ({})", meeting.title, london(meeting.starts_at)),
                // An agenda item agreed later changes the entry too.
                updated: Ord::max(
                    meeting.updated_at,
                    agenda.changed.unwrap_or(meeting.updated_at),
                ),
                path: api_path(format_args!("forums/{forum_id}/upcoming-meetings")),
                text,
            }
        })
        .collect();
    Ok(Feed {
        id: format!("urn:convene:forum:{forum_id}:meetings"),
        title: format!("{}: meetings to come", forum.name),
        author: forum.name,
        path: api_path(format_args!("forums/{forum_id}/meetings.atom")),
        since: forum.created_at,
        entries,
    })
}

/// The region's accountability as it happens, newest first: its
/// commitments changing status (with the note given) and its RPD team's
/// answers to the forum's issues — when each was raised, when the answer
/// was due and whether it came in time, never the issues' own text (the
/// forum's participants'). 404 for no such region.
pub async fn accountability_feed(state: &AppState, code: &str) -> ApiResult<Feed> {
    let region = crate::regions::find_by_code(&state.db, code).await?;
    let changes = status_changes(&state.db, region.id, ENTRIES).await?;
    let answered = answers(&state.db, region.id, ENTRIES).await?;
    let mut entries: Vec<FeedEntry> = changes
        .into_iter()
        .map(|(change, commitment)| {
            let to = change.to_status.as_str();
            // A note kept without a move is a step from a status to itself.
            let step = match change.from_status {
                Some(from) if from == change.to_status => format!("still {to}"),
                Some(from) => format!("{} → {to}", from.as_str()),
                None => format!("new → {to}"),
            };
            FeedEntry {
                id: change.id,
                title: format!("{} {}: {step}", commitment.reference, commitment.text),
                updated: change.changed_at,
                path: api_path(format_args!("commitments/{}", commitment.id)),
                text: change.note,
            }
        })
        .collect();
    entries.extend(answered.into_iter().map(|(answer, issue)| {
        let in_time = answer.created_at.date_naive() <= issue.response_due_on;
        FeedEntry {
            id: answer.id,
            title: format!(
                "The RPD's team answered an issue raised on {}",
                issue.created_at.date_naive()
            ),
            updated: answer.created_at,
            path: api_path(format_args!("regions/{code}/accountability")),
            text: format!(
                "Raised: {}\nAnswer due by: {}\nAnswered: {} ({})\n",
                issue.created_at.date_naive(),
                issue.response_due_on,
                answer.created_at.date_naive(),
                if in_time { "in time" } else { "late" }
            ),
        }
    }));
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| b.id.cmp(&a.id)));
    entries.truncate(usize::try_from(ENTRIES).unwrap_or(usize::MAX));
    Ok(Feed {
        id: format!("urn:convene:region:{}:accountability", region.code),
        title: format!("{}: accountability", region.name),
        author: format!("Probation Service, {}", region.name),
        path: api_path(format_args!("regions/{code}/accountability.atom")),
        since: DateTime::UNIX_EPOCH,
        entries,
    })
}

/// The region's funding opportunities, newest first, withdrawn ones left
/// out: what the commissioning pipeline holds, for organisations to follow
/// without signing in. 404 for no such region.
pub async fn opportunities_feed(state: &AppState, code: &str) -> ApiResult<Feed> {
    let region = crate::regions::find_by_code(&state.db, code).await?;
    let entries = opportunities(&state.db, region.id, ENTRIES)
        .await?
        .into_iter()
        .map(|o| {
            let value = match (o.value_band, o.amount_pence) {
                (_, Some(pence)) => format!("£{}", pence / 100),
                (Some(band), None) => band.as_str().to_string(),
                (None, None) => "not stated".into(),
            };
            let text = format!(
                "Mechanism: {}\nCommissioner: {}\nValue: {value}\nOpen from {} to {}\n\n{}",
                o.mechanism.as_str(),
                o.commissioner_name
                    .clone()
                    .unwrap_or_else(|| o.commissioner.as_str().to_string()),
                o.opens_on,
                o.closes_on,
                o.description
            );
            FeedEntry {
                id: o.id,
                path: api_path(format_args!("opportunities/{}", o.id)),
                title: o.title,
                updated: o.updated_at,
                text,
            }
        })
        .collect();
    Ok(Feed {
        id: format!("urn:convene:region:{}:opportunities", region.code),
        title: format!("{}: funding opportunities", region.name),
        author: format!("Probation Service, {}", region.name),
        path: api_path(format_args!("regions/{code}/opportunities.atom")),
        since: DateTime::UNIX_EPOCH,
        entries,
    })
}
