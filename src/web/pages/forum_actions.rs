//! `/forums/{id}/actions`: the forum's actions, soonest due first, as its
//! participants read them (the API's list), a page at a time, narrowed to
//! one owner organisation's — "our organisation's list".

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use uuid::Uuid;

use crate::actions::{self, ActionQuery};
use crate::forums;
use crate::kernel::access::ForumAccess;
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::web::error::{PageResult, id_in_path};
use crate::web::format;
use crate::web::forms::Choice;
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::Visitor;

const ACTIONS_PER_PAGE: u64 = 25;

#[derive(Template, WebTemplate)]
#[template(path = "forum_actions.html")]
pub struct ForumActionsPage {
    page: Page,
    forum_name: String,
    forum_href: String,
    action: String,
    owners: Vec<Choice>,
    owner: String,
    rows: Vec<ActionRow>,
    first: Option<(String, String)>,
    next: Option<(String, String)>,
}

struct ActionRow {
    title: String,
    /// The action's own page.
    href: String,
    owner: String,
    due: String,
    status: String,
    overdue: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActionsQuery {
    owner: String,
    cursor: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(forum): Path<String>,
    Query(query): Query<ActionsQuery>,
) -> PageResult<ForumActionsPage> {
    let address = format!("/forums/{forum}/actions");
    let caller = visitor.signed_in(&address)?;
    let forum = id_in_path(&forum)?;
    let owner = match query.owner.trim() {
        "" => None,
        id => Some(
            id.parse::<Uuid>()
                .map_err(|_| ApiError::invalid("owner", "is not an organisation"))?,
        ),
    };
    let text = Text::default();
    let listed = actions::list(
        &state,
        caller,
        forum,
        ActionQuery {
            limit: Some(ACTIONS_PER_PAGE),
            cursor: query.cursor.clone(),
            status: None,
            owner_organisation_id: owner,
            commitment_id: None,
            overdue: None,
            due_before: None,
            q: None,
        },
    )
    .await?;
    let access = ForumAccess::load(&state.db, forum, Some(caller)).await?;
    let mut owners: Vec<Choice> = forums::active_member_names(&state.db, forum)
        .await?
        .into_iter()
        .map(|(id, name)| Choice::new(id.to_string(), name))
        .collect();
    owners.insert(0, Choice::new("", text.get("forum-actions-every-owner")));
    let filtered = |cursor: Option<&str>| {
        let owner = query.owner.trim();
        let mut params = Vec::new();
        if !owner.is_empty() {
            params.push(format!("owner={owner}"));
        }
        if let Some(cursor) = cursor {
            params.push(format!("cursor={cursor}"));
        }
        match params.is_empty() {
            true => address.clone(),
            false => format!("{address}?{}", params.join("&")),
        }
    };
    Ok(ForumActionsPage {
        page: visitor.page(),
        forum_name: access.forum.name.clone(),
        forum_href: format!("/forums/{forum}"),
        action: address.clone(),
        owners,
        owner: query.owner.trim().to_string(),
        rows: listed
            .items
            .into_iter()
            .map(|a| ActionRow {
                owner: a
                    .owner_organisation_name
                    .or(a.owner_user_name)
                    .unwrap_or_else(|| text.get("forum-actions-no-owner")),
                due: a
                    .due_on
                    .map(format::date)
                    .unwrap_or_else(|| text.get("forum-actions-no-due")),
                status: text.get(&format!("forum-actions-status-{}", a.status.as_str())),
                overdue: a.overdue,
                href: crate::web::pages::action::action_href(forum, a.id),
                title: a.title,
            })
            .collect(),
        first: query
            .cursor
            .is_some()
            .then(|| (filtered(None), text.get("forum-actions-first"))),
        next: listed
            .next_cursor
            .map(|c| (filtered(Some(&c)), text.get("forum-actions-next"))),
    })
}
