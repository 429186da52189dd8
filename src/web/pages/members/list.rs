//! `/forums/{id}/members`: the forum's member organisations for its
//! participants, filtered by status, size band, who they are led by and
//! for, and theme (a GET form, so a filtered list has its own address),
//! fifty a page. Officers reach each membership's decisions from here.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use entity::{LedByAndFor, MembershipStatus, SizeBand, Theme};
use sea_orm::Iterable;
use serde::Deserialize;

use super::{any_or, parsed};
use crate::forums::{self, MembershipOut, MembershipQuery};
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::state::AppState;
use crate::web::error::{PageResult, id_in_path};
use crate::web::forms::{Field, Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::Visitor;

#[derive(Template, WebTemplate)]
#[template(path = "members.html")]
pub struct MembersPage {
    page: Page,
    forum_name: String,
    forum_href: String,
    filters: Form,
    members: Vec<MemberRow>,
    /// The applications' queue and the roles, for those who run the forum.
    officer: bool,
    first: Option<(String, String)>,
    next: Option<(String, String)>,
}

pub(crate) struct MemberRow {
    pub name: String,
    pub href: String,
    pub status: String,
    pub status_colour: &'static str,
    pub size_band: String,
    pub led_by_and_for: String,
    pub themes: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Filters {
    status: String,
    size_band: String,
    led_by_and_for: String,
    theme: String,
    cursor: Option<String>,
}

pub(crate) fn status_colour(status: MembershipStatus) -> &'static str {
    match status {
        MembershipStatus::Active => "govuk-tag--green",
        MembershipStatus::Applied => "govuk-tag--blue",
        MembershipStatus::Suspended => "govuk-tag--orange",
        MembershipStatus::Rejected | MembershipStatus::Left => "govuk-tag--grey",
    }
}

/// A row of the members' table, its labels in the reader's words.
pub(crate) fn row(text: &Text, forum: &str, m: &MembershipOut) -> MemberRow {
    let o = &m.organisation;
    let labels = |prefix: &str, values: Vec<&str>| {
        values
            .into_iter()
            .map(|v| text.get(&format!("{prefix}-{v}")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    MemberRow {
        name: o.name.clone(),
        href: format!("/forums/{forum}/members/{}", m.id),
        status: text.get(&format!("membership-status-{}", m.status.as_str())),
        status_colour: status_colour(m.status),
        size_band: o
            .size_band
            .map(|b| text.get(&format!("size-band-{}", b.as_str())))
            .unwrap_or_default(),
        led_by_and_for: labels(
            "led-by-and-for",
            o.led_by_and_for
                .iter()
                .flatten()
                .map(|g| g.as_str())
                .collect(),
        ),
        themes: labels(
            "theme",
            o.themes.iter().flatten().map(|t| t.as_str()).collect(),
        ),
    }
}

fn filter_form(text: &Text, f: &Filters) -> Form {
    let select = |name: &'static str, value: &str, choices| {
        Field::plain(text, name, Kind::Select)
            .choices(choices)
            .value(value)
    };
    Form::new(
        text,
        vec![
            select(
                "status",
                &f.status,
                any_or(
                    text,
                    "membership-status",
                    MembershipStatus::iter().map(|s| s.as_str()),
                ),
            ),
            select(
                "size_band",
                &f.size_band,
                any_or(text, "size-band", SizeBand::iter().map(|s| s.as_str())),
            ),
            select(
                "led_by_and_for",
                &f.led_by_and_for,
                any_or(
                    text,
                    "led-by-and-for",
                    LedByAndFor::iter().map(|s| s.as_str()),
                ),
            ),
            select(
                "theme",
                &f.theme,
                any_or(text, "theme", Theme::iter().map(|s| s.as_str())),
            ),
        ],
    )
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(forum): Path<String>,
    Query(filters): Query<Filters>,
) -> PageResult<MembersPage> {
    let forum = id_in_path(&forum)?;
    let caller = visitor.signed_in(&format!("/forums/{forum}/members"))?;
    let access = ForumAccess::load(&state.db, forum, Some(caller)).await?;
    access.require(ForumAction::ReadParticipantRecords)?;
    let query = MembershipQuery {
        limit: None,
        cursor: filters.cursor.clone(),
        status: parsed(&filters.status),
        size_band: parsed(&filters.size_band),
        led_by_and_for: parsed(&filters.led_by_and_for),
        theme: parsed(&filters.theme),
        in_supply_chain: None,
    };
    let found = forums::memberships(&state, Some(caller), forum, query).await?;
    let text = Text::default();
    let forum_id = forum.to_string();
    // The filters are kept in the pages' links.
    let address = |cursor: Option<&str>| {
        let mut kept = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("status", &filters.status),
            ("size_band", &filters.size_band),
            ("led_by_and_for", &filters.led_by_and_for),
            ("theme", &filters.theme),
        ] {
            if !value.is_empty() {
                kept.append_pair(name, value);
            }
        }
        if let Some(cursor) = cursor {
            kept.append_pair("cursor", cursor);
        }
        format!("/forums/{forum}/members?{}", kept.finish())
    };
    let first = filters
        .cursor
        .as_ref()
        .map(|_| (address(None), text.get("members-first")));
    let next = found
        .next_cursor
        .as_deref()
        .map(|cursor| (address(Some(cursor)), text.get("members-next")));
    Ok(MembersPage {
        page: visitor.page(),
        forum_name: access.forum.name.clone(),
        forum_href: format!("/forums/{forum}"),
        filters: filter_form(&text, &filters),
        members: found
            .items
            .iter()
            .map(|m| row(&text, &forum_id, m))
            .collect(),
        officer: access.allows(ForumAction::DecideMembership),
        first,
        next,
    })
}
