//! Atom feeds (RFC 4287) of the public record: a forum's approved minutes
//! and its meetings to come, and a region's accountability as it happens
//! (commitments changing status, the RPD's team answering issues), and its
//! funding opportunities. Entry
//! ids are the records' own (`urn:uuid:…`), so a reader shows each once
//! however often it polls; polls are cheap with `ETag` / `Last-Modified`.

use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, Utc};
use chrono_tz::Europe::London;
use entity::{OpportunityState, Visibility, opportunity};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::lists::require_forum;
use super::queries::{agenda_titles, answers, approved_minutes, status_changes, upcoming};
use crate::http::conditional::Published;
use crate::http::extract::Path;
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;
use crate::minutes::sections;

/// Entries per feed: the newest (or, for meetings, the soonest).
const ENTRIES: u64 = 50;
const ATOM: &str = "application/atom+xml; charset=utf-8";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(minutes_feed))
        .routes(routes!(meetings_feed))
        .routes(routes!(accountability_feed))
        .routes(routes!(opportunities_feed))
}

/// A London time, as people in England and Wales read it.
fn london(at: DateTime<Utc>) -> String {
    at.with_timezone(&London)
        .format("%a %-d %b %Y, %H:%M %Z")
        .to_string()
}

struct FeedOf<'a> {
    state: &'a AppState,
    id: String,
    title: String,
    /// Who publishes it (RFC 4287 requires an author): the forum, or the
    /// region's Probation Service.
    author: String,
    /// The feed's own path, under the API.
    path: String,
    /// When it last changed, if it has no entries.
    since: DateTime<Utc>,
}

impl FeedOf<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.state.public_url.as_deref().unwrap_or(""))
    }

    fn entry(
        &self,
        id: Uuid,
        title: String,
        updated: DateTime<Utc>,
        path: &str,
        text: String,
    ) -> Entry {
        Entry {
            id: format!("urn:uuid:{id}"),
            title: Text::plain(title),
            updated: updated.fixed_offset(),
            links: vec![Link {
                href: self.url(path),
                rel: "alternate".into(),
                ..Link::default()
            }],
            content: Some(Content {
                value: Some(text),
                content_type: Some("text".into()),
                ..Content::default()
            }),
            ..Entry::default()
        }
    }

    fn publish(self, entries: Vec<Entry>, request: &HeaderMap) -> Response {
        let updated = entries
            .iter()
            .map(|e| e.updated.with_timezone(&Utc))
            .max()
            .unwrap_or(self.since);
        let feed = Feed {
            id: self.id.clone(),
            title: Text::plain(self.title.clone()),
            authors: vec![Person {
                name: self.author.clone(),
                ..Person::default()
            }],
            updated: updated.fixed_offset(),
            links: vec![Link {
                href: self.url(&self.path),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Link::default()
            }],
            entries,
            ..Feed::default()
        };
        Published {
            content_type: ATOM,
            body: feed.to_string(),
            modified: updated,
        }
        .answer(request)
    }
}

