//! The action page as shown: read, and rendered with its forms as typed
//! (after a refusal or a stale save) or as the action stands.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono_tz::Europe::London;
use entity::ActionStatus;
use sea_orm::Iterable;
use serde::Deserialize;

use super::{FOUND_SHOWN, action_at, action_href, done, field, status_tag, status_words};
use crate::actions::{ActionDetail, OriginItem, UpdateOut};
use crate::forums;
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::plans;
use crate::search::Terms;
use crate::web::components::{ErrorSummary, Tag};
use crate::web::conflict::Conflict;
use crate::web::error::PageResult;
use crate::web::format;
use crate::web::forms::{Choice, Form, Kind, capitalised};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::Visitor;

#[derive(Template, WebTemplate)]
#[template(path = "action.html")]
pub struct ActionPage {
    page: Page,
    csrf_token: String,
    forum_name: String,
    actions_href: String,
    href: String,
    title: String,
    description: Vec<String>,
    owner: String,
    due: Option<(String, Option<Tag>)>,
    status: Tag,
    /// Where it was agreed: the meeting page's address and its words.
    origin: Option<(String, String)>,
    commitments: Vec<Linked>,
    log: Vec<Entry>,
    older: bool,
    /// The version the forms carry.
    version: i32,
    /// The progress form, for whoever may change the action.
    form: Option<Form>,
    conflict: Option<Conflict>,
    /// The search for commitments to link, for whoever may change it.
    search: Option<Search>,
    /// A refusal of a link, told at the top of the page.
    problem: Option<ErrorSummary>,
    done: Option<&'static str>,
}

impl ActionPage {
    pub fn has_errors(&self) -> bool {
        self.form.as_ref().is_some_and(Form::has_errors)
            || self.conflict.is_some()
            || self.problem.is_some()
            || self.search.as_ref().is_some_and(|s| s.error.is_some())
    }
}

/// A commitment the action serves.
struct Linked {
    reference: String,
    text: String,
    plan_href: String,
    /// The unlink form's address, for whoever may change the action.
    unlink: Option<String>,
}

/// One note of the progress log.
struct Entry {
    by: String,
    at: String,
    at_iso: String,
    moved: Option<String>,
    body: Vec<String>,
}

pub struct Search {
    q: String,
    error: Option<String>,
    /// Whether words were searched for (so "none found" means something).
    searched: bool,
    /// What was found: the reference, the text, and the link form's
    /// address (none for one linked already).
    found: Vec<(String, String, Option<String>)>,
}

/// The progress form as sent (or as the page first shows it).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct Typed {
    pub version: String,
    pub status: String,
    pub body: String,
    /// The search the page was showing, kept across the save.
    pub q: String,
}

/// The progress form: a new status among the moves the action can make
/// from where it stands (or none), and what has happened.
pub fn progress_form(text: &Text, current: ActionStatus, typed: &Typed) -> Form {
    let mut moves = vec![Choice::new(
        "",
        text.with(
            "action-status-unchanged",
            &[("status", status_words(text, current))],
        ),
    )];
    moves.extend(
        ActionStatus::iter()
            .filter(|s| current.can_become(*s))
            .map(|s| Choice::new(s.as_str(), status_words(text, s))),
    );
    Form::new(
        text,
        vec![
            field(text, "status", Kind::Radios)
                .choices(moves)
                .value(&typed.status),
            field(text, "body", Kind::TextArea)
                .value(&typed.body)
                .hint(text.get("action-body-hint")),
        ],
    )
}

/// What the page shows besides the action: the forms as typed and what
/// became of them.
#[derive(Default)]
pub struct Shown {
    pub typed: Typed,
    pub error: Option<ApiError>,
    pub conflict: Option<Conflict>,
    pub problem: Option<ErrorSummary>,
    pub done: Option<&'static str>,
}

