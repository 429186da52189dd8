//! The public record's face: its lists as JSON, and its feeds as Atom
//! (RFC 4287) — each entry's id the record's own (`urn:uuid:…`), so a reader
//! shows each once however often it polls; polls are cheap with `ETag` /
//! `Last-Modified`. Each handler extracts, calls the operation of
//! `crate::public_record` and responds.

use atom_syndication::{Content, Entry, Link, Person, Text};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::conditional::Published;
use crate::http::extract::{Json, Path, Query};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::pagination::{Page, PageQuery};
use crate::kernel::state::AppState;
use crate::public_record::{
    self, Feed, FeedEntry, MinutesQuery, PublishedMinutesOut, UpcomingMeetingOut,
};

const ATOM: &str = "application/atom+xml; charset=utf-8";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_minutes))
        .routes(routes!(list_upcoming))
        .routes(routes!(minutes_feed))
        .routes(routes!(meetings_feed))
        .routes(routes!(accountability_feed))
        .routes(routes!(opportunities_feed))
}

/// The feed as an Atom document, links made absolute with the public URL
/// (when one is configured); 304 to a reader that already has it.
fn atom(feed: Feed, public_url: Option<&str>, request: &HeaderMap) -> Response {
    let url = |path: &str| format!("{}{path}", public_url.unwrap_or(""));
    let updated = feed.updated();
    let entry = |e: FeedEntry| Entry {
        id: format!("urn:uuid:{}", e.id),
        title: Text::plain(e.title),
        updated: e.updated.fixed_offset(),
        links: vec![Link {
            href: url(&e.path),
            rel: "alternate".into(),
            ..Link::default()
        }],
        content: Some(Content {
            value: Some(e.text),
            content_type: Some("text".into()),
            ..Content::default()
        }),
        ..Entry::default()
    };
    let document = atom_syndication::Feed {
        id: feed.id,
        title: Text::plain(feed.title),
        authors: vec![Person {
            name: feed.author,
            ..Person::default()
        }],
        updated: updated.fixed_offset(),
        links: vec![Link {
            href: url(&feed.path),
            rel: "self".into(),
            mime_type: Some("application/atom+xml".into()),
            ..Link::default()
        }],
        entries: feed.entries.into_iter().map(entry).collect(),
        ..atom_syndication::Feed::default()
    };
    Published {
        content_type: ATOM,
        body: document.to_string(),
        modified: updated,
    }
    .answer(request)
}

/// The forum's approved minutes, newest approval first (public).
///
/// With `q`, only minutes with a section that has its words and that the
/// caller may read (the public reads public sections; signing in as a
/// participant or officer of the forum searches what that role may read),
/// best match first.
#[utoipa::path(
    get,
    path = "/forums/{id}/minutes",
    tag = "public record",
    params(("id" = Uuid, Path, description = "Forum id"), MinutesQuery),
    responses(
        (status = 200, description = "A page of approved minutes", body = Page<PublishedMinutesOut>),
        (status = 404, description = "No such forum"),
        (status = 422, description = "A bad limit, cursor or search"),
    ),
    security((), ("bearer" = []))
)]
async fn list_minutes(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<MinutesQuery>,
) -> ApiResult<Json<Page<PublishedMinutesOut>>> {
    Ok(Json(
        public_record::minutes(&state, caller.as_ref(), forum_id, query).await?,
    ))
}

/// The forum's meetings to come, soonest first, with their agreed agendas (public).
#[utoipa::path(
    get,
    path = "/forums/{id}/upcoming-meetings",
    tag = "public record",
    params(("id" = Uuid, Path, description = "Forum id"), PageQuery),
    responses(
        (status = 200, description = "A page of meetings to come", body = Page<UpcomingMeetingOut>),
        (status = 404, description = "No such forum"),
        (status = 422, description = "A bad limit or cursor"),
    )
)]
async fn list_upcoming(
    State(state): State<AppState>,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<UpcomingMeetingOut>>> {
    Ok(Json(
        public_record::meetings_to_come(&state, forum_id, query).await?,
    ))
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
        (status = 404, description = "No such forum"),
    )
)]
async fn minutes_feed(
    State(state): State<AppState>,
    Path(forum_id): Path<Uuid>,
    request: HeaderMap,
) -> ApiResult<Response> {
    let feed = public_record::minutes_feed(&state, forum_id).await?;
    Ok(atom(feed, state.public_url.as_deref(), &request))
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
        (status = 404, description = "No such forum"),
    )
)]
async fn meetings_feed(
    State(state): State<AppState>,
    Path(forum_id): Path<Uuid>,
    request: HeaderMap,
) -> ApiResult<Response> {
    let feed = public_record::meetings_feed(&state, forum_id).await?;
    Ok(atom(feed, state.public_url.as_deref(), &request))
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
        (status = 404, description = "No such region"),
    )
)]
async fn accountability_feed(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: HeaderMap,
) -> ApiResult<Response> {
    let feed = public_record::accountability_feed(&state, &code).await?;
    Ok(atom(feed, state.public_url.as_deref(), &request))
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
        (status = 404, description = "No such region"),
    )
)]
async fn opportunities_feed(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: HeaderMap,
) -> ApiResult<Response> {
    let feed = public_record::opportunities_feed(&state, &code).await?;
    Ok(atom(feed, state.public_url.as_deref(), &request))
}
