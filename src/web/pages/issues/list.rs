//! `/forums/{id}/issues`: the issues the forum has raised with the RPD's
//! team, newest first, a page at a time, optionally only those standing
//! one way now (the forum's participants; 404 to anyone else).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use entity::IssueStatus;
use sea_orm::Iterable;
use serde::Deserialize;

use super::{answer_due, issue_href, status_tag};
use crate::issues;
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::pagination::PageQuery;
use crate::kernel::state::AppState;
use crate::web::components::Tag;
use crate::web::error::{PageResult, id_in_path};
use crate::web::format;
use crate::web::forms::{self, Choice};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::Visitor;

const ISSUES_PER_PAGE: u64 = 25;

#[derive(Template, WebTemplate)]
#[template(path = "issues.html")]
pub struct IssuesPage {
    page: Page,
    forum_name: String,
    forum_href: String,
    action: String,
    /// Where an issue is raised, for those who may raise one.
    raise_href: Option<String>,
    statuses: Vec<Choice>,
    status: String,
    rows: Vec<IssueRow>,
    first: Option<(String, String)>,
    next: Option<(String, String)>,
}

struct IssueRow {
    href: String,
    title: String,
    raised_by: String,
    raised_on: String,
    status: Tag,
    due: Tag,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct IssuesQuery {
    status: String,
    cursor: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(forum): Path<String>,
    Query(query): Query<IssuesQuery>,
) -> PageResult<IssuesPage> {
    let forum = id_in_path(&forum)?;
    let address = format!("/forums/{forum}/issues");
    let caller = visitor.signed_in(&address)?;
    // A status this list does not know lists them all.
    let status = forms::parsed::<IssueStatus>(query.status.trim());
    let listed = issues::newest(
        &state,
        caller,
        forum,
        status,
        PageQuery {
            limit: Some(ISSUES_PER_PAGE),
            cursor: query.cursor.clone(),
        },
    )
    .await?;
    let access = ForumAccess::load(&state.db, forum, Some(caller)).await?;
    let text = Text::default();
    let today = state.clock.now().date_naive();
    let mut statuses = vec![Choice::new("", text.get("issues-every-status"))];
    statuses
        .extend(IssueStatus::iter().map(|s| Choice::new(s.as_str(), status_tag(&text, s).text)));
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
    Ok(IssuesPage {
        page: visitor.page(),
        forum_name: access.forum.name.clone(),
        forum_href: format!("/forums/{forum}"),
        action: address.clone(),
        raise_href: access
            .allows(ForumAction::RaiseIssue)
            .then(|| format!("{address}/new")),
        statuses,
        status: status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        rows: listed
            .items
            .into_iter()
            .map(|i| IssueRow {
                href: issue_href(forum, i.id),
                raised_by: i
                    .raised_by_organisation_name
                    .clone()
                    .or(i.raised_by_name.clone())
                    .unwrap_or_default(),
                raised_on: format::date(i.created_at.date_naive()),
                status: status_tag(&text, i.status),
                due: answer_due(&text, &i, today),
                title: i.title,
            })
            .collect(),
        first: query
            .cursor
            .is_some()
            .then(|| (filtered(None), text.get("issues-first"))),
        next: listed
            .next_cursor
            .map(|c| (filtered(Some(&c)), text.get("issues-next"))),
    })
}