/// The page for this caller, with its forms as `shown` has them, and the
/// status it answers with.
pub async fn action_page(
    state: &AppState,
    visitor: &Visitor,
    detail: ActionDetail,
    shown: Shown,
) -> PageResult<(StatusCode, ActionPage)> {
    let text = Text::default();
    let forum = detail.access.forum.clone();
    let a = &detail.action;
    let href = action_href(forum.id, a.id);
    let code = forums::region_code(&state.db, forum.region_id).await?;
    let plan_href = format!("/regions/{code}/plan");
    let may = detail.may_update;
    let search = match may {
        true => Some(search(state, &detail, &href, &shown.typed.q).await?),
        false => None,
    };
    let mut form = may.then(|| progress_form(&text, a.status, &shown.typed));
    let status = match (shown.error, form.as_mut()) {
        (Some(error), Some(form)) => form.refuse(error)?,
        (Some(error), None) => return Err(error.into()),
        (None, _) if shown.conflict.is_some() => StatusCode::CONFLICT,
        (None, _) if shown.problem.is_some() => StatusCode::CONFLICT,
        (None, _) => StatusCode::OK,
    };
    // A due date is a day on London's calendar: it is judged against London's today.
    let today = state.clock.now().with_timezone(&London).date_naive();
    let page = ActionPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        forum_name: forum.name.clone(),
        actions_href: format!("/forums/{}/actions", forum.id),
        title: a.title.clone(),
        description: format::paragraphs(&a.description),
        owner: a
            .owner_organisation_name
            .clone()
            .or(a.owner_user_name.clone())
            .unwrap_or_else(|| text.get("forum-actions-no-owner")),
        due: a.due_on.map(|on| {
            let tag = (!a.status.is_closed()).then(|| format::due(&text, on, today));
            (format::date(on), tag)
        }),
        status: status_tag(&text, a.status),
        origin: detail.origin.as_ref().map(|o| {
            let meeting = format!("/forums/{}/meetings/{}", forum.id, o.meeting_id);
            let when = format::date(o.starts_at.with_timezone(&London).date_naive());
            match &o.item {
                Some(OriginItem::Named(id, title)) => (
                    format!("{meeting}#item-{id}"),
                    text.with(
                        "action-origin-item",
                        &[
                            ("item", title.clone()),
                            ("meeting", o.meeting_title.clone()),
                            ("date", when),
                        ],
                    ),
                ),
                Some(OriginItem::Withheld) => (
                    meeting,
                    text.with(
                        "action-origin-withheld",
                        &[("meeting", o.meeting_title.clone()), ("date", when)],
                    ),
                ),
                None => (
                    meeting,
                    text.with(
                        "action-origin-meeting",
                        &[("meeting", o.meeting_title.clone()), ("date", when)],
                    ),
                ),
            }
        }),
        commitments: detail
            .commitments
            .iter()
            .map(|c| Linked {
                reference: c.reference.clone(),
                text: c.text.clone(),
                plan_href: plan_href.clone(),
                unlink: may.then(|| format!("{href}/commitments/{}/unlink", c.id)),
            })
            .collect(),
        log: detail.log.iter().map(|u| entry(&text, u)).collect(),
        older: detail.older,
        version: shown.conflict.as_ref().map_or(a.version, |c| c.version),
        form,
        conflict: shown.conflict,
        search,
        problem: shown.problem,
        done: shown.done,
        href,
    };
    Ok((status, page))
}

fn entry(text: &Text, u: &UpdateOut) -> Entry {
    Entry {
        by: u
            .author_name
            .clone()
            .unwrap_or_else(|| text.get("conflict-someone")),
        at: format::date_time(u.created_at),
        at_iso: u.created_at.to_rfc3339(),
        moved: u.status_from.zip(u.status_to).map(|(from, to)| {
            text.with(
                "action-moved",
                &[
                    ("from", status_words(text, from)),
                    ("to", status_words(text, to)),
                ],
            )
        }),
        body: format::paragraphs(&u.body),
    }
}

/// The commitments of the region's current plan matching `q`, each with
/// its link form unless linked already; a `q` the search refuses is told
/// on its field.
async fn search(
    state: &AppState,
    detail: &ActionDetail,
    href: &str,
    q: &str,
) -> PageResult<Search> {
    let mut search = Search {
        q: q.to_string(),
        error: None,
        searched: false,
        found: Vec::new(),
    };
    let terms = match Terms::from_query(Some(q)) {
        Ok(Some(terms)) => terms,
        Ok(None) => return Ok(search),
        Err(ApiError::Validation(errors)) => {
            let text = Text::default();
            search.error = errors
                .first()
                .map(|e| format!("{} {}", text.get("action-search-label"), e.message));
            return Ok(search);
        }
        Err(other) => return Err(other.into()),
    };
    let region = detail.access.forum.region_id;
    let found = plans::matching_current_commitments(&state.db, region, &terms, FOUND_SHOWN).await?;
    search.searched = true;
    search.found = found
        .into_iter()
        .map(|c| {
            let linked = detail.action.commitment_ids.contains(&c.id);
            let link = (!linked).then(|| format!("{href}/commitments/{}/link", c.id));
            (c.reference, c.text, link)
        })
        .collect();
    Ok(search)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Asked {
    q: String,
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(path): Path<(String, String)>,
    Query(asked): Query<Asked>,
) -> PageResult<Response> {
    let caller = visitor.signed_in(&format!("/forums/{}/actions/{}", path.0, path.1))?;
    let detail = action_at(&state, caller, &path).await?;
    let shown = Shown {
        typed: Typed {
            q: asked.q,
            ..Typed::default()
        },
        done: done(&asked.done),
        ..Shown::default()
    };
    let (status, page) = action_page(&state, &visitor, detail, shown).await?;
    Ok((status, visitor.cookies(), page).into_response())
}

/// A refusal of a link told at the top of the page, leading to the
/// commitments.
pub fn problem(message: String) -> ErrorSummary {
    let text = Text::default();
    ErrorSummary {
        title_text: text.get("error-summary-title"),
        description_text: None,
        error_list: vec![crate::web::components::ErrorLink {
            text: capitalised(&message),
            href: Some("#commitments".into()),
        }],
    }
}
