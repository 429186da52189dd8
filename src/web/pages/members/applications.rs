//! `/forums/{id}/members/applications`: the organisations that have asked
//! to join, oldest first, each with its statement and a way to decide —
//! for those who decide on memberships (403 to anyone else).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use entity::MembershipStatus;

use super::list::{MemberRow, row};
use crate::forums::{self, MembershipQuery};
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::state::AppState;
use crate::web::error::{PageResult, id_in_path};
use crate::web::format;
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::Visitor;

#[derive(Template, WebTemplate)]
#[template(path = "applications.html")]
pub struct ApplicationsPage {
    page: Page,
    forum_name: String,
    forum_href: String,
    applications: Vec<Application>,
    more: bool,
}

struct Application {
    id: String,
    member: MemberRow,
    statement: Vec<String>,
    applied: String,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(forum): Path<String>,
) -> PageResult<ApplicationsPage> {
    let forum = id_in_path(&forum)?;
    let caller = visitor.signed_in(&format!("/forums/{forum}/members/applications"))?;
    let access = ForumAccess::load(&state.db, forum, Some(caller)).await?;
    access.require(ForumAction::DecideMembership)?;
    let query = MembershipQuery {
        limit: Some(200),
        cursor: None,
        status: Some(MembershipStatus::Applied),
        size_band: None,
        led_by_and_for: None,
        theme: None,
        in_supply_chain: None,
    };
    let found = forums::memberships(&state, Some(caller), forum, query).await?;
    let text = Text::default();
    let forum_id = forum.to_string();
    let mut applications: Vec<Application> = found
        .items
        .iter()
        .map(|m| Application {
            id: m.id.to_string(),
            member: row(&text, &forum_id, m),
            statement: format::paragraphs(m.statement.as_deref().unwrap_or_default()),
            applied: m
                .created_at
                .map(|at| format::date(at.date_naive()))
                .unwrap_or_default(),
        })
        .collect();
    // Ids are made in time order: the oldest application first.
    applications.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(ApplicationsPage {
        page: visitor.page(),
        forum_name: access.forum.name.clone(),
        forum_href: format!("/forums/{forum}"),
        applications,
        more: found.next_cursor.is_some(),
    })
}
