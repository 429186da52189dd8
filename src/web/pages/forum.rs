//! `/forums/{id}`: what a forum is for, who belongs, its meetings to come
//! with their public agendas, its approved minutes and its feeds — the same
//! operations as the API's public record.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use entity::MembershipStatus;

use crate::forums::{self, MembershipQuery};
use crate::kernel::links::api_path;
use crate::kernel::pagination::PageQuery;
use crate::kernel::state::AppState;
use crate::public_record::{self, MinutesQuery};
use crate::web::error::{PageResult, id_in_path};
use crate::web::format;
use crate::web::page::Page;

/// How many meetings to come and minutes the page lists.
const LISTED: u64 = 20;

#[derive(Template, WebTemplate)]
#[template(path = "forum.html")]
pub struct ForumPage {
    page: Page,
    name: String,
    description: Vec<String>,
    terms_of_reference: Vec<String>,
    members: u64,
    member_names: Vec<String>,
    outside_supply_chain: u64,
    meetings: Vec<MeetingRow>,
    minutes: Vec<(String, String, String)>,
    minutes_feed: String,
    meetings_feed: String,
    calendar: String,
}

struct MeetingRow {
    when: String,
    title: String,
    agenda: Vec<String>,
}

pub async fn show(State(state): State<AppState>, Path(id): Path<String>) -> PageResult<ForumPage> {
    let id = id_in_path(&id)?;
    let forum = forums::get(&state, None, id).await?;
    let listed = PageQuery {
        limit: Some(LISTED),
        cursor: None,
    };
    let meetings = public_record::meetings_to_come(&state, id, listed).await?;
    // The public reads the active members' names (the operation's rule).
    let mut member_names: Vec<String> = forums::memberships(
        &state,
        None,
        id,
        MembershipQuery {
            limit: Some(200),
            cursor: None,
            status: Some(MembershipStatus::Active),
            size_band: None,
            led_by_and_for: None,
            in_supply_chain: None,
        },
    )
    .await?
    .items
    .into_iter()
    .map(|m| m.organisation.name)
    .collect();
    member_names.sort();
    let minutes = public_record::minutes(
        &state,
        None,
        id,
        MinutesQuery {
            limit: Some(LISTED),
            cursor: None,
            q: None,
        },
    )
    .await?;
    Ok(ForumPage {
        page: Page::default(),
        name: forum.forum.name,
        description: format::paragraphs(&forum.forum.description),
        terms_of_reference: format::paragraphs(&forum.forum.terms_of_reference),
        members: forum.membership_summary.active_member_organisations,
        member_names,
        outside_supply_chain: forum.membership_summary.outside_supply_chain,
        meetings: meetings
            .items
            .into_iter()
            .map(|m| MeetingRow {
                when: format::date_time(m.starts_at),
                title: m.title,
                agenda: m.agenda,
            })
            .collect(),
        minutes: minutes
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
        minutes_feed: api_path(format_args!("forums/{id}/minutes.atom")),
        meetings_feed: api_path(format_args!("forums/{id}/meetings.atom")),
        calendar: api_path(format_args!("forums/{id}/calendar.ics")),
    })
}
