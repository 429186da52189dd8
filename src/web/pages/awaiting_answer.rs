//! `/awaiting-answer`: the RPD staff's dashboard — the issues their
//! region's forum has raised and not yet had answered, soonest due first
//! (so the overdue lead, tagged with how late they are), each linking to
//! the issue's page where it is answered. One statement for the visitor
//! and three for the page, however many issues there are.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::issues::awaiting::{self, AwaitingIssue};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::web::components::Tag;
use crate::web::error::PageResult;
use crate::web::format;
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::pages::issues::{answer_due, issue_href};
use crate::web::session::Visitor;

#[derive(Template, WebTemplate)]
#[template(path = "awaiting_answer.html")]
pub struct AwaitingAnswerPage {
    page: Page,
    /// The forums answered for, with their issues lists.
    forums: Vec<(String, String)>,
    rows: Vec<Row>,
    /// "Showing the 50 due soonest of 73", when not all are shown.
    more: Option<String>,
    total: String,
    /// Whether the issues of more than one forum are listed.
    several: bool,
    /// The visitor answers for no forum: the page says whose it is, and
    /// where theirs are.
    not_theirs: bool,
}

struct Row {
    href: String,
    title: String,
    forum: String,
    raised_by: String,
    due_on: String,
    due: Tag,
}

pub async fn show(State(state): State<AppState>, visitor: Visitor) -> PageResult<Response> {
    let caller = visitor.signed_in("/awaiting-answer")?;
    let found = match awaiting::awaiting_answer(&state, caller).await {
        Ok(found) => found,
        Err(ApiError::Forbidden(_)) => {
            let page = AwaitingAnswerPage {
                page: visitor.page(),
                forums: Vec::new(),
                rows: Vec::new(),
                more: None,
                total: String::new(),
                several: false,
                not_theirs: true,
            };
            return Ok((StatusCode::FORBIDDEN, page).into_response());
        }
        Err(other) => return Err(other.into()),
    };
    let text = Text::default();
    let today = state.clock.now().date_naive();
    let shown = found.issues.len() as u64;
    let page = AwaitingAnswerPage {
        page: visitor.page(),
        not_theirs: false,
        several: found.forums.len() > 1,
        forums: found
            .forums
            .into_iter()
            .map(|(id, name)| (format!("/forums/{id}/issues"), name))
            .collect(),
        more: (found.total > shown).then(|| {
            text.with(
                "awaiting-more",
                &[
                    ("shown", shown.to_string()),
                    ("total", found.total.to_string()),
                ],
            )
        }),
        total: text.count("awaiting-total", found.total),
        rows: found
            .issues
            .into_iter()
            .map(|AwaitingIssue { issue, forum_name }| Row {
                href: issue_href(issue.forum_id, issue.id),
                due: answer_due(&text, &issue, today),
                due_on: format::date(issue.response_due_on),
                raised_by: issue
                    .raised_by_organisation_name
                    .clone()
                    .or(issue.raised_by_name.clone())
                    .unwrap_or_default(),
                forum: forum_name,
                title: issue.title,
            })
            .collect(),
    };
    Ok(page.into_response())
}
