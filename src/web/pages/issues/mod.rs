//! The forum's raised issues as its participants use them: the list
//! (`list`), raising one with evidence papers sent in the same form
//! (`raise`), one issue with its evidence, its due date and the RPD's
//! team's answers — and, for the region's RPD staff, the form that answers
//! it (`show`, `answer`) — and its papers downloaded (`papers`). Each form
//! is the operation the API calls.

mod answer;
mod list;
mod papers;
mod raise;
mod show;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use chrono::NaiveDate;
use entity::IssueStatus;
use uuid::Uuid;

use crate::issues::IssueOut;
use crate::kernel::state::AppState;
use crate::web::components::Tag;
use crate::web::error::{PageResult, id_in_path};
use crate::web::format;
use crate::web::i18n::Text;

/// The issue pages' routes. The evidence files are capped by the papers'
/// own limit as they stream in (shown on the form), not by the pages'
/// body limit.
pub fn routes() -> Router<AppState> {
    const ISSUE: &str = "/forums/{id}/issues/{issue_id}";
    Router::new()
        .route("/forums/{id}/issues", get(list::show))
        .route(
            "/forums/{id}/issues/new",
            get(raise::show)
                .post(raise::submit)
                .layer(DefaultBodyLimit::disable()),
        )
        .route(ISSUE, get(show::show))
        .route(
            &format!("{ISSUE}/responses"),
            post(answer::submit).layer(DefaultBodyLimit::disable()),
        )
        .route(
            &format!("{ISSUE}/papers/{{paper_id}}"),
            get(papers::download),
        )
}

/// The forum and issue an address names.
#[derive(Clone, Copy)]
struct At {
    forum: Uuid,
    issue: Uuid,
}

impl At {
    fn parse(forum: &str, issue: &str) -> PageResult<Self> {
        Ok(Self {
            forum: id_in_path(forum)?,
            issue: id_in_path(issue)?,
        })
    }

    fn href(&self) -> String {
        issue_href(self.forum, self.issue)
    }
}

/// An issue's page.
pub fn issue_href(forum: Uuid, issue: Uuid) -> String {
    format!("/forums/{forum}/issues/{issue}")
}

/// Where an issue stands, as a tag of the design system's colours.
fn status_tag(text: &Text, status: IssueStatus) -> Tag {
    let colour = match status {
        IssueStatus::Open => "govuk-tag--yellow",
        IssueStatus::Acknowledged => "govuk-tag--blue",
        IssueStatus::Responded => "govuk-tag--green",
        IssueStatus::Closed => "govuk-tag--grey",
    };
    Tag {
        text: text.get(&format!("issue-status-{}", status.as_str())),
        classes: Some(colour.to_string()),
    }
}

/// How the answer's due date stands: "3 days overdue", "Due in 5 days"
/// while it is awaited; "Answered in time" or "Answered late" once it is;
/// "Re-opened" once the forum has asked for another answer.
pub fn answer_due(text: &Text, issue: &IssueOut, today: NaiveDate) -> Tag {
    match issue.answered_within_due_date {
        // Answered once, and re-opened: awaiting another answer.
        Some(_) if issue.status == IssueStatus::Open => Tag {
            text: text.get("issue-reopened"),
            classes: Some("govuk-tag--yellow".to_string()),
        },
        Some(in_time) => Tag {
            text: text.get(match in_time {
                true => "issue-answered-in-time",
                false => "issue-answered-late",
            }),
            classes: Some(
                match in_time {
                    true => "govuk-tag--green",
                    false => "govuk-tag--orange",
                }
                .to_string(),
            ),
        },
        None if issue.status == IssueStatus::Closed => status_tag(text, issue.status),
        None => format::due(text, issue.response_due_on, today),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    /// Every status and priority these pages word by a variable is a
    /// message of the resources (Fluent would show the id itself).
    #[test]
    fn every_message_the_pages_ask_for_by_name_exists() {
        let text = Text::default();
        let mut words: Vec<String> = IssueStatus::iter()
            .map(|s| status_tag(&text, s).text)
            .collect();
        words.extend(
            entity::IssuePriority::iter()
                .map(|p| text.get(&format!("issue-priority-{}", p.as_str()))),
        );
        words.extend(
            [
                "issue-answered-in-time",
                "issue-answered-late",
                "issue-reopened",
            ]
            .into_iter()
            .map(|id| text.get(id)),
        );
        let unworded: Vec<&String> = words
            .iter()
            .filter(|w| w.is_empty() || w.starts_with("issue-"))
            .collect();
        assert!(unworded.is_empty(), "no message for {unworded:?}");
    }
}
