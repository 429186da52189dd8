//! `/forums/{id}`: what a forum is for, who belongs, its meetings to come
//! with their public agendas, its approved minutes a page at a time, the
//! consultation responses it submitted, and its feeds — the public
//! record's reading of the forum, four statements.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use entity::{LedByAndFor, SizeBand};
use sea_orm::Iterable;

use crate::kernel::links::api_path;
use crate::kernel::state::AppState;
use crate::public_record::{self, ForumRecord, MemberProfile};
use crate::web::error::{PageResult, id_in_path};
use crate::web::format;
use crate::web::page::Page;

/// Approved minutes a page lists.
const MINUTES_PER_PAGE: u64 = 10;

#[derive(Template, WebTemplate)]
#[template(path = "forum.html")]
pub struct ForumPage {
    page: Page,
    name: String,
    description: Vec<String>,
    terms_of_reference: Vec<String>,
    /// The forum's make-up: what is counted, and how many.
    make_up: Vec<(String, u64)>,
    members: Vec<MemberRow>,
    meetings: Vec<MeetingRow>,
    minutes: Vec<(String, String, String)>,
    /// The pagination's links and their words: back to the newest, on to
    /// older ones.
    newest_minutes: Option<(String, String)>,
    older_minutes: Option<(String, String)>,
    responses: Vec<ResponseRow>,
    minutes_feed: String,
    meetings_feed: String,
    calendar: String,
}

/// A member organisation's public profile, in words.
struct MemberRow {
    name: String,
    size_band: String,
    /// "Women, Young people", when any.
    led_by_and_for: Option<String>,
    /// "Women, Accommodation", when any.
    themes: Option<String>,
}

struct MeetingRow {
    when: String,
    title: String,
    agenda: Vec<String>,
}

struct ResponseRow {
    title: String,
    consulting_body: String,
    submitted: String,
    /// Where it was sent, linked when it is a web address.
    reference: Option<(String, bool)>,
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult<ForumPage> {
    let id = id_in_path(&id)?;
    let cursor = query.get("minutes").map(String::as_str);
    let mut record =
        public_record::forum_record(&state.db, id, state.clock.now(), MINUTES_PER_PAGE, cursor)
            .await?;
    let here = format!("/forums/{id}");
    let older_minutes = record.minutes.next_cursor.as_ref().map(|c| {
        (
            format!("{here}?minutes={c}#minutes"),
            page.text.get("forum-minutes-older"),
        )
    });
    let newest_minutes = cursor.filter(|c| !c.is_empty()).map(|_| {
        (
            format!("{here}#minutes"),
            page.text.get("forum-minutes-newest"),
        )
    });
    Ok(ForumPage {
        make_up: make_up(&page, &record),
        members: members(&page, &mut record.members),
        description: format::paragraphs(&record.description),
        terms_of_reference: format::paragraphs(&record.terms_of_reference),
        meetings: record
            .meetings
            .into_iter()
            .map(|m| MeetingRow {
                when: format::date_time(m.starts_at),
                title: m.title,
                agenda: m.agenda,
            })
            .collect(),
        minutes: record
            .minutes
            .items
            .into_iter()
            .map(|m| {
                (
                    format!("/forums/{id}/minutes/{}", m.meeting_id),
                    format::date_time(m.starts_at),
                    m.meeting_title,
                )
            })
            .collect(),
        newest_minutes,
        older_minutes,
        responses: record
            .responses
            .into_iter()
            .map(|r| ResponseRow {
                submitted: r
                    .submitted_on
                    .map_or_else(|| page.text.get("not-recorded"), format::date),
                reference: r.reference.map(|text| {
                    let link = text.starts_with("https://") || text.starts_with("http://");
                    (text, link)
                }),
                title: r.title,
                consulting_body: r.consulting_body,
            })
            .collect(),
        name: record.name,
        minutes_feed: api_path(format_args!("forums/{id}/minutes.atom")),
        meetings_feed: api_path(format_args!("forums/{id}/meetings.atom")),
        calendar: api_path(format_args!("forums/{id}/calendar.ics")),
        page,
    })
}

/// Each member's profile as the page words it.
fn members(page: &Page, members: &mut Vec<MemberProfile>) -> Vec<MemberRow> {
    let text = &page.text;
    let words = |prefix: &str, names: &[String], separator: &str| {
        (!names.is_empty()).then(|| {
            names
                .iter()
                .map(|name| text.get(&format!("{prefix}{name}")))
                .collect::<Vec<_>>()
                .join(separator)
        })
    };
    std::mem::take(members)
        .into_iter()
        .map(|m| MemberRow {
            size_band: text.get(&format!("size-band-{}", m.size_band)),
            led_by_and_for: words("led-by-and-for-", &m.led_by_and_for, ", "),
            themes: words("theme-", &m.themes, ", "),
            name: m.name,
        })
        .collect()
}

/// The members counted: in all, outside the supply chain, by size band
/// and by the groups they are led by and for (those with none left out).
fn make_up(page: &Page, record: &ForumRecord) -> Vec<(String, u64)> {
    let text = &page.text;
    let all = record.supply_chain.values().sum();
    let mut rows = vec![
        (text.get("forum-member-organisations"), all),
        (
            text.get("forum-outside-supply-chain"),
            record.supply_chain.get("outside").copied().unwrap_or(0),
        ),
    ];
    rows.extend(SizeBand::iter().filter_map(|band| {
        let n = record.size_bands.get(band.as_str()).copied()?;
        Some((text.get(&format!("size-band-{}", band.as_str())), n))
    }));
    rows.extend(LedByAndFor::iter().filter_map(|group| {
        let n = record.led_by_and_for.get(group.as_str()).copied()?;
        Some((text.get(&format!("chart-led-by-{}", group.as_str())), n))
    }));
    rows
}