/// Atom feed of the forum's approved minutes, newest first (public).
///
/// Each entry is one meeting's minutes, in full (markdown as text). With
/// `If-None-Match` or `If-Modified-Since` from an earlier answer, 304 when
/// nothing changed.
#[utoipa::path(
    get,
    path = "/forums/{id}/minutes.atom",
    tag = "public record",
    params(("id" = Uuid, Path, description = "Forum id")),
    responses(
        (status = 200, description = "RFC 4287 Atom feed", content_type = "application/atom+xml", body = String,
         headers(("ETag" = String, description = "The feed's version"),
                 ("Last-Modified" = String, description = "When its newest entry changed"))),
        (status = 304, description = "Not changed since the ETag or date sent"),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
    )
)]
async fn minutes_feed(
    State(state): State<AppState>,
    Path(forum_id): Path<Uuid>,
    request: HeaderMap,
) -> ApiResult<Response> {
    let forum = require_forum(&state.db, forum_id).await?;
    let rows = approved_minutes(&state.db, forum_id, ENTRIES, None).await?;
    let feed = FeedOf {
        state: &state,
        id: format!("urn:convene:forum:{forum_id}:minutes"),
        title: format!("{}: approved minutes", forum.name),
        author: forum.name.clone(),
        path: format!("/api/v1/forums/{forum_id}/minutes.atom"),
        since: forum.created_at,
    };
    // Each entry's text as the public reads it: withheld sections as their reason.
    let ids: Vec<Uuid> = rows.iter().map(|(m, _)| m.id).collect();
    let mut texts = sections::load(&state.db, &ids).await?;
    let items = sections::item_visibility(&state.db, texts.values().flatten()).await?;
    let entries = rows
        .into_iter()
        .map(|(minutes, meeting)| {
            let kept = texts.remove(&minutes.id).unwrap_or_default();
            let shown = sections::as_read(&kept, &items, |v| v == Visibility::Public);
            feed.entry(
                minutes.id,
                format!("Minutes: {} ({})", meeting.title, london(meeting.starts_at)),
                minutes.approved_at.unwrap_or(minutes.updated_at),
                &format!("/api/v1/meetings/{}/minutes", meeting.id),
                sections::render(&shown),
            )
        })
        .collect();
    Ok(feed.publish(entries, &request))
}

/// Atom feed of the forum's meetings to come, soonest first (public).
#[utoipa::path(
    get,
    path = "/forums/{id}/meetings.atom",
    tag = "public record",
    params(("id" = Uuid, Path, description = "Forum id")),
    responses(
        (status = 200, description = "RFC 4287 Atom feed", content_type = "application/atom+xml", body = String,
         headers(("ETag" = String, description = "The feed's version"),
                 ("Last-Modified" = String, description = "When its newest entry changed"))),
        (status = 304, description = "Not changed since the ETag or date sent"),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
    )
)]
async fn meetings_feed(
    State(state): State<AppState>,
    Path(forum_id): Path<Uuid>,
    request: HeaderMap,
) -> ApiResult<Response> {
    let forum = require_forum(&state.db, forum_id).await?;
    let rows = upcoming(&state.db, forum_id, state.clock.now(), ENTRIES, None).await?;
    let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
    let mut agendas = agenda_titles(&state.db, &ids).await?;
    let feed = FeedOf {
        state: &state,
        id: format!("urn:convene:forum:{forum_id}:meetings"),
        title: format!("{}: meetings to come", forum.name),
        author: forum.name.clone(),
        path: format!("/api/v1/forums/{forum_id}/meetings.atom"),
        since: forum.created_at,
    };
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
            feed.entry(
                meeting.id,
                format!("{} ({})", meeting.title, london(meeting.starts_at)),
                // An agenda item agreed later changes the entry too.
                Ord::max(
                    meeting.updated_at,
                    agenda.changed.unwrap_or(meeting.updated_at),
                ),
                &format!("/api/v1/forums/{forum_id}/upcoming-meetings"),
                text,
            )
        })
        .collect();
    Ok(feed.publish(entries, &request))
}

