//! `/forums/{id}/polls`: the forum's polls for its participants, newest
//! first, a page at a time, optionally only those standing one way now.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use entity::PollStatus;
use sea_orm::Iterable;
use serde::Deserialize;

use super::{poll_href, status_tag};
use crate::kernel::access::ForumAccess;
use crate::kernel::state::AppState;
use crate::polls::{self, PollQuery};
use crate::web::components::Tag;
use crate::web::error::{PageResult, id_in_path};
use crate::web::format;
use crate::web::forms::{self, Choice};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::Visitor;

const POLLS_PER_PAGE: u64 = 25;

#[derive(Template, WebTemplate)]
#[template(path = "polls.html")]
pub struct PollsPage {
    page: Page,
    forum_name: String,
    forum_href: String,
    action: String,
    statuses: Vec<Choice>,
    status: String,
    rows: Vec<PollRow>,
    first: Option<(String, String)>,
    next: Option<(String, String)>,
}

struct PollRow {
    href: String,
    question: String,
    closes: String,
    status: Tag,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PollsQuery {
    status: String,
    cursor: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(forum): Path<String>,
    Query(query): Query<PollsQuery>,
) -> PageResult<PollsPage> {
    let forum = id_in_path(&forum)?;
    let address = format!("/forums/{forum}/polls");
    let caller = visitor.signed_in(&address)?;
    // A status this list does not know lists them all.
    let status = forms::parsed::<PollStatus>(query.status.trim());
    let listed = polls::list(
        &state,
        caller,
        forum,
        PollQuery {
            limit: Some(POLLS_PER_PAGE),
            cursor: query.cursor.clone(),
            status,
        },
    )
    .await?;
    let access = ForumAccess::load(&state.db, forum, Some(caller)).await?;
    let text = Text::default();
    let mut statuses = vec![Choice::new("", text.get("polls-every-status"))];
    statuses.extend(PollStatus::iter().map(|s| Choice::new(s.as_str(), status_tag(&text, s).text)));
    let filtered = |cursor: Option<&str>| {
        let mut params = Vec::new();
        if let Some(status) = status {
            params.push(format!("status={}", status.as_str()));
        }
        if let Some(cursor) = cursor {
            params.push(format!("cursor={cursor}"));
        }
        match params.is_empty() {
            true => address.clone(),
            false => format!("{address}?{}", params.join("&")),
        }
    };
    Ok(PollsPage {
        page: visitor.page(),
        forum_name: access.forum.name.clone(),
        forum_href: format!("/forums/{forum}"),
        action: address.clone(),
        statuses,
        status: status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        rows: listed
            .items
            .into_iter()
            .map(|p| PollRow {
                href: poll_href(forum, p.id),
                closes: format::date_time(p.closes_at),
                status: status_tag(&text, p.status),
                question: p.question,
            })
            .collect(),
        first: query
            .cursor
            .is_some()
            .then(|| (filtered(None), text.get("polls-first"))),
        next: listed
            .next_cursor
            .map(|c| (filtered(Some(&c)), text.get("polls-next"))),
    })
}