/// Atom feed of a region's accountability as it happens (public).
///
/// Its commitments changing status (with the note given) and its RPD
/// team's answers to the forum's issues — when each was raised, when the
/// answer was due and whether it came in time; the issues' own text is for
/// the forum's participants and is not in the feed.
#[utoipa::path(
    get,
    path = "/regions/{code}/accountability.atom",
    tag = "public record",
    params(("code" = String, Path, description = "Region code, e.g. `wales`")),
    responses(
        (status = 200, description = "RFC 4287 Atom feed", content_type = "application/atom+xml", body = String,
         headers(("ETag" = String, description = "The feed's version"),
                 ("Last-Modified" = String, description = "When its newest entry changed"))),
        (status = 304, description = "Not changed since the ETag or date sent"),
        (status = 404, description = "No such region", body = crate::http::problem::Problem),
    )
)]
async fn accountability_feed(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: HeaderMap,
) -> ApiResult<Response> {
    let region = crate::regions::find_by_code(&state.db, &code).await?;
    let changes = status_changes(&state.db, region.id, ENTRIES).await?;
    let answered = answers(&state.db, region.id, ENTRIES).await?;
    let feed = FeedOf {
        state: &state,
        id: format!("urn:convene:region:{}:accountability", region.code),
        title: format!("{}: accountability", region.name),
        author: format!("Probation Service, {}", region.name),
        path: format!("/api/v1/regions/{code}/accountability.atom"),
        since: DateTime::UNIX_EPOCH,
    };
    let mut entries: Vec<Entry> = changes
        .into_iter()
        .map(|(change, commitment)| {
            let to = change.to_status.as_str();
            // A note kept without a move is a step from a status to itself.
            let step = match change.from_status {
                Some(from) if from == change.to_status => format!("still {to}"),
                Some(from) => format!("{} → {to}", from.as_str()),
                None => format!("new → {to}"),
            };
            feed.entry(
                change.id,
                format!("{} {}: {step}", commitment.reference, commitment.text),
                change.changed_at,
                &format!("/api/v1/commitments/{}", commitment.id),
                change.note,
            )
        })
        .collect();
    entries.extend(answered.into_iter().map(|(answer, issue)| {
        let in_time = answer.created_at.date_naive() <= issue.response_due_on;
        feed.entry(
            answer.id,
            format!(
                "The RPD's team answered an issue raised on {}",
                issue.created_at.date_naive()
            ),
            answer.created_at,
            &format!("/api/v1/regions/{code}/accountability"),
            format!(
                "Raised: {}\nAnswer due by: {}\nAnswered: {} ({})\n",
                issue.created_at.date_naive(),
                issue.response_due_on,
                answer.created_at.date_naive(),
                if in_time { "in time" } else { "late" }
            ),
        )
    }));
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| b.id.cmp(&a.id)));
    entries.truncate(usize::try_from(ENTRIES).unwrap_or(usize::MAX));
    Ok(feed.publish(entries, &request))
}

/// Atom feed of the region's funding opportunities, newest first (public):
/// what the commissioning pipeline holds, for organisations to follow
/// without signing in. Withdrawn ones are left out.
#[utoipa::path(
    get,
    path = "/regions/{code}/opportunities.atom",
    tag = "public record",
    params(("code" = String, Path, description = "Region code, e.g. `wales`")),
    responses(
        (status = 200, description = "RFC 4287 Atom feed", content_type = "application/atom+xml", body = String,
         headers(("ETag" = String, description = "The feed's version"),
                 ("Last-Modified" = String, description = "When its newest entry changed"))),
        (status = 304, description = "Not changed since the ETag or date sent"),
        (status = 404, description = "No such region", body = crate::http::problem::Problem),
    )
)]
async fn opportunities_feed(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: HeaderMap,
) -> ApiResult<Response> {
    let region = crate::regions::find_by_code(&state.db, &code).await?;
    let opportunities = opportunity::Entity::find()
        .filter(opportunity::Column::RegionId.eq(region.id))
        .filter(opportunity::Column::Status.ne(OpportunityState::Withdrawn))
        .order_by_desc(opportunity::Column::Id)
        .limit(ENTRIES)
        .all(&state.db)
        .await?;
    let feed = FeedOf {
        state: &state,
        id: format!("urn:convene:region:{}:opportunities", region.code),
        title: format!("{}: funding opportunities", region.name),
        author: format!("Probation Service, {}", region.name),
        path: format!("/api/v1/regions/{code}/opportunities.atom"),
        since: DateTime::UNIX_EPOCH,
    };
    let entries = opportunities
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
            feed.entry(
                o.id,
                o.title,
                o.updated_at,
                &format!("/api/v1/opportunities/{}", o.id),
                text,
            )
        })
        .collect();
    Ok(feed.publish(entries, &request))
}
